import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock, toRFC3339 } from "../../sim/clock.ts";
import { Random } from "../../sim/random.ts";
import { ServiceRegistry, type ClusterContext } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import { ResultsManager, type Result } from "./results/results_manager.ts";
import { Worker, type WorkerHost } from "./worker.ts";
import type { ProbeType } from "./prober.ts";

// A port of pkg/kubelet/prober/worker_test.go, with a fake status manager and prober.

const testContainerID = "containerd://cOnTaInEr_Id";

function setup(probeType: ProbeType, probe: Record<string, unknown> = {}, opts: { startedAt?: number; restartPolicy?: string } = {}) {
  const clock = new SimClock();
  const ctx = { clock, chance: new Random(1), services: new ServiceRegistry() } as unknown as ClusterContext;
  const statuses = new Map<string, any>();
  const managers: Record<ProbeType, ResultsManager> = { Readiness: new ResultsManager(), Liveness: new ResultsManager(), Startup: new ResultsManager() };
  const fake = { result: "Success" as Result, err: undefined as Error | undefined, calls: [] as number[] };
  const removed: Worker[] = [];
  const host: WorkerHost = {
    startedAt: opts.startedAt ?? -Infinity,
    getPodStatus: (uid) => statuses.get(uid),
    probe: (_t, _p, _s, _c, _id, done) => {
      fake.calls.push(clock.now());
      done(fake.result, fake.err);
    },
    resultsManager: (t) => managers[t],
    removeWorker: (w) => removed.push(w),
  };
  const field = probeType === "Readiness" ? "readinessProbe" : probeType === "Liveness" ? "livenessProbe" : "startupProbe";
  const container = { name: "testContainer", [field]: { exec: { command: ["true"] }, ...probe } };
  const pod: KObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "testPod", namespace: "default", uid: "testPodUID" },
    spec: { containers: [container], restartPolicy: opts.restartPolicy ?? "Always" },
  };
  const w = new Worker(ctx, host, probeType, pod, container);
  const setStatus = (s: any) => statuses.set("testPodUID", s);
  const doProbe = () => {
    let keep: boolean | undefined;
    w.doProbe((k) => (keep = k));
    assert.notEqual(keep, undefined, "a synchronous fake probe finishes at once");
    return keep!;
  };
  const result = () => managers[probeType].get(w.containerID || testContainerID);
  return { clock, w, fake, setStatus, doProbe, result, managers, removed };
}

function runningStatus(startedAt: number, opts: { started?: boolean; id?: string } = {}): any {
  return {
    phase: "Running",
    podIP: "10.244.1.2",
    containerStatuses: [
      { name: "testContainer", containerID: opts.id ?? testContainerID, started: opts.started ?? true, ready: false, state: { running: { startedAt: toRFC3339(startedAt) } } },
    ],
  };
}

test("TestDoProbe: table of pod statuses", () => {
  const now = Date.parse("2024-01-08T00:00:00Z");
  const cases: Array<{ name: string; status?: any; probe?: any; expectContinue: boolean; expectSet: boolean; expected?: Result }> = [
    { name: "no status", expectContinue: true, expectSet: false },
    { name: "pod failed", status: { ...runningStatus(now), phase: "Failed" }, expectContinue: false, expectSet: false },
    { name: "no container status", status: { ...runningStatus(now), containerStatuses: [{ ...runningStatus(now).containerStatuses[0], name: "other" }] }, expectContinue: true, expectSet: false },
    {
      name: "container waiting",
      status: { ...runningStatus(now), containerStatuses: [{ ...runningStatus(now).containerStatuses[0], state: { waiting: {} } }] },
      expectContinue: true,
      expectSet: true,
      expected: "Failure",
    },
    {
      name: "container terminated (restartPolicy Always keeps going)",
      status: { ...runningStatus(now), containerStatuses: [{ ...runningStatus(now).containerStatuses[0], state: { terminated: { exitCode: 1 } } }] },
      expectContinue: true,
      expectSet: true,
      expected: "Failure",
    },
    { name: "probe successful", status: runningStatus(now), expectContinue: true, expectSet: true, expected: "Success" },
    { name: "initial delay passed", status: runningStatus(now), probe: { initialDelaySeconds: -100 }, expectContinue: true, expectSet: true, expected: "Success" },
  ];
  for (const type of ["Liveness", "Readiness"] as ProbeType[]) {
    for (const c of cases) {
      const t = setup(type, c.probe);
      if (c.status) t.setStatus(c.status);
      assert.equal(t.doProbe(), c.expectContinue, `[${type}] ${c.name}: continue`);
      assert.equal(t.result() !== undefined, c.expectSet, `[${type}] ${c.name}: set`);
      if (c.expected) assert.equal(t.result(), c.expected, `[${type}] ${c.name}: result`);
    }
  }
});

