import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { decodeToken, signingKey } from "../../api/serviceaccount/jwt.ts";
import { CLUSTER_CA_PEM } from "../rootcacertpublisher.ts";

const tokenSecret = (name: string, account: string, more: Record<string, string> = {}): KObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "default", annotations: { "kubernetes.io/service-account.name": account, ...more } },
  type: "kubernetes.io/service-account-token",
});
const sa = (name: string): KObject => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "default" } });
const decode = (s: string) => Buffer.from(s, "base64").toString("utf8");

test("a token Secret of an existing account gets ca.crt, namespace, a legacy token and the uid annotation", () => {
  const c = new Cluster();
  c.api.create(sa("build-robot"));
  c.api.create(tokenSecret("build-robot-secret", "build-robot"));
  c.clock.settle();
  const account = c.api.get("ServiceAccount", "default", "build-robot")!;
  const s = c.api.get("Secret", "default", "build-robot-secret")!;
  assert.deepEqual(Object.keys(s.data).sort(), ["ca.crt", "namespace", "token"]);
  assert.equal(decode(s.data["ca.crt"]), CLUSTER_CA_PEM);
  assert.equal(decode(s.data.namespace), "default");
  assert.deepEqual(s.metadata.annotations, { "kubernetes.io/service-account.name": "build-robot", "kubernetes.io/service-account.uid": account.metadata.uid });
  const token = decode(s.data.token);
  const { claims } = decodeToken(token)!;
  assert.deepEqual(claims, {
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": "default",
    "kubernetes.io/serviceaccount/secret.name": "build-robot-secret",
    "kubernetes.io/serviceaccount/service-account.name": "build-robot",
    "kubernetes.io/serviceaccount/service-account.uid": account.metadata.uid,
    sub: "system:serviceaccount:default:build-robot",
  });
  const [h, p, sig] = token.split(".");
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey(signingKey().publicKeyPem), Buffer.from(sig!, "base64url")));
  // The ServiceAccount's secrets list stays empty (only auto-generated Secrets were listed there).
  assert.equal(account.secrets, undefined);
});

test("a changed ca.crt is put back, a present token is kept; other Secret types are left alone", () => {
  const c = new Cluster();
  c.api.create(sa("build-robot"));
  c.api.create(tokenSecret("t", "build-robot"));
  c.api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "plain", namespace: "default", annotations: { "kubernetes.io/service-account.name": "build-robot" } }, data: {} });
  c.clock.settle();
  const token = c.api.get("Secret", "default", "t")!.data.token;
  c.api.mutate("Secret", "default", "t", (s) => (s.data["ca.crt"] = Buffer.from("other").toString("base64")));
  c.clock.settle();
  const s = c.api.get("Secret", "default", "t")!;
  assert.equal(decode(s.data["ca.crt"]), CLUSTER_CA_PEM);
  assert.equal(s.data.token, token);
  assert.deepEqual(c.api.get("Secret", "default", "plain")!.data ?? {}, {});
});

test("token Secrets of an account that does not exist, or has another uid, are deleted; deleting an account deletes its tokens", () => {
  const c = new Cluster();
  c.api.create(tokenSecret("orphan", "nobody"));
  c.clock.settle();
  assert.equal(c.api.get("Secret", "default", "orphan"), undefined);
  c.api.create(sa("build-robot"));
  c.api.create(tokenSecret("stale", "build-robot", { "kubernetes.io/service-account.uid": "not-the-uid" }));
  c.api.create(tokenSecret("mine", "build-robot"));
  c.api.create(tokenSecret("theirs", "default"));
  c.clock.settle();
  assert.equal(c.api.get("Secret", "default", "stale"), undefined);
  assert.ok(c.api.get("Secret", "default", "mine")?.data?.token);
  c.api.delete("ServiceAccount", "default", "build-robot");
  c.clock.settle();
  assert.equal(c.api.get("Secret", "default", "mine"), undefined);
  assert.ok(c.api.get("Secret", "default", "theirs"));
});
