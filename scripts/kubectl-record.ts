/**
 * Records transcripts of the real kubectl (src/kubectl/transcript.ts): for each transcript file
 * given, builds a simulated cluster with its nodes, serves it through `src/server` (the Kubernetes
 * API on loopback), runs every `run` step with the real kubectl on the PATH (v1.32) and writes
 * what it printed back into the file. `apply` and `advance` steps act on the served cluster
 * directly. The unit test src/kubectl.transcripts.test.ts replays the files against the
 * in-process kubectl.
 *
 *   node --import tsx scripts/kubectl-record.ts src/kubectl/testdata/config.yaml ...
 *
 * Only the outputs are rewritten: write the steps (commands, applies, advances, ignores) by hand.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { Cluster } from "../src/cluster.ts";
import { splitCommandLine } from "../src/kubectl/index.ts";
import { parseTranscript } from "../src/kubectl/transcript.ts";
import { serve } from "../src/server/apiserver.ts";

const kubectl = process.env.KUBECTL ?? "kubectl";
const version = spawnSync(kubectl, ["version", "--client"], { encoding: "utf8" });
if (version.status !== 0) {
  console.error(`cannot run ${kubectl} (set KUBECTL): ${version.stderr || version.error?.message}`);
  process.exit(1);
}
const clientVersion = /Client Version: (\S+)/.exec(version.stdout)?.[1] ?? "unknown";

for (const file of process.argv.slice(2)) {
  const t = parseTranscript(readFileSync(file, "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "kubectl-record-"));
  for (const [path, text] of Object.entries(t.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const cluster = new Cluster({ rootDir: dir });
  if (t.nodes?.length) cluster.addNodesFromTable(t.nodes.map((name) => ({ name })));
  const server = await serve(cluster, { port: 0 });
  const kubeconfig = join(dir, "kubeconfig");
  // The served cluster's own kubeconfig: its CA and token (without them kubectl waits for a
  // username on stdin).
  writeFileSync(kubeconfig, server.kubeconfig());
  for (const step of t.steps) {
    if (step.apply !== undefined) cluster.applySync(step.apply);
    if (step.advance !== undefined) cluster.advanceSync(step.advance);
    if (step.sh !== undefined) {
      // A command of the user's shell (`cat config-demo`): what kubectl wrote to the files.
      const r = spawnSync("bash", ["-c", step.sh], { cwd: dir, encoding: "utf8", env: { ...process.env, KUBECONFIG: kubeconfig } });
      step.stdout = r.stdout;
      step.stderr = r.stderr;
      step.exit = r.status ?? 1;
      console.log(`${step.exit === 0 ? "ok  " : `exit ${step.exit}`}  ${step.sh}`);
      continue;
    }
    if (step.run === undefined) continue;
    // Asynchronously: the facade answers kubectl from this process's event loop.
    const r = await run(splitCommandLine(step.run), dir, kubeconfig);
    step.stdout = r.stdout;
    // The discovery cache's errors against the facade are noise, unless the step is about them (`memcache: true`).
    step.stderr = step.memcache ? r.stderr : r.stderr.replace(/^.*memcache\.go.*\n/gm, "");
    step.exit = r.code;
    console.log(`${r.code === 0 ? "ok  " : `exit ${r.code}`}  kubectl ${step.run}`);
  }
  await server.close();
  const out = {
    recorded: `kubectl ${clientVersion} against kube-scenario serve (scripts/kubectl-record.ts)`,
    kubeconfig,
    server: server.url,
    ...(t.nodes ? { nodes: t.nodes } : {}),
    ...(t.files ? { files: t.files } : {}),
    steps: t.steps,
  };
  writeFileSync(file, stringify(out, { lineWidth: 0, blockQuote: "literal" }));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

function run(words: string[], cwd: string, kubeconfig: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    // `KUBE_EDITOR="sed -i …" kubectl edit …`: leading assignments are the command's environment.
    const assigned: Record<string, string> = {};
    while (words.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const w = words.shift()!;
      assigned[w.slice(0, w.indexOf("="))] = w.slice(w.indexOf("=") + 1);
    }
    const { KUBE_EDITOR: _k, EDITOR: _e, ...inherited } = process.env;
    const env = { ...inherited, KUBECONFIG: kubeconfig, KUBECTL_KUBERC: "false", TZ: "UTC", SHELL: "/bin/bash", ...assigned };
    const p = spawn(kubectl, words[0] === "kubectl" ? words.slice(1) : words, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ stdout, stderr, code: code ?? 0 }));
  });
}
