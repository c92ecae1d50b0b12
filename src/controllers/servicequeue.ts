/**
 * The informer wiring both endpoint controllers share (pkg/controller/endpoint and
 * pkg/controller/endpointslice): a work queue of Service keys, filled when a Service changes or
 * when a pod that a Service selects (before or after the change) is added, updated or deleted,
 * and drained at the same simulated instant (no batching: --endpoint-updates-batch-period 0).
 * Also tracks `endpoints.kubernetes.io/last-change-trigger-time` as upstream's TriggerTimeTracker.
 */
import type { ClusterContext } from "../context.ts";
import { jsonEqual, type KObject, type WatchEvent, type WatchHandler } from "../api/types.ts";
import { selectorMatches } from "../network/podutil.ts";
import { podCondition } from "../api/pod/util.ts";

export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

export class ServiceInformer {
  /** The informer caches: Services by namespace, and for each Service the pods its selector selects. */
  private readonly services = new Map<string, Map<string, KObject>>();
  private readonly selected = new Map<string, Map<string, KObject>>();
  /**
   * The fast engine's record of change (issue #19; undefined on the reference engine): per Service
   * key, the names of the pods whose events touched its selection since its last sync (`true`: its
   * whole selection was rebuilt). A sync takes it (`takeDirty`) and looks only at those pods.
   */
  private readonly dirty: Map<string, Set<string> | true> | undefined;
  /**
   * The fast engine's answer to "which Services of this namespace select these labels" per labels
   * object (the store shares a pod's labels object between versions that do not change them), valid
   * while the namespace's Services and selectors are those of `version`; names in the namespace
   * map's order, the order the plain loop visits them in.
   */
  private readonly matching = new WeakMap<Record<string, string>, { ns: string; version: number; names: string[] }>();
  /** Per namespace, bumped when a Service is added, deleted or changes its selector. */
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly ctx: ClusterContext,
    /** The controller's informer registration (`Controller.watch`), undone when the controller stops. */
    private readonly watch: (kind: string, handler: WatchHandler, opts?: { statusOnlyWanted?: (ev: WatchEvent) => boolean }) => void,
    /** The controller's main queue: a Service's namespace/name key to sync. */
    private readonly enqueue: (key: string) => void,
    /** Also resync a Service when one of these kinds it owns changes (e.g. its Endpoints deleted). */
    private readonly ownedKind?: string,
  ) {
    this.dirty = ctx.reference ? undefined : new Map();
  }

  /** Whether this informer keeps the record of change (the fast engine). */
  get incremental(): boolean {
    return this.dirty !== undefined;
  }

  /**
   * The pods whose events touched the Service's selection since the last call for it: a set of
   * names, `true` when its selection was rebuilt (a new Service, a changed selector), undefined
   * when nothing happened. Fast engine only.
   */
  takeDirty(key: string): Set<string> | true | undefined {
    const d = this.dirty?.get(key);
    if (d !== undefined) this.dirty!.delete(key);
    return d;
  }

  /** The cached pod of that name the Service selects (the informer's view, as `podsFor`). */
  selectedPod(key: string, name: string): KObject | undefined {
    return this.selected.get(key)?.get(name);
  }

  /** Marks every Service's selection as changed (e.g. a node's zone changed under its pods). Fast engine only. */
  markAllDirty(): void {
    if (!this.dirty) return;
    for (const key of this.selected.keys()) this.dirty.set(key, true);
  }

  private markDirty(key: string, pod: string): void {
    const d = this.dirty!.get(key);
    if (d === true) return;
    if (d) d.add(pod);
    else this.dirty!.set(key, new Set([pod]));
  }

  start(): void {
    this.watch("Service", (ev) => {
      this.cacheService(ev.object, ev.type === "DELETED");
      this.add(ev.object.metadata.namespace!, ev.object.metadata.name!);
    });
    // A status-only change (the labels object kept) of a pod no Service of the informer selects
    // does nothing here (`statusOnlyWanted`, the fast engine; issue #19 §1): see `selectsAny`.
    this.watch("Pod", (ev) => this.onPod(ev), { statusOnlyWanted: (ev) => this.selectsAny(ev.object) });
    if (this.ownedKind) {
      this.watch(this.ownedKind, (ev) => {
        if (ev.type !== "DELETED") return;
        const svc = ev.object.metadata.labels?.["kubernetes.io/service-name"] ?? ev.object.metadata.name!;
        if (this.ctx.api.get("Service", ev.object.metadata.namespace, svc)) this.add(ev.object.metadata.namespace!, svc);
      });
    }
    for (const s of this.ctx.api.list("Service")) {
      this.cacheService(s, false);
      this.add(s.metadata.namespace!, s.metadata.name!);
    }
  }

  /** `podsFor` without the copy: the cached selection of the Service's key, in the same order (read it before anything changes the cache). */
  selection(key: string): Iterable<KObject> {
    return this.selected.get(key)?.values() ?? [];
  }

  /** How many pods the Service of this key selects (the cached selection's size). */
  selectionSize(key: string): number {
    return this.selected.get(key)?.size ?? 0;
  }

  /** The pods a Service selects, from the cache (the controller's pod lister with the Service's selector). */
  podsFor(svc: KObject): KObject[] {
    return [...(this.selected.get(`${svc.metadata.namespace}/${svc.metadata.name}`)?.values() ?? [])];
  }

  private cacheService(svc: KObject, deleted: boolean): void {
    const ns = svc.metadata.namespace!;
    const key = `${ns}/${svc.metadata.name}`;
    let m = this.services.get(ns);
    if (!m) this.services.set(ns, (m = new Map()));
    if (deleted) {
      m.delete(svc.metadata.name!);
      this.selected.delete(key);
      this.dirty?.delete(key);
      this.versions.set(ns, (this.versions.get(ns) ?? 0) + 1);
      return;
    }
    const before = m.get(svc.metadata.name!);
    m.set(svc.metadata.name!, svc);
    if (before && jsonEqual(before.spec?.selector, svc.spec?.selector) && this.selected.has(key)) return;
    this.dirty?.set(key, true);
    this.versions.set(ns, (this.versions.get(ns) ?? 0) + 1);
    const pods = new Map<string, KObject>();
    for (const p of this.ctx.api.list("Pod", { namespace: ns })) if (selectorMatches(svc.spec?.selector, p.metadata.labels)) pods.set(p.metadata.name!, p);
    this.selected.set(key, pods);
  }

  private add(namespace: string, name: string): void {
    this.enqueue(`${namespace}/${name}`);
  }

  private onPod(ev: WatchEvent): void {
    const pod = ev.object;
    const old = ev.old;
    const ns = pod.metadata.namespace!;
    // Whether the change matters to endpoints, worked out at the first Service that selects the pod
    // (no closure for it: tsx keeps the names of named closures, at a cost per event).
    let changed: boolean | undefined;
    const labels = pod.metadata.labels;
    if (this.dirty && labels && (!old || old.metadata.labels === labels)) {
      // The fast engine (issue #19): only the Services whose selectors match these labels, in the
      // namespace map's order. With the labels unchanged the plain loop does nothing for the
      // others: the pod matches none of their selectors, now or before, so it is in none of their
      // selections (their set.delete finds nothing) and queues none of them.
      const name = pod.metadata.name!;
      for (const svcName of this.servicesMatching(ns, labels)) {
        const key = `${ns}/${svcName}`;
        const set = this.selected.get(key);
        if (set) {
          if (ev.type !== "DELETED") set.set(name, pod);
          else set.delete(name);
        }
        this.markDirty(key, name);
        if ((changed ??= endpointsMayChangeKept(ev))) this.add(ns, svcName);
      }
      return;
    }
    for (const svc of this.services.get(ns)?.values() ?? []) {
      const sel = svc.spec?.selector;
      const key = `${ns}/${svc.metadata.name}`;
      const set = this.selected.get(key);
      const now = ev.type !== "DELETED" && selectorMatches(sel, pod.metadata.labels);
      const had = set?.has(pod.metadata.name!) ?? false;
      if (set) {
        if (now) set.set(pod.metadata.name!, pod);
        else set.delete(pod.metadata.name!);
      }
      if (this.dirty && (now || had || selectorMatches(sel, pod.metadata.labels) || (old && selectorMatches(sel, old.metadata.labels)))) this.markDirty(key, pod.metadata.name!);
      if ((now || selectorMatches(sel, pod.metadata.labels) || (old && selectorMatches(sel, old.metadata.labels))) && (changed ??= endpointsMayChange(ev))) this.add(ns, svc.metadata.name!);
    }
  }

  /**
   * For a status-only change of `pod` (issue #19 §1, asked by the dispatch in `onPod`'s place):
   * whether `onPod` could do anything — whether a Service of the informer's cache in the pod's
   * namespace selects its labels. A status-only change keeps the metadata's objects (the labels
   * object is the previous version's), so on the fast engine `onPod` takes its first branch, whose
   * loop is over `servicesMatching` (nothing, when this answers false); a pod without labels is
   * selected by no Service (`selectorMatches` needs a non-empty selector whose every key the labels
   * hold), so it is in no selection either and the plain loop changes, marks and queues nothing.
   */
  private selectsAny(pod: KObject): boolean {
    const labels = pod.metadata.labels;
    return labels !== undefined && this.servicesMatching(pod.metadata.namespace!, labels).length > 0;
  }

  /** The names of the namespace's Services whose selectors match these labels, in the namespace map's order (memoized per labels object). */
  private servicesMatching(ns: string, labels: Record<string, string>): string[] {
    const version = this.versions.get(ns) ?? 0;
    const hit = this.matching.get(labels);
    if (hit && hit.ns === ns && hit.version === version) return hit.names;
    const names: string[] = [];
    for (const svc of this.services.get(ns)?.values() ?? []) if (selectorMatches(svc.spec?.selector, labels)) names.push(svc.metadata.name!);
    this.matching.set(labels, { ns, version, names });
    return names;
  }
}

