/**
 * mutate.patchStrategicMerge against Kyverno's own tables (testdata/strategicmerge_test.json, from
 * github.com/kyverno/kyverno v1.14.5 pkg/engine/mutate/patch): TestMergePatch's merged results, and
 * Test_preProcessStrategicMergePatch_multipleAnchors's pre-processed patches (compared as what they
 * merge into: the model pre-processes and merges in one step), with the package's single tests
 * (a condition on a missing key, nested conditionals, a failing global condition).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { applyStrategicMerge, jsonPatchDiff } from "./mutate.ts";
import { strategicMergePatch } from "../../../api/schema/strategicmerge.ts";
import { loadSchema } from "../../../api/schema/fields.ts";

type Obj = Record<string, unknown>;
const table = JSON.parse(readFileSync(new URL("./testdata/strategicmerge_test.json", import.meta.url), "utf8")) as {
  mergePatch: Array<{ rawPolicy: string; rawResource: string; expected: string }>;
  preprocess: Array<{ rawPolicy: string; rawResource: string; expectedPatch: string }>;
};

// kyaml parses the raw strings as YAML (JSON with trailing commas included).
const y = (s: string) => parse(s) as Obj;
const patched = (resource: Obj, patch: unknown): Obj => {
  const r = applyStrategicMerge(resource, patch);
  assert.ok("patched" in r, "skip" in r ? r.skip : "");
  return r.patched;
};

test("TestMergePatch: Kyverno's merged results", () => {
  assert.equal(table.mergePatch.length, 3);
  table.mergePatch.forEach((c, i) => assert.deepEqual(patched(y(c.rawResource), y(c.rawPolicy)), y(c.expected), `case ${i}`));
});

test("Test_preProcessStrategicMergePatch_multipleAnchors: each pre-processed patch merges as Kyverno's", () => {
  assert.equal(table.preprocess.length, 17);
  table.preprocess.forEach((c, i) => {
    const resource = y(c.rawResource);
    const kind = typeof resource.kind === "string" ? resource.kind : "";
    const want = strategicMergePatch(structuredClone(resource), y(c.expectedPatch), loadSchema().roots[kind]);
    assert.deepEqual(patched(resource, y(c.rawPolicy)), want, `case ${i}`);
  });
});

test("Test_NonExistingKeyMustFailPreprocessing: a condition on a key the resource lacks skips the rule", () => {
  const r = applyStrategicMerge(
    y(`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello"}, "spec": {"containers": [{"name": "hello", "image": "busybox"}]}}`),
    y(`{"metadata": {"labels": {"(key1)": "value1",}}, "spec": {"containers": [{"name": "busybox", "image": "gcr.io/google-containers/busybox:latest"}], "imagePullSecrets": [{"name": "regcred"}]}}`),
  );
  assert.deepEqual(r, { skip: 'condition failed: could not found "key1" key in the resource' });
});

test("Test_NestedConditionals: an add-if-not-present anchor under a conditional one", () => {
  const out = patched(y(`{"kind": "Deployment", "spec":{"template":{"spec":{"volumes":[{"emptyDir":{},"name":"vol02"}]}}}}`), y(`{"spec":{"template":{"spec":{"volumes":[{"(emptyDir)":{"+(sizeLimit)":"20Mi"},"name":"*"}]}}}}`));
  assert.deepEqual(out, y(`{"kind": "Deployment", "spec":{"template":{"spec":{"volumes":[{"emptyDir":{"sizeLimit":"20Mi"},"name":"vol02"}]}}}}`));
});

test("Test_GlobalCondition_Fail: a global anchor no element satisfies skips the whole rule", () => {
  const r = applyStrategicMerge(
    y(`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pod-without-emptydir-hostpath"}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}`),
    y(`{"metadata": {"annotations": {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": "true"}}, "spec": {"volumes": [{"<(emptyDir)": {}}]}}`),
  );
  assert.deepEqual(r, { skip: 'global condition failed: could not found "emptyDir" key in the resource' });
  // With volumes, none of them an emptyDir: the same skip, on the element's value.
  const hostPath = applyStrategicMerge(
    y(`{"kind": "Pod", "spec": {"volumes": [{"name": "cache-volume", "hostPath": {"path": "/data"}}]}}`),
    y(`{"metadata": {"annotations": {"+(cluster-autoscaler.kubernetes.io/safe-to-evict)": "true"}}, "spec": {"volumes": [{"<(emptyDir)": {}}]}}`),
  );
  assert.ok("skip" in hostPath && hostPath.skip.startsWith("global condition failed"), JSON.stringify(hostPath));
});

test("the admission answer is the JSON patch from the request's object to the result", () => {
  assert.deepEqual(jsonPatchDiff({ a: 1, b: { c: [1] }, d: "x" }, { a: 1, b: { c: [1, 2] }, e: "y/z" }), [
    { op: "remove", path: "/d" },
    { op: "replace", path: "/b/c", value: [1, 2] },
    { op: "add", path: "/e", value: "y/z" },
  ]);
  assert.deepEqual(jsonPatchDiff({ "a/b": { "c~d": 1 } }, { "a/b": { "c~d": 2 } }), [{ op: "replace", path: "/a~1b/c~0d", value: 2 }]);
});
