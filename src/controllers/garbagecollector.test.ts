import { test } from "node:test";
import assert from "node:assert/strict";
import { podsOf, rsManifest, testCluster } from "./testutil.ts";

test("background: deleting a ReplicaSet deletes its pods", () => {
  const c = testCluster([]);
  c.api.create(rsManifest("web", 2));
  c.advanceSync(10);
  assert.equal(podsOf(c, "ReplicaSet", "web").length, 2);
  c.api.delete("ReplicaSet", "default", "web");
  c.advanceSync(10);
  assert.equal(c.api.list("Pod").length, 0);
});

test("orphan: the pods stay and lose their ownerReferences", () => {
  const c = testCluster([]);
  c.api.create(rsManifest("web", 2));
  c.advanceSync(10);
  c.api.delete("ReplicaSet", "default", "web", { propagationPolicy: "Orphan" });
  assert.ok(c.get("ReplicaSet", "web")!.metadata.finalizers!.includes("orphan"));
  c.advanceSync(10);
  assert.equal(c.get("ReplicaSet", "web"), undefined);
  const pods = c.api.list("Pod");
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => !p.metadata.ownerReferences));
});

test("foreground: the owner waits with foregroundDeletion until its dependents are gone", () => {
  const c = testCluster([]);
  c.api.create(rsManifest("web", 2));
  c.advanceSync(10);
  c.api.delete("ReplicaSet", "default", "web", { propagationPolicy: "Foreground" });
  const rs = c.get("ReplicaSet", "web")!;
  assert.ok(rs.metadata.deletionTimestamp);
  assert.deepEqual(rs.metadata.finalizers, ["foregroundDeletion"]);
  c.advanceSync(10);
  assert.equal(c.api.list("Pod").length, 0);
  assert.equal(c.get("ReplicaSet", "web"), undefined);
});

test("an object whose owner does not exist is collected", () => {
  const c = testCluster([]);
  c.api.create({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cm", namespace: "default", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "gone", uid: "no-such-uid" }] },
  });
  c.advanceSync(10);
  assert.equal(c.get("ConfigMap", "cm"), undefined);
});
