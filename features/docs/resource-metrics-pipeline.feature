Feature: Resource metrics pipeline: the kubelet's /metrics/resource, which metrics-server scrapes
  # Source: https://kubernetes.io/docs/tasks/debug/debug-cluster/resource-metrics-pipeline/
  #
  # The page's pipeline: each kubelet serves node-level resource metrics at `/metrics/resource`
  # (cumulative CPU in core-seconds, the memory working set, each with the instant it was read);
  # metrics-server scrapes it on every node and serves the Metrics API that `kubectl top` reads.
  # The API server's node proxy reaches the endpoint (`/api/v1/nodes/<node>/proxy/metrics/resource`,
  # as "Node metrics data" reaches the kubelet's Summary API). The pod is the CPU page's vish/stress
  # (exercises/docs/pods/resource/cpu-request-limit.yaml). The scenarios read which series the
  # kubelet reports and how, not their values, which a real node's runtime decides. The page's own
  # Metrics API requests pipe the JSON into jq, which the user's shell here lacks.

  Background:
    Given a cluster with nodes:
      | name      | cpu |
      | k8s-node1 | 4   |
    When I run "kubectl create namespace cpu-example"
    And I apply the manifest file "exercises/docs/pods/resource/cpu-request-limit.yaml"
    Then within 1 minute pod "cpu-demo" in namespace "cpu-example" is Running

  Scenario: The kubelet reports the CPU and memory of the node, of each running container and of each pod
    When 30 seconds pass
    And I run "kubectl get --raw /api/v1/nodes/k8s-node1/proxy/metrics/resource | grep -E '^(node|container|pod)_(cpu|memory)' | grep -E '^node|cpu-demo' | cut -d' ' -f1"
    Then the output is:
      """
      container_cpu_usage_seconds_total{container="cpu-demo-ctr",namespace="cpu-example",pod="cpu-demo"}
      container_memory_working_set_bytes{container="cpu-demo-ctr",namespace="cpu-example",pod="cpu-demo"}
      node_cpu_usage_seconds_total
      node_memory_working_set_bytes
      pod_cpu_usage_seconds_total{namespace="cpu-example",pod="cpu-demo"}
      pod_memory_working_set_bytes{namespace="cpu-example",pod="cpu-demo"}
      """

  Scenario: Cumulative CPU is a counter in core-seconds, the working set a gauge in bytes
    When I run "kubectl get --raw /api/v1/nodes/k8s-node1/proxy/metrics/resource | grep -E '^# (HELP|TYPE) (container|node)_(cpu|memory|start)'"
    Then the output is:
      """
      # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
      # TYPE container_cpu_usage_seconds_total counter
      # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
      # TYPE container_memory_working_set_bytes gauge
      # HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
      # TYPE container_start_time_seconds gauge
      # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
      # TYPE node_cpu_usage_seconds_total counter
      # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
      # TYPE node_memory_working_set_bytes gauge
      """

  Scenario: Each sample carries the instant the kubelet read it, in milliseconds since the epoch
    When 30 seconds pass
    And I run "kubectl get --raw /api/v1/nodes/k8s-node1/proxy/metrics/resource | grep '^node_cpu' | cut -d' ' -f3 | wc -c"
    Then the output is:
      """
      14
      """
