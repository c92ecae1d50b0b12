import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { createCertificate, decodePrivateKey, Drbg, ecKey, encodePrivateKey, parseCertificate, rsaKey, serialNumber, type Subject } from "../images/programs/certmanager/pki.ts";
import { CLUSTER_CA_KEY_PEM, CLUSTER_CA_PEM } from "../controllers/certificates/clusterca.ts";
import { KubectlError, type KubectlContext } from "./command.ts";
import { Kubeconfig } from "./kubeconfig.ts";
import { authenticateClientCertificate, kubeconfigRequester, UNAUTHORIZED } from "./clientauth.ts";

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

// request/x509/x509_test.go TestX509's kinds of case: the verdict on a presented client certificate.
test("TestX509: the x509 authenticator's verdicts", async (t) => {
  const cases: Array<{ name: string; pem: string; want: "user" | "unauthorized" | "none"; groups?: string[] }> = [
    { name: "valid client cert: CN is the user, O the groups", pem: cert({ commonName: "myuser", organizations: ["developers", "ops"] }), want: "user", groups: ["developers", "ops", "system:authenticated"] },
    { name: "client cert without extended key usages", pem: cert({ commonName: "myuser" }, { usages: ["digital signature"] }), want: "user", groups: ["system:authenticated"] },
    { name: "server cert disallowed", pem: cert({ commonName: "myuser" }, { usages: ["server auth"] }), want: "unauthorized" },
    { name: "any extended key usage allowed", pem: cert({ commonName: "myuser" }, { usages: ["any"] }), want: "user", groups: ["system:authenticated"] },
    { name: "future cert", pem: cert({ commonName: "myuser" }, { from: NOW + H, to: NOW + 2 * H }), want: "unauthorized" },
    { name: "expired cert", pem: cert({ commonName: "myuser" }, { from: NOW - 2 * H, to: NOW - H }), want: "unauthorized" },
    { name: "signed by another CA", pem: cert({ commonName: "myuser" }, { signer: "other" }), want: "unauthorized" },
    { name: "no common name: no user (the next authenticator decides)", pem: cert({ organizations: ["developers"] }), want: "none" },
    { name: "not a certificate", pem: "garbage", want: "unauthorized" },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const v = authenticateClientCertificate(c.pem, CLUSTER_CA_PEM, NOW);
      if (c.want === "user") assert.deepEqual(v, { user: { name: "myuser", groups: c.groups, extra: credentialId(c.pem) } });
      else if (c.want === "unauthorized") assert.deepEqual(v, { unauthorized: true });
      else assert.deepEqual(v, {});
    });
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
