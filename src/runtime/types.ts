/**
 * The contracts between the kubelet's container runtime and what runs inside containers:
 * filesystems (node, image, volumes), processes (shell interpreter, application models) and
 * images. Everything runs in simulated time: a process that sleeps sets a timer on the clock.
 *
 * Implementations:
 * - `Vfs`: src/runtime/vfs.ts (in-memory filesystem and a mount table over it)
 * - shell processes: src/runtime/shell/ (a POSIX sh interpreter)
 * - application models: src/images/apps/ (kubetm/app, nginx, user-declared)
 * - the image catalogue: src/images/registry.ts
 */
import type { SimClock } from "../sim/clock.ts";
import type { Container, Pod } from "../api/types.gen.ts";
import type { Pipe } from "./shell/pipe.ts";

// ---- filesystems --------------------------------------------------------------------------

export type VfsErrorCode = "ENOENT" | "EISDIR" | "ENOTDIR" | "EEXIST" | "EROFS" | "ENOTEMPTY" | "EACCES";

/** Thrown by Vfs operations; `message` reads like coreutils' (`cat: can't open '/x': No such file or directory`) is the shell's job. */
export class VfsError extends Error {
  constructor(
    readonly code: VfsErrorCode,
    readonly path: string,
  ) {
    super(`${code}: ${path}`);
    this.name = "VfsError";
  }
}

export interface VfsStat {
  type: "file" | "dir";
  size: number;
  /** Simulated ms of the last change. */
  mtimeMs: number;
  /** Permission bits with setuid/setgid/sticky (0o7777). */
  mode: number;
  /** Owner and group (absent: 0, root). */
  uid?: number;
  gid?: number;
}

/** Who creates a file: its owner, and its group unless the directory is setgid (then the directory's). */
export interface VfsOwner {
  uid: number;
  gid: number;
}

/** A POSIX-like filesystem. Paths are absolute (`/a/b`); `.` and `..` are resolved by the caller or the implementation. */
export interface Vfs {
  stat(path: string): VfsStat | undefined;
  readFile(path: string): string;
  /** Creates or replaces (or appends to) a file; the parent directory must exist. */
  writeFile(path: string, data: string, opts?: { append?: boolean; mode?: number; owner?: VfsOwner }): void;
  mkdir(path: string, opts?: { recursive?: boolean; mode?: number; owner?: VfsOwner }): void;
  readdir(path: string): string[];
  unlink(path: string): void;
  rmdir(path: string, opts?: { recursive?: boolean }): void;
  /** `touch`: creates an empty file or updates its mtime. */
  touch(path: string, opts?: { owner?: VfsOwner }): void;
  /** `chown` (-1 leaves a field as it is) and `chmod` (the 0o7777 bits); optional for read-only views. */
  chown?(path: string, uid: number, gid: number): void;
  chmod?(path: string, mode: number): void;
}

/**
 * The identity a container's processes run with, as the kubelet asks for it
 * (pkg/kubelet/kuberuntime/security_context.go) and containerd applies it (oci.WithUser,
 * WithAdditionalGIDs): the uid, the primary gid and the supplementary groups (sorted, as the
 * kernel's setgroups keeps them), plus the Linux capabilities of the process.
 */
export interface ProcessCred {
  uid: number;
  gid: number;
  groups: number[];
  /** Capability sets as bitmaps (bit n = capability n of linux/capability.h). */
  caps?: { inheritable: bigint; permitted: bigint; effective: bigint; bounding: bigint; ambient: bigint };
  /** allowPrivilegeEscalation: false sets no_new_privs. */
  noNewPrivs?: boolean;
  /** A seccomp filter is applied (RuntimeDefault or Localhost). */
  seccomp?: boolean;
  /** The user's home directory from the image's /etc/passwd ("/" without an entry: runc's execUser.Home). */
  home?: string;
}

// ---- processes ----------------------------------------------------------------------------

