/**
 * The replica calculator (pkg/controller/podautoscaler/replica_calculator.go, v1.32): the number of
 * replicas a metric asks for, from the pods' metrics and requests. Pods being deleted or failed
 * are ignored; pending pods, and for CPU pods not yet ready or within their initialization
 * period, are "unready"; pods without metrics are "missing". When only ready pods with metrics
 * count, the answer is ceil(ratio × ready pods) unless the ratio is within the tolerance; else the
 * missing pods count as using 100 % of their request on a scale-down and 0 % on a scale-up, unready
 * pods 0 % on a scale-up, and the result may not reverse the direction.
 */
import type { KObject } from "../../api/types.ts";
import type { Selector } from "../../api/labels.ts";
import { parseQuantity } from "../../api/quantity.ts";
import type { MetricsClient } from "./metrics/client.ts";
import { getMetricUsageRatio, getResourceUtilizationRatio, type PodMetricsInfo } from "./metrics/utilization.ts";

export interface ReplicaCalculatorOptions {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  delayOfInitialReadinessStatusMs: number;
}

/** What the calculator reads pods with (the pod lister). */
export type PodLister = (namespace: string, selector: Selector) => KObject[];

export class ReplicaCalculator {
  constructor(
    private readonly metricsClient: MetricsClient,
    private readonly listPods: PodLister,
    private readonly opts: ReplicaCalculatorOptions,
    private readonly now: () => number,
  ) {}

