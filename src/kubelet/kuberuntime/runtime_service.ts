/**
 * The node's container runtime (what containerd does for the kubelet over CRI): pod sandboxes
 * with their IPs, container instances with their processes, logs and filesystems, exits with the
 * runtime's reasons (Completed, Error, OOMKilled), and the PLEG's view of all that: every state
 * change calls `onChange(podUid)`.
 *
 * Instances of one container name are kept newest first; only the newest two (the current and
 * the previous, for `lastState` and `kubectl logs --previous`) are kept, as the kubelet's
 * container GC keeps one dead instance per container.
 */
import type { Pipe } from "../../runtime/shell/pipe.ts";
import type { SimClock } from "../../sim/clock.ts";
import type { Container } from "../../api/types.gen.ts";
import type { ContainerProcess, ImageBehaviour, ProcessIO, RepeatedLine, Signal, Vfs } from "../../runtime/types.ts";
import type { RuntimeContainerStatus, RuntimePodStatus } from "../container/runtime.ts";
import { fakeDigest } from "../../images/reference.ts";
import { exitedContainerMessage } from "./termination.ts";
import { CfsCgroup, usageOf, type UsageRead } from "../../runtime/cgroup.ts";
import { parseQuantity } from "../../api/quantity.ts";

/** Where the termination message file lives inside `ContainerInstance.terminationLog`. */
export const TERMINATION_LOG_FILE = "/termination-log";

/** Most log text kept per container instance (older output is dropped, as log rotation does). */
export const MAX_LOG_BYTES = 256 * 1024;

export interface Sandbox {
  id: string;
  podUid: string;
  ip: string;
  ready: boolean;
  createdAt: number;
}

export interface ContainerInstance extends RuntimeContainerStatus {
  podUid: string;
  /** Counted in RuntimeService.runningModels (running, with a memory model). */
  countsModel?: boolean;
  spec: Container;
  /** JSON of the spec the instance was created from (computePodActions' "definition changed"). */
  specHash: string;
  process?: ContainerProcess;
  /** A `stdin: true` container's standard input (other than an interactive shell's): what `attach` writes to. */
  stdinPipe?: Pipe;
  /** The image's behaviour: how commands run in the container (exec probes, `kubectl exec`, hooks). */
  behaviour?: ImageBehaviour;
  io?: ProcessIO;
  fs?: Vfs;
  log: string[];
  /** When each chunk of `log` was written (simulated ms): the CRI log's per-line timestamps. */
  logTimes: number[];
  /**
   * Chunks written after those of `log`, kept as one record while they differ only by counters
   * advancing at a fixed period (a compiled shell loop's lines; see LogSeries).
   */
  series?: LogSeries;
  /** Length of the log (`log` and `series`) in UTF-16 units, what the rotation limit counts. */
  logBytes: number;
  /** Called after each write to the log (a follower of `kubectl logs -f`; add one with `followLog`). */
  onLog?: Set<() => void>;
  /**
   * A dormant compiled shell loop's line (issue #19, `LineWriter.repeat`): written once per skipped
   * firing of its chain; `done` of them are in the log already (catchUpLog writes the rest).
   */
  repeating?: { r: RepeatedLine; done: number };
  /** The file the kubelet bind-mounts at the container's terminationMessagePath (`/termination-log` of this filesystem). */
  terminationLog?: Vfs;
  /** Set before an OOM kill so the exit is reported as OOMKilled. */
  oomKilled?: boolean;
  /** Memory the container uses (bytes), when set from outside (`uses 4Gi of memory`). */
  memoryOverride?: number;
  /** The container's CPU cgroup (created with the container, stopped when it exits). */
  cpu: CfsCgroup;
  killTimer?: unknown;
  onExited: Array<() => void>;
}

/**
 * A run of log chunks that differ only by counters (issue #19): chunk i is parts[0] + (start[0] +
 * i·step[0]) + parts[1] + … + parts[n], written at t0 + i·period. Exactly the chunks that writing
 * each line would have kept, generated when read (logChunks); a write of anything else first turns
 * the run into ordinary chunks. Memory: one record instead of a string and a time per line.
 */
export interface LogSeries {
  parts: readonly string[];
  start: number[];
  step: number[];
  t0: number;
  period: number;
  count: number;
}

