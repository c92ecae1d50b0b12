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

/** A status write's new version: the same spec and labels objects, new metadata and status. */
const statusWrite = (old: KObject, status: Record<string, unknown>): KObject => deepFreeze({ ...old, metadata: { ...old.metadata, resourceVersion: String(Number(old.metadata.resourceVersion ?? 0) + 1) }, status });

for (const reuse of [true, false]) {
  test(`status-only changes left out of the cache (leaveOutStatusOnly, issue #19 §1) leave the sums, and the order sortPods gives, of a cache that takes every change (${reuse ? "fast" : "reference"} engine)`, () => {
    const named = (name: string, cpu: string, priority: number, port = false): KObject =>
      deepFreeze({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "default", uid: name, labels: { app: name.slice(0, 2) } },
        spec: { nodeName: "n1", priority, containers: [{ name: "c", image: "x", resources: { requests: { cpu, memory: `${name.length}Mi` } }, ...(port ? { ports: [{ containerPort: 80, hostPort: 8080 }] } : {}) }] },
        status: { phase: "Running" },
      });
    const every = new SchedulerCache();
    const lazy = new SchedulerCache();
    every.reuseParsed = lazy.reuseParsed = reuse;
    const a = every.addOrUpdateNode(node("n1"));
    const b = lazy.addOrUpdateNode(node("n1"));
    const versions = new Map<string, KObject>();
    const put = (v: KObject) => {
      versions.set(v.metadata.name!, v);
      every.addOrUpdatePod(v);
      lazy.addOrUpdatePod(v);
    };
    for (let i = 0; i < 10; i++) put(named(`p${i}`, `${(i + 1) * 10}m`, i % 3, i === 4));
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let left = 0;
    for (let step = 0; step < 400; step++) {
      const name = `p${next() % 10}`;
      const old = versions.get(name)!;
      const r = next() % 12;
      if (r < 8) {
        // A status write: the lazy cache is asked first, as the dispatch asks the scheduler's filter.
        const v = statusWrite(old, { phase: "Running", podIP: `10.0.0.${step % 250}` });
        versions.set(name, v);
        every.addOrUpdatePod(v);
        if (lazy.leaveOutStatusOnly(`default/${name}`, v)) left++;
        else lazy.addOrUpdatePod(v);
      } else if (r < 9) put(named(name, `${(next() % 9) + 1}00m`, next() % 3)); // a new spec
      else if (r < 10) {
        // Deleted and made again.
        every.removePod(`default/${name}`);
        lazy.removePod(`default/${name}`);
        put(named(name, "50m", 1));
      } else {
        // Preemption's dry run on both nodes: the pods of lower priority out, then back in turn.
        for (const ni of [a, b]) {
          const lower = ni.sortPods().filter((p) => p.priority < 2);
          for (const p of lower) ni.removePod(p.key);
          for (const p of lower) ni.addPod(p);
        }
      }
      const seen = (ni: typeof a) => `${ni.sortPods().map((p) => p.key.slice(9)).join(",")} ${ni.requested.milliCPU} ${ni.requested.memory} ${ni.nonZeroCPU} ${ni.nonZeroMemory} ${ni.numPods} ${ni.usedPorts.length} ${ni.maxPodPriority()}`;
      assert.equal(seen(b), seen(a), `step ${step}`);
      assert.deepEqual([...lazy.candidatesFor({ matchLabels: { app: "p1" } })].map((p) => p.key).sort(), [...every.candidatesFor({ matchLabels: { app: "p1" } })].map((p) => p.key).sort());
    }
    // The reference engine's cache takes every change (the scheduler's filter is never asked there either).
    if (reuse) assert.ok(left > 200, `left out: ${left}`);
    else assert.equal(left, 0);
  });
}

test("leaveOutStatusOnly: only a counted pod with the same spec and labels on a node whose sums are exact; the counted object itself needs no restamp", () => {
  const cache = new SchedulerCache();
  cache.reuseParsed = true;
  const ni = cache.addOrUpdateNode(node("n1"));
  const v1 = pod({ app: "a" }, "100m", "Running");
  assert.equal(cache.leaveOutStatusOnly("default/p", v1), false, "not counted");
  cache.addOrUpdatePod(v1);
  const seq = ni.pods[0].seq;
  assert.equal(cache.leaveOutStatusOnly("default/p", v1), true, "the counted object: addOrUpdatePod returns at once");
  assert.equal(ni.pods[0].seq, seq);
  assert.equal(ni.orderStale, false);
  const v2 = statusWrite(v1, { phase: "Running", podIP: "10.0.0.1" });
  assert.equal(cache.leaveOutStatusOnly("default/p", v2), true);
  assert.equal(ni.pods[0].pod, v2, "the new object, in the same PodInfo");
  assert.ok(ni.pods[0].seq > seq);
  assert.equal(ni.orderStale, true);
  // Another spec object (the same values) or other labels: the handler runs.
  assert.equal(cache.leaveOutStatusOnly("default/p", deepFreeze({ ...v2, spec: structuredClone(v2.spec) })), false);
  assert.equal(cache.leaveOutStatusOnly("default/p", deepFreeze({ ...v2, metadata: { ...v2.metadata, labels: { app: "a" } } })), false);
});

test("leaveOutStatusOnly: not on a node whose sums are not exact (2^53 + 1 + 1 bytes: the update's −1 +1 gives 2^53)", () => {
  const mem = (name: string, memory: string): KObject =>
    deepFreeze({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: name }, spec: { nodeName: "n1", containers: [{ name: "c", image: "x", resources: { requests: { memory } } }] }, status: { phase: "Running" } });
  for (const reuse of [true, false]) {
    const cache = new SchedulerCache();
    cache.reuseParsed = reuse;
    const ni = cache.addOrUpdateNode(node("n1"));
    const one = mem("one", "1");
    cache.addOrUpdatePod(one);
    cache.addOrUpdatePod(mem("two", "1"));
    assert.equal(ni.exactSums, true);
    cache.addOrUpdatePod(mem("big", "9007199254740992"));
    assert.equal(ni.exactSums, false, "a sum past 2^53 − 1");
    assert.equal(ni.requested.memory, 2 ** 53 + 2);
    const v2 = statusWrite(one, { phase: "Running", podIP: "10.0.0.1" });
    assert.equal(cache.leaveOutStatusOnly("default/one", v2), false);
    // What the update does (and why it may not be left out): the sum moves.
    cache.addOrUpdatePod(v2);
    assert.equal(ni.requested.memory, 2 ** 53);
  }
});
