import { test } from "node:test";
import assert from "node:assert/strict";
import { admissionReport, backgroundReport, goJSON, gvrLabels, gvrOf, mergeResults, policyReport, policyRuleMap, resourceHash, sortResults, summarize, toResult, type ReportResult } from "./reports.ts";
import type { Policy } from "./policy.ts";
import type { EngineResponse } from "./engine.ts";

const policy = (name: string, extra: Partial<Policy["spec"]> = {}, annotations: Record<string, string> = {}, ns?: string): Policy =>
  ({
    apiVersion: "kyverno.io/v1",
    kind: ns ? "Policy" : "ClusterPolicy",
    metadata: { name, ...(ns ? { namespace: ns } : {}), resourceVersion: "42", uid: "p-uid", annotations },
    spec: { rules: [{ name: "check-team", match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { pattern: { metadata: { labels: { team: "?*" } } } } }], ...extra },
  }) as unknown as Policy;

const result = (policyName: string, rule: string, seconds: number, r: ReportResult["result"] = "pass"): ReportResult => ({ source: "kyverno", policy: policyName, rule, result: r, scored: true, properties: { process: "background scan" }, timestamp: { nanos: 0, seconds } });

test("toResult: ToPolicyReportResult's fields, severity and category from the policy's annotations", () => {
  const p = policy("require-labels", {}, { "policies.kyverno.io/severity": "medium", "policies.kyverno.io/category": "Best Practices" });
  assert.deepEqual(toResult(p, { name: "check-team", type: "Validation", status: "fail", message: "validation error: x" }, 1_704_672_060_999), {
    source: "kyverno",
    policy: "require-labels",
    rule: "check-team",
    message: "validation error: x",
    result: "fail",
    scored: true,
    properties: { process: "background scan" },
    timestamp: { nanos: 0, seconds: 1_704_672_060 },
    category: "Best Practices",
    severity: "medium",
  });
});

test("toResult: an unscored policy's failure is a warning; an unknown severity is dropped; process follows background then admission", () => {
  const p = policy("p", { background: false }, { "policies.kyverno.io/scored": "false", "policies.kyverno.io/severity": "urgent" });
  const r = toResult(p, { name: "r", type: "Validation", status: "fail", message: "m" }, 0);
  assert.equal(r.result, "warn");
  assert.equal(r.scored, undefined);
  assert.equal(r.severity, undefined);
  assert.deepEqual(r.properties, { process: "admission review" });
  assert.deepEqual(toResult(policy("q", { background: false, admission: false }), { name: "r", type: "Validation", status: "pass", message: "" }, 0).properties, { process: "" });
});

test("toResult: a Policy's key is namespace/name", () => {
  assert.equal(toResult(policy("p", {}, {}, "team-a"), { name: "r", type: "Validation", status: "pass", message: "" }, 0).policy, "team-a/p");
});

test("sortResults and summarize: by policy, rule, source, timestamp; counts per result", () => {
  const rs = sortResults([result("b", "r1", 5, "fail"), result("a", "r2", 1), result("a", "r1", 9, "skip"), result("a", "r1", 3, "error")]);
  assert.deepEqual(
    rs.map((r) => `${r.policy}/${r.rule}@${r.timestamp.seconds}`),
    ["a/r1@3", "a/r1@9", "a/r2@1", "b/r1@5"],
  );
  assert.deepEqual(summarize(rs), { error: 1, fail: 1, pass: 1, skip: 1, warn: 0 });
});

