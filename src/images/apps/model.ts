/**
 * Application models: what an HTTP server inside a container does over time, declared as data.
 *
 * A declaration (`AppSpec`) says which ports the application listens on, how long it takes to
 * start serving, what each path answers (and how that changes with time, or after another path is
 * called), when the process exits on its own, how it reacts to SIGTERM and how much memory it
 * uses. `kubetm/app` and `nginx` are declared this way (./kubetm-app.ts, ./nginx.ts); features
 * and support code declare their own through `appCatalogue(ctx).declare(...)` or the step
 * `Given the image "x" behaves as:` (see docs/applications.md).
 *
 * Durations are milliseconds or duration strings ("10s", "1 minute 30 seconds").
 */
import { parseDuration } from "../../sim/duration.ts";
import { parseQuantity } from "../../api/quantity.ts";
import type { AppServer, ContainerProcess, ProcessIO, Signal } from "../../runtime/types.ts";

export type Duration = number | string;

export interface Answer {
  status: number;
  /** `{hostname}` is replaced by the pod's hostname, `{path}` by the request path. */
  body?: string;
  /** How long the answer takes (a client with a shorter timeout sees a timeout). */
  delay?: Duration;
  /** CPU time computing this answer costs (`20ms`, or a number of ms); default the application's `cpu.perRequest`. */
  cpu?: Duration;
}

export interface RouteSpec extends Answer {
  /** Answers from some time after the container started on: the last entry whose `after` has passed wins. */
  timeline?: Array<Answer & { after: Duration }>;
  /** Calling this route changes what other routes answer from then on (e.g. `/status500` breaks `/health`). */
  sets?: Record<string, Answer>;
}

export interface AppSpec {
  /** Ports the application listens on once started (none: a worker that serves nothing). */
  ports?: number[];
  /**
   * The image's own programs: a container `command` naming one of them (`/app/server`, `worker`)
   * runs this model; any other command runs in the image's shell. Without the list, a command the
   * shell cannot run (not `sh -c`, not an applet) runs this model.
   */
  binaries?: string[];
  /** Time from the container's start until it accepts connections (before: connection refused). */
  startup?: Duration;
  /** Path → answer; exact paths, query strings ignored. */
  routes?: Record<string, RouteSpec>;
  /** The answer for every other path (default 404 "Not Found"). */
  notFound?: Answer;
  /** The main process exits on its own this long after it started. */
  exitAfter?: Duration;
  /** Its exit code then (default 0). */
  exitCode?: number;
  /** On SIGTERM: exit at once with this code (default 143), or `ignore` it as a PID 1 without a handler does. */
  onSigterm?: { exitCode: number; after?: Duration } | "ignore";
  /** Memory in use: a number of bytes or a quantity ("64Mi"), or a timeline of them. */
  memory?: number | string | Array<{ after: Duration; bytes: number | string }>;
  /**
   * CPU use: `perRequest`, the CPU time each answer costs (`20ms`; a route's own `cpu` wins), and
   * `idle`, the cores it keeps busy anyway (a CPU quantity: `5m`, `0.1`). Answers wait for their
   * CPU time in the container's cgroup, throttled by its CPU limit (src/runtime/cgroup.ts).
   */
  cpu?: { perRequest?: Duration; idle?: number | string };
}

const ms = (d: Duration | undefined): number => (d === undefined ? 0 : typeof d === "number" ? d : parseDuration(d));

/** CPU time: a number of ms, `20ms`, `1.5ms`, or a duration (`1s`). */
export function cpuTimeMs(d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (typeof d === "number") {
    if (!Number.isFinite(d) || d < 0) throw new Error(`invalid CPU time ${d}: write e.g. "20ms"`);
    return d;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*ms\s*$/.exec(d);
  if (m) return Number(m[1]);
  try {
    return parseDuration(d);
  } catch {
    throw new Error(`invalid CPU time ${JSON.stringify(d)}: write e.g. "20ms" or "1s"`);
  }
}

/** Cores from a CPU quantity (`5m` → 0.005, `0.5` → 0.5). */
export function cpuCores(q: number | string): number {
  if (typeof q === "number") {
    if (!Number.isFinite(q) || q < 0) throw new Error(`invalid CPU amount ${q}: write e.g. "5m" or "0.5"`);
    return q;
  }
  try {
    const v = parseQuantity(q);
    if (v.sign() < 0) throw new Error("negative");
    return v.milliValue() / 1000;
  } catch {
    throw new Error(`invalid CPU amount ${JSON.stringify(q)}: write e.g. "5m" or "0.5"`);
  }
}

const QUANTITY: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
/**
 * Changes of application memory made from outside (`memoryOverride`), counted so the kubelet's
 * memory housekeeping knows its last check still holds.
 */
export const appMemoryChanges = { count: 0 };

const bytesCache = new Map<string, number>();
/** parseBytes of a declaration's (already validated) quantity, parsed once. */
function parseBytesCached(q: number | string): number {
  if (typeof q === "number") return q;
  let v = bytesCache.get(q);
  if (v === undefined) bytesCache.set(q, (v = parseBytes(q)));
  return v;
}

export function parseBytes(q: number | string): number {
  if (typeof q === "number") return q;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|)$/.exec(q.trim());
  if (!m) throw new Error(`invalid memory quantity ${JSON.stringify(q)}: write e.g. "64Mi" or "1Gi"`);
  return Math.round(Number(m[1]) * QUANTITY[m[2]]);
}

