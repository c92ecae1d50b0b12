/**
 * client-go's util/flowcontrol.Backoff without jitter: per key, a delay that starts at `initial`,
 * doubles on every Next up to `max`, and is forgotten once the key has been quiet for 2 × max.
 * The DaemonSet controller keys it per (DaemonSet, generation, node) to pace the deletion of
 * failed daemon pods (kube-controller-manager: 1 s initial, 15 min max).
 */
export class Backoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
  ) {}

  /** The current delay of the key (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** Next: starts or doubles the key's delay, as of `now`. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(now, e.lastUpdate)) {
      this.entries.set(key, { backoff: this.initialMs, lastUpdate: now });
      return;
    }
    e.backoff = Math.min(e.backoff * 2, this.maxMs);
    e.lastUpdate = now;
  }

  /** IsInBackOffSinceUpdate: less than the key's delay has passed since its last Next. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(now, e.lastUpdate)) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** GC: forgets the keys quiet for longer than 2 × max. */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (this.hasExpired(now, e.lastUpdate)) this.entries.delete(k);
  }

  private hasExpired(now: number, lastUpdate: number): boolean {
    return now - lastUpdate > 2 * this.maxMs;
  }
}
