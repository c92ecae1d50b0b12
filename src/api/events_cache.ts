/**
 * client-go's EventCorrelator, as every core/v1 event recorder (the kubelet, each controller of
 * kube-controller-manager) runs it between `Eventf` and the API server.
 * Ports `staging/src/k8s.io/client-go/tools/record/events_cache.go` (the spam filter, the
 * aggregator, the event logger, their LRU caches), `util/flowcontrol/throttle.go`'s token bucket
 * and the golang.org/x/time/rate limiter under it, and `github.com/golang/groupcache/lru`.
 *
 * EventCorrelate runs, for each event: aggregate (EventAggregator) → observe (eventLogger, which
 * counts even an event the filter then drops) → filter (EventSourceObjectSpamFilter).
 */

import { keyBefore, type ClockKey } from "../sim/clock.ts";

interface LruNode<V> {
  readonly key: string;
  value: V;
  prev: LruNode<V> | undefined;
  next: LruNode<V> | undefined;
  /**
   * When it was last touched (see `Lru`'s stamps): the clock's key then and, among touches under
   * one key, the touch's place (REAL for a touch that ran; a dormant owner's own order otherwise).
   */
  stamp: ClockKey | undefined;
  sub: number;
  /** A dormant owner that goes on touching it without running (see LruOwner), and its touch's place. */
  owner: LruOwner | undefined;
  ownSub: number;
}

/** The place of a touch that ran: after every dormant touch stamped with the same key. */
const REAL = 2 ** 30;

/** Where the current moment stands among timer firings (SimClock.key). */
export interface LruStamper {
  key(): ClockKey;
}

/**
 * Something that, while dormant, goes on touching its entries at firings that do not run (issue
 * #19: a kubelet's back-off retries whose BackOff repeats the spam filter drops). The cache keeps
 * them where the owner last really touched them; where each stands now is worked out when it
 * matters — when the entry is the oldest and a new key needs room — from its owner's last virtual
 * touch. Any real touch or eviction of an owned entry first wakes the owner, which settles all
 * its entries (`release`) and runs for real from then on.
 */
export interface LruOwner {
  /** The key of the owner's last virtual touch (the firing), undefined when none since it slept. */
  lastTouch(): ClockKey | undefined;
  /** One of its entries is about to be touched or evicted: settle every entry, clear ownership. */
  wake(): void;
}

/** Whether touch a (stamp, sub) came before touch b. */
function touchedBefore(a: ClockKey, aSub: number, b: ClockKey, bSub: number): boolean {
  if (a === b) return aSub < bSub;
  if (keyBefore(a, b)) return true;
  if (keyBefore(b, a)) return false;
  return aSub < bSub;
}

/**
 * groupcache's lru.Cache: `get` refreshes an entry, `add` of a new key evicts the oldest past
 * `maxEntries`. As upstream, a map to the nodes of a doubly linked list (front: most recent), so a
 * refresh moves pointers and leaves the map alone (issue #19).
 *
 * Stamps (with a stamper, issue #19): every touch records the clock's key of the moment, so that
 * entries an owner goes on touching without running (LruOwner) can be put in their place later.
 * The list is kept in the order of the recorded stamps; an owned entry's true last touch is at or
 * after its recorded one. So the back is the true oldest unless it is owned and its owner touched
 * it since: then it moves to the place of that touch (found from the front: it is recent) and the
 * back is looked at again. Every eviction therefore takes the entry upstream's cache would take.
 */
export class Lru<V> {
  private readonly m = new Map<string, LruNode<V>>();
  private front: LruNode<V> | undefined;
  private back: LruNode<V> | undefined;
  constructor(
    readonly maxEntries: number,
    private readonly stamper?: LruStamper,
  ) {}

  get size(): number {
    return this.m.size;
  }

  get(key: string): V | undefined {
    const n = this.m.get(key);
    if (n === undefined) return undefined;
    if (n.owner !== undefined) n.owner.wake();
    this.touch(n);
    this.moveToFront(n);
    return n.value;
  }

  add(key: string, value: V): void {
    const n = this.m.get(key);
    if (n !== undefined) {
      if (n.owner !== undefined) n.owner.wake();
      this.touch(n);
      this.moveToFront(n);
      n.value = value;
      return;
    }
    const node: LruNode<V> = { key, value, prev: undefined, next: this.front, stamp: this.stamper?.key(), sub: REAL, owner: undefined, ownSub: 0 };
    if (this.front) this.front.prev = node;
    this.front = node;
    this.back ??= node;
    this.m.set(key, node);
    if (this.maxEntries !== 0 && this.m.size > this.maxEntries) this.evict();
  }

