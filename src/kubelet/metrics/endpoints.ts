/**
 * The kubelet's Prometheus endpoints on its server (pkg/kubelet/server/server.go InstallDefaultHandlers
 * and InstallSystemLogHandler's neighbours), what `kubectl get --raw /api/v1/nodes/<node>/proxy/<path>`
 * reads through the API server's node proxy:
 *
 * - `/metrics`: the kubelet's legacyregistry. Of its families, those the simulation determines
 *   exactly: `kubernetes_build_info`, `kubernetes_feature_enabled` (the kubelet's
 *   DefaultMutableFeatureGate.AddMetrics, cmd/kubelet/app/server.go), `kubelet_running_pods`
 *   (pods with a running sandbox) and `kubelet_running_containers{container_state="running"}`
 *   (pkg/kubelet/metrics/metrics.go, set by the PLEG's relist from the runtime's containers).
 * - `/metrics/resource`: pkg/kubelet/metrics/collectors/resource_metrics.go over the CPU and memory
 *   stats metrics-server scrapes (./resource_metrics.ts): per node, running container and pod, the
 *   cumulative CPU (counters, core-seconds) and the memory working set (gauges, bytes) with the
 *   instant they were read, each container's start time, and `resource_scrape_error` 0. The
 *   deprecated `scrape_error` (since 1.29.0) is hidden in 1.32, as component-base hides a metric
 *   deprecated before the current minor release.
 * - `/healthz`: `ok`.
 *
 * Other paths the kubelet serves (/pods, /stats/summary, /configz, /metrics/cadvisor,
 * /metrics/probes, /logs, …) are not simulated: the answer says so (a 501 Not Implemented whose
 * body names the path), never a made-up body. What is left out is in docs/divergences.md.
 */
import { buildInfoFamily } from "../../api/componentbase/buildinfo.ts";
import { featureEnabledFamily } from "../../api/componentbase/featuregate.ts";
import { help, TEXT_CONTENT_TYPE, writeText, type MetricFamily, type Sample } from "../../api/componentbase/textformat.ts";
import type { ResourceMetrics } from "./resource_metrics.ts";

/** What the endpoints read of a kubelet. */
export interface KubeletMetricsSource {
  /** Pods whose sandbox runs. */
  runningPods(): number;
  /** Containers the runtime reports running. */
  runningContainers(): number;
  /** The resource metrics at this instant (./resource_metrics.ts). */
  resourceMetrics(): ResourceMetrics;
  /** Cumulative CPU ms of a pod's cgroup: every instance of its containers, exited ones included. */
  podCpuMs(namespace: string, pod: string): number;
}

/** A kubelet server's answer. */
export interface KubeletAnswer {
  status: number;
  body: string;
  contentType: string;
}

const NOT_SIMULATED = ["/pods", "/runningpods", "/stats", "/configz", "/spec", "/logs", "/metrics/cadvisor", "/metrics/probes", "/metrics/slis", "/checkpoint", "/debug", "/containerLogs", "/exec", "/attach", "/portForward", "/run", "/cri"];

/** Go's nanosecond integer of a duration in ms, as float64(ns)/1e9 seconds (resource_metrics.go). */
function seconds(ms: number): number {
  return Number(BigInt(Math.round(ms * 1e6))) / 1e9;
}

/** `/metrics`. */
export function kubeletMetricsFamilies(src: KubeletMetricsSource): MetricFamily[] {
  return [
    buildInfoFamily(),
    featureEnabledFamily(),
    { name: "kubelet_running_pods", help: help("ALPHA", "Number of pods that have a running pod sandbox"), type: "gauge", samples: [{ value: src.runningPods() }] },
    {
      name: "kubelet_running_containers",
      help: help("ALPHA", "Number of containers currently running"),
      type: "gauge",
      samples: [{ labels: { container_state: "running" }, value: src.runningContainers() }],
    },
  ];
}

