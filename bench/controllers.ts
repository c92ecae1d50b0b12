/**
 * `npm run bench:controllers`: the workload controllers at scale, in simulated time. A Deployment
 * of 1,000 replicas over 500 nodes is created and rolled out twice (new image each time), then 10 %
 * of the nodes go down and the cluster heals (grace period, rate-limited unreachable taints, 300 s
 * tolerations, replacements). Prints the wall time and the simulated-to-wall ratio of each phase.
 * BENCH_SMOKE=1: 50 replicas over 25 nodes; BENCH_NODES and BENCH_REPLICAS set other sizes.
 */
import { Cluster } from "../src/cluster.ts";
import { nodeGoesDown } from "../support/faults.ts";
import { cpuMs, PeakMemory, report, SMOKE } from "./lib.ts";
import { performance } from "node:perf_hooks";

const NODES = Number(process.env.BENCH_NODES ?? (SMOKE ? 25 : 500));
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? (SMOKE ? 50 : 1000));
const FAILED = Math.round(NODES / 10);
const LIMIT_MS = 3 * 3600_000;
const mem = new PeakMemory();

function manifest(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${REPLICAS}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: app
        image: ${image}
        resources: {requests: {cpu: 10m, memory: 16Mi}}
`;
}

const cluster = new Cluster({ seed: 1 });

/** Advances in 10 s steps until `done` (or the simulated limit); returns simulated and wall ms. */
function phase(name: string, done: () => boolean): void {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const s0 = cluster.clock.now();
  while (!done()) {
    if (cluster.clock.now() - s0 > LIMIT_MS) throw new Error(`${name}: not done after ${LIMIT_MS / 3600_000} h of simulated time`);
    cluster.advanceSync(10_000);
    mem.sample();
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  const sim = cluster.clock.now() - s0;
  console.error(`${name}: ${(sim / 1000).toFixed(0)} s simulated in ${(wall / 1000).toFixed(2)} s wall, ${(cpu / 1000).toFixed(2)} s CPU`);
  report({ name: `controllers: ${name} — CPU time`, value: Math.round(cpu), unit: "ms", better: "lower" });
  report({ name: `controllers: ${name} — wall time`, value: Math.round(wall), unit: "ms", better: "lower" });
  report({ name: `controllers: ${name} — simulated/wall`, value: Math.round((sim / wall) * 10) / 10, unit: "x", better: "higher" });
}

const rolledOut = (revision: string) => () => {
  const d = cluster.get("Deployment", "web");
  const st = d?.status ?? {};
  return d?.metadata.annotations?.["deployment.kubernetes.io/revision"] === revision && st.updatedReplicas === REPLICAS && st.availableReplicas === REPLICAS && st.replicas === REPLICAS;
};

const t0 = performance.now();
cluster.addNodesFromTable(Array.from({ length: NODES }, (_, i) => ({ name: `node-${String(i + 1).padStart(3, "0")}`, cpu: "8", memory: "32Gi" })));
report({ name: `controllers: ${NODES} nodes join — wall time`, value: Math.round(performance.now() - t0), unit: "ms", better: "lower" });

cluster.applySync(manifest("kubetm/app:v1"));
phase(`deployment of ${REPLICAS} replicas available`, rolledOut("1"));
cluster.applySync(manifest("kubetm/app:v2"));
phase("rolling update 1", rolledOut("2"));
cluster.applySync(manifest("kubetm/app:v3"));
phase("rolling update 2", rolledOut("3"));

const down = Array.from({ length: FAILED }, (_, i) => `node-${String(i + 1).padStart(3, "0")}`);
for (const n of down) nodeGoesDown(cluster.ctx, n);
const downSet = new Set(down);
phase(`${FAILED} of ${NODES} nodes down, pods replaced`, () => {
  const pods = cluster.api.list("Pod").filter((p) => !p.metadata.deletionTimestamp && !downSet.has(p.spec?.nodeName));
  const ready = pods.filter((p) => (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"));
  return ready.length === REPLICAS;
});

report({ name: "controllers: peak memory", value: mem.mib, unit: "MiB", better: "lower" });
report({ name: "controllers: timers fired", value: cluster.clock.fired, unit: "timers", better: "lower" });
await cluster.close();
