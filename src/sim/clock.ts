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

/**
 * Where a key produced by a skipped firing stands among keys with the same order number (see
 * `TimerQueue.sleep`): the instant of that skipped firing, and the chain's rank among the dormant
 * chains of its period and phase at the time.
 */
interface Tie {
  readonly at: number;
  readonly rank: readonly number[];
}

/** One pending timer: due at `callAt`, ties broken by `order`; `interval` undefined for a one-shot. */
interface Timer {
  callAt: number;
  /**
   * Twice a number n taken from the queue's counter (2n), or — for a chain woken from dormancy or
   * asleep — 2c - 1: the place its last skipped firing took between numbers c - 1 and c (`tie`
   * orders such places among themselves). Kept in whole numbers so that V8 keeps the field a small
   * integer on every timer (the heap compares it on every step).
   */
  order: number;
  tie: Tie | undefined;
  readonly interval: number | undefined;
  readonly fn: () => void;
  /** Position in the heap; -1 while dormant and once it is no longer pending. */
  index: number;
  /** A dormant interval (`TimerQueue.sleep`): out of the heap, its firings placed when asked. */
  dormant?: boolean;
  /** Firings without a callback since it last went dormant (as of the last `place`). */
  skipped?: number;
  /** Dormant: the first log entry not known to come before its next skipped firing (absolute index). */
  cursor?: number;
  /** Dormant: its bucket (same period and phase) and rank there. */
  bucket?: Bucket;
  rank?: number[];
  /** The key its last skipped firing fired at (as of the last `place`; `lastAt` NaN: none since `sleep`). */
  lastAt?: number;
  lastOrder?: number;
  lastTie?: Tie | undefined;
  /** Dormant until a given firing (`sleep(t, wakeAt)`): the heap entry that wakes it just before. */
  alarm?: Timer | undefined;
  /** An alarm: the chain it wakes (it runs no callback and is not a firing). */
  wakes?: Timer | undefined;
}

/**
 * The key a moment of the simulation stands at, for ordering it against a dormant chain's skipped
 * firings (`SimClock.stamp`): inside a timer's callback (and the zero-delay work drained after
 * it) the key that timer fired at; after a tick, the instant it reached with an order above every
 * other (every firing due by then has happened); after `next()` stepped over a skipped firing, that
 * firing's key.
 */
export interface ClockKey {
  readonly at: number;
  readonly order: number;
  readonly tie: Tie | undefined;
}

function noop(): void {}

/**
 * A new timer, with every field a timer may have from the start (one shape for all timers in the
 * heap, which V8 then keeps monomorphic): a timeout or interval (`wakes` undefined), or the alarm
 * that wakes the dormant chain `wakes`.
 */
function newTimer(callAt: number, order: number, interval: number | undefined, fn: () => void, wakes: Timer | undefined): Timer {
  return {
    callAt,
    order,
    tie: undefined,
    interval,
    fn,
    index: -1,
    dormant: false,
    skipped: 0,
    cursor: 0,
    bucket: undefined,
    rank: undefined,
    lastAt: NaN,
    lastOrder: 0,
    lastTie: undefined,
    alarm: undefined,
    wakes,
  };
}

/** Above every order a timer can have (orders are small whole numbers: 2n and 2c - 1). */
const AFTER_ALL = Number.MAX_SAFE_INTEGER;

/** Whether key a comes before key b (`before`'s order on keys; equal keys are not before). */
export function keyBefore(a: ClockKey, b: ClockKey): boolean {
  return a.at < b.at || (a.at === b.at && (a.order < b.order || (a.order === b.order && a.tie !== undefined && b.tie !== undefined && a.tie !== b.tie && tieBefore(a.tie, b.tie))));
}

/** The dormant chains of one period and phase, in the order they fire in (which never changes while they sleep). */
interface Bucket {
  readonly period: number;
  readonly phase: number;
  readonly members: Timer[];
}

/** The rank of a chain alone in its bucket (ranks are never changed, so one array serves all). */
const FIRST_RANK: readonly number[] = [2 ** 19];

