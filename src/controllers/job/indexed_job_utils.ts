/**
 * Indexed Jobs (pkg/controller/job/indexed_job_utils.go, v1.32): completion indexes as ordered
 * intervals (`status.completedIndexes` / `status.failedIndexes` read `1,3-5`), the indexes still
 * pending, the per-index failure counts of backoffLimitPerIndex, and what an indexed pod carries:
 * the annotation and label `batch.kubernetes.io/job-completion-index`, the env var
 * JOB_COMPLETION_INDEX (from the label, as with PodIndexLabel on), `spec.hostname` `<job>-<index>`
 * and the generateName `<job>-<index>-`.
 */
import type { KObject } from "../../api/types.ts";
import type { EnvVar, PodTemplateSpec } from "../../api/types.gen.ts";
import { isPodActive } from "../util/pod.ts";
import { isPodReady } from "../../api/pod/util.ts";
import { matchPodFailurePolicy } from "./pod_failure_policy.ts";
import { getFinishedTime } from "./backoff_utils.ts";

export const COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
export const INDEX_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-failure-count";
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-ignored-failure-count";
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const UNKNOWN_COMPLETION_INDEX = -1;
/** names.MaxGeneratedNameLength: 63 minus the 5 random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

export function isIndexedJob(job: KObject): boolean {
  return job.spec?.completionMode === "Indexed";
}

export function hasBackoffLimitPerIndex(job: KObject): boolean {
  return job.spec?.backoffLimitPerIndex !== undefined && job.spec?.backoffLimitPerIndex !== null;
}

export function hasJobTrackingFinalizer(pod: KObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export interface Interval {
  first: number;
  last: number;
}

/** orderedIntervals: disjoint, ascending, non-adjacent intervals of indexes. */
export class OrderedIntervals {
  constructor(readonly list: Interval[] = []) {}

  /** withOrderedIndexes: these intervals plus the (ascending) indexes. */
  withOrderedIndexes(indexes: number[]): OrderedIntervals {
    return this.merge(new OrderedIntervals(indexes.map((i) => ({ first: i, last: i }))));
  }

  merge(other: OrderedIntervals): OrderedIntervals {
    const out: Interval[] = [];
    const add = (iv: Interval) => {
      const last = out[out.length - 1];
      if (!last || iv.first > last.last + 1) out.push({ ...iv });
      else if (last.last < iv.last) last.last = iv.last;
    };
    let i = 0;
    let j = 0;
    const a = this.list;
    const b = other.list;
    while (i < a.length && j < b.length) {
      if (a[i].first < b[j].first) add(a[i++]);
      else add(b[j++]);
    }
    while (i < a.length) add(a[i++]);
    while (j < b.length) add(b[j++]);
    return new OrderedIntervals(out);
  }

  total(): number {
    let n = 0;
    for (const iv of this.list) n += iv.last - iv.first + 1;
    return n;
  }

  has(ix: number): boolean {
    let lo = 0;
    let hi = this.list.length;
    while (hi > lo) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.list[mid].last >= ix) hi = mid;
      else lo = mid + 1;
    }
    return hi < this.list.length && this.list[hi].first <= ix;
  }

  /** String: `0-2,4,6,7` (two adjacent indexes are written with a comma). */
  toString(): string {
    const parts: string[] = [];
    for (const v of this.list) {
      if (v.last === v.first) parts.push(String(v.first));
      else if (v.last === v.first + 1) parts.push(`${v.first},${v.last}`);
      else parts.push(`${v.first}-${v.last}`);
    }
    return parts.join(",");
  }
}

/** parseIndexesFromString: intervals below `completions`; corrupt parts are skipped. */
export function parseIndexesFromString(text: string | undefined | null, completions: number): OrderedIntervals {
  if (!text) return new OrderedIntervals();
  const out: Interval[] = [];
  for (const part of text.split(",")) {
    const limits = part.split("-");
    const first = atoi(limits[0]);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]);
      if (l === undefined) continue;
      last = Math.min(l, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return new OrderedIntervals(out);
}

/** strconv.Atoi: an optionally signed decimal integer. */
function atoi(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

/** getCompletionIndex: the annotation as a non-negative integer, or UNKNOWN_COMPLETION_INDEX. */
export function getCompletionIndex(pod: KObject): number {
  const v = atoi(pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION]);
  return v === undefined || v < 0 ? UNKNOWN_COMPLETION_INDEX : v;
}

/** The Job's pod states the index helpers read (a subset of syncJobCtx). */
export interface IndexContext {
  job: KObject;
  pods: KObject[];
  activePods: KObject[];
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  podsWithDelayedDeletionPerIndex?: Map<number, KObject>;
}

const completionsOf = (job: KObject): number => job.spec?.completions ?? 0;

/**
 * calculateSucceededIndexes: the indexes in status.completedIndexes, and those plus the indexes of
 * succeeded pods not yet counted (they still carry the tracking finalizer).
 */
export function calculateSucceededIndexes(job: KObject, pods: KObject[]): [OrderedIntervals, OrderedIntervals] {
  const completions = completionsOf(job);
  const prev = parseIndexesFromString(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (p.status?.phase === "Succeeded" && ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(p)) fresh.add(ix);
  }
  return [prev, prev.withOrderedIndexes([...fresh].sort((a, b) => a - b))];
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes whose pods failed for the last allowed time. */
export function calculateFailedIndexes(job: KObject, pods: KObject[]): OrderedIntervals {
  const completions = completionsOf(job);
  const prev = parseIndexesFromString(job.status?.failedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(p) && isIndexFailed(job, p)) fresh.add(ix);
  }
  return prev.withOrderedIndexes([...fresh].sort((a, b) => a - b));
}

