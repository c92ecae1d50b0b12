/**
 * A controller's work queue (client-go's workqueue, simplified): keys are deduplicated while they
 * wait, processed one at a time on the cluster clock at the instant they are due, never inside the
 * watch handler that added them. `addAfter` is the delaying queue (back-offs, requeues).
 */
import type { SimClock, TimerHandle } from "../sim/clock.ts";

export class WorkQueue {
  private readonly dirty = new Set<string>();
  private scheduled: TimerHandle | undefined;
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle }>();
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
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clear(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  get length(): number {
    return this.dirty.size;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clear(this.scheduled);
    for (const d of this.delayed.values()) this.clock.clear(d.timer);
    this.delayed.clear();
    this.dirty.clear();
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
