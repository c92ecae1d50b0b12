import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { webhookCaller } from "./caller.ts";

const svc = { namespace: "default", name: "hook", port: 443, path: "/networking/v1/ingresses" };

test("the API server's call of a webhook Service: not found, refused, plain HTTP, untrusted, answered", () => {
  const c = new Cluster({ builtInIngressController: false });
  c.addNodesFromTable([{ name: "n1" }]);
  const call = webhookCaller(c.ctx);
  assert.deepEqual(call({ service: svc, caBundle: "Y2E=", timeoutSeconds: 10, body: "{}" }), { error: 'service "hook" not found' });
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: hook}\nspec: {selector: {app: hook}, ports: [{name: https, port: 443, targetPort: 8443}]}\n");
  const ip = c.api.get("Service", "default", "hook")!.spec.clusterIP;
  assert.deepEqual(call({ service: svc, caBundle: "Y2E=", timeoutSeconds: 10, body: "{}" }), { error: `dial tcp ${ip}:443: connect: connection refused` });
  // A plain HTTP server behind the Service (the generic process).
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: plain, labels: {app: hook}}\nspec: {containers: [{name: c, image: example.com/hook:1, ports: [{containerPort: 8443}]}]}\n");
  c.advanceSync(10_000);
  assert.deepEqual(call({ service: svc, caBundle: "Y2E=", timeoutSeconds: 10, body: "{}" }), { error: "http: server gave HTTP response to HTTPS client" });
  c.kubectlSync("delete pod plain --grace-period=0 --force");
  c.applySync("apiVersion: v1\nkind: Secret\nmetadata: {name: cert}\nstringData: {cert: x, key: y}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ctl, labels: {app: hook}}\nspec:\n  containers:\n  - name: controller\n    image: registry.k8s.io/ingress-nginx/controller:v1.12.0\n    args: [/nginx-ingress-controller, --validating-webhook=:8443, --validating-webhook-certificate=/certs/cert, --validating-webhook-key=/certs/key]\n    volumeMounts: [{name: c, mountPath: /certs}]\n  volumes: [{name: c, secret: {secretName: cert}}]\n");
  c.advanceSync(10_000);
  assert.deepEqual(call({ service: svc, timeoutSeconds: 10, body: "{}" }), { error: "tls: failed to verify certificate: x509: certificate signed by unknown authority" });
  assert.deepEqual(call({ service: svc, caBundle: "Y2E=", timeoutSeconds: 10, body: JSON.stringify({ request: { uid: "u1" } }) }), { status: 200, body: '{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","response":{"uid":"u1","allowed":true}}' });
});
