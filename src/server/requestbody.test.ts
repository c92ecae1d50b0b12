import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { checkContentType, mediaTypeOf } from "./requestbody.ts";
import { requestInfoFor } from "./requestinfo.ts";

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;
const check = (method: string, path: string, headers: Record<string, string>) => checkContentType(req(method, headers), requestInfoFor(method, path));

test("media types: parameters dropped, lower-cased", () => {
  assert.equal(mediaTypeOf("Application/JSON; charset=utf-8"), "application/json");
  assert.equal(mediaTypeOf(undefined), "");
});

test("which bodies the API server decodes: JSON, YAML and protobuf for writes, the four patch types for PATCH; none needed without a body", () => {
  for (const t of ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf", "application/json;charset=utf-8"]) assert.doesNotThrow(() => check("POST", "/api/v1/namespaces/a/pods", { "content-type": t }), t);
  assert.doesNotThrow(() => check("POST", "/api/v1/namespaces/a/pods", {}));
  for (const t of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/merge-patch+json", "*/*"]) {
    assert.throws(() => check("PUT", "/api/v1/namespaces/a/pods/p", { "content-type": t }), (e: { code: number; reason: string }) => e.code === 415 && e.reason === "UnsupportedMediaType", t);
  }
  for (const t of ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]) assert.doesNotThrow(() => check("PATCH", "/api/v1/nodes/n", { "content-type": t }), t);
  assert.throws(() => check("PATCH", "/api/v1/nodes/n", { "content-type": "application/json" }), /application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json, application\/apply-patch\+yaml$/);
  assert.throws(() => check("PATCH", "/api/v1/nodes/n", {}), /415|unknown format/);
  assert.doesNotThrow(() => check("GET", "/api/v1/pods", { "content-type": "text/plain" }));
  assert.doesNotThrow(() => check("DELETE", "/api/v1/namespaces/a/pods/p", { "content-type": "text/plain" }));
  assert.throws(() => check("DELETE", "/api/v1/namespaces/a/pods/p", { "content-type": "text/plain", "content-length": "2" }), /unknown format/);
  assert.throws(() => check("POST", "/kube-scenario/v1/advance", { "content-type": "text/plain" }), /unknown format/);
});
