/**
 * Test support: a simulated cluster served on loopback and the real `kubectl` (v1.32, from PATH)
 * pointed at it, run as a child process while this process serves.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { kubeconfigFor } from "./kubeconfig.ts";

export interface KubectlResult {
  code: number;
  out: string;
  err: string;
}

export interface Harness {
  url: string;
  cluster: Cluster;
  dir: string;
  /** Runs kubectl; `onOut` sees its standard output as it arrives (for commands that stream). */
  kubectl(args: string[], stdin?: string, onOut?: (soFar: string) => void): Promise<KubectlResult>;
  /** Writes a file in the harness's temporary directory and returns its path. */
  file(name: string, text: string): string;
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

export async function withKubectl(fn: (h: Harness) => Promise<void>): Promise<void> {
  requireKubectl();
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  const s = await serve(cluster);
  const dir = mkdtempSync(join(tmpdir(), "ks-kubectl-"));
  const kc = join(dir, "kubeconfig");
  writeFileSync(kc, kubeconfigFor(s.url));
  const kubectl = (args: string[], stdin?: string, onOut?: (soFar: string) => void) =>
    new Promise<KubectlResult>((resolve) => {
      // Own cache dir: the discovery and OpenAPI caches of other runs stay out of the way.
      const child = execFile("kubectl", ["--kubeconfig", kc, "--cache-dir", join(dir, "cache"), ...args], { env: { ...process.env, KUBECTL_KUBERC: "false", TZ: "UTC" } }, (error, out, err) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out, err }),
      );
      if (onOut) {
        let soFar = "";
        child.stdout?.on("data", (chunk: Buffer | string) => onOut((soFar += chunk.toString())));
      }
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  try {
    await fn({ url: s.url, cluster, dir, kubectl, file });
  } finally {
    await s.close();
    await cluster.close();
  }
}
