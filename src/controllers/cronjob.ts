/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, v1.32) on the simulated
 * clock:
 * - at each scheduled time (the most recent one not yet run, no earlier than lastScheduleTime or
 *   the CronJob's creation, and within startingDeadlineSeconds) it creates the Job
 *   `<cronjob>-<scheduled time in minutes since the epoch>` from jobTemplate, owned by the CronJob,
 *   annotated `batch.kubernetes.io/cronjob-scheduled-timestamp`; event `SuccessfulCreate`
 *   "Created job <name>"; status.active and lastScheduleTime follow;
 * - concurrencyPolicy: Allow; Forbid skips the run while one is active (`JobAlreadyActive`, "Not
 *   starting job because prior execution is running and concurrency policy is Forbid"); Replace
 *   deletes the active Jobs first (`SuccessfulDelete` "Deleted job <name>");
 * - finished Jobs leave status.active (`SawCompletedJob` "Saw completed job: <name>, condition:
 *   Complete|Failed"), set lastSuccessfulTime, and only successfulJobsHistoryLimit (3) and
 *   failedJobsHistoryLimit (1) of them are kept (oldest deleted, in the background);
 * - `suspend` stops new runs; a missed start beyond startingDeadlineSeconds records `MissSchedule`;
 * - the controller wakes at the next scheduled time plus 100 ms, as upstream requeues.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import type { CronJobStatus, ObjectReference } from "../api/types.gen.ts";
import { CronParseError, parseSchedule, type Schedule } from "./cron.ts";
import { isJobFinished } from "./job/job_controller.ts";
import { Controller } from "./controller.ts";
import { objectKey, splitKey } from "./queue.ts";
import { controllerRef, newControllerRef } from "./util/pod.ts";

const SOURCE = { component: "cronjob-controller" };
export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** getMostRecentScheduleTime: the latest activation in (earliest, now], and how many were missed. */
export function mostRecentScheduleTime(schedule: Schedule, earliest: number, now: number): { time?: number; missed: number } {
  let t = schedule.next(earliest);
  if (t === undefined || t > now) return { missed: 0 };
  let last = t;
  let missed = 1;
  for (;;) {
    t = schedule.next(last);
    if (t === undefined || t > now) break;
    last = t;
    missed++;
    if (missed > 1000) {
      // Jump close to now without walking every activation.
      const back = schedule.next(now - 60 * 60_000);
      if (back !== undefined && back > last) last = back;
    }
  }
  return { time: last, missed };
}

function jobCondition(job: KObject): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c.type;
  return undefined;
}

export class CronJobController extends Controller {
  readonly name = "cronjob-controller";

  start(): void {
    this.watch("CronJob", (ev) => {
      if (ev.type !== "DELETED") this.enqueue(ev.object);
    });
    this.watch("Job", (ev) => {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "CronJob") this.queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    });
  }

  protected override syncHandler(key: string): void {
    this.syncCronJob(key);
  }

  /** syncCronJob for one key. */
  syncCronJob(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const cj = api.get("CronJob", ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const jobs = api.list("Job", { namespace: ns }).filter((j) => controllerRef(j)?.uid === cj.metadata.uid);
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    let active: ObjectReference[] = status.active ?? [];
    const events: Array<["Normal" | "Warning", string, string]> = [];

    // Reconcile status.active with the Jobs that exist.
    for (const j of jobs) {
      const inActive = active.some((a) => a.uid === j.metadata.uid);
      const finished = isJobFinished(j);
      if (!inActive && !finished) {
        active = [...active, jobRef(j)];
      } else if (inActive && finished) {
        active = active.filter((a) => a.uid !== j.metadata.uid);
        events.push(["Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${jobCondition(j)}`]);
      }
      if (jobCondition(j) === "Complete" && j.status?.completionTime) {
        if (!status.lastSuccessfulTime || Date.parse(j.status.completionTime) > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    active = active.filter((a) => jobs.some((j) => j.metadata.uid === a.uid));

    this.cleanupFinishedJobs(cj, jobs, events);

    let schedule: Schedule | undefined;
    try {
      schedule = parseSchedule(cj.spec?.schedule ?? "");
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      events.push(["Warning", "UnparseableSchedule", `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${e.message}`]);
    }

    if (schedule && !cj.spec?.suspend) {
      const earliest = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : Date.parse(cj.metadata.creationTimestamp!);
      let from = earliest;
      const deadline = cj.spec?.startingDeadlineSeconds;
      if (deadline !== undefined && deadline !== null) from = Math.max(from, now - deadline * 1000);
      const { time: scheduled, missed } = mostRecentScheduleTime(schedule, from, now);
      if (scheduled !== undefined) {
        if (missed > 100) {
          events.push(["Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"]);
        }
        const policy = cj.spec?.concurrencyPolicy ?? "Allow";
        const jobName = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
        const already = jobs.some((j) => j.metadata.name === jobName);
        if (already) {
          status.lastScheduleTime = rfc3339(scheduled);
        } else if (policy === "Forbid" && active.length > 0) {
          events.push(["Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"]);
        } else {
          if (policy === "Replace") {
            for (const a of active) {
              if (this.deleteJob(ns!, a.name!)) events.push(["Normal", "SuccessfulDelete", `Deleted job ${a.name}`]);
            }
            active = [];
          }
          const job = this.jobFromTemplate(cj, jobName, scheduled);
          try {
            const created = api.create(job);
            active = [...active, jobRef(created)];
            events.push(["Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`]);
            status.lastScheduleTime = rfc3339(scheduled);
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            events.push(["Warning", "FailedCreate", `Error creating job: ${e.message}`]);
          }
        }
      } else if (deadline !== undefined && deadline !== null) {
        const missedOne = mostRecentScheduleTime(schedule, earliest, now).time;
        if (missedOne !== undefined && (!status.lastScheduleTime || missedOne > Date.parse(status.lastScheduleTime))) {
          events.push(["Warning", "MissSchedule", `Missed scheduled time to start a job: ${new Date(missedOne).toISOString().replace(".000Z", "Z")}`]);
        }
      }
      const next = schedule.next(now);
      if (next !== undefined) this.queue.addAfter(key, next - now + 100);
    }

    const next: CronJobStatus = {};
    if (active.length) next.active = active;
    if (status.lastScheduleTime) next.lastScheduleTime = status.lastScheduleTime;
    if (status.lastSuccessfulTime) next.lastSuccessfulTime = status.lastSuccessfulTime;
    if (!jsonEqual(next, cj.status ?? {})) {
      api.mutate("CronJob", ns, name, (x) => (x.status = next), { subresource: "status" });
    }
    const current = api.get("CronJob", ns, name)!;
    for (const [type, reason, message] of events) this.ctx.events.record(current, { type, reason, message, source: SOURCE });
  }

  private jobFromTemplate(cj: KObject, name: string, scheduled: number): KObject {
    const t = structuredClone(cj.spec?.jobTemplate ?? {});
    return {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduled) },
        ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
        name,
        namespace: cj.metadata.namespace,
        ownerReferences: [newControllerRef(cj)],
      },
      spec: t.spec ?? {},
    };
  }

  /** removeOldestJobs for successful and failed Jobs beyond the history limits. */
  private cleanupFinishedJobs(cj: KObject, jobs: KObject[], events: Array<["Normal" | "Warning", string, string]>): void {
    const successLimit = cj.spec?.successfulJobsHistoryLimit ?? 3;
    const failedLimit = cj.spec?.failedJobsHistoryLimit ?? 1;
    const byStart = (a: KObject, b: KObject) =>
      (a.status?.startTime ?? a.metadata.creationTimestamp ?? "").localeCompare(b.status?.startTime ?? b.metadata.creationTimestamp ?? "") ||
      (a.metadata.name! < b.metadata.name! ? -1 : 1);
    for (const [cond, limit] of [["Complete", successLimit], ["Failed", failedLimit]] as const) {
      const finished = jobs.filter((j) => jobCondition(j) === cond && !j.metadata.deletionTimestamp).sort(byStart);
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) {
        if (this.deleteJob(cj.metadata.namespace!, j.metadata.name!)) events.push(["Normal", "SuccessfulDelete", `Deleted job ${j.metadata.name}`]);
      }
    }
  }

  private deleteJob(ns: string, name: string): boolean {
    try {
      this.ctx.api.delete("Job", ns, name, { propagationPolicy: "Background" });
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return false;
    }
  }
}

function jobRef(j: KObject): ObjectReference {
  return { apiVersion: "batch/v1", kind: "Job", name: j.metadata.name!, namespace: j.metadata.namespace!, resourceVersion: j.metadata.resourceVersion!, uid: j.metadata.uid! };
}

export function cronJobController(ctx: ClusterContext): Component {
  return new CronJobController(ctx);
}
