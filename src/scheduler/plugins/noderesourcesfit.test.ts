import { test } from "node:test";
import assert from "node:assert/strict";
import { leastAllocatedScore, NodeResourcesFit } from "./noderesourcesfit.ts";
import { Code, PodInfo, podRequests } from "../types.ts";
import { c, node, nodeInfo, pod } from "../testutil.ts";

// fit_test.go uses nodes with 10 milli-cpu, 20 memory, 32 pods, 5 example.com/aaa, 20 ephemeral.
const alloc = { cpu: "10m", memory: "20", pods: "32", "example.com/aaa": "5", "ephemeral-storage": "20" };
const usedPod = (cpu: string, mem: string) => pod("used-" + cpu + mem, { containers: [c({ cpu, memory: mem })] });
const fit = (p: any, used: any[], a: Record<string, string> = alloc) => new NodeResourcesFit().filter(new Map(), new PodInfo(p), nodeInfo(node("machine1", { allocatable: a }), used));

const cases: Array<[string, any, any[], string[]]> = [
  ["no resources requested always fits", pod("p", { containers: [c()] }), [usedPod("10m", "20")], []],
  ["too many resources fails", pod("p", { containers: [c({ cpu: "1m", memory: "1" })] }), [usedPod("10m", "20")], ["Insufficient cpu", "Insufficient memory"]],
  ["too many resources fails due to init container cpu", pod("p", { containers: [c({ cpu: "1m", memory: "1" })], initContainers: [c({ cpu: "3m", memory: "1" })] }), [usedPod("8m", "19")], ["Insufficient cpu"]],
  ["too many resources fails due to highest init container cpu", pod("p", { containers: [c({ cpu: "1m", memory: "1" })], initContainers: [c({ cpu: "3m", memory: "1" }), c({ cpu: "2m", memory: "1" })] }), [usedPod("8m", "19")], ["Insufficient cpu"]],
  ["too many resources fails due to init container memory", pod("p", { containers: [c({ cpu: "1m", memory: "1" })], initContainers: [c({ cpu: "1m", memory: "3" })] }), [usedPod("9m", "19")], ["Insufficient memory"]],
  ["init container fits because it's the max, not sum", pod("p", { containers: [c({ cpu: "1m", memory: "1" })], initContainers: [c({ cpu: "1m", memory: "1" })] }), [usedPod("9m", "19")], []],
  ["both resources fit", pod("p", { containers: [c({ cpu: "1m", memory: "1" })] }), [usedPod("5m", "5")], []],
  ["one resource memory fits", pod("p", { containers: [c({ cpu: "2m", memory: "1" })] }), [usedPod("9m", "5")], ["Insufficient cpu"]],
  ["one resource cpu fits", pod("p", { containers: [c({ cpu: "1m", memory: "2" })] }), [usedPod("5m", "19")], ["Insufficient memory"]],
  ["equal edge case", pod("p", { containers: [c({ cpu: "5m", memory: "1" })] }), [usedPod("5m", "19")], []],
  ["extended resource fits", pod("p", { containers: [c({ "example.com/aaa": "1" })] }), [], []],
  ["extended resource capacity enforced", pod("p", { containers: [c({ "example.com/aaa": "10" })] }), [], ["Insufficient example.com/aaa"]],
  ["unknown extended resource", pod("p", { containers: [c({ "example.com/bbb": "1" })] }), [], ["Insufficient example.com/bbb"]],
  ["ephemeral storage", pod("p", { containers: [c({ "ephemeral-storage": "25" })] }), [], ["Insufficient ephemeral-storage"]],
];
for (const [name, p, used, reasons] of cases) {
  test(`NodeResourcesFit Filter: ${name}`, () => {
    const s = fit(p, used);
    if (reasons.length === 0) assert.equal(s, null);
    else {
      assert.equal(s?.code, Code.Unschedulable);
      assert.deepEqual(s?.reasons, reasons);
    }
  });
}

test("NodeResourcesFit Filter: Too many pods is reported with the resources", () => {
  const s = fit(pod("p", { containers: [c({ cpu: "1m", memory: "1" })] }), [usedPod("10m", "20")], { ...alloc, pods: "1" });
  assert.deepEqual(s?.reasons, ["Too many pods", "Insufficient cpu", "Insufficient memory"]);
});

test("podRequests: max(Σ containers, max init) + overhead (the source's example)", () => {
  const r = podRequests(pod("p", {
    initContainers: [c({ cpu: "2", memory: "1G" }), c({ cpu: "2", memory: "3G" })],
    containers: [c({ cpu: "2", memory: "1G" }), c({ cpu: "1", memory: "1G" })],
  }));
  assert.equal(r.milliCPU, 3000);
  assert.equal(r.memory, 3e9);
  const o = podRequests(pod("p", { containers: [c({ cpu: "1" })], overhead: { cpu: "250m" } }));
  assert.equal(o.milliCPU, 1250);
});

test("podRequests: sidecars add to the containers and to later init containers", () => {
  const r = podRequests(pod("p", {
    initContainers: [c({ cpu: "1" }, { restartPolicy: "Always" }), c({ cpu: "3" })],
    containers: [c({ cpu: "1" })],
  }));
  // regular: 1 + sidecar 1 = 2; init #2: 3 + sidecar 1 = 4 → 4
  assert.equal(r.milliCPU, 4000);
});

test("podRequests nonZero: 100m / 200Mi for missing requests", () => {
  const r = podRequests(pod("p", { containers: [c(), c({ cpu: "0" })] }), true);
  assert.equal(r.milliCPU, 100);
  assert.equal(r.memory, 2 * 200 * 1024 * 1024);
});

// least_allocated_test.go: "nothing scheduled, resources requested, differently sized nodes".
test("LeastAllocated Score: differently sized nodes", () => {
  const p = new PodInfo(pod("p", { containers: [c({ cpu: "1000m", memory: "2000" }), c({ cpu: "2000m", memory: "3000" })] }));
  const n1 = nodeInfo(node("node1", { allocatable: { cpu: "4000m", memory: "10000", pods: "110" } }));
  const n2 = nodeInfo(node("node2", { allocatable: { cpu: "6000m", memory: "10000", pods: "110" } }));
  assert.equal(leastAllocatedScore(p, n1), 37); // cpu (4000-3000)*100/4000=25, mem (10000-5000)*100/10000=50
  assert.equal(leastAllocatedScore(p, n2), 50); // cpu 50, mem 50
});

test("LeastAllocated Score: requested beyond capacity scores 0", () => {
  const p = new PodInfo(pod("p", { containers: [c({ cpu: "5000m", memory: "20000" })] }));
  assert.equal(leastAllocatedScore(p, nodeInfo(node("n", { allocatable: { cpu: "4000m", memory: "10000", pods: "110" } }))), 0);
});
