import { test } from "node:test";
import assert from "node:assert/strict";
import { podsOf, setRunning, testCluster } from "./testutil.ts";
import type { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";

function deployment(name: string, replicas: number, image = "kubetm/app:v1", strategy?: any): KObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      ...(strategy ? { strategy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

const rsOf = (c: Cluster, d: string) => c.api.list("ReplicaSet").filter((r) => r.metadata.ownerReferences?.[0]?.name === d);
/** Plays kubelet and scheduler: every pending pod of the cluster runs and is ready. */
function runAll(c: Cluster): void {
  for (const p of c.api.list("Pod")) if (!p.metadata.deletionTimestamp && p.status?.phase !== "Running") setRunning(c, p);
  c.advanceSync(10);
}
/** Plays kubelet: pods being deleted finish terminating. */
function finishTerminating(c: Cluster): void {
  for (const p of c.api.list("Pod")) if (p.metadata.deletionTimestamp) c.api.finalizeDelete("Pod", p.metadata.namespace, p.metadata.name!);
  c.advanceSync(10);
}

test("a Deployment creates a ReplicaSet named with the pod-template-hash, revision 1", () => {
  const c = testCluster();
  c.api.create(deployment("web", 3));
  c.advanceSync(10);
  const [rs] = rsOf(c, "web");
  const hash = rs.metadata.labels!["pod-template-hash"];
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.equal(rs.spec.replicas, 3);
  assert.equal(rs.spec.selector.matchLabels["pod-template-hash"], hash);
  assert.equal(rs.metadata.annotations!["deployment.kubernetes.io/revision"], "1");
  assert.equal(rs.metadata.annotations!["deployment.kubernetes.io/desired-replicas"], "3");
  assert.equal(rs.metadata.annotations!["deployment.kubernetes.io/max-replicas"], "4");
  assert.equal(c.get("Deployment", "web")!.metadata.annotations!["deployment.kubernetes.io/revision"], "1");
  const pods = podsOf(c, "ReplicaSet", rs.metadata.name!);
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.metadata.name!.startsWith(`web-${hash}-`)));
  const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "Deployment").map((e) => e.message);
  assert.deepEqual(events, [`Scaled up replica set web-${hash} from 0 to 3`]);
  let d = c.get("Deployment", "web")!;
  assert.deepEqual(d.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}`), [
    "Available=False MinimumReplicasUnavailable",
    "Progressing=True ReplicaSetUpdated",
  ]);
  runAll(c);
  d = c.get("Deployment", "web")!;
  assert.equal(d.status.availableReplicas, 3);
  assert.deepEqual(d.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}: ${x.message}`), [
    "Available=True MinimumReplicasAvailable: Deployment has minimum availability.",
    `Progressing=True NewReplicaSetAvailable: ReplicaSet "web-${hash}" has successfully progressed.`,
  ]);
});

test("a rolling update never has fewer than replicas − maxUnavailable available nor more than replicas + maxSurge", () => {
  const c = testCluster();
  c.api.create(deployment("web", 4));
  c.advanceSync(10);
  runAll(c);
  c.api.mutate("Deployment", "default", "web", (d) => (d.spec.template.spec.containers[0].image = "kubetm/app:v2"));
  c.advanceSync(10);
  let steps = 0;
  for (; steps < 30; steps++) {
    const pods = c.api.list("Pod").filter((p) => !p.metadata.deletionTimestamp);
    const ready = pods.filter((p) => p.status?.phase === "Running").length;
    assert.ok(pods.length <= 5, `at most 4 + 1 surge pods, got ${pods.length}`);
    assert.ok(ready >= 3, `at least 4 − 1 available, got ${ready}`);
    const d = c.get("Deployment", "web")!;
    if (d.status.updatedReplicas === 4 && d.status.availableReplicas === 4 && d.status.replicas === 4) break;
    runAll(c);
    finishTerminating(c);
  }
  assert.ok(steps < 30, "the rollout finishes");
  const rss = rsOf(c, "web").sort((a, b) => a.metadata.annotations!["deployment.kubernetes.io/revision"].localeCompare(b.metadata.annotations!["deployment.kubernetes.io/revision"]));
  assert.deepEqual(rss.map((r) => [r.metadata.annotations!["deployment.kubernetes.io/revision"], r.spec.replicas]), [["1", 0], ["2", 4]]);
  assert.equal(c.get("Deployment", "web")!.metadata.annotations!["deployment.kubernetes.io/revision"], "2");
  const msgs = c.api.list("Event").filter((e) => e.reason === "ScalingReplicaSet").map((e) => e.message);
  assert.ok(msgs.some((m) => /^Scaled up replica set web-\w+ from 0 to 1$/.test(m)), msgs.join("\n"));
  assert.ok(msgs.some((m) => /^Scaled down replica set web-\w+ from 4 to 3$/.test(m)), msgs.join("\n"));
});