  has(key: string): boolean {
    return this.m.has(key);
  }

  /** The entry's value without touching it (a dormant owner's settling). */
  peek(key: string): V | undefined {
    return this.m.get(key)?.value;
  }

  /**
   * Hands an entry to a dormant owner (see LruOwner); `sub` orders its touches within one firing.
   * False when the entry is absent or owned already.
   */
  own(key: string, owner: LruOwner, sub: number): boolean {
    const n = this.m.get(key);
    if (n === undefined || n.owner !== undefined || this.stamper === undefined) return false;
    n.owner = owner;
    n.ownSub = sub;
    return true;
  }

  /**
   * The owner of `key` settles: the entry takes the place of its owner's last touch `last` (when it
   * is later than the recorded one), its value is replaced by `value` when given, and it is no
   * longer owned. Not a touch.
   */
  release(key: string, owner: LruOwner, last: ClockKey | undefined, value?: V): void {
    const n = this.m.get(key);
    if (n === undefined || n.owner !== owner) return;
    n.owner = undefined;
    if (value !== undefined) n.value = value;
    if (last !== undefined) this.place(n, last, n.ownSub);
  }

  ownedBy(key: string, owner: LruOwner): boolean {
    return this.m.get(key)?.owner === owner;
  }

  private touch(n: LruNode<V>): void {
    if (this.stamper !== undefined) {
      n.stamp = this.stamper.key();
      n.sub = REAL;
    }
  }

  /** Moves n to the place of a touch (last, sub) if that is later than its recorded one. */
  private place(n: LruNode<V>, last: ClockKey, sub: number): void {
    if (n.stamp !== undefined && !touchedBefore(n.stamp, n.sub, last, sub)) return;
    n.stamp = last;
    n.sub = sub;
    this.unlink(n);
    let after = this.front;
    while (after !== undefined && after.stamp !== undefined && touchedBefore(last, sub, after.stamp, after.sub)) after = after.next;
    // Insert before `after` (the first entry touched before n), or at the back.
    n.next = after;
    n.prev = after !== undefined ? after.prev : this.back;
    if (n.prev) n.prev.next = n;
    else this.front = n;
    if (after) after.prev = n;
    else this.back = n;
  }

  /** RemoveOldest, with owned entries put in their place first. */
  private evict(): void {
    for (;;) {
      const oldest = this.back!;
      const owner = oldest.owner;
      if (owner !== undefined) {
        const last = owner.lastTouch();
        if (last !== undefined && (oldest.stamp === undefined || touchedBefore(oldest.stamp, oldest.sub, last, oldest.ownSub))) {
          this.place(oldest, last, oldest.ownSub);
          continue;
        }
        // Truly the oldest: it goes, and its owner must run for real from now on.
        owner.wake();
        continue;
      }
      this.unlink(oldest);
      this.m.delete(oldest.key);
      return;
    }
  }

  private unlink(n: LruNode<V>): void {
    if (n.prev) n.prev.next = n.next;
    else this.front = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.back = n.prev;
    n.prev = n.next = undefined;
  }

  private moveToFront(n: LruNode<V>): void {
    if (this.front === n) return;
    this.unlink(n);
    n.next = this.front;
    if (this.front) this.front.prev = n;
    this.front = n;
    this.back ??= n;
  }

  /** The keys from the most recent to the oldest (tests). */
  keys(): string[] {
    const out: string[] = [];
    for (let n = this.front; n; n = n.next) out.push(n.key);
    return out;
  }
}

export const MAX_LRU_CACHE_ENTRIES = 4096;
/** If we see the same event that varies only by message more than 10 times in 10 minutes, aggregate it. */
export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
export const DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600;
/** A source may send 25 events about an object, refilled at one every 5 minutes. */
export const DEFAULT_SPAM_BURST = 25;
/** `defaultSpamQPS = 1. / 300.` passed as a float32 (CorrelatorOptions.QPS), widened to float64 by rate.Limit. */
export const DEFAULT_SPAM_QPS = Math.fround(1 / 300);

/** The fields of a core/v1 Event the correlator reads and writes. */
export interface CorrelatedEvent {
  name: string;
  namespace: string;
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  source: { component?: string; host?: string };
  type: string;
  reason: string;
  message: string;
  reportingComponent: string;
  reportingInstance: string;
  count: number;
  /** RFC 3339, whole seconds (metav1.Time). */
  firstTimestamp: string;
  lastTimestamp: string;
  resourceVersion?: string;
}

