/**
 * Issue #19 §1/§3 (the fast engine): the status-only changes of pods without a controller that the
 * watch dispatch did not hand to the watchers that index orphans (`ApiServer.watch`'s
 * `lazyOrphansOf`; the DaemonSet and StatefulSet controllers' pod indexes). A kubelet's status
 * write of such a pod reached each of them only to move the pod to the end of its namespace's
 * orphan bucket with its new version — the order in which a new owner adopts orphans, and the
 * version it reads. The dispatch notes the change here instead, once for all of them, and an index
 * built with this log applies the changes it missed when it reads the namespace's orphans
 * (`PodIndex.orphansIn`): the same pods, versions and order as if it had recorded each in turn.
 *
 * `seq` orders the indexes' own records and the noted changes: each takes the next number, so an
 * index holds a pod's change it missed exactly when the change's number is above its entry's.
 */
import type { KObject } from "./types.ts";

/** A noted change: the pod's version and the number taken at its dispatch. */
export interface OrphanStatusChange {
  readonly pod: KObject;
  readonly seq: number;
}

export class OrphanStatusLog {
  /** The last number taken (by a noted change or an index's record). */
  seq = 0;
  /** Each pod's latest noted change, by namespace and name, while no later event of the pod was dispatched. */
  private readonly byNamespace = new Map<string, Map<string, OrphanStatusChange>>();
  /** How many changes are noted. */
  size = 0;

  /** Notes the dispatch of a status-only change of a pod without a controller (replacing the pod's last one). */
  note(pod: KObject): void {
    const ns = pod.metadata.namespace ?? "";
    let m = this.byNamespace.get(ns);
    if (m === undefined) this.byNamespace.set(ns, (m = new Map()));
    const before = m.size;
    m.set(pod.metadata.name!, { pod, seq: ++this.seq });
    this.size += m.size - before;
  }

  /** Forgets the pod's noted change: another event of it was dispatched to every watcher, which recorded it. */
  drop(namespace: string | undefined, name: string): void {
    const m = this.byNamespace.get(namespace ?? "");
    if (m !== undefined && m.delete(name)) {
      this.size--;
      if (m.size === 0) this.byNamespace.delete(namespace ?? "");
    }
  }

  /** Whether a change of this pod is noted. */
  has(namespace: string | undefined, name: string): boolean {
    return this.byNamespace.get(namespace ?? "")?.has(name) ?? false;
  }

  /** The namespace's noted changes by pod name (read only). */
  inNamespace(namespace: string | undefined): ReadonlyMap<string, OrphanStatusChange> | undefined {
    return this.byNamespace.get(namespace ?? "");
  }
}
