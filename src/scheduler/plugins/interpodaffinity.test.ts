import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, InterPodAffinity } from "./interpodaffinity.ts";
import { Code, PodInfo } from "../types.ts";
import { node, onNode, pod, snapshot } from "../testutil.ts";

const podLabel = { service: "securityscan" };
const podLabel2 = { security: "S1" };
const labels1 = { region: "r1", zone: "z11" };
const term = (expressions: any[], topologyKey: string, extra: any = {}) => ({ labelSelector: { matchExpressions: expressions }, topologyKey, ...extra });
const e = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
const withTerms = (name: string, labels: Record<string, string>, affinity: any[] | undefined, anti: any[] | undefined, nodeName?: string, namespace = "default") =>
  pod(name, { nodeName, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti } } }, { labels, namespace });

function run(p: any, existing: any[], nodes = [node("machine1", { labels: labels1 })], nodeName = "machine1", namespaces: Record<string, Record<string, string>> = { default: {}, ns: {}, DiffNameSpace: {} }) {
  const snap = snapshot(nodes, existing, namespaces);
  const pl = new InterPodAffinity(snap);
  const state = new Map();
  const pi = new PodInfo(p);
  const pre = pl.preFilter(state, pi);
  if (pre.status?.code === Code.Skip) return null;
  return pl.filter(state, pi, snap.get(nodeName)!);
}