/** Chunk i of a series. */
export function seriesChunk(s: LogSeries, i: number): string {
  let text = s.parts[0]!;
  for (let j = 0; j < s.start.length; j++) text += String(s.start[j]! + i * (s.step[j] ?? 0)) + s.parts[j + 1]!;
  return text;
}

/** Every chunk of a container's log with the time it was written, oldest first (series generated). */
export function logChunks(c: Pick<ContainerInstance, "log" | "logTimes" | "series"> & Partial<Pick<ContainerInstance, "repeating" | "logBytes">>): { texts: string[]; times: number[] } {
  if (c.repeating) catchUpLog(c as ContainerInstance);
  const s = c.series;
  if (!s) return { texts: c.log, times: c.logTimes };
  const texts = c.log.slice();
  const times = c.logTimes.slice();
  for (let i = 0; i < s.count; i++) {
    texts.push(seriesChunk(s, i));
    times.push(s.t0 + i * s.period);
  }
  return { texts, times };
}

export class RuntimeService {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, ContainerInstance[]>();
  private seq = 0;
  /**
   * Counts changes of the set of running instances (a start, an exit, a pod removed, the node
   * down): the memory housekeeping's last check holds while it stays the same (issue #19).
   */
  runningVersion = 0;
  /**
   * Called at every change of `runningVersion` and when a process's memory use is set from outside
   * (issue #19: the memory housekeeping's dormant chain wakes; `NodeMemory.inputsChanged`).
   */
  onMemoryInputs: () => void = () => {};
  /**
   * Running instances whose process's application has a memory model (issue #19: the memory
   * housekeeping asks at every runtime change whether any runs; a process's application is fixed
   * when it starts). Kept at every start, exit, node down and pod removal.
   */
  runningModels = 0;
  /** The PLEG: called whenever a sandbox or container of the pod changes state. */
  onChange: (podUid: string) => void = () => {};
  /**
   * The last attempt number of each `<podUid>/<container>` a previous runtime ran (what the
   * kubelet reads back from the container log directory after a node restart).
   */
  readonly previousAttempts = new Map<string, number>();
  /** Per pod, counts every change of its sandbox and containers (the pod worker's steady resyncs: issue #19). */
  private readonly podVersions = new Map<string, number>();
  /** Called when an instance exits (e.g. to detach it from the network). */
  onExit: (c: ContainerInstance) => void = () => {};
  /** CPU ms used by containers that have exited (the node's cumulative usage keeps them). */
  private exitedCpuMs = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly nodeName: string,
    /** The reference engine (issue #19): every log line is kept as written. */
    private readonly reference = false,
  ) {}

  /** A counter that changes whenever the pod's sandbox or one of its containers changes. */
  podVersion(podUid: string): number {
    return this.podVersions.get(podUid) ?? 0;
  }

  private runningChanged(): void {
    this.runningVersion++;
    this.onMemoryInputs();
  }

  private changed(podUid: string): void {
    this.bumpVersion(podUid);
    this.onChange(podUid);
  }

  /** Called at every change of a pod's version (the pod worker's dormant back-off retries wake: issue #19). */
  onPodVersion: (podUid: string) => void = () => {};

  private bumpVersion(podUid: string): void {
    this.podVersions.set(podUid, this.podVersion(podUid) + 1);
    this.onPodVersion(podUid);
  }

  private newId(kind: string, podUid: string, name: string): string {
    return fakeDigest(`${this.nodeName}/${kind}/${podUid}/${name}/${this.seq++}`);
  }

  // ---- sandboxes ----------------------------------------------------------------------------

  runPodSandbox(podUid: string, ip: string): Sandbox {
    const sb: Sandbox = { id: this.newId("sandbox", podUid, ""), podUid, ip, ready: true, createdAt: this.clock.now() };
    this.sandboxes.set(podUid, sb);
    this.changed(podUid);
    return sb;
  }

  sandbox(podUid: string): Sandbox | undefined {
    return this.sandboxes.get(podUid);
  }

  stopPodSandbox(podUid: string): void {
    const sb = this.sandboxes.get(podUid);
    if (sb?.ready) {
      sb.ready = false;
      this.changed(podUid);
    }
  }

  /** Forgets everything of a pod (its sandbox and containers removed). */
  removePod(podUid: string): void {
    this.runningChanged();
    this.bumpVersion(podUid);
    for (const c of this.containers.get(podUid) ?? []) this.uncountModel(c);
    this.sandboxes.delete(podUid);
    this.containers.delete(podUid);
  }

  podUids(): string[] {
    return [...new Set([...this.sandboxes.keys(), ...this.containers.keys()])];
  }

  // ---- containers ---------------------------------------------------------------------------

  instances(podUid: string): ContainerInstance[] {
    return this.containers.get(podUid) ?? [];
  }

  /** The newest instance of a container name. */
  latest(podUid: string, name: string): ContainerInstance | undefined {
    return this.instances(podUid).find((c) => c.name === name);
  }

  /** The instance before the newest (`kubectl logs --previous`). */
  previous(podUid: string, name: string): ContainerInstance | undefined {
    return this.instances(podUid).filter((c) => c.name === name)[1];
  }

  /** Whether some running instance satisfies `pred` (no array built). */
  anyRunning(pred: (c: ContainerInstance) => boolean): boolean {
    for (const list of this.containers.values()) for (const c of list) if (c.state === "running" && pred(c)) return true;
    return false;
  }

  running(): ContainerInstance[] {
    const out: ContainerInstance[] = [];
    for (const list of this.containers.values()) for (const c of list) if (c.state === "running") out.push(c);
    return out;
  }

  /** CreateContainer: a new instance in state created. */
  createContainer(podUid: string, spec: Container, image: string, imageRef: string, restartCount: number): ContainerInstance {
    const c: ContainerInstance = {
      id: `containerd://${this.newId("container", podUid, spec.name)}`,
      name: spec.name,
      state: "created",
      createdAt: this.clock.now(),
      image,
      imageRef,
      restartCount,
      podUid,
      spec,
      specHash: specHash(spec),
      log: [],
      logTimes: [],
      logBytes: 0,
      onExited: [],
      cpu: new CfsCgroup(this.clock, cpuLimitMilli(spec)),
    };
    const list = this.containers.get(podUid) ?? [];
    this.runningChanged();
    this.bumpVersion(podUid);
    list.unshift(c);
    // Container GC: keep the two newest instances of each name.
    const seen = new Map<string, number>();
    this.containers.set(
      podUid,
      list.filter((x) => {
        const n = (seen.get(x.name) ?? 0) + 1;
        seen.set(x.name, n);
        return n <= 2 || x.state === "running";
      }),
    );
    return c;
  }

  /** StartContainer: runs the process; its exit moves the instance to exited. */
  startContainer(c: ContainerInstance, process: ContainerProcess, io: ProcessIO, fs: Vfs): void {
    c.process = process;
    c.io = io;
    c.fs = fs;
    c.state = "running";
    if (process.app?.memoryBytes !== undefined) {
      c.countsModel = true;
      this.runningModels++;
    }
    this.runningChanged();
    c.startedAt = this.clock.now();
    process.start((code) => this.exited(c, code));
    this.changed(c.podUid);
  }

  /**
   * StartContainer failed (containerd's CRI StartContainer, internal/cri/server/container_start.go):
   * the container is left exited with reason StartError, exit code 128 (errorStartExitCode) and the
   * error as its message; it never started, so its startedAt stays the epoch (0). The PLEG sees it
   * die at its next relist, as any other exit.
   */
  startFailed(c: ContainerInstance, message: string): void {
    if (c.state !== "created") return;
    c.state = "exited";
    c.exitCode = 128;
    c.reason = "StartError";
    c.message = message;
    c.startedAt = 0;
    c.finishedAt = this.clock.now();
    const waiters = c.onExited.splice(0);
    for (const w of waiters) w();
    this.changed(c.podUid);
  }

  appendLog(c: ContainerInstance, text: string): void {
    if (!text) return;
    if (c.repeating) catchUpLog(c);
    if (c.series) flushSeries(c);
    c.log.push(text);
    c.logTimes.push(this.clock.now());
    c.logBytes += text.length;
    this.rotate(c);
    if (c.onLog) for (const f of [...c.onLog]) f();
  }

  /**
   * appendLog(c, text) for a line made of literal parts and counters (LineWriter): the same chunks,
   * the same rotation, the same followers called; a run of such lines is kept as one LogSeries.
   */
  appendLogLine(c: ContainerInstance, parts: readonly string[], nums: readonly number[], text: string): void {
    if (this.reference) return this.appendLog(c, text);
    if (c.repeating) catchUpLog(c);
    appendLineAt(c, parts, nums, text.length, this.clock.now());
    if (c.onLog) for (const f of [...c.onLog]) f();
  }

  /**
   * LineWriter.repeat for a container's stdout (issue #19): a dormant loop's line, written when
   * due by catchUpLog — before any other write, any read (logChunks) and the process's exit (the
   * loop's task cancels, which catches up, before it ends). Refused on the reference engine, while
   * someone follows the log (a follower is called at every write: the loop must write for real),
   * and while another repeat is on the same log (two chains' lines at one instant would need their
   * order).
   */
  repeatLogLine(c: ContainerInstance, r: RepeatedLine): (() => void) | undefined {
    if (this.reference || c.repeating || c.onLog?.size) return undefined;
    const rec = { r, done: 0 };
    c.repeating = rec;
    return () => {
      if (c.repeating !== rec) return;
      catchUpLog(c);
      c.repeating = undefined;
    };
  }

  /** Log rotation: the oldest chunks go while the log is over its limit (one chunk always stays). */
  private rotate(c: ContainerInstance): void {
    rotateLog(c);
  }

  logText(c: ContainerInstance): string {
    return logChunks(c).texts.join("");
  }

  private exited(c: ContainerInstance, code: number): void {
    if (c.state !== "running") return;
    c.state = "exited";
    this.uncountModel(c);
    this.runningChanged();
    c.finishedAt = this.clock.now();
    c.exitCode = code;
    c.reason = c.oomKilled ? "OOMKilled" : code === 0 ? "Completed" : "Error";
    c.message = exitedContainerMessage({
      exitCode: code,
      reason: c.reason,
      message: c.message,
      terminationMessagePath: c.spec?.terminationMessagePath,
      terminationMessagePolicy: c.spec?.terminationMessagePolicy,
      terminationFile: c.terminationLog?.stat(TERMINATION_LOG_FILE) ? c.terminationLog.readFile(TERMINATION_LOG_FILE) : undefined,
      log: containerLog(c),
    });
    if (c.killTimer) this.clock.clear(c.killTimer as never);
    c.killTimer = undefined;
    c.cpu.stop();
    this.exitedCpuMs += c.cpu.usageMs();
    this.onExit(c);
    const waiters = c.onExited.splice(0);
    for (const w of waiters) w();
    this.changed(c.podUid);
    // Nothing reaches a dead instance's process, filesystem or streams any more (exec, signals and
    // probes need a running one; its log and status fields stay): let them go (heap per pod).
    c.process = undefined;
    c.io = undefined;
    c.fs = undefined;
    c.terminationLog = undefined;
  }

  /**
   * StopContainer with a timeout: SIGTERM now, SIGKILL once `graceMs` has passed; `done` when the
   * process has exited.
   */
  stopContainer(c: ContainerInstance, graceMs: number, done?: () => void): void {
    if (c.state !== "running") {
      if (c.state === "created") {
        c.state = "exited";
        c.exitCode = 0;
        c.finishedAt = this.clock.now();
        c.reason = "Completed";
        this.changed(c.podUid);
      }
      done?.();
      return;
    }
    if (done) c.onExited.push(done);
    if (c.killTimer) return; // already stopping: the earlier deadline stands
    if (graceMs <= 0) {
      this.signal(c, "SIGKILL");
      return;
    }
    c.killTimer = this.clock.setTimeout(() => this.signal(c, "SIGKILL"), graceMs);
    this.signal(c, "SIGTERM");
  }

  /** Shortens a running stop to a new deadline (a second delete with a shorter grace period). */
  shortenStop(c: ContainerInstance, graceMs: number): void {
    if (c.state !== "running") return;
    if (c.killTimer) this.clock.clear(c.killTimer as never);
    c.killTimer = this.clock.setTimeout(() => this.signal(c, "SIGKILL"), Math.max(0, graceMs));
  }

  signal(c: ContainerInstance, sig: Signal): void {
    if (c.state !== "running") return;
    c.process?.kill(sig);
  }

  /** The cgroup OOM killer: the container dies at once with 137, reason OOMKilled. */
  oomKill(c: ContainerInstance): void {
    if (c.state !== "running") return;
    c.oomKilled = true;
    c.process?.kill("SIGKILL");
  }

  /** The node went down: every process is gone at once, nothing is reported. */
  killAllSilently(): void {
    this.runningChanged();
    for (const uid of this.podUids()) this.bumpVersion(uid);
    for (const list of this.containers.values()) {
      for (const c of list) {
        if (c.state !== "running") continue;
        c.state = "unknown";
        this.uncountModel(c);
        c.cpu.stop();
        c.process?.kill("SIGKILL");
        if (c.killTimer) this.clock.clear(c.killTimer as never);
      }
    }
    for (const sb of this.sandboxes.values()) sb.ready = false;
  }

  private uncountModel(c: ContainerInstance): void {
    if (!c.countsModel) return;
    c.countsModel = false;
    this.runningModels--;
  }

  /** Cumulative CPU ms every container of this runtime has used (the node's `cpuacct.usage` of its pods). */
  cpuUsageMs(): number {
    let ms = this.exitedCpuMs;
    for (const list of this.containers.values()) for (const c of list) if (c.state === "running") ms += c.cpu.usageMs();
    return ms;
  }

  /** CPU ms of the containers that have exited (the first term of `cpuUsageMs`'s sum). */
  get exitedUsageMs(): number {
    return this.exitedCpuMs;
  }

  /**
   * Issue #19 (the fast engine's scrape): `cpuUsageMs()` as of now, summed later in the same order
   * from each running container's deferred read (`CfsCgroup.readLater`).
   */
  cpuUsageLater(): () => number {
    const exited = this.exitedCpuMs;
    const reads: UsageRead[] = [];
    for (const list of this.containers.values()) for (const c of list) if (c.state === "running") reads.push(c.cpu.readLater());
    return () => {
      let ms = exited;
      for (const r of reads) ms += usageOf(r);
      return ms;
    };
  }

  /** Attempt numbers of every container this runtime knows (carried over a node restart). */
  attempts(): Map<string, number> {
    const out = new Map(this.previousAttempts);
    for (const [uid, list] of this.containers) {
      for (const c of list) out.set(`${uid}/${c.name}`, Math.max(out.get(`${uid}/${c.name}`) ?? 0, c.restartCount));
    }
    return out;
  }

  /** The runtime's view of a pod, for the kubelet (kubecontainer.PodStatus). */
  podStatus(podUid: string): RuntimePodStatus {
    const sb = this.sandboxes.get(podUid);
    return {
      sandboxReady: !!sb?.ready,
      ip: sb?.ip,
      containerStatuses: this.instances(podUid).map((c) => ({
        id: c.id,
        name: c.name,
        state: c.state,
        createdAt: c.createdAt,
        startedAt: c.startedAt,
        finishedAt: c.finishedAt,
        exitCode: c.exitCode,
        reason: c.reason,
        message: c.message,
        image: c.image,
        imageRef: c.imageRef,
        restartCount: c.restartCount,
      })),
    };
  }
}

