/**
 * The image runtime: how a container of a catalogue image starts, as containerd and the image's
 * own entrypoint make it start.
 *
 * 1. The process arguments are the container's command/args combined with the image's
 *    ENTRYPOINT/CMD (./config.ts).
 * 2. An entrypoint script the model knows (`docker-entrypoint.sh`, nginx's `/docker-entrypoint.sh`)
 *    prints what the real script prints, checks what it checks (postgres without
 *    POSTGRES_PASSWORD exits 1 with the script's message) and then `exec`s the rest.
 * 3. A program the model knows (`nginx`, `redis-server`, `/agnhost`, `stress`, `/pause`) runs as the
 *    main process (src/images/programs/).
 * 4. Anything else runs in the image's shell, with the image's own commands (`perl`, `redis-cli`,
 *    `nginx -s quit`) beside the shell's applets; an image without a shell (`pause`, `vish/stress`)
 *    cannot run it, and the runtime's error becomes the container's StartError.
 */
import type { ContainerLaunch, ContainerProcess, HttpOutcome, HttpRequestSpec, ImageBehaviour, ProcessIO, Vfs } from "../runtime/types.ts";
import { createShellProcess, isShell, startError, type CommandFn } from "../runtime/shell/index.ts";
import { containerArgs, type ImageConfig } from "./config.ts";
import { modelData, modelFiles, modelOwners, pullDurationMs, type ImageModelData, type ShellKind } from "./catalogue.ts";
import { ExitAtOnce } from "./processes.ts";
import { fakeDigest } from "./reference.ts";
import type { ApiServer } from "../api/store.ts";
import type { ClusterContext } from "../context.ts";
import { spaceApp, stopShellServers } from "./programs/shellservers.ts";
import { foundOnPath, isPathBound } from "./programs/pathcommands.ts";
import { imagePrograms, type ImagePrograms } from "./commandsets.ts";

/** What starting a main process needs besides the container: the image and the scenario's start delay. */
export interface ProgramContext {
  /** `docker.io/library/nginx:1.14.2` */
  image: string;
  /** The tag (`1.14.2`, `latest`). */
  tag: string;
  config: ImageConfig;
  /** `Given the image "x" takes 20 seconds to start`: the program opens its ports this much later. */
  startMs: number;
  /**
   * The cluster's API server, for programs that are Kubernetes clients (metrics-server, ingress-nginx,
   * kube-webhook-certgen): they reach it as their pod's service account (./incluster.ts). Absent in
   * a registry without a cluster (unit tests of images alone).
   */
  api?: ApiServer;
  /**
   * A request the program makes while computing an answer, answered at once with how long it takes
   * (src/network/network.ts `exchange`), sent from its pod. Absent without a cluster.
   */
  exchange?: Exchange;
  /**
   * The cluster itself, for a program that runs one of its components' code (kube-scheduler in a
   * pod: ./programs/kubescheduler.ts). Absent without a cluster.
   */
  cluster?: ClusterContext;
}

/** An HTTP request from a pod, answered at once: the outcome and the ms it takes. */
export type Exchange = (req: HttpRequestSpec, from: { namespace: string; name: string }) => { outcome: HttpOutcome; afterMs: number };

