# language: ko
@epic:쿠버네티스-Pod @feature:QoS-Classes
기능: QoS Classes — 노드의 메모리가 부족할 때 누가 먼저 나가는가
  쿠버네티스는 컨테이너들의 requests 와 limits 로 파드마다 QoS(Quality of Service) 클래스를 정한다.
  직접 지정할 수는 없다. Guaranteed: 모든 컨테이너가 cpu 와 memory 모두 requests 와 limits 가 같다.
  BestEffort: 어떤 컨테이너도 아무것도 지정하지 않았다. 그 사이의 모든 경우는 Burstable 이다.

  노드의 메모리가 부족하면 kubelet 은 10초에 하나씩 파드를 축출(evict)한다: 먼저 요청한 것보다 메모리를
  더 쓰는 파드 (BestEffort 파드는 아무것도 요청하지 않았으니 조금만 써도 초과다), 그 다음은 priority,
  그 다음은 사용량이 요청량보다 얼마나 많은지(또는 적은지) 순이다. Guaranteed 파드는 요청량보다 더 쓸 수
  없으므로 가장 나중에 나간다. kubelet 이 살펴보기 전에 메모리가 바닥나면 리눅스 OOM killer 가 직접
  프로세스를 고른다: 메모리 사용 비율에 kubelet 이 준 oom_score_adj 를 더한 값으로 고르며,
  Guaranteed 는 -997, BestEffort 는 1000, Burstable 은 적게 요청할수록 높다.

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | cpu | memory |
      | k8s-node1 | 4   | 8Gi    |

  @story:QoS-클래스-판별 @points:1 @exercise:ko-qos-1
  @parity
  시나리오: 모든 컨테이너의 requests 와 limits 로 클래스가 정해진다
    만일 다음 매니페스트를 적용한다:
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
    그러면 파드 "guaranteed1" 의 QoS 클래스는 "Guaranteed" 이다
    # requests 를 생략하면 limits 와 같아지므로, limits 만 써도 Guaranteed 파드가 된다.
    그리고 파드 "guaranteed-limits-only" 의 QoS 클래스는 "Guaranteed" 이다
    그리고 파드 "burstable-smaller-request" 의 QoS 클래스는 "Burstable" 이다
    그리고 파드 "burstable-request-only" 의 QoS 클래스는 "Burstable" 이다
    그리고 파드 "burstable-one-of-two" 의 QoS 클래스는 "Burstable" 이다
    그리고 파드 "besteffort1" 의 QoS 클래스는 "BestEffort" 이다

  @story:OOM-점수 @points:1 @exercise:ko-qos-2
  @parity
  시나리오: kubelet 은 컨테이너마다 oom_score_adj 를 준다
    커널은 /proc/<pid>/oom_score_adj 를 읽어 누구를 죽일지 고른다: Guaranteed 는 -997, BestEffort 는
    1000, Burstable 은 1000 - 1000 x request / 노드 메모리 (8Gi 중 1Gi: 875).

    만일 다음 매니페스트를 적용한다:
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
    그리고 30초가 지난다
    그리고 "kubectl exec guaranteed1 -- cat /proc/1/oom_score_adj" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      -997
      """
    만일 "kubectl exec burstable1 -- cat /proc/1/oom_score_adj" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      875
      """
    만일 "kubectl exec besteffort1 -- cat /proc/1/oom_score_adj" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      1000
      """

  @story:축출-순서 @points:1 @exercise:ko-qos-3
  @parity
  시나리오: 세 파드가 노드를 나눠 쓰다 하나가 더 필요해지면, BestEffort 파드가 먼저, 그 다음 Burstable 파드가 나간다
    만일 다음 매니페스트를 적용한다:
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
    그리고 30초가 지난다
    그리고 파드 "pod1" 가 메모리를 2560Mi 사용한다
    그리고 파드 "pod2" 가 메모리를 2560Mi 사용한다
    그리고 파드 "pod3" 가 메모리를 2560Mi 사용한다
    # 8Gi 중 7680Mi 사용: 512Mi 남음, kubelet 의 임계값 100Mi 보다 많다.
    그리고 10초가 지난다
    # metrics-server 는 15초마다 수집한다: kubectl top 은 다음 수집 뒤에 새 사용량을 보여 준다.
    그리고 5초가 지난다
    만일 "kubectl top pods" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      NAME   CPU(cores)   MEMORY(bytes)
      pod1   0m           2560Mi
      pod2   0m           2560Mi
      pod3   0m           2560Mi
      """
    그러면 pod "pod3" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
      """
    # pod1 이 더 필요하다: 72Mi 남음. kubelet 은 10초마다 살펴보고, 축출되는 파드의 컨테이너는
    # 런타임의 최소값인 2초 안에 멈춘다.
    만일 파드 "pod1" 가 메모리를 3000Mi 사용한다
    그리고 12초가 지난다
    그러면 파드 "pod3" 는 축출되었다
    그리고 pod "pod3" 는 다음과 일치한다:
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
    그리고 pod "pod1" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
      """
    그리고 pod "pod2" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
      """
    # 노드는 다음 status 에서 압박(pressure)을 알리고, node lifecycle controller 가 taint 를 붙여서
    # 스케줄러는 (taint 를 tolerate 하지 않는 한) 새 파드를 그 노드에 배치하지 않는다.
    만일 10초가 지난다
    그러면 node "k8s-node1" 는 다음과 일치한다:
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
    만일 다음 매니페스트를 적용한다:
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
    그러면 pod "pod4" 는 다음과 일치한다:
      """yaml
      status:
        phase: Pending
        conditions:
        - type: PodScheduled
          status: "False"
          reason: Unschedulable
          message: "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
      """
    # 이제 pod2 가 남은 것보다 더 필요하다 (92Mi 남게 됨): pod2 는 요청량을 넘었고 pod1 은 아니다.
    만일 파드 "pod2" 가 메모리를 5100Mi 사용한다
    그리고 12초가 지난다
    그러면 파드 "pod2" 는 축출되었다
    그리고 pod "pod2" 는 다음과 일치한다:
      """yaml
      status:
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 92Mi. Container app was using 5100Mi, request is 2Gi, has larger consumption of memory. '
      """
    그리고 pod "pod1" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
      """
    # 노드는 임계값을 마지막으로 넘은 뒤 5분 동안 압박을 계속 알린다.
    만일 5분 20초가 지난다
    그러면 node "k8s-node1" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - type: MemoryPressure
          status: "False"
          reason: KubeletHasSufficientMemory
      """

  @story:축출-순서 @points:1 @exercise:ko-qos-4
  @parity
  시나리오: 요청량보다 적게 쓰는 Burstable 파드들: 요청량에 더 가까운 파드가 먼저 나간다
    강의의 예: requests 5G 와 8G, 둘 다 4Gi 사용. 둘 다 요청한 것보다 더 쓰지 않으므로 kubelet 은
    각각 요청량보다 얼마나 적게 쓰는지 비교한다: pod2 는 약 0.7G, pod3 는 약 3.7G. pod2 가 먼저 나간다.

    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | memory |
      | k8s-node2 | 16Gi   |
    만일 다음 매니페스트를 적용한다:
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
    그리고 30초가 지난다
    그리고 파드 "pod2" 가 메모리를 4Gi 사용한다
    그리고 파드 "pod3" 가 메모리를 4Gi 사용한다
    # 노드 자체의 프로세스 (kubelet, 컨테이너 런타임, 시스템 데몬) 가 커진다: 92Mi 남음.
    그리고 노드 "k8s-node2" 의 시스템 프로세스가 메모리를 8100Mi 사용한다
    그리고 12초가 지난다
    그러면 파드 "pod2" 는 축출되었다
    그리고 pod "pod2" 는 다음과 일치한다:
      """yaml
      status:
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 92Mi. '
      """
    그리고 pod "pod3" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
      """

  @story:OOM-점수 @points:1 @exercise:ko-qos-5
  @parity
  시나리오: 메모리가 한꺼번에 바닥나면 커널의 OOM killer 가 oom score 가 가장 높은 것을 고르고, Guaranteed 는 마지막이다
    사용량이 같으면 덜 요청한 파드의 oom_score_adj 가 더 높다 (16Gi 중 5G: 709, 8G: 535,
    Guaranteed: -997). 그래서 커널은 그 파드의 컨테이너를 죽이고, kubelet 이 다시 시작한다.

    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      | memory |
      | k8s-node2 | 16Gi   |
    만일 다음 매니페스트를 적용한다:
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
    그리고 30초가 지난다
    만일 파드 "pod1" 가 메모리를 2Gi 사용한다
    그리고 파드 "pod2" 가 메모리를 4Gi 사용한다
    그리고 파드 "pod3" 가 메모리를 4Gi 사용한다
    # 16Gi 에 18944Mi 가 필요: 커널이 곧바로 죽이고, kubelet 은 1초 안에 알아챈다.
    그리고 노드 "k8s-node2" 의 시스템 프로세스가 메모리를 8704Mi 사용한다
    그리고 1초가 지난다
    그러면 컨테이너 "app" 는 파드 "pod2" 에서 OOM으로 종료되었다
    그리고 pod "pod1" 는 다음과 일치한다:
      """yaml
      status:
        containerStatuses:
        - name: app
          restartCount: 0
      """
    그리고 pod "pod3" 는 다음과 일치한다:
      """yaml
      status:
        containerStatuses:
        - name: app
          restartCount: 0
      """

  @story:메모리-limit @points:1 @exercise:ko-qos-6
  @parity
  시나리오: 메모리 limit 보다 더 쓰는 컨테이너는 OOM 으로 죽고 다시 시작된다
    만일 다음 매니페스트를 적용한다:
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
    그리고 30초가 지난다
    # 커널이 곧바로 죽이고, kubelet 은 1초 안의 다음 relist 에서 알아챈다.
    그리고 컨테이너 "app" 가 파드 "hungry" 에서 메모리를 300Mi 사용한다
    그리고 1초가 지난다
    그러면 컨테이너 "app" 는 파드 "hungry" 에서 OOM으로 종료되었다
    그리고 pod "hungry" 는 다음과 일치한다:
      """yaml
      status:
        containerStatuses:
        - name: app
          state:
            terminated:
              reason: OOMKilled
              exitCode: 137
      """
    # 시작할 때마다 300Mi 가 필요하므로 매번 다시 죽는다: CrashLoopBackOff.
    만일 1분이 지난다
    그러면 pod "hungry" 는 다음과 일치한다:
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
