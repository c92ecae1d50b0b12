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

  Scenario: The command and arguments cannot be changed after the pod is created
    When I apply the manifest file "exercises/docs/pods/commands.yaml"
    And I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: command-demo
        labels:
          purpose: demonstrate-command
      spec:
        containers:
        - name: command-demo-container
          image: debian
          command: ["printenv"]
          args: ["HOSTNAME"]
        restartPolicy: OnFailure
      """
    Then the command fails with:
      """
      Pod "command-demo" is invalid: spec: Forbidden: pod updates may not change fields other than
      """

  Scenario Outline: The Notes' rules for command and args over the image's Entrypoint and Cmd: <case>
    # The page's table uses an imaginary image (Entrypoint [/ep-1], Cmd [foo bar]). Kubernetes' own
    # conformance tests (test/e2e/common/node/containers.go) check the same rules with agnhost,
    # whose Entrypoint is [/agnhost] and Cmd [pause]; its entrypoint-tester prints the command line
    # it was started with, and /agnhost-2 is a link to the same binary.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: entrypoint-demo
      spec:
        restartPolicy: Never
        containers:
        - name: c
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          <command>
          <args>
      """
    And 20 seconds pass
    And I run "kubectl logs entrypoint-demo"
    Then the output is:
      """
      <command run>
      """

    Examples:
      | case                                        | command                                      | args                                                | command run                                       |
      | command and args not set: the image's own   | # no command                                 | # no args                                           | Paused                                            |
      | command only: Entrypoint and Cmd ignored    | command: ["/agnhost-2", "entrypoint-tester"] | # no args                                           | [/agnhost-2 entrypoint-tester]                    |
      | args only: the image's Entrypoint runs them | # no command                                 | args: ["entrypoint-tester", "override", "arguments"] | [/agnhost entrypoint-tester override arguments]   |
      | command and args: both yours                | command: ["/agnhost-2"]                      | args: ["entrypoint-tester", "override", "arguments"] | [/agnhost-2 entrypoint-tester override arguments] |
