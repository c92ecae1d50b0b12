/**
 * The simulated clock of one cluster: nothing global is touched and nothing ever waits on the wall
 * clock. Every component schedules its work here; `advance(ms)` runs every timer due within that
 * span, in time order (ties in creation order).
 *
 * The timer queue is a binary heap of its own that keeps `@sinonjs/fake-timers`' semantics exactly
 * (the project ran on a fake-timers clock until issue #19, and every transcript depends on its
 * order): timers are ordered by their due instant, then by an order counter taken when a timer is
 * created and again each time an interval fires (before its callback runs); a delay is truncated
 * as fake-timers does (`parseInt(String(delay))`, 1 ms for a zero delay set during a tick, 1 ms for
 * a delay beyond 2^31-1 ms); an exception thrown by a callback is kept while the rest of the tick
 * runs and thrown at its end. What it drops is fake-timers' generality (Date, microtasks, animation
 * frames, a linear scan of every timer at the end of each tick), which made each firing cost about
 * six times a plain heap's (bench/clock.ts). `clock.test.ts` runs random schedules on both and
 * compares every firing.
 */

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
/** How often (in timer firings) the watchdog runs and samples the firing callback. */
const WATCH_EVERY = 256;
/** Node's (and fake-timers') largest delay: a longer one fires after 1 ms. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** One pending timer: due at `callAt`, ties broken by `order`; `interval` undefined for a one-shot. */
interface Timer {
  callAt: number;
  order: number;
  readonly interval: number | undefined;
  readonly fn: () => void;
  /** Position in the heap; -1 once it is no longer pending. */
  index: number;
  /** A dormant interval (`TimerQueue.sleep`): it keeps its place in the queue but runs no callback. */
  dormant?: boolean;
  /** Firings without a callback since it last went dormant. */
  skipped?: number;
}

function before(a: Timer, b: Timer): boolean {
  return a.callAt < b.callAt || (a.callAt === b.callAt && a.order < b.order);
}

/** fake-timers' nanoRemainder: the sub-millisecond part of a tick, in ns. */
function nanoRemainder(msFloat: number): number {
  const remainder = (msFloat * 1e6) % 1e6;
  return Math.floor(remainder < 0 ? remainder + 1e6 : remainder);
}

/**
 * The timer queue (fake-timers' semantics, see the file comment).
 */
export class TimerQueue {
  now: number;
  private nanos = 0;
  private duringTick = false;
  private orderSeq = 0;
  private readonly heap: Timer[] = [];

  constructor(start: number) {
    this.now = Math.floor(start);
  }

  /** setTimeout (`interval` undefined) or setInterval, with fake-timers' conversions of the delay. */
  add(fn: () => void, delayMs: number, interval?: number): Timer {
    if (interval !== undefined) {
      // fake-timers' setInterval: the period is parseInt'ed, then a non-finite or too long one is 1 ms.
      delayMs = interval = parseInt(String(interval), 10);
      if (!Number.isFinite(interval) || interval > MAX_TIMEOUT) interval = 1;
    }
    let delay = Number.isFinite(delayMs) ? delayMs : 0;
    if (delay > MAX_TIMEOUT) delay = 1;
    if (delay < 0) delay = 0;
    const whole = Number.isInteger(delay) ? delay : parseInt(String(delay));
    const t: Timer = { callAt: this.now + (whole || (this.duringTick ? 1 : 0)), order: this.orderSeq++, interval, fn, index: -1 };
    this.push(t);
    return t;
  }

