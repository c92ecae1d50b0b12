/**
 * TaintToleration (plugins/tainttoleration): Filter rejects nodes with an untolerated NoSchedule /
 * NoExecute taint (the first one is named); Score counts untolerated PreferNoSchedule taints,
 * normalized in reverse.
 */
import type { Toleration } from "../../api/types.gen.ts";
import { Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreScorePlugin, type ScorePlugin, type Snapshot } from "../types.ts";
import { findMatchingUntoleratedTaint, toleratesTaint } from "../../api/helper/toleration.ts";
import { normalize } from "./helper.ts";

export const NAME = "TaintToleration";
const STATE = "PreScore" + NAME;

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  /** `snapshot`: the scheduler's cache, read by `uniform` only (whether any node is tainted or cordoned). */
  constructor(private readonly snapshot?: Snapshot) {}

  filter(_s: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (node.taints.length === 0) return null;
    const taint = findMatchingUntoleratedTaint(node.taints, pod.pod.spec?.tolerations, (t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
    if (!taint) return null;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`);
  }

  preScore(state: CycleState, pod: PodInfo): MaybeStatus {
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    state.set(STATE, tolerations);
    return null;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    return intolerable(state.get(STATE) as Toleration[], node);
  }

  scoreNodes(state: CycleState, _pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    const tolerations = state.get(STATE) as Toleration[];
    for (let i = 0; i < nodes.length; i++) out[i] = nodes[i].plain ? 0 : intolerable(tolerations, nodes[i]);
  }

  /** No node carries a taint (nor is cordoned): every raw score is 0, every normalised one 100. */
  uniform(_s: CycleState, _p: PodInfo, nodes: NodeInfo[]): boolean {
    if (this.snapshot?.allNodesPlain?.()) return true;
    for (let i = 0; i < nodes.length; i++) if (!nodes[i].plain) return false;
    return true;
  }

  normalizeScore(_s: CycleState, _p: PodInfo, _n: NodeInfo[], scores: number[]): void {
    normalize(scores, true);
  }
}

/** The node's PreferNoSchedule taints the pod does not tolerate. */
function intolerable(tolerations: Toleration[], node: NodeInfo): number {
  let n = 0;
  for (const taint of node.taints) {
    if (taint.effect !== "PreferNoSchedule") continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) n++;
  }
  return n;
}
