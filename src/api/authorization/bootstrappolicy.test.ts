import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapNamespaceRoles, bootstrapPolicyObjects, parsePolicyFiles, policyJsonText, POLICY_FILES } from "./bootstrappolicy.ts";
import { authorize, storeReader } from "./rbac.ts";
import { Cluster } from "../../cluster.ts";
import { impersonatedUser, KUBERNETES_ADMIN } from "./user.ts";

test("the bootstrap policy: upstream's default roles and bindings, labelled and annotated as the hook writes them", () => {
  const roles = bootstrapClusterRoles();
  assert.equal(roles.length, 31);
  assert.deepEqual(roles.slice(0, 3).map((r) => r.metadata.name), ["admin", "cluster-admin", "edit"]);
  for (const r of roles) {
    assert.equal(r.metadata.labels?.["kubernetes.io/bootstrapping"], "rbac-defaults", r.metadata.name);
    assert.equal(r.metadata.annotations?.["rbac.authorization.kubernetes.io/autoupdate"], "true", r.metadata.name);
  }
  const bindings = bootstrapClusterRoleBindings();
  assert.equal(bindings.length, 12);
  const basic = bindings.find((b) => b.metadata.name === "system:basic-user")!;
  assert.deepEqual(basic.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }]);
  assert.equal(bindings.find((b) => b.metadata.name === "system:node")!.subjects, undefined);
  const ns = bootstrapNamespaceRoles();
  assert.deepEqual([ns.roles.length, ns.roleBindings.length], [7, 7]);
  assert.deepEqual(ns.roleBindings.find((b) => b.metadata.name === "system:controller:bootstrap-signer" && b.metadata.namespace === "kube-public")!.subjects, [{ kind: "ServiceAccount", name: "bootstrap-signer", namespace: "kube-system" }]);
  assert.equal(bootstrapPolicyObjects().length, 31 + 12 + 7 + 7 + 1);
  assert.ok(Object.isFrozen(bootstrapPolicyObjects()[0]!.metadata));
});

test("admin, edit and view hold what they aggregate: view's rules are edit's and admin's too", () => {
  const roles = bootstrapClusterRoles();
  const byName = new Map(roles.map((r) => [r.metadata.name, r]));
  const view = byName.get("view")!.rules!;
  const edit = byName.get("edit")!.rules!;
  const admin = byName.get("admin")!.rules!;
  assert.deepEqual(view, byName.get("system:aggregate-to-view")!.rules);
  // edit: system:aggregate-to-edit's rules, then view's (by name).
  assert.deepEqual(edit, [...byName.get("system:aggregate-to-edit")!.rules!, ...view]);
  assert.deepEqual(admin, [...edit, ...byName.get("system:aggregate-to-admin")!.rules!]);
});

test("a started cluster: the default user is cluster-admin through kubeadm:cluster-admins; a service account may only discover", async () => {
  const c = new Cluster();
  const reader = storeReader(c.api);
  assert.deepEqual(authorize(reader, { user: KUBERNETES_ADMIN, verb: "delete", resource: "nodes", resourceRequest: true }), {
    decision: "Allow",
    reason: 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"',
  });
  const sa = impersonatedUser("system:serviceaccount:default:default", []);
  assert.equal(authorize(reader, { user: sa, verb: "list", resource: "pods", namespace: "default", resourceRequest: true }).decision, "NoOpinion");
  assert.equal(authorize(reader, { user: sa, verb: "create", resource: "selfsubjectaccessreviews", apiGroup: "authorization.k8s.io", resourceRequest: true }).decision, "Allow");
  assert.equal(authorize(reader, { user: sa, verb: "get", path: "/healthz", resourceRequest: false }).decision, "Allow");
  assert.equal(authorize(reader, { user: sa, verb: "get", path: "/openid/v1/jwks", resourceRequest: false }).decision, "Allow");
  assert.equal(authorize(reader, { user: sa, verb: "get", path: "/metrics", resourceRequest: false }).decision, "NoOpinion");
  await c.close();
});

test("bootstrappolicy/policy.json, what a cluster's start reads, is the YAML files beside it (node --import tsx scripts/gen-bootstrappolicy.ts writes it)", () => {
  const text = readFileSync(new URL("./bootstrappolicy/policy.json", import.meta.url), "utf8");
  const yaml = parsePolicyFiles();
  assert.deepEqual(Object.keys(yaml), POLICY_FILES);
  const { "//": note, ...json } = JSON.parse(text) as Record<string, unknown>;
  assert.match(String(note), /gen-bootstrappolicy/);
  assert.deepEqual(json, yaml, "policy.json is not the YAML files' data: run node --import tsx scripts/gen-bootstrappolicy.ts");
  assert.equal(text, policyJsonText(yaml), "policy.json is not as the script writes it: run node --import tsx scripts/gen-bootstrappolicy.ts");
});
