/**
 * kube-scheduler (default profile, `default-scheduler`): watches pods, nodes and namespaces,
 * keeps its cache, and runs scheduling cycles on the simulated clock (a zero-delay timer whenever
 * activeQ has work, never inside the watch handler of the triggering write). Each cycle is
 * schedule_one.go: PreFilter → Filter (numFeasibleNodesToFind, round-robin start) → PostFilter
 * (preemption) or PreScore/Score → selectHost → bind; outcomes are written as kube-scheduler
 * writes them, plus kube-scheduler-simulator's result annotations.
 */
import type { PodCondition } from "../api/types.gen.ts";
import type { ClusterContext, Component } from "../context.ts";
import { jsonEqual, type KObject, type WatchEvent } from "../api/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { ApiError } from "../api/errors.ts";
import { resourceForKind } from "../api/resources.ts";
import { SchedulerCache } from "./cache.ts";
import { defaultPlugins, fitErrorMessage, Framework, numFeasibleNodesToFind, resourceTotal, statusList, type FilterPlan, type Recorder } from "./framework.ts";
import { BACKOFF_FLUSH_MS, keyOf, SchedulingQueue, UNSCHEDULABLE_FLUSH_MS, type ClusterEvent, type QueuedPodInfo } from "./queue.ts";
import { Code, PodInfo, Status, type CycleState, type NodeInfo, type NodeStamps } from "./types.ts";
import { DefaultPreemption } from "./plugins/defaultpreemption.ts";
import { nativeFilter, nativeFilterMask, nativeRejection } from "./plugins/noderesourcesfit.ts";
import { PodTopologySpread } from "./plugins/podtopologyspread.ts";
import { BIND_TIMEOUT_MS, VolumeBinding } from "./plugins/volumebinding.ts";
import { requiredNodeAffinity } from "./plugins/nodeaffinity.ts";
import { findMatchingUntoleratedTaint } from "../api/helper/toleration.ts";
import { labelSelectorMatcher, mapSelectorMatcher, type Matcher } from "./util/labels.ts";
import { isPodPhaseTerminal, isPodTerminal, podCondition } from "../api/pod/util.ts";
import { podStatusOf } from "../api/store.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** The running kube-scheduler (src/scheduler/scheduler.ts). */
    scheduler: Scheduler;
  }
}

export const SCHEDULER_NAME = "default-scheduler";
export const ANNOTATION_PREFIX = "kube-scheduler-simulator.sigs.k8s.io/";
export const FILTER_RESULT = ANNOTATION_PREFIX + "filter-result";
export const SCORE_RESULT = ANNOTATION_PREFIX + "score-result";
export const FINAL_SCORE_RESULT = ANNOTATION_PREFIX + "finalscore-result";
export const SELECTED_NODE = ANNOTATION_PREFIX + "selected-node";
/** Results are recorded (and, when asked, written on pods) while the cluster has at most this many nodes. */
export const MAX_NODES_FOR_ANNOTATIONS = 100;
/** Pods scheduled per timer callback before yielding to other work at the same instant. */
const BATCH = 64;

export interface SchedulerOptions {
  /**
   * kube-scheduler-simulator's per-node results (up to 100 nodes). By default they are kept in the
   * scheduler only, for the explanations (`attemptOf`): a real kube-scheduler writes no annotations,
   * and the write would be one more pod update than a real cluster shows (`kubectl get -w`,
   * `describe`, resourceVersions). `true` also writes them on the pods as the simulator does;
   * `false` keeps none (the per-node Filter and Score paths then run as in a large cluster).
   */
  annotations?: boolean;
  percentageOfNodesToScore?: number;
  /**
   * The profiles' `schedulerName`s (KubeSchedulerConfiguration `profiles`): the pods this scheduler
   * takes (eventhandlers.go responsibleForPod) and the reportingController of each pod's events
   * (one recorder per profile). Default: `default-scheduler`.
   */
  schedulerNames?: string[];
  /**
   * A second kube-scheduler run in a pod (src/images/programs/kubescheduler.ts): not the cluster's
   * scheduler in `ctx.services` (explanations keep asking the control plane's), and its events name
   * its host (reportingInstance `<schedulerName>-<pod name>`, os.Hostname in a pod).
   */
  host?: string;
}

/** A selecting object's selector as defaultSelector uses it (null: a Service or RC selecting nothing). */
function selectorEntry(kind: string, sel: Record<string, unknown>): { id: string; matcher: Matcher } | null {
  // What the selector is, not whose: a matcher joined from the same selectors matches alike.
  const id = `${kind}:${JSON.stringify(sel)}`;
  if (kind === "Service" || kind === "ReplicationController") {
    if (Object.keys(sel).length === 0) return null;
    return { id, matcher: mapSelectorMatcher(sel as Record<string, string>) };
  }
  return { id, matcher: labelSelectorMatcher(sel) };
}

export class Scheduler implements Component {
  readonly name = "kube-scheduler";
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly preemption: DefaultPreemption;
  private nextStartNodeIndex = 0;
  private timer: TimerHandle | undefined;
  private intervals: TimerHandle[] = [];
  private unwatch: Array<() => void> = [];
  /** nominatedNodeName → pods nominated there (the nominator). */
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  /** Pods bound by this scheduler whose watch event has not arrived yet. */
  private readonly assumed = new Set<string>();
  readonly volumeBinding: VolumeBinding;
  /** Pods whose volumes are being bound (VolumeBinding's PreBind), by pod key, with their node and deadline. */
  private readonly waitingOnVolumes = new Map<string, { qp: QueuedPodInfo; pod: PodInfo; node: NodeInfo; rec: Recorder | undefined; deadline: TimerHandle }>();

  /** The profiles' scheduler names (responsibleForPod). */
  private readonly names: ReadonlySet<string>;

