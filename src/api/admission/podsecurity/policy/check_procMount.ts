/**
 * Baseline: the default /proc masks are required (spec.containers[*].securityContext.procMount:
 * unset or Default; any value for a pod in a user namespace when the relaxation is on)
 * (k8s.io/pod-security-admission/policy/check_procMount.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, sortedSet, visitContainers } from "./helpers.ts";

export function checkProcMount(): Check {
  return { id: "procMount", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: procMount_1_0 }] };
}

export function procMount_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (relaxPolicyForUserNamespacePod(podSpec)) return ALLOWED;
  const bad: string[] = [];
  const types: string[] = [];
  visitContainers(podSpec, (c) => {
    const pm = c.securityContext?.procMount;
    if (pm == null) return;
    if (pm !== "Default") {
      bad.push(c.name);
      types.push(pm);
    }
  });
  if (bad.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: "procMount",
    forbiddenDetail: `${pluralize("container", "containers", bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
  };
}
