// Port of pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS (container-level cases;
// the pod-level-resources cases need the alpha PodLevelResources gate, off in v1.32).
import { test } from "node:test";
import assert from "node:assert/strict";
import { computePodQOS, getPodQOS } from "./qos.ts";

function rl(cpu: string, memory: string, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...extra };
  if (cpu !== "") out.cpu = cpu;
  if (memory !== "") out.memory = memory;
  return out;
}
const c = (name: string, requests: Record<string, string>, limits: Record<string, string>) => ({ name, resources: { requests, limits } });
const pod = (containers: any[], initContainers: any[] = []) => ({ spec: { containers, initContainers } });

const cases: Array<[string, any, string]> = [
  ["guaranteed", pod([c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi"))]), "Guaranteed"],
  ["guaranteed-guaranteed", pod([c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi")), c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi"))]), "Guaranteed"],
  ["best-effort-best-effort", pod([c("best-effort", rl("", ""), rl("", "")), c("best-effort", rl("", ""), rl("", ""))]), "BestEffort"],
  ["best-effort", pod([c("best-effort", rl("", ""), rl("", ""))]), "BestEffort"],
  ["best-effort-burstable", pod([c("best-effort", rl("", ""), rl("", "")), c("burstable", rl("1", ""), rl("2", ""))]), "Burstable"],
  ["best-effort-guaranteed", pod([c("best-effort", rl("", ""), rl("", "")), c("guaranteed", rl("10m", "100Mi"), rl("10m", "100Mi"))]), "Burstable"],
  ["burstable-cpu-guaranteed-memory", pod([c("burstable", rl("", "100Mi"), rl("", "100Mi"))]), "Burstable"],
  ["burstable-no-limits", pod([c("burstable", rl("100m", "100Mi"), rl("", ""))]), "Burstable"],
  ["burstable-guaranteed", pod([c("burstable", rl("1", "100Mi"), rl("2", "100Mi")), c("guaranteed", rl("100m", "100Mi"), rl("100m", "100Mi"))]), "Burstable"],
  [
    "burstable-unbounded-but-requests-match-limits",
    pod([c("burstable", rl("100m", "100Mi"), rl("200m", "200Mi")), c("burstable-unbounded", rl("100m", "100Mi"), rl("", ""))]),
    "Burstable",
  ],
  ["burstable-1", pod([c("burstable", rl("10m", "100Mi"), rl("100m", "200Mi"))]), "Burstable"],
  ["burstable-2", pod([c("burstable", rl("0", "0"), rl("100m", "200Mi"))]), "Burstable"],
  ["best-effort-hugepages", pod([c("best-effort", rl("0", "0", { "hugepages-2Mi": "1Gi" }), rl("0", "0", { "hugepages-2Mi": "1Gi" }))]), "BestEffort"],
  ["init-container", pod([c("best-effort", rl("", ""), rl("", ""))], [c("burstable", rl("10m", "100Mi"), rl("100m", "200Mi"))]), "Burstable"],
];

for (const [name, p, want] of cases) {
  test(`TestComputePodQOS ${name}`, () => assert.equal(computePodQOS(p), want));
}

test("equal quantities written differently are equal (1Gi = 1024Mi, 1 = 1000m)", () => {
  assert.equal(computePodQOS(pod([c("a", rl("1", "1Gi"), rl("1000m", "1024Mi"))])), "Guaranteed");
});

test("a guaranteed init container does not make a best-effort app container Guaranteed", () => {
  assert.equal(computePodQOS(pod([c("app", rl("", ""), rl("", ""))], [c("init", rl("1", "1Gi"), rl("1", "1Gi"))])), "Burstable");
});

test("GetPodQOS returns status.qosClass when set (immutable), computes otherwise", () => {
  const p = { ...pod([c("a", rl("", ""), rl("", ""))]), status: { qosClass: "Burstable" } };
  assert.equal(getPodQOS(p), "Burstable");
  assert.equal(getPodQOS({ ...p, status: {} }), "BestEffort");
});

test("a quantity that does not parse counts as absent (admission runs before validation rejects it)", () => {
  assert.equal(computePodQOS(pod([c("a", { memory: "lots" }, {})])), "BestEffort");
  assert.equal(computePodQOS(pod([c("a", { memory: "lots", cpu: "100m" }, {})])), "Burstable");
});
