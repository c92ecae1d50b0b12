import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";

test("a cluster starts with the system PriorityClasses kube-apiserver creates", () => {
  const c = new Cluster();
  const classes = c.ctx.api.list("PriorityClass").map((pc) => [pc.metadata.name, pc.value, pc.globalDefault ?? false, pc.preemptionPolicy, pc.description]);
  assert.deepEqual(classes, [
    ["system-cluster-critical", 2000000000, false, "PreemptLowerPriority", "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."],
    ["system-node-critical", 2000001000, false, "PreemptLowerPriority", "Used for system critical pods that must not be moved from their current node."],
  ]);
  void c.close();
});
