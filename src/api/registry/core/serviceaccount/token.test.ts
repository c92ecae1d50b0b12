import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { Cluster } from "../../../../cluster.ts";
import { decodeToken, signingKey } from "../../../serviceaccount/jwt.ts";
import { createToken, EXPIRATION_EXTENSION_SECONDS, requestToken } from "./token.ts";

function cluster(): Cluster {
  const c = new Cluster();
  c.api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "build-robot", namespace: "default" } });
  c.clock.settle();
  return c;
}

test("a TokenRequest for an account: the API server's audience, an hour, the claims of the simulated clock", () => {
  const c = cluster();
  const sa = c.api.get("ServiceAccount", "default", "build-robot")!;
  const now = Math.floor(c.clock.now() / 1000);
  const tr = createToken(c.api, "default", "build-robot");
  assert.equal(tr.kind, "TokenRequest");
  assert.equal(tr.apiVersion, "authentication.k8s.io/v1");
  assert.deepEqual(tr.spec, { audiences: ["https://kubernetes.default.svc.cluster.local"], expirationSeconds: 3600 });
  assert.equal(tr.status.expirationTimestamp, new Date((now + 3600) * 1000).toISOString().replace(".000Z", "Z"));
  const [h, p, s] = tr.status.token.split(".");
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey(signingKey().publicKeyPem), Buffer.from(s!, "base64url")));
  const { claims } = decodeToken(tr.status.token)!;
  assert.equal(claims.sub, "system:serviceaccount:default:build-robot");
  assert.equal(claims.iss, "https://kubernetes.default.svc.cluster.local");
  assert.deepEqual([claims.iat, claims.nbf, claims.exp], [now, now, now + 3600]);
  assert.deepEqual(claims["kubernetes.io"], { namespace: "default", serviceaccount: { name: "build-robot", uid: sa.metadata.uid } });
  assert.match(String(claims.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Each request is a new token (a new jti); the same cluster history gives the same tokens.
  const again = createToken(c.api, "default", "build-robot");
  assert.notEqual(again.status.token, tr.status.token);
  assert.equal(createToken(cluster().api, "default", "build-robot").status.token, tr.status.token);
});

test("audiences and durations as asked; the limits of ValidateTokenRequest", () => {
  const c = cluster();
  const tr = createToken(c.api, "default", "build-robot", { spec: { audiences: ["vault", "https://example.com"], expirationSeconds: 600 } });
  const { claims } = decodeToken(tr.status.token)!;
  assert.deepEqual(claims.aud, ["vault", "https://example.com"]);
  assert.equal(Number(claims.exp) - Number(claims.iat), 600);
  assert.throws(() => createToken(c.api, "default", "build-robot", { spec: { expirationSeconds: 599 } }), {
    message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
  });
  assert.throws(() => createToken(c.api, "default", "build-robot", { spec: { expirationSeconds: 2 ** 32 + 1 } }), /may not specify a duration larger than 2\^32 seconds/);
  assert.throws(() => createToken(c.api, "default", "nobody"), { message: 'serviceaccounts "nobody" not found' });
  assert.throws(() => createToken(c.api, "default", "build-robot", { metadata: { name: "other" } }), { message: /metadata.name: Invalid value: "other": must match the service account name if specified/ });
});

