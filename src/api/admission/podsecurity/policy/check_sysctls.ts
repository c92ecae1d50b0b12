/**
 * Baseline: only the safe, namespaced sysctls may be set (spec.securityContext.sysctls[*].name;
 * the allowed set grew in v1.27, v1.29 and v1.32)
 * (k8s.io/pod-security-admission/policy/check_sysctls.go, v0.32.4).
 */
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import { LEVEL_BASELINE, majorMinorVersion } from "../api.ts";
import { ALLOWED, type Check, type CheckResult } from "./checks.ts";

export function checkSysctls(): Check {
  return {
    id: "sysctls",
    level: LEVEL_BASELINE,
    versions: [
      { minimumVersion: majorMinorVersion(1, 0), checkPod: sysctlsV1Dot0 },
      { minimumVersion: majorMinorVersion(1, 27), checkPod: sysctlsV1Dot27 },
      { minimumVersion: majorMinorVersion(1, 29), checkPod: sysctlsV1Dot29 },
      { minimumVersion: majorMinorVersion(1, 32), checkPod: sysctlsV1Dot32 },
    ],
  };
}

const SYSCTLS_ALLOWED_V1DOT0 = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]);
const SYSCTLS_ALLOWED_V1DOT27 = new Set([...SYSCTLS_ALLOWED_V1DOT0, "net.ipv4.ip_local_reserved_ports"]);
const SYSCTLS_ALLOWED_V1DOT29 = new Set([...SYSCTLS_ALLOWED_V1DOT27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
const SYSCTLS_ALLOWED_V1DOT32 = new Set([...SYSCTLS_ALLOWED_V1DOT29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);

export const sysctlsV1Dot0 = (m: ObjectMeta | undefined, s: PodSpec) => sysctls(m, s, SYSCTLS_ALLOWED_V1DOT0);
export const sysctlsV1Dot27 = (m: ObjectMeta | undefined, s: PodSpec) => sysctls(m, s, SYSCTLS_ALLOWED_V1DOT27);
export const sysctlsV1Dot29 = (m: ObjectMeta | undefined, s: PodSpec) => sysctls(m, s, SYSCTLS_ALLOWED_V1DOT29);
export const sysctlsV1Dot32 = (m: ObjectMeta | undefined, s: PodSpec) => sysctls(m, s, SYSCTLS_ALLOWED_V1DOT32);

function sysctls(_podMetadata: ObjectMeta | undefined, podSpec: PodSpec, allowed: Set<string>): CheckResult {
  const forbidden = (podSpec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !allowed.has(n));
  if (forbidden.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: "forbidden sysctls", forbiddenDetail: forbidden.join(", ") };
}
