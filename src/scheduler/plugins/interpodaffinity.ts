/**
 * InterPodAffinity (plugins/interpodaffinity filtering.go + scoring.go): required affinity and
 * anti-affinity of the incoming pod, existing pods' required anti-affinity (symmetry), the
 * first-pod-of-a-self-affine-group rule; preferred terms (both directions) and existing pods'
 * required affinity (hardPodAffinityWeight 1) in Score.
 */
import { Status, termMatches, type AffinityTerm, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot, type WeightedAffinityTerm } from "../types.ts";
import type { Labels } from "../util/labels.ts";

export const NAME = "InterPodAffinity";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const HARD_POD_AFFINITY_WEIGHT = 1;
const PRE_FILTER = "PreFilter" + NAME;
const PRE_SCORE = "PreScore" + NAME;

/** topologyKey → topology value → count. */
type Counts = Map<string, Map<string, number>>;
const inc = (m: Counts, k: string, v: string) => {
  let byValue = m.get(k);
  if (!byValue) m.set(k, (byValue = new Map()));
  byValue.set(v, (byValue.get(v) ?? 0) + 1);
};
const count = (m: Counts, k: string, v: string) => m.get(k)?.get(v) ?? 0;

interface PreFilterState {
  existingAntiAffinityCounts: Counts;
  affinityCounts: Counts;
  antiAffinityCounts: Counts;
  nsLabels: Labels;
}