test("a terminated container with restartPolicy Never ends the worker", () => {
  const t = setup("Readiness", {}, { restartPolicy: "Never" });
  const s = runningStatus(t.clock.now());
  s.containerStatuses[0].state = { terminated: { exitCode: 0 } };
  t.setStatus(s);
  assert.equal(t.doProbe(), false);
  assert.equal(t.result(), "Failure");
});

test("TestInitialDelay: int(seconds since startedAt) < initialDelaySeconds skips the probe", () => {
  for (const type of ["Liveness", "Readiness"] as ProbeType[]) {
    const t = setup(type, { initialDelaySeconds: 10 });
    t.setStatus(runningStatus(t.clock.now()));
    assert.equal(t.doProbe(), true);
    assert.equal(t.result(), type === "Liveness" ? "Success" : "Failure", "initial value during the delay");
    assert.equal(t.fake.calls.length, 0);
    t.clock.advance(9_999);
    t.doProbe();
    assert.equal(t.fake.calls.length, 0, "9.999 s truncates to 9");
    t.clock.advance(1);
    t.doProbe();
    assert.equal(t.fake.calls.length, 1, "probed at 10 s");
    assert.equal(t.result(), "Success");
  }
});

test("TestFailureThreshold", () => {
  const t = setup("Readiness", { successThreshold: 1, failureThreshold: 3 });
  t.setStatus(runningStatus(t.clock.now()));
  for (let i = 0; i < 2; i++) {
    t.fake.result = "Success";
    for (let j = 0; j < 3; j++) {
      assert.equal(t.doProbe(), true);
      assert.equal(t.result(), "Success", `${j + 1} success (${i})`);
    }
    t.fake.result = "Failure";
    for (let j = 0; j < 2; j++) {
      t.doProbe();
      assert.equal(t.result(), "Success", `${j + 1} failing (${i})`);
    }
    for (let j = 0; j < 3; j++) {
      t.doProbe();
      assert.equal(t.result(), "Failure", `${j + 3} failure (${i})`);
    }
  }
});

test("TestSuccessThreshold", () => {
  const t = setup("Readiness", { successThreshold: 3, failureThreshold: 1 });
  t.setStatus(runningStatus(t.clock.now()));
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      t.doProbe();
      assert.equal(t.result(), "Failure", `${j + 1} success (${i})`);
    }
    for (let j = 0; j < 3; j++) {
      t.doProbe();
      assert.equal(t.result(), "Success", `${j + 3} success (${i})`);
    }
    t.fake.result = "Failure";
    t.doProbe();
    assert.equal(t.result(), "Failure", `1 failure (${i})`);
    t.fake.result = "Success";
  }
});

test("TestCleanUp: stop clears the result and removes the worker, and may be called repeatedly", () => {
  for (const type of ["Liveness", "Readiness"] as ProbeType[]) {
    const t = setup(type);
    t.setStatus(runningStatus(t.clock.now()));
    t.w.run();
    t.clock.settle();
    assert.equal(t.result(), "Success");
    for (let i = 0; i < 10; i++) t.w.stop();
    assert.equal(t.managers[type].get(testContainerID), undefined);
    assert.equal(t.removed.length, 1);
    const before = t.fake.calls.length;
    t.clock.advance(60_000);
    assert.equal(t.fake.calls.length, before, "no probes after stop");
  }
});

test("TestOnHoldOnLivenessCheckFailure (and startup): on hold until a new container ID", () => {
  for (const type of ["Liveness", "Startup"] as ProbeType[]) {
    const t = setup(type, { successThreshold: 1, failureThreshold: 1 });
    t.setStatus(runningStatus(t.clock.now(), { started: type === "Liveness" }));
    t.fake.result = "Failure";
    t.doProbe();
    assert.equal(t.result(), "Failure");
    assert.equal(t.w.onHold, true);
    t.fake.result = "Success";
    t.doProbe();
    assert.equal(t.result(), "Failure", "while on hold");
    assert.equal(t.w.onHold, true);
    t.setStatus(runningStatus(t.clock.now(), { id: "containerd://newCont_ID", started: type === "Liveness" }));
    t.doProbe();
    assert.equal(t.w.onHold, false, "hold lifted");
    assert.equal(t.managers[type].get("containerd://newCont_ID"), "Success");
    assert.equal(t.managers[type].get(testContainerID), undefined, "the old container's result is removed");
  }
});

