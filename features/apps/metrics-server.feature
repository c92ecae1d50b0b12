@epic:Apps @feature:MetricsServer
Feature: metrics-server installed from its release manifest, verbatim
  # Source: https://github.com/kubernetes-sigs/metrics-server (README "Installation": `kubectl apply -f
  # https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml`),
  # pinned here to the release v0.7.2 (tag commit 096960107da4a1b2e2ec83b2ac3424248cfc0ad5). The
  # release asset is `kubectl kustomize manifests/overlays/release` at that tag; its copy is
  # exercises/apps/metrics-server/components.yaml (exercises/apps/SOURCES).
  metrics-server collects the CPU and memory of every node and pod from the kubelets and serves
  them as the `metrics.k8s.io` API, which `kubectl top` and the HorizontalPodAutoscaler read. Its
  manifest creates a ServiceAccount, RBAC (with a ClusterRole aggregated into admin, edit and
  view), a Service, a Deployment and the APIService `v1beta1.metrics.k8s.io`, which tells the API
  server to forward that API to the Service. The API server marks the APIService Available only
  when the Service has a ready endpoint and answers discovery.

  The nodes of a kind (or kubeadm) cluster serve the kubelet's API with a self-signed certificate
  that names the node's hostname but not its IP address. metrics-server connects to each kubelet by
  its InternalIP and verifies the certificate, so every scrape fails, metrics-server never has
  metrics, its readiness probe (`/readyz`) fails, and the APIService stays unavailable. The
  README's answer for such clusters is the flag `--kubelet-insecure-tls`.

  Background:
    Given a cluster with nodes:
      | name         | cpu | memory |
      | kind-worker  | 4   | 8Gi    |
      | kind-worker2 | 4   | 8Gi    |
    When I run "kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.7.2/components.yaml"
    Then the output is:
      """
      serviceaccount/metrics-server created
      clusterrole.rbac.authorization.k8s.io/system:aggregated-metrics-reader created
      clusterrole.rbac.authorization.k8s.io/system:metrics-server created
      rolebinding.rbac.authorization.k8s.io/metrics-server-auth-reader created
      clusterrolebinding.rbac.authorization.k8s.io/metrics-server:system:auth-delegator created
      clusterrolebinding.rbac.authorization.k8s.io/system:metrics-server created
      service/metrics-server created
      deployment.apps/metrics-server created
      apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created
      """

  Scenario: On a kind cluster the verbatim manifest never becomes ready: the kubelets' certificates have no IP SANs
    When 60 seconds pass
    And I run "kubectl get deployment metrics-server -n kube-system"
    Then the output is:
      """
      NAME             READY   UP-TO-DATE   AVAILABLE   AGE
      metrics-server   0/1     1            0           60s
      """
    When I run "kubectl get pods -n kube-system -l k8s-app=metrics-server"
    Then the output is:
      """
      NAME                              READY   STATUS    RESTARTS   AGE
      metrics-server-695fb75594-j4j9s   0/1     Running   0          60s
      """
    # Every scrape (at start, then every --metric-resolution=15s) fails on each node's certificate.
    When I run "kubectl logs -n kube-system deployment/metrics-server"
    Then the output contains:
      """
      "Failed to scrape node" err="Get \"https://172.18.0.3:10250/metrics/resource\": tls: failed to verify certificate: x509: cannot validate certificate for 172.18.0.3 because it doesn't contain any IP SANs" node="kind-worker"
      """
    And the output contains:
      """
      "Failed probe" probe="metric-storage-ready" err="no metrics to serve"
      """
    When I run "kubectl get events -n kube-system --field-selector reason=Unhealthy"
    Then the output is:
      """
      LAST SEEN   TYPE      REASON      OBJECT                                MESSAGE
      3s          Warning   Unhealthy   pod/metrics-server-695fb75594-j4j9s   Readiness probe failed: HTTP probe failed with statuscode: 500
      """
    # The Service has no ready endpoint: the API server's availability check stops there.
    When I run "kubectl get apiservice v1beta1.metrics.k8s.io"
    Then the output is:
      """
      NAME                     SERVICE                      AVAILABLE                  AGE
      v1beta1.metrics.k8s.io   kube-system/metrics-server   False (MissingEndpoints)   60s
      """
    When I run "kubectl get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type==\"Available\")].message}'"
    Then the output is:
      """
      endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"
      """
    # The API server answers 503 for an APIService that is not Available.
    When I try to run "kubectl top nodes"
    Then the command fails with:
      """
      Error from server (ServiceUnavailable): the server is currently unable to handle the request (get nodes.metrics.k8s.io)
      """
    When I try to run "kubectl top pods -n kube-system"
    Then the command fails with:
      """
      Error from server (ServiceUnavailable): the server is currently unable to handle the request (get pods.metrics.k8s.io)
      """

  Scenario: With --kubelet-insecure-tls the Deployment becomes Available, the APIService Available, and kubectl top works
    # The flag the README gives for clusters whose kubelets have self-signed certificates, added to
    # the container's arguments; the Deployment rolls out a new pod (maxUnavailable: 0).
    When 60 seconds pass
    And I run "kubectl patch deployment metrics-server -n kube-system --type=json -p '[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/args/-\",\"value\":\"--kubelet-insecure-tls\"}]'"
    Then the output is:
      """
      deployment.apps/metrics-server patched
      """
    # Two scrapes 15 s apart give the first metrics; the readiness probe starts after 20 s.
    When I run "kubectl wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=120s"
    Then the output is:
      """
      apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io condition met
      """
    When I run "kubectl rollout status deployment/metrics-server -n kube-system"
    Then the output is:
      """
      deployment "metrics-server" successfully rolled out
      """
    When I run "kubectl get pods -n kube-system -l k8s-app=metrics-server"
    Then the output is:
      """
      NAME                              READY   STATUS    RESTARTS   AGE
      metrics-server-775ccfbfd9-dg5zz   1/1     Running   0          30s
      """
    When I run "kubectl get apiservice v1beta1.metrics.k8s.io"
    Then the output is:
      """
      NAME                     SERVICE                      AVAILABLE   AGE
      v1beta1.metrics.k8s.io   kube-system/metrics-server   True        90s
      """
    When I run "kubectl get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type==\"Available\")].reason}: {.status.conditions[?(@.type==\"Available\")].message}'"
    Then the output is:
      """
      Passed: all checks passed
      """
    When I run "kubectl top nodes"
    Then the output contains:
      """
      NAME           CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)
      """
    And the output contains:
      """
      kind-worker2
      """
    When I run "kubectl top pods -n kube-system"
    Then the output contains:
      """
      metrics-server-775ccfbfd9-dg5zz
      """
