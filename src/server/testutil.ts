/**
 * Test support: a simulated cluster served on loopback and the real `kubectl` (v1.32, from PATH)
 * pointed at it, run as a child process while this process serves.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "./apiserver.ts";
import { setErrorReporter } from "./panicrecovery.ts";
import assert from "node:assert/strict";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { TestContext } from "node:test";

export interface KubectlResult {
  code: number;
  out: string;
  err: string;
}

export interface Harness {
  url: string;
  /** fetch as an API client sends it: the server's CA and token (clientFetch below). */
  fetch: Fetch;
  cluster: Cluster;
  /** The running facade (its open watches and streams). */
  server: RunningServer;
  /** The harness's temporary directory, removed when the test ends. */
  dir: string;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  /** Starts a long-running kubectl (`get -w`, `logs -f`) whose output is read as it comes. */
  kubectlStream(args: string[]): KubectlStream;
  /** Writes a file in the harness's temporary directory and returns its path. */
  file(name: string, text: string): string;
  /** The server's log lines so far (a failed authentication's error...). */
  logs: string[];
}

/** A kubectl still running: wait on what it has printed, then stop it. */
export interface KubectlStream {
  /** What it printed on stdout so far. */
  readonly out: string;
  /**
   * Resolves with stdout once it matches `pattern`; rejects when kubectl exits first, or when
   * `signal` aborts (a test's safety net against a hang, e.g. `AbortSignal.timeout(…)`, not a
   * window it depends on).
   */
  waitFor(pattern: RegExp, signal?: AbortSignal): Promise<string>;
  /** Ends kubectl (SIGTERM) if it still runs and resolves with all it printed. */
  stop(): Promise<KubectlResult>;
}

