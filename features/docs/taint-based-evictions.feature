Feature: Taints and Tolerations: taint based evictions
  # Source: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions
  #
  # When a node stops reporting, the node controller taints it node.kubernetes.io/unreachable with
  # NoExecute, and the taint eviction controller deletes its pods once their toleration of that
  # taint runs out: 300 seconds for the toleration Kubernetes adds to every pod, 6000 for the
  # page's example toleration. Two nodes: with a single node down the zone is fully disrupted and
  # the node controller evicts nothing (as upstream). The pods are ours, pinned to node1; a pod
  # deleted on a node that no longer answers stays Terminating, since no kubelet confirms it.

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |
      | node2 |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: stays
      spec:
        nodeSelector:
          kubernetes.io/hostname: node1
        containers:
        - name: nginx
          image: nginx
        tolerations:
        - key: "node.kubernetes.io/unreachable"
          operator: "Exists"
          effect: "NoExecute"
          tolerationSeconds: 6000
      """
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: leaves
      spec:
        nodeSelector:
          kubernetes.io/hostname: node1
        containers:
        - name: nginx
          image: nginx
      """
    And 30 seconds pass

  Scenario: Kubernetes adds its not-ready toleration beside the pod's own unreachable toleration
    Then pod "stays" matches:
      """yaml
      spec:
        tolerations:
        - key: node.kubernetes.io/unreachable
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 6000
        - key: node.kubernetes.io/not-ready
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
      """
    And pod "leaves" matches:
      """yaml
      spec:
        tolerations:
        - key: node.kubernetes.io/not-ready
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
        - key: node.kubernetes.io/unreachable
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
      """

  Scenario: An unreachable node is tainted; its pods are deleted when their toleration runs out
    When node "node1" goes down
    And 2 minutes pass
    And I run "kubectl get node node1 -o jsonpath='{range .spec.taints[*]}{.key}:{.effect}{\"\n\"}{end}'"
    # Both taints; their order is a race between the node controller's two tainting passes.
    Then the output contains:
      """
      node.kubernetes.io/unreachable:NoExecute
      """
    And the output contains:
      """
      node.kubernetes.io/unreachable:NoSchedule
      """
    When 5 minutes pass
    And I run "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}: {{if .metadata.deletionTimestamp}}deleted{{else}}bound{{end}}{{println}}{{end}}'"
    Then the output is:
      """
      leaves: deleted
      stays: bound
      """
    And the events of pod "leaves" contain:
      """
      Normal TaintManagerEviction Marking for deletion Pod default/leaves
      """
    When 100 minutes pass
    And I run "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}: {{if .metadata.deletionTimestamp}}deleted{{else}}bound{{end}}{{println}}{{end}}'"
    Then the output is:
      """
      leaves: deleted
      stays: deleted
      """

  Scenario: A node that comes back before the toleration runs out keeps its pods
    When node "node1" goes down
    And 3 minutes pass
    And node "node1" comes back
    And 10 minutes pass
    Then pod "leaves" is Running
    And pod "stays" is Running
    When I run "kubectl get node node1 -o jsonpath={.spec.taints}"
    Then the output is:
      """
      """
