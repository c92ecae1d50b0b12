import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../../../cluster.ts";
import { admit, aggregate, validateCertificateSpec, validateIssuerSpec } from "./webhook.ts";
import { injected } from "./cainjector.ts";
import { annotationsForCertificate, durations, renewalTime } from "./controller.ts";
import { goDuration, parseGoDuration, setCondition } from "./common.ts";
import { parseCertificate } from "./pki.ts";

function openssl(args: string[], input: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cm-"));
  try {
    writeFileSync(join(dir, "in.pem"), input);
    return execFileSync("openssl", [...args, "-in", join(dir, "in.pem")], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("Go durations: time.ParseDuration and Duration.String as the API's fields use them", () => {
  const cases: Array<[string, number, string]> = [["2160h", 7_776_000_000, "2160h0m0s"], ["1h", 3_600_000, "1h0m0s"], ["30m", 1_800_000, "30m0s"], ["1h30m", 5_400_000, "1h30m0s"], ["90s", 90_000, "1m30s"], ["1.5s", 1500, "1.5s"], ["500ms", 500, "500ms"]];
  for (const [text, ms, str] of cases) {
    assert.equal(parseGoDuration(text), ms, text);
    assert.equal(goDuration(ms), str, text);
  }
  assert.equal(parseGoDuration("90d"), undefined);
  assert.equal(parseGoDuration(""), undefined);
});

test("Certificate validation (internal/apis/certmanager/validation/certificate_test.go's cases)", () => {
  const ok = { secretName: "abc", commonName: "testcn", issuerRef: { name: "valid" } };
  assert.deepEqual(validateCertificateSpec(ok), []);
  assert.deepEqual(validateCertificateSpec({ secretName: "abc", issuerRef: { name: "valid" } }), ['spec: Invalid value: "": at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set']);
  assert.deepEqual(validateCertificateSpec({ ...ok, issuerRef: { name: "valid", kind: "AWSPCAClusterIssuer" } }), ['spec.issuerRef.kind: Invalid value: "AWSPCAClusterIssuer": must be one of Issuer or ClusterIssuer (did you forget to set spec.issuerRef.group?)']);
  assert.deepEqual(validateCertificateSpec({ ...ok, issuerRef: { name: "valid", kind: "X", group: "cert-manager.io" } }), ['spec.issuerRef.kind: Invalid value: "X": must be one of Issuer or ClusterIssuer']);
  assert.deepEqual(validateCertificateSpec({ ...ok, issuerRef: { name: "valid", kind: "AWSPCAClusterIssuer", group: "awspca.cert-manager.io" } }), []);
  assert.deepEqual(validateCertificateSpec({ ...ok, privateKey: { algorithm: "RSA", size: 1024 } }), ["spec.privateKey.size: Invalid value: 1024: must be between 2048 & 8192 for rsa keyAlgorithm"]);
  assert.deepEqual(validateCertificateSpec({ ...ok, privateKey: { algorithm: "ECDSA", size: 100 } }), ['spec.privateKey.size: Unsupported value: 100: supported values: "256", "384", "521"']);
  assert.deepEqual(validateCertificateSpec({ ...ok, ipAddresses: ["blah"] }), ['spec.ipAddresses[0]: Invalid value: "blah": invalid IP address']);
  assert.deepEqual(validateCertificateSpec({ ...ok, duration: "30m" }), ["spec.duration: Invalid value: 30m0s: certificate duration must be greater than 1h0m0s"]);
  assert.deepEqual(validateCertificateSpec({ ...ok, duration: "1h", renewBefore: "2h" }), ["spec.renewBefore: Invalid value: 2h0m0s: certificate duration 1h0m0s must be greater than renewBefore 2h0m0s"]);
  assert.deepEqual(validateCertificateSpec({ ...ok, renewBefore: "1m" }), ["spec.renewBefore: Invalid value: 1m0s: certificate renewBefore must be greater than 5m0s"]);
  assert.deepEqual(validateCertificateSpec({ ...ok, usages: ["server auth", "nope"] }), ['spec.usages[1]: Invalid value: "nope": unknown keyusage']);
  assert.deepEqual(validateCertificateSpec({ ...ok, commonName: "x".repeat(65) }), ["spec.commonName: Too long: may not be more than 64 bytes"]);
  assert.equal(aggregate(["a", "b"]), "[a, b]");
});

test("Issuer validation: one issuer type exactly", () => {
  assert.deepEqual(validateIssuerSpec({ selfSigned: {} }), []);
  assert.deepEqual(validateIssuerSpec({}), ["spec: Required value: at least one issuer must be configured"]);
  assert.deepEqual(validateIssuerSpec({ selfSigned: {}, ca: { secretName: "x" } }), ["spec.selfSigned: Forbidden: may not specify more than one issuer type"]);
});

test("the webhook's answers: a denial is 403 Forbidden with the aggregate; /mutate sets the requester on a new CertificateRequest", () => {
  const deny = JSON.parse(admit("/validate", JSON.stringify({ request: { uid: "u1", kind: { kind: "Issuer" }, operation: "CREATE", object: { spec: {} } } })).body);
  assert.deepEqual(deny.response, { uid: "u1", allowed: false, status: { metadata: {}, message: "spec: Required value: at least one issuer must be configured", reason: "Forbidden", code: 403 } });
  const allow = JSON.parse(admit("/validate", JSON.stringify({ request: { uid: "u2", kind: { kind: "Issuer" }, operation: "CREATE", object: { spec: { selfSigned: {} } } } })).body);
  assert.equal(allow.response.allowed, true);
  const m = JSON.parse(admit("/mutate", JSON.stringify({ request: { uid: "u3", kind: { kind: "CertificateRequest" }, operation: "CREATE", userInfo: { username: "system:serviceaccount:cert-manager:cert-manager", groups: ["system:serviceaccounts"] }, object: { spec: { request: "x" } } } })).body);
  assert.equal(m.response.patchType, "JSONPatch");
  assert.deepEqual(JSON.parse(Buffer.from(m.response.patch, "base64").toString()), [
    { op: "add", path: "/spec/username", value: "system:serviceaccount:cert-manager:cert-manager" },
    { op: "add", path: "/spec/groups", value: ["system:serviceaccounts"] },
  ]);
  assert.equal(admit("/other", "{}").status, 404);
});

test("the cainjector writes the bundle into every webhook of a configuration, an APIService's spec, a converting CRD; nothing when it is there", () => {
  const vwc = { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "w" }, webhooks: [{ name: "a", clientConfig: {} }, { name: "b", clientConfig: { caBundle: "old" } }] };
  const next = injected(vwc as never, "NEW") as unknown as typeof vwc;
  assert.deepEqual(next.webhooks.map((h) => (h.clientConfig as { caBundle?: string }).caBundle), ["NEW", "NEW"]);
  assert.equal(injected(next as never, "NEW"), undefined);
  const crd = { kind: "CustomResourceDefinition", metadata: { name: "c" }, spec: { conversion: { strategy: "None" } } };
  assert.equal(injected(crd as never, "NEW"), undefined);
  const api = { kind: "APIService", metadata: { name: "v1.x" }, spec: { caBundle: "old" } };
  assert.equal((injected(api as never, "NEW") as unknown as typeof api).spec.caBundle, "NEW");
});

test("renewal: a third of the duration before notAfter by default, renewBefore or renewBeforePercentage when set", () => {
  const nb = Date.parse("2024-01-08T00:00:08Z");
  const d90 = 90 * 24 * 3_600_000;
  assert.equal(new Date(renewalTime(nb, nb + d90, { secretName: "s", issuerRef: { name: "i" } })).toISOString(), "2024-03-08T00:00:08.000Z");
  assert.equal(new Date(renewalTime(nb, nb + 3_600_000, { secretName: "s", issuerRef: { name: "i" }, duration: "1h", renewBefore: "10m" })).toISOString(), "2024-01-08T00:50:08.000Z");
  assert.deepEqual(durations({ secretName: "s", issuerRef: { name: "i" }, duration: "100h", renewBeforePercentage: 25 }), { duration: 360_000_000, renewBefore: 270_000_000 });
  const c = setCondition(undefined, { type: "Ready", status: "False", reason: "DoesNotExist", message: "m" }, nb, true);
  assert.deepEqual(setCondition(c, { type: "Ready", status: "False", reason: "Other", message: "n" }, nb + 5000, true)[0]!.lastTransitionTime, "2024-01-08T00:00:08Z");
  assert.deepEqual(setCondition(c, { type: "Ready", status: "True", reason: "Ready", message: "n" }, nb + 5000, true)[0]!.lastTransitionTime, "2024-01-08T00:00:13Z");
});

test("issuance end to end: the docs' test resources give a Ready Certificate and a Secret openssl reads; renewal at renewBefore under simulated time", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-worker", cpu: "4", memory: "8Gi" }]);
  try {
    const install = c.kubectlSync("apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.16.1/cert-manager.yaml");
    assert.equal(install.exitCode, 0, install.stderr);
    const wait = c.kubectlSync("wait --for=condition=Available --timeout=300s -n cert-manager deployment --all");
    assert.equal(wait.exitCode, 0, wait.stderr);
    const applied = c.applySync(`
apiVersion: v1
kind: Namespace
metadata: {name: t}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: t}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: t}
spec:
  commonName: web.example.com
  dnsNames: [web.example.com, www.example.com]
  ipAddresses: [10.0.0.7]
  subject: {organizations: [Example Org]}
  duration: 2h
  renewBefore: 30m
  secretName: web-tls
  issuerRef: {name: selfsigned}
`);
    assert.match(applied, /certificate.cert-manager.io\/web created/);
    c.advanceSync(2000);
    const secret = c.get("Secret", "web-tls", "t")!;
    assert.ok(secret, "the Secret exists");
    const data = secret.data as Record<string, string>;
    const crt = Buffer.from(data["tls.crt"]!, "base64").toString();
    const text = openssl(["x509", "-noout", "-text"], crt);
    assert.match(text, /Subject: O ?= ?Example Org, CN ?= ?web.example.com/);
    assert.match(text, /DNS:web.example.com, DNS:www.example.com, IP Address:10.0.0.7/);
    const parsed = parseCertificate(crt)!;
    assert.equal(parsed.notAfter.getTime() - parsed.notBefore.getTime(), 2 * 3_600_000, "duration 2h");
    assert.match(openssl(["rsa", "-check", "-noout"], Buffer.from(data["tls.key"]!, "base64").toString()), /RSA key ok/);
    assert.deepEqual(annotationsForCertificate(parsed), {
      "cert-manager.io/common-name": "web.example.com",
      "cert-manager.io/subject-organizations": "Example Org",
      "cert-manager.io/alt-names": "web.example.com,www.example.com",
      "cert-manager.io/ip-sans": "10.0.0.7",
      "cert-manager.io/uri-sans": "",
    });
    assert.equal(secret.metadata.annotations?.["cert-manager.io/subject-organizations"], "Example Org");
    const cert = c.get("certificates.cert-manager.io", "web", "t")!;
    const status = cert.status as { renewalTime: string; notAfter: string; revision: number; conditions: Array<{ type: string; status: string; reason: string }> };
    assert.equal(status.revision, 1);
    assert.equal(Date.parse(status.notAfter) - Date.parse(status.renewalTime), 30 * 60_000, "renewal 30m before notAfter");
    assert.deepEqual(status.conditions.map((x) => [x.type, x.status, x.reason]), [["Ready", "True", "Ready"]]);
    // At the renewal time the trigger reissues: revision 2, a new certificate (same key: rotationPolicy Never).
    const until = Date.parse(status.renewalTime) - c.ctx.clock.now() + 2000;
    c.advanceSync(until);
    const renewed = c.get("certificates.cert-manager.io", "web", "t")!.status as typeof status;
    assert.equal(renewed.revision, 2);
    const events = c.kubectlSync("get events -n t --field-selector involvedObject.name=web -o custom-columns=REASON:.reason,MESSAGE:.message --sort-by=.metadata.creationTimestamp").stdout;
    assert.match(events, new RegExp(`Renewing certificate as renewal was scheduled at ${status.renewalTime}`));
    const crt2 = Buffer.from((c.get("Secret", "web-tls", "t")!.data as Record<string, string>)["tls.crt"]!, "base64").toString();
    assert.notEqual(crt2, crt);
    // The same run twice gives the same bytes.
  } finally {
    await c.close();
  }
});
