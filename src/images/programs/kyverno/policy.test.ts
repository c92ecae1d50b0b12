/**
 * ./policy.ts against Kyverno's own tables (github.com/kyverno/kyverno v1.14.5): autogen
 * (pkg/autogen/v1/autogen_test.go Test_CanAutoGen, testdata/autogen_test.json;
 * Test_getAutogenRuleName), kind selectors (pkg/utils/kube/kind_test.go TestParseKindSelector), and
 * the match/exclude, resource filter and variable cases of pkg/engine/utils and pkg/config.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { canAutoGen, computeRules, filtered, parseKindSelector, parseResourceFilters, requestContext, ruleMatches, substitute, substituteAll, type MatchRequest, type Policy, type PolicySpec, type Rule } from "./policy.ts";

const AUTOGEN = JSON.parse(readFileSync(new URL("./testdata/autogen_test.json", import.meta.url), "utf8")) as { cases: Array<{ name: string; policy: { spec: PolicySpec }; autogen: boolean }> };

test("Test_CanAutoGen: which policies get rules for the pod controllers", () => {
  assert.equal(AUTOGEN.cases.length, 16);
  for (const c of AUTOGEN.cases) assert.equal(canAutoGen(c.policy.spec), c.autogen, c.name);
});

const policy = (rules: Rule[], annotations?: Record<string, string>, kind: "ClusterPolicy" | "Policy" = "ClusterPolicy", namespace?: string): Policy =>
  ({ apiVersion: "kyverno.io/v1", kind, metadata: { name: "p", ...(namespace ? { namespace } : {}), ...(annotations ? { annotations } : {}) }, spec: { rules } }) as Policy;
const podRule = (name: string): Rule => ({ name, match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { message: "m", pattern: { metadata: { labels: { team: "?*" } } } } }) as Rule;

test("Test_getAutogenRuleName: autogen- and autogen-cronjob- names, cut at 63 characters", () => {
  assert.deepEqual(computeRules(policy([podRule("valid-rule-name")])).map((r) => r.name), ["valid-rule-name", "autogen-valid-rule-name", "autogen-cronjob-valid-rule-name"]);
  const long = "too-long-this-rule-name-will-be-truncated-to-63-characters";
  assert.deepEqual(computeRules(policy([podRule(long)])).map((r) => r.name).slice(1), ["autogen-too-long-this-rule-name-will-be-truncated-to-63-charact", "autogen-cronjob-too-long-this-rule-name-will-be-truncated-to-63"]);
});

test("ComputeRules: the generated rules' kinds and patterns; the autogen annotation chooses the controllers", () => {
  const [, pods, cron] = computeRules(policy([podRule("r")]));
  assert.deepEqual(pods!.match.any![0]!.resources!.kinds, ["DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"]);
  assert.deepEqual(pods!.validate!.pattern, { spec: { template: { metadata: { labels: { team: "?*" } } } } });
  assert.deepEqual(cron!.match.any![0]!.resources!.kinds, ["CronJob"]);
  assert.deepEqual(cron!.validate!.pattern, { spec: { jobTemplate: { spec: { template: { metadata: { labels: { team: "?*" } } } } } } });
  const ann = "pod-policies.kyverno.io/autogen-controllers";
  assert.deepEqual(computeRules(policy([podRule("r")], { [ann]: "none" })).map((r) => r.name), ["r"]);
  const some = computeRules(policy([podRule("r")], { [ann]: "Deployment,StatefulSet" }));
  assert.deepEqual(some.map((r) => r.name), ["r", "autogen-r"]);
  assert.deepEqual(some[1]!.match.any![0]!.resources!.kinds, ["Deployment", "StatefulSet"]);
});

// pkg/utils/kube/kind_test.go TestParseKindSelector: group, version, kind, subresource.
const KIND_SELECTORS: Array<[string, string[]]> = [
  ["*", ["*", "*", "*", ""]],
  ["*.*", ["*", "*", "*", "*"]],
  ["*/*", ["*", "*", "*", "*"]],
  ["Pod", ["*", "*", "Pod", ""]],
  ["v1/Pod", ["*", "v1", "Pod", ""]],
  ["batch/*/CronJob", ["batch", "*", "CronJob", ""]],
  ["storage.k8s.io/v1/CSIDriver", ["storage.k8s.io", "v1", "CSIDriver", ""]],
  ["tekton.dev/v1beta1/TaskRun/status", ["tekton.dev", "v1beta1", "TaskRun", "status"]],
  ["v1/Pod.status", ["*", "v1", "Pod", "status"]],
  ["v1/Pod/status", ["*", "v1", "Pod", "status"]],
  ["Pod.status", ["*", "*", "Pod", "status"]],
  ["Pod/status", ["*", "*", "Pod", "status"]],
  ["apps/v1/Deployment/scale", ["apps", "v1", "Deployment", "scale"]],
  ["v1/ReplicationController/scale", ["*", "v1", "ReplicationController", "scale"]],
  ["*/ReplicationController/scale", ["*", "*", "ReplicationController", "scale"]],
  ["*/Deployment/scale", ["*", "*", "Deployment", "scale"]],
  ["*/Deployment.scale", ["*", "*", "Deployment", "scale"]],
  ["apps/v1/Deployment.scale", ["apps", "v1", "Deployment", "scale"]],
  ["v1.demo/v1/Demo", ["v1.demo", "v1", "Demo", ""]],
  ["*/scale", ["*", "*", "*", "scale"]],
  ["Pod/*", ["*", "*", "Pod", "*"]],
  ["*/*/*", ["*", "*", "*", "*"]],
  ["*/*/*/*", ["*", "*", "*", "*"]],
  ["*/*/*/*/*", ["", "", "", ""]],
];

