import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { handledBy, hostMatches, pathMatch, routeIngress } from "./ingress.ts";

// The Ingress concept page's "Examples" table of path types and request paths.
const TABLE: Array<[string, string[], string, string | undefined]> = [
  ["Prefix", ["/"], "/anything", "/"],
  ["Exact", ["/foo"], "/foo", "/foo"],
  ["Exact", ["/foo"], "/bar", undefined],
  ["Exact", ["/foo"], "/foo/", undefined],
  ["Exact", ["/foo/"], "/foo", undefined],
  ["Prefix", ["/foo"], "/foo", "/foo"],
  ["Prefix", ["/foo"], "/foo/", "/foo"],
  ["Prefix", ["/foo/"], "/foo", "/foo/"],
  ["Prefix", ["/foo/"], "/foo/", "/foo/"],
  ["Prefix", ["/aaa/bb"], "/aaa/bbb", undefined],
  ["Prefix", ["/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"],
  ["Prefix", ["/aaa/bbb/"], "/aaa/bbb", "/aaa/bbb/"],
  ["Prefix", ["/aaa/bbb"], "/aaa/bbb/", "/aaa/bbb"],
  ["Prefix", ["/aaa/bbb"], "/aaa/bbb/ccc", "/aaa/bbb"],
  ["Prefix", ["/aaa/bbb"], "/aaa/bbbxyz", undefined],
  ["Prefix", ["/", "/aaa"], "/aaa/ccc", "/aaa"],
  ["Prefix", ["/", "/aaa", "/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"],
  ["Prefix", ["/", "/aaa", "/aaa/bbb"], "/ccc", "/"],
  ["Prefix", ["/aaa"], "/ccc", undefined],
];

function ingress(paths: Array<{ path: string; pathType: string }>, extra: Partial<KObject["spec"]> = {}, name = "ing"): KObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace: "default", creationTimestamp: "2024-01-08T00:00:00Z" },
    spec: {
      ingressClassName: "nginx",
      rules: [{ http: { paths: paths.map((p) => ({ ...p, backend: { service: { name: `svc${p.path}${p.pathType}`, port: { number: 80 } } } })) } }],
      ...extra,
    },
  } as KObject;
}

test("the concept page's path matching table", () => {
  for (const [type, paths, request, want] of TABLE) {
    const r = routeIngress([ingress(paths.map((path) => ({ path, pathType: type })))], "any.example", request);
    assert.equal(r?.service, want === undefined ? undefined : `svc${want}${type}`, `${type} ${paths.join(", ")} ← ${request}`);
  }
  // Mixed: /foo (Prefix) and /foo (Exact) → Exact.
  const mixed = routeIngress([ingress([{ path: "/foo", pathType: "Prefix" }, { path: "/foo", pathType: "Exact" }])], "h", "/foo");
  assert.equal(mixed?.service, "svc/fooExact");
  assert.equal(pathMatch("ImplementationSpecific", "/foo", "/foo/bar"), 4);
});

test("hosts: exact, one-label wildcards, a rule without host matches any; specific hosts win", () => {
  assert.ok(hostMatches("foo.bar.com", "FOO.bar.com"));
  assert.ok(hostMatches("*.foo.com", "bar.foo.com"));
  assert.ok(!hostMatches("*.foo.com", "baz.bar.foo.com"));
  assert.ok(!hostMatches("*.foo.com", "foo.com"));
  assert.ok(hostMatches(undefined, "whatever"));
  const anyHost = ingress([{ path: "/", pathType: "Prefix" }], {}, "a");
  const withHost = ingress([{ path: "/", pathType: "Prefix" }], {}, "b");
  withHost.spec.rules[0].host = "foo.bar.com";
  withHost.spec.rules[0].http.paths[0].backend.service.name = "foo";
  assert.equal(routeIngress([anyHost, withHost], "foo.bar.com", "/x")?.service, "foo");
  assert.equal(routeIngress([anyHost, withHost], "other.com", "/x")?.service, "svc/Prefix");
});

test("the class: nginx or none; other classes are another controller's; defaultBackend; rewrite-target", () => {
  const other = ingress([{ path: "/", pathType: "Prefix" }], { ingressClassName: "traefik" });
  assert.ok(!handledBy(other));
  assert.equal(routeIngress([other], "h", "/"), undefined);
  const noClass = ingress([{ path: "/", pathType: "Prefix" }]);
  delete noClass.spec.ingressClassName;
  assert.ok(handledBy(noClass));
  const dflt = { ...ingress([]), spec: { ingressClassName: "nginx", defaultBackend: { service: { name: "fallback", port: { number: 80 } } } } } as KObject;
  assert.equal(routeIngress([dflt], "h", "/x")?.service, "fallback");
  const rw = ingress([{ path: "/testpath", pathType: "Prefix" }]);
  rw.metadata.annotations = { "nginx.ingress.kubernetes.io/rewrite-target": "/" };
  assert.equal(routeIngress([rw], "h", "/testpath")?.path, "/");
  assert.equal(routeIngress([rw], "h", "/testpath/a")?.path, "/a");
});
