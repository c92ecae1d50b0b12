/**
 * Baseline: privileged containers disable most security mechanisms and are forbidden
 * (spec.containers[*].securityContext.privileged, init and ephemeral containers too: false or unset)
 * (k8s.io/pod-security-admission/policy/check_privileged.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, visitContainers } from "./helpers.ts";

export function checkPrivileged(): Check {
  return { id: "privileged", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: privileged_1_0 }] };
}

export function privileged_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  visitContainers(podSpec, (c) => {
    if (c.securityContext?.privileged === true) bad.push(c.name);
  });
  if (bad.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "privileged", forbiddenDetail: `${pluralize("container", "containers", bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true` };
}