/** Checks a declaration and normalises its durations; throws a readable error for bad input. */
export function validateAppSpec(spec: AppSpec, what = "application"): void {
  if (spec.ports !== undefined && (!Array.isArray(spec.ports) || spec.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))) {
    throw new Error(`${what}: "ports" must list port numbers between 1 and 65535`);
  }
  if (spec.binaries !== undefined && (!Array.isArray(spec.binaries) || spec.binaries.some((b) => typeof b !== "string" || !b))) {
    throw new Error(`${what}: "binaries" must list the image's program names or paths (e.g. ["/app/server"])`);
  }
  ms(spec.startup);
  ms(spec.exitAfter);
  for (const [path, r] of Object.entries(spec.routes ?? {})) {
    if (!path.startsWith("/")) throw new Error(`${what}: route ${JSON.stringify(path)} must start with "/"`);
    const check = (a: Answer, where: string) => {
      if (!Number.isInteger(a.status) || a.status < 100 || a.status > 599) throw new Error(`${what}: ${where}: "status" must be an HTTP status code`);
      ms(a.delay);
      cpuTimeMs(a.cpu);
    };
    if (r.timeline) {
      for (const t of r.timeline) {
        ms(t.after);
        check(t, `route ${path} timeline`);
      }
    }
    else check(r, `route ${path}`);
    for (const [p, a] of Object.entries(r.sets ?? {})) check(a, `route ${path} sets ${p}`);
  }
  if (spec.cpu !== undefined) {
    if (typeof spec.cpu !== "object" || spec.cpu === null || Array.isArray(spec.cpu)) throw new Error(`${what}: "cpu" must be a map: {perRequest: 20ms, idle: 1m}`);
    for (const k of Object.keys(spec.cpu)) if (k !== "perRequest" && k !== "idle") throw new Error(`${what}: "cpu" knows perRequest and idle, not ${JSON.stringify(k)}`);
    cpuTimeMs(spec.cpu.perRequest);
    if (spec.cpu.idle !== undefined) cpuCores(spec.cpu.idle);
  }
  if (spec.memory !== undefined) {
    if (Array.isArray(spec.memory)) {
      for (const m of spec.memory) {
        ms(m.after);
        parseBytes(m.bytes);
      }
    }
    else parseBytes(spec.memory);
  }
}

/**
 * The running application: a ContainerProcess whose `app` answers requests as the declaration
 * says, relative to the moment the process started.
 */
export class AppProcess implements ContainerProcess, AppServer {
  readonly app: AppServer = this;
  private startedAt = -1;
  private exited = false;
  private onExit: ((code: number) => void) | undefined;
  private readonly timers: Array<ReturnType<ProcessIO["clock"]["setTimeout"]>> = [];
  /** Answers changed by `sets` of routes called so far. */
  private readonly overrides = new Map<string, Answer>();
  private override: number | undefined;
  /** Memory set from outside (`When pod "x" uses 4Gi of memory`); a change counts in `appMemoryChanges`. */
  get memoryOverride(): number | undefined {
    return this.override;
  }
  set memoryOverride(v: number | undefined) {
    if (v !== this.override) {
      appMemoryChanges.count++;
      this.io.memoryChanged?.();
    }
    this.override = v;
  }

  private readonly startupMs: number;

  constructor(
    readonly spec: AppSpec,
    private readonly io: ProcessIO,
  ) {
    this.startupMs = ms(spec.startup);
  }

  start(onExit: (exitCode: number) => void): void {
    this.onExit = onExit;
    this.startedAt = this.io.clock.now();
    if (this.spec.cpu?.idle !== undefined) this.io.cpu?.burn(cpuCores(this.spec.cpu.idle));
    if (this.spec.exitAfter !== undefined) {
      this.timers.push(this.io.clock.setTimeout(() => this.exit(this.spec.exitCode ?? 0), ms(this.spec.exitAfter)));
    }
  }

  kill(signal: Signal): void {
    if (this.exited || this.startedAt < 0) return;
    if (signal === "SIGKILL") return this.exit(137);
    const t = this.spec.onSigterm ?? { exitCode: 143 };
    if (t === "ignore") return;
    this.timers.push(this.io.clock.setTimeout(() => this.exit(t.exitCode), ms(t.after)));
  }

  /** Simulated ms since the process started (−1 before). */
  uptime(): number {
    return this.startedAt < 0 ? -1 : this.io.clock.now() - this.startedAt;
  }

  get running(): boolean {
    return this.startedAt >= 0 && !this.exited;
  }

