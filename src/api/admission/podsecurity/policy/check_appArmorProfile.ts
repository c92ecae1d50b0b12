/**
 * Baseline: the AppArmor profile may not be overridden beyond RuntimeDefault and Localhost
 * (spec.securityContext.appArmorProfile.type, the containers' too; the deprecated
 * container.apparmor.security.beta.kubernetes.io/* annotations: runtime/default, localhost/*, empty)
 * (k8s.io/pod-security-admission/policy/check_appArmorProfile.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export const DEPRECATED_APPARMOR_BETA_CONTAINER_ANNOTATION_KEY_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export function checkAppArmorProfile(): Check {
  return { id: "appArmorProfile", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: appArmorProfile_1_0 }] };
}

function allowedAnnotationValue(profile: string): boolean {
  return profile.length === 0 || profile === "runtime/default" || profile.startsWith("localhost/");
}

function allowedProfileType(type: string | undefined): boolean {
  return type === "RuntimeDefault" || type === "Localhost";
}

export function appArmorProfile_1_0(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const podProfile = podSpec.securityContext?.appArmorProfile;
  if (podProfile && !allowedProfileType(podProfile.type)) {
    badSetters.push("pod");
    badValues.push(podProfile.type ?? "");
  }
  const badContainers: string[] = [];
  visitContainers(podSpec, (c) => {
    const profile = c.securityContext?.appArmorProfile;
    if (profile && !allowedProfileType(profile.type)) {
      badContainers.push(c.name);
      badValues.push(profile.type ?? "");
    }
  });
  if (badContainers.length > 0) badSetters.push(`${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)}`);
  const forbiddenAnnotations: string[] = [];
  for (const [k, v] of Object.entries(podMetadata?.annotations ?? {})) {
    if (k.startsWith(DEPRECATED_APPARMOR_BETA_CONTAINER_ANNOTATION_KEY_PREFIX) && !allowedAnnotationValue(v)) forbiddenAnnotations.push(`${k}=${JSON.stringify(v)}`);
  }
  const badValueList = sortedSet(badValues);
  if (forbiddenAnnotations.length > 0) {
    badValueList.push(...sortedSet(forbiddenAnnotations));
    badSetters.push(pluralize("annotation", "annotations", forbiddenAnnotations.length));
  }
  if (badSetters.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValueList.length),
    forbiddenDetail: `${badSetters.join(" and ")} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
  };
}
