// The pod checks: undefined when the pod shows what is expected, else what it shows instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bareContext } from "../kubelet/testutil.ts";
import type { KObject } from "../api/types.ts";
import { checkContainerRestarts, checkContainerState, checkEvicted, checkNotReady, checkOOMKilled, checkPodPhase, checkPodRestarts, checkQOSClass, checkReady, checkTextInLogs } from "./pods.ts";

function setup() {
  const ctx = bareContext();
  const pod = (name: string, spec: KObject["spec"], status: KObject["status"] = {}) => {
    ctx.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec, status });
    ctx.clock.settle();
  };
  return { ctx, pod };
}

test("QoS class, eviction and OOM kills read the pod's status and explain a mismatch", () => {
  const { ctx, pod } = setup();
  pod("g", { containers: [{ name: "app" }] }, { qosClass: "Guaranteed", phase: "Running" });
  assert.equal(checkQOSClass(ctx, "g", "Guaranteed"), undefined);
  assert.match(checkQOSClass(ctx, "g", "Burstable")!, /has QoS class Guaranteed, not Burstable/);
  assert.throws(() => checkQOSClass(ctx, "g", "Gold"), /not a QoS class/, "a name that is no QoS class is the author's error");
  assert.match(checkEvicted(ctx, "g")!, /was not evicted .*phase Running/);
  pod("e", { containers: [{ name: "app" }] }, { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory. " });
  assert.equal(checkEvicted(ctx, "e"), undefined);
  pod("o", { containers: [{ name: "app" }] }, {
    phase: "Running",
    containerStatuses: [{ name: "app", restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } } }],
  });
  assert.equal(checkOOMKilled(ctx, "app", "o"), undefined);
  assert.match(checkOOMKilled(ctx, "app", "g")!, /was not OOM-killed/);
  assert.equal(checkOOMKilled(ctx, "db", "o"), "container db is not valid for pod o");
  assert.equal(checkEvicted(ctx, "nope"), 'Error from server (NotFound): pods "nope" not found');
});

test("phase, container state and restarts", () => {
  const { ctx, pod } = setup();
  pod("w", { containers: [{ name: "app" }] }, {
    phase: "Running",
    containerStatuses: [{ name: "app", restartCount: 2, ready: true, state: { running: {} } }],
  });
  assert.equal(checkPodPhase(ctx, "w", "Running"), undefined);
  assert.equal(checkPodPhase(ctx, "w", "Succeeded"), 'pod "w" is Running, not Succeeded; containers: app: running');
  assert.equal(checkPodPhase(ctx, "x", "Running"), 'pod "x" does not exist in namespace "default"');
  assert.equal(checkContainerState(ctx, "w", "app", "running"), undefined);
  assert.equal(checkContainerState(ctx, "w", "app", "terminated", "Completed"), 'container "app" of pod "w" is running, not terminated (Completed)');
  assert.equal(checkContainerState(ctx, "w", "db", "running"), 'pod "w" has no container "db" (it has: app)');
  assert.equal(checkPodRestarts(ctx, "w", 2), undefined);
  assert.equal(checkPodRestarts(ctx, "w", 0), 'pod "w" has restarted 2 time(s), not 0');
  assert.equal(checkContainerRestarts(ctx, "w", "app", 1), 'container "app" of pod "w" has restarted 2 time(s), not 1');
});

test("readiness and logs", () => {
  const { ctx, pod } = setup();
  pod("r", { containers: [{ name: "app" }] }, { phase: "Running", conditions: [{ type: "Ready", status: "True" }] });
  assert.equal(checkReady(ctx, "r"), undefined);
  assert.match(checkNotReady(ctx, "r")!, /^pod "r" is Ready: phase Running; conditions Ready=True/);
  assert.equal(checkReady(ctx, "none"), 'pod "none" does not exist');
  assert.equal(checkTextInLogs("hello\n", "r", "hello"), undefined);
  assert.equal(checkTextInLogs("hello\n", "r", "bye", "app"), 'the logs of container "app" of pod "r" do not contain:\nbye\n\nthey are:\nhello\n');
});
