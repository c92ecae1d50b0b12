import { test } from "node:test";
import assert from "node:assert/strict";
import { addNode, bareContext } from "./testutil.ts";
import { NodeMemory, nodeMemories } from "./oom.ts";
import { defaultContainerName, memoryBytes, useMemory, useSystemMemory } from "./resourceuse.ts";

function setup() {
  const ctx = bareContext();
  addNode(ctx, "n1");
  const pod = (name: string, spec: any, status: any = {}) => {
    ctx.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec, status });
    ctx.clock.settle();
    return ctx.api.get("Pod", "default", name)!;
  };
  const mem = new NodeMemory(ctx, "n1", {
    runningContainers: () =>
      ctx.api.podsOnNode("n1").flatMap((p) => (p.spec.containers as any[]).map((container) => ({ pod: p, container, oomKill: () => {} }))),
  });
  nodeMemories(ctx).set("n1", mem);
  return { ctx, pod, mem };
}

test("memory amounts parse as the API parses quantities", () => {
  assert.equal(memoryBytes("4Gi"), 4 * 2 ** 30);
  assert.equal(memoryBytes("5G"), 5e9);
  assert.throws(() => memoryBytes("4GB"), /invalid memory amount "4GB": quantities must match the regular expression/);
  assert.throws(() => memoryBytes("-1Gi"), /must not be negative/);
});

test("uses: default container, named container, and kubectl-like errors", () => {
  const { ctx, pod, mem } = setup();
  const p = pod("web", { nodeName: "n1", containers: [{ name: "app" }, { name: "side" }] });
  useMemory(ctx, "web", undefined, "1Gi");
  useMemory(ctx, "web", "side", "256Mi");
  assert.deepEqual(mem.podStats(p)!.containers, [
    { name: "app", workingSetBytes: 2 ** 30 },
    { name: "side", workingSetBytes: 256 * 2 ** 20 },
  ]);
  assert.throws(() => useMemory(ctx, "nope", undefined, "1Gi"), /pods "nope" not found/);
  assert.throws(() => useMemory(ctx, "web", "db", "1Gi"), /container db is not valid for pod web/);
  pod("pending", { containers: [{ name: "app" }] });
  assert.throws(() => useMemory(ctx, "pending", undefined, "1Gi"), /not scheduled to a node yet/);
  useSystemMemory(ctx, "n1", "1Gi");
  assert.equal(mem.workingSetBytes(), 2 * 2 ** 30 + 256 * 2 ** 20);
  assert.throws(() => useSystemMemory(ctx, "n9", "1Gi"), /nodes "n9" not found/);
});

test("kubectl's default container honours the default-container annotation", () => {
  const p: any = { metadata: { annotations: { "kubectl.kubernetes.io/default-container": "b" } }, spec: { containers: [{ name: "a" }, { name: "b" }] } };
  assert.equal(defaultContainerName(p), "b");
  assert.equal(defaultContainerName({ metadata: {}, spec: { containers: [{ name: "a" }] } } as any), "a");
});