export type Signal = "SIGTERM" | "SIGKILL";

export interface HttpRequestSpec {
  method: string;
  /** The HTTP version the client speaks (default HTTP/1.1; nginx's proxy_pass speaks HTTP/1.0). */
  proto?: string;
  /** Absolute URL: http://host:port/path */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The request's body (curl -d), when it has one. */
  body?: string;
}

export type HttpOutcome =
  /** `tls`: the server speaks TLS on that port (AppServer.speaksTLS): an https client is answered, a plain http one gets Go's 400. */
  | { ok: true; status: number; body: string; headers?: Record<string, string>; tls?: true }
  /**
   * Transport failure with Go's error text, e.g. `dial tcp 10.244.1.5:8080: connect: connection refused`;
   * `empty`: the connection was accepted, then closed without an answer (a port-forward whose pod side failed).
   */
  | { ok: false; error: string; kind: "refused" | "timeout" | "nxdomain" | "unreachable" | "empty" };

/** A TCP connection's outcome: the application that accepted it, or the dialer's error (Go's text). */
export type TcpConnection = { ok: true; app: AppServer; ip: string } | { ok: false; kind: "refused" | "timeout" | "nxdomain"; error: string };

/** What a process sees of the world around it. */
export interface ProcessIO {
  clock: SimClock;
  /** The container's filesystem (image root plus volume mounts). */
  fs: Vfs;
  /**
   * The process's environment. A container process's io has it on its prototype, built at its first
   * read (issue #19, kuberuntime_manager.ts `CONTAINER_IO`): a spread copy must name `env: io.env`.
   */
  env: Record<string, string>;
  /** The pod's hostname (pod name, or spec.hostname). */
  hostname: string;
  /** The process's standard streams are a terminal (`kubectl exec -it`): programs that ask isatty (redis-cli) format for it. */
  tty?: boolean;
  /** The working directory the process starts in (the container's workingDir or the image's WORKDIR; default `/`). */
  cwd?: string;
  /** The container's processes, shared by its main process and every exec into it (`nginx -s quit`, `redis-cli`). */
  container?: ContainerSpace;
  /** The identity the container's processes run with (securityContext); absent: root with the runtime's default capabilities. */
  user?: ProcessCred;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Cluster DNS as the pod's resolver sees it: Service `name`, `name.ns`, `name.ns.svc.cluster.local`, pod IPs. */
  resolve(name: string): string | undefined;
  /** An HTTP request from inside the cluster; `done` is called later in simulated time (never synchronously). */
  http(req: HttpRequestSpec, done: (outcome: HttpOutcome) => void): void;
  /** Whether an ICMP echo request to this address is answered now (`ping`); absent: nothing answers. */
  echoes?(ip: string): boolean;
  /** A TCP connection to host:port (a client speaking its server's protocol); absent: nothing is reachable. */
  connect?(host: string, port: number): TcpConnection;
  /** The container's CPU cgroup (src/runtime/cgroup.ts): busy processes say how many cores they spin. */
  cpu?: CpuCgroup;
  /**
   * The reference engine (issue #19, `ctx.reference`): processes do all their work the plain way
   * (the shell interprets every loop instead of running recognised pure loops compiled).
   */
  reference?: boolean;
  /**
   * Called when the process's memory use is changed from outside (an application model's
   * `memoryOverride`): the kubelet's memory housekeeping, asleep while nothing can change, looks
   * again at its next second (issue #19).
   */
  memoryChanged?(): void;
}

/**
 * What a process's `stdout` function may carry besides being called: `line(parts, nums, text)`
 * writes `text` exactly as `stdout(text)` would, and says how it is made (text = parts[0] +
 * nums[0] + parts[1] + … + parts[n]), so that the container runtime can keep a run of lines that
 * differ only by counters advancing at a fixed period as one record (a compiled shell loop's
 * output; issue #19). Attached to the function, so an exec's own `stdout` never inherits it.
 */
