import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "./store.ts";
import { EventRecorder, EVENT_TTL_MS, SERIES_FINISH_MS } from "./events.ts";
import { SimClock } from "../sim/clock.ts";
import type { KObject } from "./types.ts";

function setup() {
  const clock = new SimClock("2024-01-08T00:00:00Z");
  const api = new ApiServer(clock);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const rec = new EventRecorder(api);
  const pod = api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { containers: [{ name: "a", image: "x" }] } });
  return { clock, api, rec, pod };
}

const events = (api: ApiServer) => api.list("Event", { namespace: "default" });
const kubelet = { component: "kubelet", host: "k8s-node1" };

test("a repeated event is aggregated: count grows, lastTimestamp moves, firstTimestamp stays", () => {
  const { clock, api, rec, pod } = setup();
  const unhealthy = { type: "Warning" as const, reason: "Unhealthy", message: "Liveness probe failed: HTTP probe failed with statuscode: 500", source: kubelet, fieldPath: "spec.containers{a}" };
  rec.record(pod, unhealthy);
  clock.advance(10_000);
  rec.record(pod, unhealthy);
  clock.advance(10_000);
  rec.record(pod, unhealthy);
  const evs = events(api);
  assert.equal(evs.length, 1);
  const e = evs[0];
  assert.equal(e.count, 3);
  assert.equal(e.firstTimestamp, "2024-01-08T00:00:00Z");
  assert.equal(e.lastTimestamp, "2024-01-08T00:00:20Z");
  assert.deepEqual(e.involvedObject, { apiVersion: "v1", fieldPath: "spec.containers{a}", kind: "Pod", name: "web", namespace: "default", resourceVersion: pod.metadata.resourceVersion, uid: pod.metadata.uid });
  assert.deepEqual(e.source, kubelet);
  assert.match(e.metadata.name ?? "", /^web\.[0-9a-f]+$/);
});

test("a different message, reason or source is a new event", () => {
  const { api, rec, pod } = setup();
  rec.record(pod, { type: "Normal", reason: "Pulling", message: 'Pulling image "x"', source: kubelet });
  rec.record(pod, { type: "Normal", reason: "Pulled", message: 'Pulled image "x"', source: kubelet });
  rec.record(pod, { type: "Normal", reason: "Pulling", message: 'Pulling image "y"', source: kubelet });
  rec.record(pod, { type: "Normal", reason: "Pulling", message: 'Pulling image "x"', source: { component: "kubelet", host: "k8s-node2" } });
  assert.equal(events(api).length, 4);
  assert.ok(events(api).every((e) => e.count === 1));
});

test("scheduler-style events count repeats in series and show null timestamps", () => {
  const { clock, api, rec, pod } = setup();
  const failed = { type: "Warning" as const, reason: "FailedScheduling", message: "0/1 nodes are available", source: { component: "default-scheduler" }, newStyle: true, action: "Scheduling" };
  rec.record(pod, failed);
  clock.advance(5_000);
  rec.record(pod, failed);
  const [e] = events(api);
  assert.equal(e.firstTimestamp, null);
  assert.equal(e.lastTimestamp, null);
  assert.equal(e.series.count, 2);
  assert.equal(e.reportingComponent, "default-scheduler");
  assert.equal(e.action, "Scheduling");
});

test("events expire one hour (--event-ttl) after their last update", () => {
  const { clock, api, rec, pod } = setup();
  rec.record(pod, { type: "Normal", reason: "Scheduled", message: "Successfully assigned default/web to k8s-node1", source: { component: "default-scheduler" } });
  clock.advance(30 * 60_000);
  rec.record(pod, { type: "Normal", reason: "Started", message: "Started container a", source: kubelet });
  clock.advance(EVENT_TTL_MS - 30 * 60_000 + 60_000);
  assert.deepEqual(events(api).map((e: KObject) => e.reason), ["Started"], "the first event is gone, the later one stays");
  clock.advance(30 * 60_000);
  assert.equal(events(api).length, 0);
});

test("an aggregated event's TTL counts from its last repeat; after expiry a repeat starts over at count 1", () => {
  const { clock, api, rec, pod } = setup();
  const backoff = { type: "Warning" as const, reason: "BackOff", message: "Back-off restarting failed container a in pod web_default", source: kubelet };
  rec.record(pod, backoff);
  clock.advance(50 * 60_000);
  rec.record(pod, backoff);
  clock.advance(20 * 60_000);
  assert.equal(events(api)[0]?.count, 2, "still there 70 min after the first, 20 min after the last");
  clock.advance(45 * 60_000);
  assert.equal(events(api).length, 0);
  rec.record(pod, backoff);
  // client-go's recordEvent: the patch of the key's Event is NotFound, so it creates it again under
  // the same name with the event logger's count and firstTimestamp.
  const [again] = events(api);
  assert.equal(again.count, 3);
  assert.equal(again.firstTimestamp, "2024-01-08T00:00:00Z");
  assert.equal(again.lastTimestamp, "2024-01-08T01:55:00Z");
});

