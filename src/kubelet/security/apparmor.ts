/**
 * AppArmor on a node and in its containers, as far as the kubelet, containerd and the kernel show it:
 *
 * - The node's kernel holds the loaded profiles (`apparmor_parser` loads them; the
 *   `/sys/kernel/security/apparmor/profiles` file lists them as `name (mode)`). Nodes are modelled
 *   as AppArmor-enabled hosts (`/sys/module/apparmor/parameters/enabled` is `Y`), as the page's
 *   nodes are; the kernel starts with no profile and containerd loads its default one,
 *   `cri-containerd.apparmor.d`, the first time a container needs it (containerd's
 *   apparmor.WithDefaultProfile: LoadDefaultProfile when it is not loaded yet).
 * - Which profile a container runs with is the kubelet's choice (pkg/security/apparmor/helpers.go
 *   GetProfile, v1.32): the container's `securityContext.appArmorProfile`, else the deprecated
 *   `container.apparmor.security.beta.kubernetes.io/<container>` annotation (static pods may not
 *   have had it synced to the field), else the pod's `securityContext.appArmorProfile`.
 * - containerd 1.7 (internal/cri/server/container_create_linux.go generateApparmorSpecOpts): no
 *   profile means the runtime default; `Unconfined` none; `RuntimeDefault` the default profile
 *   (none for a privileged container); `Localhost` the named profile, which must be loaded, else
 *   `apparmor profile not found <name>`, wrapped by containerSpecOpts and CreateContainer as
 *   `failed to get container spec opts: failed to generate apparmor spec opts: …` (the kubelet's
 *   CreateContainerError).
 * - The kernel confines the container's processes: `/proc/<pid>/attr/current` reads
 *   `<profile> (<mode>)`, and a profile's file rules decide what the processes may read and write
 *   (an access needs an allow rule and no deny rule; complain mode allows and only logs).
 *
 * What is modelled of the profile language: `#include` lines and comments (skipped: the abstractions
 * they pull in grant what a process needs to run), `profile NAME [flags=(...)] { ... }` and
 * `NAME [flags=(...)] { ... }` blocks, the `file,` rule (all file access), file rules
 * `[audit] [deny] [owner] [file] PATH PERMS,` with AppArmor's globbing (`*`, `**`, `?`, `{a,b}`,
 * `[...]`) and the `r`, `w`, `a`, `l`, `k`, `m`, `x` permissions (`w` and `a` guard writes, `r`
 * reads). Other rules (capability, network, signal, mount, …) are accepted and not enforced; the
 * runtime default profile is modelled as allowing file access (docs/divergences.md).
 */
import type { Container, Pod, AppArmorProfile as ApiAppArmorProfile } from "../../api/types.gen.ts";
import { VfsError, type Vfs, type VfsOwner, type VfsStat } from "../../runtime/types.ts";

/** The key prefix of the deprecated per-container annotation (api.DeprecatedAppArmorAnnotationKeyPrefix). */
export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
/** containerd's runtime default profile (appArmorDefaultProfileName). */
export const CONTAINERD_DEFAULT_PROFILE = "cri-containerd.apparmor.d";
/** Where the kernel lists the loaded profiles. */
export const PROFILES_FILE = "/sys/kernel/security/apparmor/profiles";
/** Whether the AppArmor module is enabled. */
export const ENABLED_FILE = "/sys/module/apparmor/parameters/enabled";

export type AppArmorMode = "enforce" | "complain";

interface FileRule {
  deny: boolean;
  /** The path pattern as a regular expression; undefined for `file,` (every path). */
  path: RegExp | undefined;
  read: boolean;
  write: boolean;
}

/** A profile as the kernel holds it. */
export interface LoadedProfile {
  name: string;
  mode: AppArmorMode;
  rules: readonly FileRule[];
}

/** The AppArmor profile attachment glob (apparmor.d(5) "Globbing") as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) throw new Error(`unterminated character class in ${JSON.stringify(glob)}`);
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1).replace(/[\\\]]/g, "\\$&");
      else cls = cls.replace(/[\\\]^]/g, "\\$&");
      re += `[${cls}]`;
      i = end;
    } else re += c.replace(/[.+^$()|\\\]]/g, "\\$&");
  }
  if (braces > 0) throw new Error(`unterminated alternation in ${JSON.stringify(glob)}`);
  return new RegExp(`^${re}$`);
}

/** A parse failure, with the line it was found on. */
export class AppArmorParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "AppArmorParseError";
  }
}

