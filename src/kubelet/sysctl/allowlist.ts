/**
 * The kubelet's sysctl admission (pkg/kubelet/sysctl/allowlist.go, v1.32): a pod whose
 * `spec.securityContext.sysctls` names a sysctl that is neither safe (safe_sysctls.go) nor allowed
 * by `--allowed-unsafe-sysctls` is rejected with reason `SysctlForbidden` (the kubelet's rejectPod:
 * a Warning event, phase Failed, `Pod was rejected: forbidden sysctl: "<name>" not allowlisted`).
 * A namespaced sysctl is refused too when the pod shares that namespace with the host.
 */
import type { Pod } from "../../api/types.gen.ts";
import { getSysctlNamespace, IPC_NAMESPACE, isValidSysctlPattern, NET_NAMESPACE, normalizeSysctlName, SYSCTL_CONTAIN_SLASH_PATTERN_FMT, SYSCTL_MAX_LENGTH, UNKNOWN_NAMESPACE, type SysctlNamespace } from "../../api/helper/sysctl.ts";

export const SYSCTL_FORBIDDEN_REASON = "SysctlForbidden";

export interface SysctlAdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** patternAllowlist: sysctls and prefixes (patterns ending in `*`) known to be namespaced. */
export class SysctlAllowlist {
  private readonly sysctls = new Map<string, SysctlNamespace>();
  private readonly prefixes = new Map<string, SysctlNamespace>();

  /** NewAllowlist: throws the kubelet's start-up error for a pattern that is malformed or not namespaced. */
  constructor(patterns: readonly string[]) {
    for (const s of patterns) {
      if (!isValidSysctlPattern(s)) {
        throw new Error(`sysctl ${JSON.stringify(s)} must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ${SYSCTL_CONTAIN_SLASH_PATTERN_FMT}`);
      }
      const { ns, sysctlOrPrefix, prefixed } = getSysctlNamespace(s);
      if (ns === UNKNOWN_NAMESPACE) throw new Error(`the sysctls ${JSON.stringify(sysctlOrPrefix)} are not known to be namespaced`);
      if (prefixed) this.prefixes.set(sysctlOrPrefix, ns);
      else this.sysctls.set(sysctlOrPrefix, ns);
    }
  }

  /** validateSysctl: undefined when allowed, else the reason as the kubelet words it. */
  validateSysctl(name: string, hostNet: boolean, hostIPC: boolean): string | undefined {
    const sysctl = normalizeSysctlName(name);
    const hostErr = (ns: SysctlNamespace) => `${JSON.stringify(sysctl)} not allowed with host ${ns} enabled`;
    const exact = this.sysctls.get(sysctl);
    if (exact !== undefined) {
      if (exact === IPC_NAMESPACE && hostIPC) return hostErr(exact);
      if (exact === NET_NAMESPACE && hostNet) return hostErr(exact);
      return undefined;
    }
    for (const [p, ns] of this.prefixes) {
      if (!sysctl.startsWith(p)) continue;
      if (ns === IPC_NAMESPACE && hostIPC) return hostErr(ns);
      if (ns === NET_NAMESPACE && hostNet) return hostErr(ns);
      return undefined;
    }
    return `${JSON.stringify(sysctl)} not allowlisted`;
  }

  /** Admit: the first sysctl of the pod that is not allowed rejects it. */
  admit(pod: Pod): SysctlAdmitResult {
    const sysctls = pod.spec?.securityContext?.sysctls ?? [];
    for (const s of sysctls) {
      const err = this.validateSysctl(s.name, !!pod.spec?.hostNetwork, !!pod.spec?.hostIPC);
      if (err !== undefined) return { admit: false, reason: SYSCTL_FORBIDDEN_REASON, message: `forbidden sysctl: ${err}` };
    }
    return { admit: true };
  }
}
