Feature: Determine the Reason for Pod Failure
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
  #
  # What a container writes to its terminationMessagePath (/dev/termination-log by default) is
  # its termination message in the pod's status once it exits.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest file "exercises/docs/debug/termination.yaml"

  Scenario: The container sleeps 10 seconds, writes its message and terminates
    When 5 seconds pass
    And I run "kubectl get pod termination-demo"
    Then the output contains:
      """
      termination-demo   1/1     Running   0          5s
      """
    When 10 seconds pass
    Then container "termination-demo-container" of pod "termination-demo" is terminated with reason "Completed"
    And pod "termination-demo" matches:
      """yaml
      status:
        containerStatuses:
        - name: termination-demo-container
          state:
            terminated:
              exitCode: 0
              message: |
                Sleep expired
      """

  Scenario: After the restart the message is in lastState, as the page's YAML shows
    When 30 seconds pass
    Then pod "termination-demo" matches:
      """yaml
      status:
        containerStatuses:
        - name: termination-demo-container
          lastState:
            terminated:
              exitCode: 0
              message: |
                Sleep expired
              reason: Completed
      """
    When I run "kubectl get pod termination-demo --output=yaml"
    Then the output contains:
      """
              message: |
                Sleep expired
      """

  Scenario: A Go template prints only the termination message
    When 30 seconds pass
    And I run "kubectl get pod termination-demo -o go-template='{{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}'"
    Then the output is:
      """
      Sleep expired
      """

  Scenario: jsonpath reads the same field
    When 30 seconds pass
    And I run "kubectl get pod termination-demo -o jsonpath={.status.containerStatuses[0].lastState.terminated.message}"
    Then the output is:
      """
      Sleep expired
      """
