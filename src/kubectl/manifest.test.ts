// parseManifests: documents read again from the text cache are the same as parsed, and the caller's own copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseManifests, parseManifestStream } from "./manifest.ts";

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    ports: [{containerPort: 80}]\n---\n---\n";

test("a text read again gives equal documents, as new objects the caller may change", () => {
  const first = parseManifests(POD, "pod.yaml");
  assert.equal(first.length, 1);
  assert.equal(first[0].index, 1);
  const expected = structuredClone(first);
  (first[0].obj.metadata as Record<string, unknown>).name = "changed";
  (first[0].obj.spec as { containers: unknown[] }).containers.push("x");
  for (const source of ["pod.yaml", "STDIN"]) {
    const again = parseManifests(POD, source);
    assert.deepEqual(again, expected.map((d) => ({ ...d, source })));
    assert.notEqual(again[0].obj, first[0].obj);
  }
});

test("Lists expand on every read, and values a JSON copy would change come back exactly", () => {
  const text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {x: '1'}}\n- 7\n---\nkind: X\nn: -0.0\ninf: .inf\nnan: .nan\nbig: 12345678901234567890\n";
  for (let round = 0; round < 2; round++) {
    const docs = parseManifests(text, "f.yaml");
    assert.deepEqual(docs.map((d) => d.index), [1, 1, 2]);
    assert.equal(docs[1].obj as unknown, 7);
    const x = docs[2].obj as Record<string, number>;
    assert.ok(Object.is(x.n, -0), `round ${round}: -0 kept`);
    assert.equal(x.inf, Infinity);
    assert.ok(Number.isNaN(x.nan));
    assert.equal(x.big, Number("12345678901234567890"));
  }
});

test("a text that does not parse fails the same way every time", () => {
  for (let round = 0; round < 2; round++) {
    // As kubectl v1.32 prints them (a tab where indentation is read; go-yaml names the line alone).
    assert.throws(() => parseManifests("a: 1\n\tb: 2\n", "tab.yaml"), /error parsing tab\.yaml: error converting YAML to JSON: yaml: line 2: found character that cannot start any token$/);
    assert.throws(() => parseManifests("- 1\n", "seq.yaml"), /cannot unmarshal array into Go value/);
  }
});

test("a mapping value inside a compact mapping's value is go-yaml's 'mapping values are not allowed in this context'", () => {
  assert.throws(() => parseManifests("a: b: c\n", "m.yaml"), /error parsing m\.yaml: error converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context/);
});

test("`\\'` in a double-quoted scalar is a quote, as go-yaml (libyaml) reads it; other unknown escapes still fail", () => {
  // pods/inject/envars-file-container.yaml of kubernetes.io: echo \"DB_ADDRESS=\'address\'\" > ...
  const [doc] = parseManifests(`kind: X\na: "x\\'y \\\\' \\"q\\""\nb: ["\\'", '\\']\n`, "q.yaml");
  assert.deepEqual(doc!.obj, { kind: "X", a: `x'y \\' "q"`, b: ["'", "\\"] });
  assert.throws(() => parseManifests(`kind: X\na: "\\'" \nb: "\\q"\n`, "e.yaml"), /error parsing e\.yaml: error converting YAML to JSON: yaml: line 3: found unknown escape character$/);
});

test("a key given twice takes its last value, as kubectl's YAML-to-JSON conversion does (go-yaml v2 into a map)", () => {
  const [doc] = parseManifests("kind: ConfigMap\ndata:\n  a: \"1\"\n  b: x\n  a: \"2\"\n", "dup.yaml");
  assert.deepEqual(doc!.obj, { kind: "ConfigMap", data: { a: "2", b: "x" } });
});

test("parseManifestStream keeps the documents before one that does not decode, and names its line within its document", () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b: c\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n";
  const { docs, error } = parseManifestStream(text, "f.yaml");
  assert.deepEqual(docs.map((d) => d.obj.metadata?.name), ["a"]);
  assert.equal(error?.message, "error parsing f.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context");
  const ok = parseManifestStream("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "g.yaml");
  assert.deepEqual([ok.docs.length, ok.error], [1, undefined]);
});
