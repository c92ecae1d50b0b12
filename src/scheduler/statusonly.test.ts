/**
 * The scheduler left out of status-only Pod writes (issue #19 §1, `Scheduler.statusOnlyWanted`,
 * `SchedulerCache.leaveOutStatusOnly`, `NodeInfo.sortPods`): random programs over an API server and
 * the scheduler alone (no kubelets: the test writes the pods' status itself) run on three
 * clusters: the fast engine with the filter, the fast engine with every event delivered to the
 * scheduler's handler (`leavesOutStatusOnly = false`) and the reference engine. Pods of three
 * priorities bound by the scheduler or pinned to a node, status writes of phase, startTime,
 * conditions and IPs, graceful and immediate deletions, relabels, pods that need preemption. At
 * random checkpoints the three must hold the same store (every pod with its nomination and
 * PodScheduled message, every Event: the same victims, in the same order), and the same cache: per
 * node the pods in the order the cache gives them, the requested and non-zero sums, the pod count.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../api/store.ts";
import { EventRecorder } from "../api/events.ts";
import { defaultAdmissionPlugins } from "../api/admission/index.ts";
import { ServiceRegistry, type ClusterContext } from "../context.ts";
import { SimClock } from "../sim/clock.ts";
import { Random } from "../sim/random.ts";
import { Scheduler } from "./scheduler.ts";
import type { KObject } from "../api/types.ts";

interface Sim {
  api: ApiServer;
  clock: SimClock;
  scheduler: Scheduler;
  /** Handler calls of the scheduler's Pod watcher for status-only changes (counted by wrapping onPod). */
  calls: { statusOnly: number };
}

function sim(mode: "filter" | "every" | "reference"): Sim {
  const reference = mode === "reference";
  const clock = new SimClock();
  const api = new ApiServer(clock);
  api.reference = reference;
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  const ctx: ClusterContext = { clock, chance: new Random(11), api, events: new EventRecorder(api), services: new ServiceRegistry(), reference };
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  for (const [name, value] of [["low", 1], ["mid", 5], ["high", 10]] as const) api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value });
  const scheduler = new Scheduler(ctx, { annotations: false });
  scheduler.leavesOutStatusOnly = mode === "filter";
  const calls = { statusOnly: 0 };
  const s = scheduler as unknown as { onPod(ev: { type: string; object: KObject; old?: KObject }): void };
  const onPod = s.onPod.bind(scheduler);
  s.onPod = (ev) => {
    if (ev.type === "MODIFIED" && ev.old && ev.old.spec === ev.object.spec && ev.old.metadata.labels === ev.object.metadata.labels && ev.old.status !== ev.object.status) calls.statusOnly++;
    onPod(ev);
  };
  scheduler.start();
  for (let i = 0; i < 4; i++) {
    const cpu = ["2", "2", "3", "1500m"][i];
    api.create({ apiVersion: "v1", kind: "Node", metadata: { name: `n${i}`, labels: { "kubernetes.io/hostname": `n${i}`, "topology.kubernetes.io/zone": `z${i % 2}` } }, spec: {}, status: { capacity: { cpu, memory: "4Gi", pods: "8" }, allocatable: { cpu, memory: "4Gi", pods: "8" } } });
  }
  clock.advance(0);
  return { api, clock, scheduler, calls };
}

const CPUS = ["100m", "250m", "400m", "500m", "700m", "1", "1200m"];
const PHASES = ["Pending", "Running", "Running", "Running", "Succeeded", "Failed"];

