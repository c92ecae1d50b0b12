@epic:Course @feature:NodeScheduling @parity
Feature: Pod - Node Scheduling: the Gt and Lt operators of node affinity
  Besides In, NotIn, Exists and DoesNotExist, node affinity can compare a node label's integer
  value: Gt (greater than) and Lt (less than) the single value given.

  Scenario: Gt and Lt compare a label's integer value
    Given a cluster with nodes:
      | name      | labels  |
      | k8s-node1 | size=10 |
      | k8s-node2 | size=3  |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-gt
      spec:
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: size, operator: Gt, values: ["5"]}
        containers:
        - name: container
          image: kubetm/app
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-lt
      spec:
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: size, operator: Lt, values: ["5"]}
        containers:
        - name: container
          image: kubetm/app
      """
    Then pod "pod-gt" is scheduled on node "k8s-node1"
    And pod "pod-lt" is scheduled on node "k8s-node2"
