import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { clusterNetwork } from "../../network/network.ts";
import { readFileSync } from "node:fs";

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

/** deploy.yaml of controller-v1.12.0 applied, the controller ready; a demo Deployment and Service. */
function installed(): Cluster {
  const c = cluster();
  c.applySync(readFileSync("exercises/apps/ingress-nginx/deploy.yaml", "utf8"));
  c.advanceSync(60_000);
  c.applySync(
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: demo}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: demo}}\n  template:\n    metadata: {labels: {app: demo}}\n    spec:\n      containers: [{name: httpd, image: httpd}]\n---\n" +
      "apiVersion: v1\nkind: Service\nmetadata: {name: demo}\nspec:\n  selector: {app: demo}\n  ports: [{port: 80}]\n---\n" +
      "apiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  selector: {app: none}\n  ports: [{port: 80}]\n",
  );
  c.advanceSync(30_000);
  return c;
}

const INGRESS = (name: string, host: string, svc: string, cls = "ingressClassName: nginx") =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}}\nspec:\n  ${cls}\n  rules:\n  - host: ${host}\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: ${svc}, port: {number: 80}}}}\n`;

/** A request from the node to the controller's Service with a Host header. */
function viaController(c: Cluster, host: string, path = "/"): { status: number; body: string; pod?: string } {
  const ip = c.api.get("Service", "ingress-nginx", "ingress-nginx-controller")!.spec.clusterIP;
  let got: { status: number; body: string; pod?: string } | undefined;
  clusterNetwork(c.ctx).send({ method: "GET", url: `http://${ip}:80${path}`, headers: { Host: host, "User-Agent": "curl/8.5.0" } }, (d) => {
    assert.ok(d.outcome.ok, JSON.stringify(d.outcome));
    got = { status: d.outcome.status, body: d.outcome.body, pod: d.pod?.name };
  });
  c.advanceSync(100);
  assert.ok(got);
  return got;
}

test("installed from deploy.yaml: routes its class's Ingresses to the backends' endpoints round-robin, 404 and 503 of its own, an access-log line per routed request", () => {
  const c = installed();
  c.applySync(INGRESS("demo", "demo.localdev.me", "demo") + "---\n" + INGRESS("none", "none.localdev.me", "empty") + "---\n" + INGRESS("theirs", "theirs.localdev.me", "demo", "ingressClassName: traefik"));
  c.advanceSync(1_000);
  const a = viaController(c, "demo.localdev.me");
  assert.equal(a.status, 200);
  assert.match(a.body, /It works!/);
  // Two endpoints: the next request goes to the other one.
  const pods = c.api.list("Pod", { namespace: "default" }).filter((p) => p.metadata.name!.startsWith("demo-"));
  assert.equal(pods.length, 2);
  const logs = () => c.kubectlSync("logs -n ingress-nginx deployment/ingress-nginx-controller").stdout.split("\n").filter((l) => / \[default-/.test(l) || l.includes("[upstream-default-backend]"));
  viaController(c, "demo.localdev.me");
  const addrs = logs().map((l) => l.split(" ")[16]);
  assert.deepEqual(new Set(addrs), new Set(pods.map((p) => `${p.status!.podIP}:80`)));
  // The Ingress of another class is not this controller's: the catch-all server, not logged.
  const theirs = viaController(c, "theirs.localdev.me");
  assert.equal(theirs.status, 404);
  assert.match(theirs.body, /<center>nginx<\/center>/);
  // A Service without endpoints: 503 from the balancer, no upstream address.
  const none = viaController(c, "none.localdev.me");
  assert.equal(none.status, 503);
  assert.match(none.body, /503 Service Temporarily Unavailable/);
  const lines = logs();
  assert.equal(lines.length, 3);
  assert.match(lines[2]!, /^\S+ - - \[08\/Jan\/2024:00:01:31 \+0000\] "GET \/ HTTP\/1\.1" 503 190 "-" "curl\/8\.5\.0" \d+ 0\.000 \[default-empty-80\] \[\] - - - - [0-9a-f]{32}$/);
  assert.match(lines[0]!, / 200 45 "-" "curl\/8\.5\.0" \d+ 0\.000 \[default-demo-80\] \[\] 10\.244\.\d+\.\d+:80 45 0\.000 200 [0-9a-f]{32}$/);
});

test("installed from deploy.yaml: Sync events on the Ingresses it takes, the leader Lease renewed, the published Service's address in the status", () => {
  const c = installed();
  c.applySync(INGRESS("demo", "demo.localdev.me", "demo") + "---\n" + INGRESS("theirs", "theirs.localdev.me", "demo", "ingressClassName: traefik"));
  c.advanceSync(1_000);
  const events = (name: string) => c.api.list("Event", { namespace: "default" }).filter((e) => e.involvedObject.name === name && e.reason === "Sync");
  assert.equal(events("demo").length, 1);
  assert.equal(events("demo")[0]!.message, "Scheduled for sync");
  assert.equal(events("demo")[0]!.source.component, "nginx-ingress-controller");
  assert.equal(events("theirs").length, 0);
  const lease = c.api.get("Lease", "ingress-nginx", "ingress-nginx-leader")!;
  const pod = c.api.list("Pod", { namespace: "ingress-nginx" }).find((p) => p.metadata.name!.startsWith("ingress-nginx-controller-"))!;
  assert.equal(lease.spec.holderIdentity, pod.metadata.name);
  assert.equal(lease.spec.leaseDurationSeconds, 30);
  const renewed = lease.spec.renewTime;
  c.advanceSync(7_500);
  assert.notEqual(c.api.get("Lease", "ingress-nginx", "ingress-nginx-leader")!.spec.renewTime, renewed);
  // kind: the LoadBalancer Service has no address, nor have the Ingresses.
  c.advanceSync(60_000);
  assert.equal(c.api.get("Ingress", "default", "demo")!.status?.loadBalancer?.ingress, undefined);
  // A load balancer gives the Service an address: the leader's next status sync publishes it.
  c.ctx.api.mutate("Service", "ingress-nginx", "ingress-nginx-controller", (s) => (s.status = { loadBalancer: { ingress: [{ ip: "172.18.255.200", ipMode: "VIP" }] } }), { subresource: "status" });
  c.advanceSync(60_000);
  assert.deepEqual(c.api.get("Ingress", "default", "demo")!.status.loadBalancer.ingress, [{ ip: "172.18.255.200" }]);
  assert.equal(c.api.get("Ingress", "default", "theirs")!.status?.loadBalancer?.ingress, undefined);
  // The status update is a change of the Ingress: another Sync (the event's count).
  assert.equal(events("demo")[0]!.count, 2);
  assert.match(c.kubectlSync("logs -n ingress-nginx deployment/ingress-nginx-controller").stdout, /status\.go:304\] "updating Ingress status" namespace="default" ingress="demo" currentValue=\[\] newValue=\[\{IP:172\.18\.255\.200 Hostname: IPMode:<nil> Ports:\[\]\}\]/);
});
