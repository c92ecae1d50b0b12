import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PodTopologySpread } from "./podtopologyspread.ts";
import { Code, PodInfo } from "../types.ts";
import { node, onNode, pod, snapshot } from "../testutil.ts";
import { labelSelectorMatcher } from "../util/labels.ts";

const nodes4 = () => [
  node("node-a", { labels: { zone: "zone1", node: "node-a" } }),
  node("node-b", { labels: { zone: "zone1", node: "node-b" } }),
  node("node-x", { labels: { zone: "zone2", node: "node-x" } }),
  node("node-y", { labels: { zone: "zone2", node: "node-y" } }),
];
const spread = (maxSkew: number, topologyKey: string, when = "DoNotSchedule", selector: any = { matchExpressions: [{ key: "foo", operator: "Exists" }] }) => ({ maxSkew, topologyKey, whenUnsatisfiable: when, labelSelector: selector });
const fooPod = (name: string, nodeName: string, ns = "default") => onNode(pod(name, {}, { labels: { foo: "" }, namespace: ns }), nodeName);

function filterAll(p: any, existing: any[], nodes = nodes4()): Record<string, string> {
  const snap = snapshot(nodes, existing, { default: {}, ns1: {} });
  const pl = new PodTopologySpread(snap);
  const state = new Map();
  const pi = new PodInfo(p);
  pl.preFilter(state, pi, snap.nodeInfoList());
  const out: Record<string, string> = {};
  for (const n of snap.nodeInfoList()) {
    const s = pl.filter(state, pi, n);
    out[n.name] = s ? `${Code[s.code]}: ${s.reasons[0]}` : "ok";
  }
  return out;
}

const U = `Unschedulable: ${ERR_REASON_CONSTRAINTS_NOT_MATCH}`;
const UU = `UnschedulableAndUnresolvable: ${ERR_REASON_NODE_LABEL_NOT_MATCH}`;

// Ported from filtering_test.go TestSingleConstraint.
test("PodTopologySpread Filter: no existing pods", () => {
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "zone")] }, { labels: { foo: "" } }), []), { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" });
});

test("PodTopologySpread Filter: existing pods in a different namespace do not count", () => {
  const existing = [fooPod("p-a1", "node-a", "ns1"), fooPod("p-b1", "node-b"), fooPod("p-x1", "node-x", "ns1"), fooPod("p-y1", "node-y", "ns1")];
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "zone")] }, { labels: { foo: "" } }), existing), { "node-a": U, "node-b": U, "node-x": "ok", "node-y": "ok" });
});

test("PodTopologySpread Filter: pods spread across zones as 3/3, all nodes fit", () => {
  const existing = ["a1", "a2", "b1"].map((n) => fooPod("p-" + n, "node-" + n[0])).concat(["x1", "y1", "y2"].map((n) => fooPod("p-" + n, "node-" + n[0])));
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "zone")] }, { labels: { foo: "" } }), existing), { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" });
});

test("PodTopologySpread Filter: a node without the label fails as missing required label", () => {
  const nodes = [node("node-a", { labels: { zone: "zone1", node: "node-a" } }), node("node-b", { labels: { node: "node-b" } }), node("node-x", { labels: { zone: "zone2", node: "node-x" } })];
  const existing = [fooPod("p-a1", "node-a"), fooPod("p-b1", "node-b"), fooPod("p-x1", "node-x"), fooPod("p-x2", "node-x")];
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "zone")] }, { labels: { foo: "" } }), existing, nodes), { "node-a": "ok", "node-b": UU, "node-x": U });
});

test("PodTopologySpread Filter: no node has the label 'rack'", () => {
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "rack")] }, { labels: { foo: "" } }), []), { "node-a": UU, "node-b": UU, "node-x": UU, "node-y": UU });
});

