import { test } from "node:test";
import assert from "node:assert/strict";
import { nodesFromTable } from "./nodetable.ts";

test("a full row becomes a Node with labels, taints and capacity", () => {
  const [n] = nodesFromTable([{ name: "k8s-node1", labels: "kr=az-1,gpu=no1", taints: "hw=gpu:NoSchedule", cpu: "4", memory: "8Gi", pods: "110" }]);
  assert.deepEqual(n.metadata.labels, { kr: "az-1", gpu: "no1" });
  assert.deepEqual(n.spec.taints, [{ key: "hw", value: "gpu", effect: "NoSchedule" }]);
  assert.deepEqual(n.status.capacity, { cpu: "4", memory: "8Gi", pods: "110" });
});

test("empty cells take the defaults; key= gives an empty label value", () => {
  const [n] = nodesFromTable([{ name: "n2", labels: "a-team=", taints: "", cpu: "", memory: "", pods: "" }]);
  assert.deepEqual(n.metadata.labels, { "a-team": "" });
  assert.deepEqual(n.spec, {});
  assert.deepEqual(n.status, {});
});

test("key:Effect taints and the control-plane role", () => {
  const [n] = nodesFromTable([{ name: "cp", role: "control-plane", taints: "dedicated:NoExecute" }]);
  assert.equal(n.metadata.labels!["node-role.kubernetes.io/control-plane"], "");
  assert.deepEqual(n.spec.taints, [
    { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
    { key: "dedicated", effect: "NoExecute" },
  ]);
});

test("errors name the row and the cell", () => {
  assert.throws(() => nodesFromTable([{ name: "a" }, { name: "b", taints: "hw=gpu:NoSched" }]), /row 2 \(b\), column "taints": invalid taint effect: NoSched/);
  assert.throws(() => nodesFromTable([{ name: "a", labels: "kr" }]), /row 1 \(a\), column "labels": "kr" is not key=value/);
  assert.throws(() => nodesFromTable([{ name: "a", gpus: "1" }]), /unknown column "gpus"/);
  assert.throws(() => nodesFromTable([{ name: "a" }, { name: "a" }]), /duplicate node name "a"/);
  assert.throws(() => nodesFromTable([{ name: "a", cpu: "four" }]), /"four" is not a valid quantity/);
  assert.throws(() => nodesFromTable([{ name: "" }]), /needs a name/);
});
