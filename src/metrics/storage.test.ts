import { test } from "node:test";
import assert from "node:assert/strict";
import { NodeStorage, PodStorage, resourceUsage } from "./storage.ts";

const point = (container: string, startTime: number, cpuMs: number, ws = 1024) => ({ namespace: "ns", pod: "p", container, startTime, cpuMs, workingSetBytes: ws });

test("resourceUsage: the CPU rate between two points in nanocores, the last working set", () => {
  const u = resourceUsage({ startTime: 0, timestamp: 15_000, cpuMs: 1500, workingSetBytes: 7 }, { startTime: 0, timestamp: 0, cpuMs: 0, workingSetBytes: 3 });
  assert.deepEqual(u, { cpuNanoCores: 100_000_000, memoryBytes: 7, timestamp: 15_000, windowMs: 15_000 });
  assert.match(String(resourceUsage({ startTime: 0, timestamp: 15_000, cpuMs: 1, workingSetBytes: 0 }, { startTime: 0, timestamp: 0, cpuMs: 2, workingSetBytes: 0 })), /unexpected decrease in cumulative CPU usage value/);
});

test("a pod has metrics from its second scrape on; a restarted container starts afresh", () => {
  const s = new PodStorage(15_000);
  s.store([{ point: point("c", 0, 0), timestamp: 1_000 }]);
  assert.equal(s.get("ns", "p"), undefined);
  s.store([{ point: point("c", 0, 300), timestamp: 16_000 }]);
  assert.equal(s.get("ns", "p")!.containers[0].usage.cpuNanoCores, 20_000_000);
  // restarted at 20 s: the point's start time is after the stored point → no usage yet
  s.store([{ point: point("c", 20_000, 5), timestamp: 45_000 }]);
  assert.equal(s.get("ns", "p"), undefined);
});

test("a fresh container of 10–15 s gets its start as its previous point (freshContainerMinMetricsResolution)", () => {
  const s = new PodStorage(15_000);
  s.store([{ point: point("c", 3_000, 1200), timestamp: 15_000 }]);
  assert.equal(s.get("ns", "p")!.containers[0].usage.cpuNanoCores, 100_000_000);
  const young = new PodStorage(15_000);
  young.store([{ point: point("c", 8_000, 100), timestamp: 15_000 }]);
  assert.equal(young.get("ns", "p"), undefined);
});

test("a pod with a container lacking a previous point has no metrics", () => {
  const s = new PodStorage(15_000);
  s.store([{ point: point("a", 0, 0), timestamp: 0 }]);
  s.store([{ point: point("a", 0, 10), timestamp: 15_000 }, { point: point("b", 14_000, 0), timestamp: 15_000 }]);
  assert.equal(s.get("ns", "p"), undefined);
});

test("nodes: usage from two scrapes", () => {
  const s = new NodeStorage(15_000);
  s.store([{ name: "n", point: { startTime: 0, cpuMs: 0, workingSetBytes: 5 }, timestamp: 1_000 }]);
  assert.equal(s.get("n"), undefined);
  s.store([{ name: "n", point: { startTime: 0, cpuMs: 15_000, workingSetBytes: 6 }, timestamp: 16_000 }]);
  assert.deepEqual(s.get("n"), { cpuNanoCores: 1_000_000_000, memoryBytes: 6, timestamp: 16_000, windowMs: 15_000 });
});
