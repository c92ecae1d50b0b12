/**
 * Test support: a simulated cluster served on loopback and the real `kubectl` (v1.32, from PATH)
 * pointed at it, run as a child process while this process serves.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { clientFetch, type Fetch } from "./testclient.ts";

export interface KubectlResult {
  code: number;
  out: string;
  err: string;
}

export interface Harness {
  url: string;
  /** fetch as an API client sends it: the server's CA and token (testclient.ts). */
  fetch: Fetch;
  cluster: Cluster;
  dir: string;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  /** Starts a long-running kubectl (`get -w`, `logs -f`) whose output is read as it comes. */
  kubectlStream(args: string[]): KubectlStream;
  /** Writes a file in the harness's temporary directory and returns its path. */
  file(name: string, text: string): string;
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
/** A reason to skip tests that need the real kubectl, or false when it is installed. */
export const NO_KUBECTL: string | false = probe.status !== 0 ? "kubectl is not installed on this machine" : false;

export async function withKubectl(fn: (h: Harness) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  const s = await serve(cluster);
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
  try {
    await fn({ url: s.url, fetch: clientFetch(s), cluster, dir, kubectl, kubectlStream, file });
  } finally {
    // A test that failed half-way leaves no kubectl behind.
    await Promise.all([...running].map((k) => k.stop()));
    await s.close();
    await cluster.close();
  }
}
