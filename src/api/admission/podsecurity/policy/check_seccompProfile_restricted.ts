/**
 * Restricted: a seccomp profile must be set, RuntimeDefault or Localhost (the pod's, or every
 * container's; from v1.19, replacing baseline's seccompProfile check; from v1.25 a Windows pod is
 * exempt)
 * (k8s.io/pod-security-admission/policy/check_seccompProfile_restricted.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { CHECK_SECCOMP_BASELINE_ID, validSeccomp } from "./check_seccompProfile_baseline.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export function checkSeccompProfileRestricted(): Check {
  return {
    id: "seccompProfile_restricted",
    level: LEVEL_RESTRICTED,
    versions: [
      { minimumVersion: majorMinorVersion(1, 19), checkPod: seccompProfileRestricted_1_19, overrideCheckIDs: [CHECK_SECCOMP_BASELINE_ID] },
      { minimumVersion: majorMinorVersion(1, 25), checkPod: seccompProfileRestricted_1_25, overrideCheckIDs: [CHECK_SECCOMP_BASELINE_ID] },
    ],
  };
}

export function seccompProfileRestricted_1_19(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  let podSeccompSet = false;
  const podProfile = podSpec.securityContext?.seccompProfile;
  if (podProfile) {
    if (!validSeccomp(podProfile.type)) {
      badSetters.push("pod");
      badValues.push(podProfile.type ?? "");
    } else podSeccompSet = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(podSpec, (c) => {
    const profile = c.securityContext?.seccompProfile;
    if (profile) {
      if (!validSeccomp(profile.type)) {
        explicitlyBad.push(c.name);
        badValues.push(profile.type ?? "");
      }
    } else if (!podSeccompSet) implicitlyBad.push(c.name);
  });
  if (explicitlyBad.length > 0) badSetters.push(`${pluralize("container", "containers", explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters.length > 0) {
    return { allowed: false, forbiddenReason: "seccompProfile", forbiddenDetail: `${badSetters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}` };
  }
  if (implicitlyBad.length > 0) {
    return {
      allowed: false,
      forbiddenReason: "seccompProfile",
      forbiddenDetail: `pod or ${pluralize("container", "containers", implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  }
  return ALLOWED;
}

/** Pod validation refuses seccompProfile on a Windows pod, so one without it is admitted. */
export function seccompProfileRestricted_1_25(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (podSpec.os?.name === "windows") return ALLOWED;
  return seccompProfileRestricted_1_19(podMetadata, podSpec);
}
