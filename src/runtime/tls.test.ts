import { test } from "node:test";
import assert from "node:assert/strict";
import { plainToTLS, PLAIN_TO_TLS_BODY } from "./tls.ts";
import { Cluster } from "../cluster.ts";

test("a plain http client of a TLS port gets Go's 400; other outcomes pass unchanged", () => {
  assert.deepEqual(plainToTLS({ ok: true, status: 200, body: "ok", tls: true }), { ok: true, status: 400, body: PLAIN_TO_TLS_BODY });
  const plain = { ok: true as const, status: 200, body: "ok" };
  assert.equal(plainToTLS(plain), plain);
  const refused = { ok: false as const, kind: "refused" as const, error: "dial tcp 10.0.0.1:443: connect: connection refused" };
  assert.equal(plainToTLS(refused), refused);
});

test("kubelet probes: HTTPS reaches a TLS port, HTTP gets its 400, HTTPS to a plain port is Go's client error", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  const probe = (scheme: string, image: string, args: string) =>
    `    readinessProbe: {httpGet: {path: /livez, port: 10250, scheme: ${scheme}}, periodSeconds: 5}\n    image: ${image}\n    args: ${args}\n`;
  c.applySync(
    `apiVersion: v1\nkind: Pod\nmetadata: {name: tls-https}\nspec:\n  containers:\n  - name: c\n${probe("HTTPS", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", "[--secure-port=10250, --kubelet-insecure-tls]")}` +
      `---\napiVersion: v1\nkind: Pod\nmetadata: {name: tls-http}\nspec:\n  containers:\n  - name: c\n${probe("HTTP", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", "[--secure-port=10250, --kubelet-insecure-tls]")}` +
      `---\napiVersion: v1\nkind: Pod\nmetadata: {name: plain-https}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 10250}]\n${probe("HTTPS", "example.com/plain:1", "[]")}`,
  );
  c.advanceSync(20_000);
  const ready = (n: string) => c.api.get("Pod", "default", n)?.status?.containerStatuses?.[0]?.ready;
  assert.equal(ready("tls-https"), true);
  assert.equal(ready("tls-http"), false);
  assert.equal(ready("plain-https"), false);
  const events = c.kubectlSync("get events --field-selector reason=Unhealthy -o custom-columns=OBJ:.involvedObject.name,MSG:.message --no-headers").stdout;
  assert.match(events, /tls-http +Readiness probe failed: HTTP probe failed with statuscode: 400/);
  assert.match(events, /plain-https +Readiness probe failed: Get "https:\/\/10\.244\.\d+\.\d+:10250\/livez": http: server gave HTTP response to HTTPS client/);
});
