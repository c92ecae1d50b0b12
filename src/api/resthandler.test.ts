import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "./store.ts";
import { SimClock } from "../sim/clock.ts";
import { decodeApplyConfiguration, goJSONText, isPrettyPrint, managerOf, routeOf, serveRest, sortedMaps } from "./resthandler.ts";

const NOW = "2024-01-08T00:00:00Z";
const req = (method: string, path: string, body = "", headers: Record<string, string> = {}) => {
  const u = new URL(path, "http://x");
  return { method, path: u.pathname, query: u.searchParams, headers: { "User-Agent": "curl/8.5.0", ...headers }, body };
};
const answer = (a: ReturnType<typeof serveRest>) => {
  assert.ok(!("route" in a));
  return { status: a.status, body: JSON.parse(a.body) };
};

test("routeOf: installer.go's resource paths (namespaced, cluster-scoped, subresources, proxy)", () => {
  const api = new ApiServer(new SimClock(NOW));
  const r = (p: string) => {
    const x = routeOf(api.registry, p);
    return x && { kind: x.r.kind, ns: x.namespace, name: x.name, sub: x.sub, rest: x.rest };
  };
  assert.deepEqual(r("/api/v1/namespaces/default/pods"), { kind: "Pod", ns: "default", name: undefined, sub: undefined, rest: undefined });
  assert.deepEqual(r("/api/v1/nodes/n1/status"), { kind: "Node", ns: undefined, name: "n1", sub: "status", rest: undefined });
  assert.deepEqual(r("/apis/apps/v1/namespaces/a/deployments/web"), { kind: "Deployment", ns: "a", name: "web", sub: undefined, rest: undefined });
  assert.deepEqual(r("/api/v1/namespaces/a/services/web:80/proxy/x/y"), { kind: "Service", ns: "a", name: "web:80", sub: "proxy", rest: "/x/y" });
  assert.equal(r("/api/v1/nope"), undefined);
  assert.equal(r("/apis/apps/v2/deployments"), undefined);
  assert.equal(r("/healthz"), undefined);
});

test("isPrettyPrint and Go's JSON: indented for curl, compact otherwise; <, >, & escaped", () => {
  assert.equal(isPrettyPrint(new URLSearchParams(), { "User-Agent": "curl/8.5.0" }), true);
  assert.equal(isPrettyPrint(new URLSearchParams(), { "user-agent": "kubectl/v1.32.4" }), false);
  assert.equal(isPrettyPrint(new URLSearchParams("pretty=true"), {}), true);
  assert.equal(goJSONText({ a: "<b>&" }, false), '{"a":"\\u003cb\\u003e\\u0026"}');
  assert.equal(goJSONText({ a: [] }, true), '{\n  "a": []\n}\n');
});

test("sortedMaps: the keys of maps sorted as Go writes a map, struct fields in the object's order", () => {
  const node = { kind: "Node", apiVersion: "v1", metadata: { name: "n", labels: { z: "1", a: "2" } }, status: { capacity: { pods: "110", cpu: "2", "example.com/dongle": "4" }, addresses: [] } };
  const out = sortedMaps(node, "Node") as typeof node;
  assert.deepEqual(Object.keys(out), ["kind", "apiVersion", "metadata", "status"]);
  assert.deepEqual(Object.keys(out.metadata.labels), ["a", "z"]);
  assert.deepEqual(Object.keys(out.status.capacity), ["cpu", "example.com/dongle", "pods"]);
  assert.deepEqual(Object.keys(out.status), ["capacity", "addresses"]);
  const unknown = { x: { b: 1, a: 2 } };
  assert.equal(sortedMaps(unknown, "NoSuchKind"), unknown);
});

test("managerOf: ?fieldManager=, else the User-Agent's product", () => {
  assert.equal(managerOf({ "User-Agent": "curl/8.5.0" }, new URLSearchParams()), "curl");
  assert.equal(managerOf({}, new URLSearchParams("fieldManager=me")), "me");
  assert.equal(managerOf({}, new URLSearchParams()), "unknown");
});

test("serveRest: discovery, GET, create, JSON patch of a status, delete, and the proxy subresource left to the caller", () => {
  const clock = new SimClock(NOW);
  const api = new ApiServer(clock);
  assert.deepEqual(answer(serveRest(api, clock, req("GET", "/api"), "172.18.0.2:6443")).body.serverAddressByClientCIDRs, [{ clientCIDR: "0.0.0.0/0", serverAddress: "172.18.0.2:6443" }]);
  const created = answer(serveRest(api, clock, req("POST", "/api/v1/nodes", '{"metadata":{"name":"n1","labels":{"a":"b"}}}', { "Content-Type": "application/json" }), ""));
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.metadata.managedFields.map((m: { manager: string; operation: string }) => [m.manager, m.operation]), [["curl", "Update"]]);
  const patched = answer(serveRest(api, clock, req("PATCH", "/api/v1/nodes/n1/status", '[{"op":"add","path":"/status","value":{"capacity":{"example.com/dongle":"4"}}}]', { "Content-Type": "application/json-patch+json" }), ""));
  assert.equal(patched.status, 200);
  assert.deepEqual(api.get("Node", "", "n1")?.status?.capacity, { "example.com/dongle": "4" });
  assert.deepEqual(answer(serveRest(api, clock, req("GET", "/api/v1/nodes/n1/status"), "")).body.status.capacity, { "example.com/dongle": "4" });
  const missing = answer(serveRest(api, clock, req("GET", "/api/v1/nodes/n2"), ""));
  assert.deepEqual(missing, { status: 404, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'nodes "n2" not found', reason: "NotFound", details: { name: "n2", kind: "nodes" }, code: 404 } });
  const deleted = answer(serveRest(api, clock, req("DELETE", "/api/v1/nodes/n1"), ""));
  assert.deepEqual([deleted.body.kind, deleted.body.status, deleted.body.details.name], ["Status", "Success", "n1"]);
  assert.ok("route" in serveRest(api, clock, req("GET", "/api/v1/namespaces/default/pods/p/proxy/"), ""));
  assert.equal(answer(serveRest(api, clock, req("GET", "/nope"), "")).status, 404);
});

test("decodeApplyConfiguration: the apply REST's checks, shared by the facade and kubectl proxy", () => {
  const api = new ApiServer(new SimClock(NOW));
  const cm = routeOf(api.registry, "/api/v1/namespaces/default/configmaps/x")!.r;
  assert.deepEqual(decodeApplyConfiguration("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n", cm, "x"), { apiVersion: "v1", kind: "ConfigMap", data: { a: "b" }, metadata: {} });
  assert.throws(() => decodeApplyConfiguration("apiVersion: v1\nkind: Secret\n", cm, "x"), /apiVersion and kind \(v1, Secret\) do not match the resource \(v1, ConfigMap\)/);
  assert.throws(() => decodeApplyConfiguration("apiVersion: v1\nkind: ConfigMap\nmetadata: {managedFields: [{}]}\n", cm, "x"), /metadata.managedFields must be nil/);
  assert.throws(() => decodeApplyConfiguration("apiVersion: v1\nkind: ConfigMap\nmetadata: 3\n", cm, "x"), /cannot unmarshal number into Go struct field ConfigMap.metadata of type v1.ObjectMeta/);
  assert.throws(() => decodeApplyConfiguration("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n", cm, "x"), /the name of the object \(y\) does not match the name on the URL \(x\)/);
  assert.throws(() => decodeApplyConfiguration("[1]", cm, "x"), /the apply configuration is not an object/);
});
