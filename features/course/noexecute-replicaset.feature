# @sim-only: the scenario names the ReplicaSet's pod by its generated name (replica-noexecute-m6rn7),
# which the simulation's seed fixes; a live cluster (and another namespace) generates another.
@epic:Course @feature:NodeScheduling @sim-only
Feature: A NoExecute taint evicts running pods — a ReplicaSet replaces them
  A NoExecute taint acts on pods that already run on the node: a pod that does not tolerate it is
  deleted at once; a pod that tolerates it with `tolerationSeconds` stays that long, then is
  deleted. When the pod belongs to a ReplicaSet, the ReplicaSet no longer counts a pod that is
  being deleted and creates a replacement. The replacement carries the same toleration, so the
  scheduler may well place it on the tainted node again, where it is evicted 30 seconds later.

  Background:
    Given a cluster with nodes:
      | name      | labels |
      | k8s-node1 |        |
      | k8s-node2 | az=2   |

  Scenario: With tolerationSeconds 30 the pod is evicted after 30 s and replaced
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata:
        name: replica-noexecute
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
            nodeSelector:
              az: "2"
            tolerations:
            - effect: NoExecute
              key: out-of-disk
              operator: Exists
              tolerationSeconds: 30
            containers:
            - name: container
              image: kubetm/app
            terminationGracePeriodSeconds: 0
      """
    And 20 seconds pass
    Then replicaset "replica-noexecute" has 1 ready replicas
    When I run "kubectl label nodes k8s-node1 az=2"
    And I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute"
    And 25 seconds pass
    Then pod "replica-noexecute-m6rn7" matches:
      """yaml
      spec:
        nodeName: k8s-node2
      status:
        phase: Running
      """
    When 10 seconds pass
    Then pod "replica-noexecute-m6rn7" no longer exists
    And within 30 seconds replicaset "replica-noexecute" has 1 ready replicas
    When I run "kubectl get events --field-selector reason=TaintManagerEviction"
    Then the output contains:
      """
      Marking for deletion Pod default/replica-noexecute-m6rn7
      """