test("bound tokens: a pod of the account (with its node), a secret, a node; wrong kinds, accounts and uids refused", () => {
  const c = cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { serviceAccountName: "build-robot", nodeName: "k8s-node1", containers: [{ name: "c", image: "nginx" }] } });
  c.api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } });
  c.clock.settle();
  const pod = c.api.get("Pod", "default", "web")!;
  const node = c.api.get("Node", undefined, "k8s-node1")!;
  const bound = createToken(c.api, "default", "build-robot", { spec: { boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web" } } });
  const k8s = decodeToken(bound.status.token)!.claims["kubernetes.io"] as Record<string, unknown>;
  assert.deepEqual(k8s.pod, { name: "web", uid: pod.metadata.uid });
  assert.deepEqual(k8s.node, { name: "k8s-node1", uid: node.metadata.uid });
  const secret = createToken(c.api, "default", "build-robot", { spec: { boundObjectRef: { apiVersion: "v1", kind: "Secret", name: "s" } } });
  assert.deepEqual((decodeToken(secret.status.token)!.claims["kubernetes.io"] as Record<string, unknown>).secret, { name: "s", uid: c.api.get("Secret", "default", "s")!.metadata.uid });
  assert.throws(() => createToken(c.api, "default", "default", { spec: { boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web" } } }), {
    message: 'cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.',
  });
  assert.throws(() => createToken(c.api, "default", "build-robot", { spec: { boundObjectRef: { apiVersion: "apps/v1", kind: "Deployment", name: "d" } } }), {
    message: "cannot bind token to object of type apps/v1, Kind=Deployment",
  });
  assert.throws(() => createToken(c.api, "default", "build-robot", { spec: { boundObjectRef: { apiVersion: "v1", kind: "Secret", name: "s", uid: "nope" } } }), {
    message: 'Operation cannot be fulfilled on Secret "s": the UID in the bound object reference (nope) does not match the UID in record. The object might have been deleted and then recreated',
  });
  assert.throws(() => createToken(c.api, "default", "build-robot", { spec: { boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "gone" } } }), { message: 'pods "gone" not found' });
});

test("the kubelet's token (pod-bound, 3607 s, API audience) is extended to a year with warnafter; the status keeps the asked expiry", () => {
  const c = cluster();
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  c.clock.settle();
  const now = Math.floor(c.clock.now() / 1000);
  const tr = createToken(c.api, "default", "default", { spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web" } } });
  const { claims } = decodeToken(tr.status.token)!;
  assert.equal(claims.exp, now + EXPIRATION_EXTENSION_SECONDS);
  assert.equal((claims["kubernetes.io"] as Record<string, unknown>).warnafter, now + 3607);
  assert.equal(tr.status.expirationTimestamp, new Date((now + 3607) * 1000).toISOString().replace(".000Z", "Z"));
  // Not bound to a pod, or for another audience: not extended.
  const other = decodeToken(createToken(c.api, "default", "default", { spec: { expirationSeconds: 3607, audiences: ["vault"], boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web" } } }).status.token)!;
  assert.equal(other.claims.exp, now + 3607);
});

test("requestToken's token read later has the request's claims and bytes: the instant, the objects and the jti as they were, whatever happened since", () => {
  // The claims are marshalled when the token is first read (the kubelet's projected tokens, issue
  // #19): reading it an hour later, after the account and the pod changed and more tokens were
  // requested, must give what an eager TokenRequest gave at the request.
  const c = cluster();
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { serviceAccountName: "build-robot", nodeName: "n1", containers: [{ name: "c", image: "busybox" }] } });
  c.clock.settle();
  const pod = c.api.get("Pod", "default", "p")!;
  const spec = { spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "p", uid: pod.metadata.uid } } };
  const lazy = requestToken(c.api, "default", "build-robot", spec).token;
  const eager = requestToken(cluster2(), "default", "build-robot", spec).token.value;
  c.clock.advance(3_600_000);
  // The account deleted and made again (a new uid) before the read.
  c.api.delete("ServiceAccount", "default", "build-robot");
  c.api.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "build-robot", namespace: "default" } });
  c.clock.settle();
  createToken(c.api, "default", "build-robot");
  assert.equal(lazy.value, eager);
  const { claims } = decodeToken(lazy.value)!;
  assert.equal(claims.iat, Math.floor(Date.parse("2024-01-08T00:00:00Z") / 1000));
  assert.deepEqual((claims["kubernetes.io"] as { pod: unknown }).pod, { name: "p", uid: pod.metadata.uid });

  /** The same history, the token read at once. */
  function cluster2() {
    const d = cluster();
    d.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { serviceAccountName: "build-robot", nodeName: "n1", containers: [{ name: "c", image: "busybox" }] } });
    d.clock.settle();
    return d.api;
  }
});
