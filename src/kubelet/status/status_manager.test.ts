import { test } from "node:test";
import assert from "node:assert/strict";
import { needToReconcilePodReadiness, shareUnchanged, terminatePodStatus } from "./status_manager.ts";
import { deepFreeze, jsonEqual } from "../../api/types.ts";
import { Random } from "../../sim/random.ts";
import type { ContainerStatus } from "../../api/types.gen.ts";

test("TerminatePod: a container that never ran is terminated ContainerStatusUnknown (137) and a Pending pod ends Failed", () => {
  const waiting = { name: "main", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image \"x\"" } } };
  const done = { name: "side", ready: false, restartCount: 0, image: "y", imageID: "", state: { terminated: { exitCode: 0, reason: "Completed" } } };
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "main" }, { name: "side" }] } };
  const out = terminatePodStatus(pod, { phase: "Pending", containerStatuses: [waiting, done] });
  assert.equal(out.phase, "Failed");
  assert.deepEqual(out.containerStatuses?.[0]?.state, { terminated: { exitCode: 137, message: "The container could not be located when the pod was terminated", reason: "ContainerStatusUnknown" } });
  assert.deepEqual(out.containerStatuses?.[1], done);
  assert.equal(terminatePodStatus(pod, { phase: "Succeeded" }).phase, "Succeeded");
  // A pod whose init container failed never initialized: its app container stays waiting.
  const withInit = { ...pod, spec: { initContainers: [{ name: "init" }], containers: [{ name: "main" }] } };
  const initFailed = { name: "init", state: { terminated: { exitCode: 1, reason: "Error" } } } as ContainerStatus;
  const app = { name: "main", state: { waiting: { reason: "PodInitializing" } } } as ContainerStatus;
  const st = terminatePodStatus(withInit, { phase: "Failed", initContainerStatuses: [initFailed], containerStatuses: [app] });
  assert.deepEqual(st.containerStatuses, [app]);
});

test("shareUnchanged: the stored status's frozen parts where the new status equals them, the same JSON (issue #19)", () => {
  const cond = (type: string, status: string) => ({ lastProbeTime: null, lastTransitionTime: "2024-01-08T00:00:01Z", status, type });
  const cs = (name: string, restartCount: number) => ({ name, image: "busybox", imageID: "", ready: false, restartCount, started: false, state: { waiting: { reason: "CrashLoopBackOff" } } });
  const stored = deepFreeze({
    conditions: [cond("Initialized", "True"), cond("Ready", "False")],
    containerStatuses: [cs("a", 1), cs("b", 4)],
    hostIP: "10.0.0.1",
    hostIPs: [{ ip: "10.0.0.1" }],
    phase: "Running",
    startTime: "2024-01-08T00:00:00Z",
  });
  const fresh = {
    conditions: [cond("Initialized", "True"), cond("Ready", "True")],
    containerStatuses: [cs("a", 1), cs("b", 5)],
    hostIP: "10.0.0.1",
    hostIPs: [{ ip: "10.0.0.1" }],
    phase: "Running",
    startTime: "2024-01-08T00:00:00Z",
  };
  const out = shareUnchanged(fresh, stored);
  assert.equal(JSON.stringify(out), JSON.stringify(fresh));
  assert.notEqual(out, fresh);
  assert.equal(out.conditions![0], stored.conditions[0]);
  assert.equal(out.conditions![1], fresh.conditions[1]);
  assert.equal(out.containerStatuses![0], stored.containerStatuses[0]);
  assert.equal(out.containerStatuses![1], fresh.containerStatuses[1]);
  assert.equal(out.hostIPs, stored.hostIPs);
  // Nothing shared with a status that is not a stored (frozen) one, or when there is none.
  assert.equal(shareUnchanged(fresh, { ...stored }), fresh);
  assert.equal(shareUnchanged(fresh, undefined), fresh);
  // A list that grew keeps its new items as they are.
  const grown = shareUnchanged({ ...fresh, containerStatuses: [cs("a", 1), cs("b", 4), cs("c", 0)] }, stored);
  assert.deepEqual(grown.containerStatuses!.map((c, i) => c === stored.containerStatuses[i]), [true, true, false]);
});