/** Whether the next line continues the series: same parts, the next instant of its period, counters on their steps. */
function extends_(s: LogSeries, parts: readonly string[], nums: readonly number[], now: number): boolean {
  if (parts.length !== s.parts.length) return false;
  for (let j = 0; j < parts.length; j++) if (parts[j] !== s.parts[j]) return false;
  if (s.count === 1) {
    if (!(now > s.t0)) return false;
    s.period = now - s.t0;
    for (let j = 0; j < nums.length; j++) s.step[j] = nums[j]! - s.start[j]!;
    return true;
  }
  if (now !== s.t0 + s.count * s.period) return false;
  for (let j = 0; j < nums.length; j++) if (nums[j] !== s.start[j]! + s.count * s.step[j]!) return false;
  return true;
}

/** Turns a container's series into ordinary chunks (before anything else is written after it). */
function flushSeries(c: ContainerInstance): void {
  const s = c.series;
  if (!s) return;
  c.series = undefined;
  for (let i = 0; i < s.count; i++) {
    c.log.push(seriesChunk(s, i));
    c.logTimes.push(s.t0 + i * s.period);
  }
}

/** The PATH of containerd's default OCI spec (oci.populateDefaultUnixSpec). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The environment of a container's process as containerd's CRI plugin builds it: the default
 * spec's PATH, then `HOSTNAME`, then the image config's ENV, then the kubelet's variables, each
 * list replacing a variable already set in place and appending new ones (oci.WithEnv's
 * replaceOrAppendEnvValues).
 */
