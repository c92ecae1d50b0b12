import { test } from "node:test";
import assert from "node:assert/strict";
import { NodeStorage, PodStorage, resourceUsage } from "./storage.ts";
import { KeptScrape } from "../kubelet/metrics/resource_metrics.ts";
import type { CfsCgroup, UsageRead } from "../runtime/cgroup.ts";

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
    // The same scrapes kept unbuilt (`storeKept`), split among kubelets, some with no containers.
    const kept = new PodStorage(15_000, true);
    const keptEager = new PodStorage(15_000);
    let t = 0;
    const starts = new Map<string, number>([["a", 0], ["b", 0]]);
    for (let i = 0; i < 20; i++) {
      t += [0, 0, 1_000, 5_000, 15_000, 15_000][rnd(6)];
      for (const c of ["a", "b"]) if (rnd(6) === 0) starts.set(c, Math.max(0, t - rnd(20_000)));
      const scrape = [];
      for (const c of ["a", "b", "a"].slice(0, rnd(4))) scrape.push({ point: point(c, starts.get(c)!, t / 10 + rnd(5)), timestamp: t });
      eager.store(scrape);
      lazy.store(scrape);
      const cut = rnd(scrape.length + 1);
      const kubeletScrapes = [scrape.slice(0, cut), [], scrape.slice(cut)].filter((part) => part.length > 0 || rnd(2) === 0).map((part) => keptOf(part, t));
      kept.storeKept(kubeletScrapes);
      keptEager.storeKept(kubeletScrapes);
      if (rnd(5) === 0) {
        assert.deepEqual(lazy.get("ns", "p"), eager.get("ns", "p"), `run ${run}, scrape ${i}`);
        assert.deepEqual(kept.get("ns", "p"), eager.get("ns", "p"), `run ${run}, scrape ${i} (kept)`);
      }
      if (rnd(7) === 0) assert.deepEqual(keptEager.get("ns", "p"), eager.get("ns", "p"), `run ${run}, scrape ${i} (kept, eager)`);
    }
    assert.deepEqual(lazy.get("ns", "p"), eager.get("ns", "p"), `run ${run}, end`);
    assert.deepEqual(kept.get("ns", "p"), eager.get("ns", "p"), `run ${run}, end (kept)`);
    assert.deepEqual(keptEager.get("ns", "p"), eager.get("ns", "p"), `run ${run}, end (kept, eager)`);
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

/** A kubelet's scrape kept unbuilt with these points (their CPU reads made already). */
function keptOf(points: Array<{ point: ReturnType<typeof point>; timestamp: number }>, timestamp: number): KeptScrape {
  const entries = points.map(({ point: p }) => ({ namespace: p.namespace, pod: p.pod, container: p.container, of: { inst: { startedAt: p.startTime, createdAt: -1 } } }));
  const reads: UsageRead[] = points.map(({ point: p }) => ({ at: timestamp, ms: p.cpuMs, of: undefined as unknown as CfsCgroup }));
  return new KeptScrape(timestamp, { startTime: 0, cpuMs: 0, workingSetBytes: 0 }, entries, reads, points.map(({ point: p }) => p.workingSetBytes));
}

test("a kept scrape's points are the ones the scrape would have made", () => {
  const k = keptOf([{ point: point("a", 3, 10, 7), timestamp: 5 }, { point: point("b", 4, 20, 8), timestamp: 5 }], 5);
  assert.equal(k.size, 2);
  assert.deepEqual(
    k.points().map((p) => ({ namespace: p.namespace, pod: p.pod, container: p.container, startTime: p.startTime, cpuMs: p.cpuMs, workingSetBytes: p.workingSetBytes })),
    [point("a", 3, 10, 7), point("b", 4, 20, 8)],
  );
});

test("a scrape kept unbuilt keeps its kubelets' order: the first point of a duplicate wins, as when stored built", () => {
  // A pod of one name on two nodes at once (a force-deleted pod's container still running beside its successor's).
  const results = [false, true].map((lazy) => {
    const s = new PodStorage(15_000, lazy);
    s.storeKept([keptOf([{ point: point("a", 0, 0), timestamp: 15_000 }], 15_000)]);
    s.storeKept([keptOf([{ point: point("a", 0, 10), timestamp: 30_000 }], 30_000), keptOf([], 30_000), keptOf([{ point: point("a", 0, 99), timestamp: 30_000 }], 30_000)]);
    return s.get("ns", "p");
  });
  assert.deepEqual(results[1], results[0]);
  assert.equal(results[0]!.containers[0]!.usage.cpuNanoCores, 666_666);
});
