import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { getMatchingTolerations, getMinTolerationTime } from "./tainteviction.ts";

function setup(): Cluster {
  const c = new Cluster();
  c.api.create({ apiVersion: "v1", kind: "Node", metadata: { name: "k8s-node2" }, spec: {}, status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } } });
  c.advanceSync(0);
  const pod = (name: string, tolerations: any[] | undefined, grace: number) =>
    c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { tolerations, terminationGracePeriodSeconds: grace, containers: [{ name: "c", image: "kubetm/app" }] } });
  pod("pod1-with-no-execute", [{ effect: "NoExecute", key: "out-of-disk", operator: "Exists", tolerationSeconds: 30 }, { effect: "NoExecute", key: "out-of-disk-2", operator: "Exists", tolerationSeconds: 60 }], 30);
  pod("pod2-without-no-execute", undefined, 30);
  c.clock.settle();
  return c;
}

const taint = (c: Cluster, taints: any[]) => {
  c.api.mutate("Node", undefined, "k8s-node2", (n) => (n.spec.taints = taints));
  c.clock.settle();
};
const events = (c: Cluster, name: string) =>
  c.api.list("Event").filter((e) => e.involvedObject.name === name && e.reason === "TaintManagerEviction").map((e) => `${e.source.component}: ${e.message}`);
const NOEXEC = [{ key: "out-of-disk", value: "True", effect: "NoExecute" }];

test("an untolerated NoExecute taint evicts at once: event, DisruptionTarget, graceful delete", () => {
  const c = setup();
  assert.equal(c.get("Pod", "pod2-without-no-execute")!.spec.nodeName, "k8s-node2");
  taint(c, NOEXEC);
  const p2 = c.get("Pod", "pod2-without-no-execute")!;
  assert.ok(p2.metadata.deletionTimestamp, "being deleted with its grace period");
  assert.equal(p2.metadata.deletionGracePeriodSeconds, 30);
  assert.deepEqual(p2.status.conditions.find((x: any) => x.type === "DisruptionTarget"), {
    type: "DisruptionTarget", status: "True", lastProbeTime: null, lastTransitionTime: c.clock.nowRFC3339(),
    reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint",
  });
  assert.deepEqual(events(c, "pod2-without-no-execute"), ["taint-eviction-controller: Marking for deletion Pod default/pod2-without-no-execute"]);
  assert.equal(c.get("Pod", "pod1-with-no-execute")!.metadata.deletionTimestamp, undefined);
});

test("tolerationSeconds: evicted when the time is up, not before", () => {
  const c = setup();
  taint(c, NOEXEC);
  c.advanceSync(29_999);
  assert.equal(c.get("Pod", "pod1-with-no-execute")!.metadata.deletionTimestamp, undefined);
  c.advanceSync(1);
  assert.ok(c.get("Pod", "pod1-with-no-execute")!.metadata.deletionTimestamp);
  assert.deepEqual(events(c, "pod1-with-no-execute"), ["taint-eviction-controller: Marking for deletion Pod default/pod1-with-no-execute"]);
});

test("removing the taint cancels the pending eviction with an event", () => {
  const c = setup();
  taint(c, NOEXEC);
  c.advanceSync(20_000);
  taint(c, []);
  c.advanceSync(60_000);
  assert.equal(c.get("Pod", "pod1-with-no-execute")!.metadata.deletionTimestamp, undefined);
  assert.deepEqual(events(c, "pod1-with-no-execute"), ["taint-eviction-controller: Cancelling deletion of Pod default/pod1-with-no-execute"]);
});

test("a later tolerated taint keeps the original deadline", () => {
  const c = setup();
  taint(c, NOEXEC);
  c.advanceSync(20_000);
  taint(c, [...NOEXEC, { key: "out-of-disk-2", value: "Other", effect: "NoExecute" }]);
  c.advanceSync(10_000);
  assert.ok(c.get("Pod", "pod1-with-no-execute")!.metadata.deletionTimestamp, "deleted 30 s after the first taint");
});

test("a pod tolerating forever is never evicted; a pod scheduled onto a tainted node is processed", () => {
  const c = setup();
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "forever", namespace: "default" }, spec: { tolerations: [{ operator: "Exists" }], containers: [{ name: "c", image: "x" }] } });
  c.clock.settle();
  taint(c, NOEXEC);
  c.advanceSync(600_000);
  assert.equal(c.get("Pod", "forever")!.metadata.deletionTimestamp, undefined);
});

test("getMatchingTolerations / getMinTolerationTime", () => {
  const taints = [{ key: "a", effect: "NoExecute" }, { key: "b", effect: "NoExecute" }];
  assert.equal(getMatchingTolerations(taints, [{ key: "a", operator: "Exists" }]).allTolerated, false);
  assert.equal(getMatchingTolerations(taints, [{ operator: "Exists" }]).allTolerated, true);
  assert.equal(getMinTolerationTime([{ tolerationSeconds: 30 }, { tolerationSeconds: 10 }, {}]), 10_000);
  assert.equal(getMinTolerationTime([{}]), -1);
  assert.equal(getMinTolerationTime([{ tolerationSeconds: 0 }]), 0);
  assert.equal(getMinTolerationTime([]), 0);
});
