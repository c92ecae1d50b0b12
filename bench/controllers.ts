/**
 * `npm run bench:controllers`: the workload controllers at scale, in simulated time. A Deployment
 * of 1,000 replicas over 500 nodes is created and rolled out twice (new image each time), then 10 %
 * of the nodes go down and the cluster heals (grace period, rate-limited unreachable taints, 300 s
 * tolerations, replacements). Then, each in a cluster of its own: a StatefulSet of 1,000 replicas
 * (OrderedReady, one claim per pod from the local-path provisioner) over 100 nodes, created and
 * rolled out; a DaemonSet on 1,000 nodes, created and rolled out (maxUnavailable 10 %). Prints the
 * wall time and the simulated-to-wall ratio of each phase.
 * BENCH_SMOKE=1: 50 replicas over 25 nodes, a StatefulSet of 20, a DaemonSet on 50 nodes;
 * BENCH_NODES, BENCH_REPLICAS, BENCH_STS_REPLICAS, BENCH_DS_NODES set other sizes.
 * BENCH_PARTS (comma-separated, default all): `rollout` (the Deployment created and its two
 * rolling updates), `nodes-down` (the nodes going down after them; implies `rollout`),
 * `statefulset`, `daemonset` — for profiling one part alone. BENCH_PROFILE_PHASE=<phase name prefix>
 * writes a CPU profile of that phase alone to `controllers-<phase>.cpuprofile` (BENCH_PROFILE_DIR, default
 * the working directory); BENCH_ALLOC_PHASE=<phase name prefix> a sampled allocation profile of it
 * (`controllers-<phase>.heapprofile`: every allocation sampled, collected or not). BENCH_COUNT_WRITES=<phase name prefix> prints that phase's store writes by
 * operation, kind and writer (the first caller outside the API server and the event recorder);
 * BENCH_WRITE_COST=<phase name prefix> the CPU time of the store's write path by operation and kind;
 * BENCH_HANDLERS=<phase name prefix> that phase's watch handler calls by subscriber and event, and
 * its timer callbacks by source.
 */
import { Cluster } from "../src/cluster.ts";
import { ApiServer } from "../src/api/store.ts";
import { SimClock } from "../src/sim/clock.ts";
import { DeploymentController } from "../src/controllers/deployment.ts";
import { nodeGoesDown } from "../support/faults.ts";
import { cpuMs, PeakMemory, report, SMOKE } from "./lib.ts";
import { performance } from "node:perf_hooks";
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const NODES = Number(process.env.BENCH_NODES ?? (SMOKE ? 25 : 500));
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? (SMOKE ? 50 : 1000));
const FAILED = Math.round(NODES / 10);
const LIMIT_MS = 3 * 3600_000;
const mem = new PeakMemory();
const PARTS = new Set((process.env.BENCH_PARTS ?? "rollout,nodes-down,statefulset,daemonset").split(",").map((s) => s.trim()).filter(Boolean));
for (const p of PARTS) if (!["rollout", "nodes-down", "statefulset", "daemonset"].includes(p)) throw new Error(`BENCH_PARTS: unknown part ${JSON.stringify(p)} (rollout, nodes-down, statefulset, daemonset)`);

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

/**
 * BENCH_HANDLERS=<phase name prefix>: the watch handlers called in that phase, counted by subscriber
 * (the first frame outside the API server at its watch) and event (type and kind), with their CPU time
 * (process.cpuUsage around each call; 3–4 µs of its own), and the timer callbacks by their source's
 * first characters. Prints calls, total ms and µs per call.
 */