export function ociProcessEnv(hostname: string, imageEnv: ReadonlyArray<readonly [string, string]>, envs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const out: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: hostname };
  for (const [k, v] of imageEnv) out[k] = v;
  for (const [k, v] of envs) out[k] = v;
  return out;
}

/**
 * runc's setupUser (libcontainer/init_linux.go): "if we didn't get HOME already, set it based on the
 * user's HOME" — os.Setenv, so a new HOME comes last and an empty one is replaced in place. Every
 * process of the container (its own and each exec) goes through it.
 */
export function withHome(env: Record<string, string>, home: string | undefined): Record<string, string> {
  if (env["HOME"]) return env;
  env["HOME"] = home || "/";
  return env;
}

const specHashes = new WeakMap<object, string>();

export function specHash(spec: Container | undefined): string {
  // A stored (frozen) spec cannot change: its hash is computed once. Status writes share the spec
  // of the previous version of the pod, so every sync of a pod finds it here.
  const frozen = spec !== null && typeof spec === "object" && Object.isFrozen(spec);
  if (frozen) {
    const known = specHashes.get(spec);
    if (known !== undefined) return known;
  }
  // Resources may change in place; everything else that differs restarts the container.
  const { resources: _r, ...rest }: Partial<Container> = spec ?? {};
  void _r;
  const h = JSON.stringify(rest);
  if (frozen) specHashes.set(spec, h);
  return h;
}