function tieBefore(a: Tie, b: Tie): boolean {
  if (a.at !== b.at) return a.at < b.at;
  const x = a.rank;
  const y = b.rank;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

function before(a: Timer, b: Timer): boolean {
  return a.callAt < b.callAt || (a.callAt === b.callAt && (a.order < b.order || (a.order === b.order && a !== b && a.tie !== undefined && b.tie !== undefined && tieBefore(a.tie, b.tie))));
}

/** Ranks are digit strings in base RANK_BASE compared lexicographically: one always fits between two others. */
const RANK_BASE = 2 ** 20;

/** A rank strictly between `lo` and `hi` (undefined: no bound), never ending in a 0 digit. */
function rankBetween(lo: readonly number[] | undefined, hi: readonly number[] | undefined): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const l = lo && i < lo.length ? lo[i]! : 0;
    const h = hi ? (i < hi.length ? hi[i]! : 0) : RANK_BASE;
    if (h - l > 1) {
      out.push(Math.floor((l + h) / 2));
      return out;
    }
    out.push(l);
    // Below hi from here on when its digit is larger: the rest of hi no longer bounds.
    if (h > l) hi = undefined;
  }
}

/**
 * The firings since the oldest dormant chain's next skipped one (kept while any chain sleeps): for
 * each firing its key (due instant, order, tie) and the counter before it took anything; and the
 * ends of ticks (the instant a tick reached and the counter then). Entries are in key order.
 */
class FiringLog {
  /** Absolute index of entry 0. */
  base = 0;
  n = 0;
  at = new Float64Array(1024);
  order = new Float64Array(1024);
  seq = new Float64Array(1024);
  ties = new Map<number, Tie>();
  /** The instants with entries. */
  instants = new Set<number>();
  private lastAt = NaN;
  endAt: number[] = [];
  endSeq: number[] = [];

  get end(): number {
    return this.base + this.n;
  }

  push(at: number, order: number, tie: Tie | undefined, seq: number): void {
    if (this.n === this.at.length) this.grow();
    const i = this.n++;
    if (at !== this.lastAt) {
      this.instants.add(at);
      this.lastAt = at;
    }
    this.at[i] = at;
    this.order[i] = order;
    this.seq[i] = seq;
    if (tie !== undefined) this.ties.set(this.base + i, tie);
  }

  /** Empties the log for reuse (its arrays are kept: chains go to sleep and wake often while pods start). */
  reset(): void {
    this.base += this.n;
    this.n = 0;
    this.ties.clear();
    this.instants.clear();
    this.lastAt = NaN;
    this.endAt.length = 0;
    this.endSeq.length = 0;
  }

  /** setSystemTime moved every instant. */
  shifted(difference: number): void {
    this.lastAt += difference;
  }

  tickEnd(at: number, seq: number): void {
    const k = this.endAt.length;
    if (k === 0 || this.endAt[k - 1]! < at) {
      this.endAt.push(at);
      this.endSeq.push(seq);
    }
  }

  private grow(): void {
    const size = this.at.length * 2;
    for (const f of ["at", "order", "seq"] as const) {
      const a = new Float64Array(size);
      a.set(this[f]);
      this[f] = a;
    }
  }

  /** Drops the entries before absolute index `from` and the tick ends before `endFrom` (an instant). */
  drop(from: number, endFrom: number): void {
    const k = from - this.base;
    if (k > 0) {
      this.at.copyWithin(0, k, this.n);
      this.order.copyWithin(0, k, this.n);
      this.seq.copyWithin(0, k, this.n);
      this.n -= k;
      this.base = from;
      for (const i of this.ties.keys()) if (i < from) this.ties.delete(i);
      const first = this.n > 0 ? this.at[0]! : Infinity;
      for (const at of this.instants) {
        if (at >= first) break;
        this.instants.delete(at);
      }
    }
    let e = 0;
    while (e < this.endAt.length && this.endAt[e]! < endFrom) e++;
    if (e > 0) {
      this.endAt.splice(0, e);
      this.endSeq.splice(0, e);
    }
  }

