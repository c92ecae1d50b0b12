/**
 * The garbage collector (pkg/controller/garbagecollector, simplified to the observable rules):
 * - background: once every owner an object lists in ownerReferences is gone, the object is
 *   deleted;
 * - foreground: an owner deleted with propagationPolicy Foreground carries the `foregroundDeletion`
 *   finalizer; its dependents are deleted (foreground themselves), and the finalizer is removed once
 *   no dependent with `blockOwnerDeletion: true` is left, which lets the owner go;
 * - orphan: an owner deleted with propagationPolicy Orphan carries the `orphan` finalizer; the
 *   references to it are removed from its dependents, then the finalizer.
 * Owners are matched by uid through an index the collector keeps from its watch of every kind
 * (the dependency graph builder's role). Dependents whose owners only partly exist lose the
 * dangling references.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import type { StartState } from "../api/store.ts";
import type { KObject } from "../api/types.ts";
import { Controller } from "./controller.ts";

interface Ref {
  kind: string;
  namespace?: string;
  name: string;
}

const refKey = (r: Ref) => `${r.kind}\x00${r.namespace ?? ""}\x00${r.name}`;
const parseRef = (k: string): Ref => {
  const [kind, ns, name] = k.split("\x00");
  return { kind, namespace: ns || undefined, name };
};

/**
 * The graph a collector builds from the ADDED events a restored start queues (`ApiServer.restoreStart`:
 * the system namespaces, the bootstrap policy), per captured start state: uid → reference, in the
 * events' order. Null when one of them would make the graph do more than remember the object (an
 * object with owners, or being deleted with the orphan or foreground finalizer): such a state's
 * events are handled one by one. Shared by every cluster restored from the state; never changed.
 */
const restoredGraphs = new WeakMap<StartState, ReadonlyMap<string, Ref> | null>();

function restoredGraph(state: StartState): ReadonlyMap<string, Ref> | null {
  let graph = restoredGraphs.get(state);
  if (graph !== undefined) return graph;
  const uids = new Map<string, Ref>();
  for (const { object: o, key } of state.events) {
    const meta = o.metadata;
    if (meta.ownerReferences !== undefined || meta.deletionTimestamp) {
      uids.clear();
      break;
    }
    if (o.kind === "Event" || o.kind === "Lease") continue;
    uids.set(meta.uid!, { kind: key, namespace: meta.namespace, name: meta.name! });
  }
  graph = uids.size > 0 || state.events.length === 0 ? uids : null;
  restoredGraphs.set(state, graph);
  return graph;
}

/** Being deleted with the foreground or orphan finalizer (what the collector acts on: `processOwnerBeingDeleted`). */
function beingDeleted(meta: KObject["metadata"]): boolean {
  return !!meta.deletionTimestamp && !!meta.finalizers && (meta.finalizers.includes("foregroundDeletion") || meta.finalizers.includes("orphan"));
}

export class GarbageCollector extends Controller {
  readonly name = "garbage-collector-controller";
  /** uid → the live object's reference. */
  private uids = new Map<string, Ref>();
  /**
   * The fast engine on a restored start (issue #19 §5): how many of the ADDED events the store
   * queued at its restore are still to come; they are in the graph already (`restoredGraph`).
   */
  private restoredToSkip = 0;
  /** owner uid → dependents. */
  private readonly dependents = new Map<string, Set<string>>();
  /** The main queue (syncHandler: attemptToDeleteItem); the orphan/foreground queue has its own. */
  private readonly attemptToDelete = this.queue;
  private readonly attemptToOrphanOrFinish = this.newQueue((k) => this.processOwnerBeingDeleted(parseRef(k)));

  private ownersKnown(o: KObject): boolean {
    for (const r of o.metadata.ownerReferences ?? []) if (!this.uids.has(r.uid)) return false;
    return true;
  }

  protected override syncHandler(key: string): void {
    this.attemptToDeleteItem(parseRef(key));
  }

