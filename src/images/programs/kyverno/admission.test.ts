/**
 * The admission controller's pieces that need no cluster (the features/apps/kyverno.feature
 * scenarios run the whole program): the webhook rules as pkg/controllers/webhook
 * buildRulesWithOperations orders them, and the ConfigMap as pkg/config reads it.
 */
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import type { KObject } from "../../../api/types.ts";
import { readConfiguration, WebhookRules } from "./admission.ts";
import { canonical, klogText } from "./common.ts";
import { filtered } from "./policy.ts";

test("buildRulesWithOperations: grouped by group, version and scope, sorted; pods bring pods/ephemeralcontainers", () => {
  const w = new WebhookRules();
  const all = ["CREATE", "UPDATE", "DELETE", "CONNECT"] as const;
  for (const [group, resource] of [["", "pods"], ["apps", "deployments"], ["apps", "daemonsets"], ["batch", "cronjobs"], ["batch", "jobs"], ["", "replicationcontrollers"]] as const) w.set({ group, version: "v1", resource, scope: "Namespaced" }, [...all]);
  assert.deepEqual(w.build(), [
    { apiGroups: [""], apiVersions: ["v1"], operations: ["CONNECT", "CREATE", "DELETE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers"], scope: "Namespaced" },
    { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CONNECT", "CREATE", "DELETE", "UPDATE"], resources: ["daemonsets", "deployments"], scope: "Namespaced" },
    { apiGroups: ["batch"], apiVersions: ["v1"], operations: ["CONNECT", "CREATE", "DELETE", "UPDATE"], resources: ["cronjobs", "jobs"], scope: "Namespaced" },
  ]);
  const m = new WebhookRules();
  m.set({ group: "", version: "v1", resource: "namespaces", scope: "*" }, ["CREATE", "UPDATE"]);
  m.set({ group: "", version: "v1", resource: "secrets", scope: "Namespaced" }, ["CREATE", "UPDATE", "DELETE"]);
  assert.deepEqual(m.build().map((r) => [r.resources, r.operations, r.scope]), [
    [["namespaces"], ["CREATE", "UPDATE"], "*"],
    [["secrets"], ["CREATE", "DELETE", "UPDATE"], "Namespaced"],
  ]);
  assert.equal(new WebhookRules().empty, true);
});

test("the release's ConfigMap: resource filters, the webhooks' namespaceSelector, excluded groups, annotations", () => {
  const docs = parseAllDocuments(readFileSync(new URL("../../../../exercises/apps/kyverno/install.yaml", import.meta.url), "utf8")).map((d) => d.toJS() as KObject);
  const cm = docs.find((d) => d?.kind === "ConfigMap" && d.metadata.name === "kyverno")!;
  const cfg = readConfiguration(cm);
  assert.deepEqual(cfg.excludeGroups, ["system:nodes"]);
  assert.deepEqual(cfg.namespaceSelector, { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }, { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kyverno"] }] });
  assert.deepEqual(cfg.webhookAnnotations, { "admissions.enforcer/disabled": "true" });
  assert.equal(filtered(cfg.filters, "Pod", "", "kyverno", "kyverno-admission-controller-abc"), true);
  assert.equal(filtered(cfg.filters, "ReplicaSet", "", "default", "nginx-1"), true);
  assert.equal(filtered(cfg.filters, "Deployment", "", "default", "nginx"), false);
  assert.deepEqual(readConfiguration(undefined), { filters: [], excludeGroups: [] });
});

test("canonical JSON ignores key order; logr's text lines", () => {
  assert.equal(canonical({ b: 1, a: [{ d: 2, c: 3 }] }), canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  assert.notEqual(canonical({ a: [1, 2] }), canonical({ a: [2, 1] }));
  assert.equal(klogText(Date.UTC(2024, 0, 8), "I", "main.go:1", "starting ...", { version: "v1.14.5" }), 'I0108 00:00:00.000000       1 main.go:1] "starting ..." version="v1.14.5"');
});
