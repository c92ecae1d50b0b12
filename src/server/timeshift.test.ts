import { test } from "node:test";
import assert from "node:assert/strict";
import { deepFreeze } from "../api/types.ts";
import { encodeObject } from "./cachingobject.ts";
import { presentBody, shiftObject, shiftTime } from "./timeshift.ts";
import { wallClockLead } from "./handlers/installer.ts";
import { Cluster } from "../cluster.ts";

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
