/**
 * `kubectl cp <file-spec-src> <file-spec-dest>` as kubectl v1.32 does it
 * (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go, filespec.go): one side is a pod's path
 * (`[namespace/]pod:path`), the other a local one, and the copy runs `tar` in the container over
 * exec, so the image needs a tar (src/runtime/shell/tar.ts; an image without one fails as the
 * runtime makes it).
 *
 * - To a pod: kubectl checks the local path, asks the container `test -d DEST` (a directory: the
 *   source goes inside it), writes a tar of the source (Go's archive/tar, makeTar/recursiveTar,
 *   members named after DEST's base) and runs `tar -xmf - -C DIR` (with `--no-preserve`,
 *   `--no-same-permissions --no-same-owner` first) with the archive as its standard input.
 * - From a pod: `tar cf - PATH` (with `--retries`, `sh -c "tar cf - PATH | tail -c+N"`); what the
 *   container's tar prints on stderr, its `Removing leading '/'` warning included, goes to
 *   kubectl's standard output, as cp.go wires it. The archive's members lose their prefix and are
 *   written under the local destination (untarAll), with kubectl's warnings for a member outside it
 *   and for symlinks. kubectl finishes as soon as the archive ends, before the exec's status comes:
 *   a tar that fails after writing its archive (a missing path) leaves kubectl's exit code 0.
 *
 * The local side is the session's files (the kubectl context's LocalFiles: the project directory
 * read from disk, files written by `> path` and by `kubectl cp` kept in memory), owned by root, as
 * the local shell's user is.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import type { Pod } from "../../api/types.gen.ts";
import { ContainerNotRunningError, ExecFailedError, kubeletClient } from "../../api/kubeletclient.ts";
import { defaultContainer } from "../podcmd.ts";
import { decodeArchive, encodeArchive, type TarEntry } from "../../runtime/shell/tarformat.ts";

interface FileSpec {
  pod?: string;
  namespace?: string;
  file: string;
}

const FORMAT = "filespec must match the canonical format: [[namespace/]pod:]file/path";

/** filespec.go stripTrailingSlash. */
function stripTrailingSlash(f: string): string {
  return f !== "/" && f.endsWith("/") ? f.slice(0, -1) : f;
}

/** cp.go extractFileSpec. */
export function extractFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(":");
  if (i === 0) throw new KubectlError(FORMAT);
  if (i < 0) return { file: stripTrailingSlash(arg) };
  const pieces = arg.slice(0, i).split("/");
  // newRemotePath: a remote path is a Linux one; Windows separators become `/`.
  const file = stripTrailingSlash(arg.slice(i + 1)).replace(/\\/g, "/");
  if (pieces.length === 1) return { pod: pieces[0]!, file };
  if (pieces.length === 2) return { namespace: pieces[0]!, pod: pieces[1]!, file };
  throw new KubectlError(FORMAT);
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s || (rooted ? "/" : ".");
}

/** path.Dir. */
export function dirOf(p: string): string {
  const i = p.lastIndexOf("/");
  return cleanPath(i < 0 ? "" : p.slice(0, i + 1));
}

/** path.Base. */
export function baseOf(p: string): string {
  if (p === "") return ".";
  const t = p.replace(/\/+$/, "");
  if (t === "") return "/";
  return t.slice(t.lastIndexOf("/") + 1);
}

/** path.Join. */
export function joinPath(...parts: string[]): string {
  const s = parts.filter((x) => x !== "").join("/");
  return s === "" ? "" : cleanPath(s);
}

/** filespec.go stripPathShortcuts: leading `../` parts, a lone `.` or `..`, and a leading `/`. */
export function stripPathShortcuts(p: string): string {
  let s = p;
  while (s.startsWith("../")) s = s.slice(3);
  if (s === "." || s === "..") s = "";
  return s.startsWith("/") ? s.slice(1) : s;
}

/** filespec.go isRelative: filepath.Rel(base, target) is `.` or does not climb out. */
export function isRelative(base: string, target: string): boolean {
  const b = cleanPath(base);
  const t = cleanPath(target);
  if (b === t) return true;
  if (b === ".") return !t.startsWith("../") && t !== ".." && !t.startsWith("/");
  return t.startsWith(b === "/" ? "/" : b + "/");
}

