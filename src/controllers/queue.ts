/**
 * A controller's work queue (client-go's workqueue, simplified): keys are deduplicated while they
 * wait, processed one at a time on the cluster clock at the instant they are due, never inside the
 * watch handler that added them. `addAfter` is the delaying queue (back-offs, requeues);
 * `addRateLimited`/`forget`/`numRequeues` the rate-limiting queue with client-go's per-item
 * exponential failure limiter (DefaultControllerRateLimiter's 5 ms doubling to 1000 s; its overall
 * 10 qps token bucket is left out: it only bites past 100 failing keys at once).
 */
import type { SimClock, TimerHandle } from "../sim/clock.ts";

/** workqueue.DefaultItemBasedRateLimiter's bounds (ItemExponentialFailureRateLimiter). */
export const RATE_LIMIT_BASE_DELAY_MS = 5;
export const RATE_LIMIT_MAX_DELAY_MS = 1000 * 1000;

export class WorkQueue {
  /** Failures and delayed adds, made on first use (most of a cluster's ~30 queues never need them). */
  private failures: Map<string, number> | undefined;
  private readonly dirty = new Set<string>();
  private scheduled: TimerHandle | undefined;
  private delayed: Map<string, { at: number; timer: TimerHandle }> | undefined;
  private stopped = false;

  constructor(
    private readonly clock: SimClock,
    private readonly process: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (!this.scheduled) this.scheduled = this.clock.setTimeout(() => this.drain(), 0);
  }

  /** Adds the key after `ms`; an earlier pending delayed add wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const delayed = (this.delayed ??= new Map());
    const existing = delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clear(existing.timer);
    const timer = this.clock.setTimeout(() => {
      delayed.delete(key);
      this.add(key);
    }, ms);
    delayed.set(key, { at, timer });
  }

  /** The instant a pending delayed add of the key is due (undefined when none is pending). */
  pendingAt(key: string): number | undefined {
    return this.delayed?.get(key)?.at;
  }

  /** AddRateLimited: adds the key after its rate limiter's delay (5 ms, doubling per failure, at most 1000 s). */
  addRateLimited(key: string): void {
    const failures = (this.failures ??= new Map());
    const n = failures.get(key) ?? 0;
    failures.set(key, n + 1);
    this.addAfter(key, Math.min(RATE_LIMIT_BASE_DELAY_MS * 2 ** n, RATE_LIMIT_MAX_DELAY_MS));
  }

  /** Forget: the key's failures are cleared (its next rate-limited add waits the base delay). */
  forget(key: string): void {
    if (this.failures?.size) this.failures.delete(key);
  }

  /** NumRequeues: how many rate-limited adds the key has had since it was last forgotten. */
  numRequeues(key: string): number {
    return this.failures?.get(key) ?? 0;
  }

  get length(): number {
    return this.dirty.size;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clear(this.scheduled);
    if (this.delayed) for (const d of this.delayed.values()) this.clock.clear(d.timer);
    this.delayed?.clear();
    this.dirty.clear();
    this.failures?.clear();
  }

  private drain(): void {
    this.scheduled = undefined;
    // Process what is waiting now; keys added meanwhile wait for the next pass (same instant).
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const k of keys) this.process(k);
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf("/");
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}