  remove(t: Timer): void {
    const i = t.index;
    if (i < 0) return;
    const h = this.heap;
    const last = h.pop()!;
    t.index = -1;
    if (last === t) return;
    h[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  get size(): number {
    return this.heap.length;
  }

  /**
   * Makes an interval dormant: from now on its firings keep happening on the queue — each takes
   * its next due instant and a new order number at its turn, exactly as a firing does — but run no
   * callback (see `SimClock.sleep` for why this is exact). Counts the firings skipped from 0.
   */
  sleep(t: Timer): void {
    if (t.interval === undefined) throw new Error("only an interval can go dormant");
    if (t.index < 0) return;
    t.dormant = true;
    t.skipped = 0;
  }

  /** Ends an interval's dormancy; returns how many firings it skipped since `sleep`. */
  wake(t: Timer): number {
    if (!t.dormant) return 0;
    t.dormant = false;
    return t.skipped ?? 0;
  }

  /** fake-timers' tick: fires every timer due up to now + ms in order, then sets now. */
  tick(msFloat: number): void {
    if (msFloat < 0) throw new TypeError("Negative ticks are not supported");
    const ms = Math.floor(msFloat);
    let nanosTotal = this.nanos + nanoRemainder(msFloat);
    let tickTo = this.now + ms;
    if (nanosTotal >= 1e6) {
      tickTo += 1;
      nanosTotal -= 1e6;
    }
    this.nanos = nanosTotal;
    this.duringTick = true;
    let firstException: unknown;
    const h = this.heap;
    while (h.length > 0 && h[0].callAt <= tickTo) {
      const t = h[0];
      this.now = t.callAt;
      try {
        this.fire(t);
      } catch (e) {
        // As fake-timers does (`firstException ||= e`): the first truthy exception is rethrown at the end.
        firstException ||= e;
      }
    }
    this.duringTick = false;
    this.now = tickTo;
    this.nanos = nanosTotal;
    if (firstException) throw firstException;
  }

  /** fake-timers' next: fires the first pending timer (time moves to it); false when none. */
  next(): boolean {
    const t = this.heap[0];
    if (!t) return false;
    this.duringTick = true;
    try {
      this.now = t.callAt;
      this.fire(t);
    } finally {
      this.duringTick = false;
    }
    return true;
  }

  /** fake-timers' setSystemTime: moves now and every pending timer by the same amount. */
  setSystemTime(ms: number): void {
    const difference = ms - this.now;
    this.now = ms;
    this.nanos = 0;
    for (const t of this.heap) t.callAt += difference;
  }

  /** callTimer: an interval is due again one period later with a new order, before its callback runs. */
  private fire(t: Timer): void {
    if (t.interval !== undefined) {
      t.callAt += t.interval;
      t.order = this.orderSeq++;
      this.down(0);
      if (t.dormant) {
        t.skipped!++;
        return;
      }
    } else {
      this.remove(t);
    }
    t.fn();
  }

  private push(t: Timer): void {
    t.index = this.heap.length;
    this.heap.push(t);
    this.up(t.index);
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = h[p];
      if (!before(t, q)) break;
      h[i] = q;
      q.index = i;
      i = p;
    }
    h[i] = t;
    t.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    if (i >= n) return;
    const t = h[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r], h[l]) ? r : l;
      const child = h[c];
      if (!before(child, t)) break;
      h[i] = child;
      child.index = i;
      i = c;
    }
    h[i] = t;
    t.index = i;
  }
}

export class SimClock {
  private readonly clock: TimerQueue;
  /**
   * Zero-delay work runs at the same simulated instant, after the callback that scheduled it
   * (fake-timers would push it 1 ms later when scheduled during a tick).
   */
  private readonly immediate: Array<{ fn: () => void; handle: TimerHandle }> = [];
  private draining = false;
  /** Callbacks of this clock running now (a timer's, or zero-delay work's): see `zeroDelayIsNext`. */
  private running = 0;
  private firedAtInstant = 0;
  private instant = -1;
  /** Number of timer callbacks run since the clock was created (for benchmarks). */
  fired = 0;
  /** Live periodic timers, for estimating what an advance will cost (see estimateFirings). */
  private readonly intervals = new Map<unknown, { period: number; fn: () => void }>();
  /**
   * Called every WATCH_EVERY timer firings while set: the Cluster's wall-time budget per advance
   * (it throws a RunawayError to stop). Also samples which callbacks fire (see busiestTimers).
   */
  watchdog: (() => void) | undefined;
  private samples = new Map<string, number>();
  /** Set once a runaway was declared: nothing runs any more (fake-timers would go on after a throw). */
  private halted: RunawayError | undefined;

