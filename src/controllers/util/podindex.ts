/**
 * A controller's informer index of pods: by their controller's uid, and orphans by namespace. It
 * is fed by the pod watch and by the controller's own writes (record), so a sync never acts on a
 * stale view of what it has just created, changed or deleted (the role upstream's expectations
 * play). Versions older than the one indexed are ignored.
 */
import type { KObject } from "../../api/types.ts";
import { objectKey } from "../queue.ts";
import { controllerRef } from "./pod.ts";

export class PodIndex {
  /**
   * `ownerKind` (the fast engine, issue #19): the controller reads only the buckets of its own kind's
   * owners and the orphans, so a pod whose controller is of another kind is not indexed unless it
   * already is (it may have been an orphan, or ours): every bucket the controller reads holds the
   * same pods, in the same order, as without the filter.
   */
  constructor(private readonly ownerKind?: string) {}

  private readonly byOwner = new Map<string, Map<string, KObject>>();
  private readonly orphans = new Map<string, Map<string, KObject>>();
  /** Where each pod (by namespace/name) is indexed now. */
  private readonly where = new Map<string, Map<string, KObject>>();
  /** Told of every change of the index: the version replaced (if any) and the new one (none when gone). */
  onChange: ((before: KObject | undefined, after: KObject | undefined) => void) | undefined;

  private bucket(pod: KObject): Map<string, KObject> {
    const uid = controllerRef(pod)?.uid;
    const [m, k] = uid ? [this.byOwner, uid] : [this.orphans, pod.metadata.namespace ?? ""];
    let b = m.get(k);
    if (!b) m.set(k, (b = new Map()));
    return b;
  }

  /** Records a pod version (newer than the indexed one only); `gone` removes it. */
  record(pod: KObject, gone: boolean): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name!);
    const b = this.where.get(key);
    if (!b && this.ownerKind !== undefined) {
      const ref = controllerRef(pod);
      if (ref && ref.kind !== this.ownerKind) return;
    }
    const current = b?.get(key);
    if (current && current.metadata.uid === pod.metadata.uid && Number(current.metadata.resourceVersion) > Number(pod.metadata.resourceVersion)) return;
    if (gone) {
      if (current && current.metadata.uid !== pod.metadata.uid) return;
      if (!current) return;
      b!.delete(key);
      this.where.delete(key);
      this.onChange?.(current, undefined);
      return;
    }
    b?.delete(key);
    const nb = this.bucket(pod);
    nb.set(key, pod);
    this.where.set(key, nb);
    this.onChange?.(current, pod);
  }

  /** The pods whose controller has this uid. */
  owned(uid: string): KObject[] {
    return [...(this.byOwner.get(uid)?.values() ?? [])];
  }

  /** The namespace's pods without a controller. */
  orphansIn(namespace: string | undefined): KObject[] {
    return [...(this.orphans.get(namespace ?? "")?.values() ?? [])];
  }

  /** Forgets an owner's bucket once it is empty (the owner was deleted). */
  dropOwner(uid: string): void {
    const b = this.byOwner.get(uid);
    if (b && b.size === 0) this.byOwner.delete(uid);
  }
}