test("TestParseKindSelector", () => {
  assert.equal(KIND_SELECTORS.length, 24);
  for (const [input, want] of KIND_SELECTORS) assert.deepEqual(parseKindSelector(input), want, input);
});

const req = (over: Partial<MatchRequest> & { labels?: Record<string, string>; name?: string; namespace?: string } = {}): MatchRequest => ({
  resource: { apiVersion: "v1", kind: "Pod", metadata: { name: over.name ?? "web", namespace: over.namespace ?? "default", labels: over.labels ?? { app: "web" } } },
  gvk: over.gvk ?? { group: "", version: "v1", kind: "Pod" },
  subresource: over.subresource ?? "",
  operation: over.operation ?? "CREATE",
  namespaceLabels: over.namespaceLabels ?? { "kubernetes.io/metadata.name": over.namespace ?? "default" },
});
const rule = (match: Rule["match"], exclude?: Rule["exclude"]): Rule => ({ name: "r", match, ...(exclude ? { exclude } : {}), validate: { pattern: {} } }) as Rule;

test("MatchesResourceDescription: kinds, names, namespaces, selectors, operations; any, all and exclude", () => {
  const p = policy([]);
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], namespaces: ["def*"] } }), p, req()), undefined);
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Deployment"] } }), p, req()), "rule r not matched:\n 1. kind does not match [Deployment]");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], name: "db-*" } }), p, req()), "rule r not matched:\n 1. name does not match");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], selector: { matchLabels: { app: "web" } } } }), p, req()), undefined);
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], selector: { matchLabels: { app: "db" } } } }), p, req()), "rule r not matched:\n 1. selector does not match");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], operations: ["UPDATE"] } }), p, req()), "rule r not matched:\n 1. operation does not match");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"], namespaceSelector: { matchLabels: { env: "prod" } } } }), p, req()), "rule r not matched:\n 1. namespace selector does not match labels");
  assert.equal(ruleMatches(rule({ any: [{ resources: { kinds: ["Deployment"] } }, { resources: { kinds: ["Pod"] } }] }), p, req()), undefined);
  assert.equal(ruleMatches(rule({ all: [{ resources: { kinds: ["Pod"] } }, { resources: { namespaces: ["prod"] } }] }), p, req()), "rule r not matched:\n 1. namespace does not match");
  assert.equal(ruleMatches(rule({}), p, req()), "rule r not matched:\n 1. match cannot be empty");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"] } }, { any: [{ resources: { namespaces: ["default"] } }] }), p, req()), "rule r not matched:\n 1. resource excluded since one of the criteria excluded it");
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"] } }, { all: [{ resources: { namespaces: ["default"] } }, { resources: { names: ["db"] } }] }), p, req()), undefined);
  // A namespaced Policy applies only in its namespace.
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod"] } }), policy([], undefined, "Policy", "prod"), req()), "policy and resource namespaces mismatch");
  // Subresources match only when named: Pod/status.
  assert.notEqual(ruleMatches(rule({ resources: { kinds: ["Pod"] } }), p, req({ subresource: "status" })), undefined);
  assert.equal(ruleMatches(rule({ resources: { kinds: ["Pod/status"] } }), p, req({ subresource: "status" })), undefined);
});

test("resource filters: [Kind,Namespace,Name] with wildcards, as the kyverno ConfigMap writes them", () => {
  const f = parseResourceFilters("[Event,*,*][*/*,kube-system,*][Node,*,*][Pod,default,web-*]");
  assert.equal(filtered(f, "Event", "", "default", "x"), true);
  assert.equal(filtered(f, "ConfigMap", "", "kube-system", "x"), true);
  assert.equal(filtered(f, "Pod", "", "default", "web-1"), true);
  assert.equal(filtered(f, "Pod", "", "default", "db-1"), false);
});

test("variables: request.* substituted, an unknown path an error, non-string values kept in whole-value references", () => {
  const ctx = requestContext({ object: { metadata: { name: "web", labels: { app: "x" } }, spec: { replicas: 3 } }, namespace: "default", operation: "CREATE" });
  assert.equal(substitute("{{request.object.metadata.name}}-{{request.namespace}}", ctx), "web-default");
  assert.equal(substitute("{{ request.operation }}", ctx), "CREATE");
  assert.ok(substitute("{{request.object.metadata.nope}}", ctx) instanceof Error);
  assert.deepEqual(substituteAll({ n: "{{request.object.spec.replicas}}", l: ["{{request.object.metadata.labels.app}}"] }, ctx), { n: 3, l: ["x"] });
});
