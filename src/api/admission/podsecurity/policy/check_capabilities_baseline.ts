/**
 * Baseline: adding capabilities beyond the default set is forbidden
 * (spec.containers[*].securityContext.capabilities.add: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER,
 * FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)
 * (k8s.io/pod-security-admission/policy/check_capabilities_baseline.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export const CHECK_CAPABILITIES_BASELINE_ID = "capabilities_baseline";

export function checkCapabilitiesBaseline(): Check {
  return { id: CHECK_CAPABILITIES_BASELINE_ID, level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: capabilitiesBaseline_1_0 }] };
}

const CAPABILITIES_ALLOWED_1_0 = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);

export function capabilitiesBaseline_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  const nonDefault: string[] = [];
  visitContainers(podSpec, (c) => {
    const caps = c.securityContext?.capabilities;
    if (!caps) return;
    let valid = true;
    for (const cap of caps.add ?? []) {
      if (!CAPABILITIES_ALLOWED_1_0.has(cap)) {
        valid = false;
        nonDefault.push(cap);
      }
    }
    if (!valid) bad.push(c.name);
  });
  if (bad.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: "non-default capabilities",
    forbiddenDetail: `${pluralize("container", "containers", bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
  };
}
