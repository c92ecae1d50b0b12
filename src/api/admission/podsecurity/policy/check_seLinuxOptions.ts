/**
 * Baseline: the SELinux type is limited to container_t, container_init_t, container_kvm_t (and
 * container_engine_t from v1.31); a custom SELinux user or role is forbidden
 * (spec.securityContext.seLinuxOptions, the containers' too)
 * (k8s.io/pod-security-admission/policy/check_seLinuxOptions.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec, SELinuxOptions } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";
import { joinQuote, pluralize, sortedSet, visitContainers } from "./helpers.ts";

export function checkSELinuxOptions(): Check {
  return {
    id: "seLinuxOptions",
    level: LEVEL_BASELINE,
    versions: [
      { minimumVersion: majorMinorVersion(1, 0), checkPod: seLinuxOptions1_0 },
      { minimumVersion: majorMinorVersion(1, 31), checkPod: seLinuxOptions1_31 },
    ],
  };
}

const SELINUX_ALLOWED_TYPES_1_0 = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SELINUX_ALLOWED_TYPES_1_31 = new Set([...SELINUX_ALLOWED_TYPES_1_0, "container_engine_t"]);

export function seLinuxOptions1_0(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  return seLinuxOptions(podMetadata, podSpec, SELINUX_ALLOWED_TYPES_1_0);
}

export function seLinuxOptions1_31(podMetadata: ObjectMeta | undefined, podSpec: PodSpec): CheckResult {
  return seLinuxOptions(podMetadata, podSpec, SELINUX_ALLOWED_TYPES_1_31);
}

function seLinuxOptions(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec, allowedTypes: Set<string>): CheckResult {
  const badSetters: string[] = [];
  const badTypes: string[] = [];
  let setUser = false;
  let setRole = false;
  const valid = (opts: SELinuxOptions): boolean => {
    let ok = true;
    if (!allowedTypes.has(opts.type ?? "")) {
      ok = false;
      badTypes.push(opts.type ?? "");
    }
    if (opts.user) {
      ok = false;
      setUser = true;
    }
    if (opts.role) {
      ok = false;
      setRole = true;
    }
    return ok;
  };
  const podOpts = podSpec.securityContext?.seLinuxOptions;
  if (podOpts && !valid(podOpts)) badSetters.push("pod");
  const badContainers: string[] = [];
  visitContainers(podSpec, (c) => {
    const opts = c.securityContext?.seLinuxOptions;
    if (opts && !valid(opts)) badContainers.push(c.name);
  });
  if (badContainers.length > 0) badSetters.push(`${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)}`);
  if (badSetters.length === 0) return ALLOWED;
  const badData: string[] = [];
  const types = sortedSet(badTypes);
  if (types.length > 0) badData.push(`${pluralize("type", "types", types.length)} ${joinQuote(types)}`);
  if (setUser) badData.push("user may not be set");
  if (setRole) badData.push("role may not be set");
  return { allowed: false, forbiddenReason: "seLinuxOptions", forbiddenDetail: `${badSetters.join(" and ")} set forbidden securityContext.seLinuxOptions: ${badData.join("; ")}` };
}
