/**
 * The pure parts of the kubelet's eviction manager (pkg/kubelet/eviction/helpers.go, v1.32):
 * pod requests, the memory-pressure ranking `orderedBy(exceedMemoryRequests, priority, memory)`,
 * the eviction message and the default hard threshold. No clock, no API: the manager in
 * eviction_manager.ts feeds them observations.
 */
import { parseQuantity, Quantity } from "../../api/quantity.ts";
import type { Pod } from "../../api/types.gen.ts";

/** eviction.Reason: status.reason and the event reason of an evicted pod. */
export const REASON = "Evicted";
export const NODE_LOW_MESSAGE_FMT = (resource: string) => `The node was low on resource: ${resource}. `;
export const THRESHOLD_MET_MESSAGE_FMT = (quantity: string, available: string) => `Threshold quantity: ${quantity}, available: ${available}. `;
export const CONTAINER_MESSAGE_FMT = (container: string, usage: string, request: string, resource: string) =>
  `Container ${container} was using ${usage}, request is ${request}, has larger consumption of ${resource}. `;
export const NODE_CONDITION_MESSAGE_FMT = (conditions: string[]) => `The node had condition: [${conditions.join(" ")}]. `;

/** The Linux default of --eviction-hard for memory: memory.available<100Mi. */
export const SIGNAL_MEMORY_AVAILABLE = "memory.available";
export const DEFAULT_MEMORY_THRESHOLD = "100Mi";
/** evictionMonitoringPeriod (pkg/kubelet/kubelet.go). */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;
/** --eviction-pressure-transition-period default. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
/** immediateEvictionGracePeriodSeconds: hard-threshold evictions since v1.31 (PR #124063). */
export const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
/** podCleanupTimeout / podCleanupPollFreq. */
export const POD_CLEANUP_TIMEOUT_MS = 30_000;
export const POD_CLEANUP_POLL_MS = 1_000;

/** What the summary API gives per pod: working set of the pod and of each container (bytes). */
export interface PodMemoryStats {
  workingSetBytes: number;
  containers: Array<{ name: string; workingSetBytes: number }>;
}
export type StatsFunc = (pod: Pod) => PodMemoryStats | undefined;

function q(value: unknown): Quantity {
  return parseQuantity(value);
}

/**
 * resourcehelper.PodRequests for one resource: the sum of regular and restartable-init (sidecar)
 * container requests, or the largest init-phase need when that is larger, plus pod overhead.
 */
export function podRequest(pod: Pod | undefined, resource: string): Quantity {
  let reqs = Quantity.of(0, 0, resource === "cpu" ? "DecimalSI" : "BinarySI");
  for (const c of pod?.spec?.containers ?? []) {
    const v = c.resources?.requests?.[resource];
    if (v !== undefined) reqs = reqs.add(q(v));
  }
  let restartable = Quantity.of(0);
  let initMax: Quantity | undefined;
  for (const c of pod?.spec?.initContainers ?? []) {
    const v = c.resources?.requests?.[resource];
    const r = v === undefined ? Quantity.of(0) : q(v);
    let need: Quantity;
    if (c.restartPolicy === "Always") {
      reqs = reqs.add(r);
      restartable = restartable.add(r);
      need = restartable;
    } else {
      need = r.add(restartable);
    }
    if (!initMax || need.cmp(initMax) > 0) initMax = need;
  }
  if (initMax && initMax.cmp(reqs) > 0) reqs = initMax;
  const overhead = pod?.spec?.overhead?.[resource];
  if (overhead !== undefined) reqs = reqs.add(q(overhead));
  return reqs;
}

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod | undefined): number {
  const p = pod?.spec?.priority;
  return typeof p === "number" ? p : 0;
}

type CmpFunc = (a: Pod, b: Pod) => number;

/** cmpBool: true sorts first. */
function cmpBool(a: boolean, b: boolean): number {
  if (a === b) return 0;
  return b ? 1 : -1;
}

/** exceedMemoryRequests: pods without stats first, then pods whose usage exceeds their memory request. */
export function exceedMemoryRequests(stats: StatsFunc): CmpFunc {
  return (p1, p2) => {
    const s1 = stats(p1);
    const s2 = stats(p2);
    if (!s1 || !s2) return cmpBool(!s1, !s2);
    const e1 = Quantity.of(s1.workingSetBytes).cmp(podRequest(p1, "memory")) === 1;
    const e2 = Quantity.of(s2.workingSetBytes).cmp(podRequest(p2, "memory")) === 1;
    return cmpBool(e1, e2);
  };
}

