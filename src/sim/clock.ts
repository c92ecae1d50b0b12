/**
 * The simulated clock of one cluster: a private `@sinonjs/fake-timers` clock, so nothing global
 * is touched and nothing ever waits on the wall clock. Every component schedules its work here;
 * `advance(ms)` runs every timer due within that span, in time order (ties in creation order).
 */
import FakeTimers from "@sinonjs/fake-timers";

export type TimerHandle = { readonly id: unknown; cancelled?: boolean };

/** Thrown when simulated work at a single instant never settles (a runaway loop). */
export class RunawayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunawayError";
  }
}

export const DEFAULT_START = "2024-01-08T00:00:00Z";

/** How many timers may fire at one simulated instant before we call it a runaway. */
const MAX_TIMERS_PER_INSTANT = 200_000;

export class SimClock {
  private readonly clock: FakeTimers.Clock;
  /**
   * Zero-delay work runs at the same simulated instant, after the callback that scheduled it
   * (fake-timers would push it 1 ms later when scheduled during a tick).
   */
  private readonly immediate: Array<{ fn: () => void; handle: TimerHandle }> = [];
  private draining = false;
  private firedAtInstant = 0;
  private instant = -1;
  /** Number of timer callbacks run since the clock was created (for benchmarks). */
  fired = 0;

  constructor(start: string | number = DEFAULT_START) {
    const ms = typeof start === "number" ? start : Date.parse(start);
    if (Number.isNaN(ms)) throw new Error(`invalid start time ${JSON.stringify(start)}: use RFC 3339, e.g. 2024-01-08T00:00:00Z`);
    this.clock = FakeTimers.createClock(ms, 1_000_000);
  }

  /** Milliseconds since the epoch, simulated. */
  now(): number {
    return this.clock.now;
  }

  /** The simulated instant as RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
  nowRFC3339(): string {
    return toRFC3339(this.clock.now);
  }

  /** RFC 3339 with microseconds, as metav1.MicroTime (Lease renewTime, events.k8s.io eventTime). */
  nowMicroRFC3339(): string {
    return new Date(this.clock.now).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    if (!(delayMs > 0)) {
      const handle: TimerHandle = { id: undefined };
      this.immediate.push({ fn, handle });
      return handle;
    }
    return { id: this.clock.setTimeout(() => this.run(fn), delayMs) };
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    if (!(periodMs > 0)) throw new Error(`interval period must be positive, got ${periodMs}`);
    return { id: this.clock.setInterval(() => this.run(fn), periodMs) };
  }

  clear(handle: TimerHandle | undefined): void {
    if (!handle) return;
    handle.cancelled = true;
    if (handle.id !== undefined) this.clock.clearTimeout(handle.id as never);
  }

  /** Runs every timer due within `ms` from now, then leaves the clock at now + ms. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.settle();
    this.clock.tick(ms);
    this.settle();
  }

  /** Runs the work due at the current instant (zero-delay timers and what they schedule at once). */
  settle(): void {
    this.drain();
    this.clock.tick(0);
    this.drain();
  }

  /** Whether work is waiting at the current instant. */
  get busy(): boolean {
    return this.immediate.length > 0;
  }

  /**
   * Runs time forward to the next due timer and everything due at that instant; returns false when
   * no timer is pending. For clients that wait for a condition (kubectl delete --wait, drain) and
   * must stop at the instant it becomes true, as a watch would, rather than at a step boundary.
   */
  runNext(): boolean {
    if (this.clock.countTimers() === 0) return false;
    this.clock.next();
    this.clock.tick(0);
    return true;
  }

  /** Reset the clock to a new start instant. Only allowed before anything was scheduled. */
  setTime(ms: number): void {
    this.clock.setSystemTime(ms);
  }

  private run(fn: () => void): void {
    this.count();
    fn();
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.immediate.length > 0) {
        const next = this.immediate.shift()!;
        if (next.handle.cancelled) continue;
        this.count();
        next.fn();
      }
    } finally {
      this.draining = false;
    }
  }

  private count(): void {
    const now = this.clock.now;
    if (now !== this.instant) {
      this.instant = now;
      this.firedAtInstant = 0;
    }
    this.fired++;
    if (++this.firedAtInstant > MAX_TIMERS_PER_INSTANT) {
      this.immediate.length = 0;
      throw new RunawayError(
        `more than ${MAX_TIMERS_PER_INSTANT} timers fired at the simulated instant ${toRFC3339(now)}: ` +
          `something in the simulation loops without letting time pass`,
      );
    }
  }
}

export function toRFC3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}
