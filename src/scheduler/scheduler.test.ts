import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";
import { FILTER_RESULT, FINAL_SCORE_RESULT, SCORE_RESULT, SELECTED_NODE, schedulerOf } from "./scheduler.ts";
import { explainScheduling, nodeReasons } from "./explain.ts";
import { Scheduler } from "./scheduler.ts";
import { ApiServer } from "../api/store.ts";
import { EventRecorder } from "../api/events.ts";
import { defaultAdmissionPlugins } from "../api/admission/index.ts";
import { ServiceRegistry, type ClusterContext } from "../context.ts";
import { SimClock } from "../sim/clock.ts";
import { Random } from "../sim/random.ts";

function cluster(nodes: Array<{ name: string; labels?: Record<string, string>; taints?: any[]; cpu?: string }>, reference = false): Cluster {
  const c = new Cluster({ reference });
  for (const n of nodes) {
    c.api.create({ apiVersion: "v1", kind: "Node", metadata: { name: n.name, labels: n.labels ?? {} }, spec: { taints: n.taints }, status: { capacity: { cpu: n.cpu ?? "4", memory: "8Gi", pods: "110" } } });
  }
  c.advanceSync(0);
  return c;
}

function priorityClass(c: Cluster, name: string, value: number, preemptionPolicy?: string): void {
  c.api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, ...(preemptionPolicy ? { preemptionPolicy } : {}) });
}

function create(c: Cluster, name: string, spec: any = {}, labels: Record<string, string> = {}): void {
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels }, spec: { containers: [{ name: "c", image: "kubetm/app" }], terminationGracePeriodSeconds: 0, ...spec } });
  c.clock.settle();
}

const get = (c: Cluster, name: string) => c.get("Pod", name) as KObject;
const events = (c: Cluster, name: string) => c.api.list("Event").filter((e) => e.involvedObject.name === name).map((e) => `${e.type} ${e.reason} ${e.message}`);

test("a pod is bound at the instant it is created, with PodScheduled and the Scheduled event", () => {
  const c = cluster([{ name: "k8s-node1" }]);
  const t0 = c.clock.nowRFC3339();
  create(c, "web");
  const p = get(c, "web");
  assert.equal(p.spec.nodeName, "k8s-node1");
  assert.deepEqual(p.status.conditions.find((x: any) => x.type === "PodScheduled"), { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: t0 });
  assert.deepEqual(events(c, "web").slice(0, 1), ["Normal Scheduled Successfully assigned default/web to k8s-node1"]);
  const ev = c.api.list("Event").find((e) => e.reason === "Scheduled")!;
  assert.equal(ev.reportingComponent, "default-scheduler");
  assert.equal(ev.action, "Binding");
});

test("an unschedulable pod gets PodScheduled=False, FailedScheduling and the simulator annotations", () => {
  const c = cluster([
    { name: "k8s-node1", labels: { gpu: "no1" }, taints: [{ key: "hw", value: "gpu", effect: "NoSchedule" }] },
    { name: "k8s-node2" },
    { name: "k8s-node3" },
  ]);
  schedulerOf(c.ctx)!.opts.annotations = true;
  create(c, "pod-without-toleration", { nodeSelector: { gpu: "no1" } });
  const p = get(c, "pod-without-toleration");
  const msg = "0/3 nodes are available: 1 node(s) had untolerated taint {hw: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  const cond = p.status.conditions.find((x: any) => x.type === "PodScheduled");
  assert.equal(cond.status, "False");
  assert.equal(cond.reason, "Unschedulable");
  assert.equal(cond.message, msg);
  assert.deepEqual(events(c, "pod-without-toleration"), [`Warning FailedScheduling ${msg}`]);
  const filter = JSON.parse(p.metadata.annotations![FILTER_RESULT]);
  assert.deepEqual(Object.keys(filter), ["k8s-node1", "k8s-node2", "k8s-node3"]);
  assert.equal(filter["k8s-node1"].TaintToleration, "node(s) had untolerated taint {hw: gpu}");
  assert.equal(filter["k8s-node2"].NodeAffinity, "node(s) didn't match Pod's node affinity/selector");
  assert.equal(filter["k8s-node2"].TaintToleration, "passed");
  assert.equal(p.metadata.annotations![SELECTED_NODE], undefined);
  assert.deepEqual(nodeReasons(p), [
    { node: "k8s-node1", reason: "node(s) had untolerated taint {hw: gpu}" },
    { node: "k8s-node2", reason: "node(s) didn't match Pod's node affinity/selector" },
    { node: "k8s-node3", reason: "node(s) didn't match Pod's node affinity/selector" },
  ]);
  assert.match(explainScheduling(p, "pod-without-toleration"), /is not scheduled: Unschedulable: 0\/3 nodes/);
});