/** One random step, the same on every cluster (the draws come from `r` only). */
function step(r: Random, sims: Sim[], n: number): string {
  const first = sims[0].api;
  const pods = first.list("Pod");
  const pick = () => pods[r.int(pods.length)];
  const roll = r.int(100);
  if (roll < 22 || pods.length < 4) {
    const name = `p${n}`;
    const pc = ["low", "low", "mid", "high"][r.int(4)];
    const cpu = CPUS[r.int(CPUS.length)];
    const pin = r.int(4) === 0 ? `n${r.int(4)}` : undefined;
    const grace = r.int(3) === 0 ? 30 : 0;
    const app = ["a", "b"][r.int(2)];
    const ports = r.int(8) === 0 ? [{ containerPort: 80, hostPort: 8080 }] : undefined;
    // Single bytes, and (pinned, rarely) 2^53 bytes: the node's sums are not exact then (2^53 + 1 + 1,
    // less 1 and plus 1 again, is 2^53: a status write the cache takes changes the sum).
    const memory = pin && r.int(10) === 0 ? "9007199254740992" : ["64Mi", "1", "100M"][r.int(3)];
    for (const s of sims) {
      try {
        s.api.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name, namespace: "default", labels: { app } },
          spec: { terminationGracePeriodSeconds: grace, priorityClassName: pc, ...(pin ? { nodeName: pin } : {}), containers: [{ name: "c", image: "app", resources: { requests: { cpu, memory } }, ...(ports ? { ports } : {}) }] },
        });
      } catch {
        // (The same refusal on every cluster: compared below.)
      }
    }
    return `create ${name} ${pc} ${cpu} ${memory}${pin ? " on " + pin : ""}`;
  }
  if (roll < 70) {
    // A status write of a pod, as a kubelet (or the test) makes it: phase, startTime, conditions, IPs.
    const p = pick();
    if (!p.spec.nodeName) return "skip";
    const what = r.int(10);
    const phase = PHASES[r.int(PHASES.length)];
    const start = `2026-01-01T00:0${r.int(3)}:00Z`;
    const ready = r.int(2) === 0 ? "True" : "False";
    const ip = `10.0.0.${r.int(200)}`;
    for (const s of sims) {
      try {
        s.api.mutate(
          "Pod",
          "default",
          p.metadata.name!,
          (o) => {
            if (what < 2) o.status.phase = phase;
            else if (what < 3) o.status.startTime = start;
            else if (what < 4 && !o.status.startTime) o.status.startTime = start;
            else if (what < 7) o.status.conditions = [...(o.status.conditions ?? []).filter((c: { type: string }) => c.type !== "Ready"), { type: "Ready", status: ready, lastProbeTime: null, lastTransitionTime: null }];
            else {
              o.status.podIP = ip;
              if (o.status.phase === undefined || o.status.phase === "Pending") o.status.phase = "Running";
            }
          },
          { subresource: "status" },
        );
      } catch {
        // gone
      }
    }
    return `status ${p.metadata.name} ${what}`;
  }
  if (roll < 80) {
    const p = pick();
    const force = r.int(2) === 0;
    for (const s of sims) {
      try {
        s.api.delete("Pod", "default", p.metadata.name!, force ? { gracePeriodSeconds: 0 } : {});
      } catch {
        // gone
      }
    }
    return `delete ${p.metadata.name}${force ? " now" : ""}`;
  }
  if (roll < 85) {
    const p = pick();
    const app = ["a", "b", "c"][r.int(3)];
    for (const s of sims) {
      try {
        s.api.mutate("Pod", "default", p.metadata.name!, (o) => (o.metadata.labels = { ...o.metadata.labels, app }));
      } catch {
        // gone
      }
    }
    return `label ${p.metadata.name} app=${app}`;
  }
  const ms = [0, 1, 100, 1_000, 5_000, 30_000][r.int(6)];
  for (const s of sims) s.clock.advance(ms);
  return `advance ${ms}`;
}

/** What a reader could see: every pod and Event as stored, and the scheduler cache's nodes (pods in the order it gives them, sums). */
function observed(s: Sim): { store: string; nodes: string } {
  const store = JSON.stringify([s.api.list("Pod"), s.api.list("Event")]);
  const cache = s.scheduler.cache;
  const nodes = cache.nodeInfoList().map((ni) => ({
    name: ni.name,
    pods: ni.sortPods().map((p) => p.key),
    requested: [ni.requested.milliCPU, ni.requested.memory, ni.requested.ephemeralStorage, ni.nonZeroCPU, ni.nonZeroMemory, ni.numPods, ni.usedPorts.length],
    // The startTime every counted pod's object carries (what preemption reads): the store's.
    starts: ni.pods.map((p) => `${p.key}=${p.pod.status?.startTime ?? ""}`).sort(),
  }));
  return { store, nodes: JSON.stringify(nodes) };
}

/** Equal texts, or a failure that shows where they first differ (not two whole stores). */
function sameText(a: string, b: string, what: string): void {
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  assert.fail(`${what}: first difference at ${i}:\n  ${a.slice(Math.max(0, i - 300), i + 200)}\n  ${b.slice(Math.max(0, i - 300), i + 200)}`);
}

const SEEDS = Number(process.env.SCHED_STATUS_SEEDS ?? 20);
const STEPS = 250;

test(`a scheduler left out of status-only Pod writes keeps the same store and cache as one called for every event and the reference engine (${SEEDS} seeds × ${STEPS} steps)`, () => {
  let left = 0;
  let preempted = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const sims = [sim("filter"), sim("every"), sim("reference")];
    const r = new Random(seed);
    const log: string[] = [];
    for (let n = 0; n < STEPS; n++) {
      log.push(step(r, sims, n));
      if (r.int(5) !== 0 && n !== STEPS - 1) continue;
      const [a, b, c] = sims.map(observed);
      const where = `seed ${seed}, step ${n}: ${log.slice(-6).join("; ")}`;
      sameText(a.nodes, b.nodes, `cache, ${where}`);
      sameText(a.nodes, c.nodes, `cache against the reference engine, ${where}`);
      sameText(a.store, b.store, `store, ${where}`);
      sameText(a.store, c.store, `store against the reference engine, ${where}`);
    }
    left += sims[1].calls.statusOnly - sims[0].calls.statusOnly;
    preempted += sims[0].api.list("Event").filter((e) => e.reason === "Preempted").length;
  }
  if (process.env.SCHED_STATUS_VERBOSE) console.log({ left, preempted });
  // The programs exercise what they are for: status writes left out, and preemptions.
  assert.ok(left > SEEDS * 20, `status-only changes left out: ${left}`);
  assert.ok(preempted > SEEDS, `preemptions: ${preempted}`);
});
