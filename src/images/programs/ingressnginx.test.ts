import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";

const CERTGEN = "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.0";

function cluster(): Cluster {
  const c = new Cluster({ builtInIngressController: false });
  c.addNodesFromTable([{ name: "n1" }]);
  return c;
}

/** The service account `certgen` with the admission Role and ClusterRole of deploy.yaml, or none. */
const RBAC = `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: certgen}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: certgen}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get, create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: certgen}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: certgen}\nsubjects: [{kind: ServiceAccount, name: certgen, namespace: default}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: certgen}\nrules: [{apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [get, update]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: certgen}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: certgen}\nsubjects: [{kind: ServiceAccount, name: certgen, namespace: default}]\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: hook}\nwebhooks:\n- name: validate.example.io\n  admissionReviewVersions: [v1]\n  sideEffects: None\n  clientConfig: {service: {name: hook, namespace: default, path: /validate}}\n  rules: [{apiGroups: [networking.k8s.io], apiVersions: [v1], operations: [CREATE], resources: [ingresses]}]\n---\n`;

function job(name: string, args: string[], sa = "certgen"): string {
  return `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      serviceAccountName: ${sa}\n      restartPolicy: OnFailure\n      containers:\n      - name: c\n        image: ${CERTGEN}\n        args: ${JSON.stringify(args)}\n---\n`;
}

const CREATE = ["create", "--host=hook,hook.default.svc", "--namespace=default", "--secret-name=hook-cert"];
const PATCH = ["patch", "--webhook-name=hook", "--namespace=default", "--patch-mutating=false", "--secret-name=hook-cert", "--patch-failure-policy=Fail"];

test("patch before create: no secret yet, logrus' fatal line, exit 1, and the Job's pod restarts until create made it", () => {
  const c = cluster();
  c.applySync(RBAC + job("patch", PATCH));
  c.advanceSync(5_000);
  const pod = c.api.list("Pod", { namespace: "default" }).find((p) => p.metadata.name!.startsWith("patch-"))!;
  const logs = c.kubectlSync(["logs", pod.metadata.name!]).stdout.split("\n").filter(Boolean);
  assert.deepEqual(logs, [
    '{"err":"secrets \\"hook-cert\\" not found","level":"info","msg":"no secret found","source":"k8s/k8s.go:229","time":"2024-01-08T00:00:01Z"}',
    '{"level":"fatal","msg":"no secret with \'hook-cert\' in \'default\'","source":"cmd/patch.go:106","time":"2024-01-08T00:00:01Z"}',
  ]);
  assert.equal(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode ?? pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
  c.applySync(job("create", CREATE));
  c.advanceSync(60_000);
  assert.equal(c.api.get("Job", "default", "create")?.status?.succeeded, 1);
  assert.equal(c.api.get("Job", "default", "patch")?.status?.succeeded, 1);
  const secret = c.api.get("Secret", "default", "hook-cert")!;
  assert.deepEqual(Object.keys(secret.data).sort(), ["ca", "cert", "key"]);
  const hook = c.api.get("ValidatingWebhookConfiguration", undefined, "hook")!;
  assert.equal(hook.webhooks[0].clientConfig.caBundle, secret.data.ca);
  assert.equal(hook.webhooks[0].failurePolicy, "Fail");
  assert.match(Buffer.from(secret.data.key, "base64").toString(), /^-----BEGIN EC PRIVATE KEY-----\n/);
});

test("create twice: the second run leaves the Secret (secret already exists)", () => {
  const c = cluster();
  c.applySync(RBAC + job("create", CREATE));
  c.advanceSync(5_000);
  c.applySync(job("create2", CREATE));
  c.advanceSync(5_000);
  assert.match(c.kubectlSync("logs job/create2").stdout, /"msg":"secret already exists","source":"cmd\/create.go:33"/);
});

test("without its Role the service account is refused: the API server's 403 in logrus' fatal line", () => {
  const c = cluster();
  c.applySync("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bare}\n---\n" + job("create", CREATE, "bare"));
  c.advanceSync(5_000);
  const pod = c.api.list("Pod", { namespace: "default" }).find((p) => p.metadata.name!.startsWith("create-"))!;
  assert.equal(
    c.kubectlSync(["logs", pod.metadata.name!]).stdout,
    '{"err":"secrets \\"hook-cert\\" is forbidden: User \\"system:serviceaccount:default:bare\\" cannot get resource \\"secrets\\" in API group \\"\\" in the namespace \\"default\\"","level":"fatal","msg":"error getting secret","source":"k8s/k8s.go:232","time":"2024-01-08T00:00:01Z"}\n',
  );
});

test("a cluster built without the ingress add-on has no IngressClass and no controller answering", () => {
  const c = cluster();
  assert.equal(c.api.get("IngressClass", undefined, "nginx"), undefined);
  assert.equal(new Cluster().api.get("IngressClass", undefined, "nginx")?.spec.controller, "k8s.io/ingress-nginx");
});

test("the controller: /healthz on 10254, the webhook and HTTPS ports speak TLS, 80 plain nginx", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1\nkind: Secret\nmetadata: {name: cert}\nstringData: {cert: x, key: y}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ctl}\nspec:\n  containers:\n  - name: controller\n    image: registry.k8s.io/ingress-nginx/controller:v1.12.0\n    args: [/nginx-ingress-controller, --validating-webhook=:8443, --validating-webhook-certificate=/usr/local/certificates/cert, --validating-webhook-key=/usr/local/certificates/key]\n    volumeMounts: [{name: c, mountPath: /usr/local/certificates/}]\n  volumes: [{name: c, secret: {secretName: cert}}]\n`);
  c.advanceSync(10_000);
  const ip = c.api.get("Pod", "default", "ctl")!.status!.podIP;
  const get = (port: number, path = "/") => requestAndWait(c.ctx, `http://${ip}:${port}${path}`).outcome;
  const health = get(10254, "/healthz");
  assert.ok(health.ok && health.status === 200 && health.body === "ok" && !health.tls);
  for (const port of [443, 8443]) {
    const o = get(port);
    assert.ok(o.ok && o.tls, String(port));
  }
  const plain = get(80);
  assert.ok(plain.ok && plain.status === 404 && !plain.tls && plain.body.includes("<center>nginx</center>"));
});

test("the controller without its webhook certificate file exits 1", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: ctl}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: controller\n    image: registry.k8s.io/ingress-nginx/controller:v1.12.0\n    args: [/nginx-ingress-controller, --validating-webhook=:8443, --validating-webhook-certificate=/usr/local/certificates/cert]\n`);
  c.advanceSync(10_000);
  assert.equal(c.api.get("Pod", "default", "ctl")!.status!.containerStatuses![0]!.state!.terminated!.exitCode, 1);
  assert.equal(c.kubectlSync("logs ctl").stdout, "open /usr/local/certificates/cert: no such file or directory\n");
});