  /** GetResourceReplicas: for a target utilization (percent of request). */
  getResourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, namespace: string, selector: Selector, container: string): { replicas: number; utilization: number; rawUtilization: number; timestamp: number } {
    let fetched: { metrics: PodMetricsInfo; timestamp: number };
    try {
      fetched = this.metricsClient.getResourceMetric(resource, namespace, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${(e as Error).message}`);
    }
    const { metrics, timestamp } = fetched;
    const podList = this.listPods(namespace, selector);
    if (podList.length === 0) throw new Error("no pods returned by selector while calculating replica count");
    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(podList, metrics, resource, this.opts.cpuInitializationPeriodMs, this.opts.delayOfInitialReadinessStatusMs, this.now());
    removeMetricsForPods(metrics, ignoredPods);
    removeMetricsForPods(metrics, unreadyPods);
    if (metrics.size === 0) throw new Error("did not receive metrics for targeted pods (pods might be unready)");
    const requests = calculatePodRequests(podList, container, resource);
    if (requests instanceof Error) throw requests;
    const first = getResourceUtilizationRatio(metrics, requests, targetUtilization);
    if (first instanceof Error) throw first;
    const { ratio: usageRatio, utilization, rawAverage: rawUtilization } = first;
    const result = (replicas: number) => ({ replicas, utilization, rawUtilization, timestamp });
    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      // return the current replicas if the change would be too small
      if (Math.abs(1.0 - usageRatio) <= this.opts.tolerance) return result(currentReplicas);
      // if we don't have any unready or missing pods, we can calculate the new replica count now
      return result(Math.ceil(usageRatio * readyPodCount));
    }
    if (missingPods.size > 0) {
      // on a scale-down, treat missing pods as using 100% of the resource request; on a scale-up, 0%
      if (usageRatio < 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: requests.get(p) ?? 0 });
      else if (usageRatio > 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: 0 });
    }
    // on a scale-up, treat unready pods as using 0% of the resource request
    if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: 0 });
    // re-run the utilization calculation with our new numbers
    const second = getResourceUtilizationRatio(metrics, requests, targetUtilization);
    if (second instanceof Error) throw second;
    const newUsageRatio = second.ratio;
    if (Math.abs(1.0 - newUsageRatio) <= this.opts.tolerance || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      // the change would be too small, or the new usage ratio would change the scale direction
      return result(currentReplicas);
    }
    const newReplicas = Math.ceil(newUsageRatio * metrics.size);
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      // the change of metrics length would cause a change in scale direction
      return result(currentReplicas);
    }
    return result(newReplicas);
  }

  /** GetRawResourceReplicas: for a target average value of a resource. */
  getRawResourceReplicas(currentReplicas: number, targetUsage: number, resource: string, namespace: string, selector: Selector, container: string): { replicas: number; usage: number; timestamp: number } {
    let fetched: { metrics: PodMetricsInfo; timestamp: number };
    try {
      fetched = this.metricsClient.getResourceMetric(resource, namespace, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${(e as Error).message}`);
    }
    const r = this.calcPlainMetricReplicas(fetched.metrics, currentReplicas, targetUsage, namespace, selector, resource);
    return { ...r, timestamp: fetched.timestamp };
  }

  /** GetMetricReplicas: for a Pods metric of the custom metrics API. */
  getMetricReplicas(currentReplicas: number, targetUsage: number, metricName: string, namespace: string, selector: Selector): { replicas: number; usage: number; timestamp: number } {
    let fetched: { metrics: PodMetricsInfo; timestamp: number };
    try {
      fetched = this.metricsClient.getRawMetric(metricName, namespace, selector);
    } catch (e) {
      throw new Error(`unable to get metric ${metricName}: ${(e as Error).message}`);
    }
    const r = this.calcPlainMetricReplicas(fetched.metrics, currentReplicas, targetUsage, namespace, selector, "");
    return { ...r, timestamp: fetched.timestamp };
  }

  /** calcPlainMetricReplicas: as for utilization, with plain values and the target as the fallback for missing pods. */
  private calcPlainMetricReplicas(metrics: PodMetricsInfo, currentReplicas: number, targetUsage: number, namespace: string, selector: Selector, resource: string): { replicas: number; usage: number } {
    const podList = this.listPods(namespace, selector);
    if (podList.length === 0) throw new Error("no pods returned by selector while calculating replica count");
    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(podList, metrics, resource, this.opts.cpuInitializationPeriodMs, this.opts.delayOfInitialReadinessStatusMs, this.now());
    removeMetricsForPods(metrics, ignoredPods);
    removeMetricsForPods(metrics, unreadyPods);
    if (metrics.size === 0) throw new Error("did not receive metrics for targeted pods (pods might be unready)");
    const { ratio: usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);
    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      if (Math.abs(1.0 - usageRatio) <= this.opts.tolerance) return { replicas: currentReplicas, usage };
      return { replicas: Math.ceil(usageRatio * readyPodCount), usage };
    }
    if (missingPods.size > 0) {
      if (usageRatio < 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: targetUsage });
      else if (usageRatio > 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: 0 });
    }
    if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, { timestamp: 0, windowMs: 0, value: 0 });
    const newUsageRatio = getMetricUsageRatio(metrics, targetUsage).ratio;
    if (Math.abs(1.0 - newUsageRatio) <= this.opts.tolerance || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return { replicas: currentReplicas, usage };
    }
    const newReplicas = Math.ceil(newUsageRatio * metrics.size);
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return { replicas: currentReplicas, usage };
    }
    return { replicas: newReplicas, usage };
  }

  /** GetObjectMetricReplicas: for an Object metric with a Value target. */
  getObjectMetricReplicas(currentReplicas: number, targetUsage: number, metricName: string, namespace: string, objectRef: { kind?: string; name?: string }, selector: Selector): { replicas: number; usage: number; timestamp: number } {
    let usage: number;
    try {
      usage = this.metricsClient.getObjectMetric(metricName, namespace, objectRef).value;
    } catch (e) {
      throw new Error(`unable to get metric ${metricName}: ${objectRef.kind} on ${namespace} ${objectRef.name}/${(e as Error).message}`);
    }
    const usageRatio = usage / targetUsage;
    return { replicas: this.getUsageRatioReplicaCount(currentReplicas, usageRatio, namespace, selector), usage, timestamp: 0 };
  }

  /** GetObjectPerPodMetricReplicas: for an Object metric with an AverageValue target. */
  getObjectPerPodMetricReplicas(statusReplicas: number, targetAverageUsage: number, metricName: string, namespace: string, objectRef: { kind?: string; name?: string }): { replicas: number; usage: number; timestamp: number } {
    let fetched: { value: number; timestamp: number };
    try {
      fetched = this.metricsClient.getObjectMetric(metricName, namespace, objectRef);
    } catch (e) {
      throw new Error(`unable to get metric ${metricName}: ${objectRef.kind} on ${namespace} ${objectRef.name}/${(e as Error).message}`);
    }
    let replicas = statusReplicas;
    const usageRatio = fetched.value / (targetAverageUsage * replicas);
    if (Math.abs(1.0 - usageRatio) > this.opts.tolerance) replicas = Math.ceil(fetched.value / targetAverageUsage);
    return { replicas, usage: Math.ceil(fetched.value / statusReplicas), timestamp: fetched.timestamp };
  }

  /** GetExternalMetricReplicas: for an External metric with a Value target. */
  getExternalMetricReplicas(currentReplicas: number, targetUsage: number, metricName: string, namespace: string, selector: Selector): { replicas: number; usage: number; timestamp: number } {
    let fetched: { values: number[]; timestamp: number };
    try {
      fetched = this.metricsClient.getExternalMetric(metricName, namespace);
    } catch (e) {
      throw new Error(`unable to get external metric ${namespace}/${metricName}/nil: ${(e as Error).message}`);
    }
    const usage = fetched.values.reduce((a, b) => a + b, 0);
    return { replicas: this.getUsageRatioReplicaCount(currentReplicas, usage / targetUsage, namespace, selector), usage, timestamp: fetched.timestamp };
  }

  /** GetExternalPerPodMetricReplicas: for an External metric with an AverageValue target. */
  getExternalPerPodMetricReplicas(statusReplicas: number, targetUsagePerPod: number, metricName: string, namespace: string): { replicas: number; usage: number; timestamp: number } {
    let fetched: { values: number[]; timestamp: number };
    try {
      fetched = this.metricsClient.getExternalMetric(metricName, namespace);
    } catch (e) {
      throw new Error(`unable to get external metric ${namespace}/${metricName}/nil: ${(e as Error).message}`);
    }
    const usage = fetched.values.reduce((a, b) => a + b, 0);
    let replicas = statusReplicas;
    const usageRatio = usage / (targetUsagePerPod * replicas);
    if (Math.abs(1.0 - usageRatio) > this.opts.tolerance) replicas = Math.ceil(usage / targetUsagePerPod);
    return { replicas, usage: Math.ceil(usage / statusReplicas), timestamp: fetched.timestamp };
  }

  /** getUsageRatioReplicaCount: ready pods × ratio; from zero replicas, ceil(ratio). */
  private getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, namespace: string, selector: Selector): number {
    if (currentReplicas === 0) return Math.ceil(usageRatio);
    if (Math.abs(1.0 - usageRatio) <= this.opts.tolerance) return currentReplicas;
    const pods = this.listPods(namespace, selector);
    if (pods.length === 0) throw new Error("unable to calculate ready pods: no pods returned by selector while calculating replica count");
    const ready = pods.filter((p) => p.status?.phase === "Running" && isReady(p)).length;
    return Math.ceil(usageRatio * ready);
  }
}

function isReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True");
}

/** groupPods: ready pods counted; unready, missing and ignored pods named. */
export function groupPods(
  pods: KObject[],
  metrics: PodMetricsInfo,
  resource: string,
  cpuInitializationPeriodMs: number,
  delayOfInitialReadinessStatusMs: number,
  now: number,
): { readyPodCount: number; unreadyPods: Set<string>; missingPods: Set<string>; ignoredPods: Set<string> } {
  const unreadyPods = new Set<string>();
  const missingPods = new Set<string>();
  const ignoredPods = new Set<string>();
  let readyPodCount = 0;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === "Failed") {
      ignoredPods.add(name);
      continue;
    }
    // Pending pods are ignored.
    if (pod.status?.phase === "Pending" || !pod.status?.phase) {
      unreadyPods.add(name);
      continue;
    }
    // Pods missing metrics.
    const metric = metrics.get(name);
    if (!metric) {
      missingPods.add(name);
      continue;
    }
    // Unready pods are ignored.
    if (resource === "cpu") {
      let unready: boolean;
      const condition = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
      const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      if (!condition || startTime === undefined) unready = true;
      else {
        const transition = Date.parse(condition.lastTransitionTime ?? "") || 0;
        if (startTime + cpuInitializationPeriodMs > now) {
          // Ignore sample if pod is unready or one window of metric wasn't collected since last state transition.
          unready = condition.status === "False" || metric.timestamp < transition + metric.windowMs;
        } else {
          // Ignore metric if pod is unready and it has never been ready.
          unready = condition.status === "False" && startTime + delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (unready) {
        unreadyPods.add(name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unreadyPods, missingPods, ignoredPods };
}

/**
 * calculatePodRequests: each pod's request of the resource in milli-units — its containers' and
 * restartable init containers' sum, or one container's — with upstream's errors.
 */
export function calculatePodRequests(pods: KObject[], container: string, resource: string): Map<string, number> | Error {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: { restartPolicy?: string }) => c.restartPolicy === "Always")];
    let request = 0;
    let found = false;
    for (const c of containers) {
      if (container === "" || container === c.name) {
        const q = c.resources?.requests?.[resource];
        if (q === undefined) return new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
        request += parseQuantity(q).milliValue();
      }
      // container names are unique inside the pod
      if (container === c.name) {
        found = true;
        break;
      }
    }
    if (container !== "" && !found) return new Error(`container ${container} not found in Pod ${pod.metadata.name}`);
    requests.set(pod.metadata.name!, request);
  }
  return requests;
}

function removeMetricsForPods(metrics: PodMetricsInfo, pods: Set<string>): void {
  for (const p of pods) metrics.delete(p);
}