test("repeating through a handle writes what record writes, and a handle whose Event expired or went records anew", () => {
  const backOff = { type: "Warning" as const, reason: "BackOff", message: "Back-off restarting failed container a in pod web_default(x)", source: kubelet, fieldPath: "spec.containers{a}" };
  const run = (viaHandle: boolean) => {
    const { clock, api, rec, pod } = setup();
    let h = rec.recordHandle(pod, backOff);
    const step = () => (viaHandle ? (h = rec.repeat(pod, backOff, h)) : rec.record(pod, backOff));
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      step();
    }
    // past the TTL: the recorder forgets the key and deletes the Event; the next repeat creates a new one
    clock.advance(EVENT_TTL_MS + 60_000);
    step();
    clock.advance(10_000);
    step();
    // deleted from outside: the next repeat creates a new one as record does
    for (const e of events(api)) api.delete("Event", "default", e.metadata.name!);
    step();
    clock.advance(10_000);
    step();
    return { list: JSON.stringify(events(api)), rv: api.resourceVersion, h };
  };
  const plain = run(false);
  const handled = run(true);
  assert.equal(handled.list, plain.list);
  assert.equal(handled.rv, plain.rv);
  const [e] = JSON.parse(handled.list) as KObject[];
  assert.equal(e.count, 8, "the logger's count goes on across the TTL and deletes");
});

