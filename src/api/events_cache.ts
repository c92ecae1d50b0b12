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

interface LruNode<V> {
  readonly key: string;
  value: V;
  prev: LruNode<V> | undefined;
  next: LruNode<V> | undefined;
}

/**
 * groupcache's lru.Cache: `get` refreshes an entry, `add` of a new key evicts the oldest past
 * `maxEntries`. As upstream, a map to the nodes of a doubly linked list (front: most recent), so a
 * refresh moves pointers and leaves the map alone (issue #19).
 */
export class Lru<V> {
  private readonly m = new Map<string, LruNode<V>>();
  private front: LruNode<V> | undefined;
  private back: LruNode<V> | undefined;
  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.m.size;
  }

  get(key: string): V | undefined {
    const n = this.m.get(key);
    if (n === undefined) return undefined;
    this.moveToFront(n);
    return n.value;
  }

  add(key: string, value: V): void {
    const n = this.m.get(key);
    if (n !== undefined) {
      this.moveToFront(n);
      n.value = value;
      return;
    }
    const node: LruNode<V> = { key, value, prev: undefined, next: this.front };
    if (this.front) this.front.prev = node;
    this.front = node;
    this.back ??= node;
    this.m.set(key, node);
    if (this.maxEntries !== 0 && this.m.size > this.maxEntries) {
      const oldest = this.back!;
      this.unlink(oldest);
      this.m.delete(oldest.key);
    }
  }

  has(key: string): boolean {
    return this.m.has(key);
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
    if (ok) {
      this.last = nowMs;
      this.tokens = tokens;
    }
    return ok;
  }
}

/** EventSourceObjectSpamFilter: a token bucket per source + involved object, in an LRU. */
export class EventSourceObjectSpamFilter {
  private readonly cache: Lru<TokenBucket>;
  constructor(
    lruCacheSize: number,
    private readonly burst: number,
    private readonly qps: number,
    private readonly clock: () => number,
  ) {
    this.cache = new Lru(lruCacheSize);
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
  private readonly cache: Lru<AggregateRecord>;
  constructor(
    lruCacheSize: number,
    private readonly maxEvents: number,
    private readonly maxIntervalSeconds: number,
    private readonly clock: () => number,
  ) {
    this.cache = new Lru(lruCacheSize);
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
  constructor(lruCacheSize: number) {
    this.cache = new Lru(lruCacheSize);
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

  constructor(clock: () => number, o: CorrelatorOptions = {}) {
    const size = o.lruCacheSize || MAX_LRU_CACHE_ENTRIES;
    this.spamFilter = new EventSourceObjectSpamFilter(size, o.burstSize || DEFAULT_SPAM_BURST, o.qps || DEFAULT_SPAM_QPS, clock);
    this.aggregator = new EventAggregator(size, o.maxEvents || DEFAULT_AGGREGATE_MAX_EVENTS, o.maxIntervalInSeconds || DEFAULT_AGGREGATE_INTERVAL_SECONDS, clock);
    this.logger = new EventLogger(size);
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
