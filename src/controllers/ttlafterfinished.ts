/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go,
 * v1.32): a Job with `ttlSecondsAfterFinished` is deleted (propagation Foreground, so its pods go
 * first) that many seconds after its Complete or Failed condition's lastTransitionTime. A Job
 * finished longer ago than its TTL when the controller first sees it is deleted at once.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import type { KObject } from "../api/types.ts";
import { Controller } from "./controller.ts";
import { splitKey } from "./queue.ts";
import { isJobFinished } from "./job/job_controller.ts";

/** needsCleanup: the Job has a TTL and has finished. */
export function needsCleanup(job: KObject): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && isJobFinished(job);
}

/** jobFinishTime: when the Complete or Failed condition became True. */
export function jobFinishTime(job: KObject): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") {
      const t = Date.parse(c.lastTransitionTime ?? "");
      return Number.isNaN(t) ? undefined : t;
    }
  }
  return undefined;
}

/** timeLeft: milliseconds until the Job expires (≤ 0: expired), or undefined when it never does. */
export function timeLeft(job: KObject, now: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const finishAt = jobFinishTime(job);
  if (finishAt === undefined) return undefined;
  return finishAt + job.spec.ttlSecondsAfterFinished * 1000 - now;
}

export class TTLAfterFinishedController extends Controller {
  readonly name = "ttl-after-finished-controller";

  start(): void {
    this.watch("Job", (ev) => {
      if (ev.type === "DELETED") return;
      const job = ev.object;
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) this.enqueue(job);
    });
  }

  /** processJob. */
  protected override syncHandler(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.ctx.api.get("Job", ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const left = timeLeft(job, this.ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    try {
      this.ctx.api.delete("Job", ns, name, { propagationPolicy: "Foreground" });
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
  }
}

export function ttlAfterFinishedController(ctx: ClusterContext): Component {
  return new TTLAfterFinishedController(ctx);
}
