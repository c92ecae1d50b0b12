@parity
Feature: Pod Security Admission: modes, labels, workload resources and exempt pod updates
  # Source: https://kubernetes.io/docs/concepts/security/pod-security-admission/
  #
  # What the page states that a scenario can check, with its labels:
  #   pod-security.kubernetes.io/<MODE>: <LEVEL>             MODE: enforce, audit or warn
  #   pod-security.kubernetes.io/<MODE>-version: <VERSION>   LEVEL: privileged, baseline or restricted
  # - enforce: "Policy violations will cause the pod to be rejected."
  # - warn: "Policy violations will trigger a user-facing warning, but are otherwise allowed."
  # - audit: adds an annotation to the event recorded in the audit log, which the simulation does
  #   not keep (docs/divergences.md): an audit label alone shows nothing here, nor to kubectl.
  # - "both the audit and warning modes are applied to the workload resources. However, enforce
  #   mode is not applied to workload resources, only to the resulting pod objects."
  # - Updates that only change a pod's metadata, activeDeadlineSeconds or tolerations are not
  #   checked; v1.32 checks a pod update that changes a container's image.
  # Exemptions need the admission controller's configuration file, which the simulated API server
  # does not take.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace team-a"

  Scenario: enforce rejects the pod, warn only warns, audit shows nothing to the user
    When I run "kubectl label ns team-a pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/audit=restricted"
    And I try to run "kubectl run privileged -n team-a --image=nginx --privileged"
    Then the command fails with:
      """
      Error from server (Forbidden): pods "privileged" is forbidden: violates PodSecurity "baseline:latest": privileged (container "privileged" must not set securityContext.privileged=true)
      """
    When I run "kubectl run web -n team-a --image=nginx"
    Then the error output is:
      """
      Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """
    When I run "kubectl label ns team-a pod-security.kubernetes.io/enforce- pod-security.kubernetes.io/warn-"
    And I run "kubectl run audited -n team-a --image=nginx"
    Then the output is:
      """
      pod/audited created
      """
    And the error output is:
      """
      """

  Scenario: A namespace without labels is privileged: nothing is checked
    When I run "kubectl run privileged -n team-a --image=nginx --privileged"
    Then the output is:
      """
      pod/privileged created
      """
    And the error output is:
      """
      """

  Scenario: Labels must name a level and a version: other values are refused
    When I try to run "kubectl label ns team-a pod-security.kubernetes.io/enforce=strict"
    Then the command fails with:
      """
      The Namespace "team-a" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted
      """
    When I try to run "kubectl label ns team-a pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=1.32"
    Then the command fails with:
      """
      The Namespace "team-a" is invalid: metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.32": must be "latest" or "v1.x"
      """
    # A version label pins the policy; a version newer than the cluster's is its latest.
    When I run "kubectl label ns team-a pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=v1.40"
    And I try to run "kubectl run web -n team-a --image=nginx"
    Then the command fails with:
      """
      violates PodSecurity "restricted:v1.40": allowPrivilegeEscalation != false
      """

  Scenario: Workload resources are warned about, not refused; their pods are refused
    When I run "kubectl label ns team-a pod-security.kubernetes.io/enforce=restricted"
    And I run "kubectl create deployment web -n team-a --image=nginx"
    Then the output is:
      """
      deployment.apps/web created
      """
    And the error output is:
      """
      Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """
    When 10 seconds pass
    And I run "kubectl get deployment web -n team-a"
    Then the output is:
      """
      NAME   READY   UP-TO-DATE   AVAILABLE   AGE
      web    0/1     0            0           10s
      """
    When I run "kubectl get replicaset -n team-a -o jsonpath={.items[0].status.conditions[0].type}"
    Then the output is:
      """
      ReplicaFailure
      """
    When I run "kubectl get events -n team-a --field-selector=reason=FailedCreate -o jsonpath={.items[0].message}"
    Then the output contains:
      """
      is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)
      """

  Scenario: A pod that violates a new enforce level keeps running; updates that change no image are allowed
    When I run "kubectl run web -n team-a --image=nginx"
    And I run "kubectl label ns team-a pod-security.kubernetes.io/enforce=restricted"
    Then the error output contains:
      """
      Warning: web: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile
      """
    When I run "kubectl label pod web -n team-a tier=frontend"
    Then the output is:
      """
      pod/web labeled
      """
    When I run:
      """
      kubectl patch pod web -n team-a -p '{"spec":{"activeDeadlineSeconds":3600}}'
      """
    Then the output is:
      """
      pod/web patched
      """
    When I try to run "kubectl set image pod/web -n team-a web=nginx:1.27"
    Then the command fails with:
      """
      error: failed to patch image update to pod template: pods "web" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false
      """
