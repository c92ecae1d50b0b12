import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";

const run = (c: Cluster, line: string) => c.kubectlSync(line);

test("kubectl create role: one rule per API group, names resolved, duplicates dropped, checks (create_role.go)", () => {
  const c = new Cluster();
  const role = JSON.parse(run(c, "kubectl create role r --verb=get,list --verb=get --resource=rs.apps,pods,deploy.apps/scale,pods --resource-name=a --resource-name=a -o json --dry-run=client").stdout);
  assert.deepEqual(role.rules, [
    { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] },
    { verbs: ["get", "list"], apiGroups: ["apps"], resources: ["replicasets", "deployments/scale"], resourceNames: ["a"] },
  ]);
  assert.deepEqual(JSON.parse(run(c, "kubectl create role s --verb=get,* --resource=pods -o json --dry-run=client").stdout).rules[0].verbs, ["*"]);
  assert.equal(run(c, "kubectl create role x --verb=frob --resource=pods --dry-run=client").stderr, "Warning: 'frob' is not a standard resource verb\n");
  assert.equal(run(c, "kubectl create role x --resource=pods").stderr, "error: at least one verb must be specified\n");
  assert.equal(run(c, "kubectl create role x --verb=get --resource=.apps").stderr, "error: resource must be specified if apiGroup/subresource specified\n");
  assert.equal(run(c, "kubectl create role x --verb=bind --resource=pods").stderr, "error: can not perform 'bind' on 'pods' in group ''\n");
  assert.equal(run(c, "kubectl create role x --verb=get --resource=widgets").stderr, 'the server doesn\'t have a resource type "widgets"\n');
  assert.equal(run(c, "kubectl create role x --verb=bind --resource=clusterroles.rbac.authorization.k8s.io").exitCode, 0);
  assert.equal(run(c, "kubectl create role x --verb=get --resource=pods").stderr, 'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "x" already exists\n');
});

test("kubectl create clusterrole: non-resource URLs and the aggregation rule (create_clusterrole.go)", () => {
  const c = new Cluster();
  const cr = JSON.parse(run(c, "kubectl create clusterrole c --verb=get --resource=nodes --non-resource-url=/logs/* --non-resource-url=/logs/* -o json --dry-run=client").stdout);
  assert.deepEqual(cr.rules, [{ verbs: ["get"], apiGroups: [""], resources: ["nodes"] }, { verbs: ["get"], nonResourceURLs: ["/logs/*"] }]);
  assert.deepEqual(JSON.parse(run(c, "kubectl create clusterrole m --aggregation-rule=a=b,c=d -o json --dry-run=client").stdout).aggregationRule, { clusterRoleSelectors: [{ matchLabels: { a: "b", c: "d" } }] });
  assert.equal(run(c, "kubectl create clusterrole m --aggregation-rule=a=b --verb=get").stderr, "error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n");
  assert.equal(run(c, "kubectl create clusterrole m --verb=get").stderr, "error: one of resource or nonResourceURL must be specified\n");
  assert.equal(run(c, "kubectl create clusterrole m --verb=list --non-resource-url=/x").stderr, "error: invalid verb: 'list' for nonResourceURL\n");
  assert.equal(run(c, "kubectl create clusterrole m --verb=get --non-resource-url=x").stderr, "error: nonResourceURL should start with /\n");
  assert.equal(run(c, "kubectl create clusterrole m --verb=get --non-resource-url=/a*/b").stderr, "error: nonResourceURL only supports wildcard matches when '*' is at the end\n");
});

test("kubectl create rolebinding and clusterrolebinding: subjects in order, checks and wrapped errors", () => {
  const c = new Cluster();
  const rb = JSON.parse(run(c, "kubectl create rolebinding b --clusterrole=view --serviceaccount=ns:sa --group=g --user=u -n default -o json --dry-run=client").stdout);
  assert.deepEqual(rb.subjects, [
    { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "u" },
    { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "g" },
    { kind: "ServiceAccount", name: "sa", namespace: "ns" },
  ]);
  assert.deepEqual(rb.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" });
  assert.equal(rb.metadata.namespace, "default");
  assert.equal(run(c, "kubectl create rolebinding b").stderr, "error: exactly one of clusterrole or role must be specified\n");
  assert.equal(run(c, "kubectl create rolebinding b --role=r --serviceaccount=sa").stderr, "error: serviceaccount must be <namespace>:<name>\n");
  assert.match(run(c, "kubectl create clusterrolebinding b --user=u").stderr, /"command failed" err="required flag\(s\) \\"clusterrole\\" not set"/);
  assert.equal(run(c, "kubectl create clusterrolebinding b --clusterrole=view --user=u").stdout, "clusterrolebinding.rbac.authorization.k8s.io/b created\n");
  assert.equal(run(c, "kubectl create clusterrolebinding b --clusterrole=view").stderr, 'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "b" already exists\n');
});
