/**
 * The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go): activeQ ordered by
 * PrioritySort (priority, then queue timestamp), backoffQ (1 s doubling to 10 s per attempt) and
 * unschedulablePods, which cluster events move back when they could help the plugins that
 * rejected the pod; pods left there longer than 5 minutes are flushed every 30 s.
 */
import type { KObject } from "../api/types.ts";

export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
export const POD_MAX_IN_UNSCHEDULABLE_PODS_MS = 5 * 60_000;
export const BACKOFF_FLUSH_MS = 1_000;
export const UNSCHEDULABLE_FLUSH_MS = 30_000;

export interface QueuedPodInfo {
  pod: KObject;
  /** The pod's spec.priority (0 when unset), kept with `pod` (PrioritySort's first comparison). */
  readonly priority: number;
  key: string;
  /** When the pod was (re)added to the queue: PrioritySort's tie-break and the backoff start. */
  timestamp: number;
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected the pod in its last attempt (drives which events requeue it). */
  unschedulablePlugins: Set<string>;
  seq: number;
}

/** A cluster event and whether it may help a pod rejected by the given plugins. */
export interface ClusterEvent {
  label: string;
  /** Returns true when the event may make the pod schedulable (QueueingHint: Queue). */
  mayHelp(pInfo: QueuedPodInfo): boolean;
}

/**
 * The queue's record of a pod. `priority` is set whenever `pod` is: PrioritySort compares
 * priorities at every step of the active queue's heap, and reading each from the pod (the pod
 * object, its spec, the field) is three scattered fetches per pod compared where this is one.
 */
class QueuedPod implements QueuedPodInfo {
  private current!: KObject;
  priority = 0;
  initialAttemptTimestamp?: number;
  constructor(
    pod: KObject,
    public key: string,
    public timestamp: number,
    public attempts: number,
    public unschedulablePlugins: Set<string>,
    public seq: number,
  ) {
    this.pod = pod;
  }
  get pod(): KObject {
    return this.current;
  }
  set pod(pod: KObject) {
    this.current = pod;
    this.priority = pod.spec?.priority ?? 0;
  }
}

/** A binary heap with a "less" function. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }
  remove(pred: (x: T) => boolean): T | undefined {
    const i = this.items.findIndex(pred);
    if (i < 0) return undefined;
    const x = this.items[i];
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      this.down(i);
      this.up(i);
    }
    return x;
  }
  find(pred: (x: T) => boolean): T | undefined {
    return this.items.find(pred);
  }
  values(): readonly T[] {
    return this.items;
  }
  private up(i: number): void {
    const a = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l], a[m])) m = l;
      if (r < a.length && this.less(a[r], a[m])) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
  }
}

/** PrioritySort.Less: higher priority first, then earlier timestamp (then arrival order). */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.priority;
  const pb = b.priority;
  if (pa !== pb) return pa > pb;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}

/** calculateBackoffDuration: 1 s doubled per earlier attempt, capped at 10 s. */
export function backoffDuration(attempts: number): number {
  let d = POD_INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    if (d > POD_MAX_BACKOFF_MS - d) return POD_MAX_BACKOFF_MS;
    d += d;
  }
  return d;
}