const s = (x: string | undefined) => x ?? "";

/** getEventKey: source, involved object (with fieldPath), type, reason, message (joined with "", as upstream). */
export function getEventKey(e: CorrelatedEvent): string {
  const o = e.involvedObject;
  return s(e.source.component) + s(e.source.host) + s(o.kind) + s(o.namespace) + s(o.name) + s(o.fieldPath) + s(o.uid) + s(o.apiVersion) + e.type + e.reason + e.message;
}

/** getSpamKey: source and involved object only (not fieldPath, reason or message). */
export function getSpamKey(e: CorrelatedEvent): string {
  const o = e.involvedObject;
  return s(e.source.component) + s(e.source.host) + s(o.kind) + s(o.namespace) + s(o.name) + s(o.uid) + s(o.apiVersion);
}

/** EventAggregatorByReasonFunc: [aggregateKey, localKey]; events that differ only by message share the aggregate key. */
export function eventAggregatorByReasonFunc(e: CorrelatedEvent): [string, string] {
  const o = e.involvedObject;
  return [s(e.source.component) + s(e.source.host) + s(o.kind) + s(o.namespace) + s(o.name) + s(o.uid) + s(o.apiVersion) + e.type + e.reason + e.reportingComponent + e.reportingInstance, e.message];
}

export function eventAggregatorByReasonMessageFunc(e: CorrelatedEvent): string {
  return "(combined from similar events): " + e.message;
}

/** The keys one event is correlated by; a caller that records the same event again keeps them (issue #19). */
export interface CorrelationKeys {
  eventKey: string;
  aggregateKey: string;
  localKey: string;
  spamKey: string;
}

export function correlationKeys(e: CorrelatedEvent): CorrelationKeys {
  const [aggregateKey, localKey] = eventAggregatorByReasonFunc(e);
  return { eventKey: getEventKey(e), aggregateKey, localKey, spamKey: getSpamKey(e) };
}

/**
 * flowcontrol.NewTokenBucketRateLimiterWithClock(qps, burst, clock) over golang.org/x/time/rate
 * (v0.7, the version v1.32 vendors); TryAccept is `limiter.AllowN(clock.Now(), 1)`:
 *
 *   advance(t):  last = min(lim.last, t); elapsed = t - last (a time.Duration, nanoseconds; from the
 *                zero time.Time it saturates, so a new limiter starts full);
 *                tokens = min(burst, lim.tokens + elapsed.Seconds() * float64(limit))
 *                where Duration.Seconds() = float64(d / 1e9) + float64(d % 1e9) / 1e9
 *   reserveN(t, n=1, maxFutureReserve=0):
 *                tokens -= 1; wait = tokens < 0 ? time.Duration((-tokens / limit) * 1e9) : 0  (truncated
 *                to whole nanoseconds); ok = 1 <= burst && wait <= 0;
 *                only when ok: lim.last = t, lim.tokens = tokens (a refused call leaves the state alone).
 *
 * The limit is float64(float32(1/300)) = 0.0033333334140479565 tokens a second: a token takes
 * 299.9999927 s. Time here is the simulated clock's milliseconds.
 */
export class TokenBucket {
  private tokens = 0;
  /** Milliseconds of the last accepted call; undefined: the zero time.Time. */
  private last: number | undefined;
  constructor(
    private readonly limit: number,
    private readonly burst: number,
  ) {}

  tryAccept(nowMs: number): boolean {
    return this.take(nowMs, true);
  }

  /** Whether `tryAccept(nowMs)` would accept, without its effect (issue #19: the dormant repeats' wake). */
  wouldAccept(nowMs: number): boolean {
    return this.take(nowMs, false);
  }

  private take(nowMs: number, commit: boolean): boolean {
    let tokens: number;
    if (this.last === undefined) tokens = this.burst;
    else {
      const last = nowMs < this.last ? nowMs : this.last;
      const ns = Math.round((nowMs - last) * 1e6);
      const sec = Math.trunc(ns / 1e9);
      const seconds = sec + (ns - sec * 1e9) / 1e9;
      tokens = this.tokens + seconds * this.limit;
      if (tokens > this.burst) tokens = this.burst;
    }
    tokens -= 1;
    const wait = tokens < 0 ? Math.trunc((-tokens / this.limit) * 1e9) : 0;
    const ok = 1 <= this.burst && wait <= 0;
    if (ok && commit) {
      this.last = nowMs;
      this.tokens = tokens;
    }
    return ok;
  }
}