export const cpCommand: CommandDef = {
  path: ["cp"],
  flags: [
    { long: "container", short: "c", type: "string" },
    { long: "no-preserve", type: "bool" },
    { long: "retries", type: "int", default: 0 },
  ],
  run(inv) {
    if (inv.args.length !== 2) throw new KubectlError("source and destination are required");
    const src = extractFileSpec(inv.args[0]!);
    const dest = extractFileSpec(inv.args[1]!);
    if (src.pod && dest.pod) throw new KubectlError("one of src or dest must be a local file specification");
    if (src.file === "" || dest.file === "") throw new KubectlError("filepath can not be empty");
    if (src.pod) return copyFromPod(inv, src, dest);
    if (dest.pod) return copyToPod(inv, src, dest);
    throw new KubectlError("one of src or dest must be a remote file specification");
  },
};

interface ExecRun {
  /** The exec's output. */
  stdout: string;
  /** Its exit code (undefined: killed after the simulated cap). */
  code: number | undefined;
}

/**
 * exec.ExecOptions.Run for cp's execute: the pod (NotFound from the API server), its phase, the
 * container (kubectl's default-container notice on `notices`), then the command through the
 * kubelet. Exec failures throw kubectl's errors; the exit code is returned.
 */
function execute(inv: Invocation, spec: FileSpec, command: string[], io: { stdin?: string; stdout?: (t: string) => void; stderr: (t: string) => void; notices: (t: string) => void }): ExecRun {
  const namespace = spec.namespace || inv.namespace;
  const pod = inv.ctx.api.getOrThrow("Pod", namespace, spec.pod!) as Pod;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = defaultContainer(pod, inv.flags.container, (t) => io.notices(t + "\n"));
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === container)) throw new KubectlError(`Error from server (BadRequest): container ${container} is not valid for pod ${pod.metadata.name}`, 1, true);
  let stdout = "";
  let code: number | undefined;
  try {
    const onOut = io.stdout;
    code = kubeletClient(inv.ctx).exec(pod, container, command, (t) => ((stdout += t), onOut?.(t)), { stderr: io.stderr, ...(io.stdin !== undefined ? { stdin: io.stdin } : {}) });
  } catch (e) {
    if (e instanceof ContainerNotRunningError) throw new KubectlError(`unable to upgrade connection: ${e.message}`);
    if (e instanceof ExecFailedError) throw new KubectlError(e.message.replace(/^rpc error: code = \w+ desc = (failed to exec in container: .*)$/s, "Internal error occurred: error executing command in container: $1"));
    throw e;
  }
  return { stdout, code };
}

/** cmdutil.CheckErr of an exec.CodeExitError: the message alone, and the command's code as kubectl's. */
function exitError(code: number | undefined): KubectlError {
  if (code === undefined) return new KubectlError("command did not finish within 10 minutes of simulated time and was killed");
  return new KubectlError(`command terminated with exit code ${code}`, code, true);
}

function writeRaw(inv: Invocation, text: string, stream: "out" | "err"): void {
  if (!text) return;
  const raw = stream === "out" ? inv.write : inv.writeErr;
  if (raw) raw(text);
  else (stream === "out" ? inv.out : inv.err)(text.replace(/\n$/, ""));
}

// ---- to a pod --------------------------------------------------------------------------------

function copyToPod(inv: Invocation, src: FileSpec, dest: FileSpec): number {
  const files = inv.ctx.files;
  if (!files.kind(src.file)) throw new KubectlError(`${src.file} doesn't exist in local filesystem`);
  let destFile = dest.file;
  // checkDestinationIsDir: `test -d DEST` with its output discarded; any error means "not a directory".
  try {
    const r = execute(inv, dest, ["test", "-d", dest.file], { stderr: () => {}, notices: () => {} });
    if (r.code === 0) destFile = joinPath(destFile, baseOf(src.file));
  } catch {
    // Not a directory (or no pod: the tar's exec below says so).
  }
  const archive = makeTar(inv, src.file, destFile);
  const cmd = inv.flags["no-preserve"] ? ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-"] : ["tar", "-xmf", "-"];
  const destDir = dirOf(destFile);
  if (destDir.length > 0) cmd.push("-C", destDir);
  let out = "";
  const r = execute(inv, dest, cmd, { stdin: archive, stderr: (t) => writeRaw(inv, t, "err"), notices: (t) => writeRaw(inv, t, "err") });
  out += r.stdout;
  writeRaw(inv, out, "out");
  if (r.code !== 0) throw exitError(r.code);
  return 0;
}

