/**
 * The Job controller (pkg/controller/job/job_controller.go, v1.32), split along upstream's
 * functions: syncJob reads the Job's pods and decides whether the Job has finished (the pod failure
 * policy, backoffLimit, activeDeadlineSeconds, backoffLimitPerIndex/maxFailedIndexes, the success
 * policy, completions); manageJob creates and deletes pods (parallelism, completions, the
 * back-off, Indexed Jobs' pending indexes, suspend); trackJobStatusAndRemoveFinalizers counts
 * finished pods, releases their `batch.kubernetes.io/job-tracking` finalizer and, once no pod is
 * left terminating, turns the interim conditions (FailureTarget, SuccessCriteriaMet) into Failed or
 * Complete.
 *
 * - Pods: generateName `<job>-` (Indexed: `<job>-<index>-`, with the completion-index annotation
 *   and label, JOB_COMPLETION_INDEX and spec.hostname `<job>-<index>`), the Job's labels and the
 *   tracking finalizer; events SuccessfulCreate / SuccessfulDelete / FailedCreate.
 * - Failures: with restartPolicy Never every failed pod (or, unless podReplacementPolicy is Failed
 *   or a podFailurePolicy is set, every pod deleted before it succeeded) counts, with OnFailure the
 *   containers' restarts; a new pod waits 10 s × 2^(failures−1), up to 10 min (backoff_utils.ts).
 *   More failures than backoffLimit: BackoffLimitExceeded, "Job has reached the specified backoff
 *   limit"; activeDeadlineSeconds: DeadlineExceeded, "Job was active longer than specified deadline";
 *   a podFailurePolicy FailJob rule: PodFailurePolicy with the rule's message; per-index limits:
 *   FailedIndexes "Job has failed indexes" or MaxFailedIndexesExceeded "Job has exceeded the
 *   specified maximal number of failed indexes". The failure is an event when the Job is Failed.
 * - Success: SuccessCriteriaMet then Complete (CompletionsReached, "Reached expected number of
 *   succeeded pods", or SuccessPolicy, "Matched rules at index i"), completionTime, event
 *   `Completed` "Job completed".
 * - suspend: active pods deleted (not counted as failures), condition Suspended (JobSuspended,
 *   "Job suspended", event Suspended); resuming sets it False (JobResumed, "Job resumed", event
 *   Resumed) and restarts startTime.
 * - Pod changes are synced in batches one second later (syncJobBatchPeriod), as upstream does.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import { jsonEqual, type KObject } from "../../api/types.ts";
import type { JobCondition, JobStatus, ObjectMeta, PodTemplateSpec } from "../../api/types.gen.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";
import { podFromTemplate } from "../replicaset.ts";
import { PodIndex } from "../util/podindex.ts";
import { controllerRef, isPodActive } from "../util/pod.ts";
import { isPodReady } from "../../api/pod/util.ts";
import { newBackoffRecord, remainingTimeForFailures, type BackoffRecord } from "./backoff_utils.ts";
import {
  addCompletionIndexEnvVariables,
  calculateFailedIndexes,
  calculateSucceededIndexes,
  compareActivePods,
  COMPLETION_INDEX_ANNOTATION,
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  getCompletionIndex,
  getIndexAbsoluteFailureCount,
  getNewIndexFailureCounts,
  getPodsWithDelayedDeletionPerIndex,
  hasBackoffLimitPerIndex,
  hasJobTrackingFinalizer,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  isIndexedJob,
  isPodFailed,
  JOB_TRACKING_FINALIZER,
  onlyReplaceFailedPods,
  OrderedIntervals,
  podGenerateNameWithIndex,
  UNKNOWN_COMPLETION_INDEX,
} from "./indexed_job_utils.ts";
import { getFinishedTime } from "./backoff_utils.ts";
import { matchPodFailurePolicy } from "./pod_failure_policy.ts";
import { matchSuccessPolicy } from "./success_policy.ts";

export { JOB_TRACKING_FINALIZER } from "./indexed_job_utils.ts";
export { podFailureBackoff } from "./backoff_utils.ts";
export { matchPodFailurePolicy } from "./pod_failure_policy.ts";

export const SYNC_JOB_BATCH_PERIOD_MS = 1_000;
/** MaxPodCreateDeletePerSync */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const SOURCE = { component: "job-controller" };

export type { JobCondition };

/** The Job's pod template as manageJob fills it in (metadata always there, for the finalizer). */
type JobPodTemplate = PodTemplateSpec & { metadata: ObjectMeta };

function conditionOf(job: KObject, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c: JobCondition) => c.type === type && c.status === "True");
}

