import { test } from "node:test";
import assert from "node:assert/strict";
import { balancedResourceScore, NodeResourcesBalancedAllocation } from "./noderesourcesbalancedallocation.ts";
import { PodInfo } from "../types.ts";
import { c, node, nodeInfo, pod } from "../testutil.ts";

test("BalancedAllocation: the worked example (500m/512Mi on 4 CPU / 8Gi) scores 96", () => {
  const p = new PodInfo(pod("p", { containers: [c({ cpu: "500m", memory: "512Mi" })] }));
  assert.equal(new NodeResourcesBalancedAllocation().score(new Map(), p, nodeInfo(node("n"))), 96);
});

// balanced_allocation_test.go: "nothing scheduled, resources requested, differently sized nodes"
// cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87; cpu 3000/6000 = 0.5, mem 0.5 → 100.
test("BalancedAllocation: differently sized nodes", () => {
  const p = new PodInfo(pod("p", { containers: [c({ cpu: "1000m", memory: "2000" }), c({ cpu: "2000m", memory: "3000" })] }));
  const pl = new NodeResourcesBalancedAllocation();
  assert.equal(pl.score(new Map(), p, nodeInfo(node("a", { allocatable: { cpu: "4000m", memory: "10000", pods: "110" } }))), 87);
  assert.equal(pl.score(new Map(), p, nodeInfo(node("b", { allocatable: { cpu: "6000m", memory: "10000", pods: "110" } }))), 100);
});

test("BalancedAllocation: fractions are capped at 1, resources without allocatable skipped", () => {
  assert.equal(balancedResourceScore([8000, 5000], [4000, 10000]), 75);
  assert.equal(balancedResourceScore([1000, 5000], [0, 10000]), 100);
  assert.equal(balancedResourceScore([1, 2, 3], [10, 10, 10]), Math.trunc((1 - Math.sqrt(((0.1 - 0.2) ** 2 + 0 + (0.3 - 0.2) ** 2) / 3)) * 100));
});
