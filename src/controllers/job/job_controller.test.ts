import { test } from "node:test";
import assert from "node:assert/strict";
import { JOB_TRACKING_FINALIZER, podFailureBackoff } from "./job_controller.ts";
import { podsOf, setRunning, setTerminal, testCluster } from "../testutil.ts";
import type { Cluster } from "../../cluster.ts";

function job(name: string, spec: Record<string, unknown> = {}, restartPolicy = "Never") {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: "default" },
    spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: "main", image: "busybox", command: ["sh", "-c", "exit 0"] }] } } },
  };
}

const active = (c: Cluster, name: string) => podsOf(c, "Job", name).filter((p) => !["Succeeded", "Failed"].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
const events = (c: Cluster) => c.api.list("Event").filter((e) => e.involvedObject.kind === "Job").map((e) => `${e.type} ${e.reason}: ${e.message}`);

test("pod failure back-off: 10 s doubling, capped at 10 minutes", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => podFailureBackoff(n) / 1000), [0, 10, 20, 40, 80, 160, 320, 600, 600]);
});

test("a Job whose pods succeed completes: SuccessCriteriaMet, Complete, Completed event", () => {
  const c = testCluster();
  c.api.create(job("pi", { completions: 2, parallelism: 1 }));
  c.advanceSync(10);
  let pods = active(c, "pi");
  assert.equal(pods.length, 1);
  const p = pods[0];
  assert.match(p.metadata.name!, /^pi-[a-z0-9]{5}$/);
  assert.deepEqual(p.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
  assert.equal(p.metadata.labels!["job-name"], "pi");
  assert.equal(p.metadata.labels!["batch.kubernetes.io/controller-uid"], c.get("Job", "pi")!.metadata.uid);
  assert.equal(c.get("Job", "pi")!.status.active, 1);
  setTerminal(c, p, "Succeeded");
  c.advanceSync(2000);
  assert.equal(c.get("Pod", p.metadata.name!)!.metadata.finalizers, undefined, "the tracking finalizer is removed once counted");
  pods = active(c, "pi");
  assert.equal(pods.length, 1, "the second completion runs");
  setTerminal(c, pods[0], "Succeeded");
  c.advanceSync(2000);
  const j = c.get("Job", "pi")!;
  assert.equal(j.status.succeeded, 2);
  assert.deepEqual(j.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}: ${x.message}`), [
    "SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods",
    "Complete=True CompletionsReached: Reached expected number of succeeded pods",
  ]);
  assert.ok(j.status.completionTime);
  assert.equal(j.status.active, undefined);
  assert.ok(events(c).includes("Normal Completed: Job completed"));
  assert.equal(events(c).filter((e) => e.startsWith("Normal SuccessfulCreate: Created pod: pi-")).length, 2);
});

test("parallelism runs pods side by side", () => {
  const c = testCluster();
  c.api.create(job("par", { completions: 5, parallelism: 3 }));
  c.advanceSync(10);
  assert.equal(active(c, "par").length, 3);
});

test("a pod that keeps failing: back-off between pods, Failed after backoffLimit", () => {
  const c = testCluster();
  c.api.create(job("fail", { backoffLimit: 2 }));
  c.advanceSync(10);
  const created: number[] = [];
  const start = c.clock.now();
  for (let i = 0; i < 200 && !c.get("Job", "fail")!.status?.conditions?.some((x: any) => x.type === "Failed"); i++) {
    for (const p of active(c, "fail")) {
      created.push(Math.round((Date.parse(p.metadata.creationTimestamp!) - start) / 1000));
      setTerminal(c, p, "Failed");
    }
    c.advanceSync(1000);
  }
  // Pods at t=0, then after 1 s (batch) + 10 s back-off, then + 20 s.
  assert.equal(created.length, 3);
  assert.ok(created[1] >= 10 && created[1] <= 12, `second pod at ${created}`);
  assert.ok(created[2] - created[1] >= 20 && created[2] - created[1] <= 22, `third pod at ${created}`);
  const j = c.get("Job", "fail")!;
  assert.equal(j.status.failed, 3);
  assert.deepEqual(j.status.conditions.map((x: any) => `${x.type} ${x.reason}: ${x.message}`), [
    "FailureTarget BackoffLimitExceeded: Job has reached the specified backoff limit",
    "Failed BackoffLimitExceeded: Job has reached the specified backoff limit",
  ]);
  assert.ok(events(c).includes("Warning BackoffLimitExceeded: Job has reached the specified backoff limit"));
});

test("activeDeadlineSeconds fails the Job and deletes its running pod", () => {
  const c = testCluster();
  c.api.create(job("slow", { activeDeadlineSeconds: 30 }));
  c.advanceSync(10);
  const [p] = active(c, "slow");
  setRunning(c, p);
  c.advanceSync(31_000);
  const j = c.get("Job", "slow")!;
  assert.ok(j.status.conditions.some((x: any) => x.type === "FailureTarget" && x.reason === "DeadlineExceeded" && x.message === "Job was active longer than specified deadline"));
  assert.ok(c.get("Pod", p.metadata.name!)!.metadata.deletionTimestamp, "the running pod is deleted");
});

test("OnFailure: container restarts count toward backoffLimit", () => {
  const c = testCluster();
  c.api.create(job("restarts", { backoffLimit: 2 }, "OnFailure"));
  c.advanceSync(10);
  const [p] = active(c, "restarts");
  setRunning(c, p);
  c.api.mutate("Pod", "default", p.metadata.name!, (x) => (x.status.containerStatuses = [{ name: "main", restartCount: 2 }]), { subresource: "status" });
  c.advanceSync(2000);
  assert.ok(c.get("Job", "restarts")!.status.conditions.some((x: any) => x.type === "FailureTarget" && x.reason === "BackoffLimitExceeded"));
});

test("Indexed: one pod per pending index with its annotation, label, hostname and env; completedIndexes", () => {
  const c = testCluster();
  c.api.create(job("idx", { completions: 3, parallelism: 2, completionMode: "Indexed" }));
  c.advanceSync(10);
  const pods = active(c, "idx").sort((a, b) => a.metadata.generateName!.localeCompare(b.metadata.generateName!));
  assert.deepEqual(pods.map((p) => [p.metadata.generateName, p.metadata.annotations!["batch.kubernetes.io/job-completion-index"], p.metadata.labels!["batch.kubernetes.io/job-completion-index"], p.spec.hostname]), [
    ["idx-0-", "0", "0", "idx-0"],
    ["idx-1-", "1", "1", "idx-1"],
  ]);
  assert.deepEqual(pods[0].spec.containers[0].env, [{ name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
  setTerminal(c, pods[1], "Succeeded");
  c.advanceSync(2000);
  assert.equal(c.get("Job", "idx")!.status.completedIndexes, "1");
  assert.deepEqual(active(c, "idx").map((p) => p.metadata.generateName).sort(), ["idx-0-", "idx-2-"], "index 2 is next");
});

test("suspend deletes the active pods without counting them; resume restarts startTime", () => {
  const c = testCluster();
  c.api.create(job("s", { completions: 2 }));
  c.advanceSync(10);
  const [p] = active(c, "s");
  setRunning(c, p);
  c.advanceSync(60_000);
  c.api.mutate("Job", "default", "s", (j) => (j.spec.suspend = true));
  c.advanceSync(2000);
  let j = c.get("Job", "s")!;
  assert.equal(j.status.failed, undefined, "not a failure");
  assert.ok(c.get("Pod", p.metadata.name!)!.metadata.deletionTimestamp);
  assert.equal(c.get("Pod", p.metadata.name!)!.metadata.finalizers, undefined, "released before deletion");
  assert.deepEqual(j.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}`), ["Suspended=True JobSuspended"]);
  c.api.mutate("Job", "default", "s", (j2) => (j2.spec.suspend = false));
  c.advanceSync(2000);
  j = c.get("Job", "s")!;
  assert.deepEqual(j.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}`), ["Suspended=False JobResumed"]);
  assert.equal(j.status.startTime, j.status.conditions[0].lastTransitionTime, "startTime restarts at the resume");
  assert.ok(events(c).includes("Normal Suspended: Job suspended") && events(c).includes("Normal Resumed: Job resumed"));
  assert.ok(events(c).some((e) => e.startsWith("Normal SuccessfulDelete: Deleted pod: s-")));
});

test("a Job deleted with its pods running releases their tracking finalizers", () => {
  const c = testCluster();
  c.api.create(job("gone", { completions: 1 }));
  c.advanceSync(10);
  const [p] = active(c, "gone");
  c.api.delete("Job", "default", "gone");
  c.advanceSync(100);
  assert.equal(c.get("Pod", p.metadata.name!)?.metadata.finalizers, undefined);
});

test("a Job managed by another controller (spec.managedBy) gets no pods, no status and no events from this one", () => {
  const c = testCluster();
  c.api.create(job("external", { managedBy: "example.com/custom-job-controller" }));
  c.api.create(job("builtin", { managedBy: "kubernetes.io/job-controller" }));
  c.advanceSync(5000);
  assert.equal(podsOf(c, "Job", "external").length, 0);
  assert.deepEqual(c.get("Job", "external")!.status ?? {}, {});
  assert.equal(podsOf(c, "Job", "builtin").length, 1, "the built-in controller's own name is no external manager");
  assert.deepEqual(events(c).filter((e) => e.includes("external")), []);
});

test("spec.managedBy: a domain-prefixed path of at most 63 characters, immutable", () => {
  const c = testCluster();
  assert.throws(() => c.api.create(job("bad", { managedBy: "invalid custom controller name" })), /spec\.managedBy: Invalid value: "invalid custom controller name": must be a domain-prefixed path \(such as "acme\.io\/foo"\)/);
  assert.throws(() => c.api.create(job("long", { managedBy: "example.com/" + "x".repeat(60) })), /spec\.managedBy: Too long: may not be more than 63 bytes/);
  c.api.create(job("ok", { managedBy: "example.com/foo" }));
  const j = c.get("Job", "ok")!;
  assert.throws(() => c.api.update({ ...j, spec: { ...j.spec, managedBy: "example.com/bar" } }), /spec\.managedBy: Invalid value: "example\.com\/bar": field is immutable/);
});

test("an Indexed Job scales with completions and parallelism together (elastic Indexed Jobs); completions alone stay fixed", () => {
  const c = testCluster();
  c.api.create(job("elastic", { completionMode: "Indexed", completions: 3, parallelism: 3 }));
  c.advanceSync(10);
  const indexes = () => active(c, "elastic").map((p) => p.metadata.annotations!["batch.kubernetes.io/job-completion-index"]).sort();
  assert.deepEqual(indexes(), ["0", "1", "2"]);
  let j = c.get("Job", "elastic")!;
  assert.throws(() => c.api.update({ ...j, spec: { ...j.spec, completions: 4 } }), /spec\.completions: Invalid value: 4: can only be modified in tandem with spec\.parallelism/);
  c.api.update({ ...j, spec: { ...j.spec, completions: 5, parallelism: 5 } });
  c.advanceSync(10);
  assert.deepEqual(indexes(), ["0", "1", "2", "3", "4"]);
  j = c.get("Job", "elastic")!;
  c.api.update({ ...j, spec: { ...j.spec, completions: 2, parallelism: 2 } });
  c.advanceSync(10);
  assert.deepEqual(indexes(), ["0", "1"], "the pods of indexes beyond the new completions are deleted");
  const plain = c.api.create(job("plain", { completions: 3, parallelism: 3 }));
  assert.throws(() => c.api.update({ ...plain, spec: { ...plain.spec, completions: 5, parallelism: 5 } }), /spec\.completions: Invalid value: 5: field is immutable/);
});

test("the fast engine's sync reads only unsettled pods: the same statuses, pods and events as the reference engine over failures and many completions", () => {
  const run = (reference: boolean) => {
    const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
    c.api.create(job("many", { completions: 9, parallelism: 3, backoffLimit: 4 }));
    const trace: string[] = [];
    for (let round = 0; round < 12; round++) {
      c.advanceSync(2000);
      const pods = active(c, "many");
      pods.forEach((p, i) => setTerminal(c, p, (round + i) % 4 === 1 ? "Failed" : "Succeeded", i % 2 ? "k8s-node2" : "k8s-node1"));
      c.advanceSync(1500);
      const st = c.get("Job", "many")!.status;
      trace.push(JSON.stringify(st), podsOf(c, "Job", "many").map((p) => `${p.metadata.name}:${p.status?.phase}:${(p.metadata.finalizers ?? []).length}`).join(","));
    }
    trace.push(...events(c));
    return trace;
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  assert.ok(fast.some((l) => l.includes('"succeeded":9')), "the Job reached its completions");
  assert.ok(fast.some((l) => l.includes('"failed":')), "some pods failed");
});