/** jobSuspended: spec.suspend is set. */
function jobSuspended(job: KObject): boolean {
  return !!job.spec?.suspend;
}

/** hasSuccessCriteriaMetCondition: the Job's SuccessCriteriaMet condition, when True. */
function hasSuccessCriteriaMetCondition(job: KObject): JobCondition | undefined {
  return conditionOf(job, "SuccessCriteriaMet");
}

/** IsJobFinished: the Complete or Failed condition is True. */

/** The value of `spec.managedBy` that names this controller (batch.JobControllerName). */
export const JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";

/** managedByExternalController: the controller named in `spec.managedBy` when it is not this one. */
export function managedByExternalController(job: KObject): string | undefined {
  const by = job.spec?.managedBy;
  return typeof by === "string" && by !== JOB_CONTROLLER_NAME ? by : undefined;
}

export function isJobFinished(job: KObject): boolean {
  return !!(conditionOf(job, "Complete") || conditionOf(job, "Failed"));
}

/** What one sync knows about a Job (upstream's syncJobCtx). */
interface SyncJobCtx {
  job: KObject;
  /** The status being built. */
  status: JobStatus;
  pods: KObject[];
  activePods: KObject[];
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  finishedCondition?: JobCondition;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  podsWithDelayedDeletionPerIndex?: Map<number, KObject>;
  newBackoffRecord: BackoffRecord;
}

export class JobController extends Controller {
  readonly name = "job-controller";
  /** orphanQueue: pods whose Job is gone or finished, to lose their tracking finalizer (syncOrphanPod). */
  private readonly orphanQueue = this.newQueue((k) => this.syncOrphanPod(k));
  private readonly pods = new PodIndex(this.ctx.reference ? undefined : "Job");
  /**
   * The fast engine's index (issue #19 §3): per Job uid, its pods that are not settled — a settled
   * pod has finished (Succeeded or Failed) and lost its tracking finalizer, so it is already
   * counted in the status and nothing in a sync of a NonIndexed Job without a podFailurePolicy
   * reads it (not active, not terminating, not newly finished, no restarts to count). Kept in the
   * informer's order, so a sync costs the Job's live pods, not every pod it ever ran.
   */
  private readonly unsettled = new Map<string, Map<string, KObject>>();
  /** podBackoffStore: per Job key, the failures since the last success. */
  private readonly backoffStore = new Map<string, BackoffRecord>();

  start(): void {
    const api = this.ctx.api;
    this.pods.onChange = (before, after) => {
      if (before) {
        const uid = controllerRef(before)?.uid;
        const m = uid ? this.unsettled.get(uid) : undefined;
        if (m) {
          m.delete(this.keyOf(before));
          if (m.size === 0) this.unsettled.delete(uid!);
        }
      }
      const uid = after ? controllerRef(after)?.uid : undefined;
      if (!after || !uid || isSettled(after)) return;
      let m = this.unsettled.get(uid);
      if (!m) this.unsettled.set(uid, (m = new Map()));
      m.set(this.keyOf(after), after);
    };
    // addJob / updateJob / deleteJob
    this.watch("Job", (ev) => {
      const key = this.keyOf(ev.object);
      if (ev.type === "DELETED") {
        this.backoffStore.delete(key);
        // cleanupPodFinalizers: the deleted Job's pods lose their tracking finalizer.
        for (const p of this.pods.owned(ev.object.metadata.uid!)) if (hasJobTrackingFinalizer(p)) this.orphanQueue.add(this.keyOf(p));
      }
      this.queue.add(key);
    });
    // addPod / updatePod / deletePod: the pod's Job, a batch period later (syncJobBatchPeriod).
    // Issue #19 §3: for a pod another kind's owner controls before and after a change it does
    // nothing a reader could see (the index keeps such a pod, if at all, under that owner's uid, as
    // `unsettled` does: both are read by Jobs' uids only; then it returns at the controller
    // reference), so the fast engine does not call it for one (the watch's `controllerKind`).
    // Nor for a pod without a controller before and after (the watch's `ignoresOrphans`): this
    // controller never reads an orphan (no adoption here: `owned` and `unsettled` are asked for Jobs'
    // uids only), so recording one changes only entries nobody reads. Left unrecorded, the pod's
    // later events do what they would have done: one that gives it a Job appends it to that Job's
    // bucket either way and `onChange` ignores the orphan version it replaces (no controller uid);
    // one that gives it another kind's owner leaves it out (that owner's bucket, not read) and its
    // DELETED finds no entry (as it would remove one). No delivered event is ignored as stale where
    // it was not: a skipped event is older than every event dispatched after it, and the own writes
    // recorded are the same.
    this.watch("Pod", (ev) => {
      const pod = ev.object;
      const gone = ev.type === "DELETED";
      this.pods.record(pod, gone);
      const ref = controllerRef(pod);
      if (ref?.kind !== "Job") return;
      const ns = pod.metadata.namespace;
      const job = api.get("Job", ns, ref.name);
      if (!gone && hasJobTrackingFinalizer(pod) && (!job || job.metadata.uid !== ref.uid || isJobFinished(job))) {
        this.orphanQueue.add(objectKey(ns, pod.metadata.name!));
      }
      if (job && job.metadata.uid === ref.uid) this.queue.addAfter(objectKey(ns, ref.name), SYNC_JOB_BATCH_PERIOD_MS);
    }, { controllerKind: "Job", ignoresOrphans: true });
  }

