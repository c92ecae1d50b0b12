@epic:Course @feature:QoS
Feature: QoS classes — who goes first when a node runs out of memory
  Kubernetes gives every pod a Quality of Service class from its containers' requests and limits;
  you cannot set it yourself. Guaranteed: every container has requests equal to limits for both cpu
  and memory. BestEffort: no container sets any. Everything in between is Burstable.

  When a node runs short of memory the kubelet evicts pods, one every 10 seconds: first the pods
  using more memory than they requested (a BestEffort pod requests nothing, so any use is more),
  then by priority, then by how far their use is above (or below) their request. A Guaranteed pod can
  never use more than its request, which is why it goes last. When memory runs out faster than the
  kubelet looks, the Linux OOM killer picks a process itself, by its share of memory plus the
  oom_score_adj the kubelet gave it: -997 for Guaranteed, 1000 for BestEffort, and for Burstable
  the less it requested, the higher.

  Background:
    Given a cluster with nodes:
      | name      | cpu | memory |
      | k8s-node1 | 4   | 8Gi    |

  @parity
  Scenario: Each class is recognised from the requests and limits of every container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: guaranteed1
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 100m, memory: 128Mi}
        - name: helper
          image: kubetm/app
          resources:
            requests: {cpu: 200m, memory: 256Mi}
            limits: {cpu: 200m, memory: 256Mi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: guaranteed-limits-only
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            limits: {cpu: 100m, memory: 128Mi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: burstable-smaller-request
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 100m, memory: 1Gi}
            limits: {cpu: 200m, memory: 2Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: burstable-request-only
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 1Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: burstable-one-of-two
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 100m, memory: 128Mi}
        - name: helper
          image: kubetm/app
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: besteffort1
      spec:
        containers:
        - name: app
          image: kubetm/app
      """
    Then pod "guaranteed1" has QoS class "Guaranteed"
    # Requests default to the limits, so limits alone make a Guaranteed pod.
    And pod "guaranteed-limits-only" has QoS class "Guaranteed"
    And pod "burstable-smaller-request" has QoS class "Burstable"
    And pod "burstable-request-only" has QoS class "Burstable"
    And pod "burstable-one-of-two" has QoS class "Burstable"
    And pod "besteffort1" has QoS class "BestEffort"

  @parity
  Scenario: The kubelet hands each container its oom_score_adj
    The kernel reads /proc/<pid>/oom_score_adj to choose whom to kill: -997 for Guaranteed, 1000
    for BestEffort, and for Burstable 1000 - 1000 x request / node memory (1Gi of 8Gi: 875).

    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: guaranteed1
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 100m, memory: 128Mi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: burstable1
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 1Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: besteffort1
      spec:
        containers:
        - name: app
          image: kubetm/app
      """
    And 30 seconds pass
    And I run "kubectl exec guaranteed1 -- cat /proc/1/oom_score_adj"
    Then the output is:
      """
      -997
      """
    When I run "kubectl exec burstable1 -- cat /proc/1/oom_score_adj"
    Then the output is:
      """
      875
      """
    When I run "kubectl exec besteffort1 -- cat /proc/1/oom_score_adj"
    Then the output is:
      """
      1000
      """

  @parity
  Scenario: Three pods share the node; one needs more; the BestEffort pod goes first, then the Burstable one
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod1
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 500m, memory: 3Gi}
            limits: {cpu: 500m, memory: 3Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 500m, memory: 2Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod3
      spec:
        containers:
        - name: app
          image: kubetm/app
      """
    And 30 seconds pass
    And pod "pod1" uses 2560Mi of memory
    And pod "pod2" uses 2560Mi of memory
    And pod "pod3" uses 2560Mi of memory
    # 7680Mi of 8Gi in use: 512Mi left, above the kubelet's 100Mi threshold.
    And 10 seconds pass
    # metrics-server scrapes every 15 s: kubectl top shows the new usage after its next scrape.
    And 5 seconds pass
    When I run "kubectl top pods"
    Then the output is:
      """
      NAME   CPU(cores)   MEMORY(bytes)
      pod1   0m           2560Mi
      pod2   0m           2560Mi
      pod3   0m           2560Mi
      """
    Then pod "pod3" matches:
      """yaml
      status:
        phase: Running
      """
    # pod1 needs more: 72Mi left. The kubelet looks every 10 seconds; the evicted pod's containers
    # then get the runtime's minimum of 2 seconds to stop.
    When pod "pod1" uses 3000Mi of memory and 12 seconds pass
    Then pod "pod3" was evicted
    And pod "pod3" matches:
      """yaml
      status:
        phase: Failed
        reason: Evicted
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 72Mi. Container app was using 2560Mi, request is 0, has larger consumption of memory. '
        conditions:
        - type: DisruptionTarget
          status: "True"
          reason: TerminationByKubelet
      """
    And pod "pod1" matches:
      """yaml
      status:
        phase: Running
      """
    And pod "pod2" matches:
      """yaml
      status:
        phase: Running
      """
    # The node reports the pressure with its next status; the node lifecycle controller taints it,
    # so the scheduler places no new pods there (unless they tolerate the taint).
    When 10 seconds pass
    Then node "k8s-node1" matches:
      """yaml
      spec:
        taints:
        - key: node.kubernetes.io/memory-pressure
          effect: NoSchedule
      status:
        conditions:
        - type: MemoryPressure
          status: "True"
          reason: KubeletHasInsufficientMemory
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod4
      spec:
        containers:
        - name: app
          image: kubetm/app
      """
    Then pod "pod4" matches:
      """yaml
      status:
        phase: Pending
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      """
    # pod2 now needs more than is left (92Mi would remain): it is above its request, pod1 is not.
    When pod "pod2" uses 5100Mi of memory and 12 seconds pass
    Then pod "pod2" was evicted
    And pod "pod2" matches:
      """yaml
      status:
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 92Mi. Container app was using 5100Mi, request is 2Gi, has larger consumption of memory. '
      """
    And pod "pod1" matches:
      """yaml
      status:
        phase: Running
      """
    # The node reports pressure until 5 minutes after it last saw the threshold crossed.
    When 5 minutes 20 seconds pass
    Then node "k8s-node1" matches:
      """yaml
      status:
        conditions:
        - type: MemoryPressure
          status: "False"
          reason: KubeletHasSufficientMemory
      """

  @parity
  Scenario: Burstable pods below their requests: the one closer to its request goes first
    The course's example: requests of 5G and 8G, both using 4Gi. Neither uses more than it
    requested, so the kubelet compares how far each is below its request: pod2 by about 0.7G,
    pod3 by about 3.7G. pod2 goes first.

    Given a cluster with nodes:
      | name      | memory |
      | k8s-node2 | 16Gi   |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
      spec:
        nodeSelector: {kubernetes.io/hostname: k8s-node2}
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 5G}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod3
      spec:
        nodeSelector: {kubernetes.io/hostname: k8s-node2}
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 8G}
      """
    And 30 seconds pass
    And pod "pod2" uses 4Gi of memory
    And pod "pod3" uses 4Gi of memory
    # The node's own processes (kubelet, container runtime, system daemons) grow: 92Mi left.
    And the system processes of node "k8s-node2" use 8100Mi of memory
    And 12 seconds pass
    Then pod "pod2" was evicted
    And pod "pod2" matches:
      """yaml
      status:
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 92Mi. '
      """
    And pod "pod3" matches:
      """yaml
      status:
        phase: Running
      """

  @parity
  Scenario: Memory runs out at once: the kernel's OOM killer picks the highest oom score, Guaranteed last
    With equal use, the pod that requested less has the higher oom_score_adj (5G of 16Gi: 709;
    8G: 535; Guaranteed: -997), so the kernel kills its container. The kubelet restarts it.

    Given a cluster with nodes:
      | name      | memory |
      | k8s-node2 | 16Gi   |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod1
      spec:
        nodeSelector: {kubernetes.io/hostname: k8s-node2}
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {cpu: 500m, memory: 2Gi}
            limits: {cpu: 500m, memory: 2Gi}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
      spec:
        nodeSelector: {kubernetes.io/hostname: k8s-node2}
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 5G}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod3
      spec:
        nodeSelector: {kubernetes.io/hostname: k8s-node2}
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 8G}
      """
    And 30 seconds pass
    When pod "pod1" uses 2Gi of memory
    And pod "pod2" uses 4Gi of memory
    And pod "pod3" uses 4Gi of memory
    # 18944Mi wanted of 16Gi: the kernel kills at once, the kubelet notices within a second.
    And the system processes of node "k8s-node2" use 8704Mi of memory and 1 second passes
    Then container "app" of pod "pod2" was OOM-killed
    And pod "pod1" matches:
      """yaml
      status:
        containerStatuses:
        - name: app
          restartCount: 0
      """
    And pod "pod3" matches:
      """yaml
      status:
        containerStatuses:
        - name: app
          restartCount: 0
      """

  @parity
  Scenario: A container that uses more than its memory limit is OOM-killed and restarted
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: hungry
      spec:
        containers:
        - name: app
          image: kubetm/app
          resources:
            requests: {memory: 128Mi}
            limits: {memory: 256Mi}
      """
    And 30 seconds pass
    # The kernel kills it at once; the kubelet notices at its next relist, within a second.
    And container "app" of pod "hungry" uses 300Mi of memory and 1 second passes
    Then container "app" of pod "hungry" was OOM-killed
    And pod "hungry" matches:
      """yaml
      status:
        containerStatuses:
        - name: app
          state:
            terminated:
              reason: OOMKilled
              exitCode: 137
      """
    # It needs 300Mi on every start, so it is killed again each time: CrashLoopBackOff.
    When 1 minute passes
    Then pod "hungry" matches:
      """yaml
      status:
        phase: Running
        containerStatuses:
        - name: app
          lastState:
            terminated:
              reason: OOMKilled
              exitCode: 137
          state:
            waiting:
              reason: CrashLoopBackOff
      """
