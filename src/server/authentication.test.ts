import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { generateToken, isPublicPath, TokenAuthenticator } from "./authentication.ts";

const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

test("tokens are 256 random bits, different every time", () => {
  const a = generateToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, generateToken());
  assert.throws(() => new TokenAuthenticator("short"), /at least 16/);
});

test("the bearer token: the right one passes; none passes for public information only; a wrong one never", () => {
  const t = generateToken();
  const a = new TokenAuthenticator(t);
  assert.doesNotThrow(() => a.check(req(`Bearer ${t}`), "/api/v1/pods"));
  assert.doesNotThrow(() => a.check(req(`bearer ${t}`), "/api/v1/pods"));
  for (const bad of [undefined, "", `Bearer ${t}x`, `Basic ${t}`, `Bearer`, t, `Bearer ${t} extra`]) {
    assert.throws(() => a.check(req(bad), "/api/v1/pods"), (e: { code: number; message: string }) => e.code === 401 && e.message === "Unauthorized", String(bad));
  }
  for (const p of ["/version", "/healthz", "/livez", "/readyz", "/readyz/ping"]) {
    assert.equal(isPublicPath(p), true);
    assert.doesNotThrow(() => a.check(req(), p));
    assert.throws(() => a.check(req("Bearer nope"), p), /Unauthorized/);
  }
  for (const p of ["/versions", "/api", "/kube-scenario/v1/now", "/openapi/v3"]) assert.throws(() => a.check(req(), p), /Unauthorized/, p);
});

// The union with the x509 authenticator (pkg/kubeapiserver/authenticator/config.go's order: the
// client certificate, then tokens), on requests whose socket presents a certificate as a TLSSocket does.
test("the client certificate first, then the tokens; a failed certificate is logged only when nothing authenticates the request", async () => {
  const { createCertificate, decodePrivateKey, ecKey, rsaKey } = await import("../images/programs/certmanager/pki.ts");
  const { generateServingCert } = await import("./servingcert.ts");
  const { X509Authenticator, klogError } = await import("./authentication.ts");
  const { X509Certificate } = await import("node:crypto");
  const served = await generateServingCert();
  const caKey = decodePrivateKey(served.caKeyPEM);
  const caSPKI = new X509Certificate(served.caPEM).publicKey.export({ type: "spki", format: "der" });
  const NOW = Date.parse("2024-01-08T00:00:00Z");
  const userKey = ecKey("authentication.test");
  const issue = (cn: string, signer = caKey, from = NOW - 60_000, to = NOW + 3600_000) =>
    new X509Certificate(createCertificate({ serial: 9n, subject: { commonName: cn, organizations: ["devs"] }, sans: {}, notBefore: new Date(from), notAfter: new Date(to), isCA: false, usages: ["client auth"], spki: userKey.spki }, signer, { subject: { commonName: "kubernetes" }, spki: caSPKI }));
  let now = NOW;
  const x509 = new X509Authenticator(served.caPEM, () => now);
  let peerCalls = 0;
  const tlsReq = (cert: InstanceType<typeof X509Certificate> | undefined, authorization?: string) => {
    const socket = { getPeerX509Certificate: () => (peerCalls++, cert) };
    return { headers: authorization === undefined ? {} : { authorization }, socket } as unknown as IncomingMessage;
  };
  const token = generateToken();
  const a = new TokenAuthenticator(token);
  const logged: string[] = [];
  const check = (r: IncomingMessage, path = "/api/v1/pods") => a.check(r, path, (t) => (t === "sa-token" ? { name: "system:serviceaccount:default:sa", groups: ["system:serviceaccounts"] } : undefined), x509, (e) => logged.push(e));
  const good = issue("alice");
  assert.equal(check(tlsReq(good))?.name, "alice");
  assert.deepEqual(check(tlsReq(good))?.groups, ["devs", "system:authenticated"]);
  // A valid certificate wins over a token (the union's order).
  assert.equal(check(tlsReq(good, `Bearer ${token}`))?.name, "alice");
  // The peer certificate is read once per connection.
  const r = tlsReq(good);
  check(r);
  const calls = peerCalls;
  check(r);
  assert.equal(peerCalls, calls);
  // Time passes (the simulated clock): the certificate expires; the token still authenticates.
  now = NOW + 3600_000 + 1000;
  assert.equal(check(tlsReq(good, `Bearer ${token}`)), undefined);
  assert.equal(check(tlsReq(good, "Bearer sa-token"))?.name, "system:serviceaccount:default:sa");
  assert.deepEqual(logged, []);
  assert.throws(() => check(tlsReq(good)), (e: { code: number; message: string }) => e.code === 401 && e.message === "Unauthorized");
  assert.throws(() => check(tlsReq(good), "/version"), /Unauthorized/, "a failed certificate is 401 on public paths too (union.NewFailOnError before anonymous)");
  assert.throws(() => check(tlsReq(good, "Bearer nope")), /Unauthorized/);
  const expired = "x509: certificate has expired or is not yet valid: current time 2024-01-08T01:00:01Z is after 2024-01-08T01:00:00Z";
  assert.equal(logged.length, 3);
  assert.match(logged[0]!, new RegExp(`^verifying certificate SN=9, SKID=, AKID=[0-9A-F:]{59} failed: ${expired}$`));
  assert.equal(logged[1], logged[0]);
  assert.equal(logged[2], `[${logged[0]}, invalid bearer token]`);
  now = NOW;
  // Another CA's key under the cluster CA's name.
  logged.length = 0;
  assert.throws(() => check(tlsReq(issue("eve", rsaKey("authentication.test eve")))), /Unauthorized/);
  assert.match(logged[0]!, /failed: x509: certificate signed by unknown authority \(possibly because of "crypto\/rsa: verification error" while trying to verify candidate authority certificate "kubernetes"\)$/);
  // No certificate, or a plain socket: the tokens alone, as before.
  assert.equal(check(tlsReq(undefined, `Bearer ${token}`)), undefined);
  assert.equal(x509.authenticate({ headers: {}, socket: {} } as unknown as IncomingMessage), undefined);
  assert.doesNotThrow(() => check(tlsReq(undefined), "/version"));
  // kube-apiserver's log line.
  assert.equal(klogError("authentication.go:73", "Unable to authenticate the request", 'a "b"', new Date("2026-12-07T18:40:00.123Z"), 42), 'E1207 18:40:00.123000      42 authentication.go:73] "Unable to authenticate the request" err="a \\"b\\""');
});
