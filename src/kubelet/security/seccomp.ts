/**
 * seccomp, as far as the kubelet, containerd, runc and the kernel show it for a container:
 *
 * - Which profile: the container's `securityContext.seccompProfile`, else the pod's, else
 *   `Unconfined` (the kubelet's default without `--seccomp-default`; pkg/kubelet/kuberuntime/
 *   helpers.go getSeccompProfile, v1.32). A `Localhost` profile is the file
 *   `<root-dir>/seccomp/<localhostProfile>` on the node, `/var/lib/kubelet/seccomp/...`
 *   (fieldSeccompProfile joins the kubelet's seccomp root and the name).
 * - containerd 1.7 (generateSeccompSpecOpts): a privileged container runs unconfined; a Localhost
 *   profile is read when the container is created (contrib/seccomp WithProfile): a missing file is
 *   `cannot load seccomp profile "<path>": open <path>: no such file or directory`, which
 *   NewContainer returns as `failed to create containerd container: …` (the kubelet's
 *   CreateContainerError; the message as rke2#8312 and DataDog/helm-charts#774 show it), a file
 *   that is not JSON `decoding seccomp profile failed "<path>": …`. `RuntimeDefault` is
 *   containerd's default profile, which allows what the simulated programs do.
 * - runc (libcontainer/standard_init_linux.go) loads the filter in its own init process, before it
 *   has finished: with no_new_privs (`allowPrivilegeEscalation: false`) just before it opens the
 *   exec FIFO, writes to it and calls execve; without, before finalizeNamespace (closing fds,
 *   setgroups/setgid/setuid, capabilities, prctl) as well. When the profile refuses one of those
 *   syscalls, init fails after `runc create` returned (its error cannot even be written back), and
 *   `runc start` finds the process gone: containerd's StartContainer fails with `failed to start
 *   containerd task "<id>": cannot start a stopped process: unknown` (the error Docker users of an
 *   `SCMP_ACT_ERRNO` profile report, antitree/syscall2seccomp#1): StartError, exit code 128, then
 *   CrashLoopBackOff, as the page's violation-pod shows.
 * - The container's own process needs the syscalls listed for its image in IMAGE_SYSCALLS (the
 *   tutorial's audit of http-echo, which fine-grained.json allows). An image without a list is
 *   checked for runc's syscalls only, and the kubelet says so once per container with a
 *   kube-scenario event (SeccompNotChecked). A Go program (http-echo) refused a syscall it needs
 *   ends at once with the Go runtime's fatal error, exit code 2; one killed by the filter
 *   (SCMP_ACT_KILL*) dies of SIGSYS, exit code 159.
 * - `SCMP_ACT_LOG` allows the call and the kernel logs it (audit type=1326 lines in the host's
 *   log): the log is not modelled (docs/divergences.md).
 */
import type { Container, Pod } from "../../api/types.gen.ts";
import type { Vfs } from "../../runtime/types.ts";

/** The kubelet's seccomp profile root (`--root-dir` /var/lib/kubelet, `seccomp`). */
export const SECCOMP_PROFILE_ROOT = "/var/lib/kubelet/seccomp";

/** The kubelet's event reason for a check it could not make (kube-scenario's own). */
export const SECCOMP_NOT_CHECKED_REASON = "SeccompNotChecked";

const ACTIONS = new Set([
  "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
]);

interface SyscallRule {
  names: string[];
  action: string;
  /** The rule has argument conditions: it decides only some calls. */
  conditional: boolean;
}

export interface SeccompProfile {
  path: string;
  defaultAction: string;
  syscalls: SyscallRule[];
}

/**
 * runc init's syscalls after the filter is loaded (standard_init_linux.go, in order): with
 * no_new_privs, closing its pipes, opening and writing the exec FIFO, listing /proc/self/fd to close
 * the fds it does not pass on (UnsafeCloseFrom; close_range is tried first and a refusal falls back
 * to the listing), execve; without, finalizeNamespace's before those (setgroups, setresgid,
 * setresuid, capget/capset, prctl, getppid, and exec.LookPath's and eaccess's stat and access).
 * The Go runtime's own calls inside runc (futex, mmap, signals...) are not listed.
 */
export const RUNC_SYSCALLS_NO_NEW_PRIVS = ["close", "openat", "write", "getdents64", "execve"] as const;
export const RUNC_SYSCALLS_PRIVS = ["setgroups", "setresgid", "setresuid", "capget", "capset", "prctl", "getppid", "newfstatat", "faccessat2", ...RUNC_SYSCALLS_NO_NEW_PRIVS] as const;

/**
 * The syscalls an image's process makes, by image repository, and how it ends when one is refused.
 * hashicorp/http-echo: the list of the tutorial's fine-grained.json, which the page says allows
 * all the syscalls http-echo needs (found with the audit profile).
 */
export const IMAGE_SYSCALLS: Readonly<Record<string, { syscalls: readonly string[]; refusedExitCode: number }>> = {
  "hashicorp/http-echo": {
    syscalls: [
      "accept4", "epoll_wait", "pselect6", "futex", "madvise", "epoll_ctl", "getsockname", "setsockopt", "vfork", "mmap", "read", "write", "close",
      "arch_prctl", "sched_getaffinity", "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "sigaltstack", "gettid", "clone", "bind", "socket",
      "openat", "readlinkat", "exit_group", "epoll_create1", "listen", "rt_sigreturn", "sched_yield", "clock_gettime", "connect", "dup2",
      "epoll_pwait", "execve", "exit", "fcntl", "getpid", "getuid", "ioctl", "mprotect", "nanosleep", "open", "poll", "recvfrom", "sendto",
      "set_tid_address", "setitimer", "writev", "fstatfs", "getdents64", "pipe2", "getrlimit",
    ],
    // A Go program: the runtime's fatal error.
    refusedExitCode: 2,
  },
};

