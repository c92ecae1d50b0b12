// Port of pkg/kubelet/qos/policy_test.go TestGetContainerOOMScoreAdjust (v1.32 constants:
// Guaranteed -997, Burstable floor 3), plus sidecar cases for the v1.32 sidecar rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isCriticalPod, isNodeCriticalPod, oomScoreAdj, SYSTEM_CRITICAL_PRIORITY } from "./policy.ts";

const standardMemoryAmount = 8_000_000_000;
const one = (resources: any, extra: any = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: {}, spec: { containers: [{ name: "c", resources }], ...extra } });

const cpuLimit = one({ limits: { cpu: "10" } });
const memoryLimitCPURequest = one({ requests: { cpu: "0" }, limits: { memory: "10G" } });
const zeroMemoryLimit = one({ limits: { memory: "0" } });
const noRequestLimit = one({});
const equalRequestLimitCPUMemory = one({ requests: { memory: "10G", cpu: "5m" }, limits: { cpu: "5m", memory: "10G" } });
const cpuUnlimitedMemoryLimitedWithRequests = one({
  requests: { memory: String(standardMemoryAmount / 2), cpu: "5m" },
  limits: { memory: "10G" },
});
const requestNoLimit = one({ requests: { memory: String(standardMemoryAmount - 1), cpu: "5m" } });
// v1.32's IsNodeCriticalPod also requires priorityClassName system-node-critical.
const critical = one({}, { priority: SYSTEM_CRITICAL_PRIORITY, priorityClassName: "system-node-critical" });

const table: Array<[string, any, number, number, number]> = [
  ["cpuLimit", cpuLimit, 4_000_000_000, 999, 999],
  ["memoryLimitCPURequest", memoryLimitCPURequest, 8_000_000_000, 999, 999],
  ["zeroMemoryLimit", zeroMemoryLimit, 7_230_457_451, 1000, 1000],
  ["noRequestLimit", noRequestLimit, 4_000_000_000, 1000, 1000],
  ["equalRequestLimitCPUMemory", equalRequestLimitCPUMemory, 123_456_789, -997, -997],
  ["cpuUnlimitedMemoryLimitedWithRequests", cpuUnlimitedMemoryLimitedWithRequests, standardMemoryAmount, 495, 505],
  ["requestNoLimit", requestNoLimit, standardMemoryAmount, 3, 3],
  ["critical", critical, 4_000_000_000, -997, -997],
];

for (const [name, pod, capacity, low, high] of table) {
  test(`TestGetContainerOOMScoreAdjust ${name}`, () => {
    const adj = oomScoreAdj(pod, pod.spec.containers[0], capacity);
    assert.ok(adj >= low && adj <= high, `oom_score_adj should be between ${low} and ${high}, but was ${adj}`);
  });
}

test("Burstable value is exactly 1000 - 1000*request/capacity with integer division", () => {
  // 1Gi of an 8Gi node: 1000 - 125 = 875; 5G of 16Gi: 1000 - floor(5e12/17179869184) = 1000 - 291 = 709
  assert.equal(oomScoreAdj(one({ requests: { memory: "1Gi" } }), { name: "c", resources: { requests: { memory: "1Gi" } } }, 8 * 2 ** 30), 875);
  assert.equal(oomScoreAdj(one({ requests: { memory: "5G" } }), { name: "c", resources: { requests: { memory: "5G" } } }, 16 * 2 ** 30), 709);
});

test("priority alone is critical but not node-critical", () => {
  const p = one({}, { priority: SYSTEM_CRITICAL_PRIORITY });
  assert.equal(isCriticalPod(p), true);
  assert.equal(isNodeCriticalPod(p), false);
  assert.equal(oomScoreAdj(p, p.spec.containers[0], 4_000_000_000), 1000);
});

test("a static pod with system-node-critical is -997 whatever its QoS", () => {
  const p = { apiVersion: "v1", kind: "Pod", metadata: { annotations: { "kubernetes.io/config.source": "file" } }, spec: { priorityClassName: "system-node-critical", containers: [{ name: "c" }] } };
  assert.equal(oomScoreAdj(p, p.spec.containers[0], 4_000_000_000), -997);
});

const GiB = 2 ** 30;
function sidecarPod(appReq: string, sidecarReq: string | undefined) {
  const sidecar: any = { name: "proxy", restartPolicy: "Always", resources: sidecarReq ? { requests: { memory: sidecarReq } } : {} };
  return { apiVersion: "v1", kind: "Pod", metadata: {}, spec: { initContainers: [sidecar], containers: [{ name: "app", resources: { requests: { memory: appReq } } }] } };
}

test("sidecar with a larger request than the app keeps its own (lower) score", () => {
  const p = sidecarPod("1Gi", "4Gi");
  assert.equal(oomScoreAdj(p, p.spec.containers[0], 8 * GiB), 875);
  assert.equal(oomScoreAdj(p, p.spec.initContainers[0], 8 * GiB), 500);
});

test("sidecar with a smaller request is lowered to the smallest app container's score", () => {
  const p = sidecarPod("4Gi", "1Gi");
  assert.equal(oomScoreAdj(p, p.spec.initContainers[0], 8 * GiB), 500);
  assert.equal(oomScoreAdj(p, p.spec.containers[0], 8 * GiB), 500);
});

test("a non-restartable init container is not treated as a sidecar", () => {
  const p = sidecarPod("1Gi", "4Gi");
  const init = { ...p.spec.initContainers[0], restartPolicy: undefined };
  const q = { ...p, spec: { ...p.spec, initContainers: [init] } };
  assert.equal(oomScoreAdj(q, init, 8 * GiB), 500);
});

test("clamping: request ≥ capacity gives 3, tiny request gives 999", () => {
  const big = one({ requests: { memory: "16Gi" } });
  assert.equal(oomScoreAdj(big, big.spec.containers[0], 8 * GiB), 3);
  const tiny = one({ requests: { memory: "1Ki" } });
  assert.equal(oomScoreAdj(tiny, tiny.spec.containers[0], 8 * GiB), 999);
});
