/**
 * Restricted: containers must run as non-root users
 * (spec.securityContext.runAsNonRoot true, or every container's)
 * (k8s.io/pod-security-admission/policy/check_runAsNonRoot.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, visitContainers } from "./helpers.ts";

export function checkRunAsNonRoot(): Check {
  return { id: "runAsNonRoot", level: LEVEL_RESTRICTED, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: runAsNonRoot_1_0 }] };
}

export function runAsNonRoot_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (relaxPolicyForUserNamespacePod(podSpec)) return ALLOWED;
  const badSetters: string[] = [];
  let podRunAsNonRoot = false;
  const pod = podSpec.securityContext?.runAsNonRoot;
  if (pod != null) {
    if (!pod) badSetters.push("pod");
    else podRunAsNonRoot = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(podSpec, (c) => {
    const v = c.securityContext?.runAsNonRoot;
    if (v != null) {
      if (!v) explicitlyBad.push(c.name);
    } else if (!podRunAsNonRoot) implicitlyBad.push(c.name);
  });
  if (explicitlyBad.length > 0) badSetters.push(`${pluralize("container", "containers", explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters.length > 0) return { allowed: false, forbiddenReason: "runAsNonRoot != true", forbiddenDetail: `${badSetters.join(" and ")} must not set securityContext.runAsNonRoot=false` };
  if (implicitlyBad.length > 0) {
    return {
      allowed: false,
      forbiddenReason: "runAsNonRoot != true",
      forbiddenDetail: `pod or ${pluralize("container", "containers", implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
    };
  }
  return ALLOWED;
}
