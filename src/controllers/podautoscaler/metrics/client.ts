/**
 * The HPA controller's metrics client (pkg/controller/podautoscaler/metrics/client.go): resource
 * metrics from the `metrics.k8s.io` API (metrics-server, src/metrics/api.ts), summed per pod or
 * taken from one container; the custom and external metrics APIs, which no adapter serves in the
 * simulated cluster, answer as the client does when none is registered.
 */
import type { ClusterContext } from "../../../context.ts";
import type { KObject } from "../../../api/types.ts";
import type { Selector } from "../../../api/labels.ts";
import { parseQuantity } from "../../../api/quantity.ts";
import { ApiError } from "../../../api/errors.ts";
import { listPodMetrics, MetricsUnavailableError } from "../../../metrics/api.ts";
import type { PodMetricsInfo } from "./utilization.ts";

export interface MetricsClient {
  /** Per-pod milli-values of a resource (`cpu`, `memory`) for the selected pods, and the first item's timestamp. */
  getResourceMetric(resource: string, namespace: string, selector: Selector, container: string): { metrics: PodMetricsInfo; timestamp: number };
  /** Pods metrics of the custom metrics API. */
  getRawMetric(metricName: string, namespace: string, selector: Selector): { metrics: PodMetricsInfo; timestamp: number };
  /** An object's metric of the custom metrics API. */
  getObjectMetric(metricName: string, namespace: string, objectRef: { kind?: string; name?: string }): { value: number; timestamp: number };
  /** External metric values. */
  getExternalMetric(metricName: string, namespace: string): { values: number[]; timestamp: number };
}

/** The restMetricsClient of a cluster with metrics-server and no custom or external metrics adapter. */
export class ClusterMetricsClient implements MetricsClient {
  constructor(private readonly ctx: ClusterContext) {}

  getResourceMetric(resource: string, namespace: string, selector: Selector, container: string): { metrics: PodMetricsInfo; timestamp: number } {
    let items: KObject[];
    try {
      items = listPodMetrics(this.ctx, { namespace, labelSelector: (l) => selector.matches(l) });
    } catch (e) {
      if (e instanceof MetricsUnavailableError) {
        throw new Error(`unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)`);
      }
      // An installed metrics-server whose APIService is not Available: the aggregator's 503.
      if (e instanceof ApiError) throw new Error(`unable to fetch metrics from resource metrics API: ${e.message}`);
      throw e;
    }
    if (items.length === 0) throw new Error("no metrics returned from resource metrics API");
    const metrics = container ? getContainerMetrics(items, resource, container) : getPodMetrics(items, resource);
    if (metrics instanceof Error) throw metrics;
    return { metrics, timestamp: Date.parse(items[0].timestamp) };
  }

  getRawMetric(): { metrics: PodMetricsInfo; timestamp: number } {
    throw new Error(`unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`);
  }

  getObjectMetric(): { value: number; timestamp: number } {
    throw new Error(`unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`);
  }

  getExternalMetric(): { values: number[]; timestamp: number } {
    throw new Error(`unable to fetch metrics from external metrics API: the server could not find the requested resource (get external.metrics.k8s.io)`);
  }
}

type ContainerMetrics = { name: string; usage?: Record<string, string> };

/** getPodMetrics: the sum over each pod's containers; a pod with a container missing the resource is left out. */
export function getPodMetrics(items: KObject[], resource: string): PodMetricsInfo {
  const res: PodMetricsInfo = new Map();
  for (const m of items) {
    const containers: ContainerMetrics[] = m.containers ?? [];
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const v = c.usage?.[resource];
      if (v === undefined) {
        missing = true;
        break;
      }
      sum += parseQuantity(v).milliValue();
    }
    if (!missing) res.set(m.metadata.name!, { timestamp: Date.parse(m.timestamp), windowMs: windowMs(m.window), value: sum });
  }
  return res;
}

/** getContainerMetrics: one container's value per pod; a pod whose container lacks the resource is an error. */
export function getContainerMetrics(items: KObject[], resource: string, container: string): PodMetricsInfo | Error {
  const res: PodMetricsInfo = new Map();
  for (const m of items) {
    for (const c of (m.containers ?? []) as ContainerMetrics[]) {
      if (c.name !== container) continue;
      const v = c.usage?.[resource];
      if (v === undefined) return new Error(`failed to get ${resource} usage for container ${container}`);
      res.set(m.metadata.name!, { timestamp: Date.parse(m.timestamp), windowMs: windowMs(m.window), value: parseQuantity(v).milliValue() });
    }
  }
  return res;
}

/** A metav1.Duration's text (`15s`, `1m0s`, `10.5s`, `500ms`) in ms. */
export function windowMs(text: string | undefined): number {
  if (!text) return 0;
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) ms += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const)[m[2] as "h" | "m" | "s" | "ms"];
  return ms;
}
