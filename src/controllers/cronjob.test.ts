import { test } from "node:test";
import assert from "node:assert/strict";
import { mostRecentScheduleTime } from "./cronjob.ts";
import { parseSchedule } from "./cron.ts";
import { podsOf, setTerminal, testCluster } from "./testutil.ts";
import type { Cluster } from "../cluster.ts";

function cronjob(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "default" },
    spec: {
      schedule: "*/1 * * * *",
      ...extra,
      jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "hello", image: "busybox", command: ["sh", "-c", "date"] }] } } } },
    },
  };
}

const jobsOf = (c: Cluster, cj: string) => c.api.list("Job").filter((j) => j.metadata.ownerReferences?.[0]?.name === cj);
/** Plays kubelet: every pod of every Job succeeds. */
function succeedAll(c: Cluster): void {
  for (const j of c.api.list("Job")) for (const p of podsOf(c, "Job", j.metadata.name!)) if (!p.status?.phase || p.status.phase === "Pending") setTerminal(c, p, "Succeeded");
}

test("mostRecentScheduleTime", () => {
  const s = parseSchedule("*/1 * * * *");
  const t0 = Date.parse("2024-01-08T00:00:00Z");
  assert.deepEqual(mostRecentScheduleTime(s, t0, t0 + 30_000), { missed: 0 });
  assert.deepEqual(mostRecentScheduleTime(s, t0, t0 + 60_000), { time: t0 + 60_000, missed: 1 });
  assert.deepEqual(mostRecentScheduleTime(s, t0, t0 + 185_000), { time: t0 + 180_000, missed: 3 });
});

test("a CronJob runs every minute with the job name in minutes, and keeps 3 successful Jobs", () => {
  const c = testCluster();
  c.api.create(cronjob("hello"));
  c.advanceSync(10);
  assert.equal(jobsOf(c, "hello").length, 0);
  c.advanceSync(60_200); // the controller wakes 100 ms after the scheduled minute
  const [first] = jobsOf(c, "hello");
  const minutes = Math.floor(Date.parse("2024-01-08T00:01:00Z") / 60_000);
  assert.equal(first.metadata.name, `hello-${minutes}`);
  assert.equal(first.metadata.annotations!["batch.kubernetes.io/cronjob-scheduled-timestamp"], "2024-01-08T00:01:00Z");
  const cj = c.get("CronJob", "hello")!;
  assert.equal(cj.status.lastScheduleTime, "2024-01-08T00:01:00Z");
  assert.equal(cj.status.active[0].name, first.metadata.name);
  for (let i = 0; i < 6; i++) {
    c.advanceSync(5_000);
    succeedAll(c);
    c.advanceSync(55_000);
  }
  c.advanceSync(5_000);
  succeedAll(c);
  c.advanceSync(5_000);
  const names = jobsOf(c, "hello").filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name);
  assert.equal(names.length, 3, `kept ${names}`);
  const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "CronJob").map((e) => `${e.reason}: ${e.message}`);
  assert.ok(events.includes(`SuccessfulCreate: Created job hello-${minutes}`));
  assert.ok(events.includes(`SawCompletedJob: Saw completed job: hello-${minutes}, condition: Complete`), events.join("\n"));
  assert.ok(events.includes(`SuccessfulDelete: Deleted job hello-${minutes}`));
  assert.ok(c.get("CronJob", "hello")!.status.lastSuccessfulTime);
});

test("Forbid skips a run while the previous Job is active; Replace replaces it", () => {
  const c = testCluster();
  c.api.create(cronjob("forbid", { concurrencyPolicy: "Forbid" }));
  c.api.create(cronjob("replace", { concurrencyPolicy: "Replace" }));
  c.advanceSync(60_000 + 200);
  c.advanceSync(60_000);
  assert.equal(jobsOf(c, "forbid").length, 1);
  assert.ok(c.api.list("Event").some((e) => e.reason === "JobAlreadyActive"));
  const replaced = jobsOf(c, "replace");
  assert.equal(replaced.filter((j) => !j.metadata.deletionTimestamp).length, 1);
  assert.ok(replaced.every((j) => j.metadata.name !== `replace-${Math.floor(Date.parse("2024-01-08T00:01:00Z") / 60_000)}`));
});

test("a suspended CronJob creates nothing", () => {
  const c = testCluster();
  c.api.create(cronjob("sleepy", { suspend: true }));
  c.advanceSync(5 * 60_000);
  assert.equal(jobsOf(c, "sleepy").length, 0);
});
