// Ports of pkg/kubelet/eviction/helpers_test.go: TestOrderedByExceedsRequestMemory,
// TestOrderedByPriority, TestOrderedByMemory, plus rankMemoryPressure and the eviction message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { binarySI, evictionMessage, orderedBy, exceedMemoryRequests, memory, priority, podRequest, rankMemoryPressure, type PodMemoryStats } from "./helpers.ts";
import { parseQuantity } from "../../api/quantity.ts";

function rl(cpu: string, mem: string): Record<string, string> {
  const o: Record<string, string> = {};
  if (cpu) o.cpu = cpu;
  if (mem) o.memory = mem;
  return o;
}
function newPod(name: string, prio: number | undefined, containers: any[]): any {
  return { metadata: { name }, spec: { priority: prio, containers } };
}
const newContainer = (name: string, requests: Record<string, string>, limits: Record<string, string>) => ({ name, resources: { requests, limits } });
function statsOf(map: Map<any, string>) {
  return (pod: any): PodMemoryStats | undefined => {
    const ws = map.get(pod);
    if (ws === undefined) return undefined;
    const bytes = parseQuantity(ws).value();
    return { workingSetBytes: bytes, containers: pod.spec.containers.map((c: any) => ({ name: c.name, workingSetBytes: bytes })) };
  };
}
const names = (pods: any[]) => pods.map((p) => p.metadata.name);

test("TestOrderedByExceedsRequestMemory", () => {
  const below = newPod("below-requests", -1, [newContainer("below-requests", rl("", "200Mi"), {})]);
  const exceeds = newPod("exceeds-requests", 1, [newContainer("exceeds-requests", rl("", "100Mi"), {})]);
  const stats = statsOf(new Map([[below, "199Mi"], [exceeds, "101Mi"]]));
  assert.deepEqual(names(orderedBy(exceedMemoryRequests(stats)).sort([below, exceeds])), ["exceeds-requests", "below-requests"]);
});

test("TestOrderedByPriority", () => {
  const low = newPod("low-priority", -134, [newContainer("low-priority", {}, {})]);
  const medium = newPod("medium-priority", 1, [newContainer("medium-priority", rl("100m", "100Mi"), rl("200m", "200Mi"))]);
  const high = newPod("high-priority", 12534, [newContainer("high-priority", rl("200m", "200Mi"), rl("200m", "200Mi"))]);
  assert.deepEqual(names(orderedBy(priority).sort([high, medium, low])), ["low-priority", "medium-priority", "high-priority"]);
});

test("TestOrderedByMemory", () => {
  const p1 = newPod("best-effort-high", 0, [newContainer("best-effort-high", {}, {})]);
  const p2 = newPod("best-effort-low", 0, [newContainer("best-effort-low", {}, {})]);
  const p3 = newPod("burstable-high", 0, [newContainer("burstable-high", rl("", "100Mi"), rl("", "1Gi"))]);
  const p4 = newPod("burstable-low", 0, [newContainer("burstable-low", rl("", "100Mi"), rl("", "1Gi"))]);
  const p5 = newPod("guaranteed-high", 0, [newContainer("guaranteed-high", rl("", "1Gi"), rl("", "1Gi"))]);
  const p6 = newPod("guaranteed-low", 0, [newContainer("guaranteed-low", rl("", "1Gi"), rl("", "1Gi"))]);
  const stats = statsOf(
    new Map([
      [p1, "500Mi"],
      [p2, "300Mi"],
      [p3, "800Mi"],
      [p4, "300Mi"],
      [p5, "800Mi"],
      [p6, "200Mi"],
    ]),
  );
  assert.deepEqual(names(orderedBy(memory(stats)).sort([p1, p2, p3, p4, p5, p6])), [
    "burstable-high",
    "best-effort-high",
    "best-effort-low",
    "burstable-low",
    "guaranteed-high",
    "guaranteed-low",
  ]);
});

test("pods without stats rank first", () => {
  const a = newPod("a", 0, [newContainer("a", {}, {})]);
  const b = newPod("b", 0, [newContainer("b", {}, {})]);
  const stats = statsOf(new Map([[a, "1Gi"]]));
  assert.deepEqual(names(rankMemoryPressure([a, b], stats)), ["b", "a"]);
});

