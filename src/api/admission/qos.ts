/**
 * The pod's QoS class (pkg/apis/core/helper/qos GetPodQOS, as the API server computes
 * status.qosClass on create): only cpu and memory count, only positive quantities, over regular
 * and init containers.
 */
import { Quantity } from "../quantity.ts";

type Obj = Record<string, any>;
export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

const SUPPORTED = ["cpu", "memory"];

function positive(list: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!list || typeof list !== "object") return out;
  for (const [name, value] of Object.entries(list as Obj)) {
    if (!SUPPORTED.includes(name)) continue;
    let q: Quantity;
    try {
      q = Quantity.parse(String(value));
    } catch {
      continue;
    }
    if (q.sign() > 0) out.set(name, q);
  }
  return out;
}

export function getPodQOS(pod: { spec?: Obj; status?: Obj }): QOSClass {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    for (const [name, q] of positive(c?.resources?.requests)) requests.set(name, requests.has(name) ? requests.get(name)!.add(q) : q);
    const qosLimits = positive(c?.resources?.limits);
    for (const [name, q] of qosLimits) limits.set(name, limits.has(name) ? limits.get(name)!.add(q) : q);
    if (!SUPPORTED.every((r) => qosLimits.has(r))) isGuaranteed = false;
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
