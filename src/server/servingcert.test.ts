import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { generateServingCert } from "./servingcert.ts";

test("the serving certificate: signed by its CA, for loopback and the allowed hosts, with the key that goes with it", async () => {
  const c = await generateServingCert(["devbox", "10.0.0.7"]);
  const [leafPEM] = c.certPEM.split(/(?<=-----END CERTIFICATE-----\n)/);
  const leaf = new X509Certificate(leafPEM!);
  const ca = new X509Certificate(c.caPEM);
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey));
  assert.match(leaf.subject, /^CN=localhost@\d+$/);
  assert.match(ca.subject, /^CN=localhost-ca@\d+$/);
  assert.equal(leaf.subjectAltName, "DNS:localhost, DNS:devbox, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.0.7");
  assert.equal(leaf.checkPrivateKey(createPrivateKey(c.keyPEM)), true);
  assert.ok(Date.parse(leaf.validFrom) < Date.parse(new Date().toUTCString()) && Date.parse(leaf.validTo) > Date.parse(new Date().toUTCString()) + 300 * 24 * 3600_000);
  assert.ok(c.certPEM.endsWith(c.caPEM));
});
