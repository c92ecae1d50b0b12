import { test } from "node:test";
import assert from "node:assert/strict";
import { hostnameMatches, intersectHostnames, matchScore, normalizeMatch, pickBackend, routeRequest, type RouteRule } from "./gatewayapi.ts";

// gateway-api apis/v1/httproute_types.go (Hostnames) and gateway_types.go (Listener.Hostname).
test("a wildcard hostname covers one or more labels, never the bare suffix", () => {
  assert.equal(hostnameMatches("*.example.com", "foo.example.com"), true);
  assert.equal(hostnameMatches("*.example.com", "foo.bar.example.com"), true);
  assert.equal(hostnameMatches("*.example.com", "example.com"), false);
  assert.equal(hostnameMatches("www.example.com", "WWW.example.com"), true);
});

test("hostname intersection: the listener's hostname narrows the route's; none means no attachment", () => {
  assert.deepEqual(intersectHostnames(undefined, ["www.example.com"]), ["www.example.com"]);
  assert.deepEqual(intersectHostnames("*.example.com", undefined), ["*.example.com"]);
  assert.deepEqual(intersectHostnames("*.example.com", ["www.example.com", "other.org"]), ["www.example.com"]);
  assert.deepEqual(intersectHostnames("foo.example.com", ["*.example.com"]), ["foo.example.com"]);
  assert.equal(intersectHostnames("foo.example.com", ["bar.example.com"]), undefined);
});

const rule = (name: string, hostnames: string[], matches: Parameters<typeof normalizeMatch>[0][], created = "2024-01-08T00:00:00Z"): RouteRule => ({
  name,
  hostnames,
  matches: matches.map(normalizeMatch),
  backends: [],
  created,
  key: `default/${name}`,
});

const req = (path: string, host = "www.example.com", headers: Record<string, string> = {}, method = "GET") => ({ host, method, path, headers });

test("precedence: Exact path, then the longest prefix, then headers; ties go to the oldest route", () => {
  const rules = [
    rule("prefix-root", [], [{}]),
    rule("prefix-login", [], [{ path: { type: "PathPrefix", value: "/login" } }]),
    rule("exact-login", [], [{ path: { type: "Exact", value: "/login" } }]),
    rule("header", [], [{ path: { type: "PathPrefix", value: "/login" }, headers: [{ name: "env", value: "canary" }] }]),
    rule("newer-root", [], [{}], "2024-01-09T00:00:00Z"),
  ];
  assert.equal(routeRequest(rules, req("/login"))?.name, "exact-login");
  assert.equal(routeRequest(rules, req("/login/x"))?.name, "prefix-login");
  assert.equal(routeRequest(rules, req("/login/x", "h", { Env: "canary" }))?.name, "header");
  assert.equal(routeRequest(rules, req("/loginx"))?.name, "prefix-root");
});

test("the most specific hostname picks the virtual host before any path", () => {
  const rules = [rule("wild", ["*.example.com"], [{ path: { type: "PathPrefix", value: "/a" } }]), rule("exact", ["www.example.com"], [{ path: { type: "Exact", value: "/b" } }])];
  assert.equal(routeRequest(rules, req("/b"))?.name, "exact");
  assert.equal(routeRequest(rules, req("/a")), undefined, "www.example.com's virtual host has no /a");
  assert.equal(routeRequest(rules, req("/a", "foo.example.com"))?.name, "wild");
  assert.equal(routeRequest(rules, req("/a", "example.org")), undefined);
});

test("PathPrefix matches whole path elements; method and query parameters must match", () => {
  const m = normalizeMatch({ path: { type: "PathPrefix", value: "/foo" }, method: "POST", queryParams: [{ name: "v", value: "2" }] });
  assert.equal(matchScore(m, req("/foo/bar?v=2", "h", {}, "POST")) >= 0, true);
  assert.equal(matchScore(m, req("/foobar?v=2", "h", {}, "POST")), -1);
  assert.equal(matchScore(m, req("/foo?v=2")), -1);
  assert.equal(matchScore(m, req("/foo?v=3", "h", {}, "POST")), -1);
});

test("weighted backends: each takes its share in turn", () => {
  const a = { service: "a", weight: 1, endpoints: [] };
  const b = { service: "b", weight: 3, endpoints: [] };
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => pickBackend([a, b], n)?.service), ["a", "b", "b", "b", "a"]);
  assert.equal(pickBackend([{ ...a, weight: 0 }], 0), undefined);
});
