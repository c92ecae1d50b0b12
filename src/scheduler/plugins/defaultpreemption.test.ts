import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { Random } from "../../sim/random.ts";
import { node, pod, snapshot } from "../testutil.ts";
import { Code, PodInfo, Status } from "../types.ts";
import { DefaultPreemption, podTerminatingByPreemption } from "./defaultpreemption.ts";

const LOW = 0;
const HIGH = 1000;

/** st.MakePod().Name(name).UID(name).Priority(priority)…, with the options the table uses. */
function mk(name: string, priority: number, o: { nominated?: string; node?: string; never?: boolean; terminating?: boolean; condition?: { type: string; status: string; reason: string } } = {}): KObject {
  const p = pod(name, { priority, ...(o.node ? { nodeName: o.node } : {}), ...(o.never ? { preemptionPolicy: "Never" } : {}) });
  if (o.terminating) p.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
  if (o.nominated) p.status.nominatedNodeName = o.nominated;
  if (o.condition) p.status.conditions = [{ ...o.condition, lastProbeTime: null, lastTransitionTime: "2026-01-01T00:00:00Z" }];
  return p;
}

// Ported from upstream v1.32 default_preemption_test.go TestPodEligibleToPreemptOthers
// (PodDisruptionConditions is GA in v1.32: the table's fts.EnablePodDisruptionConditions = true).
const table: Array<{ name: string; pod: KObject; pods: KObject[]; nodes: string[]; nominatedNodeStatus?: Status; expected: boolean }> = [
  {
    name: "Pod with nominated node",
    pod: mk("p_with_nominated_node", HIGH, { nominated: "node1" }),
    pods: [mk("p1", LOW, { node: "node1", terminating: true })],
    nodes: ["node1"],
    nominatedNodeStatus: Status.unresolvable("node(s) had untolerated taint(s)"),
    expected: true,
  },
  {
    name: "Pod without nominated node",
    pod: mk("p_without_nominated_node", HIGH),
    pods: [],
    nodes: [],
    expected: true,
  },
  {
    name: "Pod with 'PreemptNever' preemption policy",
    pod: mk("p_with_preempt_never_policy", HIGH, { never: true }),
    pods: [],
    nodes: [],
    expected: false,
  },
  {
    name: "preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition",
    pod: mk("p_with_nominated_node", HIGH, { nominated: "node1" }),
    pods: [mk("p1", LOW, { node: "node1", terminating: true, condition: { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" } })],
    nodes: ["node1"],
    expected: false,
  },
  {
    name: "non-victim Pods terminating",
    pod: mk("p_with_nominated_node", HIGH, { nominated: "node1" }),
    pods: [mk("p1", LOW, { node: "node1", terminating: true })],
    nodes: ["node1"],
    expected: true,
  },
];

for (const tc of table) {
  test(`PodEligibleToPreemptOthers: ${tc.name}`, () => {
    const pl = new DefaultPreemption(snapshot(tc.nodes.map((n) => node(n)), tc.pods), new Random(1));
    assert.equal(pl.eligible(new PodInfo(tc.pod), tc.nominatedNodeStatus).ok, tc.expected);
  });
}

test("PodEligibleToPreemptOthers: the message, and only lower-priority preemption victims block", () => {
  const victim = { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" };
  const preemptor = new PodInfo(mk("p", HIGH, { nominated: "node1" }));
  const with_ = (p: KObject) => new DefaultPreemption(snapshot([node("node1"), node("node2")], [p]), new Random(1));
  assert.deepEqual(with_(mk("v", LOW, { node: "node1", terminating: true, condition: victim })).eligible(preemptor, Status.unschedulable("Insufficient cpu")), {
    ok: false,
    msg: "not eligible due to a terminating pod on the nominated node.",
  });
  // Of equal priority, on another node, not (yet) deleted: no block.
  assert.equal(with_(mk("v", HIGH, { node: "node1", terminating: true, condition: victim })).eligible(preemptor).ok, true);
  assert.equal(with_(mk("v", LOW, { node: "node2", terminating: true, condition: victim })).eligible(preemptor).ok, true);
  assert.equal(with_(mk("v", LOW, { node: "node1", condition: victim })).eligible(preemptor).ok, true);
});

test("podTerminatingByPreemption reads the first DisruptionTarget condition only", () => {
  const at = (conditions: any[], deleting = true) => {
    const p = mk("v", LOW, { node: "n", terminating: deleting });
    p.status.conditions = conditions;
    return podTerminatingByPreemption(new PodInfo(p));
  };
  const dt = (status: string, reason: string) => ({ type: "DisruptionTarget", status, reason });
  assert.equal(at([dt("True", "PreemptionByScheduler")]), true);
  assert.equal(at([dt("True", "PreemptionByScheduler")], false), false);
  assert.equal(at([dt("False", "PreemptionByScheduler")]), false);
  assert.equal(at([dt("True", "EvictionByEvictionAPI")]), false, "an eviction (kubectl drain) is not the scheduler's");
  assert.equal(at([dt("True", "DeletionByTaintManager"), dt("True", "PreemptionByScheduler")]), false);
  assert.equal(at([{ type: "Ready", status: "False", reason: "PreemptionByScheduler" }]), false);
});

test("postFilter reads the nominated node's status of the cycle (absent nodes: UnschedulableAndUnresolvable)", () => {
  const victim = { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" };
  const pl = new DefaultPreemption(snapshot([node("node1"), node("node2")], [mk("v", LOW, { node: "node1", terminating: true, condition: victim })]), new Random(1));
  const preemptor = new PodInfo(mk("p", HIGH, { nominated: "node1" }));
  const fits = () => false;
  const blocked = pl.postFilter(new Map(), preemptor, () => Status.unschedulable("Insufficient cpu"), undefined, fits);
  assert.equal(blocked.status.code, Code.Unschedulable);
  assert.equal(blocked.status.message(), "preemption: not eligible due to a terminating pod on the nominated node.");
  // The nominated node unresolvable (here absent from the statuses: the PreFilter's node set left it out).
  const other = pl.postFilter(new Map(), preemptor, (ni) => (ni.name === "node1" ? undefined : Status.unschedulable("Insufficient cpu")), undefined, fits);
  assert.notEqual(other.status.message(), "preemption: not eligible due to a terminating pod on the nominated node.");
});
