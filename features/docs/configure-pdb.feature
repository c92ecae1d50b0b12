Feature: Specifying a Disruption Budget for your Application
  # Source: https://kubernetes.io/docs/tasks/run-application/configure-pdb/
  #
  # The page's two budgets for ZooKeeper (exercises/docs/policy/zookeeper-pod-disruption-budget-
  # minavailable.yaml and -maxunavailable.yaml, verbatim: zk-pdb with minAvailable 2 or
  # maxUnavailable 1, selecting app.kubernetes.io/name=zookeeper). "If the above zk-pdb object
  # selects the pods of a StatefulSet of size 3, both specifications have the exact same meaning":
  # the scenarios run such a StatefulSet (the page has none of its own; its Pods run nginx-slim).
  # A drain evicts through the Eviction API, which the budget guards.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |

  Scenario: Without matching Pods no disruption is allowed; with three, one is
    When I run "kubectl apply -f https://k8s.io/examples/policy/zookeeper-pod-disruption-budget-minavailable.yaml"
    Then the output is:
      """
      poddisruptionbudget.policy/zk-pdb created
      """
    When 7 seconds pass
    And I run "kubectl get poddisruptionbudgets"
    Then the output is:
      """
      NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
      zk-pdb   2               N/A               0                     7s
      """
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: zk
      spec:
        serviceName: zk-hs
        replicas: 3
        selector:
          matchLabels:
            app.kubernetes.io/name: zookeeper
        template:
          metadata:
            labels:
              app.kubernetes.io/name: zookeeper
          spec:
            containers:
            - name: kubernetes-zookeeper
              image: registry.k8s.io/nginx-slim:0.8
      """
    And 30 seconds pass
    And I run "kubectl get poddisruptionbudgets"
    Then the output is:
      """
      NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
      zk-pdb   2               N/A               1                     37s
      """
    # "The non-zero value for ALLOWED DISRUPTIONS means that the disruption controller has seen
    # the pods, counted the matching pods, and updated the status of the PDB."
    When I run "kubectl get poddisruptionbudgets zk-pdb -o yaml"
    Then the output contains:
      """
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      """
    And the output contains:
      """
        generation: 1
        name: zk-pdb
      """
    And the output contains:
      """
      status:
        conditions:
        - lastTransitionTime: "2024-01-08T00:00:14Z"
          message: ""
          observedGeneration: 1
          reason: SufficientPods
          status: "True"
          type: DisruptionAllowed
        currentHealthy: 3
        desiredHealthy: 2
        disruptionsAllowed: 1
        expectedPods: 3
        observedGeneration: 1
      """
    When I run "kubectl describe pdb zk-pdb"
    Then the output is:
      """
      Name:           zk-pdb
      Namespace:      default
      Min available:  2
      Selector:       app.kubernetes.io/name=zookeeper
      Status:
          Allowed disruptions:  1
          Current:              3
          Desired:              2
          Total:                3
      Events:                   <none>
      """

  Scenario: A drain evicts one Pod at a time: the second waits until the first is replaced
    When I run "kubectl apply -f https://k8s.io/examples/policy/zookeeper-pod-disruption-budget-maxunavailable.yaml"
    And I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: zk
      spec:
        serviceName: zk-hs
        replicas: 3
        selector:
          matchLabels:
            app.kubernetes.io/name: zookeeper
        template:
          metadata:
            labels:
              app.kubernetes.io/name: zookeeper
          spec:
            containers:
            - name: kubernetes-zookeeper
              image: registry.k8s.io/nginx-slim:0.8
      """
    And 30 seconds pass
    And I run "kubectl get pdb zk-pdb"
    Then the output is:
      """
      NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
      zk-pdb   N/A             1                 1                     30s
      """
    When I run "kubectl get pods -o wide"
    Then the output contains:
      """
      zk-1   1/1     Running   0          27s   10.244.0.2   k8s-node1
      """
    And the output contains:
      """
      zk-2   1/1     Running   0          24s   10.244.0.3   k8s-node1
      """
    When I run "kubectl drain k8s-node1 --ignore-daemonsets"
    Then the output contains:
      """
      node/k8s-node1 cordoned
      evicting pod default/zk-1
      evicting pod default/zk-2
      """
    And the error output contains:
      """
      error when evicting pods/"zk-2" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
      """
    And the output contains:
      """
      pod/zk-1 evicted
      pod/zk-2 evicted
      node/k8s-node1 drained
      """
    When I run "kubectl get pods -o wide"
    Then the output does not contain:
      """
      k8s-node1
      """
