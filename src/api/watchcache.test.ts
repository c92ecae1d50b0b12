import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./errors.ts";
import { EVENT_FRESH_MS, WatchCache } from "./watchcache.ts";
import type { KObject } from "./types.ts";

const obj = (rv: number): KObject => ({ kind: "Pod", apiVersion: "v1", metadata: { name: `p${rv}`, namespace: "default", resourceVersion: String(rv) } });
const add = (c: WatchCache, rv: number, t: number) => c.add({ type: "ADDED", object: obj(rv), rv, recordTime: t });

test("events after a resource version, oldest first; from the list's version while nothing was dropped", () => {
  const c = new WatchCache(100, 4, 8);
  for (let rv = 101; rv <= 103; rv++) add(c, rv, 0);
  assert.deepEqual(c.since(101).map((e) => e.rv), [102, 103]);
  assert.deepEqual(c.since(100).map((e) => e.rv), [101, 102, 103]);
  assert.deepEqual(c.since(103), []);
  assert.throws(() => c.since(99), (e: ApiError) => e.code === 410 && e.reason === "Expired" && e.message === "too old resource version: 99 (100)");
});

test("the buffer doubles while its oldest event is fresh, up to its upper bound, then drops the oldest (410 for them)", () => {
  const c = new WatchCache(0, 4, 8);
  for (let rv = 1; rv <= 8; rv++) add(c, rv, rv);
  assert.equal(c.currentCapacity, 8);
  assert.equal(c.size, 8);
  add(c, 9, 9); // full at the upper bound: the oldest goes
  assert.equal(c.size, 8);
  assert.deepEqual(c.since(1).map((e) => e.rv), [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.throws(() => c.since(0), /too old resource version: 0 \(1\)/);
});

test("a full buffer whose newest quarter is older than eventFreshDuration halves, down to its lower bound", () => {
  const c = new WatchCache(0, 4, 16);
  for (let rv = 1; rv <= 8; rv++) add(c, rv, 0); // grows to 8 (all fresh)
  assert.equal(c.currentCapacity, 8);
  add(c, 9, EVENT_FRESH_MS + 1);
  assert.equal(c.currentCapacity, 4);
  assert.deepEqual(c.since(5).map((e) => e.rv), [6, 7, 8, 9]);
  assert.throws(() => c.since(4), /too old resource version: 4 \(5\)/);
});
