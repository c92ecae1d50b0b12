/**
 * The identity a container's processes run with: what the kubelet asks of the runtime
 * (pkg/kubelet/kuberuntime/security_context.go determineEffectiveSecurityContext: the container's
 * securityContext over the pod's, fsGroup and supplementalGroups as supplementary groups) and
 * what containerd's CRI plugin makes of it (internal/cri/server/container_create_linux.go:
 * oci.WithUser / WithUserID, WithAdditionalGIDs reading the image's /etc/passwd and /etc/group,
 * ensureAdditionalGids putting the primary gid among the groups, WithSupplementalGroups;
 * internal/cri/opts/spec_linux.go WithCapabilities over oci's default capability set).
 *
 * The kernel then applies it: supplementary groups sorted (setgroups), and a non-root process
 * keeps no permitted or effective capabilities across execve (it has no file capabilities),
 * while its bounding set is the container's.
 */
import type { Container, Pod } from "../../api/types.gen.ts";
import type { ProcessCred, Vfs } from "../../runtime/types.ts";

/** linux/capability.h, by number. */
export const CAPABILITIES = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
  "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
  "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
  "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
  "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
  "CHECKPOINT_RESTORE",
] as const;

/** containerd's oci.defaultUnixCaps (the moby default set): CapEff 00000000a80425fb for root. */
export const DEFAULT_CAPABILITIES = [
  "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
  "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
];

function capBit(name: string): bigint | undefined {
  const i = (CAPABILITIES as readonly string[]).indexOf(name.toUpperCase().replace(/^CAP_/, ""));
  return i < 0 ? undefined : 1n << BigInt(i);
}

function bits(names: Iterable<string>): bigint {
  let b = 0n;
  for (const n of names) b |= capBit(n) ?? 0n;
  return b;
}

const ALL_CAPS = (1n << BigInt(CAPABILITIES.length)) - 1n;
/** The default set's bits, worked out once. */
const DEFAULT_CAPS = bits(DEFAULT_CAPABILITIES);

/**
 * The container's capability set (WithCapabilities): privileged gets all; otherwise the default
 * set, `add: [ALL]` all, `drop: [ALL]` none, then each added and dropped name. Names the kernel
 * does not know are left out (containerd refuses them; see docs/divergences.md).
 */
export function capabilitySet(container: Container): bigint {
  const sc = container.securityContext;
  if (sc?.privileged) return ALL_CAPS;
  if (!sc?.capabilities) return DEFAULT_CAPS;
  const add = (sc?.capabilities?.add ?? []).map((c) => c.toUpperCase());
  const drop = (sc?.capabilities?.drop ?? []).map((c) => c.toUpperCase());
  let set = DEFAULT_CAPS;
  if (add.includes("ALL")) set = ALL_CAPS;
  if (drop.includes("ALL")) set = 0n;
  for (const a of add) if (a !== "ALL") set |= capBit(a) ?? 0n;
  for (const d of drop) if (d !== "ALL") set &= ~(capBit(d) ?? 0n);
  return set;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/**
 * The text of a file of the image's root, or undefined when there is none. Asked first (`stat`)
 * rather than read and caught: most images' models have no /etc/passwd or /etc/group, and a
 * thrown VfsError (its stack trace) cost more than the rest of the container's identity (issue #19).
 */
function fileText(fs: Vfs, path: string): string | undefined {
  const st = fs.stat(path);
  if (st?.type !== "file") return undefined;
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

function readLines(text: string | undefined): string[][] {
  if (text === undefined) return [];
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(":"));
}

/**
 * Parsed files by text (issue #19): every start of a container reads its image's /etc/passwd and
 * /etc/group, the same few texts; the parse is a pure function of the text, so it is kept (frozen,
 * shared), at most PARSED_KEPT texts per file.
 */
const PARSED_KEPT = 256;
const passwdKept = new Map<string, readonly PasswdEntry[]>();
const groupsKept = new Map<string, readonly GroupEntry[]>();
const NO_ENTRIES: readonly never[] = Object.freeze([]);

function kept<T>(cache: Map<string, readonly T[]>, text: string | undefined, parse: (lines: string[][]) => T[]): readonly T[] {
  if (text === undefined) return NO_ENTRIES;
  let entries = cache.get(text);
  if (entries === undefined) {
    entries = Object.freeze(parse(readLines(text)).map((e) => Object.freeze(e)));
    if (cache.size >= PARSED_KEPT) cache.clear();
    cache.set(text, entries);
  }
  return entries;
}

const parsePasswd = (lines: string[][]): PasswdEntry[] =>
  lines.filter((f) => f.length >= 4).map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? "" }));

