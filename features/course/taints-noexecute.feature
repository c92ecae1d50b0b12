@epic:Course @feature:NodeScheduling @parity
Feature: Pod - Node Scheduling: NoExecute taints evict running pods
  NoSchedule only matters when a pod is placed. A `NoExecute` taint also removes pods already
  running on the node: a pod without a matching toleration is evicted at once; a pod tolerating
  the taint for `tolerationSeconds` is evicted when that time is up. Removing the taint first
  cancels the pending eviction.

  Background:
    Given a cluster with nodes:
      | name      | labels  | taints            |
      | k8s-node1 | gpu=no1 | hw=gpu:NoSchedule |
      | k8s-node2 |         |                   |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod1-with-no-execute
      spec:
       tolerations:
       - effect: NoExecute
         key: out-of-disk
         operator: Exists
         tolerationSeconds: 30
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      ---
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod2-without-no-execute
      spec:
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod1-with-no-execute" is scheduled on node "k8s-node2"
    And pod "pod2-without-no-execute" is scheduled on node "k8s-node2"

  Scenario: the pod without a toleration goes at once, the other after 30 seconds
    When I run "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule-"
    And I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute"
    Then pod "pod2-without-no-execute" no longer exists
    And pod "pod1-with-no-execute" is scheduled on node "k8s-node2"
    When 29 seconds pass
    Then pod "pod1-with-no-execute" is scheduled on node "k8s-node2"
    When 1 second passes
    Then pod "pod1-with-no-execute" no longer exists
    # 필독! 작업 후 Taint 꼭 삭제해주세요
    When I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute-"
    Then the output is:
      """
      node/k8s-node2 untainted
      """

  Scenario: removing the taint in time cancels the eviction
    When I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute"
    And 20 seconds pass
    And I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute-"
    And 1 minute passes
    Then pod "pod1-with-no-execute" is scheduled on node "k8s-node2"
