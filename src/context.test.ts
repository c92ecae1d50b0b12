// The typed service registry: one value per key, made once, typed by the key with no cast at the caller.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceRegistry } from "./context.ts";
import { Cluster } from "./cluster.ts";
import { kubelets } from "./kubelet/manager.ts";

test("ensure makes a service once and get returns it typed", () => {
  const r = new ServiceRegistry();
  assert.equal(r.get("kubelets"), undefined);
  let made = 0;
  const a = r.ensure("kubelets", () => (made++, new Map()));
  const b = r.ensure("kubelets", () => (made++, new Map()));
  assert.equal(a, b);
  assert.equal(made, 1);
  assert.equal(r.get("kubelets"), a);
  // @ts-expect-error -- a key no module declared is a compile error, not a silent undefined
  r.get("kublets");
});

test("a cluster's components register under their keys", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.equal(c.ctx.services.get("kubelets"), kubelets(c.ctx));
  assert.ok(c.ctx.services.get("kubelets")!.get("n1")?.isRunning);
  assert.ok(c.ctx.services.get("scheduler"), "the scheduler registers itself when it starts");
  await c.close();
});

test("every cluster starts with the same system namespaces, shared or created, whatever the start instant or engine", async () => {
  const dump = (c: Cluster) => JSON.stringify(["default", "kube-node-lease", "kube-public", "kube-system"].map((n) => c.get("Namespace", n, "")));
  for (const startTime of [undefined, "2030-05-06T07:08:09Z"]) {
    const [a, b, ref] = [new Cluster({ startTime }), new Cluster({ startTime }), new Cluster({ startTime, reference: true })];
    assert.equal(dump(b), dump(a));
    assert.equal(dump(ref), dump(a));
    assert.match(dump(a), new RegExp(`"creationTimestamp":"${(startTime ?? "2024-01-08T00:00:00Z").replace(/\./g, "\\.")}"`));
    for (const c of [a, b, ref]) await c.close();
  }
});
