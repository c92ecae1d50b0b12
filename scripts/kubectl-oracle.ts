/**
 * Differential check of the simulated kubectl against the real kubectl client (on the PATH):
 * builds two identical simulated clusters, serves one through `src/server` (the Kubernetes API
 * over loopback) for the real kubectl, runs each command on both and prints SAME or a diff.
 * Real kubectl computes client-side ages (describe) from the wall clock, so age cells differ.
 *
 *   node --import tsx scripts/kubectl-oracle.ts [--manifest file.yaml] [--advance 2m] "get pods" "describe node k8s-node1" ...
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Cluster } from "../src/cluster.ts";
import { splitCommandLine } from "../src/kubectl/index.ts";
import { serve } from "../src/server/apiserver.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    manifest: { type: "string", multiple: true, default: [] },
    advance: { type: "string", default: "2m" },
    nodes: { type: "string", default: "k8s-node1,k8s-node2" },
    port: { type: "string", default: "16443" },
  },
});

function build(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable(values.nodes.split(",").map((name) => ({ name })));
  for (const m of values.manifest) c.applySync(readFileSync(m, "utf8"));
  c.advanceSync(values.advance);
  return c;
}

const dir = mkdtempSync(join(tmpdir(), "kubectl-oracle-"));
const served = build();
const mine = build();
const server = await serve(served, { port: Number(values.port) });
const kubeconfig = join(dir, "kubeconfig");
writeFileSync(kubeconfig, server.kubeconfig());

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ stdout, stderr, code: code ?? 0 }));
  });
}

const norm = (t: string) => t.replace(/^.*memcache\.go.*\n/gm, "").replace(/[ \t]+$/gm, "").replace(/\n+$/, "");
let same = 0;
for (const line of positionals) {
  const words = splitCommandLine(line);
  const real = await run("kubectl", words);
  const sim = mine.kubectlSync(words);
  if (norm(real.stdout) === norm(sim.stdout) && norm(real.stderr) === norm(sim.stderr) && (real.code === 0) === (sim.exitCode === 0)) {
    same++;
    console.log(`SAME  ${line}`);
    continue;
  }
  console.log(`DIFF  ${line}`);
  writeFileSync(join(dir, "real"), `exit ${real.code}\n${real.stdout}\n--stderr--\n${real.stderr}`);
  writeFileSync(join(dir, "sim"), `exit ${sim.exitCode}\n${sim.stdout}\n--stderr--\n${sim.stderr}`);
  const d = await run("diff", ["-u", join(dir, "real"), join(dir, "sim")]);
  console.log(d.stdout);
}
console.log(`${same} of ${positionals.length} the same`);
process.exit(0);