  /** The first entry at or after absolute `from` whose key comes after (at, order, tie); `end` when none. */
  firstAfter(from: number, at: number, order: number, tie: Tie | undefined): number {
    const n = this.n;
    // Galloping: a dormant chain's next firing lies about one period of entries ahead.
    let lo = from - this.base;
    let hi = lo;
    let step = 1;
    while (hi < n && !this.after(hi, at, order, tie)) {
      lo = hi + 1;
      hi = lo + step;
      step *= 2;
    }
    if (hi > n) hi = n;
    // Every entry before lo comes before the key; hi is after it (or the end).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.after(mid, at, order, tie)) hi = mid;
      else lo = mid + 1;
    }
    return this.base + lo;
  }

  private after(i: number, at: number, order: number, tie: Tie | undefined): boolean {
    const a = this.at[i]!;
    if (a !== at) return a > at;
    const o = this.order[i]!;
    if (o !== order) return o > order;
    const t = this.ties.get(this.base + i);
    return t !== undefined && tie !== undefined && tieBefore(tie, t);
  }

  /** The counter at the end of the first tick that reached `at`, Infinity when none has. */
  seqAtEndOf(at: number): number {
    const E = this.endAt;
    let lo = 0;
    let hi = E.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (E[mid]! >= at) hi = mid;
      else lo = mid + 1;
    }
    return lo < E.length ? this.endSeq[lo]! : Infinity;
  }
}

/** fake-timers' nanoRemainder: the sub-millisecond part of a tick, in ns. */
function nanoRemainder(msFloat: number): number {
  const remainder = (msFloat * 1e6) % 1e6;
  return Math.floor(remainder < 0 ? remainder + 1e6 : remainder);
}

/** Log entries kept before the log is compacted (see `compact`). */
const LOG_COMPACT_AT = 1 << 14;

/**
 * The timer queue (fake-timers' semantics, see the file comment).
 */
export class TimerQueue {
  now: number;
  private nanos = 0;
  private duringTick = false;
  private orderSeq = 0;
  private readonly heap: Timer[] = [];
  /** Dormant chains by bucket (period and phase), and how many there are. */
  private readonly buckets = new Map<number, Map<number, Bucket>>();
  private sleeping = 0;
  /** Kept while a chain sleeps. */
  private log: FiringLog | undefined;
  /** The log of the last time chains slept, emptied, for the next time. */
  private spareLog: FiringLog | undefined;
  private compactAt: number;
  /** Alarms in the heap (`sleep(t, wakeAt)`): not timers, so not counted in `size`. */
  private alarms = 0;
  /** The key of the current moment (see ClockKey), and the object made for it when first asked. */
  private curAt: number;
  private curOrder = AFTER_ALL;
  private curTie: Tie | undefined = undefined;
  private curKey: ClockKey | undefined;

  /** `logCompactAt`: how long the log of real firings may grow before it is compacted (tests make it short). */
  constructor(start: number, private readonly logCompactAt = LOG_COMPACT_AT) {
    this.now = Math.floor(start);
    this.curAt = this.now;
    this.compactAt = logCompactAt;
  }

  /** The key of the current moment (ClockKey): one object per firing, made when first asked. */
  key(): ClockKey {
    return (this.curKey ??= { at: this.curAt, order: this.curOrder, tie: this.curTie });
  }

  private setKey(at: number, order: number, tie: Tie | undefined): void {
    this.curAt = at;
    this.curOrder = order;
    this.curTie = tie;
    this.curKey = undefined;
  }

  /**
   * The key a dormant (or woken) chain's last skipped firing fired at, undefined when it skipped
   * none since it last went to sleep. Placed up to now first.
   */
  lastSkipped(t: Timer): ClockKey | undefined {
    if (t.dormant) this.place(t);
    return t.lastAt === undefined || Number.isNaN(t.lastAt) ? undefined : { at: t.lastAt, order: t.lastOrder!, tie: t.lastTie };
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
    const t = newTimer(this.now + (whole || (this.duringTick ? 1 : 0)), 2 * this.orderSeq++, interval, fn, undefined);
    this.push(t);
    return t;
  }