let handling = false;
const handlerCalls = new Map<string, { n: number; us: number }>();
if (process.env.BENCH_HANDLERS) {
  const proto = ApiServer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const orig = proto.watch;
  proto.watch = function (this: unknown, kind: unknown, handler: unknown, ...rest: unknown[]) {
    const frames = (new Error().stack ?? "").split("\n").slice(2);
    const f = frames.find((l) => l.includes("/src/") && !/src\/api\/(store|authorization\/filter)\.ts/.test(l) && !/controllers\/controller\.ts/.test(l)) ?? "?";
    const m = /at (?:new )?([^ ]+) .*\/src\/([^:]+):(\d+)/.exec(f);
    const who = m ? `${m[2]}:${m[3]} ${m[1]}` : f.trim();
    if (handling) {
      const k = `(watch made) ${who} ${String(kind)}`;
      const e = handlerCalls.get(k) ?? { n: 0, us: 0 };
      e.n++;
      handlerCalls.set(k, e);
    }
    const h = handler as (ev: { type: string; object: { kind: string } }) => unknown;
    const wrapped = (ev: { type: string; object: { kind: string } }) => {
      if (!handling) return h(ev);
      const c0 = process.cpuUsage();
      try {
        return h(ev);
      } finally {
        const c = process.cpuUsage(c0);
        const k = `${who} <- ${ev.type} ${ev.object.kind}`;
        const e = handlerCalls.get(k) ?? { n: 0, us: 0 };
        e.n++;
        e.us += c.user + c.system;
        handlerCalls.set(k, e);
      }
    };
    return orig.call(this, kind, wrapped, ...rest);
  };
  // Timer callbacks by source (the clock's own sampling, for every callback).
  const cproto = SimClock.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const origCount = cproto.count;
  cproto.count = function (this: unknown, fn: unknown) {
    if (handling) {
      const src = Function.prototype.toString.call(fn).replace(/\s+/g, " ").slice(0, 90);
      const k = `(timer) ${src}`;
      const e = handlerCalls.get(k) ?? { n: 0, us: 0 };
      e.n++;
      handlerCalls.set(k, e);
    }
    return origCount.call(this, fn);
  };
}

// No watchdog (as scripts/bench.mjs sets through the environment): run directly on a loaded machine,
// a rolling update of 1,000 replicas can take over the per-advance wall-time budget.
const NO_WATCHDOG = { advanceBudgetMs: 0, maxTimersPerAdvance: Number.MAX_SAFE_INTEGER };
let cluster = new Cluster({ seed: 1, ...NO_WATCHDOG });

/** BENCH_COUNT_WRITES: the store's writes counted by operation, kind and writer while `counting`. */
let counting = false;
const writes = new Map<string, number>();
if (process.env.BENCH_COUNT_WRITES) {
  // The writer is read from the stack: slow, so only when asked for.
  const proto = ApiServer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const writer = (): string => {
    const frames = (new Error().stack ?? "").split("\n").slice(2);
    const f = frames.find((l) => l.includes("/src/") && !/src\/api\/(store|events|types)\.ts/.test(l)) ?? "?";
    const m = /at (?:new )?([^ ]+) .*\/src\/([^:]+)/.exec(f);
    return m ? `${m[2]} ${m[1]}` : f.trim();
  };
  const kindOf = (a: unknown[], op: string): string => (typeof a[0] === "string" ? a[0] : ((a[0] as { kind?: string })?.kind ?? "?")) + (op === "update" && (a[1] as { subresource?: string })?.subresource ? "/status" : "");
  // Deployment syncs asked for and run (the fast engine skips those that would write nothing again).
  const dproto = DeploymentController.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ["syncDeployment", "syncOnce"]) {
    const orig = dproto[m];
    dproto[m] = function (this: unknown, ...a: unknown[]) {
      if (counting) writes.set(`(Deployment ${m} calls)`, (writes.get(`(Deployment ${m} calls)`) ?? 0) + 1);
      return orig.apply(this, a);
    };
  }
  for (const op of ["create", "createOwned", "update", "updateOwned", "updateOwnedRepeat", "mutate", "delete", "bind", "finalizeDelete"]) {
    const orig = proto[op];
    proto[op] = function (this: unknown, ...a: unknown[]) {
      if (counting) {
        const sub = op === "mutate" ? (a[4] as { subresource?: string })?.subresource : (a[1] as { subresource?: string })?.subresource;
        const k = `${op.replace(/Owned(Repeat)?$/, "")} ${typeof a[0] === "string" ? a[0] : kindOf(a, op)}${sub && op !== "update" && op !== "updateOwned" ? "/status" : ""} by ${writer()}`;
        writes.set(k, (writes.get(k) ?? 0) + 1);
        counting = false;
        try {
          return orig.apply(this, a);
        } finally {
          counting = true;
        }
      }
      return orig.apply(this, a);
    };
  }
}

