import { test } from "node:test";
import assert from "node:assert/strict";
import { canI, checkPolicyPermissions, clientChecker, kindFromGVK, permissionMessage, type AccessChecker } from "./authcheck.ts";
import type { Policy } from "./policy.ts";
import { Cluster } from "../../../cluster.ts";
import { authorizedApi } from "../../../api/authorization/filter.ts";

test("kindFromGVK: GetKindFromGVK's table", () => {
  assert.deepEqual(kindFromGVK("Pod"), ["", "Pod"]);
  assert.deepEqual(kindFromGVK("Pod.status"), ["", "Pod/status"]);
  assert.deepEqual(kindFromGVK("v1/Secret"), ["v1", "Secret"]);
  assert.deepEqual(kindFromGVK("*/*"), ["", "*/*"]);
  assert.deepEqual(kindFromGVK("Pod/status"), ["", "Pod/status"]);
  assert.deepEqual(kindFromGVK("v1/Pod/status"), ["v1", "Pod/status"]);
  assert.deepEqual(kindFromGVK("apps/v1/Deployment"), ["apps/v1", "Deployment"]);
  assert.deepEqual(kindFromGVK("apps/v1/Deployment/scale"), ["apps/v1", "Deployment/scale"]);
  assert.deepEqual(kindFromGVK("a/b/c/d/e"), ["", ""]);
});

test("permissionMessage: buildMessage, with the namespace and the subresource when given", () => {
  assert.equal(permissionMessage("v1/Secret", "", ["get", "create"], "system:serviceaccount:kyverno:bg", "team-a"), "system:serviceaccount:kyverno:bg requires permissions get,create for resource v1/Secret in namespace team-a");
  assert.equal(permissionMessage("Pod", "status", ["watch"], "u", ""), "u requires permissions watch for resource Pod/status");
});

const KINDS: Record<string, { group: string; version: string; resource: string }> = {
  Secret: { group: "", version: "v1", resource: "secrets" },
  Pod: { group: "", version: "v1", resource: "pods" },
  ConfigMap: { group: "", version: "v1", resource: "configmaps" },
  Namespace: { group: "", version: "v1", resource: "namespaces" },
};

/** A checker allowing what `grants` lists as `user verb resource`. */
function fake(grants: string[]): AccessChecker {
  return {
    allowed: (user, a) => grants.includes(`${user} ${a.verb} ${a.resource}`),
    gvr: (apiVersion, kind) => (apiVersion === "" || apiVersion === "v1" ? KINDS[kind] : undefined),
  };
}

test("canI: the verbs lacking, in the order asked; an unknown kind is an error", () => {
  const c = fake(["bg get secrets"]);
  assert.deepEqual(canI(c, ["get", "create"], "v1/Secret", "ns", "", "bg"), { ok: false, msg: "bg requires permissions create for resource v1/Secret in namespace ns" });
  assert.deepEqual(canI(fake(["bg get secrets", "bg create secrets"]), ["get", "create"], "v1/Secret", "ns", "", "bg"), { ok: true, msg: "" });
  assert.equal((canI(c, ["get"], "v1/Nope", "", "", "bg") as Error).message, "failed to get GVR for kind v1/Nope");
});

const generatePolicy = (synchronize: boolean, kind = "Secret"): Policy =>
  ({ apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "sync" }, spec: { rules: [{ name: "gen", match: { any: [{ resources: { kinds: ["Namespace"] } }] }, generate: { apiVersion: "v1", kind, name: "regcred", namespace: "{{request.object.metadata.name}}", synchronize, clone: { namespace: "default", name: "regcred" } } }] } }) as unknown as Policy;
const sa = { admission: "adm", background: "bg", reports: "rep" };

test("checkPolicyPermissions: generate needs get,create of the background controller, and list,get of the admission controller with synchronize", () => {
  assert.deepEqual(checkPolicyPermissions(fake([]), generatePolicy(false), sa), { error: "path: spec.rules[0].generate..: bg requires permissions get,create for resource v1/Secret in namespace {{request.object.metadata.name}}", warnings: [] });
  assert.deepEqual(checkPolicyPermissions(fake([]), generatePolicy(true), sa).error, "path: spec.rules[0].generate..: adm requires permissions list,get for resource v1/Secret in namespace {{request.object.metadata.name}}");
  const readable = ["adm list secrets", "adm get secrets", "bg get secrets"];
  assert.equal(checkPolicyPermissions(fake(readable), generatePolicy(true), sa).error, "path: spec.rules[0].generate..: bg requires permissions create,update,delete for resource v1/Secret in namespace {{request.object.metadata.name}}");
  // The reports controller's warnings of a generate rule are dropped (validateActions' `warnings != nil`).
  assert.deepEqual(checkPolicyPermissions(fake([...readable, "bg create secrets", "bg update secrets", "bg delete secrets"]), generatePolicy(true), sa), { warnings: [] });
  assert.equal(checkPolicyPermissions(fake([]), generatePolicy(false, "Nope"), sa).error, "path: spec.rules[0].generate..: failed to get GVR for kind v1/Nope");
});

test("checkPolicyPermissions: a validate rule warns when the reports controller may not read the kinds it matches", () => {
  const p = { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "v" }, spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["ConfigMap"] } }] }, validate: { pattern: { metadata: { labels: { a: "?*" } } } } }] } } as unknown as Policy;
  assert.deepEqual(checkPolicyPermissions(fake(["rep get configmaps"]), p, sa), { warnings: ["rep requires permissions list,watch for resource ConfigMap"] });
  assert.deepEqual(checkPolicyPermissions(fake(["rep get configmaps", "rep list configmaps", "rep watch configmaps"]), p, sa), { warnings: [] });
  assert.deepEqual(checkPolicyPermissions(fake([]), p, { ...sa, reports: "" }), { warnings: [] });
});

test("clientChecker: SubjectAccessReviews through the API server, as a requester allowed to create them", () => {
  const c = new Cluster({});
  const admin = { name: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] };
  const checker = clientChecker(authorizedApi(c.api, admin), admin);
  assert.deepEqual(checker.gvr("", "Secret"), { group: "", version: "v1", resource: "secrets" });
  assert.deepEqual(checker.gvr("apps/v1", "Deployment"), { group: "apps", version: "v1", resource: "deployments" });
  assert.equal(checker.gvr("v1", "Nope"), undefined);
  assert.equal(checker.allowed("kubernetes-admin", { group: "", version: "v1", resource: "secrets", subresource: "", namespace: "x", verb: "get" }), false, "a SubjectAccessReview carries no groups");
  assert.equal(checker.allowed("system:serviceaccount:kube-system:nobody", { group: "", version: "v1", resource: "secrets", subresource: "", namespace: "x", verb: "get" }), false);
  const nobody = { name: "nobody", groups: ["system:authenticated"] };
  assert.throws(() => clientChecker(authorizedApi(c.api, nobody), nobody).allowed("x", { group: "", version: "v1", resource: "secrets", subresource: "", namespace: "", verb: "get" }), /forbidden/);
});
