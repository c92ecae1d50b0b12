import { test } from "node:test";
import assert from "node:assert/strict";
import { addNode, bareContext } from "./testutil.ts";
import { mainProcessName, memoryLimitBytes, NodeMemory, oomBadness, type MemoryContainer } from "./oom.ts";

const GiB = 2 ** 30;

function setup(memory: string) {
  const ctx = bareContext();
  addNode(ctx, "n1", memory);
  const killed: string[] = [];
  const dead = new Set<string>();
  const running = (): MemoryContainer[] =>
    ctx.api
      .podsOnNode("n1")
      .flatMap((pod) => (pod.spec.containers as any[]).map((container) => ({ pod, container })))
      .filter(({ pod, container }) => !dead.has(`${pod.metadata.name}/${container.name}`))
      .map(({ pod, container }) => ({
        pod,
        container,
        pid: 100 + killed.length,
        oomKill: () => {
          killed.push(`${pod.metadata.name}/${container.name}`);
          dead.add(`${pod.metadata.name}/${container.name}`);
        },
      }));
  const mem = new NodeMemory(ctx, "n1", { runningContainers: running });
  const pod = (name: string, containers: any[]) => {
    const p = ctx.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: "n1", containers } });
    ctx.clock.settle();
    return p;
  };
  return { ctx, mem, pod, killed };
}

test("a container over its memory limit is OOM-killed at once; others are untouched", () => {
  const { ctx, mem, pod, killed } = setup("8Gi");
  const p = pod("web", [
    { name: "app", image: "kubetm/app", resources: { limits: { memory: "1Gi" } } },
    { name: "side", image: "busybox", command: ["sh", "-c", "sleep 1d"] },
  ]);
  mem.setUsage(p, "app", GiB);
  assert.deepEqual(killed, []); // at the limit is fine
  mem.setUsage(p, "app", GiB + 1);
  assert.deepEqual(killed, ["web/app"]);
  const ev = ctx.api.list("Event").find((e) => e.reason === "SystemOOM")!;
  assert.equal(ev.type, "Warning");
  assert.equal(ev.involvedObject.kind, "Node");
  assert.equal(ev.message, "System OOM encountered, victim process: app, pid: 100");
  assert.equal(mem.kills()[0].kind, "cgroup");
});

test("node out of memory: the kernel kills the highest oom badness (course notes: 5G vs 8G requests, both using 4G)", () => {
  const { mem, pod, killed } = setup("16Gi");
  const g = pod("pod1", [{ name: "app", resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } } }]);
  const p2 = pod("pod2", [{ name: "app", resources: { requests: { memory: "5G" } } }]);
  const p3 = pod("pod3", [{ name: "app", resources: { requests: { memory: "8G" } } }]);
  mem.setUsage(g, "app", 4 * GiB);
  mem.setUsage(p3, "app", 4e9);
  mem.setUsage(p2, "app", 4e9);
  assert.deepEqual(killed, []);
  mem.setUsage(g, "app", 4 * GiB); // unchanged
  mem.setUsage(p3, "app", 9e9); // 4Gi + 4G + 9G > 16Gi
  // pod3 now uses more, but its adj (1000-465=535) is lower than pod2's (1000-291=709):
  // badness pod3 = 9e9/16Gi*1000 + 535 ≈ 1058, pod2 = 4e9/16Gi*1000 + 709 ≈ 941 → pod3
  assert.deepEqual(killed, ["pod3/app"]);
});

test("equal use: the container with the smaller request (higher oom_score_adj) dies first; Guaranteed last", () => {
  const { mem, pod, killed } = setup("16Gi");
  const g = pod("guaranteed", [{ name: "app", resources: { requests: { cpu: "1", memory: "6Gi" }, limits: { cpu: "1", memory: "6Gi" } } }]);
  const p2 = pod("pod2", [{ name: "app", resources: { requests: { memory: "5G" } } }]);
  const p3 = pod("pod3", [{ name: "app", resources: { requests: { memory: "8G" } } }]);
  mem.setUsage(g, "app", 6 * GiB);
  mem.setUsage(p2, "app", 4e9);
  mem.setUsage(p3, "app", 4e9);
  assert.deepEqual(killed, []);
  mem.setUsage(p3, "app", 6.9e9); // over capacity: pod2 badness 233+709=942 > pod3 402+535=937
  assert.deepEqual(killed, ["pod2/app"]);
});

test("BestEffort starts 1000 points ahead, but usage counts too", () => {
  const { mem, pod, killed } = setup("8Gi");
  const be = pod("be", [{ name: "c" }]);
  const b = pod("b", [{ name: "c", resources: { requests: { memory: "6Gi" } } }]);
  mem.setUsage(be, "c", 2 * GiB);
  mem.setUsage(b, "c", 6.5 * GiB); // be: 250+1000 = 1250 > b: 812+250 = 1062
  assert.deepEqual(killed, ["be/c"]);
  const { mem: mem2, pod: pod2, killed: killed2 } = setup("8Gi");
  const be2 = pod2("be", [{ name: "c" }]);
  const b2 = pod2("b", [{ name: "c", resources: { requests: { memory: "1Gi" } } }]);
  mem2.setUsage(be2, "c", 1 * GiB);
  mem2.setUsage(b2, "c", 7.5 * GiB); // be: 125+1000 = 1125 < b: 937+875 = 1812
  assert.deepEqual(killed2, ["b/c"]);
});

