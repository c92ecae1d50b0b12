/**
 * The QoS class of a pod, as pkg/apis/core/v1/helper/qos/qos.go computes it (v1.32):
 * only `cpu` and `memory` count, only quantities above zero count, and every container,
 * init containers included, takes part. BestEffort: no request and no limit anywhere.
 * Guaranteed: every container has a cpu and a memory limit, and the summed requests equal the
 * summed limits for every resource. Anything else is Burstable.
 *
 * The pod is read as the API server stores it, i.e. after SetDefaults_Pod copied limits into
 * missing requests (src/api's defaulting); this function does not default anything itself.
 * Pure: depends on nothing but src/api. Admission computes it before validation, so a quantity
 * that does not parse is skipped here (validation then rejects the pod with its own message).
 */
import { parseQuantity, Quantity } from "../quantity.ts";

export type PodQOSClass = "Guaranteed" | "Burstable" | "BestEffort";

export const SUPPORTED_QOS_COMPUTE_RESOURCES = ["cpu", "memory"] as const;

function isSupportedQoSComputeResource(name: string): boolean {
  return name === "cpu" || name === "memory";
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

function tryQuantity(value: unknown): Quantity | undefined {
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

function addTo(sum: Map<string, Quantity>, name: string, q: Quantity): void {
  const prev = sum.get(name);
  sum.set(name, prev ? prev.add(q) : q);
}

/** ComputePodQOS: the class from the containers' requests and limits, ignoring status.qosClass. */
export function computePodQOS(pod: { spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } }): PodQOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const all: ContainerLike[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const container of all) {
    for (const [name, value] of Object.entries(container.resources?.requests ?? {})) {
      if (!isSupportedQoSComputeResource(name)) continue;
      const q = tryQuantity(value);
      if (q && q.sign() > 0) addTo(requests, name, q);
    }
    const qosLimitsFound = new Set<string>();
    for (const [name, value] of Object.entries(container.resources?.limits ?? {})) {
      if (!isSupportedQoSComputeResource(name)) continue;
      const q = tryQuantity(value);
      if (q && q.sign() > 0) {
        qosLimitsFound.add(name);
        addTo(limits, name, q);
      }
    }
    if (!(qosLimitsFound.has("memory") && qosLimitsFound.has("cpu"))) isGuaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (isGuaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  if (isGuaranteed && requests.size === limits.size) return "Guaranteed";
  return "Burstable";
}

/**
 * GetPodQOS: `status.qosClass` when the pod already has one (the class is immutable once set),
 * otherwise computed from the spec.
 */
export type QOSClass = PodQOSClass;

export function getPodQOS(pod: { spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] }; status?: { qosClass?: string } }): PodQOSClass {
  const set = pod.status?.qosClass;
  if (set === "Guaranteed" || set === "Burstable" || set === "BestEffort") return set;
  return computePodQOS(pod);
}
