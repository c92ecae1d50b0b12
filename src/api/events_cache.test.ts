// Ports client-go's tools/record/events_cache_test.go (TestEventAggregatorByReasonFunc,
// TestEventAggregatorByReasonMessageFunc, TestEventCorrelator, TestEventSpamFilter), plus the
// token bucket's and the LRU's arithmetic.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EventAggregator,
  EventCorrelator,
  DEFAULT_AGGREGATE_INTERVAL_SECONDS,
  DEFAULT_AGGREGATE_MAX_EVENTS,
  DEFAULT_SPAM_BURST,
  DEFAULT_SPAM_QPS,
  Lru,
  TokenBucket,
  eventAggregatorByReasonFunc,
  eventAggregatorByReasonMessageFunc,
  type CorrelatedEvent,
} from "./events_cache.ts";

/** clock.IntervalClock: every Now() moves the time on by `duration`. */
function intervalClock(durationMs: number) {
  let t = Date.UTC(2024, 0, 8);
  return () => (t += durationMs);
}
const rfc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const makeObjectReference = (kind: string, name: string, namespace: string) => ({ kind, name, namespace, uid: "C934D34AFB20242", apiVersion: "version", fieldPath: "spec.containers{mycontainer}" });

function makeEvent(reason: string, message: string, involvedObject: CorrelatedEvent["involvedObject"]): CorrelatedEvent {
  return { name: "", namespace: "", reason, message, involvedObject, source: { component: "kubelet", host: "kublet.node1" }, count: 1, firstTimestamp: "", lastTimestamp: "", type: "Normal", reportingComponent: "", reportingInstance: "" };
}
const makeEvents = (n: number, e: CorrelatedEvent) => Array.from({ length: n }, () => ({ ...e }));
const makeUniqueEvents = (n: number) => Array.from({ length: n }, (_, i) => makeEvent(`reason-${i}`, `message-${i}`, makeObjectReference("Pod", `pod-${i}`, `ns-${i}`)));
const makeSimilarEvents = (n: number, e: CorrelatedEvent, prefix: string) => makeEvents(n, e).map((x, i) => ({ ...x, message: `${prefix}-${i}-${x.message}` }));

test("TestEventAggregatorByReasonFunc: events that vary only by message share the aggregate key", () => {
  const e1 = makeEvent("end-of-world", "it was fun", makeObjectReference("Pod", "pod1", "other"));
  const e2 = makeEvent("end-of-world", "it was awful", makeObjectReference("Pod", "pod1", "other"));
  const e3 = makeEvent("nevermind", "it was a bug", makeObjectReference("Pod", "pod1", "other"));
  const [a1, l1] = eventAggregatorByReasonFunc(e1);
  const [a2, l2] = eventAggregatorByReasonFunc(e2);
  const [a3] = eventAggregatorByReasonFunc(e3);
  assert.equal(a1, a2);
  assert.notEqual(l1, l2);
  assert.notEqual(a1, a3);
});

test("TestEventAggregatorByReasonMessageFunc", () => {
  assert.equal(eventAggregatorByReasonMessageFunc(makeEvent("end-of-world", "it was fun", makeObjectReference("Pod", "pod1", "other"))), "(combined from similar events): it was fun");
});