/** EventSourceObjectSpamFilter: a token bucket per source + involved object, in an LRU. */
export class EventSourceObjectSpamFilter {
  readonly cache: Lru<TokenBucket>;
  constructor(
    lruCacheSize: number,
    private readonly burst: number,
    private readonly qps: number,
    private readonly clock: () => number,
    stamper?: LruStamper,
  ) {
    this.cache = new Lru(lruCacheSize, stamper);
  }

  /** Filter: true when the event must be dropped. */
  filter(spamKey: string): boolean {
    let limiter = this.cache.get(spamKey);
    if (!limiter) limiter = new TokenBucket(this.qps, this.burst);
    const drop = !limiter.tryAccept(this.clock());
    this.cache.add(spamKey, limiter);
    return drop;
  }
}

interface AggregateRecord {
  /**
   * sets.String of the messages seen, insertion-ordered (see popAny): undefined while empty, the
   * message itself while it is the only one (most records: a Set per new event was ~4 % of a rolling
   * update's allocations, issue #19), a Set from the second distinct message on.
   */
  localKeys: string | Set<string> | undefined;
  /** Milliseconds; metav1.NewTime(clock.Now()) keeps nanoseconds, so no rounding. */
  lastTimestamp: number;
}

/** What EventAggregate decided: the event to record (`aggregate`: a new "(combined from similar events)" one) and the logger's key. */
export interface AggregateResult {
  aggregate: boolean;
  key: string;
}

/** EventAggregator (EventAggregatorByReasonFunc, 10 distinct messages in 600 s). */
export class EventAggregator {
  readonly cache: Lru<AggregateRecord>;
  constructor(
    lruCacheSize: number,
    readonly maxEvents: number,
    private readonly maxIntervalSeconds: number,
    private readonly clock: () => number,
    stamper?: LruStamper,
  ) {
    this.cache = new Lru(lruCacheSize, stamper);
  }

  /** EventAggregate: the aggregate decision; the caller builds the combined event when `aggregate`. */
  eventAggregate(k: CorrelationKeys): AggregateResult {
    const now = this.clock();
    let record = this.cache.get(k.aggregateKey);
    // Too old, or none (a zero lastTimestamp): a fresh record. `interval > maxInterval` in nanoseconds.
    if (!record || now - record.lastTimestamp > this.maxIntervalSeconds * 1000) record = { localKeys: undefined, lastTimestamp: 0 };
    // localKeys.Insert(localKey), and the set's size after it.
    let size: number;
    const keys = record.localKeys;
    if (keys === undefined) {
      record.localKeys = k.localKey;
      size = 1;
    } else if (typeof keys === "string") {
      if (keys === k.localKey) size = 1;
      else {
        record.localKeys = new Set([keys, k.localKey]);
        size = 2;
      }
    } else {
      keys.add(k.localKey);
      size = keys.size;
    }
    record.lastTimestamp = now;
    this.cache.add(k.aggregateKey, record);
    if (size < this.maxEvents) return { aggregate: false, key: k.eventKey };
    // Do not grow the set past max: sets.String.PopAny removes an arbitrary member (Go map order).
    // Deterministic here: the member inserted first (docs/divergences.md).
    const set = record.localKeys!;
    if (typeof set === "string") record.localKeys = undefined;
    else set.delete(set.values().next().value as string);
    return { aggregate: true, key: k.aggregateKey };
  }
}

/** eventLog: what the logger remembers of an event key. */
export interface EventLog {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string | undefined;
}

/** eventLogger: counts per key, in an LRU. */
export class EventLogger {
  readonly cache: Lru<EventLog>;
  constructor(lruCacheSize: number, stamper?: LruStamper) {
    this.cache = new Lru(lruCacheSize, stamper);
  }

  /** updateState: the server's answer, under the answer's own getEventKey. */
  updateState(event: CorrelatedEvent, key = getEventKey(event)): void {
    this.cache.add(key, { count: event.count, firstTimestamp: event.firstTimestamp, name: event.name, resourceVersion: event.resourceVersion });
  }
}

export interface CorrelatorOptions {
  lruCacheSize?: number;
  burstSize?: number;
  qps?: number;
  maxEvents?: number;
  maxIntervalInSeconds?: number;
}

