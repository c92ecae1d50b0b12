/**
 * PodTopologySpread (plugins/podtopologyspread): DoNotSchedule constraints filter on
 * skew = matching pods in the node's domain + self − global minimum; ScheduleAnyway constraints
 * (or the system defaults for pods behind a Service / ReplicaSet / StatefulSet) score by
 * ln(domains + 2)-weighted counts, fewer matching pods scoring higher.
 */
import type { KObject } from "../../api/types.ts";
import { labelSelectorMatcher, type Labels, type Matcher } from "../util/labels.ts";
import { MAX_NODE_SCORE, Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot } from "../types.ts";
import { requiredNodeAffinity } from "./nodeaffinity.ts";
import { findMatchingUntoleratedTaint } from "./helper.ts";

export const NAME = "PodTopologySpread";
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";
export const LABEL_HOSTNAME = "kubernetes.io/hostname";
const PRE_FILTER = "PreFilter" + NAME;
const PRE_SCORE = "PreScore" + NAME;

/** The system default constraints (defaultingType: System). */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 3 },
  { topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", maxSkew: 5 },
];

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Matcher;
  minDomains: number;
  nodeAffinityPolicy: string;
  nodeTaintsPolicy: string;
}

/** What the plugin needs besides the snapshot: the selector of the controllers/services selecting a pod. */
export type DefaultSelectorFn = (pod: KObject) => Matcher | undefined;

export function buildConstraints(list: any[], pod: PodInfo, action: string): Constraint[] {
  const out: Constraint[] = [];
  for (const c of list) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorMatcher(c.labelSelector);
    const keys: string[] = (c.matchLabelKeys ?? []).filter((k: string) => k in pod.labels);
    if (keys.length && c.labelSelector) {
      const base = selector;
      selector = (l) => base(l) && keys.every((k) => l[k] === pod.labels[k]);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? "Honor",
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? "Ignore",
    });
  }
  return out;
}

function nodeLabelsMatchSpreadConstraints(labels: Labels, cs: Constraint[]): boolean {
  for (const c of cs) if (!(c.topologyKey in labels)) return false;
  return true;
}

function matchNodeInclusionPolicies(c: Constraint, pod: PodInfo, node: NodeInfo, affinity: (n: NodeInfo) => boolean): boolean {
  if (c.nodeAffinityPolicy === "Honor" && !affinity(node)) return false;
  if (c.nodeTaintsPolicy === "Honor") {
    if (findMatchingUntoleratedTaint(node.taints, pod.pod.spec?.tolerations, (t) => t.effect === "NoSchedule" || t.effect === "NoExecute")) return false;
  }
  return true;
}

export function countPodsMatchSelector(pods: PodInfo[], selector: Matcher, ns: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== ns) continue;
    if (selector(p.labels)) n++;
  }
  return n;
}

interface PreFilterState {
  constraints: Constraint[];
  tpValueToMatchNum: Array<Map<string, number>>;
  minMatch: number[];
}

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  tpValueToPodCounts: Array<Map<string, number>>;
  weights: number[];
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  constructor(
    private readonly snapshot: Snapshot,
    private readonly defaultSelector: DefaultSelectorFn = () => undefined,
  ) {}

  private constraintsFor(pod: PodInfo, action: string): Constraint[] {
    const own = pod.pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return buildConstraints(own, pod, action);
    const cs = buildConstraints(SYSTEM_DEFAULT_CONSTRAINTS, pod, action);
    if (cs.length === 0) return cs;
    const sel = this.defaultSelector(pod.pod);
    if (!sel) return [];
    for (const c of cs) c.selector = sel;
    return cs;
  }

  preFilter(state: CycleState, pod: PodInfo, allNodes: NodeInfo[]): { status: MaybeStatus } {
    const constraints = this.constraintsFor(pod, "DoNotSchedule");
    if (constraints.length === 0) return { status: Status.skip() };
    const affinity = requiredNodeAffinity(pod.pod);
    const tp = constraints.map(() => new Map<string, number>());
    for (const ni of allNodes) {
      if (!nodeLabelsMatchSpreadConstraints(ni.labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!matchNodeInclusionPolicies(c, pod, ni, affinity)) return;
        const v = ni.labels[c.topologyKey];
        tp[i].set(v, (tp[i].get(v) ?? 0) + countPodsMatchSelector(ni.pods, c.selector, pod.namespace));
      });
    }
    const minMatch = constraints.map((c, i) => {
      let min = 2 ** 31 - 1;
      for (const n of tp[i].values()) if (n < min) min = n;
      if (tp[i].size < c.minDomains) min = 0;
      return min;
    });
    state.set(PRE_FILTER, { constraints, tpValueToMatchNum: tp, minMatch } satisfies PreFilterState);
    return { status: null };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.get(PRE_FILTER) as PreFilterState;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const v = node.labels[c.topologyKey];
      if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = c.selector(pod.labels) ? 1 : 0;
      const skew = (s.tpValueToMatchNum[i].get(v) ?? 0) + self - s.minMatch[i];
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return null;
  }

  preScore(state: CycleState, pod: PodInfo, filtered: NodeInfo[]): MaybeStatus {
    const all = this.snapshot.nodeInfoList();
    if (filtered.length === 0 || all.length === 0) return null;
    const constraints = this.constraintsFor(pod, "ScheduleAnyway");
    if (constraints.length === 0) return Status.skip();
    const requireAll = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    const sizes = constraints.map(() => 0);
    for (const ni of filtered) {
      if (requireAll && !nodeLabelsMatchSpreadConstraints(ni.labels, constraints)) {
        ignored.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const v = ni.labels[c.topologyKey];
        if (!counts[i].has(v)) {
          counts[i].set(v, 0);
          sizes[i]++;
        }
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]) + 2));
    const affinity = requiredNodeAffinity(pod.pod);
    const onlyHostname = constraints.every((c) => c.topologyKey === LABEL_HOSTNAME);
    if (!onlyHostname) {
      for (const ni of all) {
        if (requireAll && !nodeLabelsMatchSpreadConstraints(ni.labels, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === LABEL_HOSTNAME) return;
          const v = ni.labels[c.topologyKey];
          if (v === undefined || !counts[i].has(v)) return;
          if (!matchNodeInclusionPolicies(c, pod, ni, affinity)) return;
          counts[i].set(v, counts[i].get(v)! + countPodsMatchSelector(ni.pods, c.selector, pod.namespace));
        });
      }
    }
    state.set(PRE_SCORE, { constraints, ignored, tpValueToPodCounts: counts, weights } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const s = state.get(PRE_SCORE) as PreScoreState;
    if (s.ignored.has(node.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(node.pods, c.selector, pod.namespace) : s.tpValueToPodCounts[i].get(v) ?? 0;
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _p: PodInfo, nodes: NodeInfo[], scores: number[]): void {
    const s = state.get(PRE_SCORE) as PreScoreState;
    let min = Infinity;
    let max = 0;
    nodes.forEach((n, i) => {
      if (s.ignored.has(n.name)) return;
      if (scores[i] < min) min = scores[i];
      if (scores[i] > max) max = scores[i];
    });
    nodes.forEach((n, i) => {
      if (s.ignored.has(n.name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    });
  }
}
