@epic:Course @feature:Probes @parity
Feature: Readiness and liveness probes keep users away from broken pods
  The course's chapter "Pod - ReadinessProbe, LivenessProbe", with its manifests unchanged.
  A Service sends each request to one of its ready endpoints, picked at random as kube-proxy does.

  - Without a readiness probe, a new pod counts as ready the moment its container starts, long
    before its application answers: users see errors while it boots.
  - A readiness probe keeps the pod in the Endpoints' notReadyAddresses until the probe has
    succeeded successThreshold times in a row: traffic only ever reaches ready pods.
  - A liveness probe restarts a container whose application keeps failing.

  Timings, as a v1.32 kubelet gives them here: `kubetm/app` takes 3 s to pull and serves 10 s after
  its container starts; a probe worker is created when the kubelet admits the pod and ticks every
  periodSeconds from then on (not from the container's start); the kubelet also probes readiness
  whenever it syncs a started, not-yet-ready container (right after the start, and at its periodic
  one-minute resync).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  @story:Readiness
  Scenario: A readiness probe keeps a booting pod out of the Service until ready.txt exists
    When I apply the manifest:
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
    And I apply the manifest:
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
    And 30 seconds pass
    Then endpoints "svc-readiness" list pods "pod1" as ready
    When I apply the manifest:
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
    # The container runs from 3 s on, but the probe finds no ready.txt: Running, not Ready.
    And a client requests "http://svc-readiness:8080/hostname" every 1 second for 60 seconds
    Then the client saw 60 successful and 0 failed requests
    And the client's requests were answered by pods "pod1"
    And pod "pod-readiness-exec1" matches:
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
    And endpoints "svc-readiness" list pods "pod1" as ready and "pod-readiness-exec1" as not ready
    And endpoints "svc-readiness" matches:
      """yaml
      subsets:
      - notReadyAddresses:
        - targetRef: {name: pod-readiness-exec1}
      """
    When I run "kubectl get events --field-selector involvedObject.name=pod-readiness-exec1"
    Then the output contains:
      """
      Readiness probe failed: cat: can't open '/readiness/ready.txt': No such file or directory
      """
    # Timeline from pod-readiness-exec1's admission: the container started at 3 s; the probe ticks
    # at 10, 20, ... 60 s all failed (6 Unhealthy events). The file appears right after the 60 s
    # tick; three successes in a row are needed, at the ticks 70, 80 and 90 s: Ready 30 s after the
    # touch. (A real kubelet also probes a not-yet-ready container when its periodic one-minute
    # resync of the pod falls in between, which can make it up to one period sooner.)
    When "/tmp/readiness/ready.txt" is touched on node "k8s-node1"
    Then pod "pod-readiness-exec1" becomes Ready after 30 seconds
    And endpoints "svc-readiness" list pods "pod1, pod-readiness-exec1" as ready and "" as not ready
    When a client requests "http://svc-readiness:8080/hostname" every 1 second for 60 seconds
    Then the client saw 60 successful and 0 failed requests
    And the client's requests were answered by pods "pod1, pod-readiness-exec1"

  @story:Readiness
  Scenario: Without a readiness probe, users see errors while the new pod's application boots
    The notes' liveness manifests have no readiness probe: pod-liveness-httpget1 is Ready as soon as
    its container starts (3 s after it is created), ten seconds before its application answers.
    Meanwhile half of the requests go to it and fail.

    When I apply the manifest:
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
    And I apply the manifest:
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
    And 30 seconds pass
    When I apply the manifest:
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
    And a client requests "http://svc-liveness:8080/hostname" every 1 second for 30 seconds
    Then the client saw between 3 and 8 failed requests
    And the client's requests were answered by pods "pod2, pod-liveness-httpget1"
    When a client requests "http://svc-liveness:8080/hostname" every 1 second for 60 seconds
    Then the client saw no failed requests

  @story:Liveness
  Scenario: A liveness probe restarts a container whose /health answers 500
    When I apply the manifest:
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
    And I apply the manifest:
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
    And I apply the manifest:
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
    And 1 minute passes
    When I request "http://pod-liveness-httpget1:8080/health"
    Then the response status is 200
    # The application breaks: /health answers 500 from now on.
    When I request "http://pod-liveness-httpget1:8080/status500"
    And I request "http://pod-liveness-httpget1:8080/health"
    Then the response status is 500
    # The next three probes, 10 s apart, fail, and at the third the kubelet kills the container
    # (exit 137: grace period 0) — here 24 s after /status500: the pods were created within a period
    # of the kubelet's start, so their probe workers began at a random point of their period (as
    # upstream spreads them), and the ticks fall 4 s after each 10 s mark. The first restart has no
    # back-off: the image is pulled again (imagePullPolicy Always for an untagged image, 3 s), the new
    # container starts 5 s after the kill, and its requests are refused until its application serves
    # 10 s later.
    When a client requests "http://svc-liveness:8080/health" every 1 second for 60 seconds
    Then the client saw between 10 and 30 failed requests
    And pod "pod-liveness-httpget1" matches:
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
    When I run "kubectl get events --field-selector involvedObject.name=pod-liveness-httpget1"
    Then the output contains:
      """
      Liveness probe failed: HTTP probe failed with statuscode: 500
      """
    And the output contains:
      """
      Container liveness failed liveness probe, will be restarted
      """
    # The new container's application answers 200 again once it has booted.
    When a client requests "http://svc-liveness:8080/health" every 1 second for 60 seconds
    Then the client saw 60 successful and 0 failed requests
