import { test } from "node:test";
import assert from "node:assert/strict";
import { podsOf, rsManifest, testCluster } from "./testutil.ts";
import { Cluster } from "../cluster.ts";
import { GarbageCollector } from "./garbagecollector.ts";

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

/** A cluster's garbage collector's graph and queues after its start, in a comparable form. */
function graphOf(c: Cluster): { uids: Array<[string, unknown]>; dependents: Array<[string, string[]]>; queued: number[]; restored: boolean } {
  const gc = (c as unknown as { components: unknown[] }).components.find((x) => x instanceof GarbageCollector) as unknown as {
    uids: Map<string, unknown>;
    dependents: Map<string, Set<string>>;
    queues: Array<{ length: number }>;
  };
  return {
    uids: [...gc.uids].sort(([a], [b]) => (a < b ? -1 : 1)),
    dependents: [...gc.dependents].map(([k, s]): [string, string[]] => [k, [...s]]).sort(([a], [b]) => (a < b ? -1 : 1)),
    queued: gc.queues.map((q) => q.length),
    restored: c.api.restoredStart() !== undefined,
  };
}

test("issue #19 §5: a restored start's graph (taken from the start state, its ADDED events skipped) is the graph a settled start builds from those events", () => {
  const at = "2031-05-06T07:08:09Z";
  new Cluster({ startTime: at }).close(); // records the start at this instant
  const restored = new Cluster({ startTime: at });
  const settled = new Cluster({ startTime: at, reference: true });
  const a = graphOf(restored);
  const b = graphOf(settled);
  assert.equal(a.restored, true, "the fast engine's cluster restored its start");
  assert.equal(b.restored, false);
  assert.ok(a.uids.length >= 60, `the start's objects are in the graph (${a.uids.length})`);
  assert.deepEqual(a, { ...b, restored: true });
  // And it acts on them: a dependent of a bootstrap ClusterRole stays, and goes with it.
  for (const c of [restored, settled]) {
    const view = c.api.get("ClusterRole", undefined, "view")!;
    c.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dep", namespace: "default", ownerReferences: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "view", uid: view.metadata.uid! }] } });
    c.advanceSync(1000);
    assert.ok(c.get("ConfigMap", "dep"), "a dependent of a start object is kept");
    c.api.delete("ClusterRole", undefined, "view");
    c.advanceSync(1000);
    assert.equal(c.get("ConfigMap", "dep"), undefined, "and collected with it");
  }
  void restored.close();
  void settled.close();
});