/** cp.go makeTar/recursiveTar: the source's files named under DEST's base, as Go's archive/tar writes them. */
function makeTar(inv: Invocation, src: string, dest: string): string {
  const files = inv.ctx.files;
  const srcPath = cleanPath(src);
  const destPath = cleanPath(dest);
  const mtime = Math.floor(inv.ctx.clock.now() / 1000);
  const entries: TarEntry[] = [];
  const owner = { uid: 0, gid: 0, uname: "root", gname: "root", mtime, linkname: "" };
  const walk = (local: string, name: string) => {
    const kind = files.kind(local);
    if (kind === "dir") {
      const children = files.list(local);
      // An empty directory is a member of its own (named without a trailing slash); others are their files.
      if (children.length === 0) entries.push({ ...owner, name, type: "dir", mode: 0o755, data: "" });
      for (const c of children) walk(joinPath(local, c), joinPath(name, c));
      return;
    }
    if (kind === "file") entries.push({ ...owner, name, type: "file", mode: 0o644, data: files.read(local).toString("utf8") });
  };
  walk(srcPath, baseOf(destPath));
  return encodeArchive(entries, "go");
}

// ---- from a pod ------------------------------------------------------------------------------

/** Whether the stream holds a whole archive: its end (a zero block after the members) has come. */
function archiveEnded(stream: string): boolean {
  const read = decodeArchive(stream);
  return read.problems.length === 0 && stream.length >= 1024;
}

function copyFromPod(inv: Invocation, src: FileSpec, dest: FileSpec): number {
  const retries = Number(inv.flags.retries ?? 0);
  const command = retries !== 0 ? ["sh", "-c", `tar cf - ${src.file} | tail -c+1`] : ["tar", "cf", "-", src.file];
  // The tar's stderr and the default-container notice go to kubectl's stdout (ErrOut: o.Out in cp.go),
  // in the order the container wrote them; kubectl is gone once the archive has ended, and what the
  // tar says after it (GNU's `Exiting with failure status…`, busybox's `error exit delayed…`) is lost.
  let stream = "";
  let ended = false;
  const r = execute(inv, src, command, {
    stdout: (t) => {
      stream += t;
      ended ||= archiveEnded(stream);
    },
    stderr: (t) => {
      if (!ended) writeRaw(inv, t, "out");
    },
    notices: (t) => writeRaw(inv, t, "out"),
  });
  const read = decodeArchive(r.stdout);
  // Without a whole archive kubectl waits on the stream until the exec ends, and its error wins.
  if (!ended && r.code !== 0) throw exitError(r.code);
  // A stream cut short (GNU tar's padding never is): archive/tar's io.ErrUnexpectedEOF.
  if (read.problems.includes("eof") || read.problems.includes("short")) throw new KubectlError("unexpected EOF");
  if (read.problems.includes("not-tar") || read.problems.includes("skipped")) throw new KubectlError("archive/tar: invalid tar header");
  const prefix = stripPathShortcuts(cleanPath(src.file.replace(/^[/\\]+/, "")));
  const files = inv.ctx.files;
  if (!files.write) throw new KubectlError(`writing ${JSON.stringify(dest.file)} is not simulated here`);
  let symlinkWarned = false;
  for (const e of read.entries) {
    if (!e.name.startsWith(prefix)) throw new KubectlError("tar contents corrupted");
    const rest = stripTrailingSlash(e.name.slice(prefix.length));
    const destFileName = joinPath(dest.file, rest) || dest.file;
    if (!isRelative(dest.file, destFileName)) {
      writeRaw(inv, `warning: file ${JSON.stringify(destFileName)} is outside target destination, skipping\n`, "err");
      continue;
    }
    if (e.type === "dir") continue;
    if (e.type === "symlink") {
      // The namespace is the one the file spec names, empty when it names none (untarAll's ns).
      const hint = ` (consider using "kubectl exec -n ${JSON.stringify(src.namespace ?? "")} ${JSON.stringify(src.pod)} -- tar cf - ${JSON.stringify(src.file)} | tar xf -")`;
      writeRaw(inv, `warning: skipping symlink: ${JSON.stringify(destFileName)} -> ${JSON.stringify(e.linkname)}${symlinkWarned ? "" : hint}\n`, "err");
      symlinkWarned = true;
      continue;
    }
    if (files.kind(destFileName) === "dir") throw new KubectlError(`open ${destFileName}: is a directory`);
    files.write(destFileName, e.data);
  }
  return 0;
}
