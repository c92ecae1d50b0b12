/**
 * Restricted: containers must not set runAsUser: 0 (spec.securityContext.runAsUser and the
 * containers'; from v1.23)
 * (k8s.io/pod-security-admission/policy/check_runAsUser.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, visitContainers } from "./helpers.ts";

export function checkRunAsUser(): Check {
  return { id: "runAsUser", level: LEVEL_RESTRICTED, versions: [{ minimumVersion: majorMinorVersion(1, 23), checkPod: runAsUser_1_23 }] };
}

export function runAsUser_1_23(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (relaxPolicyForUserNamespacePod(podSpec)) return ALLOWED;
  const badSetters: string[] = [];
  if (podSpec.securityContext?.runAsUser === 0) badSetters.push("pod");
  const bad: string[] = [];
  visitContainers(podSpec, (c) => {
    if (c.securityContext?.runAsUser === 0) bad.push(c.name);
  });
  if (bad.length > 0) badSetters.push(`${pluralize("container", "containers", bad.length)} ${joinQuote(bad)}`);
  if (badSetters.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "runAsUser=0", forbiddenDetail: `${badSetters.join(" and ")} must not set runAsUser=0` };
}
