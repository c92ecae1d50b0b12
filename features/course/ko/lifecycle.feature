# language: ko
@epic:쿠버네티스-Pod @feature:Pod-라이프사이클 @parity
기능: Pod 라이프사이클 — Phase, Conditions, 컨테이너 State
  파드는 Pending 으로 시작한다. 스케줄러가 노드를 정하면 그 노드의 kubelet 이 이미지를 받고,
  initContainers 를 하나씩 차례로 실행한 다음 containers 를 실행한다. 파드의 `status` 가 그 과정을
  보여준다: `phase` 는 파드 전체를 한 단어로 요약하고 (Pending, Running, Succeeded, Failed),
  `conditions` 는 어느 단계가 끝났는지 알려주며 (PodScheduled, Initialized, ContainersReady, Ready),
  컨테이너마다 `state` (waiting, running, terminated) 와 그 reason (ContainerCreating,
  CrashLoopBackOff, Error, Completed...) 이 있다. 파드가 Running 이어도 컨테이너는 아닐 수 있으니
  둘 다 살펴봐야 한다.

  배경:
    조건 현재 시각은 "2019-09-26T22:07:56Z" 이다
    그리고 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  @story:Phase @points:1 @exercise:ko-lifecycle-1
  시나리오: 이미지를 받는 동안 새 파드는 Pending 이고, 그 다음 모든 condition 이 True 인 Running 이 된다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-lifecycle
      spec:
        containers:
        - name: container
          image: tmkube/init
      """
    그리고 1초가 지난다
    그러면 파드 "pod-lifecycle" 는 Pending 상태이다
    그리고 컨테이너 "container" 는 파드 "pod-lifecycle" 에서 "ContainerCreating" 사유로 대기 중이다
    그리고 pod "pod-lifecycle" 는 다음과 일치한다:
      """yaml
      status:
        phase: Pending
        conditions:
        - {type: Initialized, status: "True"}
        - {type: PodScheduled, status: "True"}
        - {type: ContainersReady, status: "False", reason: ContainersNotReady, message: "containers with unready status: [container]"}
        - {type: Ready, status: "False", reason: ContainersNotReady}
        containerStatuses:
        - name: container
          state: {waiting: {reason: ContainerCreating}}
          ready: false
          restartCount: 0
          image: tmkube/init
          imageID: ""
          started: false
      """
    만일 5초가 지난다
    그러면 파드 "pod-lifecycle" 는 Running 상태이다
    그리고 컨테이너 "container" 는 파드 "pod-lifecycle" 에서 실행 중이다
    그리고 pod "pod-lifecycle" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - {type: PodReadyToStartContainers, status: "True"}
        - {type: Initialized, status: "True"}
        - {type: ContainersReady, status: "True"}
        - {type: Ready, status: "True"}
        - {type: PodScheduled, status: "True"}
        containerStatuses:
        - {name: container, ready: true, started: true, restartCount: 0}
      """

  @story:InitContainers @points:1 @exercise:ko-lifecycle-2
  시나리오: initContainers 는 Service 를 기다리고, 스크립트의 오타는 실제 셸처럼 실패한다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: myapp-pod
        labels:
          app: myapp
      spec:
        containers:
        - name: myapp-container
          image: busybox:1.28
          command: ['sh', '-c', 'echo The app is running! && sleep 3600']
        initContainers:
        - name: init-myservice
          image: busybox:1.28
          command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
        - name: init-mydb
          image: busybox:1.28
          command: ['sh', '-c', 'unitl mslookup mydb; do echo waiting for mydb; sleep 2; done;']
      """
    그리고 10초가 지난다
    그러면 파드 "myapp-pod" 는 Pending 상태이다
    만일 "kubectl get pods" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      NAME        READY   STATUS     RESTARTS   AGE
      myapp-pod   0/1     Init:0/2   0          10s
      """
    그리고 컨테이너 "init-myservice" 는 파드 "myapp-pod" 에서 실행 중이다
    그리고 컨테이너 "myapp-container" 는 파드 "myapp-pod" 에서 "PodInitializing" 사유로 대기 중이다
    그리고 컨테이너 "init-myservice" 가 파드 "myapp-pod" 에서 남긴 로그에 다음 내용이 있다:
      """
      waiting for myservice
      """
    그리고 pod "myapp-pod" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - type: Initialized
          status: "False"
          reason: ContainersNotInitialized
          message: "containers with incomplete status: [init-myservice init-mydb]"
      """
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: myservice
      spec:
        ports:
        - protocol: TCP
          port: 80
          targetPort: 9376
      """
    그리고 30초가 지난다
    만일 "kubectl get pods" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      NAME        READY   STATUS                  RESTARTS      AGE
      myapp-pod   0/1     Init:CrashLoopBackOff   2 (17s ago)   40s
      """
    그러면 컨테이너 "init-myservice" 는 파드 "myapp-pod" 에서 "Completed" 사유로 종료되었다
    그리고 컨테이너 "init-mydb" 는 파드 "myapp-pod" 에서 "CrashLoopBackOff" 사유로 대기 중이다
    그리고 컨테이너 "init-mydb" 가 파드 "myapp-pod" 에서 남긴 로그에 다음 내용이 있다:
      """
      sh: syntax error: unexpected "do"
      """
    그리고 파드 "myapp-pod" 는 Pending 상태이다
    그리고 pod "myapp-pod" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - type: Initialized
          status: "False"
          reason: ContainersNotInitialized
          message: "containers with incomplete status: [init-mydb]"
        initContainerStatuses:
        - name: init-mydb
          lastState:
            terminated: {exitCode: 2, reason: Error}
      """

  @story:ContainerState @points:1 @exercise:ko-lifecycle-3
  시나리오: 계속 죽는 컨테이너는 CrashLoopBackOff 가 되고, 파드는 Running 이지만 Ready 는 아니다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-crash
      spec:
        containers:
        - name: app
          image: busybox
          command: ['sh', '-c', 'echo starting; sleep 5; echo oops; exit 1']
      """
    그리고 20초가 지난다
    그러면 파드 "pod-crash" 는 Running 상태이다
    그리고 컨테이너 "app" 는 파드 "pod-crash" 에서 "Error" 사유로 종료되었다
    만일 55초가 지난다
    그리고 "kubectl get pods" 를 실행한다
    그러면 출력은 다음과 같다:
      """
      NAME        READY   STATUS             RESTARTS      AGE
      pod-crash   0/1     CrashLoopBackOff   3 (20s ago)   75s
      """
    그러면 파드 "pod-crash" 는 Running 상태이다
    그리고 컨테이너 "app" 는 파드 "pod-crash" 에서 "CrashLoopBackOff" 사유로 대기 중이다
    그리고 파드 "pod-crash" 는 3번 재시작했다
    그리고 pod "pod-crash" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
        conditions:
        - {type: ContainersReady, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
        - {type: Ready, status: "False", reason: ContainersNotReady}
        containerStatuses:
        - name: app
          ready: false
          lastState:
            terminated: {exitCode: 1, reason: Error}
      """
    그리고 파드 "pod-crash" 의 로그에 다음 내용이 있다:
      """
      oops
      """

  @story:Phase @points:1 @exercise:ko-lifecycle-4
  시나리오: 모든 컨테이너가 0 으로 끝나는 Job 형태의 파드는 Succeeded 로 끝난다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-job-ok
      spec:
        restartPolicy: Never
        containers:
        - name: step1
          image: busybox
          command: ['sh', '-c', 'echo step 1 done']
        - name: step2
          image: busybox
          command: ['sh', '-c', 'sleep 10; echo step 2 done']
      """
    그리고 30초가 지난다
    그러면 파드 "pod-job-ok" 는 Succeeded 상태이다
    그리고 컨테이너 "step1" 는 파드 "pod-job-ok" 에서 "Completed" 사유로 종료되었다
    그리고 컨테이너 "step2" 는 파드 "pod-job-ok" 에서 "Completed" 사유로 종료되었다
    그리고 pod "pod-job-ok" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - {type: Initialized, status: "True", reason: PodCompleted}
        - {type: ContainersReady, status: "False", reason: PodCompleted}
        - {type: Ready, status: "False", reason: PodCompleted}
      """

  @story:Phase @points:1 @exercise:ko-lifecycle-5
  시나리오: 컨테이너 하나가 0 이 아닌 코드로 끝나는 Job 형태의 파드는 Failed 로 끝난다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-job-fail
      spec:
        restartPolicy: Never
        containers:
        - name: good
          image: busybox
          command: ['sh', '-c', 'echo fine']
        - name: bad
          image: busybox
          command: ['sh', '-c', 'echo broken >&2; exit 3']
      """
    그리고 30초가 지난다
    그러면 파드 "pod-job-fail" 는 Failed 상태이다
    그리고 컨테이너 "good" 는 파드 "pod-job-fail" 에서 "Completed" 사유로 종료되었다
    그리고 컨테이너 "bad" 는 파드 "pod-job-fail" 에서 "Error" 사유로 종료되었다
    그리고 pod "pod-job-fail" 는 다음과 일치한다:
      """yaml
      status:
        conditions:
        - {type: ContainersReady, status: "False", reason: PodFailed}
        - {type: Ready, status: "False", reason: PodFailed}
        containerStatuses:
        - name: bad
          state:
            terminated: {exitCode: 3, reason: Error}
      """

  @story:ContainerState @points:1 @exercise:ko-lifecycle-6
  시나리오: 이미지를 받지 못하는 파드는 Pending 으로 남다가 activeDeadlineSeconds 가 되면 Failed 가 된다
    조건 이미지 "tmkube/does-not-exist:1.0" 는 존재하지 않는다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-bad-image
      spec:
        activeDeadlineSeconds: 60
        containers:
        - name: app
          image: tmkube/does-not-exist:1.0
      """
    그리고 5초가 지난다
    그러면 파드 "pod-bad-image" 는 Pending 상태이다
    그리고 컨테이너 "app" 는 파드 "pod-bad-image" 에서 "ErrImagePull" 사유로 대기 중이다
    만일 12초가 지난다
    그러면 컨테이너 "app" 는 파드 "pod-bad-image" 에서 "ImagePullBackOff" 사유로 대기 중이다
    그리고 파드 "pod-bad-image" 는 Pending 상태이다
    만일 1분이 지난다
    그러면 파드 "pod-bad-image" 는 Failed 상태이다
    그리고 pod "pod-bad-image" 는 다음과 일치한다:
      """yaml
      status:
        phase: Failed
        reason: DeadlineExceeded
        message: Pod was active on the node longer than the specified deadline
      """

  @story:InitContainers @points:1 @exercise:ko-lifecycle-7
  시나리오: restartPolicy Never 파드에서 init 컨테이너가 실패하면 파드는 Pending 에서 바로 Failed 가 된다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-init-fail
      spec:
        restartPolicy: Never
        initContainers:
        - name: init
          image: busybox
          command: ['sh', '-c', 'exit 1']
        containers:
        - name: app
          image: busybox
          command: ['sh', '-c', 'sleep 3600']
      """
    그리고 10초가 지난다
    그러면 파드 "pod-init-fail" 는 Failed 상태이다
    그리고 컨테이너 "init" 는 파드 "pod-init-fail" 에서 "Error" 사유로 종료되었다
    그리고 컨테이너 "app" 는 파드 "pod-init-fail" 에서 "PodInitializing" 사유로 대기 중이다
