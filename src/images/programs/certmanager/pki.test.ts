import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicKey, X509Certificate } from "node:crypto";
import { Drbg, createCertificate, createCSR, ecKey, encodePrivateKey, parseCSR, parseCertificate, rsaKey, serialNumber, decodePrivateKey } from "./pki.ts";

function openssl(args: string[], input: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cmpki-"));
  try {
    const f = join(dir, "in.pem");
    writeFileSync(f, input);
    return execFileSync("openssl", [...args, "-in", f], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("RSA keys are real 2048-bit keys, the same for the same key and different for another", () => {
  const a = rsaKey("test/a");
  const b = rsaKey("test/b");
  assert.equal(a.key.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(encodePrivateKey(a), encodePrivateKey(rsaKey("test/a")));
  assert.notEqual(encodePrivateKey(a), encodePrivateKey(b));
  assert.match(encodePrivateKey(a), /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.match(encodePrivateKey(a, "PKCS8"), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(openssl(["rsa", "-check", "-noout"], encodePrivateKey(a)), /RSA key ok/);
  // Decoding gives the same key back.
  assert.equal(decodePrivateKey(encodePrivateKey(a)).spki.toString("hex"), a.spki.toString("hex"));
});

test("a self-signed certificate as the docs' selfsigned-cert gets it: openssl parses it; subject empty, the SAN critical, 90 days", () => {
  const pk = rsaKey("test/selfsigned");
  const notBefore = new Date("2024-01-08T00:00:05Z");
  const notAfter = new Date(notBefore.getTime() + 90 * 24 * 3600_000);
  const pem = createCertificate({ serial: serialNumber(new Drbg("s")), subject: {}, sans: { dnsNames: ["example.com"] }, notBefore, notAfter, isCA: false, spki: pk.spki }, pk);
  const text = openssl(["x509", "-noout", "-text"], pem);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
  assert.match(text, /Not Before: Jan {2}8 00:00:05 2024 GMT/);
  assert.match(text, /Not After : Apr {2}7 00:00:05 2024 GMT/);
  assert.match(text, /X509v3 Subject Alternative Name: critical\n\s+DNS:example.com/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
  const x = new X509Certificate(pem);
  assert.ok(x.verify(x.publicKey), "self-signed: its own key verifies it");
  const parsed = parseCertificate(pem)!;
  assert.deepEqual(parsed.sans, { dnsNames: ["example.com"] });
  assert.equal(parsed.notAfter.toISOString(), notAfter.toISOString());
});

test("ECDSA P-384: a CA and a leaf it signs (the webhook's); deterministic signatures that verify", () => {
  const ca = ecKey("test/ca", 384);
  const leaf = ecKey("test/leaf", 384);
  const notBefore = new Date("2024-01-08T00:00:00Z");
  const caPEM = createCertificate({ serial: 7n, subject: { commonName: "cert-manager-webhook-ca" }, sans: {}, notBefore, notAfter: new Date("2025-01-07T00:00:00Z"), isCA: true, spki: ca.spki }, ca);
  const leafPEM = createCertificate({ serial: 8n, subject: {}, sans: { dnsNames: ["cert-manager-webhook", "cert-manager-webhook.cert-manager.svc"] }, notBefore, notAfter: new Date("2024-01-15T00:00:00Z"), isCA: false, usages: ["digital signature", "key encipherment", "server auth"], spki: leaf.spki }, ca, { subject: { commonName: "cert-manager-webhook-ca" }, spki: ca.spki });
  const caX = new X509Certificate(caPEM);
  const leafX = new X509Certificate(leafPEM);
  assert.ok(caX.ca);
  assert.ok(leafX.verify(caX.publicKey), "the CA's key verifies the leaf");
  assert.ok(leafX.checkIssued(caX));
  assert.match(openssl(["x509", "-noout", "-text"], caPEM), /Signature Algorithm: ecdsa-with-SHA384[\s\S]*Subject: CN ?= ?cert-manager-webhook-ca[\s\S]*CA:TRUE/);
  assert.match(openssl(["x509", "-noout", "-text"], leafPEM), /TLS Web Server Authentication[\s\S]*X509v3 Authority Key Identifier/);
  assert.equal(caPEM, createCertificate({ serial: 7n, subject: { commonName: "cert-manager-webhook-ca" }, sans: {}, notBefore, notAfter: new Date("2025-01-07T00:00:00Z"), isCA: true, spki: ca.spki }, ecKey("test/ca", 384)));
  assert.match(encodePrivateKey(leaf), /^-----BEGIN EC PRIVATE KEY-----\n/);
});

test("a CSR: openssl verifies its signature; the signer reads back its subject, SANs and key", () => {
  const pk = rsaKey("test/csr");
  const csr = createCSR({ commonName: "example.com", organizations: ["cert-manager"] }, { dnsNames: ["example.com", "www.example.com"], ipAddresses: ["10.0.0.1"] }, undefined, false, pk);
  assert.match(openssl(["req", "-noout", "-verify"], csr), /^/);
  const p = parseCSR(csr);
  assert.deepEqual(p.subject, { commonName: "example.com", organizations: ["cert-manager"] });
  assert.deepEqual(p.sans, { dnsNames: ["example.com", "www.example.com"], ipAddresses: ["10.0.0.1"] });
  assert.equal(p.spki.toString("hex"), pk.spki.toString("hex"));
  const ec = ecKey("test/csr-ec", 256);
  const csr2 = createCSR({}, { dnsNames: ["a.example"] }, undefined, false, ec);
  assert.deepEqual(parseCSR(csr2).sans, { dnsNames: ["a.example"] });
  assert.equal(parseCSR(csr2).spki.toString("hex"), createPublicKey(ec.key).export({ type: "spki", format: "der" }).toString("hex"));
  assert.match(openssl(["req", "-noout", "-text", "-verify"], csr2), /ecdsa-with-SHA256/);
});

test("node-forge is required at the first X.509 encoding, not when the module (so every Cucumber start) loads it", () => {
  // A fresh process: this test file has already used it.
  const script = `
    const { createRequire } = await import("node:module");
    const cache = createRequire(import.meta.url).cache;
    const forgeLoaded = () => Object.keys(cache).some((f) => f.includes("/node_modules/node-forge/"));
    const pki = await import(${JSON.stringify(new URL("./pki.ts", import.meta.url).href)});
    const serving = await import(${JSON.stringify(new URL("../../../server/servingcert.ts", import.meta.url).href)});
    const before = forgeLoaded();
    const pk = pki.ecKey("test/lazy", 256);
    const pem = pki.createCertificate({ serial: 1n, subject: {}, sans: { dnsNames: ["lazy.example"] }, notBefore: new Date(0), notAfter: new Date(86400000), isCA: false, spki: pk.spki }, pk);
    console.log(JSON.stringify({ before, after: forgeLoaded(), parsed: pki.parseCertificate(pem).sans, serving: typeof serving.generateServingCert }));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(out.trim().split("\n").pop()!), { before: false, after: true, parsed: { dnsNames: ["lazy.example"] }, serving: "function" });
});
