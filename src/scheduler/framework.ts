/**
 * The framework of the default profile (pkg/scheduler/framework/runtime/framework.go and
 * schedule_one.go): extension points in the default plugin order with the default weights,
 * numFeasibleNodesToFind, the FitError message, and selectHost's reservoir sampling.
 */
import type { Random } from "../sim/random.ts";
import { Code, Status, type CycleState, type FilterPlugin, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot } from "./types.ts";
import { NodeUnschedulable, NAME as NODE_UNSCHEDULABLE } from "./plugins/nodeunschedulable.ts";
import { NodeName, NAME as NODE_NAME } from "./plugins/nodename.ts";
import { TaintToleration, NAME as TAINT_TOLERATION } from "./plugins/tainttoleration.ts";
import { NodeAffinity } from "./plugins/nodeaffinity.ts";
import { NodePorts } from "./plugins/nodeports.ts";
import { leastAllocatedScore, NodeResourcesFit, NAME as FIT } from "./plugins/noderesourcesfit.ts";
import { PodTopologySpread, NAME as SPREAD, type DefaultSelectorFn } from "./plugins/podtopologyspread.ts";
import { InterPodAffinity } from "./plugins/interpodaffinity.ts";
import { balancedNodeScore, NodeResourcesBalancedAllocation } from "./plugins/noderesourcesbalancedallocation.ts";
import { ImageLocality } from "./plugins/imagelocality.ts";
import { VolumeBinding } from "./plugins/volumebinding.ts";

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** schedule_one.go numFeasibleNodesToFind with percentageOfNodesToScore unset (adaptive). */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/**
 * The Filter statuses of the nodes a cycle rejected, one per node (upstream's NodeToStatusMap): a
 * map by node name, or (the fast engine) the statuses in a list. FitError's histogram only counts
 * them, so the order and the names do not matter.
 */
export interface StatusList {
  readonly size: number;
  values(): Iterable<Status>;
}

/** A list of statuses (one per node, in any order) as a StatusList. */
export function statusList(statuses: readonly Status[]): StatusList {
  return { size: statuses.length, values: () => statuses };
}

/** FitError.Error(): "0/N nodes are available: <sorted histogram>. <postFilterMsg>". */
export function fitErrorMessage(numAllNodes: number, statuses: StatusList, opts: { preFilterMsg?: string; absent?: Status; postFilterMsg?: string } = {}): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (opts.preFilterMsg) msg += ` ${opts.preFilterMsg}.`;
  else {
    // Nodes often share one Status (the plugins' shared rejections): count each once, then its reasons.
    const byStatus = new Map<Status, number>();
    // Runs of the same Status (most nodes share one) are counted before touching the map.
    let run: Status | undefined;
    let runLength = 0;
    for (const s of statuses.values()) {
      if (s === run) {
        runLength++;
        continue;
      }
      if (run) byStatus.set(run, (byStatus.get(run) ?? 0) + runLength);
      run = s;
      runLength = 1;
    }
    if (run) byStatus.set(run, (byStatus.get(run) ?? 0) + runLength);
    const reasons = new Map<string, number>();
    for (const [s, n] of byStatus) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + n);
    if (statuses.size < numAllNodes && opts.absent) {
      for (const r of opts.absent.reasons) reasons.set(r, (reasons.get(r) ?? 0) + numAllNodes - statuses.size);
    }
    const items = [...reasons].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (items.length) msg += ` ${items.join(", ")}.`;
  }
  if (opts.postFilterMsg) msg += ` ${opts.postFilterMsg}`;
  return msg;
}

export interface ScorePluginEntry {
  plugin: ScorePlugin;
  weight: number;
}

export interface Plugins {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: ScorePluginEntry[];
}

/**
 * The default profile's plugins (v1.32). VolumeBinding (with VolumeRestrictions' ReadWriteOncePod
 * check) joins when the scheduler reads claims from an API server; VolumeZone and NodeVolumeLimits
 * have nothing to do without zones and CSI drivers and are left out.
 */
export function defaultPlugins(snapshot: Snapshot, defaultSelector?: DefaultSelectorFn, volumeBinding?: VolumeBinding, reference = false): Plugins {
  const nodeUnschedulable = new NodeUnschedulable();
  const nodeName = new NodeName();
  const taintToleration = new TaintToleration(snapshot);
  const nodeAffinity = new NodeAffinity();
  const nodePorts = new NodePorts();
  const fit = new NodeResourcesFit();
  const spread = new PodTopologySpread(snapshot, defaultSelector, reference);
  const ipa = new InterPodAffinity(snapshot);
  const balanced = new NodeResourcesBalancedAllocation();
  const image = new ImageLocality(snapshot);
  const vb = volumeBinding ? [volumeBinding] : [];
  return {
    preFilter: [nodeAffinity, nodePorts, fit, ...vb, spread, ipa],
    filter: [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, fit, ...vb, spread, ipa],
    preScore: [taintToleration, nodeAffinity, fit, spread, ipa, balanced],
    score: [
      { plugin: taintToleration, weight: 3 },
      { plugin: nodeAffinity, weight: 2 },
      { plugin: fit, weight: 1 },
      { plugin: spread, weight: 2 },
      { plugin: ipa, weight: 2 },
      { plugin: balanced, weight: 1 },
      { plugin: image, weight: 1 },
    ],
  };
}

