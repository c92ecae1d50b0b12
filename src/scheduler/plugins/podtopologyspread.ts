/**
 * PodTopologySpread (plugins/podtopologyspread): DoNotSchedule constraints filter on
 * skew = matching pods in the node's domain + self − global minimum; ScheduleAnyway constraints
 * (or the system defaults for pods behind a Service / ReplicaSet / StatefulSet) score by
 * ln(domains + 2)-weighted counts, fewer matching pods scoring higher.
 */
import type { KObject } from "../../api/types.ts";
import type { LabelSelector, PodSpec, TopologySpreadConstraint } from "../../api/types.gen.ts";
import { labelSelectorMatcher, type Labels, type Matcher } from "../util/labels.ts";
import { MAX_NODE_SCORE, Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot } from "../types.ts";
import { requiredNodeAffinity } from "./nodeaffinity.ts";
import { findMatchingUntoleratedTaint } from "../../api/helper/toleration.ts";

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
const DEFAULT_ACTIONS = new Set(SYSTEM_DEFAULT_CONSTRAINTS.map((c) => c.whenUnsatisfiable));

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Matcher;
  minDomains: number;
  nodeAffinityPolicy: string;
  nodeTaintsPolicy: string;
  /** The labelSelector as written, for the label index (matchLabelKeys only narrow it); undefined for the defaults' selector. */
  rawSelector?: LabelSelector | null;
  matchLabelKeys?: string[];
}

/** What the plugin needs besides the snapshot: the selector of the controllers/services selecting a pod. */
export type DefaultSelectorFn = (pod: KObject) => Matcher | undefined;

export function buildConstraints(list: TopologySpreadConstraint[], pod: PodInfo, action: string): Constraint[] {
  const out: Constraint[] = [];
  for (const c of list) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorMatcher(c.labelSelector);
    const keys = (c.matchLabelKeys ?? []).filter((k) => k in pod.labels);
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
      rawSelector: c.labelSelector ?? null,
      matchLabelKeys: keys,
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

/**
 * countPodsMatchSelector on a node's pods, kept on the NodeInfo for the last (selector,
 * namespace) asked while the node's pods are unchanged (its generation moves with every pod
 * added or removed, and an updated pod is removed and added again). Score asks this for every
 * filtered node in every cycle; between two cycles one node gained a pod. The fast engine's
 * scoreNodes only; the matcher must be a pure function of the labels (the scheduler keeps one
 * matcher per set of selectors).
 */
function hostnameCount(node: NodeInfo, selector: Matcher, ns: string): number {
  const memo = node.spreadCount;
  if (memo.selector === selector && memo.generation === node.generation && memo.namespace === ns) return memo.count;
  const count = countPodsMatchSelector(node.pods, selector, ns);
  memo.selector = selector;
  memo.generation = node.generation;
  memo.namespace = ns;
  memo.count = count;
  return count;
}

export function countPodsMatchSelector(pods: PodInfo[], selector: Matcher, ns: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== ns) continue;
    if (selector(p.labels)) n++;
  }
  return n;
}

/** Nodes a constraint counts, with their topology values, and the distinct values (domains). */
interface Eligible {
  key: string;
  nodes: Map<NodeInfo, string>;
  values: string[];
}

/** Constraints whose counts are not tracked incrementally (the defaults' selector) start from zeroed domains. */
const c0 = (c: Constraint) => c.rawSelector === undefined;

