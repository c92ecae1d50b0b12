import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./errors.ts";
import { applyPatch, checkPatchType, parsePatch } from "./patch.ts";
import type { ResourceType } from "./resources.ts";
import type { KObject } from "./types.ts";

const pod = (): KObject =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", labels: { app: "web", tier: "front" } },
    spec: { containers: [{ name: "web", image: "nginx", env: [{ name: "A", value: "1" }] }, { name: "side", image: "busybox" }] },
  }) as KObject;

const apiError = (reason: string, message: string) => (e: unknown) => e instanceof ApiError && e.reason === reason && e.message === message;

test("strategic merge patch: containers merge by name, env by name, null deletes a label", () => {
  const out = applyPatch(pod(), { metadata: { labels: { tier: null } }, spec: { containers: [{ name: "web", env: [{ name: "B", value: "2" }] }] } }, "strategic");
  assert.deepEqual(out.metadata.labels, { app: "web" });
  assert.deepEqual(out.spec.containers[0].env, [{ name: "B", value: "2" }, { name: "A", value: "1" }]);
  assert.equal(out.spec.containers.length, 2);
});

test("JSON merge patch replaces lists whole", () => {
  const out = applyPatch(pod(), { spec: { containers: [{ name: "web", image: "nginx:2" }] } }, "merge");
  assert.deepEqual(out.spec.containers, [{ name: "web", image: "nginx:2" }]);
});

test("the current object is left as it was", () => {
  const current = pod();
  applyPatch(current, [{ op: "replace", path: "/spec/containers/0/image", value: "x" }], "json");
  assert.equal(current.spec.containers[0].image, "nginx");
});

test("a JSON patch that does not apply is the API server's generic 422", () => {
  assert.throws(
    () => applyPatch(pod(), [{ op: "remove", path: "/metadata/labels/nope" }], "json"),
    (e: unknown) => apiError("Invalid", "the server rejected our request due to an error in our request")(e) && (e as ApiError).details?.causes.length === 0,
  );
});

test("decoding errors as kube-apiserver words them", () => {
  assert.throws(() => parsePatch('{"metadata": {', "strategic"), apiError("BadRequest", "unexpected end of JSON input"));
  assert.throws(() => parsePatch("{x}", "merge"), apiError("BadRequest", "error decoding patch: invalid character 'x' looking for beginning of object key string"));
  assert.throws(() => applyPatch(pod(), [1, 2], "strategic"), apiError("BadRequest", "json: cannot unmarshal array into Go value of type map[string]interface {}"));
  assert.throws(() => applyPatch(pod(), "text", "merge"), apiError("BadRequest", "error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}"));
  assert.throws(() => applyPatch(pod(), { op: "add" }, "json"), apiError("BadRequest", "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"));
  assert.deepEqual(applyPatch(pod(), null, "strategic"), pod());
});

test("custom resources take no strategic merge patch", () => {
  const cr = { crd: "crontabs.stable.example.com", kind: "CronTab" } as ResourceType;
  assert.throws(() => checkPatchType(cr, "strategic"), (e: unknown) => e instanceof ApiError && e.reason === "UnsupportedMediaType");
  checkPatchType(cr, "merge");
  checkPatchType({ kind: "Pod" } as ResourceType, "strategic");
});