const FILE_PERMS = /^[rwalkmixXpPcCuU]+$/;
/** Rule kinds of the language that are accepted and not enforced here. */
const OTHER_RULES = new Set([
  "capability", "network", "signal", "ptrace", "mount", "remount", "umount", "pivot_root", "unix", "dbus", "change_profile",
  "rlimit", "set", "userns", "io_uring", "mqueue", "link", "include", "abi", "alias",
]);

/** Strips a comment (`#` not starting `#include`) from a line. */
function stripComment(line: string): string {
  const t = line.trim();
  if (/^#\s*include\b/.test(t)) return "";
  const i = line.indexOf("#");
  return (i < 0 ? line : line.slice(0, i)).trim();
}

/** The profiles of an apparmor_parser input (several may be given; the text outside blocks may only hold includes and comments). */
export function parseProfiles(text: string): LoadedProfile[] {
  const lines = text.split("\n");
  const profiles: LoadedProfile[] = [];
  let current: { name: string; mode: AppArmorMode; rules: FileRule[]; line: number } | undefined;
  let depth = 0;
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const raw = lines[n]!;
    const line = stripComment(raw);
    if (!line) continue;
    if (/^@\{[^}]+\}\s*\+?=/.test(line)) continue; // a variable definition (@{HOME}=...)
    if (!current) {
      const m = /^(?:profile\s+)?(\S+)(?:\s+(\/\S*))?(?:\s+flags\s*=\s*\(([^)]*)\))?\s*\{$/.exec(line);
      if (!m) throw new AppArmorParseError(lineNo, `syntax error, unexpected ${JSON.stringify(line)}, expecting a profile`);
      if (!line.startsWith("profile") && !m[1]!.startsWith("/")) {
        throw new AppArmorParseError(lineNo, `syntax error, unexpected ${JSON.stringify(line)}, expecting a profile`);
      }
      const flags = (m[3] ?? "").split(/[\s,]+/).filter(Boolean);
      for (const f of flags) {
        if (!["complain", "enforce", "attach_disconnected", "chroot_relative", "namespace_relative", "mediate_deleted", "delegate_deleted", "no_attach_disconnected", "unconfined", "audit", "kill"].includes(f)) {
          throw new AppArmorParseError(lineNo, `Invalid profile flag: ${f}.`);
        }
      }
      current = { name: m[1]!, mode: flags.includes("complain") ? "complain" : "enforce", rules: [], line: lineNo };
      depth = 1;
      continue;
    }
    if (line === "}") {
      depth--;
      if (depth === 0) {
        profiles.push({ name: current.name, mode: current.mode, rules: Object.freeze(current.rules) });
        current = undefined;
      }
      continue;
    }
    if (line.endsWith("{")) {
      // A child profile or hat: its rules apply to it, not to the profile's processes.
      depth++;
      continue;
    }
    if (depth > 1) continue;
    if (!line.endsWith(",")) throw new AppArmorParseError(lineNo, `syntax error, unexpected end of line in ${JSON.stringify(line)} (rules end with ",")`);
    const words = line.slice(0, -1).trim().split(/\s+/);
    const rule = parseRule(words, lineNo);
    if (rule) current.rules.push(rule);
  }
  if (current) throw new AppArmorParseError(lines.length, `syntax error, unexpected end of file: profile ${JSON.stringify(current.name)} is not closed`);
  if (profiles.length === 0) throw new AppArmorParseError(lines.length, "no profile found");
  return profiles;
}

