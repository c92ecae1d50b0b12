/** A fake ProcessIO over a real SimClock and MemFs, for the shell's unit tests. */
import { SimClock } from "../../sim/clock.ts";
import { MemFs } from "../vfs.ts";
import type { HttpOutcome, HttpRequestSpec, Process, ProcessIO } from "../types.ts";
import { createShellProcess, type ShellProcessOptions } from "./index.ts";

export interface Harness {
  clock: SimClock;
  fs: MemFs;
  io: ProcessIO;
  out: string[];
  err: string[];
  /** All stdout text so far. */
  stdout(): string;
  stderr(): string;
  dns: Map<string, string>;
  /** Addresses that answer an ICMP echo request (`ping`). */
  echoing: Set<string>;
  /** Answers for http requests by URL: an outcome, delayed by `delayMs`. */
  http: (req: HttpRequestSpec) => { outcome: HttpOutcome; delayMs?: number };
  requests: HttpRequestSpec[];
  run(argv: string[], opts?: ShellProcessOptions): { proc: Process; exit: () => number | undefined; exitedAt: () => number | undefined };
}

export function harness(): Harness {
  const clock = new SimClock();
  const fs = new MemFs(clock, { "/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n" });
  fs.mkdir("/tmp");
  const out: string[] = [];
  const err: string[] = [];
  const dns = new Map<string, string>();
  const echoing = new Set<string>();
  const requests: HttpRequestSpec[] = [];
  const h: Harness = {
    clock,
    fs,
    out,
    err,
    dns,
    echoing,
    requests,
    stdout: () => out.join(""),
    stderr: () => err.join(""),
    http: () => ({ outcome: { ok: false, error: "connection refused", kind: "refused" } }),
    io: undefined as unknown as ProcessIO,
    run(argv, opts) {
      const proc = createShellProcess(argv, h.io, opts);
      let code: number | undefined;
      let at: number | undefined;
      proc.start((c) => {
        if (code !== undefined) throw new Error("onExit called twice");
        code = c;
        at = clock.now();
      });
      clock.settle();
      return { proc, exit: () => code, exitedAt: () => at };
    },
  };
  h.io = {
    clock,
    fs,
    env: { HOME: "/root", PATH: "/bin" },
    hostname: "pod1",
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    resolve: (name) => dns.get(name),
    echoes: (ip) => echoing.has(ip),
    http: (req, done) => {
      requests.push(req);
      const { outcome, delayMs } = h.http(req);
      clock.setTimeout(() => done(outcome), delayMs ?? 0);
    },
  };
  return h;
}

/** Runs `sh -c script` until it exits (at most `maxMs` of simulated time). */
export function sh(script: string, setup?: (h: Harness) => void, maxMs = 60_000): { code: number | undefined; out: string; err: string; h: Harness; ms: number | undefined } {
  const h = harness();
  setup?.(h);
  const start = h.clock.now();
  const r = h.run(["sh", "-c", script]);
  let waited = 0;
  while (r.exit() === undefined && waited < maxMs) {
    h.clock.advance(1000);
    waited += 1000;
  }
  const at = r.exitedAt();
  return { code: r.exit(), out: h.stdout(), err: h.stderr(), h, ms: at === undefined ? undefined : at - start };
}