/** Starts a program as the main process; undefined when these arguments make it a plain command (`nginx -v`). */
export type ProgramFactory = (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => ContainerProcess | undefined;

/** An entrypoint script: its output and checks, then the arguments it execs (or the code it exits with). */
export type EntrypointWrapper = (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => { exec: string[] } | { exitCode: number } | undefined;

/** What an image model runs (the data part is in data/models.json). */
export interface ModelBehaviour {
  /** Main-process programs by name (`nginx`) or full path (`/docker-entrypoint.sh`). */
  programs?: Record<string, ProgramFactory>;
  /** Entrypoint scripts by name or path. */
  entrypoints?: Record<string, EntrypointWrapper>;
  /** Commands the image's shell has beside its applets (they also run as the main process). */
  commands?: Record<string, CommandFn>;
  /** Commands a tag of the image has beside `commands` (busybox's nslookup changed in 1.29). */
  tagCommands?: (tag: string, repository: string) => Record<string, CommandFn> | undefined;
  /**
   * The programs the image has on PATH (./commandsets.ts, data/commands.json): the shell's applets
   * outside it are not found unless a package installed later put their file on PATH. Absent: every applet.
   */
  onPath?: ImagePrograms;
  /** Commands of the image's shell can start servers (nginx, httpd, redis): a shell main process answers for them. */
  serversInShell?: boolean;
  /** Decides before anything else (the generic image without a command runs the generic process). */
  intercept?: (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => ContainerProcess | undefined;
  /** Runs when nothing else matches (the course's init image waits; the generic image runs generically). */
  fallback?: (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => ContainerProcess | undefined;
}

function byName<T>(table: Record<string, T> | undefined, name: string): T | undefined {
  if (!table || !name) return undefined;
  const exact = table[name];
  if (exact) return exact;
  const base = name.slice(name.lastIndexOf("/") + 1);
  // A bare name is found on PATH; a path must be one the image's programs live at.
  if (!name.includes("/") || /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(name) || /^\.?\/[^/]+$/.test(name)) return table[base];
  return undefined;
}

/** The runtime's error when the image has no such command. */
function notFound(name: string): string {
  const prefix = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";
  if (name.includes("/")) return `${prefix}exec: "${name}": stat ${name}: no such file or directory: unknown`;
  return `${prefix}exec: "${name}": executable file not found in $PATH: unknown`;
}

/** The directories a package puts its programs in (what `apt-get install` writes: src/images/programs/apt.ts). */
const BIN_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Which applets the image's shell finds: the image's programs, and a program whose file was installed later. */
function hasCommandOf(shell: ShellKind, behaviour: ModelBehaviour, fs: Vfs): ((name: string) => boolean) | undefined {
  if (shell === "none") return () => false;
  const onPath = behaviour.onPath?.commands;
  if (!onPath) return undefined;
  return (name) => onPath.has(name) || BIN_DIRS.some((d) => fs.stat(`${d}/${name}`)?.type === "file");
}

function shellOptions(shell: ShellKind, behaviour: ModelBehaviour, fs: Vfs, binSh?: "dash") {
  return {
    commands: behaviour.commands,
    hasCommand: hasCommandOf(shell, behaviour, fs),
    binSh,
    ...(behaviour.onPath?.usrMerged ? { usrMerged: true } : {}),
  };
}

/** Starts argv as the image would: entrypoint scripts, programs, the shell. */
export function startArgv(argv: string[], l: ContainerLaunch, shell: ShellKind, behaviour: ModelBehaviour, ctx: ProgramContext, depth = 0, binSh?: "dash"): ContainerProcess {
  const name = argv[0] ?? "";
  if (depth < 4) {
    // An entrypoint script may decline (undefined): the arguments then run as they are.
    const r = byName(behaviour.entrypoints, name)?.(argv, l, ctx);
    if (r && "exitCode" in r) return new ExitAtOnce(l.io.clock, r.exitCode);
    if (r) return startArgv(r.exec, l, shell, behaviour, ctx, depth + 1, binSh);
    const program = byName(behaviour.programs, name)?.(argv, l, ctx);
    if (program) return program;
  }
  const opts = shellOptions(shell, behaviour, l.io.fs, binSh);
  const known = !!name && (!!byName(behaviour.commands, name) || (shell !== "none" && (isShell(argv) || !startError(argv, l.io, opts))));
  if (!known) {
    const other = behaviour.fallback?.(argv, l, ctx);
    if (other) return other;
  }
  if (!name) throw new Error("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: no command: unknown");
  const err = startError(argv, l.io, opts);
  if (err || (shell === "none" && !byName(behaviour.commands, name))) throw new Error(err ?? notFound(name));
  const proc = createShellProcess(argv, l.io, { pid1: true, ...(l.stdin !== undefined ? { stdin: l.stdin } : {}), ...(l.stdinPipe ? { stdinPipe: l.stdinPipe } : {}), ...opts });
  if (!behaviour.serversInShell) return proc;
  const space = (l.io.container ??= {});
  return {
    app: spaceApp(space),
    start: (onExit) =>
      proc.start((code) => {
        stopShellServers(space);
        onExit(code);
      }),
    kill: (signal) => proc.kill(signal),
  };
}

/** `kubectl exec`, exec probes and hooks in a container of this image. */
export function execIn(argv: string[], io: ProcessIO, shell: ShellKind, behaviour: ModelBehaviour, stdin?: string, binSh?: "dash"): ContainerProcess | Error {
  const name = argv[0] ?? "";
  const opts = shellOptions(shell, behaviour, io.fs, binSh);
  if (shell === "none" && !byName(behaviour.commands, name)) {
    // containerd's CRI error for an exec whose binary the image lacks (exec probes report it as is).
    const execID = fakeDigest(`${io.hostname}/${argv.join(" ")}/${io.clock.now()}`);
    const what = name.includes("/") ? `stat ${name}: no such file or directory` : "executable file not found in $PATH";
    return new Error(`rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${execID}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${what}: unknown`);
  }
  const own = byName(behaviour.commands, name);
  if (isPathBound(own) && !foundOnPath(io.fs, name, io.env.PATH ?? "")) {
    // A program of the image whose file is gone (`mv /usr/bin/mysql /usr/bin/mysql.off`): containerd cannot start it.
    const execID = fakeDigest(`${io.hostname}/${argv.join(" ")}/${io.clock.now()}`);
    const what = name.includes("/") ? `stat ${name}: no such file or directory` : "executable file not found in $PATH";
    return new Error(`rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${execID}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${what}: unknown`);
  }
  if (!isShell(argv) && opts.hasCommand && startError(argv, io, opts)) {
    // A program the image does not have (`kubectl exec ubuntu -- curl …`): containerd cannot start it.
    const execID = fakeDigest(`${io.hostname}/${argv.join(" ")}/${io.clock.now()}`);
    const what = name.includes("/") ? `stat ${name}: no such file or directory` : "executable file not found in $PATH";
    return new Error(`rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${execID}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${what}: unknown`);
  }
  return createShellProcess(argv, io, { stdin, ...opts });
}

/** `"uid:gid"` owners as the runtime takes them. */
function ownerTable(owners: Record<string, string> | undefined): Record<string, { uid: number; gid: number }> | undefined {
  if (!owners) return undefined;
  const out: Record<string, { uid: number; gid: number }> = {};
  for (const [path, owner] of Object.entries(owners)) {
    const [uid, gid] = owner.split(":").map(Number);
    out[path] = { uid: uid ?? 0, gid: gid ?? 0 };
  }
  return out;
}

/** The ImageBehaviour of a catalogue model for one image reference. */
export function modelImage(
  model: string,
  behaviour: ModelBehaviour,
  image: { repository: string; fullName: string; tag: string },
  startMs: () => number,
  api?: ApiServer,
  exchange?: Exchange,
  /** The model's data when it is not in models.json (an official image's config: ./official.ts). */
  ownData?: ImageModelData,
  cluster?: ClusterContext,
): ImageBehaviour {
  const data = ownData ?? modelData(model);
  const shell = data.shell;
  const own = behaviour.tagCommands?.(image.tag, image.repository);
  if (own) behaviour = { ...behaviour, commands: { ...behaviour.commands, ...own } };
  const onPath = imagePrograms(model, image.tag, image.repository);
  if (onPath) behaviour = { ...behaviour, onPath };
  // The image's version variable follows a version-like tag (`nginx:1.14.2` has NGINX_VERSION=1.14.2).
  let env = data.config.env;
  const tv = data.tagVersion;
  if (env && tv && new RegExp(tv.pattern).test(image.tag)) env = { ...env, [tv.env]: new RegExp(tv.pattern).exec(image.tag)![1]! };
  // A tag line whose Dockerfile sets other versions (mysql:5.7 is 5.7.44-1.el7 on Oracle Linux 7).
  const line = data.tagEnv?.find((t) => new RegExp(t.pattern).test(image.tag));
  if (env && line) env = { ...env, ...line.env };
  return {
    repository: image.repository,
    sizeBytes: data.sizeBytes,
    pullMs: data.pullMs ?? pullDurationMs(data.sizeBytes),
    hasShell: shell !== "none",
    files: ownData ? ownData.files : modelFiles(model),
    owners: ownData ? ownerTable(ownData.owners) : modelOwners(model),
    env,
    workingDir: data.config.workingDir,
    user: data.config.user,
    argv: (container) => containerArgs(data.config, container),
    launch(l: ContainerLaunch): ContainerProcess {
      const ctx: ProgramContext = { image: image.fullName, tag: image.tag, config: { ...data.config, env }, startMs: startMs(), ...(api ? { api } : {}), ...(exchange ? { exchange } : {}), ...(cluster ? { cluster } : {}) };
      const argv = containerArgs(data.config, l.container);
      const proc = behaviour.intercept?.(argv, l, ctx) ?? startArgv(argv, l, shell, behaviour, ctx, 0, data.binSh);
      if (l.io.container) l.io.container.main = proc;
      return proc;
    },
    exec: (argv, io, stdin) => execIn(argv, io, shell, behaviour, stdin, data.binSh),
  };
}