  protected override syncHandler(key: string): void {
    this.syncJob(key);
  }

  private event(job: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(job, { type, reason, message, source: SOURCE });
  }

  private newCondition(type: string, reason: string, message: string): JobCondition {
    const now = this.ctx.clock.nowRFC3339();
    return { lastProbeTime: now, lastTransitionTime: now, message, reason, status: "True", type };
  }

  /** syncOrphanPod: a pod whose Job is gone or finished loses the tracking finalizer. */
  private syncOrphanPod(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.ctx.api.get("Pod", ns, name);
    if (!pod || !hasJobTrackingFinalizer(pod)) return;
    const ref = controllerRef(pod);
    if (ref) {
      if (ref.kind !== "Job" || ref.apiVersion !== "batch/v1") return;
      const job = this.ctx.api.get("Job", ns, ref.name);
      // A pod of a Job another controller manages keeps its finalizer: that controller removes it.
      if (job && job.metadata.uid === ref.uid && managedByExternalController(job) !== undefined) return;
      if (job && job.metadata.uid === ref.uid && !isJobFinished(job)) return;
    }
    this.removeTrackingFinalizer(pod);
  }

  /**
   * syncJob for one key: reads the Job's pods, decides whether the Job has finished (the pod
   * failure policy, backoffLimit, activeDeadlineSeconds, the indexed criteria, completions), lets
   * manageJob create or delete pods otherwise, and hands the counts to
   * trackJobStatusAndRemoveFinalizers.
   */
  syncJob(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.ctx.api.get("Job", ns, name);
    if (!job) return;
    // Skip syncing of a Job another controller manages (spec.managedBy; JobManagedBy is beta and
    // on in v1.32): no pods, no status, no events from this controller.
    if (managedByExternalController(job) !== undefined) return;
    // A Job that finished earlier: nothing to redo.
    if (isJobFinished(job)) {
      this.backoffStore.delete(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode && mode !== "NonIndexed" && mode !== "Indexed") {
      this.event(job, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
      return;
    }
    const now = this.ctx.clock.now();
    const spec = job.spec ?? {};
    const status: JobStatus = structuredClone(job.status ?? {});
    const pods = this.ctx.reference || isIndexedJob(job) || job.spec?.podFailurePolicy ? this.getPodsForJob(job) : [...(this.unsettled.get(job.metadata.uid!)?.values() ?? [])];
    const activePods = pods.filter(isPodActive);
    const jc: SyncJobCtx = {
      job,
      status,
      pods,
      activePods,
      succeeded: 0,
      failed: 0,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed").length,
      prevSucceededIndexes: new OrderedIntervals(),
      succeededIndexes: new OrderedIntervals(),
      newBackoffRecord: { failuresAfterLastSuccess: 0 },
    };
    let active = activePods.length;
    const { succeeded: newSucceeded, failed: newFailed } = getNewFinishedPods(jc);
    jc.succeeded = (status.succeeded ?? 0) + newSucceeded.length;
    jc.failed = (status.failed ?? 0) + nonIgnoredFailedPodsCount(job, newFailed);
    // Job first start: startTime, unless the Job is suspended.
    if (!status.startTime && !jobSuspended(job)) status.startTime = this.ctx.clock.nowRFC3339();
    jc.newBackoffRecord = newBackoffRecord(this.backoffStore.get(key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailed);

    const exceedsBackoffLimit = jc.failed > (spec.backoffLimit ?? 6);
    // A Job that met its success criteria only waits for its pods to finish.
    jc.finishedCondition = hasSuccessCriteriaMetCondition(job);
    if (!jc.finishedCondition) {
      const target = conditionOf(job, "FailureTarget");
      if (target) jc.finishedCondition = this.newFailedConditionForFailureTarget(target);
      else {
        const msg = getFailJobMessage(job, pods);
        if (msg) jc.finishedCondition = this.newCondition("FailureTarget", "PodFailurePolicy", msg);
      }
    }
    if (!jc.finishedCondition) {
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        jc.finishedCondition = this.newFailureCondition("BackoffLimitExceeded", "Job has reached the specified backoff limit");
      } else if (this.pastActiveDeadline(job, status)) {
        jc.finishedCondition = this.newFailureCondition("DeadlineExceeded", "Job was active longer than specified deadline");
      } else if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null && !jobSuspended(job) && status.startTime) {
        this.queue.addAfter(key, Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now);
      }
    }
    if (isIndexedJob(job)) this.indexedCriteria(jc);

    let suspendCondChanged = false;
    if (jc.finishedCondition) {
      // Remove the active pods of a Job that finished.
      const { deleted, deletedReady } = this.deleteActivePods(job, activePods);
      active -= deleted;
      jc.terminating += deleted;
      jc.ready -= deletedReady;
    } else {
      let manageJobCalled = false;
      if (!job.metadata.deletionTimestamp) {
        active = this.manageJob(job, jc, key);
        manageJobCalled = true;
      }
      const completions: number | undefined = spec.completions ?? undefined;
      const complete = completions === undefined ? jc.succeeded > 0 && active === 0 : jc.succeeded >= completions && active === 0;
      if (complete) jc.finishedCondition = this.newSuccessCondition();
      // The Suspended condition and its events only when manageJob ran in this sync.
      else if (manageJobCalled) suspendCondChanged = this.updateSuspendCondition(job, status);
    }

    const needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || jc.ready !== status.ready || jc.terminating !== status.terminating;
    status.active = active;
    status.ready = jc.ready;
    status.terminating = jc.terminating;
    this.trackJobStatusAndRemoveFinalizers(jc, key, needsStatusUpdate);
  }

  /** getPodsForJob: the pods the Job owns, from the informer's index. */
  private getPodsForJob(job: KObject): KObject[] {
    return this.pods.owned(job.metadata.uid!);
  }

  /** newFailureCondition: the interim FailureTarget (delayTerminalCondition holds in v1.32: JobManagedBy is on). */
  private newFailureCondition(reason: string, message: string): JobCondition {
    return this.newCondition("FailureTarget", reason, message);
  }

  /** newSuccessCondition: the interim SuccessCriteriaMet, CompletionsReached. */
  private newSuccessCondition(): JobCondition {
    return this.newCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods");
  }

  /** newFailedConditionForFailureTarget: Failed, with the interim condition's reason and message. */
  private newFailedConditionForFailureTarget(target: JobCondition): JobCondition {
    return this.newCondition("Failed", target.reason ?? "", target.message ?? "");
  }

  /** The Indexed Job's succeeded and failed indexes, maxFailedIndexes and its success policy. */
  private indexedCriteria(jc: SyncJobCtx): void {
    const job = jc.job;
    const spec = job.spec ?? {};
    [jc.prevSucceededIndexes, jc.succeededIndexes] = calculateSucceededIndexes(job, jc.pods);
    jc.succeeded = jc.succeededIndexes.total();
    if (hasBackoffLimitPerIndex(job)) {
      jc.failedIndexes = calculateFailedIndexes(job, jc.pods);
      if (!jc.finishedCondition) {
        const failedTotal = jc.failedIndexes.total();
        if (spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes !== null && failedTotal > spec.maxFailedIndexes) {
          jc.finishedCondition = this.newCondition("FailureTarget", "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes");
        } else if (failedTotal > 0 && failedTotal + jc.succeededIndexes.total() >= spec.completions) {
          jc.finishedCondition = this.newCondition("FailureTarget", "FailedIndexes", "Job has failed indexes");
        }
      }
      jc.podsWithDelayedDeletionPerIndex = getPodsWithDelayedDeletionPerIndex(jc, new Set());
    }
    if (!jc.finishedCondition && !conditionOf(job, "SuccessCriteriaMet")) {
      const msg = matchSuccessPolicy(spec.successPolicy, spec.completions, jc.succeededIndexes);
      if (msg) jc.finishedCondition = this.newCondition("SuccessCriteriaMet", "SuccessPolicy", msg);
    }
  }

  /**
   * The Suspended condition after manageJob: True while suspended (event Suspended), False once
   * resumed (event Resumed; startTime restarts, as activeDeadlineSeconds counts the time a Job is
   * continuously active). Returns whether it changed.
   */
  private updateSuspendCondition(job: KObject, status: JobStatus): boolean {
    const suspended = jobSuspended(job);
    const [conditions, updated] = suspended
      ? this.ensureJobConditionStatus(status.conditions ?? [], "Suspended", "True", "JobSuspended", "Job suspended")
      : this.ensureJobConditionStatus(status.conditions ?? [], "Suspended", "False", "JobResumed", "Job resumed");
    if (!updated) return false;
    status.conditions = conditions;
    if (suspended) this.event(job, "Normal", "Suspended", "Job suspended");
    else {
      this.event(job, "Normal", "Resumed", "Job resumed");
      status.startTime = this.ctx.clock.nowRFC3339();
    }
    return true;
  }

  /**
   * ensureJobConditionStatus: the condition of the type gets the status, reason and message (a new
   * condition, transition time now, when any of them differs); a missing one is added unless False.
   * Returns the list and whether it changed.
   */
  private ensureJobConditionStatus(list: JobCondition[], type: string, status: string, reason: string, message: string): [JobCondition[], boolean] {
    const i = list.findIndex((c) => c.type === type);
    if (i >= 0) {
      const c = list[i];
      if (c.status === status && c.reason === reason && c.message === message) return [list, false];
      list[i] = { ...this.newCondition(type, reason, message), status };
      return [list, true];
    }
    if (status === "False") return [list, false];
    return [[...list, { ...this.newCondition(type, reason, message), status }], true];
  }

  /** pastActiveDeadline: activeDeadlineSeconds have passed since startTime (never while suspended). */
  private pastActiveDeadline(job: KObject, status: JobStatus): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    if (ads === undefined || ads === null || !status.startTime || job.spec?.suspend) return false;
    return this.ctx.clock.now() - Date.parse(status.startTime) >= ads * 1000;
  }

