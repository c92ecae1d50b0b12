import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { deletionConditions } from "./namespace_controller.ts";

test("a deleted namespace turns Terminating, its content is deleted, and it goes once empty", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n");
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: team}\ndata: {a: b}\n");
  c.advanceSync(10_000);
  assert.equal(c.api.get("Pod", "team", "p")?.status.phase, "Running");
  c.api.delete("Namespace", undefined, "team");
  c.advanceSync(1_000);
  const ns = c.api.get("Namespace", undefined, "team")!;
  assert.equal(ns.status.phase, "Terminating");
  assert.deepEqual(ns.spec.finalizers, ["kubernetes"]);
  assert.equal(c.api.get("ConfigMap", "team", "cm"), undefined, "content without a grace period goes at once");
  const remaining = ns.status.conditions.find((x: any) => x.type === "NamespaceContentRemaining");
  assert.equal(remaining.status, "True");
  assert.match(remaining.message, /^Some resources are remaining: pods\. has 1 resource instances$/);
  assert.throws(() => c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: team}\n"), /being terminated/);
  // sleep ignores SIGTERM: the pod goes after its 30 s grace period, then the namespace.
  c.advanceSync(40_000);
  assert.equal(c.api.get("Pod", "team", "p"), undefined);
  assert.equal(c.api.get("Namespace", undefined, "team"), undefined);
  await c.close();
});

test("a namespace without the kubernetes finalizer goes at once", async () => {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: Namespace\nmetadata: {name: bare}\n");
  c.api.mutate("Namespace", undefined, "bare", (o) => (o.spec.finalizers = []));
  c.api.delete("Namespace", undefined, "bare");
  assert.equal(c.api.get("Namespace", undefined, "bare"), undefined);
  await c.close();
});

test("deletionConditions: the deleter's five conditions, remaining content and finalizers named", () => {
  const empty = deletionConditions({ byResource: new Map(), byFinalizer: new Map() });
  assert.deepEqual(empty.map((x) => [x.type, x.status, x.reason]), [
    ["NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered"],
    ["NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions"],
    ["NamespaceDeletionContentFailure", "False", "ContentDeleted"],
    ["NamespaceContentRemaining", "False", "ContentRemoved"],
    ["NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers"],
  ]);
  const some = deletionConditions({ byResource: new Map([["pods.", 2], ["deployments.apps", 1]]), byFinalizer: new Map([["example.com/keep", 1]]) });
  assert.equal(some[3]!.message, "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances");
  assert.equal(some[4]!.message, "Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances");
});
