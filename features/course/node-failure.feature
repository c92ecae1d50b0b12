@epic:Course @feature:NodeFailure @parity
Feature: A node fails — the control plane notices, taints it, and the ReplicaSet heals
  A node's kubelet renews its Lease every 10 seconds. When the node goes down, the renewals stop.
  The node lifecycle controller checks every 5 seconds; after the node monitor grace period
  (50 seconds in v1.32) it sets the node's conditions to Unknown, marks its pods not Ready (so
  Services stop sending them traffic) and taints the node `node.kubernetes.io/unreachable` with
  NoSchedule (no new pods) and NoExecute. Every pod tolerates that NoExecute taint for 300 seconds
  (the DefaultTolerationSeconds admission adds the toleration), so five minutes later the taint
  eviction controller deletes the pod. The pod stays `Terminating` — its kubelet is gone and cannot
  confirm — but the ReplicaSet no longer counts it and creates a replacement on a healthy node.
  When the node comes back, its kubelet finishes the old pod and the taints are lifted.

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
        name: replica1
      spec:
        replicas: 1
        selector:
          matchLabels:
            type: web
        template:
          metadata:
            labels:
              type: web
          spec:
            containers:
            - name: container
              image: kubetm/app
      """
    And 30 seconds pass
    Then replicaset "replica1" has 1 ready replicas

  Scenario: The node turns NotReady after the grace period, then its pod is replaced after 300 s
    When node "k8s-node2" goes down and 45 seconds pass
    Then node "k8s-node2" matches:
      """yaml
      status:
        conditions:
        - {type: Ready, status: "True"}
      """
    When 15 seconds pass
    Then node "k8s-node2" matches:
      """yaml
      spec:
        taints:
        - {key: node.kubernetes.io/unreachable, effect: NoExecute}
        - {key: node.kubernetes.io/unreachable, effect: NoSchedule}
      status:
        conditions:
        - type: Ready
          status: Unknown
          reason: NodeStatusUnknown
          message: Kubelet stopped posting node status.
        - {type: MemoryPressure, status: Unknown, reason: NodeStatusUnknown}
      """
    And pod "replica1-ttn55" matches:
      """yaml
      status:
        phase: Running
        conditions:
        - {type: Ready, status: "False"}
      """
    When I run "kubectl get nodes"
    Then the output contains:
      """
      k8s-node2   NotReady   <none>
      """
    When 4 minutes pass
    Then pod "replica1-ttn55" matches:
      """yaml
      status:
        phase: Running
      """
    And within 1 minute a replacement for pod "replica1-ttn55" is Running on another node
    And pod "replica1-ttn55" matches:
      """yaml
      metadata:
        deletionGracePeriodSeconds: 30
      status:
        conditions:
        - type: DisruptionTarget
          status: "True"
          reason: DeletionByTaintManager
          message: "Taint manager: deleting due to NoExecute taint"
      """
    When I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME             READY   STATUS        RESTARTS   AGE     IP           NODE        NOMINATED NODE   READINESS GATES
      replica1-7brvb   1/1     Running       0          3s      10.244.0.2   k8s-node1   <none>           <none>
      replica1-ttn55   1/1     Terminating   0          6m28s   10.244.1.2   k8s-node2   <none>           <none>
      """
    When I run "kubectl get events --field-selector involvedObject.name=replica1-ttn55"
    Then the output contains:
      """
      Marking for deletion Pod default/replica1-ttn55
      """

  Scenario: The node comes back: the old pod is finished and the taints are removed
    When node "k8s-node2" goes down and 6 minutes pass
    And node "k8s-node2" comes back and 30 seconds pass
    Then node "k8s-node2" matches:
      """yaml
      status:
        conditions:
        - {type: Ready, status: "True"}
      """
    When I run "kubectl describe node k8s-node2"
    Then the output contains:
      """
      Taints:             <none>
      """
    And replicaset "replica1" has 1 ready replicas
