// Pod workers' steady resyncs asleep (issue #19, `PodWorkers.rest`): a probed pod whose sync finds
// nothing to do sleeps through its resyncs, and whatever its sync reads wakes it. The differential
// test (src/fuzz/differential.test.ts) checks that both engines leave the same transcripts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { kubelets } from "./manager.ts";
import { ProberManager } from "./prober/prober_manager.ts";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app
    image: kubetm/app
    ports: [{containerPort: 8080}]
    readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10}
    livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10}
`;

function setUp(reference = false): { c: Cluster; worker: () => { resting?: unknown; timer?: unknown } | undefined } {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(POD);
  const worker = () => {
    const uid = c.get("Pod", "web")?.metadata.uid;
    return kubelets(c.ctx).get("node1")!.podWorkers.workers.get(uid!);
  };
  return { c, worker };
}

test("a probed pod's steady resyncs sleep (no callback), and a label, a ConfigMap write or a probe result wakes them", () => {
  const { c, worker } = setUp();
  c.advanceSync(180_000);
  assert.equal(c.get("Pod", "web")!.status.conditions.find((x: { type: string }) => x.type === "Ready").status, "True");
  assert.ok(worker()?.resting, "the resyncs sleep once the pod is steady");
  assert.ok(c.clock.isDormant(worker()!.resting as never));

  const first = worker()?.resting;
  c.kubectlSync("label pod web x=y");
  c.advanceSync(100); // the watch event reaches the kubelet: a sync at once, which finds nothing to do
  assert.ok(worker()?.resting && worker()?.resting !== first, "a pod change wakes them; asleep again after the sync");

  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n");
  assert.equal(worker()?.resting, undefined, "a ConfigMap write wakes them (projected volumes read ConfigMaps)");
  c.advanceSync(130_000);
  assert.ok(worker()?.resting);

  const pm = kubelets(c.ctx).get("node1")!.proberManager as ProberManager;
  const before = pm.resultsVersion;
  const id = c.get("Pod", "web")!.status.containerStatuses[0].containerID;
  pm.livenessManager.set(id, "Failure", c.get("Pod", "web")!.metadata.uid!);
  assert.equal(pm.resultsVersion, before + 1);
  assert.equal(worker()?.resting, undefined, "a probe result of the pod wakes them at once");
});

test("the reference engine's resyncs never sleep", () => {
  const { c, worker } = setUp(true);
  c.advanceSync(180_000);
  assert.equal(worker()?.resting, undefined);
  assert.ok(worker()?.timer);
});

test("the prober's results version counts changed results, removals and workers made or removed, and says whose", () => {
  const { c } = setUp();
  c.advanceSync(60_000);
  const pm = kubelets(c.ctx).get("node1")!.proberManager as ProberManager;
  const seen: Array<string | undefined> = [];
  pm.onResultsChange = (uid) => seen.push(uid);
  const v = pm.resultsVersion;
  pm.readinessManager.set("c1", "Success", "u1");
  pm.readinessManager.set("c1", "Success", "u1");
  assert.equal(pm.resultsVersion, v + 1, "the same result again changes nothing");
  pm.readinessManager.remove("c1", "u1");
  pm.readinessManager.remove("c1", "u1");
  assert.equal(pm.resultsVersion, v + 2);
  const pod = c.get("Pod", "web")!;
  pm.removePod(pod);
  assert.equal(pm.resultsVersion > v + 2, true, "removing the pod's workers counts");
  assert.deepEqual(seen.slice(0, 2), ["u1", "u1"]);
  assert.ok(seen.slice(2).every((u) => u === pod.metadata.uid));
});
