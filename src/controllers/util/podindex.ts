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

  private readonly byOwner = new Map<string, Bucket>();
  private readonly orphans = new Map<string, Bucket>();
  /** Where each pod (by namespace/name) is indexed now. */
  private readonly where = new Map<string, Entry>();
  /** Told of every change of the index: the version replaced (if any) and the new one (none when gone). */
  onChange: ((before: KObject | undefined, after: KObject | undefined) => void) | undefined;

  private bucket(pod: KObject): Bucket {
    const uid = controllerRef(pod)?.uid;
    const [m, k] = uid ? [this.byOwner, uid] : [this.orphans, pod.metadata.namespace ?? ""];
    let b = m.get(k);
    if (!b) m.set(k, (b = new Bucket()));
    return b;
  }

  /** Records a pod version (newer than the indexed one only); `gone` removes it. */
  record(pod: KObject, gone: boolean): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name!);
    const e = this.where.get(key);
    if (!e && this.ownerKind !== undefined) {
      const ref = controllerRef(pod);
      if (ref && ref.kind !== this.ownerKind) return;
    }
    const current = e?.pod;
    if (current && current.metadata.uid === pod.metadata.uid && Number(current.metadata.resourceVersion) > Number(pod.metadata.resourceVersion)) return;
    if (gone) {
      if (current && current.metadata.uid !== pod.metadata.uid) return;
      if (!e) return;
      e.bucket.remove(e);
      this.where.delete(key);
      this.onChange?.(current, undefined);
      return;
    }
    const nb = this.bucket(pod);
    if (e) {
      // A new version at the end of its (new) bucket's order, as a delete and a set of the key.
      e.bucket.remove(e);
      e.pod = pod;
      e.bucket = nb;
      nb.append(e);
    } else {
      const ne: Entry = { pod, bucket: nb, prev: undefined, next: undefined };
      nb.append(ne);
      this.where.set(key, ne);
    }
    this.onChange?.(current, pod);
  }

  /** The pods whose controller has this uid. */
  owned(uid: string): KObject[] {
    return this.byOwner.get(uid)?.pods() ?? [];
  }

  /** The namespace's pods without a controller. */
  orphansIn(namespace: string | undefined): KObject[] {
    return this.orphans.get(namespace ?? "")?.pods() ?? [];
  }

  /** Forgets an owner's bucket once it is empty (the owner was deleted). */
  dropOwner(uid: string): void {
    const b = this.byOwner.get(uid);
    if (b && b.size === 0) this.byOwner.delete(uid);
  }
}

/** An indexed pod: its version and its place in its bucket. */
interface Entry {
  pod: KObject;
  bucket: Bucket;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/**
 * A bucket's pods in the order they were last recorded (issue #19: the order of a Map whose key is
 * deleted and set again at each record), as a list: a new version of a pod moves its entry to the
 * end without touching any Map. An owner adopts orphans in this order.
 */
class Bucket {
  size = 0;
  private head: Entry | undefined;
  private tail: Entry | undefined;

  append(e: Entry): void {
    e.prev = this.tail;
    e.next = undefined;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
    this.size++;
  }

  remove(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
    this.size--;
  }

  pods(): KObject[] {
    const out: KObject[] = [];
    for (let e = this.head; e !== undefined; e = e.next) out.push(e.pod);
    return out;
  }
}
