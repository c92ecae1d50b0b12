import { test } from "node:test";
import assert from "node:assert/strict";
import { renderFieldError } from "../errors.ts";
import { applyDefaults, prune, validateCustomResource, type JSONSchemaProps } from "./schema.ts";
import { compareVersions } from "./handler.ts";

const schema: JSONSchemaProps = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["image"],
      properties: {
        cronSpec: { type: "string", pattern: "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$", default: "5 0 * * *" },
        image: { type: "string", maxLength: 5 },
        replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
        mode: { type: "string", enum: ["a", "b"] },
        json: { "x-kubernetes-preserve-unknown-fields": true, type: "object", properties: { spec: { type: "object", properties: { foo: { type: "string" } } } } },
        port: { "x-kubernetes-int-or-string": true },
      },
    },
  },
};

const errs = (obj: Record<string, unknown>) => validateCustomResource(obj, schema).map(renderFieldError);

test("validation messages are kube-openapi's, as apiextensions turns them into field errors", () => {
  assert.deepEqual(errs({ spec: { image: "x", cronSpec: "* * * *", replicas: 15 } }), [
    "spec.cronSpec: Invalid value: \"* * * *\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
    "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10",
  ]);
  assert.deepEqual(errs({ spec: { replicas: "three" } }), ["spec.image: Required value", 'spec.replicas: Invalid value: "three": spec.replicas in body must be of type integer: "string"']);
  assert.deepEqual(errs({ spec: { image: "toolong", mode: "c", port: true } }), [
    "spec.image: Too long: may not be more than 5 bytes",
    'spec.mode: Unsupported value: "c": supported values: "a", "b"',
    'spec.port: Invalid value: true: spec.port in body must be of type integer,string: "boolean"',
  ]);
  assert.deepEqual(errs({ spec: { image: "x", port: "80%", replicas: 0 } }), ["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"]);
});

test("defaulting fills absent fields; pruning drops undeclared ones except under preserve-unknown-fields", () => {
  const obj: Record<string, any> = { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "x" }, spec: { image: "i", someRandomField: 42, json: { spec: { foo: "abc", something: "x" }, status: { something: "x" } } } };
  const pruned: string[] = [];
  prune(obj, schema, "", true, pruned);
  applyDefaults(obj, schema);
  assert.deepEqual(pruned, ["spec.someRandomField", "spec.json.spec.something"]);
  assert.deepEqual(obj.spec, { image: "i", json: { spec: { foo: "abc" }, status: { something: "x" } }, cronSpec: "5 0 * * *", replicas: 1 });
  assert.deepEqual(obj.metadata, { name: "x" });
});

test("version priority as kube-aggregator sorts versions", () => {
  assert.deepEqual(["v1beta1", "v1alpha1", "foo", "v2", "v1", "v10beta3"].sort(compareVersions), ["v2", "v1", "v10beta3", "v1beta1", "v1alpha1", "foo"]);
});
