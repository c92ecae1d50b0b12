Feature: Restrict a Container's Syscalls with seccomp
  # Source: https://kubernetes.io/docs/tutorials/security/seccomp/
  #
  # The page's kind cluster mounts the reader's ./profiles directory at
  # /var/lib/kubelet/seccomp/profiles on its node (pods/security/seccomp/kind.yaml); here the
  # page's three profiles are written there on the node. It then runs http-echo Pods under the
  # runtime's default profile, under audit.json (SCMP_ACT_LOG: every syscall allowed and logged),
  # under violation.json (SCMP_ACT_ERRNO for every syscall: runc's own init is refused, the
  # container cannot start and goes into CrashLoopBackOff) and under fine-grained.json (only the
  # syscalls http-echo makes). Not here: the kernel's audit lines the page reads in the host's
  # /var/log/syslog (the simulation does not write them, docs/divergences.md), and the page's
  # `curl` to the NodePort, since http-echo is not modelled (it runs as kube-scenario's generic
  # process: docs/images.md).

  Background:
    Given a cluster with nodes:
      | name               | role          |
      | kind-control-plane | control-plane |
    And I run "kubectl taint nodes kind-control-plane node-role.kubernetes.io/control-plane:NoSchedule-"
    # The page's profiles/ (audit.json, violation.json, fine-grained.json), where kind.yaml mounts them.
    And I run on node "kind-control-plane":
      """
      mkdir -p /var/lib/kubelet/seccomp/profiles
      cd /var/lib/kubelet/seccomp/profiles
      cat > audit.json <<EOF
      {
          "defaultAction": "SCMP_ACT_LOG"
      }
      EOF
      cat > violation.json <<EOF
      {
          "defaultAction": "SCMP_ACT_ERRNO"
      }
      EOF
      cat > fine-grained.json <<EOF
      {
          "defaultAction": "SCMP_ACT_ERRNO",
          "architectures": [
              "SCMP_ARCH_X86_64",
              "SCMP_ARCH_X86",
              "SCMP_ARCH_X32"
          ],
          "syscalls": [
              {
                  "names": [
                      "accept4",
                      "epoll_wait",
                      "pselect6",
                      "futex",
                      "madvise",
                      "epoll_ctl",
                      "getsockname",
                      "setsockopt",
                      "vfork",
                      "mmap",
                      "read",
                      "write",
                      "close",
                      "arch_prctl",
                      "sched_getaffinity",
                      "munmap",
                      "brk",
                      "rt_sigaction",
                      "rt_sigprocmask",
                      "sigaltstack",
                      "gettid",
                      "clone",
                      "bind",
                      "socket",
                      "openat",
                      "readlinkat",
                      "exit_group",
                      "epoll_create1",
                      "listen",
                      "rt_sigreturn",
                      "sched_yield",
                      "clock_gettime",
                      "connect",
                      "dup2",
                      "epoll_pwait",
                      "execve",
                      "exit",
                      "fcntl",
                      "getpid",
                      "getuid",
                      "ioctl",
                      "mprotect",
                      "nanosleep",
                      "open",
                      "poll",
                      "recvfrom",
                      "sendto",
                      "set_tid_address",
                      "setitimer",
                      "writev",
                      "fstatfs",
                      "getdents64",
                      "pipe2",
                      "getrlimit"
                  ],
                  "action": "SCMP_ACT_ALLOW"
              }
          ]
      }
      EOF
      """

  Scenario: The profiles are where the kubelet reads them
    When I run "ls /var/lib/kubelet/seccomp/profiles" on node "kind-control-plane"
    Then the output is:
      """
      audit.json
      fine-grained.json
      violation.json
      """

  Scenario: The runtime's default profile
    When I run "kubectl apply -f https://k8s.io/examples/pods/security/seccomp/ga/default-pod.yaml"
    And 20 seconds pass
    And I run "kubectl get pod default-pod"
    Then the output is:
      """
      NAME          READY   STATUS    RESTARTS   AGE
      default-pod   1/1     Running   0          20s
      """

  Scenario: The audit profile allows every syscall
    When I run "kubectl apply -f https://k8s.io/examples/pods/security/seccomp/ga/audit-pod.yaml"
    And 30 seconds pass
    And I run "kubectl get pod/audit-pod"
    Then the output is:
      """
      NAME        READY   STATUS    RESTARTS   AGE
      audit-pod   1/1     Running   0          30s
      """

  Scenario: The violation profile refuses every syscall: the container cannot start
    # runc loads the filter in its own init process, which then cannot open the exec FIFO or call
    # execve: containerd's start finds the process gone and leaves the container exited (StartError,
    # exit code 128). The kubelet restarts it once at once, then backs off: the STATUS column
    # alternates RunContainerError (the last start's error) and CrashLoopBackOff, as the page shows.
    # The page's "CrashLoopBackOff 1 6s" is its kubelet's jittered retry; here the back-off's
    # 10 s, 20 s ... are exact (docs/divergences.md, "Sync timing is deterministic").
    When I run "kubectl apply -f https://k8s.io/examples/pods/security/seccomp/ga/violation-pod.yaml"
    And I run "kubectl get pod violation-pod --watch" in a second terminal
    And 40 seconds pass
    And I stop the second terminal
    Then the output is:
      """
      NAME            READY   STATUS              RESTARTS   AGE
      violation-pod   0/1     ContainerCreating   0          0s
      violation-pod   0/1     RunContainerError   0          2s
      violation-pod   0/1     RunContainerError   1 (1s ago)   3s
      violation-pod   0/1     CrashLoopBackOff    1 (10s ago)   12s
      violation-pod   0/1     RunContainerError   2 (1s ago)    13s
      violation-pod   0/1     CrashLoopBackOff    2 (11s ago)   23s
      violation-pod   0/1     RunContainerError   3 (1s ago)    33s
      """
    When I run "kubectl get pod violation-pod -o jsonpath={.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}/{.status.containerStatuses[0].lastState.terminated.startedAt}"
    Then the output is:
      """
      StartError/128/1970-01-01T00:00:00Z
      """
    And the events of pod "violation-pod" contain:
      """
      Warning Failed Error: failed to start containerd task "9eaa4ddb572def3a0b73711c6d1c4ce99d7fa04bd0cb97de6a524494175ab57d": cannot start a stopped process: unknown
      Normal Created Created container: test-container
      """

  Scenario: A profile the node does not have: the container is not created
    # Among the page's objectives ("Observe behavior when a missing profile is specified"): the
    # audit Pod pointed at a file that is not in profiles/. containerd reads the file when it
    # creates the container.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: missing-pod
      spec:
        securityContext:
          seccompProfile:
            type: Localhost
            localhostProfile: profiles/missing.json
        containers:
        - name: test-container
          image: hashicorp/http-echo:1.0
          args:
          - "-text=just made some syscalls!"
          securityContext:
            allowPrivilegeEscalation: false
      """
    And 20 seconds pass
    And I run "kubectl get pod missing-pod"
    Then the output is:
      """
      NAME          READY   STATUS                 RESTARTS   AGE
      missing-pod   0/1     CreateContainerError   0          20s
      """
    And the events of pod "missing-pod" contain:
      """
      Warning Failed Error: failed to create containerd container: cannot load seccomp profile "/var/lib/kubelet/seccomp/profiles/missing.json": open /var/lib/kubelet/seccomp/profiles/missing.json: no such file or directory
      """

  Scenario: The fine-grained profile allows what http-echo needs
    When I run "kubectl apply -f https://k8s.io/examples/pods/security/seccomp/ga/fine-pod.yaml"
    And 30 seconds pass
    And I run "kubectl get pod fine-pod"
    Then the output is:
      """
      NAME       READY   STATUS    RESTARTS   AGE
      fine-pod   1/1     Running   0          30s
      """