  constructor(start: string | number = DEFAULT_START) {
    const ms = typeof start === "number" ? start : Date.parse(start);
    if (Number.isNaN(ms)) throw new Error(`invalid start time ${JSON.stringify(start)}: use RFC 3339, e.g. 2024-01-08T00:00:00Z`);
    this.clock = new TimerQueue(ms);
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
    const now = this.clock.now;
    if (now !== this.microAt) {
      this.microAt = now;
      this.microText = new Date(now).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
    }
    return this.microText;
  }
  private microAt = NaN;
  private microText = "";

  /**
   * How many timers were set on this clock (one-shot, zero-delay, intervals, chains): a caller can
   * tell that some code set none (a component started late must not: `Cluster.startLate`).
   */
  get timersSet(): number {
    return this.setCount;
  }
  private setCount = 0;

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    this.setCount++;
    if (!(delayMs > 0)) {
      const handle: TimerHandle = { id: undefined };
      this.immediate.push({ fn, handle });
      return handle;
    }
    return { id: this.clock.add(() => this.run(fn), delayMs) };
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    if (!(periodMs > 0)) throw new Error(`interval period must be positive, got ${periodMs}`);
    this.setCount++;
    const id = this.clock.add(() => this.run(fn), periodMs, periodMs);
    this.intervals.set(id, { period: periodMs, fn });
    return { id };
  }

  /**
   * An interval that stands for a chain of one-shot timers, each set again by its predecessor's
   * callback as the last thing there that takes an order number (a shell loop's `sleep`, issue
   * #19): `setTimeout(f, p)` at T whose callback, at T + p, ends with `setTimeout(f, p)` again.
   * An interval's firing takes its new order number before its callback, the chain's callback
   * takes it at the end; with nothing in between taking one, both are the same number. It exists
   * so that the chain can go dormant (`sleep`): it is not counted by `estimateFirings`, since the
   * chain it stands for is not (one-shot timers are not), and the caller goes back to one-shot
   * timers whenever its callback runs. The period must be a whole number of ms in [1, 2^31-1]
   * (a one-shot delay and an interval's period are truncated alike only there).
   */
  setChain(fn: () => void, periodMs: number): TimerHandle {
    if (!Number.isInteger(periodMs) || periodMs < 1 || periodMs > MAX_TIMEOUT) throw new Error(`chain period must be a whole number of ms in [1, 2^31-1], got ${periodMs}`);
    this.setCount++;
    const id = this.clock.add(() => this.run(fn), periodMs, periodMs);
    this.chains.add(id);
    return { id };
  }
  /** Live chains (setChain): dormant-capable intervals not counted in estimateFirings. */
  private readonly chains = new Set<unknown>();

  /**
   * About how many periodic timer callbacks advancing by `ms` would run (one-shot timers not
   * counted). Dormant intervals count too: the estimate decides whether an advance is refused, which
   * must not depend on the engine (the reference engine has no dormant intervals).
   */
  estimateFirings(ms: number): number {
    let n = 0;
    for (const { period } of this.intervals.values()) n += Math.floor(ms / period);
    return n;
  }

  /**
   * Dormant intervals (issue #19): `sleep(handle)` stops an interval's callback from running while
   * the interval itself goes on. Each of its firings still happens on the queue at its turn — the
   * chain takes its next due instant and a new order number exactly where a firing would — but
   * nothing runs (no callback, not counted in `fired`, no zero-delay drain). `wake(handle)` lets
   * its next firing run its callback again and says how many it skipped.
   *
   * Why a caller may use it without changing anything anyone sees: timers due at one instant run
   * by (due instant, order number), and the order numbers come from one counter that is only ever
   * compared, never shown. A dormant interval's skipped firings take the same numbers from the
   * counter at the same moments as its firings would, so every other timer keeps its number and
   * its place, and so does the chain itself: when it wakes at instant W (an input of its callback
   * changed, in some callback at W), its next due instant and order number are the very ones it
   * would have had — its own firing at W, if due at W, has run already if and only if its turn at
   * W came before the waking callback's. So a callback that would have done nothing observable at
   * every firing while dormant (its caller's duty: it must wake the interval when an input
   * changes, and account for what the skipped firings would have left behind, such as counters)
   * can sleep, and the schedule stays the reference engine's firing by firing.
   *
   * The cost of a dormant firing is one step of the heap (re-keying the interval), not a callback.
   * A log of the counter per instant would let dormant chains leave the heap altogether and have
   * their place replayed on waking (a binary search per skipped period), at the price of keys with
   * a second component and a log kept as long as any chain sleeps; the heap step is cheap enough
   * that we keep the simpler scheme (docs/performance.md, "Probes that do not tick").
   */
  sleep(handle: TimerHandle): void {
    if (handle.cancelled || !(this.intervals.has(handle.id) || this.chains.has(handle.id))) throw new Error("only a live interval can go dormant");
    this.clock.sleep(handle.id as Timer);
  }

  /** Ends a dormant interval's sleep (nothing for an interval awake); returns the firings it skipped. */
  wake(handle: TimerHandle): number {
    if (handle.id === undefined) return 0;
    return this.clock.wake(handle.id as Timer);
  }

  isDormant(handle: TimerHandle | undefined): boolean {
    return handle?.id !== undefined && (handle.id as Timer).dormant === true && (handle.id as Timer).index >= 0;
  }

  /** Firings skipped by a dormant interval since it went dormant (each at its own instant, see `nextDue`). */
  skipped(handle: TimerHandle): number {
    return (handle.id as Timer | undefined)?.skipped ?? 0;
  }

  /**
   * The instant an interval fires next. At the current instant, `nextDue(h) > now()` for an
   * interval whose chain includes now means its firing at now has happened (in order) already.
   */
  nextDue(handle: TimerHandle): number {
    return (handle.id as Timer).callAt;
  }

  /** The live periodic timers grouped by period and callback, most frequent first (for error messages). */
  describeIntervals(top = 4): string {
    const groups = new Map<string, { period: number; count: number; src: string }>();
    for (const { period, fn } of this.intervals.values()) {
      const src = sourceOf(fn);
      const k = `${period}|${src}`;
      const g = groups.get(k) ?? { period, count: 0, src };
      g.count++;
      groups.set(k, g);
    }
    return [...groups.values()]
      .sort((a, b) => b.count / b.period - a.count / a.period)
      .slice(0, top)
      .map((g) => `${g.count} × every ${formatPeriod(g.period)}: ${g.src}`)
      .join("; ");
  }

  /** The callbacks seen most often by the watchdog's sampling since the last reset, with their share. */
  busiestTimers(top = 3): string {
    const total = [...this.samples.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return "(no samples)";
    return [...this.samples.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([src, n]) => `${Math.round((100 * n) / total)}% ${src}`)
      .join("; ");
  }

  resetSamples(): void {
    this.samples = new Map();
  }

  clear(handle: TimerHandle | undefined): void {
    if (!handle) return;
    handle.cancelled = true;
    if (handle.id !== undefined) {
      this.clock.remove(handle.id as Timer);
      this.intervals.delete(handle.id);
      this.chains.delete(handle.id);
    }
  }

  /** Runs every timer due within `ms` from now, then leaves the clock at now + ms. */
  advance(ms: number): void {
    if (this.halted) throw this.halted;
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.settle();
    this.clock.tick(ms);
    this.settle();
  }

  /** Runs the work due at the current instant (zero-delay timers and what they schedule at once). */
  settle(): void {
    if (this.halted) throw this.halted;
    this.drain();
    this.clock.tick(0);
    this.drain();
  }

  /**
   * Whether a zero-delay timer set now would be the very next callback to run: a callback of this
   * clock is running (a timer's, or zero-delay work's) and no other zero-delay work waits. Then,
   * after the running callback returns, the clock runs the zero-delay queue first and in order, so
   * the new timer would run right after it, before any other timer and any other zero-delay work.
   * A caller whose setTimeout(fn, 0) is the last thing its callback does (nothing runs between the
   * call and the callback's return: a tail call all the way up) may therefore call `fn` directly
   * instead (issue #19): every effect happens in the same order, and what fn schedules gets the
   * same order among other timers (the skipped timer's own order is only ever compared, never
   * shown). Only `fired`, the count of callbacks, is one lower. Never true outside a callback (a
   * timer set by a step waits for the next advance), in a callback run by a `settle` or `advance`
   * that another callback called (its zero-delay work may wait for the outer callback to return),
   * nor after a halt.
   */
  zeroDelayIsNext(): boolean {
    return this.running === 1 && this.immediate.length === 0 && this.halted === undefined;
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
    if (!this.clock.next()) return false;
    this.clock.tick(0);
    return true;
  }

  /** Reset the clock to a new start instant. Only allowed before anything was scheduled. */
  setTime(ms: number): void {
    this.clock.setSystemTime(ms);
  }

  /**
   * Stops the simulation for good: fake-timers catches a callback's exception, runs every other
   * timer due in the tick and rethrows at the end, so a thrown RunawayError alone would not stop
   * a long advance. Periodic timers are cleared and every callback still due is skipped.
   */
  halt(error: RunawayError): never {
    if (!this.halted) {
      this.halted = error;
      this.immediate.length = 0;
      for (const id of this.intervals.keys()) this.clock.remove(id as Timer);
      this.intervals.clear();
      for (const id of this.chains) this.clock.remove(id as Timer);
      this.chains.clear();
    }
    throw error;
  }

  private run(fn: () => void): void {
    if (this.halted) throw this.halted;
    this.count(fn);
    this.running++;
    try {
      fn();
    } finally {
      this.running--;
    }
    this.drain();
  }

  private drain(): void {
    if (this.draining || this.immediate.length === 0) return;
    this.draining = true;
    this.running++;
    try {
      while (this.immediate.length > 0) {
        const next = this.immediate.shift()!;
        if (next.handle.cancelled) continue;
        this.count(next.fn);
        next.fn();
      }
    } finally {
      this.draining = false;
      this.running--;
    }
  }

  private count(fn: () => void): void {
    if (this.watchdog && this.fired % WATCH_EVERY === 0) {
      const src = sourceOf(fn);
      this.samples.set(src, (this.samples.get(src) ?? 0) + 1);
      try {
        this.watchdog();
      } catch (e) {
        if (e instanceof RunawayError) this.halt(e);
        throw e;
      }
    }
    const now = this.clock.now;
    if (now !== this.instant) {
      this.instant = now;
      this.firedAtInstant = 0;
    }
    this.fired++;
    if (++this.firedAtInstant > MAX_TIMERS_PER_INSTANT) {
      this.halt(new RunawayError(
        `more than ${MAX_TIMERS_PER_INSTANT} timers fired at the simulated instant ${toRFC3339(now)}: ` +
          `something in the simulation loops without letting time pass`,
      ));
    }
  }
}

/** A callback's source, squeezed to one short line: what names a timer in runaway messages. */
function sourceOf(fn: () => void): string {
  const src = Function.prototype.toString.call(fn).replace(/\s+/g, " ");
  return src.length > 70 ? src.slice(0, 67) + "..." : src;
}

function formatPeriod(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

let lastSecond = NaN;
let lastText = "";
export function toRFC3339(ms: number): string {
  // Asked many times per simulated second (every status and event write): the last answer is kept.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.000Z$/, "Z");
    lastSecond = second;
  }
  return lastText;
}
