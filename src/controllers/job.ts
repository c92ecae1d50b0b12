/**
 * The Job controller (pkg/controller/job/job_controller.go, v1.32), NonIndexed completion mode:
 * - runs up to `parallelism` pods (default 1) until `completions` (default 1) pods succeeded; with
 *   completions unset (work queue) the Job completes when one pod succeeded and none is active;
 * - pods are created from the template with generateName `<job>-`, the labels
 *   `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`, `controller-uid`,
 *   `job-name`, and the `batch.kubernetes.io/job-tracking` finalizer, which the controller removes
 *   once it has counted the finished pod in status.succeeded/failed (simplified: counting and
 *   removal happen in the same sync, without status.uncountedTerminatedPods' two-phase commit);
 * - failures: with restartPolicy Never every failed pod counts, with OnFailure the containers'
 *   restarts count; a replacement pod waits the back-off 10 s × 2^(failures−1), capped at 10 min;
 *   more failures than `backoffLimit` (default 6) fail the Job: conditions FailureTarget then
 *   Failed, reason `BackoffLimitExceeded`, "Job has reached the specified backoff limit", and the
 *   active pods are deleted;
 * - `activeDeadlineSeconds`: reason `DeadlineExceeded`, "Job was active longer than specified deadline";
 * - `podFailurePolicy` rules (FailJob, Ignore, Count; onExitCodes and onPodConditions);
 * - success: conditions SuccessCriteriaMet then Complete, reason `CompletionsReached`,
 *   "Reached expected number of succeeded pods", completionTime, event `Completed` "Job completed";
 * - `suspend`: active pods deleted, condition Suspended (`JobSuspended`, "Job suspended");
 * - pod changes are synced in batches one second later (syncJobBatchPeriod), as upstream does.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import { objectKey, splitKey, WorkQueue } from "./queue.ts";
import { podFromTemplate } from "./replicaset.ts";
import { controllerRef, isPodReady } from "./util/pod.ts";

export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
export const SYNC_JOB_BATCH_PERIOD_MS = 1_000;
const SOURCE = { component: "job-controller" };

/** The delay before a new pod after `failures` consecutive failures (getRemainingTime's back-off). */
export function podFailureBackoff(failures: number): number {
  if (failures <= 0) return 0;
  const d = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1);
  return Math.min(d, MAX_JOB_POD_FAILURE_BACKOFF_MS);
}

export interface PodFailurePolicyResult {
  action: "FailJob" | "Ignore" | "Count" | "FailIndex";
  message?: string;
}