/**
 * isPodFailed: the pod failed; without podReplacementPolicy Failed (or a podFailurePolicy) a pod
 * being deleted before it succeeded counts too (an orphan never reaches Failed).
 */
export function isPodFailed(p: KObject, job: KObject): boolean {
  if (p.status?.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded";
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy. */
export function onlyReplaceFailedPods(job: KObject): boolean {
  if (job.spec?.podReplacementPolicy === "Failed") return true;
  return !!job.spec?.podFailurePolicy;
}

function isIndexFailed(job: KObject, pod: KObject): boolean {
  let counted = false;
  if (isPodFailed(pod, job)) {
    if (job.spec?.podFailurePolicy) {
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (m.action === "FailIndex") return true;
      counted = m.countFailed;
    } else counted = true;
  }
  return counted && getIndexFailureCount(pod) >= job.spec.backoffLimitPerIndex;
}

/** getIndexes: the completion indexes of the pods. */
export function getIndexes(pods: KObject[]): number[] {
  const out = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (ix !== UNKNOWN_COMPLETION_INDEX) out.add(ix);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * firstPendingIndexes: the first `count` indexes below `completions` that have no active pod,
 * have not succeeded or failed (and, when only failed pods are replaced, have no terminating pod).
 */
export function firstPendingIndexes(ctx: IndexContext, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = ctx.succeededIndexes.withOrderedIndexes(getIndexes(ctx.activePods));
  if (onlyReplaceFailedPods(ctx.job)) {
    const terminating = ctx.pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    nonPending = nonPending.withOrderedIndexes(getIndexes(terminating));
  }
  if (ctx.failedIndexes) nonPending = nonPending.merge(ctx.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending.list) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** controller.ActivePods ordering: the pod to delete first comes first (unscheduled, pending, not ready, newer). */
export function compareActivePods(a: KObject, b: KObject): number {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "" ? -1 : 1;
  const order: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const pa = order[a.status?.phase] ?? 0;
  const pb = order[b.status?.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  const ca = a.metadata.creationTimestamp ?? "";
  const cb = b.metadata.creationTimestamp ?? "";
  if (ca !== cb) return ca > cb ? -1 : 1;
  return 0;
}

/**
 * appendDuplicatedIndexPodsForRemoval: of the active pods, those without an index, with an index
 * out of range, or repeating an index (all but one of each) go to the removal list.
 */
export function duplicatedIndexPodsForRemoval(pods: KObject[], completions: number): { rm: KObject[]; left: KObject[] } {
  const rm: KObject[] = [];
  const left: KObject[] = [];
  const byIndex = new Map<number, KObject[]>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) {
      rm.push(p);
      continue;
    }
    byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const same = byIndex.get(ix)!.sort(compareActivePods);
    rm.push(...same.slice(0, -1));
    left.push(same[same.length - 1]);
  }
  return { rm, left };
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index without an active, succeeded or failed state, its
 * last failed pod, kept (finalizer held) until its replacement carries its failure count.
 */
export function getPodsWithDelayedDeletionPerIndex(ctx: IndexContext, uncountedFailed: Set<string>): Map<number, KObject> {
  const active = new Set(getIndexes(ctx.activePods));
  const out = new Map<number, KObject>();
  const completions = completionsOf(ctx.job);
  for (const p of ctx.pods) {
    if (!hasJobTrackingFinalizer(p) || uncountedFailed.has(p.metadata.uid!)) continue;
    if (!isPodFailed(p, ctx.job)) continue;
    const ix = getCompletionIndex(p);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) continue;
    if (ctx.succeededIndexes.has(ix) || ctx.failedIndexes?.has(ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (getIndexAbsoluteFailureCount(last) <= getIndexAbsoluteFailureCount(p) && getFinishedTime(p) >= getFinishedTime(last))) out.set(ix, p);
  }
  return out;
}

function parseCount(v: string | undefined): number {
  const n = atoi(v);
  return n === undefined || n < 0 || n > 2147483647 ? 0 : n;
}

export function getIndexFailureCount(pod: KObject): number {
  return parseCount(pod.metadata.annotations?.[INDEX_FAILURE_COUNT_ANNOTATION]);
}

export function getIndexAbsoluteFailureCount(pod: KObject): number {
  return getIndexFailureCount(pod) + parseCount(pod.metadata.annotations?.[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
}

/** getNewIndexFailureCounts: the failure counts a pod replacing `replaced` carries. */
export function getNewIndexFailureCounts(job: KObject, replaced: KObject | undefined): [number, number] {
  if (!replaced) return [0, 0];
  let failures = getIndexFailureCount(replaced);
  let ignored = parseCount(replaced.metadata.annotations?.[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
  if (job.spec?.podFailurePolicy) {
    if (matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) failures++;
    else ignored++;
  } else failures++;
  return [failures, ignored];
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's index label, in every container. */
export function addCompletionIndexEnvVariables(template: PodTemplateSpec): void {
  for (const c of [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])]) {
    const env: EnvVar[] = (c.env = c.env ?? []);
    if (env.some((v) => v.name === COMPLETION_INDEX_ENV)) continue;
    env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } } });
  }
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so that it fits. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  if (prefix.length > MAX_GENERATED_NAME_LENGTH) return prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix;
  return prefix;
}

/** Active pods of the Job (FilterActivePods). */
export const activeOf = (pods: KObject[]) => pods.filter(isPodActive);
