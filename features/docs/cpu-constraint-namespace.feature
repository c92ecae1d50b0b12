Feature: Configure Minimum and Maximum CPU Constraints for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/cpu-constraint-namespace/
  #
  # A LimitRange with min and max CPU for containers: containers outside [min, max] are refused;
  # one that says nothing gets the default request and limit the API server derived from max.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace constraints-cpu-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/cpu-constraints.yaml --namespace=constraints-cpu-example"

  Scenario: The LimitRange gets its default request and limit from max
    When I run "kubectl get limitrange cpu-min-max-demo-lr --output=yaml --namespace=constraints-cpu-example"
    Then the output contains:
      """
        limits:
        - default:
            cpu: 800m
          defaultRequest:
            cpu: 800m
          max:
            cpu: 800m
          min:
            cpu: 200m
          type: Container
      """

  Scenario: A pod within the constraints keeps its request and limit
    When I run "kubectl apply -f exercises/docs/admin/resource/cpu-constraints-pod.yaml --namespace=constraints-cpu-example"
    Then pod "constraints-cpu-demo" in namespace "constraints-cpu-example" matches:
      """yaml
      spec:
        containers:
        - resources:
            limits:
              cpu: 800m
            requests:
              cpu: 500m
      """

  Scenario: A pod above the maximum CPU is refused
    When I try to run "kubectl apply -f exercises/docs/admin/resource/cpu-constraints-pod-2.yaml --namespace=constraints-cpu-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/admin/resource/cpu-constraints-pod-2.yaml": pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m
      """

  Scenario: A pod below the minimum CPU request is refused
    When I try to run "kubectl apply -f exercises/docs/admin/resource/cpu-constraints-pod-3.yaml --namespace=constraints-cpu-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/admin/resource/cpu-constraints-pod-3.yaml": pods "constraints-cpu-demo-3" is forbidden: minimum cpu usage per Container is 200m, but request is 100m
      """

  Scenario: A pod that says nothing gets the default CPU request and limit
    When I run "kubectl apply -f exercises/docs/admin/resource/cpu-constraints-pod-4.yaml --namespace=constraints-cpu-example"
    And I run "kubectl get pod constraints-cpu-demo-4 --namespace=constraints-cpu-example --output=jsonpath={.spec.containers[0].resources}"
    Then the output is:
      """
      {"limits":{"cpu":"800m"},"requests":{"cpu":"800m"}}
      """