/** What one scheduling attempt recorded (the simulator's annotations are built from it). */
export interface Recorder {
  filter: Map<string, Record<string, string>>;
  score: Map<string, Record<string, string>>;
  finalScore: Map<string, Record<string, string>>;
}

export interface FilterPlan {
  all: FilterPlugin[];
  plain: FilterPlugin[];
  /**
   * `plain` is NodeResourcesFit alone and the pod has no extended resources: on a plain node the
   * Filter outcome is nativeFilter's (what runFilterPlan would return through the plugin).
   */
  fitOnly: boolean;
  /**
   * `plain` is NodeResourcesFit then PodTopologySpread, and the pod has no extended resources (the
   * scheduler may read the spreading's verdict per topology value: PodTopologySpread.valueVerdicts).
   */
  fitThenSpread: boolean;
}

export interface PreFilterOutcome {
  status: Status | null;
  /** Nodes to evaluate when a PreFilter narrowed them. */
  nodeNames?: Set<string>;
  /** Plugins that narrowed the node set (for the absent nodes' reason). */
  narrowedBy: string[];
  skipped: Set<string>;
}

export class Framework {
  constructor(
    readonly plugins: Plugins,
    private readonly chance: Random,
    /** The reference engine (ClusterContext.reference): the plain per-node paths only. */
    private readonly reference = false,
  ) {}

  runPreFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): PreFilterOutcome {
    const skipped = new Set<string>();
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const pl of this.plugins.preFilter) {
      const { result, status } = pl.preFilter(state, pod, nodes);
      if (status?.code === Code.Skip) {
        skipped.add(pl.name);
        continue;
      }
      if (status && status.code !== Code.Success) return { status: status.withPlugin(pl.name), narrowedBy, skipped };
      if (result?.nodeNames) {
        narrowedBy.push(pl.name);
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => result.nodeNames!.has(n))) : result.nodeNames;
        if (nodeNames.size === 0) {
          return { status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${narrowedBy.join(" ")}] simultaneously`).withPlugin(pl.name), narrowedBy, skipped };
        }
      }
    }
    return { status: null, nodeNames, narrowedBy, skipped };
  }

  /** RunFilterPlugins: stops at the first plugin that rejects the node. */
  runFilter(state: CycleState, pod: PodInfo, node: NodeInfo, skipped: Set<string>, rec?: Record<string, string>): Status | null {
    const list = this.activeFilters(skipped);
    for (let i = 0; i < list.length; i++) {
      const pl = list[i];
      const s = pl.filter(state, pod, node);
      if (s && s.code !== Code.Success) {
        if (rec) rec[pl.name] = s.message();
        return s.withPlugin(pl.name);
      }
      if (rec) rec[pl.name] = "passed";
    }
    return null;
  }

  /**
   * The fast engine's Filter plan for one cycle: the plugins not skipped at PreFilter, and the same
   * list without those that cannot reject a node with no taints that is not cordoned
   * (NodeUnschedulable, TaintToleration: both return Success there at once); NodeName is left out
   * for a pod naming no node (it passes every node). runFilterPlan gives what runFilter gives.
   */
  filterPlan(pod: PodInfo, skipped: Set<string>): FilterPlan {
    // Kept by what decides it (issue #19 §4: two lists and an object per cycle otherwise): the
    // skipped PreFilter plugins, whether the pod names a node, whether it has extended resources.
    let key = (pod.nodeName !== "" ? 1 : 0) | (pod.requests.scalarNames?.length === 0 ? 2 : 0);
    for (const name of skipped) {
      const bit = this.preFilterBits.get(name);
      if (bit === undefined) return this.makeFilterPlan(pod, skipped);
      key |= bit;
    }
    let plan = this.filterPlans.get(key);
    if (plan === undefined) this.filterPlans.set(key, (plan = this.makeFilterPlan(pod, skipped)));
    return plan;
  }

  /** The PreFilter plugins' bits in filterPlan's key (from 4 on), by name. */
  private get preFilterBits(): Map<string, number> {
    return (this.preFilterBitsKept ??= new Map(this.plugins.preFilter.map((p, i) => [p.name, 4 * 2 ** i] as const)));
  }
  private preFilterBitsKept: Map<string, number> | undefined;
  private readonly filterPlans = new Map<number, FilterPlan>();

  private makeFilterPlan(pod: PodInfo, skipped: Set<string>): FilterPlan {
    const all = this.activeFilters(skipped).filter((p) => p.name !== NODE_NAME || pod.nodeName !== "");
    const plain = all.filter((p) => p.name !== NODE_UNSCHEDULABLE && p.name !== TAINT_TOLERATION);
    const native = pod.requests.scalarNames?.length === 0;
    return {
      all,
      plain,
      fitOnly: native && plain.length === 1 && plain[0].name === FIT,
      fitThenSpread: native && plain.length === 2 && plain[0].name === FIT && plain[1].name === SPREAD,
    };
  }

  runFilterPlan(plan: FilterPlan, state: CycleState, pod: PodInfo, node: NodeInfo): Status | null {
    const list = node.plain ? plan.plain : plan.all;
    for (let i = 0; i < list.length; i++) {
      const pl = list[i];
      const s = pl.filter(state, pod, node);
      if (s && s.code !== Code.Success) return s.withPlugin(pl.name);
    }
    return null;
  }

  private lastSkipped: Set<string> | undefined;
  private lastActive: FilterPlugin[] = [];

  /** The Filter plugins not skipped at PreFilter (computed once per cycle). */
  private activeFilters(skipped: Set<string>): FilterPlugin[] {
    if (skipped !== this.lastSkipped) {
      this.lastSkipped = skipped;
      this.lastActive = this.plugins.filter.filter((p) => !skipped.has(p.name));
    }
    return this.lastActive;
  }

  /**
   * PreScore, Score, NormalizeScore and weights: the total per node (aligned with `nodes`). The
   * fast engine's totals leave out plugins that score every node alike (so they may differ from
   * the reference engine's by the same number on every node); only selectHost reads them.
   */
  runScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], rec?: Recorder, resourceTotals?: number[]): number[] {
    // The fast engine (and no annotations asked for): the plugins' scoreNodes, into arrays kept
    // from cycle to cycle (the totals are read by selectHost before the next cycle starts).
    const fast = !this.reference && !rec;
    const n = nodes.length;
    const skipped = this.skippedScore;
    skipped.clear();
    for (const pl of this.plugins.preScore) {
      const s = pl.preScore(state, pod, nodes);
      if (s?.code === Code.Skip) skipped.add(pl.name);
    }
    const active = this.activeScore;
    active.length = 0;
    for (const entry of this.plugins.score) {
      if (skipped.has(entry.plugin.name)) continue;
      // The same score on every node: a constant in every total (selectHost's choice and its
      // draws are those of the totals with it).
      if (fast && entry.plugin.uniform?.(state, pod, nodes)) continue;
      active.push(entry);
    }
    // Only NodeResourcesFit and NodeResourcesBalancedAllocation (weights 1) score: the totals are
    // the resource totals the Filter walk gathered (resourceTotal), node by node.
    if (fast && resourceTotals !== undefined && active.length === 2 && active[0].plugin instanceof NodeResourcesFit && active[0].weight === 1 && active[1].plugin instanceof NodeResourcesBalancedAllocation && active[1].weight === 1) {
      active.length = 0;
      return resourceTotals;
    }
    const totals = fast ? this.buffer(0, n) : new Array<number>(n);
    totals.fill(0);
    for (const { plugin, weight } of active) {
      const scores = fast ? this.buffer(1, n) : new Array<number>(n);
      if (fast && plugin.scoreNodes) plugin.scoreNodes(state, pod, nodes, scores);
      else for (let i = 0; i < n; i++) scores[i] = plugin.score(state, pod, nodes[i]);
      if (rec) nodes.forEach((n, i) => ((rec.score.get(n.name) ?? setGet(rec.score, n.name))[plugin.name] = String(scores[i])));
      plugin.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < n; i++) totals[i] += scores[i] * weight;
      if (rec) nodes.forEach((n, i) => ((rec.finalScore.get(n.name) ?? setGet(rec.finalScore, n.name))[plugin.name] = String(scores[i] * weight)));
    }
    return totals;
  }

  private readonly skippedScore = new Set<string>();
  private readonly activeScore: ScorePluginEntry[] = [];
  private readonly buffers: number[][] = [[], []];

  /** A number array of length n kept for reuse (contents undefined). */
  private buffer(i: number, n: number): number[] {
    let b = this.buffers[i];
    if (b.length !== n) this.buffers[i] = b = new Array<number>(n).fill(0);
    return b;
  }

  /** selectHost: the highest total, ties broken uniformly at random by reservoir sampling. */
  selectHost(nodes: NodeInfo[], totals: number[]): NodeInfo {
    let best = 0;
    let count = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i] > totals[best]) {
        best = i;
        count = 1;
      } else if (totals[i] === totals[best]) {
        count++;
        // chance.int(count) === 0, read straight from the same draw on the fast engine:
        // floor(u / 2^32 · count) = 0 ⟺ u · count < 2^32, both sides exact in doubles while count < 2^21.
        if (this.reference || count >= 2_097_152 ? this.chance.int(count) === 0 : this.chance.uint32() * count < 4_294_967_296) best = i;
      }
    }
    return nodes[best];
  }
}

/**
 * A node's total when NodeResourcesFit and NodeResourcesBalancedAllocation alone score (weights 1):
 * what runScore adds up for it, plugin by plugin in the profile's order.
 */
export function resourceTotal(pod: PodInfo, node: NodeInfo): number {
  let total = 0;
  total += leastAllocatedScore(pod, node) * 1;
  total += balancedNodeScore(pod, node) * 1;
  return total;
}

function setGet(m: Map<string, Record<string, string>>, k: string): Record<string, string> {
  const r: Record<string, string> = {};
  m.set(k, r);
  return r;
}
