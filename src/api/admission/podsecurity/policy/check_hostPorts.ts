/**
 * Baseline: host ports are forbidden (spec.containers[*].ports[*].hostPort: unset or 0)
 * (k8s.io/pod-security-admission/policy/check_hostPorts.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export function checkHostPorts(): Check {
  return { id: "hostPorts", level: LEVEL_BASELINE, versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostPorts_1_0 }] };
}

export function hostPorts_1_0(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  const bad: string[] = [];
  const ports: string[] = [];
  visitContainers(podSpec, (c) => {
    let valid = true;
    for (const p of c.ports ?? []) {
      if (p.hostPort) {
        valid = false;
        ports.push(String(p.hostPort));
      }
    }
    if (!valid) bad.push(c.name);
  });
  if (bad.length === 0) return ALLOWED;
  const forbidden = sortedSet(ports);
  return {
    allowed: false,
    forbiddenReason: "hostPort",
    forbiddenDetail: `${pluralize("container", "containers", bad.length)} ${joinQuote(bad)} ${pluralize("uses", "use", bad.length)} ${pluralize("hostPort", "hostPorts", forbidden.length)} ${forbidden.join(", ")}`,
  };
}
