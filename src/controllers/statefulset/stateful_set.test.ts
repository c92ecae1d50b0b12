import { test } from "node:test";
import assert from "node:assert/strict";
import type { Cluster } from "../../cluster.ts";
import { podsOf, setRunning, testCluster } from "../testutil.ts";

const manifest = (o: { replicas?: number; image?: string; policy?: string; strategy?: string } = {}) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: ${o.replicas ?? 3}
  ${o.policy ? `podManagementPolicy: ${o.policy}` : ""}
  ${o.strategy ?? ""}
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: "${o.image ?? "nginx:1.27"}"}]
`;

const names = (c: Cluster) => podsOf(c, "StatefulSet", "web").filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
/** Plays the kubelets: every pending pod runs and is ready. */
function runAll(c: Cluster): void {
  for (const p of podsOf(c, "StatefulSet", "web")) if (!p.metadata.deletionTimestamp && p.status?.phase !== "Running") setRunning(c, p, "k8s-node1");
}
function finishDeletes(c: Cluster): void {
  for (const p of podsOf(c, "StatefulSet", "web")) if (p.metadata.deletionTimestamp) c.api.finalizeDelete("Pod", "default", p.metadata.name!);
}

test("OrderedReady: one pod at a time, each once the previous one is Running and Ready", () => {
  const c = testCluster();
  c.applySync(manifest());
  c.advanceSync("1s");
  assert.deepEqual(names(c), ["web-0"]);
  c.advanceSync("10s");
  assert.deepEqual(names(c), ["web-0"], "web-1 waits for web-0");
  runAll(c);
  c.advanceSync("1s");
  assert.deepEqual(names(c), ["web-0", "web-1"]);
  runAll(c);
  c.advanceSync("1s");
  runAll(c);
  c.advanceSync("1s");
  assert.deepEqual(names(c), ["web-0", "web-1", "web-2"]);
  const status = c.get("StatefulSet", "web")!.status;
  assert.equal(status.replicas, 3);
  assert.equal(status.readyReplicas, 3);
  assert.equal(status.availableReplicas, 3);
  assert.equal(status.currentRevision, status.updateRevision);
  const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "StatefulSet").map((e) => e.message);
  assert.deepEqual(events, ["create Pod web-0 in StatefulSet web successful", "create Pod web-1 in StatefulSet web successful", "create Pod web-2 in StatefulSet web successful"]);
});

test("Parallel: all pods at once; scale-down in reverse order", () => {
  const c = testCluster();
  c.applySync(manifest({ policy: "Parallel", replicas: 4 }));
  c.advanceSync("1s");
  assert.deepEqual(names(c), ["web-0", "web-1", "web-2", "web-3"]);
  runAll(c);
  c.advanceSync("1s");
  c.applySync(manifest({ policy: "Parallel", replicas: 2 }));
  c.advanceSync("1s");
  assert.deepEqual(names(c), ["web-0", "web-1"]);
});

test("OrderedReady scale-down deletes the highest ordinal first, one at a time", () => {
  const c = testCluster();
  c.applySync(manifest({ replicas: 3 }));
  for (let i = 0; i < 4; i++) {
    c.advanceSync("1s");
    runAll(c);
  }
  c.advanceSync("1s");
  c.applySync(manifest({ replicas: 1 }));
  c.advanceSync("1s");
  const deleting = podsOf(c, "StatefulSet", "web").filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  assert.deepEqual(deleting, ["web-2"], "web-1 waits for web-2 to terminate");
  finishDeletes(c);
  c.advanceSync("1s");
  assert.deepEqual(podsOf(c, "StatefulSet", "web").filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name), ["web-1"]);
});

test("RollingUpdate with a partition updates only the ordinals at or above it, from the top", () => {
  const c = testCluster();
  const strategy = (p: number) => `updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${p}}}`;
  c.applySync(manifest({ strategy: strategy(2) }));
  for (let i = 0; i < 4; i++) {
    c.advanceSync("1s");
    runAll(c);
  }
  c.applySync(manifest({ strategy: strategy(2), image: "nginx:1.26" }));
  c.advanceSync("1s");
  assert.deepEqual(podsOf(c, "StatefulSet", "web").filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name), ["web-2"]);
  finishDeletes(c);
  c.advanceSync("1s");
  runAll(c);
  c.advanceSync("1s");
  const images = Object.fromEntries(podsOf(c, "StatefulSet", "web").map((p) => [p.metadata.name, p.spec.containers[0].image]));
  assert.deepEqual(images, { "web-0": "nginx:1.27", "web-1": "nginx:1.27", "web-2": "nginx:1.26" });
  const st = c.get("StatefulSet", "web")!.status;
  assert.equal(st.updatedReplicas, 1);
  assert.equal(st.currentReplicas, 2);
  assert.notEqual(st.currentRevision, st.updateRevision);
});

test("OnDelete: a template change waits for pods to be deleted", () => {
  const c = testCluster();
  const strategy = "updateStrategy: {type: OnDelete}";
  c.applySync(manifest({ strategy, replicas: 1 }));
  c.advanceSync("1s");
  runAll(c);
  c.advanceSync("1s");
  c.applySync(manifest({ strategy, replicas: 1, image: "nginx:1.26" }));
  c.advanceSync("5s");
  assert.equal(podsOf(c, "StatefulSet", "web")[0].spec.containers[0].image, "nginx:1.27");
  c.api.delete("Pod", "default", "web-0");
  finishDeletes(c);
  c.advanceSync("1s");
  assert.equal(podsOf(c, "StatefulSet", "web")[0].spec.containers[0].image, "nginx:1.26");
});
