@points:1
Feature: Graded — pod lifecycle
  Feature-level tags apply to every scenario below: each is worth 1 point unless it says otherwise.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  @exercise:lifecycle
  Scenario: The init container completes before the app starts, and the app keeps running
    When I apply the manifest file "exercises/lifecycle/pod-init.yaml"
    Then within 1 minute pod "pod-init" is Running
    And pod "pod-init" stays Running for 2 minutes
    And pod "pod-init" matches:
      """yaml
      status:
        initContainerStatuses:
        - name: setup
          state:
            terminated:
              reason: Completed
      """