export interface LineWriter {
  line?(parts: readonly string[], nums: readonly number[], text: string): void;
  /**
   * Issue #19 (never used by the reference engine): the same line written once at each skipped
   * firing of a dormant chain (a compiled shell loop that sleeps, `SimClock.setChain`), its
   * counters advancing by `steps` each time, as if `line` had been called then. The writer replays
   * the due lines, each with its own instant and in order, before anything else writes, reads or
   * follows the log. Refused (undefined) where that cannot be exact (someone follows the log, the
   * reference engine, another repeat on the same log). Returns the cancel, which replays what is
   * due first; `r.wake()` is called when the lines must be written for real again (a follower).
   */
  repeat?(r: RepeatedLine): (() => void) | undefined;
}

/** A line written at each skipped firing of a dormant chain (`LineWriter.repeat`). */
export interface RepeatedLine {
  /** text = parts[0] + nums[0] + parts[1] + … + parts[n], nums of the first skipped firing's line. */
  readonly parts: readonly string[];
  readonly nums: readonly number[];
  /** What each number advances by from one firing's line to the next. */
  readonly steps: readonly number[];
  /** The instant of the first skipped firing, and the period. */
  readonly firstAt: number;
  readonly period: number;
  /** Firings skipped so far (`SimClock.skipped`): the lines due now. */
  skipped(): number;
  /** Ends the dormancy (the chain's owner writes for real from its next firing on). */
  wake(): void;
}

/** A container's CPU accounting and CFS throttling (src/runtime/cgroup.ts). */
export interface CpuCgroup {
  /** Spends `cpuMs` of CPU time from now (after earlier work); returns the ms until it is done, throttling included. */
  run(cpuMs: number): number;
  /** From now on the container's processes keep `cores` busy besides the work they are given (0 stops). */
  burn(cores: number): void;
  /** Cumulative CPU time used up to now, in ms (`cpuacct.usage`). */
  usageMs(): number;
  /**
   * Issue #19 (never used by the reference engine): charges `c.cpuMs` at every skipped firing of
   * a dormant interval (a probe that does not tick), each at its own instant and in order, as if
   * `run(c.cpuMs)` had been called then: the charges are replayed before anything else touches or
   * reads the cgroup. Refused (undefined) where that cannot be exact. Calls `c.wake()` when other
   * work would make a charge wait (its answer would be later). Returns the cancel, which replays
   * what is due first.
   */
  chargePeriodic?(c: PeriodicCharge): (() => void) | undefined;
  /**
   * Issue #19 (never used by the reference engine): a dormant traffic client may charge `c.cpuMs`
   * here at each of its skipped firings (which endpoint answered is drawn when the firing is
   * replayed). Accepted only where every such charge stays due at once and commutes with the
   * others at its instant; before anything else touches or reads the cgroup, `c.settle()` replays
   * every dormant request due so far (which calls `chargeAt`). Calls `c.wake()` when other work
   * would make a charge wait. Returns the cancel.
   */
  chargeRandom?(c: RandomCharge): (() => void) | undefined;
  /** A replayed request's charge at the instant `at` (not after anything already run here): `run` as it was then. */
  chargeAt?(at: number, cpuMs: number): number;
}

/** A dormant traffic client's possible charges (`CpuCgroup.chargeRandom`). */
export interface RandomCharge {
  readonly cpuMs: number;
  /** The instant of the first skipped firing, and the period (at most one charge per firing). */
  readonly firstAt: number;
  readonly period: number;
  /** The client's next firing (`SimClock.nextDue`). */
  nextAt(): number;
  /** Ends the dormancy (replaying what is due first). */
  wake(): void;
  /** Replays every dormant client's requests due so far, in order (the same function for every client of a network). */
  settle(): void;
}