test("badness, limits and process names", () => {
  assert.equal(oomBadness(GiB, 500, 4 * GiB), 750);
  assert.equal(oomBadness(GiB, -1000, 4 * GiB), -Infinity);
  assert.equal(memoryLimitBytes({ resources: { limits: { memory: "128Mi" } } }), 128 * 2 ** 20);
  assert.equal(memoryLimitBytes({ resources: { limits: { memory: "0" } } }), undefined);
  assert.equal(memoryLimitBytes({}), undefined);
  assert.equal(mainProcessName({ command: ["/bin/sh", "-c", "x"] }), "sh");
  assert.equal(mainProcessName({ image: "docker.io/kubetm/app:v1" }), "app");
});

test("usage from the application model when nothing was declared", () => {
  const ctx = bareContext();
  addNode(ctx, "n1");
  const pod = ctx.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { nodeName: "n1", containers: [{ name: "c" }] } });
  let used = 300 * 2 ** 20;
  const c: MemoryContainer = { pod, container: pod.spec.containers[0], appMemoryBytes: () => used, oomKill: () => {} };
  const mem = new NodeMemory(ctx, "n1", { runningContainers: () => [c] });
  assert.equal(mem.podStats(pod)!.workingSetBytes, 300 * 2 ** 20);
  used = 500 * 2 ** 20;
  assert.equal(mem.workingSetBytes(), 500 * 2 ** 20);
  mem.setUsage(pod, "c", GiB);
  assert.equal(mem.availableBytes(), 7 * GiB);
});

test("usage that grows inside an application model is looked at every second", () => {
  const ctx = bareContext();
  addNode(ctx, "n1");
  const pod = ctx.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { nodeName: "n1", containers: [{ name: "c", resources: { limits: { memory: "1Gi" } } }] } });
  const start = ctx.clock.now();
  let alive = true;
  const c: MemoryContainer = {
    pod,
    container: pod.spec.containers[0],
    appMemoryBytes: () => (ctx.clock.now() - start >= 5_500 ? 2 * GiB : 100 * 2 ** 20),
    oomKill: () => {
      alive = false;
    },
  };
  const mem = new NodeMemory(ctx, "n1", { runningContainers: () => (alive ? [c] : []) });
  mem.enforce();
  ctx.clock.advance(5_000);
  assert.equal(alive, true);
  ctx.clock.advance(1_000);
  assert.equal(alive, false);
  assert.equal(mem.kills()[0].at - start, 6_000);
  ctx.clock.advance(10_000); // nothing modelled runs any more: no timer left behind
  assert.equal(mem.kills().length, 1);
});

test("the node's capacity follows every change of its Node on both engines; the fast engine reads the Node again only after a change of some Node", () => {
  for (const reference of [false, true]) {
    const { ctx, mem } = setup("8Gi");
    ctx.reference = reference;
    ctx.api.reference = reference;
    // The store's reads of Nodes made by capacityBytes itself.
    let reads = 0;
    let asking = false;
    const get = ctx.api.get.bind(ctx.api);
    ctx.api.get = ((kind: string, ns: string | undefined, name: string) => {
      if (asking && kind === "Node") reads++;
      return get(kind, ns, name);
    }) as typeof ctx.api.get;
    const capacity = () => {
      asking = true;
      try {
        return mem.capacityBytes();
      } finally {
        asking = false;
      }
    };
    assert.equal(capacity(), 8 * GiB);
    assert.equal(capacity(), 8 * GiB);
    if (!reference) assert.equal(reads, 1);
    // Another kind's write changes nothing; another Node's write makes the next call read again.
    ctx.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } });
    assert.equal(capacity(), 8 * GiB);
    if (!reference) assert.equal(reads, 1);
    addNode(ctx, "n2", "2Gi");
    assert.equal(capacity(), 8 * GiB);
    if (!reference) assert.equal(reads, 2);
    // Its own Node's capacity written (a status write), then the Node deleted (the default, 8Gi), then back.
    ctx.api.mutate("Node", undefined, "n1", (n) => (n.status = { ...n.status, capacity: { ...n.status.capacity, memory: "16Gi" } }), { subresource: "status" });
    assert.equal(capacity(), 16 * GiB);
    assert.equal(mem.availableBytes(), 16 * GiB);
    ctx.api.delete("Node", undefined, "n1");
    assert.equal(capacity(), 8 * GiB);
    addNode(ctx, "n1", "4Gi");
    assert.equal(capacity(), 4 * GiB);
    assert.equal(capacity(), 4 * GiB);
    // The reference engine reads the Node at every call.
    assert.equal(reads, reference ? 8 : 5);
  }
});
