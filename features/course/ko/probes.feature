# language: ko
@epic:쿠버네티스-Pod @feature:ReadinessProbe-LivenessProbe @parity
기능: ReadinessProbe 와 LivenessProbe 는 고장 난 파드로부터 사용자를 지킨다
  강의의 "Pod - ReadinessProbe, LivenessProbe" 장을 매니페스트 그대로 실행한다.
  Service 는 요청마다 준비된(ready) 엔드포인트 중 하나를 kube-proxy 처럼 무작위로 골라 보낸다.

  - ReadinessProbe 가 없으면 새 파드는 컨테이너가 시작되자마자 ready 로 취급된다. 애플리케이션이
    응답하기 훨씬 전이라, 부팅하는 동안 사용자는 오류를 보게 된다.
  - ReadinessProbe 가 있으면 probe 가 successThreshold 번 연속으로 성공할 때까지 파드는 Endpoints 의
    notReadyAddresses 에 머문다: 트래픽은 준비된 파드로만 간다.
  - LivenessProbe 는 애플리케이션이 계속 실패하는 컨테이너를 재시작한다.

  v1.32 kubelet 기준의 시간: `kubetm/app` 은 이미지를 받는 데 3초, 컨테이너가 시작된 뒤 10초가 지나야
  응답한다. probe worker 는 kubelet 이 파드를 받아들일 때 만들어지고 그때부터 periodSeconds 마다
  실행된다 (컨테이너 시작 시점 기준이 아니다). kubelet 은 시작했지만 아직 ready 가 아닌 컨테이너를
  sync 할 때도 (시작 직후, 그리고 1분마다의 주기적 resync 때) readiness 를 검사한다.

  배경:
    조건 다음 노드들로 구성된 클러스터가 있다:
      | name      |
      | k8s-node1 |

  @story:ReadinessProbe @points:1 @exercise:ko-probes-1
  시나리오: ReadinessProbe 는 ready.txt 가 생길 때까지 부팅 중인 파드를 Service 에서 뺀다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-readiness
      spec:
        selector:
          app: readiness
        ports:
        - port: 8080
          targetPort: 8080
      """
    그리고 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod1
        labels:
          app: readiness
      spec:
        containers:
        - name: container
          image: kubetm/app
          ports:
          - containerPort: 8080
        terminationGracePeriodSeconds: 0
      """
    그리고 30초가 지난다
    그러면 엔드포인트 "svc-readiness" 에 파드 "pod1" 가 준비됨으로 나온다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-readiness-exec1
        labels:
          app: readiness
      spec:
        containers:
        - name: readiness
          image: kubetm/app
          ports:
          - containerPort: 8080
          readinessProbe:
            exec:
              command: ["cat", "/readiness/ready.txt"]
            initialDelaySeconds: 5
            periodSeconds: 10
            successThreshold: 3
          volumeMounts:
          - name: host-path
            mountPath: /readiness
        volumes:
        - name : host-path
          hostPath:
            path: /tmp/readiness
            type: DirectoryOrCreate
        terminationGracePeriodSeconds: 0
      """
    # 컨테이너는 3초부터 실행되지만 probe 가 ready.txt 를 찾지 못한다: Running 이지만 Ready 는 아니다.
    그리고 클라이언트가 "http://svc-readiness:8080/hostname" 에 1초마다 60초 동안 요청한다
    그러면 클라이언트의 요청 중 60건이 성공하고 0건이 실패했다
    그리고 클라이언트의 요청에 파드 "pod1" 가 응답했다
    그리고 pod "pod-readiness-exec1" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
        conditions:
        - type: ContainersReady
          status: "False"
        - type: Ready
          status: "False"
        containerStatuses:
        - name: readiness
          ready: false
          started: true
          state:
            running: {}
      """
    그리고 엔드포인트 "svc-readiness" 에 파드 "pod1" 는 준비됨으로, "pod-readiness-exec1" 는 준비되지 않음으로 나온다
    그리고 endpoints "svc-readiness" 는 다음과 일치한다:
      """yaml
      subsets:
      - notReadyAddresses:
        - targetRef: {name: pod-readiness-exec1}
      """
    만일 "kubectl get events --field-selector involvedObject.name=pod-readiness-exec1" 를 실행한다
    그러면 출력에 다음 내용이 있다:
      """
      Readiness probe failed: cat: can't open '/readiness/ready.txt': No such file or directory
      """
    # pod-readiness-exec1 이 받아들여진 시점부터: 컨테이너는 3초에 시작했고, 10, 20, ... 60초의 probe 는
    # 모두 실패했다 (Unhealthy 이벤트 6개). 파일은 60초 검사 직후에 생긴다. 세 번 연속 성공이 필요하므로
    # 70, 80, 90초의 검사를 거쳐 touch 후 30초에 Ready 가 된다. (실제 kubelet 은 1분 주기 resync 가
    # 그 사이에 오면 그때도 검사하므로 최대 한 주기 빨라질 수 있다.)
    만일 "/tmp/readiness/ready.txt" 파일을 노드 "k8s-node1" 에서 touch 한다
    그러면 파드 "pod-readiness-exec1" 는 30초 후에 Ready 가 된다
    그리고 엔드포인트 "svc-readiness" 에 파드 "pod1, pod-readiness-exec1" 는 준비됨으로, "" 는 준비되지 않음으로 나온다
    만일 클라이언트가 "http://svc-readiness:8080/hostname" 에 1초마다 60초 동안 요청한다
    그러면 클라이언트의 요청 중 60건이 성공하고 0건이 실패했다
    그리고 클라이언트의 요청에 파드 "pod1, pod-readiness-exec1" 가 응답했다

  @story:ReadinessProbe @points:1 @exercise:ko-probes-2
  시나리오: ReadinessProbe 가 없으면 새 파드의 애플리케이션이 부팅하는 동안 사용자는 오류를 본다
    강의의 liveness 매니페스트에는 ReadinessProbe 가 없다: pod-liveness-httpget1 은 컨테이너가 시작되자마자
    (만들어진 지 3초 뒤) Ready 가 되는데, 애플리케이션은 그보다 10초 늦게 응답한다.
    그동안 요청의 절반이 이 파드로 가서 실패한다.

    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-liveness
      spec:
        selector:
          app: liveness
        ports:
        - port: 8080
          targetPort: 8080
      """
    그리고 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
        labels:
          app: liveness
      spec:
        containers:
        - name: container
          image: kubetm/app
          ports:
          - containerPort: 8080
        terminationGracePeriodSeconds: 0
      """
    그리고 30초가 지난다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-liveness-httpget1
        labels:
          app: liveness
      spec:
        containers:
        - name: liveness
          image: kubetm/app
          ports:
          - containerPort: 8080
          livenessProbe:
            httpGet: # http get으로 경로와 포트로 체크
              path: /health
              port: 8080
            initialDelaySeconds: 5 # 옵션
            periodSeconds: 10 # 옵션
            failureThreshold: 3 # 옵션
        terminationGracePeriodSeconds: 0
      """
    그리고 클라이언트가 "http://svc-liveness:8080/hostname" 에 1초마다 30초 동안 요청한다
    그러면 클라이언트의 요청 중 3건에서 8건 사이가 실패했다
    그리고 클라이언트의 요청에 파드 "pod2, pod-liveness-httpget1" 가 응답했다
    만일 클라이언트가 "http://svc-liveness:8080/hostname" 에 1초마다 60초 동안 요청한다
    그러면 클라이언트의 요청은 하나도 실패하지 않았다

  @story:LivenessProbe @points:1 @exercise:ko-probes-3
  시나리오: LivenessProbe 는 /health 가 500 을 응답하는 컨테이너를 재시작한다
    만일 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc-liveness
      spec:
        selector:
          app: liveness
        ports:
        - port: 8080
          targetPort: 8080
      """
    그리고 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod2
        labels:
          app: liveness
      spec:
        containers:
        - name: container
          image: kubetm/app
          ports:
          - containerPort: 8080
        terminationGracePeriodSeconds: 0
      """
    그리고 다음 매니페스트를 적용한다:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-liveness-httpget1
        labels:
          app: liveness
      spec:
        containers:
        - name: liveness
          image: kubetm/app
          ports:
          - containerPort: 8080
          livenessProbe:
            httpGet: # http get으로 경로와 포트로 체크
              path: /health
              port: 8080
            initialDelaySeconds: 5 # 옵션
            periodSeconds: 10 # 옵션
            failureThreshold: 3 # 옵션
        terminationGracePeriodSeconds: 0
      """
    그리고 1분이 지난다
    만일 "http://pod-liveness-httpget1:8080/health" 에 요청한다
    그러면 응답 상태 코드는 200 이다
    # 애플리케이션이 고장 난다: 지금부터 /health 는 500 을 응답한다.
    만일 "http://pod-liveness-httpget1:8080/status500" 에 요청한다
    그리고 "http://pod-liveness-httpget1:8080/health" 에 요청한다
    그러면 응답 상태 코드는 500 이다
    # 10초 간격의 다음 세 번의 probe 가 실패하고, 세 번째에 kubelet 이 컨테이너를 죽인다
    # (exit 137: grace period 0). 여기서는 /status500 후 24초: 파드들이 kubelet 시작 후 한 주기 안에
    # 만들어져서 probe worker 가 주기 안의 무작위 시점에 시작했고 (upstream 처럼 분산), 검사는 10초
    # 단위보다 4초 늦게 일어난다. 첫 재시작에는 back-off 가 없다: 이미지를 다시 받고 (태그 없는 이미지는
    # imagePullPolicy Always, 3초), 새 컨테이너는 죽은 지 5초 뒤 시작하며, 애플리케이션이 10초 뒤
    # 응답할 때까지 요청은 거부된다.
    만일 클라이언트가 "http://svc-liveness:8080/health" 에 1초마다 60초 동안 요청한다
    그러면 클라이언트의 요청 중 10건에서 30건 사이가 실패했다
    그리고 pod "pod-liveness-httpget1" 는 다음과 일치한다:
      """yaml
      status:
        phase: Running
        containerStatuses:
        - name: liveness
          restartCount: 1
          lastState:
            terminated:
              exitCode: 137
              reason: Error
      """
    만일 "kubectl get events --field-selector involvedObject.name=pod-liveness-httpget1" 를 실행한다
    그러면 출력에 다음 내용이 있다:
      """
      Liveness probe failed: HTTP probe failed with statuscode: 500
      """
    그리고 출력에 다음 내용이 있다:
      """
      Container liveness failed liveness probe, will be restarted
      """
    # 새 컨테이너의 애플리케이션은 부팅이 끝나면 다시 200 을 응답한다.
    만일 클라이언트가 "http://svc-liveness:8080/health" 에 1초마다 60초 동안 요청한다
    그러면 클라이언트의 요청 중 60건이 성공하고 0건이 실패했다
