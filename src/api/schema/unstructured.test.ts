import { test } from "node:test";
import assert from "node:assert/strict";
import { fromUnstructuredError, schemaRoot } from "./unstructured.ts";

// runtime.DefaultUnstructuredConverter.FromUnstructured's texts (apimachinery runtime/converter.go,
// v1.32) for values of the wrong type in a Deployment, as a strategic merge patch leaves them.
const deployment = (spec: unknown, metadata: unknown = { name: "d" }) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata, spec });
const container = (c: Record<string, unknown>) => deployment({ template: { spec: { containers: [{ name: "c", image: "nginx", ...c }] } } });

const CASES: Array<[string, unknown, string | undefined]> = [
  ["a valid object", deployment({ replicas: 3, paused: false, template: { metadata: { labels: { a: "b" } } } }), undefined],
  ["null leaves the zero value", deployment({ replicas: null, template: null }, { name: "d", labels: null }), undefined],
  ["a string into an int32 (no conversion: the default branch)", deployment({ replicas: "three" }), "unrecognized type: int32"],
  ["an integral float into an int32 converts", deployment({ replicas: 2.0 }), undefined],
  ["a fractional float into an int32", deployment({ replicas: 1.5 }), "cannot convert float64 to int32"],
  ["a bool into an int32", deployment({ replicas: true }), "unrecognized type: int32"],
  ["a map into an int64", deployment({}, { name: "d", generation: { a: 1 } }), "unrecognized type: int64"],
  ["an int into a string (ConvertibleTo, then refused)", deployment({}, { name: 5 }), "cannot convert int64 to string"],
  ["a float into a string", deployment({}, { name: 5.5 }), "unrecognized type: string"],
  ["a bool into a map value", deployment({}, { name: "d", labels: { a: true } }), "unrecognized type: string"],
  ["an int into a map value", deployment({}, { name: "d", labels: { a: 3 } }), "cannot convert int64 to string"],
  ["a string into a bool", deployment({ paused: "yes" }), "unrecognized type: bool"],
  ["a list where a map is", deployment({}, { name: "d", labels: ["a"] }), "cannot restore map from slice"],
  ["a string where a map is", deployment({}, { name: "d", annotations: "a=b" }), "cannot restore map from string"],
  ["a map where a list is", deployment({ template: { spec: { containers: { name: "c" } } } }), "cannot restore slice from map"],
  ["an int where a list is", deployment({}, { name: "d", finalizers: 1 }), "cannot restore slice from int64"],
  ["a string where a struct is", deployment({ template: { metadata: "x" } }), "cannot restore struct from: string"],
  ["a list where a struct is", deployment({ selector: [] }), "cannot restore struct from: slice"],
  ["a list item of the wrong type", container({ ports: [{ containerPort: "80" }] }), "unrecognized type: int32"],
  ["an env value that is a number", container({ env: [{ name: "A", value: 1 }] }), "cannot convert int64 to string"],
  ["a quantity that is a list (ParseQuantity of its JSON)", container({ resources: { limits: { cpu: [1] } } }), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ["a quantity that is a number converts", container({ resources: { limits: { cpu: 1.5, memory: "64Mi" } } }), undefined],
  ["an int-or-string that is a list", deployment({ strategy: { rollingUpdate: { maxSurge: [1] } } }), "json: cannot unmarshal array into Go value of type int32"],
  ["an int-or-string that is a fractional number", deployment({ strategy: { rollingUpdate: { maxSurge: 1.5 } } }), "json: cannot unmarshal number 1.5 into Go value of type int32"],
  ["an int-or-string string or int", deployment({ strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } } }), undefined],
  ["a time that is a number", deployment({}, { name: "d", creationTimestamp: 5 }), "json: cannot unmarshal number into Go value of type string"],
  ["an unknown field is not the converter's concern", deployment({ nope: [1, 2] }), undefined],
];

for (const [name, obj, want] of CASES) {
  test(`FromUnstructured: ${name}`, () => {
    assert.equal(fromUnstructuredError(obj, schemaRoot("apps/v1", "Deployment")!), want);
  });
}

test("FromUnstructured: a Secret's data is map[string][]byte (base64 strings)", () => {
  const root = schemaRoot("v1", "Secret")!;
  assert.equal(fromUnstructuredError({ kind: "Secret", data: { a: "aGk=" } }, root), undefined);
  assert.equal(fromUnstructuredError({ kind: "Secret", data: { a: 5 } }, root), "cannot restore slice from int64");
  assert.equal(fromUnstructuredError({ kind: "Secret", data: { a: "no!" } }, root), "error decoding from json: illegal base64 data at input byte 2");
  assert.equal(fromUnstructuredError({ kind: "Secret", stringData: { a: 5 } }, root), "cannot convert int64 to string");
});

test("FromUnstructured: a long list of wrong values is walked once, to its first error", () => {
  const items = Array.from({ length: 100_000 }, (_, i) => ({ name: `c${i}`, image: "x", ports: [{ containerPort: i }] }));
  items[99_999]!.ports = [{ containerPort: "x" as unknown as number }];
  const started = process.cpuUsage();
  assert.equal(fromUnstructuredError(deployment({ template: { spec: { containers: items } } }), schemaRoot("apps/v1", "Deployment")!), "unrecognized type: int32");
  assert.ok(process.cpuUsage(started).user < 5_000_000, "bounded");
});
