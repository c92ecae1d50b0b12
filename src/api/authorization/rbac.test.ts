import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from "../types.gen.ts";
import {
  authorize,
  checkRBACWrite,
  compactString,
  covers,
  forbiddenError,
  rbacAuthorize,
  ruleAllows,
  rulesFor,
  rulesInfoFor,
  type Attributes,
  type RBACReader,
} from "./rbac.ts";
import { impersonatedUser, KUBERNETES_ADMIN, type UserInfo } from "./user.ts";

// ---- upstream's builders (rbac_test.go) ------------------------------------------------------

const split = (s: string) => s.split(",");
function newRule(verbs: string, apiGroups: string, resources: string, nonResourceURLs: string): PolicyRule {
  return { verbs: split(verbs), apiGroups: split(apiGroups), resources: split(resources), nonResourceURLs: split(nonResourceURLs) };
}
const newClusterRole = (name: string, ...rules: PolicyRule[]): ClusterRole => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules });
const newRole = (name: string, namespace: string, ...rules: PolicyRule[]): Role => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules });
function subjectsOf(subjects: string[]) {
  return subjects.map((s) => {
    const [kind, name] = [s.slice(0, s.indexOf(":")), s.slice(s.indexOf(":") + 1)];
    return kind === "ServiceAccount" ? { kind, name } : { kind, name, apiGroup: "rbac.authorization.k8s.io" };
  });
}
let n = 0;
const newClusterRoleBinding = (roleName: string, ...subjects: string[]): ClusterRoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: `crb-${n++}` },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
  subjects: subjectsOf(subjects),
});
const newRoleBinding = (namespace: string, roleName: string, kind: "Role" | "ClusterRole", ...subjects: string[]): RoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: { name: `rb-${n++}`, namespace },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name: roleName },
  subjects: subjectsOf(subjects),
});

