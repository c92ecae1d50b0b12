/**
 * scheduler_perf-shaped workloads (test/integration/scheduler_perf/config/performance-config.yaml)
 * on 5,000 nodes: basic, node affinity, pod anti-affinity, pod affinity and topology spreading.
 * Each shape: nodes and init pods are set up and scheduled first, then the measured pods are
 * created at once and the simulated cluster settles; pods/s = measured pods / CPU seconds of the
 * scheduling (watch delivery, cycles, binding and the Scheduled events included; the process is
 * single-threaded, so CPU time is wall time on an idle machine, and steadier on a shared one).
 * The API server, clock and event recorder are the cluster's own; only the kubelets are left out,
 * as scheduler_perf runs without them. `BENCH_SMOKE=1` runs a small version.
 */
import { defaultAdmissionPlugins } from "../src/api/admission/index.ts";
import { ApiServer } from "../src/api/store.ts";
import { EventRecorder } from "../src/api/events.ts";
import type { KObject } from "../src/api/types.ts";
import type { ClusterContext } from "../src/context.ts";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { SimClock } from "../src/sim/clock.ts";
import { Random } from "../src/sim/random.ts";
import { PeakMemory, report, SMOKE, timeIt } from "./lib.ts";

const NODES = SMOKE ? 500 : 5000;
const scale = (n: number) => (SMOKE ? Math.max(50, Math.round(n / 10)) : Math.round(n * Number(process.env.BENCH_PODS_SCALE ?? 1)));

interface Shape {
  name: string;
  floor: number;
  initPods: number;
  measuredPods: number;
  nodeLabels: (i: number) => Record<string, string>;
  pod: (i: number, init: boolean) => { labels: Record<string, string>; spec: any };
}

const container = { name: "pause", image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "100m", memory: "500Mi" } } };
const zones = (i: number) => ({ "topology.kubernetes.io/zone": `zone${i % 3}` });

const SHAPES: Shape[] = [
  {
    name: "basic",
    floor: 680,
    initPods: scale(1000),
    measuredPods: scale(10000),
    nodeLabels: () => ({}),
    pod: () => ({ labels: {}, spec: { containers: [container] } }),
  },
  {
    name: "node affinity",
    floor: 220,
    initPods: scale(1000),
    measuredPods: scale(5000),
    nodeLabels: () => ({ "topology.kubernetes.io/zone": "zone1" }),
    pod: () => ({
      labels: {},
      spec: {
        containers: [container],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone1", "zone2"] }] }] } } },
      },
    }),
  },
  {
    name: "pod anti-affinity",
    floor: 60,
    initPods: scale(1000),
    measuredPods: scale(1000),
    nodeLabels: () => ({}),
    pod: (_i, init) => ({
      labels: { color: init ? "green" : "blue" },
      spec: {
        containers: [container],
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: init ? "green" : "blue" } }, topologyKey: "kubernetes.io/hostname" }] } },
      },
    }),
  },
  {
    name: "pod affinity",
    floor: 35,
    initPods: scale(1000),
    measuredPods: scale(1000),
    nodeLabels: () => ({ "topology.kubernetes.io/zone": "zone1" }),
    pod: () => ({
      labels: { foo: "bar" },
      spec: {
        containers: [container],
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { foo: "bar" } }, topologyKey: "topology.kubernetes.io/zone" }] } },
      },
    }),
  },
  {
    name: "topology spreading",
    floor: 460,
    initPods: scale(1000),
    measuredPods: scale(5000),
    nodeLabels: zones,
    pod: () => ({
      labels: { foo: "" },
      spec: {
        containers: [container],
        topologySpreadConstraints: [{ maxSkew: 5, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchExpressions: [{ key: "foo", operator: "Exists" }] } }],
      },
    }),
  },
];

function makeCluster(): { ctx: ClusterContext; scheduler: Scheduler } {
  const clock = new SimClock();
  const api = new ApiServer(clock);
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  const ctx: ClusterContext = { clock, chance: new Random(7), api, events: new EventRecorder(api), services: new Map() };
  for (const ns of ["default", "kube-system"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } } });
  const scheduler = new Scheduler(ctx);
  scheduler.start();
  return { ctx, scheduler };
}

function createPods(api: ApiServer, shape: Shape, prefix: string, n: number, init: boolean): void {
  for (let i = 0; i < n; i++) {
    const p = shape.pod(i, init);
    api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `${prefix}-${i}`, namespace: "default", labels: p.labels }, spec: p.spec } as KObject);
  }
}

const mem = new PeakMemory();
const only = process.env.BENCH_SHAPE;
for (const shape of SHAPES.filter((s) => !only || s.name.includes(only))) {
  (globalThis as any).gc?.();
  const { ctx } = makeCluster();
  const api = ctx.api;
  for (let i = 0; i < NODES; i++) {
    api.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: `node-${i}`, labels: { "kubernetes.io/hostname": `node-${i}`, ...shape.nodeLabels(i) } },
      spec: {},
      status: { capacity: { cpu: "4", memory: "32Gi", pods: "110" }, allocatable: { cpu: "4", memory: "32Gi", pods: "110" } },
    });
  }
  createPods(api, shape, "init", shape.initPods, true);
  ctx.clock.settle();
  createPods(api, shape, "measured", shape.measuredPods, false);
  const cpu0 = process.cpuUsage();
  const { ms: wallMs } = timeIt(() => {
    ctx.clock.settle();
    mem.sample();
  });
  const cpu = process.cpuUsage(cpu0);
  // CPU time of this process: the machine is shared, wall time swings with other load.
  const ms = (cpu.user + cpu.system) / 1000;
  const bound = api.list("Pod").filter((p) => p.metadata.name!.startsWith("measured-") && p.spec.nodeName).length;
  if (bound !== shape.measuredPods) throw new Error(`${shape.name}: only ${bound}/${shape.measuredPods} measured pods were bound`);
  const rate = (shape.measuredPods / ms) * 1000;
  report({
    name: `scheduler: ${shape.name} (${NODES} nodes, ${shape.measuredPods} pods)`,
    value: Math.round(rate),
    unit: "pods/s",
    better: "higher",
    against: `upstream CI floor ${shape.floor} pods/s; aim ${shape.floor * 5}`,
    aim: SMOKE ? undefined : shape.floor * 5,
  });
  console.error(`${shape.name.padEnd(20)} ${Math.round(rate).toString().padStart(7)} pods/s  (${shape.measuredPods} pods in ${Math.round(ms)} ms CPU, ${Math.round(wallMs)} ms wall; floor ${shape.floor}, aim ${shape.floor * 5})`);
}
report({ name: "scheduler: peak memory (RSS)", value: mem.mib, unit: "MiB", better: "lower" });
console.error(`peak memory ${mem.mib} MiB`);
