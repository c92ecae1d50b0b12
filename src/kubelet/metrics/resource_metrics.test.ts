import { test } from "node:test";
import assert from "node:assert/strict";
import { collectResourceMetrics, sortContainers } from "./resource_metrics.ts";

const c = (namespace: string, pod: string, container: string, cpuMs = 0) => ({ namespace, pod, container, startTime: 0, cpuMs, workingSetBytes: 0 });

test("a scrape reports the running containers by namespace/pod/container, with the node's figures and the instant", () => {
  const m = collectResourceMetrics({
    now: () => 42,
    nodeStartTime: () => 1,
    nodeCpuMs: () => 7,
    nodeWorkingSetBytes: () => 9,
    runningContainers: () => [c("web", "b", "app"), c("default", "z", "app"), c("web", "a", "side"), c("web", "a", "app")],
  });
  assert.deepEqual(m.containers.map((x) => `${x.namespace}/${x.pod}/${x.container}`), ["default/z/app", "web/a/app", "web/a/side", "web/b/app"]);
  assert.deepEqual(m.node, { startTime: 1, cpuMs: 7, workingSetBytes: 9 });
  assert.equal(m.timestamp, 42);
});

test("sortContainers sorts a plan's entries exactly as a scrape sorts its points, duplicates included (issue #19)", () => {
  let x = 3;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
  for (let run = 0; run < 50; run++) {
    const list = Array.from({ length: 1 + rnd(40) }, (_, i) => c(["a", "b"][rnd(2)], `p${rnd(8)}`, ["app", "side"][rnd(2)], i));
    const scrape = collectResourceMetrics({ now: () => 0, nodeStartTime: () => 0, nodeCpuMs: () => 0, nodeWorkingSetBytes: () => 0, runningContainers: () => list });
    const plan = sortContainers(list.map((p) => ({ namespace: p.namespace, pod: p.pod, container: p.container, of: p })));
    assert.deepEqual(plan.map((e) => e.of.cpuMs), scrape.containers.map((p) => p.cpuMs));
  }
});
