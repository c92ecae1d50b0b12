Feature: Configure Default Memory Requests and Limits for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/
  #
  # A LimitRange with a default memory request and limit: a container that specifies neither gets
  # both; one that specifies only its limit gets a request equal to it (the API server's pod
  # defaulting runs before the LimitRanger); one that specifies only its request gets the default
  # limit.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace default-mem-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/memory-defaults.yaml --namespace=default-mem-example"

  Scenario: A container without a request or limit gets the defaults
    When I run "kubectl apply -f exercises/docs/admin/resource/memory-defaults-pod.yaml --namespace=default-mem-example"
    And I run "kubectl get pod default-mem-demo --output=jsonpath={.spec.containers[0].resources} --namespace=default-mem-example"
    Then the output is:
      """
      {"limits":{"memory":"512Mi"},"requests":{"memory":"256Mi"}}
      """

  Scenario: A container with a limit but no request gets a request equal to its limit
    When I run "kubectl apply -f exercises/docs/admin/resource/memory-defaults-pod-2.yaml --namespace=default-mem-example"
    And I run "kubectl get pod default-mem-demo-2 --output=jsonpath={.spec.containers[0].resources} --namespace=default-mem-example"
    Then the output is:
      """
      {"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}}
      """

  Scenario: A container with a request but no limit gets the default limit
    When I run "kubectl apply -f exercises/docs/admin/resource/memory-defaults-pod-3.yaml --namespace=default-mem-example"
    And I run "kubectl get pod default-mem-demo-3 --output=jsonpath={.spec.containers[0].resources} --namespace=default-mem-example"
    Then the output is:
      """
      {"limits":{"memory":"512Mi"},"requests":{"memory":"128Mi"}}
      """
