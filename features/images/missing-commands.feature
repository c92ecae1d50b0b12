@epic:Images @feature:ImageCommands
Feature: An image has only the commands its Dockerfile put there
  # Source: https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/
  # (the page installs what the nginx image lacks: `apt-get install -y tcpdump lsof procps`) and
  # https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/ (a container's
  # image "may not include a shell or the debugging tools you need"). Which programs each image
  # has is the image's own (docs/images.md, "Which commands an image has"): ubuntu and debian bring
  # no curl, wget or nslookup; busybox brings wget and nslookup but no curl; nginx brings curl.
  # A command the image lacks fails as the image's shell says it, with exit code 127.

  Background:
    Given a cluster with nodes:
      | name        |
      | kind-worker |

  Scenario: ubuntu has no curl until apt-get installs it
    # apt-get reaches the Ubuntu archive: the simulated cluster has no Internet, so the scenario
    # declares the archive's hosts.
    Given the external host "archive.ubuntu.com" answers:
      """yaml
      """
    And the external host "security.ubuntu.com" answers:
      """yaml
      """
    When I run "kubectl create deployment web --image=nginx:1.27"
    And I run "kubectl expose deployment web --port=80"
    And I run "kubectl run ubuntu --image=ubuntu:22.04 -- sleep infinity"
    Then within 1 minute pod "ubuntu" is Running
    When I try to run "kubectl exec ubuntu -- bash -c 'curl -s http://web'"
    Then the command fails with:
      """
      bash: line 1: curl: command not found
      command terminated with exit code 127
      """
    # `which` and `command -v` find nothing either; ps is procps', which ubuntu has.
    When I run "kubectl exec ubuntu -- bash -c 'which curl wget nslookup ps; command -v curl || echo no curl'"
    Then the output is:
      """
      /usr/bin/ps
      no curl
      """
    When I run "kubectl exec ubuntu -- bash -c 'apt-get update > /dev/null && apt-get install -y curl > /dev/null && which curl'"
    Then the output is:
      """
      /usr/bin/curl
      """
    When I run "kubectl exec ubuntu -- curl -s http://web"
    Then the output contains:
      """
      <title>Welcome to nginx!</title>
      """

  Scenario: busybox has wget but not curl; debian has neither, and dash says so its own way
    When I run "kubectl create deployment web --image=nginx:1.27"
    And I run "kubectl expose deployment web --port=80"
    And I run "kubectl run bb --image=busybox:1.36 -- sleep 3600"
    And I run "kubectl run deb --image=debian:bookworm -- sleep 3600"
    Then within 1 minute pod "bb" is Running
    And within 1 minute pod "deb" is Running
    When I try to run "kubectl exec bb -- sh -c 'curl -s http://web'"
    Then the command fails with:
      """
      sh: curl: not found
      command terminated with exit code 127
      """
    When I run "kubectl exec bb -- sh -c 'wget -qO- http://web | grep title'"
    Then the output is:
      """
      <title>Welcome to nginx!</title>
      """
    When I try to run "kubectl exec deb -- sh -c 'wget -qO- http://web'"
    Then the command fails with:
      """
      sh: 1: wget: not found
      command terminated with exit code 127
      """
    # The nginx image itself has curl (docker-nginx installs it since 1.17.10).
    When I run "kubectl exec deploy/web -- curl -s -o /dev/null -w '%{http_code}\n' http://localhost"
    Then the output is:
      """
      200
      """

  Scenario: A container whose command the image lacks does not start
    # debian has no procps: `ps` is not on its PATH, so the runtime cannot start the container.
    When I run "kubectl run ps --image=debian:bookworm --restart=Never -- ps aux"
    And 30 seconds pass
    And I run "kubectl get pod ps"
    Then the output is:
      """
      NAME   READY   STATUS       RESTARTS   AGE
      ps     0/1     StartError   0          30s
      """
    When I run "kubectl get pod ps -o jsonpath={.status.containerStatuses[0].state.terminated.message}"
    Then the output contains:
      """
      exec: "ps": executable file not found in $PATH: unknown
      """

  Scenario: Under restartPolicy Always the container that cannot start crash-loops
    # The kubelet restarts it as any container that exited: containerd left it exited with reason
    # StartError and exit code 128 (it never started: its Started time is the epoch), and the
    # restarts back off 10 s, 20 s ... from the last failure. STATUS alternates the last start's
    # error (RunContainerError) and the back-off (CrashLoopBackOff); every attempt is Created, then
    # Failed.
    When I run "kubectl run ps --image=debian:bookworm -- ps aux"
    And I run "kubectl get pod ps --watch" in a second terminal
    And 40 seconds pass
    And I stop the second terminal
    Then the output is:
      """
      NAME   READY   STATUS              RESTARTS   AGE
      ps     0/1     ContainerCreating   0          0s
      ps     0/1     RunContainerError   0          2s
      ps     0/1     RunContainerError   1 (1s ago)   3s
      ps     0/1     CrashLoopBackOff    1 (10s ago)   12s
      ps     0/1     RunContainerError   2 (1s ago)    13s
      ps     0/1     CrashLoopBackOff    2 (11s ago)   23s
      ps     0/1     RunContainerError   3 (1s ago)    33s
      """
    When I run "kubectl describe pod ps"
    Then the output contains:
      """
          State:          Waiting
            Reason:       RunContainerError
          Last State:     Terminated
            Reason:       StartError
            Message:      failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "ps": executable file not found in $PATH: unknown
            Exit Code:    128
            Started:      Thu, 01 Jan 1970 00:00:00 +0000
            Finished:     Mon, 08 Jan 2024 00:00:32 +0000
          Ready:          False
          Restart Count:  3
      """
    And the output contains:
      """
        Normal   Created    8s (x4 over 38s)  kubelet            Created container: ps
        Warning  Failed     8s (x4 over 38s)  kubelet            Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "ps": executable file not found in $PATH: unknown
        Normal   Pulled     8s (x3 over 38s)  kubelet            Container image "debian:bookworm" already present on machine
      """