/** A CPU charge made at each skipped firing of a dormant interval (`CpuCgroup.chargePeriodic`). */
export interface PeriodicCharge {
  readonly cpuMs: number;
  /** The instant of the first skipped firing, and the period. */
  readonly firstAt: number;
  readonly period: number;
  /** Firings skipped so far (`SimClock.skipped`): the charges due now. */
  skipped(): number;
  /** The interval's next firing (`SimClock.nextDue`). */
  nextAt(): number;
  /** Ends the dormancy (the charge's owner fires for real from its next firing on). */
  wake(): void;
}

/** A running process in simulated time. */
export interface Process {
  /** Starts the process; it calls `onExit` exactly once when it ends, possibly much later in simulated time. */
  start(onExit: (exitCode: number) => void): void;
  /** Delivers a signal. SIGKILL ends the process at once with exit code 137; SIGTERM as the program handles it (sh: exits 143). */
  kill(signal: Signal): void;
}

/** An HTTP server inside a container (what kubetm/app or nginx run). */
export interface AppServer {
  /** Whether something accepts TCP connections on this port now. */
  listening(port: number): boolean;
  /**
   * Answers a request arriving now. `delayMs` is how long the answer takes (longer than the
   * client's timeout means a timeout); `cpuMs` the CPU time computing it costs (the network
   * charges it to the container's cgroup, whose throttling may delay the answer further; absent,
   * a small default cost, src/network/network.ts REQUEST_CPU_MS).
   */
  handle(req: { method: string; path: string; port: number; headers: Record<string, string>; body?: string }): { status: number; body: string; delayMs?: number; cpuMs?: number };
  /** Memory the application uses now, in bytes (for QoS / OOM / eviction). */
  memoryBytes?(): number;
  /**
   * The process behind a port when this face stands for several (a shell main process's servers:
   * `exec ncat --listen 3307`): a client speaking that server's own protocol talks to it.
   */
  serverOn?(port: number): AppServer | undefined;
  /**
   * Whether the application serves TLS on this port (metrics-server's and webhooks' HTTPS ports):
   * its answers then reach https clients, and a plain http request gets Go's TLS server's
   * `400 Bad Request` (src/runtime/tls.ts). Absent: every port speaks plain HTTP.
   */
  speaksTLS?(port: number): boolean;
  /**
   * The next simulated instant (ms) at which `memoryBytes()` changes by itself, Infinity when it
   * stays until changed from outside. Without it, the use is taken to change at any time.
   */
  memoryChangesAt?(): number;
  /**
   * Issue #19 (never used by the reference engine): the answer to `path` if it is kept — the same
   * answer object to every request until one of the `onChange` listeners is called, while the
   * application listens on its ports until then — else undefined.
   */
  keptAnswer?(path: string): object | undefined;
  /** Calls `fn` (once) at the next change of a kept answer or of the ports it listens on. Returns the cancel. */
  onChange?(fn: () => void): () => void;
}

/** The main process of a container, plus optional server behaviour. */
export interface ContainerProcess extends Process {
  app?: AppServer;
}

/**
 * What the processes of one container share besides the filesystem: its main process (PID 1), so
 * that a command run in the container can reach it (`nginx -s quit` signals the master process,
 * `redis-cli ping` talks to the server on 127.0.0.1:6379).
 */
export interface ContainerSpace {
  main?: ContainerProcess;
  /**
   * The processes of the container's PID namespace that `ps` and `/proc` show: PID 1 (the main
   * process's command line) and the processes execs start, each with the next PID.
   */
  procs?: ProcTable;
  /** Servers a command in the container started (`sh -c "nginx -g 'daemon off;'"`); they listen on the container's ports. */
  servers?: Set<ContainerProcess>;
}

/** A container's PID namespace as `ps` lists it. */
export interface ProcTable {
  /** The last PID handed out. */
  lastPid: number;
  /** Live processes by PID: their command line (argv) and uid. */
  live: Map<number, { argv: string[]; uid: number }>;
}

