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

/** sfc32 in its textbook unsigned form, seeded as Random seeds it (the words Random keeps signed). */
function sfc32Unsigned(seed: number): () => number {
  const mix = (n: number) => {
    let z = (seed + Math.imul(0x9e3779b9, n)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(1);
  let b = mix(2);
  let c = mix(3);
  let d = mix(4);
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

test("the draws are sfc32's unsigned words, the same as the unsigned arithmetic gives", () => {
  for (const seed of [0, 1, 7, 0x7fffffff, 0xffffffff, 123456789]) {
    const r = new Random(seed);
    const ref = sfc32Unsigned(seed >>> 0);
    for (let i = 0; i < 20_000; i++) {
      const got = r.uint32();
      assert.equal(got, ref(), `seed ${seed}, draw ${i}`);
      assert.ok(got >= 0 && got < 4294967296 && Number.isInteger(got));
    }
  }
  // Pinned: the first draws of seed 7 (the bench's seed) as the unsigned form gave them before.
  const r = new Random(7);
  assert.deepEqual([r.uint32(), r.uint32(), r.uint32(), r.uint32()], [838155491, 1550620431, 3610122010, 3621410451]);
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

test("beforeDraw runs before every draw (int, float, suffix, uuid, reseed), so owed draws come first and the sequence is unchanged", () => {
  // A "dormant" party owes 3 draws; whoever draws next gets the 4th number, as if the 3 had been made in time.
  const plain = new Random(7);
  const owed = [plain.uint32(), plain.uint32(), plain.uint32()];
  const next = [plain.int(10), plain.suffix(3), plain.uuid()];
  const r = new Random(7);
  let debt = 3;
  const paid: number[] = [];
  r.beforeDraw = () => {
    r.beforeDraw = undefined;
    while (debt > 0) {
      paid.push(r.uint32());
      debt--;
    }
  };
  assert.deepEqual([r.int(10), r.suffix(3), r.uuid()], next);
  assert.deepEqual(paid, owed);
  // A reseed settles first too: the owed draws belong to the old seed.
  const s = new Random(1);
  let settled = false;
  s.beforeDraw = () => {
    settled = true;
    s.beforeDraw = undefined;
  };
  s.reseed(2);
  assert.ok(settled);
  assert.equal(s.uint32(), new Random(2).uint32());
});
