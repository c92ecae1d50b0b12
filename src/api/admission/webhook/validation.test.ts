import { test } from "node:test";
import assert from "node:assert/strict";
import { validateWebhookConfiguration } from "./validation.ts";
import type { KObject } from "../../types.ts";

const base = { name: "webhook.k8s.io", clientConfig: { service: { namespace: "ns", name: "n", port: 443 } }, sideEffects: "None", admissionReviewVersions: ["v1"] };
const conf = (kind: string, hooks: Array<Record<string, unknown>>) => ({ apiVersion: "admissionregistration.k8s.io/v1", kind, metadata: { name: "c" }, webhooks: hooks }) as unknown as KObject;
const errs = (hooks: Array<Record<string, unknown>>, kind = "ValidatingWebhookConfiguration") => validateWebhookConfiguration(conf(kind, hooks)).map((e) => `${e.field}: ${e.detail}`);

// Cases of pkg/apis/admissionregistration/validation/validation_test.go TestValidateValidatingWebhookConfiguration.
test("webhook configurations: the cases of upstream's validation_test", () => {
  const cases: Array<[string, Array<Record<string, unknown>>, string[]]> = [
    ["valid", [base], []],
    ["should fail on bad name", [{ ...base, name: "should-fail" }], ['webhooks[0].name: Invalid value: "should-fail": should be a domain with at least three segments separated by dots']],
    ["webhook names must be unique", [base, { ...base }], ['webhooks[1].name: Duplicate value: "webhook.k8s.io"']],
    ["sideEffects required", [{ ...base, sideEffects: undefined }], ["webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun"]],
    ["sideEffects Some is not accepted in v1", [{ ...base, sideEffects: "Some" }], ['webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"']],
    ["admissionReviewVersions required", [{ ...base, admissionReviewVersions: [] }], ["webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"]],
    ["admissionReviewVersions must include a known one", [{ ...base, admissionReviewVersions: ["v2"] }], ['webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1']],
    ["timeout seconds cannot be greater than 30", [{ ...base, timeoutSeconds: 31 }], ["webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds"]],
    ["timeout seconds cannot be smaller than 1", [{ ...base, timeoutSeconds: 0 }], ["webhooks[0].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds"]],
    ["wrong failure policy", [{ ...base, failurePolicy: "other" }], ['webhooks[0].failurePolicy: Unsupported value: "other": supported values: "Fail", "Ignore"']],
    ["both service and URL missing", [{ ...base, clientConfig: {} }], ["webhooks[0].clientConfig: Required value: exactly one of url or service is required"]],
    ["path fails validation", [{ ...base, clientConfig: { service: { namespace: "ns", name: "n", path: "/foo//bar/", port: 443 } } }], ['webhooks[0].clientConfig.service.path: Invalid value: "/foo//bar/": segment[1] may not be empty']],
    ["path must start with slash", [{ ...base, clientConfig: { service: { namespace: "ns", name: "n", path: "foo/", port: 443 } } }], ['webhooks[0].clientConfig.service.path: Invalid value: "foo/": must start with a \'/\'']],
    ["invalid port >65535", [{ ...base, clientConfig: { service: { namespace: "ns", name: "n", port: 65536 } } }], ["webhooks[0].clientConfig.service.port: Invalid value: 65536: port is not valid: must be between 1 and 65535, inclusive"]],
    ["blank URL scheme", [{ ...base, clientConfig: { url: "http://example.com" } }], ['webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]']],
    ["query in URL", [{ ...base, clientConfig: { url: "https://example.com/?foo=bar" } }], ['webhooks[0].clientConfig.url: Invalid value: "foo=bar": query parameters are not permitted in the URL']],
    ["operation must be supported", [{ ...base, rules: [{ operations: ["FOO"], apiGroups: ["a"], apiVersions: ["a"], resources: ["a"] }] }], ['webhooks[0].rules[0].operations[0]: Unsupported value: "FOO": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']],
    ["resource '*/*' cannot mix with other resources", [{ ...base, rules: [{ operations: ["CREATE"], apiGroups: ["a"], apiVersions: ["a"], resources: ["*/*", "a"] }] }], ['webhooks[0].rules[0].resources: Invalid value: []string{"*/*", "a"}: if \'*/*\' is present, must not specify other resources']],
    ["matchConditions: a name and an expression that compiles", [{ ...base, matchConditions: [{ name: "", expression: "true" }, { name: "x", expression: "params.x" }] }], [
      "webhooks[0].matchConditions[0].name: Required value",
      "webhooks[0].matchConditions[1].expression: Invalid value: \"params.x\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x\n | ^",
    ]],
    ["matchConditions: unique names", [{ ...base, matchConditions: [{ name: "x", expression: "true" }, { name: "x", expression: "false" }] }], ['webhooks[0].matchConditions[1].name: Duplicate value: "x"']],
  ];
  for (const [name, hooks, want] of cases) assert.deepEqual(errs(hooks), want, name);
});

test("reinvocationPolicy is checked for mutating webhooks", () => {
  assert.deepEqual(errs([{ ...base, reinvocationPolicy: "Sometimes" }], "MutatingWebhookConfiguration"), ['webhooks[0].reinvocationPolicy: Unsupported value: "Sometimes": supported values: "IfNeeded", "Never"']);
  assert.deepEqual(errs([{ ...base, reinvocationPolicy: "IfNeeded" }], "MutatingWebhookConfiguration"), []);
});
