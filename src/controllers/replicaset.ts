/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go, v1.32): keeps
 * `spec.replicas` active pods (not terminal, not being deleted) that match the selector and that it
 * controls; adopts matching orphans and releases pods that stopped matching (ClaimPods); creates
 * missing pods from the template in slow-start batches (1, 2, 4, ... at most 500 per sync) with the
 * event `SuccessfulCreate` "Created pod: <name>"; deletes surplus pods in getPodsToDelete's order
 * (`SuccessfulDelete` "Deleted pod: <name>"); writes replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas and observedGeneration. A pod that is evicted, deleted or fails is no longer
 * active, so it is replaced at once (failed pods are left for the pod GC).
 *
 * The ReplicationController controller (pkg/controller/replication, v1.32) is the same controller:
 * upstream wraps ReplicaSet's (NewBaseController) over ReplicationControllers converted to
 * ReplicaSets, with its own event source (`replication-controller`); an RC's selector is a plain
 * label map (matchLabels once converted) and it has no Deployment above it.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { clone, jsonEqual, type KObject, type WatchEvent } from "../api/types.ts";
import type { ContainerStatus, PodStatus, PodTemplateSpec, ReplicaSetCondition, ReplicaSetStatus } from "../api/types.gen.ts";
import { podStatusOf } from "../api/store.ts";
import { Controller } from "./controller.ts";
import { objectKey, splitKey } from "./queue.ts";
import { controllerRef, isPodActive, newControllerRef } from "./util/pod.ts";
import { getPodReadyCondition, isPodAvailable, isPodPhaseTerminal, isPodReady, podCondition } from "../api/pod/util.ts";
import { selectorMatches } from "./util/selector.ts";
import { writeStatusOf } from "./util/status.ts";

export const BURST_REPLICAS = 500;
const SOURCE = { component: "replicaset-controller" };
const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The pod a controller creates from a template (controller_utils.go GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec | undefined, owner: KObject, generateName: string): KObject {
  // A fresh copy shares nothing with the template: callers may hand the pod to createOwned.
  const t: PodTemplateSpec = clone(template ?? {});
  const meta = t.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      generateName,
      labels: { ...(meta.labels ?? {}) },
      namespace: owner.metadata.namespace,
      ownerReferences: [newControllerRef(owner)],
    },
    spec: t.spec ?? {},
  };
}

function maxRestarts(pod: KObject): number {
  return maxRestartsOf(pod.status);
}

/** The largest restart count of a status's containers (0 without any). */
function maxRestartsOf(status: PodStatus | undefined): number {
  return Math.max(0, ...(status?.containerStatuses ?? []).map((c: ContainerStatus) => c.restartCount ?? 0));
}

