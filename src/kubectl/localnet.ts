/**
 * The user's machine's network, as far as the simulation needs it: the TCP ports programs of the
 * terminal listen on (`kubectl port-forward`, `kubectl proxy`), and where a background job's output
 * goes (the terminal). A `curl localhost:8080` in the terminal's shell reaches the program that
 * listens on 127.0.0.1:8080 (or on 0.0.0.0:8080); nothing listening there is `connection refused`,
 * as on a real machine.
 *
 * Ports a program asks the kernel to choose (`kubectl port-forward pod/x :80`, `kubectl proxy
 * --port=0`) come from Linux's ephemeral range (net.ipv4.ip_local_port_range, 32768–60999): the
 * n-th such choice on a machine is drawn from a source keyed by n alone (`keyedRandom`), so the same
 * scenario gets the same port whatever its seed, and a port in use is never chosen.
 */
import { keyedRandom } from "../sim/random.ts";
import type { HttpOutcome, HttpRequestSpec } from "../runtime/types.ts";

/** What a listening program does with one HTTP request that reached it (answers through `done`, later or at once). */
export type LocalHandler = (req: { method: string; path: string; headers: Record<string, string>; timeoutMs?: number; body?: string }, done: (o: HttpOutcome) => void) => void;

/** The terminal a background job prints on. */
export interface Terminal {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Linux's default net.ipv4.ip_local_port_range. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

export class LocalNetwork {
  /** Listening sockets by `address|port` (address as bound: 127.0.0.1, ::1, 0.0.0.0, ::). */
  private readonly bound = new Map<string, LocalHandler>();
  private chosen = 0;
  /**
   * Requests to a listening program not answered yet: the terminal's shell lets simulated time
   * pass while one waits (the pod behind a port-forward answers after its CPU time), as curl waits.
   */
  inFlight = 0;
  /**
   * Where a background job's output goes while a command line runs in the terminal (set by the
   * terminal's shell around each line): a `Handling connection for 8080` printed while `curl` runs
   * shows before curl's own output, as on a terminal. Undefined between command lines: the text
   * then waits in `pending` and shows before the next line's output.
   */
  terminal: Terminal | undefined;
  /** What background jobs printed between command lines. */
  readonly pending = { stdout: "", stderr: "" };

  /** Prints a background job's text on the terminal (its standard output or error). */
  print(stream: "stdout" | "stderr", text: string): void {
    if (this.terminal) this.terminal[stream](text);
    else this.pending[stream] += text;
  }

  /** Takes what background jobs printed since the last command line. */
  takePending(): { stdout: string; stderr: string } {
    const t = { ...this.pending };
    this.pending.stdout = this.pending.stderr = "";
    return t;
  }

  /**
   * Binds `address:port` (port 0: an ephemeral port) for `handler`: the port bound, or the error
   * text Go's net.Listen gives (`listen tcp4 127.0.0.1:8080: bind: address already in use`).
   */
  listen(protocol: "tcp4" | "tcp6", address: string, port: number, handler: LocalHandler): { port: number } | { error: string } {
    const p = port === 0 ? this.ephemeral(address) : port;
    if (this.inUse(address, p)) return { error: `listen ${protocol} ${joinHostPort(address, p)}: bind: address already in use` };
    if (!isLocalAddress(address)) return { error: `listen ${protocol} ${joinHostPort(address, p)}: bind: cannot assign requested address` };
    this.bound.set(`${address}|${p}`, handler);
    return { port: p };
  }

  close(address: string, port: number): void {
    this.bound.delete(`${address}|${port}`);
  }

  /** Whether a socket is bound on the port that conflicts with `address` (a wildcard conflicts with every address of its family). */
  private inUse(address: string, port: number): boolean {
    const v6 = address.includes(":");
    for (const key of this.bound.keys()) {
      const [a, p] = key.split("|") as [string, string];
      if (Number(p) !== port) continue;
      if (a === address) return true;
      if (a.includes(":") === v6 && (a === "0.0.0.0" || a === "::" || address === "0.0.0.0" || address === "::")) return true;
    }
    return false;
  }

  /** The program listening where a connection to `ip:port` arrives, if any. */
  listener(ip: string, port: number): LocalHandler | undefined {
    const v6 = ip.includes(":");
    return this.bound.get(`${ip}|${port}`) ?? this.bound.get(`${v6 ? "::" : "0.0.0.0"}|${port}`);
  }

  /** The kernel's choice of a free port: the n-th draw keyed by n, past ports in use. */
  private ephemeral(address: string): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    let p = EPHEMERAL_FIRST + keyedRandom(`local-port#${this.chosen++}`).int(span);
    while (this.inUse(address, p)) p = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
    return p;
  }

  /**
   * An HTTP request from the machine to one of its own addresses (`ip` already resolved): to the
   * listening program, else refused as the kernel refuses it.
   */
  http(ip: string, port: number, req: HttpRequestSpec, path: string, done: (o: HttpOutcome) => void): boolean {
    if (!isLocalAddress(ip) || ip === "0.0.0.0" || ip === "::") return false;
    const h = this.listener(ip, port);
    if (!h) {
      done({ ok: false, kind: "refused", error: `dial tcp ${joinHostPort(ip, port)}: connect: connection refused` });
      return true;
    }
    this.inFlight++;
    let answered = false;
    h({ method: req.method, path, headers: req.headers ?? {}, timeoutMs: req.timeoutMs, body: req.body }, (o) => {
      if (answered) return;
      answered = true;
      this.inFlight--;
      done(o);
    });
    return true;
  }
}

/** The machine's own addresses: loopback (127.0.0.0/8, ::1) and the wildcards. */
export function isLocalAddress(ip: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(ip) || ip === "::1" || ip === "0.0.0.0" || ip === "::";
}

/** Go's net.JoinHostPort: an IPv6 address in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
