import { test } from "node:test";
import assert from "node:assert/strict";
import { TaintToleration } from "./tainttoleration.ts";
import { Code, PodInfo } from "../types.ts";
import { node, nodeInfo, pod } from "../testutil.ts";

const withTol = (tolerations: any[]) => new PodInfo(pod("pod1", { tolerations }));
const tainted = (name: string, taints: any[]) => nodeInfo(node(name, { taints }));

// Ported from taint_toleration_test.go TestTaintTolerationFilter (v1.32 reason text).
const filterCases: Array<[string, any[], any[], string | null]> = [
  ["no tolerations vs NoSchedule taint", [], [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], "node(s) had untolerated taint {dedicated: user1}"],
  ["toleration for user1", [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], null],
  ["toleration for user2 vs user1 taint", [{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }], [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], "node(s) had untolerated taint {dedicated: user1}"],
  ["Exists tolerates any value", [{ key: "foo", operator: "Exists", effect: "NoSchedule" }], [{ key: "foo", value: "bar", effect: "NoSchedule" }], null],
  ["multiple taints all tolerated", [{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }, { key: "foo", operator: "Exists", effect: "NoSchedule" }], [{ key: "dedicated", value: "user2", effect: "NoSchedule" }, { key: "foo", value: "bar", effect: "NoSchedule" }], null],
  ["effect mismatch", [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }], [{ key: "foo", value: "bar", effect: "NoSchedule" }], "node(s) had untolerated taint {foo: bar}"],
  ["empty toleration effect matches", [{ key: "foo", operator: "Equal", value: "bar" }], [{ key: "foo", value: "bar", effect: "NoSchedule" }], null],
  ["PreferNoSchedule never filters", [{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }], [{ key: "dedicated", value: "user1", effect: "PreferNoSchedule" }], null],
  ["no toleration, PreferNoSchedule taint", [], [{ key: "dedicated", value: "user1", effect: "PreferNoSchedule" }], null],
  ["empty value prints as {key: }", [], [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }], "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"],
  ["NoExecute filters too", [], [{ key: "out-of-disk", value: "True", effect: "NoExecute" }], "node(s) had untolerated taint {out-of-disk: True}"],
];

for (const [name, tolerations, taints, want] of filterCases) {
  test(`TaintToleration Filter: ${name}`, () => {
    const s = new TaintToleration().filter(new Map(), withTol(tolerations), tainted("nodeA", taints));
    if (want === null) assert.equal(s, null);
    else {
      assert.equal(s?.code, Code.UnschedulableAndUnresolvable);
      assert.deepEqual(s?.reasons, [want]);
    }
  });
}

// TestTaintTolerationScore.
const pns = (key: string, value: string) => ({ key, value, effect: "PreferNoSchedule" });
const scoreCases: Array<[string, any[], any[][], number[]]> = [
  ["tolerated taint scores higher", [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }], [[pns("foo", "bar")], [pns("foo", "blah")]], [100, 0]],
  ["tolerated taints do not count", [{ key: "cpu-type", operator: "Equal", value: "arm64", effect: "PreferNoSchedule" }, { key: "disk-type", operator: "Equal", value: "ssd", effect: "PreferNoSchedule" }], [[], [pns("cpu-type", "arm64")], [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]], [100, 100, 100]],
  ["more intolerable taints, lower score", [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }], [[], [pns("cpu-type", "arm64")], [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]], [100, 50, 0]],
  ["only PreferNoSchedule counts", [{ key: "cpu-type", operator: "Equal", value: "arm64", effect: "NoSchedule" }, { key: "disk-type", operator: "Equal", value: "ssd", effect: "NoSchedule" }], [[], [{ key: "cpu-type", value: "arm64", effect: "NoSchedule" }], [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]], [100, 100, 0]],
  ["no tolerations", [], [[], [pns("cpu-type", "arm64")]], [100, 0]],
];
for (const [name, tolerations, nodeTaints, want] of scoreCases) {
  test(`TaintToleration Score: ${name}`, () => {
    const pl = new TaintToleration();
    const state = new Map();
    const p = withTol(tolerations);
    const nodes = nodeTaints.map((t, i) => tainted(`node${i}`, t));
    pl.preScore(state, p);
    const scores = nodes.map((n) => pl.score(state, p, n));
    pl.normalizeScore(state, p, nodes, scores);
    assert.deepEqual(scores, want);
  });
}