test("shareUnchanged: each list item compared once gives what comparing the whole list and then its items gave (issue #19)", () => {
  // The function as it was before its lists were compared item by item.
  const LISTS = new Set(["conditions", "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]);
  const before = (fresh: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k in fresh) {
      const v = fresh[k];
      const o = stored[k];
      if (v === null || typeof v !== "object" || o === null || typeof o !== "object") out[k] = v;
      else if (jsonEqual(v, o)) out[k] = o;
      else if (LISTS.has(k) && Array.isArray(v) && Array.isArray(o)) out[k] = v.map((item: unknown, i: number) => (i < o.length && jsonEqual(item, o[i]) ? o[i] : item));
      else out[k] = v;
    }
    return out;
  };
  const random = new Random(7);
  const next = (n: number) => random.int(n);
  const item = (): unknown => {
    const r = next(12);
    if (r === 0) return undefined;
    if (r === 1) return null;
    if (r === 2) return "text";
    if (r === 3) return { type: "Ready", status: "True", extra: undefined };
    return { type: ["Ready", "Initialized"][next(2)], status: ["True", "False"][next(2)] };
  };
  const list = (): unknown => (next(8) === 0 ? { not: "a list" } : Array.from({ length: next(4) }, item));
  for (let n = 0; n < 3000; n++) {
    const stored = deepFreeze({ conditions: list(), containerStatuses: list(), hostIPs: list(), phase: "Running" }) as Record<string, unknown>;
    // A JSON-equal copy of the stored list now and then (equal lists, non-object items among them).
    const copy = (l: unknown) => (Array.isArray(l) ? l.map((e) => (e !== null && typeof e === "object" ? { ...e } : e)) : l);
    const fresh = { conditions: next(2) === 0 ? copy(stored.conditions) : list(), containerStatuses: next(3) === 0 ? stored.containerStatuses : list(), hostIPs: list(), phase: "Running" } as Record<string, unknown>;
    const got = shareUnchanged(fresh as never, stored as never) as Record<string, unknown>;
    const want = before(fresh, stored);
    assert.equal(JSON.stringify(got), JSON.stringify(want), `case ${n}`);
    for (const k of Object.keys(want)) {
      // The same sharing: the stored object itself where it was given before, a new list otherwise.
      assert.equal(got[k] === stored[k], want[k] === stored[k], `case ${n}: ${k} shared`);
      const w = want[k];
      const g = got[k];
      if (Array.isArray(w) && Array.isArray(g)) assert.deepEqual(g.map((e, i) => e === (stored[k] as unknown[])?.[i]), w.map((e, i) => e === (stored[k] as unknown[])?.[i]), `case ${n}: ${k} items`);
    }
  }
});

test("NeedToReconcilePodReadiness: only a pod with readiness gates whose Ready condition disagrees (status or message) with its gates' conditions", () => {
  const GATE = "www.example.com/feature-1";
  const missing = `corresponding condition of pod readiness gate "${GATE}" does not exist.`;
  const notTrue = `the status of pod readiness gate "${GATE}" is not "True", but False`;
  const ready = (status: string, message?: string) => ({ type: "Ready", status, ...(message ? { reason: "ReadinessGatesNotReady", message } : {}) });
  const gate = (status: string) => ({ type: GATE, status });
  const running = [{ name: "c", ready: true, restartCount: 0, image: "x", imageID: "", state: { running: {} } }];
  const unready = [{ ...running[0]!, ready: false }];
  const pod = (gates: boolean, conditions: object[], statuses = running) =>
    ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c" }], ...(gates ? { readinessGates: [{ conditionType: GATE }] } : {}) }, status: { phase: "Running", conditions, containerStatuses: statuses } }) as never;
  const table: Array<[string, boolean, object[], typeof running, boolean]> = [
    ["no readiness gates", false, [ready("False"), gate("True")], running, false],
    ["no Ready condition yet", true, [gate("True")], running, false],
    ["gate True, Ready still False", true, [ready("False", missing), gate("True")], running, true],
    ["gate missing, Ready False saying so", true, [ready("False", missing)], running, false],
    ["gate False, Ready's message still says it is missing", true, [ready("False", missing), gate("False")], running, true],
    ["gate False, Ready False saying so", true, [ready("False", notTrue), gate("False")], running, false],
    ["gate True, Ready True", true, [ready("True"), gate("True")], running, false],
    ["gate False, Ready True", true, [ready("True"), gate("False")], running, true],
    ["containers not ready: Ready copies ContainersReady", true, [{ type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [c]" }, gate("True")], unready, false],
  ];
  for (const [name, gates, conditions, statuses, want] of table) assert.equal(needToReconcilePodReadiness(pod(gates, conditions, statuses)), want, name);
});
