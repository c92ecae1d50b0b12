import { test } from "node:test";
import assert from "node:assert/strict";
import { setRunning, testCluster } from "./testutil.ts";

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });

test("pods of a deleted node are force-deleted after the quarantine", () => {
  const c = testCluster();
  const p = c.api.create(pod("orphan"));
  setRunning(c, p, "k8s-node2");
  c.api.delete("Node", undefined, "k8s-node2");
  c.advanceSync(20_000);
  assert.ok(c.get("Pod", "orphan"), "kept during the quarantine");
  c.advanceSync(40_000);
  assert.equal(c.get("Pod", "orphan"), undefined);
});

test("terminating pods on an out-of-service node that is not ready are force-deleted", () => {
  const c = testCluster();
  const p = c.api.create(pod("stuck"));
  setRunning(c, p, "k8s-node2");
  c.api.delete("Pod", "default", "stuck");
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" }];
  });
  c.advanceSync(30_000);
  assert.ok(c.get("Pod", "stuck"), "a Ready node keeps its terminating pod");
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
  }, { subresource: "status" });
  // The kubelet reports Ready again every 10 s in this test cluster, so stop it first.
  const k = c.ctx.services.get("kubelets")!.get("k8s-node2")!;
  k.stop();
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
  }, { subresource: "status" });
  c.advanceSync(20_000);
  assert.equal(c.get("Pod", "stuck"), undefined);
});