interface PreFilterState {
  constraints: Constraint[];
  tpValueToMatchNum: Array<Map<string, number>>;
  minMatch: number[];
  /** 1 when the incoming pod matches the constraint's own selector. */
  selfMatch: number[];
  /**
   * Per constraint, the domains where the pod would break maxSkew (matching + self − min > maxSkew),
   * worked out once per cycle from the counts instead of once per node; and the cycle's two
   * rejections, shared by every node they apply to (Filter runs for hundreds of nodes per pod).
   */
  tooSkewed: Array<Set<string>>;
  unschedulable: Status;
  missingLabel: Status;
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
    /** The reference engine (ClusterContext.reference): PreFilter builds its constraints and finds its counts every cycle. */
    private readonly reference = false,
  ) {
    snapshot.onPodCounted((p, delta) => {
      for (const t of this.tracked.values()) {
        if (p.namespace !== t.namespace || p.terminating || !p.nodeInfo) continue;
        const v = t.eligible.nodes.get(p.nodeInfo);
        if (v === undefined || !t.selector(p.labels)) continue;
        t.counts.set(v, (t.counts.get(v) ?? 0) + delta);
      }
    });
  }

  /**
   * Matching-pod counts per domain kept up to date as pods come and go, per (constraint,
   * selector, namespace, eligible nodes); rebuilt when a node changes.
   */
  private readonly tracked = new Map<string, { namespace: string; selector: Matcher; eligible: Eligible; counts: Map<string, number> }>();
  private trackedVersion = -1;
  /** Moves whenever `tracked` is emptied (its counts are no longer kept up to date). */
  private trackedEpoch = 0;

  /**
   * The fast engine's PreFilter by pod shape (its own constraints, namespace, the labels
   * matchLabelKeys reads, the node affinity and tolerations the inclusion policies read, as one
   * text): the constraints built, the counts found (the live tracked counts) and the cycle's two
   * rejections, kept while `tracked` keeps those counts up to date (trackedEpoch).
   */
  private readonly preFilterMemo = new Map<string, { epoch: number; constraints: Constraint[]; tp: Array<Map<string, number>>; unschedulable: Status; missingLabel: Status }>();

  private preFilterShape(pod: PodInfo, own: TopologySpreadConstraint[], allNodes: NodeInfo[]): { constraints: Constraint[]; tp: Array<Map<string, number>>; unschedulable: Status; missingLabel: Status } {
    const spec: Partial<PodSpec> = pod.pod.spec ?? {};
    let labelKeys = false;
    for (const c of own) if (c.matchLabelKeys?.length) labelKeys = true;
    const key = JSON.stringify([own, pod.namespace, labelKeys ? pod.labels : 0, spec.nodeSelector ?? 0, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? 0, spec.tolerations ?? 0]);
    // trackedCounts empties `tracked` when a node changed: ask it first (through countMatching) when the nodes moved on.
    let e = this.trackedVersion === this.snapshot.nodesVersion ? this.preFilterMemo.get(key) : undefined;
    if (e && e.epoch === this.trackedEpoch) return e;
    const constraints = buildConstraints(own, pod, "DoNotSchedule");
    const tp = constraints.length ? this.countMatching(pod, constraints, allNodes, true) : [];
    e = { epoch: this.trackedEpoch, constraints, tp, unschedulable: Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH), missingLabel: Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH) };
    if (this.preFilterMemo.size >= 64) this.preFilterMemo.clear();
    this.preFilterMemo.set(key, e);
    return e;
  }

  private trackedCounts(pod: PodInfo, c: Constraint, eligible: Eligible): Map<string, number> | undefined {
    if (c.rawSelector === undefined) return undefined;
    if (this.trackedVersion !== this.snapshot.nodesVersion) {
      this.tracked.clear();
      this.trackedEpoch++;
      this.trackedVersion = this.snapshot.nodesVersion;
    }
    const own = (c.matchLabelKeys ?? []).map((k) => [k, pod.labels[k]]);
    const key = JSON.stringify([eligible.key, c.rawSelector, own, pod.namespace]);
    const hit = this.tracked.get(key);
    if (hit) return hit.counts;
    const counts = new Map<string, number>();
    for (const v of eligible.values) counts.set(v, 0);
    for (const p of this.snapshot.candidatesFor(c.rawSelector)) {
      const ni = p.nodeInfo;
      if (!ni || p.terminating || p.namespace !== pod.namespace) continue;
      const v = eligible.nodes.get(ni);
      if (v === undefined || !c.selector(p.labels)) continue;
      counts.set(v, counts.get(v)! + 1);
    }
    if (this.tracked.size > 64) {
      this.tracked.clear();
      this.trackedEpoch++;
    }
    this.tracked.set(key, { namespace: pod.namespace, selector: c.selector, eligible, counts });
    return counts;
  }

  private constraintsFor(pod: PodInfo, action: string): Constraint[] {
    const own = pod.pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return buildConstraints(own, pod, action);
    // The system defaults apply only to a pod something selects: with none of this action there
    // is nothing to look up; otherwise the selector first (most pods of a busy cycle have none).
    if (!DEFAULT_ACTIONS.has(action)) return [];
    const sel = this.defaultSelector(pod.pod);
    if (!sel) return [];
    const cs = buildConstraints(SYSTEM_DEFAULT_CONSTRAINTS, pod, action);
    for (const c of cs) {
      c.selector = sel;
      c.rawSelector = undefined;
    }
    return cs;
  }

  preFilter(state: CycleState, pod: PodInfo, allNodes: NodeInfo[]): { status: MaybeStatus } {
    const own = pod.pod.spec?.topologySpreadConstraints ?? [];
    const shape = !this.reference && own.length > 0 ? this.preFilterShape(pod, own, allNodes) : undefined;
    const constraints = shape ? shape.constraints : this.constraintsFor(pod, "DoNotSchedule");
    if (constraints.length === 0) return { status: Status.skip() };
    const tp = shape ? shape.tp : this.countMatching(pod, constraints, allNodes, true);
    const minMatch = constraints.map((c, i) => {
      let min = 2 ** 31 - 1;
      for (const n of tp[i].values()) if (n < min) min = n;
      if (tp[i].size < c.minDomains) min = 0;
      return min;
    });
    const selfMatch = constraints.map((c) => (c.selector(pod.labels) ? 1 : 0));
    const tooSkewed = constraints.map((c, i) => {
      const out = new Set<string>();
      for (const [v, n] of tp[i]) if (n + selfMatch[i] - minMatch[i] > c.maxSkew) out.add(v);
      return out;
    });
    state.set(PRE_FILTER, {
      constraints,
      tpValueToMatchNum: tp,
      minMatch,
      selfMatch,
      tooSkewed,
      unschedulable: shape ? shape.unschedulable : Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH),
      missingLabel: shape ? shape.missingLabel : Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH),
    } satisfies PreFilterState);
    return { status: null };
  }

  /**
   * Per constraint, topology value → matching pods on the eligible nodes (nodes carrying every
   * constraint key when `requireAll`, and passing the node inclusion policies). Every eligible
   * domain is present, with 0 when it has no matching pod. Walks the nodes once, then only the
   * pods the label index offers (same sums as walking every node's pods).
   */
  /**
   * The nodes a constraint counts (with their topology value): carrying every constraint key when
   * `requireAll`, and passing the node inclusion policies. Cached until a node changes, per pod
   * shape (node affinity, tolerations when taints are honoured).
   */
  private eligibleNodes(pod: PodInfo, c: Constraint, all: Constraint[], nodes: Iterable<NodeInfo>, requireAll: boolean): Eligible {
    const spec: Partial<PodSpec> = pod.pod.spec ?? {};
    const hasAffinity = c.nodeAffinityPolicy === "Honor" && !!(spec.nodeSelector || spec.affinity?.nodeAffinity);
    const key = JSON.stringify([
      c.topologyKey,
      requireAll ? all.map((x) => x.topologyKey) : [],
      hasAffinity ? [spec.nodeSelector, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution] : null,
      c.nodeTaintsPolicy === "Honor" ? spec.tolerations ?? [] : null,
    ]);
    if (this.eligibleVersion !== this.snapshot.nodesVersion) {
      this.eligibleCache.clear();
      this.eligibleVersion = this.snapshot.nodesVersion;
    }
    const hit = this.eligibleCache.get(key);
    if (hit) return hit;
    const affinity = hasAffinity ? requiredNodeAffinity(pod.pod) : () => true;
    const out: Eligible = { key, nodes: new Map(), values: [] };
    const seen = new Set<string>();
    for (const ni of nodes) {
      if (requireAll && !nodeLabelsMatchSpreadConstraints(ni.labels, all)) continue;
      const v = ni.labels[c.topologyKey];
      if (v === undefined || !matchNodeInclusionPolicies(c, pod, ni, affinity)) continue;
      out.nodes.set(ni, v);
      if (!seen.has(v)) {
        seen.add(v);
        out.values.push(v);
      }
    }
    if (this.eligibleCache.size > 256) this.eligibleCache.clear();
    this.eligibleCache.set(key, out);
    return out;
  }

  private readonly eligibleCache = new Map<string, Eligible>();
  private eligibleVersion = -1;

  private countMatching(pod: PodInfo, constraints: Constraint[], nodes: Iterable<NodeInfo>, requireAll: boolean, only?: Array<Map<string, number>>): Array<Map<string, number>> {
    const tp = only ?? constraints.map(() => new Map<string, number>());
    const eligible = constraints.map((c) => this.eligibleNodes(pod, c, constraints, nodes, requireAll));
    if (!only) for (let i = 0; i < constraints.length; i++) if (c0(constraints[i])) for (const v of eligible[i].values) tp[i].set(v, 0);
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (eligible[i].nodes.size === 0) continue;
      // Counting only into given domains, and there are none (PreScore's hostname constraint, or
      // no filtered node carries the key): nothing to count, no pod to walk.
      if (only && only[i].size === 0) continue;
      const live = this.trackedCounts(pod, c, eligible[i]);
      if (live) {
        if (only) {
          for (const [v, n] of live) if (only[i].has(v)) only[i].set(v, only[i].get(v)! + n);
        } else tp[i] = live;
        continue;
      }
      const pods = c.rawSelector !== undefined ? this.snapshot.candidatesFor(c.rawSelector) : this.snapshot.allPods();
      for (const p of pods) {
        const ni = p.nodeInfo;
        if (!ni || p.terminating || p.namespace !== pod.namespace) continue;
        const v = eligible[i].nodes.get(ni);
        if (v === undefined || (only && !only[i].has(v)) || !c.selector(p.labels)) continue;
        tp[i].set(v, (tp[i].get(v) ?? 0) + 1);
      }
    }
    return tp;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.get(PRE_FILTER) as PreFilterState;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const v = node.label(c.topologyKey);
      if (v === undefined) return s.missingLabel;
      // A domain absent from the counts has 0 matching pods: skew = self − min.
      if (s.tooSkewed[i].has(v) || (!s.tpValueToMatchNum[i].has(v) && s.selfMatch[i] - s.minMatch[i] > c.maxSkew)) return s.unschedulable;
    }
    return null;
  }

  /**
   * The fast engine: this cycle's Filter for a pod with one constraint, as a verdict per value of
   * its topology key, so that a Filter walk reads a node's verdict from its value's number
   * (`valueIds(key)`: the values the listed nodes carry, and each node's) instead of asking the
   * plugin: what filter() answers for a node carrying that value (the domain too skewed, or absent
   * from the counts while self − min > maxSkew). `banned` is null when no value is rejected;
   * `missingLabel` is the rejection of a node without the key. Undefined when the pod has several
   * constraints or the key has too many values for a verdict per value to pay.
   */
  valueVerdicts<T extends { readonly values: readonly string[] }>(state: CycleState, valueIds: (key: string) => T): { ids: T; banned: Uint8Array | null; unschedulable: Status; missingLabel: Status } | undefined {
    const s = state.get(PRE_FILTER) as PreFilterState | undefined;
    if (!s || s.constraints.length !== 1) return undefined;
    const c = s.constraints[0];
    const ids = valueIds(c.topologyKey);
    const values = ids.values;
    if (values.length > 256) return undefined;
    const tp = s.tpValueToMatchNum[0];
    const absentRejected = s.selfMatch[0] - s.minMatch[0] > c.maxSkew;
    let banned: Uint8Array | null = null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (s.tooSkewed[0].has(v) || (absentRejected && !tp.has(v))) (banned ??= new Uint8Array(values.length))[i] = 1;
    }
    return { ids, banned, unschedulable: s.unschedulable.withPlugin(NAME), missingLabel: s.missingLabel.withPlugin(NAME) };
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
      // A plain loop: a closure per node and constraint was most of a scheduling cycle's allocation (issue #19).
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        if (c.topologyKey === LABEL_HOSTNAME) continue;
        const v = ni.labels[c.topologyKey];
        if (!counts[i].has(v)) {
          counts[i].set(v, 0);
          sizes[i]++;
        }
      }
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]) + 2));
    const tracked = constraints.map((c, i) => (c.topologyKey === LABEL_HOSTNAME ? new Map<string, number>() : counts[i]));
    if (!constraints.every((c) => c.topologyKey === LABEL_HOSTNAME)) this.countMatching(pod, constraints, all, requireAll, tracked);
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

  scoreNodes(state: CycleState, pod: PodInfo, nodes: NodeInfo[], out: number[]): void {
    const s = state.get(PRE_SCORE) as PreScoreState;
    const cs = s.constraints;
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (s.ignored.size > 0 && s.ignored.has(node.name)) {
        out[n] = 0;
        continue;
      }
      let score = 0;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        const v = node.labels[c.topologyKey];
        if (v === undefined) continue;
        const cnt = c.topologyKey === LABEL_HOSTNAME ? hostnameCount(node, c.selector, pod.namespace) : s.tpValueToPodCounts[i].get(v) ?? 0;
        score += cnt * s.weights[i] + (c.maxSkew - 1);
      }
      out[n] = Math.round(score);
    }
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
