import { test } from "node:test";
import assert from "node:assert/strict";
import { sliceStable } from "./gosort.ts";

/** A stable insertion sort: what any stable sort gives for a strict weak order. */
function insertionSorted<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  const out = items.slice();
  for (let i = 1; i < out.length; i++) for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j - 1], out[j]] = [out[j]!, out[j - 1]!];
  return out;
}

test("sliceStable is a stable sort: for strict weak orders it gives what a stable insertion sort gives, at every length around its block sizes", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const n of [0, 1, 2, 19, 20, 21, 39, 40, 41, 79, 80, 81, 100, 163, 500]) {
    const items = Array.from({ length: n }, (_, i) => ({ key: Math.floor(next() * 10), i }));
    const less = (a: { key: number }, b: { key: number }) => a.key < b.key;
    assert.deepEqual(sliceStable(items, less), insertionSorted(items, less), `n=${n}`);
    assert.deepEqual(items.map((x) => x.i), [...Array(n).keys()], "the input is left as it was");
  }
});

test("sliceStable follows Go's steps where less is no strict weak order: up to 20 items an insertion sort, and n log² n comparisons for long lists", () => {
  // Upstream's strategic-merge less: true when either item is missing from the order.
  const order = ["c", "b", "a"];
  const less = (a: string, b: string) => (order.includes(a) && order.includes(b) ? order.indexOf(a) < order.indexOf(b) : true);
  const items = ["a", "x", "b", "y", "c"];
  assert.deepEqual(sliceStable(items, less), insertionSorted(items, less));
  let comparisons = 0;
  const n = 50_000;
  const big = Array.from({ length: n }, (_, i) => n - i);
  const sorted = sliceStable(big, (a, b) => (comparisons++, a < b));
  assert.deepEqual(sorted.slice(0, 3), [1, 2, 3]);
  assert.ok(comparisons < 30 * n * Math.log2(n), `${comparisons} comparisons`);
});