/**
 * BENCH_WRITE_COST=<phase name prefix>: the CPU time of the store's write path by operation and kind
 * in that phase (each API server write method timed with process.cpuUsage, outermost calls only;
 * the watch handlers run later, from the dispatch, and are not counted). Prints calls, total ms and
 * µs per call.
 */
let costing = false;
const costs = new Map<string, { n: number; us: number }>();
if (process.env.BENCH_WRITE_COST) {
  const proto = ApiServer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  let depth = 0;
  for (const op of ["create", "createOwned", "update", "updateOwned", "updateOwnedRepeat", "mutate", "delete", "bind", "finalizeDelete"]) {
    const orig = proto[op];
    proto[op] = function (this: unknown, ...a: unknown[]) {
      if (!costing || depth > 0) return orig.apply(this, a);
      const sub = op === "mutate" ? (a[4] as { subresource?: string })?.subresource : op === "update" || op === "updateOwned" || op === "create" || op === "createOwned" ? (a[1] as { subresource?: string })?.subresource : undefined;
      const kind = typeof a[0] === "string" ? a[0] : ((a[0] as { kind?: string })?.kind ?? "?");
      const k = `${op.replace(/Owned(Repeat)?$/, "")} ${kind}${sub ? "/" + sub : ""}`;
      depth++;
      const c0 = process.cpuUsage();
      try {
        return orig.apply(this, a);
      } finally {
        const c = process.cpuUsage(c0);
        depth--;
        const e = costs.get(k) ?? { n: 0, us: 0 };
        e.n++;
        e.us += c.user + c.system;
        costs.set(k, e);
      }
    };
  }
}