test("gvrLabels and gvrOf: core and grouped resources, and the three labels past 63 characters", () => {
  assert.deepEqual(gvrLabels({ group: "", version: "v1", kind: "Pod", resource: "pods" }), { "audit.kyverno.io/resource.gvr": "pods.v1" });
  assert.deepEqual(gvrLabels({ group: "apps", version: "v1", kind: "Deployment", resource: "deployments" }), { "audit.kyverno.io/resource.gvr": "deployments.v1.apps" });
  assert.deepEqual(gvrOf({ "audit.kyverno.io/resource.gvr": "deployments.v1.apps" }), { group: "apps", version: "v1", resource: "deployments" });
  assert.deepEqual(gvrOf({ "audit.kyverno.io/resource.gvr": "ingresses.v1.networking.k8s.io" }), { group: "networking.k8s.io", version: "v1", resource: "ingresses" });
  assert.deepEqual(gvrOf({ "audit.kyverno.io/resource.gvr": "pods.v1" }), { group: "", version: "v1", resource: "pods" });
  const long = { group: "averyveryverylonggroupname.example.com", version: "v1alpha1", kind: "Thing", resource: "thingswithalongname" };
  const labels = gvrLabels(long);
  assert.equal(labels["audit.kyverno.io/resource.gvr"], undefined);
  assert.deepEqual(gvrOf(labels), { group: long.group, version: long.version, resource: long.resource });
});

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "nginx", namespace: "default", uid: "pod-uid", labels: { team: "backend" } }, spec: { nodeName: "n1", containers: [{ name: "nginx", image: "nginx" }] }, status: { phase: "Running" } };
const pass = (p: Policy): EngineResponse => ({ policy: p, rules: [{ name: "check-team", type: "Validation", status: "pass", message: "validation rule 'check-team' passed.", action: "Enforce" }] });

test("admissionReport: named after the request's uid, labelled with the resource and the policies' resourceVersions", () => {
  const p = policy("require-labels");
  const r = admissionReport({ requestUid: "req-1", resource: pod, gvkr: { group: "", version: "v1", kind: "Pod", resource: "pods" }, responses: [pass(p)], nowMs: 10_000 }) as { kind: string; metadata: Record<string, unknown>; spec: { owner: unknown; results: ReportResult[]; summary: unknown } };
  assert.equal(r.kind, "EphemeralReport");
  assert.equal(r.metadata.generateName, "req-1-");
  assert.equal(r.metadata.namespace, "default");
  assert.deepEqual(r.metadata.labels, {
    "app.kubernetes.io/managed-by": "kyverno",
    "audit.kyverno.io/resource.gvr": "pods.v1",
    "audit.kyverno.io/resource.group": "",
    "audit.kyverno.io/resource.kind": "Pod",
    "audit.kyverno.io/resource.uid": "pod-uid",
    "audit.kyverno.io/resource.version": "v1",
    "audit.kyverno.io/source": "admission",
    "cpol.kyverno.io/require-labels": "42",
  });
  assert.deepEqual(r.metadata.annotations, { "audit.kyverno.io/resource.namespace": "default", "audit.kyverno.io/resource.name": "nginx" });
  assert.equal(r.metadata.ownerReferences, undefined);
  assert.deepEqual(r.spec.owner, { apiVersion: "", kind: "", name: "", uid: "" });
  assert.deepEqual(r.spec.summary, { error: 0, fail: 0, pass: 1, skip: 0, warn: 0 });
  assert.equal(admissionReport({ requestUid: "req-2", resource: pod, gvkr: { group: "", version: "v1", kind: "Pod", resource: "pods" }, responses: [], nowMs: 0 }), undefined);
});

test("admissionReport: a cluster-scoped resource gets a ClusterEphemeralReport", () => {
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a", uid: "ns-uid" } };
  const r = admissionReport({ requestUid: "req", resource: ns, gvkr: { group: "", version: "v1", kind: "Namespace", resource: "namespaces" }, responses: [pass(policy("p"))], nowMs: 0 }) as { kind: string; metadata: Record<string, unknown> };
  assert.equal(r.kind, "ClusterEphemeralReport");
  assert.equal(r.metadata.namespace, undefined);
});

