/**
 * Resource limits (issue 11, item 5): memory and time for a 5,000-node, 30,000-pod cluster (30
 * ReplicaSets of 1,000 busybox pods that just sleep), then one simulated hour on it in one-minute
 * steps. Checks that nothing grows per event without being freed: heap after GC and the number of
 * stored Events are sampled through the hour (Events expire after their 1 h TTL, repeats aggregate).
 * SCALE_NODES / SCALE_PODS / SCALE_MINUTES override the size; BENCH_SMOKE=1 runs a small version.
 * Run with --expose-gc (npm run bench:scale) for heap figures after collection.
 */
import { performance } from "node:perf_hooks";
import { Cluster } from "../src/cluster.ts";
import { cpuMs, PeakMemory, report, SMOKE } from "./lib.ts";

const NODES = Number(process.env.SCALE_NODES ?? (SMOKE ? 100 : 5000));
const PODS = Number(process.env.SCALE_PODS ?? (SMOKE ? 600 : 30000));
const MINUTES = Number(process.env.SCALE_MINUTES ?? (SMOKE ? 10 : 60));
const PER_RS = Math.min(1000, PODS);
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = (): number => {
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
};
const log = (s: string) => console.error(s);

const mem = new PeakMemory();
const heap0 = heapMiB();
const t0 = performance.now();
// A bench cluster is big on purpose: lift the per-advance limits meant for feature scenarios.
const c = new Cluster({ maxTimersPerAdvance: Number.MAX_SAFE_INTEGER, advanceBudgetMs: 0 });
c.addNodesFromTable(Array.from({ length: NODES }, (_, i) => ({ name: `node-${i + 1}` })));
const tNodes = performance.now() - t0;
mem.sample();
const heapNodes = heapMiB();
log(`${NODES} nodes registered in ${(tNodes / 1000).toFixed(1)} s, heap ${heapNodes} MiB`);

// Bare pods by default: the ReplicaSet controller re-lists every pod of the namespace on each sync,
// which is quadratic at this size (see docs/reliability.md); SCALE_WORKLOAD=rs measures that path.
const WORKLOAD = process.env.SCALE_WORKLOAD ?? "pods";
const docs: string[] = [];
if (WORKLOAD === "pods") {
  for (let i = 0; i < PODS; i++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: pod-${i}}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "999999"], resources: {requests: {cpu: 10m, memory: 16Mi}}}`);
  }
}
for (let i = 0; WORKLOAD === "rs" && i * PER_RS < PODS; i++) {
  const n = Math.min(PER_RS, PODS - i * PER_RS);
  docs.push(`apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs-${i}}
spec:
  replicas: ${n}
  selector: {matchLabels: {rs: "${i}"}}
  template:
    metadata: {labels: {rs: "${i}"}}
    spec:
      containers:
      - {name: app, image: busybox, command: [sleep, "999999"], resources: {requests: {cpu: 10m, memory: 16Mi}}}`);
}
const t1 = performance.now();
for (let i = 0; i < docs.length; i += 1000) c.applySync(docs.slice(i, i + 1000).join("\n---\n"));
const running = () => c.api.list("Pod").filter((p) => p.status?.phase === "Running").length;
let simToRunning = 0;
while (running() < PODS && simToRunning < 30 * 60_000) {
  c.advanceSync(10_000);
  simToRunning += 10_000;
  mem.sample();
}
const tPods = performance.now() - t1;
const heapRunning = heapMiB();
log(`${running()}/${PODS} pods Running after ${simToRunning / 1000} simulated s; wall ${(tPods / 1000).toFixed(1)} s; heap ${heapRunning} MiB; events ${c.api.count("Event")}`);

const t2 = performance.now();
const cpu2 = process.cpuUsage();
const firedBefore = c.clock.fired;
const samples: Array<{ minute: number; heap: number; events: number }> = [];
for (let m = 1; m <= MINUTES; m++) {
  c.advanceSync(60_000);
  mem.sample();
  if (m % 10 === 0 || m === MINUTES) {
    const s = { minute: m, heap: heapMiB(), events: c.api.count("Event") };
    samples.push(s);
    log(`  minute ${m}: heap ${s.heap} MiB, events ${s.events}, wall ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  }
}
const tHour = performance.now() - t2;
const cpuHour = cpuMs(cpu2);
const heapEnd = heapMiB();
// One more hour past the events' TTL: the creation events of the first phase must be gone.
let eventsAfterTtl = -1;
if (!SMOKE && process.env.SCALE_TTL_CHECK !== "0") {
  c.advanceSync(Math.max(0, 61 * 60_000 - MINUTES * 60_000 - simToRunning));
  eventsAfterTtl = c.api.count("Event");
  log(`events after the 1 h TTL: ${eventsAfterTtl}`);
}
log(`${MINUTES} simulated minutes: wall ${(tHour / 1000).toFixed(1)} s, ${(c.clock.fired - firedBefore).toLocaleString("en-US")} timer callbacks; heap ${heapRunning} → ${heapEnd} MiB; peak RSS ${mem.mib} MiB; baseline heap ${heap0} MiB`);

const tag = `${NODES} nodes / ${PODS} ${WORKLOAD === "rs" ? "ReplicaSet pods" : "pods"}`;
report({ name: `scale: ${tag}: register nodes (wall)`, value: Math.round(tNodes), unit: "ms", better: "lower" });
report({ name: `scale: ${tag}: all pods Running (wall)`, value: Math.round(tPods), unit: "ms", better: "lower" });
report({ name: `scale: ${tag}: ${MINUTES} simulated min (CPU time)`, value: Math.round(cpuHour), unit: "ms", better: "lower" });
report({ name: `scale: ${tag}: heap per node (nodes registered, no pods)`, value: Math.round(((heapNodes - heap0) * 1024 * 10) / NODES) / 10, unit: "KiB", better: "lower" });
report({ name: `scale: ${tag}: heap per pod (all Running, nodes' share taken off)`, value: Math.round(((heapRunning - heapNodes) * 1024 * 10) / PODS) / 10, unit: "KiB", better: "lower" });
report({ name: `scale: ${tag}: heap with all pods Running`, value: heapRunning, unit: "MiB", better: "lower" });
report({ name: `scale: ${tag}: ${MINUTES} simulated min (wall)`, value: Math.round(tHour), unit: "ms", better: "lower" });
report({ name: `scale: ${tag}: heap growth over ${MINUTES} simulated min`, value: Math.round((heapEnd - heapRunning) * 10) / 10, unit: "MiB", better: "lower" });
report({ name: `scale: ${tag}: peak RSS`, value: mem.mib, unit: "MiB", better: "lower" });
if (eventsAfterTtl >= 0) report({ name: `scale: ${tag}: stored Events after the 1 h TTL`, value: eventsAfterTtl, unit: "events", better: "lower" });
void c.close();
