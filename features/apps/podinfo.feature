@epic:Apps @feature:Podinfo
Feature: podinfo installed with its kustomization, verbatim
  # Source: https://github.com/stefanprodan/podinfo (README "Install" → "Kustomize": `kubectl apply -k
  # github.com/stefanprodan/podinfo//kustomize`; "Web API": the routes used below), at the release
  # 6.14.1 (commit eec06d1ea459af4cb4e10e806f8be7c7bd58b361, then also the default branch's head).
  # The kustomization's four files are copied verbatim in exercises/apps/podinfo/kustomize
  # (exercises/apps/SOURCES); the image ghcr.io/stefanprodan/podinfo:6.14.1 runs as its source does
  # (src/images/programs/podinfo.ts).
  podinfo is the small Go web application that Flux, Flagger and many workshops deploy to show how
  a service should behave on Kubernetes: it answers health checks, stops gracefully, and reports
  which pod and which version answered. Its kustomization creates a Service, a Deployment and a
  HorizontalPodAutoscaler. The Deployment has no `replicas:` (one pod at first) and the autoscaler
  asks for at least two. The container's probes are not HTTP probes: they run the image's own
  client, `podcli check http localhost:9898/readyz`, inside the container (exec probes).

  Background:
    Given a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -k github.com/stefanprodan/podinfo//kustomize"
    Then the output is:
      """
      service/podinfo created
      deployment.apps/podinfo created
      horizontalpodautoscaler.autoscaling/podinfo created
      """

  Scenario: The autoscaler raises the Deployment to its two minimum replicas; podcli's exec probes make them ready
    # The first pod is ready once its readiness probe (initialDelaySeconds: 5) has run podcli, which
    # waits one second before its request; minReadySeconds: 3 then makes it available.
    When I run "kubectl rollout status deployment/podinfo --timeout=60s"
    Then the output is:
      """
      Waiting for deployment "podinfo" rollout to finish: 0 of 1 updated replicas are available...
      deployment "podinfo" successfully rolled out
      """
    # The autoscaler's first pass finds one replica below minReplicas: 2 and scales to two without
    # reading any metric; then the pods' CPU (idle, 1% of their 100m request) keeps it at two.
    When 30 seconds pass
    And I run "kubectl get deployment,hpa podinfo"
    Then the output is:
      """
      NAME                      READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/podinfo   2/2     2            2           41s

      NAME                                          REFERENCE            TARGETS       MINPODS   MAXPODS   REPLICAS   AGE
      horizontalpodautoscaler.autoscaling/podinfo   Deployment/podinfo   cpu: 1%/99%   2         4         2          41s
      """
    When I run "kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON              OBJECT                            MESSAGE
      26s         Normal   SuccessfulRescale   horizontalpodautoscaler/podinfo   New size: 2; reason: Current number of replicas below Spec.MinReplicas
      """
    When I run "kubectl get pods -l app=podinfo"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      podinfo-869dc9cbb4-g8gpg   1/1     Running   0          26s
      podinfo-869dc9cbb4-ln8nr   1/1     Running   0          41s
      """
    # podinfo logs JSON lines (zap) on stderr: its version, the commit it was built at, its port.
    When I run "kubectl logs podinfo-869dc9cbb4-ln8nr"
    Then the output is:
      """
      {"level":"info","ts":"2024-01-08T00:00:01.450Z","caller":"podinfo/main.go:170","msg":"Starting podinfo","version":"6.14.1","revision":"eec06d1ea459af4cb4e10e806f8be7c7bd58b361","port":"9898"}
      {"level":"info","ts":"2024-01-08T00:00:01.450Z","caller":"http/server.go:273","msg":"Starting HTTP Server.","addr":":9898"}
      """

  Scenario: podinfo's web API, from inside the cluster
    # The image has curl. `kubectl exec deploy/podinfo` runs in the Deployment's first pod; `podinfo`
    # is the Service's name, which the cluster DNS resolves.
    Given I run "kubectl rollout status deployment/podinfo --timeout=60s"
    When I run "kubectl exec deploy/podinfo -- curl -s localhost:9898"
    Then the output is:
      """
      {
        "hostname": "podinfo-869dc9cbb4-ln8nr",
        "version": "6.14.1",
        "revision": "eec06d1ea459af4cb4e10e806f8be7c7bd58b361",
        "color": "#34577c",
        "logo": "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif",
        "message": "greetings from podinfo v6.14.1",
        "goos": "linux",
        "goarch": "amd64",
        "runtime": "go1.26.0",
        "num_goroutine": "8",
        "num_cpu": "4"
      }
      """
    When I run "kubectl exec deploy/podinfo -- curl -s podinfo:9898/version"
    Then the output is:
      """
      {
        "commit": "eec06d1ea459af4cb4e10e806f8be7c7bd58b361",
        "version": "6.14.1"
      }
      """
    When I run "kubectl exec deploy/podinfo -- curl -s -w ' %{http_code}\n' podinfo:9898/status/418"
    Then the output is:
      """
      {
        "status": 418
      } 418
      """
    # podcli, the client of the probes, logs on stderr and exits 0 on a status below 400.
    When I run "kubectl exec deploy/podinfo -- podcli check http podinfo:9898/healthz"
    Then the error output is:
      """
      2024-01-08T00:00:13.004Z	INFO	podcli/check.go:148	check succeed	{"address": "http://podinfo:9898/healthz", "status code": 200, "response size": "20 B"}
      """
    # A Service named podinfo puts PODINFO_PORT=tcp://<ip>:9898 in every later pod's environment,
    # and podinfo reads PODINFO_* variables as its settings. The Deployment's --port=9898 flag wins.
    When I run "kubectl exec deploy/podinfo -- sh -c 'curl -s localhost:9898/env | grep PODINFO_PORT='"
    Then the output is:
      """
        "PODINFO_PORT=tcp://10.105.253.216:9898",
      """

  Scenario: POST /readyz/disable takes a pod out of the Service after three failed readiness probes
    # The readiness probe runs every 10 s (periodSeconds' default) and needs three failures in a row
    # (failureThreshold) to mark the container not ready; the kubelet then probes once more at once.
    # The event's message is podcli's output.
    Given I run "kubectl rollout status deployment/podinfo --timeout=60s"
    And 30 seconds pass
    When I run "kubectl exec podinfo-869dc9cbb4-ln8nr -- curl -s -X POST localhost:9898/readyz/disable"
    And 30 seconds pass
    And I run "kubectl get pods -l app=podinfo"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      podinfo-869dc9cbb4-g8gpg   1/1     Running   0          56s
      podinfo-869dc9cbb4-ln8nr   0/1     Running   0          71s
      """
    When I run "kubectl get events --field-selector reason=Unhealthy"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON      OBJECT                         MESSAGE
      23s         Warning   Unhealthy   pod/podinfo-869dc9cbb4-ln8nr   Readiness probe failed: 2024-01-08T00:00:48.904Z   INFO   podcli/check.go:154   check failed   {"address": "http://localhost:9898/readyz", "status code": 503}
      13s         Warning   Unhealthy   pod/podinfo-869dc9cbb4-ln8nr   Readiness probe failed: 2024-01-08T00:00:58.904Z   INFO   podcli/check.go:154   check failed   {"address": "http://localhost:9898/readyz", "status code": 503}
      3s          Warning   Unhealthy   pod/podinfo-869dc9cbb4-ln8nr   Readiness probe failed: 2024-01-08T00:01:08.904Z   INFO   podcli/check.go:154   check failed   {"address": "http://localhost:9898/readyz", "status code": 503}
      2s          Warning   Unhealthy   pod/podinfo-869dc9cbb4-ln8nr   Readiness probe failed: 2024-01-08T00:01:09.904Z   INFO   podcli/check.go:154   check failed   {"address": "http://localhost:9898/readyz", "status code": 503}
      """
    When I run "kubectl get endpoints podinfo"
    Then the output is:
      """
      NAME      ENDPOINTS                         AGE
      podinfo   10.244.0.2:9999,10.244.0.2:9898   71s
      """
    When I run "kubectl exec podinfo-869dc9cbb4-ln8nr -- curl -s -X POST localhost:9898/readyz/enable"
    And 10 seconds pass
    And I run "kubectl get pods -l app=podinfo"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      podinfo-869dc9cbb4-g8gpg   1/1     Running   0          66s
      podinfo-869dc9cbb4-ln8nr   1/1     Running   0          81s
      """

  Scenario: A deleted pod fails its probes, waits three seconds for the endpoints to drop it, and exits 0
    # On SIGTERM podinfo answers 503 on /healthz and /readyz, logs the shutdown and waits 3 seconds
    # before it stops serving, so that requests already routed to it still get an answer.
    Given I run "kubectl rollout status deployment/podinfo --timeout=60s"
    And 30 seconds pass
    When I run "kubectl delete pod podinfo-869dc9cbb4-ln8nr --wait=false"
    And 1 second passes
    And I run "kubectl logs podinfo-869dc9cbb4-ln8nr"
    Then the output is:
      """
      {"level":"info","ts":"2024-01-08T00:00:01.450Z","caller":"podinfo/main.go:170","msg":"Starting podinfo","version":"6.14.1","revision":"eec06d1ea459af4cb4e10e806f8be7c7bd58b361","port":"9898"}
      {"level":"info","ts":"2024-01-08T00:00:01.450Z","caller":"http/server.go:273","msg":"Starting HTTP Server.","addr":":9898"}
      {"level":"info","ts":"2024-01-08T00:00:41.904Z","caller":"signals/shutdown.go:55","msg":"Shutting down HTTP/HTTPS server","timeout":5}
      """
    # It exits 3 seconds after the signal, well within the pod's 30-second grace period.
    When 3 seconds pass
    And I run "kubectl get pods -l app=podinfo"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      podinfo-869dc9cbb4-8rpd4   0/1     Running   0          4s
      podinfo-869dc9cbb4-g8gpg   1/1     Running   0          30s
      """

  Scenario: An image tag podinfo never released cannot be pulled, and the rollout stops at its progress deadline
    # ghcr.io/stefanprodan/podinfo has the tags podinfo's release workflow pushed (5.0.0 to 6.14.1).
    Given I run "kubectl rollout status deployment/podinfo --timeout=60s"
    And 30 seconds pass
    When I run "kubectl set image deployment/podinfo podinfod=ghcr.io/stefanprodan/podinfo:6.15.0"
    And 5 seconds pass
    And I run "kubectl get pods -l app=podinfo"
    Then the output is:
      """
      NAME                       READY   STATUS         RESTARTS   AGE
      podinfo-6f87548db8-8jght   0/1     ErrImagePull   0          5s
      podinfo-869dc9cbb4-g8gpg   1/1     Running        0          31s
      podinfo-869dc9cbb4-ln8nr   1/1     Running        0          46s
      """
    When I run "kubectl get events --field-selector reason=Failed"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON   OBJECT                         MESSAGE
      4s          Warning   Failed   pod/podinfo-6f87548db8-8jght   Failed to pull image "ghcr.io/stefanprodan/podinfo:6.15.0": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/stefanprodan/podinfo:6.15.0": failed to resolve reference "ghcr.io/stefanprodan/podinfo:6.15.0": ghcr.io/stefanprodan/podinfo:6.15.0: not found
      4s          Warning   Failed   pod/podinfo-6f87548db8-8jght   Error: ErrImagePull
      4s          Warning   Failed   pod/podinfo-6f87548db8-8jght   Error: ImagePullBackOff
      """
    # maxUnavailable: 0 keeps both old pods serving; after progressDeadlineSeconds (60) the rollout is reported stuck.
    When 60 seconds pass
    And I try to run "kubectl rollout status deployment/podinfo"
    Then the command fails with:
      """
      error: deployment "podinfo" exceeded its progress deadline
      """
    When I run "kubectl get deployment podinfo"
    Then the output is:
      """
      NAME      READY   UP-TO-DATE   AVAILABLE   AGE
      podinfo   2/2     1            2           106s
      """
    # An existing tag: the new pods report that release and the commit it was built at.
    When I run "kubectl set image deployment/podinfo podinfod=ghcr.io/stefanprodan/podinfo:6.14.0"
    And I run "kubectl rollout status deployment/podinfo --timeout=2m"
    And 30 seconds pass
    And I run "kubectl exec deploy/podinfo -- curl -s localhost:9898/version"
    Then the output is:
      """
      {
        "commit": "a30fa3224289a3f3e413157104dee8844e329926",
        "version": "6.14.0"
      }
      """
