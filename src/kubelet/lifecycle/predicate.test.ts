import { test } from "node:test";
import assert from "node:assert/strict";
import { admitPod, podRequest } from "./predicate.ts";
import type { Node, Pod } from "../../api/types.gen.ts";
import { deepFreeze } from "../../api/types.ts";

const node = (alloc: Record<string, string> = {}, extra: any = {}): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1", labels: { "kubernetes.io/hostname": "n1" } },
  spec: { ...extra },
  status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110", ...alloc } },
});
const pod = (cpu?: string, memory?: string, extra: any = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: { nodeName: "n1", containers: [{ name: "c", resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } }], ...extra },
});

test("a pod that fits is admitted", () => {
  assert.deepEqual(admitPod(pod("1", "1Gi"), node(), []), { admit: true });
});

test("OutOfcpu / OutOfmemory / OutOfpods with upstream's message", () => {
  assert.deepEqual(admitPod(pod("5"), node(), []), {
    admit: false, reason: "OutOfcpu", message: "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000",
  });
  assert.deepEqual(admitPod(pod("1", "6Gi"), node(), [pod("1", "4Gi")]), {
    admit: false, reason: "OutOfmemory", message: "Node didn't have enough resource: memory, requested: 6442450944, used: 4294967296, capacity: 8589934592",
  });
  assert.deepEqual(admitPod(pod(), node({ pods: "1" }), [pod()]), {
    admit: false, reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1",
  });
});

test("untolerated NoExecute taints reject; NoSchedule ones do not (the kubelet ignores them)", () => {
  const tainted = node({}, { taints: [{ key: "hw", value: "gpu", effect: "NoExecute" }] });
  assert.equal(admitPod(pod(), tainted, []).reason, "TaintToleration");
  assert.equal(admitPod(pod(), tainted, []).message, "Predicate TaintToleration failed: node(s) had untolerated taint");
  assert.equal(admitPod(pod(undefined, undefined, { tolerations: [{ key: "hw", operator: "Exists" }] }), tainted, []).admit, true);
  assert.equal(admitPod(pod(), node({}, { taints: [{ key: "hw", effect: "NoSchedule" }] }), []).admit, true);
});

test("node selector mismatch rejects with NodeAffinity", () => {
  assert.equal(admitPod(pod(undefined, undefined, { nodeSelector: { gpu: "yes" } }), node(), []).reason, "NodeAffinity");
});

test("pod requests: init containers take the max, sidecars add up", () => {
  const p = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {},
    spec: {
      initContainers: [
        { name: "i", resources: { requests: { cpu: "2" } } },
        { name: "s", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
      ],
      containers: [{ name: "c", resources: { requests: { cpu: "1" } } }],
    },
  };
  assert.equal(podRequest(p, "cpu"), 2000);
  assert.equal(podRequest({ apiVersion: "v1", kind: "Pod", metadata: {}, spec: { containers: [{ name: "c", resources: { limits: { memory: "1Gi" } } }] } }, "memory"), 1073741824);
});

test("a stored (frozen) pod's requests are kept per resource and equal the ones worked out from scratch (issue #19)", () => {
  const spec = (): any => ({
    nodeName: "n1",
    initContainers: [
      { name: "side", restartPolicy: "Always", resources: { requests: { cpu: "200m", memory: "32Mi" } } },
      { name: "init", resources: { requests: { cpu: "1", memory: "16Mi" }, limits: { "ephemeral-storage": "1Gi" } } },
    ],
    containers: [{ name: "a", resources: { requests: { cpu: "100m", memory: "64Mi" } } }, { name: "b", resources: { limits: { cpu: "250m" } } }],
    overhead: { cpu: "10m", memory: "1Mi" },
  });
  const plain: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: spec() };
  const frozen: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: deepFreeze(spec()) };
  const resources = ["cpu", "memory", "ephemeral-storage", "example.com/gpu"];
  const expected = resources.map((r) => podRequest(plain, r));
  assert.deepEqual(expected, [1210, 97 * 2 ** 20, 2 ** 30, 0]);
  // Asked twice in another order: each resource its own value, the second time from the kept one.
  for (const order of [resources, [...resources].reverse()]) for (const r of order) assert.equal(podRequest(frozen, r), expected[resources.indexOf(r)], r);
  // Admission against many stored pods reads the same sums.
  const others = Array.from({ length: 3 }, () => frozen);
  assert.deepEqual(admitPod(pod("2"), node(), others), {
    admit: false, reason: "OutOfcpu", message: "Node didn't have enough resource: cpu, requested: 2000, used: 3630, capacity: 4000",
  });
});
