import { test } from "node:test";
import assert from "node:assert/strict";
import { describeNodeResourceLines, nodeResourceSummary, podRequestsAndLimits } from "./noderesources.ts";

const node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1" },
  status: {
    capacity: { cpu: "4", memory: "8Gi", pods: "110", "ephemeral-storage": "102400000Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0" },
    allocatable: { cpu: "4", memory: "8Gi", pods: "110", "ephemeral-storage": "102400000Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0" },
  },
};
const pod = (name: string, phase: string, containers: any[], extra: any = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", creationTimestamp: "2024-01-08T00:00:00Z" },
  spec: { nodeName: "n1", containers, ...extra },
  status: { phase },
});

test("rows and totals as kubectl describe node prints them", () => {
  const pods = [
    pod("web", "Running", [{ name: "a", resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } } }]),
    pod("be", "Running", [{ name: "a" }]),
    pod("done", "Succeeded", [{ name: "a", resources: { requests: { cpu: "4" } } }]),
    pod("other", "Running", [{ name: "a", resources: { requests: { cpu: "1" } } }], { nodeName: "n2" }),
  ];
  const s = nodeResourceSummary(node as any, pods as any);
  assert.deepEqual(
    s.pods.map((p) => [p.name, p.cpuRequests, p.cpuLimits, p.memoryRequests, p.memoryLimits]),
    [
      ["be", "0 (0%)", "0 (0%)", "0 (0%)", "0 (0%)"],
      ["web", "500m (12%)", "1 (25%)", "1Gi (12%)", "2Gi (25%)"],
    ],
  );
  assert.deepEqual(s.allocated, [
    { resource: "cpu", requests: "500m (12%)", limits: "1 (25%)" },
    { resource: "memory", requests: "1Gi (12%)", limits: "2Gi (25%)" },
    { resource: "ephemeral-storage", requests: "0 (0%)", limits: "0 (0%)" },
    { resource: "hugepages-1Gi", requests: "0 (0%)", limits: "0 (0%)" },
    { resource: "hugepages-2Mi", requests: "0 (0%)", limits: "0 (0%)" },
  ]);
  const lines = describeNodeResourceLines(s, () => "35s");
  assert.equal(lines[0], "Non-terminated Pods:\t(2 in total)");
  assert.equal(lines[4], "  default\tweb\t\t500m (12%)\t1 (25%)\t1Gi (12%)\t2Gi (25%)\t35s");
  assert.equal(lines[5], "Allocated resources:");
});

test("sums keep the first quantity's format (5G + 8G = 13G, 128Mi + 1Gi = 1152Mi)", () => {
  const pods = [
    pod("p2", "Running", [{ name: "a", resources: { requests: { memory: "5G" } } }]),
    pod("p3", "Running", [{ name: "a", resources: { requests: { memory: "8G" } } }]),
  ];
  assert.equal(nodeResourceSummary(node as any, pods as any).allocated[1].requests, "13G (151%)");
  const { requests } = podRequestsAndLimits(pod("x", "Running", [
    { name: "a", resources: { requests: { memory: "128Mi" } } },
    { name: "b", resources: { requests: { memory: "1Gi" } } },
  ]) as any);
  assert.equal(requests.get("memory")!.toString(), "1152Mi");
});

test("init containers: the largest init need counts when larger; sidecars add up", () => {
  const p = pod("x", "Pending", [{ name: "a", resources: { requests: { cpu: "100m" } } }], {
    initContainers: [
      { name: "init", resources: { requests: { cpu: "1" } } },
      { name: "side", restartPolicy: "Always", resources: { requests: { cpu: "200m" }, limits: { cpu: "300m" } } },
    ],
  });
  const { requests, limits } = podRequestsAndLimits(p as any);
  assert.equal(requests.get("cpu")!.toString(), "1");
  assert.equal(limits.get("cpu")!.toString(), "300m");
});
