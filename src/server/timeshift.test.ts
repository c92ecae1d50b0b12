import { test } from "node:test";
import assert from "node:assert/strict";
import { deepFreeze } from "../api/types.ts";
import { encodeObject } from "./cachingobject.ts";
import { presentBody, shiftObject, shiftTime } from "./timeshift.ts";
import { wallClockLead } from "./handlers/installer.ts";
import { Cluster } from "../cluster.ts";
import { send, withServer } from "./testutil.ts";

const POD = () => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { containers: [{ name: "c", image: "busybox" }] },
  status: { phase: "Running", startTime: "2026-01-01T00:00:01Z", containerStatuses: [{ name: "c", state: { running: { startedAt: "2026-01-01T00:00:02.5Z" } } }] },
});

test("shiftTime moves an RFC 3339 time by whole seconds and keeps its fraction as written", () => {
  assert.equal(shiftTime("2026-01-01T00:00:02.5Z", 3_000), "2026-01-01T00:00:05.5Z");
  assert.equal(shiftTime("2026-01-01T00:00:02Z", -2_000), "2026-01-01T00:00:00Z");
  assert.equal(shiftTime("not a time", 1_000), "not a time");
  // Out of range: left as sent (Date.UTC would carry it into the next month), for the decoder to refuse.
  assert.equal(shiftTime("2024-02-30T00:00:00Z", 1_000), "2024-02-30T00:00:00Z");
  assert.equal(shiftTime("2024-01-08T24:00:00Z", 1_000), "2024-01-08T24:00:00Z");
  assert.equal(shiftTime("2024-02-29T23:59:59Z", 1_000), "2024-03-01T00:00:00Z");
});

test("shiftObject moves every time field of the kind, shares the rest and leaves the stored object as it was", () => {
  const stored = deepFreeze(POD());
  const shown = shiftObject(stored, 60_000);
  assert.equal(shown.metadata.creationTimestamp, "2026-01-01T00:01:00Z");
  assert.equal(shown.status.startTime, "2026-01-01T00:01:01Z");
  assert.equal(shown.status.containerStatuses[0]!.state.running.startedAt, "2026-01-01T00:01:02.5Z");
  assert.equal(shown.spec, stored.spec, "parts without times are shared");
  assert.equal(stored.metadata.creationTimestamp, "2026-01-01T00:00:00Z");
  assert.equal(shiftObject(stored, 0), stored);
});

test("a stored version presented with the same lead is the same object, so its encoding is made once", () => {
  const stored = deepFreeze(POD());
  const a = shiftObject(stored, 60_000);
  assert.equal(shiftObject(stored, 60_000), a);
  assert.ok(Object.isFrozen(a));
  assert.equal(encodeObject(a), encodeObject(shiftObject(stored, 60_000)), "one cached encoding");
  // In a list too.
  const list = (delta: number) => presentBody({ kind: "PodList", apiVersion: "v1", metadata: {}, items: [stored] }, delta) as { items: unknown[] };
  assert.equal(list(60_000).items[0], a);
  // The lead moved a second: a new presentation with the new times, then cached in its turn.
  const b = shiftObject(stored, 61_000);
  assert.notEqual(b, a);
  assert.equal(b.metadata.creationTimestamp, "2026-01-01T00:01:01Z");
  assert.equal(shiftObject(stored, 61_000), b);
  // Objects that are not stored versions (request bodies) are not kept.
  const body = POD();
  assert.notEqual(shiftObject(body, 60_000), shiftObject(body, 60_000));
  assert.ok(!Object.isFrozen(shiftObject(body, 60_000)));
});

test("the wall clock's lead is read once per simulated instant, and kept while the simulated clock follows the wall clock", () => {
  const cluster = new Cluster({ startTime: "2026-01-01T00:00:00Z" });
  const sim = Date.parse("2026-01-01T00:00:00Z");
  const wall = Date.parse("2026-12-07T10:00:00.700Z");
  const lead = wallClockLead(cluster, wall);
  assert.equal(lead, Math.floor((wall - sim) / 1000) * 1000);
  // The same instant a second and a half later (a second boundary between the two requests).
  assert.equal(wallClockLead(cluster, wall + 1_500), lead);
  // Time advanced 30 s while 10 s passed on the wall clock: read again, whole seconds.
  cluster.advanceSync(30_000);
  assert.equal(wallClockLead(cluster, wall + 10_000), lead - 20_000);
  // Simulated time following the wall clock (serve --real-time), the wall clock a little ahead.
  cluster.advanceSync(1_000);
  assert.equal(wallClockLead(cluster, wall + 11_350), lead - 20_000, "within a second of the wall clock's: kept");
  cluster.advanceSync(1_000);
  assert.equal(wallClockLead(cluster, wall + 13_500), lead - 18_000, "more than a second off: read again");
  // Each served cluster has its own.
  assert.equal(wallClockLead(new Cluster({ startTime: "2026-12-07T10:00:00Z" }), wall), 0);
});