/**
 * The last event `endpointsMayChange` answered, and its answer: both endpoint controllers' informers
 * receive each pod event one after the other (the answer is a function of the event's two frozen
 * pod versions), so the second asks about the object the first just did.
 */
let lastEvent: WatchEvent | undefined;
let lastAnswer = false;

/** `endpointsMayChange`, answered once per event for both informers (the fast engine, issue #19). */
function endpointsMayChangeKept(ev: WatchEvent): boolean {
  if (ev === lastEvent) return lastAnswer;
  const answer = endpointsMayChange(ev);
  if (Object.isFrozen(ev.object) && (ev.old === undefined || Object.isFrozen(ev.old))) {
    lastEvent = ev;
    lastAnswer = answer;
  }
  return answer;
}

/** Whether a pod event can change endpoints: anything but an update that changes none of what they read. */
function endpointsMayChange(ev: WatchEvent): boolean {
  return !(ev.type === "MODIFIED" && ev.old && !podChangedForEndpoints(ev.old, ev.object));
}

/** Whether a pod update can change endpoints (upstream podEndpointsChanged, roughly). */
function podChangedForEndpoints(a: KObject, b: KObject): boolean {
  // jsonEqual is the equality of JSON.stringify without building the texts (shared parts compare by identity).
  return !jsonEqual(endpointsInputs(a), endpointsInputs(b));
}

