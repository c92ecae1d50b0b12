import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON_POD, NodeAffinity } from "./nodeaffinity.ts";
import { Code, PodInfo } from "../types.ts";
import { node, nodeInfo, pod } from "../testutil.ts";

const req = (terms: any[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

// Ported from node_affinity_test.go TestNodeAffinity (filter rows; "" = fits).
const cases: Array<[string, any, Record<string, string>, boolean, string?]> = [
  ["no selector", {}, {}, true],
  ["missing labels", { nodeSelector: { foo: "bar" } }, {}, false],
  ["same labels", { nodeSelector: { foo: "bar" } }, { foo: "bar" }, true],
  ["node labels are superset", { nodeSelector: { foo: "bar" } }, { foo: "bar", baz: "blah" }, true],
  ["node labels are subset", { nodeSelector: { foo: "bar", baz: "blah" } }, { foo: "bar" }, false],
  ["In matches", req([expr("foo", "In", ["bar", "value2"])]), { foo: "bar" }, true],
  ["Gt matches", req([expr("kernel-version", "Gt", ["0204"])]), { "kernel-version": "0206" }, true],
  ["NotIn: label value in list", req([expr("mem-type", "NotIn", ["DDR", "DDR2"])]), { "mem-type": "DDR3" }, true],
  ["Exists", req([expr("GPU", "Exists")]), { GPU: "NVIDIA-GRID-K1" }, true],
  ["In does not match", req([expr("foo", "In", ["value1", "value2"])]), { foo: "bar" }, false],
  ["empty nodeSelectorTerms", req([]), { foo: "bar" }, false],
  ["empty matchExpressions", req([{ matchExpressions: [] }]), { foo: "bar" }, false],
  ["no affinity, no selector", { affinity: {} }, { foo: "bar" }, true],
  ["nodeAffinity without required", { affinity: { nodeAffinity: {} } }, { foo: "bar" }, true],
  ["expressions ANDed: all match", req([{ matchExpressions: [{ key: "kernel-version", operator: "Exists" }, { key: "mem-type", operator: "In", values: ["DDR", "DDR2"] }] }]), { "kernel-version": "1", "mem-type": "DDR" }, true],
  ["expressions ANDed: one fails", req([{ matchExpressions: [{ key: "kernel-version", operator: "Exists" }, { key: "mem-type", operator: "In", values: ["DDR", "DDR2"] }] }]), { "kernel-version": "1", "mem-type": "DDR3" }, false],
  ["terms ORed", req([expr("foo", "In", ["bar"]), expr("diffkey", "In", ["wrong"])]), { foo: "bar" }, true],
  ["nodeSelector AND affinity: both match", { nodeSelector: { foo: "bar" }, ...req([expr("foo", "Exists")]) }, { foo: "bar" }, true],
  ["nodeSelector AND affinity: selector fails", { nodeSelector: { foo: "bar" }, ...req([expr("foo", "Exists")]) }, { foo: "barrrrrr" }, false],
  ["DoesNotExist", req([expr("foo", "DoesNotExist")]), { bar: "x" }, true],
  ["Gt on a non-integer label", req([expr("size", "Gt", ["5"])]), { size: "big" }, false],
  ["Lt", req([expr("size", "Lt", ["5"])]), { size: "3" }, true],
  ["NotIn with missing label passes", req([expr("zone", "NotIn", ["a"])]), {}, true],
  ["matchFields metadata.name In", req([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node1"] }] }]), {}, true],
  ["matchFields metadata.name In other", req([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node2"] }] }]), {}, false],
  ["matchFields AND matchExpressions", req([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node1"] }], matchExpressions: [{ key: "foo", operator: "In", values: ["bar"] }] }]), { foo: "bar" }, true],
  ["unparsable term matches nothing", req([expr("foo", "Gt", ["1", "2"])]), { foo: "3" }, false],
];

for (const [name, spec, labels, fits] of cases) {
  test(`NodeAffinity Filter: ${name}`, () => {
    const pl = new NodeAffinity();
    const state = new Map();
    const p = new PodInfo(pod("p", spec));
    const pre = pl.preFilter(state, p);
    if (pre.status?.code === Code.Skip) {
      assert.equal(fits, true, "a skipped NodeAffinity lets every node through");
      return;
    }
    const s = pl.filter(state, p, nodeInfo(node("node1", { labels })));
    if (fits) assert.equal(s, null);
    else {
      assert.equal(s?.code, Code.UnschedulableAndUnresolvable);
      assert.deepEqual(s?.reasons, [ERR_REASON_POD]);
    }
  });
}

test("NodeAffinity PreFilter: matchFields metadata.name narrows the nodes", () => {
  const p = new PodInfo(pod("p", req([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node1", "node2"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["node3"] }] }])));
  const r = new NodeAffinity().preFilter(new Map(), p);
  assert.deepEqual([...r.result!.nodeNames!].sort(), ["node1", "node2", "node3"]);
});

test("NodeAffinity PreFilter: skip without selector or required terms", () => {
  assert.equal(new NodeAffinity().preFilter(new Map(), new PodInfo(pod("p"))).status?.code, Code.Skip);
});

// TestNodeAffinityPriority: preferred weights, normalized to the maximum.
test("NodeAffinity Score: preferred weights normalized", () => {
  const pl = new NodeAffinity();
  const state = new Map();
  const p = new PodInfo(pod("p", { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 2, preference: expr("foo", "In", ["bar"]) },
    { weight: 4, preference: expr("key", "In", ["value"]) },
    { weight: 5, preference: { matchExpressions: [{ key: "foo", operator: "In", values: ["bar"] }, { key: "key", operator: "In", values: ["value"] }, { key: "az", operator: "In", values: ["az1"] }] } },
  ] } } }));
  const nodes = [
    nodeInfo(node("node1", { labels: { foo: "bar" } })),
    nodeInfo(node("node2", { labels: { foo: "bar", key: "value" } })),
    nodeInfo(node("node3", { labels: { foo: "bar", key: "value", az: "az1" } })),
    nodeInfo(node("node4", { labels: {} })),
  ];
  assert.equal(pl.preScore(state, p), null);
  const scores = nodes.map((n) => pl.score(state, p, n));
  assert.deepEqual(scores, [2, 6, 11, 0]);
  pl.normalizeScore(state, p, nodes, scores);
  assert.deepEqual(scores, [18, 54, 100, 0]);
});

test("NodeAffinity PreScore: skip without preferred terms", () => {
  assert.equal(new NodeAffinity().preScore(new Map(), new PodInfo(pod("p")))?.code, Code.Skip);
});