test("a rolling update waits while new pods are not ready", () => {
  const c = testCluster();
  c.api.create(deployment("web", 2, "kubetm/app:v1", { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
  c.advanceSync(10);
  runAll(c);
  c.api.mutate("Deployment", "default", "web", (d) => (d.spec.template.spec.containers[0].image = "kubetm/app:v2"));
  c.advanceSync(60_000);
  const rss = rsOf(c, "web");
  const old = rss.find((r) => r.metadata.annotations!["deployment.kubernetes.io/revision"] === "1")!;
  assert.equal(old.spec.replicas, 2, "no old pod goes while the new one is not available");
});

test("Recreate scales the old ReplicaSet to zero first and waits for its pods to stop", () => {
  const c = testCluster();
  c.api.create(deployment("web", 2, "kubetm/app:v1", { type: "Recreate" }));
  c.advanceSync(10);
  runAll(c);
  c.api.mutate("Deployment", "default", "web", (d) => (d.spec.template.spec.containers[0].image = "kubetm/app:v2"));
  c.advanceSync(10);
  const newRS = () => rsOf(c, "web").find((r) => r.metadata.annotations!["deployment.kubernetes.io/revision"] === "2");
  assert.equal(newRS(), undefined, "the new ReplicaSet waits for the old pods to stop");
  assert.equal(rsOf(c, "web")[0].spec.replicas, 0);
  finishTerminating(c);
  assert.equal(newRS()!.spec.replicas, 2);
});

test("revisionHistoryLimit removes the oldest empty ReplicaSets", () => {
  const c = testCluster();
  const d = deployment("web", 1);
  d.spec.revisionHistoryLimit = 1;
  c.api.create(d);
  c.advanceSync(10);
  for (const v of ["v2", "v3", "v4"]) {
    runAll(c);
    c.api.mutate("Deployment", "default", "web", (x) => (x.spec.template.spec.containers[0].image = `kubetm/app:${v}`));
    c.advanceSync(10);
    for (let i = 0; i < 5; i++) {
      runAll(c);
      finishTerminating(c);
    }
  }
  const revs = rsOf(c, "web").map((r) => r.metadata.annotations!["deployment.kubernetes.io/revision"]).sort();
  assert.deepEqual(revs, ["3", "4"]);
});

test("checkPausedConditions: DeploymentPaused, then DeploymentResumed, and the progress deadline counted from the resume", () => {
  const c = testCluster();
  c.api.create(deployment("web", 2));
  c.advanceSync(10);
  const progressing = () => (c.api.get("Deployment", "default", "web")!.status?.conditions ?? []).find((x: { type: string }) => x.type === "Progressing");
  // The pods never become ready (testCluster plays no kubelet): the rollout is in progress.
  assert.equal(progressing()?.reason, "ReplicaSetUpdated");
  c.api.mutate("Deployment", "default", "web", (d) => (d.spec.paused = true));
  c.advanceSync(1_000);
  const paused = progressing();
  assert.deepEqual([paused?.status, paused?.reason, paused?.message], ["Unknown", "DeploymentPaused", "Deployment is paused"]);
  // Paused longer than the 600 s deadline, then resumed with no progress.
  c.advanceSync(20 * 60_000);
  c.api.mutate("Deployment", "default", "web", (d) => (d.spec.paused = false));
  c.advanceSync(1_000);
  const resumed = progressing();
  assert.deepEqual([resumed?.status, resumed?.reason, resumed?.message], ["Unknown", "DeploymentResumed", "Deployment is resumed"]);
  assert.equal(resumed?.lastTransitionTime, paused?.lastTransitionTime, "Unknown stays Unknown: the transition time is kept");
  assert.notEqual(resumed?.lastUpdateTime, paused?.lastUpdateTime);
  c.advanceSync(9 * 60_000);
  assert.equal(progressing()?.reason, "DeploymentResumed");
  c.advanceSync(2 * 60_000);
  assert.equal(progressing()?.reason, "ProgressDeadlineExceeded");
});

test("deletePod: a pod's deletion wakes a Recreate Deployment once its last pod is gone, never a RollingUpdate one", () => {
  for (const reference of [false, true]) {
    const c = testCluster(undefined, { reference });
    c.api.create(deployment("roll", 2));
    c.api.create(deployment("recreate", 2, "kubetm/app:v1", { type: "Recreate" }));
    c.advanceSync(10);
    runAll(c);
    c.advanceSync(1000);
    const dc = (c as unknown as { components: Array<{ name: string }> }).components.find((x) => x.name === "deployment-controller") as unknown as { deletePod(p: KObject): void; queue: { length: number } };
    assert.equal(dc.queue.length, 0);
    const pods = (d: string) => podsOf(c, "ReplicaSet", rsOf(c, d)[0].metadata.name!);
    // The handler is called as the informer would call it, with the pod as it was when deleted.
    const [r1] = pods("roll");
    dc.deletePod(r1);
    assert.equal(dc.queue.length, 0, "RollingUpdate: not enqueued");
    const [p1, p2] = pods("recreate");
    c.api.delete("Pod", "default", p1.metadata.name!, { gracePeriodSeconds: 0 });
    dc.deletePod(p1);
    assert.equal(dc.queue.length, 0, "Recreate with a pod left: not enqueued");
    c.api.delete("Pod", "default", p2.metadata.name!, { gracePeriodSeconds: 0 });
    // (A replacement the ReplicaSet controller has not created yet: the ReplicaSet's pods are all gone.)
    dc.deletePod(p2);
    assert.equal(dc.queue.length, 1, "Recreate with no pod left: enqueued");
    c.advanceSync(10);
  }
});
