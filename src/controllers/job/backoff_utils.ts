/**
 * The Job's pod-failure back-off (pkg/controller/job/backoff_utils.go, v1.32): after N failures
 * since the last success a new pod waits 10 s × 2^(N−1), capped at 10 minutes, counted from when
 * the last failed pod finished (its containers' finishedAt, else its Ready=False transition, else
 * its deletion). A success resets the count, except for failures that finished after it.
 */
import type { KObject } from "../../api/types.ts";

export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** When the last counted failure finished (ms), or undefined. */
  lastFailureTime?: number;
}

const ms = (t: string | null | undefined) => (t ? Date.parse(t) : NaN);

/**
 * getFinishedTime: the latest finishedAt of the pod's terminated containers; else the time its
 * Ready condition turned False while being terminal; else its deletion timestamp; else its creation.
 */
export function getFinishedTime(p: KObject): number {
  let latest = NaN;
  for (const cs of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
    const t = ms(cs.state?.terminated?.finishedAt);
    if (!Number.isNaN(t) && (Number.isNaN(latest) || t > latest)) latest = t;
  }
  if (!Number.isNaN(latest)) return latest;
  const ready = (p.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
  if (ready?.status === "False" && (p.status?.phase === "Failed" || p.status?.phase === "Succeeded")) {
    const t = ms(ready.lastTransitionTime);
    if (!Number.isNaN(t)) return t;
  }
  const d = ms(p.metadata.deletionTimestamp);
  if (!Number.isNaN(d)) return d;
  return ms(p.metadata.creationTimestamp) || 0;
}

/** newBackoffRecord: the record after the newly succeeded and failed pods (each list in finish order). */
export function newBackoffRecord(prev: BackoffRecord, succeeded: KObject[], failed: KObject[]): BackoffRecord {
  const byFinish = (a: KObject, b: KObject) => getFinishedTime(a) - getFinishedTime(b);
  const f = [...failed].sort(byFinish);
  if (succeeded.length === 0) {
    if (f.length === 0) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + f.length, lastFailureTime: getFinishedTime(f[f.length - 1]) };
  }
  const out: BackoffRecord = { failuresAfterLastSuccess: 0 };
  if (f.length === 0) return out;
  const lastSuccess = Math.max(...succeeded.map(getFinishedTime));
  for (let i = f.length - 1; i >= 0; i--) {
    const t = getFinishedTime(f[i]);
    if (!(t > lastSuccess)) break;
    if (out.lastFailureTime === undefined) out.lastFailureTime = t;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** getRemainingTimeForFailuresCount: how long a new pod still waits after `failures` failures. */
export function remainingTimeForFailures(now: number, failures: number, lastFailureTime: number | undefined): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let backoff = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= MAX_JOB_POD_FAILURE_BACKOFF_MS) {
      backoff = MAX_JOB_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** The delay before a new pod after `failures` consecutive failures, counted from the last one. */
export function podFailureBackoff(failures: number): number {
  return failures <= 0 ? 0 : remainingTimeForFailures(0, failures, 0);
}
