/**
 * NodeResourcesBalancedAllocation (plugins/noderesources/balanced_allocation.go, v1.32 formula):
 * favours nodes whose cpu and memory fractions (actual requests incl. the pod) stay close:
 * score = int((1 − std) × 100), std = |f_cpu − f_mem| / 2 for two resources.
 */
import { MAX_NODE_SCORE, type CycleState, type MaybeStatus, type NodeInfo, type PodInfo, type PreScorePlugin, type ScorePlugin } from "../types.ts";

export const NAME = "NodeResourcesBalancedAllocation";

export function balancedResourceScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    let f = requested[i] / allocatable[i];
    if (f > 1) f = 1;
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  preScore(): MaybeStatus {
    return null;
  }
  score(_s: CycleState, pod: PodInfo, node: NodeInfo): number {
    return balancedScore(pod, node);
  }
  scoreNodes(_s: CycleState, pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    for (let i = 0; i < nodes.length; i++) out[i] = balancedNodeScore(pod, nodes[i]);
  }
}

/** The score of one node as scoreNodes gives it: balancedScore from the NodeInfo's flat fields. */
export function balancedNodeScore(pod: PodInfo, node: NodeInfo): number {
  if (node.allocMilliCPU === 0 || node.allocMemory === 0) return balancedScore(pod, node);
  let fc = (node.reqMilliCPU + pod.requests.milliCPU) / node.allocMilliCPU;
  let fm = (node.reqMemory + pod.requests.memory) / node.allocMemory;
  if (fc > 1) fc = 1;
  if (fm > 1) fm = 1;
  return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
}

/** Score for one node: the two-resource case of balancedResourceScore, without allocating. */
function balancedScore(pod: PodInfo, node: NodeInfo): number {
  const a = node.allocatable;
  const r = node.requested;
  if (a.milliCPU === 0 || a.memory === 0) {
    return balancedResourceScore([r.milliCPU + pod.requests.milliCPU, r.memory + pod.requests.memory], [a.milliCPU, a.memory]);
  }
  let fc = (r.milliCPU + pod.requests.milliCPU) / a.milliCPU;
  let fm = (r.memory + pod.requests.memory) / a.memory;
  if (fc > 1) fc = 1;
  if (fm > 1) fm = 1;
  return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
}