  constructor(
    readonly ctx: ClusterContext,
    readonly opts: SchedulerOptions = {},
  ) {
    this.names = new Set(opts.schedulerNames?.length ? opts.schedulerNames : [SCHEDULER_NAME]);
    this.queue = new SchedulingQueue(() => ctx.clock.now(), () => this.kick());
    this.volumeBinding = new VolumeBinding(ctx.api);
    this.cache.reuseParsed = !ctx.reference;
    this.framework = new Framework(defaultPlugins(this.cache, (pod) => this.defaultSelector(pod), this.volumeBinding, !!ctx.reference), ctx.chance, !!ctx.reference);
    this.preemption = new DefaultPreemption(this.cache, ctx.chance);
  }

  start(): void {
    const api = this.ctx.api;
    if (this.opts.host === undefined) this.ctx.services.set("scheduler", this);
    for (const ns of api.list("Namespace")) this.cache.setNamespace(ns, ns.metadata.name!);
    for (const n of api.list("Node")) this.cache.addOrUpdateNode(n);
    for (const p of api.list("Pod")) this.onPod({ type: "ADDED", object: p });
    this.unwatch.push(api.watch("Namespace", (ev) => this.cache.setNamespace(ev.type === "DELETED" ? undefined : ev.object, ev.object.metadata.name!)));
    this.unwatch.push(api.watch("Node", (ev) => this.onNode(ev)));
    // A kubelet's status write of a bound pod reaches onPod only when it changes what the
    // scheduler reads (`statusOnlyWanted`, the fast engine; issue #19 §1).
    this.unwatch.push(api.watch("Pod", (ev) => this.onPod(ev), { statusOnlyWanted: (ev) => this.statusOnlyWanted(ev) }));
    // Storage events: a claim, volume or class that appears or changes may unblock VolumeBinding,
    // and a claim bound ends the PreBind wait of its pod.
    this.unwatch.push(api.watch("PersistentVolumeClaim", (ev) => this.onStorage(ev, "PersistentVolumeClaim")));
    this.unwatch.push(api.watch("PersistentVolume", (ev) => this.onStorage(ev, "PersistentVolume")));
    this.unwatch.push(api.watch("StorageClass", (ev) => this.onStorage(ev, "StorageClass")));
    this.intervals.push(this.ctx.clock.setInterval(() => this.queue.flushBackoffQCompleted(), BACKOFF_FLUSH_MS));
    this.intervals.push(this.ctx.clock.setInterval(() => this.queue.flushUnschedulablePodsLeftover(), UNSCHEDULABLE_FLUSH_MS));
  }

  stop(): void {
    for (const u of this.unwatch) u();
    for (const t of this.intervals) this.ctx.clock.clear(t);
    this.ctx.clock.clear(this.timer);
    this.unwatch = [];
    this.intervals = [];
  }

  // ---- event handlers (pkg/scheduler/eventhandlers.go) ----

  private onNode(ev: WatchEvent): void {
    const node = ev.object;
    const name = node.metadata.name!;
    if (ev.type === "DELETED") {
      this.cache.removeNode(name);
      return;
    }
    const existed = !!this.cache.get(name);
    const ni = this.cache.addOrUpdateNode(node);
    if (!existed) {
      for (const p of this.ctx.api.podsOnNode(name)) this.cache.addOrUpdatePod(p);
      this.queue.moveAllToActiveOrBackoffQueue(nodeAddedEvent(ni));
      return;
    }
    const old = ev.old;
    if (!old) return;
    const changed: string[] = [];
    // The fast engine compares without serialising (jsonEqual: the same answer as comparing the texts).
    const same = this.ctx.reference ? (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) : jsonEqual;
    if (!same(old.metadata.labels, node.metadata.labels)) changed.push("labels");
    if (!same(old.spec?.taints, node.spec?.taints)) changed.push("taints");
    if (!same(old.status?.allocatable, node.status?.allocatable)) changed.push("allocatable");
    if (!!old.spec?.unschedulable !== !!node.spec?.unschedulable) changed.push("unschedulable");
    if (!same(old.status?.images, node.status?.images)) changed.push("images");
    if (changed.length) this.queue.moveAllToActiveOrBackoffQueue(nodeUpdatedEvent(ni, changed));
  }

  private onStorage(ev: WatchEvent, kind: string): void {
    if (ev.type !== "DELETED") this.queue.moveAllToActiveOrBackoffQueue(storageEvent(kind));
    if (this.waitingOnVolumes.size && kind !== "StorageClass") this.checkWaitingOnVolumes();
  }

  private checkWaitingOnVolumes(): void {
    for (const [key, w] of [...this.waitingOnVolumes]) {
      const current = this.ctx.api.get("Pod", w.pod.namespace, w.pod.name);
      if (!current || current.metadata.deletionTimestamp || current.spec?.nodeName) {
        this.ctx.clock.clear(w.deadline);
        this.waitingOnVolumes.delete(key);
        continue;
      }
      if (!this.volumeBinding.allBound(current)) continue;
      this.ctx.clock.clear(w.deadline);
      this.waitingOnVolumes.delete(key);
      this.bindPod(w.qp, w.pod, w.node, w.rec);
    }
  }

  private responsible(pod: KObject): boolean {
    return this.names.has(pod.spec?.schedulerName ?? SCHEDULER_NAME);
  }

  /** The event source of a pod's profile: the profile's recorder (reportingController = its schedulerName). */
  private source(pod: KObject): { component: string; host?: string } {
    const component = pod.spec?.schedulerName ?? SCHEDULER_NAME;
    return this.opts.host === undefined ? { component } : { component, host: this.opts.host };
  }