/** Advances in 10 s steps until `done` (or the simulated limit); returns simulated and wall ms. */
function phase(name: string, done: () => boolean): void {
  const profile = process.env.BENCH_PROFILE_PHASE && name.startsWith(process.env.BENCH_PROFILE_PHASE) ? new Session() : undefined;
  if (profile) {
    profile.connect();
    // The in-thread inspector session answers synchronously.
    profile.post("Profiler.enable");
    profile.post("Profiler.start");
  }
  const alloc = process.env.BENCH_ALLOC_PHASE && name.startsWith(process.env.BENCH_ALLOC_PHASE) ? new Session() : undefined;
  if (alloc) {
    alloc.connect();
    alloc.post("HeapProfiler.enable");
    // Every 32 KiB allocated on average (V8's default), kept whether or not the object survived.
    alloc.post("HeapProfiler.startSampling", { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const count = !!process.env.BENCH_COUNT_WRITES && name.startsWith(process.env.BENCH_COUNT_WRITES);
  counting = count;
  writes.clear();
  costing = !!process.env.BENCH_WRITE_COST && name.startsWith(process.env.BENCH_WRITE_COST);
  costs.clear();
  handling = !!process.env.BENCH_HANDLERS && name.startsWith(process.env.BENCH_HANDLERS);
  handlerCalls.clear();
  const events = new Map<string, number>();
  const unwatch = count ? cluster.api.watch("*", (ev) => { const k = `${ev.type} ${ev.object.kind}`; events.set(k, (events.get(k) ?? 0) + 1); }) : undefined;
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
  counting = false;
  if (handling) {
    handling = false;
    const total = [...handlerCalls].filter(([k]) => !k.startsWith("(")).reduce((a, [, e]) => a + e.n, 0);
    console.error(`${name}: ${total} watch handler calls`);
    for (const [k, e] of [...handlerCalls].sort((a, b) => b[1].n - a[1].n)) console.error(`  ${String(e.n).padStart(6)}  ${(e.us / 1000).toFixed(1).padStart(7)} ms  ${(e.us / e.n).toFixed(1).padStart(6)} µs  ${k}`);
  }
  if (costing) {
    costing = false;
    const total = [...costs.values()].reduce((a, e) => a + e.us, 0);
    console.error(`${name}: store writes ${(total / 1000).toFixed(0)} ms CPU (${((100 * total) / 1000 / cpu).toFixed(0)} % of the phase)`);
    for (const [k, e] of [...costs].sort((a, b) => b[1].us - a[1].us)) console.error(`  ${String(e.n).padStart(6)}  ${(e.us / 1000).toFixed(1).padStart(7)} ms  ${(e.us / e.n).toFixed(1).padStart(6)} µs  ${k}`);
  }
  if (count) {
    // Calls through the API server's methods (a write that changes nothing is counted too).
    const total = [...writes].filter(([k]) => !k.startsWith("(")).reduce((a, [, b]) => a + b, 0);
    unwatch?.();
    console.error(`${name}: watch events ${[...events].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    console.error(`${name}: ${total} store writes`);
    for (const [k, n] of [...writes].sort((a, b) => b[1] - a[1])) console.error(`  ${String(n).padStart(6)}  ${k}`);
  }
  const sim = cluster.clock.now() - s0;
  if (profile) {
    profile.post("Profiler.stop", (err, res) => {
      if (err) throw err;
      const file = join(process.env.BENCH_PROFILE_DIR ?? ".", `controllers-${name.replace(/[^A-Za-z0-9]+/g, "-")}.cpuprofile`);
      writeFileSync(file, JSON.stringify(res.profile));
      console.error(`${name}: CPU profile in ${file}`);
    });
    profile.disconnect();
  }
  if (alloc) {
    alloc.post("HeapProfiler.stopSampling", (err, res) => {
      if (err) throw err;
      const file = join(process.env.BENCH_PROFILE_DIR ?? ".", `controllers-${name.replace(/[^A-Za-z0-9]+/g, "-")}.heapprofile`);
      writeFileSync(file, JSON.stringify(res.profile));
      console.error(`${name}: allocation profile in ${file}`);
    });
    alloc.disconnect();
  }
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

if (PARTS.has("rollout") || PARTS.has("nodes-down")) {
  const t0 = performance.now();
  cluster.addNodesFromTable(Array.from({ length: NODES }, (_, i) => ({ name: `node-${String(i + 1).padStart(3, "0")}`, cpu: "8", memory: "32Gi" })));
  report({ name: `controllers: ${NODES} nodes join — wall time`, value: Math.round(performance.now() - t0), unit: "ms", better: "lower" });

  cluster.applySync(manifest("kubetm/app:v1"));
  phase(`deployment of ${REPLICAS} replicas available`, rolledOut("1"));
  cluster.applySync(manifest("kubetm/app:v2"));
  phase("rolling update 1", rolledOut("2"));
  cluster.applySync(manifest("kubetm/app:v3"));
  phase("rolling update 2", rolledOut("3"));

  if (PARTS.has("nodes-down")) {
    const down = Array.from({ length: FAILED }, (_, i) => `node-${String(i + 1).padStart(3, "0")}`);
    for (const n of down) nodeGoesDown(cluster.ctx, n);
    const downSet = new Set(down);
    phase(`${FAILED} of ${NODES} nodes down, pods replaced`, () => {
      const pods = cluster.api.list("Pod").filter((p) => !p.metadata.deletionTimestamp && !downSet.has(p.spec?.nodeName));
      const ready = pods.filter((p) => (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"));
      return ready.length === REPLICAS;
    });
  }

  report({ name: "controllers: timers fired", value: cluster.clock.fired, unit: "timers", better: "lower" });
}
await cluster.close();

// ---- StatefulSet: 1,000 replicas, one after the other, each with its own claim ----

const STS_REPLICAS = Number(process.env.BENCH_STS_REPLICAS ?? (SMOKE ? 20 : 1000));
const STS_NODES = Math.max(2, Math.ceil(STS_REPLICAS / 10));
function statefulSet(image: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80, name: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: ${STS_REPLICAS}
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: nginx
        image: ${image}
        resources: {requests: {cpu: 10m, memory: 16Mi}}
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;
}
if (PARTS.has("statefulset")) {
  cluster = new Cluster({ seed: 1, ...NO_WATCHDOG });
  cluster.addNodesFromTable(Array.from({ length: STS_NODES }, (_, i) => ({ name: `node-${String(i + 1).padStart(4, "0")}`, cpu: "16", memory: "64Gi" })));
  const stsDone = (image: string) => () => {
    const st = cluster.get("StatefulSet", "web")?.status ?? {};
    if (st.readyReplicas !== STS_REPLICAS || st.updatedReplicas !== STS_REPLICAS || st.currentRevision !== st.updateRevision) return false;
    return cluster.api.list("Pod").every((p) => p.spec?.containers?.[0]?.image === image);
  };
  cluster.applySync(statefulSet("registry.k8s.io/nginx-slim:0.21"));
  phase(`statefulset of ${STS_REPLICAS} replicas with claims, one by one, Ready`, stsDone("registry.k8s.io/nginx-slim:0.21"));
  cluster.applySync(statefulSet("registry.k8s.io/nginx-slim:0.24"));
  phase(`statefulset of ${STS_REPLICAS} replicas rolled out`, stsDone("registry.k8s.io/nginx-slim:0.24"));
  report({ name: "controllers: statefulset timers fired", value: cluster.clock.fired, unit: "timers", better: "lower" });
  await cluster.close();
}

// ---- DaemonSet: 1,000 nodes ----

const DS_NODES = Number(process.env.BENCH_DS_NODES ?? (SMOKE ? 50 : 1000));
function daemonSet(image: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: "10%"}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: agent
        image: ${image}
        resources: {requests: {cpu: 10m, memory: 16Mi}}
`;
}
if (PARTS.has("daemonset")) {
  cluster = new Cluster({ seed: 1, ...NO_WATCHDOG });
  const tj = performance.now();
  cluster.addNodesFromTable(Array.from({ length: DS_NODES }, (_, i) => ({ name: `node-${String(i + 1).padStart(4, "0")}` })));
  report({ name: `controllers: ${DS_NODES} nodes join (daemonset cluster) — wall time`, value: Math.round(performance.now() - tj), unit: "ms", better: "lower" });
  const dsDone = () => {
    const ds = cluster.get("DaemonSet", "agent");
    const st = ds?.status ?? {};
    return st.observedGeneration === ds?.metadata.generation && st.desiredNumberScheduled === DS_NODES && st.updatedNumberScheduled === DS_NODES && st.numberAvailable === DS_NODES && st.currentNumberScheduled === DS_NODES;
  };
  cluster.applySync(daemonSet("nginx:1.26"));
  phase(`daemonset on ${DS_NODES} nodes available`, dsDone);
  cluster.applySync(daemonSet("nginx:1.27"));
  phase(`daemonset on ${DS_NODES} nodes rolled out (maxUnavailable 10%)`, dsDone);
  report({ name: "controllers: daemonset timers fired", value: cluster.clock.fired, unit: "timers", better: "lower" });
  await cluster.close();
}
report({ name: "controllers: peak memory", value: mem.mib, unit: "MiB", better: "lower" });