/** priority: lower priority first. */
export const priority: CmpFunc = (p1, p2) => {
  const a = podPriority(p1);
  const b = podPriority(p2);
  if (a === b) return 0;
  return a > b ? 1 : -1;
};

/** memory: larger usage above the request first. */
export function memory(stats: StatsFunc): CmpFunc {
  return (p1, p2) => {
    const s1 = stats(p1);
    const s2 = stats(p2);
    if (!s1 || !s2) return cmpBool(!s1, !s2);
    const m1 = Quantity.of(s1.workingSetBytes).sub(podRequest(p1, "memory"));
    const m2 = Quantity.of(s2.workingSetBytes).sub(podRequest(p2, "memory"));
    return m2.cmp(m1);
  };
}

/**
 * orderedBy(...).Sort: sorts by the first comparison that tells the pods apart. Upstream's
 * sort.Sort is not stable, so pods that tie on every key come out in an unspecified order;
 * here ties keep the order the pods were given in (the kubelet's active pods, oldest first).
 */
export function orderedBy(...cmps: CmpFunc[]): { sort<P extends Pod>(pods: P[]): P[] } {
  return {
    sort<P extends Pod>(pods: P[]): P[] {
      return pods.sort((a, b) => {
        for (const cmp of cmps) {
          const r = cmp(a, b);
          if (r !== 0) return r;
        }
        return 0;
      });
    },
  };
}

/** rankMemoryPressure: the order in which the kubelet evicts pods under memory pressure. */
export function rankMemoryPressure<P extends Pod>(pods: P[], stats: StatsFunc): P[] {
  return orderedBy(exceedMemoryRequests(stats), priority, memory(stats)).sort(pods);
}

/** A byte count as the kubelet prints it: resource.NewQuantity(bytes, BinarySI).String(). */
export function binarySI(bytes: number): string {
  return Quantity.of(Math.round(bytes), 0, "BinarySI").toString();
}

/**
 * evictionMessage(resourceToReclaim, pod, stats, thresholds, observations) for memory: the node-low
 * sentence, the threshold met and what was available, then one sentence per regular container
 * whose working set exceeds its request (in the order the stats list the containers).
 */
export function evictionMessage(
  pod: Pod,
  stats: StatsFunc,
  threshold: { quantity: string; availableBytes: number } | undefined,
  resource = "memory",
): { message: string; offendingContainers: string[]; offendingContainersUsage: string[] } {
  let message = NODE_LOW_MESSAGE_FMT(resource);
  if (threshold) message += THRESHOLD_MET_MESSAGE_FMT(threshold.quantity, binarySI(threshold.availableBytes));
  const offendingContainers: string[] = [];
  const offendingContainersUsage: string[] = [];
  const s = stats(pod);
  if (!s) return { message, offendingContainers, offendingContainersUsage };
  for (const cs of s.containers) {
    for (const container of pod?.spec?.containers ?? []) {
      if (container.name !== cs.name) continue;
      const reqValue = container.resources?.requests?.[resource];
      const request = reqValue === undefined ? Quantity.of(0) : q(reqValue);
      const usage = Quantity.of(Math.round(cs.workingSetBytes), 0, "BinarySI");
      if (usage.cmp(request) > 0) {
        message += CONTAINER_MESSAGE_FMT(container.name, usage.toString(), request.toString(), resource);
        offendingContainers.push(container.name);
        offendingContainersUsage.push(usage.toString());
      }
    }
  }
  return { message, offendingContainers, offendingContainersUsage };
}

/** A threshold `memory.available<100Mi` parsed into bytes; throws kubelet's text on a bad value. */
export function parseMemoryThreshold(text: string): { signal: string; quantity: string; bytes: number } {
  const m = /^memory\.available<(.+)$/.exec(text);
  if (!m) throw new Error(`unsupported eviction threshold ${JSON.stringify(text)}: only memory.available<quantity is simulated`);
  const qty = q(m[1]);
  if (qty.sign() < 0) throw new Error(`eviction threshold ${SIGNAL_MEMORY_AVAILABLE} must be positive: ${qty.toString()}`);
  return { signal: SIGNAL_MEMORY_AVAILABLE, quantity: qty.toString(), bytes: qty.value() };
}
