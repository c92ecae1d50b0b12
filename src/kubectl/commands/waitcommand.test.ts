import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { JSONPath } from "../jsonpath.ts";
import { conditionFor, conditionMet, jsonPathMet, splitJSONPathInput } from "./waitcommand.ts";

// wait.go splitJSONPathInput's own example, and processJSONPathInput's errors.
test("--for parsing", () => {
  assert.deepEqual(splitJSONPathInput("a.b.c====d.e.f===g.h.i==="), ["a.b.c====d.e.f==", "g.h.i==", ""]);
  assert.deepEqual(conditionFor("condition=Ready"), { kind: "condition", name: "Ready", status: "true" });
  assert.deepEqual(conditionFor("condition=Ready=False"), { kind: "condition", name: "Ready", status: "False" });
  assert.deepEqual(conditionFor("DELETE"), { kind: "delete" });
  assert.deepEqual(conditionFor("create"), { kind: "create" });
  const j = conditionFor('jsonpath={.status.readyReplicas}="3"');
  assert.equal(j.kind === "jsonpath" && j.value, "3");
  assert.throws(() => conditionFor("jsonpath={.a}=1=2"), { message: "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'" });
  assert.throws(() => conditionFor("jsonpath={.a}="), { message: "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3" });
  assert.throws(() => conditionFor("jsonpath="), { message: "jsonpath expression cannot be empty" });
  assert.throws(() => conditionFor("ready"), { message: 'unrecognized condition: "ready"' });
});

const pod = (conditions: unknown[], generation?: number, observedGeneration?: number): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", ...(generation !== undefined ? { generation } : {}) },
  status: { conditions, ...(observedGeneration !== undefined ? { observedGeneration } : {}) },
});

// condition.go checkCondition (wait_test.go TestWaitForCondition's cases: case folding, other values, stale generations).
test("conditions", () => {
  assert.equal(conditionMet(pod([{ type: "Ready", status: "True" }]), "ready", "true"), true);
  assert.equal(conditionMet(pod([{ type: "Ready", status: "False" }]), "Ready", "true"), false);
  assert.equal(conditionMet(pod([{ type: "Ready", status: "False" }]), "Ready", "false"), true);
  assert.equal(conditionMet(pod([{ type: "Other", status: "True" }]), "Ready", "true"), false);
  assert.equal(conditionMet(pod([]), "Ready", "true"), false);
  assert.equal(conditionMet(pod([{ type: "Ready", status: "True" }], 2, 1), "Ready", "true"), false, "status.observedGeneration behind the generation");
  assert.equal(conditionMet(pod([{ type: "Ready", status: "True", observedGeneration: 2 }], 2, 1), "Ready", "true"), true, "the condition's own observedGeneration wins");
  assert.equal(conditionMet(pod([{ type: "Ready", status: "True" }], 2), "Ready", "true"), true);
});

// json.go checkCondition / compareResults (wait_test.go TestWaitForJSONPathCondition's cases).
test("JSONPath values", () => {
  const d: KObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 3, paused: false }, status: { readyReplicas: 3, conditions: [{ type: "A" }, { type: "B" }] } };
  assert.equal(jsonPathMet(d, new JSONPath("{.status.readyReplicas}"), "3"), true);
  assert.equal(jsonPathMet(d, new JSONPath("{.status.readyReplicas}"), " 3 "), true);
  assert.equal(jsonPathMet(d, new JSONPath("{.status.readyReplicas}"), "2"), false);
  assert.equal(jsonPathMet(d, new JSONPath("{.spec.paused}"), "false"), true);
  assert.equal(jsonPathMet(d, new JSONPath("{.status.missing}"), "x"), false);
  assert.equal(jsonPathMet(d, new JSONPath("{.status}"), undefined), true, "any value, when none is given");
  assert.throws(() => jsonPathMet(d, new JSONPath("{.status}"), "x"), { message: "jsonpath leads to a nested object or list which is not supported" });
  assert.throws(() => jsonPathMet(d, new JSONPath("{.status.conditions[*].type}"), "A"), { message: "given jsonpath expression matches more than one value" });
});

test("wait against the simulated cluster: simulated time passes until the condition holds", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.kubectlSync("create deployment web --image=nginx:1.27 --replicas=2");
  const before = c.clock.now();
  assert.equal(c.kubectlSync("wait --for=condition=Available deployment/web --timeout=2m").stdout, "deployment.apps/web condition met\n");
  assert.ok(c.clock.now() > before, "time passed while waiting");
  const slow = c.kubectlSync("wait --for=jsonpath={.status.readyReplicas}=5 deployment/web --timeout=5s");
  assert.equal(slow.stderr, "error: timed out waiting for the condition on deployments/web\n");
  const timedOutAt = c.clock.now();
  assert.equal(c.kubectlSync("wait --for=create configmap/later --timeout=1s").stderr, "error: timed out waiting for the condition\n");
  assert.equal(c.clock.now() - timedOutAt, 1000);
  assert.equal(c.kubectlSync("wait --for=condition=Ready pod -l app=web -o name").stdout.split("\n").filter(Boolean).length, 2);
  // Objects are visited in argument order: those before a missing one are waited for and printed.
  const partly = c.kubectlSync("wait --for=condition=Available deployment/web deployment/nope deployment/web");
  assert.deepEqual([partly.stdout, partly.stderr], ["deployment.apps/web condition met\n", 'Error from server (NotFound): deployments.apps "nope" not found\n']);
  assert.equal(c.kubectlSync("wait --for=delete deployment/nope deployment/gone").stdout, "");
  assert.equal(c.kubectlSync("wait deployment/web").stderr, 'error: unrecognized condition: ""\n');
  assert.equal(c.kubectlSync("wait --for=condition=Ready").stderr.split("\n")[0], "error: You must provide one or more resources by argument or filename.");
  assert.equal(c.kubectlSync("wait --for=condition=Ready pod/x --timeout=1x").exitCode, 1);
});