test("TestEventCorrelator: counting, aggregation and spam", () => {
  const first = makeEvent("first", "i am first", makeObjectReference("Pod", "my-pod", "my-ns"));
  const duplicate = makeEvent("duplicate", "me again", makeObjectReference("Pod", "my-pod", "my-ns"));
  const unique = makeEvent("unique", "snowflake", makeObjectReference("Pod", "my-pod", "my-ns"));
  const similar = makeEvent("similar", "similar message", makeObjectReference("Pod", "my-pod", "my-ns"));
  similar.involvedObject = { ...similar.involvedObject, fieldPath: "spec.containers{container1}" };
  const aggregate = makeEvent(similar.reason, eventAggregatorByReasonMessageFunc(similar), similar.involvedObject);
  const similarOtherContainer = { ...similar, involvedObject: { ...similar.involvedObject, fieldPath: "spec.containers{container2}" } };
  const scenarios: Record<string, { previous: CorrelatedEvent[]; event: CorrelatedEvent; expected?: { message: string; count: number }; intervalSeconds: number; skip?: boolean }> = {
    "create-a-single-event": { previous: [], event: first, expected: { message: first.message, count: 1 }, intervalSeconds: 5 },
    "the-same-event-should-just-count": { previous: makeEvents(1, duplicate), event: duplicate, expected: { message: duplicate.message, count: 2 }, intervalSeconds: 5 },
    "the-same-event-should-just-count-even-if-more-than-aggregate": { previous: makeEvents(DEFAULT_AGGREGATE_MAX_EVENTS, duplicate), event: duplicate, expected: { message: duplicate.message, count: DEFAULT_AGGREGATE_MAX_EVENTS + 1 }, intervalSeconds: 30 },
    "the-same-event-is-spam-if-happens-too-frequently": { previous: makeEvents(DEFAULT_SPAM_BURST + 1, duplicate), event: duplicate, skip: true, intervalSeconds: 1 },
    "create-many-unique-events": { previous: makeUniqueEvents(30), event: unique, expected: { message: unique.message, count: 1 }, intervalSeconds: 5 },
    "similar-events-should-aggregate-event": { previous: makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS - 1, similar, similar.message), event: similar, expected: { message: aggregate.message, count: 1 }, intervalSeconds: 5 },
    "similar-events-many-times-should-count-the-aggregate": { previous: makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS, similar, similar.message), event: similar, expected: { message: aggregate.message, count: 2 }, intervalSeconds: 5 },
    "events-from-different-containers-do-not-aggregate": { previous: makeEvents(1, similarOtherContainer), event: similar, expected: { message: similar.message, count: 1 }, intervalSeconds: 5 },
    "similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate": { previous: makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS - 1, similar, similar.message), event: similar, expected: { message: similar.message, count: 1 }, intervalSeconds: DEFAULT_AGGREGATE_INTERVAL_SECONDS },
  };
  for (const [name, s] of Object.entries(scenarios)) {
    const clock = intervalClock(s.intervalSeconds * 1000);
    const c = new EventCorrelator(clock);
    let n = 0;
    const play = (e: CorrelatedEvent) => {
      const now = rfc(clock());
      return c.eventCorrelate({ ...e, name: `${e.involvedObject.name}.${n++}`, firstTimestamp: now, lastTimestamp: now });
    };
    for (const e of s.previous) {
      const r = play(e);
      // if we are skipping the event, we can avoid updating state
      if (r) c.updateState(r);
    }
    const r = play(s.event);
    assert.equal(r === undefined, !!s.skip, `${name}: skip`);
    if (!r || !s.expected) continue;
    assert.equal(r.message, s.expected.message, `${name}: message`);
    assert.equal(r.count, s.expected.count, `${name}: count`);
    assert.equal(r.reason, s.event.reason, `${name}: reason`);
    assert.deepEqual(r.involvedObject, s.event.involvedObject, `${name}: involvedObject`);
    // validateEvent: first == last exactly when the event was seen once
    assert.equal(r.firstTimestamp === r.lastTimestamp, s.expected.count === 1, `${name}: timestamps`);
  }
});

test("TestEventSpamFilter: the default spam key is source + object, not reason", () => {
  const clock = intervalClock(1000);
  const c = new EventCorrelator(clock, { burstSize: 1 });
  const original = makeEvent("original", "i am first", makeObjectReference("Pod", "my-pod", "my-ns"));
  const differentReason = makeEvent("duplicate", "me again", makeObjectReference("Pod", "my-pod", "my-ns"));
  const r = c.eventCorrelate({ ...original, name: "a" });
  assert.ok(r);
  c.updateState(r);
  assert.equal(c.eventCorrelate({ ...differentReason, name: "b" }), undefined);
});

test("the token bucket: full at start (25), then one token per float32(1/300) s, refused calls change nothing", () => {
  assert.equal(DEFAULT_SPAM_QPS, 0.0033333334140479565);
  const b = new TokenBucket(DEFAULT_SPAM_QPS, DEFAULT_SPAM_BURST);
  const t0 = 1_000_000;
  for (let i = 0; i < 25; i++) assert.ok(b.tryAccept(t0), `burst ${i}`);
  assert.ok(!b.tryAccept(t0));
  // 1 / 0.0033333334140479565 = 299.99999273 s
  assert.ok(!b.tryAccept(t0 + 299_999));
  assert.ok(b.tryAccept(t0 + 300_000));
  assert.ok(!b.tryAccept(t0 + 300_000));
  // refused calls leave `last` where it was: the next token is due 300 s after the last accepted call
  assert.ok(!b.tryAccept(t0 + 599_000));
  assert.ok(b.tryAccept(t0 + 600_000));
  // idle long: refilled to the burst, not beyond
  const later = t0 + 10 * 3600_000;
  for (let i = 0; i < 25; i++) assert.ok(b.tryAccept(later));
  assert.ok(!b.tryAccept(later));
});

