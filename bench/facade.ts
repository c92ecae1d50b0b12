/**
 * The API facade under load (issue #16 §4): `kube-scenario serve` runs in a child process (as users
 * run it) holding a namespace `bench` with 100 pods and OTHER_PODS more pods in other namespaces,
 * and this process drives it over loopback HTTP with keep-alive connections:
 *  - lists of the 100 pods of `bench` per second at 1, 8 and 32 requests in flight (aim ≥ 1,000/s);
 *  - single GETs of a pod per second at 1, 8 and 32 in flight;
 *  - creates per second at 8 in flight;
 *  - the p50 and p99 latency of creates made one at a time while 32 clients list without pause
 *    (aim: p99 ≤ 100 ms).
 * The pods stay Pending (the cluster has no nodes), so the simulation does no work of its own and
 * what is measured is the HTTP front, the store and serialisation.
 * `BENCH_SMOKE=1`: 500 other pods and short runs.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { report, SMOKE } from "./lib.ts";

const OTHER_PODS = Number(process.env.BENCH_OTHER_PODS ?? (SMOKE ? 500 : 5000));
const OTHER_NAMESPACES = 10;
const RUN_MS = SMOKE ? 300 : 3000;
const CREATES_DURING_BURST = SMOKE ? 20 : 300;

const dir = mkdtempSync(join(tmpdir(), "bench-facade-"));
const pod = (ns: string, name: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {app: bench, tier: t${name.length % 3}}\nspec:\n  containers:\n  - name: app\n    image: kubetm/app\n    ports: [{containerPort: 8080}]\n    resources: {requests: {cpu: 100m, memory: 64Mi}}\n`;
let manifest = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n";
for (let n = 0; n < OTHER_NAMESPACES; n++) manifest += `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other-${n}}\n`;
for (let i = 0; i < 100; i++) manifest += pod("bench", `pod-${i}`);
for (let i = 0; i < OTHER_PODS; i++) manifest += pod(`other-${i % OTHER_NAMESPACES}`, `pod-${i}`);
writeFileSync(join(dir, "pods.yaml"), manifest);
const kubeconfig = join(dir, "kubeconfig");

const server = spawn(process.execPath, ["bin/kube-scenario.mjs", "serve", "--port", "0", "--nodes=", "--apply", join(dir, "pods.yaml"), "--kubeconfig", kubeconfig], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = "";
  server.stdout!.on("data", (d) => {
    out += d;
    const m = /simulated cluster at (https?:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  server.on("exit", (code) => reject(new Error(`kube-scenario serve exited with code ${code}:\n${out}`)));
});
const kc = readFileSync(kubeconfig, "utf8");
const token = /token: (\S+)/.exec(kc)?.[1];
const caData = /certificate-authority-data: (\S+)/.exec(kc)?.[1];
const base = new URL(url);
const tls = base.protocol === "https:";
const agent = tls ? new HttpsAgent({ keepAlive: true, maxSockets: 64, ca: caData ? Buffer.from(caData, "base64").toString() : undefined }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
const request = tls ? httpsRequest : httpRequest;

interface Reply {
  status: number;
  bytes: number;
  ms: number;
}

function call(method: string, path: string, body?: string): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const req = request({ host: base.hostname, port: base.port, method, path, agent, headers }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Runs `inFlight` loops of `fn` for RUN_MS; requests completed per second. */
async function throughput(inFlight: number, fn: (i: number) => Promise<Reply>, expect: number): Promise<number> {
  let done = 0;
  let n = 0;
  const end = performance.now() + RUN_MS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        const r = await fn(n++);
        if (r.status !== expect) throw new Error(`unexpected status ${r.status} (expected ${expect})`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (v: number) => Math.round(v * 10) / 10;

try {
  const first = await call("GET", "/api/v1/namespaces/bench/pods");
  if (first.status !== 200) throw new Error(`list failed with ${first.status}`);
  const listBytes = first.bytes;
  // Warm-up: JIT, connections.
  await throughput(8, () => call("GET", "/api/v1/namespaces/bench/pods"), 200);

  for (const inFlight of [1, 8, 32]) {
    const rate = await throughput(inFlight, () => call("GET", "/api/v1/namespaces/bench/pods"), 200);
    report({ name: `facade: list of 100 pods (${Math.round(listBytes / 1024)} KiB) among ${OTHER_PODS + 100}, ${inFlight} in flight`, value: round(rate), unit: "lists/s", better: "higher", against: "aim ≥ 1,000 lists/s", aim: 1000 });
  }
  for (const inFlight of [1, 8, 32]) {
    const rate = await throughput(inFlight, (i) => call("GET", `/api/v1/namespaces/bench/pods/pod-${i % 100}`), 200);
    report({ name: `facade: GET one pod, ${inFlight} in flight`, value: round(rate), unit: "GETs/s", better: "higher" });
  }
  let created = 0;
  const createRate = await throughput(8, () => call("POST", "/api/v1/namespaces/bench/configmaps", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${created++}` }, data: { k: "v" } })), 201);
  report({ name: "facade: create a ConfigMap, 8 in flight", value: round(createRate), unit: "creates/s", better: "higher" });

  // Creates one at a time while 32 clients list the 100 pods without pause.
  let stop = false;
  let lists = 0;
  const burst = Array.from({ length: 32 }, async () => {
    while (!stop) {
      const r = await call("GET", "/api/v1/namespaces/bench/pods");
      if (r.status !== 200) throw new Error(`list during the burst failed with ${r.status}`);
      lists++;
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  const latencies: number[] = [];
  for (let i = 0; i < CREATES_DURING_BURST; i++) {
    const r = await call("POST", "/api/v1/namespaces/other-0/configmaps", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `burst-${i}` }, data: { k: "v" } }));
    if (r.status !== 201) throw new Error(`create during the burst failed with ${r.status}`);
    latencies.push(r.ms);
  }
  stop = true;
  await Promise.all(burst);
  latencies.sort((a, b) => a - b);
  report({ name: "facade: create p50 while 32 clients list 100 pods", value: round(pct(latencies, 50)), unit: "ms", better: "lower", against: `${lists} lists served meanwhile` });
  report({ name: "facade: create p99 while 32 clients list 100 pods", value: round(pct(latencies, 99)), unit: "ms", better: "lower", against: "aim ≤ 100 ms", aim: 100 });
} finally {
  agent.destroy();
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
