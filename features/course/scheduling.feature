@epic:Course @feature:NodeScheduling @parity
Feature: Pod - Node Scheduling: choosing a node (NodeName, NodeSelector, NodeAffinity)
  The scheduler places every pod that has no node yet. A pod can name its node directly
  (nodeName), ask for node labels (nodeSelector), or use node affinity: `required` terms must
  match, `preferred` terms only add to a node's score, weighted by `weight`.
  The course's lab has two nodes, labelled with the notes' commands.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl label nodes k8s-node1 kr=az-1"
    And I run "kubectl label nodes k8s-node2 us=az-1"

  Scenario: NodeName puts the pod on that node without asking the scheduler
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-node-name
      spec:
        nodeName: k8s-node2
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    Then pod "pod-node-name" is scheduled on node "k8s-node2"

  Scenario: matchExpressions with Exists picks the node that has the key
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod-match-expressions1
      spec:
       affinity:
        nodeAffinity:
         requiredDuringSchedulingIgnoredDuringExecution:  # required는 사실 이렇게 이름이 긴 속성
          nodeSelectorTerms:
          - matchExpressions:
            -  {key: kr, operator: Exists} # 여러 개의 matchExpressions를 달 수가 있다, 키가 KR인 라벨이 달려있는 노드에 할당
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod-match-expressions1" is scheduled on node "k8s-node1"
    And pod "pod-match-expressions1" matches:
      """yaml
      status:
        conditions:
        - type: PodScheduled
          status: "True"
      """

  Scenario: required affinity no node satisfies: the pod stays Pending
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-required
      spec:
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
                - matchExpressions:
                    - {key: ch, operator: Exists}
        containers:
          - name: container
            image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    And 10 seconds pass
    Then pod "pod-required" is not scheduled
    And pod "pod-required" matches:
      """yaml
      status:
        phase: Pending
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
      """
    And pod "pod-required" is pending because:
      | node      | reason                                           |
      | k8s-node1 | node(s) didn't match Pod's node affinity/selector |
      | k8s-node2 | node(s) didn't match Pod's node affinity/selector |

  Scenario: preferred affinity no node satisfies: the pod is placed anyway
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
       name: pod-preferred
      spec:
       affinity:
        nodeAffinity:
         preferredDuringSchedulingIgnoredDuringExecution: # preferred가 붙은 긴 이름의 속성
          - weight: 1 # weight 속성
            preference:
             matchExpressions: # 이 위에 required 속성과 살짝 구조가 틀리기 때문에 만들 때 주의가 필요
             - {key: ch, operator: Exists}
       containers:
       - name: container
         image: kubetm/app
       terminationGracePeriodSeconds: 0
      """
    Then pod "pod-preferred" is scheduled on one of nodes "k8s-node1, k8s-node2"

  Scenario: weights decide between two preferred nodes
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-weights
      spec:
        affinity:
          nodeAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 10
              preference:
                matchExpressions:
                - {key: kr, operator: Exists}
            - weight: 50
              preference:
                matchExpressions:
                - {key: us, operator: Exists}
        containers:
        - name: container
          image: kubetm/app
        terminationGracePeriodSeconds: 0
      """
    Then pod "pod-weights" is scheduled on node "k8s-node2"