  remove(t: Timer): void {
    if (t.alarm !== undefined) this.dropAlarm(t);
    if (t.dormant) {
      this.leaveBucket(t);
      t.dormant = false;
      return;
    }
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

  /** Pending timers, dormant chains included. */
  get size(): number {
    return this.heap.length - this.alarms + this.sleeping;
  }

  /**
   * Makes an interval dormant: it leaves the heap and runs no callback, while its firings go on
   * virtually — each at its instant and its turn there, taking the place among order numbers that
   * a real firing would take. Nothing is done per skipped firing: `place` works out, when asked
   * (`skipped`, `nextDue`, `wake`), where each one fell from the log of real firings (see
   * docs/performance.md, "The steady tick", for the rule and why it is exact). Counts from 0.
   *
   * `wakeAt`, one of the chain's firing instants after its next: it wakes by itself just before
   * that firing — an alarm in the heap at that instant, before every key there (order -2), which
   * runs nothing and takes no number but wakes the chain (entered in the log like a firing, so
   * that the chain's firing before it is placed), and the firing then runs at its turn.
   */
  sleep(t: Timer, wakeAt?: number): void {
    if (t.interval === undefined) throw new Error("only an interval can go dormant");
    if (t.index < 0 || t.dormant) return;
    if (wakeAt !== undefined && (!(wakeAt > t.callAt) || (wakeAt - t.callAt) % t.interval !== 0)) throw new Error(`a dormant chain wakes at one of its firings after the next (${t.callAt} + k × ${t.interval}), not at ${wakeAt}`);
    this.remove(t);
    t.dormant = true;
    t.skipped = 0;
    t.lastAt = NaN;
    if (!this.log) this.log = this.spareLog ?? new FiringLog();
    t.cursor = this.log.end;
    this.joinBucket(t);
    if (wakeAt !== undefined) {
      const a = newTimer(wakeAt, -2, undefined, noop, t);
      t.alarm = a;
      this.alarms++;
      this.push(a);
    }
  }

  private dropAlarm(t: Timer): void {
    const a = t.alarm!;
    t.alarm = undefined;
    this.alarms--;
    this.remove(a);
  }

  /** An alarm reached the top of the heap at its instant: it leaves, logged, and wakes its chain. */
  private ring(a: Timer): void {
    this.now = a.callAt;
    if (this.log !== undefined) this.log.push(a.callAt, a.order, a.tie, this.orderSeq);
    this.wake(a.wakes!);
  }

  /** Ends an interval's dormancy; returns how many firings it skipped since `sleep`. */
  wake(t: Timer): number {
    if (!t.dormant) return 0;
    if (t.alarm !== undefined) this.dropAlarm(t);
    this.place(t);
    this.leaveBucket(t);
    t.dormant = false;
    this.push(t);
    return t.skipped ?? 0;
  }

  isDormant(t: Timer): boolean {
    return t.dormant === true;
  }

  /** Firings a dormant interval skipped since it went dormant, up to now (see `nextDue`). */
  skipped(t: Timer): number {
    if (t.dormant) this.place(t);
    return t.skipped ?? 0;
  }

  /** The instant an interval fires next; for a dormant one, after every skipped firing that has happened. */
  nextDue(t: Timer): number {
    if (t.dormant) this.place(t);
    return t.callAt;
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
      if (t.wakes !== undefined) {
        this.ring(t);
        continue;
      }
      this.now = t.callAt;
      if (this.log !== undefined) this.log.push(t.callAt, t.order, t.tie, this.orderSeq);
      this.setKey(t.callAt, t.order, t.tie);
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
    this.setKey(tickTo, AFTER_ALL, undefined);
    if (this.log !== undefined) {
      this.log.tickEnd(tickTo, this.orderSeq);
      if (this.log.n >= this.compactAt) this.compact();
    }
    if (firstException) throw firstException;
  }

  /**
   * fake-timers' next: fires the first pending timer (time moves to it); false when none. A dormant
   * chain's skipped firing counts as a timer: it can be the first, and then only time moves.
   */
  next(): boolean {
    let t: Timer | undefined;
    let first: Timer | undefined;
    for (;;) {
      first = this.firstDormant();
      t = this.heap[0];
      // An alarm first: it wakes its chain (which may then be the first timer), and time moves on.
      if (t !== undefined && t.wakes !== undefined && (first === undefined || before(t, first))) this.ring(t);
      else break;
    }
    if (first !== undefined && (t === undefined || before(first, t))) {
      // The skipped firing happens now: the chain is placed past it by hand, and an entry with its
      // key tells the other dormant chains that every key before it at this instant has passed.
      this.now = first.callAt;
      this.log!.push(first.callAt, first.order, first.tie, this.orderSeq);
      this.setKey(first.callAt, first.order, first.tie);
      first.lastAt = first.callAt;
      first.lastOrder = first.order;
      first.lastTie = first.tie;
      first.order = 2 * this.orderSeq - 1;
      first.tie = { at: first.callAt, rank: first.rank! };
      first.callAt += first.interval!;
      first.skipped!++;
      first.cursor = this.log!.end;
      return true;
    }
    if (!t) return false;
    this.duringTick = true;
    try {
      this.now = t.callAt;
      if (this.log !== undefined) this.log.push(t.callAt, t.order, t.tie, this.orderSeq);
      this.setKey(t.callAt, t.order, t.tie);
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
    this.setKey(this.curAt + difference, this.curOrder, this.curTie && { at: this.curTie.at + difference, rank: this.curTie.rank });
    for (const t of this.heap) t.callAt += difference;
    if (this.log !== undefined) {
      // Dormant chains and what they are placed by move with everything else (phases included).
      for (const t of this.dormantChains()) {
        t.callAt += difference;
        if (t.tie) t.tie = { at: t.tie.at + difference, rank: t.tie.rank };
      }
      const buckets = [...this.buckets.values()].flatMap((byPhase) => [...byPhase.values()]);
      this.buckets.clear();
      for (const b of buckets) {
        const m = b.members[0]!;
        const phase = m.callAt % m.interval!;
        let byPhase = this.buckets.get(b.period);
        if (!byPhase) this.buckets.set(b.period, (byPhase = new Map()));
        const moved: Bucket = { period: b.period, phase, members: b.members };
        byPhase.set(phase, moved);
        for (const x of b.members) x.bucket = moved;
      }
      const L = this.log;
      for (let i = 0; i < L.n; i++) L.at[i]! += difference;
      const instants = [...L.instants];
      L.instants.clear();
      for (const at of instants) L.instants.add(at + difference);
      L.shifted(difference);
      for (const [i, tie] of L.ties) L.ties.set(i, { at: tie.at + difference, rank: tie.rank });
      for (let i = 0; i < L.endAt.length; i++) L.endAt[i]! += difference;
    }
  }

  /** callTimer: an interval is due again one period later with a new order, before its callback runs. */
  private fire(t: Timer): void {
    if (t.interval !== undefined) {
      t.callAt += t.interval;
      t.order = 2 * this.orderSeq++;
      t.tie = undefined;
      this.down(0);
    } else {
      this.remove(t);
    }
    t.fn();
  }

  /**
   * Places a dormant chain past every skipped firing that has happened: the firing due at T with
   * key (T, order, tie) has happened once the log holds a later key or a tick reached past T. It
   * took the place just before that later entry's firing, or at the end of that tick, whichever
   * came first: the counter c then, so its next key is c - ½ (2c - 1 in `order`: after every number taken before
   * it, before every number taken after), with the tie (T, rank) among keys placed alike.
   */
  private place(t: Timer): void {
    const L = this.log!;
    const p = t.interval!;
    const now = this.now;
    let cursor = t.cursor!;
    for (;;) {
      const T = t.callAt;
      if (T > now) break;
      const order = t.order;
      const tie = t.tie;
      if (T + 2 * p < now && !L.instants.has(T + p)) {
        // Its place at T is compared with nothing: no real firing happened at T + p, which has
        // passed, and the firing at T + p is not its last skipped one (the one at T + 2p has
        // happened too, so `lastSkipped` never gives this key). Left unknown (-1, below every
        // order: at T + p any key finds the first entry after T + p).
        t.order = -1;
        t.tie = undefined;
      } else {
        const j = L.firstAfter(cursor, T, order, tie);
        const endSeq = L.seqAtEndOf(T);
        if (j === L.end && endSeq === Infinity) break; // due now, its turn has not come
        const c = Math.min(j < L.end ? L.seq[j - L.base]! : Infinity, endSeq);
        cursor = j;
        t.order = 2 * c - 1;
        t.tie = { at: T, rank: t.rank! };
      }
      // The firing at T happened (skipped) with the key it had.
      t.lastAt = T;
      t.lastOrder = order;
      t.lastTie = tie;
      t.callAt = T + p;
      t.skipped!++;
    }
    t.cursor = cursor;
  }

  /** The dormant chain whose next skipped firing comes first (every chain placed up to now). */
  private firstDormant(): Timer | undefined {
    let first: Timer | undefined;
    for (const t of this.dormantChains()) {
      this.place(t);
      if (first === undefined || before(t, first)) first = t;
    }
    return first;
  }

  private *dormantChains(): Iterable<Timer> {
    for (const byPhase of this.buckets.values()) for (const b of byPhase.values()) yield* b.members;
  }

  /**
   * A dormant chain joins the chains of its period and phase. Their firings fall at the same
   * instants, and two of them keep their order at every instant while both sleep: the one first at
   * an instant takes the earlier place, so its next key is no later. The newcomer's rank is worked
   * out against the others placed up to now.
   */
  private joinBucket(t: Timer): void {
    const p = t.interval!;
    const phase = t.callAt % p;
    let byPhase = this.buckets.get(p);
    if (!byPhase) this.buckets.set(p, (byPhase = new Map()));
    let b = byPhase.get(phase);
    if (!b) {
      byPhase.set(phase, (b = { period: p, phase, members: [t] }));
      t.rank = FIRST_RANK as number[];
      t.bucket = b;
      this.sleeping++;
      return;
    }
    const m = b.members;
    // Binary search for the first member that comes after t.
    let lo = 0;
    let hi = m.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.dormantBefore(t, m[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    t.rank = rankBetween(lo > 0 ? m[lo - 1]!.rank : undefined, lo < m.length ? m[lo]!.rank : undefined);
    m.splice(lo, 0, t);
    t.bucket = b;
    this.sleeping++;
  }

  /** Whether chain a (just gone dormant, not placed since) fires before member b of its bucket. */
  private dormantBefore(a: Timer, b: Timer): boolean {
    this.place(b);
    // Both are due next at the first instant of their phase whose firing has not happened: the
    // same one, or one of them has fired at now already and is due a period later (it is first).
    if (a.callAt !== b.callAt) return a.callAt > b.callAt;
    return before(a, b);
  }

  private leaveBucket(t: Timer): void {
    const b = t.bucket!;
    const m = b.members;
    if (m.length === 1) {
      const byPhase = this.buckets.get(b.period)!;
      byPhase.delete(b.phase);
      if (byPhase.size === 0) this.buckets.delete(b.period);
    } else m.splice(m.indexOf(t), 1);
    t.bucket = undefined;
    if (--this.sleeping === 0) {
      this.log!.reset();
      this.spareLog = this.log;
      this.log = undefined;
    }
  }

  /**
   * Keeps the log short: the entries before every dormant chain's cursor are dropped, after
   * placing the chains that lag behind the log's first half (each then points at most about a
   * period back). When that frees too little (chains of long periods), the log may grow.
   */
  private compact(): void {
    const L = this.log!;
    const half = L.base + (L.n >> 1);
    let min = L.end;
    let minAt = Infinity;
    for (const t of this.dormantChains()) {
      if (t.cursor! < half) this.place(t);
      if (t.cursor! < min) min = t.cursor!;
      if (t.callAt < minAt) minAt = t.callAt;
    }
    L.drop(min, minAt);
    this.compactAt = Math.max(this.logCompactAt, 2 * L.n);
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
   * the interval itself goes on. Each of its firings still happens, at its instant and at its turn
   * there, and gives the chain its next due instant and its place among order numbers exactly
   * where a firing would — but nothing runs (no callback, not counted in `fired`, no zero-delay
   * drain), and nothing is even done at that moment: the chain is out of the timer heap, and its
   * skipped firings are placed when someone asks (`skipped`, `nextDue`, `wake`) from the queue's
   * log of real firings (TimerQueue.place). `wake(handle)` lets its next firing run its callback
   * again and says how many it skipped.
   *
   * Why a caller may use it without changing anything anyone sees: timers due at one instant run
   * by (due instant, order number), and the order numbers are only ever compared, never shown. A
   * woken chain gets the place its last skipped firing took, relative to every number taken before
   * and after, so it fires at its reference turn among every timer; every other timer keeps its
   * place. When it wakes at instant W (an input of its callback changed, in some callback at W),
   * its next due instant is the reference one — its own firing at W, if due at W, has happened if
   * and only if its turn at W came before the waking callback's. So a callback that would have done
   * nothing observable at every firing while dormant (its caller's duty: it must wake the interval
   * when an input changes, and account for what the skipped firings would have left behind, such
   * as counters) can sleep, and the schedule stays the reference engine's firing by firing.
   *
   * A dormant firing costs nothing when it happens (docs/performance.md, "The steady tick"): the
   * queue logs every real firing while some chain sleeps, and placing a chain costs a search of
   * that log per skipped period, made only when asked or when the log is compacted.
   */
  sleep(handle: TimerHandle, wakeAt?: number): void {
    if (handle.cancelled || !(this.intervals.has(handle.id) || this.chains.has(handle.id))) throw new Error("only a live interval can go dormant");
    this.clock.sleep(handle.id as Timer, wakeAt);
  }

  /**
   * Where the current moment stands among timer firings (ClockKey): a caller that records when
   * something happened can tell later whether a dormant chain's skipped firing came before or
   * after it (`lastSkipped`, `keyBefore`). Inside a callback, the key its timer fired at.
   */
  key(): ClockKey {
    return this.clock.key();
  }

  /** The key a chain's last skipped firing fired at (since it last went to sleep); undefined: none. */
  lastSkipped(handle: TimerHandle): ClockKey | undefined {
    return handle.id === undefined ? undefined : this.clock.lastSkipped(handle.id as Timer);
  }

  /** Ends a dormant interval's sleep (nothing for an interval awake); returns the firings it skipped. */
  wake(handle: TimerHandle): number {
    if (handle.id === undefined) return 0;
    return this.clock.wake(handle.id as Timer);
  }

  isDormant(handle: TimerHandle | undefined): boolean {
    return handle?.id !== undefined && this.clock.isDormant(handle.id as Timer);
  }

  /** Firings skipped by a dormant interval since it went dormant (each at its own instant, see `nextDue`). */
  skipped(handle: TimerHandle): number {
    return handle.id === undefined ? 0 : this.clock.skipped(handle.id as Timer);
  }

  /**
   * The instant an interval fires next. At the current instant, `nextDue(h) > now()` for an
   * interval whose chain includes now means its firing at now has happened (in order) already.
   */
  nextDue(handle: TimerHandle): number {
    return this.clock.nextDue(handle.id as Timer);
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
let prevSecond = NaN;
let prevText = "";
export function toRFC3339(ms: number): string {
  // Asked many times per simulated second (every status and event write): the last two answers are
  // kept (a scenario of a test run starts its cluster at one instant and ends it at another, and the
  // next scenario starts at the first again).
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    // A whole second's ISO text always ends in ".000Z" (the same text as replacing it).
    const text = second === prevSecond ? prevText : new Date(second * 1000).toISOString().slice(0, -5) + "Z";
    prevSecond = lastSecond;
    prevText = lastText;
    lastText = text;
    lastSecond = second;
  }
  return lastText;
}
