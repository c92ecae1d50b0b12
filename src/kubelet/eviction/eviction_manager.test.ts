import { test } from "node:test";
import assert from "node:assert/strict";
import { addNode, bareContext } from "../testutil.ts";
import type { KObject } from "../../api/types.ts";
import { NodeMemory, type MemoryContainer } from "../oom.ts";
import { EvictionManager, type EvictionKubelet } from "./eviction_manager.ts";

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** A kubelet stand-in: every pod on the node runs all its containers until killed. */
function setup(memory = "8Gi") {
  const ctx = bareContext();
  addNode(ctx, "n1", memory);
  const killed = new Set<string>();
  const kills: Array<{ pod: string; grace: number }> = [];
  const running = (): MemoryContainer[] =>
    ctx.api
      .podsOnNode("n1")
      .filter((p) => !killed.has(p.metadata.uid!))
      .flatMap((pod) =>
        (pod.spec.containers as any[]).map((container) => ({
          pod,
          container,
          oomKill: () => {
            killed.add(pod.metadata.uid!);
          },
        })),
      );
  const conditionState = { memoryPressure: false, diskPressure: false, pidPressure: false, ready: true };
  const mem = new NodeMemory(ctx, "n1", { runningContainers: running });
  const kubelet: EvictionKubelet = {
    ctx,
    nodeName: "n1",
    conditionState,
    memory: mem,
    activePods: () => ctx.api.podsOnNode("n1").filter((p) => p.status?.phase !== "Failed"),
    killPod(pod: KObject, grace: number, statusFn: (s: any) => void) {
      kills.push({ pod: pod.metadata.name!, grace });
      killed.add(pod.metadata.uid!);
      ctx.api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (p) => statusFn((p.status ??= {})), { subresource: "status" });
    },
  };
  const em = new EvictionManager(kubelet);
  const pod = (name: string, resources: any = {}, priority?: number) => {
    const p = ctx.api.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default" },
      spec: { nodeName: "n1", containers: [{ name: "app", image: "kubetm/app", resources }], ...(priority !== undefined ? { priority } : {}) },
    });
    ctx.clock.settle();
    return p;
  };
  return { ctx, em, mem, pod, kills, conditionState };
}

test("below the threshold nothing happens and MemoryPressure stays False", () => {
  const { em, mem, pod, kills, conditionState } = setup();
  const p = pod("a");
  mem.setUsage(p, "app", 7 * GiB);
  assert.deepEqual(em.synchronize(), []);
  assert.equal(kills.length, 0);
  assert.equal(conditionState.memoryPressure, false);
});

test("BestEffort goes first, with the kubelet's message, status and events", () => {
  const { ctx, em, mem, pod, kills, conditionState } = setup();
  const g = pod("guaranteed", { requests: { cpu: "1", memory: "3Gi" }, limits: { cpu: "1", memory: "3Gi" } });
  const b = pod("burstable", { requests: { memory: "2Gi" } });
  const be = pod("besteffort");
  mem.setUsage(g, "app", 3 * GiB);
  mem.setUsage(b, "app", 2 * GiB);
  mem.setUsage(be, "app", 3 * GiB - 50 * MiB); // 50Mi left: under the 100Mi threshold
  const evicted = em.synchronize();
  assert.deepEqual(evicted.map((p) => p.metadata.name), ["besteffort"]);
  assert.deepEqual(kills, [{ pod: "besteffort", grace: 1 }]);
  assert.equal(conditionState.memoryPressure, true);
  const st = ctx.api.get("Pod", "default", "besteffort")!.status;
  const msg =
    "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 3022Mi, request is 0, has larger consumption of memory. ";
  assert.equal(st.phase, "Failed");
  assert.equal(st.reason, "Evicted");
  assert.equal(st.message, msg);
  const dt = st.conditions.find((c: any) => c.type === "DisruptionTarget");
  assert.equal(dt.status, "True");
  assert.equal(dt.reason, "TerminationByKubelet");
  assert.equal(dt.message, msg);
  const events = ctx.api.list("Event", { namespace: "default" });
  assert.ok(events.some((e) => e.reason === "Evicted" && e.type === "Warning" && e.message === msg && e.involvedObject.name === "besteffort"));
  const nodeEvents = ctx.api.list("Event").filter((e) => e.involvedObject.kind === "Node");
  assert.ok(nodeEvents.some((e) => e.reason === "EvictionThresholdMet" && e.message === "Attempting to reclaim memory"));
  assert.ok(nodeEvents.some((e) => e.reason === "NodeHasInsufficientMemory" && e.message === "Node n1 status is now: NodeHasInsufficientMemory"));
});

test("one pod per cycle: the 10 s loop, then a new pass as soon as the evicted pod is cleaned up", () => {
  const { ctx, em, mem, pod, kills } = setup();
  const g = pod("guaranteed", { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } });
  const b = pod("burstable", { requests: { memory: "1Gi" } });
  const be = pod("besteffort");
  mem.setUsage(g, "app", 2 * GiB);
  mem.setUsage(b, "app", 6 * GiB - 60 * MiB);
  mem.setUsage(be, "app", 10 * MiB);
  em.start();
  ctx.clock.advance(9_999);
  assert.equal(kills.length, 0);
  ctx.clock.advance(1);
  // Both exceed their requests and share a priority: the larger use above the request goes first,
  // even before the BestEffort pod.
  assert.deepEqual(kills.map((k) => k.pod), ["burstable"]);
  ctx.clock.advance(500);
  mem.setUsage(be, "app", 6 * GiB - 10 * MiB); // pressure again before the cleanup poll
  ctx.clock.advance(499);
  assert.equal(kills.length, 1);
  ctx.clock.advance(1); // t = 11 s: cleaned up → synchronize at once
  assert.deepEqual(kills.map((k) => k.pod), ["burstable", "besteffort"]);
  assert.deepEqual(em.evicted.map((e) => [e.name, e.at - em.evicted[0].at]), [["burstable", 0], ["besteffort", 1000]]);
});

test("pressure lasts the transition period after the threshold was last met", () => {
  const { ctx, em, mem, pod, conditionState } = setup();
  const be = pod("be");
  mem.setUsage(be, "app", 8 * GiB - 10 * MiB);
  em.synchronize();
  assert.equal(conditionState.memoryPressure, true);
  ctx.clock.advance(4 * 60_000 + 59_000);
  em.synchronize();
  assert.equal(conditionState.memoryPressure, true);
  ctx.clock.advance(1_000);
  em.synchronize();
  assert.equal(conditionState.memoryPressure, false);
});

test("admission under memory pressure rejects BestEffort pods only", () => {
  const { em, conditionState } = setup();
  conditionState.memoryPressure = true;
  const be = { metadata: { name: "x" }, spec: { containers: [{ name: "c" }] } } as KObject;
  assert.deepEqual(em.admit(be), { admit: false, reason: "Evicted", message: "The node had condition: [MemoryPressure]. " });
  const tol = { ...be, spec: { ...be.spec, tolerations: [{ key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" }] } };
  assert.deepEqual(em.admit(tol), { admit: true });
  const burst = { metadata: { name: "y" }, spec: { containers: [{ name: "c", resources: { requests: { memory: "1Gi" } } }] } } as KObject;
  assert.deepEqual(em.admit(burst), { admit: true });
});
