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

test("stamped lru with dormant owners: entries touched at firings that do not run take their place at eviction time, exactly as touched for real (random schedules on the simulated clock)", async () => {
  // The reference: every chain touches its two keys at each of its firings. The fast run: a chain
  // may go to sleep (its interval dormant, its entries owned) after a firing; a real touch of one of
  // its keys, the eviction of one, or a poke wakes it (its entries released at their last virtual
  // touch), and so does an alarm set at a later firing. Other timers touch and add other keys
  // (a small cache: evictions all along). Every eviction and, at the end, the cache's order must
  // be the reference's.
  const { SimClock } = await import("../sim/clock.ts");
  let evictions = 0;
  let ownedEvictions = 0;
  let sleeps = 0;
  for (let seed = Number(process.env.LRU_SEED ?? 1); seed <= Number(process.env.LRU_SEED ?? 60); seed++) {
    const logs: string[][] = [];
    for (const fast of [false, true]) {
      let s = seed * 7907;
      const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const clock = new SimClock(1_700_000_000_000);
      const lru = new Lru<number>(12, fast ? clock : undefined);
      const log: string[] = [];
      type Chain = { label: string; period: number; keys: string[]; handle: ReturnType<InstanceType<typeof SimClock>["setChain"]>; asleep: boolean; owner: import("./events_cache.ts").LruOwner | undefined };
      const chains: Chain[] = [];
      const owners = new Map<string, Chain>();
      const wake = (c: Chain, why: string) => {
        if (!c.asleep) return;
        c.asleep = false;
        for (const k of c.keys) owners.delete(k);
        log.push(`wake ${c.label}@${clock.now()}${why === "touch" ? "" : ` (${why})`}`);
        if (fast) {
          const n = clock.isDormant(c.handle) ? clock.wake(c.handle) : clock.skipped(c.handle);
          const last = n > 0 ? clock.lastSkipped(c.handle) : undefined;
          for (const k of c.keys) lru.release(k, c.owner!, last);
          c.owner = undefined;
        }
      };
      const touch = (k: string, add: boolean) => {
        const c = owners.get(k);
        // The fast run's owner wakes from inside the cache, before the touch or the eviction.
        if (c && !fast) wake(c, "touch");
        if (!fast && !lru.has(k) && lru.size === 12) {
          const o = owners.get(lru.keys().at(-1)!);
          if (o) wake(o, "touch");
        }
        if (process.env.LRU_SEED && clock.now() >= 1700000059000 && clock.now() <= 1700000060000) log.push(`touch ${k} ${add} [${lru.keys().join(" ")}]`);
        const had = new Set(lru.keys());
        const ownedBefore = new Set(owners.keys());
        if (add || !lru.has(k)) lru.add(k, 1);
        else lru.get(k);
        for (const x of had) {
          if (lru.has(x)) continue;
          evictions++;
          log.push(`evict ${x}@${clock.now()}`);
          if (fast ? !owners.has(x) && ownedBefore.has(x) : ownedBefore.has(x)) ownedEvictions++;
        }
      };
      const sleep = (c: Chain) => {
        if (c.asleep || !c.keys.every((k) => lru.has(k))) return;
        const alarm = rnd() < 0.4 ? clock.nextDue(c.handle) + (1 + Math.floor(rnd() * 4)) * c.period : undefined;
        c.asleep = true;
        sleeps++;
        for (const k of c.keys) owners.set(k, c);
        log.push(`sleep ${c.label}@${clock.now()}`);
        if (fast) {
          const owner = { lastTouch: () => clock.lastSkipped(c.handle), wake: () => wake(c, "touch") };
          c.owner = owner;
          c.keys.forEach((k, i) => lru.own(k, owner, i));
          clock.sleep(c.handle, alarm);
        } else (c as Chain & { alarm?: number }).alarm = alarm;
      };
      const chain = (label: string, period: number) => {
        const c: Chain & { alarm?: number } = { label, period, keys: [`${label}.a`, `${label}.b`], handle: undefined as never, asleep: false, owner: undefined };
        c.handle = clock.setChain(() => {
          if (c.asleep) {
            if (fast || clock.now() === c.alarm) wake(c, "alarm");
            else {
              for (const k of c.keys) if (lru.get(k) === undefined) lru.add(k, 1);
              return;
            }
          }
          for (const k of c.keys) touch(k, false);
          if (rnd() < 0.5) sleep(c);
        }, period);
        chains.push(c);
      };
      const other = (label: string, depth: number) => {
        clock.setTimeout(() => {
          touch(pick(["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13", "k14", ...chains.flatMap((c) => c.keys)]), rnd() < 0.3);
          if (rnd() < 0.2 && chains.length) wake(pick(chains), "poke");
          if (depth < 3 && rnd() < 0.7) other(`${label}.`, depth + 1);
        }, pick([300, 700, 1000, 1000, 2000, 3500]));
      };
      for (let i = 0; i < 5; i++) chain(`c${i}`, pick([1000, 2000, 2000, 3000]));
      for (let step = 0; step < 80; step++) {
        for (let i = 0; i < 3; i++) other(`o${step}.${i}`, 0);
        if (rnd() < 0.2) touch(pick(["k1", "k2", "k3", ...chains.flatMap((c) => c.keys)]), false);
        clock.advance(pick([500, 1000, 2000, 4000]));
      }
      for (const c of chains) wake(c, "end");
      log.push(`order ${lru.keys().join(" ")}`);
      logs.push(log);
    }
    if (process.env.LRU_SEED) for (let i = 0; i < Math.max(logs[0]!.length, logs[1]!.length); i++) console.log(logs[0]![i] === logs[1]![i] ? "  " : "! ", logs[0]![i], "|", logs[1]![i]);
    assert.deepEqual(logs[1], logs[0], `seed ${seed}`);
  }
  assert.ok(evictions > 1000, `only ${evictions} evictions`);
  assert.ok(ownedEvictions > 50, `only ${ownedEvictions} evictions of owned entries`);
  assert.ok(sleeps > 500, `only ${sleeps} sleeps`);
});
