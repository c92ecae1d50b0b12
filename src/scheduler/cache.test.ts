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
