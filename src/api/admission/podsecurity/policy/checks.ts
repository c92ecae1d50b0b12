/**
 * Pod Security Admission's checks (k8s.io/pod-security-admission/policy/checks.go, v0.32.4): what a
 * check is, its versions, and how the results of several are aggregated into the message a user
 * sees (`allowPrivilegeEscalation != false (container "c" must set …), runAsNonRoot != true (…)`).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import type { Level, Version } from "../api.ts";

export type CheckID = string;

/** A check of a pod's metadata and spec (a pod's, or a workload's pod template's). */
export type CheckPodFn = (podMetadata: ObjectMeta | undefined, podSpec: PodSpec) => CheckResult;

export interface VersionedCheck {
  /** The first policy version this revision of the check applies to. */
  minimumVersion: Version;
  checkPod: CheckPodFn;
  /** Baseline checks this (restricted) check replaces when it runs. */
  overrideCheckIDs?: CheckID[];
}

export interface Check {
  id: CheckID;
  /** Baseline checks run for baseline and restricted; restricted checks only for restricted. */
  level: Level;
  /** Strictly increasing minimum versions. */
  versions: VersionedCheck[];
}

/**
 * Whether a check allowed the pod and, if not, why: `forbiddenReason` is always shown (`host
 * ports`), `forbiddenDetail` only for a single object (`8080, 9090`), never for the existing pods a
 * namespace's new enforce level is checked against.
 */
export interface CheckResult {
  allowed: boolean;
  forbiddenReason?: string;
  forbiddenDetail?: string;
}

export interface AggregateCheckResult {
  allowed: boolean;
  forbiddenReasons: string[];
  forbiddenDetails: string[];
}

export const ALLOWED: CheckResult = Object.freeze({ allowed: true });

/** The placeholder reason of a check that disallows without saying why. */
export const UNKNOWN_FORBIDDEN_REASON = "unknown forbidden reason";

/** AggregateCheckResults: the forbidden results' reasons and details, in the checks' order. */
export function aggregateCheckResults(results: CheckResult[]): AggregateCheckResult {
  const reasons: string[] = [];
  const details: string[] = [];
  for (const r of results) {
    if (r.allowed) continue;
    reasons.push(r.forbiddenReason || UNKNOWN_FORBIDDEN_REASON);
    details.push(r.forbiddenDetail ?? "");
  }
  return { allowed: reasons.length === 0, forbiddenReasons: reasons, forbiddenDetails: details };
}

/** ForbiddenReason(): `host ports, privileged containers`. */
export function forbiddenReason(a: AggregateCheckResult): string {
  return a.forbiddenReasons.join(", ");
}

/** ForbiddenDetail(): each reason with its detail in parentheses when there is one. */
export function forbiddenDetail(a: AggregateCheckResult): string {
  return a.forbiddenReasons.map((r, i) => (a.forbiddenDetails[i] ? `${r} (${a.forbiddenDetails[i]})` : r)).join(", ");
}
