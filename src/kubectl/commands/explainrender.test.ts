import { test } from "node:test";
import assert from "node:assert/strict";
import { openAPIV3Object } from "../../api/schema/openapi.ts";
import { extractEnum, fieldDetail, indent, renderExplain, typeGuess, wordWrap } from "./explainrender.ts";

test("wordWrap: github.com/mitchellh/go-wordwrap v1.0.1's table", () => {
  const cases: [string, string, number][] = [
    ["foo", "foo", 4],
    ["foobarbaz", "foobarbaz", 4],
    ["foo bar baz", "foo\nbar\nbaz", 4],
    ["foo bars bazzes", "foo\nbars\nbazzes", 4],
    ["fo sop", "fo\nsop", 4],
    ["foo bar\u00A0baz", "foo\nbar\u00A0baz", 10],
    ["foo\nb\t r\n baz", "foo\nb\t r\n baz", 4],
    ["foo    \nb   ar   ", "foo\nb\nar", 4],
    ["foo bar baz\n", "foo\nbar\nbaz\n", 4],
    ["\nfoo bar\n\n\nbaz\n", "\nfoo\nbar\n\n\nbaz\n", 4],
    [" This is a list: \n\n\t* foo\n\t* bar\n\n\n\t* baz  \nBAM    ", " This\nis a\nlist: \n\n\t* foo\n\t* bar\n\n\n\t* baz\nBAM", 6],
    ["\u2584 ".repeat(4), "\u2584 \u2584\n" + "\u2584 ".repeat(2), 4],
  ];
  for (const [input, output, lim] of cases) assert.equal(wordWrap(input, lim), output, JSON.stringify(input));
});

test("wordWrap: kubectl's term_writer_test (no line over the limit, no word broken)", () => {
  const text = Array(68).fill("Kube").join(" ");
  for (const max of [10, 80, 120, 5000]) {
    const out = wordWrap(text, max);
    assert.ok(out.split("\n").every((l) => l.length <= max));
    assert.ok(out.split(/[ \n]/).every((w) => w === "Kube"));
  }
});

test("indent pads every line, the one after a final newline too", () => {
  assert.equal(indent(2, "a\nb\n"), "  a\n  b\n  ");
});

// kubectl's pkg/explain/v2/templates/plaintext_test.go, the subtemplates' cases.
const CRV = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation";

test("typeGuess: plaintext_test.go's cases", () => {
  const doc = { components: { schemas: { "v1.Time": { type: "string", format: "date-time" } } } };
  const cases: [Record<string, unknown>, string][] = [
    [{ type: "string" }, "string"],
    [{ type: "string", additionalProperties: true }, "string"],
    [{ description: "a cool field", $ref: "#/components/schemas/v1.Time" }, "string"],
    [{ description: "a cool field", type: "array" }, "array"],
    [{ description: "a cool field", type: "object" }, "Object"],
    [{ description: "a cool field", type: "array", items: { type: "number" } }, "[]number"],
    [{ description: "a cool field", type: "array", items: { type: "object", allOf: [{ $ref: CRV }] } }, "[]CustomResourceValidation"],
    [{ description: "a cool field", type: "array", items: { type: "object", $ref: CRV } }, "[]CustomResourceValidation"],
    [{ description: "a cool field", type: "array", items: { type: "object", additionalProperties: { type: "string" } } }, "[]map[string]string"],
    [{ description: "a cool field", type: "object", additionalProperties: { type: "array", items: { type: "string" } } }, "map[string][]string"],
    [{ description: "a cool field", type: "object", additionalProperties: { type: "string", allOf: [{ $ref: CRV }] } }, "map[string]CustomResourceValidation"],
    [{ description: "a cool field" }, "Object"],
  ];
  for (const [schema, want] of cases) assert.equal(typeGuess(schema, doc), want, JSON.stringify(schema));
});

test("fieldDetail: required, description, indent", () => {
  const schema = {
    type: "object",
    description: "a description that should not be printed",
    properties: { thefield: { type: "string", description: "a description that should be printed" } },
    required: ["thefield"],
  };
  assert.equal(fieldDetail("thefield", schema, true, 0, {}), "thefield\t<string> -required-\n");
  assert.equal(fieldDetail("thefield", schema, false, 0, {}), "thefield\t<string> -required-\n  a description that should be printed\n\n");
  assert.equal(fieldDetail("thefield", schema, true, 5, {}), "          thefield\t<string> -required-\n");
});

