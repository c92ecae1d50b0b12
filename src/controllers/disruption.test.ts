import { test } from "node:test";
import assert from "node:assert/strict";
import { evictPod } from "../api/eviction.ts";
import { ApiError } from "../api/errors.ts";
import { podsOf, rsManifest, setRunning, testCluster } from "./testutil.ts";
import type { Cluster } from "../cluster.ts";

function setup(pdbSpec: Record<string, unknown>): Cluster {
  const c = testCluster();
  c.api.create(rsManifest("web", 3));
  c.advanceSync(10);
  for (const p of podsOf(c, "ReplicaSet", "web")) setRunning(c, p);
  c.api.create({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web-pdb", namespace: "default" }, spec: { selector: { matchLabels: { app: "web" } }, ...pdbSpec } });
  c.advanceSync(10);
  return c;
}

test("PDB status: minAvailable 2 of 3 ready pods allows one disruption", () => {
  const c = setup({ minAvailable: 2 });
  const st = c.get("PodDisruptionBudget", "web-pdb")!.status;
  assert.equal(st.currentHealthy, 3);
  assert.equal(st.desiredHealthy, 2);
  assert.equal(st.disruptionsAllowed, 1);
  assert.equal(st.expectedPods, 3);
  assert.equal(st.conditions[0].reason, "SufficientPods");
});

test("maxUnavailable and percentages count the controller's replicas", () => {
  const c = setup({ maxUnavailable: "34%" });
  const st = c.get("PodDisruptionBudget", "web-pdb")!.status;
  assert.equal(st.expectedPods, 3);
  assert.equal(st.desiredHealthy, 1); // 3 − ceil(1.02)
  assert.equal(st.disruptionsAllowed, 2);
});

test("an eviction spends the budget; the next one is refused with 429", () => {
  const c = setup({ minAvailable: 2 });
  const [a, b] = podsOf(c, "ReplicaSet", "web");
  evictPod(c.api, "default", a.metadata.name!);
  const evicted = c.get("Pod", a.metadata.name!)!;
  assert.ok(evicted.metadata.deletionTimestamp);
  assert.ok(evicted.status.conditions.some((x: any) => x.type === "DisruptionTarget" && x.reason === "EvictionByEvictionAPI" && x.message === "Eviction API: evicting"));
  assert.throws(
    () => evictPod(c.api, "default", b.metadata.name!),
    (e: unknown) => e instanceof ApiError && e.reason === "TooManyRequests" && e.message === "Cannot evict pod as it would violate the pod's disruption budget.",
  );
  // The replacement becomes ready: the budget allows one again.
  c.advanceSync(10);
  for (const p of podsOf(c, "ReplicaSet", "web")) if (!p.metadata.deletionTimestamp && p.status?.phase !== "Running") setRunning(c, p);
  c.advanceSync(10);
  assert.equal(c.get("PodDisruptionBudget", "web-pdb")!.status.disruptionsAllowed, 1);
});

test("a pending pod is evicted without consulting budgets", () => {
  const c = testCluster();
  c.api.create({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "solo", namespace: "default" }, spec: { selector: { matchLabels: { app: "solo" } }, minAvailable: 1 } });
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", labels: { app: "solo" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  c.advanceSync(10);
  evictPod(c.api, "default", "p");
  const p = c.get("Pod", "p");
  assert.ok(!p || p.metadata.deletionTimestamp, "deleted although the budget has no healthy pod");
});
