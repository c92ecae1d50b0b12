Feature: Apply Pod Security Standards at the Namespace Level
  # Source: https://kubernetes.io/docs/tutorials/security/ns-level-pss/
  #
  # Pod Security Admission (the PodSecurity admission plugin, on by default) applies the Pod
  # Security Standards to the pods of a namespace by its labels: `enforce` refuses a pod that
  # violates the level, `warn` admits it with a warning kubectl prints, `audit` records the
  # violation in the audit log (which the simulation does not keep). A namespace without labels is
  # `privileged`: nothing is checked, as on a kind cluster without an AdmissionConfiguration.
  #
  # The page creates its cluster with `kind create cluster --name psa-ns-level` and switches
  # kubectl to it with `kubectl cluster-info --context kind-psa-ns-level`: neither can run here
  # (the cluster is the scenario's). The pod is the page's
  # exercises/docs/security/example-baseline-pod.yaml, verbatim (https://k8s.io/examples/security/example-baseline-pod.yaml).

  Background:
    Given a cluster with nodes:
      | name         |
      | psa-ns-level |
    When I run "kubectl create ns example"
    Then the output is:
      """
      namespace/example created
      """

  Scenario: warn=baseline, then enforce=baseline with warn and audit at restricted
    When I run "kubectl label --overwrite ns example pod-security.kubernetes.io/warn=baseline pod-security.kubernetes.io/warn-version=latest"
    Then the output is:
      """
      namespace/example labeled
      """
    When I run "kubectl label --overwrite ns example pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest"
    Then the output is:
      """
      namespace/example labeled
      """
    # LABELS sorts the `key=value` pairs as strings: `audit-version=…` before `audit=…`, as real kubectl prints them.
    When I run "kubectl get ns example --show-labels"
    Then the output is:
      """
      NAME      STATUS   AGE   LABELS
      example   Active   0s    kubernetes.io/metadata.name=example,pod-security.kubernetes.io/audit-version=latest,pod-security.kubernetes.io/audit=restricted,pod-security.kubernetes.io/enforce-version=latest,pod-security.kubernetes.io/enforce=baseline,pod-security.kubernetes.io/warn-version=latest,pod-security.kubernetes.io/warn=restricted
      """

  Scenario: A baseline pod starts in the example namespace, with the restricted level's warning
    When I run "kubectl label --overwrite ns example pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest"
    And I run "kubectl apply -n example -f https://k8s.io/examples/security/example-baseline-pod.yaml"
    Then the error output is:
      """
      Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
      """
    And the output is:
      """
      pod/nginx created
      """
    When 30 seconds pass
    And I run "kubectl get pod nginx -n example"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      nginx   1/1     Running   0          30s
      """

  Scenario: The same pod in the default namespace is created with no warning
    When I run "kubectl label --overwrite ns example pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/warn=restricted"
    And I run "kubectl apply -n default -f https://k8s.io/examples/security/example-baseline-pod.yaml"
    Then the output is:
      """
      pod/nginx created
      """
    And the error output is:
      """
      """