export class SchedulingQueue {
  private readonly activeQ = new Heap<QueuedPodInfo>(prioritySortLess);
  private readonly backoffQ = new Heap<QueuedPodInfo>((a, b) => this.backoffTime(a) < this.backoffTime(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly known = new Map<string, QueuedPodInfo>();
  private seq = 0;
  /** Cycle counter and the cycle of the last move request (a pod failing in an earlier cycle goes to backoffQ). */
  schedulingCycle = 0;
  private moveRequestCycle = -1;

  constructor(
    private readonly now: () => number,
    /** Called when activeQ gains a pod. */
    private readonly onActive: () => void,
  ) {}

  get activeLength(): number {
    return this.activeQ.size;
  }

  has(key: string): boolean {
    return this.known.has(key);
  }

  info(key: string): QueuedPodInfo | undefined {
    return this.known.get(key);
  }

  add(pod: KObject): void {
    const key = keyOf(pod);
    if (this.known.has(key)) return this.update(pod);
    const p: QueuedPodInfo = new QueuedPod(pod, key, this.now(), 0, new Set(), this.seq++);
    this.known.set(key, p);
    this.activeQ.push(p);
    this.onActive();
  }

  /** An unscheduled pod changed: keep its place, or give an unschedulable pod another chance. */
  update(pod: KObject): void {
    const key = keyOf(pod);
    const p = this.known.get(key);
    if (!p) return this.add(pod);
    const specChanged = JSON.stringify(p.pod.spec) !== JSON.stringify(pod.spec) || JSON.stringify(p.pod.metadata.labels) !== JSON.stringify(pod.metadata.labels);
    p.pod = pod;
    if (this.unschedulable.has(key) && specChanged) {
      this.unschedulable.delete(key);
      this.requeue(p);
    }
  }

  delete(key: string): void {
    const p = this.known.get(key);
    if (!p) return;
    this.known.delete(key);
    this.unschedulable.delete(key);
    this.activeQ.remove((x) => x === p);
    this.backoffQ.remove((x) => x === p);
  }

  /** Next pod to schedule, or undefined. */
  pop(): QueuedPodInfo | undefined {
    const p = this.activeQ.pop();
    if (!p) return undefined;
    p.attempts++;
    if (p.initialAttemptTimestamp === undefined) p.initialAttemptTimestamp = this.now();
    this.schedulingCycle++;
    return p;
  }

  /** The pod failed this cycle: back to unschedulablePods, or backoffQ if something moved meanwhile. */
  addUnschedulable(p: QueuedPodInfo, cycle: number): void {
    if (!this.known.has(p.key)) return;
    p.timestamp = this.now();
    if (this.moveRequestCycle >= cycle || p.unschedulablePlugins.size === 0) this.backoffQ.push(p);
    else this.unschedulable.set(p.key, p);
  }

  /** The pod left the queue (bound). */
  done(key: string): void {
    this.known.delete(key);
  }

  /** movePodsToActiveOrBackoffQueue for every unschedulable pod the event may help. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const [key, p] of this.unschedulable) {
      if (!event.mayHelp(p)) continue;
      this.unschedulable.delete(key);
      this.requeue(p);
    }
  }

  private requeue(p: QueuedPodInfo): void {
    if (this.backoffTime(p) > this.now()) this.backoffQ.push(p);
    else {
      this.activeQ.push(p);
      this.onActive();
    }
  }

  backoffTime(p: QueuedPodInfo): number {
    return p.timestamp + backoffDuration(p.attempts);
  }

  /** flushBackoffQCompleted (every 1 s). */
  flushBackoffQCompleted(): void {
    let moved = false;
    for (;;) {
      const p = this.backoffQ.peek();
      if (!p || this.backoffTime(p) > this.now()) break;
      this.backoffQ.pop();
      this.activeQ.push(p);
      moved = true;
    }
    if (moved) this.onActive();
  }

  /** flushUnschedulablePodsLeftover (every 30 s): pods stuck longer than 5 minutes. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    for (const [key, p] of this.unschedulable) {
      if (now - p.timestamp > POD_MAX_IN_UNSCHEDULABLE_PODS_MS) {
        this.unschedulable.delete(key);
        this.requeue(p);
      }
    }
  }

  /** For explanations and tests: where a pod sits. */
  where(key: string): "active" | "backoff" | "unschedulable" | undefined {
    if (this.unschedulable.has(key)) return "unschedulable";
    if (this.activeQ.find((p) => p.key === key)) return "active";
    if (this.backoffQ.find((p) => p.key === key)) return "backoff";
    return undefined;
  }

  unschedulablePods(): QueuedPodInfo[] {
    return [...this.unschedulable.values()];
  }
}

export function keyOf(pod: KObject): string {
  return `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
}