function parseRule(words: string[], lineNo: number): FileRule | undefined {
  let deny = false;
  while (words[0] === "audit" || words[0] === "deny" || words[0] === "allow" || words[0] === "owner" || words[0] === "other") {
    if (words[0] === "deny") deny = true;
    words = words.slice(1);
  }
  if (words.length === 0) throw new AppArmorParseError(lineNo, "syntax error, unexpected ','");
  if (words[0] === "file") {
    if (words.length === 1) return { deny, path: undefined, read: true, write: true };
    words = words.slice(1);
  }
  if (OTHER_RULES.has(words[0]!)) return undefined;
  // PATH PERMS or PERMS PATH (optionally `-> target` after either).
  const arrow = words.indexOf("->");
  if (arrow >= 0) words = words.slice(0, arrow);
  let path: string | undefined;
  let perms: string | undefined;
  if (words.length === 2 && (words[0]!.startsWith("/") || words[0]!.startsWith("@"))) [path, perms] = words as [string, string];
  else if (words.length === 2 && (words[1]!.startsWith("/") || words[1]!.startsWith("@"))) [perms, path] = words as [string, string];
  if (path === undefined || perms === undefined || !FILE_PERMS.test(perms)) {
    throw new AppArmorParseError(lineNo, `syntax error in rule ${JSON.stringify(words.join(" ") + ",")}: expecting a path and its permissions`);
  }
  // Variables of the tunables (@{PROC}, @{HOME}...) are expanded to the paths they stand for in a container.
  const expanded = path.replace(/@\{PROC\}/g, "/proc").replace(/@\{HOME\}/g, "{/root,/home/*}").replace(/@\{sys\}/g, "/sys").replace(/@\{run\}/g, "/run").replace(/@\{pid\}/g, "[0-9]*");
  if (/@\{/.test(expanded)) throw new AppArmorParseError(lineNo, `Found reference to variable ${/@\{[^}]*\}/.exec(expanded)![0]}, but is never declared`);
  let re: RegExp;
  try {
    re = globToRegExp(expanded);
  } catch (e) {
    throw new AppArmorParseError(lineNo, (e as Error).message);
  }
  return { deny, path: re, read: /r/.test(perms), write: /[wa]/.test(perms) };
}

/** What a profile allows on a path (an allow rule grants it, no deny rule takes it away). */
export function profileAllows(profile: LoadedProfile, path: string, want: "read" | "write"): boolean {
  let allowed = false;
  for (const r of profile.rules) {
    if (!r[want]) continue;
    if (r.path !== undefined && !r.path.test(path)) continue;
    if (r.deny) return false;
    allowed = true;
  }
  return allowed;
}

/** The kernel's AppArmor state of one node. */
export class NodeAppArmor {
  private readonly profiles = new Map<string, LoadedProfile>();

  constructor(private readonly nodeFs?: Vfs) {
    if (nodeFs) {
      nodeFs.mkdir("/sys/module/apparmor/parameters", { recursive: true });
      nodeFs.writeFile(ENABLED_FILE, "Y\n");
      nodeFs.mkdir("/sys/kernel/security/apparmor", { recursive: true });
      this.publish();
    }
  }

  get(name: string): LoadedProfile | undefined {
    return this.profiles.get(name);
  }

  has(name: string): boolean {
    return this.profiles.has(name);
  }

  /** Loads a profile; `replace` replaces one of the same name, else that is an error (EEXIST). */
  load(p: LoadedProfile, replace: boolean): "exists" | undefined {
    if (this.profiles.has(p.name) && !replace) return "exists";
    this.profiles.set(p.name, p);
    this.publish();
    return undefined;
  }

  remove(name: string): boolean {
    const had = this.profiles.delete(name);
    if (had) this.publish();
    return had;
  }

  /** containerd's LoadDefaultProfile: the runtime default, loaded once when first needed. */
  ensureDefault(): LoadedProfile {
    let p = this.profiles.get(CONTAINERD_DEFAULT_PROFILE);
    if (!p) {
      p = { name: CONTAINERD_DEFAULT_PROFILE, mode: "enforce", rules: [{ deny: false, path: undefined, read: true, write: true }] };
      this.load(p, false);
    }
    return p;
  }

  /** `/sys/kernel/security/apparmor/profiles`: one `name (mode)` a line, in load order. */
  text(): string {
    return [...this.profiles.values()].map((p) => `${p.name} (${p.mode})\n`).join("");
  }

  private publish(): void {
    this.nodeFs?.writeFile(PROFILES_FILE, this.text());
  }
}

/** The AppArmor profile the kubelet picks for a container (GetProfile, v1.32). */
export function getProfile(pod: Pod, container: Container): ApiAppArmorProfile | undefined {
  const own = container.securityContext?.appArmorProfile;
  if (own) return own;
  const ann = pod.metadata?.annotations?.[APPARMOR_ANNOTATION_PREFIX + container.name];
  if (ann !== undefined) {
    if (ann === "runtime/default") return { type: "RuntimeDefault" };
    if (ann === "unconfined") return { type: "Unconfined" };
    if (ann.startsWith("localhost/")) return { type: "Localhost", localhostProfile: ann.slice("localhost/".length) };
    // An unknown value: the API server's validation refuses it; nothing the kubelet can apply.
    return undefined;
  }
  return pod.spec?.securityContext?.appArmorProfile;
}

/** How a container is confined: the kernel's label, its mode and the profile (undefined: unconfined). */
export interface Confinement {
  profile: LoadedProfile | undefined;
}

/**
 * containerd's generateApparmorSpecOpts for the kubelet's choice: the profile the container runs
 * with, or the error CreateContainer returns (the kubelet's CreateContainerError message).
 */
export function confine(pod: Pod, container: Container, node: NodeAppArmor): Confinement | { error: string } {
  const p = getProfile(pod, container);
  const privileged = container.securityContext?.privileged === true;
  const type = p?.type ?? "RuntimeDefault";
  if (type === "Unconfined") return { profile: undefined };
  if (type === "RuntimeDefault") return privileged ? { profile: undefined } : { profile: node.ensureDefault() };
  if (type === "Localhost") {
    const name = p?.localhostProfile ?? "";
    const loaded = node.get(name);
    if (!loaded) return { error: `failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found ${name}` };
    return { profile: loaded };
  }
  return { error: "failed to get container spec opts: failed to generate apparmor spec opts: unsupported apparmor profile type" };
}

/** `/proc/<pid>/attr/current` of a process so confined. */
export function attrCurrent(c: Confinement): string {
  return c.profile ? `${c.profile.name} (${c.profile.mode})\n` : "unconfined\n";
}

/**
 * A container's filesystem as its confined processes reach it: an access the profile (in enforce
 * mode) does not allow fails with EACCES, before the filesystem's own checks.
 */
export class AppArmorFs implements Vfs {
  constructor(
    private readonly inner: Vfs,
    private readonly profile: LoadedProfile,
  ) {}

  private need(path: string, want: "read" | "write"): void {
    if (this.profile.mode === "enforce" && !profileAllows(this.profile, path, want)) throw new VfsError("EACCES", path);
  }

  stat(path: string): VfsStat | undefined {
    return this.inner.stat(path);
  }

  readFile(path: string): string {
    this.need(path, "read");
    return this.inner.readFile(path);
  }

  writeFile(path: string, data: string, opts?: { append?: boolean; mode?: number; owner?: VfsOwner }): void {
    this.need(path, "write");
    this.inner.writeFile(path, data, opts);
  }

  mkdir(path: string, opts?: { recursive?: boolean; mode?: number; owner?: VfsOwner }): void {
    if (!(opts?.recursive && this.inner.stat(path))) this.need(path.endsWith("/") ? path : `${path}/`, "write");
    this.inner.mkdir(path, opts);
  }

  readdir(path: string): string[] {
    this.need(path.endsWith("/") ? path : `${path}/`, "read");
    return this.inner.readdir(path);
  }

  unlink(path: string): void {
    this.need(path, "write");
    this.inner.unlink(path);
  }

  rmdir(path: string, opts?: { recursive?: boolean }): void {
    this.need(path.endsWith("/") ? path : `${path}/`, "write");
    this.inner.rmdir(path, opts);
  }

  touch(path: string, opts?: { owner?: VfsOwner }): void {
    this.need(path, "write");
    this.inner.touch(path, opts);
  }

  chown(path: string, uid: number, gid: number): void {
    this.need(path, "write");
    if (!this.inner.chown) throw new VfsError("EROFS", path);
    this.inner.chown(path, uid, gid);
  }

  chmod(path: string, mode: number): void {
    this.need(path, "write");
    if (!this.inner.chmod) throw new VfsError("EROFS", path);
    this.inner.chmod(path, mode);
  }
}
