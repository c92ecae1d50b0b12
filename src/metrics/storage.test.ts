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

test("the lazy pod storage (issue #19) answers as the eager one after any sequence of scrapes and reads", () => {
  // Random sequences: restarts, fresh containers, duplicate points, scrapes at the same instant,
  // empty scrapes, containers that come and go; a read (or none) after each scrape.
  let x = 7;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
  for (let run = 0; run < 200; run++) {
    const eager = new PodStorage(15_000);
    const lazy = new PodStorage(15_000, true);
    let t = 0;
    const starts = new Map<string, number>([["a", 0], ["b", 0]]);
    for (let i = 0; i < 20; i++) {
      t += [0, 0, 1_000, 5_000, 15_000, 15_000][rnd(6)];
      for (const c of ["a", "b"]) if (rnd(6) === 0) starts.set(c, Math.max(0, t - rnd(20_000)));
      const scrape = [];
      for (const c of ["a", "b", "a"].slice(0, rnd(4))) scrape.push({ point: point(c, starts.get(c)!, t / 10 + rnd(5)), timestamp: t });
      eager.store(scrape);
      lazy.store(scrape);
      if (rnd(5) === 0) assert.deepEqual(lazy.get("ns", "p"), eager.get("ns", "p"), `run ${run}, scrape ${i}`);
    }
    assert.deepEqual(lazy.get("ns", "p"), eager.get("ns", "p"), `run ${run}, end`);
  }
  // Two scrapes at one instant after an earlier one: the second reads the first's `prev`.
  const results = [false, true].map((lazy) => {
    const s = new PodStorage(15_000, lazy);
    s.store([{ point: point("a", 0, 0), timestamp: 15_000 }]);
    s.get("ns", "p");
    s.store([{ point: point("a", 0, 10), timestamp: 30_000 }]);
    s.store([{ point: point("a", 0, 20), timestamp: 45_000 }]);
    s.store([{ point: point("a", 0, 30), timestamp: 45_000 }]);
    return s.get("ns", "p");
  });
  assert.deepEqual(results[1], results[0]);
  assert.equal(results[0]!.windowMs, 15_000);
});
