/**
 * A controller's informer index of pods: by their controller's uid, and orphans by namespace. It
 * is fed by the pod watch and by the controller's own writes (record), so a sync never acts on a
 * stale view of what it has just created, changed or deleted (the role upstream's expectations
 * play). Versions older than the one indexed are ignored.
 */
import type { KObject } from "../../api/types.ts";
import type { OrphanStatusChange, OrphanStatusLog } from "../../api/orphanstatus.ts";
import { objectKey } from "../queue.ts";
import { controllerRef } from "./pod.ts";

export class PodIndex {
  /**
   * `ownerKind` (the fast engine, issue #19): the controller reads only the buckets of its own kind's
   * owners and the orphans, so a pod whose controller is of another kind is not indexed unless it
   * already is (it may have been an orphan, or ours): every bucket the controller reads holds the
   * same pods, in the same order, as without the filter.
   * `log` (the fast engine, issue #19): the API server's `orphanStatus`, for an index fed by a watch
   * with `lazyOrphansOf` — the status-only changes of orphans that the dispatch did not hand to it
   * are applied when the namespace's orphans are read (`orphansIn`), each as `record` would have
   * applied it at its dispatch: the same versions in the same order. Each record takes a number
   * from the log, so the order of the records and the changes is known. `onChange` is told of such
   * a change when it is applied (a version without a controller replaced by another: the owner's
   * `onChange` must do nothing for one, as the DaemonSet controller's does).
   */
  constructor(
    private readonly ownerKind?: string,
    private readonly log?: OrphanStatusLog,
  ) {}

  private readonly byOwner = new Map<string, Bucket>();
  private readonly orphans = new Map<string, Bucket>();
  /** Where each pod (by namespace/name) is indexed now. */
  private readonly where = new Map<string, Entry>();
  /**
   * With a log: the number taken when a pod with a noted change was removed (by a record of its
   * deletion), by namespace/name: a change noted before it is not applied (the removal came later).
   */
  private removedAt: Map<string, number> | undefined;
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
    // A change of this pod noted and not applied yet comes first (it was dispatched before).
    if (this.log !== undefined && this.log.size > 0) {
      const c = this.log.inNamespace(pod.metadata.namespace)?.get(pod.metadata.name!);
      if (c !== undefined) this.applyNoted(pod.metadata.namespace, new Map([[pod.metadata.name!, c]]));
    }
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
      const log = this.log;
      if (log !== undefined && log.has(pod.metadata.namespace, pod.metadata.name!)) (this.removedAt ??= new Map()).set(key, ++log.seq);
      this.onChange?.(current, undefined);
      return;
    }
    const nb = this.bucket(pod);
    const seq = this.log === undefined ? 0 : ++this.log.seq;
    if (e) {
      // A new version at the end of its (new) bucket's order, as a delete and a set of the key.
      e.bucket.remove(e);
      e.pod = pod;
      e.bucket = nb;
      e.seq = seq;
      nb.append(e);
    } else {
      const ne: Entry = { pod, bucket: nb, prev: undefined, next: undefined, seq };
      nb.append(ne);
      this.where.set(key, ne);
    }
    this.onChange?.(current, pod);
  }

  /**
   * Applies the namespace's noted changes this index has not seen (`log`): each one whose number is
   * above its pod's entry's, or of a pod not indexed and not removed since, as `record` would have
   * (a version older than the entry's of the same pod is ignored) — into the orphans' bucket, at its
   * place by number. Records take increasing numbers and append, so every bucket is in number order.
   */
  private applyNoted(namespace: string | undefined, noted: ReadonlyMap<string, OrphanStatusChange>): void {
    const moved = new Set<Bucket>();
    for (const [name, c] of noted) {
      const key = objectKey(namespace, name);
      const e = this.where.get(key);
      const pod = c.pod;
      if (e !== undefined) {
        if (c.seq <= e.seq) continue;
        const current = e.pod;
        if (current.metadata.uid === pod.metadata.uid && Number(current.metadata.resourceVersion) > Number(pod.metadata.resourceVersion)) continue;
        const nb = this.bucket(pod);
        e.bucket.remove(e);
        e.pod = pod;
        e.bucket = nb;
        e.seq = c.seq;
        nb.append(e);
        moved.add(nb);
        this.onChange?.(current, pod);
      } else {
        const removed = this.removedAt?.get(key);
        if (removed !== undefined && removed > c.seq) continue;
        const nb = this.bucket(pod);
        const ne: Entry = { pod, bucket: nb, prev: undefined, next: undefined, seq: c.seq };
        nb.append(ne);
        this.where.set(key, ne);
        moved.add(nb);
        this.onChange?.(undefined, pod);
      }
      this.removedAt?.delete(key);
    }
    for (const b of moved) b.sortBySeq();
  }

  /** The pods whose controller has this uid. */
  owned(uid: string): KObject[] {
    const b = this.byOwner.get(uid);
    if (b === undefined) return [];
    // A noted change of a pod of the same name (another pod before it, without a controller) may
    // move an entry out of an owner's bucket: applied first.
    if (this.log !== undefined && this.log.size > 0) {
      for (let e = b.first(); e !== undefined; ) {
        const next = e.next;
        const c = this.log.inNamespace(e.pod.metadata.namespace)?.get(e.pod.metadata.name!);
        if (c !== undefined && c.seq > e.seq) this.applyNoted(e.pod.metadata.namespace, new Map([[e.pod.metadata.name!, c]]));
        e = next;
      }
    }
    return b.pods();
  }

  /** The namespace's pods without a controller. */
  orphansIn(namespace: string | undefined): KObject[] {
    if (this.log !== undefined && this.log.size > 0) {
      const noted = this.log.inNamespace(namespace);
      if (noted !== undefined) this.applyNoted(namespace, noted);
    }
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
  /** The number its last record (or applied change) took from the log (0 without one). */
  seq: number;
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

  first(): Entry | undefined {
    return this.head;
  }

  /** Puts the entries in the order of their numbers (a stable sort: the list is in that order but for entries just appended). */
  sortBySeq(): void {
    const all: Entry[] = [];
    for (let e = this.head; e !== undefined; e = e.next) all.push(e);
    all.sort((a, b) => a.seq - b.seq);
    this.head = this.tail = undefined;
    this.size = 0;
    for (const e of all) this.append(e);
  }

  pods(): KObject[] {
    const out: KObject[] = [];
    for (let e = this.head; e !== undefined; e = e.next) out.push(e.pod);
    return out;
  }
}
