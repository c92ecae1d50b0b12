// Cases in the spirit of kuberuntime_manager_test.go TestComputePodActions / TestComputePodActionsWithInitContainers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { computePodActions, formatPod } from "./kuberuntime_manager.ts";
import { specHash, type ContainerInstance } from "./runtime_service.ts";
import type { RuntimePodStatus } from "../container/runtime.ts";
import { CfsCgroup } from "../../runtime/cgroup.ts";

const spec = (restartPolicy: string, containers: any[], initContainers: any[] = []) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns", uid: "u" }, spec: { restartPolicy, containers, initContainers },
});
const c = (name: string, extra: any = {}) => ({ name, image: "busybox", ...extra });
let seq = 0;
function inst(spec: any, state: ContainerInstance["state"], exitCode?: number): ContainerInstance {
  seq++;
  return {
    id: `containerd://${seq}`, name: spec.name, state, createdAt: seq, startedAt: seq, finishedAt: state === "exited" ? seq : undefined, exitCode,
    image: "busybox", imageRef: "x", restartCount: 0, podUid: "u", spec, specHash: specHash(spec), log: [], logTimes: [], logBytes: 0, onExited: [],
    cpu: new CfsCgroup({ now: () => 0 }),
  };
}
const ps = (sandboxReady: boolean, instances: ContainerInstance[]): RuntimePodStatus => ({
  sandboxReady,
  containerStatuses: instances.map((i) => ({ id: i.id, name: i.name, state: i.state, createdAt: i.createdAt, exitCode: i.exitCode, image: i.image, imageRef: i.imageRef, restartCount: i.restartCount })),
});
const names = (xs: any[]) => xs.map((x) => x.name);

test("no sandbox: create it and start every container (init containers: the first one)", () => {
  const p = spec("Always", [c("a"), c("b")]);
  const a = computePodActions(p, ps(false, []), []);
  assert.equal(a.createSandbox, true);
  assert.deepEqual(names(a.containersToStart), ["a", "b"]);
  const withInit = spec("Always", [c("a")], [c("i1"), c("i2")]);
  const b = computePodActions(withInit, ps(false, []), []);
  assert.deepEqual(names(b.initContainersToStart), ["i1"]);
  assert.deepEqual(b.containersToStart, []);
});

test("running containers are kept; exited ones restart by restart policy", () => {
  const a = c("a");
  const b = c("b");
  for (const [policy, exit, restart] of [["Always", 0, true], ["Always", 1, true], ["OnFailure", 0, false], ["OnFailure", 1, true], ["Never", 1, false]] as const) {
    const i = [inst(a, "running"), inst(b, "exited", exit)];
    const r = computePodActions(spec(policy, [a, b]), ps(true, i), i);
    assert.deepEqual(names(r.containersToStart), restart ? ["b"] : [], `${policy} exit ${exit}`);
    assert.equal(r.killPod, false);
  }
});

test("nothing running and nothing to start: kill the pod (stop the sandbox)", () => {
  const a = c("a");
  const i = [inst(a, "exited", 0)];
  const r = computePodActions(spec("Never", [a]), ps(true, i), i);
  assert.equal(r.killPod, true);
});

test("a changed container definition is killed and restarted", () => {
  const a = c("a");
  const i = [inst(a, "running")];
  const changed = { ...a, image: "busybox:1.36" };
  const r = computePodActions(spec("Always", [changed]), ps(true, i), i);
  assert.equal(r.containersToKill[0]!.message, "Container a definition changed, will be restarted");
  assert.deepEqual(names(r.containersToStart), ["a"]);
});

test("liveness failure from the prober: kill with its message, restart unless Never", () => {
  const a = c("a");
  const i = [inst(a, "running")];
  const probes = { killReason: () => "Container a failed liveness probe, will be restarted" };
  const r = computePodActions(spec("Always", [a]), ps(true, i), i, probes);
  assert.equal(r.containersToKill[0]!.message, "Container a failed liveness probe, will be restarted");
  assert.deepEqual(names(r.containersToStart), ["a"]);
});

test("init containers: one at a time; a failed one restarts, or kills the pod under Never", () => {
  const i1 = c("i1");
  const i2 = c("i2");
  const app = c("app");
  let i = [inst(i1, "running")];
  let r = computePodActions(spec("Always", [app], [i1, i2]), ps(true, i), i);
  assert.deepEqual(r.initContainersToStart, [], "wait for the running init container");
  assert.deepEqual(r.containersToStart, []);
  i = [inst(i1, "exited", 0)];
  r = computePodActions(spec("Always", [app], [i1, i2]), ps(true, i), i);
  assert.deepEqual(names(r.initContainersToStart), ["i2"]);
  i = [inst(i2, "exited", 0), inst(i1, "exited", 0)];
  r = computePodActions(spec("Always", [app], [i1, i2]), ps(true, i), i);
  assert.deepEqual(names(r.containersToStart), ["app"]);
  i = [inst(i1, "exited", 1)];
  r = computePodActions(spec("OnFailure", [app], [i1, i2]), ps(true, i), i);
  assert.deepEqual(names(r.initContainersToStart), ["i1"]);
  r = computePodActions(spec("Never", [app], [i1, i2]), ps(true, i), i);
  assert.equal(r.killPod, true);
  assert.deepEqual(r.initContainersToStart, []);
});

test("a sidecar starts, the next init container waits until it has started", () => {
  const side = c("side", { restartPolicy: "Always" });
  const i2 = c("i2");
  const app = c("app");
  let i = [inst(side, "running")];
  let r = computePodActions(spec("Always", [app], [side, i2]), ps(true, i), i, { isStarted: () => false });
  assert.deepEqual(r.initContainersToStart, []);
  r = computePodActions(spec("Always", [app], [side, i2]), ps(true, i), i, { isStarted: () => true });
  assert.deepEqual(names(r.initContainersToStart), ["i2"]);
  i = [inst(app, "running"), inst(side, "exited", 1)];
  r = computePodActions(spec("Never", [app], [side, i2]), ps(true, i), i);
  assert.deepEqual(names(r.initContainersToStart), ["side"], "a sidecar restarts whatever the pod's policy");
});

test("format.Pod", () => {
  assert.equal(formatPod(spec("Always", []) as any), "p_ns(u)");
});