test("extractEnum: plaintext_test.go's cases", () => {
  const e = (values: unknown[]) => ({ type: "string", description: "a description that should not be printed", enum: values });
  assert.equal(extractEnum(e([]), true, -1), "");
  assert.equal(extractEnum(e([0, 1, 2, 3]), true, -1), "ENUM:\n    0\n    1\n    2\n    3");
  assert.equal(extractEnum(e([0, 1, 2, 3]), false, -1, 2), "\n  enum: 0, 1, 2, 3");
  assert.equal(extractEnum(e([0, 1, 2, 3]), false, 2, 2), "\n  enum: 0, 1, ....");
  assert.equal(extractEnum(e([0, 1, 2, 3]), true, 2, 2), "ENUM:\n    0\n    1, ....");
  assert.equal(extractEnum(e(["Block", "File", ""]), true, -1), 'ENUM:\n    Block\n    File\n    ""');
});

// The main template's cases, over the documents the simulated API server serves.
const apiext = openAPIV3Object(undefined, "apis/apiextensions.k8s.io/v1")!;
const batch = openAPIV3Object(undefined, "apis/batch/v1")!;
const crds = { document: apiext, group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", recursive: false };

test("the resource not found: the GVR error", () => {
  assert.deepEqual(renderExplain({ document: apiext, group: "", version: "", resource: "", fieldPath: [], recursive: false }), { out: "", error: "error: GVR (/, Resource=) not found in OpenAPI schema" });
});

test("a resource's description, namespaced or not, with or without its list path", () => {
  assert.match(renderExplain({ ...crds, fieldPath: [] }).out, /^GROUP: {6}apiextensions\.k8s\.io\nKIND: {7}CustomResourceDefinition\nVERSION: {4}v1\n\nDESCRIPTION:\n {4}CustomResourceDefinition represents a resource that should be exposed/);
  assert.match(renderExplain({ document: batch, group: "batch", version: "v1", resource: "jobs", fieldPath: [], recursive: false }).out, /Job represents the configuration of a single job/);
  const paths = { ...(batch.paths as Record<string, unknown>) };
  delete paths["/apis/batch/v1/namespaces/{namespace}/cronjobs"];
  const withoutList = { ...batch, paths };
  assert.match(renderExplain({ document: withoutList, group: "batch", version: "v1", resource: "cronjobs", fieldPath: [], recursive: false }).out, /CronJob represents the configuration of a single cron job/);
});

test("field paths: missing, shallow, deep, through a list and a map, through a recursive schema", () => {
  assert.equal(renderExplain({ ...crds, fieldPath: ["does", "not", "exist"] }).error, 'error: field "exist" does not exist');
  assert.match(renderExplain({ ...crds, fieldPath: ["kind"] }).out, /\nFIELD: kind <string>\n/);
  assert.match(renderExplain({ ...crds, fieldPath: ["spec", "names", "singular"] }).out, /\nFIELD: singular <string>\n/);
  assert.match(renderExplain({ ...crds, fieldPath: ["spec", "versions", "name"] }).out, /\nFIELD: name <string> *\n/);
  const viaMap = renderExplain({ ...crds, fieldPath: ["spec", "versions", "schema", "openAPIV3Schema", "properties", "default"] });
  assert.match(viaMap.out, /default is a default value for undefined object fields/);
  const deep = renderExplain({ ...crds, fieldPath: ["spec", "versions", "schema", "openAPIV3Schema", "properties", "properties", "properties", "properties", "properties", "default"] });
  assert.match(deep.out, /default is a default value for undefined object fields/);
});

test("all fields, with descriptions, or names only under --recursive (a recursive schema stops at its cycle)", () => {
  const schemas = (apiext.components as { schemas: Record<string, { properties: Record<string, { description: string }> }> }).schemas;
  const fields = schemas[CRV]!.properties;
  const all = renderExplain({ ...crds, fieldPath: ["spec", "versions", "schema"] }).out;
  for (const [k, v] of Object.entries(fields)) {
    assert.ok(all.includes(`\n  ${k}\t<`), k);
    assert.ok(all.includes(v.description.split(" ").slice(0, 3).join(" ")), k);
  }
  const recursive = renderExplain({ ...crds, fieldPath: ["spec", "versions", "schema"], recursive: true }).out;
  assert.match(recursive, /\n {2}openAPIV3Schema\t<JSONSchemaProps>\n {4}\$ref\t<string>\n/);
  // JSONSchemaProps refers to itself: its properties are listed once, not again under `not`.
  assert.match(recursive, /\n {4}not\t<JSONSchemaProps>\n {4}nullable\t<boolean>\n/);
});
