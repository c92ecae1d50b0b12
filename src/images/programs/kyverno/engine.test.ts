/**
 * The engine on the quick start's policies (kyverno.io docs/introduction/quick-start at release-1-14-0):
 * rule auto-generation (pkg/autogen/v1), the denial's text (pkg/webhooks/utils/block_test.go's
 * format), mutate's `+()` anchor, and the policies the model refuses.
 */
import test from "node:test";
import assert from "node:assert/strict";
import { blockedMessage, blocks, mutate, validatePolicy, type Request } from "./engine.ts";
import { computeRules, parseKindSelector, parseResourceFilters, filtered, unsupported, type Policy } from "./policy.ts";
import { applyStrategicMerge, jsonPatchDiff } from "./mutate.ts";

const requireLabels: Policy = {
  kind: "ClusterPolicy",
  metadata: { name: "require-labels" },
  spec: { rules: [{ name: "check-team", match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { failureAction: "Enforce", message: "label 'team' is required", pattern: { metadata: { labels: { team: "?*" } } } } }] },
};
const addLabels: Policy = {
  kind: "ClusterPolicy",
  metadata: { name: "add-labels" },
  spec: { rules: [{ name: "add-team", match: { any: [{ resources: { kinds: ["Pod"] } }] }, mutate: { patchStrategicMerge: { metadata: { labels: { "+(team)": "bravo" } } } } }] },
};

const request = (kind: string, group: string, object: Record<string, unknown>): Request => ({ uid: "u", operation: "CREATE", gvk: { group, version: "v1", kind }, subresource: "", namespace: "default", name: (object.metadata as { name: string }).name, object, oldObject: null, namespaceLabels: {} });

test("autogen: a Pod rule is generated for the Pod controllers and for CronJob", () => {
  const rules = computeRules(requireLabels);
  assert.deepEqual(rules.map((r) => r.name), ["check-team", "autogen-check-team", "autogen-cronjob-check-team"]);
  assert.deepEqual(rules[1]!.match.any![0]!.resources!.kinds, ["DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"]);
  assert.deepEqual(rules[1]!.validate!.pattern, { spec: { template: { metadata: { labels: { team: "?*" } } } } });
  assert.deepEqual(rules[2]!.validate!.pattern, { spec: { jobTemplate: { spec: { template: { metadata: { labels: { team: "?*" } } } } } } });
  assert.deepEqual(computeRules({ ...requireLabels, metadata: { name: "x", annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } } }).map((r) => r.name), ["check-team"]);
});

test("a Deployment without the label is blocked with Kyverno's message", () => {
  const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx", namespace: "default" }, spec: { template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx" }] } } } };
  const r = validatePolicy(requireLabels, request("Deployment", "apps", deploy));
  assert.deepEqual(r.rules.map((x) => [x.name, x.status]), [["autogen-check-team", "fail"]]);
  assert.equal(blocks([r], "Fail"), true);
  assert.equal(
    blockedMessage([r], { kind: "Deployment", namespace: "default", name: "nginx" }),
    "\n\nresource Deployment/default/nginx was blocked due to the following policies \n\nrequire-labels:\n  autogen-check-team: 'validation error: label ''team'' is required. rule autogen-check-team\n    failed at path /spec/template/metadata/labels/team/'\n",
  );
  const ok = validatePolicy(requireLabels, request("Pod", "", { apiVersion: "v1", kind: "Pod", metadata: { name: "nginx", namespace: "default", labels: { team: "backend" } } }));
  assert.deepEqual(ok.rules.map((x) => [x.status, x.message]), [["pass", "validation rule 'check-team' passed."]]);
  assert.equal(blocks([ok], "Fail"), false);
});

test("an Audit rule's failure does not block", () => {
  const audit: Policy = structuredClone(requireLabels);
  audit.spec.rules![0]!.validate!.failureAction = "Audit";
  const r = validatePolicy(audit, request("Pod", "", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" } }));
  assert.equal(r.rules[0]!.status, "fail");
  assert.equal(blocks([r], "Fail"), false);
});

test("mutate: +(team) adds the label only when the Pod has none", () => {
  const redis = { apiVersion: "v1", kind: "Pod", metadata: { name: "redis", namespace: "default", labels: { run: "redis" } }, spec: { containers: [{ name: "redis", image: "redis" }] } };
  const out = mutate([addLabels], request("Pod", "", redis));
  assert.deepEqual((out.object.metadata as { labels: object }).labels, { run: "redis", team: "bravo" });
  assert.deepEqual(jsonPatchDiff(redis, out.object), [{ op: "add", path: "/metadata/labels/team", value: "bravo" }]);
  const alpha = { ...redis, metadata: { ...redis.metadata, labels: { team: "alpha" } } };
  assert.deepEqual((mutate([addLabels], request("Pod", "", alpha)).object.metadata as { labels: object }).labels, { team: "alpha" });
});

test("mutate: a conditional anchor that does not hold skips the patch", () => {
  const r = applyStrategicMerge({ kind: "Pod", metadata: { labels: { env: "dev" } } }, { metadata: { labels: { "(env)": "prod", tier: "gold" } } });
  assert.ok("skip" in r);
  const ok = applyStrategicMerge({ kind: "Pod", metadata: { labels: { env: "prod" } } }, { metadata: { labels: { "(env)": "prod", tier: "gold" } } });
  assert.deepEqual("patched" in ok && ok.patched.metadata, { labels: { env: "prod", tier: "gold" } });
});

test("ParseKindSelector and the ConfigMap's resource filters", () => {
  assert.deepEqual(parseKindSelector("Pod"), ["*", "*", "Pod", ""]);
  assert.deepEqual(parseKindSelector("v1/Pod"), ["*", "v1", "Pod", ""]);
  assert.deepEqual(parseKindSelector("apps/v1/Deployment"), ["apps", "v1", "Deployment", ""]);
  assert.deepEqual(parseKindSelector("Pod/exec"), ["*", "*", "Pod", "exec"]);
  assert.deepEqual(parseKindSelector("*/*"), ["*", "*", "*", "*"]);
  const f = parseResourceFilters("[*/*,kyverno,*] [Event,*,*] [Pod,kyverno,kyverno-admission-controller-*]");
  assert.equal(filtered(f, "Pod", "", "kyverno", "x"), true);
  assert.equal(filtered(f, "Event", "", "default", "e"), true);
  assert.equal(filtered(f, "Pod", "", "default", "nginx"), false);
});

test("features the model does not evaluate are named, so the policy is refused", () => {
  const p: Policy = { kind: "ClusterPolicy", metadata: { name: "p" }, spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"] } }] }, context: [{ name: "x" }], validate: { deny: {} } }] } };
  assert.deepEqual(unsupported(p), ["spec.rules[0].context", "spec.rules[0].validate.deny"]);
  assert.deepEqual(unsupported(requireLabels), []);
  const v: Policy = structuredClone(requireLabels);
  v.spec.rules![0]!.validate!.message = "{{ request.object.metadata.labels | keys(@) }}";
  assert.equal(unsupported(v).length, 1);
});
