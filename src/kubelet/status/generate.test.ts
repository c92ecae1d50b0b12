// Ports of pkg/kubelet/status/generate_test.go cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
} from "./generate.ts";
import type { ContainerStatus, PodSpec } from "../../api/types.gen.ts";

// The conditions read only names, ready, started and state: fixtures give just those.
const spec = (...names: string[]): PodSpec => ({ containers: names.map((name) => ({ name })) });
const st = (s: Partial<ContainerStatus> & { name: string }) => s as ContainerStatus;
const ready = (name: string) => st({ name, ready: true, state: { running: {} } });
const unready = (name: string) => st({ name, ready: false, state: { waiting: {} } });

test("GenerateContainersReadyCondition", () => {
  const cases: Array<[string, any, any[] | undefined, string, object]> = [
    ["no statuses", spec(), undefined, "", { status: "False", reason: "UnknownContainerStatuses" }],
    ["no containers", spec(), [], "", { status: "True" }],
    ["one unknown", spec("1234"), [], "", { status: "False", reason: "ContainersNotReady", message: "containers with unknown status: [1234]" }],
    ["all ready", spec("1234", "5678"), [ready("1234"), ready("5678")], "", { status: "True" }],
    ["one unknown one ready", spec("1234", "5678"), [ready("1234")], "", { status: "False", reason: "ContainersNotReady", message: "containers with unknown status: [5678]" }],
    ["one not ready", spec("1234", "5678"), [ready("1234"), unready("5678")], "", { status: "False", reason: "ContainersNotReady", message: "containers with unready status: [5678]" }],
    ["succeeded", spec("1234"), [unready("1234")], "Succeeded", { status: "False", reason: "PodCompleted" }],
    ["failed", spec("1234"), [unready("1234")], "Failed", { status: "False", reason: "PodFailed" }],
    [
      "restartable init container not ready",
      { initContainers: [{ name: "s", restartPolicy: "Always" }], containers: [{ name: "1234" }] },
      [unready("s"), ready("1234")],
      "",
      { status: "False", reason: "ContainersNotReady", message: "containers with unready status: [s]" },
    ],
  ];
  for (const [name, sp, st, phase, want] of cases) {
    assert.deepEqual(generateContainersReadyCondition(sp, st, phase), { type: "ContainersReady", ...want }, name);
  }
});

test("GeneratePodReadyCondition copies ContainersReady and checks readiness gates", () => {
  assert.deepEqual(generatePodReadyCondition(spec("a"), [], [unready("a")], "Running"), {
    type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [a]",
  });
  assert.deepEqual(generatePodReadyCondition(spec("a"), [], [ready("a")], "Running"), { type: "Ready", status: "True" });
  const gated = { ...spec("a"), readinessGates: [{ conditionType: "gate1" }] };
  assert.deepEqual(generatePodReadyCondition(gated, [], [ready("a")], "Running"), {
    type: "Ready", status: "False", reason: "ReadinessGatesNotReady", message: 'corresponding condition of pod readiness gate "gate1" does not exist.',
  });
  assert.deepEqual(generatePodReadyCondition(gated, [{ type: "gate1", status: "False" }], [ready("a")], "Running"), {
    type: "Ready", status: "False", reason: "ReadinessGatesNotReady", message: 'the status of pod readiness gate "gate1" is not "True", but False',
  });
  assert.deepEqual(generatePodReadyCondition(gated, [{ type: "gate1", status: "True" }], [ready("a")], "Running"), { type: "Ready", status: "True" });
});

test("GeneratePodInitializedCondition", () => {
  const withInit = (...inits: any[]) => ({ initContainers: inits, containers: [{ name: "app" }] });
  assert.deepEqual(generatePodInitializedCondition(spec("a"), [], "Pending"), { type: "Initialized", status: "True" });
  assert.deepEqual(generatePodInitializedCondition(withInit({ name: "i1" }), undefined, "Pending"), {
    type: "Initialized", status: "False", reason: "UnknownContainerStatuses",
  });
  assert.deepEqual(generatePodInitializedCondition(withInit({ name: "i1" }, { name: "i2" }), [st({ name: "i1", ready: true }), st({ name: "i2", ready: false })], "Pending"), {
    type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [i2]",
  });
  assert.deepEqual(generatePodInitializedCondition(withInit({ name: "i1" }, { name: "i2" }), [st({ name: "i1", ready: false })], "Pending"), {
    type: "Initialized", status: "False", reason: "ContainersNotInitialized",
    message: "containers with unknown status: [i2], containers with incomplete status: [i1]",
  });
  assert.deepEqual(generatePodInitializedCondition(withInit({ name: "i1" }), [st({ name: "i1", ready: true })], "Pending"), { type: "Initialized", status: "True" });
  assert.deepEqual(generatePodInitializedCondition(spec("a"), [st({ name: "a", state: { terminated: { exitCode: 0 } } })], "Succeeded"), {
    type: "Initialized", status: "True", reason: "PodCompleted",
  });
  // a sidecar counts once started; a started regular container means the pod was initialized before
  const sidecar = withInit({ name: "s", restartPolicy: "Always" });
  assert.equal(generatePodInitializedCondition(sidecar, [st({ name: "s", started: false })], "Pending").status, "False");
  assert.equal(generatePodInitializedCondition(sidecar, [st({ name: "s", started: true })], "Pending").status, "True");
  assert.equal(generatePodInitializedCondition(sidecar, [st({ name: "s", started: false }), st({ name: "app", state: { running: {} } })], "Running").status, "True");
});
