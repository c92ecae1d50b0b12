/**
 * The nesting limit of request bodies (depth.ts): the measures, and the facade under bodies and
 * patches nested deeper than the simulation's recursion can follow. Before the limit, a 12 KB custom
 * resource nested 2000 levels ended the process (V8's "RegExpCompiler Allocation failed - process
 * out of memory" at the stack's edge) and a YAML body of 100000 `[` held the event loop for 9 s.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonDepth, MAX_BODY_DEPTH, tooDeep, valueDepth, yamlDepth } from "./depth.ts";
import { send, withServer, type Fetch } from "./testutil.ts";

const nestJSON = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

test("jsonDepth counts objects and arrays outside strings, and stops past the limit", () => {
  const cases: Array<[string, number]> = [
    ["1", 0],
    ["{}", 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[{{{"}', 1],
    ['{"a":"\\\\"}', 1],
    ['{"a":"\\"[["}', 1],
    ["[[[", 3],
    ["]]][", 1],
  ];
  for (const [text, depth] of cases) assert.equal(jsonDepth(text), depth, text);
  assert.equal(jsonDepth(nestJSON(100000), 10), 11);
});

test("yamlDepth follows the YAML parser's own stack (the document is a level): block and flow nesting, compact sequences, JSON", () => {
  assert.equal(yamlDepth("a: 1\n"), 3);
  assert.equal(yamlDepth("a: {b: [1]}"), 4);
  assert.equal(yamlDepth("a:\n  b:\n    c: [1, {d: 2}]\n"), 7);
  assert.ok(yamlDepth("- ".repeat(1000) + "x", 100) > 100);
  assert.ok(yamlDepth("x: " + "[".repeat(100000), 100) > 100);
  assert.ok(yamlDepth(Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " v\n") > MAX_BODY_DEPTH);
  // Brackets in a block scalar or a quoted scalar are text.
  assert.ok(yamlDepth(`data:\n  a: |\n    ${"{[".repeat(400)}\n  b: '${"[".repeat(400)}'\n`) < 10);
  assert.equal(yamlDepth(nestJSON(300)), MAX_BODY_DEPTH + 1);
  assert.equal(yamlDepth(nestJSON(20)), 20);
});

test("valueDepth measures decoded values without recursion", () => {
  let v: unknown = 1;
  for (let i = 0; i < 50000; i++) v = { a: [v] };
  assert.equal(valueDepth(v, 1000), 1001);
  assert.equal(valueDepth({ a: [1, { b: null }], c: "x" }), 3);
  assert.equal(valueDepth("x"), 0);
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: blobs.example.com}
spec:
  group: example.com
  names: {kind: Blob, plural: blobs, singular: blob}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
const BLOBS = "/apis/example.com/v1/namespaces/default/blobs";
const blob = (name: string, spec: string) => `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"${name}"},"spec":${spec}}`;
const patch = async (f: Fetch, path: string, type: string, body: string) => {
  const r = await f(path, { method: "PATCH", body, headers: { "content-type": type } });
  return { status: r.status, body: (await r.json()) as { message: string } };
};

test("the facade refuses bodies nested past the limit in every verb and format, serves objects within it in every verb, and stays up", { timeout: 120_000 }, async (t) => {
  await withServer(t, async (f, cluster) => {
    cluster.applySync(CRD);
    cluster.advanceSync(1000);
    const refused = tooDeep("the body of the request").message;
    const deep = nestJSON(2000);
    // (withServer fails the test if any request ended in an internal error.)
    assert.deepEqual([(await send(f, "POST", BLOBS, blob("deep", deep))).status, (await send(f, "POST", BLOBS, blob("deep", deep))).body.message], [400, refused]);
    const yaml = await send(f, "POST", BLOBS, `apiVersion: example.com/v1\nkind: Blob\nmetadata: {name: deep}\nspec: ${"[".repeat(100000)}${"]".repeat(100000)}\n`, "application/yaml");
    assert.deepEqual([yaml.status, yaml.body.message], [400, refused]);
    // An object as deep as the limit allows goes through every verb.
    const within = nestJSON(MAX_BODY_DEPTH - 10);
    assert.equal((await send(f, "POST", BLOBS, blob("ok", within))).status, 201);
    assert.equal((await f(`${BLOBS}/ok`)).status, 200);
    assert.equal((await f(BLOBS, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).status, 200);
    assert.equal((await patch(f, `${BLOBS}/ok`, "application/merge-patch+json", `{"spec":{"b":${within}}}`)).status, 200);
    assert.equal((await patch(f, `${BLOBS}/ok?fieldManager=m`, "application/apply-patch+yaml", blob("ok", `{"c":${within}}`))).status, 200);
    for (const type of ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]) {
      const r = await patch(f, `${BLOBS}/ok?fieldManager=m`, type, type.includes("apply") ? blob("ok", deep) : `{"spec":${deep}}`);
      assert.deepEqual([r.status, r.body.message], [400, refused], type);
    }
    // A JSON patch that adds below what is already deep is held to the limit as a whole.
    const path = "/spec/a" + "/a".repeat(MAX_BODY_DEPTH - 20);
    const grown = await patch(f, `${BLOBS}/ok`, "application/json-patch+json", `[{"op":"add","path":"${path}","value":${nestJSON(100)}}]`);
    assert.deepEqual([grown.status, grown.body.message], [400, tooDeep("the patched object").message]);
    assert.equal((await patch(f, `${BLOBS}/ok`, "application/json-patch+json", `[{"op":"add","path":"/spec/z","value":1}]`)).status, 200);
    // Stored whole (its managedFields' fieldsV1 nest a few levels deeper than the spec).
    const stored = (await (await f(`${BLOBS}/ok`)).json()) as { spec: Record<string, unknown> };
    assert.deepEqual(Object.keys(stored.spec).sort(), ["a", "b", "c", "z"]);
    assert.equal(valueDepth(stored.spec.b), MAX_BODY_DEPTH - 10);
    assert.equal((await f(`${BLOBS}/ok`, { method: "DELETE" })).status, 200);
  });
});
