#!/usr/bin/env node
// Parity check: the course features tagged @parity run through the live backend (the real kubectl
// and @kubernetes/client-node) against kube-scenario's own API facade, so the simulated path and
// the live path stay in step. Starts `kube-scenario serve` on free loopback ports (no nodes: each
// scenario's node table creates them; --resettable: each scenario starts on a fresh simulated
// cluster), writes their kubeconfigs, runs the features, prints `N passed, N failed` (and skipped),
// and stops the servers. Each Cucumber worker gets its own server (a reset must not wipe another
// worker's scenario): KUBE_SCENARIO_PARITY_WORKERS=1 runs them one after another.
//   node scripts/parity.mjs                      # every @parity scenario under features/course
//   node scripts/parity.mjs features/course/scheduling.feature
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith("-"));
const workers = Math.max(1, Number(process.env.KUBE_SCENARIO_PARITY_WORKERS ?? 2));
const dir = mkdtempSync(join(tmpdir(), "kube-scenario-parity-"));
const servers = [];
const stop = () => {
  for (const s of servers) if (s.exitCode === null) s.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", stop);

function startServer(kubeconfig) {
  const server = spawn(process.execPath, ["bin/kube-scenario.mjs", "serve", "--port", "0", "--nodes=", "--resettable", "--kubeconfig", kubeconfig], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = /simulated cluster at (https?:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`kube-scenario serve exited with code ${code} before serving:\n${out}`)));
  });
}

const kubeconfigs = Array.from({ length: workers }, (_, i) => join(dir, `kubeconfig-${i}`));
const urls = await Promise.all(kubeconfigs.map(startServer));
console.log(`parity: API facade at ${urls.join(", ")}; running the @parity features through the live backend`);

const run = spawnSync(
  process.execPath,
  [
    "scripts/run-features.mjs",
    "--tags",
    "@parity",
    ...(workers > 1 ? ["--parallel", String(workers)] : []),
    ...args.filter((a) => a.startsWith("-")),
    ...(paths.length ? paths : ["features/course"]),
  ],
  { stdio: "inherit", env: { ...process.env, KUBE_SCENARIO_BACKEND: "live", KUBECONFIG: kubeconfigs[0], KUBE_SCENARIO_KUBECONFIGS: kubeconfigs.join(",") } },
);
stop();
process.exit(run.status ?? 1);
