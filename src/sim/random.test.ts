import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "./random.ts";

test("the same seed gives the same sequence; another seed another", () => {
  const a = new Random(7);
  const b = new Random(7);
  const c = new Random(8);
  const sa = Array.from({ length: 20 }, () => a.uint32());
  assert.deepEqual(sa, Array.from({ length: 20 }, () => b.uint32()));
  assert.notDeepEqual(sa, Array.from({ length: 20 }, () => c.uint32()));
});

test("int is uniform enough and within bounds", () => {
  const r = new Random(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 40_000; i++) counts[r.int(4)]++;
  for (const n of counts) assert.ok(n > 9_500 && n < 10_500, String(counts));
});

test("name suffixes use Kubernetes' alphabet and uuids are version 4", () => {
  const r = new Random(3);
  assert.match(r.suffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("reseed restarts the sequence", () => {
  const r = new Random(5);
  const first = r.uint32();
  r.uint32();
  r.reseed(5);
  assert.equal(r.uint32(), first);
  assert.throws(() => r.reseed(1.5), /integer/);
});

test("uuid takes the same draws as hex(32) then int(4), written in the dashed form", () => {
  for (const seed of [0, 1, 7, 0xffffffff, 123456789]) {
    const a = new Random(seed);
    const b = new Random(seed);
    for (let n = 0; n < 200; n++) {
      const h = b.hex(32);
      const variant = "89ab"[b.int(4)];
      const expected = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
      assert.equal(a.uuid(), expected);
    }
  }
});