  /** manageJob: creates or deletes pods toward parallelism and completions. Returns the active count. */
  private manageJob(job: KObject, jc: SyncJobCtx, key: string): number {
    const spec = job.spec ?? {};
    const active = jc.activePods.length;
    const parallelism: number = spec.parallelism ?? 1;
    if (spec.suspend) {
      const { deleted, deletedReady } = this.deleteJobPods(job, activePodsForRemoval(job, jc.activePods, active));
      jc.terminating += deleted;
      jc.ready -= deletedReady;
      return active - deleted;
    }
    let wantActive: number;
    if (spec.completions === undefined || spec.completions === null) wantActive = jc.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(spec.completions - jc.succeeded, parallelism));

    const toDelete = activePodsForRemoval(job, jc.activePods, Math.max(active - wantActive, 0)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      const { deleted, deletedReady } = this.deleteJobPods(job, toDelete);
      jc.terminating += deleted;
      jc.ready -= deletedReady;
      return active - deleted;
    }
    const terminating = onlyReplaceFailedPods(job) ? jc.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return active;
    if (!hasBackoffLimitPerIndex(job)) {
      const remaining = remainingTimeForFailures(this.ctx.clock.now(), jc.newBackoffRecord.failuresAfterLastSuccess, jc.newBackoffRecord.lastFailureTime);
      if (remaining > 0) {
        this.queue.addAfter(key, remaining);
        return active;
      }
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      indexes = firstPendingIndexes(jc, diff, spec.completions);
      if (hasBackoffLimitPerIndex(job)) {
        const [now, wait] = this.podCreationInfoForIndependentIndexes(indexes, jc.podsWithDelayedDeletionPerIndex ?? new Map());
        if (wait > 0) {
          this.queue.addAfter(key, wait);
          return active;
        }
        indexes = now;
      }
      diff = indexes.length;
    }
    const template: JobPodTemplate = structuredClone({ ...spec.template, metadata: spec.template?.metadata ?? {} });
    if (isIndexedJob(job)) addCompletionIndexEnvVariables(template);
    const fin: string[] = template.metadata.finalizers ?? [];
    if (!fin.includes(JOB_TRACKING_FINALIZER)) template.metadata.finalizers = [...fin, JOB_TRACKING_FINALIZER];
    // Slow start: batches of 1, 2, 4, … stopping after a batch with an error.
    let created = 0;
    let pos = 0;
    for (let batch = Math.min(diff, 1); pos < diff; batch = Math.min(2 * batch, diff - pos)) {
      let failed = false;
      for (let i = pos; i < pos + batch; i++) {
        const ix = indexes.length ? indexes[i] : UNKNOWN_COMPLETION_INDEX;
        if (this.createPod(job, template, ix, jc)) created++;
        else failed = true;
      }
      pos += batch;
      if (failed) break;
    }
    return active + created;
  }

  /** getPodCreationInfoForIndependentIndexes: the indexes whose own back-off is over, else the shortest wait. */
  private podCreationInfoForIndependentIndexes(indexes: number[], delayed: Map<number, KObject>): [number[], number] {
    const now = this.ctx.clock.now();
    const ready: number[] = [];
    let minWait: number | undefined;
    for (const ix of indexes) {
      const last = delayed.get(ix);
      const wait = last ? remainingTimeForFailures(now, getIndexAbsoluteFailureCount(last) + 1, getFinishedTime(last)) : 0;
      if (wait === 0) ready.push(ix);
      else if (minWait === undefined || wait < minWait) minWait = wait;
    }
    return ready.length ? [ready, 0] : [ready, minWait ?? 0];
  }

  /** One pod from the template; for an index, with its annotation, label, hostname and name. */
  private createPod(job: KObject, base: JobPodTemplate, ix: number, jc: SyncJobCtx): boolean {
    let template = base;
    let generateName = `${job.metadata.name}-`;
    if (ix !== UNKNOWN_COMPLETION_INDEX) {
      template = structuredClone(base);
      template.metadata.annotations = { ...(template.metadata.annotations ?? {}), [COMPLETION_INDEX_ANNOTATION]: String(ix) };
      template.metadata.labels = { ...(template.metadata.labels ?? {}), [COMPLETION_INDEX_ANNOTATION]: String(ix) };
      // Validation gives every Job a template with a spec (it needs containers).
      template.spec!.hostname = `${job.metadata.name}-${ix}`;
      generateName = podGenerateNameWithIndex(job.metadata.name!, ix);
      if (hasBackoffLimitPerIndex(job)) {
        const [failures, ignored] = getNewIndexFailureCounts(job, jc.podsWithDelayedDeletionPerIndex?.get(ix));
        template.metadata.annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(failures);
        if (ignored > 0) template.metadata.annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(ignored);
      }
    }
    try {
      const pod = this.ctx.api.createOwned(podFromTemplate(template, job, generateName));
      this.pods.record(pod, false);
      this.event(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.event(job, "Warning", "FailedCreate", `Error creating: ${e.message}`);
      return false;
    }
  }

  /** deleteJobPods: releases the tracking finalizer first (the pods do not count), then deletes. */
  private deleteJobPods(job: KObject, pods: KObject[]): { deleted: number; deletedReady: number } {
    let deleted = 0;
    let deletedReady = 0;
    for (const p of pods) {
      if (hasJobTrackingFinalizer(p) && !this.removeTrackingFinalizer(p)) continue;
      if (this.deletePod(job, p)) {
        deleted++;
        if (isPodReady(p)) deletedReady++;
      }
    }
    return { deleted, deletedReady };
  }

  /** deleteActivePods: deletes keeping the finalizers (the pods are counted once they are gone). */
  private deleteActivePods(job: KObject, pods: KObject[]): { deleted: number; deletedReady: number } {
    let deleted = 0;
    let deletedReady = 0;
    for (const p of pods) {
      if (this.deletePod(job, p)) {
        deleted++;
        if (isPodReady(p)) deletedReady++;
      }
    }
    return { deleted, deletedReady };
  }

  private deletePod(job: KObject, p: KObject): boolean {
    try {
      const after = this.ctx.api.delete("Pod", p.metadata.namespace, p.metadata.name!);
      this.pods.record(after, !this.ctx.api.get("Pod", p.metadata.namespace, p.metadata.name!));
      this.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === "NotFound") return true;
      this.event(job, "Warning", "FailedDelete", `Error deleting: ${e.message}`);
      return false;
    }
  }

  private removeTrackingFinalizer(p: KObject): boolean {
    try {
      const after = this.ctx.api.mutate("Pod", p.metadata.namespace, p.metadata.name!, (x) => {
        x.metadata.finalizers = (x.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
        if (!x.metadata.finalizers.length) delete x.metadata.finalizers;
      });
      this.pods.record(after, false);
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e.reason === "NotFound";
    }
  }

  /**
   * trackJobStatusAndRemoveFinalizers: counts the finished pods (succeeded, failed unless the
   * policy ignores them; when the Job failed, every unfinished pod as failed), releases their
   * finalizers, writes the interim condition, and enactJobFinished once no pod is terminating.
   * (Upstream first records their uids in status.uncountedTerminatedPods and counts them after the
   * finalizers are gone; both happen in this one step here.)
   */
  private trackJobStatusAndRemoveFinalizers(jc: SyncJobCtx, key: string, changed: boolean): void {
    const job = jc.job;
    const status = jc.status;
    const indexed = isIndexedJob(job);
    const completions: number = job.spec?.completions ?? 0;
    let needsFlush = changed;
    const toRelease: KObject[] = [];
    const newSucceededIndexes: number[] = [];
    let succeededCount = status.succeeded ?? 0;
    let failedCount = status.failed ?? 0;
    const pods = indexed ? [...jc.pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b)) : jc.pods;
    for (const pod of pods) {
      if (!hasJobTrackingFinalizer(pod)) continue;
      const considerFailed = isPodFailed(pod, job);
      if (!this.canRemoveFinalizer(jc, pod, considerFailed)) continue;
      toRelease.push(pod);
      if (pod.status?.phase === "Succeeded") {
        if (indexed) {
          const ix = getCompletionIndex(pod);
          if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && !jc.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else {
          succeededCount++;
          needsFlush = true;
        }
      } else if (considerFailed || (jc.finishedCondition && jc.finishedCondition.type !== "SuccessCriteriaMet")) {
        const ix = getCompletionIndex(pod);
        if (!indexed || (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions)) {
          if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job.spec.podFailurePolicy, pod).countFailed) {
            failedCount++;
            needsFlush = true;
          }
        }
      }
    }
    if (indexed) {
      jc.succeededIndexes = jc.succeededIndexes.withOrderedIndexes(newSucceededIndexes);
      const text = jc.succeededIndexes.toString();
      if (text !== (status.completedIndexes ?? "")) needsFlush = true;
      succeededCount = jc.succeededIndexes.total();
      status.completedIndexes = text;
      const failedText = jc.failedIndexes ? jc.failedIndexes.toString() : undefined;
      if (failedText !== status.failedIndexes) {
        status.failedIndexes = failedText;
        needsFlush = true;
      }
    }
    status.succeeded = succeededCount;
    status.failed = failedCount;
    let conditions: JobCondition[] = status.conditions ?? [];
    if (jc.finishedCondition?.type === "FailureTarget") {
      conditions = [...conditions, jc.finishedCondition];
      needsFlush = true;
      jc.finishedCondition = this.newCondition("Failed", jc.finishedCondition.reason ?? "", jc.finishedCondition.message ?? "");
    }
    if (jc.finishedCondition?.type === "SuccessCriteriaMet") {
      if (!conditions.some((c) => c.type === "SuccessCriteriaMet" && c.status === "True")) {
        conditions = [...conditions, jc.finishedCondition];
        needsFlush = true;
      }
      jc.finishedCondition = this.newCondition("Complete", jc.finishedCondition.reason ?? "", jc.finishedCondition.message ?? "");
    }
    status.conditions = conditions;
    needsFlush = this.flushUncountedAndRemoveFinalizers(jc, key, toRelease, needsFlush);
    const jobFinished = this.enactJobFinished(jc);
    if (jobFinished) needsFlush = true;
    const next = jobStatus(status, job);
    if (needsFlush || !jsonEqual(next, job.status ?? {})) this.updateJobStatus(job, next);
    if (jobFinished) this.recordJobFinished(job, jc.finishedCondition!, status.succeeded ?? 0);
  }

  /**
   * flushUncountedAndRemoveFinalizers: the pods are accounted for, so their finalizers go; the
   * back-off record follows the counts. (Upstream first flushes their uids in
   * status.uncountedTerminatedPods, then counts them once the finalizers are gone; here both
   * happen in one step and the status is written once, after.) Returns whether the status still
   * needs a write.
   */
  private flushUncountedAndRemoveFinalizers(jc: SyncJobCtx, key: string, podsToRemoveFinalizer: KObject[], needsFlush: boolean): boolean {
    for (const p of podsToRemoveFinalizer) this.removeTrackingFinalizer(p);
    if (needsFlush || podsToRemoveFinalizer.length) this.backoffStore.set(key, jc.newBackoffRecord);
    return needsFlush;
  }

  /**
   * enactJobFinished: once no pod is left terminating, the terminal condition (Complete or
   * Failed) joins the status, with completionTime for Complete. Returns whether the Job finished.
   */
  private enactJobFinished(jc: SyncJobCtx): boolean {
    const finished = jc.finishedCondition;
    if (!finished || jc.terminating > 0) return false;
    const conditions = jc.status.conditions ?? [];
    if (!conditions.some((c) => c.type === finished.type)) jc.status.conditions = [...conditions, finished];
    if (finished.type === "Complete") jc.status.completionTime = finished.lastTransitionTime;
    return true;
  }

  /**
   * updateStatusHandler: the status subresource write; an identical status is not written (an
   * update that changes nothing makes no new resourceVersion and no watch event).
   */
  private updateJobStatus(job: KObject, next: JobStatus): void {
    if (!jsonEqual(next, job.status ?? {})) this.ctx.api.mutate("Job", job.metadata.namespace, job.metadata.name!, (j) => (j.status = next), { subresource: "status" });
  }

  /** recordJobFinished: the events of a finished Job (Completed, or the failure's reason and message). */
  private recordJobFinished(job: KObject, finished: JobCondition, succeeded: number): void {
    const current = this.ctx.api.get("Job", job.metadata.namespace, job.metadata.name!) ?? job;
    if (finished.type === "Complete") {
      const c = job.spec?.completions;
      if (c !== undefined && c !== null && succeeded > c) this.event(current, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
      this.event(current, "Normal", "Completed", "Job completed");
    } else this.event(current, "Warning", finished.reason ?? "", finished.message ?? "");
  }

  /** canRemoveFinalizer: the Job is finishing or deleted, the pod succeeded, or it failed (unless kept for its index's next pod). */
  private canRemoveFinalizer(jc: SyncJobCtx, pod: KObject, considerFailed: boolean): boolean {
    if (jc.job.metadata.deletionTimestamp || jc.finishedCondition || pod.status?.phase === "Succeeded") return true;
    if (!considerFailed) return false;
    if (hasBackoffLimitPerIndex(jc.job)) {
      const ix = getCompletionIndex(pod);
      if (ix !== UNKNOWN_COMPLETION_INDEX && jc.podsWithDelayedDeletionPerIndex?.get(ix)?.metadata.uid === pod.metadata.uid) return false;
    }
    return true;
  }
}

