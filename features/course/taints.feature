@epic:Course @feature:NodeScheduling @parity
Feature: Pod - Node Scheduling: Taints and Tolerations
  A taint keeps pods off a node unless they tolerate it. `NoSchedule` is strict,
  `PreferNoSchedule` only lowers the node's score. A toleration lets a pod onto a tainted node
  but does not send it there: the pod still needs a nodeSelector to choose the node.

  Scenario: only the pod with the toleration gets onto the tainted node
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl label nodes k8s-node1 gpu=no1"
    And I run "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod-with-toleration
      spec:
       nodeSelector: # 노드1에 배치를 하기 위해서 셀렉터 사용
        gpu: no1
       tolerations: # 노드에 할당되어 있는 내용과 똑같이 매칭
       - effect: NoSchedule
         key: hw
         operator: Equal
         value: gpu
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod-with-toleration" is scheduled on node "k8s-node1"
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod-without-toleration
      spec:
       nodeSelector:
        gpu: no1
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod-without-toleration" is not scheduled
    And pod "pod-without-toleration" is pending because:
      | node      | reason                                            |
      | k8s-node1 | node(s) had untolerated taint {hw: gpu}           |
      | k8s-node2 | node(s) didn't match Pod's node affinity/selector |
    And pod "pod-without-toleration" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {hw: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
      """

  Scenario: the FailedScheduling message of a three-node cluster
    Given a cluster with nodes:
      | name      | labels  | taints            |
      | k8s-node1 | gpu=no1 | hw=gpu:NoSchedule |
      | k8s-node2 |         |                   |
      | k8s-node3 |         |                   |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod-without-toleration
      spec:
       nodeSelector:
        gpu: no1
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod-without-toleration" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/3 nodes are available: 1 node(s) had untolerated taint {hw: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
      """

  Scenario: PreferNoSchedule steers pods away, but does not forbid the node
    Given a cluster with nodes:
      | name      | labels  | taints                  |
      | k8s-node1 | gpu=no1 | hw=gpu:PreferNoSchedule |
      | k8s-node2 |         |                         |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-anywhere
      spec:
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-gpu
      spec:
        nodeSelector:
          gpu: no1
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    Then pod "pod-anywhere" is scheduled on node "k8s-node2"
    And pod "pod-gpu" is scheduled on node "k8s-node1"
