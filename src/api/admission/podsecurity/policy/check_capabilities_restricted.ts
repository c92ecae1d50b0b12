/**
 * Restricted: containers must drop ALL capabilities and may add only NET_BIND_SERVICE
 * (from v1.22, replacing baseline's capabilities check; from v1.25 a Windows pod is exempt)
 * (k8s.io/pod-security-admission/policy/check_capabilities_restricted.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_RESTRICTED, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { CHECK_CAPABILITIES_BASELINE_ID } from "./check_capabilities_baseline.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

const CAPABILITY_ALL = "ALL";
const CAPABILITY_NET_BIND_SERVICE = "NET_BIND_SERVICE";

export function checkCapabilitiesRestricted(): Check {
  return {
    id: "capabilities_restricted",
    level: LEVEL_RESTRICTED,
    versions: [
      { minimumVersion: majorMinorVersion(1, 22), checkPod: capabilitiesRestricted_1_22, overrideCheckIDs: [CHECK_CAPABILITIES_BASELINE_ID] },
      { minimumVersion: majorMinorVersion(1, 25), checkPod: capabilitiesRestricted_1_25, overrideCheckIDs: [CHECK_CAPABILITIES_BASELINE_ID] },
    ],
  };
}

export function capabilitiesRestricted_1_22(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbiddenCaps: string[] = [];
  visitContainers(podSpec, (c) => {
    const caps = c.securityContext?.capabilities;
    if (!caps) {
      missingDropAll.push(c.name);
      return;
    }
    if (!(caps.drop ?? []).includes(CAPABILITY_ALL)) missingDropAll.push(c.name);
    let added = false;
    for (const cap of caps.add ?? []) {
      if (cap !== CAPABILITY_NET_BIND_SERVICE) {
        added = true;
        forbiddenCaps.push(cap);
      }
    }
    if (added) addingForbidden.push(c.name);
  });
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${pluralize("container", "containers", missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) {
    details.push(`${pluralize("container", "containers", addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedSet(forbiddenCaps))} in securityContext.capabilities.add`);
  }
  if (details.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "unrestricted capabilities", forbiddenDetail: details.join("; ") };
}

/** Pod validation refuses capabilities on a Windows pod, so one without them is admitted. */
export function capabilitiesRestricted_1_25(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  if (podSpec.os?.name === "windows") return ALLOWED;
  return capabilitiesRestricted_1_22(podMetadata, podSpec);
}
