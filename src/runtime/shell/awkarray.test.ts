import { test } from "node:test";
import assert from "node:assert/strict";
import { fnv1, MawkArray, OrderedArray } from "./awkarray.ts";
import { numToStr, StrNum, UNINIT } from "./awkvalue.ts";

const fmt = (n: number) => numToStr(n, "%.6g", "mawk");

test("fnv1 is mawk's hash2: xor then multiply (what FNV calls 1a, mawk FNV-1), 32 bits", () => {
  assert.equal(fnv1(""), 2166136261);
  assert.equal(fnv1("a"), 0xe40c292c);
});

test("MawkArray walks keys in mawk 1.3.4's order (recorded: BEGIN { a[\"b\"]; a[\"a\"]; a[10]; a[9]; a[\"zz\"]; a[1]; a[100] })", () => {
  const a = new MawkArray(fmt);
  for (const k of ["b", "a", 10, 9, "zz", 1, 100]) a.ref(k);
  assert.deepEqual(a.keys(), ["10", "100", "1", "b", "a", "9", "zz"]);
  assert.equal(a.size, 7);
});

test("MawkArray: numbers and their strings are one subscript; split vectors, deletes and clears", () => {
  const a = new MawkArray(fmt);
  a.set(1, "x");
  assert.equal(a.get("1"), "x");
  assert.equal(a.get(new StrNum("1", 1)), "x");
  a.set(0.5, "half");
  assert.equal(a.get("0.5"), "half");
  a.delete("1");
  assert.equal(a.has(1), false);
  assert.equal(a.size, 1);
  a.load(["p", "q", "r"]);
  assert.deepEqual([a.get(2), a.size, a.has(4)], ["q", 3, false]);
  a.set("s", 1);
  assert.equal(a.size, 4);
  assert.deepEqual(new Set(a.keys()), new Set(["1", "2", "3", "s"]));
  a.clear();
  assert.deepEqual([a.size, a.keys(), a.get(UNINIT)], [0, [], undefined]);
});

test("MawkArray keeps every key across table doublings", () => {
  const a = new MawkArray(fmt);
  for (let i = 0; i < 3000; i++) a.set(i % 2 ? `k${i}` : i, i);
  assert.equal(a.size, 3000);
  assert.equal(new Set(a.keys()).size, 3000);
  for (let i = 0; i < 3000; i += 7) assert.equal(a.get(i % 2 ? `k${i}` : String(i)), i);
});

test("OrderedArray (busybox's here) keeps insertion order", () => {
  const a = new OrderedArray(fmt);
  for (const k of ["b", 10, "a"]) a.ref(k);
  assert.deepEqual(a.keys(), ["b", "10", "a"]);
});
