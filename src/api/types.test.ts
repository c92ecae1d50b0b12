import { test } from "node:test";
import assert from "node:assert/strict";
import { clone, cloneUnfrozen, deepFreeze, jsonEqual } from "./types.ts";

test("jsonEqual agrees with comparing JSON.stringify output", () => {
  const shared = { a: [1, 2, { b: "x" }] };
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: 2 }, { a: 1, b: 2 }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }], // key order matters, as in the serialisation
    [{ a: 1, u: undefined }, { a: 1 }],
    [{ u: undefined, a: 1 }, { a: 1, f: () => 1 }],
    [{ a: undefined }, {}],
    [[1, undefined], [1, null]],
    [[1, 2], [1, 2, 3]],
    [{ a: NaN }, { a: null }],
    [{ a: Infinity }, { a: 1 }],
    [{ a: "{}" }, { a: {} }],
    [{ a: [] }, { a: {} }],
    [{ a: null }, { a: {} }],
    [{ a: 0 }, { a: "0" }],
    [{ a: true }, { a: true }],
    [{ a: shared }, { a: shared }],
    [{ a: shared }, { a: clone(shared) }],
    [{ a: { b: { c: [1, { d: 2 }] } } }, { a: { b: { c: [1, { d: 3 }] } } }],
    [{}, {}],
    [[], []],
    [{ "2": 1, "1": 2 }, { "1": 2, "2": 1 }],
  ];
  for (const [a, b] of cases) {
    assert.equal(jsonEqual(a, b), JSON.stringify(a) === JSON.stringify(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(jsonEqual(b, a), JSON.stringify(a) === JSON.stringify(b), `${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
  }
});

test("deepFreeze freezes new parts and leaves frozen shared parts alone", () => {
  const shared = deepFreeze({ spec: { x: 1 } });
  const obj = deepFreeze({ spec: shared.spec, status: { phase: "Running", list: [{ a: 1 }] } });
  assert.ok(Object.isFrozen(obj.status.list[0]));
  assert.equal(obj.spec, shared.spec);
  assert.throws(() => {
    (obj.status as any).phase = "x";
  }, TypeError);
});

test("cloneUnfrozen copies what is not frozen and shares what is", () => {
  const stored = deepFreeze({ type: "Ready", status: "True", nested: { a: [1, 2] } });
  const input = { phase: "Running", conditions: [stored, { type: "Initialized", status: "True" }], ips: [{ ip: "10.0.0.1" }], none: null, u: undefined };
  const out = cloneUnfrozen(input);
  assert.equal(JSON.stringify(out), JSON.stringify(input));
  assert.deepEqual(Object.keys(out), Object.keys(input));
  assert.notEqual(out, input);
  assert.notEqual(out.conditions, input.conditions);
  assert.equal(out.conditions[0], stored);
  assert.notEqual(out.conditions[1], input.conditions[1]);
  assert.notEqual(out.ips[0], input.ips[0]);
  // Changing the input afterwards does not reach the copy.
  input.conditions[1].status = "False";
  input.ips[0].ip = "10.0.0.2";
  assert.equal(out.conditions[1].status, "True");
  assert.equal(out.ips[0].ip, "10.0.0.1");
  assert.equal(cloneUnfrozen(stored), stored);
});
