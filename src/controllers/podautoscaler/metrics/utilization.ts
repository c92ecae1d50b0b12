/**
 * pkg/controller/podautoscaler/metrics/utilization.go and interfaces.go: the per-pod metric
 * values the replica calculator works on, and the usage ratios it derives from them.
 */

/** One pod's metric: a milli-value (millicores, milli-bytes), when it was taken and over what window. */
export interface PodMetric {
  timestamp: number;
  windowMs: number;
  value: number;
}

/** PodMetricsInfo: metrics by pod name. */
export type PodMetricsInfo = Map<string, PodMetric>;

/**
 * GetResourceUtilizationRatio: the utilization (percent of the pods' requests, an integer as
 * upstream truncates it), its ratio to the target, and the raw average value per pod.
 */
export function getResourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } | Error {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let numEntries = 0;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    numEntries++;
  }
  // if the set of requests is completely disjoint from the set of metrics, then we could have an issue
  if (requestsTotal === 0) return new Error("no metrics returned matched known pods");
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / numEntries) };
}

/** GetMetricUsageRatio: the average of plain metrics and its ratio to the target. */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}
