import { test } from "node:test";
import assert from "node:assert/strict";
import { SchedulerCache } from "./cache.ts";
import { deepFreeze, type KObject } from "../api/types.ts";

function node(name: string): KObject {
  return deepFreeze({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
    status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110" } },
  });
}

function pod(labels: Record<string, string>, cpu: string, phase = "Pending"): KObject {
  return deepFreeze({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u1", labels },
    spec: { nodeName: "n1", containers: [{ name: "c", image: "x", resources: { requests: { cpu } } }] },
    status: { phase },
  });
}

const names = (it: Iterable<{ pod: KObject }>) => [...it].map((p) => p.pod.metadata.labels?.app);

for (const reuse of [false, true]) {
  test(`the cache replaces an updated pod with its new version: requests, the label index (parsed parts ${reuse ? "kept for the same spec" : "parsed again"})`, () => {
    const cache = new SchedulerCache();
    cache.reuseParsed = reuse;
    const ni = cache.addOrUpdateNode(node("n1"));
    const v1 = pod({ app: "a" }, "100m");
    cache.addOrUpdatePod(v1);
    assert.equal(ni.requested.milliCPU, 100);
    // A status write: a new version sharing the spec and labels.
    const v2 = deepFreeze({ ...v1, metadata: { ...v1.metadata }, status: { phase: "Running" } });
    cache.addOrUpdatePod(v2);
    assert.equal(ni.pods.length, 1);
    assert.equal(ni.pods[0].pod, v2);
    assert.equal(ni.requested.milliCPU, 100);
    // A version with the same spec object and new labels: indexed under its new labels only.
    const v3 = deepFreeze({ ...v2, metadata: { ...v2.metadata, labels: { app: "b" } } });
    cache.addOrUpdatePod(v3);
    assert.deepEqual(names(cache.candidatesFor({ matchLabels: { app: "b" } })), ["b"]);
    assert.deepEqual(names(cache.candidatesFor({ matchLabels: { app: "a" } })), []);
    // A new spec: its requests are read again.
    const v4 = pod({ app: "b" }, "250m", "Running");
    cache.addOrUpdatePod(v4);
    assert.equal(ni.requested.milliCPU, 250);
    assert.equal(ni.pods.length, 1);
    assert.deepEqual(names(cache.candidatesFor({ matchLabels: { app: "b" } })), ["b"]);
    cache.removePod("default/p");
    assert.equal(ni.requested.milliCPU, 0);
    assert.deepEqual(names(cache.candidatesFor({ matchLabels: { app: "b" } })), []);
  });
}

for (const reuse of [false, true]) {
  test(`a node update that changes none of the NodeInfo's inputs hands the new object over; any other rebuilds it (${reuse ? "fast" : "reference"} engine)`, () => {
    const cache = new SchedulerCache();
    cache.reuseParsed = reuse;
    const v1 = deepFreeze({ ...node("n1"), status: { ...node("n1").status, images: [{ names: ["docker.io/library/nginx:1.27"], sizeBytes: 100 }] } });
    const ni = cache.addOrUpdateNode(v1);
    const version = cache.nodesVersion;
    const generation = ni.generation;
    // A heartbeat: new conditions, the same labels, taints, allocatable and images (other objects, equal JSON).
    const v2 = deepFreeze({ ...v1, status: { ...structuredClone(v1.status), conditions: [{ type: "Ready", status: "True" }] } });
    assert.equal(cache.addOrUpdateNode(v2), ni);
    assert.equal(ni.node, v2);
    assert.equal(cache.nodesVersion, reuse ? version : version + 1);
    assert.equal(ni.generation, reuse ? generation : generation + 1);
    assert.equal(ni.imageStates.get("docker.io/library/nginx:1.27")?.size, 100);
    // Each input changed alone rebuilds: labels, taints, unschedulable, allocatable, images.
    const changes: Array<(n: KObject) => KObject> = [
      (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, zone: "a" } } }),
      (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: "k", effect: "NoSchedule" }] } }),
      (n) => ({ ...n, spec: { ...n.spec, unschedulable: true } }),
      (n) => ({ ...n, status: { ...n.status, allocatable: { ...n.status.allocatable, cpu: "2" } } }),
      (n) => ({ ...n, status: { ...n.status, images: [{ names: ["docker.io/library/nginx:1.27"], sizeBytes: 200 }] } }),
    ];
    let cur: KObject = v2;
    for (const [i, change] of changes.entries()) {
      const before = cache.nodesVersion;
      const generationBefore = ni.generation;
      cur = deepFreeze(change(cur));
      cache.addOrUpdateNode(cur);
      // Labels and taints change what the spreading counts (nodesVersion); the fast engine keeps it for the rest.
      assert.equal(cache.nodesVersion, before + (i < 2 || !reuse ? 1 : 0), `change ${i}`);
      assert.equal(ni.generation, generationBefore + 1);
      assert.equal(ni.node, cur);
    }
    assert.equal(ni.labels.zone, "a");
    assert.equal(ni.taints.length, 1);
    assert.equal(ni.unschedulable, true);
    assert.equal(ni.allocMilliCPU, 2000);
    assert.equal(ni.imageStates.get("docker.io/library/nginx:1.27")?.size, 200);
  });
}

test("a node's pods keep the same order on both engines when updates replace them (the fast engine finds the counted PodInfo by identity, issue #19)", () => {
  const named = (name: string, cpu: string, phase: string): KObject =>
    deepFreeze({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: name }, spec: { nodeName: "n1", containers: [{ name: "c", image: "x", resources: { requests: { cpu } } }] }, status: { phase } });
  const run = (reuse: boolean) => {
    const cache = new SchedulerCache();
    cache.reuseParsed = reuse;
    const ni = cache.addOrUpdateNode(node("n1"));
    const versions = new Map<string, KObject>();
    for (let i = 0; i < 12; i++) versions.set(`p${i}`, named(`p${i}`, `${(i + 1) * 10}m`, "Pending"));
    for (const p of versions.values()) cache.addOrUpdatePod(p);
    const trace: string[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let step = 0; step < 200; step++) {
      const name = `p${next() % 12}`;
      const old = versions.get(name)!;
      const r = next() % 10;
      let v: KObject;
      if (r < 6) v = deepFreeze({ ...old, metadata: { ...old.metadata }, status: { phase: step % 2 ? "Running" : "Pending" } }); // a status write
      else if (r < 8) v = named(name, `${(next() % 9) + 1}00m`, "Running"); // a new spec
      else {
        // Removed and added again, as a deletion and re-creation would.
        cache.removePod(`default/${name}`);
        v = named(name, "50m", "Pending");
      }
      versions.set(name, v);
      cache.addOrUpdatePod(v);
      if (step % 25 === 0) {
        // Preemption's dry run moves the lower-priority pods to the end, the same objects.
        const kept = ni.pods.filter((p) => p.key < "default/p5");
        const moved = ni.pods.filter((p) => p.key >= "default/p5");
        ni.pods.length = 0;
        ni.pods.push(...kept, ...moved);
      }
      trace.push(`${ni.pods.map((p) => p.key.slice(9)).join(",")} ${ni.requested.milliCPU} ${ni.numPods}`);
    }
    return trace;
  };
  const fast = run(true);
  assert.deepEqual(fast, run(false));
  assert.equal(new Set(fast).size > 100, true, "the order changes along the way");
});
