import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from "./nodeunschedulable.ts";
import { Code, PodInfo } from "../types.ts";
import { node, nodeInfo, pod } from "../testutil.ts";

// node_unschedulable_test.go TestNodeUnschedulable.
const cases: Array<[string, boolean | undefined, any[], boolean]> = [
  ["does not schedule on unschedulable node", true, [], false],
  ["schedules on schedulable node", false, [], true],
  ["schedules when unschedulable is unset", undefined, [], true],
  ["schedules on unschedulable node with toleration", true, [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }], true],
];
for (const [name, unschedulable, tolerations, fits] of cases) {
  test(`NodeUnschedulable: ${name}`, () => {
    const s = new NodeUnschedulable().filter(null, new PodInfo(pod("p", { tolerations })), nodeInfo(node("n", { unschedulable })));
    if (fits) assert.equal(s, null);
    else {
      assert.equal(s?.code, Code.UnschedulableAndUnresolvable);
      assert.deepEqual(s?.reasons, [ERR_REASON_UNSCHEDULABLE]);
    }
  });
}
