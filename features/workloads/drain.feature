@epic:Workloads @feature:Drain
Feature: Draining a node — evictions that respect PodDisruptionBudgets
  `kubectl drain` cordons the node, then evicts its pods through the eviction API. A pod that no
  controller owns would be lost for good, so drain refuses unless `--force` is given. An eviction
  that would leave fewer healthy pods than a PodDisruptionBudget's `minAvailable` is refused
  (HTTP 429); drain prints the refusal and retries every 5 seconds until `--timeout`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    And I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: app
              image: kubetm/app
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata:
        name: web-pdb
      spec:
        minAvailable: 2
        selector:
          matchLabels:
            app: web
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: solo
      spec:
        nodeName: k8s-node2
        terminationGracePeriodSeconds: 0
        containers:
        - name: app
          image: kubetm/app
      """
    And 30 seconds pass

  Scenario: A pod without a controller stops the drain unless --force is given
    When I try to run "kubectl drain k8s-node2"
    Then the output is:
      """
      node/k8s-node2 cordoned
      """
    And the command fails with:
      """
      error: unable to drain node "k8s-node2" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo, continuing command...
      There are pending nodes to be drained:
       k8s-node2
      cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo
      """

  Scenario: The budget refuses the eviction; drain retries every 5 seconds until its timeout
    When I try to run "kubectl drain k8s-node2 --force --timeout=12s"
    Then the output is:
      """
      node/k8s-node2 cordoned
      evicting pod default/solo
      evicting pod default/web-fsk47
      evicting pod default/web-fsk47
      evicting pod default/web-fsk47
      pod/solo evicted
      """
    And the command fails with:
      """
      Warning: deleting Pods that declare no controller: default/solo
      error when evicting pods/"web-fsk47" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
      """
    And the command fails with:
      """
      error: unable to drain node "k8s-node2" due to error: error when evicting pods/"web-fsk47" -n "default": global timeout reached: 12s, continuing command...
      """

  Scenario: With room in the budget the pod is evicted and replaced on the other node
    When I apply the manifest:
      """yaml
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata:
        name: web-pdb
      spec:
        minAvailable: 1
        selector:
          matchLabels:
            app: web
      """
    And 5 seconds pass
    And I run "kubectl drain k8s-node2 --force"
    Then the output contains:
      """
      pod/web-fsk47 evicted
      node/k8s-node2 drained
      """
    And within 30 seconds replicaset "web" has 2 ready replicas
    When I run "kubectl get nodes"
    Then the output contains:
      """
      k8s-node2   Ready,SchedulingDisabled
      """
