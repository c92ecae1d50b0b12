import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { deepFreeze } from "../../api/types.ts";
import { DaemonSetNodeState, NodeIndex } from "./nodestate.ts";
import { DAEMONSET_HASH_LABEL } from "./util.ts";

let rv = 100;
const node = (name: string, labels: Record<string, string> = {}, taints: KObject[] = []): KObject =>
  deepFreeze({ apiVersion: "v1", kind: "Node", metadata: { name, uid: `u-${name}`, resourceVersion: String(++rv), labels }, spec: { taints } });
const ds = (surge = false): KObject =>
  deepFreeze({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "ds", namespace: "default", uid: "ds-uid", generation: 1 },
    spec: {
      selector: { matchLabels: { app: "ds" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: surge ? { maxSurge: 1, maxUnavailable: 0 } : { maxUnavailable: 1 } },
      template: { metadata: { labels: { app: "ds" } }, spec: { containers: [{ name: "c", image: "x" }] } },
    },
  });
const pod = (name: string, nodeName: string, hash: string, ready: boolean, extra: { deleting?: boolean; phase?: string } = {}): KObject =>
  deepFreeze({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `u-${name}`,
      resourceVersion: String(++rv),
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels: { app: "ds", [DAEMONSET_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: "ds-uid", controller: true }],
      ...(extra.deleting ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}),
    },
    spec: { nodeName },
    status: { phase: extra.phase ?? "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  });

test("NodeIndex: names in list order, only label and taint changes count, older versions ignored", () => {
  const idx = new NodeIndex();
  assert.equal(idx.record(node("n2"), false), true);
  assert.equal(idx.record(node("n1"), false), true);
  assert.deepEqual(idx.sortedNames(), ["n1", "n2"]);
  const n1 = idx.byName.get("n1")!;
  assert.equal(idx.record(deepFreeze({ ...n1, metadata: { ...n1.metadata, resourceVersion: String(++rv) }, status: { phase: "x" } }), false), false, "a status change does not count");
  assert.equal(idx.record(node("n1", { role: "a" }), false), true);
  assert.equal(idx.record(n1, false), false, "an older version is ignored");
  assert.deepEqual(idx.byName.get("n1")!.metadata.labels, { role: "a" });
  assert.equal(idx.record(node("n2"), true), true);
  assert.deepEqual(idx.sortedNames(), ["n1"]);
});

test("DaemonSetNodeState: status counts, nodes needing action and rolling-update classes, kept per node", () => {
  const idx = new NodeIndex();
  for (const n of ["n1", "n2", "n3", "n4"]) idx.record(node(n), false);
  const st = new DaemonSetNodeState([pod("a", "n1", "old", true), pod("b", "n2", "old", false), pod("c", "n3", "new", true)]);
  const d = ds();
  st.refresh(d, "new", idx);
  assert.equal(st.count(DaemonSetNodeState.DESIRED), 4);
  assert.equal(st.count(DaemonSetNodeState.CURRENT), 3);
  assert.equal(st.count(DaemonSetNodeState.READY), 2);
  assert.equal(st.count(DaemonSetNodeState.UPDATED), 1);
  assert.deepEqual([...st.action], ["n4"], "only the node without its pod needs action");
  assert.deepEqual([...st.oldAvailable], ["n1"]);
  assert.deepEqual([...st.oldUnavailable], ["n2"]);
  // unavailable: n2 (old, not ready) and n4 (no pod)
  assert.equal(st.unavailable, 2);
  // The old pod on n1 is deleted: n1 now has a terminating pod only.
  st.podChanged(pod("a", "n1", "old", true), pod("a", "n1", "old", true, { deleting: true }));
  st.refresh(d, "new", idx);
  assert.deepEqual([...st.oldAvailable], []);
  assert.equal(st.unavailable, 3);
  assert.deepEqual([...st.action].sort(), ["n4"], "a node whose only pod is terminating waits");
  // A failed pod needs action; a node that went is dropped.
  st.podChanged(undefined, pod("e", "n4", "new", false, { phase: "Failed" }));
  idx.record(node("n3"), true);
  st.nodeChanged("n3");
  st.refresh(d, "new", idx);
  assert.deepEqual([...st.action], ["n4"]);
  assert.deepEqual([...st.stray], ["n3"], "a pod aimed at a missing node");
  assert.equal(st.count(DaemonSetNodeState.DESIRED), 3);
  // Owned pods that stop matching the selector are counted for ClaimPods.
  const b = pod("b", "n2", "old", false);
  st.podChanged(b, deepFreeze({ ...b, metadata: { ...b.metadata, resourceVersion: String(++rv), labels: { app: "other" } } }));
  assert.equal(st.mismatched, 1);
});

test("DaemonSetNodeState: with surge, a node with both pods surges until the new one is available", () => {
  const idx = new NodeIndex();
  for (const n of ["n1", "n2"]) idx.record(node(n), false);
  const st = new DaemonSetNodeState([pod("a", "n1", "old", true), pod("b", "n1", "new", false), pod("c", "n2", "old", true)]);
  st.refresh(ds(true), "new", idx);
  assert.equal(st.surging, 1);
  assert.deepEqual([...st.surgedNewAvailable], []);
  st.podChanged(pod("b", "n1", "new", false), pod("b", "n1", "new", true));
  st.refresh(ds(true), "new", idx);
  assert.equal(st.surging, 0);
  assert.deepEqual([...st.surgedNewAvailable], ["n1"]);
  assert.deepEqual(DaemonSetNodeState.firstByName(st.oldAvailable, 5, idx.sortedNames(), () => true), ["n2"]);
});