export function podMatchesAllAffinityTerms(terms: AffinityTerm[], pod: PodInfo, nsLabels: Labels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, nsLabels)) return false;
  return true;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  constructor(private readonly snapshot: Snapshot) {}

  /**
   * Counts as upstream's PreFilter does (over every node and its pods); the label index narrows
   * which existing pods are looked at, which changes no count.
   */
  preFilter(state: CycleState, pod: PodInfo): { status: MaybeStatus } {
    const snap = this.snapshot;
    // Nothing to count (no term of the pod, no placed pod with a required anti-affinity term): the
    // Skip the counts below would end in, without building them.
    if (pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0 && isEmpty(snap.podsWithRequiredAntiAffinity())) return { status: Status.skip() };
    const nsLabels = snap.namespaceLabels(pod.namespace);
    const s: PreFilterState = { existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map(), nsLabels };
    for (const ex of snap.podsWithRequiredAntiAffinity()) {
      const ni = ex.nodeInfo;
      if (!ni) continue;
      for (const t of ex.requiredAntiAffinityTerms) {
        if (!termMatches(t, pod, nsLabels)) continue;
        const v = ni.labels[t.topologyKey];
        if (v === undefined) continue;
        inc(s.existingAntiAffinityCounts, t.topologyKey, v);
      }
    }
    const aff = pod.requiredAffinityTerms;
    const anti = pod.requiredAntiAffinityTerms;
    if (aff.length) {
      for (const ex of snap.candidatePods(aff[0])) {
        const ni = ex.nodeInfo;
        if (!ni || !podMatchesAllAffinityTerms(aff, ex, snap.namespaceLabels(ex.namespace))) continue;
        for (const t of aff) {
          const v = ni.labels[t.topologyKey];
          if (v !== undefined) inc(s.affinityCounts, t.topologyKey, v);
        }
      }
    }
    for (const t of anti) {
      for (const ex of snap.candidatePods(t)) {
        const ni = ex.nodeInfo;
        if (!ni || !termMatches(t, ex, snap.namespaceLabels(ex.namespace))) continue;
        const v = ni.labels[t.topologyKey];
        if (v !== undefined) inc(s.antiAffinityCounts, t.topologyKey, v);
      }
    }
    if (s.existingAntiAffinityCounts.size === 0 && aff.length === 0 && anti.length === 0) return { status: Status.skip() };
    state.set(PRE_FILTER, s);
    return { status: null };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.get(PRE_FILTER) as PreFilterState;
    if (!this.satisfyPodAffinity(s, pod, node)) return Status.unresolvable(ERR_REASON_AFFINITY);
    if (!satisfyPodAntiAffinity(s, pod, node)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    if (!satisfyExistingPodsAntiAffinity(s, node)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return null;
  }

  private satisfyPodAffinity(s: PreFilterState, pod: PodInfo, node: NodeInfo): boolean {
    let podsExist = true;
    for (const t of pod.requiredAffinityTerms) {
      const v = node.labels[t.topologyKey];
      if (v === undefined) return false;
      if (count(s.affinityCounts, t.topologyKey, v) <= 0) podsExist = false;
    }
    if (!podsExist) {
      // The first pod of a group with affinity to itself may go anywhere its terms allow.
      return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(pod.requiredAffinityTerms, pod, s.nsLabels);
    }
    return true;
  }

  // ---- scoring ----

  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): MaybeStatus {
    if (nodes.length === 0) return null;
    const snap = this.snapshot;
    const withAffinity = snap.podsWithAffinity();
    // Nothing to score (no preferred terms of the pod, no pod with affinity terms): what the walk
    // below would find, an empty score map, without building it.
    if (pod.preferredAffinityTerms.length === 0 && pod.preferredAntiAffinityTerms.length === 0 && isEmpty(withAffinity)) return Status.skip();
    const nsLabels = snap.namespaceLabels(pod.namespace);
    const topologyScore: TopologyScore = new Map();
    const add = addScore;
    // The incoming pod's preferred terms against every existing pod (candidates from the label index).
    const incoming: Array<[WeightedAffinityTerm, number]> = [
      ...pod.preferredAffinityTerms.map((t) => [t, 1] as [WeightedAffinityTerm, number]),
      ...pod.preferredAntiAffinityTerms.map((t) => [t, -1] as [WeightedAffinityTerm, number]),
    ];
    for (const [t, mult] of incoming) {
      for (const ex of snap.candidatePods(t)) {
        const ni = ex.nodeInfo;
        if (ni && hasLabels(ni)) add(topologyScore, t, t.weight, ex, snap.namespaceLabels(ex.namespace), ni, mult);
      }
    }
    // Existing pods' terms against the incoming pod.
    for (const ex of withAffinity) {
      const ni = ex.nodeInfo;
      if (!ni || !hasLabels(ni)) continue;
      for (const t of ex.requiredAffinityTerms) add(topologyScore, t, HARD_POD_AFFINITY_WEIGHT, pod, nsLabels, ni, 1);
      for (const t of ex.preferredAffinityTerms) add(topologyScore, t, t.weight, pod, nsLabels, ni, 1);
      for (const t of ex.preferredAntiAffinityTerms) add(topologyScore, t, t.weight, pod, nsLabels, ni, -1);
    }
    if (topologyScore.size === 0) return Status.skip();
    state.set(PRE_SCORE, topologyScore);
    return null;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const ts = state.get(PRE_SCORE) as Map<string, Map<string, number>>;
    let score = 0;
    for (const [k, values] of ts) {
      const v = node.labels[k];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }
  scoreNodes(state: CycleState, _pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    const ts = state.get(PRE_SCORE) as Map<string, Map<string, number>>;
    for (let i = 0; i < nodes.length; i++) {
      const labels = nodes[i].labels;
      let score = 0;
      for (const [k, values] of ts) {
        const v = labels[k];
        if (v !== undefined) score += values.get(v) ?? 0;
      }
      out[i] = score;
    }
  }

  normalizeScore(state: CycleState, _p: PodInfo, _n: NodeInfo[], scores: number[]): void {
    const ts = state.get(PRE_SCORE) as Map<string, Map<string, number>> | undefined;
    if (!ts || ts.size === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(100 * ((scores[i] - min) / diff)) : 0;
  }
}

function satisfyPodAntiAffinity(s: PreFilterState, pod: PodInfo, node: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of pod.requiredAntiAffinityTerms) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && count(s.antiAffinityCounts, t.topologyKey, v) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, node: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  // Upstream walks the node's labels; looking up only the keys that have counts is the same test.
  for (const [k, byValue] of s.existingAntiAffinityCounts) {
    const v = node.labels[k];
    if (v !== undefined && (byValue.get(v) ?? 0) > 0) return false;
  }
  return true;
}

type TopologyScore = Map<string, Map<string, number>>;

/** preScore's tally of one term against one pod on one node (module functions: no closures per cycle). */
function addScore(topologyScore: TopologyScore, t: AffinityTerm, weight: number, target: PodInfo, targetNs: Labels, node: NodeInfo, mult: number): void {
  if (!termMatches(t, target, targetNs)) return;
  const v = node.labels[t.topologyKey];
  if (v === undefined) return;
  let m = topologyScore.get(t.topologyKey);
  if (!m) topologyScore.set(t.topologyKey, (m = new Map()));
  m.set(v, (m.get(v) ?? 0) + weight * mult);
}

function hasLabels(ni: NodeInfo): boolean {
  for (const _ in ni.labels) return true;
  return false;
}

function isEmpty(pods: Iterable<PodInfo>): boolean {
  if (pods instanceof Set) return pods.size === 0;
  if (Array.isArray(pods)) return pods.length === 0;
  for (const _ of pods) return false;
  return true;
}