function readyTime(pod: KObject): number {
  const c = podCondition(pod, "Ready");
  return c?.status === "True" && c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

function deletionCost(pod: KObject): number {
  const v = Number(pod.metadata.annotations?.["controller.kubernetes.io/pod-deletion-cost"] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** LogarithmicScaleDown: ranks of two timestamps compared in powers of two of their age (ns). */
function logRankDiff(t1: number, t2: number, now: number): number {
  return logRank(t1, now) - logRank(t2, now);
}

const afterOrZero = (t1: number, t2: number) => (t1 === 0 || t2 === 0 ? t1 === 0 : t1 > t2);

/**
 * ActivePodsWithRanks.Less: negative when `a` should be deleted before `b`. `rank` is the number
 * of active related pods on the pod's node (doubled-up pods go first).
 */
export function compareForDeletion(a: KObject, b: KObject, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "" ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (rankA !== rankB) return rankB - rankA;
  const uidOrder = () => ((a.metadata.uid ?? "") < (b.metadata.uid ?? "") ? -1 : 1);
  if (isPodReady(a) && isPodReady(b)) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) {
      if (ra === 0 || rb === 0) return afterOrZero(ra, rb) ? -1 : 1;
      const d = logRankDiff(ra, rb, now);
      if (d === 0) return uidOrder();
      return d;
    }
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  const ca = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const cb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  if (ca !== cb) {
    if (ca === 0 || cb === 0) return afterOrZero(ca, cb) ? -1 : 1;
    const d = logRankDiff(ca, cb, now);
    if (d === 0) return uidOrder();
    return d;
  }
  return 0;
}

/** What compareForDeletion reads from a pod, computed once per (frozen) pod version. */
export interface DeletionKey {
  p: KObject;
  node: string;
  phase: number;
  ready: boolean;
  cost: number;
  uid: string;
  readyAt: number;
  restarts: number;
  created: number;
  name: string;
  /**
   * compareForDeletion's first three steps as one number (scheduled, phase, ready: the unscheduled,
   * the earlier phase and the not-ready sort first), so the fast selection's common rejection is one
   * comparison.
   */
  cls: number;
  /** logRank of readyAt and created at the instant `rankedAt` (kept: a ranking compares each key many times at one instant). */
  rankedAt: number;
  readyRank: number;
  createdRank: number;
}

/** logRankDiff's rank of a timestamp: the power of two of its age in ns at `now` (−1 when not in the past). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** A key's ranks of readyAt and created at `now`, computed once per instant. */
function ranksAt(k: DeletionKey, now: number): void {
  if (k.rankedAt === now) return;
  k.readyRank = logRank(k.readyAt, now);
  k.createdRank = logRank(k.created, now);
  k.rankedAt = now;
}

const deletionKeys = new WeakMap<KObject, DeletionKey>();

function deletionKey(p: KObject): DeletionKey {
  let k = deletionKeys.get(p);
  if (k) return k;
  k = makeDeletionKey(p);
  // Stored objects are frozen: a pod version's keys never change. Drafts are not cached.
  if (Object.isFrozen(p) && Object.isFrozen(p.status ?? {})) deletionKeys.set(p, k);
  return k;
}

function makeDeletionKey(p: KObject): DeletionKey {
  const ready = isPodReady(p);
  return {
    p,
    node: p.spec?.nodeName ?? "",
    phase: PHASE_ORDINAL[p.status?.phase] ?? 0,
    ready,
    cost: deletionCost(p),
    uid: p.metadata.uid ?? "",
    readyAt: ready ? readyTime(p) : 0,
    restarts: maxRestarts(p),
    created: Date.parse(p.metadata.creationTimestamp ?? "") || 0,
    name: p.metadata.name!,
    cls: ((p.spec?.nodeName ?? "") === "" ? 0 : 8) + (PHASE_ORDINAL[p.status?.phase] ?? 0) * 2 + (ready ? 1 : 0),
    rankedAt: NaN,
    readyRank: 0,
    createdRank: 0,
  };
}

/** compareForDeletion on precomputed keys (`ra`, `rb`: the pods' ranks), then by name: the same answer for the same pods. */
function compareKeys(a: DeletionKey, ra: number, b: DeletionKey, rb: number, now: number): number {
  if (a.node !== b.node && (a.node === "" || b.node === "")) return a.node === "" ? -1 : 1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (ra !== rb) return rb - ra;
  if (a.ready && b.ready && a.readyAt !== b.readyAt) {
    if (a.readyAt === 0 || b.readyAt === 0) return afterOrZero(a.readyAt, b.readyAt) ? -1 : 1;
    ranksAt(a, now);
    ranksAt(b, now);
    const d = a.readyRank - b.readyRank;
    if (d === 0) return a.uid < b.uid ? -1 : 1;
    return d;
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) {
    if (a.created === 0 || b.created === 0) return afterOrZero(a.created, b.created) ? -1 : 1;
    ranksAt(a, now);
    ranksAt(b, now);
    const d = a.createdRank - b.createdRank;
    if (d === 0) return a.uid < b.uid ? -1 : 1;
    return d;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * getPodsToDelete: the `diff` pods to delete first, ranked against the related pods' placement.
 * The order (compareForDeletion, then the name) is total, so keeping the `diff` first while
 * walking the pods once gives exactly the first `diff` of the full sort, at a fraction of its
 * cost when few of many pods go (a rolling update's many small scale-downs). When every pod goes
 * they are ranked the same way (upstream returns them in the lister's order, a Go map's, and
 * deletes them in parallel: an unspecified order, which here is the ranking, whatever the order
 * the pods were delivered in).
 */
export function getPodsToDelete(pods: KObject[], related: KObject[], diff: number, now: number): KObject[] {
  return podsToDelete(pods, activeOnNodes(related), diff, now);
}

/** The number of active pods per node name ("" for unscheduled ones). */
function activeOnNodes(pods: Iterable<KObject>): Map<string, number> {
  const onNode = new Map<string, number>();
  for (const p of pods) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? "";
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return onNode;
}

/** getPodsToDelete with the related pods already counted per node. */
function podsToDelete(pods: KObject[], onNode: Map<string, number>, diff: number, now: number): KObject[] {
  return keysToDelete(pods.map(deletionKey), (node) => onNode.get(node) ?? 0, diff, now);
}

/** The first `diff` of the pods' keys in the deletion order, `rankOf` giving a node's related active pods. */
function keysToDelete(keys: Iterable<DeletionKey>, rankOf: (node: string) => number, diff: number, now: number): KObject[] {
  const best: DeletionKey[] = [];
  const ranks: number[] = [];
  for (const k of keys) {
    const r = rankOf(k.node);
    const n = best.length;
    if (n === diff && compareKeys(k, r, best[n - 1], ranks[n - 1], now) >= 0) continue;
    keep(best, ranks, k, r, diff, now);
  }
  return best.map((x) => x.p);
}

/** Inserts `k` (rank `r`) into the sorted kept keys after every key that sorts before it, keeping at most `diff`. */
function keep(best: DeletionKey[], ranks: number[], k: DeletionKey, r: number, diff: number, now: number): void {
  // Binary search for the first kept key that sorts after this one.
  let lo = 0;
  let hi = best.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(best[mid], ranks[mid], k, r, now) < 0) lo = mid + 1;
    else hi = mid;
  }
  best.splice(lo, 0, k);
  ranks.splice(lo, 0, r);
  if (best.length > diff) {
    best.pop();
    ranks.pop();
  }
}

/**
 * keysToDelete for the fast engine (issue #19 §3), with a node's rank summed from the related
 * ReplicaSets' active pods per node: the same first `diff` keys. Once `diff` keys are kept, a key
 * is compared with the last kept one by its class (scheduled, phase, ready), deletion cost and rank
 * first — compareKeys' own first steps, in its order — and goes to compareKeys only when those tie
 * (a rolling update scales its old ReplicaSet down one or two pods at a time, each time over all
 * its active pods: most of them are turned away here).
 */
export function firstKeysToDelete(keys: Iterable<DeletionKey>, related: readonly Map<string, number>[], diff: number, now: number): KObject[] {
  const best: DeletionKey[] = [];
  const ranks: number[] = [];
  const one = related.length === 1 ? related[0] : undefined;
  for (const k of keys) {
    let r = 0;
    if (one) r = one.get(k.node) ?? 0;
    else for (const m of related) r += m.get(k.node) ?? 0;
    const n = best.length;
    if (n === diff) {
      const w = best[n - 1];
      if (k.cls !== w.cls) {
        if (k.cls > w.cls) continue;
      } else if (k.cost !== w.cost) {
        if (k.cost > w.cost) continue;
      } else if (r < ranks[n - 1]) continue;
      if (compareKeys(k, r, w, ranks[n - 1], now) >= 0) continue;
    }
    keep(best, ranks, k, r, diff, now);
  }
  return best.map((x) => x.p);
}

/** The pods' deletion keys (for tests of the selections against each other). */
export function deletionKeysOf(pods: KObject[]): DeletionKey[] {
  return pods.map(deletionKey);
}

/** calculateStatus of a ReplicaSet from its active pods. */
export function replicaSetStatus(rs: KObject, pods: KObject[], now: number): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels;
    let all = true;
    for (const [k, v] of templateLabels) if (labels?.[k] !== v) all = false;
    if (all) fully++;
    if (isPodReady(p)) {
      ready++;
      if (minReady <= 0 || isPodAvailable(p, minReady, now)) available++;
    }
  }
  return statusFromCounts(rs, pods.length, fully, ready, available);
}

/** The status calculateStatus writes, from the counts of active pods. */
function statusFromCounts(rs: KObject, replicas: number, fully: number, ready: number, available: number): ReplicaSetStatus {
  // Filled field by field, in the status's field order (replicas last).
  const status = {} as ReplicaSetStatus;
  if (available) status.availableReplicas = available;
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  if (fully) status.fullyLabeledReplicas = fully;
  status.observedGeneration = rs.metadata.generation;
  if (ready) status.readyReplicas = ready;
  status.replicas = replicas;
  return status;
}

// What one owned pod adds to its ReplicaSet's counts (the fast engine's OwnerCounts).
const ACTIVE = 1;
const READY = 2;
const FULLY_LABELED = 4;
const MISMATCH = 8;

/**
 * Counts over one ReplicaSet's owned pods, kept from the pod watch (the fast engine; issue #19 §3).
 * Each owned pod's contribution (a mask of the flags above) is computed against the ReplicaSet's
 * selector and template labels; the index marks a pod dirty whenever its entry changes, and a sync
 * folds only the dirty pods in, so a sync costs what changed since the last one, not the number of
 * pods. When the selector or template labels change, the counts are rebuilt once.
 */
interface OwnerCounts {
  masks: Map<string, number>;
  /** Active pods per node (the deletion ranking's doubled-up pods), and where each was counted. */
  perNode: Map<string, number>;
  nodeOf: Map<string, string>;
  /** The active pods' deletion keys, by pod key. */
  activeKeys: Map<string, DeletionKey>;
  /**
   * activeKeys' pod keys in string order: the order the ranking visits them in (as the reference
   * engine visits the claimed pods, by key). compareKeys is not transitive (a tie of two ready times'
   * log ranks goes to the uid, equal ready times to the restarts), so the first `diff` depend on the
   * visit order; a fixed one makes them independent of the order the pods were delivered in.
   */
  order: string[];
  dirty: Set<string>;
  active: number;
  ready: number;
  fully: number;
  /** Active owned pods the selector no longer matches (to be released: only active pods are claimed). */
  mismatched: number;
  selector: unknown;
  labels: unknown;
}

/**
 * A sync from the counts that wrote nothing, with as many active pods as wanted (the fast engine;
 * issue #19 §3): the ReplicaSet version it read and the counts the status is made of. Such a sync
 * adopted nothing, created and deleted nothing (the difference was 0) and found its status equal
 * to the stored one. Its only inputs are the ReplicaSet (replicas, minReadySeconds, generation,
 * conditions, selector), the owned pods' counts (active, ready, fully labelled; none mismatched)
 * and the namespace's orphans; it reads the time only for minReadySeconds > 0 (availability) and
 * for a scale-down's ranking. So a later sync of the same ReplicaSet object with the same counts
 * and no orphan to consider would take the same steps and write nothing: it is skipped.
 */
interface QuietReplicaSetSync {
  rs: KObject;
  active: number;
  ready: number;
  fully: number;
}

/**
 * Whether a status-only change of a pod (`old` to `pod`: the same metadata and spec) changes a
 * value the controller reads of the status: the phase (isPodActive, the ranking's phase) and, of
 * an active pod, the Ready condition's status and, when True, its transition time (isPodReady, the
 * counts' readiness, isPodAvailable with minReadySeconds, the ranking's ready time) and the
 * largest restart count (the ranking's restarts). Of a pod not active (terminal, or being
 * deleted) only the phase and metadata are read: it is in no count (not even the mismatched one:
 * only active pods are claimed, so released), in no ranking, and no availability. Everything else the controller reads of a pod
 * (node, labels, deletion, creation, deletion cost, uid, name, owners) is in the metadata or spec.
 */
export function countedChange(old: KObject, pod: KObject): boolean {
  // Both statuses read without building one the store keeps unbuilt (`podStatusOf`, defer24): a
  // left-out write stays unbuilt; a counted one is built by the handler's `index` as before.
  const a: PodStatus | undefined = podStatusOf(old);
  const b: PodStatus | undefined = podStatusOf(pod);
  if (a === b) return false;
  if (a?.phase !== b?.phase) return true;
  // Terminal before and after, or being deleted (the metadata is the same): not active, so none of
  // the rest is read (the counts, the ranking and the availability read active pods only).
  if (isPodPhaseTerminal(b?.phase) || pod.metadata.deletionTimestamp) return false;
  const ra = getPodReadyCondition(a);
  const rb = getPodReadyCondition(b);
  const readyA = ra?.status === "True";
  if (readyA !== (rb?.status === "True")) return true;
  if (readyA && ra!.lastTransitionTime !== rb!.lastTransitionTime) return true;
  return maxRestartsOf(a) !== maxRestartsOf(b);
}

/**
 * Whether a status-only change of an orphan (`old` to `pod`) changes what the claims read of its
 * status: whether its phase is terminal (isPodActive; being deleted is metadata). Read through
 * `podStatusOf`, building nothing.
 */
export function endedChange(old: KObject, pod: KObject): boolean {
  return isPodPhaseTerminal(podStatusOf(old)?.phase) !== isPodPhaseTerminal(podStatusOf(pod)?.phase);
}

/** The claims' order, and the ranking's visit order: by key (namespace/name; unique), as strings. */
function byKey(a: KObject, b: KObject): number {
  const x = objectKey(a.metadata.namespace, a.metadata.name!);
  const y = objectKey(b.metadata.namespace, b.metadata.name!);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The index in sorted `keys` of `key` (where it is, or would be inserted). */
function sortedIndex(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A ReplicationController's selector map as the LabelSelector its conversion gives (one object per map, for the caches' identity checks). */
const rcSelectors = new WeakMap<object, unknown>();

export class ReplicaSetController extends Controller {
  // Assigned in the constructor, not initialized fields (see Controller's constructor).
  declare readonly name: string;
  /** The kind this controller manages: ReplicaSet, or ReplicationController (the same controller upstream). */
  declare readonly kind: "ReplicaSet" | "ReplicationController";
  private declare readonly source: { component: string };

  constructor(ctx: ClusterContext, kind: "ReplicaSet" | "ReplicationController" = "ReplicaSet") {
    super(ctx);
    this.kind = kind;
    this.name = kind === "ReplicaSet" ? "replicaset-controller" : "replication-controller";
    this.source = kind === "ReplicaSet" ? SOURCE : { component: "replication-controller" };
  }

  /** The owner's selector as a LabelSelector (an RC's map converted as upstream's conversion does). */
  private selectorOf(rs: KObject): unknown {
    const sel = rs.spec?.selector;
    if (this.kind === "ReplicaSet" || !sel || typeof sel !== "object") return sel;
    let converted = rcSelectors.get(sel);
    if (!converted) rcSelectors.set(sel, (converted = { matchLabels: sel }));
    return converted;
  }
  /**
   * The informer's index: pods by their controller's uid, and orphans by namespace, kept from the
   * pod watch and from this controller's own writes (so a sync never acts on a stale view of its
   * own creations and deletions).
   */
  private readonly byOwner = new Map<string, Map<string, KObject>>();
  private readonly orphans = new Map<string, Map<string, KObject>>();
  /** Per ReplicaSet uid: counts over its owned pods (the fast engine only). */
  private readonly counts = new Map<string, OwnerCounts>();
  /** Per key, the last sync if it wrote nothing (the fast engine only). */
  private readonly quiet = new Map<string, QuietReplicaSetSync>();

  private bucket(pod: KObject): Map<string, KObject> {
    const uid = controllerRef(pod)?.uid;
    const [m, k] = uid ? [this.byOwner, uid] : [this.orphans, pod.metadata.namespace ?? ""];
    let b = m.get(k);
    if (!b) m.set(k, (b = new Map()));
    return b;
  }

  /** Records a pod version in the index (newer versions only); `gone` removes it. */
  private index(pod: KObject, old: KObject | undefined, gone: boolean): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name!);
    const b = this.bucket(pod);
    const current = b.get(key);
    if (!gone && current && Number(current.metadata.resourceVersion) > Number(pod.metadata.resourceVersion)) return;
    if (!this.ctx.reference && !gone && current?.metadata.uid === pod.metadata.uid && (!old || this.bucket(old) === b)) {
      // The fast engine (issue #19 §3): a new version of a pod this bucket holds, from the same
      // bucket. A pod (key and uid) is in one bucket at most (each set below follows the removal of
      // that pod from every bucket), so the passes below would only remove it from this bucket
      // (touching its owner) before setting it again at the end of the bucket's order.
      b.delete(key);
      b.set(key, pod);
      this.touch(controllerRef(pod)?.uid, key);
      return;
    }
    if (old && this.bucket(old).delete(key)) this.touch(controllerRef(old)?.uid, key);
    for (const [uid, b] of this.byOwner) {
      const x = b.get(key);
      if (x && x.metadata.uid === pod.metadata.uid) {
        b.delete(key);
        this.touch(uid, key);
      }
    }
    for (const b of this.orphans.values()) {
      const x = b.get(key);
      if (x && x.metadata.uid === pod.metadata.uid) b.delete(key);
    }
    if (!gone) {
      this.bucket(pod).set(key, pod);
      this.touch(controllerRef(pod)?.uid, key);
    }
  }

  /** Marks an owned pod's entry as changed for its owner's counts. */
  private touch(uid: string | undefined, key: string): void {
    if (uid) this.counts.get(uid)?.dirty.add(key);
  }

  /** The owner's counts, brought up to date with the pods changed since the last call. */
  private ownerCounts(rs: KObject): OwnerCounts {
    const uid = rs.metadata.uid!;
    const selector = this.selectorOf(rs);
    const labels = rs.spec?.template?.metadata?.labels;
    let c = this.counts.get(uid);
    if (!c || !(c.selector === selector || jsonEqual(c.selector, selector)) || !(c.labels === labels || jsonEqual(c.labels, labels))) {
      c = { masks: new Map(), perNode: new Map(), nodeOf: new Map(), activeKeys: new Map(), order: [], dirty: new Set(this.byOwner.get(uid)?.keys() ?? []), active: 0, ready: 0, fully: 0, mismatched: 0, selector, labels };
      this.counts.set(uid, c);
    }
    if (c.dirty.size === 0) return c;
    const owned = this.byOwner.get(uid);
    const templateLabels = Object.entries(labels ?? {});
    for (const key of c.dirty) {
      const had = c.activeKeys.has(key);
      this.countKey(c, key, rs, owned, templateLabels);
      if (had !== c.activeKeys.has(key)) {
        const i = sortedIndex(c.order, key);
        if (had) c.order.splice(i, 1);
        else c.order.splice(i, 0, key);
      }
    }
    c.dirty.clear();
    return c;
  }

  /** One dirty pod's entry in its owner's counts, removed and (when the pod is still owned) counted again. */
  private countKey(c: OwnerCounts, key: string, rs: KObject, owned: Map<string, KObject> | undefined, templateLabels: Array<[string, unknown]>): void {
    const was = c.masks.get(key);
    if (was !== undefined) {
      this.count(c, was, -1);
      const node = c.nodeOf.get(key);
      if (node !== undefined) {
        c.perNode.set(node, c.perNode.get(node)! - 1);
        c.nodeOf.delete(key);
      }
      c.activeKeys.delete(key);
    }
    const pod = owned?.get(key);
    if (!pod) {
      c.masks.delete(key);
      return;
    }
    // Only an active pod is claimed (upstream's syncReplicaSet filters with FilterActivePods before
    // claimPods), so only an active pod that stopped matching is released: the full pass's work.
    let m = 0;
    if (isPodActive(pod)) {
      m = ACTIVE | (this.matches(rs, pod) ? 0 : MISMATCH);
      if (isPodReady(pod)) m |= READY;
      let all = true;
      for (const [k, v] of templateLabels) if (pod.metadata.labels?.[k] !== v) all = false;
      if (all) m |= FULLY_LABELED;
      const node = pod.spec?.nodeName ?? "";
      c.nodeOf.set(key, node);
      c.perNode.set(node, (c.perNode.get(node) ?? 0) + 1);
      c.activeKeys.set(key, makeDeletionKey(pod));
    }
    c.masks.set(key, m);
    this.count(c, m, 1);
  }

  private count(c: OwnerCounts, m: number, by: number): void {
    if (m & ACTIVE) c.active += by;
    if (m & READY) c.ready += by;
    if (m & FULLY_LABELED) c.fully += by;
    if (m & MISMATCH) c.mismatched += by;
  }

  start(): void {
    this.watch(this.kind, (ev) => {
      if (ev.type === "DELETED") {
        this.counts.delete(ev.object.metadata.uid!);
        this.quiet.delete(objectKey(ev.object.metadata.namespace, ev.object.metadata.name!));
      }
      this.enqueue(ev.object);
    });
    this.watch(
      "Pod",
      (ev) => {
        this.index(ev.object, ev.old, ev.type === "DELETED");
        this.enqueueFor(ev);
      },
      { statusOnlyWanted: (ev) => this.statusOnlyWanted(ev) },
    );
  }

  /** The Pod handler's keys (upstream's addPod/updatePod/deletePod): the pod's controllers before and after, or an orphan's candidates. */
  private enqueueFor(ev: WatchEvent): void {
    const pod = ev.object;
    const ref = controllerRef(pod);
    const oldRef = ev.old ? controllerRef(ev.old) : undefined;
    if (oldRef?.kind === this.kind && oldRef.uid !== ref?.uid) this.queue.add(objectKey(pod.metadata.namespace, oldRef.name));
    if (ref) {
      if (ref.kind === this.kind) this.queue.add(objectKey(pod.metadata.namespace, ref.name));
      return;
    }
    if (ev.type === "DELETED" || pod.metadata.deletionTimestamp) return;
    // An orphan: every ReplicaSet whose selector matches may adopt it.
    for (const rs of this.ctx.api.list(this.kind, { namespace: pod.metadata.namespace })) {
      if (selectorMatches(this.selectorOf(rs) as never, pod.metadata.labels)) this.enqueue(rs);
    }
  }

  /**
   * The Pod watch's `statusOnlyWanted` (the fast engine asks it for a MODIFIED event that changed
   * only the pod's status, in the handler's place; issue #19 §1): false — after queueing the keys
   * the handler would (`enqueueFor`, at the same instant and place in the dispatch: upstream's
   * updatePod enqueues on any change) — when the change leaves every value this controller reads
   * of a pod's status as it was (`countedChange`): the handler's only other work, recording the
   * new version in the index, is then left out, and the index keeps an older version whose every
   * value read is the same. Of an orphan's status only whether its phase is terminal is read
   * (claims take active pods only; the adoption itself takes the version it stores), so an
   * orphan's status-only change needs the index only when it ends the pod (`endedChange`). The
   * reference engine calls the handler for every event.
   */
  private statusOnlyWanted(ev: WatchEvent): boolean {
    if (controllerRef(ev.object) !== undefined ? countedChange(ev.old!, ev.object) : endedChange(ev.old!, ev.object)) return true;
    this.enqueueFor(ev);
    return false;
  }

  /** An error (a pod create the API server refused) requeues the key rate-limited, as upstream's processNextWorkItem does. */
  protected override syncHandler(key: string): void | Error {
    return this.syncReplicaSet(key);
  }

  /** syncReplicaSet for one key; returns manageReplicas' error, after the status is written. */
  syncReplicaSet(key: string): void | Error {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const rs = api.get(this.kind, ns, name);
    if (!rs) return;
    // The fast engine keeps counts from the watch; a ReplicaSet being deleted or owning pods that
    // stopped matching its selector (to be released) takes the full pass, as the reference engine.
    if (!this.ctx.reference && !rs.metadata.deletionTimestamp && this.ownerCounts(rs).mismatched === 0) {
      // A sync that wrote nothing with its pods at the wanted count would write nothing again
      // while the ReplicaSet is the same version and its counts are the same (issue #19 §3; see
      // QuietReplicaSetSync): it is skipped.
      const c = this.ownerCounts(rs);
      const q = this.quiet.get(key);
      if (q && q.rs === rs && q.active === c.active && q.ready === c.ready && q.fully === c.fully && !this.orphans.get(rs.metadata.namespace ?? "")?.size) return;
      this.quiet.delete(key);
      const rv = api.resourceVersion;
      this.statusWritten = undefined;
      const err = this.syncFromCounts(key, rs);
      if (!err && api.resourceVersion === rv && c.active === (rs.spec?.replicas ?? 1) && (rs.spec?.minReadySeconds ?? 0) === 0 && c.mismatched === 0) {
        this.quiet.set(key, { rs, active: c.active, ready: c.ready, fully: c.fully });
      } else if (!err) this.quietAsWritten(key, rs.metadata.uid!);
      return err;
    }
    const pods = this.claimPods(rs);
    const active = pods.filter(isPodActive);
    const err = rs.metadata.deletionTimestamp ? undefined : this.manageReplicas(rs, active.length, (n) => podsToDelete(active, activeOnNodes(this.relatedPods(rs)), n, this.ctx.clock.now()));
    const current = api.get(this.kind, ns, name);
    if (!current) return err;
    const stillActive = this.ownedPods(current).filter(isPodActive);
    this.writeStatus(key, current, replicaSetStatus(current, stillActive, this.ctx.clock.now()), !err);
    return err;
  }

  /**
   * The same sync from the owner's counts: adopt matching orphans (the owned pods all match, so
   * ClaimPods would release none), manage replicas by the active count (the list of active pods is
   * built only to choose which to delete), and the status from the counts.
   */
  private syncFromCounts(key: string, rs: KObject): void | Error {
    const api = this.ctx.api;
    const uid = rs.metadata.uid!;
    const orphans = this.orphans.get(rs.metadata.namespace ?? "");
    if (orphans?.size) this.adoptOrphans(rs, [...orphans.values()]);
    const counts = this.ownerCounts(rs);
    // (An unnamed closure: a named one costs a defineProperty of its name per sync under tsx and the bundle.)
    const err = this.manageReplicas(rs, counts.active, (n) => this.chooseFromCounts(rs, counts, n));
    const current = api.get(this.kind, rs.metadata.namespace, rs.metadata.name!);
    if (!current) return err;
    const c = this.ownerCounts(current);
    const minReady = current.spec?.minReadySeconds ?? 0;
    let available = c.ready;
    if (minReady > 0) {
      // Availability depends on the time: counted over the ready pods at each sync.
      const now = this.ctx.clock.now();
      available = 0;
      for (const [k, m] of c.masks) if (m & READY && isPodAvailable(this.byOwner.get(uid)!.get(k)!, minReady, now)) available++;
    }
    this.writeStatus(key, current, statusFromCounts(current, c.active, c.fully, c.ready, available), !err);
    return err;
  }

  /**
   * The `n` active pods to delete, from the owner's counts: the kept keys (whose order does not
   * matter: the ranking is a total order) ranked against the related pods' counts per node, when
   * some of them go and when all of them go (getPodsToDelete).
   */
  private chooseFromCounts(rs: KObject, counts: OwnerCounts, n: number): KObject[] {
    const related = this.relatedReplicaSets(rs).map((r) => this.ownerCounts(r).perNode);
    const keys = counts.order.map((k) => counts.activeKeys.get(k)!);
    return firstKeysToDelete(keys, related, n, this.ctx.clock.now());
  }

  /**
   * After a sync that wrote (the fast engine; issue #19 §3): when its last write was the
   * ReplicaSet's status, the stored ReplicaSet is the version it wrote, and the next sync of that
   * version would find nothing to do — no orphan to adopt, as many active pods as wanted, no
   * minReadySeconds, no pod that stopped matching, and the status it would compute from the
   * counts as they are now equal to the status just written — that sync is kept as a quiet one
   * (QuietReplicaSetSync): it would read the same ReplicaSet and counts and write nothing, so it
   * is skipped while both stay. (Without this, every status write brought one more full sync,
   * triggered by the write's own watch event, that wrote nothing: half of a rolling update's
   * ReplicaSet syncs.)
   */
  private quietAsWritten(key: string, uid: string): void {
    const written = this.statusWritten;
    this.statusWritten = undefined;
    if (written === undefined || written.metadata.uid !== uid) return;
    if (this.ctx.api.get(this.kind, written.metadata.namespace, written.metadata.name!) !== written) return;
    if (written.metadata.deletionTimestamp || (written.spec?.minReadySeconds ?? 0) !== 0) return;
    if (this.orphans.get(written.metadata.namespace ?? "")?.size) return;
    const c = this.ownerCounts(written);
    if (c.mismatched !== 0 || c.active !== (written.spec?.replicas ?? 1)) return;
    if (!jsonEqual(statusFromCounts(written, c.active, c.fully, c.ready, c.ready), written.status ?? {})) return;
    this.quiet.set(key, { rs: written, active: c.active, ready: c.ready, fully: c.fully });
  }

  /** The ReplicaSet version the running sync's status write stored (the fast engine's quietAsWritten). */
  private statusWritten: KObject | undefined;

  private writeStatus(key: string, current: KObject, status: ReplicaSetStatus, synced = true): void {
    if (!jsonEqual(status, current.status ?? {})) this.statusWritten = writeStatusOf(this.ctx, current, status);
    // Pods ready but not yet available: look again when minReadySeconds have passed (not after a
    // failed sync, which is requeued rate-limited instead).
    const minReady = current.spec?.minReadySeconds ?? 0;
    if (synced && minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) this.queue.addAfter(key, minReady * 1000);
  }

  private ownedPods(rs: KObject): KObject[] {
    return [...(this.byOwner.get(rs.metadata.uid!)?.values() ?? [])];
  }

  /** Selector matches, memoized per (frozen) pod version and selector. */
  private readonly matchCache = new WeakMap<KObject, { selector: unknown; ok: boolean }>();
  private matches(rs: KObject, pod: KObject): boolean {
    const selector = this.selectorOf(rs);
    const hit = this.matchCache.get(pod);
    if (hit && hit.selector === selector) return hit.ok;
    const ok = selectorMatches(selector as never, pod.metadata.labels);
    this.matchCache.set(pod, { selector, ok });
    return ok;
  }

  /**
   * ClaimPods: adopt matching orphans, release owned pods that no longer match — in the order of
   * the pods' keys, namespace/name (upstream walks the lister's list, a Go map's order: unspecified; here a fixed
   * one, whatever the order the pods were delivered in). Active pods only: upstream's
   * syncReplicaSet filters the namespace's pods with FilterActivePods before claimPods, so a
   * Succeeded or Failed pod, or one being deleted, is neither adopted nor released.
   */
  private claimPods(rs: KObject): KObject[] {
    const api = this.ctx.api;
    const out: KObject[] = [];
    const uid = rs.metadata.uid;
    // Owned pods and the namespace's orphans (a snapshot: claiming re-indexes as it goes), by key.
    const owned = this.byOwner.get(uid!);
    const orphans = this.orphans.get(rs.metadata.namespace ?? "");
    const candidates: KObject[] = [];
    if (owned) for (const p of owned.values()) if (isPodActive(p)) candidates.push(p);
    if (orphans) for (const p of orphans.values()) if (isPodActive(p)) candidates.push(p);
    candidates.sort(byKey);
    for (const pod of candidates) {
      const ref = controllerRef(pod);
      const matches = this.matches(rs, pod);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches || rs.metadata.deletionTimestamp) out.push(pod);
        else {
          const released = api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => {
            p.metadata.ownerReferences = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
            if (!p.metadata.ownerReferences!.length) delete p.metadata.ownerReferences;
          });
          this.index(released, pod, false);
        }
        continue;
      }
      if (!matches || rs.metadata.deletionTimestamp) continue;
      out.push(this.adopt(rs, pod));
    }
    return out;
  }

  /** ClaimPods' adoption half over the namespace's orphans (a snapshot), in claimPods' order (by key). */
  private adoptOrphans(rs: KObject, orphans: KObject[]): void {
    orphans.sort(byKey);
    for (const pod of orphans) {
      if (controllerRef(pod) || !isPodActive(pod) || !this.matches(rs, pod)) continue;
      this.adopt(rs, pod);
    }
  }

  private adopt(rs: KObject, pod: KObject): KObject {
    const adopted = this.ctx.api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => {
      p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), newControllerRef(rs)];
    });
    this.index(adopted, pod, false);
    return adopted;
  }

  /** manageReplicas: create or delete pods to reach spec.replicas (`choose(n)`: the `n` active pods to delete, in order). */
  private manageReplicas(rs: KObject, activeCount: number, choose: (n: number) => KObject[]): Error | undefined {
    const want = rs.spec?.replicas ?? 1;
    const diff = activeCount - want;
    const api = this.ctx.api;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      let created = 0;
      // slowStartBatch: 1, 2, 4, ... stopping at the first error.
      for (let batch = 1; created < n; batch *= 2) {
        const size = Math.min(batch, n - created);
        for (let i = 0; i < size; i++) {
          try {
            const pod = api.createOwned(podFromTemplate(rs.spec?.template, rs, `${rs.metadata.name}-`));
            this.index(pod, undefined, false);
            this.ctx.events.record(rs, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${pod.metadata.name}`, source: this.source });
            created++;
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            this.ctx.events.record(rs, { type: "Warning", reason: "FailedCreate", message: `Error creating: ${e.message}`, source: this.source });
            this.setReplicaFailure(rs, e.message);
            // Upstream returns nil for a namespace being terminated (apierrors.HasStatusCause(err,
            // NamespaceTerminatingCause): every create would fail); any other refusal is retried.
            return e.reason === "Forbidden" && e.message.endsWith("because it is being terminated") ? undefined : e;
          }
        }
      }
      if (-diff > n) this.queue.add(objectKey(rs.metadata.namespace, rs.metadata.name!));
      this.clearReplicaFailure(rs);
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      for (const pod of choose(n)) {
        try {
          const after = api.delete("Pod", pod.metadata.namespace, pod.metadata.name!);
          this.index(after, pod, !api.get("Pod", pod.metadata.namespace, pod.metadata.name!));
          this.ctx.events.record(rs, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${pod.metadata.name}`, source: this.source });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.reason !== "NotFound") this.ctx.events.record(rs, { type: "Warning", reason: "FailedDelete", message: `Error deleting: ${e.message}`, source: this.source });
        }
      }
    }
  }

  /** This ReplicaSet and its siblings under the same Deployment (getIndirectlyRelatedPods' owners). */
  private relatedReplicaSets(rs: KObject): KObject[] {
    const owner = controllerRef(rs);
    const out = [rs];
    if (owner) {
      for (const other of this.ctx.api.list(this.kind, { namespace: rs.metadata.namespace })) {
        if (other.metadata.uid !== rs.metadata.uid && controllerRef(other)?.uid === owner.uid) out.push(other);
      }
    }
    return out;
  }

  /** Pods of this ReplicaSet and of its siblings under the same Deployment (getIndirectlyRelatedPods). */
  private relatedPods(rs: KObject): KObject[] {
    return this.relatedReplicaSets(rs).flatMap((r) => [...(this.byOwner.get(r.metadata.uid!)?.values() ?? [])]);
  }

  /**
   * calculateStatus's ReplicaFailure: set when a sync's pod creates failed and the condition is
   * absent; a later failure (a retry, naming another generated pod) leaves the first one as it is.
   */
  private setReplicaFailure(rs: KObject, message: string): void {
    const current = this.ctx.api.get(this.kind, rs.metadata.namespace, rs.metadata.name!);
    if (current?.status?.conditions?.some((c: ReplicaSetCondition) => c.type === "ReplicaFailure")) return;
    const now = this.ctx.clock.nowRFC3339();
    this.ctx.api.mutate(this.kind, rs.metadata.namespace, rs.metadata.name!, (r) => {
      const conds = (r.status?.conditions ?? []).filter((c: ReplicaSetCondition) => c.type !== "ReplicaFailure");
      conds.push({ lastTransitionTime: now, message, reason: "FailedCreate", status: "True", type: "ReplicaFailure" });
      r.status = { ...(r.status ?? {}), conditions: conds };
    }, { subresource: "status" });
  }

  private clearReplicaFailure(rs: KObject): void {
    const current = this.ctx.api.get(this.kind, rs.metadata.namespace, rs.metadata.name!);
    if (!current?.status?.conditions?.some((c: ReplicaSetCondition) => c.type === "ReplicaFailure")) return;
    this.ctx.api.mutate(this.kind, rs.metadata.namespace, rs.metadata.name!, (r) => {
      r.status.conditions = r.status.conditions.filter((c: ReplicaSetCondition) => c.type !== "ReplicaFailure");
      if (!r.status.conditions.length) delete r.status.conditions;
    }, { subresource: "status" });
  }
}

export function replicaSetController(ctx: ClusterContext): Component {
  return new ReplicaSetController(ctx);
}

/** The ReplicationController controller (kube-controller-manager's `replicationcontroller`). */
export function replicationController(ctx: ClusterContext): Component {
  return new ReplicaSetController(ctx, "ReplicationController");
}
