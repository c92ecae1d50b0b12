@epic:Docs @feature:Sysctls
Feature: Using sysctls in a Kubernetes Cluster
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
  #
  # A Pod sets namespaced kernel parameters in spec.securityContext.sysctls. The kubelet admits a
  # Pod only when every sysctl it names is safe (pkg/kubelet/sysctl/safe_sysctls.go: the v1.32
  # list, the kernel-gated ones included on the node's 6.1 kernel) or allowed with the kubelet's
  # --allowed-unsafe-sysctls flag; a kind node's kubelet allows no unsafe sysctl, so the page's
  # example, which sets the safe kernel.shm_rmid_forced and the unsafe net.core.somaxconn and
  # kernel.msgmax, "will be scheduled, but will fail to launch": the kubelet rejects it
  # (allowlist.go: reason SysctlForbidden). The page's YAML ends in `...`: here it gets a busybox
  # container. Not here: `sudo sysctl -a` on the reader's machine, the kubelet flag and minikube's
  # --extra-config (a scenario's nodes are kind's, the flag is not set), and the PodSecurityPolicy
  # section (removed in v1.25: Pod Security's baseline level checks sysctls instead, last scenario).
  # The values are not applied to the containers' /proc/sys (docs/divergences.md).

  Background:
    Given a cluster with nodes:
      | name        |
      | kind-worker |

  Scenario: The page's example is scheduled, but the kubelet refuses its unsafe sysctls
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: sysctl-example
      spec:
        securityContext:
          sysctls:
          - name: kernel.shm_rmid_forced
            value: "0"
          - name: net.core.somaxconn
            value: "1024"
          - name: kernel.msgmax
            value: "65536"
        containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    And 5 seconds pass
    And I run "kubectl get pod sysctl-example"
    Then the output is:
      """
      NAME             READY   STATUS            RESTARTS   AGE
      sysctl-example   0/1     SysctlForbidden   0          5s
      """
    # The kubelet's rejectPod: phase Failed, its reason, the admit handler's message, and an Event.
    When I run "kubectl get pod sysctl-example -o jsonpath={.status.phase}/{.status.reason}/{.status.message}"
    Then the output is:
      """
      Failed/SysctlForbidden/Pod was rejected: forbidden sysctl: "net.core.somaxconn" not allowlisted
      """
    When I run "kubectl get events --field-selector reason=SysctlForbidden"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON            OBJECT               MESSAGE
      5s          Warning   SysctlForbidden   pod/sysctl-example   forbidden sysctl: "net.core.somaxconn" not allowlisted
      """

  Scenario: Safe sysctls need no flag
    # The v1.32 safe set: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
    # net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, and
    # on kernels new enough (the node runs 6.1) net.ipv4.ip_local_reserved_ports,
    # net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes,
    # tcp_rmem and tcp_wmem.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: safe-sysctls
      spec:
        securityContext:
          sysctls:
          - name: kernel.shm_rmid_forced
            value: "1"
          - name: net.ipv4.ip_local_port_range
            value: "32768 60999"
          - name: net.ipv4.tcp_keepalive_time
            value: "600"
          - name: net.ipv4.tcp_rmem
            value: "4096 87380 6291456"
        containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    Then within 1 minute pod "safe-sysctls" is Running

  Scenario: Only namespaced sysctls, and none of a namespace the Pod shares with the host
    # "Only namespaced sysctls are configurable via the pod securityContext": the API server refuses
    # a net.* sysctl in a Pod on the host's network, and a kernel.shm*/kernel.msg*/kernel.sem one
    # in a Pod with hostIPC (validateSysctls). A node-level sysctl passes validation: the kubelet
    # refuses it, as it refuses any sysctl it was not told to allow.
    When I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: host-net
      spec:
        hostNetwork: true
        securityContext:
          sysctls:
          - name: net.core.somaxconn
            value: "1024"
        containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    Then the command fails with:
      """
      The Pod "host-net" is invalid: spec.securityContext.sysctls[0].name: Invalid value: "net.core.somaxconn": may not be specified when 'hostNetwork' is true
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: node-level
      spec:
        securityContext:
          sysctls:
          - name: vm.swappiness
            value: "10"
        containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    And 5 seconds pass
    And I run "kubectl get pod node-level -o jsonpath={.status.message}"
    Then the output is:
      """
      Pod was rejected: forbidden sysctl: "vm.swappiness" not allowlisted
      """

  Scenario: Pod Security's baseline level allows only the safe sysctls
    # The page's PodSecurityPolicy section is gone with PodSecurityPolicy; its successor, the
    # baseline Pod Security Standard, refuses every sysctl outside the safe set.
    When I run "kubectl create namespace tuned"
    And I run "kubectl label namespace tuned pod-security.kubernetes.io/enforce=baseline"
    And I try to apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: sysctl-example
        namespace: tuned
      spec:
        securityContext:
          sysctls:
          - name: kernel.shm_rmid_forced
            value: "0"
          - name: net.core.somaxconn
            value: "1024"
          - name: kernel.msgmax
            value: "65536"
        containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
      """
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "STDIN": pods "sysctl-example" is forbidden: violates PodSecurity "baseline:latest": forbidden sysctls (net.core.somaxconn, kernel.msgmax)
      """