test("score annotations: raw and weighted scores per plugin, keys sorted, numbers as strings", () => {
  const c = cluster([{ name: "a" }, { name: "b", taints: [{ key: "x", effect: "PreferNoSchedule" }] }]);
  schedulerOf(c.ctx)!.opts.annotations = true;
  create(c, "web", { containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "500m", memory: "512Mi" } } }] });
  const p = get(c, "web");
  assert.equal(p.spec.nodeName, "a");
  assert.equal(p.metadata.annotations![SELECTED_NODE], "a");
  const raw = p.metadata.annotations![SCORE_RESULT];
  const final = JSON.parse(p.metadata.annotations![FINAL_SCORE_RESULT]);
  assert.ok(raw.startsWith('{"a":{"ImageLocality":"0","NodeResourcesBalancedAllocation":"96","NodeResourcesFit":"90","TaintToleration":"0"}'), raw);
  assert.deepEqual(final.a, { ImageLocality: "0", NodeResourcesBalancedAllocation: "96", NodeResourcesFit: "90", TaintToleration: "300" });
  assert.equal(final.b.TaintToleration, "0");
});

test("by default the results are kept in the scheduler, not written: one pod update fewer, the same explanation", () => {
  const runs = [true, undefined].map((annotations) => {
    const c = cluster([{ name: "n1", taints: [{ key: "hw", value: "gpu", effect: "NoSchedule" }] }, { name: "n2" }]);
    schedulerOf(c.ctx)!.opts.annotations = annotations;
    const updates: string[] = [];
    c.api.watch("Pod", (ev) => updates.push(ev.type));
    create(c, "web");
    create(c, "stuck", { nodeSelector: { disk: "ssd" } });
    const web = get(c, "web");
    const stuck = get(c, "stuck");
    const sched = schedulerOf(c.ctx)!;
    return { c, updates, web, stuck, attempt: sched.attemptOf(web), stuckAttempt: sched.attemptOf(stuck) };
  });
  const [written, kept] = runs;
  assert.equal(kept!.web.metadata.annotations?.[FILTER_RESULT], undefined);
  assert.equal(kept!.web.metadata.annotations?.[SELECTED_NODE], undefined);
  assert.equal(kept!.updates.length, written!.updates.length - 2, `${kept!.updates} / ${written!.updates}`);
  assert.deepEqual(kept!.attempt, written!.attempt);
  assert.equal(kept!.attempt![SELECTED_NODE], "n2");
  assert.equal(written!.web.metadata.annotations![FILTER_RESULT], kept!.attempt![FILTER_RESULT]);
  assert.equal(explainScheduling(kept!.stuck, "stuck", kept!.stuckAttempt), explainScheduling(written!.stuck, "stuck"));
  assert.match(explainScheduling(kept!.stuck, "stuck", kept!.stuckAttempt), /\| n1 +\| node\(s\) had untolerated taint \{hw: gpu\}/);
  // The record goes with the pod.
  kept!.c.api.delete("Pod", "default", "stuck");
  kept!.c.clock.settle();
  assert.equal(schedulerOf(kept!.c.ctx)!.attemptOf(kept!.stuck), undefined);
});

test("a pending pod is retried when a node label changes, after its backoff", () => {
  const c = cluster([{ name: "n1" }, { name: "n2" }]);
  create(c, "p", { nodeSelector: { disk: "ssd" } });
  assert.equal(get(c, "p").spec.nodeName, undefined);
  const sched = schedulerOf(c.ctx)!;
  assert.equal(sched.queue.where("default/p"), "unschedulable");
  c.api.mutate("Node", undefined, "n2", (n) => (n.metadata.labels = { ...n.metadata.labels, disk: "ssd" }));
  c.clock.settle();
  // The first backoff (1 s) has not passed: the pod waits in backoffQ.
  assert.equal(sched.queue.where("default/p"), "backoff");
  c.advanceSync(1000);
  assert.equal(get(c, "p").spec.nodeName, "n2");
});

