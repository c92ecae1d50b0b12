import { test } from "node:test";
import assert from "node:assert/strict";
import { fitErrorMessage, Framework, numFeasibleNodesToFind, defaultPlugins } from "./framework.ts";
import { Status } from "./types.ts";
import { Random } from "../sim/random.ts";
import { node, nodeInfo, snapshot } from "./testutil.ts";

// schedule_one_test.go TestNumFeasibleNodesToFind (adaptive percentage).
const numCases: Array<[number, number, number]> = [
  [0, 10, 10],
  [40, 10, 10],
  [0, 1000, 420],
  [40, 1000, 400],
  [0, 6000, 300],
  [40, 6000, 2400],
  [0, 5000, 500],
  [0, 100, 100],
  [0, 99, 99],
  [0, 150, 100],
  [0, 10000, 500],
];
for (const [pct, nodes, want] of numCases) {
  test(`numFeasibleNodesToFind(${nodes} nodes, ${pct}%) = ${want}`, () => assert.equal(numFeasibleNodesToFind(nodes, pct), want));
}

test("FitError message: reasons counted and sorted as strings", () => {
  const statuses = new Map<string, Status>([
    ["n1", Status.unresolvable("node(s) had untolerated taint {hw: gpu}")],
    ["n2", Status.unresolvable("node(s) didn't match Pod's node affinity/selector")],
    ["n3", Status.unresolvable("node(s) didn't match Pod's node affinity/selector")],
  ]);
  assert.equal(
    fitErrorMessage(3, statuses, { postFilterMsg: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling." }),
    "0/3 nodes are available: 1 node(s) had untolerated taint {hw: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
});

test("FitError message: several reasons of one node each count; 10 sorts before 2", () => {
  const statuses = new Map<string, Status>();
  for (let i = 0; i < 10; i++) statuses.set(`a${i}`, Status.unschedulable("Insufficient cpu", "Insufficient memory"));
  statuses.set("b1", Status.unresolvable("node(s) were unschedulable"));
  statuses.set("b2", Status.unresolvable("node(s) were unschedulable"));
  assert.equal(fitErrorMessage(12, statuses), "0/12 nodes are available: 10 Insufficient cpu, 10 Insufficient memory, 2 node(s) were unschedulable.");
});

test("FitError message: PreFilter rejection lists no node reasons; absent nodes counted", () => {
  assert.equal(fitErrorMessage(3, new Map(), { preFilterMsg: "pod affinity terms conflict" }), "0/3 nodes are available: pod affinity terms conflict.");
  const st = new Map([["n1", Status.unresolvable("node(s) didn't match Pod's node affinity/selector")]]);
  assert.equal(fitErrorMessage(3, st, { absent: Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]") }), "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});

test("selectHost: highest total wins; ties are broken by the seed, roughly uniformly", () => {
  const fw = new Framework(defaultPlugins(snapshot([])), new Random(7));
  const nodes = ["a", "b", "c"].map((n) => nodeInfo(node(n)));
  assert.equal(fw.selectHost(nodes, [10, 30, 20]).name, "b");
  const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 3000; i++) counts[fw.selectHost(nodes, [5, 5, 5]).name]++;
  for (const n of ["a", "b", "c"]) assert.ok(counts[n] > 850 && counts[n] < 1150, `${n}: ${counts[n]}`);
  // Same seed, same choices.
  const x = new Framework(defaultPlugins(snapshot([])), new Random(3));
  const y = new Framework(defaultPlugins(snapshot([])), new Random(3));
  for (let i = 0; i < 20; i++) assert.equal(x.selectHost(nodes, [1, 1, 1]).name, y.selectHost(nodes, [1, 1, 1]).name);
});
