/**
 * Sysctl names (k8s.io/component-helpers/node/util/sysctl, namespace.go and util.go, as the v1.32
 * kubelet and API validation use them): which kernel namespace a sysctl belongs to — the IPC
 * namespace's kernel.sem, kernel.shm*, kernel.msg* and fs.mqueue.*, the network namespace's net.*;
 * any other sysctl is node-level (not namespaced) — and the name rules of the API
 * (pkg/apis/core/validation) and of sysctl patterns (pkg/apis/policy/validation).
 */

export type SysctlNamespace = "IPC" | "Net" | "";
export const IPC_NAMESPACE: SysctlNamespace = "IPC";
export const NET_NAMESPACE: SysctlNamespace = "Net";
export const UNKNOWN_NAMESPACE: SysctlNamespace = "";

const nameToNamespace = new Map<string, SysctlNamespace>([
  // kernel semaphore parameters: SEMMSL, SEMMNS, SEMOPM and SEMMNI.
  ["kernel.sem", IPC_NAMESPACE],
  ["kernel.shmall", IPC_NAMESPACE],
  ["kernel.shmmax", IPC_NAMESPACE],
  ["kernel.shmmni", IPC_NAMESPACE],
  ["kernel.shm_rmid_forced", IPC_NAMESPACE],
  // kernel.shm* and kernel.msg* patterns name these prefixes.
  ["kernel.shm", IPC_NAMESPACE],
  ["kernel.msgmax", IPC_NAMESPACE],
  ["kernel.msgmnb", IPC_NAMESPACE],
  ["kernel.msgmni", IPC_NAMESPACE],
  ["kernel.msg", IPC_NAMESPACE],
]);

const prefixToNamespace: Array<[string, SysctlNamespace]> = [
  ["net", NET_NAMESPACE],
  ["fs.mqueue", IPC_NAMESPACE],
];

/**
 * NormalizeName: a name written with `/` separators (`net/ipv4/conf/eno2.100/rp_filter`) in the dot
 * form (`net.ipv4.conf.eno2/100.rp_filter`), as sysctl(8) reads it; a name whose first separator is
 * a dot is kept.
 */
export function normalizeSysctlName(val: string): string {
  if (val === "") return val;
  const first = val.search(/[./]/);
  if (first === -1 || val[first] === ".") return val;
  return val.replace(/[./]/g, (c) => (c === "." ? "/" : "."));
}

function namespaceOf(val: string): SysctlNamespace {
  const ns = nameToNamespace.get(val);
  if (ns !== undefined) return ns;
  for (const [p, pns] of prefixToNamespace) if (val.startsWith(`${p}.`)) return pns;
  return UNKNOWN_NAMESPACE;
}

/**
 * GetNamespace: the namespace of a sysctl or pattern, the name (or the prefix before its first
 * `*`), and whether it was a pattern.
 */
export function getSysctlNamespace(sysctl: string): { ns: SysctlNamespace; sysctlOrPrefix: string; prefixed: boolean } {
  let sysctlOrPrefix = normalizeSysctlName(sysctl);
  let prefixed = false;
  const star = sysctlOrPrefix.indexOf("*");
  if (star !== -1) {
    sysctlOrPrefix = sysctlOrPrefix.slice(0, star);
    prefixed = true;
  }
  return { ns: namespaceOf(sysctlOrPrefix), sysctlOrPrefix, prefixed };
}

/** The API's sysctl name rules (pkg/apis/core/validation: SysctlSegmentFmt, SysctlContainSlashFmt, SysctlMaxLength). */
const SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
export const SYSCTL_MAX_LENGTH = 253;
export const SYSCTL_CONTAIN_SLASH_FMT = `(${SEGMENT}[\\./])*${SEGMENT}`;
const sysctlContainSlashRegexp = new RegExp(`^${SYSCTL_CONTAIN_SLASH_FMT}$`);
/** pkg/apis/policy/validation: a sysctl or a pattern ending in `*` (sysctlPatternSegmentFmt, SysctlContainSlashPatternFmt). */
const PATTERN_SEGMENT = "([a-z0-9][-_a-z0-9]*)?[a-z0-9*]";
export const SYSCTL_CONTAIN_SLASH_PATTERN_FMT = `(${SEGMENT}[\\./])*${PATTERN_SEGMENT}`;
const sysctlContainSlashPatternRegexp = new RegExp(`^${SYSCTL_CONTAIN_SLASH_PATTERN_FMT}$`);

/** IsValidSysctlName */
export function isValidSysctlName(name: string): boolean {
  return name.length <= SYSCTL_MAX_LENGTH && sysctlContainSlashRegexp.test(name);
}

/** IsValidSysctlPattern */
export function isValidSysctlPattern(name: string): boolean {
  return name.length <= SYSCTL_MAX_LENGTH && sysctlContainSlashPatternRegexp.test(name);
}
