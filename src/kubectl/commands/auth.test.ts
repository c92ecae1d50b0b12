import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const run = (c: Cluster, line: string) => c.kubectlSync(line);

test("kubectl auth can-i: yes/no and the exit code, -q, warnings, argument errors (cani.go)", () => {
  const c = new Cluster();
  assert.deepEqual(run(c, "kubectl auth can-i create pods"), { stdout: "yes\n", stderr: "", exitCode: 0 });
  assert.deepEqual(run(c, "kubectl auth can-i create pods --as=jane"), { stdout: "no\n", stderr: "", exitCode: 1 });
  assert.deepEqual(run(c, "kubectl auth can-i create pods --as=jane -q"), { stdout: "", stderr: "", exitCode: 1 });
  assert.deepEqual(run(c, "kubectl auth can-i get nodes"), { stdout: "yes\n", stderr: "Warning: resource 'nodes' is not namespace scoped\n\n", exitCode: 0 });
  // -A asks at the cluster scope: no namespace warning.
  assert.deepEqual(run(c, "kubectl auth can-i get nodes -A"), { stdout: "yes\n", stderr: "", exitCode: 0 });
  assert.equal(run(c, "kubectl auth can-i get clusterroles.rbac.authorization.k8s.io").stderr, "Warning: resource 'clusterroles' is not namespace scoped in group 'rbac.authorization.k8s.io'\n\n");
  assert.equal(run(c, "kubectl auth can-i frob widgets").stderr, "Warning: the server doesn't have a resource type 'widgets'\n\nWarning: verb 'frob' is not a known verb\n\n");
  // users and groups are impersonate's, known without discovery.
  assert.equal(run(c, "kubectl auth can-i impersonate users").stderr, "");
  assert.deepEqual(run(c, "kubectl auth can-i get /healthz --as=jane"), { stdout: "yes\n", stderr: "", exitCode: 0 });
  assert.deepEqual(run(c, "kubectl auth can-i get /metrics --as=jane"), { stdout: "no\n", stderr: "", exitCode: 1 });
  assert.equal(run(c, "kubectl auth can-i get").stderr, "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
  assert.equal(run(c, "kubectl auth can-i --list pods").stderr, "error: list option must be specified with no arguments\n");
  assert.equal(run(c, "kubectl auth can-i --list -q").stderr, "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n");
  assert.equal(run(c, "kubectl auth can-i get /logs --subresource=x").stderr, "error: --subresource can not be used with NonResourceURL\n");
  assert.equal(run(c, "kubectl auth can-i get pods --no-headers").stderr, "error: --no-headers cannot be set without --list specified\n");
});

test("kubectl auth can-i with a name and a subresource; a binding to a missing role gives the reason", () => {
  const c = new Cluster();
  run(c, "kubectl create role one --verb=get --resource=configmaps --resource-name=settings");
  run(c, "kubectl create rolebinding one --role=one --user=jane");
  run(c, "kubectl create rolebinding gone --role=missing --user=jane");
  assert.equal(run(c, "kubectl auth can-i get configmaps/settings --as=jane").stdout, "yes\n");
  assert.equal(run(c, "kubectl auth can-i get configmaps/other --as=jane").stdout, 'no - RBAC: role.rbac.authorization.k8s.io "missing" not found\n');
  const list = run(c, "kubectl auth can-i --list --as=jane --no-headers");
  assert.match(list.stdout, /^configmaps +\[\] +\[settings\] +\[get\]$/m);
  assert.equal(list.stderr, 'Warning: the list may be incomplete: role.rbac.authorization.k8s.io "missing" not found\n');
});

test("kubectl auth whoami: the admin, an impersonated service account, -o json", () => {
  const c = new Cluster();
  assert.equal(run(c, "kubectl auth whoami").stdout, "ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n");
  assert.equal(run(c, "kubectl auth whoami --as=dev --as-group=devs --as-group=ops --as-uid=42").stdout, "ATTRIBUTE   VALUE\nUsername    dev\nUID         42\nGroups      [devs ops system:authenticated]\n");
  assert.deepEqual(JSON.parse(run(c, "kubectl auth whoami -o json --as=system:serviceaccount:default:default").stdout).status, {
    userInfo: { username: "system:serviceaccount:default:default", groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"] },
  });
  assert.equal(run(c, "kubectl auth whoami --as-group=devs").stderr, "error: requesting uid, groups or user-extra for kube-scenario without impersonating a user\n");
});

test("--as: every request is authorized as the impersonated user; escalation is refused", () => {
  const c = new Cluster();
  run(c, "kubectl create deployment web --image=nginx");
  const denied = run(c, "kubectl get deployment web --as=jane");
  assert.equal(denied.stderr, 'Error from server (Forbidden): deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "default"\n');
  run(c, "kubectl create rolebinding jane-edit --clusterrole=edit --user=jane");
  assert.equal(run(c, "kubectl scale deployment web --replicas=2 --as=jane").exitCode, 0);
  assert.equal(run(c, "kubectl get nodes --as=jane").stderr, 'Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n');
  // edit cannot create roles at all; admin (bound in the namespace) can, within what it holds.
  run(c, "kubectl create rolebinding jane-admin --clusterrole=admin --user=jane");
  assert.equal(run(c, "kubectl create role r --verb=get --resource=pods --as=jane").exitCode, 0);
  assert.equal(
    run(c, "kubectl create role n --verb=get --resource=nodes --as=jane").stderr,
    'Error from server (Forbidden): roles.rbac.authorization.k8s.io "n" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}\n',
  );
});
