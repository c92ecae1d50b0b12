import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { ApiServer } from "./store.ts";
import type { KObject } from "./types.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}
const pod = (name: string): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] }, status: {} });

test("a node's pod watcher sees only pods bound to that node; all watchers run in subscription order", () => {
  const api = server();
  const seen: string[] = [];
  api.watch("Pod", (ev) => seen.push(`all ${ev.type} ${ev.object.metadata.name}`));
  api.watch("Pod", (ev) => seen.push(`n1 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n1" });
  api.watch("Pod", (ev) => seen.push(`n2 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n2" });
  api.watch("Pod", (ev) => seen.push(`late ${ev.type} ${ev.object.metadata.name}`));
  api.create(pod("a"));
  api.create(pod("b"));
  api.bind("default", "a", "n1");
  api.clock.settle();
  api.delete("Pod", "default", "b");
  api.delete("Pod", "default", "a", { gracePeriodSeconds: 0 });
  api.clock.settle();
  assert.deepEqual(seen, [
    "all ADDED a",
    "late ADDED a",
    "all ADDED b",
    "late ADDED b",
    "all MODIFIED a",
    "n1 MODIFIED a",
    "late MODIFIED a",
    "all DELETED b",
    "late DELETED b",
    // n1's pod deleted: n1's watcher is told, n2's is not.
    "all DELETED a",
    "n1 DELETED a",
    "late DELETED a",
  ]);
});

test("the kubelet's final delete leaves a pod that finalizers hold, with grace 0; it goes with the last finalizer", () => {
  const api = server();
  api.create({ ...pod("held"), metadata: { name: "held", namespace: "default", finalizers: ["batch.kubernetes.io/job-tracking"] } });
  api.bind("default", "held", "n1");
  api.delete("Pod", "default", "held", { gracePeriodSeconds: 30 });
  api.finalizeDelete("Pod", "default", "held");
  const held = api.get("Pod", "default", "held")!;
  assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
  assert.ok(held.metadata.deletionTimestamp);
  api.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
  assert.equal(api.get("Pod", "default", "held"), undefined);
  api.create(pod("free"));
  api.bind("default", "free", "n1");
  api.delete("Pod", "default", "free", { gracePeriodSeconds: 30 });
  api.finalizeDelete("Pod", "default", "free");
  assert.equal(api.get("Pod", "default", "free"), undefined);
});

test("a pod moving between nodes reaches the watchers of both; an unsubscribed watcher nothing", () => {
  const api = server();
  const seen: string[] = [];
  const stop = api.watch("Pod", (ev) => seen.push(`n1 ${ev.object.spec.nodeName ?? ""}`), { nodeName: "n1" });
  api.watch("Pod", (ev) => seen.push(`n2 ${ev.object.spec.nodeName ?? ""}`), { nodeName: "n2" });
  api.create(pod("a"));
  api.bind("default", "a", "n1");
  api.clock.settle();
  // Not something the API allows a client to do, but the index must follow spec.nodeName whatever writes it.
  api.update({ ...api.get("Pod", "default", "a")!, spec: { ...api.get("Pod", "default", "a")!.spec, nodeName: "n2" } });
  api.clock.settle();
  stop();
  api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  api.clock.settle();
  assert.deepEqual(seen, ["n1 n1", "n1 n2", "n2 n2", "n2 n2"]);
});

test("a status write shares the unchanged spec with the previous version and is frozen", () => {
  const api = server();
  const before = api.create(pod("a"));
  const after = api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  assert.equal(after.spec, before.spec);
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.ok(Object.isFrozen(after.status));
  // Writing the same status again is a no-op: the stored object is returned unchanged.
  const again = api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  assert.equal(again, after);
});
