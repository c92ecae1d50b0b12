import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON, NodeName } from "./nodename.ts";
import { Code, PodInfo } from "../types.ts";
import { node, nodeInfo, pod } from "../testutil.ts";

// node_name_test.go TestNodeName.
test("NodeName: no host specified fits", () => {
  assert.equal(new NodeName().filter(null, new PodInfo(pod("p")), nodeInfo(node("foo"))), null);
});
test("NodeName: host matches", () => {
  assert.equal(new NodeName().filter(null, new PodInfo(pod("p", { nodeName: "foo" })), nodeInfo(node("foo"))), null);
});
test("NodeName: host doesn't match", () => {
  const s = new NodeName().filter(null, new PodInfo(pod("p", { nodeName: "bar" })), nodeInfo(node("foo")));
  assert.equal(s?.code, Code.UnschedulableAndUnresolvable);
  assert.deepEqual(s?.reasons, [ERR_REASON]);
});
