Feature: Define a Command and Arguments for a Container
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
  #
  # `command` replaces the image's ENTRYPOINT and `args` its CMD; `$(VAR)` in them is expanded
  # from the container's environment before the process starts.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: printenv HOSTNAME KUBERNETES_PORT runs and completes
    When I apply the manifest file "exercises/docs/pods/commands.yaml"
    And 10 seconds pass
    And I run "kubectl get pods"
    Then the output contains:
      """
      command-demo   0/1     Completed   0
      """
    When I run "kubectl logs command-demo"
    Then the output is:
      """
      command-demo
      tcp://10.96.0.1:443
      """

  Scenario: An environment variable as an argument
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: message-demo
      spec:
        restartPolicy: OnFailure
        containers:
        - name: c
          image: debian
          env:
          - name: MESSAGE
            value: "hello world"
          command: ["/bin/echo"]
          args: ["$(MESSAGE)"]
      """
    And 10 seconds pass
    When I run "kubectl logs message-demo"
    Then the output is:
      """
      hello world
      """

  Scenario: A command run in a shell
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: shell-demo
      spec:
        containers:
        - name: c
          image: debian
          command: ["/bin/sh"]
          args: ["-c", "while true; do echo hello; sleep 10;done"]
      """
    And 25 seconds pass
    Then pod "shell-demo" is Running
    When I run "kubectl logs shell-demo"
    Then the output is:
      """
      hello
      hello
      hello
      """