test("repeats are written as the reference engine writes them: same objects, resourceVersions and watch events, also for an Event held by a finalizer or changed from outside", () => {
  const run = (reference: boolean) => {
    const { clock, api, rec, pod } = setup();
    api.reference = reference;
    const seen: string[] = [];
    api.watch("Event", (e) => seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion} ${e.object.count ?? e.object.series?.count}`));
    const opts = { type: "Warning" as const, reason: "BackOff", message: "Back-off restarting failed container a in pod web_default(x)", source: kubelet, fieldPath: "spec.containers{a}" };
    const sched = { type: "Warning" as const, reason: "FailedScheduling", message: "0/1 nodes are available", source: { component: "default-scheduler" }, newStyle: true, action: "Scheduling" };
    let h = rec.recordHandle(pod, opts);
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      h = rec.repeat(pod, opts, h);
      rec.record(pod, sched);
    }
    // changed from outside (a label), then held by a finalizer and deleted: repeats go on as update writes them
    const [ev] = events(api).filter((e) => e.reason === "BackOff");
    api.update({ ...ev, metadata: { ...ev.metadata, labels: { seen: "yes" }, finalizers: ["example.com/hold"] } });
    clock.advance(10_000);
    h = rec.repeat(pod, opts, h);
    api.delete("Event", "default", ev.metadata.name!);
    clock.advance(10_000);
    h = rec.repeat(pod, opts, h);
    clock.advance(0);
    return { list: JSON.stringify(events(api)), rv: api.resourceVersion, seen: seen.join("\n") };
  };
  const fast = run(false);
  const reference = run(true);
  assert.equal(fast.list, reference.list);
  assert.equal(fast.rv, reference.rv);
  assert.equal(fast.seen, reference.seen);
  assert.match(fast.list, /"count":6/);
});

test("expiry: an Event goes at the first pass an hour after its last-seen time, on both engines (the fast one reads the instant it wrote, issue #19)", () => {
  // Passes run every minute from the recorder's start; writes at x.5 s read back as whole seconds
  // (lastTimestamp) or whole milliseconds (MicroTime), which decides the pass that removes them.
  const run = (reference: boolean) => {
    const { clock, api, rec, pod } = setup();
    api.reference = reference;
    const old = { type: "Normal" as const, reason: "Pulled", message: "m", source: kubelet };
    const killing = { type: "Normal" as const, reason: "Killing", message: "k", source: kubelet };
    const fresh = { type: "Normal" as const, reason: "Scheduled", message: "s", source: { component: "default-scheduler" }, newStyle: true, action: "Binding" };
    clock.advance(60_500);
    rec.record(pod, old);
    rec.record(pod, fresh);
    rec.record(pod, killing);
    clock.advance(59_900); // 120.4 s
    rec.record(pod, old);
    rec.repeat(pod, fresh, rec.recordHandle(pod, fresh));
    // someone else's write: the recorder no longer knows the stored object
    api.mutate("Event", "default", events(api).find((e) => e.reason === "Killing")!.metadata.name!, (e) => (e.lastTimestamp = "2024-01-08T00:10:00Z"));
    const gone: Record<string, number> = {};
    for (let minute = 3; minute <= 75; minute++) {
      clock.advance(60_000);
      const left = new Set(events(api).map((e) => e.reason));
      for (const r of ["Pulled", "Scheduled", "Killing"]) if (!left.has(r)) gone[r] ??= minute;
    }
    return gone;
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  // Pulled last seen at 120 s: the pass at 62 min; Scheduled at 120.4 s: 63 min; Killing at 10:00: 70 min.
  assert.deepEqual(fast, { Pulled: 62, Scheduled: 63, Killing: 70 });
});

test("expiry: the fast engine skips passes that would remove nothing, and still sees Events changed by others before the recorder's next write (issue #19)", () => {
  const run = (reference: boolean) => {
    const { clock, api, rec, pod } = setup();
    api.reference = reference;
    let looked = 0;
    const holds = api.holdsEvent.bind(api);
    api.holdsEvent = (...a) => {
      looked++;
      return holds(...a);
    };
    const ev = (reason: string) => ({ type: "Normal" as const, reason, message: reason.toLowerCase(), source: kubelet });
    const named = (reason: string) => events(api).find((e) => e.reason === reason)!.metadata.name!;
    clock.advance(30_000);
    rec.record(pod, ev("Pulled"));
    rec.record(pod, ev("Killing"));
    clock.advance(4 * 60_000);
    // Someone else moves Pulled's last-seen time back half an hour; the recorder writes right after,
    // so the store's last Event change is its own again.
    api.mutate("Event", "default", named("Pulled"), (e) => (e.lastTimestamp = "2024-01-07T23:30:00Z"));
    rec.record(pod, ev("Created"));
    clock.advance(5 * 60_000);
    // Someone else deletes Killing and writes one of their own the recorder does not track.
    api.delete("Event", "default", named("Killing"));
    api.create({ apiVersion: "v1", kind: "Event", metadata: { name: "other", namespace: "default" }, involvedObject: { kind: "Pod", name: "web", namespace: "default" }, reason: "Other", message: "o", lastTimestamp: "2024-01-07T23:00:00Z" });
    rec.record(pod, ev("Started"));
    const gone: Record<string, number> = {};
    const lookedAt: number[] = [];
    for (let minute = 10; minute <= 75; minute++) {
      const before = looked;
      clock.advance(60_000);
      lookedAt.push(looked - before);
      const left = new Set(events(api).map((e) => e.reason));
      for (const r of ["Pulled", "Created", "Started", "Other"]) if (!left.has(r)) gone[r] ??= minute;
    }
    return { gone, lookedAt };
  };
  const fast = run(false);
  const reference = run(true);
  assert.deepEqual(fast.gone, reference.gone);
  // Pulled (set back to 23:30 by someone else) at the pass of minute 30; Created (4:30) at 65, Started (9:30) at 70.
  assert.deepEqual(fast.gone, { Pulled: 30, Created: 65, Started: 70 });
  // The fast engine looks at the live Events only at the pass after others' changes (minute 10) and
  // at those that remove one (30, 65, 70); the reference engine at every pass (it reads each stored
  // Event instead of asking whether the store holds what it wrote).
  const passes = (l: number[]) => l.flatMap((n, i) => (n > 0 ? [i + 10] : []));
  assert.deepEqual(passes(fast.lookedAt), [10, 30, 65, 70]);
});

test("events.k8s.io (tools/events): the second isomorphic event writes series count 2; later ones count in the cache until finishSeries (6 min without a repeat) or the 30-minute refresh", () => {
  const { clock, api, rec, pod } = setup();
  const failed = (message: string) => ({ type: "Warning" as const, reason: "FailedScheduling", message, source: { component: "default-scheduler" }, newStyle: true, action: "Scheduling" });
  const stored = () => events(api).filter((e) => e.reason === "FailedScheduling");
  rec.record(pod, failed("0/1 nodes are available: 1 Insufficient cpu."));
  assert.equal(stored()[0].series, undefined);
  clock.advance(10_000);
  // getKey has no message: another message is the same series, and the Event keeps the first one
  rec.record(pod, failed("0/2 nodes are available: 2 Insufficient cpu."));
  assert.deepEqual(stored()[0].series, { count: 2, lastObservedTime: "2024-01-08T00:00:10.000000Z" });
  for (let i = 0; i < 3; i++) {
    clock.advance(10_000);
    rec.record(pod, failed("0/1 nodes are available: 1 Insufficient cpu."));
  }
  assert.equal(stored().length, 1);
  assert.equal(stored()[0].series.count, 2, "repeats after the second are not written at once");
  assert.equal(stored()[0].message, "0/1 nodes are available: 1 Insufficient cpu.");
  // finishSeries runs every 6 minutes from the start: at 6:00 the last repeat (0:40) is not yet 6 minutes old; at 12:00 it is.
  clock.advance(6 * 60_000 - 40_000);
  assert.equal(stored()[0].series.count, 2);
  clock.advance(6 * 60_000);
  assert.deepEqual(stored()[0].series, { count: 5, lastObservedTime: "2024-01-08T00:00:40.000000Z" });
  // the series is finished: the next isomorphic event is a new Event
  rec.record(pod, failed("0/1 nodes are available: 1 Insufficient cpu."));
  assert.equal(stored().length, 2);
});

test("events.k8s.io: the regarding object's resourceVersion is part of the key; an open series is written every 30 minutes", () => {
  const { clock, api, rec, pod } = setup();
  const failed = { type: "Warning" as const, reason: "FailedScheduling", message: "0/1 nodes are available", source: { component: "default-scheduler" }, newStyle: true, action: "Scheduling" };
  rec.record(pod, failed);
  const updated = api.update({ ...pod, metadata: { ...pod.metadata, labels: { a: "b" } } });
  rec.record(updated, failed);
  assert.equal(events(api).length, 2, "a new resourceVersion: not isomorphic");
  for (let i = 0; i < 100; i++) {
    clock.advance(60_000);
    rec.record(updated, failed);
    if (i === 28) assert.equal(events(api)[1].series.count, 2, "at 29 min");
    // the clock runs the refresh at 30:00 before this loop's record at 30:00
    if (i === 29) assert.equal(events(api)[1].series.count, 30, "the refresh at 30 min writes the count so far");
  }
  // the singleton (last seen at 0:00) went with the TTL; the series lives on, refreshed at 60 and 90 min
  assert.deepEqual(events(api).map((e) => e.series?.count), [90]);
});

test("the fast engine stores the recorder's Events as the reference engine does: core events (decoding skipped), Node events, aggregated ones, series created and re-created after expiry (bodies copied without structuredClone)", () => {
  const run = (reference: boolean) => {
    const { clock, api, rec, pod } = setup();
    api.reference = reference;
    const node = api.create({ apiVersion: "v1", kind: "Node", metadata: { name: "k8s-node1" } });
    const seen: string[] = [];
    api.watch("Event", (ev) => seen.push(`${ev.type} ${JSON.stringify(ev.object)}`));
    rec.record(pod, { type: "Normal", reason: "Pulled", message: 'Container image "x" already present on machine', source: kubelet, fieldPath: "spec.containers{a}" });
    rec.record(node, { type: "Normal", reason: "NodeReady", message: "Node k8s-node1 status is now: NodeReady", source: kubelet });
    // Eleven messages of one reason: the tenth on is the combined event.
    for (let i = 0; i < 11; i++) rec.record(pod, { type: "Warning", reason: "BackOff", message: `Back-off ${i}`, source: kubelet, fieldPath: "spec.containers{a}" });
    for (let i = 0; i < 3; i++) {
      rec.record(pod, { type: "Normal", reason: "Scheduled", message: "Successfully assigned default/web to k8s-node1", source: { component: "default-scheduler" }, action: "Binding", newStyle: true });
      clock.advance(1000);
    }
    // The series' Event expires, then a repeat writes it again with its series.
    clock.advance(EVENT_TTL_MS + 60_000);
    rec.record(pod, { type: "Normal", reason: "Scheduled", message: "Successfully assigned default/web to k8s-node1", source: { component: "default-scheduler" }, action: "Binding", newStyle: true });
    clock.advance(SERIES_FINISH_MS + 60_000);
    clock.settle();
    return { seen, stored: JSON.stringify(events(api)) };
  };
  const fast = run(false);
  const ref = run(true);
  assert.ok(fast.seen.length > 10);
  assert.deepEqual(fast.seen, ref.seen);
  assert.equal(fast.stored, ref.stored);
});
