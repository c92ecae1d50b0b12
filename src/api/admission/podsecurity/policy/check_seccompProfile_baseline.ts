/**
 * Baseline: a seccomp profile, when set, is RuntimeDefault or Localhost (v1.19+:
 * spec.securityContext.seccompProfile.type and the containers'; v1.0–v1.18: the
 * seccomp.security.alpha.kubernetes.io annotations: runtime/default, docker/default, localhost/*)
 * (k8s.io/pod-security-admission/policy/check_seccompProfile_baseline.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export const ANNOTATION_KEY_POD = "seccomp.security.alpha.kubernetes.io/pod";
export const ANNOTATION_KEY_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
export const CHECK_SECCOMP_BASELINE_ID = "seccompProfile_baseline";

export function checkSeccompBaseline(): Check {
  return {
    id: CHECK_SECCOMP_BASELINE_ID,
    level: LEVEL_BASELINE,
    versions: [
      { minimumVersion: majorMinorVersion(1, 0), checkPod: seccompProfileBaseline_1_0 },
      { minimumVersion: majorMinorVersion(1, 19), checkPod: seccompProfileBaseline_1_19 },
    ],
  };
}

export function validSeccomp(t: string | undefined): boolean {
  return t === "Localhost" || t === "RuntimeDefault";
}

function validSeccompAnnotationValue(v: string): boolean {
  return v === "runtime/default" || v === "docker/default" || v.startsWith("localhost/");
}

/** v1.0–v1.18: the alpha annotations. */
export function seccompProfileBaseline_1_0(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const annotations = podMetadata?.annotations ?? {};
  const forbidden: string[] = [];
  const podValue = annotations[ANNOTATION_KEY_POD];
  if (podValue !== undefined && !validSeccompAnnotationValue(podValue)) forbidden.push(`${ANNOTATION_KEY_POD}=${JSON.stringify(podValue)}`);
  visitContainers(podSpec, (c) => {
    const key = ANNOTATION_KEY_CONTAINER_PREFIX + c.name;
    const v = annotations[key];
    if (v !== undefined && !validSeccompAnnotationValue(v)) forbidden.push(`${key}=${JSON.stringify(v)}`);
  });
  const list = sortedSet(forbidden);
  if (list.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "seccompProfile", forbiddenDetail: `forbidden ${pluralize("annotation", "annotations", list.length)} ${list.join(", ")}` };
}

/** v1.19+: the securityContext.seccompProfile fields. */
export function seccompProfileBaseline_1_19(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const podProfile = podSpec.securityContext?.seccompProfile;
  if (podProfile && !validSeccomp(podProfile.type)) {
    badSetters.push("pod");
    badValues.push(podProfile.type ?? "");
  }
  const bad: string[] = [];
  visitContainers(podSpec, (c) => {
    const profile = c.securityContext?.seccompProfile;
    if (profile && !validSeccomp(profile.type)) {
      bad.push(c.name);
      badValues.push(profile.type ?? "");
    }
  });
  if (bad.length > 0) badSetters.push(`${pluralize("container", "containers", bad.length)} ${joinQuote(bad)}`);
  if (badSetters.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "seccompProfile", forbiddenDetail: `${badSetters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}` };
}
