@parity
Feature: Enforce Pod Security Standards with Namespace Labels
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/
  #
  # Namespaces can be labelled to enforce the Pod Security Standards. The page's namespace
  # `my-baseline-namespace` blocks pods that don't satisfy `baseline`, and warns about (and audits)
  # pods that don't meet `restricted`, both pinned to v{{< skew latestVersion >}}: v1.32 here.
  # The PodSecurity admission plugin is on by default since v1.23 (the page's feature-gate
  # prerequisite is from v1.22). The `audit` label adds an annotation to the audit log, which the
  # simulation does not keep (docs/divergences.md).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Requiring the baseline Pod Security Standard with namespace labels
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: my-baseline-namespace
        labels:
          pod-security.kubernetes.io/enforce: baseline
          pod-security.kubernetes.io/enforce-version: v1.32

          # We are setting these to our _desired_ `enforce` level.
          pod-security.kubernetes.io/audit: restricted
          pod-security.kubernetes.io/audit-version: v1.32
          pod-security.kubernetes.io/warn: restricted
          pod-security.kubernetes.io/warn-version: v1.32
      """
    # Blocks any pod that doesn't satisfy the baseline policy.
    When I try to run "kubectl run privileged-pod -n my-baseline-namespace --image=nginx --privileged"
    Then the command fails with:
      """
      Error from server (Forbidden): pods "privileged-pod" is forbidden: violates PodSecurity "baseline:v1.32": privileged (container "privileged-pod" must not set securityContext.privileged=true)
      """
    # A pod that meets baseline but not restricted is created, with a user-facing warning.
    When I run "kubectl run web -n my-baseline-namespace --image=nginx"
    Then the output is:
      """
      pod/web created
      """
    And the error output is:
      """
      Warning: would violate PodSecurity "restricted:v1.32": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """

  Scenario: Trying a new enforce level with --dry-run=server shows how it would treat existing pods
    When I run "kubectl create namespace my-existing-namespace"
    And I run "kubectl run web -n my-existing-namespace --image=nginx"
    And I run "kubectl run admin -n my-existing-namespace --image=nginx --privileged"
    And I run "kubectl label --dry-run=server --overwrite ns --all pod-security.kubernetes.io/enforce=baseline"
    Then the output contains:
      """
      namespace/default labeled (server dry run)
      """
    And the output contains:
      """
      namespace/my-existing-namespace labeled (server dry run)
      """
    And the error output contains:
      """
      Warning: existing pods in namespace "my-existing-namespace" violate the new PodSecurity enforce level "baseline:latest"
      Warning: admin: privileged
      """
    # A dry run changes nothing.
    When I run "kubectl get namespaces --selector=pod-security.kubernetes.io/enforce"
    Then the error output is:
      """
      No resources found
      """

  Scenario: Applying audit and warn to all namespaces, then listing those without an enforce level
    When I run "kubectl create namespace my-existing-namespace"
    And I run "kubectl label --overwrite ns --all pod-security.kubernetes.io/audit=baseline pod-security.kubernetes.io/warn=baseline"
    Then the output contains:
      """
      namespace/default labeled
      """
    And the output contains:
      """
      namespace/my-existing-namespace labeled
      """
    When I run "kubectl label --overwrite ns my-existing-namespace pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=v1.32"
    And I run "kubectl get namespaces --selector=!pod-security.kubernetes.io/enforce -o name"
    Then the output contains:
      """
      namespace/default
      """
    And the output does not contain:
      """
      namespace/my-existing-namespace
      """

  Scenario: Applying to a single namespace warns about the pods already running there
    When I run "kubectl create namespace my-existing-namespace"
    And I run "kubectl create deployment web -n my-existing-namespace --image=nginx --replicas=2"
    And 30 seconds pass
    And I run "kubectl label --overwrite ns my-existing-namespace pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=v1.32"
    Then the output is:
      """
      namespace/my-existing-namespace labeled
      """
    And the error output contains:
      """
      Warning: existing pods in namespace "my-existing-namespace" violate the new PodSecurity enforce level "restricted:v1.32"
      """
    And the error output contains:
      """
      (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile
      """
    # The running pods stay; new ones are refused. The ReplicaSet says so in its events.
    When I run "kubectl delete pods -n my-existing-namespace -l app=web --wait=false"
    And 10 seconds pass
    And I run "kubectl get pods -n my-existing-namespace"
    Then the error output is:
      """
      No resources found in my-existing-namespace namespace.
      """
    When I run "kubectl get events -n my-existing-namespace --field-selector=reason=FailedCreate -o custom-columns=OBJECT:.involvedObject.kind,MESSAGE:.message"
    Then the output contains:
      """
      is forbidden: violates PodSecurity "restricted:v1.32": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)
      """