/** The repository of an image reference (`docker.io/hashicorp/http-echo:1.0` → `hashicorp/http-echo`). */
export function imageRepository(image: string): string {
  let ref = image.split("@", 1)[0]!;
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split("/");
  if (parts.length > 1 && (parts[0]!.includes(".") || parts[0]!.includes(":") || parts[0] === "localhost")) parts.shift();
  if (parts[0] === "library" && parts.length === 2) parts.shift();
  return parts.join("/");
}

/** The profile the kubelet asks for: Unconfined, RuntimeDefault, or a Localhost file's path. */
export function seccompProfileFor(pod: Pod, container: Container): { type: "Unconfined" | "RuntimeDefault" } | { type: "Localhost"; path: string } {
  if (container.securityContext?.privileged) return { type: "Unconfined" };
  const p = container.securityContext?.seccompProfile ?? pod.spec?.securityContext?.seccompProfile;
  if (!p || p.type === "Unconfined") return { type: "Unconfined" };
  if (p.type === "Localhost") {
    const name = p.localhostProfile ?? "";
    return { type: "Localhost", path: normalize(`${SECCOMP_PROFILE_ROOT}/${name}`) };
  }
  return { type: "RuntimeDefault" };
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const s of path.split("/")) {
    if (!s || s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return "/" + out.join("/");
}

/** contrib/seccomp WithProfile: the profile read from the node, or containerd's error. */
export function loadProfile(nodeFs: Vfs, path: string): SeccompProfile | { error: string } {
  const st = nodeFs.stat(path);
  if (!st) return { error: `cannot load seccomp profile "${path}": open ${path}: no such file or directory` };
  if (st.type === "dir") return { error: `cannot load seccomp profile "${path}": read ${path}: is a directory` };
  let raw: unknown;
  try {
    raw = JSON.parse(nodeFs.readFile(path));
  } catch (e) {
    return { error: `decoding seccomp profile failed "${path}": ${(e as Error).message}` };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { error: `decoding seccomp profile failed "${path}": json: cannot unmarshal ${Array.isArray(raw) ? "array" : typeof raw} into Go value of type specs.LinuxSeccomp` };
  const o = raw as { defaultAction?: unknown; syscalls?: unknown };
  const defaultAction = typeof o.defaultAction === "string" ? o.defaultAction : "";
  const syscalls: SyscallRule[] = [];
  for (const r of Array.isArray(o.syscalls) ? (o.syscalls as Array<{ names?: unknown; action?: unknown; args?: unknown }>) : []) {
    const names = Array.isArray(r?.names) ? r.names.filter((n): n is string => typeof n === "string") : [];
    syscalls.push({ names, action: typeof r?.action === "string" ? r.action : "", conditional: Array.isArray(r?.args) && r.args.length > 0 });
  }
  return { path, defaultAction, syscalls };
}

/** What the filter does with a call of `name` (an unconditional rule naming it, else the default action). */
export function actionFor(profile: SeccompProfile, name: string): string {
  for (const r of profile.syscalls) if (!r.conditional && r.names.includes(name)) return r.action;
  return profile.defaultAction;
}

/** Whether the action lets the call through (ALLOW, LOG; a tracer or listener is never there). */
export function allows(action: string): boolean {
  return action === "SCMP_ACT_ALLOW" || action === "SCMP_ACT_LOG";
}

function kills(action: string): boolean {
  return action === "SCMP_ACT_KILL" || action === "SCMP_ACT_KILL_PROCESS" || action === "SCMP_ACT_KILL_THREAD" || action === "SCMP_ACT_TRAP";
}

/** What the filter does to the container's start. */
export type SeccompOutcome =
  | { kind: "runs"; checkedImage: boolean }
  | { kind: "startError"; message: string }
  | { kind: "exits"; exitCode: number; syscall: string };

/** An action libseccomp does not know: runc cannot build the filter. */
function badAction(profile: SeccompProfile): string | undefined {
  for (const a of [profile.defaultAction, ...profile.syscalls.map((r) => r.action)]) if (!ACTIONS.has(a)) return a;
  return undefined;
}

/**
 * The start of a container whose filter is `profile`: runc's init syscalls, then the image's
 * (`containerId` names the task in containerd's error).
 */
export function startOutcome(profile: SeccompProfile, noNewPrivs: boolean, image: string, containerId: string): SeccompOutcome {
  const bad = badAction(profile);
  if (bad !== undefined) {
    return { kind: "startError", message: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: unable to init seccomp: invalid action ${JSON.stringify(bad)}: unknown` };
  }
  const runc = noNewPrivs ? RUNC_SYSCALLS_NO_NEW_PRIVS : RUNC_SYSCALLS_PRIVS;
  for (const s of runc) {
    if (!allows(actionFor(profile, s))) return { kind: "startError", message: `failed to start containerd task ${JSON.stringify(containerId)}: cannot start a stopped process: unknown` };
  }
  const needs = IMAGE_SYSCALLS[imageRepository(image)];
  if (!needs) return { kind: "runs", checkedImage: false };
  for (const s of needs.syscalls) {
    const a = actionFor(profile, s);
    if (allows(a)) continue;
    return { kind: "exits", exitCode: kills(a) ? 159 : needs.refusedExitCode, syscall: s };
  }
  return { kind: "runs", checkedImage: true };
}

/** Whether a profile refuses anything at all (one that allows every call needs no check). */
export function refusesAny(profile: SeccompProfile): boolean {
  return !allows(profile.defaultAction) || profile.syscalls.some((r) => !allows(r.action));
}
