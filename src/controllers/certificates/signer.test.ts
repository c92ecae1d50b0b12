import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { createCSR, ecKey } from "../../images/programs/certmanager/pki.ts";
import { certificateText, parseCertificateDer } from "../../kubectl/x509text.ts";
import { CLUSTER_CA_KEY_PEM, CLUSTER_CA_PEM } from "./clusterca.ts";
import { apiServerClientUsagesError, signingDuration, signRequest, validity } from "./signer.ts";

const CA = { certPEM: CLUSTER_CA_PEM, keyPEM: CLUSTER_CA_KEY_PEM };
const H = 3600_000;
const M = 60_000;
const key = ecKey("signer.test");

function csr(cn: string, org: string[], usages: string[], signerName = "kubernetes.io/kube-apiserver-client", extra: Record<string, unknown> = {}): KObject {
  const request = Buffer.from(createCSR({ commonName: cn, organizations: org }, {}, undefined, false, key)).toString("base64");
  return { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: cn.replace(/[^a-z0-9-]/g, "-"), uid: "u-" + cn }, spec: { request, signerName, usages, ...extra } };
}

// signer_test.go Test_signer_duration.
test("Test_signer_duration", () => {
  const cases: Array<[string, number | undefined, number]> = [
    ["can request shorter duration than TTL", 30 * 60, 30 * M],
    ["cannot request longer duration than TTL", 3 * 3600, H],
    ["cannot request negative duration", -60, 10 * M],
    ["cannot request duration less than 10 mins", 10 * 60 - 1, 10 * M],
    ["can request duration of exactly 10 mins", 10 * 60, 10 * M],
    ["can request duration equal to the default", 3600, H],
    ["can choose not to request a duration to get the default", undefined, H],
  ];
  for (const [name, secs, want] of cases) assert.equal(signingDuration(secs, H), want, name);
  assert.equal(signingDuration(undefined), 8760 * H, "--cluster-signing-duration's default");
});