// ---- images -------------------------------------------------------------------------------

export interface ContainerLaunch {
  pod: Pod;
  /** The container spec (regular, init, sidecar or ephemeral). */
  container: Container;
  io: ProcessIO;
  /**
   * What an interactive shell of a container with `stdin: true` reads: the input a client attached
   * with (`kubectl debug -it`, `kubectl attach -i`), the shell started once it arrives.
   */
  stdin?: string;
  /**
   * The standard input of any other process of a container with `stdin: true`: open and empty
   * until a client attaches (`kubectl run -i … <<EOF`): what it sends, then end of file with
   * `stdinOnce`. A program that reads it waits until then.
   */
  stdinPipe?: Pipe;
}

/** How an image behaves: its size, how long a pull takes, and what its containers run. */
export interface ImageBehaviour {
  /** Repository without tag, e.g. `kubetm/app`, `busybox`, `docker.io/library/nginx` normalised to `nginx`. */
  repository: string;
  sizeBytes: number;
  /** Default pull duration in simulated ms (overridable per scenario). */
  pullMs: number;
  /** Whether the image has a POSIX shell (so exec probes and `kubectl exec` can run commands). */
  hasShell: boolean;
  /** Files the image brings (path → content), e.g. `/etc/hostname` is written by the runtime instead. */
  files?: Record<string, string>;
  /** Directories the image has (created when no file lies in them) and their owner, everything under them included (a Dockerfile's `chown -R`). */
  owners?: Record<string, { uid: number; gid: number }>;
  /** Creates the container's main process from its command/args. */
  launch(launch: ContainerLaunch): ContainerProcess;
  /** The process arguments a container of this image runs (command/args over ENTRYPOINT/CMD). */
  argv?(container: Container): string[];
  /** The image config's ENV (the container's `env` goes over it) and WORKDIR, when the image model knows them. */
  env?: Record<string, string>;
  workingDir?: string;
  /** The image config's USER (`name`, `uid`, `uid:gid`), when not root. */
  user?: string;
  /**
   * Runs a command in a running container (exec probes, `kubectl exec`, lifecycle hooks) with the
   * image's shell and programs; an Error carries the runtime's text when the image cannot run it.
   * Without it the kubelet runs the command in the default busybox shell.
   */
  exec?(argv: string[], io: ProcessIO, stdin?: string): ContainerProcess | Error;
  /** A note for people about how the container runs (the generic process), recorded once as an event. */
  notice?(container: Container): string | undefined;
}

/** A request as it reaches an application (what AppServer.handle is given: the network passes these fields too). */
export interface AppRequest {
  method: string;
  path: string;
  port: number;
  headers: Record<string, string>;
  /** The request's HTTP version when it is not HTTP/1.1. */
  proto?: string;
  /**
   * The source address the application sees (its `remote_addr`): the client pod's IP; absent when
   * the network does not say (a node's own requests, the traffic steps' external clients).
   */
  client?: string;
}

/**
 * An application's answer (what AppServer.handle returns; the network reads these fields too). `proxy`: the application forwards the request (a reverse proxy, nginx's
 * `proxy_pass`): the network sends `proxy.url` from the application's pod, and the answer is what
 * `proxy.reply` makes of the upstream's outcome (`status` and `body` are then the answer of a
 * network path that does not forward: a 502).
 */
export interface AppAnswer {
  status: number;
  body: string;
  delayMs?: number;
  cpuMs?: number;
  proxy?: ProxyPass;
}

/** A request an application forwards upstream, and how it answers its client with the upstream's outcome. */
export interface ProxyPass {
  method: string;
  proto?: string;
  /** Absolute URL: http://host:port/path (the proxy resolved its upstream's name already). */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** `afterMs`: when the upstream's outcome arrived, ms after the proxy sent the request. */
  reply(outcome: HttpOutcome, afterMs?: number): { status: number; body: string; delayMs?: number };
}