  private onPod(ev: WatchEvent): void {
    const pod = ev.object;
    const key = keyOf(pod);
    if (ev.type === "DELETED") {
      if (pod.metadata.uid !== undefined) this.attempts.delete(pod.metadata.uid);
      this.removeNominated(key);
      this.assumed.delete(key);
      if (this.queue.has(key)) this.queue.delete(key);
      const removed = this.cache.removePod(key);
      if (removed) this.queue.moveAllToActiveOrBackoffQueue(assignedPodDeletedEvent);
      return;
    }
    if (pod.spec?.nodeName) {
      // Assigned pod: counted in the cache.
      if (this.queue.has(key)) this.queue.done(key);
      this.removeNominated(key);
      const before = this.cache.nodeOfPod(key);
      this.cache.addOrUpdatePod(pod);
      if (isPodTerminal(pod)) {
        // A finished pod frees its resources (the scheduler's informer drops terminal pods).
        if (this.cache.removePod(key)) this.queue.moveAllToActiveOrBackoffQueue(assignedPodDeletedEvent);
        return;
      }
      // A pod the scheduler assumed is new to the informer all the same (AssignedPodAdded).
      if (before === undefined || this.assumed.delete(key)) this.queue.moveAllToActiveOrBackoffQueue(assignedPodAddedEvent);
      else if (ev.old && ev.old.metadata.labels !== pod.metadata.labels && JSON.stringify(ev.old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) {
        this.queue.moveAllToActiveOrBackoffQueue(assignedPodUpdatedEvent);
      }
      return;
    }
    if (!this.responsible(pod) || pod.metadata.deletionTimestamp) return;
    if (pod.spec?.schedulingGates?.length) return;
    this.queue.add(pod);
    if (pod.status?.nominatedNodeName) this.addNominated(pod);
  }

  /**
   * Off: every status-only change reaches onPod on the fast engine too (the randomized test's
   * cache called for every event). The reference engine calls onPod for every event either way.
   */
  leavesOutStatusOnly = true;

  /**
   * `ApiServer.watch`'s `statusOnlyWanted` for the Pod watcher: false (onPod is not called) for a
   * status-only change of a bound pod after which onPod would do nothing a reader could see. onPod
   * on such a change of a bound pod: ends its queue entry and nomination, replaces its PodInfo in
   * the cache (the node's list gets the new version at its end; sums −requests +requests; the label
   * index and PodTopologySpread's counts −1 +1), removes it again if its phase is terminal (moving
   * pods waiting on a deleted pod's resources), and moves pods waiting on an added pod if it was
   * not counted or was assumed. So it is wanted when: the pod is not bound; it is being deleted
   * (its conditions read by upstream's podTerminatingByPreemption: kept current); its phase is
   * terminal; its startTime changed (preemption's MoreImportantPod and the pick of a node read a
   * counted pod's startTime); it is queued, assumed or nominated; or the cache cannot leave the
   * change out (`SchedulerCache.leaveOutStatusOnly`: the pod not counted, the node's sums not
   * exact). Otherwise the cache restamps the pod's place (what reads the order sorts by it) and
   * hands the new object to the counted PodInfo. It reads of the status only `phase` and
   * `startTime` (a deferred status write would answer them from the body it keeps).
   */
  private statusOnlyWanted(ev: WatchEvent): boolean {
    if (!this.leavesOutStatusOnly) return true;
    const pod = ev.object;
    // The status read without building one the store keeps unbuilt (`podStatusOf`, issue #19).
    const status = podStatusOf(pod);
    if (!pod.spec?.nodeName || pod.metadata.deletionTimestamp || isPodPhaseTerminal(status?.phase)) return true;
    if (status?.startTime !== podStatusOf(ev.old!)?.startTime) return true;
    const key = keyOf(pod);
    if (this.assumed.has(key) || this.queue.has(key) || this.isNominated(key)) return true;
    return !this.cache.leaveOutStatusOnly(key, pod);
  }

  private isNominated(key: string): boolean {
    if (this.nominated.size === 0) return false;
    for (const m of this.nominated.values()) if (m.has(key)) return true;
    return false;
  }

  private addNominated(pod: KObject): void {
    const n = pod.status.nominatedNodeName;
    let m = this.nominated.get(n);
    if (!m) this.nominated.set(n, (m = new Map()));
    m.set(keyOf(pod), new PodInfo(pod));
  }

  private removeNominated(key: string): void {
    if (this.nominated.size === 0) return;
    for (const [n, m] of this.nominated) if (m.delete(key) && m.size === 0) this.nominated.delete(n);
  }

  /** The selector of the Services / ReplicationControllers / ReplicaSets / StatefulSets selecting the pod (helper.DefaultSelector). */
  private defaultSelector(pod: KObject): Matcher | undefined {
    const ns = pod.metadata.namespace ?? "default";
    const labels = pod.metadata.labels ?? {};
    const parts: Matcher[] = [];
    if (this.ctx.reference) {
      for (const { matcher } of this.selectorsIn(ns)) if (matcher(labels)) parts.push(matcher);
      if (parts.length === 0) return undefined;
      return (l) => parts.every((m) => m(l));
    }
    // The fast engine: the namespace's selectors (in the same order) are built once and kept
    // until an object of a selecting kind is written; the combined matcher is kept by the
    // selectors it joins (their text), so pods selected alike get the same matcher from cycle to
    // cycle (PodTopologySpread keeps per-node counts by matcher).
    const selectors = this.namespaceSelectors(ns);
    let key = "";
    for (let i = 0; i < selectors.length; i++) {
      if (!selectors[i].matcher(labels)) continue;
      parts.push(selectors[i].matcher);
      key += selectors[i].id + "\u0000";
    }
    if (parts.length === 0) return undefined;
    let m = this.joinedSelectors.get(key);
    if (!m) {
      if (this.joinedSelectors.size >= 1024) this.joinedSelectors.clear();
      this.joinedSelectors.set(key, (m = (l) => parts.every((p) => p(l))));
    }
    return m;
  }

  /** Per namespace, the selectors of its Services / ReplicationControllers / ReplicaSets / StatefulSets, in defaultSelector's order. */
  private readonly selectorsByNamespace = new Map<string, Array<{ id: string; matcher: Matcher }>>();
  /** The resourceVersions of the selecting kinds' last writes when selectorsByNamespace was filled. */
  private readonly selectorsVersion: number[] = [];
  private readonly joinedSelectors = new Map<string, Matcher>();

  private namespaceSelectors(ns: string): Array<{ id: string; matcher: Matcher }> {
    const api = this.ctx.api;
    // The selecting kinds' last changes as numbers (no text made per call: PreFilter and PreScore
    // ask every cycle).
    const version = this.selectorsVersion;
    const kinds = this.selectingKinds;
    let changed = version.length !== kinds.length;
    for (let i = 0; i < kinds.length; i++) {
      const v = api.lastChangeOf(kinds[i]);
      if (version[i] !== v) {
        version[i] = v;
        changed = true;
      }
    }
    if (changed) {
      version.length = kinds.length;
      this.selectorsByNamespace.clear();
    }
    let out = this.selectorsByNamespace.get(ns);
    if (!out) this.selectorsByNamespace.set(ns, (out = this.selectorsIn(ns, true)));
    return out;
  }

  /**
   * The fast engine's parsed selectors, by kind and stored (frozen) selector object: a ReplicaSet's
   * status write keeps its spec, so the selectors found again after it are not serialised and
   * parsed again. A frozen selector cannot change, so its id and matcher cannot either.
   */
  private readonly parsedSelectors = new Map<string, WeakMap<object, { id: string; matcher: Matcher } | null>>();

  /** The selectors of the namespace's Services / ReplicationControllers / ReplicaSets / StatefulSets, in defaultSelector's order. */
  private selectorsIn(ns: string, memo = false): Array<{ id: string; matcher: Matcher }> {
    const api = this.ctx.api;
    const out: Array<{ id: string; matcher: Matcher }> = [];
    for (const kind of this.selectingKinds) {
      if (api.count(kind) === 0) continue;
      let parsed = memo ? this.parsedSelectors.get(kind) : undefined;
      if (memo && !parsed) this.parsedSelectors.set(kind, (parsed = new WeakMap()));
      for (const o of api.list(kind, { namespace: ns })) {
        const sel = o.spec?.selector;
        if (!sel) continue;
        const kept = parsed && Object.isFrozen(sel) ? parsed.get(sel) : undefined;
        if (kept !== undefined) {
          if (kept) out.push(kept);
          continue;
        }
        const entry = selectorEntry(kind, sel);
        if (parsed && Object.isFrozen(sel)) parsed.set(sel, entry);
        if (entry) out.push(entry);
      }
    }
    return out;
  }

  /** The kinds whose selectors feed the default spreading (those this API server serves). */
  private readonly selectingKinds = ["Service", "ReplicationController", "ReplicaSet", "StatefulSet"].filter((k) => resourceForKind(k));

  // ---- the loop ----

  private kick(): void {
    if (this.timer) return;
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = undefined;
      for (let i = 0; i < BATCH; i++) {
        const p = this.queue.pop();
        if (!p) return;
        this.scheduleOne(p);
      }
      if (this.queue.activeLength > 0) this.kick();
    }, 0);
  }

  /** Runs every pending cycle now (tests and benchmarks). */
  drain(): void {
    for (let p = this.queue.pop(); p; p = this.queue.pop()) this.scheduleOne(p);
  }

  /**
   * The last attempt's results per pod uid, as the simulator's annotations would carry them; the
   * fast engine keeps the attempt's recorder and writes the texts at the first read (`attemptOf`).
   */
  private readonly attempts = new Map<string, Readonly<Record<string, string>> | KeptAttempt>();

  private annotate(): boolean {
    return this.opts.annotations !== false && this.cache.nodeCount <= MAX_NODES_FOR_ANNOTATIONS;
  }

  /**
   * What the scheduler's last attempt for this pod found, keyed as kube-scheduler-simulator's
   * annotations (filter-result, score-result, finalscore-result, selected-node); undefined when it
   * kept none (no attempt yet, or more than 100 nodes).
   */
  attemptOf(pod: KObject): Readonly<Record<string, string>> | undefined {
    const uid = pod.metadata.uid;
    if (uid === undefined) return undefined;
    const a = this.attempts.get(uid);
    if (!(a instanceof KeptAttempt)) return a;
    const anns = attemptAnnotations(a.rec, a.selected);
    this.attempts.set(uid, anns);
    return anns;
  }

  /** schedule_one.go scheduleOne. */
  scheduleOne(qp: QueuedPodInfo): void {
    const current = this.ctx.api.get("Pod", qp.pod.metadata.namespace, qp.pod.metadata.name!);
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) {
      this.queue.done(qp.key);
      return;
    }
    qp.pod = current;
    const pod = new PodInfo(current);
    const state: CycleState = new Map();
    const rec: Recorder | undefined = this.annotate() ? { filter: new Map(), score: new Map(), finalScore: new Map() } : undefined;
    const all = this.cache.nodeInfoList();
    if (all.length === 0) {
      this.fail(qp, pod, "0/0 nodes are available: no nodes available to schedule pods.", new Set(), rec);
      return;
    }
    // PreFilter
    const pre = this.framework.runPreFilter(state, pod, all);
    let absent: Status | undefined;
    if (pre.status) {
      const statuses = new Map<string, Status>();
      for (const n of all) statuses.set(n.name, pre.status);
      const msg = fitErrorMessage(all.length, statuses, { preFilterMsg: pre.status.message(), postFilterMsg: this.postFilter(state, pod, (ni) => statuses.get(ni.name), undefined, qp, pre.skipped) });
      this.fail(qp, pod, msg, new Set([pre.status.plugin]), rec);
      return;
    }
    let nodes = all;
    if (pre.nodeNames) {
      nodes = all.filter((n) => pre.nodeNames!.has(n.name));
      absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(" ")}]`);
    }
    // Filter (the fast engine reuses one array for the feasible nodes: nothing keeps it past the
    // cycle). The reused arrays are written by index and cut to length once filled: emptying one
    // (`length = 0`) gives up its backing store, and refilling it grows a new one step by step
    // (~20 KB of garbage a cycle for the feasible nodes and their totals at 5,000 nodes).
    const feasible: NodeInfo[] = this.ctx.reference ? [] : this.feasibleNodes;
    let nf = 0;
    const nominatedNode = current.status?.nominatedNodeName;
    let chosen: NodeInfo | undefined;
    let resourceTotals: number[] | undefined;
    if (nominatedNode) {
      const ni = this.cache.get(nominatedNode);
      if (ni && this.runFilterWithNominated(state, pod, ni, pre.skipped) === null) chosen = ni;
    }
    if (!chosen) {
      const numToFind = numFeasibleNodesToFind(nodes.length, this.opts.percentageOfNodesToScore ?? 0);
      // Rejected nodes are kept in two arrays reused from cycle to cycle; their status map is
      // built only when no node fits (the FitError and preemption read it; a pod that is placed
      // never needed it).
      const rejNodes = this.rejectedNodes;
      const rejStatuses = this.rejectedStatuses;
      const rejIndexes = this.rejectedIndexes;
      let nr = 0;
      const plan = !rec && !this.ctx.reference ? this.framework.filterPlan(pod, pre.skipped) : undefined;
      const fitOnly = plan !== undefined && plan.fitOnly;
      const req = pod.requests;
      let processed = 0;
      // The fast engine's walk by what changed (issue #19 §4): when NodeResourcesFit is the only
      // Filter plugin left (or Fit and a spreading constraint read per topology value), no node is
      // tainted or cordoned and nothing is nominated, each node's Filter outcome and resource
      // score for this pod's requests are kept by its place in the node list with the node's
      // change stamp, and worked out again only for nodes that changed since.
      const walk = plan && nodes === all && this.nominated.size === 0 && (plan.fitOnly || plan.fitThenSpread) && this.cache.allNodesPlain() ? this.resourceWalk(plan, state, pod) : undefined;
      if (walk) {
        const stamps = this.cache.stamps.a;
        const { seen, mask, total } = walk.rv;
        const ids = walk.ids;
        const banned = walk.banned;
        const totals = (resourceTotals = this.walkTotals);
        const n = nodes.length;
        let at = this.nextStartNodeIndex;
        for (let i = 0; i < n && nf < numToFind; i++, at = at + 1 === n ? 0 : at + 1) {
          processed++;
          let m: number;
          if (seen[at] === stamps[at]) m = mask[at];
          else {
            const ni = nodes[at];
            m = nativeFilterMask(req, ni);
            mask[at] = m;
            if (m === 0) total[at] = resourceTotal(pod, ni);
            seen[at] = stamps[at];
          }
          if (m !== 0) {
            rejNodes[nr] = nodes[at];
            rejStatuses[nr] = nativeRejection(m);
            rejIndexes[nr++] = at;
            continue;
          }
          if (ids !== undefined) {
            const id = ids[at];
            if (id < 0 || (banned !== null && banned[id] === 1)) {
              rejNodes[nr] = nodes[at];
              rejStatuses[nr] = id < 0 ? walk.missingLabel! : walk.unschedulable!;
              rejIndexes[nr++] = at;
              continue;
            }
          }
          totals[nf] = total[at];
          feasible[nf++] = nodes[at];
        }
        if (totals.length !== nf) totals.length = nf;
      }
      for (let i = processed; i < nodes.length && nf < numToFind; i++) {
        const at = (this.nextStartNodeIndex + i) % nodes.length;
        const ni = nodes[at];
        processed++;
        let s: Status | null;
        if (plan && !this.hasNominated(ni.name)) s = fitOnly && ni.plain ? nativeFilter(req, ni) : this.framework.runFilterPlan(plan, state, pod, ni);
        else {
          const r = rec ? {} : undefined;
          s = this.runFilterWithNominated(state, pod, ni, pre.skipped, r);
          if (rec) rec.filter.set(ni.name, r!);
        }
        if (s === null) feasible[nf++] = ni;
        else {
          rejNodes[nr] = ni;
          rejStatuses[nr] = s;
          rejIndexes[nr++] = at;
        }
      }
      if (feasible.length !== nf) feasible.length = nf;
      if (rejNodes.length !== nr) rejNodes.length = rejStatuses.length = rejIndexes.length = nr;
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % nodes.length;
      if (nf === 0) {
        const plugins = new Set<string>();
        if (!this.ctx.reference && nodes === all) {
          // The fast engine (issue #19 §4): no map by node name. Every node was visited; each
          // status is kept at its node's place in the node list (preemption reads them in that
          // order), and FitError counts the list (one status per node, as the map held them).
          const byNode = this.statusByNode;
          for (let i = 0; i < all.length; i++) byNode[i] = undefined;
          if (byNode.length !== all.length) byNode.length = all.length;
          let last: Status | undefined;
          for (let i = 0; i < rejStatuses.length; i++) {
            const st = rejStatuses[i];
            byNode[rejIndexes[i]] = st;
            if (st !== last) plugins.add((last = st).plugin);
          }
          const list = rejStatuses.slice();
          // (Preemption walks the cache's node list, this same array; were it another, by name.)
          let byName: Map<string, Status> | undefined;
          const statusOf = (ni: NodeInfo, i: number): Status | undefined => {
            if (all[i] === ni) return byNode[i];
            if (!byName) {
              byName = new Map();
              for (let j = 0; j < all.length; j++) if (byNode[j]) byName.set(all[j].name, byNode[j]!);
            }
            return byName.get(ni.name);
          };
          const post = this.postFilter(state, pod, statusOf, absent, qp, pre.skipped);
          byNode.fill(undefined);
          this.fail(qp, pod, fitErrorMessage(all.length, statusList(list), { absent, postFilterMsg: post }), plugins, rec);
          return;
        }
        const statuses = new Map<string, Status>();
        for (let i = 0; i < rejNodes.length; i++) {
          statuses.set(rejNodes[i].name, rejStatuses[i]);
          plugins.add(rejStatuses[i].plugin);
        }
        const post = this.postFilter(state, pod, (ni) => statuses.get(ni.name), absent, qp, pre.skipped);
        this.fail(qp, pod, fitErrorMessage(all.length, statuses, { absent, postFilterMsg: post }), plugins, rec);
        return;
      }
      if (nf === 1) chosen = feasible[0];
      else {
        const totals = this.framework.runScore(state, pod, feasible, rec, resourceTotals);
        chosen = this.framework.selectHost(feasible, totals);
      }
    }
    this.bind(qp, pod, chosen, rec);
  }

  /** The resource totals of the feasible nodes gathered by the walk (aligned with feasibleNodes). */
  private readonly walkTotals: number[] = [];
  /** What the walk keeps per pod shape (requests), at most 8 shapes. */
  private readonly resourceVerdicts: ResourceVerdicts[] = [];

  /**
   * The walk's kept outcomes for this pod's shape (made or renewed for the current node list), and
   * the spreading's verdict per topology value when PodTopologySpread filters too; undefined when
   * that verdict cannot be read per value (the plain loop runs).
   */
  private resourceWalk(plan: FilterPlan, state: CycleState, pod: PodInfo): { rv: ResourceVerdicts; ids?: Int32Array; banned: Uint8Array | null; unschedulable?: Status; missingLabel?: Status } | undefined {
    let ids: Int32Array | undefined;
    let banned: Uint8Array | null = null;
    let unschedulable: Status | undefined;
    let missingLabel: Status | undefined;
    if (plan.fitThenSpread) {
      const spread = plan.plain[1];
      if (!(spread instanceof PodTopologySpread)) return undefined;
      const v = spread.valueVerdicts(state, (key) => this.cache.valueIds(key));
      if (!v) return undefined;
      ids = v.ids.ids;
      banned = v.banned;
      unschedulable = v.unschedulable;
      missingLabel = v.missingLabel;
    }
    // The pod's shape by its five numbers (found among at most 8 kept shapes: no text per cycle).
    const req = pod.requests;
    const kept = this.resourceVerdicts;
    let rv: ResourceVerdicts | undefined;
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i];
      if (k.milliCPU === req.milliCPU && k.memory === req.memory && k.ephemeralStorage === req.ephemeralStorage && k.nonZeroCPU === pod.nonZeroCPU && k.nonZeroMemory === pod.nonZeroMemory) {
        rv = k;
        break;
      }
    }
    if (!rv) {
      if (kept.length >= 8) kept.length = 0;
      kept.push((rv = new ResourceVerdicts(req.milliCPU, req.memory, req.ephemeralStorage, pod.nonZeroCPU, pod.nonZeroMemory)));
    }
    rv.sync(this.cache.stamps, this.cache.nodeInfoList().length);
    return { rv, ids, banned, unschedulable, missingLabel };
  }

  private readonly feasibleNodes: NodeInfo[] = [];
  private readonly rejectedNodes: NodeInfo[] = [];
  private readonly rejectedStatuses: Status[] = [];
  /** The rejected nodes' places in the node list (the fast engine's FitError statuses by node). */
  private readonly rejectedIndexes: number[] = [];
  private readonly statusByNode: Array<Status | undefined> = [];

  /** Whether pods are nominated to the node (their requests count in its Filter). */
  private hasNominated(nodeName: string): boolean {
    if (this.nominated.size === 0) return false;
    const m = this.nominated.get(nodeName);
    return m !== undefined && m.size > 0;
  }

  /** RunFilterPluginsWithNominatedPods: pods nominated to the node with priority ≥ the pod's count too. */
  private runFilterWithNominated(state: CycleState, pod: PodInfo, ni: NodeInfo, skipped: Set<string>, rec?: Record<string, string>): Status | null {
    const nom = this.nominated.size ? this.nominated.get(ni.name) : undefined;
    if (!nom || nom.size === 0) return this.framework.runFilter(state, pod, ni, skipped, rec);
    const add = [...nom.values()].filter((p) => p.key !== pod.key && p.priority >= pod.priority);
    if (add.length === 0) return this.framework.runFilter(state, pod, ni, skipped, rec);
    for (const p of add) ni.addPod(p);
    try {
      const s = this.framework.runFilter(state, pod, ni, skipped, rec);
      if (s) return s;
    } finally {
      for (const p of add) ni.removePod(p.key);
    }
    return this.framework.runFilter(state, pod, ni, skipped, rec);
  }

  /** PostFilter: DefaultPreemption. Returns the message to append ("preemption: ..."), if any. */
  private postFilter(state: CycleState, pod: PodInfo, statusOf: (ni: NodeInfo, i: number) => Status | undefined, absent: Status | undefined, qp: QueuedPodInfo, skipped: Set<string>): string | undefined {
    const fits = (st: CycleState, p: PodInfo, ni: NodeInfo) => {
      const s = this.runFilterWithNominated(st, p, ni, skipped);
      this.preemption.lastReasons = s ? s.reasons : [];
      return s === null;
    };
    const r = this.preemption.postFilter(state, pod, statusOf, absent, fits, this.ctx.reference ? undefined : (ni) => !this.hasNominated(ni.name));
    if (r.status.code !== Code.Success) return r.status.message();
    const c = r.candidate!;
    this.prepareCandidate(pod, c.node.name, c.victims);
    qp.unschedulablePlugins = new Set(["DefaultPreemption"]);
    this.setNominatedNodeName(pod, c.node.name);
    return undefined;
  }

  /** prepareCandidate: DisruptionTarget on each victim, delete it, Preempted event. */
  private prepareCandidate(preemptor: PodInfo, nodeName: string, victims: PodInfo[]): void {
    const api = this.ctx.api;
    for (const v of victims) {
      const ns = v.namespace;
      try {
        api.mutate("Pod", ns, v.name, (p) => {
          p.status.conditions = upsertCondition(p.status.conditions, {
            type: "DisruptionTarget",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: this.ctx.clock.nowRFC3339(),
            reason: "PreemptionByScheduler",
            message: `${preemptor.pod.spec?.schedulerName ?? SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
          });
        }, { subresource: "status" });
        const victim = api.get("Pod", ns, v.name)!;
        api.delete("Pod", ns, v.name);
        this.ctx.events.record(victim, {
          type: "Normal",
          reason: "Preempted",
          message: `Preempted by pod ${preemptor.pod.metadata.uid} on node ${nodeName}`,
          source: this.source(preemptor.pod),
          action: "Preempting",
          newStyle: true,
        });
      } catch {
        // Already gone.
      }
    }
  }

  private setNominatedNodeName(pod: PodInfo, nodeName: string): void {
    const cur = this.ctx.api.get("Pod", pod.namespace, pod.name);
    if (!cur || cur.status?.nominatedNodeName === nodeName) return;
    const updated = this.ctx.api.mutate("Pod", pod.namespace, pod.name, (p) => (p.status.nominatedNodeName = nodeName), { subresource: "status" });
    this.removeNominated(pod.key);
    this.addNominated(updated);
  }

  /** The binding cycle: VolumeBinding's PreBind (waiting for the pod's claims to be bound), then Bind. */
  private bind(qp: QueuedPodInfo, pod: PodInfo, node: NodeInfo, rec: Recorder | undefined): void {
    if (this.volumeBinding.preBind(pod, node.name) && !this.volumeBinding.allBound(pod.pod)) {
      const deadline = this.ctx.clock.setTimeout(() => {
        this.waitingOnVolumes.delete(qp.key);
        this.queue.done(qp.key);
        const current = this.ctx.api.get("Pod", pod.namespace, pod.name);
        if (current && !current.spec?.nodeName) {
          this.fail(qp, pod, `running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded`, new Set(), rec);
          this.queue.add(current);
        }
      }, BIND_TIMEOUT_MS);
      this.waitingOnVolumes.set(qp.key, { qp, pod, node, rec, deadline });
      return;
    }
    this.bindPod(qp, pod, node, rec);
  }

  private bindPod(qp: QueuedPodInfo, pod: PodInfo, node: NodeInfo, rec: Recorder | undefined): void {
    const api = this.ctx.api;
    // Assume: count the pod on the node at once, before the binding's watch event arrives.
    let bound: KObject;
    try {
      bound = api.bind(pod.namespace, pod.name, node.name);
    } catch (err) {
      // The pod was deleted or bound meanwhile (the API's Conflict / NotFound): nothing to do.
      if (!(err instanceof ApiError)) throw err;
      this.queue.done(qp.key);
      return;
    }
    this.cache.addOrUpdatePod(bound, this.ctx.reference ? undefined : pod);
    this.assumed.add(qp.key);
    this.queue.done(qp.key);
    this.removeNominated(qp.key);
    if (rec) this.writeAnnotations(pod, rec, node.name);
    this.ctx.events.record(bound, {
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${pod.namespace}/${pod.name} to ${node.name}`,
      source: this.source(bound),
      action: "Binding",
      newStyle: true,
    });
  }

  /** handleSchedulingFailure: event, PodScheduled=False, back to the queue. */
  private fail(qp: QueuedPodInfo, pod: PodInfo, message: string, plugins: Set<string>, rec: Recorder | undefined): void {
    const api = this.ctx.api;
    this.volumeBinding.forget(qp.key);
    if (plugins.size && !qp.unschedulablePlugins.has("DefaultPreemption")) qp.unschedulablePlugins = plugins;
    else if (!plugins.size) qp.unschedulablePlugins = new Set();
    if (rec) this.writeAnnotations(pod, rec, undefined);
    const current = api.get("Pod", pod.namespace, pod.name);
    if (!current) return;
    const eventMsg = message.length > 1024 ? message.slice(0, 1020) + " ..." : message;
    this.ctx.events.record(current, {
      type: "Warning",
      reason: "FailedScheduling",
      message: eventMsg,
      source: this.source(current),
      action: "Scheduling",
      newStyle: true,
    });
    const cond = podCondition(current, "PodScheduled");
    if (!cond || cond.status !== "False" || cond.reason !== "Unschedulable" || cond.message !== message) {
      api.mutate("Pod", pod.namespace, pod.name, (p) => {
        p.status.conditions = upsertCondition(p.status.conditions, {
          type: "PodScheduled",
          status: "False",
          lastProbeTime: null,
          lastTransitionTime: cond && cond.status === "False" ? cond.lastTransitionTime : this.ctx.clock.nowRFC3339(),
          reason: "Unschedulable",
          message,
        });
      }, { subresource: "status" });
    }
    const latest = api.get("Pod", pod.namespace, pod.name);
    if (latest) qp.pod = latest;
    this.queue.addUnschedulable(qp, this.queue.schedulingCycle);
  }

  private writeAnnotations(pod: PodInfo, rec: Recorder, selected: string | undefined): void {
    if (this.opts.annotations !== true && !this.ctx.reference) {
      // Nothing reads the texts now (issue #19: three sorted JSON texts per pod scheduled, for the
      // explanations of the few pods anyone asks about). The recorder is the finished cycle's: no
      // plugin writes to it any more, so the texts written at the first read are these.
      if (pod.pod.metadata.uid !== undefined) this.attempts.set(pod.pod.metadata.uid, new KeptAttempt(rec, selected));
      return;
    }
    const anns = attemptAnnotations(rec, selected);
    if (pod.pod.metadata.uid !== undefined) this.attempts.set(pod.pod.metadata.uid, anns);
    if (this.opts.annotations !== true) return;
    try {
      this.ctx.api.mutate("Pod", pod.namespace, pod.name, (p) => {
        const a = { ...(p.metadata.annotations ?? {}) };
        delete a[SELECTED_NODE];
        Object.assign(a, anns);
        p.metadata.annotations = a;
      });
    } catch {
      // The pod went away meanwhile.
    }
  }
}

/** A cycle's recorder and chosen node, kept for `attemptOf` (its texts not written yet). */
class KeptAttempt {
  constructor(
    readonly rec: Recorder,
    readonly selected: string | undefined,
  ) {}
}

/** The simulator's annotations of an attempt: the recorder's results, and the selected node when one was. */
function attemptAnnotations(rec: Recorder, selected: string | undefined): Record<string, string> {
  const anns: Record<string, string> = {
    [FILTER_RESULT]: stableJSON(rec.filter),
    [SCORE_RESULT]: stableJSON(rec.score),
    [FINAL_SCORE_RESULT]: stableJSON(rec.finalScore),
  };
  if (selected) anns[SELECTED_NODE] = selected;
  return anns;
}

/** JSON with sorted keys at every level, as Go's encoding/json writes maps. */
export function stableJSON(m: Map<string, Record<string, string>>): string {
  const out: Record<string, Record<string, string>> = {};
  for (const k of [...m.keys()].sort()) {
    const inner: Record<string, string> = {};
    for (const ik of Object.keys(m.get(k)!).sort()) inner[ik] = m.get(k)![ik];
    out[k] = inner;
  }
  return JSON.stringify(out);
}

function upsertCondition(conditions: PodCondition[] | undefined, c: PodCondition): PodCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  if (i >= 0) list[i] = c;
  else list.push(c);
  return list;
}

// ---- cluster events and what they may help (QueueingHints, simplified to the rejecting plugins) ----

const anyOf = (p: QueuedPodInfo, names: string[]) => names.some((n) => p.unschedulablePlugins.has(n));

function nodeAddedEvent(ni: NodeInfo): ClusterEvent {
  return {
    label: "NodeAdd",
    mayHelp: (p) => {
      if (p.unschedulablePlugins.size === 0) return true;
      // TaintToleration / NodeAffinity hints: only a node the pod could use helps.
      const pod = new PodInfo(p.pod);
      if (p.unschedulablePlugins.has("TaintToleration") && p.unschedulablePlugins.size === 1) {
        return !findMatchingUntoleratedTaint(ni.taints, pod.pod.spec?.tolerations, (t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
      }
      if (p.unschedulablePlugins.has("NodeAffinity") && p.unschedulablePlugins.size === 1) return requiredNodeAffinity(pod.pod)(ni);
      return true;
    },
  };
}

function nodeUpdatedEvent(ni: NodeInfo, changed: string[]): ClusterEvent {
  const plugins = new Set<string>();
  if (changed.includes("labels")) ["NodeAffinity", "PodTopologySpread", "InterPodAffinity"].forEach((x) => plugins.add(x));
  if (changed.includes("taints")) ["TaintToleration", "NodeUnschedulable", "PodTopologySpread"].forEach((x) => plugins.add(x));
  if (changed.includes("allocatable")) ["NodeResourcesFit", "DefaultPreemption"].forEach((x) => plugins.add(x));
  if (changed.includes("unschedulable")) plugins.add("NodeUnschedulable");
  return {
    label: "NodeUpdate:" + changed.join(","),
    // Method shorthand: no name defined on a new function at every node update (issue #19).
    mayHelp(p) {
      if (p.unschedulablePlugins.size === 0) return true;
      if (!anyOf(p, [...plugins])) return false;
      if (p.unschedulablePlugins.size === 1 && p.unschedulablePlugins.has("NodeAffinity")) return requiredNodeAffinity(p.pod)(ni);
      return true;
    },
  };
}

/** A claim, volume or class added or updated: VolumeBinding's rejections may be over. */
function storageEvent(kind: string): ClusterEvent {
  return { label: `${kind}AddOrUpdate`, mayHelp: (p) => p.unschedulablePlugins.size === 0 || p.unschedulablePlugins.has("VolumeBinding") };
}

const assignedPodDeletedEvent: ClusterEvent = {
  label: "AssignedPodDelete",
  mayHelp: (p) => p.unschedulablePlugins.size === 0 || anyOf(p, ["NodeResourcesFit", "NodePorts", "InterPodAffinity", "PodTopologySpread", "DefaultPreemption"]),
};

const assignedPodAddedEvent: ClusterEvent = {
  label: "AssignedPodAdd",
  mayHelp: (p) => p.unschedulablePlugins.size === 0 || anyOf(p, ["InterPodAffinity", "PodTopologySpread"]),
};

const assignedPodUpdatedEvent: ClusterEvent = {
  label: "AssignedPodUpdate",
  mayHelp: (p) => p.unschedulablePlugins.size === 0 || anyOf(p, ["InterPodAffinity", "PodTopologySpread"]),
};

/**
 * The Filter walk's outcomes for one pod shape (the requests Filter and the resource scores read),
 * by place in the cache's node list: NodeResourcesFit's reason mask, the node's resource total
 * (resourceTotal, when the mask is 0), and the node's change stamp when they were worked out.
 */
class ResourceVerdicts {
  constructor(
    readonly milliCPU: number,
    readonly memory: number,
    readonly ephemeralStorage: number,
    readonly nonZeroCPU: number,
    readonly nonZeroMemory: number,
  ) {}
  seen = new Int32Array(0);
  mask = new Uint8Array(0);
  total = new Float64Array(0);
  private version = -1;

  /** Voids every kept outcome when the list's places moved (or the list grew). */
  sync(stamps: NodeStamps, n: number): void {
    if (this.version === stamps.version && this.seen.length >= n) return;
    this.version = stamps.version;
    const size = stamps.a.length;
    if (this.seen.length < size) {
      this.seen = new Int32Array(size);
      this.mask = new Uint8Array(size);
      this.total = new Float64Array(size);
    }
    // A stamp no place holds now.
    for (let i = 0; i < size; i++) this.seen[i] = stamps.a[i] - 1;
  }
}

/** The component factory for src/components.ts. */
export function kubeScheduler(ctx: ClusterContext): Component {
  return new Scheduler(ctx);
}

/** The running scheduler of a cluster (for explanations), if any. */
export function schedulerOf(ctx: ClusterContext): Scheduler | undefined {
  return ctx.services.get("scheduler");
}
