import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../../store.ts";
import { SimClock } from "../../../sim/clock.ts";
import { ApiError } from "../../errors.ts";
import { dispatch, parseRoute } from "./installer.ts";
import type { FrontEndHooks, RequestScope } from "./rest.ts";

const NOW = "2024-01-08T00:00:00Z";

function scope(api: ApiServer, clock: SimClock, method: string, gv: string, rest: string, body = "", headers: Record<string, string> = {}, hooks?: FrontEndHooks): RequestScope {
  const [path, qs] = rest.split("?");
  const route = parseRoute(api.registry, gv, path!);
  assert.ok(route, `no route for ${rest}`);
  return { cluster: { api, clock }, route, r: route.r, ns: route.r.namespaced ? route.namespace : undefined, method, query: new URLSearchParams(qs), req: { headers: { "user-agent": "curl/8.5.0", ...headers } }, body, warnings: [], delta: 0, ...(hooks ? { hooks } : {}) };
}

const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return `${e.code} ${e.message}`;
    throw e;
  }
  return "no error";
};

test("parseRoute: installer.go's paths (namespaced, cluster-scoped, subresources, the watch prefix)", () => {
  const api = new ApiServer(new SimClock(NOW));
  const r = (gv: string, p: string) => {
    const x = parseRoute(api.registry, gv, p);
    return x && [x.r.kind, x.namespace, x.name, x.sub, x.watch];
  };
  assert.deepEqual(r("v1", "namespaces/a/pods/p/status"), ["Pod", "a", "p", "status", undefined]);
  assert.deepEqual(r("v1", "nodes/n1"), ["Node", undefined, "n1", undefined, undefined]);
  assert.deepEqual(r("apps/v1", "watch/namespaces/a/deployments"), ["Deployment", "a", undefined, undefined, true]);
  assert.deepEqual(r("v1", "namespaces/a"), ["Namespace", undefined, "a", undefined, undefined]);
  assert.equal(r("v1", "namespaces/a/pods/p/status/x"), undefined);
  assert.equal(r("apps/v1", "pods"), undefined);
});

test("dispatch: the verbs' handlers, and what a front end without hooks does not serve (watches, Tables, other subresources)", () => {
  const clock = new SimClock(NOW);
  const api = new ApiServer(clock);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const created = dispatch(scope(api, clock, "POST", "v1", "namespaces/default/configmaps", '{"metadata":{"name":"c"},"data":{"a":"1"}}'));
  assert.equal(created?.code, 201);
  assert.deepEqual((api.get("ConfigMap", "default", "c")?.metadata.managedFields as Array<{ manager: string }>).map((m) => m.manager), ["curl"]);
  // A strategic merge patch, a dry-run one (nothing stored), a list with a selector.
  assert.equal(dispatch(scope(api, clock, "PATCH", "v1", "namespaces/default/configmaps/c", '{"data":{"b":"2"}}', { "content-type": "application/strategic-merge-patch+json" }))?.code, 200);
  dispatch(scope(api, clock, "PATCH", "v1", "namespaces/default/configmaps/c?dryRun=All", '{"data":{"c":"3"}}', { "content-type": "application/merge-patch+json" }));
  assert.deepEqual(api.get("ConfigMap", "default", "c")?.data, { a: "1", b: "2" });
  const list = dispatch(scope(api, clock, "GET", "v1", "namespaces/default/configmaps?fieldSelector=metadata.name%3Dnope"));
  assert.deepEqual((list?.body as { items: unknown[] }).items, []);
  // Without hooks: a watch, and a streaming subresource, are 404s saying where they are served;
  // the registry's subresources (scale, binding, eviction, token) are served by every front end.
  assert.match(reasonOf(() => dispatch(scope(api, clock, "GET", "v1", "namespaces/default/configmaps?watch=1"))), /^404 .*serves watches only through kube-scenario serve/);
  api.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "default" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } });
  const scale = dispatch(scope(api, clock, "GET", "apps/v1", "namespaces/default/deployments/d/scale"))!;
  assert.deepEqual([scale.code, (scale.body as { kind: string; spec: unknown }).kind, (scale.body as { spec: unknown }).spec], [200, "Scale", { replicas: 1 }]);
  api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  assert.match(reasonOf(() => dispatch(scope(api, clock, "GET", "v1", "namespaces/default/pods/p/log"))), /^404 .*serves GET of log only through kube-scenario serve/);
  // A subresource the resource does not have is a 404, a verb the subresource does not take a 405.
  assert.equal(reasonOf(() => dispatch(scope(api, clock, "GET", "v1", "namespaces/default/configmaps/c/scale"))), "404 the server could not find the requested resource");
  assert.match(reasonOf(() => dispatch(scope(api, clock, "POST", "v1", "namespaces/default/configmaps/c"))), /^405 /);
  // With hooks: the front end's watch, Table and subresources.
  const seen: string[] = [];
  const hooks: FrontEndHooks = {
    watch: () => void seen.push("watch"),
    table: (_s, items) => ({ kind: "Table", rows: items.length }),
    subresource: (_s, name, sub) => (sub === "log" ? { code: 200, body: { name } } : false),
  };
  dispatch(scope(api, clock, "GET", "v1", "namespaces/default/configmaps?watch=1", "", {}, hooks));
  assert.deepEqual(seen, ["watch"]);
  assert.deepEqual(dispatch(scope(api, clock, "GET", "v1", "namespaces/default/configmaps", "", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" }, hooks))?.body, { kind: "Table", rows: 1 });
  assert.deepEqual(dispatch(scope(api, clock, "GET", "v1", "namespaces/default/pods/p/log", "", {}, hooks))?.body, { name: "p" });
});
