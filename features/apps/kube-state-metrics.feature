@epic:Apps @feature:KubeStateMetrics
Feature: kube-state-metrics installed from its standard example, verbatim
  # Source: https://github.com/kubernetes/kube-state-metrics (README "Kubernetes Deployment": "To
  # deploy this project, you can simply run `kubectl apply -f examples/standard`"), pinned to the
  # release v2.15.0 (tag commit 4a585c91beffdbd1378833ce5f102b401e7e57c5), the release built with
  # client-go v1.32. The directory's copy is exercises/apps/kube-state-metrics/examples/standard
  # (exercises/apps/SOURCES); its image's model follows the tag's source
  # (src/images/programs/kubestatemetrics.ts).
  kube-state-metrics lists and watches the Kubernetes API as its ServiceAccount (a ClusterRole lets
  it list and watch every kind it reports on) and serves the state of the objects as Prometheus
  metrics: `/metrics` on port 8080, in the text exposition format, one family per fact
  (`kube_pod_status_phase`, `kube_pod_container_status_restarts_total`,
  `kube_deployment_status_replicas_available`, `kube_node_status_condition`, …), each sample
  labelled with the object's namespace and name. Its own health is on 8080 (`/livez`, `/healthz`)
  and 8081 (`/readyz`, what the Deployment's readiness probe asks).

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |

  Scenario: The README's `kubectl apply -f examples/standard` also reads the directory's kustomization.yaml
    # The directory holds a kustomization.yaml since v2.13 (for `kubectl apply -k`). `kubectl apply -f
    # DIR` reads every .yaml file in it as a manifest; a Kustomization is no API kind, so kubectl
    # reports it after creating the five objects, and exits 1.
    When I try to run "kubectl apply -f exercises/apps/kube-state-metrics/examples/standard"
    Then the command fails with:
      """
      error: resource mapping not found for name: "" namespace: "" from "exercises/apps/kube-state-metrics/examples/standard/kustomization.yaml": no matches for kind "Kustomization" in version "kustomize.config.k8s.io/v1beta1"
      ensure CRDs are installed first
      """
    And the output is:
      """
      clusterrolebinding.rbac.authorization.k8s.io/kube-state-metrics created
      clusterrole.rbac.authorization.k8s.io/kube-state-metrics created
      deployment.apps/kube-state-metrics created
      serviceaccount/kube-state-metrics created
      service/kube-state-metrics created
      """
    # The same directory as a kustomization (the remote form, without a clone) changes nothing.
    When I run "kubectl apply -k github.com/kubernetes/kube-state-metrics//examples/standard?ref=v2.15.0"
    Then the output is:
      """
      serviceaccount/kube-state-metrics unchanged
      clusterrole.rbac.authorization.k8s.io/kube-state-metrics unchanged
      clusterrolebinding.rbac.authorization.k8s.io/kube-state-metrics unchanged
      service/kube-state-metrics unchanged
      deployment.apps/kube-state-metrics unchanged
      """
    When I run "kubectl rollout status deployment/kube-state-metrics -n kube-system"
    Then the output is:
      """
      Waiting for deployment "kube-state-metrics" rollout to finish: 0 of 1 updated replicas are available...
      deployment "kube-state-metrics" successfully rolled out
      """
    When I run "kubectl logs -n kube-system deployment/kube-state-metrics"
    Then the output contains:
      """
      "Started metrics server" metricsServerAddress="[::]:8080"
      """

  Scenario: Curl its metrics from a pod and watch a pod's phase and restarts change
    When I run "kubectl apply -k github.com/kubernetes/kube-state-metrics//examples/standard?ref=v2.15.0"
    And I run "kubectl run curl --image=curlimages/curl:8.11.1 --restart=Never -- sleep 3600"
    And I run "kubectl rollout status deployment/kube-state-metrics -n kube-system"
    And I run "kubectl wait --for=condition=Ready pod/curl"
    # The Service is headless (clusterIP: None): its name resolves to the pod's address.
    When I run "kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/healthz"
    Then the output is:
      """
      OK
      """
    When I run "kubectl exec curl -- curl -s kube-state-metrics.kube-system:8081/readyz"
    Then the output is:
      """
      OK
      """
    # The node's conditions, one sample per status (true, false, unknown), 1 for the current one.
    When I run:
      """
      kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/metrics | grep -A5 "^# HELP kube_node_status_condition"
      """
    Then the output is:
      """
      # HELP kube_node_status_condition [STABLE] The condition of a cluster node.
      # TYPE kube_node_status_condition gauge
      kube_node_status_condition{node="kind-worker",condition="MemoryPressure",status="true"} 0
      kube_node_status_condition{node="kind-worker",condition="MemoryPressure",status="false"} 1
      kube_node_status_condition{node="kind-worker",condition="MemoryPressure",status="unknown"} 0
      kube_node_status_condition{node="kind-worker",condition="DiskPressure",status="true"} 0
      """
    When I run:
      """
      kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/metrics | grep "^kube_deployment_status_replicas_available"
      """
    Then the output is:
      """
      kube_deployment_status_replicas_available{namespace="kube-system",deployment="kube-state-metrics"} 1
      """
    # A container that exits after 5 seconds: first Pending while its image is pulled…
    When I run "kubectl run crash --image=busybox:1.36 -- sh -c 'sleep 5; exit 1'"
    And I run:
      """
      kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/metrics | grep 'pod="crash"' | grep "kube_pod_status_phase\|kube_pod_container_status_restarts_total\|kube_pod_container_status_waiting_reason"
      """
    Then the output is:
      """
      kube_pod_container_status_restarts_total{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",container="crash"} 0
      kube_pod_container_status_waiting_reason{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",container="crash",reason="ContainerCreating"} 1
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Pending"} 1
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Succeeded"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Failed"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Unknown"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Running"} 0
      """
    # …then Running, restarted by the kubelet with a growing back-off (10 s, 20 s, …).
    When 40 seconds pass
    And I run "kubectl get pod crash"
    Then the output is:
      """
      NAME    READY   STATUS             RESTARTS      AGE
      crash   0/1     CrashLoopBackOff   2 (13s ago)   40s
      """
    When I run:
      """
      kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/metrics | grep 'pod="crash"' | grep "kube_pod_status_phase\|kube_pod_container_status_restarts_total\|kube_pod_container_status_waiting_reason\|last_terminated_reason"
      """
    Then the output is:
      """
      kube_pod_container_status_last_terminated_reason{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",container="crash",reason="Error"} 1
      kube_pod_container_status_restarts_total{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",container="crash"} 2
      kube_pod_container_status_waiting_reason{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",container="crash",reason="CrashLoopBackOff"} 1
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Pending"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Succeeded"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Failed"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Unknown"} 0
      kube_pod_status_phase{namespace="default",pod="crash",uid="7307d223-8894-400d-950a-0b5dfc3b0c22",phase="Running"} 1
      """
    # A ClusterRole without `pods` (the fourth resource of its first rule): the service account may
    # not list pods, so a restarted kube-state-metrics logs client-go's reflector error for them and
    # writes no pod families.
    When I run "kubectl patch clusterrole kube-state-metrics --type=json -p '[{\"op\":\"remove\",\"path\":\"/rules/0/resources/3\"}]'"
    And I run "kubectl rollout restart deployment/kube-state-metrics -n kube-system"
    And I run "kubectl rollout status deployment/kube-state-metrics -n kube-system"
    And I run "kubectl logs -n kube-system deployment/kube-state-metrics"
    Then the output contains:
      """
      "Unhandled Error" err="k8s.io/kube-state-metrics/v2/internal/store/builder.go:610: Failed to watch *v1.Pod: failed to list *v1.Pod: pods is forbidden: User \"system:serviceaccount:kube-system:kube-state-metrics\" cannot list resource \"pods\" in API group \"\" at the cluster scope" logger="UnhandledError"
      """
    # The nodes it may still list are there; the pods' families are not.
    When I run:
      """
      kubectl exec curl -- curl -s kube-state-metrics.kube-system:8080/metrics | grep "^# HELP kube_node_info\|^# HELP kube_pod_status_phase"
      """
    Then the output is:
      """
      # HELP kube_node_info [STABLE] Information about a cluster node.
      """