test("backgroundReport: owned by the resource, with its hash and the last scan time", () => {
  const p = policy("require-labels");
  const r = backgroundReport({ resource: pod, gvkr: { group: "", version: "v1", kind: "Pod", resource: "pods" }, policies: [p], responses: [pass(p)], nowMs: Date.parse("2024-01-08T00:01:00.500Z") }) as { metadata: { generateName: string; labels: Record<string, string>; annotations: Record<string, string>; ownerReferences: unknown[] } };
  assert.equal(r.metadata.generateName, "pod-uid-");
  assert.deepEqual(r.metadata.ownerReferences, [{ apiVersion: "v1", kind: "Pod", name: "nginx", uid: "pod-uid" }]);
  assert.equal(r.metadata.labels["audit.kyverno.io/source"], "background-scan");
  assert.equal(r.metadata.labels["audit.kyverno.io/resource.hash"], resourceHash(pod));
  assert.equal(r.metadata.labels["audit.kyverno.io/resource.gvr"], undefined);
  assert.equal(r.metadata.annotations["audit.kyverno.io/last-scan-time"], "2024-01-08T00:01:00Z");
});

test("resourceHash: status, metadata and spec.nodeName do not count; labels and the spec do", () => {
  const h = resourceHash(pod);
  assert.match(h, /^[0-9a-f]{32}$/);
  assert.equal(resourceHash({ ...pod, status: { phase: "Pending" }, metadata: { ...pod.metadata, resourceVersion: "9" }, spec: { ...pod.spec, nodeName: "n2" } }), h);
  assert.notEqual(resourceHash({ ...pod, metadata: { ...pod.metadata, labels: { team: "x" } } }), h);
  assert.notEqual(resourceHash({ ...pod, spec: { ...pod.spec, containers: [{ name: "nginx", image: "nginx:1" }] } }), h);
});

test("goJSON: encoding/json's sorted keys and HTML escapes", () => {
  assert.equal(goJSON({ b: 1, a: ["<x>", "&"], c: null }), '{"a":["\\u003cx\\u003e","\\u0026"],"b":1,"c":null}');
});

test("mergeResults: the newest result per rule wins; results of deleted policies and rules are dropped", () => {
  const p = policy("require-labels");
  const map = policyRuleMap([p]);
  assert.deepEqual([...(map.get("require-labels") ?? [])].sort(), ["autogen-check-team", "autogen-cronjob-check-team", "check-team"]);
  const merged = mergeResults(map, "uid", [[result("require-labels", "check-team", 5, "fail")], [result("require-labels", "check-team", 9, "pass"), result("gone", "check-team", 9)], [result("require-labels", "removed-rule", 9)]]);
  assert.deepEqual(merged, [result("require-labels", "check-team", 9, "pass")]);
  assert.deepEqual(mergeResults(map, "uid", [[result("require-labels", "check-team", 9, "pass")], [result("require-labels", "check-team", 5, "fail")]]), [result("require-labels", "check-team", 9, "pass")]);
});

test("policyReport: named by the resource's uid, its scope and owner the resource", () => {
  const r = policyReport("default", { apiVersion: "v1", kind: "Pod", name: "nginx", uid: "pod-uid" }, [result("p", "r", 1, "fail")]) as Record<string, unknown>;
  assert.deepEqual(r, {
    apiVersion: "wgpolicyk8s.io/v1alpha2",
    kind: "PolicyReport",
    metadata: { name: "pod-uid", namespace: "default", labels: { "app.kubernetes.io/managed-by": "kyverno" }, ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "nginx", uid: "pod-uid" }] },
    scope: { apiVersion: "v1", kind: "Pod", name: "nginx", namespace: "default", uid: "pod-uid" },
    results: [result("p", "r", 1, "fail")],
    summary: { error: 0, fail: 1, pass: 0, skip: 0, warn: 0 },
  });
  assert.equal((policyReport("", { apiVersion: "v1", kind: "Namespace", name: "a", uid: "u" }, []) as { kind: string }).kind, "ClusterPolicyReport");
});
