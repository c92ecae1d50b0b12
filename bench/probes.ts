/**
 * Probes at scale: 1,000 kubetm/app pods with a readiness and a liveness httpGet probe, behind 50
 * Services, with one client per Service sending a request every second, for one simulated hour.
 * Prints wall time, the simulated-to-wall ratio (aim: at least 10^4), probe runs per wall second
 * and peak memory. `BENCH_SMOKE=1`: 100 pods, 5 Services, 10 simulated minutes.
 */
import { Cluster } from "../src/cluster.ts";
import { TrafficClient } from "../src/network/client.ts";
import { kubelets } from "../src/kubelet/manager.ts";
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { cpuMs, PeakMemory, report, SMOKE, timeIt } from "./lib.ts";

/**
 * `PROFILE_STEADY=file.cpuprofile`: a CPU profile of the steady state (after the first 3 minutes);
 * `PROFILE_STARTUP=file.cpuprofile`: a CPU profile of the first 3 simulated minutes alone (the
 * pods pulled, created, scheduled and started, the Endpoints and EndpointSlices filling);
 * `PROFILE_MINUTES=47-50 PROFILE_WINDOW=file.cpuprofile`: a CPU profile of those simulated minutes
 * (here the projected service-account tokens' refresh, due at 80 % of 3,607 s).
 */
const session = new Session();
function startProfile(): void {
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
}
function stopProfile(file: string): void {
  session.post("Profiler.stop", (err, r) => {
    if (!err) writeFileSync(file, JSON.stringify(r.profile));
  });
}

const PODS = Number(process.env.PODS ?? (SMOKE ? 100 : 1000));
const SERVICES = Number(process.env.SERVICES ?? Math.max(1, Math.round(PODS / 20)));
const SIM_MS = Number(process.env.SIM_MIN ?? (SMOKE ? 10 : 60)) * 60_000;
/** 20 pods a node: image pulls are serialized per node (3 s each), so the pods start within a minute. */
const NODES = Math.ceil(PODS / 20);

const mem = new PeakMemory();
// No wall-time budget: on a loaded machine applying the 1,050 objects alone can take over 30 s of wall time.
const cluster = new Cluster({ seed: 7, advanceBudgetMs: 0 });
cluster.addNodesFromTable(Array.from({ length: NODES }, (_, i) => ({ name: `node-${i + 1}`, pods: "110", cpu: "64", memory: "256Gi" })));

let yaml = "";
for (let s = 0; s < SERVICES; s++) {
  yaml += `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${s}\nspec:\n  selector:\n    app: app-${s}\n  ports:\n  - port: 8080\n    targetPort: 8080\n`;
}
for (let p = 0; p < PODS; p++) {
  yaml += `---
apiVersion: v1
kind: Pod
metadata:
  name: pod-${p}
  labels:
    app: app-${p % SERVICES}
spec:
  containers:
  - name: app
    image: kubetm/app
    ports:
    - containerPort: 8080
    readinessProbe:
      httpGet: {path: /health, port: 8080}
      periodSeconds: 10
    livenessProbe:
      httpGet: {path: /health, port: 8080}
      initialDelaySeconds: 15
      periodSeconds: 10
  terminationGracePeriodSeconds: 0
`;
}

const setup = timeIt(() => cluster.applySync(yaml));
mem.sample();
const clients = Array.from({ length: SERVICES }, (_, s) => new TrafficClient(cluster.ctx, `http://svc-${s}:8080/hostname`, 1000, { podNames: false }));
for (const c of clients) c.start();

const firedBefore = cluster.clock.fired;
const cpu0 = process.cpuUsage();
// The steady state's own cost: CPU time and timer callbacks after the first three minutes (start-up).
const STARTUP_MS = 180_000;
let cpuStartup = cpu0;
let firedStartup = firedBefore;
if (process.env.PROFILE_STARTUP) startProfile();
const [windowFrom, windowTo] = process.env.PROFILE_MINUTES ? process.env.PROFILE_MINUTES.split("-").map((m) => Number(m) * 60_000) : [NaN, NaN];
let windowCpu = NaN;
let windowCpu0 = cpu0;
const run = timeIt(() => {
  // Advance in one-minute slices to sample memory along the way.
  for (let t = 0; t < SIM_MS; t += 60_000) {
    if (t === windowFrom) {
      windowCpu0 = process.cpuUsage();
      if (process.env.PROFILE_WINDOW) startProfile();
    }
    cluster.advanceSync(60_000);
    mem.sample();
    if (t + 60_000 === windowTo) {
      windowCpu = cpuMs(windowCpu0);
      if (process.env.PROFILE_WINDOW) stopProfile(process.env.PROFILE_WINDOW);
    }
    if (t + 60_000 === STARTUP_MS) {
      cpuStartup = process.cpuUsage();
      firedStartup = cluster.clock.fired;
      if (process.env.PROFILE_STARTUP) stopProfile(process.env.PROFILE_STARTUP);
      if (process.env.PROFILE_STEADY) startProfile();
    }
  }
});
if (process.env.PROFILE_STEADY) stopProfile(process.env.PROFILE_STEADY);
const runCpuMs = cpuMs(cpu0);
const steadyCpuMs = SIM_MS > STARTUP_MS ? cpuMs(cpuStartup) : NaN;
const startupCpuMs = SIM_MS > STARTUP_MS ? runCpuMs - steadyCpuMs : NaN;
const steadyMin = (SIM_MS - STARTUP_MS) / 60_000;
for (const c of clients) c.finish();

