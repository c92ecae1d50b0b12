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

type Counts = Map<string, number>;
const pair = (k: string, v: string) => k + "\u0000" + v;
const inc = (m: Counts, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

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

  preFilter(state: CycleState, pod: PodInfo, allNodes: NodeInfo[]): { status: MaybeStatus } {
    const nsLabels = this.snapshot.namespaceLabels(pod.namespace);
    const s: PreFilterState = { existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map(), nsLabels };
    for (const ni of this.snapshot.havePodsWithRequiredAntiAffinityList()) {
      for (const ex of ni.pods) {
        for (const t of ex.requiredAntiAffinityTerms) {
          if (!termMatches(t, pod, nsLabels)) continue;
          const v = ni.labels[t.topologyKey];
          if (v !== undefined) inc(s.existingAntiAffinityCounts, pair(t.topologyKey, v));
        }
      }
    }
    const aff = pod.requiredAffinityTerms;
    const anti = pod.requiredAntiAffinityTerms;
    if (aff.length || anti.length) {
      for (const ni of allNodes) {
        for (const ex of ni.pods) {
          const exNs = this.snapshot.namespaceLabels(ex.namespace);
          if (aff.length && podMatchesAllAffinityTerms(aff, ex, exNs)) {
            for (const t of aff) {
              const v = ni.labels[t.topologyKey];
              if (v !== undefined) inc(s.affinityCounts, pair(t.topologyKey, v));
            }
          }
          for (const t of anti) {
            if (!termMatches(t, ex, exNs)) continue;
            const v = ni.labels[t.topologyKey];
            if (v !== undefined) inc(s.antiAffinityCounts, pair(t.topologyKey, v));
          }
        }
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
      if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
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
    const hasConstraints = pod.preferredAffinityTerms.length + pod.preferredAntiAffinityTerms.length > 0;
    const all = hasConstraints ? this.snapshot.nodeInfoList() : this.snapshot.havePodsWithAffinityList();
    const nsLabels = this.snapshot.namespaceLabels(pod.namespace);
    const topologyScore = new Map<string, Map<string, number>>();
    const add = (t: AffinityTerm, weight: number, target: PodInfo, targetNs: Labels, node: NodeInfo, mult: number) => {
      if (!termMatches(t, target, targetNs)) return;
      const v = node.labels[t.topologyKey];
      if (v === undefined) return;
      let m = topologyScore.get(t.topologyKey);
      if (!m) topologyScore.set(t.topologyKey, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + weight * mult);
    };
    for (const ni of all) {
      if (Object.keys(ni.labels).length === 0) continue;
      if (!hasConstraints && ni.podsWithAffinity === 0) continue;
      for (const ex of ni.pods) {
        if (!hasConstraints && !ex.hasAffinity) continue;
        const exNs = this.snapshot.namespaceLabels(ex.namespace);
        for (const t of pod.preferredAffinityTerms) add(t, t.weight, ex, exNs, ni, 1);
        for (const t of pod.preferredAntiAffinityTerms) add(t, t.weight, ex, exNs, ni, -1);
        for (const t of ex.requiredAffinityTerms) add(t, HARD_POD_AFFINITY_WEIGHT, pod, nsLabels, ni, 1);
        for (const t of ex.preferredAffinityTerms as WeightedAffinityTerm[]) add(t, t.weight, pod, nsLabels, ni, 1);
        for (const t of ex.preferredAntiAffinityTerms as WeightedAffinityTerm[]) add(t, t.weight, pod, nsLabels, ni, -1);
      }
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
    if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, node: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, v] of Object.entries(node.labels)) {
    if ((s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) > 0) return false;
  }
  return true;
}