const parseGroups = (lines: string[][]): GroupEntry[] =>
  lines.filter((f) => f.length >= 3).map((f) => ({ name: f[0]!, gid: Number(f[2]), members: Object.freeze((f[3] ?? "").split(",").filter(Boolean)) as string[] }));

/** The image's /etc/passwd (shared, frozen entries). */
export function readPasswd(fs: Vfs): readonly Readonly<PasswdEntry>[] {
  return kept(passwdKept, fileText(fs, "/etc/passwd"), parsePasswd);
}

/** The image's /etc/group (shared, frozen entries). */
export function readGroups(fs: Vfs): readonly Readonly<GroupEntry>[] {
  return kept(groupsKept, fileText(fs, "/etc/group"), parseGroups);
}

/** The effective runAsUser/runAsGroup of a container: its own securityContext over the pod's. */
export function effectiveRunAs(pod: Pod, container: Container): { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean } {
  const psc = pod.spec?.securityContext;
  const sc = container.securityContext;
  return {
    runAsUser: sc?.runAsUser ?? psc?.runAsUser,
    runAsGroup: sc?.runAsGroup ?? psc?.runAsGroup,
    runAsNonRoot: sc?.runAsNonRoot ?? psc?.runAsNonRoot,
  };
}

/**
 * The identity of the container's processes, from the pod, the container and the image (its
 * USER and its root filesystem's /etc/passwd and /etc/group).
 */
export function containerCred(pod: Pod, container: Container, imageUser: string | undefined, root: Vfs): ProcessCred {
  const psc = pod.spec?.securityContext;
  const { runAsUser, runAsGroup } = effectiveRunAs(pod, container);
  const passwd = readPasswd(root);
  const groupsFile = readGroups(root);
  // oci.WithUser: the image's USER ("name", "uid", "name:group", "uid:gid") unless runAsUser is set.
  let uid = 0;
  let gid: number | undefined;
  if (runAsUser !== undefined) uid = runAsUser;
  else if (imageUser) {
    const [u, g] = imageUser.split(":", 2) as [string, string | undefined];
    const byName = passwd.find((p) => p.name === u);
    uid = /^\d+$/.test(u) ? Number(u) : (byName?.uid ?? 0);
    if (g !== undefined) gid = /^\d+$/.test(g) ? Number(g) : groupsFile.find((e) => e.name === g)?.gid;
  }
  const entry = passwd.find((p) => p.uid === uid);
  const userName = entry?.name;
  if (runAsGroup !== undefined) gid = runAsGroup;
  // A uid with no passwd entry runs with gid 0.
  gid ??= entry?.gid ?? 0;
  // WithAdditionalGIDs: the groups of /etc/group that list the user (by name), then the primary gid.
  const groups = new Set<number>([gid]);
  if (userName) for (const g of groupsFile) if (g.name !== userName && g.members.includes(userName)) groups.add(g.gid);
  // determineEffectiveSecurityContext: fsGroup, then supplementalGroups (Merge policy, the default).
  if (psc?.fsGroup !== undefined) groups.add(psc.fsGroup);
  for (const g of psc?.supplementalGroups ?? []) groups.add(g);
  const set = capabilitySet(container);
  // execve as non-root: no permitted or effective capabilities (no file capabilities).
  const held = uid === 0 ? set : 0n;
  return {
    uid,
    gid,
    groups: [...groups].sort((a, b) => a - b),
    caps: { inheritable: 0n, permitted: held, effective: held, bounding: set, ambient: 0n },
    noNewPrivs: container.securityContext?.allowPrivilegeEscalation === false,
    // The kubelet's default (no --seccomp-default) is Unconfined; RuntimeDefault and Localhost filter.
    seccomp: (container.securityContext?.seccompProfile ?? psc?.seccompProfile)?.type !== undefined && (container.securityContext?.seccompProfile ?? psc?.seccompProfile)?.type !== "Unconfined",
    // runc's user.GetExecUserPath: the entry's home, "/" when the uid has none (defaultExecUser).
    // An image model without /etc/passwd does not say what the image has: root's home is then the
    // /root nearly every image's passwd gives it (docs/divergences.md).
    home: entry?.home || (passwd.length === 0 && uid === 0 ? "/root" : "/"),
  };
}

