/**
 * The kubelet under load: 1,000 pods on 10 nodes running shell commands for one simulated hour —
 * half crash every ~20 s and go through CrashLoopBackOff (restarts, back-off, events, status
 * writes), half run a loop that logs every 10 s. Reports wall time, simulated-to-wall ratio
 * (aim ≥ 10⁴×) and peak memory.
 * `PROFILE_MINUTES=5-20 PROFILE_WINDOW=file.cpuprofile`: a CPU profile of those simulated minutes
 * alone (the restarts' steady state, after the first starts), and their CPU time on stderr.
 * `BENCH_HASH=1`: a hash of every pod's final status and the Events, to check a change keeps them.
 */
import { Cluster } from "../src/cluster.ts";
import { cpuMs, PeakMemory, report, settledHeapBytes, SMOKE } from "./lib.ts";
import { performance } from "node:perf_hooks";
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";

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

const PODS = SMOKE ? 100 : 1000;
const NODES = Math.ceil(PODS / 100);
const HOURS_MS = (Number(process.env.BENCH_MINUTES) || (SMOKE ? 10 : 60)) * 60_000;

const heap0 = settledHeapBytes();
// No watchdog (as scripts/bench.mjs sets through the environment, and bench/probes.ts, bench/scale.ts):
// run directly on a loaded machine, a minute of 1,000 restarting pods can take over 30 s of wall time.
const c = new Cluster({ advanceBudgetMs: 0, maxTimersPerAdvance: Number.MAX_SAFE_INTEGER });
c.addNodesFromTable(Array.from({ length: NODES }, (_, i) => ({ name: `node${i + 1}` })));
const docs: string[] = [];
for (let i = 0; i < PODS; i++) {
  const crash = i % 2 === 0;
  const script = crash ? `echo start ${i}; sleep ${15 + (i % 10)}; echo crash; exit 1` : `n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done`;
  docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ['sh', '-c', '${script}']
    resources: {requests: {cpu: 10m, memory: 16Mi}}`);
}
const mem = new PeakMemory();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
c.applySync(docs.join("\n---\n"));
const applyCpu = cpuMs(cpu0);
const steps = HOURS_MS / 60_000;
const [windowFrom, windowTo] = process.env.PROFILE_MINUTES ? process.env.PROFILE_MINUTES.split("-").map(Number) : [NaN, NaN];
let windowCpu0 = cpu0;
let windowFired0 = 0;
for (let i = 0; i < steps; i++) {
  if (i === windowFrom) {
    windowCpu0 = process.cpuUsage();
    windowFired0 = c.clock.fired;
    if (process.env.PROFILE_WINDOW) startProfile();
  }
  const m0 = process.env.BENCH_MINUTE_CPU ? process.cpuUsage() : undefined;
  c.advanceSync(60_000);
  mem.sample();
  if (m0) {
    const r = c.api.list("Pod").reduce((s, p) => s + (p.status?.containerStatuses?.[0]?.restartCount ?? 0), 0);
    console.error(`minute ${i + 1}: CPU ${cpuMs(m0).toFixed(0)} ms, ${r} restarts so far`);
  }
  if (i + 1 === windowTo) {
    if (process.env.PROFILE_WINDOW) stopProfile(process.env.PROFILE_WINDOW);
    console.error(`minutes ${windowFrom}-${windowTo}: CPU ${(cpuMs(windowCpu0) / 1000).toFixed(2)} s, ${c.clock.fired - windowFired0} timer callbacks`);
  }
}
const wallMs = performance.now() - t0;
const cpu = cpuMs(cpu0);
const heapPerPod = (settledHeapBytes() - heap0) / PODS;
const pods = c.api.list("Pod");
const running = pods.filter((p) => p.status?.phase === "Running").length;
const restarts = pods.reduce((s, p) => s + (p.status?.containerStatuses?.[0]?.restartCount ?? 0), 0);
console.error(`${PODS} pods on ${NODES} nodes, ${HOURS_MS / 60_000} simulated minutes: ${running} Running, ${restarts} restarts, ${c.clock.fired} timer callbacks`);
console.error(`CPU: apply ${(applyCpu / 1000).toFixed(2)} s, simulated ${((cpu - applyCpu) / 1000).toFixed(2)} s`);
console.error(`wall ${(wallMs / 1000).toFixed(2)} s, CPU ${(cpu / 1000).toFixed(2)} s, ratio ${Math.round(HOURS_MS / wallMs)}x (${Math.round(HOURS_MS / cpu)}x of CPU time), peak RSS ${mem.mib} MiB, heap ${(heapPerPod / 1024).toFixed(1)} KiB per pod`);
report({ name: `kubelet: ${PODS} shell pods with restarts, ${HOURS_MS / 60_000} simulated min (wall)`, value: Math.round(wallMs), unit: "ms", better: "lower" });
report({
  name: `kubelet: ${PODS} shell pods with restarts, ${HOURS_MS / 60_000} simulated min (speed)`,
  value: Math.round(HOURS_MS / wallMs),
  unit: "x real time",
  better: "higher",
  against: "aim ≥ 10000x real time on a 2-core machine",
  aim: 10_000,
});
report({ name: `kubelet: ${PODS} shell pods with restarts, ${HOURS_MS / 60_000} simulated min (CPU time)`, value: Math.round(cpu), unit: "ms", better: "lower" });
report({ name: `kubelet: ${PODS} shell pods, timer callbacks per wall second`, value: Math.round(c.clock.fired / (wallMs / 1000)), unit: "events/s", better: "higher" });
report({ name: `kubelet: ${PODS} shell pods, heap per pod (after GC)`, value: Math.round(heapPerPod / 102.4) / 10, unit: "KiB", better: "lower" });
report({ name: `kubelet: ${PODS} shell pods with restarts (peak RSS)`, value: mem.mib, unit: "MiB", better: "lower" });
if (process.env.BENCH_HASH === "1") {
  const h = createHash("sha256");
  for (const p of pods) h.update(JSON.stringify(p));
  for (const e of c.api.list("Event")) h.update(JSON.stringify(e));
  console.error(`state hash ${h.digest("hex").slice(0, 16)} (${pods.length} pods, resourceVersion ${c.api.resourceVersion})`);
}
if (restarts === 0 || running === 0) {
  console.error("the pods did not run as expected");
  process.exit(1);
}