/** What the endpoint controllers read of a pod. */
function endpointsInputs(p: KObject): unknown[] {
  return [
    p.metadata.labels,
    p.metadata.deletionTimestamp,
    p.status?.phase,
    p.status?.podIP,
    p.status?.podIPs,
    podCondition(p, "Ready"),
    p.spec?.nodeName,
    p.spec?.hostname,
    p.spec?.subdomain,
  ];
}

/**
 * The earlier of the trigger time so far and `t` (what `compute`'s `consider` keeps), without a
 * named closure per call (tsx keeps the names of named closures, at a cost per sync).
 */
function earlier(min: string | undefined, t: string | undefined): string | undefined {
  return t && (min === undefined || Date.parse(t) < Date.parse(min)) ? t : min;
}

/**
 * TriggerTimeTracker: for each Service, the trigger times last observed for it and its pods; the
 * annotation of a sync is the earliest trigger time among what changed since the previous sync.
 */
export class TriggerTimeTracker {
  private readonly state = new Map<string, { svc: string; pods: Map<string, string> }>();
  /** The fast engine's state: per Service, each pod's last observed time and the pass that saw it. */
  private readonly kept = new Map<string, { svc: string; pods: Map<string, { t: string; pass: number }>; pass: number }>();

  /**
   * `incremental` (the fast engine, issue #19): the state is updated in place instead of rebuilt
   * per sync (the same times considered, so the same answer).
   */
  constructor(private readonly incremental = false) {}