/** `/metrics/resource` (collectors/resource_metrics.go's descriptors, in its words). */
export function resourceMetricsFamilies(src: KubeletMetricsSource, delta = 0): MetricFamily[] {
  const m = src.resourceMetrics();
  const ts = m.timestamp + delta;
  const containerLabels = (c: { container: string; pod: string; namespace: string }) => ({ container: c.container, pod: c.pod, namespace: c.namespace });
  const cpu: Sample[] = [];
  const mem: Sample[] = [];
  const start: Sample[] = [];
  const pods = new Map<string, { namespace: string; pod: string; memory: number }>();
  for (const c of m.containers) {
    start.push({ labels: containerLabels(c), value: seconds(c.startTime + delta) });
    cpu.push({ labels: containerLabels(c), value: seconds(c.cpuMs), timestampMs: ts });
    mem.push({ labels: containerLabels(c), value: c.workingSetBytes, timestampMs: ts });
    const key = `${c.namespace}/${c.pod}`;
    const p = pods.get(key) ?? { namespace: c.namespace, pod: c.pod, memory: 0 };
    p.memory += c.workingSetBytes;
    pods.set(key, p);
  }
  const podCpu: Sample[] = [];
  const podMem: Sample[] = [];
  for (const p of pods.values()) {
    podCpu.push({ labels: { pod: p.pod, namespace: p.namespace }, value: seconds(src.podCpuMs(p.namespace, p.pod)), timestampMs: ts });
    podMem.push({ labels: { pod: p.pod, namespace: p.namespace }, value: p.memory, timestampMs: ts });
  }
  return [
    { name: "node_cpu_usage_seconds_total", help: help("STABLE", "Cumulative cpu time consumed by the node in core-seconds"), type: "counter", samples: [{ value: seconds(m.node.cpuMs), timestampMs: ts }] },
    { name: "node_memory_working_set_bytes", help: help("STABLE", "Current working set of the node in bytes"), type: "gauge", samples: [{ value: m.node.workingSetBytes, timestampMs: ts }] },
    { name: "container_start_time_seconds", help: help("STABLE", "Start time of the container since unix epoch in seconds"), type: "gauge", samples: start },
    { name: "container_cpu_usage_seconds_total", help: help("STABLE", "Cumulative cpu time consumed by the container in core-seconds"), type: "counter", samples: cpu },
    { name: "container_memory_working_set_bytes", help: help("STABLE", "Current working set of the container in bytes"), type: "gauge", samples: mem },
    { name: "pod_cpu_usage_seconds_total", help: help("STABLE", "Cumulative cpu time consumed by the pod in core-seconds"), type: "counter", samples: podCpu },
    { name: "pod_memory_working_set_bytes", help: help("STABLE", "Current working set of the pod in bytes"), type: "gauge", samples: podMem },
    { name: "resource_scrape_error", help: help("STABLE", "1 if there was an error while getting container metrics, 0 otherwise"), type: "gauge", samples: [{ value: 0 }] },
  ];
}

/**
 * The kubelet server's answer to a GET of `path` (no query: the metrics handlers read none); its
 * instants shifted by `delta` ms (the facade presents simulated time anchored to the wall clock,
 * src/server/timeshift.ts).
 */
export function serveKubeletPath(src: KubeletMetricsSource, path: string, delta = 0): KubeletAnswer {
  if (path === "/metrics") return { status: 200, body: writeText(kubeletMetricsFamilies(src)), contentType: TEXT_CONTENT_TYPE };
  if (path === "/metrics/resource") return { status: 200, body: writeText(resourceMetricsFamilies(src, delta)), contentType: TEXT_CONTENT_TYPE };
  if (path === "/healthz") return { status: 200, body: "ok", contentType: "text/plain; charset=utf-8" };
  if (NOT_SIMULATED.some((p) => path === p || path.startsWith(p + "/"))) {
    return { status: 501, body: `the kubelet's ${path} is not simulated by kube-scenario (its /metrics, /metrics/resource and /healthz are)\n`, contentType: "text/plain; charset=utf-8" };
  }
  // Go's ServeMux for a path no handler has.
  return { status: 404, body: "404 page not found\n", contentType: "text/plain; charset=utf-8" };
}
