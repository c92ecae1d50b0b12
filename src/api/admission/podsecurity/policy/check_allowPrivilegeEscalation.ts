/**
 * Restricted: privilege escalation must be disallowed
 * (spec.containers[*].securityContext.allowPrivilegeEscalation: false; from v1.25 a Windows pod,
 * spec.os.name windows, is exempt)
 * (k8s.io/pod-security-admission/policy/check_allowPrivilegeEscalation.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, visitContainers } from "./helpers.ts";

export function checkAllowPrivilegeEscalation(): Check {
  return {
    id: "allowPrivilegeEscalation",
    level: LEVEL_RESTRICTED,
    versions: [
      // The field was added in 1.8.
      { minimumVersion: majorMinorVersion(1, 8), checkPod: allowPrivilegeEscalation_1_8 },
      { minimumVersion: majorMinorVersion(1, 25), checkPod: allowPrivilegeEscalation_1_25 },
    ],
  };
}

export function allowPrivilegeEscalation_1_8(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  visitContainers(podSpec, (c) => {
    if (c.securityContext?.allowPrivilegeEscalation !== false) bad.push(c.name);
  });
  if (bad.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: "allowPrivilegeEscalation != false",
    forbiddenDetail: `${pluralize("container", "containers", bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
  };
}

/** Pod validation refuses allowPrivilegeEscalation on a Windows pod, so one without it is admitted. */
export function allowPrivilegeEscalation_1_25(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (podSpec.os?.name === "windows") return ALLOWED;
  return allowPrivilegeEscalation_1_8(podMetadata, podSpec);
}
