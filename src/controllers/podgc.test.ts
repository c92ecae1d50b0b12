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

test("passes with nothing to do are skipped while no pod and no node changes (issue #19 §3), and the pod GC acts as on the reference engine once one does", () => {
  const run = (reference: boolean) => {
    const c = testCluster(["k8s-node1", "k8s-node2", "k8s-node3"], { reference });
    const lists: number[] = [];
    const list = c.api.list.bind(c.api);
    c.api.list = (kind, opts) => {
      if (kind === "Pod") lists.push(c.clock.now());
      return list(kind, opts);
    };
    for (const [i, node] of ["k8s-node1", "k8s-node2", "k8s-node2", "k8s-node3"].entries()) setRunning(c, c.api.create(pod(`p${i}`)), node);
    c.advanceSync(65_000);
    const quietPasses = lists.length;
    // A node goes at an odd instant, long after the last change: its pods after the quarantine.
    c.advanceSync(7_000);
    c.api.delete("Node", undefined, "k8s-node2");
    const gone: string[] = [];
    for (let t = 0; t < 12; t++) {
      c.advanceSync(10_000);
      gone.push(["p0", "p1", "p2", "p3"].filter((n) => !c.get("Pod", n)).join(","));
    }
    // A pod deleted on a node that then turns out of service and not ready.
    c.api.delete("Pod", "default", "p3");
    c.api.mutate("Node", undefined, "k8s-node3", (n) => {
      n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "x", effect: "NoExecute" }];
    });
    c.advanceSync(25_000);
    gone.push(c.get("Pod", "p3") ? "p3 kept" : "p3 gone");
    c.api.mutate("Node", undefined, "k8s-node3", (n) => {
      n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
    }, { subresource: "status" });
    c.advanceSync(25_000);
    gone.push(c.get("Pod", "p3") ? "p3 kept" : "p3 gone");
    return { gone, quietPasses };
  };
  const fast = run(false);
  const reference = run(true);
  assert.deepEqual(fast.gone, reference.gone);
  assert.ok(fast.gone.some((g) => g === "p1,p2"), fast.gone.join(" | "));
  assert.deepEqual(fast.gone.slice(-2), ["p3 kept", "p3 gone"]);
  // The reference engine lists the pods at every pass; the fast one skips the quiet ones.
  assert.ok(fast.quietPasses < reference.quietPasses, `${fast.quietPasses} < ${reference.quietPasses}`);
});