const across2103 = () => [
  fooPod("p-a1", "node-a"), fooPod("p-a2", "node-a"), fooPod("p-b1", "node-b"),
  fooPod("p-y1", "node-y"), fooPod("p-y2", "node-y"), fooPod("p-y3", "node-y"),
];
test("PodTopologySpread Filter: pods spread across nodes as 2/1/0/3, only node-x fits", () => {
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "node")] }, { labels: { foo: "" } }), across2103()), { "node-a": U, "node-b": U, "node-x": "ok", "node-y": U });
});
test("PodTopologySpread Filter: 2/1/0/3 with maxSkew 2, node-b and node-x fit", () => {
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(2, "node")] }, { labels: { foo: "" } }), across2103()), { "node-a": U, "node-b": "ok", "node-x": "ok", "node-y": U });
});
test("PodTopologySpread Filter: incoming pod doesn't match itself: 2/1/0/3 maxSkew 1, node-b and node-x fit", () => {
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "node")] }, { labels: { bar: "" } }), across2103()), { "node-a": U, "node-b": "ok", "node-x": "ok", "node-y": U });
});
test("PodTopologySpread Filter: terminating pods are not counted", () => {
  const existing = [fooPod("p-a1", "node-a"), { ...fooPod("p-x1", "node-x"), metadata: { ...fooPod("p-x1", "node-x").metadata, deletionTimestamp: "2024-01-08T00:00:00Z" } }];
  assert.deepEqual(filterAll(pod("p", { topologySpreadConstraints: [spread(1, "node")] }, { labels: { foo: "" } }), existing), { "node-a": U, "node-b": "ok", "node-x": "ok", "node-y": "ok" });
});
test("PodTopologySpread Filter: nodeSelector limits the domains counted (nodeAffinityPolicy Honor)", () => {
  // Only zone1 nodes are eligible: min is taken over zone1 only.
  const existing = [fooPod("p-a1", "node-a"), fooPod("p-b1", "node-b")];
  const p = pod("p", { nodeSelector: { zone: "zone1" }, topologySpreadConstraints: [spread(1, "node")] }, { labels: { foo: "" } });
  assert.deepEqual(filterAll(p, existing), { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" });
});
test("PodTopologySpread PreFilter: skip without constraints", () => {
  const snap = snapshot(nodes4());
  assert.equal(new PodTopologySpread(snap).preFilter(new Map(), new PodInfo(pod("p")), snap.nodeInfoList()).status?.code, Code.Skip);
});

function scores(p: any, existing: any[], nodes = nodes4(), defaultSelector?: any): number[] {
  const snap = snapshot(nodes, existing);
  const pl = new PodTopologySpread(snap, defaultSelector);
  const state = new Map();
  const pi = new PodInfo(p);
  const all = snap.nodeInfoList();
  const st = pl.preScore(state, pi, all);
  if (st?.code === Code.Skip) return [];
  const s = all.map((n) => pl.score(state, pi, n));
  pl.normalizeScore(state, pi, all, s);
  return s;
}

// scoring_test.go: counts × ln(domains + 2) + (maxSkew − 1), then 100 × (max + min − s) / max.
test("PodTopologySpread Score: one constraint on node, no existing pods: all 100", () => {
  assert.deepEqual(scores(pod("p", { topologySpreadConstraints: [spread(1, "node", "ScheduleAnyway")] }, { labels: { foo: "" } }), []), [100, 100, 100, 100]);
});
test("PodTopologySpread Score: 2/1/0/3 on nodes", () => {
  // weight ln(6); raw round(2·1.79)=4, round(1.79)=2, 0, round(3·1.79)=5 → 100·(5+0−s)/5
  assert.deepEqual(scores(pod("p", { topologySpreadConstraints: [spread(1, "node", "ScheduleAnyway")] }, { labels: { foo: "" } }), across2103()), [20, 60, 100, 0]);
});
test("PodTopologySpread Score: by zone", () => {
  // zone1 has 3, zone2 has 3: equal → all 100
  assert.deepEqual(scores(pod("p", { topologySpreadConstraints: [spread(1, "zone", "ScheduleAnyway")] }, { labels: { foo: "" } }), across2103()), [100, 100, 100, 100]);
});
test("PodTopologySpread Score: system defaults only for pods behind a service", () => {
  const p = pod("p", {}, { labels: { foo: "" } });
  const hostnamed = nodes4().map((n) => node(n.metadata.name!, { labels: { ...n.metadata.labels, "kubernetes.io/hostname": n.metadata.name! } }));
  assert.deepEqual(scores(p, across2103(), hostnamed), []);
  const s = scores(p, across2103(), hostnamed, () => labelSelectorMatcher({ matchLabels: { foo: "" } }));
  // hostname maxSkew 3: raw = count·ln(6) + 2 → 6, 4, 2, 7; zone key missing → not required (system defaults)
  assert.deepEqual(s, [42, 71, 100, 28]);
});

test("PodTopologySpread: incremental counts agree with a fresh count as pods come and go", () => {
  const snap = snapshot(nodes4(), across2103());
  const warm = new PodTopologySpread(snap);
  const p = new PodInfo(pod("p", { topologySpreadConstraints: [spread(1, "zone"), spread(1, "node")] }, { labels: { foo: "" } }));
  const filterAllWith = (pl: PodTopologySpread) => {
    const state = new Map();
    pl.preFilter(state, p, snap.nodeInfoList());
    return snap.nodeInfoList().map((n) => pl.filter(state, p, n)?.reasons[0] ?? "ok");
  };
  filterAllWith(warm);
  snap.addOrUpdatePod(fooPod("new-x1", "node-x"));
  snap.addOrUpdatePod(fooPod("new-x2", "node-x"));
  snap.removePod("default/p-y1");
  snap.addOrUpdatePod({ ...fooPod("p-a1", "node-a"), metadata: { ...fooPod("p-a1", "node-a").metadata, deletionTimestamp: "2024-01-08T00:00:00Z" } });
  assert.deepEqual(filterAllWith(warm), filterAllWith(new PodTopologySpread(snap)));
  // zone1: 1 (a, terminating one dropped) + 1 (b) = 2, zone2: 2 + 2 = 4; per node a 1, b 1, x 2, y 2.
  assert.deepEqual(filterAllWith(warm), ["ok", "ok", ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH]);
});
