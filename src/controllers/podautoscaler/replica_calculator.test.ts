// Cases after pkg/controller/podautoscaler/replica_calculator_test.go (v1.32): the same pods,
// requests, usages and expected replica counts, through a fake metrics client.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { parseSelector } from "../../api/labels.ts";
import { ReplicaCalculator, calculatePodRequests, groupPods } from "./replica_calculator.ts";
import type { MetricsClient } from "./metrics/client.ts";
import type { PodMetricsInfo } from "./metrics/utilization.ts";

const NOW = Date.parse("2024-01-08T00:10:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface PodCase {
  phase?: string;
  ready?: boolean;
  /** ms before NOW the pod started (default 10 minutes: past the CPU initialization period). */
  startedAgo?: number;
  /** ms before NOW its readiness last changed (default: at start). */
  transitionAgo?: number;
  deleting?: boolean;
  request?: string;
}

function pods(list: PodCase[]): KObject[] {
  return list.map((p, i) => {
    const started = NOW - (p.startedAgo ?? 600_000);
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `test-pod-${i}`, namespace: "test-namespace", labels: { name: "test-pod" }, ...(p.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
      spec: { containers: [{ name: "c", resources: { requests: { cpu: p.request ?? "1" } } }] },
      status: {
        phase: p.phase ?? "Running",
        startTime: iso(started),
        conditions: [{ type: "Ready", status: p.ready === false ? "False" : "True", lastTransitionTime: iso(NOW - (p.transitionAgo ?? p.startedAgo ?? 600_000)) }],
      },
    } as KObject;
  });
}

function calc(podList: KObject[], usages: Record<string, number>, windowMs = 30_000): ReplicaCalculator {
  const client: MetricsClient = {
    getResourceMetric() {
      const m: PodMetricsInfo = new Map();
      for (const [name, v] of Object.entries(usages)) m.set(name, { timestamp: NOW - 10_000, windowMs, value: v });
      return { metrics: m, timestamp: NOW - 10_000 };
    },
    getRawMetric() {
      throw new Error("no custom metrics");
    },
    getObjectMetric() {
      throw new Error("no custom metrics");
    },
    getExternalMetric() {
      throw new Error("no external metrics");
    },
  };
  return new ReplicaCalculator(client, () => podList, { tolerance: 0.1, cpuInitializationPeriodMs: 300_000, delayOfInitialReadinessStatusMs: 30_000 }, () => NOW);
}

const sel = parseSelector("name=test-pod");
const usage = (...v: number[]) => Object.fromEntries(v.map((x, i) => [`test-pod-${i}`, x]));

test("TestReplicaCalcScaleUp: 300m, 500m, 700m of 1 core at a 30% target → 5", () => {
  const r = calc(pods([{}, {}, {}]), usage(300, 500, 700)).getResourceReplicas(3, 30, "cpu", "test-namespace", sel, "");
  assert.deepEqual([r.replicas, r.utilization, r.rawUtilization], [5, 50, 500]);
});

test("TestReplicaCalcScaleUpUnreadyLessScale: an unready pod counts as 0% on a scale-up → 4", () => {
  const r = calc(pods([{ ready: false, startedAgo: 60_000 }, {}, {}]), usage(300, 500, 700)).getResourceReplicas(3, 30, "cpu", "test-namespace", sel, "");
  assert.deepEqual([r.replicas, r.utilization], [4, 60]);
});

test("TestReplicaCalcScaleUpHotCpuNoScale: pods within the initialization period with too young metrics hold the count", () => {
  const r = calc(pods([{ startedAgo: 60_000, transitionAgo: 20_000 }, { startedAgo: 60_000, transitionAgo: 20_000 }, {}]), usage(300, 500, 700)).getResourceReplicas(3, 30, "cpu", "test-namespace", sel, "");
  assert.deepEqual([r.replicas, r.utilization], [3, 70]);
});

test("TestReplicaCalcScaleDown: 100m…500m of 1 core over 5 pods at 50% → 3", () => {
  const r = calc(pods([{}, {}, {}, {}, {}]), usage(100, 300, 500, 250, 250)).getResourceReplicas(5, 50, "cpu", "test-namespace", sel, "");
  assert.deepEqual([r.replicas, r.utilization], [3, 28]);
});

test("TestReplicaCalcTolerance: a ratio within 0.1 of 1 keeps the count", () => {
  const r = calc(pods([{}, {}, {}]), usage(1010, 1030, 1020)).getResourceReplicas(3, 100, "cpu", "test-namespace", sel, "");
  assert.equal(r.replicas, 3);
});

test("TestReplicaCalcMissingMetricsNoChangeGt: a missing pod counted as 0% on a scale-up must not turn it into no change", () => {
  // 1900m + 2200m of 1 core at a 100% target: ratio 2.05; with the missing pod at 0%,
  // 4100m / 3000m = 136% → ceil(1.36 × 3) = 5.
  const r = calc(pods([{}, {}, {}]), usage(1900, 2200)).getResourceReplicas(2, 100, "cpu", "test-namespace", sel, "");
  assert.equal(r.replicas, 5);
});

test("TestReplicaCalcMissingMetricsScaleDown: a missing pod counts as 100% of its request on a scale-down", () => {
  // 400m + 95m + 20m of 1 core at a 50% target: 17%, ratio 0.34; with the missing pod at 100%,
  // 1515m / 4000m = 37% → ceil(0.74 × 4) = 3.
  const r = calc(pods([{}, {}, {}, {}]), usage(400, 95, 20)).getResourceReplicas(4, 50, "cpu", "test-namespace", sel, "");
  assert.equal(r.replicas, 3);
});

test("deleted and failed pods are ignored; pending pods are unready", () => {
  const list = pods([{ deleting: true }, { phase: "Failed" }, { phase: "Pending" }, {}]);
  const g = groupPods(list, new Map([["test-pod-3", { timestamp: NOW - 10_000, windowMs: 30_000, value: 100 }]]), "cpu", 300_000, 30_000, NOW);
  assert.deepEqual([g.readyPodCount, [...g.ignoredPods], [...g.unreadyPods], [...g.missingPods]], [1, ["test-pod-0", "test-pod-1"], ["test-pod-2"], []]);
});

test("no metrics at all: the error upstream gives", () => {
  assert.throws(() => calc(pods([{ ready: false, startedAgo: 60_000 }]), usage(100)).getResourceReplicas(1, 50, "cpu", "test-namespace", sel, ""), /did not receive metrics for targeted pods \(pods might be unready\)/);
});

test("calculatePodRequests: a container without the request is an error naming it", () => {
  const list = pods([{}]);
  delete list[0].spec.containers[0].resources;
  const r = calculatePodRequests(list, "", "cpu");
  assert.ok(r instanceof Error);
  assert.equal(r.message, "missing request for cpu in container c of Pod test-pod-0");
});
