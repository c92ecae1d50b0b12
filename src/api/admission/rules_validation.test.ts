import { test } from "node:test";
import assert from "node:assert/strict";
import { validateRuleWithOperations } from "./rules_validation.ts";
import { validateValidatingAdmissionPolicy } from "./validatingadmissionpolicy/validation.ts";
import type { KObject } from "../types.ts";

const rule = (over: Record<string, unknown>) => ({ operations: ["CREATE"], apiGroups: ["a"], apiVersions: ["a"], resources: ["a"], ...over });
const errs = (over: Record<string, unknown>) => validateRuleWithOperations(rule(over), "r").map((e) => `${e.field}: ${e.detail}`);

// Rows of pkg/apis/admissionregistration/validation/validation_test.go (the rules' cases of
// TestValidateValidatingWebhookConfiguration), on the rule alone.
test("validateRuleWithOperations: upstream's rule cases", () => {
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{}, []],
    [{ operations: [] }, ["r.operations: Required value"]],
    [{ operations: ["*", "CREATE"] }, ['r.operations: Invalid value: []string{"*", "CREATE"}: if \'*\' is present, must not specify other operations']],
    [{ operations: ["PATCH"] }, ['r.operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']],
    [{ apiGroups: ["*", "a"] }, ['r.apiGroups: Invalid value: []string{"*", "a"}: if \'*\' is present, must not specify other API groups']],
    [{ apiVersions: ["a", ""] }, ["r.apiVersions[1]: Required value"]],
    [{ apiVersions: ["*", "a"] }, ['r.apiVersions: Invalid value: []string{"*", "a"}: if \'*\' is present, must not specify other API versions']],
    [{ resources: [] }, ["r.resources: Required value"]],
    [{ resources: ["a/*", "a/x"] }, ['r.resources[1]: Invalid value: "a/x": if \'a/*\' is present, must not specify a/x']],
    [{ resources: ["*/a", "x/a"] }, ['r.resources[1]: Invalid value: "x/a": if \'*/a\' is present, must not specify x/a']],
    [{ resources: ["*/*", "a"] }, ['r.resources: Invalid value: []string{"*/*", "a"}: if \'*/*\' is present, must not specify other resources']],
    [{ resources: ["*", "a"] }, ['r.resources: Invalid value: []string{"*", "a"}: if \'*\' is present, must not specify other resources without subresources']],
    [{ resources: ["*", "a/b"] }, []],
    [{ scope: "Foo" }, ['r.scope: Unsupported value: "Foo": supported values: "*", "Cluster", "Namespaced"']],
  ];
  for (const [over, want] of cases) assert.deepEqual(errs(over), want, JSON.stringify(over));
});

// A ValidatingAdmissionPolicy's resourceRules go through the same rule validation as a webhook's
// (upstream's validateNamedRuleWithOperations calls validateRuleWithOperations).
test("a ValidatingAdmissionPolicy's resourceRules are checked as a webhook's rules are", () => {
  const policy = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: "p" },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: { matchPolicy: "Equivalent", resourceRules: [rule({ resources: ["a/*", "a/x"] })] },
      validations: [{ expression: "true" }],
    },
  } as unknown as KObject;
  const found = validateValidatingAdmissionPolicy(policy).map((e) => `${e.field}: ${e.detail}`);
  assert.ok(found.includes('spec.matchConstraints.resourceRules[0].resources[1]: Invalid value: "a/x": if \'a/*\' is present, must not specify a/x'), found.join("\n"));
});