/** matchPodFailurePolicy: the first rule matching a failed pod, or undefined (count it). */
export function matchPodFailurePolicy(policy: any, pod: KObject): PodFailurePolicyResult | undefined {
  const rules: any[] = policy?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.onExitCodes) {
      const req = rule.onExitCodes;
      for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
        if (req.containerName && req.containerName !== cs.name) continue;
        const code = cs.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const inValues = (req.values ?? []).includes(code);
        if ((req.operator === "In" && inValues) || (req.operator === "NotIn" && !inValues)) {
          return {
            action: rule.action,
            message: `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${code} matching ${rule.action} rule at index ${i}`,
          };
        }
      }
    }
    for (const pc of rule.onPodConditions ?? []) {
      const c = (pod.status?.conditions ?? []).find((x: any) => x.type === pc.type);
      if (c && c.status === (pc.status ?? "True")) {
        return { action: rule.action, message: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${pc.type} matching ${rule.action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}

function condition(job: KObject, type: string): any | undefined {
  return (job.status?.conditions ?? []).find((c: any) => c.type === type && c.status === "True");
}

export function isJobFinished(job: KObject): boolean {
  return !!(condition(job, "Complete") || condition(job, "Failed"));
}

export class JobController implements Component {
  readonly name = "job-controller";
  private readonly queue: WorkQueue;
  private unwatch: Array<() => void> = [];
  /** Per job uid: consecutive failures since the last success and when the last one was seen. */
  private readonly backoff = new Map<string, { failures: number; lastFailure: number }>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k));
  }

  start(): void {
    this.unwatch.push(this.ctx.api.watch("Job", (ev) => {
      if (ev.type === "DELETED") this.backoff.delete(ev.object.metadata.uid!);
      this.queue.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name!));
    }));
    this.unwatch.push(
      this.ctx.api.watch("Pod", (ev) => {
        const ref = controllerRef(ev.object);
        if (ref?.kind !== "Job") return;
        const key = objectKey(ev.object.metadata.namespace, ref.name);
        // A pod whose tracking finalizer must be removed is handled at once (immediate: no wait).
        this.queue.addAfter(key, SYNC_JOB_BATCH_PERIOD_MS);
      }),
    );
  }

  stop(): void {
    for (const u of this.unwatch) u();
    this.queue.stop();
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const job = api.get("Job", ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const uid = job.metadata.uid!;
    const pods = api.list("Pod", { namespace: ns }).filter((p) => controllerRef(p)?.uid === uid);
    const now = this.ctx.clock.now();
    const nowText = this.ctx.clock.nowRFC3339();
    const status: any = structuredClone(job.status ?? {});
    const spec = job.spec ?? {};
    const backoffLimit: number = spec.backoffLimit ?? 6;
    const parallelism: number = spec.parallelism ?? 1;
    const completions: number | undefined = spec.completions === null ? undefined : (spec.completions ?? (spec.parallelism === undefined ? 1 : undefined));
    const onFailure = spec.template?.spec?.restartPolicy === "OnFailure";
    const events: Array<[string, string, string]> = [];

    // Count finished pods that still carry the tracking finalizer, then release them.
    let succeeded: number = status.succeeded ?? 0;
    let failed: number = status.failed ?? 0;
    let failJob: { reason: string; message: string } | undefined;
    const toRelease: KObject[] = [];
    const bo = this.backoff.get(uid) ?? { failures: 0, lastFailure: 0 };
    for (const p of pods) {
      const phase = p.status?.phase;
      const tracked = p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER);
      const terminal = phase === "Succeeded" || phase === "Failed";
      // A pod deleted before it finished counts as failed (when its finalizer is still there).
      const deletedUnfinished = !terminal && !!p.metadata.deletionTimestamp && !p.spec?.nodeName;
      if (!tracked || (!terminal && !deletedUnfinished)) continue;
      toRelease.push(p);
      if (phase === "Succeeded") {
        succeeded++;
        bo.failures = 0;
        continue;
      }
      const match = spec.podFailurePolicy ? matchPodFailurePolicy(spec.podFailurePolicy, p) : undefined;
      if (match?.action === "Ignore") continue;
      failed++;
      bo.failures++;
      bo.lastFailure = now;
      if (match?.action === "FailJob" && !failJob) failJob = { reason: "PodFailurePolicy", message: match.message! };
    }
    this.backoff.set(uid, bo);

    const finished = isJobFinished(job) || condition(job, "FailureTarget") || condition(job, "SuccessCriteriaMet");
    const activePods = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed").length;

    if (!status.startTime && !spec.suspend) status.startTime = nowText;
    const restarts = onFailure
      ? activePods.reduce((s, p) => s + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((a: number, c: any) => a + (c.restartCount ?? 0), 0), 0)
      : 0;

    let requeueAfter = 0;
    if (!finished) {
      if (!failJob && (failed > backoffLimit || (onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit)))) {
        failJob = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
      }
      if (!failJob && spec.activeDeadlineSeconds !== undefined && status.startTime && !spec.suspend) {
        const deadline = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000;
        if (now >= deadline) failJob = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
        else requeueAfter = deadline - now;
      }
    }

    let conditions: any[] = status.conditions ?? [];
    const setCondition = (type: string, reason: string, message: string) => {
      if (conditions.some((c) => c.type === type && c.status === "True")) return;
      conditions = [...conditions.filter((c) => c.type !== type), { lastProbeTime: nowText, lastTransitionTime: nowText, message, reason, status: "True", type }];
    };

    let deleteActive = false;
    let createN = 0;
    if (failJob) {
      setCondition("FailureTarget", failJob.reason, failJob.message);
      events.push(["Warning", failJob.reason, failJob.message]);
      deleteActive = true;
    } else if (condition(job, "FailureTarget")) {
      deleteActive = true;
    } else if (!finished && completions !== undefined && succeeded >= completions) {
      setCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods");
      deleteActive = true;
    } else if (!finished && completions === undefined && succeeded > 0 && activePods.length === 0) {
      setCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods");
    } else if (!finished && spec.suspend) {
      deleteActive = true;
      setCondition("Suspended", "JobSuspended", "Job suspended");
    } else if (!finished) {
      if (conditions.some((c) => c.type === "Suspended" && c.status === "True")) {
        conditions = conditions.map((c) => (c.type === "Suspended" ? { ...c, status: "False", reason: "JobResumed", message: "Job resumed", lastProbeTime: nowText, lastTransitionTime: nowText } : c));
        events.push(["Normal", "Resumed", "Job resumed"]);
      }
      // How many pods should run: parallelism, no more than the completions still needed.
      let want = parallelism;
      if (completions !== undefined) want = Math.min(parallelism, completions - succeeded);
      else if (succeeded > 0) want = 0;
      const diff = want - activePods.length;
      if (diff > 0) {
        const wait = bo.failures > 0 ? bo.lastFailure + podFailureBackoff(bo.failures) - now : 0;
        if (wait > 0) requeueAfter = requeueAfter > 0 ? Math.min(requeueAfter, wait) : wait;
        else createN = diff;
      } else if (diff < 0) {
        // Too many pods (parallelism lowered): delete the surplus, newest first.
        for (const p of [...activePods].sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "")).slice(0, -diff)) {
          this.tryDelete(p);
        }
      }
    }

    let deletedNow = 0;
    if (deleteActive) {
      for (const p of activePods) {
        this.tryDelete(p);
        deletedNow++;
      }
    }
    const created: string[] = [];
    for (let i = 0; i < createN; i++) {
      try {
        const pod = podFromTemplate(spec.template, job, `${job.metadata.name}-`);
        pod.metadata.labels = { ...jobLabels(job), ...pod.metadata.labels };
        pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
        const p = api.create(pod);
        created.push(p.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        events.push(["Warning", "FailedCreate", `Error creating: ${e.message}`]);
        break;
      }
    }

    const nowActive = deleteActive ? 0 : activePods.length + created.length;
    const stillTerminating = terminating + deletedNow;
    // Terminal conditions once no pod of the Job is left running.
    if (stillTerminating === 0 && nowActive === 0) {
      const target = conditions.find((c) => c.type === "FailureTarget" && c.status === "True");
      const success = conditions.find((c) => c.type === "SuccessCriteriaMet" && c.status === "True");
      if (target && !conditions.some((c) => c.type === "Failed")) {
        setCondition("Failed", target.reason, target.message);
      } else if (success && !conditions.some((c) => c.type === "Complete")) {
        setCondition("Complete", success.reason, success.message);
        status.completionTime = nowText;
        events.push(["Normal", "Completed", "Job completed"]);
      }
    }

    const ready = deleteActive ? 0 : activePods.filter(isPodReady).length;
    const next: any = {};
    if (nowActive) next.active = nowActive;
    if (status.completionTime) next.completionTime = status.completionTime;
    if (conditions.length) next.conditions = conditions;
    if (failed) next.failed = failed;
    next.ready = ready;
    if (status.startTime) next.startTime = status.startTime;
    if (succeeded) next.succeeded = succeeded;
    next.terminating = stillTerminating;
    next.uncountedTerminatedPods = {};
    if (!jsonEqual(next, job.status ?? {})) {
      api.mutate("Job", ns, name, (j) => (j.status = next), { subresource: "status" });
    }
    const current = api.get("Job", ns, name)!;
    for (const n of created) this.ctx.events.record(current, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${n}`, source: SOURCE });
    for (const [type, reason, message] of events) this.ctx.events.record(current, { type: type as "Normal" | "Warning", reason, message, source: SOURCE });
    // The pods are accounted for: release their tracking finalizer.
    for (const p of toRelease) {
      if (!api.get("Pod", p.metadata.namespace, p.metadata.name!)) continue;
      api.mutate("Pod", p.metadata.namespace, p.metadata.name!, (x) => {
        x.metadata.finalizers = (x.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
        if (!x.metadata.finalizers.length) delete x.metadata.finalizers;
      });
    }
    if (requeueAfter > 0) this.queue.addAfter(key, requeueAfter);
  }

  private tryDelete(p: KObject): void {
    try {
      this.ctx.api.delete("Pod", p.metadata.namespace, p.metadata.name!);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/** The labels the API server gives a Job's pod template (batch/job strategy). */
export function jobLabels(job: KObject): Record<string, string> {
  return {
    "batch.kubernetes.io/controller-uid": job.metadata.uid!,
    "batch.kubernetes.io/job-name": job.metadata.name!,
    "controller-uid": job.metadata.uid!,
    "job-name": job.metadata.name!,
  };
}

export function jobController(ctx: ClusterContext): Component {
  return new JobController(ctx);
}