const probe = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
/** Why the real kubectl cannot run here, or undefined when it can. */
export const KUBECTL_MISSING: string | undefined =
  probe.status !== 0 ? `kubectl is not installed on this machine (${probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`)})` : undefined;

/**
 * The `skip` option of a test that needs the real kubectl: the reason where kubectl is missing,
 * except where KUBE_SCENARIO_REQUIRE_KUBECTL=1 (.ci/run sets it): there the test runs and fails at
 * `requireKubectl` (withKubectl calls it), so CI cannot pass by skipping them.
 */
export const NO_KUBECTL: string | false = KUBECTL_MISSING && process.env.KUBE_SCENARIO_REQUIRE_KUBECTL !== "1" ? KUBECTL_MISSING : false;

/** Throws when the real kubectl is missing: the first line of every test that needs it. */
export function requireKubectl(): void {
  if (KUBECTL_MISSING) throw new Error(`${KUBECTL_MISSING}; this test needs it (KUBE_SCENARIO_REQUIRE_KUBECTL=1 makes its absence a failure)`);
}

/**
 * `cleanup`, run once: when `fn` ends (passed or failed) and, given the test's context, also when
 * the test times out or is cancelled. node:test abandons a timed-out test where it waits, so its
 * `finally` never runs; a server left listening kept the whole unit run alive (scripts/unit-tests.mjs
 * now fails such a run, naming the file). `t.after` runs in either case.
 */
export async function closing(t: TestContext | undefined, cleanup: () => Promise<void> | void, fn: () => Promise<void>): Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => (done ??= Promise.resolve().then(cleanup));
  t?.after(once);
  try {
    await fn();
  } finally {
    await once();
  }
}

/** A test's context, when the caller gave one before the function (`withKubectl(t, async (h) => …)`). */
type WithArgs<F> = [fn: F] | [t: TestContext, fn: F];
const split = <F>(args: WithArgs<F>): [TestContext | undefined, F] => (args.length === 1 ? [undefined, args[0]] : [args[0], args[1]]);

export async function withKubectl(...args: WithArgs<(h: Harness) => Promise<void>>): Promise<void> {
  const [t, fn] = split(args);
  requireKubectl();
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  const logs: string[] = [];
  const s = await serve(cluster, { log: (line) => logs.push(line) });
  const dir = mkdtempSync(join(tmpdir(), "ks-kubectl-"));
  const kc = join(dir, "kubeconfig");
  writeFileSync(kc, s.kubeconfig());
  const kubectl = (args: string[], stdin?: string) =>
    new Promise<KubectlResult>((resolve) => {
      // Own cache dir: the discovery and OpenAPI caches of other runs stay out of the way.
      const child = execFile("kubectl", ["--kubeconfig", kc, "--cache-dir", join(dir, "cache"), ...args], { env: { ...process.env, KUBECTL_KUBERC: "false", TZ: "UTC" } }, (error, out, err) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out, err }),
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    });
  const running = new Set<KubectlStream>();
  const kubectlStream = (args: string[]): KubectlStream => {
    const child = spawn("kubectl", ["--kubeconfig", kc, "--cache-dir", join(dir, "cache"), ...args], { env: { ...process.env, KUBECTL_KUBERC: "false", TZ: "UTC" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let code: number | undefined;
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => ((out += d), wake()));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const exited = new Promise<void>((resolve) => child.on("close", (c, signal) => ((code = c ?? (signal ? 143 : 1)), resolve(), wake())));
    const stream: KubectlStream = {
      get out() {
        return out;
      },
      waitFor: (pattern, signal) =>
        new Promise<string>((resolve, reject) => {
          const check = () => {
            if (pattern.test(out)) done(() => resolve(out));
            else if (code !== undefined) done(() => reject(new Error(`kubectl ${args.join(" ")} exited (${code}) before printing ${pattern}:\n${out}\n${err}`)));
          };
          const abort = () => done(() => reject(new Error(`kubectl ${args.join(" ")} had not printed ${pattern} when the wait was given up:\n${out}\n${err}`)));
          const done = (settle: () => void) => {
            signal?.removeEventListener("abort", abort);
            waiters.delete(check);
            settle();
          };
          waiters.add(check);
          signal?.addEventListener("abort", abort);
          if (signal?.aborted) abort();
          else check();
        }),
      stop: async () => {
        if (code === undefined) child.kill("SIGTERM");
        await exited;
        running.delete(stream);
        return { code: code!, out, err };
      },
    };
    running.add(stream);
    return stream;
  };
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  // A test that failed (or, given `t`, timed out) half-way leaves no kubectl behind, and no files.
  await closing(
    t,
    async () => {
      await Promise.all([...running].map((k) => k.stop()));
      await s.close();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
    () => fn({ url: s.url, fetch: clientFetch(s), cluster, server: s, dir, kubectl, kubectlStream, file, logs }),
  );
}

/**
 * Resolves once `condition` holds, checked every 10 ms; rejects naming `what` when `signal` aborts
 * first (a bound against a hang, e.g. `AbortSignal.timeout(20_000)`: tests wait for what they need,
 * not for a length of time).
 */
export async function until(condition: () => boolean, what: string, signal: AbortSignal): Promise<void> {
  while (!condition()) {
    if (signal.aborted) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => globalThis.setTimeout(r, 10));
  }
}

/**
 * A `fetch` for the facade as an API client uses it: over HTTPS trusting the
 * server's CA, with its bearer token, and `Content-Type: application/json` for a string body when
 * none is given (WHATWG fetch would send text/plain, which the API server refuses with 415, as it
 * refuses a web page's form post). Built on node:http(s) because fetch cannot be given a CA.
 * Answers are WHATWG Responses (their body streams, for watches).
 */
export interface ServedAt {
  url: string;
  token: string | undefined;
  caPEM: string | undefined;
}

export type Fetch = (input: string | URL, init?: RequestInit & { /** skip the token */ anonymous?: boolean }) => Promise<Response>;

export function clientFetch(server: ServedAt): Fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input), server.url);
      const headers = new Headers(init.headers);
      if (server.token && !init.anonymous && !headers.has("authorization")) headers.set("authorization", `Bearer ${server.token}`);
      if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === "string" ? init.body : Buffer.from(init.body as ArrayBuffer);
      // As fetch frames a body: node:http sends a DELETE's (or GET's) unframed unless given its length.
      if (body !== undefined && !headers.has("content-length")) headers.set("content-length", String(Buffer.byteLength(body)));
      // A connection per request: a pooled one may have been closed by the server while the test was busy.
      const opts = { method: init.method ?? "GET", headers: Object.fromEntries(headers), signal: init.signal ?? undefined, ca: server.caPEM, agent: false };
      const onResponse = (res: IncomingMessage) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
        const status = res.statusCode ?? 0;
        const bodyless = status === 204 || status === 304 || status < 200;
        if (bodyless) res.resume();
        resolve(new Response(bodyless ? null : (Readable.toWeb(res) as ReadableStream), { status, statusText: res.statusMessage, headers: h }));
      };
      const req = url.protocol === "https:" ? httpsRequest(url, opts, onResponse) : httpRequest(url, opts, onResponse);
      req.on("error", reject);
      req.end(body);
    });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request with exactly the given headers (no token unless given, no defaults but Host), for
 * tests of the filters; `body` may be a string or a stream of chunks.
 */
export function rawRequest(
  server: ServedAt,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer | AsyncIterable<Buffer>;
    /** Accept the certificate whatever the Host header names (a client that sends a foreign Host). */
    insecureHostname?: boolean;
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(opts.path, server.url);
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    };
    const o = { method: opts.method ?? "GET", headers: opts.headers ?? {}, ca: server.caPEM, agent: false, ...(opts.insecureHostname ? { checkServerIdentity: () => undefined } : {}) };
    const req = url.protocol === "https:" ? httpsRequest(url, o, onResponse) : httpRequest(url, o, onResponse);
    req.on("error", reject);
    const body = opts.body;
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else
      void (async () => {
        try {
          for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
          req.end();
        } catch {
          // the server closed the connection while the body was being sent: the answer tells why
        }
      })();
  });
}

/**
 * A served cluster with one node for raw REST requests (`clientFetch`), failing the test if any
 * request ended in an internal error (the facade's panic recovery reported it).
 */
export async function withServer(...args: WithArgs<(f: Fetch, cluster: Cluster) => Promise<void>>): Promise<void> {
  const [t, fn] = split(args);
  const reported: string[] = [];
  const restore = setErrorReporter((where, e) => reported.push(`${where}: ${(e as Error).message}`));
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  const s = await serve(cluster);
  await closing(
    t,
    async () => {
      restore();
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(clientFetch(s), cluster);
      assert.deepEqual(reported, [], "no request ended in an internal error");
    },
  );
}

/** The fields of the API server's Status a test reads. */
export interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
}

/** One raw request with an optional body (JSON unless said), answered as its status and decoded body. */
export const send = async (f: Fetch, method: string, path: string, body?: string, contentType = "application/json") => {
  const r = await f(path, { method, body, headers: body === undefined ? {} : { "content-type": contentType } });
  return { status: r.status, body: (await r.json()) as Status & Record<string, unknown> };
};
