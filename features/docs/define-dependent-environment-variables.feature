Feature: Define Dependent Environment Variables
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
  #
  # `$(VAR)` in an env value is expanded by the kubelet from the variables declared before it;
  # an undefined reference stays as written, and `$$(VAR)` is an escaped reference.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest file "exercises/docs/pods/inject/dependent-envars.yaml"
    And 9 seconds pass

  Scenario: The pod runs
    When I run "kubectl get pods dependent-envars-demo"
    Then the output is:
      """
      NAME                    READY   STATUS    RESTARTS   AGE
      dependent-envars-demo   1/1     Running   0          9s
      """

  Scenario: The log shows the resolved, the unchanged and the escaped references
    When I run "kubectl logs pod/dependent-envars-demo"
    Then the output is:
      """

      UNCHANGED_REFERENCE=$(PROTOCOL)://172.17.0.1:80
      SERVICE_ADDRESS=https://172.17.0.1:80
      ESCAPED_REFERENCE=$(PROTOCOL)://172.17.0.1:80
      """

  Scenario: The container's environment holds the expanded values
    When I run "kubectl exec dependent-envars-demo -- printenv SERVICE_ADDRESS UNCHANGED_REFERENCE ESCAPED_REFERENCE"
    Then the output is:
      """
      https://172.17.0.1:80
      $(PROTOCOL)://172.17.0.1:80
      $(PROTOCOL)://172.17.0.1:80
      """
