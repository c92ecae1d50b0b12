/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go, v1.32): one daemon pod on
 * every node that should run it (NodeShouldRunDaemonPod: node name, node selector and required
 * affinity, taints against the template's tolerations plus the daemon tolerations).
 *
 * - manage: for each node, podsShouldBeOnNode says which nodes need a pod and which pods go (a
 *   failed pod is deleted with back-off and the event `FailedDaemonPod`, a succeeded one with
 *   `SucceededDaemonPod`, surplus pods but the oldest, pods on nodes that should no longer run
 *   one); syncNodes creates pods in slow-start batches (at most 250 per sync) pinned to their node
 *   by a `metadata.name` node affinity, and the scheduler binds them;
 * - the update strategy (update.ts): RollingUpdate with maxUnavailable or maxSurge, or OnDelete;
 *   the template's revisions are ControllerRevisions `<ds>-<hash>`, pods carry the hash in
 *   `controller-revision-hash` and the template generation in `pod-template-generation`;
 * - status: desired/current/misscheduled/ready/updated/available/unavailable counts and
 *   observedGeneration;
 * - events (component daemonset-controller): SuccessfulCreate "Created pod: x", SuccessfulDelete
 *   "Deleted pod: x", FailedCreate, SelectingAll.
 *
 * Upstream's expectations are replaced by an index of the controller's own writes (PodIndex): as
 * upstream skips the rolling update until its creations and deletions are observed, a sync that
 * created or deleted pods leaves the rolling update to the next sync, which those pods' watch
 * events bring at the same instant.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import { jsonEqual, type KObject } from "../../api/types.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";
import { podFromTemplate } from "../replicaset.ts";
import { Backoff } from "../util/backoff.ts";
import { claimObjects } from "../util/controllerref.ts";
import { PodIndex } from "../util/podindex.ts";
import { controllerRef } from "../util/pod.ts";
import { isPodAvailable, isPodReady, isPodTerminal } from "../../api/pod/util.ts";
import { selectorMatches } from "../util/selector.ts";
import { cleanupHistory, constructHistory, rollingUpdate } from "./update.ts";
import { DaemonSetNodeState, NodeIndex } from "./nodestate.ts";
import {
  allowsSurge,
  compareByCreationTimestampAndPhase,
  createPodTemplate,
  DAEMONSET_HASH_LABEL,
  getTargetNodeName,
  getTemplateGeneration,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceDaemonSetPodNodeNameNodeAffinity,
  surgeCount,
  unavailableCount,
} from "./util.ts";

/** BurstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 250;
export const FAILED_PODS_BACKOFF_INITIAL_MS = 1_000;
export const FAILED_PODS_BACKOFF_MAX_MS = 15 * 60_000;
const SOURCE = { component: "daemonset-controller" };

export type NodeToDaemonPods = Map<string, KObject[]>;

export class DaemonSetsController extends Controller {
  readonly name = "daemonset-controller";
  readonly pods: PodIndex;
  readonly failedPodsBackoff = new Backoff(FAILED_PODS_BACKOFF_INITIAL_MS, FAILED_PODS_BACKOFF_MAX_MS);
  /** The fast engine's informer state (nodestate.ts): the nodes, and per DaemonSet (by uid) its nodes' records. */
  private readonly nodeIndex = new NodeIndex();
  private readonly states = new Map<string, DaemonSetNodeState>();

  /** Public: the rolling update (update.ts) works on the controller's context. */
  constructor(override readonly ctx: ClusterContext) {
    super(ctx);
    this.pods = ctx.reference ? new PodIndex() : new PodIndex("DaemonSet", ctx.api.orphanStatus);
  }

  start(): void {
    const api = this.ctx.api;
    for (const n of api.list("Node")) this.nodeIndex.record(n, false);
    this.nodeIndex.rv = api.lastChangeOf("Node");
    this.pods.onChange = (before, after) => {
      const a = before ? controllerRef(before)?.uid : undefined;
      const b = after ? controllerRef(after)?.uid : undefined;
      if (a !== undefined && a === b) {
        this.states.get(a)?.podChanged(before, after);
        return;
      }
      if (a !== undefined) this.states.get(a)?.podChanged(before, undefined);
      if (b !== undefined) this.states.get(b)?.podChanged(undefined, after);
    };
    this.watch("DaemonSet", (ev) => {
      if (ev.type === "DELETED") this.states.delete(ev.object.metadata.uid!);
      this.enqueue(ev.object);
    });
    this.watch("ControllerRevision", (ev) => {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "DaemonSet") this.queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    });
    // Issue #19 §3: a pod another kind's owner controls before and after a change is none of this
    // handler's business (see podChanged), so the fast engine does not call it for one. Nor for a
    // status-only change of an orphan while the namespace has no DaemonSet (`lazyOrphansOf`): the
    // handler would only record it (the index applies it when it next reads the namespace's orphans;
    // `onChange` does nothing for an orphan) and enqueue the namespace's DaemonSets that select it.
    this.watch("Pod", (ev) => this.podChanged(ev.object, ev.old, ev.type === "DELETED"), { controllerKind: "DaemonSet", lazyOrphansOf: "DaemonSet" });
    this.watch("Node", (ev) => {
      if (this.nodeIndex.record(ev.object, ev.type === "DELETED")) for (const st of this.states.values()) st.nodeChanged(ev.object.metadata.name!);
      if (ev.type === "DELETED") return;
      const node = ev.object;
      const old = ev.type === "MODIFIED" ? ev.old : undefined;
      // updateNode: only label and taint changes matter (shouldIgnoreNodeUpdate).
      if (old && jsonEqual(old.metadata.labels ?? {}, node.metadata.labels ?? {}) && jsonEqual(old.spec?.taints ?? [], node.spec?.taints ?? [])) return;
      for (const ds of api.list("DaemonSet")) {
        const now = nodeShouldRunDaemonPod(node, ds);
        if (!old) {
          if (now.shouldRun) this.enqueue(ds);
          continue;
        }
        const before = nodeShouldRunDaemonPod(old, ds);
        if (before.shouldRun !== now.shouldRun || before.shouldContinueRunning !== now.shouldContinueRunning) this.enqueue(ds);
      }
    });
  }

  protected override syncHandler(key: string): void {
    this.syncDaemonSet(key);
  }

  /**
   * addPod / updatePod / deletePod: the pod's DaemonSet (or, for an orphan, every matching one).
   * For a pod controlled before and after by one owner of another kind it does nothing a reader
   * could see (the watch's `controllerKind`): the fast engine's index (PodIndex with an owner kind)
   * records such a pod only if it was indexed before (an orphan once), and then only in that owner's
   * bucket, which nothing here reads (`owned` is asked for DaemonSets' uids); `onChange` finds no
   * DaemonSet state under that owner's uid; the handler then returns at the controller reference.
   * A later record of the pod (a change of controller, its deletion) replaces that entry whatever
   * version it holds.
   */
  private podChanged(pod: KObject, old: KObject | undefined, gone: boolean): void {
    this.pods.record(pod, gone);
    const ns = pod.metadata.namespace;
    const ref = controllerRef(pod);
    const oldRef = old ? controllerRef(old) : undefined;
    if (oldRef?.kind === "DaemonSet" && oldRef.uid !== ref?.uid) this.queue.add(objectKey(ns, oldRef.name));
    if (ref) {
      if (ref.kind !== "DaemonSet") return;
      const key = objectKey(ns, ref.name);
      this.queue.add(key);
      // A pod that just became ready is available minReadySeconds later.
      if (old && !isPodReady(old) && isPodReady(pod)) {
        const ds = this.ctx.api.get("DaemonSet", ns, ref.name);
        const minReady = ds?.spec?.minReadySeconds ?? 0;
        if (minReady > 0) this.queue.addAfter(key, minReady * 1000);
      }
      return;
    }
    if (gone || pod.metadata.deletionTimestamp) return;
    for (const ds of this.ctx.api.list("DaemonSet", { namespace: ns })) {
      if (selectorMatches(ds.spec?.selector, pod.metadata.labels)) this.queue.add(objectKey(ns, ds.metadata.name!));
    }
  }

  recordEvent(ds: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(ds, { type, reason, message, source: SOURCE });
  }

  /** getDaemonPods: the pods the DaemonSet owns after adopting matching orphans and releasing the rest. */
  getDaemonPods(ds: KObject): KObject[] {
    const candidates = [...this.pods.owned(ds.metadata.uid!), ...this.pods.orphansIn(ds.metadata.namespace)];
    return claimObjects(this.ctx.api, ds, candidates, (p) => selectorMatches(ds.spec?.selector, p.metadata.labels), (p) => this.pods.record(p, false));
  }

  /**
   * getNodesToDaemonPods: the DaemonSet's pods by target node. Pods that are both being deleted
   * and terminal are left out unless `includeDeletedTerminal`.
   */
  getNodesToDaemonPods(ds: KObject, includeDeletedTerminal: boolean): NodeToDaemonPods {
    const out: NodeToDaemonPods = new Map();
    for (const pod of this.getDaemonPods(ds)) {
      if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
      const node = getTargetNodeName(pod);
      if (node === undefined) continue;
      const list = out.get(node);
      if (list) list.push(pod);
      else out.set(node, [pod]);
    }
    return out;
  }

  /** syncDaemonSet for one key. */
  syncDaemonSet(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const ds = api.get("DaemonSet", ns, name);
    if (!ds) return;
    // failedPodsBackoff.GC: upstream runs it every minute; here each sync forgets the expired keys.
    this.failedPodsBackoff.gc(this.ctx.clock.now());
    const sel = ds.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      this.recordEvent(ds, "Warning", "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const { cur, old } = constructHistory(this, ds);
    const hash: string = cur.metadata.labels?.[DAEMONSET_HASH_LABEL] ?? "";
    const current = api.get("DaemonSet", ns, name) ?? ds;
    let nodes: KObject[] | undefined;
    const fast = this.fastState(current, hash);
    if (fast) this.updateDaemonSetFast(current, fast, hash, old);
    else this.updateDaemonSet(current, (nodes = api.list("Node")), hash, old);
    const latest = api.get("DaemonSet", ns, name);
    if (!latest) return;
    const fastStatus = this.fastState(latest, hash);
    if (fastStatus) {
      const c = (bit: number) => fastStatus.count(bit as typeof DaemonSetNodeState.DESIRED);
      const S = DaemonSetNodeState;
      this.writeStatus(latest, c(S.DESIRED), c(S.CURRENT), c(S.MISSCHEDULED), c(S.READY), c(S.UPDATED), c(S.AVAILABLE));
    } else this.updateDaemonSetStatus(latest, nodes ?? api.list("Node"), hash);
  }

  /**
   * The DaemonSet's node state, up to date, when the fast engine may use it: not the reference
   * engine, minReadySeconds 0 (availability then does not depend on the time), the node index
   * current with the store, no owned pod that stopped matching the selector and no orphan that
   * matches it (ClaimPods would release or adopt), no daemon pod aimed at a missing node.
   */
  private fastState(ds: KObject, hash: string): DaemonSetNodeState | undefined {
    if (this.ctx.reference || (ds.spec?.minReadySeconds ?? 0) !== 0) return undefined;
    if (this.ctx.api.lastChangeOf("Node") !== this.nodeIndex.rv) return undefined;
    const uid = ds.metadata.uid!;
    let st = this.states.get(uid);
    if (!st) this.states.set(uid, (st = new DaemonSetNodeState(this.pods.owned(uid))));
    st.refresh(ds, hash, this.nodeIndex);
    if (st.mismatched !== 0 || st.stray.size !== 0) return undefined;
    for (const p of this.pods.orphansIn(ds.metadata.namespace)) {
      if (!p.metadata.deletionTimestamp && selectorMatches(ds.spec?.selector, p.metadata.labels)) return undefined;
    }
    return st;
  }

  /** updateDaemonSet on the node state: manage visits the nodes that need action; rollingUpdate reads the classes. */
  private updateDaemonSetFast(ds: KObject, st: DaemonSetNodeState, hash: string, old: KObject[]): void {
    const nodesNeeding: string[] = [];
    const podsToDelete: string[] = [];
    const byName = this.nodeIndex.byName;
    for (const name of [...st.action].sort(byString)) this.podsShouldBeOnNode(byName.get(name)!, st.podsOn(name), ds, hash, nodesNeeding, podsToDelete);
    const changed = this.syncNodes(ds, podsToDelete, nodesNeeding, hash);
    if (!changed && (ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") this.rollingUpdateFast(ds, st, hash);
    cleanupHistory(this, ds, old);
  }

  /** update.go's rollingUpdate from the node state's counts and classes (the same lists, in node-name order). */
  private rollingUpdateFast(ds: KObject, st: DaemonSetNodeState, hash: string): void {
    st.refresh(ds, hash, this.nodeIndex);
    const desired = st.count(DaemonSetNodeState.DESIRED);
    let maxUnavailable = unavailableCount(ds, desired);
    const maxSurge = surgeCount(ds, desired);
    if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    const names = this.nodeIndex.sortedNames();
    const oldPods = (nodes: string[]) => nodes.map((n) => st.oldPodOf(n));
    if (maxSurge === 0) {
      const replacements = oldPods([...st.oldUnavailable].sort(byString));
      const remaining = Math.min(Math.max(maxUnavailable - st.unavailable, 0), st.oldAvailable.size);
      const candidates = oldPods(DaemonSetNodeState.firstByName(st.oldAvailable, remaining, names, () => true));
      this.syncNodes(ds, [...replacements, ...candidates], [], hash);
      return;
    }
    const oldPodsToDelete = oldPods([...[...st.oldUnavailable].filter((n) => !st.shouldRun(n)), ...st.surgedNewAvailable].sort(byString));
    const allowedNewNodes = [...st.oldUnavailable].filter((n) => st.shouldRun(n)).sort(byString);
    const candidateCount = st.oldAvailable.size - st.oldAvailableNoRun.size;
    const remainingSurge = Math.min(Math.max(maxSurge - st.surging, 0), candidateCount);
    const deletable = Math.min(st.availableOrOld - desired, st.oldAvailableNoRun.size);
    if (deletable > 0) {
      for (const name of oldPods(DaemonSetNodeState.firstByName(st.oldAvailableNoRun, deletable, names, () => true))) {
        if (this.ctx.api.get("Pod", ds.metadata.namespace, name)) oldPodsToDelete.push(name);
      }
    }
    const candidates = DaemonSetNodeState.firstByName(st.oldAvailable, remainingSurge, names, (n) => !st.oldAvailableNoRun.has(n));
    this.syncNodes(ds, oldPodsToDelete, [...allowedNewNodes, ...candidates], hash);
  }

  /** updateDaemonSet: manage, then the update strategy once the creations and deletions are settled, then history clean-up. */
  private updateDaemonSet(ds: KObject, nodes: KObject[], hash: string, old: KObject[]): void {
    const changed = this.manage(ds, nodes, hash);
    if (!changed && (ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") rollingUpdate(this, ds, nodes, hash);
    cleanupHistory(this, ds, old);
  }

  /** manage: the pods to create and delete so that each node runs what it should. Returns whether it wrote anything. */
  private manage(ds: KObject, nodes: KObject[], hash: string): boolean {
    const nodeToDaemonPods = this.getNodesToDaemonPods(ds, false);
    const nodesNeeding: string[] = [];
    const podsToDelete: string[] = [];
    for (const node of nodes) this.podsShouldBeOnNode(node, nodeToDaemonPods.get(node.metadata.name!), ds, hash, nodesNeeding, podsToDelete);
    podsToDelete.push(...getUnscheduledPodsWithoutNode(nodes, nodeToDaemonPods));
    return this.syncNodes(ds, podsToDelete, nodesNeeding, hash);
  }

  /** podsShouldBeOnNode: whether the node needs a daemon pod, and which of its daemon pods go. */
  private podsShouldBeOnNode(node: KObject, daemonPods: KObject[] | undefined, ds: KObject, hash: string, nodesNeeding: string[], podsToDelete: string[]): void {
    const nodeName = node.metadata.name!;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const exists = daemonPods !== undefined;
    if (shouldRun && !exists) {
      nodesNeeding.push(nodeName);
      return;
    }
    if (shouldContinueRunning) {
      const running: KObject[] = [];
      for (const pod of daemonPods ?? []) {
        if (pod.metadata.deletionTimestamp) continue;
        const phase = pod.status?.phase;
        if (phase === "Failed") {
          // Deleting failed pods fights a kubelet that rejects them: back off per node.
          const backoffKey = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
          const now = this.ctx.clock.now();
          if (this.failedPodsBackoff.isInBackOffSinceUpdate(backoffKey, now)) {
            this.queue.addAfter(objectKey(ds.metadata.namespace, ds.metadata.name!), this.failedPodsBackoff.get(backoffKey));
            continue;
          }
          this.failedPodsBackoff.next(backoffKey, now);
          this.recordEvent(ds, "Warning", "FailedDaemonPod", `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
          podsToDelete.push(pod.metadata.name!);
        } else if (phase === "Succeeded") {
          this.recordEvent(ds, "Normal", "SucceededDaemonPod", `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to delete it`);
          podsToDelete.push(pod.metadata.name!);
        } else running.push(pod);
      }
      if (!allowsSurge(ds)) {
        if (running.length <= 1) return;
        running.sort(compareByCreationTimestampAndPhase);
        for (let i = 1; i < running.length; i++) podsToDelete.push(running[i].metadata.name!);
        return;
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) nodesNeeding.push(nodeName);
        return;
      }
      // Surging: keep the oldest new pod, and the oldest old pod while the new one is not yet available.
      let oldestNew: KObject | undefined;
      let oldestOld: KObject | undefined;
      running.sort(compareByCreationTimestampAndPhase);
      for (const pod of running) {
        if (pod.metadata.labels?.[DAEMONSET_HASH_LABEL] === hash) {
          if (!oldestNew) {
            oldestNew = pod;
            continue;
          }
        } else if (!oldestOld) {
          oldestOld = pod;
          continue;
        }
        podsToDelete.push(pod.metadata.name!);
      }
      if (oldestNew && oldestOld) {
        if (!isPodReady(oldestOld)) podsToDelete.push(oldestOld.metadata.name!);
        else if (isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, this.ctx.clock.now())) podsToDelete.push(oldestOld.metadata.name!);
      }
      return;
    }
    if (exists) {
      for (const pod of daemonPods) if (!pod.metadata.deletionTimestamp) podsToDelete.push(pod.metadata.name!);
    }
  }

  /**
   * syncNodes: deletes the pods and creates a pod on each node (at most BurstReplicas of each,
   * creations in slow-start batches 1, 2, 4, … stopping after a batch with an error). Returns
   * whether it created or deleted anything.
   */
  syncNodes(ds: KObject, podsToDelete: string[], nodesNeeding: string[], hash: string): boolean {
    const api = this.ctx.api;
    const createDiff = Math.min(nodesNeeding.length, BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
    let wrote = false;
    const template = createDiff > 0 ? createPodTemplate(ds.spec?.template, getTemplateGeneration(ds), hash) : undefined;
    let pos = 0;
    for (let batch = Math.min(createDiff, 1); pos < createDiff; batch = Math.min(2 * batch, createDiff - pos)) {
      let failed = false;
      for (let i = pos; i < pos + batch; i++) {
        const t = structuredClone(template!);
        t.spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(t.spec.affinity, nodesNeeding[i]);
        try {
          const pod = api.createOwned(podFromTemplate(t, ds, `${ds.metadata.name}-`));
          this.pods.record(pod, false);
          wrote = true;
          this.recordEvent(ds, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          failed = true;
          this.recordEvent(ds, "Warning", "FailedCreate", `Error creating: ${e.message}`);
        }
      }
      pos += batch;
      if (failed) break;
    }
    if (nodesNeeding.length > createDiff || podsToDelete.length > deleteDiff) this.queue.add(objectKey(ds.metadata.namespace, ds.metadata.name!));
    for (let i = 0; i < deleteDiff; i++) {
      const name = podsToDelete[i];
      try {
        const after = api.delete("Pod", ds.metadata.namespace, name);
        this.pods.record(after, !api.get("Pod", ds.metadata.namespace, name));
        wrote = true;
        this.recordEvent(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason !== "NotFound") this.recordEvent(ds, "Warning", "FailedDelete", `Error deleting: ${e.message}`);
      }
    }
    return wrote;
  }

  /** updateDaemonSetStatus: the counts over the nodes, written when they changed. */
  private updateDaemonSetStatus(ds: KObject, nodes: KObject[], hash: string): void {
    const nodeToDaemonPods = this.getNodesToDaemonPods(ds, false);
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = getTemplateGeneration(ds);
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const pods = nodeToDaemonPods.get(node.metadata.name!) ?? [];
      const scheduled = pods.length > 0;
      if (shouldRun) {
        desired++;
        if (!scheduled) continue;
        current++;
        const pod = [...pods].sort(compareByCreationTimestampAndPhase)[0];
        if (isPodReady(pod)) {
          ready++;
          if (isPodAvailable(pod, minReady, now)) available++;
        }
        if (isPodUpdated(pod, hash, generation)) updated++;
      } else if (scheduled) misscheduled++;
    }
    this.writeStatus(ds, desired, current, misscheduled, ready, updated, available);
  }

  /** The status from the counts, written when it changed. */
  private writeStatus(ds: KObject, desired: number, current: number, misscheduled: number, ready: number, updated: number, available: number): void {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const unavailable = desired - available;
    // DaemonSetStatus in its field order; the omitempty fields only when set.
    const st = ds.status ?? {};
    const next: Record<string, unknown> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
    };
    if (ds.metadata.generation) next.observedGeneration = ds.metadata.generation;
    if (updated) next.updatedNumberScheduled = updated;
    if (available) next.numberAvailable = available;
    if (unavailable) next.numberUnavailable = unavailable;
    if (st.collisionCount !== undefined) next.collisionCount = st.collisionCount;
    if (st.conditions?.length) next.conditions = st.conditions;
    if (!jsonEqual(next, st)) {
      this.ctx.api.mutate("DaemonSet", ds.metadata.namespace, ds.metadata.name!, (d) => (d.status = next), { subresource: "status" });
    }
    if (minReady > 0 && ready !== available) this.queue.addAfter(objectKey(ds.metadata.namespace, ds.metadata.name!), minReady * 1000);
  }
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** getUnscheduledPodsWithoutNode: unbound pods aimed at nodes that no longer exist (the pod GC cannot see them). */
export function getUnscheduledPodsWithoutNode(nodes: KObject[], nodeToDaemonPods: NodeToDaemonPods): string[] {
  const running = new Set(nodes.map((n) => n.metadata.name!));
  const out: string[] = [];
  for (const [node, pods] of nodeToDaemonPods) {
    if (running.has(node)) continue;
    for (const p of pods) if (!p.spec?.nodeName) out.push(p.metadata.name!);
  }
  return out;
}

export function daemonSetsController(ctx: ClusterContext): Component {
  return new DaemonSetsController(ctx);
}