/** NewTestRuleResolver's StaticRoles. */
function staticRoles(p: { roles?: Role[]; roleBindings?: RoleBinding[]; clusterRoles?: ClusterRole[]; clusterRoleBindings?: ClusterRoleBinding[] }): RBACReader {
  return {
    getRole: (ns, name) => p.roles?.find((r) => r.metadata.namespace === ns && r.metadata.name === name),
    getClusterRole: (name) => p.clusterRoles?.find((r) => r.metadata.name === name),
    listRoleBindings: (ns) => (p.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
    listClusterRoleBindings: () => p.clusterRoleBindings ?? [],
  };
}

/** defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}. */
const attrs = (user: string, groups: string, verb: string, resource: string, subresource: string, namespace: string, apiGroup: string): Attributes => ({
  user: { name: user, groups: split(groups) },
  verb,
  resource,
  subresource,
  namespace,
  apiGroup,
  resourceRequest: true,
});
const nonResource = (user: UserInfo, verb: string, path: string): Attributes => ({ user, verb, path, resourceRequest: false });

test("TestAuthorizer (rbac_test.go): the four cases", () => {
  const cases: Array<{ reader: RBACReader; pass: Attributes[]; fail: Attributes[] }> = [
    {
      reader: staticRoles({ clusterRoles: [newClusterRole("admin", newRule("*", "*", "*", "*"))], roleBindings: [newRoleBinding("ns1", "admin", "ClusterRole", "User:admin", "Group:admins")] }),
      pass: [
        attrs("admin", "", "get", "Pods", "", "ns1", ""),
        attrs("admin", "", "watch", "Pods", "", "ns1", ""),
        attrs("admin", "group1", "watch", "Foobar", "", "ns1", ""),
        attrs("joe", "admins", "watch", "Foobar", "", "ns1", ""),
        attrs("joe", "group1,admins", "watch", "Foobar", "", "ns1", ""),
      ],
      fail: [
        attrs("admin", "", "GET", "Pods", "", "ns2", ""),
        attrs("admin", "", "GET", "Nodes", "", "", ""),
        attrs("admin", "admins", "GET", "Pods", "", "ns2", ""),
        attrs("admin", "admins", "GET", "Nodes", "", "", ""),
      ],
    },
    {
      reader: staticRoles({
        clusterRoles: [newClusterRole("non-resource-url-getter", newRule("get", "", "", "/apis")), newClusterRole("non-resource-url", newRule("*", "", "", "/apis")), newClusterRole("non-resource-url-prefix", newRule("get", "", "", "/apis/*"))],
        clusterRoleBindings: [
          newClusterRoleBinding("non-resource-url-getter", "User:foo", "Group:bar"),
          newClusterRoleBinding("non-resource-url", "User:admin", "Group:admin"),
          newClusterRoleBinding("non-resource-url-prefix", "User:prefixed", "Group:prefixed"),
        ],
      }),
      pass: [
        nonResource({ name: "foo", groups: [] }, "get", "/apis"),
        nonResource({ name: "", groups: ["bar"] }, "get", "/apis"),
        nonResource({ name: "admin", groups: [] }, "get", "/apis"),
        nonResource({ name: "", groups: ["admin"] }, "get", "/apis"),
        nonResource({ name: "admin", groups: [] }, "watch", "/apis"),
        nonResource({ name: "", groups: ["admin"] }, "watch", "/apis"),
        nonResource({ name: "prefixed", groups: [] }, "get", "/apis/v1"),
        nonResource({ name: "", groups: ["prefixed"] }, "get", "/apis/v1"),
        nonResource({ name: "prefixed", groups: [] }, "get", "/apis/v1/foobar"),
        nonResource({ name: "", groups: ["prefixed"] }, "get", "/apis/v1/foorbar"),
      ],
      fail: [
        nonResource({ name: "foo", groups: [] }, "watch", "/apis"),
        nonResource({ name: "", groups: ["bar"] }, "watch", "/apis"),
        nonResource({ name: "foo", groups: [] }, "get", "/api/v1"),
        nonResource({ name: "", groups: ["bar"] }, "get", "/api/v1"),
        nonResource({ name: "admin", groups: [] }, "get", "/api/v1"),
        nonResource({ name: "", groups: ["admin"] }, "get", "/api/v1"),
        nonResource({ name: "prefixed", groups: [] }, "get", "/api/v1"),
        nonResource({ name: "", groups: ["prefixed"] }, "get", "/api/v1"),
      ],
    },
    {
      reader: staticRoles({ clusterRoles: [newClusterRole("admin", newRule("*", "*", "pods", "*"))], roleBindings: [newRoleBinding("ns1", "admin", "ClusterRole", "User:admin", "Group:admins")] }),
      pass: [attrs("admin", "", "get", "pods", "", "ns1", "")],
      fail: [attrs("admin", "", "get", "pods", "status", "ns1", "")],
    },
    {
      reader: staticRoles({ clusterRoles: [newClusterRole("admin", newRule("*", "*", "pods/status", "*"))], roleBindings: [newRoleBinding("ns1", "admin", "ClusterRole", "User:admin", "Group:admins")] }),
      pass: [attrs("admin", "", "get", "pods", "status", "ns1", "")],
      fail: [attrs("admin", "", "get", "pods", "", "ns1", "")],
    },
  ];
  cases.forEach((c, i) => {
    for (const a of c.pass) assert.equal(rbacAuthorize(c.reader, a).decision, "Allow", `case ${i}: incorrectly restricted ${JSON.stringify(a)}`);
    for (const a of c.fail) assert.equal(rbacAuthorize(c.reader, a).decision, "NoOpinion", `case ${i}: incorrectly passed ${JSON.stringify(a)}`);
  });
});

const res = (verb: string, group: string, resource: string, subresource = "", name = ""): Attributes => ({ user: { name: "", groups: [] }, verb, apiGroup: group, resource, subresource, name, resourceRequest: true });
const url = (verb: string, path: string): Attributes => ({ user: { name: "", groups: [] }, verb, path, resourceRequest: false });

test("TestRuleMatches (rbac_test.go)", () => {
  const cases: Array<{ name: string; rule: PolicyRule; expect: Array<[Attributes, boolean]> }> = [
    {
      name: "star verb, exact match other",
      rule: { verbs: ["*"], apiGroups: ["group1"], resources: ["resource1"] },
      expect: [
        [res("verb1", "group1", "resource1"), true], [res("verb1", "group2", "resource1"), false], [res("verb1", "group1", "resource2"), false], [res("verb1", "group2", "resource2"), false],
        [res("verb2", "group1", "resource1"), true], [res("verb2", "group2", "resource1"), false], [res("verb2", "group1", "resource2"), false], [res("verb2", "group2", "resource2"), false],
      ],
    },
    {
      name: "star group, exact match other",
      rule: { verbs: ["verb1"], apiGroups: ["*"], resources: ["resource1"] },
      expect: [
        [res("verb1", "group1", "resource1"), true], [res("verb1", "group2", "resource1"), true], [res("verb1", "group1", "resource2"), false], [res("verb1", "group2", "resource2"), false],
        [res("verb2", "group1", "resource1"), false], [res("verb2", "group2", "resource1"), false], [res("verb2", "group1", "resource2"), false], [res("verb2", "group2", "resource2"), false],
      ],
    },
    {
      name: "star resource, exact match other",
      rule: { verbs: ["verb1"], apiGroups: ["group1"], resources: ["*"] },
      expect: [
        [res("verb1", "group1", "resource1"), true], [res("verb1", "group2", "resource1"), false], [res("verb1", "group1", "resource2"), true], [res("verb1", "group2", "resource2"), false],
        [res("verb2", "group1", "resource1"), false], [res("verb2", "group2", "resource1"), false], [res("verb2", "group1", "resource2"), false], [res("verb2", "group2", "resource2"), false],
      ],
    },
    {
      name: "tuple expansion",
      rule: { verbs: ["verb1", "verb2"], apiGroups: ["group1", "group2"], resources: ["resource1", "resource2"] },
      expect: ["verb1", "verb2"].flatMap((v) => ["group1", "group2"].flatMap((g) => ["resource1", "resource2"].map((r): [Attributes, boolean] => [res(v, g, r), true]))),
    },
    {
      name: "subresource expansion",
      rule: { verbs: ["*"], apiGroups: ["*"], resources: ["resource1/subresource1"] },
      expect: [
        [res("verb1", "group1", "resource1", "subresource1"), true], [res("verb1", "group2", "resource1", "subresource2"), false], [res("verb1", "group1", "resource2", "subresource1"), false], [res("verb1", "group2", "resource2", "subresource1"), false],
        [res("verb2", "group1", "resource1", "subresource1"), true], [res("verb2", "group2", "resource1", "subresource2"), false], [res("verb2", "group1", "resource2", "subresource1"), false], [res("verb2", "group2", "resource2", "subresource1"), false],
      ],
    },
    {
      name: "star nonresource, exact match other",
      rule: { verbs: ["verb1"], nonResourceURLs: ["*"] },
      expect: [
        [url("verb1", "/foo"), true], [url("verb1", "/foo/bar"), true], [url("verb1", "/foo/baz"), true], [url("verb1", "/foo/bar/one"), true], [url("verb1", "/foo/baz/one"), true],
        [url("verb2", "/foo"), false], [url("verb2", "/foo/bar"), false], [url("verb2", "/foo/baz"), false], [url("verb2", "/foo/bar/one"), false], [url("verb2", "/foo/baz/one"), false],
      ],
    },
    {
      name: "star nonresource subpath",
      rule: { verbs: ["verb1"], nonResourceURLs: ["/foo/*"] },
      expect: [
        [url("verb1", "/foo"), false], [url("verb1", "/foo/bar"), true], [url("verb1", "/foo/baz"), true], [url("verb1", "/foo/bar/one"), true], [url("verb1", "/foo/baz/one"), true],
        [url("verb1", "/notfoo"), false], [url("verb1", "/notfoo/bar"), false], [url("verb1", "/notfoo/baz"), false], [url("verb1", "/notfoo/bar/one"), false], [url("verb1", "/notfoo/baz/one"), false],
      ],
    },
    {
      name: "star verb, exact nonresource",
      rule: { verbs: ["*"], nonResourceURLs: ["/foo", "/foo/bar/one"] },
      expect: [
        [url("verb1", "/foo"), true], [url("verb1", "/foo/bar"), false], [url("verb1", "/foo/baz"), false], [url("verb1", "/foo/bar/one"), true], [url("verb1", "/foo/baz/one"), false],
        [url("verb2", "/foo"), true], [url("verb2", "/foo/bar"), false], [url("verb2", "/foo/baz"), false], [url("verb2", "/foo/bar/one"), true], [url("verb2", "/foo/baz/one"), false],
      ],
    },
    {
      name: "*/subresource matches any resource's subresource",
      rule: { verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"] },
      expect: [[res("get", "apps", "deployments", "scale"), true], [res("get", "apps", "deployments"), false], [res("get", "apps", "deployments", "status"), false]],
    },
    {
      name: "resourceNames restrict the names (an unnamed request does not match)",
      rule: { verbs: ["get", "update"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["my-configmap"] },
      expect: [[res("get", "", "configmaps", "", "my-configmap"), true], [res("get", "", "configmaps", "", "other"), false], [res("list", "", "configmaps"), false], [res("get", "", "configmaps"), false]],
    },
  ];
  for (const c of cases) for (const [a, want] of c.expect) assert.equal(ruleAllows(a, c.rule), want, `${c.name}: ${JSON.stringify(a)}`);
});

test("VisitRulesFor: the allowing source, service accounts in the binding's namespace, resolution errors as the reason", () => {
  const reader = staticRoles({
    roles: [newRole("pod-reader", "default", { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] })],
    roleBindings: [
      newRoleBinding("default", "pod-reader", "Role", "ServiceAccount:sa"),
      newRoleBinding("default", "missing", "Role", "User:jane"),
    ],
    clusterRoles: [newClusterRole("cluster-admin", { verbs: ["*"], apiGroups: ["*"], resources: ["*"] })],
    clusterRoleBindings: [newClusterRoleBinding("cluster-admin", "Group:kubeadm:cluster-admins"), newClusterRoleBinding("gone", "User:jane")],
  });
  const sa = impersonatedUser("system:serviceaccount:default:sa", []);
  const rb = reader.listRoleBindings("default")[0]!.metadata.name;
  assert.deepEqual(rbacAuthorize(reader, { user: sa, verb: "list", resource: "pods", namespace: "default", resourceRequest: true }), {
    decision: "Allow",
    reason: `RBAC: allowed by RoleBinding "${rb}/default" of Role "pod-reader" to ServiceAccount "sa/default"`,
  });
  // The SA subject without a namespace is the binding's: not an account of another namespace.
  assert.equal(rbacAuthorize(reader, { user: impersonatedUser("system:serviceaccount:other:sa", []), verb: "list", resource: "pods", namespace: "default", resourceRequest: true }).decision, "NoOpinion");
  assert.equal(rbacAuthorize(reader, { user: sa, verb: "list", resource: "pods", namespace: "kube-system", resourceRequest: true }).decision, "NoOpinion");
  assert.deepEqual(rbacAuthorize(reader, { user: { name: "jane", groups: [] }, verb: "get", resource: "pods", namespace: "default", resourceRequest: true }), {
    decision: "NoOpinion",
    reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]',
  });
  const admin = rbacAuthorize(reader, { user: KUBERNETES_ADMIN, verb: "delete", resource: "nodes", resourceRequest: true });
  assert.match(admin.reason, /^RBAC: allowed by ClusterRoleBinding "crb-\d+" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"$/);
  // system:masters bypasses RBAC, with no reason.
  assert.deepEqual(authorize(staticRoles({}), { user: { name: "x", groups: ["system:masters"] }, verb: "escalate", resource: "clusterroles", apiGroup: "rbac.authorization.k8s.io", resourceRequest: true }), { decision: "Allow", reason: "" });
  assert.deepEqual(rulesFor(reader, sa, "default").rules, [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }]);
  assert.deepEqual(rulesInfoFor(staticRoles({}), { name: "m", groups: ["system:masters"] }, "default"), {
    resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
    nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
    incomplete: false,
  });
});

test("forbiddenMessage and ForbiddenStatusError (responsewriters/errors.go)", () => {
  const user = impersonatedUser("system:serviceaccount:default:sa", []);
  assert.equal(
    forbiddenError({ user, verb: "list", resource: "pods", apiGroup: "", namespace: "default", resourceRequest: true }, "").message,
    'pods is forbidden: User "system:serviceaccount:default:sa" cannot list resource "pods" in API group "" in the namespace "default"',
  );
  assert.equal(
    forbiddenError({ user, verb: "get", resource: "deployments", subresource: "scale", apiGroup: "apps", name: "web", namespace: "prod", resourceRequest: true }, "").message,
    'deployments.apps "web" is forbidden: User "system:serviceaccount:default:sa" cannot get resource "deployments/scale" in API group "apps" in the namespace "prod"',
  );
  assert.equal(
    forbiddenError({ user, verb: "list", resource: "nodes", apiGroup: "", resourceRequest: true }, 'RBAC: role.rbac.authorization.k8s.io "x" not found').message,
    'nodes is forbidden: User "system:serviceaccount:default:sa" cannot list resource "nodes" in API group "" at the cluster scope: RBAC: role.rbac.authorization.k8s.io "x" not found',
  );
  assert.equal(forbiddenError({ user, verb: "get", path: "/metrics", resourceRequest: false }, "").message, 'forbidden: User "system:serviceaccount:default:sa" cannot get path "/metrics"');
});

test("impersonation's groups (WithImpersonation)", () => {
  assert.deepEqual(impersonatedUser("system:serviceaccount:dev:foo", []).groups, ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]);
  assert.deepEqual(impersonatedUser("jane", []).groups, ["system:authenticated"]);
  assert.deepEqual(impersonatedUser("jane", ["devs"]).groups, ["devs", "system:authenticated"]);
  assert.deepEqual(impersonatedUser("system:serviceaccount:dev:foo", ["x"]).groups, ["x", "system:authenticated"]);
  assert.deepEqual(impersonatedUser("system:anonymous", []).groups, ["system:unauthenticated"]);
});

