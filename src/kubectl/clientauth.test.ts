import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { createCertificate, decodePrivateKey, Drbg, ecKey, encodePrivateKey, parseCertificate, rsaKey, serialNumber, subjectKeyId, type Subject } from "../images/programs/certmanager/pki.ts";
import { CLUSTER_CA_KEY_PEM, CLUSTER_CA_PEM } from "../controllers/certificates/clusterca.ts";
import { KubectlError, type KubectlContext } from "./command.ts";
import { Kubeconfig } from "./kubeconfig.ts";
import { authenticateClientCertificate, certificateIdentifier, kubeconfigRequester, UNAUTHORIZED } from "./clientauth.ts";

const caKey = decodePrivateKey(CLUSTER_CA_KEY_PEM);
const ca = parseCertificate(CLUSTER_CA_PEM)!;
const userKey = ecKey("clientauth.test");
const NOW = Date.parse("2024-01-08T00:00:00Z");
const H = 3600_000;

function cert(subject: Subject, opts: { usages?: string[]; from?: number; to?: number; signer?: "ca" | "other"; spki?: Buffer } = {}): string {
  const other = rsaKey("clientauth.test other CA");
  return createCertificate(
    { serial: serialNumber(new Drbg(JSON.stringify(subject))), subject, sans: {}, notBefore: new Date(opts.from ?? NOW - H), notAfter: new Date(opts.to ?? NOW + H), isCA: false, usages: opts.usages ?? ["digital signature", "client auth"], spki: opts.spki ?? userKey.spki },
    opts.signer === "other" ? other : caKey,
    opts.signer === "other" ? { subject: { commonName: "kubernetes" }, spki: other.spki } : { subject: ca.subject, spki: ca.spki },
  );
}

const credentialId = (pem: string) => ({ "authentication.kubernetes.io/credential-id": ["X509SHA256=" + createHash("sha256").update(new X509Certificate(pem).raw).digest("hex")] });

/** certificateIdentifier of a certificate the CA (or `signer`) issued: no key id of its own, the issuer's as authority key id. */
const ident = (pem: string, signer: Buffer = ca.spki) => `SN=${BigInt("0x" + new X509Certificate(pem).serialNumber)}, SKID=, AKID=${subjectKeyIdHex(signer)}`;
const subjectKeyIdHex = (spki: Buffer) => subjectKeyId(spki).toString("hex").toUpperCase().replace(/(..)(?!$)/g, "$1:");

// request/x509/x509_test.go TestX509's kinds of case: the verdict on a presented client certificate,
// with the error kube-apiserver logs for the ones it refuses (Go's crypto/x509 texts).
test("TestX509: the x509 authenticator's verdicts", async (t) => {
  const expiredWhy = (pem: string, why: string, signer?: Buffer) => `verifying certificate ${ident(pem, signer)} failed: x509: ${why}`;
  const other = rsaKey("clientauth.test other CA").spki;
  const otherCA = rsaKey("clientauth.test another name");
  const renamed = createCertificate(
    { serial: 7n, subject: { commonName: "myuser" }, sans: {}, notBefore: new Date(NOW - H), notAfter: new Date(NOW + H), isCA: false, usages: ["client auth"], spki: userKey.spki },
    otherCA,
    { subject: { commonName: "other-ca", organizations: ["acme"] }, spki: otherCA.spki },
  );
  const cases: Array<{ name: string; pem: string; want: "user" | "none" | ((pem: string) => string); groups?: string[] }> = [
    { name: "valid client cert: CN is the user, O the groups", pem: cert({ commonName: "myuser", organizations: ["developers", "ops"] }), want: "user", groups: ["developers", "ops", "system:authenticated"] },
    { name: "client cert without extended key usages", pem: cert({ commonName: "myuser" }, { usages: ["digital signature"] }), want: "user", groups: ["system:authenticated"] },
    { name: "server cert disallowed", pem: cert({ commonName: "myuser" }, { usages: ["server auth"] }), want: (p) => expiredWhy(p, "certificate specifies an incompatible key usage") },
    { name: "any extended key usage allowed", pem: cert({ commonName: "myuser" }, { usages: ["any"] }), want: "user", groups: ["system:authenticated"] },
    { name: "future cert", pem: cert({ commonName: "myuser" }, { from: NOW + H, to: NOW + 2 * H }), want: (p) => expiredWhy(p, "certificate has expired or is not yet valid: current time 2024-01-08T00:00:00Z is before 2024-01-08T01:00:00Z") },
    { name: "expired cert", pem: cert({ commonName: "myuser" }, { from: NOW - 2 * H, to: NOW - H }), want: (p) => expiredWhy(p, "certificate has expired or is not yet valid: current time 2024-01-08T00:00:00Z is after 2024-01-07T23:00:00Z") },
    { name: "valid until the second after NotAfter", pem: cert({ commonName: "myuser" }, { from: NOW - 2 * H, to: NOW }), want: "user", groups: ["system:authenticated"] },
    {
      name: "signed by another CA of the same name: the candidate's signature fails (the hint)",
      pem: cert({ commonName: "myuser" }, { signer: "other" }),
      want: (p) => expiredWhy(p, 'certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")', other),
    },
    { name: "signed by an unknown CA", pem: renamed, want: () => `verifying certificate SN=7, SKID=, AKID=${subjectKeyIdHex(otherCA.spki)} failed: x509: certificate signed by unknown authority` },
    { name: "an expired certificate of an unknown CA: the period is checked first", pem: cert({ commonName: "myuser" }, { signer: "other", from: NOW - 2 * H, to: NOW - H }), want: (p) => expiredWhy(p, "certificate has expired or is not yet valid: current time 2024-01-08T00:00:00Z is after 2024-01-07T23:00:00Z", other) },
    { name: "no common name: no user (the next authenticator decides)", pem: cert({ organizations: ["developers"] }), want: "none" },
    { name: "not a certificate", pem: "garbage", want: () => "tls: failed to parse certificate" },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const v = authenticateClientCertificate(c.pem, CLUSTER_CA_PEM, NOW);
      if (c.want === "user") assert.deepEqual(v, { user: { name: "myuser", groups: c.groups, extra: credentialId(c.pem) } });
      else if (c.want === "none") assert.deepEqual(v, {});
      else assert.deepEqual(v, { error: c.want(c.pem) });
    });
  }
});

