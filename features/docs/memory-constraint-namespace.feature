Feature: Configure Minimum and Maximum Memory Constraints for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-constraint-namespace/
  #
  # A LimitRange with min and max memory for containers: the API server fills in the default
  # limit and request (from max), the LimitRanger admission plugin gives containers that say
  # nothing those defaults and refuses containers outside [min, max].

  Background:
    Given a cluster with nodes:
      | name      | memory |
      | k8s-node1 | 2Gi    |
    When I run "kubectl create namespace constraints-mem-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/memory-constraints.yaml --namespace=constraints-mem-example"

  Scenario: The LimitRange gets default values it did not specify
    When I run "kubectl get limitrange mem-min-max-demo-lr --namespace=constraints-mem-example --output=yaml"
    Then the output contains:
      """
        limits:
        - default:
            memory: 1Gi
          defaultRequest:
            memory: 1Gi
          max:
            memory: 1Gi
          min:
            memory: 500Mi
          type: Container
      """
    When I run "kubectl describe limitrange mem-min-max-demo-lr --namespace=constraints-mem-example"
    Then the output is:
      """
      Name:       mem-min-max-demo-lr
      Namespace:  constraints-mem-example
      Type        Resource  Min    Max  Default Request  Default Limit  Max Limit/Request Ratio
      ----        --------  ---    ---  ---------------  -------------  -----------------------
      Container   memory    500Mi  1Gi  1Gi              1Gi            -
      """
    When I run "kubectl get limitrange --namespace=constraints-mem-example"
    Then the output is:
      """
      NAME                  CREATED AT
      mem-min-max-demo-lr   2024-01-08T00:00:00Z
      """

  Scenario: A pod within the constraints runs with its own request and limit
    When I run "kubectl apply -f exercises/docs/admin/resource/memory-constraints-pod.yaml --namespace=constraints-mem-example"
    And 30 seconds pass
    And I run "kubectl get pod constraints-mem-demo --namespace=constraints-mem-example"
    Then the output is:
      """
      NAME                   READY   STATUS    RESTARTS   AGE
      constraints-mem-demo   1/1     Running   0          30s
      """
    And pod "constraints-mem-demo" in namespace "constraints-mem-example" matches:
      """yaml
      spec:
        containers:
        - name: constraints-mem-demo-ctr
          resources:
            limits:
              memory: 800Mi
            requests:
              memory: 600Mi
      """

  Scenario: A pod above the maximum memory is refused
    When I try to run "kubectl apply -f exercises/docs/admin/resource/memory-constraints-pod-2.yaml --namespace=constraints-mem-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/admin/resource/memory-constraints-pod-2.yaml": pods "constraints-mem-demo-2" is forbidden: maximum memory usage per Container is 1Gi, but limit is 1536Mi
      """

  Scenario: A pod below the minimum memory request is refused
    When I try to run "kubectl apply -f exercises/docs/admin/resource/memory-constraints-pod-3.yaml --namespace=constraints-mem-example"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/admin/resource/memory-constraints-pod-3.yaml": pods "constraints-mem-demo-3" is forbidden: minimum memory usage per Container is 500Mi, but request is 100Mi
      """

  Scenario: A pod that says nothing gets the default request and limit
    When I run "kubectl apply -f exercises/docs/admin/resource/memory-constraints-pod-4.yaml --namespace=constraints-mem-example"
    Then pod "constraints-mem-demo-4" in namespace "constraints-mem-example" matches:
      """yaml
      metadata:
        annotations:
          kubernetes.io/limit-ranger: "LimitRanger plugin set: memory request for container constraints-mem-demo-4-ctr; memory limit for container constraints-mem-demo-4-ctr"
      spec:
        containers:
        - name: constraints-mem-demo-4-ctr
          resources:
            limits:
              memory: 1Gi
            requests:
              memory: 1Gi
      """