  /** The graph builder's single handler for every kind (uidToNode, owners → dependents). */
  start(): void {
    const api = this.ctx.api;
    // The fast engine, on a server whose start was restored (`ApiServer.restoreStart`): its restored
    // ADDED events, which this handler would see first (they are the first events queued, and this
    // collector reads its graph only in its handler and its queues' syncs, which run after that
    // dispatch), only add their objects to the graph; the graph computed for the same state
    // before is taken at once instead, and those events are skipped. The same graph when the first
    // other event comes; nothing is queued either way.
    const state = this.ctx.reference ? undefined : api.restoredStart();
    const graph = state && restoredGraph(state);
    if (state && graph) {
      this.uids = new Map(graph);
      this.restoredToSkip = state.events.length;
    }
    this.watch("*", (ev) => {
      if (this.restoredToSkip > 0 && api.isRestoredStartEvent(ev)) {
        this.restoredToSkip--;
        return;
      }
      const o = ev.object;
      const meta = o.metadata;
      // Read once, without a `?? []` per event: every write of every kind comes through here.
      const owners = meta.ownerReferences;
      if (o.kind === "Event" || o.kind === "Lease") {
        if (!owners?.length) return;
      }
      const uid = meta.uid!;
      const old = ev.old?.metadata.ownerReferences;
      // The fast engine (issue #19): a change that keeps the same (frozen) owner references of an
      // object already known, all of whose owners exist, leaves the graph as it is (every set and
      // add below would find its entry) and enqueues nothing: skip it.
      const same = !this.ctx.reference && ev.type === "MODIFIED" && old === owners && this.uids.has(uid) && this.ownersKnown(o);
      const deleting = beingDeleted(meta);
      if (same && !deleting) return;
      // By storage key (the kind for built-in resources), so custom resources are collected too.
      const ref: Ref = { kind: this.ctx.api.keyOf(o), namespace: meta.namespace, name: meta.name! };
      if (ev.type === "DELETED") {
        this.uids.delete(uid);
        if (owners) for (const r of owners) this.dependents.get(r.uid)?.delete(refKey(ref));
        const dependents = this.dependents.get(uid);
        if (dependents) for (const d of dependents) this.attemptToDelete.add(d);
        // An owner waiting in foreground deletion may now be free to go.
        if (owners) {
          for (const r of owners) {
            const owner = this.uids.get(r.uid);
            if (owner) this.attemptToOrphanOrFinish.add(refKey(owner));
          }
        }
        return;
      }
      if (!same) {
        this.uids.set(uid, ref);
        if (old) {
          for (const r of old) {
            const now = owners?.find((x) => x.uid === r.uid);
            if (!now) this.dependents.get(r.uid)?.delete(refKey(ref));
            // addUnblockedOwnersToDeleteQueue: a reference that blocked its owner's deletion and
            // was removed, or no longer blocks, lets an owner waiting in foreground deletion go.
            if (r.blockOwnerDeletion && !now?.blockOwnerDeletion) this.unblocked(r.uid);
          }
        }
        if (owners) {
          for (const r of owners) {
            let s = this.dependents.get(r.uid);
            if (!s) this.dependents.set(r.uid, (s = new Set()));
            s.add(refKey(ref));
            if (!this.uids.has(r.uid)) this.attemptToDelete.add(refKey(ref));
          }
        }
      }
      if (deleting) this.attemptToOrphanOrFinish.add(refKey(ref));
      // (An Event without owner references returns at once: the store need not build a deferred one for it.)
    }, { ignoresOwnerlessEvents: true, statusOnlyWanted: (ev) => this.statusOnlyWanted(ev.object) });
  }

  /**
   * For a change of `o` that changed only its status (the fast engine; `ApiServer.watch`'s
   * `statusOnlyWanted`, issue #19 §1): whether the handler above would do anything. Such a change
   * keeps every metadata value (`statusOnlyChange`), so the previous version's owner references are
   * this one's (`old === owners`) and the handler's `same` is `uids.has(uid) && ownersKnown(o)`; it
   * returns at `same && !deleting` and does nothing else before that (a restored start's events are
   * ADDED; an Event or Lease without owners returns earlier, whatever this answers). Upstream's
   * graph builder (`processGraphChanges`) reads an update's owner references and deletion state only.
   */
  private statusOnlyWanted(o: KObject): boolean {
    return !(this.uids.has(o.metadata.uid!) && this.ownersKnown(o)) || beingDeleted(o.metadata);
  }

