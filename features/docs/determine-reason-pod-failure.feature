Feature: Determine the Reason for Pod Failure
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
  #
  # What a container writes to its terminationMessagePath (/dev/termination-log by default) is
  # its termination message in the pod's status once it exits. The page's "Customizing the
  # termination message" section gives msg-path-demo (used verbatim below) and states limits
  # without an example: messages cut to 4096 bytes, 12KiB shared by all the containers, and
  # FallbackToLogsOnError's 80 lines / 2048 bytes. The pods that show those limits are ours.

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

  Scenario: In a multi-container pod, a Go template names the container of each message
    # The page's go-template for a pod of several containers; the pod is ours (the page names no manifest).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: multi-container-pod
      spec:
        containers:
        - name: checker
          image: debian
          command: ["/bin/sh", "-c", "sleep 5 && echo 'checksum mismatch' > /dev/termination-log && exit 1"]
        - name: writer
          image: debian
          command: ["/bin/sh", "-c", "sleep 5 && echo 'Sleep expired' > /dev/termination-log"]
      """
    And 30 seconds pass
    And I run "kubectl get pod multi-container-pod -o go-template='{{range .status.containerStatuses}}{{printf \"%s:\n%s\n\n\" .name .lastState.terminated.message}}{{end}}'"
    Then the output is:
      """
      checker:
      checksum mismatch


      writer:
      Sleep expired



      """

  Scenario: A custom terminationMessagePath (the page's msg-path-demo) cannot be changed once the pod exists
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: msg-path-demo
      spec:
        containers:
        - name: msg-path-demo-container
          image: debian
          terminationMessagePath: "/tmp/my-log"
      """
    And I run "kubectl get pod msg-path-demo -o jsonpath={.spec.containers[0].terminationMessagePath}"
    Then the output is:
      """
      /tmp/my-log
      """
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: msg-path-demo
      spec:
        containers:
        - name: msg-path-demo-container
          image: debian
          terminationMessagePath: "/tmp/other-log"
      """
    Then the command fails with:
      """
      Pod "msg-path-demo" is invalid: spec: Forbidden: pod updates may not change fields other than
      """

  Scenario: A container writes its message to /tmp/my-log and Kubernetes retrieves it from there
    # msg-path-demo with a command that writes both files (the page's manifest has none).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: msg-path-demo
      spec:
        restartPolicy: Never
        containers:
        - name: msg-path-demo-container
          image: debian
          terminationMessagePath: "/tmp/my-log"
          command: ["/bin/sh", "-c", "echo 'written to /tmp/my-log' > /tmp/my-log; echo 'not read' > /dev/termination-log"]
      """
    And 10 seconds pass
    And I run "kubectl get pod msg-path-demo -o go-template='{{range .status.containerStatuses}}{{.state.terminated.message}}{{end}}'"
    Then the output is:
      """
      written to /tmp/my-log

      """

  Scenario: The kubelet truncates a message longer than 4096 bytes
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: long-message
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: debian
          command: ["/bin/sh", "-c", "printf '%05000d' 0 > /dev/termination-log"]
      """
    And 10 seconds pass
    And I run "kubectl get pod long-message -o go-template='{{range .status.containerStatuses}}{{len .state.terminated.message}}{{end}}'"
    Then the output is:
      """
      4096
      """

  Scenario: 12 containers share 12KiB: each message keeps 1024 bytes
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: twelve
      spec:
        restartPolicy: Never
        initContainers:
        - {name: init-1, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 1 > /dev/termination-log"]}
        - {name: init-2, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 2 > /dev/termination-log"]}
        containers:
        - {name: c01, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 1 > /dev/termination-log"]}
        - {name: c02, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 2 > /dev/termination-log"]}
        - {name: c03, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 3 > /dev/termination-log"]}
        - {name: c04, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 4 > /dev/termination-log"]}
        - {name: c05, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 5 > /dev/termination-log"]}
        - {name: c06, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 6 > /dev/termination-log"]}
        - {name: c07, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 7 > /dev/termination-log"]}
        - {name: c08, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 8 > /dev/termination-log"]}
        - {name: c09, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 9 > /dev/termination-log"]}
        - {name: c10, image: debian, command: ["/bin/sh", "-c", "printf '%03000d' 10 > /dev/termination-log"]}
      """
    And 30 seconds pass
    And I run "kubectl get pod twelve -o go-template='{{range .status.initContainerStatuses}}{{.name}}={{len .state.terminated.message}} {{end}}{{range .status.containerStatuses}}{{.name}}={{len .state.terminated.message}} {{end}}'"
    Then the output is:
      """
      init-1=1024 init-2=1024 c01=1024 c02=1024 c03=1024 c04=1024 c05=1024 c06=1024 c07=1024 c08=1024 c09=1024 c10=1024 
      """

  Scenario: FallbackToLogsOnError: an empty message file and an error exit give the log's last 80 lines
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: fallback-demo
      spec:
        restartPolicy: Never
        containers:
        - name: app
          image: debian
          terminationMessagePolicy: FallbackToLogsOnError
          command: ["/bin/bash", "-c", "for i in $(seq 1 100); do echo \"step $i\"; done; exit 1"]
      """
    And 10 seconds pass
    And I run "kubectl get pod fallback-demo -o go-template='{{range .status.containerStatuses}}{{printf \"%.8s\" .state.terminated.message}}|{{.state.terminated.reason}}{{end}}'"
    Then the output is:
      """
      step 21
      |Error
      """
