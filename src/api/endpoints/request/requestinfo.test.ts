import { test } from "node:test";
import assert from "node:assert/strict";
import { isLongRunning, isMutating, parseBool, requestInfoFor } from "./requestinfo.ts";

// Ported from TestGetAPIRequestInfo (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go):
// method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name.
const SUCCESS: [string, string, string, string, string, string, string, string, string, string][] = [
  ["GET", "/api/v1/namespaces", "list", "api", "", "v1", "", "namespaces", "", ""],
  ["GET", "/api/v1/namespaces/other", "get", "api", "", "v1", "other", "namespaces", "", "other"],
  ["GET", "/api/v1/namespaces/other/pods", "list", "api", "", "v1", "other", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods/foo", "get", "api", "", "v1", "other", "pods", "", "foo"],
  ["HEAD", "/api/v1/namespaces/other/pods/foo", "get", "api", "", "v1", "other", "pods", "", "foo"],
  ["GET", "/api/v1/pods", "list", "api", "", "v1", "", "pods", "", ""],
  ["HEAD", "/api/v1/pods", "list", "api", "", "v1", "", "pods", "", ""],
  // special verbs
  ["GET", "/api/v1/proxy/namespaces/other/pods/foo", "proxy", "api", "", "v1", "other", "pods", "", "foo"],
  ["GET", "/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource", "proxy", "api", "", "v1", "other", "pods", "", "foo"],
  ["GET", "/api/v1/watch/pods", "watch", "api", "", "v1", "", "pods", "", ""],
  ["GET", "/api/v1/pods?watch=true", "watch", "api", "", "v1", "", "pods", "", ""],
  ["GET", "/api/v1/pods?watch=false", "list", "api", "", "v1", "", "pods", "", ""],
  ["GET", "/api/v1/watch/namespaces/other/pods", "watch", "api", "", "v1", "other", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods?watch=1", "watch", "api", "", "v1", "other", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods?watch=0", "list", "api", "", "v1", "other", "pods", "", ""],
  // subresource identification
  ["GET", "/api/v1/namespaces/other/pods/foo/status", "get", "api", "", "v1", "other", "pods", "status", "foo"],
  ["GET", "/api/v1/namespaces/other/pods/foo/proxy/subpath", "get", "api", "", "v1", "other", "pods", "proxy", "foo"],
  ["PUT", "/api/v1/namespaces/other/finalize", "update", "api", "", "v1", "other", "namespaces", "finalize", "other"],
  ["PUT", "/api/v1/namespaces/other/status", "update", "api", "", "v1", "other", "namespaces", "status", "other"],
  // verb identification
  ["PATCH", "/api/v1/namespaces/other/pods/foo", "patch", "api", "", "v1", "other", "pods", "", "foo"],
  ["DELETE", "/api/v1/namespaces/other/pods/foo", "delete", "api", "", "v1", "other", "pods", "", "foo"],
  ["POST", "/api/v1/namespaces/other/pods", "create", "api", "", "v1", "other", "pods", "", ""],
  // deletecollection verb identification
  ["DELETE", "/api/v1/nodes", "deletecollection", "api", "", "v1", "", "nodes", "", ""],
  ["DELETE", "/api/v1/namespaces", "deletecollection", "api", "", "v1", "", "namespaces", "", ""],
  ["DELETE", "/api/v1/namespaces/other/pods", "deletecollection", "api", "", "v1", "other", "pods", "", ""],
  ["DELETE", "/apis/extensions/v1/namespaces/other/pods", "deletecollection", "apis", "extensions", "v1", "other", "pods", "", ""],
  // api group and version identification
  ["POST", "/apis/extensions/v1/namespaces/other/pods", "create", "apis", "extensions", "v1", "other", "pods", "", ""],
  ["POST", "/apis/extensions/v1beta3/namespaces/other/pods", "create", "apis", "extensions", "v1beta3", "other", "pods", "", ""],
];

test("request info of resource requests (upstream's TestGetAPIRequestInfo table)", () => {
  for (const [method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name] of SUCCESS) {
    const info = requestInfoFor(method, url);
    assert.equal(info.isResourceRequest, true, url);
    assert.deepEqual(
      { verb: info.verb, apiPrefix: info.apiPrefix, apiGroup: info.apiGroup, apiVersion: info.apiVersion, namespace: info.namespace, resource: info.resource, subresource: info.subresource, name: info.name },
      { verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name },
      `${method} ${url}`,
    );
  }
});

test("non-resource requests (upstream's error cases and TestGetNonAPIRequestInfo)", () => {
  for (const url of ["/", "/api/version/", "/apis/group/version/", "/badprefix/version/resource", "/apis/version/resource", "/not-api/version/resource", "/apis/extensions/v1beta1", "/apis/extensions/v1beta1/", "/api/version", "/api", ""]) {
    const info = requestInfoFor("GET", url);
    assert.equal(info.isResourceRequest, false, url);
    assert.equal(info.verb, "get", url);
  }
  for (const url of ["/api/version/resource", "/apis/group/version/resource/name/subresource", "/api/version/resource/name/subresource", "/apis/batch/v1/job", "/apis/batch/v1/job/foo", "/apis/batch/v1/job/foo/scale"]) {
    assert.equal(requestInfoFor("GET", url).isResourceRequest, true, url);
  }
  assert.equal(requestInfoFor("POST", "/kube-scenario/v1/advance").verb, "post");
});

test("long-running requests (watch, exec, logs) and mutating verbs, as kube-apiserver's in-flight filter counts them", () => {
  assert.equal(isLongRunning(requestInfoFor("GET", "/api/v1/namespaces/a/pods?watch=true")), true);
  assert.equal(isLongRunning(requestInfoFor("GET", "/api/v1/namespaces/a/pods?watch=false")), false);
  assert.equal(isLongRunning(requestInfoFor("GET", "/api/v1/namespaces/a/pods/p/log")), true);
  assert.equal(isLongRunning(requestInfoFor("GET", "/api/v1/namespaces/a/pods/p/exec?command=ls")), true);
  assert.equal(isLongRunning(requestInfoFor("GET", "/api/v1/namespaces/a/pods/p")), false);
  assert.equal(isMutating(requestInfoFor("GET", "/api/v1/pods")), false);
  assert.equal(isMutating(requestInfoFor("POST", "/api/v1/namespaces/a/pods")), true);
  assert.equal(isMutating(requestInfoFor("DELETE", "/api/v1/namespaces/a/pods")), true);
  assert.equal(isMutating(requestInfoFor("GET", "/version")), false);
});

test("parseBool is Go's strconv.ParseBool", () => {
  for (const t of ["1", "t", "T", "TRUE", "true", "True"]) assert.equal(parseBool(t), true);
  for (const f of ["0", "f", "F", "FALSE", "false", "False"]) assert.equal(parseBool(f), false);
  for (const x of ["yes", "tRUE", "", " true", "2"]) assert.equal(parseBool(x), undefined);
});