test("the spam filter over time: a crash-looping pod's 25 events, then one per 5 minutes; the logger counts the dropped ones", () => {
  let now = Date.UTC(2024, 0, 8);
  const c = new EventCorrelator(() => now);
  const pod = makeObjectReference("Pod", "web", "default");
  const backOff = makeEvent("BackOff", "Back-off restarting failed container", pod);
  const written: { count: number; at: number }[] = [];
  for (let i = 0; i < 100; i++) {
    const r = c.eventCorrelate({ ...backOff, name: "web.1", firstTimestamp: rfc(now), lastTimestamp: rfc(now) });
    if (r) {
      c.updateState(r);
      written.push({ count: r.count, at: (now - Date.UTC(2024, 0, 8)) / 1000 });
    }
    now += 10_000;
  }
  // 25 (one every 10 s, the bucket refilling 0.8 token meanwhile), the next token at 300 s, then
  // one each 300 s; each written count includes the repeats dropped in between.
  assert.deepEqual(written.slice(23).map((w) => `${w.count}@${w.at}`), ["24@230", "25@240", "31@300", "61@600", "91@900"]);
});

test("groupcache lru: get refreshes, add evicts the oldest past the limit", () => {
  const l = new Lru<number>(2);
  l.add("a", 1);
  l.add("b", 2);
  assert.equal(l.get("a"), 1);
  l.add("c", 3);
  assert.equal(l.get("b"), undefined, "b was the oldest");
  assert.equal(l.get("a"), 1);
  assert.equal(l.get("c"), 3);
});

test("an evicted key starts a new Event: the logger's LRU holds 4,096 keys", () => {
  let now = Date.UTC(2024, 0, 8);
  const c = new EventCorrelator(() => now, { lruCacheSize: 3 });
  const rec = (obj: string) => {
    const r = c.eventCorrelate({ ...makeEvent("Started", "m", makeObjectReference("Pod", obj, "default")), name: `${obj}.${now}`, firstTimestamp: rfc(now), lastTimestamp: rfc(now) });
    if (r) c.updateState(r);
    now += 1000;
    return r?.count;
  };
  assert.equal(rec("a"), 1);
  assert.equal(rec("a"), 2);
  for (const o of ["b", "c", "d"]) rec(o);
  assert.equal(rec("a"), 1, "a was evicted");
});

test("groupcache lru against a reference model: random gets and adds evict exactly the least recently used", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const l = new Lru<number>(8);
  const model: string[] = []; // most recent last
  for (let i = 0; i < 5000; i++) {
    const k = "k" + Math.floor(rnd() * 20);
    if (rnd() < 0.5) {
      const v = l.get(k);
      const at = model.indexOf(k);
      assert.equal(v !== undefined, at >= 0, `get ${k} at ${i}`);
      if (at >= 0) model.push(...model.splice(at, 1));
    } else {
      l.add(k, i);
      const at = model.indexOf(k);
      if (at >= 0) model.splice(at, 1);
      model.push(k);
      if (model.length > 8) model.shift();
    }
    assert.equal(l.size, model.length);
  }
  for (const k of model) assert.ok(l.has(k));
});

test("the aggregator's message set against a reference model (a Go set popping its first member): one, two and many messages, max 1 to 4, records expiring", () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const max of [1, 2, 3, 4]) {
    let now = 0;
    const agg = new EventAggregator(16, max, 600, () => now);
    const model = new Map<string, { keys: Set<string>; last: number }>();
    for (let i = 0; i < 4000; i++) {
      now += Math.floor(rnd() * 120_000);
      const aggregateKey = "a" + Math.floor(rnd() * 3);
      const localKey = "m" + Math.floor(rnd() * 5);
      const got = agg.eventAggregate({ aggregateKey, localKey, eventKey: aggregateKey + localKey, spamKey: "" });
      let rec = model.get(aggregateKey);
      if (!rec || now - rec.last > 600_000) rec = { keys: new Set(), last: 0 };
      rec.keys.add(localKey);
      rec.last = now;
      model.set(aggregateKey, rec);
      const aggregate = rec.keys.size >= max;
      if (aggregate) rec.keys.delete(rec.keys.values().next().value as string);
      assert.deepEqual(got, { aggregate, key: aggregate ? aggregateKey : aggregateKey + localKey }, `max ${max}, event ${i}`);
    }
  }
});