test("certificateIdentifier reads the serial and key ids as openssl does; a malformed DER gives what it read", () => {
  const caCert = new X509Certificate(CLUSTER_CA_PEM);
  assert.equal(certificateIdentifier(caCert.raw), `SN=0, SKID=${subjectKeyIdHex(ca.spki)}, AKID=`);
  const big = createCertificate({ serial: 2n ** 127n - 1n, subject: { commonName: "x" }, sans: {}, notBefore: new Date(NOW), notAfter: new Date(NOW + H), isCA: false, spki: userKey.spki }, caKey, { subject: ca.subject, spki: ca.spki });
  assert.equal(certificateIdentifier(new X509Certificate(big).raw), `SN=${2n ** 127n - 1n}, SKID=, AKID=${subjectKeyIdHex(ca.spki)}`);
  for (const bad of [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), caCert.raw.subarray(0, 40), Buffer.alloc(10_000, 0x30)]) {
    assert.match(certificateIdentifier(bad), /^SN=-?\d+, SKID=[0-9A-F:]*, AKID=[0-9A-F:]*$/);
  }
});

/** A kubectl context with only what kubeconfigRequester reads: the kubeconfig, the machine's files, the clock. */
function ctxWith(user: Record<string, string>, files: Record<string, string> = {}): KubectlContext {
  const kubeconfig = new Kubeconfig();
  kubeconfig.users.set("u", user);
  return {
    kubeconfig,
    machine: undefined,
    files: { read: (p: string) => (p in files ? Buffer.from(files[p]!) : (() => { throw new Error("ENOENT"); })()) },
    clock: { now: () => NOW },
    services: { get: () => undefined },
  } as unknown as KubectlContext;
}

test("kubeconfigRequester: the kubeconfig user's credentials as kube-apiserver meets them", () => {
  const pem = cert({ commonName: "myuser", organizations: ["dev"] });
  const keyPEM = encodePrivateKey(userKey);
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  assert.deepEqual(kubeconfigRequester(ctxWith({ "client-certificate-data": b64(pem), "client-key-data": b64(keyPEM) }), "u"), { name: "myuser", groups: ["dev", "system:authenticated"], extra: credentialId(pem) });
  // Files named in the kubeconfig; an absolute path under /root is the project's.
  assert.equal(kubeconfigRequester(ctxWith({ "client-certificate": "/root/u.crt", "client-key": "u.key" }, { "u.crt": pem, "u.key": keyPEM }), "u")?.name, "myuser");
  assert.throws(() => kubeconfigRequester(ctxWith({ "client-certificate": "missing.crt", "client-key": "u.key" }, { "u.key": keyPEM }), "u"), (e: unknown) => e instanceof KubectlError && e.message === "unable to read client-cert missing.crt for u due to open missing.crt: no such file or directory");
  // A key that is not the certificate's fails in the TLS client, before any request.
  assert.throws(() => kubeconfigRequester(ctxWith({ "client-certificate-data": b64(pem), "client-key-data": b64(encodePrivateKey(ecKey("another"))) }), "u"), (e: unknown) => e instanceof KubectlError && e.message === "tls: private key does not match public key");
  // A certificate the server refuses is a 401.
  const expired = cert({ commonName: "myuser" }, { from: NOW - 2 * H, to: NOW - H });
  assert.throws(() => kubeconfigRequester(ctxWith({ "client-certificate-data": b64(expired), "client-key-data": b64(keyPEM) }), "u"), (e: unknown) => e instanceof KubectlError && e.message === UNAUTHORIZED);
  // No credentials, or a certificate without a common name: the anonymous user.
  assert.deepEqual(kubeconfigRequester(ctxWith({}), "u"), { name: "system:anonymous", groups: ["system:unauthenticated"] });
  const noCN = cert({ organizations: ["dev"] });
  assert.deepEqual(kubeconfigRequester(ctxWith({ "client-certificate-data": b64(noCN), "client-key-data": b64(keyPEM) }), "u"), { name: "system:anonymous", groups: ["system:unauthenticated"] });
  // A certificate without its key is a configuration error.
  assert.throws(() => kubeconfigRequester(ctxWith({ "client-certificate-data": b64(pem) }), "u"), (e: unknown) => e instanceof KubectlError && /client-key-data or client-key must be specified for u to use the clientCert authentication method/.test(e.message));
  // The simulation's own user is the admin, reached directly (no requester).
  const admin = ctxWith({});
  admin.kubeconfig.users.set("kube-scenario", {});
  assert.equal(kubeconfigRequester(admin, "kube-scenario"), undefined);
});