  /**
   * graph_builder.go `addUnblockedOwnersToDeleteQueue`: a dependent's reference to `uid` stopped
   * blocking (`blockOwnerDeletion` set false or left out, or the reference removed). Upstream queues
   * the owner for `attemptToDeleteItem`, which for an owner deleting its dependents (being deleted
   * with the foregroundDeletion finalizer) checks whether any dependent still blocks and, if none,
   * removes the finalizer; for any other owner, one being deleted otherwise included, it does
   * nothing it would not do at the owner's own events. So the owner is re-checked here only when it
   * is deleting its dependents.
   */
  private unblocked(uid: string): void {
    const owner = this.uids.get(uid);
    if (!owner) return;
    const meta = this.ctx.api.get(owner.kind, owner.namespace, owner.name)?.metadata;
    if (meta?.deletionTimestamp && meta.finalizers?.includes("foregroundDeletion")) this.attemptToOrphanOrFinish.add(refKey(owner));
  }

  /** A dependent whose owners may be gone or being deleted in the foreground. */
  private attemptToDeleteItem(ref: Ref): void {
    const api = this.ctx.api;
    const obj = api.get(ref.kind, ref.namespace, ref.name);
    if (!obj || !obj.metadata.ownerReferences?.length) return;
    const owners = obj.metadata.ownerReferences;
    const solid = owners.filter((r) => this.uids.has(r.uid));
    const dangling = owners.filter((r) => !this.uids.has(r.uid));
    const waiting = solid.filter((r) => {
      const o = this.uids.get(r.uid)!;
      const owner = api.get(o.kind, o.namespace, o.name);
      return owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes("foregroundDeletion");
    });
    try {
      if (solid.length === 0) {
        if (!obj.metadata.deletionTimestamp) api.delete(ref.kind, ref.namespace, ref.name, { propagationPolicy: "Background" });
        return;
      }
      if (dangling.length > 0) {
        api.mutate(ref.kind, ref.namespace, ref.name, (x) => {
          x.metadata.ownerReferences = x.metadata.ownerReferences!.filter((r) => this.uids.has(r.uid));
        });
        return;
      }
      if (waiting.length === solid.length && !obj.metadata.deletionTimestamp) {
        // All owners are being deleted in the foreground: so is this dependent.
        api.delete(ref.kind, ref.namespace, ref.name, { propagationPolicy: "Foreground" });
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** An owner with the orphan or foregroundDeletion finalizer. */
  private processOwnerBeingDeleted(ref: Ref): void {
    const api = this.ctx.api;
    const owner = api.get(ref.kind, ref.namespace, ref.name);
    if (!owner?.metadata.deletionTimestamp) return;
    const uid = owner.metadata.uid!;
    const deps = [...(this.dependents.get(uid) ?? [])].map(parseRef);
    const fins = owner.metadata.finalizers ?? [];
    try {
      if (fins.includes("orphan")) {
        for (const d of deps) {
          if (!api.get(d.kind, d.namespace, d.name)) continue;
          api.mutate(d.kind, d.namespace, d.name, (x) => {
            x.metadata.ownerReferences = (x.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
            if (!x.metadata.ownerReferences.length) delete x.metadata.ownerReferences;
          });
        }
        this.removeFinalizer(ref, "orphan");
        return;
      }
      if (fins.includes("foregroundDeletion")) {
        let blocking = 0;
        for (const d of deps) {
          const dep = api.get(d.kind, d.namespace, d.name);
          if (!dep) continue;
          const r = dep.metadata.ownerReferences?.find((x) => x.uid === uid);
          if (r?.blockOwnerDeletion) blocking++;
          this.attemptToDelete.add(refKey(d));
        }
        if (blocking === 0) this.removeFinalizer(ref, "foregroundDeletion");
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private removeFinalizer(ref: Ref, finalizer: string): void {
    this.ctx.api.mutate(ref.kind, ref.namespace, ref.name, (x: KObject) => {
      x.metadata.finalizers = (x.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (!x.metadata.finalizers.length) delete x.metadata.finalizers;
    });
  }
}

export function garbageCollector(ctx: ClusterContext): Component {
  return new GarbageCollector(ctx);
}