test("an unrelated node change does not requeue; the 5-minute flush retries anyway", () => {
  const c = cluster([{ name: "n1" }]);
  create(c, "p", { nodeSelector: { disk: "ssd" } });
  const sched = schedulerOf(c.ctx)!;
  c.api.mutate("Node", undefined, "n1", (n) => (n.spec.taints = [{ key: "a", effect: "PreferNoSchedule" }]));
  c.clock.settle();
  assert.equal(sched.queue.where("default/p"), "unschedulable");
  const before = events(c, "p").length;
  c.advanceSync(5 * 60_000 + 30_000);
  // tools/events keys an event by its `regarding` reference, resourceVersion included: the retry's
  // pod carries the PodScheduled=False write the first failure made, so it is a new Event.
  assert.equal(events(c, "p").length, before + 1, "the retry's FailedScheduling is a new Event");
  const evs = c.api.list("Event").filter((e) => e.involvedObject.name === "p" && e.reason === "FailedScheduling");
  assert.notEqual(evs[0].involvedObject.resourceVersion, evs[1].involvedObject.resourceVersion);
  assert.deepEqual(evs.map((e) => e.series), [undefined, undefined]);
});

test("Insufficient cpu and the preemption message when nothing can be preempted", () => {
  const c = cluster([{ name: "n1", cpu: "1" }]);
  create(c, "big", { containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "2", memory: "10Gi" } } }] });
  assert.equal(get(c, "big").status.conditions[0].message, "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
});

test("DefaultPreemption: a higher-priority pod evicts a lower-priority one and is nominated, then bound", () => {
  const c = cluster([{ name: "n1", cpu: "1" }]);
  priorityClass(c, "high", 1000);
  create(c, "low", { containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "800m" } } }] });
  assert.equal(get(c, "low").spec.nodeName, "n1");
  create(c, "high", { priorityClassName: "high", containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "800m" } } }] });
  const high = get(c, "high");
  assert.equal(get(c, "low"), undefined, "the victim (grace 0) is gone");
  assert.ok(events(c, "low").some((e) => e.startsWith(`Normal Preempted Preempted by pod ${high.metadata.uid} on node n1`)), events(c, "low").join("\n"));
  assert.equal(high.status.nominatedNodeName ?? high.spec.nodeName, "n1");
  c.advanceSync(2000);
  assert.equal(get(c, "high").spec.nodeName, "n1");
});

test("preemptionPolicy Never: not eligible", () => {
  const c = cluster([{ name: "n1", cpu: "1" }]);
  priorityClass(c, "high-never", 1000, "Never");
  create(c, "low", { containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "800m" } } }] });
  create(c, "high", { priorityClassName: "high-never", containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu: "800m" } } }] });
  assert.equal(get(c, "high").status.conditions[0].message, "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
  assert.ok(get(c, "low"));
});

test("pods of another scheduler and pods with nodeName are left alone", () => {
  const c = cluster([{ name: "n1" }]);
  create(c, "other", { schedulerName: "my-scheduler" });
  create(c, "named", { nodeName: "n1" });
  assert.equal(get(c, "other").spec.nodeName, undefined);
  assert.equal(get(c, "other").status.conditions, undefined);
  assert.equal(get(c, "named").metadata.annotations?.[SELECTED_NODE], undefined);
});

test("a second scheduler's profiles: it takes only pods naming them, its events name it and its host; the cluster's stays the one in services", () => {
  const c = cluster([{ name: "n1" }]);
  create(c, "early", { schedulerName: "my-scheduler" });
  assert.equal(get(c, "early").spec.nodeName, undefined);
  const second = new Scheduler(c.ctx, { schedulerNames: ["my-scheduler"], host: "my-scheduler-7d8f9-abcde" });
  second.start();
  c.clock.settle();
  // A pod created before the scheduler runs is scheduled once it starts (its informer's initial list).
  assert.equal(get(c, "early").spec.nodeName, "n1");
  create(c, "mine", { schedulerName: "my-scheduler" });
  create(c, "default", {});
  create(c, "nobody", { schedulerName: "absent-scheduler" });
  assert.equal(get(c, "mine").spec.nodeName, "n1");
  assert.equal(get(c, "default").spec.nodeName, "n1");
  assert.equal(get(c, "nobody").spec.nodeName, undefined);
  assert.equal(get(c, "nobody").status.conditions, undefined);
  const scheduled = (name: string) => c.api.list("Event").find((e) => e.involvedObject.name === name && e.reason === "Scheduled")!;
  assert.equal(scheduled("mine").reportingComponent, "my-scheduler");
  assert.equal(scheduled("mine").reportingInstance, "my-scheduler-my-scheduler-7d8f9-abcde");
  assert.equal(scheduled("default").reportingComponent, "default-scheduler");
  assert.notEqual(schedulerOf(c.ctx), second);
  second.stop();
  create(c, "after", { schedulerName: "my-scheduler" });
  assert.equal(get(c, "after").spec.nodeName, undefined);
});

