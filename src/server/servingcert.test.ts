import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { generateServingCert } from "./servingcert.ts";

test("the CA (kubeadm's name, any simulated year, its key kept for the CSR signer) and the serving certificate it signs, for loopback and the allowed hosts, with the key that goes with it", async () => {
  const c = await generateServingCert(["devbox", "10.0.0.7"]);
  const [leafPEM] = c.certPEM.split(/(?<=-----END CERTIFICATE-----\n)/);
  const leaf = new X509Certificate(leafPEM!);
  const ca = new X509Certificate(c.caPEM);
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey));
  assert.match(leaf.subject, /^CN=localhost@\d+$/);
  assert.equal(ca.subject, "CN=kubernetes");
  assert.equal(leaf.issuer, "CN=kubernetes");
  assert.equal(ca.checkPrivateKey(createPrivateKey(c.caKeyPEM)), true);
  assert.deepEqual([new Date(ca.validFrom).toISOString(), new Date(ca.validTo).toISOString()], ["2000-01-01T00:00:00.000Z", "2099-12-31T23:59:59.000Z"]);
  assert.deepEqual(leaf.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
  // Each start makes its own keys (the CSPRNG's), never the simulated cluster's published one.
  const again = await generateServingCert([]);
  assert.notEqual(again.caKeyPEM, c.caKeyPEM);
  assert.notEqual(new X509Certificate(again.caPEM).serialNumber, ca.serialNumber);
  assert.equal(leaf.subjectAltName, "DNS:localhost, DNS:devbox, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.0.7");
  assert.equal(leaf.checkPrivateKey(createPrivateKey(c.keyPEM)), true);
  assert.ok(Date.parse(leaf.validFrom) < Date.parse(new Date().toUTCString()) && Date.parse(leaf.validTo) > Date.parse(new Date().toUTCString()) + 300 * 24 * 3600_000);
  assert.ok(c.certPEM.endsWith(c.caPEM));
});
