Feature: Graded — node selectors and tolerations

  Background:
    Given a cluster with nodes:
      | name      | labels  | taints            |
      | k8s-node1 |         |                   |
      | k8s-node2 | gpu=yes | hw=gpu:NoSchedule |

  @exercise:scheduling @points:2
  Scenario: The GPU pod selects the GPU node and tolerates its taint
    When I apply the manifest file "exercises/scheduling/pod-gpu.yaml"
    And 5 seconds pass
    Then pod "pod-gpu" is scheduled on node "k8s-node2"
    And pod "pod-gpu" runs on a node labelled "gpu=yes"
    And within 30 seconds pod "pod-gpu" is Running
