import { test } from "node:test";
import assert from "node:assert/strict";
import { serveKubeletPath, type KubeletMetricsSource } from "./endpoints.ts";

/** A kubelet with two running containers of one pod and one of another, read at a fixed instant. */
const source: KubeletMetricsSource = {
  runningPods: () => 2,
  runningContainers: () => 3,
  resourceMetrics: () => ({
    timestamp: 1_704_672_060_000,
    node: { startTime: 1_704_672_000_000, cpuMs: 12_345.678, workingSetBytes: 262_144_000 },
    containers: [
      { namespace: "default", pod: "web", container: "nginx", startTime: 1_704_672_003_000, cpuMs: 1_500, workingSetBytes: 16_252_928 },
      { namespace: "default", pod: "web", container: "logshipper", startTime: 1_704_672_001_250, cpuMs: 20.5, workingSetBytes: 1_048_576 },
      { namespace: "kube-system", pod: "coredns-1", container: "coredns", startTime: 1_704_672_000_500, cpuMs: 0, workingSetBytes: 0 },
    ],
  }),
  // The pod's cgroup also counts an exited instance (250 ms) beside its running containers.
  podCpuMs: (ns, pod) => (ns === "default" && pod === "web" ? 1_770.5 : 0),
};

// Start times are float64(UnixNano())/1e9 as Go computes them: the nanoseconds rounded to a float64
// first (1704672001250000000 is not one), hence 1.7046720012499998e+09.
test("/metrics/resource: resource_metrics.go's families, sorted by name, each sample by its label values, with the scrape's timestamp", () => {
  const a = serveKubeletPath(source, "/metrics/resource");
  assert.equal(a.status, 200);
  assert.equal(a.contentType, "text/plain; version=0.0.4; charset=utf-8; escaping=values");
  assert.equal(
    a.body,
    `# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-1"} 0 1704672060000
container_cpu_usage_seconds_total{container="logshipper",namespace="default",pod="web"} 0.0205 1704672060000
container_cpu_usage_seconds_total{container="nginx",namespace="default",pod="web"} 1.5 1704672060000
# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-1"} 0 1704672060000
container_memory_working_set_bytes{container="logshipper",namespace="default",pod="web"} 1.048576e+06 1704672060000
container_memory_working_set_bytes{container="nginx",namespace="default",pod="web"} 1.6252928e+07 1704672060000
# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-1"} 1.7046720005e+09
container_start_time_seconds{container="logshipper",namespace="default",pod="web"} 1.7046720012499998e+09
container_start_time_seconds{container="nginx",namespace="default",pod="web"} 1.704672003e+09
# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total 12.345678 1704672060000
# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes 2.62144e+08 1704672060000
# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="default",pod="web"} 1.7705 1704672060000
pod_cpu_usage_seconds_total{namespace="kube-system",pod="coredns-1"} 0 1704672060000
# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="default",pod="web"} 1.7301504e+07 1704672060000
pod_memory_working_set_bytes{namespace="kube-system",pod="coredns-1"} 0 1704672060000
# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
# TYPE resource_scrape_error gauge
resource_scrape_error 0
`,
  );
});

test("the facade's time shift moves the timestamps and start times, not the usage", () => {
  const body = serveKubeletPath(source, "/metrics/resource", 1_000).body;
  assert.ok(body.includes('container_cpu_usage_seconds_total{container="nginx",namespace="default",pod="web"} 1.5 1704672061000\n'));
  assert.ok(body.includes('container_start_time_seconds{container="nginx",namespace="default",pod="web"} 1.704672004e+09\n'));
});

test("/metrics: build info, the kubelet's feature gates, its running pods and containers", () => {
  const a = serveKubeletPath(source, "/metrics");
  assert.equal(a.status, 200);
  const families = a.body.split("\n").filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2]);
  assert.deepEqual(families, ["kubelet_running_containers", "kubelet_running_pods", "kubernetes_build_info", "kubernetes_feature_enabled"]);
  assert.ok(a.body.includes('# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox\n# TYPE kubelet_running_pods gauge\nkubelet_running_pods 2\n'));
  assert.ok(a.body.includes('kubelet_running_containers{container_state="running"} 3\n'));
  assert.ok(a.body.includes('kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1\n'));
});

test("/healthz is ok; kubelet paths not simulated say so (501); unknown paths are Go's 404", () => {
  assert.deepEqual(serveKubeletPath(source, "/healthz"), { status: 200, body: "ok", contentType: "text/plain; charset=utf-8" });
  const pods = serveKubeletPath(source, "/pods");
  assert.equal(pods.status, 501);
  assert.match(pods.body, /the kubelet's \/pods is not simulated/);
  assert.equal(serveKubeletPath(source, "/stats/summary").status, 501);
  assert.equal(serveKubeletPath(source, "/metrics/cadvisor").status, 501);
  assert.deepEqual(serveKubeletPath(source, "/nope"), { status: 404, body: "404 page not found\n", contentType: "text/plain; charset=utf-8" });
  assert.equal(serveKubeletPath(source, "/").status, 404);
});
