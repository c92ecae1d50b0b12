@epic:Basics @feature:Cluster
Feature: Describing a cluster and applying manifests
  A scenario starts from a cluster table: each row is a node, Ready, with the labels, taints and
  capacity you give it. Manifests are applied as `kubectl apply -f` applies them, and every object
  can be checked with a partial match of its YAML.

  Scenario: Nodes from the table are Ready and carry the standard labels
    Given a cluster with nodes:
      | name      | labels          | taints            | cpu | memory | pods |
      | k8s-node1 | kr=az-1,gpu=no1 | hw=gpu:NoSchedule | 4   | 8Gi    | 110  |
      | k8s-node2 | us=az-1         |                   |     |        |      |
    Then node "k8s-node1" matches:
      """yaml
      metadata:
        labels:
          kr: az-1
          gpu: no1
          kubernetes.io/hostname: k8s-node1
          kubernetes.io/os: linux
          kubernetes.io/arch: amd64
      spec:
        taints:
        - {key: hw, value: gpu, effect: NoSchedule}
      status:
        capacity: {cpu: "4", memory: 8Gi, pods: "110"}
        allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
        conditions:
        - type: Ready
          status: "True"
          reason: KubeletReady
          message: kubelet is posting ready status
      """
    And node "k8s-node2" matches:
      """yaml
      metadata:
        labels: {us: az-1, kubernetes.io/hostname: k8s-node2}
      status:
        capacity: {cpu: "4", memory: 8Gi, pods: "110"}
      """

  Scenario: The clock starts where the scenario says and the nodes renew their leases
    Given the time is "2019-09-26T22:07:56Z"
    And a cluster with nodes:
      | name      |
      | k8s-node1 |
    When 35 seconds pass
    Then node "k8s-node1" matches:
      """yaml
      metadata:
        creationTimestamp: "2019-09-26T22:07:56Z"
      """
    And lease "k8s-node1" in namespace "kube-node-lease" matches:
      """yaml
      spec:
        holderIdentity: k8s-node1
        leaseDurationSeconds: 40
        renewTime: "2019-09-26T22:08:26.000000Z"
      """

  Scenario: Applying a manifest twice reports it unchanged
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/basics/configmap.yaml"
    Then the output is:
      """
      configmap/course-settings created
      """
    When I run "kubectl apply -f exercises/basics/configmap.yaml"
    Then the output is:
      """
      configmap/course-settings unchanged
      """
    And configmap "course-settings" matches:
      """yaml
      data:
        chapter: pod-lifecycle
      """
