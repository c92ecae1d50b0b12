import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sameAsJson } from "./cluster.ts";

// The start replay compares a new request with the recorded one's value (src/cluster.ts, StartReplay):
// it may answer "the same" only where the request's JSON text is the recorded text.
const sameText = (v: unknown, j: unknown) => JSON.stringify(v) === JSON.stringify(j);

test("sameAsJson says the same only where JSON.stringify gives the same text (random values and their parsed JSON)", () => {
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(-0), fc.constant(NaN), fc.constant(Infinity), fc.constant(() => 1));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v")), fc.dictionary(fc.constantFrom("a", "b", "1", "0", "__proto__", "kind", ""), tie("v"))),
  })).v;
  fc.assert(
    fc.property(value, value, (a, b) => {
      const ta = JSON.stringify(a);
      const tb = JSON.stringify(b);
      if (ta !== undefined) assert.equal(sameAsJson(a, JSON.parse(ta)), true, ta); // a value against its own text
      if (tb !== undefined && sameAsJson(a, JSON.parse(tb))) assert.equal(ta, tb);
    }),
    { numRuns: 3000, seed: 19 },
  );
});

test("sameAsJson: key order, left-out keys, holes, non-finite numbers, and what it does not follow (toJSON, class instances, bigint)", () => {
  const j = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  assert.equal(sameAsJson({ a: 1, b: 2 }, j({ b: 2, a: 1 })), false);
  assert.equal(sameAsJson({ a: 1, u: undefined, f: () => 0, b: "x" }, j({ a: 1, b: "x" })), true);
  assert.equal(sameAsJson({ a: 1 }, j({ a: 1, b: null })), false);
  assert.equal(sameAsJson([1, undefined, , NaN, -Infinity], [1, null, null, null, null]), true); // eslint-disable-line no-sparse-arrays
  assert.equal(sameAsJson(-0, 0), true);
  assert.equal(sameAsJson("1", 1), false);
  assert.equal(sameAsJson([], {}), false);
  assert.equal(sameAsJson({}, []), false);
  // Not followed: answered "another request" (the replay then creates as usual), even where the text would match.
  assert.equal(sameAsJson({ t: new Date(0) }, j({ t: new Date(0) })), false);
  assert.equal(sameAsJson(new Map(), {}), false);
  assert.equal(sameAsJson(1n, 1), false);
  for (const [a, b] of [[{ t: new Date(0) }, { t: new Date(0) }], [new Map(), {}]] as const) assert.ok(sameText(a, b));
});