test("round-robin start index spreads evaluation over a large cluster (numFeasibleNodesToFind)", () => {
  const nodes = Array.from({ length: 300 }, (_, i) => ({ name: `n${String(i).padStart(3, "0")}` }));
  const c = cluster(nodes);
  for (let i = 0; i < 3; i++) create(c, `p${i}`);
  // 300 nodes → 48 % = 144 evaluated per pod; the next pod starts where the last one stopped
  // (0..143, 144..287, then 288..299 and 0..131).
  const spots = [0, 1, 2].map((i) => Number(get(c, `p${i}`).spec.nodeName.slice(1)));
  assert.ok(spots[0] < 144 && spots[1] >= 144 && spots[1] < 288 && (spots[2] >= 288 || spots[2] < 132), spots.join(","));
  assert.equal(get(c, "p0").metadata.annotations?.[FILTER_RESULT], undefined, "no annotations beyond 100 nodes");
});

test("preemption's dry run: the fast engine's resources-only shortcut gives the reference engine's outcome", () => {
  // Nodes of 2 CPUs: n1 holds a mid then a low pod, n2 a low then a mid pod (the dry run moves the
  // low one to the end: the cache's pod order, as sortPods gives it, is compared too), n3 one large low pod. A mid-priority pod of 1800m fits nowhere; only n3
  // has room once its lower-priority pods are gone. Then a pod too large for any node.
  const run = (reference: boolean) => {
    const c = cluster([{ name: "n1", cpu: "2" }, { name: "n2", cpu: "2" }, { name: "n3", cpu: "2" }], reference);
    priorityClass(c, "low", 1);
    priorityClass(c, "mid", 5);
    priorityClass(c, "high", 10);
    const pod = (name: string, node: string | undefined, pc: string, cpu: string) =>
      create(c, name, { ...(node ? { nodeName: node } : {}), priorityClassName: pc, containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu } } }] });
    pod("m1", "n1", "mid", "1");
    pod("l1", "n1", "low", "500m");
    pod("l2", "n2", "low", "500m");
    pod("m2", "n2", "mid", "1");
    pod("l3", "n3", "low", "1500m");
    pod("p", undefined, "mid", "1800m");
    pod("huge", undefined, "high", "3");
    c.advanceSync(30_000);
    const pods = c.api.list("Pod").map((p) => [p.metadata.name, p.spec.nodeName ?? "", p.status.nominatedNodeName ?? "", p.status.conditions?.find((x: any) => x.type === "PodScheduled")?.message ?? ""]);
    const evs = c.api.list("Event").map((e) => `${e.involvedObject.name} ${e.reason} ${e.message}`).sort();
    return { pods, evs, order: schedulerOf(c.ctx)!.cache.get("n2")!.sortPods().map((p) => p.name) };
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  assert.ok(fast.evs.some((e) => e.startsWith("l3 Preempted")), fast.evs.join("\n"));
  assert.ok(fast.evs.includes("huge FailedScheduling 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Insufficient cpu."), fast.evs.join("\n"));
});