test("an events.k8s.io/v1 Event's times are its own fields' (deprecatedFirstTimestamp, series.lastObservedTime), not core/v1's", () => {
  const event = deepFreeze({
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: "e", namespace: "default", creationTimestamp: "2026-01-01T00:00:00Z" },
    eventTime: "2026-01-01T00:00:00.250000Z",
    deprecatedFirstTimestamp: "2026-01-01T00:00:01Z",
    deprecatedLastTimestamp: "2026-01-01T00:00:02Z",
    series: { count: 2, lastObservedTime: "2026-01-01T00:00:03.500000Z" },
  });
  const shown = shiftObject(event, 60_000);
  assert.equal(shown.metadata.creationTimestamp, "2026-01-01T00:01:00Z");
  assert.equal(shown.eventTime, "2026-01-01T00:01:00.250000Z");
  assert.equal(shown.deprecatedFirstTimestamp, "2026-01-01T00:01:01Z");
  assert.equal(shown.deprecatedLastTimestamp, "2026-01-01T00:01:02Z");
  assert.equal(shown.series.lastObservedTime, "2026-01-01T00:01:03.500000Z");
  // The storage version (core/v1) keeps its own names.
  const core = shiftObject({ apiVersion: "v1", kind: "Event", metadata: {}, firstTimestamp: "2026-01-01T00:00:01Z", lastTimestamp: "2026-01-01T00:00:02Z" }, 60_000);
  assert.deepEqual([core.firstTimestamp, core.lastTimestamp], ["2026-01-01T00:01:01Z", "2026-01-01T00:01:02Z"]);
});

test("the facade serves an Event's times alike in core/v1 and events.k8s.io/v1, and takes the lead off both on a write", async (t) => {
  await withServer(t, async (f, cluster) => {
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
    cluster.advanceSync(10_000);
    const core = (await (await f("/api/v1/namespaces/default/events")).json()) as { items: Array<{ metadata: { name: string }; firstTimestamp: string | null; lastTimestamp: string | null; eventTime: string | null }> };
    const events = (await (await f("/apis/events.k8s.io/v1/namespaces/default/events")).json()) as { items: Array<{ metadata: { name: string }; deprecatedFirstTimestamp: string | null; deprecatedLastTimestamp: string | null; eventTime: string | null }> };
    const pulled = core.items.find((e) => e.metadata.name.startsWith("p.") && e.firstTimestamp !== null)!;
    assert.ok(pulled, "a kubelet event (firstTimestamp set)");
    assert.ok(Date.parse(pulled.firstTimestamp!) > Date.parse(new Date(cluster.clock.now()).toISOString()) + 60_000, "served on the wall clock");
    assert.deepEqual(
      events.items.map((e) => [e.metadata.name, e.deprecatedFirstTimestamp, e.deprecatedLastTimestamp, e.eventTime]),
      core.items.map((e) => [e.metadata.name, e.firstTimestamp, e.lastTimestamp, e.eventTime]),
    );
    // A write through events.k8s.io/v1 is stored on the simulated clock.
    const now = new Date(Date.now()).toISOString().replace(/\.\d+Z$/, "Z");
    const created = await send(f, "POST", "/apis/events.k8s.io/v1/namespaces/default/events", JSON.stringify({
      apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "mine" }, eventTime: now.replace("Z", ".000000Z"), reportingController: "me/c", reportingInstance: "me-1", action: "Check", reason: "Checked", type: "Normal",
      regarding: { kind: "Pod", namespace: "default", name: "p", apiVersion: "v1" }, deprecatedFirstTimestamp: now, deprecatedLastTimestamp: now, deprecatedCount: 1,
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stored = cluster.api.get("Event", "default", "mine") as unknown as { firstTimestamp: string; eventTime: string };
    const sim = Date.parse(new Date(cluster.clock.now()).toISOString());
    for (const t of [stored.firstTimestamp, stored.eventTime]) assert.ok(Math.abs(Date.parse(t) - sim) < 5_000, `${t} is on the simulated clock (${new Date(cluster.clock.now()).toISOString()})`);
  });
});