/** A pod the Job has finished with: terminal, and its tracking finalizer removed (see JobController.unsettled). */
function isSettled(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return (phase === "Succeeded" || phase === "Failed") && !hasJobTrackingFinalizer(pod);
}

/** JobStatus in the API's field order; the optional counters only when set. */
function jobStatus(s: JobStatus, job: KObject): JobStatus {
  const out: JobStatus = {};
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.startTime) out.startTime = s.startTime;
  if (s.completionTime) out.completionTime = s.completionTime;
  if (s.active) out.active = s.active;
  if (s.succeeded) out.succeeded = s.succeeded;
  if (s.failed) out.failed = s.failed;
  if (s.terminating !== undefined) out.terminating = s.terminating;
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes;
  if (hasBackoffLimitPerIndex(job) && s.failedIndexes !== undefined) out.failedIndexes = s.failedIndexes;
  out.uncountedTerminatedPods = {};
  if (s.ready !== undefined) out.ready = s.ready;
  return out;
}

/** getNewFinishedPods: pods still tracked (finalizer) that succeeded or count as failed. */
function getNewFinishedPods(jc: SyncJobCtx): { succeeded: KObject[]; failed: KObject[] } {
  const succeeded: KObject[] = [];
  const failed: KObject[] = [];
  for (const p of jc.pods) {
    if (!hasJobTrackingFinalizer(p)) continue;
    if (isIndexedJob(jc.job)) {
      const ix = getCompletionIndex(p);
      if (ix === UNKNOWN_COMPLETION_INDEX || ix >= (jc.job.spec?.completions ?? 0)) continue;
    }
    if (p.status?.phase === "Succeeded") succeeded.push(p);
    else if (isPodFailed(p, jc.job)) failed.push(p);
  }
  return { succeeded, failed };
}

/** nonIgnoredFailedPodsCount: the failures the pod failure policy does not ignore. */
function nonIgnoredFailedPodsCount(job: KObject, failed: KObject[]): number {
  if (!job.spec?.podFailurePolicy) return failed.length;
  return failed.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length;
}

/** getFailJobMessage: the message of the first failed pod that matches a FailJob rule. */
function getFailJobMessage(job: KObject, pods: KObject[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
    if (m.message) return m.message;
  }
  return undefined;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, the running pods' restarts reach backoffLimit. */
export function pastBackoffLimitOnFailure(job: KObject, pods: KObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== "Running" && p.status?.phase !== "Pending") continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * activePodsForRemoval: for an Indexed Job the pods without a valid index or repeating one, then
 * (if still fewer than rmAtLeast) the first of the others in ActivePods order.
 */
export function activePodsForRemoval(job: KObject, pods: KObject[], rmAtLeast: number): KObject[] {
  let rm: KObject[] = [];
  let left = pods;
  if (isIndexedJob(job)) ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec?.completions ?? 0));
  if (rm.length < rmAtLeast) rm = [...rm, ...[...left].sort(compareActivePods).slice(0, rmAtLeast - rm.length)];
  return rm;
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