/** The container's CPU limit in millicores (cgroup quota), undefined without one. */
function cpuLimitMilli(spec: Container | undefined): number | undefined {
  const v = spec?.resources?.limits?.cpu;
  if (v === undefined) return undefined;
  try {
    const m = parseQuantity(v).milliValue();
    return m > 0 ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Adds a follower of the log (`kubectl logs -f`): a dormant loop writing to it is woken first. */
export function followLog(c: ContainerInstance, fn: () => void): void {
  (c.onLog ??= new Set()).add(fn);
  c.repeating?.r.wake();
}

/**
 * Writes the lines a dormant loop's chain skipped so far (`LineWriter.repeat`), each at the instant
 * of its firing and in order, exactly as `appendLogLine` would have then: the same series (or
 * chunks), the same byte count, the same rotation. No follower is called: a follower wakes the
 * loop (followLog), and the writer refuses a repeat while one is there.
 */
export function catchUpLog(c: ContainerInstance): void {
  const rec = c.repeating;
  if (!rec) return;
  const { r } = rec;
  const due = r.skipped();
  if (rec.done >= due) return;
  const { parts, steps, period } = r;
  let fixed = 0;
  for (const p of parts) fixed += p.length;
  const nums = r.nums.slice();
  for (let j = 0; j < nums.length; j++) nums[j] = r.nums[j]! + rec.done * steps[j]!;
  for (let i = rec.done; i < due; i++) {
    let len = fixed;
    for (const n of nums) len += String(n).length;
    appendLineAt(c, parts, nums, len, r.firstAt + i * period);
    for (let j = 0; j < nums.length; j++) nums[j]! += steps[j]!;
  }
  rec.done = due;
}

/** appendLogLine's record of one line written at `at` (its text `len` UTF-16 units long). */
function appendLineAt(c: ContainerInstance, parts: readonly string[], nums: readonly number[], len: number, at: number): void {
  const s = c.series;
  if (s && extends_(s, parts, nums, at)) s.count++;
  else {
    if (s) flushSeries(c);
    c.series = { parts, start: nums.slice(), step: [], t0: at, period: 0, count: 1 };
  }
  c.logBytes += len;
  rotateLog(c);
}

/** Log rotation: the oldest chunks go while the log is over its limit (one chunk always stays). */
function rotateLog(c: ContainerInstance): void {
  while (c.logBytes > MAX_LOG_BYTES && c.log.length + (c.series?.count ?? 0) > 1) {
    if (c.log.length) {
      c.logBytes -= c.log.shift()!.length;
      c.logTimes.shift();
      continue;
    }
    const s = c.series!;
    c.logBytes -= seriesChunk(s, 0).length;
    for (let j = 0; j < s.start.length; j++) s.start[j]! += s.step[j] ?? 0;
    s.t0 += s.period;
    s.count--;
  }
}

/** The exited container's log as its termination message reads it (an unnamed function: no name defined per exit). */
function containerLog(c: ContainerInstance): () => string {
  return () => logChunks(c).texts.join("");
}
