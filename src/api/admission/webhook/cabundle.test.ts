import { test } from "node:test";
import assert from "node:assert/strict";
import { caBundleError } from "./cabundle.ts";

// A self-signed CA (openssl req -x509 -newkey ec, CN=test-ca), as a caBundle holds it.
const CA =
    "-----BEGIN CERTIFICATE-----\n" +
    "MIIBezCCASGgAwIBAgIUKFh+WHs8vDUt1EpMMPGnUJEAfr4wCgYIKoZIzj0EAwIw\n" +
    "EjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjEyMDcyMTQ2MjFaGA8yMTI2MTExMzIx\n" +
    "NDYyMVowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH\n" +
    "A0IABPbpbwXxBYNtjbwtoe6AKcWcSfbwymzq6Th2UJQCaIV4bxUXHPFcX0dFymUV\n" +
    "tHfVpKefRkftQ5LvtRdlmLOvo2ijUzBRMB0GA1UdDgQWBBSekucEWa6+FRSfDR2J\n" +
    "/Hx24hD7YTAfBgNVHSMEGDAWgBSekucEWa6+FRSfDR2J/Hx24hD7YTAPBgNVHRMB\n" +
    "Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIEVg3wtu7F19UWvyzcAll2STpa0p\n" +
    "vaSb+HWcd6+zsazDAiEAhiX29KGYxTu2mTMVB4bV43vm8E3GPOpGxcE0mX2cAxg=\n" +
    "-----END CERTIFICATE-----\n" +
    "";
const b64 = (s: string) => Buffer.from(s, "latin1").toString("base64");

test("a bundle with a parsable certificate gives the webhook client its roots", () => {
  assert.equal(caBundleError(b64(CA)), undefined);
  assert.equal(caBundleError(b64(CA.replace(/\n/g, "\r\n"))), undefined, "CRLF lines, as metallb's manifest has them");
  assert.equal(caBundleError(b64(`garbage first\n${CA}`)), undefined, "text before the block is skipped");
  assert.equal(caBundleError(b64(`-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n${CA}`)), undefined, "other blocks are skipped");
  assert.equal(caBundleError(undefined), undefined);
  assert.equal(caBundleError(""), undefined, "no caBundle: the system roots");
});

test("client-go's createErrorParsingCAData: why a bundle holds no root certificate", () => {
  assert.equal(caBundleError(b64("hello")), "unable to load root certificates: unable to parse bytes as PEM block");
  assert.equal(caBundleError(b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")), "unable to load root certificates: failed to parse certificate: x509: malformed certificate");
  assert.equal(caBundleError(b64("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")), "unable to load root certificates: no valid certificate authority data seen");
  assert.equal(caBundleError(b64("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\ntrailing")), "unable to load root certificates: unable to parse bytes as PEM block");
  // A block with headers is not a certificate to AppendCertsFromPEM.
  const headed = CA.replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n");
  assert.equal(caBundleError(b64(headed)), "unable to load root certificates: no valid certificate authority data seen");
});
