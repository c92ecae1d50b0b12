import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "./backoff.ts";
import { goDuration } from "./goduration.ts";

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

// client-go flowcontrol TestSlowBackoff: the delay doubles up to the max and stays there.
test("backoff doubles from 10s to the 300s cap", () => {
  const c = clock();
  const b = new Backoff(c.now);
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    b.next("k", c.t);
    seen.push(b.get("k"));
    c.t += 1000;
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

// TestBackoffReset / TestBackoffHighWaterMark: an event 2×max after the last update starts over.
test("an event more than 2 x max after the last update resets to the initial delay", () => {
  const c = clock();
  const b = new Backoff(c.now);
  b.next("k", 0);
  b.next("k", 0);
  assert.equal(b.get("k"), 20_000);
  c.t = 600_001;
  b.next("k", c.t);
  assert.equal(b.get("k"), 10_000);
});

test("isInBackOffSince compares now - eventTime with the delay", () => {
  const c = clock(100_000);
  const b = new Backoff(c.now);
  assert.equal(b.isInBackOffSince("k", 100_000), false, "no entry");
  b.next("k", 100_000);
  assert.equal(b.isInBackOffSince("k", 100_000), true);
  c.t = 109_999;
  assert.equal(b.isInBackOffSince("k", 100_000), true);
  c.t = 110_000;
  assert.equal(b.isInBackOffSince("k", 100_000), false);
  // finishedAt long after the last update: expired, not in back-off (a container that ran 10+ minutes)
  c.t = 800_000;
  assert.equal(b.isInBackOffSince("k", 799_000), false);
});

test("isInBackOffSinceUpdate compares eventTime with the last update", () => {
  const c = clock(0);
  const b = new Backoff(c.now);
  b.next("img", 0);
  assert.equal(b.isInBackOffSinceUpdate("img", 9_999), true);
  assert.equal(b.isInBackOffSinceUpdate("img", 10_000), false);
});

test("gc drops entries idle for 2 x max", () => {
  const c = clock(0);
  const b = new Backoff(c.now);
  b.next("k", 0);
  c.t = 600_001;
  b.gc();
  assert.equal(b.get("k"), 0);
});

test("goDuration prints as Go's time.Duration", () => {
  const cases: Array<[number, string]> = [
    [0, "0s"], [523, "523ms"], [1200, "1.2s"], [10_000, "10s"], [80_000, "1m20s"], [160_000, "2m40s"],
    [300_000, "5m0s"], [3_600_000, "1h0m0s"], [1_234, "1.234s"], [61_500, "1m1.5s"],
  ];
  for (const [ms, s] of cases) assert.equal(goDuration(ms), s, String(ms));
});

test("entry: the key's entry as it is now (the same object while next() only moves it, none after reset or gc)", () => {
  const c = clock();
  const b = new Backoff(c.now);
  assert.equal(b.entry("k"), undefined);
  b.next("k", 0);
  const e = b.entry("k")!;
  assert.deepEqual({ ...e }, { backoff: 10_000, lastUpdate: 0 });
  c.t = 5_000;
  b.next("k", c.t);
  assert.equal(b.entry("k"), e);
  assert.deepEqual({ ...e }, { backoff: 20_000, lastUpdate: 5_000 });
  c.t = 5_000 + 2 * b.maxMs + 1;
  b.gc();
  assert.equal(b.entry("k"), undefined);
  b.next("k", c.t);
  assert.notEqual(b.entry("k"), e);
  b.reset("k");
  assert.equal(b.entry("k"), undefined);
});

test("generation: moves when an entry is removed or replaced, not when next() doubles it", () => {
  const c = clock();
  const b = new Backoff(c.now);
  b.next("k", 0);
  const g0 = b.generation;
  c.t = 5_000;
  b.next("k", c.t);
  assert.equal(b.generation, g0);
  c.t += 2 * b.maxMs + 1;
  b.next("k", c.t); // expired: a new entry object
  assert.equal(b.generation, g0 + 1);
  b.reset("k");
  assert.equal(b.generation, g0 + 2);
  b.reset("k");
  assert.equal(b.generation, g0 + 2);
  b.next("j", c.t);
  c.t += 2 * b.maxMs + 1;
  b.gc();
  assert.equal(b.generation, g0 + 3);
});
