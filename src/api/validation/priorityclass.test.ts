/**
 * ValidatePriorityClass (pkg/apis/scheduling/validation TestValidatePriorityClass): a `system-`
 * name must be a known system class with its value (IsKnownSystemPriorityClass); other classes
 * may not exceed HighestUserDefinablePriority (1000000000).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateCreate } from "./index.ts";

const pc = (name: string, value: number, globalDefault = false) => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, globalDefault });
const errs = (name: string, value: number, globalDefault = false) => validateCreate(pc(name, value, globalDefault)).map((e) => `${e.field}: ${e.detail}`);

test("valid PriorityClasses: a user class, and the system classes with their values", () => {
  assert.deepEqual(errs("tier1", 100), []);
  assert.deepEqual(errs("system-node-critical", 2000001000), []);
  assert.deepEqual(errs("system-cluster-critical", 2000000000), []);
  assert.deepEqual(errs("tier1", 1000000000), []);
});

test("invalid PriorityClasses", () => {
  assert.deepEqual(errs("system-something", 2000000000), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-something is not a known system priority class",
  ]);
  assert.deepEqual(errs("system-node-critical", 100), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
  ]);
  assert.deepEqual(errs("system-cluster-critical", 2000000000, true), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
  ]);
  assert.deepEqual(errs("tier1", 1000000001), ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]);
});
