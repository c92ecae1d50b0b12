Feature: A mistake in the cluster table is reported with its row and cell
  A typo in the table must never be ignored or turned into a default: the step fails and says
  which row and which cell to fix.

  Scenario: An unknown taint effect
    When I try to set up a cluster with nodes:
      | name      | taints         |
      | k8s-node1 |                |
      | k8s-node2 | hw=gpu:NoSched |
    Then the command fails with:
      """
      cluster table row 2 (k8s-node2), column "taints": invalid taint effect: NoSched, unsupported taint effect
      """

  Scenario: An unknown column
    When I try to set up a cluster with nodes:
      | name      | gpus |
      | k8s-node1 | 1    |
    Then the command fails with:
      """
      cluster table: unknown column "gpus"; the columns are: name, labels, taints, cpu, memory, pods, role
      """

  Scenario: A label without a value separator
    When I try to set up a cluster with nodes:
      | name      | labels |
      | k8s-node1 | kr     |
    Then the command fails with:
      """
      cluster table row 1 (k8s-node1), column "labels": "kr" is not key=value
      """

  Scenario: The same node twice
    When I try to set up a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node1 |
    Then the command fails with:
      """
      cluster table row 2 (k8s-node1), column "name": duplicate node name "k8s-node1"
      """
