/**
 * Per-key exponential back-off, as client-go's util/flowcontrol/backoff.go: the kubelet keeps one
 * for container restarts (CrashLoopBackOff) and one for image pulls, both 10 s doubling to 300 s
 * (pkg/kubelet/kubelet.go backOffPeriod / MaxContainerBackOff). No jitter (the kubelet uses none).
 *
 * An entry "expires" when an event comes more than 2 × max after its last update: the item is
 * considered stable and starts again from the initial delay.
 */
export interface NowFn {
  (): number;
}

export interface BackoffEntry {
  backoff: number;
  lastUpdate: number;
}
type Entry = BackoffEntry;

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  /**
   * Counts entries removed or replaced by a new object (issue #19): while it is the same, an entry
   * object once read is still its key's, so a reader can compare its fields without a lookup.
   */
  generation = 0;

  constructor(
    private readonly now: NowFn,
    readonly initialMs = BACKOFF_INITIAL_MS,
    readonly maxMs = BACKOFF_MAX_MS,
  ) {}

  /** The current delay of a key (0 when it has none). */
  get(id: string): number {
    return this.entries.get(id)?.backoff ?? 0;
  }

  /** A key's entry as it is now (the pod worker's back-off retries compare it: issue #19). Never change it. */
  entry(id: string): Readonly<BackoffEntry> | undefined {
    return this.entries.get(id);
  }

  /** The time of the last Next for a key, if any. */
  lastUpdate(id: string): number | undefined {
    return this.entries.get(id)?.lastUpdate;
  }

  /** Moves a key to its next delay: the initial one when new or expired, else double (capped). */
  next(id: string, eventTime: number): void {
    let entry = this.entries.get(id);
    if (!entry || this.hasExpired(eventTime, entry.lastUpdate)) {
      if (entry) this.generation++;
      entry = { backoff: this.initialMs, lastUpdate: 0 };
      this.entries.set(id, entry);
    } else {
      entry.backoff = Math.min(entry.backoff * 2, this.maxMs);
    }
    entry.lastUpdate = this.now();
  }

  /** Whether less than the delay has passed since `eventTime` (e.g. the container's finishedAt). */
  isInBackOffSince(id: string, eventTime: number): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (this.hasExpired(eventTime, entry.lastUpdate)) return false;
    return this.now() - eventTime < entry.backoff;
  }

  /** Whether `eventTime` falls within the delay after the key's last update (image pulls). */
  isInBackOffSinceUpdate(id: string, eventTime: number): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (this.hasExpired(eventTime, entry.lastUpdate)) return false;
    return eventTime - entry.lastUpdate < entry.backoff;
  }

  reset(id: string): void {
    if (this.entries.delete(id)) this.generation++;
  }

  /** Drops entries not updated for 2 × max (client-go's GC). */
  gc(): void {
    const now = this.now();
    for (const [id, e] of this.entries) {
      if (now - e.lastUpdate > 2 * this.maxMs) {
        this.entries.delete(id);
        this.generation++;
      }
    }
  }

  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }
}
