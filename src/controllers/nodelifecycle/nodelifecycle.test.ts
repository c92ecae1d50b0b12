import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { computeZoneState, noScheduleTaintsFor, readyCondition } from "./nodelifecycle.ts";
import { nodeComesBack, nodeGoesDown } from "../../../support/faults.ts";

function twoNodes(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  return c;
}

/** A pod the node's kubelet runs (nginx serves at once): Running and Ready after a few seconds. */
function podOn(c: Cluster, name: string, node: string): void {
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: node, containers: [{ name: "c", image: "nginx" }] } });
  c.advanceSync(20_000);
  assert.equal(c.get("Pod", name)!.status.conditions.find((x: any) => x.type === "Ready").status, "True", "the kubelet runs the pod");
}

test("ComputeZoneState (node_lifecycle_controller.go)", () => {
  assert.equal(computeZoneState(["True", "True"]), "Normal");
  assert.equal(computeZoneState(["Unknown"]), "FullDisruption");
  assert.equal(computeZoneState(["True", "Unknown", "Unknown"]), "Normal"); // not more than 2 not ready
  assert.equal(computeZoneState(["True", "Unknown", "False", "Unknown"]), "PartialDisruption");
  assert.equal(computeZoneState(["True", "True", "Unknown", "Unknown", "Unknown"]), "PartialDisruption");
  assert.equal(computeZoneState(["True", "True", "True", "Unknown", "Unknown", "Unknown"]), "Normal");
});

test("a healthy node stays Ready and untainted", () => {
  const c = twoNodes();
  c.advanceSync(5 * 60_000);
  const n = c.get("Node", "k8s-node2")!;
  assert.equal(readyCondition(n)!.status, "True");
  assert.equal(n.spec?.taints, undefined);
});

test("a node that goes down turns Unknown after the 50 s grace period, then gets unreachable taints", () => {
  const c = twoNodes();
  c.advanceSync(30_000);
  podOn(c, "web", "k8s-node2");
  nodeGoesDown(c.ctx, "k8s-node2");
  const before = readyCondition(c.get("Node", "k8s-node2")!)!;
  c.advanceSync(45_000);
  assert.equal(readyCondition(c.get("Node", "k8s-node2")!)!.status, "True", "still True within the grace period");
  c.advanceSync(20_000);
  const node = c.get("Node", "k8s-node2")!;
  const ready = readyCondition(node)!;
  assert.equal(ready.status, "Unknown");
  assert.equal(ready.reason, "NodeStatusUnknown");
  assert.equal(ready.message, "Kubelet stopped posting node status.");
  assert.equal(ready.lastHeartbeatTime, before.lastHeartbeatTime, "heartbeat kept");
  for (const t of ["MemoryPressure", "DiskPressure", "PIDPressure"]) {
    assert.equal(node.status.conditions.find((x: any) => x.type === t).status, "Unknown");
  }
  const taints = node.spec.taints.map((t: any) => `${t.key}:${t.effect}`);
  assert.deepEqual(taints, ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
  assert.ok(node.spec.taints.every((t: any) => t.timeAdded));
  // The other node is unaffected.
  assert.equal(readyCondition(c.get("Node", "k8s-node1")!)!.status, "True");
  // Pods on the node are marked not ready, with events.
  const pod = c.get("Pod", "web")!;
  assert.equal(pod.status.conditions.find((x: any) => x.type === "Ready").status, "False");
  const events = c.api.list("Event").map((e) => `${e.involvedObject.kind} ${e.type} ${e.reason}: ${e.message}`);
  assert.ok(events.includes("Node Normal NodeNotReady: Node k8s-node2 status is now: NodeNotReady"), events.join("\n"));
  assert.ok(events.includes("Pod Warning NodeNotReady: Node is not ready"), events.join("\n"));
});

test("the Unknown transition happens between 50 and 60 s after the last heartbeat", () => {
  const c = twoNodes();
  c.advanceSync(12_000);
  nodeGoesDown(c.ctx, "k8s-node2");
  const lastRenew = Date.parse(c.api.get("Lease", "kube-node-lease", "k8s-node2")!.spec.renewTime);
  let at = 0;
  for (let i = 0; i < 120 && !at; i++) {
    c.advanceSync(1000);
    if (readyCondition(c.get("Node", "k8s-node2")!)!.status === "Unknown") at = c.clock.now();
  }
  const after = (at - lastRenew) / 1000;
  assert.ok(after > 50 && after <= 61, `turned Unknown ${after}s after the last renewal`);
});

test("a node that comes back is Ready again and its taints are removed", () => {
  const c = twoNodes();
  nodeGoesDown(c.ctx, "k8s-node2");
  c.advanceSync(120_000);
  assert.ok(c.get("Node", "k8s-node2")!.spec.taints);
  nodeComesBack(c.ctx, "k8s-node2");
  c.advanceSync(10_000);
  const node = c.get("Node", "k8s-node2")!;
  assert.equal(readyCondition(node)!.status, "True");
  assert.equal(node.spec.taints, undefined);
});

test("when every node is down the controller does not add NoExecute taints (full disruption)", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "only" }]);
  nodeGoesDown(c.ctx, "only");
  c.advanceSync(120_000);
  const taints = (c.get("Node", "only")!.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);
  assert.deepEqual(taints, ["node.kubernetes.io/unreachable:NoSchedule"]);
});

test("cordon adds the unschedulable NoSchedule taint; uncordon removes it", () => {
  const c = twoNodes();
  c.api.mutate("Node", undefined, "k8s-node1", (n) => (n.spec.unschedulable = true));
  c.advanceSync(10);
  assert.deepEqual(c.get("Node", "k8s-node1")!.spec.taints.map((t: any) => t.key), ["node.kubernetes.io/unschedulable"]);
  c.api.mutate("Node", undefined, "k8s-node1", (n) => delete n.spec.unschedulable);
  c.advanceSync(10);
  assert.equal(c.get("Node", "k8s-node1")!.spec.taints, undefined);
});

test("noScheduleTaintsFor mirrors conditions", () => {
  const node: any = {
    metadata: {},
    spec: { unschedulable: true },
    status: { conditions: [{ type: "Ready", status: "False" }, { type: "MemoryPressure", status: "True" }, { type: "DiskPressure", status: "False" }] },
  };
  assert.deepEqual(noScheduleTaintsFor(node), ["node.kubernetes.io/not-ready", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/unschedulable"]);
});

test("going down twice, or an unknown node, is a clear error", () => {
  const c = twoNodes();
  nodeGoesDown(c.ctx, "k8s-node1");
  assert.throws(() => nodeGoesDown(c.ctx, "k8s-node1"), /already down/);
  assert.throws(() => nodeGoesDown(c.ctx, "nope"), /not part of this cluster/);
  assert.throws(() => nodeComesBack(c.ctx, "k8s-node2"), /is not down/);
});
