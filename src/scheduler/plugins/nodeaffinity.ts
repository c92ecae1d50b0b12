/**
 * NodeAffinity (plugins/nodeaffinity): nodeSelector AND required node affinity in Filter (terms
 * ORed, expressions ANDed); preferred terms' weights in Score. PreFilter narrows the nodes when
 * every required term pins `metadata.name`.
 */
import type { Pod, PodSpec } from "../../api/types.gen.ts";
import { mapSelectorMatcher, nodeSelectorTermMatcher, nodeSelectorTermsMatcher, type NodeView } from "../util/labels.ts";
import { Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreFilterResult, type PreScorePlugin, type ScorePlugin } from "../types.ts";
import { normalize } from "./helper.ts";

export const NAME = "NodeAffinity";
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = "pod affinity terms conflict";
const PRE_FILTER = "PreFilter" + NAME;
const PRE_SCORE = "PreScore" + NAME;

/** nodeaffinity.GetRequiredNodeAffinity(pod): nodeSelector and required terms. */
export function requiredNodeAffinity(pod: Pod): (n: NodeView) => boolean {
  const sel = pod.spec?.nodeSelector;
  const hasSel = sel && Object.keys(sel).length > 0;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const hasAff = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  const s = hasSel ? mapSelectorMatcher(sel) : undefined;
  const a = hasAff ? nodeSelectorTermsMatcher(terms) : undefined;
  return (n) => (!s || s(n.labels)) && (!a || a(n));
}

/** The preferred terms, compiled (weight 0 and unparsable/empty terms dropped). */
export function preferredTerms(pod: Pod): Array<{ weight: number; match: (n: NodeView) => boolean }> {
  const out: Array<{ weight: number; match: (n: NodeView) => boolean }> = [];
  for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!t.weight) continue;
    const m = nodeSelectorTermMatcher(t.preference);
    if (m) out.push({ weight: t.weight, match: m });
  }
  return out;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;

  preFilter(state: CycleState, pod: PodInfo): { result?: PreFilterResult; status: MaybeStatus } {
    const spec: Partial<PodSpec> = pod.pod.spec ?? {};
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !(spec.nodeSelector && Object.keys(spec.nodeSelector).length)) return { status: Status.skip() };
    state.set(PRE_FILTER, requiredNodeAffinity(pod.pod));
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return { status: null };
    // Every term must pin metadata.name with In for the node set to be narrowed.
    let union: Set<string> | undefined;
    for (const t of terms) {
      let names: Set<string> | undefined;
      for (const f of t.matchFields ?? []) {
        if (f.key !== "metadata.name" || f.operator !== "In") continue;
        const vals = new Set<string>(f.values ?? []);
        names = names ? new Set([...names].filter((x) => vals.has(x))) : vals;
      }
      if (!names) return { status: null };
      union = union ? new Set([...union, ...names]) : names;
    }
    if (union && union.size === 0) return { status: Status.unresolvable(ERR_REASON_CONFLICT) };
    return { result: { nodeNames: union }, status: null };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    let m = state.get(PRE_FILTER) as ((n: NodeView) => boolean) | undefined;
    if (!m) m = requiredNodeAffinity(pod.pod);
    return m(node) ? null : Status.unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: PodInfo): MaybeStatus {
    const terms = preferredTerms(pod.pod);
    if (terms.length === 0) return Status.skip();
    state.set(PRE_SCORE, terms);
    return null;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const terms = state.get(PRE_SCORE) as ReturnType<typeof preferredTerms>;
    let s = 0;
    for (const t of terms) if (t.match(node)) s += t.weight;
    return s;
  }

  scoreNodes(state: CycleState, _pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    const terms = state.get(PRE_SCORE) as ReturnType<typeof preferredTerms>;
    for (let i = 0; i < nodes.length; i++) {
      let s = 0;
      for (const t of terms) if (t.match(nodes[i])) s += t.weight;
      out[i] = s;
    }
  }

  normalizeScore(_s: CycleState, _p: PodInfo, _n: NodeInfo[], scores: number[]): void {
    normalize(scores, false);
  }
}
