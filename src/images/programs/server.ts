/**
 * The shape every modelled main process shares: a program that started at some instant, may open
 * ports (each with an HTTP handler: what a probe, a Service or `wget` gets), may report the memory
 * it holds, writes logs, and ends on its own or on a signal as the real program does.
 *
 * Signals: the runtime's "SIGTERM" is the image's stop signal (containerd sends STOPSIGNAL: SIGQUIT
 * for nginx, SIGINT for postgres, SIGWINCH for httpd); each program says what it does on it
 * (`onStop`). SIGKILL always ends it with 137. Programs written in Go that do not handle SIGTERM
 * exit with 2 when they run as PID 1: the Go runtime re-raises the signal with the default action,
 * the kernel ignores it for a namespace's init, and the runtime then calls exit(2).
 */
import type { AppServer, ContainerProcess, ProcessIO, ProxyPass, Signal } from "../../runtime/types.ts";
import type { TimerHandle } from "../../sim/clock.ts";

export interface HttpRequest {
  method: string;
  path: string;
  port: number;
  headers: Record<string, string>;
  /** The request's body (a POST's; absent for the GETs of probes and most clients). */
  body?: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
  delayMs?: number;
  /** CPU time computing the answer costs (default: the network's small per-request cost). */
  cpuMs?: number;
}

export type HttpHandler = (req: HttpRequest) => HttpAnswer;

/** What a stop signal does to a program: exit with a code (after a while), or nothing (ignored). */
export type StopBehaviour = { exitCode: number; afterMs?: number } | "ignore";

/** A request's fields besides the above (src/runtime/types.ts AppRequest): the source address the program sees, when the network says, and the HTTP version when not 1.1. */
export interface HttpRequest {
  client?: string;
  proto?: string;
}

/** An answer's field besides the above (AppAnswer): the program forwards the request upstream (a reverse proxy). */
export interface HttpAnswer {
  proxy?: ProxyPass;
}

/** Go's exit status for an unhandled SIGTERM in PID 1 (see the module comment). */
export const GO_UNHANDLED_SIGTERM: StopBehaviour = { exitCode: 2 };

/** Splits `/path?x=1&y=2` into the path and its query parameters (decoded). */
export function parseRequestPath(raw: string): { path: string; query: Map<string, string> } {
  const q = raw.indexOf("?");
  const path = (q >= 0 ? raw.slice(0, q) : raw) || "/";
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const part of raw.slice(q + 1).split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const k = eq >= 0 ? part.slice(0, eq) : part;
      const v = eq >= 0 ? part.slice(eq + 1) : "";
      try {
        query.set(decodeURIComponent(k.replace(/\+/g, " ")), decodeURIComponent(v.replace(/\+/g, " ")));
      } catch {
        query.set(k, v);
      }
    }
  }
  return { path, query };
}

/** A modelled main process: subclasses open ports, log and exit in `run()`. */
export abstract class ServerProcess implements ContainerProcess, AppServer {
  readonly app: AppServer = this;
  protected startedAt = -1;
  private exited = false;
  private onExit: ((code: number) => void) | undefined;
  /** The timers `after` set that have not fired: cleared when the process exits. */
  private readonly timers = new Set<TimerHandle>();
  private readonly openPorts = new Map<number, { handler: HttpHandler; from: number; tls?: boolean }>();
  /** What the image's stop signal does (default: the process dies of it, 143). */
  protected onStop: StopBehaviour = { exitCode: 143 };

  constructor(protected readonly io: ProcessIO) {}

  /** What the program does once started. */
  protected abstract run(): void;

  start(onExit: (exitCode: number) => void): void {
    this.onExit = onExit;
    this.startedAt = this.io.clock.now();
    this.run();
  }

  kill(signal: Signal): void {
    if (this.exited || this.startedAt < 0) return;
    if (signal === "SIGKILL") return this.exit(137);
    this.stopSignal();
  }

  /** The stop signal arrived (or `nginx -s quit` and the like, through the container's processes). */
  stopSignal(behaviour: StopBehaviour = this.onStop): void {
    if (this.exited) return;
    if (behaviour === "ignore") return;
    const code = behaviour.exitCode;
    if (!behaviour.afterMs) this.exit(code);
    else this.after(behaviour.afterMs, () => this.exit(code));
  }

  get running(): boolean {
    return this.startedAt >= 0 && !this.exited;
  }

  /** Simulated ms since the process started. */
  uptimeMs(): number {
    return this.startedAt < 0 ? -1 : this.io.clock.now() - this.startedAt;
  }

  /** Opens a port now (or `afterMs` from now) with this HTTP handler; `tls`: it serves HTTPS (AppServer.speaksTLS). */
  protected listen(port: number, handler: HttpHandler, afterMs = 0, tls = false): void {
    this.openPorts.set(port, tls ? { handler, from: this.io.clock.now() + afterMs, tls } : { handler, from: this.io.clock.now() + afterMs });
  }

  speaksTLS(port: number): boolean {
    return this.openPorts.get(port)?.tls === true;
  }

  protected closeAll(): void {
    this.openPorts.clear();
  }

  /** Runs `fn` `ms` from now while the process runs (its exit clears the timer). */
  protected after(ms: number, fn: () => void): void {
    const t = this.io.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  protected log(text: string): void {
    this.io.stdout(text.endsWith("\n") ? text : text + "\n");
  }

  protected logErr(text: string): void {
    this.io.stderr(text.endsWith("\n") ? text : text + "\n");
  }

  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.openPorts.clear();
    for (const t of this.timers) this.io.clock.clear(t);
    this.timers.clear();
    this.onExit?.(code);
  }

  listening(port: number): boolean {
    if (!this.running) return false;
    const p = this.openPorts.get(port);
    return p !== undefined && this.io.clock.now() >= p.from;
  }

  handle(req: HttpRequest): HttpAnswer {
    const p = this.openPorts.get(req.port);
    if (!p) return { status: 404, body: "" };
    return p.handler(req);
  }
}
