import { test } from "node:test";
import assert from "node:assert/strict";
import { partialMatch } from "./match.ts";

const pod = {
  status: {
    phase: "Running",
    conditions: [
      { type: "Initialized", status: "True" },
      { type: "Ready", status: "False", reason: "ContainersNotReady" },
    ],
    containerStatuses: [{ name: "app", restartCount: 0, lastState: {} }],
  },
};

test("every expected key must match; extra actual keys are ignored", () => {
  assert.deepEqual(partialMatch({ status: { phase: "Running" } }, pod), []);
  const m = partialMatch({ status: { phase: "Pending" } }, pod);
  assert.equal(m.length, 1);
  assert.equal(m[0].path, "status.phase");
  assert.equal(m[0].expected, "Pending");
  assert.equal(m[0].actual, "Running");
});

test("lists match item by item in any order", () => {
  assert.deepEqual(partialMatch({ status: { conditions: [{ type: "Ready", status: "False" }, { type: "Initialized" }] } }, pod), []);
  const m = partialMatch({ status: { conditions: [{ type: "Ready", status: "True" }] } }, pod);
  assert.equal(m.length, 1);
  assert.equal(m[0].path, "status.conditions[1].status");
});

test("two expected items cannot share one actual item", () => {
  const m = partialMatch({ status: { conditions: [{ status: "True" }, { status: "True" }] } }, pod);
  assert.equal(m.length, 1);
});

test("bipartite assignment finds a matching that greedy would miss", () => {
  const actual = [{ a: 1, b: 1 }, { a: 1 }];
  assert.deepEqual(partialMatch([{ a: 1 }, { b: 1 }], actual), []);
});

test("scalars compare as YAML values: string is not number", () => {
  assert.equal(partialMatch({ x: "1" }, { x: 1 }).length, 1);
  assert.deepEqual(partialMatch({ x: 0 }, { x: 0 }), []);
});

test("null accepts null or absent", () => {
  assert.deepEqual(partialMatch({ lastProbeTime: null }, { lastProbeTime: null }), []);
  assert.deepEqual(partialMatch({ lastProbeTime: null }, {}), []);
  assert.equal(partialMatch({ lastProbeTime: null }, { lastProbeTime: "x" }).length, 1);
});

test("missing keys are reported as missing", () => {
  const m = partialMatch({ spec: { nodeName: "n1" } }, {});
  assert.equal(m[0].problem, "missing");
  assert.equal(m[0].path, "spec");
});

test("an empty expected map matches any map", () => {
  assert.deepEqual(partialMatch({ status: { containerStatuses: [{ lastState: {} }] } }, pod), []);
});
