/**
 * The `metrics.k8s.io/v1beta1` API as metrics-server serves it (pkg/api/pod.go, node.go):
 * PodMetrics per pod (its containers' CPU and memory usage, the scrape's timestamp and window)
 * and NodeMetrics per node. Only pods and nodes with two scrapes behind them have metrics; a pod
 * asked for by name without them is NotFound, as metrics-server answers.
 *
 * Readers: `kubectl top`, the HorizontalPodAutoscaler controller's resource metrics client, and
 * the facade (`/apis/metrics.k8s.io/v1beta1/...`).
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import { ApiError } from "../api/errors.ts";
import { aggregatedAPIState, serviceUnavailable } from "../api/aggregator.ts";
import { Quantity } from "../api/quantity.ts";
import { toRFC3339 } from "../sim/clock.ts";
import { goDuration } from "../sim/duration.ts";
import { metricsServer, type MetricsServer } from "./server.ts";
import type { Usage } from "./storage.ts";

export const METRICS_API_VERSION = "metrics.k8s.io/v1beta1";

export interface MetricsListOptions {
  namespace?: string;
  /** Label selector over the pods' (nodes') labels. */
  labelSelector?: (labels: Record<string, string>) => boolean;
}

/** The error kubectl prints when no metrics API is registered. */
export class MetricsUnavailableError extends Error {
  constructor() {
    super("Metrics API not available");
    this.name = "MetricsUnavailableError";
  }
}

/**
 * The metrics-server that answers. An APIService `v1beta1.metrics.k8s.io` (a metrics-server
 * installed from its manifest, exercises/apps/metrics-server) routes the group: while it is not
 * Available the aggregator answers 503 (src/api/aggregator.ts), once it is the simulated scrapes
 * answer. Without one the built-in metrics-server answers (docs/divergences.md).
 */
function server(ctx: ClusterContext, resource: "pods" | "nodes", name?: string): MetricsServer {
  if (aggregatedAPIState(ctx.api, "metrics.k8s.io", "v1beta1") === "unavailable") throw serviceUnavailable("get", resource, "metrics.k8s.io", name);
  const s = metricsServer(ctx);
  if (!s) throw new MetricsUnavailableError();
  return s;
}

/** CPU as metrics-server reports it: nanocores (`1043146n`), memory in bytes (BinarySI: `11260Ki`). */
export function usageQuantities(u: Usage): { cpu: string; memory: string } {
  return { cpu: String(Quantity.of(u.cpuNanoCores, -9)), memory: String(Quantity.of(u.memoryBytes, 0, "BinarySI")) };
}

function podMetricsOf(ctx: ClusterContext, s: MetricsServer, pod: KObject): KObject | undefined {
  const m = s.pods.get(pod.metadata.namespace ?? "default", pod.metadata.name!);
  if (!m) return undefined;
  const order = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: { name: string }) => c.name);
  const containers = [...m.containers].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return {
    kind: "PodMetrics",
    apiVersion: METRICS_API_VERSION,
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: ctx.clock.nowRFC3339(),
      ...(pod.metadata.labels ? { labels: { ...pod.metadata.labels } } : {}),
    },
    timestamp: toRFC3339(m.timestamp),
    window: goDuration(m.windowMs),
    containers: containers.map((c) => ({ name: c.name, usage: usageQuantities(c.usage) })),
  } as KObject;
}

/** GET .../pods: the metrics of the (selected) pods that have them. */
export function listPodMetrics(ctx: ClusterContext, opts: MetricsListOptions = {}): KObject[] {
  const s = server(ctx, "pods");
  const out: KObject[] = [];
  const pods = ctx.api.list("Pod", { namespace: opts.namespace, labelSelector: opts.labelSelector });
  for (const pod of pods) {
    const m = podMetricsOf(ctx, s, pod);
    if (m) out.push(m);
  }
  return out;
}

/** GET .../namespaces/<ns>/pods/<name>. */
export function getPodMetrics(ctx: ClusterContext, namespace: string, name: string): KObject {
  const s = server(ctx, "pods", name);
  const pod = ctx.api.get("Pod", namespace, name);
  const m = pod ? podMetricsOf(ctx, s, pod) : undefined;
  if (!m) throw new ApiError("NotFound", `podmetrics.metrics.k8s.io "${namespace}/${name}" not found`, { group: "metrics.k8s.io", kind: "pods", name: `${namespace}/${name}`, causes: [] });
  return m;
}

function nodeMetricsOf(ctx: ClusterContext, s: MetricsServer, node: KObject): KObject | undefined {
  const u = s.nodes.get(node.metadata.name!);
  if (!u) return undefined;
  return {
    kind: "NodeMetrics",
    apiVersion: METRICS_API_VERSION,
    metadata: {
      name: node.metadata.name,
      creationTimestamp: ctx.clock.nowRFC3339(),
      ...(node.metadata.labels ? { labels: { ...node.metadata.labels } } : {}),
    },
    timestamp: toRFC3339(u.timestamp),
    window: goDuration(u.windowMs),
    usage: usageQuantities(u),
  } as KObject;
}

export function listNodeMetrics(ctx: ClusterContext, opts: MetricsListOptions = {}): KObject[] {
  const s = server(ctx, "nodes");
  const out: KObject[] = [];
  for (const node of ctx.api.list("Node", { labelSelector: opts.labelSelector })) {
    const m = nodeMetricsOf(ctx, s, node);
    if (m) out.push(m);
  }
  return out;
}

export function getNodeMetrics(ctx: ClusterContext, name: string): KObject {
  const s = server(ctx, "nodes", name);
  const node = ctx.api.get("Node", undefined, name);
  const m = node ? nodeMetricsOf(ctx, s, node) : undefined;
  if (!m) throw new ApiError("NotFound", `nodemetrics.metrics.k8s.io "${name}" not found`, { group: "metrics.k8s.io", kind: "nodes", name, causes: [] });
  return m;
}
