#!/usr/bin/env node
// Parity check: the course features tagged @parity run through the live backend (the real kubectl
// and @kubernetes/client-node) against kube-scenario's own API facade, so the simulated path and
// the live path stay in step. Starts `kube-scenario serve` on a free loopback port (no nodes: each
// scenario's node table creates them; --resettable: each scenario starts on a fresh simulated
// cluster), writes its kubeconfig, runs the features, prints `N passed, N failed` (and skipped),
// and stops the server.
//   node scripts/parity.mjs                      # every @parity scenario under features/course
//   node scripts/parity.mjs features/course/scheduling.feature
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith("-"));
const dir = mkdtempSync(join(tmpdir(), "kube-scenario-parity-"));
const kubeconfig = join(dir, "kubeconfig");

const server = spawn(process.execPath, ["bin/kube-scenario.mjs", "serve", "--port", "0", "--nodes=", "--resettable", "--kubeconfig", kubeconfig], {
  stdio: ["ignore", "pipe", "inherit"],
});
const stop = () => {
  if (server.exitCode === null) server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", stop);

const url = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = /simulated cluster at (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error(`kube-scenario serve exited with code ${code} before serving:\n${out}`)));
});
console.log(`parity: API facade at ${url}; running the @parity features through the live backend`);

const run = spawnSync(
  process.execPath,
  ["scripts/run-features.mjs", "--tags", "@parity", ...args.filter((a) => a.startsWith("-")), ...(paths.length ? paths : ["features/course"])],
  { stdio: "inherit", env: { ...process.env, KUBE_SCENARIO_BACKEND: "live", KUBECONFIG: kubeconfig } },
);
stop();
process.exit(run.status ?? 1);