  compute(svc: KObject, pods: KObject[]): string | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    if (this.incremental) return this.computeInPlace(key, svc, pods);
    const prev = this.state.get(key);
    const next = { svc: svc.metadata.creationTimestamp ?? "", pods: new Map<string, string>() };
    let min: string | undefined;
    const consider = (t: string | undefined) => {
      if (t && (min === undefined || Date.parse(t) < Date.parse(min))) min = t;
    };
    if (!prev || prev.svc !== next.svc) consider(next.svc);
    for (const p of pods) {
      const ready = podCondition(p, "Ready");
      const t: string = ready?.lastTransitionTime ?? "";
      next.pods.set(p.metadata.name!, t);
      if (!prev || prev.pods.get(p.metadata.name!) !== t) consider(t);
    }
    this.state.set(key, next);
    return min;
  }

  private computeInPlace(key: string, svc: KObject, pods: KObject[]): string | undefined {
    let s = this.kept.get(key);
    const svcTime = svc.metadata.creationTimestamp ?? "";
    let min: string | undefined;
    // A first sync, or a Service recreated under the same name: every time counts, as with no state.
    if (!s) this.kept.set(key, (s = { svc: svcTime, pods: new Map(), pass: 0 }));
    if (s.pass === 0 || s.svc !== svcTime) min = earlier(min, svcTime);
    const first = s.pass === 0;
    s.svc = svcTime;
    const pass = ++s.pass;
    const m = s.pods;
    for (const p of pods) {
      const t: string = podCondition(p, "Ready")?.lastTransitionTime ?? "";
      const name = p.metadata.name!;
      const e = m.get(name);
      if (!e) {
        m.set(name, { t, pass });
        min = earlier(min, t);
        continue;
      }
      if (first || e.t !== t) min = earlier(min, t);
      e.t = t;
      e.pass = pass;
    }
    // Pods no longer selected leave the state, as the rebuilt map leaves them out.
    if (m.size > pods.length) for (const [name, e] of m) if (e.pass !== pass) m.delete(name);
    return min;
  }

  /**
   * `compute` from what changed (the fast engine, issue #19): `dirty` names the pods whose events
   * touched the Service's selection since its previous sync (`true`: the selection was rebuilt;
   * undefined: none). The pods not named have the same time as at the previous sync, which
   * `compute` would consider only if it differed, and those that left the selection are named; so
   * the same times are considered. Without state (a first sync) or on a rebuilt selection, the
   * whole selection (`pods()`) is walked as `compute` does.
   */
  computeChanged(svc: KObject, dirty: Set<string> | true | undefined, pods: () => KObject[], lookup: (name: string) => KObject | undefined): string | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const s = this.kept.get(key);
    if (!this.incremental || dirty === true || !s || s.pass === 0) return this.compute(svc, pods());
    const svcTime = svc.metadata.creationTimestamp ?? "";
    let min: string | undefined;
    if (s.svc !== svcTime) min = earlier(min, svcTime);
    s.svc = svcTime;
    const pass = ++s.pass;
    for (const name of dirty ?? []) {
      const p = lookup(name);
      if (!p) {
        s.pods.delete(name);
        continue;
      }
      const t: string = podCondition(p, "Ready")?.lastTransitionTime ?? "";
      const e = s.pods.get(name);
      if (!e) {
        s.pods.set(name, { t, pass });
        min = earlier(min, t);
        continue;
      }
      if (e.t !== t) min = earlier(min, t);
      e.t = t;
      e.pass = pass;
    }
    return min;
  }

  forget(namespace: string, name: string): void {
    this.state.delete(`${namespace}/${name}`);
    this.kept.delete(`${namespace}/${name}`);
  }
}