// Ported from filtering_test.go TestRequiredAffinitySingleNode (v1.32 single reasons).
const cases: Array<[string, any, any[], [Code, string] | null]> = [
  ["no required pod affinity, empty node", pod("p"), [], null],
  ["In operator matches the existing pod", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan", "value2"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], null],
  ["NotIn operator in labelSelector matches the existing pod", withTerms("p", podLabel2, [term([e("service", "NotIn", ["securityscan3", "value3"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], null],
  ["diff Namespace", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan", "value2"])], "region", { namespaces: ["DiffNameSpace"] })], undefined), [onNode(pod("x", {}, { labels: podLabel, namespace: "ns" }), "machine1")], [Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY]],
  ["unmatching labelSelector", withTerms("p", podLabel, [term([e("service", "In", ["antivirusscan", "value2"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], [Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY]],
  ["different operators in multiple terms", withTerms("p", podLabel2, [term([e("service", "Exists"), e("wrongkey", "DoesNotExist")], "region"), term([e("service", "In", ["securityscan"]), e("service", "NotIn", ["WrongValue"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], null],
  ["expressions ANDed: one item doesn't match", withTerms("p", podLabel2, [term([e("service", "Exists"), e("wrongkey", "DoesNotExist")], "region"), term([e("service", "In", ["securityscan2"]), e("service", "NotIn", ["WrongValue"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], [Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY]],
  ["affinity and anti-affinity satisfied", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan", "value2"])], "region")], [term([e("service", "In", ["antivirusscan", "value2"])], "node")]), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], null],
  ["affinity, anti-affinity and symmetry satisfied", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan", "value2"])], "region")], [term([e("service", "In", ["antivirusscan", "value2"])], "node")]), [withTerms("x", podLabel, undefined, [term([e("service", "In", ["antivirusscan", "value2"])], "node")], "machine1")], null],
  ["anti-affinity not satisfied", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan", "value2"])], "region")], [term([e("service", "In", ["securityscan", "value2"])], "zone")]), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], [Code.Unschedulable, ERR_REASON_ANTI_AFFINITY]],
  ["existing pod's anti-affinity (symmetry) not satisfied", withTerms("p", podLabel, [term([e("service", "In", ["securityscan", "value2"])], "region")], [term([e("service", "In", ["antivirusscan", "value2"])], "node")]), [withTerms("x", podLabel, undefined, [term([e("service", "In", ["securityscan", "value2"])], "zone")], "machine1")], [Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY]],
  ["pod matches its own label but not its own term", withTerms("p", podLabel, [term([e("service", "NotIn", ["securityscan", "value2"])], "region")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine2")], [Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY]],
  ["existing anti-affinity respected without own constraints", pod("p", {}, { labels: podLabel }), [withTerms("x", podLabel, undefined, [term([e("service", "In", ["securityscan", "value2"])], "zone")], "machine1")], [Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY]],
  ["existing anti-affinity NotIn satisfied", pod("p", {}, { labels: podLabel }), [withTerms("x", podLabel, undefined, [term([e("service", "NotIn", ["securityscan", "value2"])], "zone")], "machine1")], null],
  ["first pod of a self-affine group", withTerms("p", podLabel, [term([e("service", "In", ["securityscan"])], "region")], undefined), [], null],
  ["node missing the topology key", withTerms("p", podLabel2, [term([e("service", "In", ["securityscan"])], "rack")], undefined), [onNode(pod("x", {}, { labels: podLabel }), "machine1")], [Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY]],
];
for (const [name, p, existing, want] of cases) {
  test(`InterPodAffinity Filter: ${name}`, () => {
    const s = run(p, existing);
    if (want === null) assert.equal(s, null);
    else {
      assert.equal(s?.code, want[0]);
      assert.deepEqual(s?.reasons, [want[1]]);
    }
  });
}

test("InterPodAffinity Filter: namespaceSelector selects the namespace of the existing pod", () => {
  const p = withTerms("p", {}, [term([e("service", "In", ["securityscan"])], "region", { namespaceSelector: { matchLabels: { team: "a" } } })], undefined);
  const existing = [onNode(pod("x", {}, { labels: podLabel, namespace: "ns" }), "machine1")];
  assert.equal(run(p, existing, undefined, undefined, { default: {}, ns: { team: "a" } }), null);
  assert.equal(run(p, existing, undefined, undefined, { default: {}, ns: { team: "b" } })?.reasons[0], ERR_REASON_AFFINITY);
});

test("InterPodAffinity Filter: anti-affinity across the topology domain (other node, same zone)", () => {
  const nodes = [node("machine1", { labels: { zone: "z1" } }), node("machine2", { labels: { zone: "z1" } }), node("machine3", { labels: { zone: "z2" } })];
  const p = withTerms("p", {}, undefined, [term([e("service", "In", ["securityscan"])], "zone")]);
  const existing = [onNode(pod("x", {}, { labels: podLabel }), "machine1")];
  assert.equal(run(p, existing, nodes, "machine2")?.reasons[0], ERR_REASON_ANTI_AFFINITY);
  assert.equal(run(p, existing, nodes, "machine3"), null);
});

test("InterPodAffinity PreFilter: skip when nothing applies", () => {
  const snap = snapshot([node("machine1", { labels: labels1 })]);
  assert.equal(new InterPodAffinity(snap).preFilter(new Map(), new PodInfo(pod("p"))).status?.code, Code.Skip);
});

// scoring_test.go: preferred affinity in the same region scores highest; anti-affinity lowest.
test("InterPodAffinity Score: preferred affinity and anti-affinity, normalized min-max", () => {
  const nodes = [node("machine1", { labels: { region: "China" } }), node("machine2", { labels: { region: "India" } }), node("machine3", { labels: { region: "America" } })];
  const existing = [onNode(pod("a", {}, { labels: { security: "S1" } }), "machine1"), onNode(pod("b", {}, { labels: { security: "S2" } }), "machine2")];
  const snap = snapshot(nodes, existing);
  const pl = new InterPodAffinity(snap);
  const p = new PodInfo(pod("p", { affinity: {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term([e("security", "In", ["S1"])], "region") }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term([e("security", "In", ["S2"])], "region") }] },
  } }));
  const state = new Map();
  const all = snap.nodeInfoList();
  assert.equal(pl.preScore(state, p, all), null);
  const scores = all.map((n) => pl.score(state, p, n));
  assert.deepEqual(scores, [5, -5, 0]);
  pl.normalizeScore(state, p, all, scores);
  assert.deepEqual(scores, [100, 0, 50]);
});

test("InterPodAffinity Score: existing pods' required affinity counts with hardPodAffinityWeight 1", () => {
  const nodes = [node("machine1", { labels: { region: "China" } }), node("machine2", { labels: { region: "India" } })];
  const existing = [withTerms("a", {}, [term([e("security", "In", ["S1"])], "region")], undefined, "machine1")];
  const snap = snapshot(nodes, existing);
  const pl = new InterPodAffinity(snap);
  const p = new PodInfo(pod("p", {}, { labels: { security: "S1" } }));
  const state = new Map();
  assert.equal(pl.preScore(state, p, snap.nodeInfoList()), null);
  assert.deepEqual(snap.nodeInfoList().map((n) => pl.score(state, p, n)), [1, 0]);
});

test("InterPodAffinity PreScore: skip with no affinity anywhere", () => {
  const snap = snapshot([node("machine1", { labels: labels1 })], [onNode(pod("x"), "machine1")]);
  assert.equal(new InterPodAffinity(snap).preScore(new Map(), new PodInfo(pod("p")), snap.nodeInfoList())?.code, Code.Skip);
});