/**
 * What EventCorrelate decided. `patch`: the key was seen before, the recorder patches Event `log.name`
 * (count, lastTimestamp, message) and creates it with those values if it is gone; otherwise it
 * creates `event`. `aggregated`: the event is the "(combined from similar events)" one.
 */
/**
 * What the correlator asks of the recorder for a key not seen before (an interface rather than
 * closures: the recorder keeps one, so a correlation allocates nothing it does not need, issue #19).
 */
export interface EventMaker {
  /** The event as the recorder generated it. */
  build(): CorrelatedEvent;
  /** A name for a new aggregate event (`<object>.<hex nanos>`). */
  combinedName(): string;
}

export type CorrelateResult =
  | { skip: true }
  | { skip: false; patch: true; log: EventLog; aggregated: boolean }
  | { skip: false; patch: false; event: CorrelatedEvent; aggregated: boolean };

/**
 * EventCorrelator: one per event broadcaster (client-go creates it in StartRecordingToSink).
 * `clock` is read once by the aggregator and once by the spam filter for each event, as upstream.
 */
export class EventCorrelator {
  readonly aggregator: EventAggregator;
  readonly logger: EventLogger;
  readonly spamFilter: EventSourceObjectSpamFilter;

  /**
   * `stamper` (the simulated clock, issue #19): the caches record when each entry was touched, so
   * that repeats at firings that do not run can be taken into them later (`sleepRepeats`).
   */
  constructor(clock: () => number, o: CorrelatorOptions = {}, stamper?: LruStamper) {
    const size = o.lruCacheSize || MAX_LRU_CACHE_ENTRIES;
    this.spamFilter = new EventSourceObjectSpamFilter(size, o.burstSize || DEFAULT_SPAM_BURST, o.qps || DEFAULT_SPAM_QPS, clock, stamper);
    this.aggregator = new EventAggregator(size, o.maxEvents || DEFAULT_AGGREGATE_MAX_EVENTS, o.maxIntervalInSeconds || DEFAULT_AGGREGATE_INTERVAL_SECONDS, clock, stamper);
    this.logger = new EventLogger(size, stamper);
  }

  /**
   * Repeats that do not run (issue #19, the kubelet's back-off retries): the events of `keys`,
   * correlated in that order again at each of an owner's firings (instants `first + k × period`,
   * k = 1, 2, …), each dropped by the spam filter, change only this correlator: the aggregator's
   * record (its last timestamp; the messages are already in it), the logger's counts (+1 each) and
   * the recency of the entries they touch. If the aggregator would not combine them (fewer than
   * maxEvents messages), the k-th repeats are all dropped for k below the returned value: the
   * first k ≤ `limit` at which the spam filter's bucket would accept (a refused call leaves the
   * bucket as it was, so until then nothing changes it but other events, which wake the owner).
   * Returns 0 when they cannot sleep (an entry missing or owned, the aggregate would combine, the
   * keys not of one aggregate and spam key). Otherwise the owner now holds the entries (see
   * LruOwner): any other touch or an eviction of one of them wakes it, and it gives them back
   * with `endRepeats`.
   */
  sleepRepeats(keys: readonly CorrelationKeys[], owner: LruOwner, first: number, period: number, limit: number): number {
    const m = keys.length;
    if (m === 0) return 0;
    const { aggregateKey, spamKey } = keys[0]!;
    const record = this.aggregator.cache.peek(aggregateKey);
    const bucket = this.spamFilter.cache.peek(spamKey);
    if (!record || !bucket) return 0;
    const local = record.localKeys;
    for (const k of keys) {
      if (k.aggregateKey !== aggregateKey || k.spamKey !== spamKey || !this.logger.cache.has(k.eventKey)) return 0;
      if (local === undefined || (typeof local === "string" ? local !== k.localKey : !local.has(k.localKey))) return 0;
    }
    if ((typeof local === "string" ? 1 : local!.size) >= this.aggregator.maxEvents) return 0;
    let k = 1;
    while (k < limit && !bucket.wouldAccept(first + k * period)) k++;
    if (k <= 1) return 0;
    // The touches of one firing, in order: per event the aggregator's, the logger's, the filter's.
    if (!this.aggregator.cache.own(aggregateKey, owner, 3 * (m - 1))) return 0;
    if (!this.spamFilter.cache.own(spamKey, owner, 3 * (m - 1) + 2)) {
      this.aggregator.cache.release(aggregateKey, owner, undefined);
      return 0;
    }
    for (let i = 0; i < m; i++) {
      if (!this.logger.cache.own(keys[i]!.eventKey, owner, 3 * i + 1)) {
        for (let j = 0; j < i; j++) this.logger.cache.release(keys[j]!.eventKey, owner, undefined);
        this.aggregator.cache.release(aggregateKey, owner, undefined);
        this.spamFilter.cache.release(spamKey, owner, undefined);
        return 0;
      }
    }
    return k;
  }

