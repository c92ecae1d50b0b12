// Table ported from pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS (container-level cases).
import { test } from "node:test";
import assert from "node:assert/strict";
import { getPodQOS } from "./qos.ts";

const rl = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}), ...extra });
const c = (requests: Record<string, string>, limits: Record<string, string>) => ({ name: "c", resources: { requests, limits } });

test("GetPodQOS (TestComputePodQOS)", () => {
  const table: Array<[string, object[], object[], string]> = [
    ["guaranteed", [c(rl("100m", "100Mi"), rl("100m", "100Mi"))], [], "Guaranteed"],
    ["guaranteed-guaranteed", [c(rl("100m", "100Mi"), rl("100m", "100Mi")), c(rl("100m", "100Mi"), rl("100m", "100Mi"))], [], "Guaranteed"],
    ["best-effort-best-effort", [c(rl("", ""), rl("", "")), c(rl("", ""), rl("", ""))], [], "BestEffort"],
    ["best-effort", [c(rl("", ""), rl("", ""))], [], "BestEffort"],
    ["best-effort-burstable", [c(rl("", ""), rl("", "")), c(rl("1", ""), rl("2", ""))], [], "Burstable"],
    ["best-effort-guaranteed", [c(rl("", ""), rl("", "")), c(rl("10m", "100Mi"), rl("10m", "100Mi"))], [], "Burstable"],
    ["burstable-cpu-guaranteed-memory", [c(rl("", "100Mi"), rl("", "100Mi"))], [], "Burstable"],
    ["burstable-no-limits", [c(rl("100m", "100Mi"), rl("", ""))], [], "Burstable"],
    ["burstable-guaranteed", [c(rl("1", "100Mi"), rl("2", "100Mi")), c(rl("100m", "100Mi"), rl("100m", "100Mi"))], [], "Burstable"],
    ["burstable-unbounded-but-requests-match-limits", [c(rl("100m", "100Mi"), rl("200m", "200Mi")), c(rl("100m", "100Mi"), rl("", ""))], [], "Burstable"],
    ["burstable-1", [c(rl("10m", "100Mi"), rl("100m", "200Mi"))], [], "Burstable"],
    ["burstable-2", [c(rl("0", "0"), rl("100m", "200Mi"))], [], "Burstable"],
    ["best-effort-hugepages", [c(rl("0", "0", { "hugepages-2Mi": "1Gi" }), rl("0", "0", { "hugepages-2Mi": "1Gi" }))], [], "BestEffort"],
    ["init-container", [c(rl("", ""), rl("", ""))], [c(rl("10m", "100Mi"), rl("100m", "200Mi"))], "Burstable"],
    // equal sums in different units are equal quantities
    ["guaranteed-units", [c(rl("0.5", "1Gi"), rl("500m", "1024Mi"))], [], "Guaranteed"],
  ];
  for (const [name, containers, initContainers, want] of table) {
    assert.equal(getPodQOS({ spec: { containers, initContainers } }), want, name);
  }
});

test("a qosClass already in the status is kept", () => {
  assert.equal(getPodQOS({ spec: { containers: [c(rl("", ""), rl("", ""))] }, status: { qosClass: "Burstable" } }), "Burstable");
});
