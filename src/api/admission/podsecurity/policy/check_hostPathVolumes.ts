/**
 * Baseline: hostPath volumes are forbidden (spec.volumes[*].hostPath unset)
 * (k8s.io/pod-security-admission/policy/check_hostPathVolumes.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize } from "./helpers.ts";

export const CHECK_HOST_PATH_VOLUMES_ID = "hostPathVolumes";

export function checkHostPathVolumes(): Check {
  return { id: CHECK_HOST_PATH_VOLUMES_ID, level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostPathVolumes_1_0 }] };
}

export function hostPathVolumes_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const host = (podSpec.volumes ?? []).filter((v) => v.hostPath != null).map((v) => v.name);
  if (host.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "hostPath volumes", forbiddenDetail: `${pluralize("volume", "volumes", host.length)} ${joinQuote(host)}` };
}
