/**
 * pkg/engine/validate/validate_test.go at v1.14.5: the pattern/resource pairs of its TestValidateMap*
 * tests (testdata/validate_test.json, extracted from the Go file: each test's rawPattern, rawMap and
 * the path and error it asserts), and anchor cases from the engine's documentation.
 */
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { matchPattern, parseAnchor, validateElement } from "./validate.ts";

const CASES = JSON.parse(readFileSync(new URL("./testdata/validate_test.json", import.meta.url), "utf8")) as Array<{ name: string; pattern: unknown; resource: unknown; path: string; ok: boolean }>;

test("validate_test.go's TestValidateMap* pairs give the same path and outcome", () => {
  assert.ok(CASES.length >= 15);
  for (const c of CASES) {
    const r = validateElement(c.resource, c.pattern);
    assert.equal(r.path, c.path, c.name);
    assert.equal(r.err === undefined, c.ok, `${c.name}: ${r.err?.message}`);
  }
});

test("anchor.Parse: the six anchors and plain keys", () => {
  assert.deepEqual(parseAnchor("(name)"), { type: "", key: "name" });
  assert.deepEqual(parseAnchor("<(name)"), { type: "<", key: "name" });
  assert.deepEqual(parseAnchor("X(hostPath)"), { type: "X", key: "hostPath" });
  assert.deepEqual(parseAnchor("+(team)"), { type: "+", key: "team" });
  assert.deepEqual(parseAnchor("=(image)"), { type: "=", key: "image" });
  assert.deepEqual(parseAnchor("^(containers)"), { type: "^", key: "containers" });
  assert.equal(parseAnchor("name"), undefined);
  assert.equal(parseAnchor("()"), undefined);
});

const pod = (labels: Record<string, string>, containers: object[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels }, spec: { containers } });

test("MatchPattern: the quick start's require-labels pattern", () => {
  const pattern = { metadata: { labels: { team: "?*" } } };
  assert.equal(matchPattern(pod({ team: "backend" }, []), pattern), undefined);
  const e = matchPattern(pod({ run: "nginx" }, []), pattern)!;
  assert.equal(e.path, "/metadata/labels/team/");
  assert.equal(e.skip, false);
  assert.equal(e.message, "resource value '<nil>' does not match '?*' at path /metadata/labels/team/");
});

test("MatchPattern: a conditional anchor that does not hold skips; a negation anchor fails", () => {
  const cond = { spec: { containers: [{ "(name)": "web*", image: "nginx:*" }] } };
  assert.equal(matchPattern(pod({}, [{ name: "db", image: "mysql" }]), cond)?.skip, true);
  assert.equal(matchPattern(pod({}, [{ name: "web", image: "nginx:1.27" }]), cond), undefined);
  assert.equal(matchPattern(pod({}, [{ name: "web", image: "httpd" }]), cond)?.skip, false);
  const neg = { spec: { "X(hostNetwork)": "null" } };
  const e = matchPattern({ spec: { hostNetwork: true } }, neg)!;
  assert.equal(e.skip, false);
  assert.equal(e.message, "negation anchor matched in resource: /spec/hostNetwork/ is not allowed");
});

test("MatchPattern: equality and existence anchors; a global anchor that fails skips the rule", () => {
  const eq = { spec: { "=(hostPID)": false } };
  assert.equal(matchPattern({ spec: {} }, eq), undefined);
  assert.equal(matchPattern({ spec: { hostPID: true } }, eq)?.path, "/spec/hostPID/");
  const ex = { spec: { "^(containers)": [{ image: "nginx*" }] } };
  assert.equal(matchPattern(pod({}, [{ image: "redis" }, { image: "nginx:1" }]), ex), undefined);
  assert.ok(matchPattern(pod({}, [{ image: "redis" }]), ex));
  const glob = { spec: { containers: [{ "<(image)": "*:latest", imagePullPolicy: "Always" }] } };
  assert.equal(matchPattern(pod({}, [{ image: "nginx:1.27", imagePullPolicy: "IfNotPresent" }]), glob)?.skip, true);
  assert.equal(matchPattern(pod({}, [{ image: "nginx:latest", imagePullPolicy: "IfNotPresent" }]), glob)?.skip, false);
});

test("wildcards.ExpandInMetadata: a wildcard label key matches the resource's key", () => {
  const pattern = { metadata: { labels: { "app.kubernetes.io/*": "?*" } } };
  assert.equal(matchPattern(pod({ "app.kubernetes.io/name": "web" }, []), pattern), undefined);
  assert.ok(matchPattern(pod({ other: "x" }, []), pattern));
});
