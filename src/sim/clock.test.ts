import { test } from "node:test";
import assert from "node:assert/strict";
import { RunawayError, SimClock, toRFC3339 } from "./clock.ts";

test("starts at the contract's instant and formats RFC 3339 with seconds", () => {
  const c = new SimClock();
  assert.equal(c.nowRFC3339(), "2024-01-08T00:00:00Z");
  assert.equal(toRFC3339(Date.parse("2024-01-08T00:00:01.999Z")), "2024-01-08T00:00:01Z");
  assert.equal(c.nowMicroRFC3339(), "2024-01-08T00:00:00.000000Z");
});

test("timers run in time order, ties in creation order, and only within the advance", () => {
  const c = new SimClock();
  const seen: string[] = [];
  c.setTimeout(() => seen.push("b@2s"), 2000);
  c.setTimeout(() => seen.push("a@1s"), 1000);
  c.setTimeout(() => seen.push("c@2s"), 2000);
  c.setTimeout(() => seen.push("late"), 5000);
  c.advance(2000);
  assert.deepEqual(seen, ["a@1s", "b@2s", "c@2s"]);
  assert.equal(c.now(), Date.parse("2024-01-08T00:00:02Z"));
});

test("intervals fire every period and clear stops them", () => {
  const c = new SimClock();
  let n = 0;
  const h = c.setInterval(() => n++, 10_000);
  c.advance(35_000);
  assert.equal(n, 3);
  c.clear(h);
  c.advance(60_000);
  assert.equal(n, 3);
});

test("work scheduled at the current instant runs on settle", () => {
  const c = new SimClock();
  let ran = false;
  c.setTimeout(() => c.setTimeout(() => (ran = true), 0), 0);
  c.settle();
  assert.ok(ran);
});

test("a loop that never lets time pass is stopped with a clear error", () => {
  const c = new SimClock();
  const spin = () => void c.setTimeout(spin, 0);
  spin();
  assert.throws(() => c.settle(), RunawayError);
});

test("bad inputs are rejected", () => {
  assert.throws(() => new SimClock("yesterday"), /invalid start time/);
  assert.throws(() => new SimClock().advance(-1), /cannot advance/);
});

test("zero-delay work scheduled by a timer runs at that same instant", () => {
  const c = new SimClock();
  const at: number[] = [];
  c.setTimeout(() => c.setTimeout(() => c.setTimeout(() => at.push(c.now()), 0), 0), 1000);
  c.advance(5000);
  assert.deepEqual(at, [Date.parse("2024-01-08T00:00:01Z")]);
});

test("a cancelled zero-delay timer does not run", () => {
  const c = new SimClock();
  let ran = false;
  const h = c.setTimeout(() => (ran = true), 0);
  c.clear(h);
  c.settle();
  assert.equal(ran, false);
});