  /**
   * The owner of `sleepRepeats` settles after `n` repeats that did not run, the last at the firing
   * `last`: the aggregator's last timestamp is that instant, each logger count grew by n, and each
   * entry takes the place of its last touch. Entries evicted meanwhile woke the owner then, so
   * every entry still owned is there.
   */
  endRepeats(keys: readonly CorrelationKeys[], owner: LruOwner, n: number, last: ClockKey | undefined): void {
    const m = keys.length;
    if (m === 0) return;
    const at = n > 0 ? last : undefined;
    const { aggregateKey, spamKey } = keys[0]!;
    const record = this.aggregator.cache.peek(aggregateKey);
    if (at !== undefined && record && this.aggregator.cache.ownedBy(aggregateKey, owner)) record.lastTimestamp = at.at;
    this.aggregator.cache.release(aggregateKey, owner, at);
    for (const k of keys) {
      const log = n > 0 ? this.logger.cache.peek(k.eventKey) : undefined;
      this.logger.cache.release(k.eventKey, owner, at, log && { count: log.count + n, firstTimestamp: log.firstTimestamp, name: log.name, resourceVersion: log.resourceVersion });
    }
    this.spamFilter.cache.release(spamKey, owner, at);
  }

  /**
   * EventCorrelate on the event's keys: aggregate → observe → filter. `make` is asked for the event
   * only for a key not seen before (a repeat, kept or dropped, builds nothing: issue #19).
   */
  correlateKeys(k: CorrelationKeys, make: EventMaker): CorrelateResult {
    const agg = this.aggregator.eventAggregate(k);
    // eventObserve: a key seen before takes the last observation's name, resourceVersion,
    // firstTimestamp and count + 1 (the recorder then patches count, lastTimestamp and message);
    // the observation is stored whether or not the filter then drops the event.
    const last = this.logger.cache.get(agg.key);
    if (last && last.count > 0) {
      const log: EventLog = { count: last.count + 1, firstTimestamp: last.firstTimestamp, name: last.name, resourceVersion: last.resourceVersion };
      this.logger.cache.add(agg.key, log);
      if (this.spamFilter.filter(k.spamKey)) return { skip: true };
      return { skip: false, patch: true, log, aggregated: agg.aggregate };
    }
    let event = make.build();
    if (agg.aggregate) event = this.combined(event, make.combinedName());
    this.logger.cache.add(agg.key, { count: event.count, firstTimestamp: event.firstTimestamp, name: event.name, resourceVersion: event.resourceVersion });
    if (this.spamFilter.filter(k.spamKey)) return { skip: true };
    return { skip: false, patch: false, event, aggregated: agg.aggregate };
  }

  /**
   * EventCorrelate(event) as upstream's signature has it: the event to write (undefined: skipped)
   * and whether it is a patch of an existing one (count > 1).
   */
  eventCorrelate(newEvent: CorrelatedEvent, combinedName = () => newEvent.name): CorrelatedEvent | undefined {
    const r = this.correlateKeys(correlationKeys(newEvent), { build: () => ({ ...newEvent }), combinedName });
    if (r.skip) return undefined;
    if (!r.patch) return r.event;
    const e = r.aggregated ? this.combined(newEvent, r.log.name) : { ...newEvent };
    return { ...e, name: r.log.name, resourceVersion: r.log.resourceVersion, firstTimestamp: r.log.firstTimestamp, count: r.log.count };
  }

  /** UpdateState: the stored event the API server answered with (under its own getEventKey unless given). */
  updateState(event: CorrelatedEvent, key?: string): void {
    this.logger.updateState(event, key);
  }

  /** The aggregate event EventAggregate builds: count 1, no reportingController/Instance, no eventTime. */
  combined(e: CorrelatedEvent, name: string): CorrelatedEvent {
    return {
      name,
      namespace: e.namespace,
      involvedObject: e.involvedObject,
      source: e.source,
      type: e.type,
      reason: e.reason,
      message: eventAggregatorByReasonMessageFunc(e),
      reportingComponent: "",
      reportingInstance: "",
      count: 1,
      firstTimestamp: e.lastTimestamp,
      lastTimestamp: e.lastTimestamp,
    };
  }
}
