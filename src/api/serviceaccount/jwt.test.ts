import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { claims, legacyClaims, serviceAccountUsername } from "./claims.ts";
import { decodeToken, generateToken, marshalSorted, signingKey, SERVICE_ACCOUNT_ISSUER } from "./jwt.ts";
import type { ServiceAccount } from "../types.gen.ts";

const sa: ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "build-robot", namespace: "default", uid: "u-sa" } };

test("the key id is the unpadded base64url SHA-256 of the public key's PKIX DER (keyIDFromPublicKey)", () => {
  const k = signingKey();
  const der = createPublicKey(k.privateKey).export({ type: "spki", format: "der" });
  assert.equal(k.kid, createHash("sha256").update(der).digest("base64url"));
  assert.match(k.kid, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(createPublicKey(k.privateKey).asymmetricKeyDetails?.modulusLength, 2048);
});

test("a token is an RS256 JWS the public key verifies, the same bytes for the same claims", () => {
  const c = claims({ sa, expirationSeconds: 3600, audiences: [SERVICE_ACCOUNT_ISSUER], nowMs: 1_700_000_000_500, jti: "j-1" });
  const t = generateToken(c);
  assert.equal(t, generateToken(c));
  const [h, p, s] = t.split(".");
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey(signingKey().publicKeyPem), Buffer.from(s!, "base64url")));
  assert.ok(t.startsWith("eyJhbGciOiJSUzI1NiIsImtpZCI6"), "the header is {\"alg\":\"RS256\",\"kid\":...}");
  const d = decodeToken(t)!;
  assert.deepEqual(d.header, { alg: "RS256", kid: signingKey().kid });
  // claims.go: whole seconds, iat = nbf, exp = iat + lifetime; the private block names the account.
  assert.deepEqual(d.claims, {
    aud: ["https://kubernetes.default.svc.cluster.local"],
    exp: 1_700_003_600,
    iat: 1_700_000_000,
    iss: "https://kubernetes.default.svc.cluster.local",
    jti: "j-1",
    "kubernetes.io": { namespace: "default", serviceaccount: { name: "build-robot", uid: "u-sa" } },
    nbf: 1_700_000_000,
    sub: "system:serviceaccount:default:build-robot",
  });
  // go-jose marshals through a map: keys sorted at every level.
  assert.equal(Buffer.from(p!, "base64url").toString(), marshalSorted(d.claims));
  assert.deepEqual(Object.keys(JSON.parse(Buffer.from(p!, "base64url").toString())), ["aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub"]);
});

test("claims of a pod-bound token name the pod and its node; warnafter when extended; one bound kind only", () => {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default", uid: "u-pod" } };
  const c = claims({ sa, pod, node: { metadata: { name: "k8s-node1" } }, expirationSeconds: 31_536_000, warnAfterSeconds: 3607, audiences: ["a"], nowMs: 10_000, jti: "j" });
  assert.deepEqual(c["kubernetes.io"], { namespace: "default", node: { name: "k8s-node1" }, pod: { name: "web", uid: "u-pod" }, serviceaccount: { name: "build-robot", uid: "u-sa" }, warnafter: 10 + 3607 });
  assert.equal(c.exp, 10 + 31_536_000);
  assert.throws(() => claims({ sa, pod, secret: { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }, expirationSeconds: 600, audiences: [], nowMs: 0, jti: "" }), /only be bound to one object type/);
});

test("legacy claims (a service-account-token Secret's): issuer kubernetes/serviceaccount, no expiry", () => {
  const c = legacyClaims(sa, { apiVersion: "v1", kind: "Secret", metadata: { name: "build-robot-secret", namespace: "default" } });
  assert.deepEqual(c, {
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": "default",
    "kubernetes.io/serviceaccount/secret.name": "build-robot-secret",
    "kubernetes.io/serviceaccount/service-account.name": "build-robot",
    "kubernetes.io/serviceaccount/service-account.uid": "u-sa",
    sub: "system:serviceaccount:default:build-robot",
  });
  assert.equal(serviceAccountUsername("ns", "a"), "system:serviceaccount:ns:a");
});

test("decodeToken: anything but three base64url JSON parts is not a token", () => {
  assert.equal(decodeToken("abc"), undefined);
  assert.equal(decodeToken("a.b.c"), undefined);
});