let probeRuns = 0;
for (const k of kubelets(cluster.ctx).values()) probeRuns += k.proberManager?.probeRuns ?? 0;
const requests = clients.reduce((n, c) => n + c.records.length, 0);
const failed = clients.reduce((n, c) => n + c.failed, 0);
const ready = cluster.api.list("Pod").filter((p) => (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True")).length;

const ratio = SIM_MS / run.ms;
console.error(
  `probes: ${PODS} pods, ${SERVICES} services, ${SIM_MS / 60_000} simulated min in ${(run.ms / 1000).toFixed(2)} s wall (setup ${(setup.ms / 1000).toFixed(2)} s): ` +
    `${Math.round(ratio)}x real time, ${probeRuns} probe runs (${Math.round(probeRuns / (run.ms / 1000))}/s), ` +
    `${requests} requests (${failed} failed), ${ready} pods Ready, ${cluster.clock.fired - firedBefore} timers, peak RSS ${mem.mib} MiB; ` +
    `the first 3 min: ${Math.round(startupCpuMs)} ms CPU and ${firedStartup - firedBefore} timers; ` +
    `after the first 3 min: ${Math.round(steadyCpuMs / steadyMin)} ms CPU and ${Math.round((cluster.clock.fired - firedStartup) / steadyMin)} timers per simulated minute`,
);
if (!Number.isNaN(windowCpu)) console.error(`simulated minutes ${windowFrom / 60_000}-${windowTo / 60_000}: ${Math.round(windowCpu)} ms CPU`);
if (ready !== PODS) throw new Error(`only ${ready} of ${PODS} pods are Ready`);
if (probeRuns < ((PODS * 2 * SIM_MS) / 10_000) * 0.8) throw new Error(`too few probe runs: ${probeRuns}`);

// `BENCH_HASH=1`: a hash of every stored object of the kinds the workload writes, the store's
// resourceVersion and every client record, to compare engines or commits (exact to the byte).
if (process.env.BENCH_HASH) {
  const h = createHash("sha256");
  for (const kind of ["Pod", "Endpoints", "EndpointSlice", "Event", "Node", "Service", "Lease"]) h.update(JSON.stringify(cluster.api.list(kind)));
  h.update(String(cluster.api.resourceVersion));
  for (const c of clients) h.update(JSON.stringify(c.records));
  console.error(`state hash ${h.digest("hex").slice(0, 16)} at resourceVersion ${cluster.api.resourceVersion}, ${cluster.api.count("Event")} Events`);
}

const label = `${PODS} pods / ${SERVICES} services / ${SIM_MS / 60_000} min`;
report({ name: `probes: CPU time, ${label}`, value: Math.round(runCpuMs), unit: "ms", better: "lower" });
if (steadyMin > 0) report({ name: `probes: CPU time of the first 3 simulated minutes (start-up), ${label}`, value: Math.round(startupCpuMs), unit: "ms", better: "lower" });
if (steadyMin > 0) report({ name: `probes: CPU time per steady simulated minute (after the first 3), ${label}`, value: Math.round(steadyCpuMs / steadyMin), unit: "ms", better: "lower" });
report({ name: `probes: timer callbacks per wall second, ${label}`, value: Math.round((cluster.clock.fired - firedBefore) / (run.ms / 1000)), unit: "events/s", better: "higher" });
report({ name: `probes: peak RSS per pod, ${label}`, value: Math.round((mem.mib * 1024) / PODS), unit: "KiB", better: "lower" });
report({ name: `probes: wall time, ${label}`, value: Math.round(run.ms), unit: "ms", better: "lower" });
report({ name: `probes: simulated/wall ratio, ${label}`, value: Math.round(ratio), unit: "x", better: "higher", against: "aim 10^4x real time", aim: 10_000 });
report({ name: `probes: probe runs per wall second, ${label}`, value: Math.round(probeRuns / (run.ms / 1000)), unit: "probes/s", better: "higher" });
report({ name: `probes: client requests per wall second, ${label}`, value: Math.round(requests / (run.ms / 1000)), unit: "req/s", better: "higher" });
report({ name: `probes: peak RSS, ${label}`, value: mem.mib, unit: "MiB", better: "lower" });
