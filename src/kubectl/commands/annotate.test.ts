import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { KubectlError } from "../command.ts";
import { applyAnnotationChanges, overwriteConflicts, parseAnnotations, splitAnnotateArgs } from "./annotate.ts";

// annotate_test.go TestParseAnnotations.
const testURL = "https://test.com/index.htm?id=123#u=user-name";
const testJSON = '\'{"kind":"SerializedReference","apiVersion":"v1","reference":{"kind":"ReplicationController","namespace":"default","name":"my-nginx","uid":"c544ee78-2665-11e5-8051-42010af0c213","apiVersion":"v1","resourceVersion":"61368"}}\'';
const longValue = "kubernetes.io/" + "a".repeat(100);
const cases: Array<{ scenario: string; annotations: string[]; add?: Record<string, string>; remove?: string[]; err?: string }> = [
  { scenario: "add two annotations", annotations: ["a=b", "c=d"], add: { a: "b", c: "d" }, remove: [] },
  { scenario: "add valid options with long value", annotations: [`url=${testURL}`, `kubernetes.io/created-by=${testJSON}`], add: { url: testURL, "kubernetes.io/created-by": testJSON }, remove: [] },
  { scenario: "add valid options with very long value (>63 chars)", annotations: [`url=${testURL}`, `kubernetes.io/created-by=${longValue}`], add: { url: testURL, "kubernetes.io/created-by": longValue }, remove: [] },
  { scenario: "modify and remove an annotation at the same time (invalid)", annotations: ["a=b", "c=d", "a-"], err: "can not both modify and remove the following annotation(s) in the same command: a" },
  { scenario: "add and remove annotations", annotations: ["a=b", "c=d", "e-"], add: { a: "b", c: "d" }, remove: ["e"] },
  { scenario: "invalid annotation", annotations: ["ab", "c=d"], err: "invalid annotation format: ab" },
  { scenario: "empty key", annotations: ["=x"], err: "invalid annotation format: =x" },
  { scenario: "no annotations", annotations: [], add: {}, remove: [] },
];
for (const tc of cases) {
  test(`TestParseAnnotations: ${tc.scenario}`, () => {
    if (tc.err) assert.throws(() => parseAnnotations(tc.annotations), (e: unknown) => e instanceof KubectlError && e.message === tc.err);
    else assert.deepEqual(parseAnnotations(tc.annotations), { add: tc.add, remove: tc.remove });
  });
}

// annotate_test.go TestValidateAnnotationOverwrites.
test("TestValidateAnnotationOverwrites", () => {
  assert.equal(overwriteConflicts({ a: "A", b: "B" }, { a: "A" }), undefined, "the same value is no overwrite");
  assert.equal(overwriteConflicts({ a: "A" }, { c: "C" }), undefined);
  assert.equal(overwriteConflicts({ a: "A", b: "B" }, { a: "X", b: "Y" }), "--overwrite is false but found the following declared annotation(s): 'a' already has a value (A); 'b' already has a value (B)");
});

// annotate_test.go TestUpdateAnnotations (the changes as applied to the object's annotations).
test("TestUpdateAnnotations", () => {
  assert.deepEqual(applyAnnotationChanges({ a: "b" }, { add: { a: "c" }, remove: [] }), { a: "c" });
  assert.deepEqual(applyAnnotationChanges(undefined, { add: { a: "b" }, remove: [] }), { a: "b" });
  assert.deepEqual(applyAnnotationChanges({ a: "b", c: "d" }, { add: {}, remove: ["a"] }), { c: "d" });
  assert.equal(applyAnnotationChanges({ a: "b" }, { add: {}, remove: ["a"] }), undefined);
  assert.deepEqual(applyAnnotationChanges({ a: "b" }, { add: { c: "d" }, remove: ["e"] }), { a: "b", c: "d" });
});

test("arguments: '=' or a trailing '-' make an annotation change", () => {
  assert.deepEqual(splitAnnotateArgs(["pods", "foo", "description=my frontend", "old-"]), { resources: ["pods", "foo"], annotations: ["description=my frontend", "old-"] });
});

test("kubectl annotate through the API: set, refuse an overwrite, overwrite, remove, --resource-version, --all", () => {
  const c = new Cluster();
  c.kubectlSync("create configmap foo");
  const run = (line: string) => c.kubectlSync(line);
  assert.equal(run("annotate configmap foo description='my frontend'").stdout, "configmap/foo annotated\n");
  assert.deepEqual(c.api.get("ConfigMap", "default", "foo")?.metadata.annotations, { description: "my frontend" });
  const refused = run("annotate configmap foo description=other");
  assert.deepEqual([refused.exitCode, refused.stderr], [1, "error: --overwrite is false but found the following declared annotation(s): 'description' already has a value (my frontend)\n"]);
  assert.equal(run("annotate --overwrite configmap foo description=other").exitCode, 0);
  const rv = c.api.get("ConfigMap", "default", "foo")!.metadata.resourceVersion;
  const stale = run("annotate configmap foo x=1 --resource-version=1");
  assert.deepEqual([stale.exitCode, stale.stderr], [1, 'Error from server (Conflict): Operation cannot be fulfilled on configmaps "foo": the object has been modified; please apply your changes to the latest version and try again\n']);
  assert.equal(run(`annotate configmap foo x=1 --resource-version=${rv}`).exitCode, 0);
  assert.equal(run("annotate configmap foo description-").stdout, "configmap/foo annotated\n");
  assert.deepEqual(c.api.get("ConfigMap", "default", "foo")?.metadata.annotations, { x: "1" });
  assert.equal(run("annotate configmap foo y=2 --list").stdout, "x=1\ny=2\n");
  assert.deepEqual(c.api.get("ConfigMap", "default", "foo")?.metadata.annotations, { x: "1" }, "--list writes nothing");
  assert.equal(run("annotate configmaps --all team=web").stdout, "configmap/foo annotated\nconfigmap/kube-root-ca.crt annotated\n");
  const bad = run("annotate configmap foo 'bad key=1'");
  assert.match(bad.stderr, /^The ConfigMap "foo" is invalid: metadata.annotations: Invalid value: "bad key": name part must consist of/);
});
