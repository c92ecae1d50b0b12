Feature: Pod lifecycle — init containers run before the app
  A pod is Pending while its images are pulled and its init containers run, one after the other
  and each to completion; then its containers start and it is Running.
  Exercise: exercises/lifecycle/pod-init.yaml

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The pod is Pending first, then Running once its init container has completed
    When I apply the manifest file "exercises/lifecycle/pod-init.yaml"
    Then pod "pod-init" is Pending
    And within 1 minute pod "pod-init" is Running
    And pod "pod-init" matches:
      """yaml
      status:
        initContainerStatuses:
        - name: setup
          state:
            terminated:
              reason: Completed
              exitCode: 0
      """
