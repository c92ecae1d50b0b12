/**
 * The oom_score_adj the kubelet gives each container's processes, as pkg/kubelet/qos/policy.go
 * GetContainerOOMScoreAdjust does in v1.32:
 *
 * - node-critical pods (static or mirror pods, or priority ≥ system-critical, with
 *   priorityClassName system-node-critical) and Guaranteed pods: -997;
 * - BestEffort pods: 1000;
 * - Burstable: 1000 - 1000 * memoryRequest / nodeMemoryCapacity (integer division); a sidecar
 *   (restartable init container) takes the value of the pod's smallest regular-container memory
 *   request when that is lower (a sidecar is at least as protected as the app containers it
 *   serves, so the kernel does not kill it first and break them); then clamped to 3 (above
 *   Guaranteed) ... 999 (below BestEffort).
 *
 * Pure: depends on nothing but src/api.
 */
import { parseQuantity } from "../../api/quantity.ts";
import { getPodQOS } from "../../api/helper/qos.ts";
import type { Container, Pod } from "../../api/types.gen.ts";

export const KUBELET_OOM_SCORE_ADJ = -999;
export const KUBE_PROXY_OOM_SCORE_ADJ = -999;
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;

/** scheduling.SystemCriticalPriority */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
export const SYSTEM_NODE_CRITICAL = "system-node-critical";

const CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source";
const CONFIG_MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** kubelettypes.IsStaticPod: the pod came from a source other than the API server. */
export function isStaticPod(pod: Pod | undefined): boolean {
  const source = pod?.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION];
  return source !== undefined && source !== "api";
}

export function isMirrorPod(pod: Pod | undefined): boolean {
  return pod?.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** kubelettypes.IsCriticalPod */
export function isCriticalPod(pod: Pod | undefined): boolean {
  if (isStaticPod(pod) || isMirrorPod(pod)) return true;
  const p = pod?.spec?.priority;
  return typeof p === "number" && p >= SYSTEM_CRITICAL_PRIORITY;
}

/** kubelettypes.IsNodeCriticalPod */
export function isNodeCriticalPod(pod: Pod | undefined): boolean {
  return isCriticalPod(pod) && pod?.spec?.priorityClassName === SYSTEM_NODE_CRITICAL;
}

/** The container's memory request in bytes (0 when unset), as Requests.Memory().Value(). */
export function memoryRequestBytes(container: Container | undefined): bigint {
  const v = container?.resources?.requests?.memory;
  return v === undefined ? 0n : parseQuantity(v).scaledValue(0);
}

function isSidecarContainer(pod: Pod, container: Container): boolean {
  for (const init of pod?.spec?.initContainers ?? []) {
    if (init.name === container.name) return container.restartPolicy === "Always";
  }
  return false;
}

/** helpers.go minRegularContainerMemory: the smallest memory request among regular containers. */
function minRegularContainerMemory(pod: Pod): bigint {
  const containers: Container[] = pod?.spec?.containers ?? [];
  let min = memoryRequestBytes(containers[0]);
  for (const c of containers.slice(1)) {
    const v = memoryRequestBytes(c);
    if (v < min) min = v;
  }
  return min;
}

/** GetContainerOOMScoreAdjust(pod, container, memoryCapacity). */
export function oomScoreAdj(pod: Pod, container: Container, nodeMemoryCapacityBytes: number | bigint): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  switch (getPodQOS(pod)) {
    case "Guaranteed":
      return GUARANTEED_OOM_SCORE_ADJ;
    case "BestEffort":
      return BESTEFFORT_OOM_SCORE_ADJ;
  }
  const capacity = BigInt(nodeMemoryCapacityBytes);
  if (capacity <= 0n) throw new Error(`invalid node memory capacity: ${nodeMemoryCapacityBytes}`);
  // Go's int64 division truncates toward zero, as BigInt division does.
  let adj = 1000n - (1000n * memoryRequestBytes(container)) / capacity;
  if (isSidecarContainer(pod, container)) {
    const minAdj = 1000n - (1000n * minRegularContainerMemory(pod)) / capacity;
    if (adj > minAdj) adj = minAdj;
  }
  if (adj < BigInt(1000 + GUARANTEED_OOM_SCORE_ADJ)) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BigInt(BESTEFFORT_OOM_SCORE_ADJ)) return BESTEFFORT_OOM_SCORE_ADJ - 1;
  return Number(adj);
}
