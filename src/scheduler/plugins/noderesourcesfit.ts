/**
 * NodeResourcesFit (plugins/noderesources/fit.go, least_allocated.go): Filter checks the pod's
 * requests (init/sidecar/overhead rule) against allocatable minus what the node's pods request;
 * Score is LeastAllocated over cpu and memory (weights 1) with non-zero request defaults.
 */
import { MAX_NODE_SCORE, Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreScorePlugin, type Resource, type ScorePlugin } from "../types.ts";

export const NAME = "NodeResourcesFit";

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** fitsRequest: every reason, in upstream's order (pods, cpu, memory, ephemeral-storage, extended). */
const NONE: InsufficientResource[] = [];

export function fitsRequest(req: Resource, node: NodeInfo): InsufficientResource[] {
  const alloc = node.allocatable;
  const used = node.requested;
  // Fast path: nothing short (no scalar resources involved).
  if (
    node.pods.length + 1 <= alloc.allowedPodNumber &&
    req.milliCPU <= alloc.milliCPU - used.milliCPU &&
    req.memory <= alloc.memory - used.memory &&
    req.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage &&
    (req.scalarNames ?? Object.keys(req.scalar)).length === 0
  ) {
    return NONE;
  }
  const out: InsufficientResource[] = [];
  if (node.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: "pods", reason: "Too many pods", requested: 1, used: node.pods.length, capacity: alloc.allowedPodNumber });
  }
  const scalarNames = Object.keys(req.scalar).filter((k) => req.scalar[k] !== 0);
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && scalarNames.length === 0) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: "cpu", reason: "Insufficient cpu", requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: "memory", reason: "Insufficient memory", requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ resourceName: "ephemeral-storage", reason: "Insufficient ephemeral-storage", requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage });
  }
  for (const name of scalarNames.sort()) {
    const a = alloc.scalar[name] ?? 0;
    const u = used.scalar[name] ?? 0;
    if (req.scalar[name] > a - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: req.scalar[name], used: u, capacity: a });
  }
  return out;
}

/** fitsRequest's native reasons in its order (the bits of NodeResourcesFit's rejection mask). */
const NATIVE_REASONS = ["Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage"];

/**
 * fitsRequest for a pod without extended resources, as a mask of NATIVE_REASONS' bits, against a
 * node holding `pods` pods that request the given amounts.
 */
export function nativeMask(req: Resource, alloc: Resource, pods: number, cpu: number, memory: number, ephemeralStorage: number): number {
  let mask = 0;
  if (pods + 1 > alloc.allowedPodNumber) mask |= 1;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - cpu) mask |= 2;
  if (req.memory > 0 && req.memory > alloc.memory - memory) mask |= 4;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - ephemeralStorage) mask |= 8;
  return mask;
}

/** The shared rejections by reason mask. */
const rejections: Status[] = [];

/** NodeResourcesFit's rejection for a non-zero mask (one Status per combination, shared). */
export function nativeRejection(mask: number): Status {
  return (rejections[mask] ??= Status.unschedulable(...NATIVE_REASONS.filter((_, i) => mask & (1 << i))).withPlugin(NAME));
}

/**
 * Filter for a pod without extended resources (`req.scalarNames` empty): fitsRequest's checks as
 * a bit mask, and one shared rejection per combination of reasons (a pod that fits nowhere is
 * rejected by thousands of nodes). Read from the NodeInfo's flat fields (the same numbers as
 * allocatable and requested). The scheduler's Filter loop calls it straight when it is the only
 * plugin left for a node.
 */
export function nativeFilter(req: Resource, node: NodeInfo): Status | null {
  const mask = nativeFilterMask(req, node);
  return mask === 0 ? null : nativeRejection(mask);
}

/** nativeFilter's reasons as a mask of NATIVE_REASONS' bits (0: the pod fits). */
export function nativeFilterMask(req: Resource, node: NodeInfo): number {
  let mask = 0;
  if (node.numPods + 1 > node.allowedPods) mask |= 1;
  if (req.milliCPU > 0 && req.milliCPU > node.allocMilliCPU - node.reqMilliCPU) mask |= 2;
  if (req.memory > 0 && req.memory > node.allocMemory - node.reqMemory) mask |= 4;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > node.allocEphemeral - node.reqEphemeral) mask |= 8;
  return mask;
}

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** LeastAllocated with cpu:1, memory:1 on non-zero requests. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  // From the NodeInfo's flat fields (the same numbers as node.allocatable, one fetch fewer).
  let score = 0;
  let weights = 0;
  if (node.allocMilliCPU !== 0) {
    score += leastRequestedScore(node.nonZeroCPU + pod.nonZeroCPU, node.allocMilliCPU);
    weights++;
  }
  if (node.allocMemory !== 0) {
    score += leastRequestedScore(node.nonZeroMemory + pod.nonZeroMemory, node.allocMemory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(score / weights);
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  preFilter(): { status: MaybeStatus } {
    return { status: null };
  }
  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const req = pod.requests;
    if (req.scalarNames?.length === 0) return nativeFilter(req, node);
    const insufficient = fitsRequest(req, node);
    if (insufficient.length === 0) return null;
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  preScore(): MaybeStatus {
    return null;
  }
  score(_s: CycleState, pod: PodInfo, node: NodeInfo): number {
    return leastAllocatedScore(pod, node);
  }
  scoreNodes(_s: CycleState, pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    for (let i = 0; i < nodes.length; i++) out[i] = leastAllocatedScore(pod, nodes[i]);
  }
}