test("the fast engine's Filter walk by what changed (kept outcomes per pod shape and node stamp) places pods as the reference engine does", () => {
  // 120 nodes of 1 CPU (more than 100: no annotations, the walk runs), three zones and one node without a zone;
  // pods of three shapes, some with a zone spreading constraint (the verdict per zone value), nodes
  // filling up, pods deleted, a node added, removed, relabelled and cordoned (the walk stands down
  // while a node is cordoned), and pods that fit nowhere (the FitError from the walk's rejections).
  const run = (reference: boolean) => {
    // The API server, its events and the scheduler alone (no kubelets: nothing here runs the pods).
    const clock = new SimClock();
    const api = new ApiServer(clock);
    api.reference = reference;
    for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
    const ctx: ClusterContext = { clock, chance: new Random(7), api, events: new EventRecorder(api), services: new ServiceRegistry(), reference };
    api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    new Scheduler(ctx).start();
    const c = { api, ctx, advanceSync: (ms: number) => clock.advance(ms) };
    for (let i = 0; i < 120; i++) {
      const labels: Record<string, string> = i === 7 ? {} : { "topology.kubernetes.io/zone": `z${i % 3}` };
      api.create({ apiVersion: "v1", kind: "Node", metadata: { name: `n${String(i).padStart(3, "0")}`, labels }, spec: {}, status: { capacity: { cpu: "1", memory: "8Gi", pods: "110" }, allocatable: { cpu: "1", memory: "8Gi", pods: "110" } } });
    }
    const spec = (cpu: string, memory: string, spread: boolean, minDomains?: number) => ({
      containers: [{ name: "c", image: "kubetm/app", resources: { requests: { cpu, memory } } }],
      ...(spread ? { topologySpreadConstraints: [{ maxSkew: 1, minDomains, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "s" } } }] } : {}),
    });
    const make = (name: string, cpu: string, memory: string, spread = false, minDomains?: number) =>
      c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels: spread ? { app: "s" } : {} }, spec: { terminationGracePeriodSeconds: 0, ...spec(cpu, memory, spread, minDomains) } });
    for (let i = 0; i < 150; i++) make(`a${i}`, ["100m", "250m", "300m"][i % 3], ["100Mi", "1Gi", "200Mi"][i % 3], i % 4 === 0);
    c.advanceSync(1_000);
    for (let i = 0; i < 150; i += 7) c.api.delete("Pod", "default", `a${i}`);
    c.api.create({ apiVersion: "v1", kind: "Node", metadata: { name: "extra", labels: { "topology.kubernetes.io/zone": "z1" } }, spec: {}, status: { capacity: { cpu: "2", memory: "8Gi", pods: "110" }, allocatable: { cpu: "2", memory: "8Gi", pods: "110" } } });
    c.api.delete("Node", undefined, "n010");
    c.api.mutate("Node", undefined, "n011", (n) => (n.metadata.labels = { ...n.metadata.labels, "topology.kubernetes.io/zone": "z2" }));
    for (let i = 0; i < 100; i++) make(`b${i}`, ["100m", "250m", "300m"][i % 3], ["100Mi", "1Gi", "200Mi"][i % 3], i % 3 === 0);
    c.advanceSync(1_000);
    c.api.mutate("Node", undefined, "n020", (n) => (n.spec = { ...n.spec, unschedulable: true }));
    for (let i = 0; i < 30; i++) make(`c${i}`, "250m", "100Mi", i % 2 === 0);
    c.advanceSync(1_000);
    c.api.mutate("Node", undefined, "n020", (n) => (n.spec = { ...n.spec, unschedulable: false }));
    for (let i = 0; i < 150; i++) make(`d${i}`, ["100m", "250m"][i % 2], "100Mi", i % 5 === 0);
    make("huge", "3", "100Mi");
    // minDomains above the three zones: the global minimum is 0, every zone holding a matching pod is too skewed.
    make("skewed", "100m", "100Mi", true, 5);
    c.advanceSync(30_000);
    const pods = c.api
      .list("Pod")
      .map((p) => `${p.metadata.name} ${p.spec.nodeName ?? "-"} ${p.status.conditions?.find((x: any) => x.type === "PodScheduled")?.message ?? ""}`)
      .sort();
    const evs = c.api.list("Event").map((e) => `${e.involvedObject.name} ${e.reason} ${e.message}`).sort();
    const s = schedulerOf(c.ctx)!;
    return { pods, evs, order: s.cache.nodeInfoList().map((n) => `${n.name}:${n.pods.map((p) => p.name).join(",")}`) };
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  // Reached: pods placed, the huge pod's FitError from resources, the skewed pod's from the spreading.
  assert.ok(fast.pods.some((p) => /^d149 (n\d+|extra) $/.test(p)), fast.pods.filter((p) => p.startsWith("d14")).join("\n"));
  assert.ok(fast.pods.some((p) => /^huge - 0\/120 nodes are available: .*Insufficient cpu/.test(p)), fast.pods.filter((p) => p.includes(" - ")).join("\n"));
  assert.ok(fast.pods.some((p) => /^skewed - 0\/120 nodes are available: .*1 node\(s\) didn't match pod topology spread constraints \(missing required label\)/.test(p)), fast.pods.filter((p) => p.startsWith("skewed")).join("\n"));
});
