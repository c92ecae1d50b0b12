Feature: Scheduling — node selectors and tolerations
  The GPU node is labelled gpu=yes and tainted hw=gpu:NoSchedule: a pod lands there only if it
  selects the node and tolerates its taint.
  Exercise: exercises/scheduling/pod-gpu.yaml

  Background:
    Given a cluster with nodes:
      | name      | labels  | taints            |
      | k8s-node1 |         |                   |
      | k8s-node2 | gpu=yes | hw=gpu:NoSchedule |

  Scenario: The GPU pod goes to the GPU node
    When I apply the manifest file "exercises/scheduling/pod-gpu.yaml"
    And 5 seconds pass
    Then pod "pod-gpu" is scheduled on node "k8s-node2"
    # A step of the course's own (steps/course.steps.mjs):
    And pod "pod-gpu" runs on a node labelled "gpu=yes"