test("Covers and CompactString (policy_comparator_test.go)", () => {
  const owner: PolicyRule[] = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }, { verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"] }, { verbs: ["get"], nonResourceURLs: ["/api/*"] }];
  assert.equal(covers(owner, [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]).covers, true);
  assert.equal(covers(owner, [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments/scale"] }]).covers, true);
  assert.equal(covers(owner, [{ verbs: ["get"], nonResourceURLs: ["/api/v1"] }]).covers, true);
  assert.deepEqual(covers(owner, [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods", "secrets"] }]).missing, [
    { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["delete"] },
  ]);
  // A named owner rule does not cover an unnamed request.
  assert.equal(covers([{ verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] }], [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]).covers, false);
  assert.equal(compactString({ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }), '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}');
  assert.equal(compactString({ verbs: ["get"], nonResourceURLs: ["/healthz"] }), '{NonResourceURLs:["/healthz"], Verbs:["get"]}');
});

test("escalation prevention (escalation_check.go, policybased storage): bind, escalate, or hold the permissions", () => {
  const reader = staticRoles({
    roles: [newRole("pod-reader", "default", { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] })],
    roleBindings: [newRoleBinding("default", "pod-reader", "Role", "User:jane")],
    clusterRoles: [newClusterRole("binder", { verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["view"] }), newClusterRole("view", { verbs: ["get"], apiGroups: [""], resources: ["secrets"] })],
    clusterRoleBindings: [newClusterRoleBinding("binder", "User:bob")],
  });
  const jane: UserInfo = { name: "jane", groups: ["system:authenticated"] };
  const role = (rules: PolicyRule[]) => ({ kind: "Role", metadata: { name: "r", namespace: "default" }, rules });
  // Holding the permissions: allowed.
  checkRBACWrite(reader, jane, role([{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]));
  assert.throws(
    () => checkRBACWrite(reader, jane, role([{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] }])),
    (e: Error) =>
      e.message ===
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
  );
  // bind on the named ClusterRole lets bob bind it without holding it; not another one.
  const binding = (name: string) => ({ kind: "RoleBinding", metadata: { name: "b", namespace: "default" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name } });
  checkRBACWrite(reader, { name: "bob", groups: [] }, binding("view"));
  // bob holds what binder grants: he may bind it; jane may not bind view (she holds no get on secrets).
  checkRBACWrite(reader, { name: "bob", groups: [] }, binding("binder"));
  assert.throws(() => checkRBACWrite(reader, jane, binding("view")), /rolebindings.rbac.authorization.k8s.io "b" is forbidden: user "jane" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}$/);
  assert.throws(() => checkRBACWrite(reader, jane, binding("nope")), /clusterroles.rbac.authorization.k8s.io "nope" not found/);
  // system:masters may grant anything; an aggregationRule needs it.
  checkRBACWrite(reader, { name: "m", groups: ["system:masters"] }, { kind: "ClusterRole", metadata: { name: "x" }, aggregationRule: {} });
  assert.throws(() => checkRBACWrite(reader, jane, { kind: "ClusterRole", metadata: { name: "x" }, aggregationRule: {} }), /clusterroles.rbac.authorization.k8s.io "x" is forbidden: must have cluster-admin privileges to use the aggregationRule/);
});
