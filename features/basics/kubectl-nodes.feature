@epic:Basics @feature:kubectl
Feature: kubectl on nodes: get, label, taint, cordon
  The course changes nodes with kubectl before it schedules pods on them: labels for node
  selectors and affinity, taints for tolerations, cordon for maintenance. The simulated kubectl
  prints what kubectl v1.32 prints, AGE included, measured on the simulated clock.

  Background:
    Given a cluster with nodes:
      | name      | role          |
      | k8s-cp    | control-plane |
      | k8s-node1 |               |
      | k8s-node2 |               |

  Scenario: Listing nodes shows their status, roles, age and kubelet version
    When 3 minutes pass
    And I run "kubectl get nodes"
    Then the output is:
      """
      NAME        STATUS   ROLES           AGE   VERSION
      k8s-cp      Ready    control-plane   3m    v1.32.0
      k8s-node1   Ready    <none>          3m    v1.32.0
      k8s-node2   Ready    <none>          3m    v1.32.0
      """

  Scenario: Labelling a node, then changing the label needs --overwrite
    When I run "kubectl label nodes k8s-node1 kr=az-1"
    Then the output is:
      """
      node/k8s-node1 labeled
      """
    When I try to run "kubectl label nodes k8s-node1 kr=az-2"
    Then the command fails with:
      """
      error: 'kr' already has a value (az-1), and --overwrite is false
      """
    When I run "kubectl label nodes k8s-node1 kr=az-2 --overwrite"
    And I run "kubectl get nodes -L kr"
    Then the output is:
      """
      NAME        STATUS   ROLES           AGE   VERSION   KR
      k8s-cp      Ready    control-plane   0s    v1.32.0
      k8s-node1   Ready    <none>          0s    v1.32.0   az-2
      k8s-node2   Ready    <none>          0s    v1.32.0
      """

  Scenario: Removing a label with key-
    Given I run "kubectl label nodes k8s-node2 us=az-1"
    When I run "kubectl label nodes k8s-node2 us-"
    Then the output is:
      """
      node/k8s-node2 unlabeled
      """
    When I run "kubectl label nodes k8s-node2 us-"
    Then the output is:
      """
      label "us" not found.
      node/k8s-node2 not labeled
      """

  Scenario: Selecting nodes by label and showing all labels
    Given I run "kubectl label nodes k8s-node1 gpu=no1"
    When I run "kubectl get nodes -l gpu=no1 --show-labels"
    Then the output is:
      """
      NAME        STATUS   ROLES    AGE   VERSION   LABELS
      k8s-node1   Ready    <none>   0s    v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,gpu=no1,kubernetes.io/arch=amd64,kubernetes.io/hostname=k8s-node1,kubernetes.io/os=linux
      """
    When I run "kubectl get nodes -l gpu=no2"
    Then the output is:
      """
      """

  Scenario: Tainting a node and removing the taint
    When I run "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule"
    Then the output is:
      """
      node/k8s-node1 tainted
      """
    And node "k8s-node1" matches:
      """yaml
      spec:
        taints:
        - {key: hw, value: gpu, effect: NoSchedule}
      """
    When I try to run "kubectl taint nodes k8s-node1 hw=cpu:NoSchedule"
    Then the command fails with:
      """
      error: node k8s-node1 already has hw taint(s) with same effect(s) and --overwrite is false
      """
    When I run "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule-"
    Then the output is:
      """
      node/k8s-node1 untainted
      """
    When I try to run "kubectl taint nodes k8s-node1 hw=gpu:NoSchedule-"
    Then the command fails with:
      """
      error: taint "hw:NoSchedule" not found
      """

  Scenario: A taint needs a known effect
    When I try to run "kubectl taint nodes k8s-node1 hw=gpu:NoSched"
    Then the command fails with:
      """
      error: invalid taint effect: NoSched, unsupported taint effect
      """

  Scenario: Removing every taint of a key with key-
    Given I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoExecute"
    And I run "kubectl taint nodes k8s-node2 out-of-disk=True:NoSchedule"
    When I run "kubectl taint nodes k8s-node2 out-of-disk-"
    Then the output is:
      """
      node/k8s-node2 untainted
      """
    When I run "kubectl get node k8s-node2 -o jsonpath={.spec.taints}"
    Then the output is:
      """
      """

  Scenario: Cordoning a node marks it SchedulingDisabled
    When I run "kubectl cordon k8s-node2"
    Then the output is:
      """
      node/k8s-node2 cordoned
      """
    When I run "kubectl cordon k8s-node2"
    Then the output is:
      """
      node/k8s-node2 already cordoned
      """
    When I run "kubectl get nodes k8s-node2"
    Then the output is:
      """
      NAME        STATUS                     ROLES    AGE   VERSION
      k8s-node2   Ready,SchedulingDisabled   <none>   0s    v1.32.0
      """
    When I run "kubectl uncordon k8s-node2"
    Then the output is:
      """
      node/k8s-node2 uncordoned
      """
