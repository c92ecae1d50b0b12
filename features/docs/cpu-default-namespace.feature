Feature: Configure Default CPU Requests and Limits for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/cpu-default-namespace/
  #
  # A LimitRange with a default CPU request (0.5) and limit (1): what a container leaves out it
  # gets from there, except that a container with only a limit gets a request equal to it.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace default-cpu-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/cpu-defaults.yaml --namespace=default-cpu-example"

  Scenario: A container without a request or limit gets the defaults
    When I run "kubectl apply -f exercises/docs/admin/resource/cpu-defaults-pod.yaml --namespace=default-cpu-example"
    And I run "kubectl get pod default-cpu-demo --output=jsonpath={.spec.containers[0].resources} --namespace=default-cpu-example"
    Then the output is:
      """
      {"limits":{"cpu":"1"},"requests":{"cpu":"500m"}}
      """

  Scenario: A container with a limit but no request gets a request equal to its limit
    When I run "kubectl apply -f exercises/docs/admin/resource/cpu-defaults-pod-2.yaml --namespace=default-cpu-example"
    And I run "kubectl get pod default-cpu-demo-2 --output=jsonpath={.spec.containers[0].resources} --namespace=default-cpu-example"
    Then the output is:
      """
      {"limits":{"cpu":"1"},"requests":{"cpu":"1"}}
      """

  Scenario: A container with a request but no limit gets the default limit
    When I run "kubectl apply -f exercises/docs/admin/resource/cpu-defaults-pod-3.yaml --namespace=default-cpu-example"
    And I run "kubectl get pod default-cpu-demo-3 --output=jsonpath={.spec.containers[0].resources} --namespace=default-cpu-example"
    Then the output is:
      """
      {"limits":{"cpu":"1"},"requests":{"cpu":"750m"}}
      """
