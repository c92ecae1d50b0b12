// Tables in the manner of pkg/api/v1/pod/util_test.go (TestIsPodAvailable, TestFindPort, TestIsPodTerminal).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodStatus } from "../types.gen.ts";
import { findPort, getPodCondition, isPodAvailable, isPodPhaseTerminal, isPodReady, isPodTerminal } from "./util.ts";

const NOW = Date.parse("2024-01-08T00:01:00Z");
function pod(status: PodStatus, containers: NonNullable<Pod["spec"]>["containers"] = []): Pod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", uid: "u1" }, spec: { containers }, status };
}
const ready = (status: string, lastTransitionTime?: string): PodStatus => ({ conditions: [{ type: "Ready", status, ...(lastTransitionTime ? { lastTransitionTime } : {}) }] });

test("IsPodAvailable: ready for minReadySeconds", () => {
  const cases: Array<[string, Pod, number, boolean]> = [
    ["not ready", pod(ready("False", "2024-01-08T00:00:00Z")), 0, false],
    ["ready, minReadySeconds 0", pod(ready("True", "2024-01-08T00:01:00Z")), 0, true],
    ["ready 60s, minReadySeconds 1", pod(ready("True", "2024-01-08T00:00:00Z")), 1, true],
    ["ready 60s, minReadySeconds 60", pod(ready("True", "2024-01-08T00:00:00Z")), 60, true],
    ["ready 60s, minReadySeconds 61", pod(ready("True", "2024-01-08T00:00:00Z")), 61, false],
    ["no Ready condition", pod({}), 0, false],
  ];
  for (const [name, p, minReady, want] of cases) assert.equal(isPodAvailable(p, minReady, NOW), want, name);
});

test("IsPodReady and GetPodCondition", () => {
  assert.equal(isPodReady(pod(ready("True"))), true);
  assert.equal(isPodReady(pod(ready("Unknown"))), false);
  assert.equal(isPodReady(pod({})), false);
  assert.deepEqual(getPodCondition({ conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: "False" }] }, "Ready"), { type: "Ready", status: "False" });
  assert.equal(getPodCondition(undefined, "Ready"), undefined);
});

test("IsPodTerminal: Succeeded and Failed only", () => {
  for (const [phase, want] of [["Pending", false], ["Running", false], ["Succeeded", true], ["Failed", true], ["Unknown", false], [undefined, false]] as const) {
    assert.equal(isPodPhaseTerminal(phase), want, String(phase));
    assert.equal(isPodTerminal(pod({ phase })), want, String(phase));
  }
});

test("FindPort: by number, numeric string, or a named container port of the same protocol", () => {
  const p = pod({}, [{ name: "c", ports: [{ name: "http", containerPort: 8080 }, { name: "dns", containerPort: 5353, protocol: "UDP" }] }]);
  assert.equal(findPort(p, { port: 80, targetPort: 9376 }), 9376);
  assert.equal(findPort(p, { port: 80, targetPort: "9376" }), 9376);
  assert.equal(findPort(p, { port: 80 }), 80);
  assert.equal(findPort(p, { port: 80, targetPort: "http" }), 8080);
  assert.equal(findPort(p, { port: 53, targetPort: "dns", protocol: "UDP" }), 5353);
  assert.equal(String(findPort(p, { port: 53, targetPort: "dns" })), "Error: no suitable port for manifest: u1");
  assert.equal(String(findPort(p, { port: 80, targetPort: "nope" })), "Error: no suitable port for manifest: u1");
});
