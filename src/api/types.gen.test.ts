// src/api/types.gen.ts is what scripts/gen-types.ts makes of src/api/schema/fields.json: every type and
// field the API server knows, with the TypeScript type of its field code. (Which fields are required
// and the descriptions come from client-node 1.0.0, not installed here: they are read back from the
// generated file, so this checks everything else.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { render, tsNames, type ModelInfo } from "../../scripts/gen-types.ts";

const fields = JSON.parse(readFileSync(new URL("./schema/fields.json", import.meta.url), "utf8"));
const generated = readFileSync(new URL("./types.gen.ts", import.meta.url), "utf8");

function infoFromGenerated(model: string): ModelInfo {
  const name = tsNames(fields)[model];
  const m = new RegExp(`/\\*\\* [^\\n]*?(?:: (.*?))?(?: Served as [^\\n]*)? \\*/\\nexport interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(generated);
  assert.ok(m, `interface ${name} (${model}) is in types.gen.ts`);
  const required = new Set([...m[2].matchAll(/^ {2}"?([^"?:]+)"?: /gm)].map((x) => x[1]));
  return { required, doc: m[1] ?? "" };
}

test("types.gen.ts is current with fields.json and the generator", () => {
  assert.equal(render(fields, infoFromGenerated), generated, "regenerate: npm run gen:types (see scripts/gen-types.ts)");
});

test("upstream's names for the everyday types, and their shape", () => {
  for (const name of ["Pod", "PodSpec", "PodStatus", "Container", "ContainerStatus", "Toleration", "Taint", "Node", "Service", "Deployment", "Event", "HorizontalPodAutoscaler"]) {
    assert.match(generated, new RegExp(`^export interface ${name} \\{`, "m"), name);
  }
  assert.match(generated, /export interface Container \{\n(?: {2}.*\n)* {2}name: string;\n/);
  assert.match(generated, /export interface PodCondition \{\n(?: {2}.*\n)* {2}status: string;\n {2}type: string;\n\}/);
  assert.match(generated, /export interface Pod \{\n {2}apiVersion: string;\n {2}kind: string;\n {2}metadata: ObjectMeta;\n {2}spec\?: PodSpec;\n {2}status\?: PodStatus;\n\}/);
});