  listening(port: number): boolean {
    return this.running && this.io.clock.now() - this.startedAt >= this.startupMs && (this.spec.ports ?? []).includes(port);
  }

  /**
   * Answers already worked out, by request path (issue #19; not used by the reference engine): an
   * answer depends on the path, the declaration, the hostname and the `sets` made so far — and on
   * the uptime only through a route's `timeline`. Routes with a timeline or with `sets` are not
   * kept; any `sets` empties the map. A kept answer is shared: readers never change it.
   */
  private readonly answers = new Map<string, { status: number; body: string; delayMs?: number; cpuMs?: number }>();

  handle(req: { method: string; path: string; port: number; headers: Record<string, string> }): { status: number; body: string; delayMs?: number; cpuMs?: number } {
    if (this.io.reference) return this.answer(req.path);
    let a = this.answers.get(req.path);
    if (a === undefined) {
      a = this.answer(req.path);
      const q = req.path.indexOf("?");
      const route = this.spec.routes?.[(q >= 0 ? req.path.slice(0, q) : req.path) || "/"];
      if (!route?.timeline && !route?.sets) {
        if (this.answers.size > 1_000) this.answers.clear();
        this.answers.set(req.path, a);
      }
    }
    return a;
  }

  private answer(reqPath: string): { status: number; body: string; delayMs?: number; cpuMs?: number } {
    const q = reqPath.indexOf("?");
    const path = (q >= 0 ? reqPath.slice(0, q) : reqPath) || "/";
    const route = this.spec.routes?.[path];
    let answer: Answer = this.overrides.get(path) ?? this.spec.notFound ?? { status: 404, body: "Not Found" };
    if (route && !this.overrides.has(path)) {
      answer = route;
      if (route.timeline) {
        const up = this.uptime();
        const due = route.timeline.filter((t) => ms(t.after) <= up);
        if (due.length) answer = due[due.length - 1];
      }
    }
    if (route?.sets) {
      for (const [p, a] of Object.entries(route.sets)) this.overrides.set(p, a);
      this.answers.clear();
      this.changed();
    }
    let body = answer.body ?? "";
    if (body.includes("{")) body = body.replace(/\{hostname\}/g, this.io.hostname).replace(/\{path\}/g, path);
    const delay = ms(answer.delay);
    const cpuMs = cpuTimeMs(answer.cpu ?? route?.cpu ?? this.spec.cpu?.perRequest);
    const out: { status: number; body: string; delayMs?: number; cpuMs?: number } = { status: answer.status, body };
    if (delay) out.delayMs = delay;
    if (cpuMs !== undefined) out.cpuMs = cpuMs;
    return out;
  }

  memoryBytes(): number {
    if (this.override !== undefined) return this.override;
    const m = this.spec.memory;
    if (m === undefined) return 0;
    if (!Array.isArray(m)) return parseBytesCached(m);
    const up = this.uptime();
    let bytes = 0;
    for (const e of m) if (ms(e.after) <= up) bytes = parseBytes(e.bytes);
    return bytes;
  }

  /**
   * The next simulated instant at which `memoryBytes()` changes by itself (the declaration's next
   * timeline point), or Infinity when it stays as it is until someone sets it from outside (the
   * kubelet's memory housekeeping need not look again before then: issue #19).
   */
  memoryChangesAt(): number {
    const m = this.spec.memory;
    if (this.override !== undefined || !Array.isArray(m) || this.startedAt < 0) return Infinity;
    const up = this.uptime();
    let next = Infinity;
    for (const e of m) {
      const after = ms(e.after);
      if (after > up && after < next) next = after;
    }
    return next === Infinity ? Infinity : this.startedAt + next;
  }

  /**
   * The answer to `path` if it is kept (see `answers`) until the next change (`onChange`). An
   * answer not asked for yet is worked out now and kept when its route may be kept (no timeline,
   * no `sets`): it is what `handle` would work out and keep at the first request (the same
   * declaration, hostname and `sets` so far; a `sets` empties the map and calls the listeners).
   */
  keptAnswer(path: string): object | undefined {
    if (this.io.reference || !this.running) return undefined;
    let a = this.answers.get(path);
    if (a === undefined) {
      const q = path.indexOf("?");
      const route = this.spec.routes?.[(q >= 0 ? path.slice(0, q) : path) || "/"];
      if (route?.timeline || route?.sets) return undefined;
      a = this.answer(path);
      if (this.answers.size > 1_000) this.answers.clear();
      this.answers.set(path, a);
    }
    return a;
  }

  /** Listeners of the next change of a kept answer (a `sets`) or of the ports (the process exits). */
  private listeners: Array<() => void> = [];

  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private changed(): void {
    if (this.listeners.length === 0) return;
    const fns = this.listeners;
    this.listeners = [];
    for (const fn of fns) fn();
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.changed();
    for (const t of this.timers) this.io.clock.clear(t);
    this.onExit?.(code);
  }
}