/**
 * /proc/<pid>/status of a process with this identity (the lines that say who it is; the kernel's
 * memory and scheduling lines are left out, see docs/divergences.md).
 */
/** A capability set as /proc/<pid>/status shows it (16 hex digits); the few sets in use are kept (a pure function). */
const capTexts = new Map<bigint, string>();
function hex(b: bigint): string {
  let t = capTexts.get(b);
  if (t === undefined) {
    if (capTexts.size >= 256) capTexts.clear();
    capTexts.set(b, (t = b.toString(16).padStart(16, "0")));
  }
  return t;
}

export function procStatus(name: string, pid: number, ppid: number, cred: ProcessCred): string {
  const c = cred.caps!;
  return (
    [
      `Name:\t${name.slice(0, 15)}`,
      "Umask:\t0022",
      "State:\tS (sleeping)",
      `Tgid:\t${pid}`,
      "Ngid:\t0",
      `Pid:\t${pid}`,
      `PPid:\t${ppid}`,
      "TracerPid:\t0",
      `Uid:\t${cred.uid}\t${cred.uid}\t${cred.uid}\t${cred.uid}`,
      `Gid:\t${cred.gid}\t${cred.gid}\t${cred.gid}\t${cred.gid}`,
      "FDSize:\t64",
      `Groups:\t${cred.groups.join(" ")} `,
      `NStgid:\t${pid}`,
      `NSpid:\t${pid}`,
      `NSpgid:\t${pid}`,
      `NSsid:\t${pid}`,
      `CapInh:\t${hex(c.inheritable)}`,
      `CapPrm:\t${hex(c.permitted)}`,
      `CapEff:\t${hex(c.effective)}`,
      `CapBnd:\t${hex(c.bounding)}`,
      `CapAmb:\t${hex(c.ambient)}`,
      `NoNewPrivs:\t${cred.noNewPrivs ? 1 : 0}`,
      `Seccomp:\t${cred.seccomp ? 2 : 0}`,
      `Seccomp_filters:\t${cred.seccomp ? 1 : 0}`,
    ].join("\n") + "\n"
  );
}

/**
 * verifyRunAsNonRoot (pkg/kubelet/kuberuntime/security_context_others.go): with runAsNonRoot, a
 * runAsUser of 0, or no runAsUser and an image that runs as root (no USER, or USER 0), or a
 * non-numeric USER that cannot be verified, is refused (CreateContainerConfigError).
 */
export function verifyRunAsNonRoot(pod: Pod, container: Container, imageUser: string | undefined, podName: string): string | undefined {
  const { runAsUser, runAsNonRoot } = effectiveRunAs(pod, container);
  if (!runAsNonRoot) return undefined;
  if (runAsUser !== undefined) {
    return runAsUser === 0 ? `container's runAsUser breaks non-root policy (pod: ${JSON.stringify(podName)}, container: ${container.name})` : undefined;
  }
  const user = (imageUser ?? "").split(":", 1)[0]!;
  if (user === "" || user === "0") return `container has runAsNonRoot and image will run as root (pod: ${JSON.stringify(podName)}, container: ${container.name})`;
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: ${JSON.stringify(podName)}, container: ${container.name})`;
  return undefined;
}
