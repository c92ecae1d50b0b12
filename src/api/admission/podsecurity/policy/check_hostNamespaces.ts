/**
 * Baseline: sharing the host network, PID and IPC namespaces is forbidden
 * (spec.hostNetwork, spec.hostPID, spec.hostIPC: false or unset)
 * (k8s.io/pod-security-admission/policy/check_hostNamespaces.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";

export function checkHostNamespaces(): Check {
  return { id: "hostNamespaces", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostNamespaces_1_0 }] };
}

export function hostNamespaces_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const host: string[] = [];
  if (podSpec.hostNetwork) host.push("hostNetwork=true");
  if (podSpec.hostPID) host.push("hostPID=true");
  if (podSpec.hostIPC) host.push("hostIPC=true");
  if (host.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "host namespaces", forbiddenDetail: host.join(", ") };
}