test("TestResultRunOnLivenessCheckFailure: resultRun resets after a stored failure", () => {
  const t = setup("Liveness", { successThreshold: 1, failureThreshold: 3 });
  t.setStatus(runningStatus(t.clock.now()));
  t.doProbe();
  assert.equal(t.w.resultRun, 1);
  t.fake.result = "Failure";
  t.doProbe();
  assert.equal(t.w.resultRun, 1);
  t.doProbe();
  assert.equal(t.w.resultRun, 2);
  assert.equal(t.result(), "Success");
  t.doProbe();
  assert.equal(t.result(), "Failure");
  assert.equal(t.w.resultRun, 0, "reset when the failure is stored");
});

test("startup gating: liveness and readiness wait for started, startup stops once started", () => {
  const r = setup("Readiness");
  r.setStatus(runningStatus(r.clock.now(), { started: false }));
  r.doProbe();
  assert.equal(r.fake.calls.length, 0);
  assert.equal(r.result(), "Failure");
  const s = setup("Startup");
  s.setStatus(runningStatus(s.clock.now(), { started: true }));
  s.doProbe();
  assert.equal(s.fake.calls.length, 0);
  assert.equal(s.result(), "Unknown", "startup's initial value");
});

test("a probe error discards the result", () => {
  const t = setup("Readiness");
  t.setStatus(runningStatus(t.clock.now()));
  t.fake.err = new Error("boom");
  t.doProbe();
  assert.equal(t.result(), "Failure", "still the initial value");
  assert.equal(t.w.resultRun, 0);
});

test("pod deletion: liveness stores Success and stops", () => {
  const t = setup("Liveness");
  t.setStatus(runningStatus(t.clock.now()));
  t.w.pod = { ...t.w.pod, metadata: { ...t.w.pod.metadata, deletionTimestamp: "2024-01-08T00:00:30Z" } };
  assert.equal(t.doProbe(), false);
  assert.equal(t.result(), "Success");
});

test("timing: first run at creation, then every periodSeconds from the worker's creation", () => {
  const t = setup("Readiness", { periodSeconds: 10, initialDelaySeconds: 5, successThreshold: 3 });
  const t0 = t.clock.now();
  t.w.run();
  t.clock.advance(3_000); // the container starts 3 s after admission
  t.setStatus(runningStatus(t.clock.now()));
  t.w.manualTrigger(); // the kubelet's status sync right after the start
  t.clock.settle();
  assert.deepEqual(t.fake.calls, [], "within the initial delay");
  t.clock.advance(60_000 - 3_000);
  assert.deepEqual(t.fake.calls.map((c) => (c - t0) / 1000), [10, 20, 30, 40, 50, 60]);
  assert.equal(t.result(), "Success");
});

test("timing: a kubelet that just started makes workers wait a random part of the period first", () => {
  const t = setup("Liveness", { periodSeconds: 10 }, { startedAt: Date.parse("2024-01-08T00:00:00Z") });
  t.setStatus(runningStatus(t.clock.now()));
  t.w.run();
  t.clock.advance(30_000);
  const offsets = t.fake.calls.map((c) => (c - Date.parse("2024-01-08T00:00:00Z")) % 10_000);
  assert.ok(offsets.length === 3, `three probes in 30 s, got ${t.fake.calls.length}`);
  assert.ok(offsets.every((o) => o === offsets[0]), "the same phase every period");
});

test("ticks during a probe in flight are merged into one run after it", () => {
  const t = setup("Readiness", { periodSeconds: 1 });
  t.setStatus(runningStatus(t.clock.now()));
  let pending: ((r: Result) => void) | undefined;
  // A slow probe answering after 3.5 s.
  (t.w as any).host.probe = (_a: any, _b: any, _c: any, _d: any, _e: any, done: (r: Result) => void) => {
    t.fake.calls.push(t.clock.now());
    pending = done;
    t.clock.setTimeout(() => pending!("Success"), 3_500);
  };
  t.w.run();
  t.clock.advance(3_600);
  assert.equal(t.fake.calls.length, 2, "the first probe, then one merged tick right when it ends");
  assert.equal(t.fake.calls[1] - t.fake.calls[0], 3_500);
});
