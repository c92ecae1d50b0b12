/**
 * Baseline: Windows HostProcess containers are forbidden
 * (spec.securityContext.windowsOptions.hostProcess and the containers': false or unset)
 * (k8s.io/pod-security-admission/policy/check_windowsHostProcess.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, visitContainers } from "./helpers.ts";

export function checkWindowsHostProcess(): Check {
  return { id: "windowsHostProcess", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: windowsHostProcess_1_0 }] };
}

export function windowsHostProcess_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  visitContainers(podSpec, (c) => {
    if (c.securityContext?.windowsOptions?.hostProcess === true) bad.push(c.name);
  });
  const setters: string[] = [];
  if (podSpec.securityContext?.windowsOptions?.hostProcess === true) setters.push("pod");
  if (bad.length > 0) setters.push(`${pluralize("container", "containers", bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "hostProcess", forbiddenDetail: `${setters.join(" and ")} must not set securityContext.windowsOptions.hostProcess=true` };
}
