import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { printPod } from "./pod.ts";

// Ported from pkg/printers/internalversion/printers_test.go TestPrintPod (cells NAME READY STATUS RESTARTS AGE).
const NOW = Date.parse("2024-01-08T12:00:00Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const S = 1000, M = 60 * S, D = 24 * 3600 * S;
const pod = (name: string, nInit: number, nContainers: number, status: any, meta: any = {}): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...meta },
  spec: {
    initContainers: Array.from({ length: nInit }, (_, i) => ({ name: `init${i}` })),
    containers: Array.from({ length: nContainers }, (_, i) => ({ name: `c${i}` })),
  },
  status,
});
const running = { running: {} };
const deleteTime = ago(10 * S);

const cases: Array<[KObject, string[]]> = [
  [pod("test1", 0, 2, { phase: "podPhase", containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }), ["test1", "1/2", "podPhase", "6", "<unknown>"]],
  [pod("test2", 0, 2, { phase: "podPhase", containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: { waiting: { reason: "ContainerWaitingReason" } }, restartCount: 3 }] }), ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"]],
  [pod("test3", 0, 2, { phase: "podPhase", containerStatuses: [{ state: { waiting: { reason: "ContainerWaitingReason" } }, restartCount: 3 }, { state: { terminated: { reason: "ContainerTerminatedReason" } }, restartCount: 3 }] }), ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"]],
  [pod("test4", 0, 2, { phase: "podPhase", containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ["test4", "1/2", "podPhase", "6", "<unknown>"]],
  [pod("test5", 0, 2, { reason: "podReason", phase: "podPhase", containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ["test5", "1/2", "podReason", "6", "<unknown>"]],
  [pod("test6", 0, 2, { phase: "Running", containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: "Completed", exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] }), ["test6", "1/2", "NotReady", "6", "<unknown>"]],
  [pod("test6", 0, 2, { phase: "Running", conditions: [{ type: "Ready", status: "True" }], containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: "Completed", exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] }), ["test6", "1/2", "Running", "6", "<unknown>"]],
  [pod("test7", 1, 1, { phase: "podPhase", initContainerStatuses: [{ name: "init0", ready: false, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10 * S) } } }], containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }] }), ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"]],
  [pod("test8", 2, 1, { phase: "podPhase", initContainerStatuses: [{ name: "init0", restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10 * S) } } }, { name: "init1", state: { waiting: {} } }], containerStatuses: [{ state: { waiting: {} } }] }), ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"]],
  [pod("test9", 2, 1, { phase: "podPhase", initContainerStatuses: [{ name: "init0", state: { terminated: {} } }, { name: "init1", restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10 * S) } } }], containerStatuses: [{ state: { waiting: {} } }] }), ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"]],
  [pod("test10", 2, 1, { phase: "podPhase", initContainerStatuses: [{ name: "init0", restartCount: 2, state: { terminated: {} }, lastState: { terminated: { finishedAt: ago(2 * M) } } }, { name: "init1", restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10 * S) } } }], containerStatuses: [{ state: { waiting: {} } }] }), ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"]],
  [pod("test11", 1, 1, { phase: "Running", initContainerStatuses: [{ name: "init0", restartCount: 2, state: { terminated: {} }, lastState: { terminated: { finishedAt: ago(2 * M) } } }], containerStatuses: [{ restartCount: 4, state: running, lastState: { terminated: { finishedAt: ago(20 * S) } } }] }), ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"]],
  [pod("test12", 0, 1, { phase: "Running", containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(5 * D) } } }] }), ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"]],
  [pod("test13", 0, 2, { phase: "Running", containerStatuses: [{ ready: true, restartCount: 0, state: running }, { ready: true, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10 * D) } } }] }), ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"]],
  [pod("test14", 0, 2, { phase: "Running", containerStatuses: [{ ready: true, restartCount: 6, state: running, lastState: { terminated: { finishedAt: ago(5 * D) } } }, { ready: true, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(20 * D) } } }] }), ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"]],
  [pod("test15", 0, 2, { phase: "podPhase", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] }), ["test15", "0/2", "SchedulingGated", "0", "<unknown>"]],
  [pod("test16", 0, 1, { phase: "Succeeded", containerStatuses: [{ restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } }] }), ["test16", "0/1", "Completed", "0", "<unknown>"]],
  [pod("test17", 0, 1, { phase: "Failed", containerStatuses: [{ restartCount: 0, state: { terminated: { reason: "Error", exitCode: 1 } } }] }), ["test17", "0/1", "Error", "0", "<unknown>"]],
  [pod("test18", 0, 1, { phase: "Succeeded", containerStatuses: [{ restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } }] }, { deletionTimestamp: deleteTime }), ["test18", "0/1", "Completed", "0", "<unknown>"]],
  [pod("test19", 0, 1, { phase: "Running", containerStatuses: [{ restartCount: 0, state: running }] }, { deletionTimestamp: deleteTime }), ["test19", "0/1", "Terminating", "0", "<unknown>"]],
];

cases.forEach(([p, want], i) => {
  test(`printPod case ${i + 1} (${want[0]}): ${want.slice(1).join(" | ")}`, () => {
    const r = printPod(p, NOW);
    assert.deepEqual([r.name, r.ready, r.status, r.restarts, r.age], want);
  });
});

test("init container failures and exit codes", () => {
  const failed = pod("i", 1, 1, { phase: "Pending", initContainerStatuses: [{ name: "init0", state: { terminated: { exitCode: 2 } } }] });
  assert.equal(printPod(failed, NOW).status, "Init:ExitCode:2");
  const crash = pod("i", 1, 1, { phase: "Pending", initContainerStatuses: [{ name: "init0", state: { waiting: { reason: "CrashLoopBackOff" } } }] });
  assert.equal(printPod(crash, NOW).status, "Init:CrashLoopBackOff");
  const signal = pod("s", 0, 1, { phase: "Running", containerStatuses: [{ state: { terminated: { signal: 9, exitCode: 137 } } }] });
  assert.equal(printPod(signal, NOW).status, "Signal:9");
});

test("sidecar (restartable init) containers count toward READY", () => {
  const p = pod("sc", 1, 1, {
    phase: "Running",
    conditions: [{ type: "Initialized", status: "True" }],
    initContainerStatuses: [{ name: "init0", started: true, ready: true, restartCount: 1, state: running, lastState: { terminated: { finishedAt: ago(30 * S) } } }],
    containerStatuses: [{ ready: true, restartCount: 0, state: running }],
  });
  p.spec.initContainers[0].restartPolicy = "Always";
  const r = printPod(p, NOW);
  assert.deepEqual([r.ready, r.status, r.restarts], ["2/2", "Running", "1 (30s ago)"]);
});

test("wide columns: IP, NODE, NOMINATED NODE, READINESS GATES", () => {
  const p = pod("w", 0, 1, { phase: "Running", podIP: "10.244.1.5", podIPs: [{ ip: "10.244.1.5" }], conditions: [{ type: "www.example.com/feature-1", status: "True" }] });
  p.spec.nodeName = "k8s-node1";
  p.spec.readinessGates = [{ conditionType: "www.example.com/feature-1" }, { conditionType: "other" }];
  const r = printPod(p, NOW);
  assert.deepEqual([r.ip, r.node, r.nominatedNode, r.readinessGates], ["10.244.1.5", "k8s-node1", "<none>", "1/2"]);
  const bare = printPod(pod("b", 0, 1, { phase: "Pending" }), NOW);
  assert.deepEqual([bare.ip, bare.node, bare.nominatedNode, bare.readinessGates], ["<none>", "<none>", "<none>", "<none>"]);
});