test("rankMemoryPressure: above-request beats priority, priority beats usage", () => {
  const beHighPrio = newPod("besteffort-high-priority", 1000, [newContainer("c", {}, {})]);
  const burstLowPrioUnder = newPod("burstable-low-priority-under", -10, [newContainer("c", rl("", "2Gi"), {})]);
  const burstOver = newPod("burstable-over", 0, [newContainer("c", rl("", "1Gi"), {})]);
  const guaranteed = newPod("guaranteed", 0, [newContainer("c", rl("1", "3Gi"), rl("1", "3Gi"))]);
  const stats = statsOf(
    new Map([
      [beHighPrio, "100Mi"],
      [burstLowPrioUnder, "1Gi"],
      [burstOver, "1536Mi"],
      [guaranteed, "3Gi"],
    ]),
  );
  // exceeding: burstable-over (prio 0) and besteffort (prio 1000) → lower priority first;
  // then the non-exceeding: burstable-low-priority-under (-10) before guaranteed (0).
  assert.deepEqual(names(rankMemoryPressure([guaranteed, beHighPrio, burstLowPrioUnder, burstOver], stats)), [
    "burstable-over",
    "besteffort-high-priority",
    "burstable-low-priority-under",
    "guaranteed",
  ]);
});

test("course notes: requests 5G and 8G both using 4G → the 5G pod goes first", () => {
  const pod2 = newPod("pod2", undefined, [newContainer("app", rl("", "5G"), {})]);
  const pod3 = newPod("pod3", undefined, [newContainer("app", rl("", "8G"), {})]);
  const stats = statsOf(new Map([[pod2, "4G"], [pod3, "4G"]]));
  assert.deepEqual(names(rankMemoryPressure([pod3, pod2], stats)), ["pod2", "pod3"]);
});

test("podRequest: regular sum, init max, sidecars add up, overhead", () => {
  const p = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {},
    spec: {
      initContainers: [
        { name: "init", resources: { requests: { memory: "3Gi" } } },
        { name: "sidecar", restartPolicy: "Always", resources: { requests: { memory: "512Mi" } } },
      ],
      containers: [newContainer("a", rl("", "1Gi"), {}), newContainer("b", rl("", "1Gi"), {})],
      overhead: { memory: "10Mi" },
    },
  };
  // regular 2Gi + sidecar 512Mi = 2.5Gi < init 3Gi (sidecar starts after it) → 3Gi, + 10Mi overhead
  assert.equal(podRequest(p, "memory").value(), 3 * 2 ** 30 + 10 * 2 ** 20);
  assert.equal(podRequest({ apiVersion: "v1", kind: "Pod", metadata: {}, spec: { containers: [{ name: "x" }] } }, "memory").value(), 0);
});

test("binarySI prints like resource.NewQuantity(n, BinarySI).String()", () => {
  assert.equal(binarySI(1579917312), "1542888Ki");
  assert.equal(binarySI(100 * 2 ** 20), "100Mi");
  assert.equal(binarySI(4 * 2 ** 30), "4Gi");
  assert.equal(binarySI(1000), "1k");
  assert.equal(binarySI(1023), "1023");
});

test("eviction message: best-effort hog (a real v1.32 event text)", () => {
  const p = newPod("memory-hog", 0, [newContainer("stress", {}, {})]);
  const stats = () => ({ workingSetBytes: 6304044 * 1024, containers: [{ name: "stress", workingSetBytes: 6304044 * 1024 }] });
  const { message, offendingContainers } = evictionMessage(p, stats, { quantity: "100Mi", availableBytes: 312 * 1024 });
  assert.equal(
    message,
    "The node was low on resource: memory. Threshold quantity: 100Mi, available: 312Ki. Container stress was using 6304044Ki, request is 0, has larger consumption of memory. ",
  );
  assert.deepEqual(offendingContainers, ["stress"]);
});

test("eviction message names only containers above their request, with the request as written", () => {
  const p = newPod("pod2", 0, [newContainer("app", rl("", "5G"), {}), newContainer("side", rl("", "1Gi"), {})]);
  const stats = () => ({
    workingSetBytes: 0,
    containers: [
      { name: "app", workingSetBytes: 6 * 2 ** 30 },
      { name: "side", workingSetBytes: 2 ** 29 },
    ],
  });
  const { message } = evictionMessage(p, stats, { quantity: "100Mi", availableBytes: 50 * 2 ** 20 });
  assert.equal(
    message,
    "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 6Gi, request is 5G, has larger consumption of memory. ",
  );
});

test("eviction message without stats stops after the threshold sentence", () => {
  const p = newPod("x", 0, [newContainer("c", {}, {})]);
  assert.equal(evictionMessage(p, () => undefined, { quantity: "100Mi", availableBytes: 0 }).message, "The node was low on resource: memory. Threshold quantity: 100Mi, available: 0. ");
});
