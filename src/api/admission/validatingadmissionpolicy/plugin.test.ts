import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../../cluster.ts";
import { ApiError } from "../../errors.ts";
import { matches, ruleMatches, type RequestInfo } from "./matching.ts";

const policy = (name: string, spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"]}
${spec}`;
const binding = (name: string, policyName: string, extra = "  validationActions: [Deny]\n") => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}}
spec:
  policyName: ${policyName}
${extra}`;

async function cluster(): Promise<Cluster> {
  const c = new Cluster({});
  await c.advance("1s");
  return c;
}

const deploy = (c: Cluster, args: string) => c.kubectl(`kubectl create deployment ${args} --image=nginx`);

test("a denial: upstream's message, reason Invalid (422) by default, the validation's reason otherwise", async () => {
  const c = await cluster();
  await c.apply(policy("p", "  validations:\n  - expression: object.spec.replicas <= 5\n"));
  await c.apply(binding("b", "p"));
  const r = await deploy(c, "big --replicas=6");
  assert.equal(r.stderr, "error: failed to create deployment: deployments.apps \"big\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object.spec.replicas <= 5\n");
  assert.equal((await deploy(c, "small --replicas=5")).exitCode, 0);
  try {
    c.api.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x", namespace: "default" }, spec: { replicas: 9, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } });
    assert.fail("created");
  } catch (e) {
    assert.ok(e instanceof ApiError);
    assert.equal(e.reason, "Invalid");
    assert.equal(e.code, 422);
    assert.deepEqual(e.details?.causes, [{ reason: "", field: "", detail: "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object.spec.replicas <= 5" }]);
  }
  await c.apply(policy("p2", "  validations:\n  - {expression: \"object.metadata.name != 'forbidden'\", message: no such name, reason: Forbidden}\n"));
  await c.apply(binding("b2", "p2"));
  const f = await deploy(c, "forbidden");
  assert.match(f.stderr, /ValidatingAdmissionPolicy 'p2' with binding 'b2' denied request: no such name/);
});

test("matchResources, Warn, messageExpression and variables with namespaceObject", async () => {
  const c = await cluster();
  await c.kubectl("kubectl create namespace prod");
  await c.kubectl("kubectl label namespace prod environment=prod");
  await c.apply(
    policy(
      "img",
      `  variables:
  - {name: env, expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'dev'"}
  validations:
  - expression: "object.spec.template.spec.containers.all(c, c.image.startsWith(variables.env + '.'))"
    messageExpression: "'only ' + variables.env + ' images in ' + namespaceObject.metadata.name"
`,
    ),
  );
  await c.apply(binding("warn", "img", "  validationActions: [Warn]\n  matchResources:\n    namespaceSelector: {matchLabels: {environment: prod}}\n"));
  const r = await c.kubectl("kubectl create deployment web -n prod --image=nginx");
  assert.equal(r.exitCode, 0);
  assert.equal(r.stderr, "Warning: Validation failed for ValidatingAdmissionPolicy 'img' with binding 'warn': only prod images in prod\n");
  // The default namespace is not selected.
  assert.equal((await deploy(c, "web")).stderr, "");
});

test("params: a binding's paramRef, parameterNotFoundAction Deny, and params in the expression", async () => {
  const c = await cluster();
  await c.apply(
    policy(
      "limit",
      `  paramKind: {apiVersion: v1, kind: ConfigMap}
  validations:
  - expression: "object.spec.replicas <= int(params.data.max)"
    messageExpression: "'at most ' + params.data.max + ' replicas'"
`,
    ),
  );
  await c.apply(binding("lb", "limit", "  validationActions: [Deny]\n  paramRef: {name: limits, parameterNotFoundAction: Deny}\n"));
  const missing = await deploy(c, "a --replicas=3");
  assert.match(missing.stderr, /ValidatingAdmissionPolicy 'limit' with binding 'lb' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction\n$/);
  await c.kubectl("kubectl create configmap limits --from-literal=max=2");
  assert.match((await deploy(c, "b --replicas=3")).stderr, /denied request: at most 2 replicas\n$/);
  assert.equal((await deploy(c, "c --replicas=2")).exitCode, 0);
});

test("failurePolicy: an expression error refuses under Fail and is ignored under Ignore; matchConditions filter", async () => {
  const c = await cluster();
  await c.apply(policy("err", "  failurePolicy: Fail\n  validations:\n  - expression: object.spec.nothing == 1\n"));
  await c.apply(binding("eb", "err"));
  assert.match((await deploy(c, "a")).stderr, /ValidatingAdmissionPolicy 'err' with binding 'eb' denied request: expression 'object.spec.nothing == 1' resulted in error: no such key: nothing\n$/);
  await c.kubectl(["kubectl", "patch", "validatingadmissionpolicy", "err", "--type=merge", "-p", '{"spec":{"failurePolicy":"Ignore"}}']);
  assert.equal((await deploy(c, "b")).exitCode, 0);
  await c.kubectl("kubectl delete validatingadmissionpolicy err");
  await c.apply(
    policy(
      "named",
      `  matchConditions:
  - {name: only-demo, expression: "object.metadata.name.startsWith('demo')"}
  validations:
  - expression: "false"
    message: demo deployments are refused
`,
    ),
  );
  await c.apply(binding("nb", "named"));
  assert.equal((await deploy(c, "other")).exitCode, 0);
  assert.match((await deploy(c, "demo-1")).stderr, /denied request: demo deployments are refused\n$/);
});

test("a policy whose expression does not compile is refused at create, with cel-go's error", async () => {
  const c = await cluster();
  const r = await c.kubectl("kubectl apply -f -", policy("bad", "  validations:\n  - expression: \"object.metadata.name.startWith('demo')\"\n"));
  assert.equal(
    r.stderr,
    `The ValidatingAdmissionPolicy "bad" is invalid: spec.validations[0].expression: Invalid value: "object.metadata.name.startWith('demo')": compilation failed: ERROR: <input>:1:31: undeclared reference to 'startWith' (in container '')
 | object.metadata.name.startWith('demo')
 | ..............................^
`,
  );
  // params without a paramKind is an undeclared reference too.
  const p = await c.kubectl("kubectl apply -f -", policy("noparams", "  validations:\n  - expression: params.x == 1\n"));
  assert.match(p.stderr, /spec.validations\[0\].expression: Invalid value: "params.x == 1": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' \(in container ''\)/);
  const b = await c.kubectl("kubectl apply -f -", binding("nb", "p", ""));
  assert.equal(b.stderr, 'The ValidatingAdmissionPolicyBinding "nb" is invalid: spec.validationActions: Required value: at least one validation action is required\n');
});

// matching.go's table: rules by operation, group, version, resource and subresource, scope.
test("matching: resource rules, subresources, scope and selectors", () => {
  const req = (over: Partial<RequestInfo> = {}): RequestInfo => ({
    operation: "CREATE", group: "apps", version: "v1", resource: "deployments", subresource: "", name: "d", namespace: "ns", namespaced: true,
    object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", labels: { tier: "web" } } }, oldObject: undefined,
    namespaceObject: { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns", labels: { env: "test" } } }, ...over,
  });
  const rule = { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] };
  assert.equal(ruleMatches(rule, req()), true);
  assert.equal(ruleMatches(rule, req({ operation: "UPDATE" })), false);
  assert.equal(ruleMatches({ ...rule, operations: ["*"] }, req({ operation: "UPDATE" })), true);
  assert.equal(ruleMatches(rule, req({ subresource: "scale" })), false);
  assert.equal(ruleMatches({ ...rule, resources: ["deployments/scale"] }, req({ subresource: "scale" })), true);
  assert.equal(ruleMatches({ ...rule, resources: ["*"] }, req({ subresource: "scale" })), false);
  assert.equal(ruleMatches({ ...rule, resources: ["*/*"] }, req({ subresource: "scale" })), true);
  assert.equal(ruleMatches({ ...rule, scope: "Cluster" }, req()), false);
  assert.equal(ruleMatches({ ...rule, resourceNames: ["other"] }, req()), false);
  assert.equal(matches({ resourceRules: [rule], namespaceSelector: { matchLabels: { env: "test" } } }, req(), true), true);
  assert.equal(matches({ resourceRules: [rule], namespaceSelector: { matchLabels: { env: "prod" } } }, req(), true), false);
  assert.equal(matches({ resourceRules: [rule], objectSelector: { matchLabels: { tier: "db" } } }, req(), true), false);
  assert.equal(matches({ resourceRules: [rule], excludeResourceRules: [rule] }, req(), true), false);
  // A binding without matchResources matches what its policy does; a policy needs its rules.
  assert.equal(matches(undefined, req(), false), true);
  assert.equal(matches({}, req(), true), false);
  // Cluster-scoped objects pass any namespaceSelector.
  assert.equal(matches({ resourceRules: [{ ...rule, resources: ["*"] }], namespaceSelector: { matchLabels: { env: "prod" } } }, req({ namespaced: false, namespace: "" }), true), true);
});

// "Delegate certificate signing" of kubernetes.io (access/delegated-certificate-signing-request/):
// the installer's ClusterRoles may name only its own domain's signers. The policy's first variable
// uses CEL's optional syntax (`object.?rules.orValue([])`), which v1.32's CEL environment enables.
// Its matchCondition (the requester is the installer's service account) is left out: admission
// sees every request as the scenario's kubectl user (docs/divergences.md).
test("the delegated CSR signer policy: object.?rules.orValue([]) and the installer's domain", async () => {
  const c = await cluster();
  const dir = "https://k8s.io/examples/access/delegated-certificate-signing-request";
  for (const f of ["namespace", "serviceaccount", "validatingadmissionpolicy-parameters-configmap", "installer-csr-delegation-validatingadmissionpolicybinding"]) {
    const r = await c.kubectl(["apply", "-f", `${dir}/${f}.yaml`]);
    assert.equal(r.exitCode, 0, `${f}: ${r.stderr}`);
  }
  const policy = readFileSync("exercises/docs/access/delegated-certificate-signing-request/installer-csr-delegation-validatingadmissionpolicy.yaml", "utf8");
  const withoutCondition = policy.replace(/ {2}matchConditions:\n {4}- name: "userIsController"\n {6}expression: .*\n/, "");
  assert.notEqual(withoutCondition, policy);
  assert.equal((await c.kubectl(["apply", "-f", "-"], withoutCondition)).exitCode, 0);
  const ok = await c.kubectl(["create", "-f", `${dir}/specific-delegated-clusterrole.yaml`]);
  assert.equal(ok.stdout, "clusterrole.rbac.authorization.k8s.io/specific-csr-approver created\n", ok.stderr);
  await c.kubectl(["delete", "clusterrole", "specific-csr-approver"]);
  const denied = await c.kubectl(["create", "-f", `${dir}/invalid-delegated-clusterrole.yaml`]);
  assert.equal(
    denied.stderr,
    `Error from server (Forbidden): error when creating "${dir}/invalid-delegated-clusterrole.yaml": clusterroles.rbac.authorization.k8s.io "specific-csr-approver" is forbidden: ValidatingAdmissionPolicy 'installer-csr-delegation-policy' with binding 'installer-csr-delegation-policy-binding' denied request: installer has failed to delegate CREATE specific-csr-approver certificate signing request in the  namespace. Check the configuration.\n`,
  );
  // A ClusterRole without rules: object.?rules is none, orValue([]) leaves no rule to check.
  const noRules = await c.kubectl(["create", "-f", "-"], "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: no-rules}\n");
  assert.equal(noRules.stdout, "clusterrole.rbac.authorization.k8s.io/no-rules created\n", noRules.stderr);
});

test("request.userInfo is the requester RBAC authorized: the admin, an impersonated user and groups (--as, --as-group), a controller's service account", async () => {
  const c = await cluster();
  // Every pod create is refused, naming who asked (messageExpression reads request.userInfo).
  await c.apply(`apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: who}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
  matchConditions:
  - {name: not-nodes, expression: '!("system:nodes" in request.userInfo.groups)'}
  validations:
  - expression: "false"
    messageExpression: "request.userInfo.username + ' ' + request.userInfo.groups.join(',') + (has(request.userInfo.uid) ? ' uid=' + request.userInfo.uid : '')"
`);
  await c.apply(binding("who", "who"));
  const run = (extra: string) => c.kubectl(`kubectl run p --image=nginx ${extra}`);
  assert.match((await run("")).stderr, /denied request: kubernetes-admin kubeadm:cluster-admins,system:authenticated\n$/);
  assert.match((await run("--as=jane --as-group=system:masters --as-uid=u-1")).stderr, /denied request: jane system:masters,system:authenticated uid=u-1\n$/);
  // A member of system:nodes is not matched (the match condition): the pod is created.
  assert.equal((await run("--as=system:node:k8s-node1 --as-group=system:nodes --as-group=system:masters")).exitCode, 0);
  // The ReplicaSet controller creates the Deployment's pods as its own service account.
  assert.equal((await deploy(c, "web")).exitCode, 0);
  await c.advance("2s");
  const failed = c.api.list("Event", { namespace: "default" }).find((e) => e.reason === "FailedCreate");
  assert.match(String(failed?.message), /denied request: system:serviceaccount:kube-system:replicaset-controller system:serviceaccounts,system:serviceaccounts:kube-system,system:authenticated$/);
});
