Feature: Configure Liveness, Readiness and Startup Probes
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
  #
  # The page's four examples with their manifests verbatim (exercises/docs/pods/probe/): a busybox
  # liveness command, agnhost's liveness HTTP server, goproxy's TCP socket, etcd's gRPC health.

  Background:
    Given a cluster with nodes:
      | name   |
      | node01 |

  Scenario: Define a liveness command: no failure in the first 30 seconds
    When I apply the manifest file "exercises/docs/pods/probe/exec-liveness.yaml"
    And 25 seconds pass
    Then the events of pod "liveness-exec" contain:
      """
      Normal Scheduled Successfully assigned default/liveness-exec to node01
      Normal Pulling   Pulling image "registry.k8s.io/busybox:1.27.2"
      Normal Created   Created container: liveness
      Normal Started   Started container liveness
      """
    And pod "liveness-exec" has restarted 0 times
    When I run "kubectl describe pod liveness-exec"
    Then the output does not contain:
      """
      Unhealthy
      """

  Scenario: Define a liveness command: after /tmp/healthy is removed the probe fails three times and the container is restarted
    When I apply the manifest file "exercises/docs/pods/probe/exec-liveness.yaml"
    And 50 seconds pass
    Then the events of pod "liveness-exec" contain:
      """
      Normal  Started   Started container liveness
      Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
      Normal  Killing   Container liveness failed liveness probe, will be restarted
      """
    When I run "kubectl describe pod liveness-exec"
    Then the output contains:
      """
      Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
      """
    When 30 seconds pass
    And I run "kubectl get pod liveness-exec"
    Then the output contains:
      """
      liveness-exec   1/1     Running   1 (
      """

  Scenario: Define a liveness HTTP request: /healthz fails after 10 seconds and the kubelet restarts the container
    When I apply the manifest file "exercises/docs/pods/probe/http-liveness.yaml"
    And 25 seconds pass
    Then the events of pod "liveness-http" contain:
      """
      Normal  Pulling   Pulling image "registry.k8s.io/e2e-test-images/agnhost:2.40"
      Normal  Started   Started container liveness
      Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 500
      Normal  Killing   Container liveness failed liveness probe, will be restarted
      """
    And pod "liveness-http" has restarted 1 time
    And pod "liveness-http" matches:
      """yaml
      status:
        containerStatuses:
        - name: liveness
          lastState:
            terminated:
              exitCode: 2
              reason: Error
      """

  Scenario: Define a TCP liveness probe: goproxy accepts on 8080, the pod is Ready after 15 seconds
    When I apply the manifest file "exercises/docs/pods/probe/tcp-liveness-readiness.yaml"
    Then within 30 seconds pod "goproxy" becomes Ready
    When 30 seconds pass
    Then pod "goproxy" has restarted 0 times
    When I run "kubectl describe pod goproxy"
    Then the output does not contain:
      """
      Unhealthy
      """

  Scenario: Define a gRPC liveness probe: etcd serves the gRPC health check on 2379
    When I apply the manifest file "exercises/docs/pods/probe/grpc-liveness.yaml"
    And 15 seconds pass
    Then pod "etcd-with-grpc" is Running
    When 1 minute passes
    Then pod "etcd-with-grpc" has restarted 0 times
    When I run "kubectl describe pod etcd-with-grpc"
    Then the output contains:
      """
      Liveness:       grpc <pod>:2379  delay=10s timeout=1s period=10s #success=1 #failure=3
      """
    And the output does not contain:
      """
      Unhealthy
      """

  Scenario: gRPC probes run against the pod's IP: an etcd that listens on localhost only fails them
    # "Be sure to configure your gRPC endpoint to listen on the Pod's IP address." The same pod
    # with etcd's default client URL (http://localhost:2379).
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: etcd-localhost
      spec:
        containers:
        - name: etcd
          image: registry.k8s.io/etcd:3.5.1-0
          command: [ "/usr/local/bin/etcd", "--data-dir",  "/var/lib/etcd"]
          ports:
          - containerPort: 2379
          livenessProbe:
            grpc:
              port: 2379
            initialDelaySeconds: 10
      """
    And 45 seconds pass
    Then the events of pod "etcd-localhost" contain:
      """
      Normal  Killing   Container etcd failed liveness probe, will be restarted
      """
    And pod "etcd-localhost" has restarted 1 time

  Scenario: Define readiness probes: the exec readiness probe keeps the pod out of Ready until the file exists
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: readiness-exec
      spec:
        containers:
        - name: readiness
          image: registry.k8s.io/busybox:1.27.2
          args: ["/bin/sh", "-c", "sleep 20; touch /tmp/healthy; sleep 600"]
          readinessProbe:
            exec:
              command:
              - cat
              - /tmp/healthy
            initialDelaySeconds: 5
            periodSeconds: 5
      """
    And 15 seconds pass
    Then pod "readiness-exec" is not Ready
    And within 20 seconds pod "readiness-exec" becomes Ready