// signer_test.go TestSigner: the certificate's fields (subject, usages, basic constraints, validity).
test("TestSigner", () => {
  const now = Date.parse("2024-01-08T00:00:00Z");
  const req = csr("system:node:k-a-node-s36b", ["system:nodes"], ["signing", "key encipherment", "server auth", "client auth"], "kubernetes.io/legacy-unknown", { expirationSeconds: 3 * 3600 });
  const pem = signRequest(CA, req, now, H);
  const x = new X509Certificate(pem);
  assert.equal(x.subject, "O=system:nodes\nCN=system:node:k-a-node-s36b");
  assert.equal(x.issuer, "CN=kubernetes");
  assert.ok(x.verify(new X509Certificate(CLUSTER_CA_PEM).publicKey));
  // Requesting more than the TTL is ignored; a short certificate runs from now, backdated five minutes.
  assert.equal(new Date(x.validFrom).getTime(), now - 5 * M);
  assert.equal(new Date(x.validTo).getTime(), now + H);
  assert.equal(x.ca, false);
  assert.deepEqual(x.keyUsage, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  const text = certificateText(parseCertificateDer(new X509Certificate(pem).raw));
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
  assert.match(text, /X509v3 Authority Key Identifier: \n\s+4F:D4:5A:E8/);
  // The same request signs the same certificate (the serial from the request's uid).
  assert.equal(signRequest(CA, req, now, H), pem);
});

test("validity: backdated five minutes, a long certificate counts from the backdate, capped at the CA's NotAfter", () => {
  const now = Date.parse("2024-01-08T00:00:10.500Z");
  const far = new Date("2099-12-31T23:59:59Z");
  assert.deepEqual(validity(now, 24 * H, far), { notBefore: new Date("2024-01-07T23:55:10Z"), notAfter: new Date("2024-01-08T23:55:10Z") });
  assert.deepEqual(validity(now, H, far), { notBefore: new Date("2024-01-07T23:55:10Z"), notAfter: new Date("2024-01-08T01:00:10Z") });
  assert.deepEqual(validity(now, 24 * H, new Date("2024-01-08T12:00:00Z")).notAfter, new Date("2024-01-08T12:00:00Z"));
});

test("apiServerClientUsagesError (policies.go validAPIServerClientUsages)", () => {
  assert.equal(apiServerClientUsagesError(["client auth"]), undefined);
  assert.equal(apiServerClientUsagesError(["client auth", "digital signature", "key encipherment"]), undefined);
  assert.equal(apiServerClientUsagesError(["digital signature"]), "missing required usage for client certificate: client auth");
  assert.equal(apiServerClientUsagesError(["server auth", "client auth"]), "invalid usage for client certificate: server auth");
});

// signer_test.go TestHandle, the rows of the kube-apiserver-client signer (the others are not simulated).
test("TestHandle", async (t) => {
  const approve = (c: Cluster, obj: KObject, extra: Record<string, string>[] = []) => {
    const stored = c.api.create(obj);
    c.api.update({ ...structuredClone(stored), status: { conditions: [{ type: "Approved", status: "True", reason: "R", message: "m" }, ...extra] } }, { subresource: "approval" });
    c.clock.settle();
    return c.api.get("CertificateSigningRequest", undefined, obj.metadata.name!)!;
  };
  await t.test("should sign if signerName is kubernetes.io/kube-apiserver-client", () => {
    const c = new Cluster();
    const got = approve(c, csr("hello-world", ["some-org"], ["client auth", "digital signature", "key encipherment"]));
    assert.ok(got.status.certificate, "a certificate is issued");
    assert.match(Buffer.from(got.status.certificate, "base64").toString(), /^-----BEGIN CERTIFICATE-----\n/);
    void c.close();
  });
  await t.test("should refuse to sign if signerName is kubernetes.io/kube-apiserver-client and contains an unexpected usage", () => {
    const c = new Cluster();
    const got = approve(c, csr("hello-world", ["some-org"], ["server auth", "client auth", "digital signature", "key encipherment"]));
    assert.equal(got.status.certificate, undefined);
    const failed = got.status.conditions.find((x: { type: string }) => x.type === "Failed");
    assert.deepEqual({ ...failed, lastUpdateTime: undefined, lastTransitionTime: undefined }, { type: "Failed", status: "True", reason: "SignerValidationFailure", message: "invalid usage for client certificate: server auth", lastUpdateTime: undefined, lastTransitionTime: undefined });
    void c.close();
  });
  await t.test("should do nothing if failed", () => {
    const c = new Cluster();
    const got = approve(c, csr("hello-world", ["some-org"], ["client auth"]), [{ type: "Failed", status: "True" }]);
    assert.equal(got.status.certificate, undefined);
    void c.close();
  });
  await t.test("should do nothing if not approved", () => {
    const c = new Cluster();
    c.api.create(csr("hello-world", ["some-org"], ["client auth"]));
    c.clock.settle();
    assert.deepEqual(c.api.get("CertificateSigningRequest", undefined, "hello-world")!.status, {});
    void c.close();
  });
  await t.test("should do nothing if denied", () => {
    const c = new Cluster();
    const stored = c.api.create(csr("hello-world", ["some-org"], ["client auth"]));
    c.api.update({ ...structuredClone(stored), status: { conditions: [{ type: "Denied", status: "True" }] } }, { subresource: "approval" });
    c.clock.settle();
    assert.equal(c.api.get("CertificateSigningRequest", undefined, "hello-world")!.status.certificate, undefined);
    void c.close();
  });
  await t.test("should do nothing if signerName does not start with kubernetes.io", () => {
    const c = new Cluster();
    const got = approve(c, csr("hello-world", ["some-org"], ["client auth"], "example.com/sample-name"));
    assert.equal(got.status.certificate, undefined);
    assert.equal(got.status.conditions.length, 1);
    void c.close();
  });
});
