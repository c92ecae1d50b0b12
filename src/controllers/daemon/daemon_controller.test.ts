import { test } from "node:test";
import assert from "node:assert/strict";
import type { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { podsOf, setRunning, setTerminal, testCluster } from "../testutil.ts";
import { DAEMONSET_HASH_LABEL } from "./util.ts";

const dsManifest = (o: { image?: string; nodeSelector?: Record<string, string>; strategy?: string; minReadySeconds?: number; historyLimit?: number } = {}) => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  ${o.minReadySeconds ? `minReadySeconds: ${o.minReadySeconds}` : ""}
  ${o.historyLimit !== undefined ? `revisionHistoryLimit: ${o.historyLimit}` : ""}
  ${o.strategy ?? ""}
  template:
    metadata: {labels: {app: ds}}
    spec:
      ${o.nodeSelector ? `nodeSelector: ${JSON.stringify(o.nodeSelector)}` : ""}
      containers: [{name: c, image: "${o.image ?? "nginx:1.26"}"}]
`;

const live = (c: Cluster) => podsOf(c, "DaemonSet", "ds").filter((p) => !p.metadata.deletionTimestamp);
const nodesOf = (pods: KObject[]) => pods.map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]).sort();
/** Plays the kubelets: every bound, pending daemon pod runs and is ready. */
function runAll(c: Cluster): void {
  for (const p of live(c)) if (p.spec.nodeName && p.status?.phase !== "Running") setRunning(c, p, p.spec.nodeName);
}
/** Plays the kubelets' final delete of the pods being deleted. */
function finishDeletes(c: Cluster): void {
  for (const p of podsOf(c, "DaemonSet", "ds")) if (p.metadata.deletionTimestamp) c.api.finalizeDelete("Pod", "default", p.metadata.name!);
}

test("one pod per node, pinned by node affinity; a joining node gets its pod; status counts", () => {
  const c = testCluster(["n1", "n2"]);
  c.applySync(dsManifest());
  c.advanceSync("1s");
  assert.deepEqual(nodesOf(live(c)), ["n1", "n2"]);
  const pod = live(c)[0];
  assert.equal(pod.metadata.generateName, "ds-");
  assert.equal(pod.metadata.labels![DAEMONSET_HASH_LABEL].length > 0, true);
  assert.equal(pod.metadata.labels!["pod-template-generation"], "1");
  runAll(c);
  c.advanceSync("1s");
  assert.deepEqual(c.get("DaemonSet", "ds")!.status, {
    currentNumberScheduled: 2,
    numberMisscheduled: 0,
    desiredNumberScheduled: 2,
    numberReady: 2,
    observedGeneration: 1,
    updatedNumberScheduled: 2,
    numberAvailable: 2,
  });
  c.applySync("apiVersion: v1\nkind: Node\nmetadata: {name: n3}\n");
  c.advanceSync("1s");
  assert.deepEqual(nodesOf(live(c)), ["n1", "n2", "n3"]);
  assert.equal(c.get("DaemonSet", "ds")!.status.numberUnavailable, 1);
  const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "DaemonSet").map((e) => `${e.reason} ${e.message.replace(/ds-\w+$/, "ds-x")}`);
  assert.deepEqual([...new Set(events)], ["SuccessfulCreate Created pod: ds-x"]);
});

test("nodeSelector: a node labelled later gets a pod, one unlabelled loses it", () => {
  const c = testCluster(["n1", "n2"]);
  c.kubectlSync("label node n1 disk=ssd");
  c.applySync(dsManifest({ nodeSelector: { disk: "ssd" } }));
  c.advanceSync("1s");
  assert.deepEqual(nodesOf(live(c)), ["n1"]);
  c.kubectlSync("label node n2 disk=ssd");
  c.advanceSync("1s");
  assert.deepEqual(nodesOf(live(c)), ["n1", "n2"]);
  c.kubectlSync("label node n1 disk-");
  c.advanceSync("1s");
  assert.deepEqual(nodesOf(live(c)), ["n2"]);
});

test("a failed daemon pod is deleted (FailedDaemonPod) and replaced, with back-off per node", () => {
  const c = testCluster(["n1"]);
  c.applySync(dsManifest());
  c.advanceSync("1s");
  const first = live(c)[0];
  setTerminal(c, first, "Failed", "n1");
  c.advanceSync(100);
  const ev = c.api.list("Event").find((e) => e.reason === "FailedDaemonPod");
  assert.equal(ev?.message, `Found failed daemon pod default/${first.metadata.name} on node n1, will try to kill it`);
  assert.equal(ev?.type, "Warning");
  const second = live(c).find((p) => p.metadata.name !== first.metadata.name)!;
  assert.ok(second, "replaced");
  // Failing again at once: the deletion waits for the back-off (1 s, then 2 s).
  setTerminal(c, second, "Failed", "n1");
  c.advanceSync(500);
  assert.ok(c.api.get("Pod", "default", second.metadata.name!), "still there within the back-off");
  c.advanceSync("1s");
  assert.equal(c.api.get("Pod", "default", second.metadata.name!), undefined);
});

test("RollingUpdate without surge replaces one pod at a time (maxUnavailable 1)", () => {
  const c = testCluster(["n1", "n2", "n3"]);
  c.applySync(dsManifest());
  c.advanceSync("1s");
  runAll(c);
  c.advanceSync("1s");
  const oldHash = live(c)[0].metadata.labels![DAEMONSET_HASH_LABEL];
  c.applySync(dsManifest({ image: "nginx:1.27" }));
  c.advanceSync("1s");
  const deleting = podsOf(c, "DaemonSet", "ds").filter((p) => p.metadata.deletionTimestamp);
  assert.equal(deleting.length, 1, "one old pod goes");
  for (let i = 0; i < 5; i++) {
    finishDeletes(c);
    c.advanceSync("1s");
    runAll(c);
    c.advanceSync("1s");
  }
  const pods = live(c);
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.metadata.labels![DAEMONSET_HASH_LABEL] !== oldHash && p.metadata.labels!["pod-template-generation"] === "2"));
  const ds = c.get("DaemonSet", "ds")!;
  assert.equal(ds.status.updatedNumberScheduled, 3);
  assert.equal(ds.metadata.annotations!["deprecated.daemonset.template.generation"], "2");
  const revisions = c.api.list("ControllerRevision").map((h) => h.revision).sort();
  assert.deepEqual(revisions, [1, 2]);
});

test("RollingUpdate with maxSurge starts the new pod beside the old one and retires the old one once available", () => {
  const c = testCluster(["n1", "n2"]);
  const strategy = "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
  c.applySync(dsManifest({ strategy }));
  c.advanceSync("1s");
  runAll(c);
  c.advanceSync("1s");
  c.applySync(dsManifest({ strategy, image: "nginx:1.27" }));
  c.advanceSync("1s");
  const pods = live(c);
  assert.equal(pods.length, 3, "one surge pod");
  assert.equal(podsOf(c, "DaemonSet", "ds").filter((p) => p.metadata.deletionTimestamp).length, 0, "nothing deleted before the new pod is available");
  runAll(c);
  c.advanceSync("1s");
  assert.equal(podsOf(c, "DaemonSet", "ds").filter((p) => p.metadata.deletionTimestamp).length, 1, "the old pod beside the available new one goes");
});

test("OnDelete: a template change waits for the user to delete pods", () => {
  const c = testCluster(["n1"]);
  const strategy = "updateStrategy: {type: OnDelete}";
  c.applySync(dsManifest({ strategy }));
  c.advanceSync("1s");
  runAll(c);
  c.applySync(dsManifest({ strategy, image: "nginx:1.27" }));
  c.advanceSync("5s");
  const [old] = live(c);
  assert.equal(old.spec.containers[0].image, "nginx:1.26");
  assert.equal(c.get("DaemonSet", "ds")!.status.updatedNumberScheduled, undefined);
  c.api.delete("Pod", "default", old.metadata.name!);
  finishDeletes(c);
  c.advanceSync("1s");
  assert.equal(live(c)[0].spec.containers[0].image, "nginx:1.27");
});

test("revisionHistoryLimit: old revisions no pod runs are deleted oldest first", () => {
  const c = testCluster(["n1"]);
  for (const [i, image] of ["nginx:1.25", "nginx:1.26", "nginx:1.27"].entries()) {
    c.applySync(dsManifest({ image, historyLimit: 1 }));
    c.advanceSync("1s");
    for (let k = 0; k < 3; k++) {
      finishDeletes(c);
      c.advanceSync("1s");
      runAll(c);
      c.advanceSync("1s");
    }
    assert.equal(live(c)[0].spec.containers[0].image, image, `step ${i}`);
  }
  assert.deepEqual(c.api.list("ControllerRevision").map((h) => h.revision).sort(), [2, 3]);
});
