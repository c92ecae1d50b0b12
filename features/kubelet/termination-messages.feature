Feature: Termination messages
  # The kubelet reads a container's termination message when it exits: the last 4 KiB of the file
  # at terminationMessagePath, or, with `terminationMessagePolicy: FallbackToLogsOnError`, the tail
  # of the log of a container that failed without writing that file (the last 80 lines, at most
  # 2 KiB). Upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A custom terminationMessagePath is read the same way
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: custom-path
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: busybox
          terminationMessagePath: /tmp/my-log
          command: ["sh", "-c", "echo 'config missing' > /tmp/my-log; exit 3"]
      """
    And 10 seconds pass
    Then pod "custom-path" matches:
      """yaml
      status:
        phase: Failed
        containerStatuses:
        - name: app
          state:
            terminated:
              exitCode: 3
              reason: Error
              message: |
                config missing
      """

  Scenario: FallbackToLogsOnError takes the last 80 lines of the log of a failed container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: fallback
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: busybox
          terminationMessagePolicy: FallbackToLogsOnError
          command: ["sh", "-c", "i=1; while [ $i -le 100 ]; do echo line $i; i=$((i+1)); done; exit 1"]
      """
    And 10 seconds pass
    When I run "kubectl get pod fallback -o jsonpath={.status.containerStatuses[0].state.terminated.message}"
    Then the output contains:
      """
      line 21
      line 22
      """
    And the output does not contain:
      """
      line 20
      """
    And the output contains:
      """
      line 100
      """

  Scenario: FallbackToLogsOnError keeps at most the last 2048 bytes of those lines
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: long-lines
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: busybox
          terminationMessagePolicy: FallbackToLogsOnError
          command: ["sh", "-c", "i=1; while [ $i -le 30 ]; do echo \"line $i $(printf '%0100d' 0)\"; i=$((i+1)); done; exit 1"]
      """
    And 10 seconds pass
    When I run "kubectl get pod long-lines -o go-template='{{range .status.containerStatuses}}{{len .state.terminated.message}}{{end}}'"
    Then the output is:
      """
      2048
      """

  Scenario: A container that succeeds, or writes its file, does not fall back to its log
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: no-fallback
      spec:
        restartPolicy: Never
        containers:
        - name: ok
          image: busybox
          terminationMessagePolicy: FallbackToLogsOnError
          command: ["sh", "-c", "echo all good"]
        - name: wrote
          image: busybox
          terminationMessagePolicy: FallbackToLogsOnError
          command: ["sh", "-c", "echo noise; echo 'the reason' > /dev/termination-log; exit 2"]
        - name: file-policy
          image: busybox
          command: ["sh", "-c", "echo noise; exit 2"]
      """
    And 10 seconds pass
    When I run "kubectl get pod no-fallback -o go-template='{{range .status.containerStatuses}}{{.name}}={{.state.terminated.message}};{{end}}'"
    Then the output is:
      """
      file-policy=<no value>;ok=<no value>;wrote=the reason
      ;
      """
