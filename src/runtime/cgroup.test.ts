import { test } from "node:test";
import assert from "node:assert/strict";
import { CfsCgroup, milliCPUToQuotaMs } from "./cgroup.ts";

function clock(t = 0) {
  return { t, now() { return this.t; } };
}

test("MilliCPUToQuota: the limit times the 100 ms period, at least 1 ms; no limit, no quota", () => {
  assert.equal(milliCPUToQuotaMs(500), 50);
  assert.equal(milliCPUToQuotaMs(2000), 200);
  assert.equal(milliCPUToQuotaMs(1), 1);
  assert.equal(milliCPUToQuotaMs(0), Infinity);
});

test("work runs at one core's speed; requests queue behind each other", () => {
  const c = clock(1000);
  const g = new CfsCgroup(c);
  assert.equal(g.run(20), 20);
  assert.equal(g.run(20), 40); // waits for the first
  c.t = 1010;
  assert.equal(g.usageMs(), 10);
  c.t = 1100;
  assert.equal(g.usageMs(), 40);
});

test("a quota throttles: 500m lets 50 ms run per 100 ms period", () => {
  const c = clock(0);
  const g = new CfsCgroup(c, 500);
  // 80 ms of work starting at 0: 50 ms in the first period, throttled until 100, 30 more.
  assert.equal(g.run(80), 130);
  c.t = 1000;
  assert.equal(g.usageMs(), 80);
  // A sustained load never uses more than the limit.
  const h = new CfsCgroup(c, 500);
  for (let i = 0; i < 100; i++) h.run(20);
  c.t = 1000 + 10_000;
  assert.ok(h.usageMs() <= 0.5 * 10_000 + 1e-6);
  assert.equal(h.usageMs(), 2000);
});

test("a spinning process uses its cores up to the limit, and leaves the rest of the quota to requests", () => {
  const c = clock(0);
  const g = new CfsCgroup(c, 1000);
  g.burn(4);
  c.t = 1000;
  assert.equal(g.usageMs(), 1000); // 1 core for 1 s
  g.burn(0.25);
  c.t = 2000;
  assert.equal(g.usageMs(), 1250);
  // 75 ms of each 100 ms period remain for requests
  assert.equal(g.run(75), 75);
  assert.equal(g.run(10), 110); // next period
});

test("a stopped cgroup uses nothing more; scheduled work past the stop is dropped", () => {
  const c = clock(0);
  const g = new CfsCgroup(c);
  g.burn(1);
  g.run(100);
  c.t = 50;
  g.stop();
  c.t = 500;
  assert.equal(g.usageMs(), 100); // 50 burned + 50 of the request
  assert.equal(g.run(10), 0);
});
