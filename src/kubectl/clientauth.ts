/**
 * Who the API server takes the in-process kubectl's requests for, from the kubeconfig's user (the
 * context's, or `--user`): kube-apiserver's authenticators as a TLS client would meet them.
 *
 * - The simulation's own user (`kube-scenario`, no credentials of its own): kind's admin
 *   (undefined here: the store is reached directly).
 * - A client certificate (`client-certificate(-data)` and `client-key(-data)`): the x509
 *   authenticator (k8s.io/apiserver/pkg/authentication/request/x509): the certificate must chain to
 *   the cluster's client CA (the CSR signers' CA, src/controllers/certificates/signer.ts), be valid
 *   at the simulated time and allow client authentication; the user is its common name, the groups
 *   its organizations, plus `system:authenticated`, with the certificate's credential id as extra
 *   (a certificate without a common name is the anonymous user's). A certificate that fails is a 401 (`error: You
 *   must be logged in to the server (Unauthorized)`); a key that is not the certificate's fails in
 *   the TLS client, before any request (`error: tls: private key does not match public key`).
 * - No credentials: the anonymous user (`system:anonymous`, group `system:unauthenticated`), as on
 *   a cluster with anonymous authentication on (kind, kubeadm).
 */
import { createHash, createPrivateKey, createPublicKey, verify, X509Certificate, type KeyObject } from "node:crypto";
import type { UserInfo } from "../api/authorization/user.ts";
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS } from "../api/authorization/user.ts";
import { clusterSigningCA } from "../controllers/certificates/signer.ts";
import { KubectlError, type KubectlContext } from "./command.ts";
import { SIMULATED_NAME, type KubeconfigUser } from "./kubeconfig.ts";

export const UNAUTHORIZED = "You must be logged in to the server (Unauthorized)";
const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
/** user.CredentialIDKey. */
export const CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

/** A credential file of the user's machine (an absolute path there is under /root, the project root). */
function readCredential(ctx: KubectlContext, path: string): string | undefined {
  try {
    if (ctx.machine?.fs.stat(path)?.type === "file") return ctx.machine.fs.readFile(path);
  } catch {
    // fall through to the project's files
  }
  try {
    return ctx.files.read(path.startsWith("/root/") ? path.slice("/root/".length) : path).toString("utf8");
  } catch {
    return undefined;
  }
}

function credential(ctx: KubectlContext, userName: string, user: KubeconfigUser, what: "cert" | "key"): string {
  const data = what === "cert" ? user["client-certificate-data"] : user["client-key-data"];
  if (data !== undefined) return Buffer.from(data, "base64").toString("utf8");
  const path = (what === "cert" ? user["client-certificate"] : user["client-key"])!;
  const text = readCredential(ctx, path);
  if (text === undefined) throw new KubectlError(`unable to read client-${what} ${path} for ${userName} due to open ${path}: no such file or directory`);
  return text;
}

/**
 * The x509 authenticator's answer: a user; a failure (401) with the error kube-apiserver logs
 * (`verifying certificate SN=…, SKID=…, AKID=… failed: x509: …`); or no opinion (the next
 * authenticator: anonymous).
 */
export type ClientCertificateVerdict = { user: UserInfo; error?: undefined } | { error: string; user?: undefined } | { user?: undefined; error?: undefined };

/** Go's time.Format(time.RFC3339) of a UTC instant (whole seconds). */
const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The x509 authenticator's verdict on a client certificate (PEM, DER or parsed) at `nowMs`
 * (k8s.io/apiserver/pkg/authentication/request/x509/x509.go, v1.32): Go's Certificate.Verify
 * against the client CA `ca` with the client-auth key usage, in its order (the leaf's validity
 * period; a root whose subject is the leaf's issuer and whose signature checks, else `certificate
 * signed by unknown authority` with the candidate's failure as hint; the extended key usages),
 * then CommonNameUserConversion: the user is the common name, the groups the organizations, the
 * extra `authentication.kubernetes.io/credential-id` `X509SHA256=` and the certificate's SHA-256;
 * a certificate without a common name has no user and the request goes on to the next
 * authenticator. `system:authenticated` is added, as the authenticated group adder does.
 */
export function authenticateClientCertificate(certIn: string | Buffer | X509Certificate, caIn: string | X509Certificate, nowMs: number): ClientCertificateVerdict {
  let cert: X509Certificate;
  try {
    cert = certIn instanceof X509Certificate ? certIn : new X509Certificate(certIn);
  } catch {
    // (A TLS peer's certificate always parses; a kubeconfig's may not: the TLS client refuses it first.)
    return { error: "tls: failed to parse certificate" };
  }
  const ca = caIn instanceof X509Certificate ? caIn : new X509Certificate(caIn);
  const failed = (why: string): ClientCertificateVerdict => ({ error: `verifying certificate ${certificateIdentifier(cert.raw)} failed: ${why}` });
  // The leaf's own checks first (isValid(leafCertificate)): its validity period.
  const period = validityError(cert, nowMs);
  if (period) return failed(period);
  // buildChains: a candidate root by name, its signature over the leaf, its own validity.
  let hint: string | undefined;
  if (cert.issuer === ca.subject) {
    if (!ca.ca) hint = "x509: invalid signature: parent certificate cannot sign this kind of certificate";
    else hint = signatureError(cert.raw, ca.publicKey) ?? validityError(ca, nowMs);
    if (hint === undefined) {
      const eku = cert.keyUsage;
      if (eku && eku.length > 0 && !eku.includes(CLIENT_AUTH_OID) && !eku.includes("2.5.29.37.0")) return failed("x509: certificate specifies an incompatible key usage");
      const { cn, orgs } = subjectOf(cert.subject);
      if (!cn) return {};
      const id = "X509SHA256=" + createHash("sha256").update(cert.raw).digest("hex");
      return { user: { name: cn, groups: [...orgs, ALL_AUTHENTICATED], extra: { [CREDENTIAL_ID_KEY]: [id] } } };
    }
  }
  let text = "x509: certificate signed by unknown authority";
  if (hint !== undefined) text += ` (possibly because of ${JSON.stringify(hint)} while trying to verify candidate authority certificate ${JSON.stringify(certName(ca))})`;
  return failed(text);
}

/** Signature algorithms by OID: Go's name, the public key algorithm, the hash. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; key: "RSA" | "ECDSA" | "Ed25519"; hash?: string }> = {
  "2a864886f70d010105": { name: "SHA1-RSA", key: "RSA", hash: "sha1" },
  "2a864886f70d01010b": { name: "SHA256-RSA", key: "RSA", hash: "sha256" },
  "2a864886f70d01010c": { name: "SHA384-RSA", key: "RSA", hash: "sha384" },
  "2a864886f70d01010d": { name: "SHA512-RSA", key: "RSA", hash: "sha512" },
  "2a8648ce3d040301": { name: "ECDSA-SHA1", key: "ECDSA", hash: "sha1" },
  "2a8648ce3d040302": { name: "ECDSA-SHA256", key: "ECDSA", hash: "sha256" },
  "2a8648ce3d040303": { name: "ECDSA-SHA384", key: "ECDSA", hash: "sha384" },
  "2a8648ce3d040304": { name: "ECDSA-SHA512", key: "ECDSA", hash: "sha512" },
  "2b6570": { name: "Ed25519", key: "Ed25519" },
};
const GO_KEY_TYPE: Record<string, string> = { rsa: "*rsa.PublicKey", ec: "*ecdsa.PublicKey", ed25519: "ed25519.PublicKey" };

/**
 * CheckSignatureFrom's error for the certificate `der` and its candidate issuer's key, or
 * undefined when the signature checks. Verified with crypto.verify over the TBS bytes, not
 * X509Certificate.verify, which leaves OpenSSL's error on the thread's queue when it fails: the
 * next TLS read on the server then failed with that stale error (ERR_SSL_INVALID_PADDING), and the
 * client got a 400 instead of its answer.
 */
function signatureError(der: Buffer, issuerKey: KeyObject): string | undefined {
  let parts: Element[];
  let oid: string;
  try {
    const cert = tlv(der, 0, der.length);
    parts = children(der, cert.start, cert.next);
    const alg = children(der, parts[1]!.start, parts[1]!.next)[0]!;
    oid = der.subarray(alg.start, alg.next).toString("hex");
  } catch {
    return "x509: malformed certificate";
  }
  const alg = SIGNATURE_ALGORITHMS[oid];
  if (!alg) return "x509: cannot verify signature: algorithm unimplemented";
  if (alg.hash === "sha1") return `x509: cannot verify signature: insecure algorithm ${alg.name} (temporarily override with GODEBUG=x509sha1=1)`;
  const keyType = issuerKey.asymmetricKeyType ?? "";
  const expected = { RSA: "rsa", ECDSA: "ec", Ed25519: "ed25519" }[alg.key];
  if (keyType !== expected) return `x509: signature algorithm specifies an ${alg.key} public key, but have public key of type ${GO_KEY_TYPE[keyType] ?? keyType}`;
  const failure = { RSA: "crypto/rsa: verification error", ECDSA: "x509: ECDSA verification failure", Ed25519: "x509: Ed25519 verification failure" }[alg.key];
  try {
    const tbs = der.subarray(parts[0]!.at, parts[0]!.next);
    const bits = parts[2]!;
    if (der[bits.start] !== 0) return failure;
    const sig = der.subarray(bits.start + 1, bits.next);
    return verify(alg.hash ?? null, tbs, issuerKey, sig) ? undefined : failure;
  } catch {
    return failure;
  }
}

/** isValid's time check: `x509: certificate has expired or is not yet valid: …`, or undefined. */
function validityError(c: X509Certificate, nowMs: number): string | undefined {
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (nowMs < from) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(nowMs)} is before ${rfc3339(from)}`;
  if (nowMs > to) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(nowMs)} is after ${rfc3339(to)}`;
  return undefined;
}

/** UnknownAuthorityError's name of the candidate: its common name, else its first organization, else `serial:<n>`. */
function certName(c: X509Certificate): string {
  const { cn, orgs } = subjectOf(c.subject);
  return cn || orgs[0] || `serial:${BigInt("0x" + c.serialNumber).toString()}`;
}

/**
 * certificateIdentifier: `SN=<decimal serial>, SKID=<AA:BB…>, AKID=<…>` (an empty key id is
 * empty), read from the certificate's DER.
 */
export function certificateIdentifier(der: Buffer): string {
  const { serial, skid, akid } = identifiersOf(der);
  const hex = (b: Buffer | undefined) => (b ?? Buffer.alloc(0)).toString("hex").toUpperCase().replace(/(..)(?!$)/g, "$1:");
  return `SN=${serial}, SKID=${hex(skid)}, AKID=${hex(akid)}`;
}

/** One DER element: its tag, where it starts, where its contents start and where it ends. */
interface Element {
  tag: number;
  at: number;
  start: number;
  next: number;
}

/** The DER element at `at` (before `end`). Throws on a malformed length. */
function tlv(b: Buffer, at: number, end: number): Element {
  if (at + 2 > end) throw new Error("truncated");
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > end) throw new Error("bad length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > end) throw new Error("truncated");
  return { tag, at, start, next: start + len };
}

function children(b: Buffer, start: number, end: number): Element[] {
  const out: Element[] = [];
  for (let at = start; at < end; ) {
    const e = tlv(b, at, end);
    out.push(e);
    at = e.next;
    if (out.length > 64) break;
  }
  return out;
}

/** The serial (decimal), subject key id and authority key id of a certificate's DER (what does not parse is left out). */
function identifiersOf(der: Buffer): { serial: string; skid?: Buffer; akid?: Buffer } {
  let serial = "0";
  let skid: Buffer | undefined;
  let akid: Buffer | undefined;
  try {
    const cert = tlv(der, 0, der.length);
    const tbs = tlv(der, cert.start, cert.next);
    const fields = children(der, tbs.start, tbs.next);
    let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
    const sn = fields[i]!;
    let n = BigInt("0x" + (der.subarray(sn.start, sn.next).toString("hex") || "0"));
    if (sn.next > sn.start && der[sn.start]! & 0x80) n -= 1n << BigInt(8 * (sn.next - sn.start));
    serial = n.toString();
    i += 6; // signature, issuer, validity, subject, subjectPublicKeyInfo
    const exts = fields.slice(i).find((f) => f.tag === 0xa3);
    if (exts) {
      const seq = tlv(der, exts.start, exts.next);
      for (const ext of children(der, seq.start, seq.next)) {
        const parts = children(der, ext.start, ext.next);
        const oid = der.subarray(parts[0]!.start, parts[0]!.next).toString("hex");
        const value = parts[parts.length - 1]!;
        if (oid === "551d0e") {
          const inner = tlv(der, value.start, value.next);
          skid = der.subarray(inner.start, inner.next);
        } else if (oid === "551d23") {
          const inner = tlv(der, value.start, value.next);
          const keyId = children(der, inner.start, inner.next).find((c) => c.tag === 0x80);
          if (keyId) akid = der.subarray(keyId.start, keyId.next);
        }
      }
    }
  } catch {
    // (what was read so far)
  }
  return { serial, skid, akid };
}

/** The user of a client certificate, or undefined when it authenticates no one (see authenticateClientCertificate). */
export function userFromClientCertificate(certPEM: string, caPEM: string, nowMs: number): UserInfo | undefined {
  return authenticateClientCertificate(certPEM, caPEM, nowMs).user;
}

/** The CN and O values of X509Certificate.subject (`O=dev\nCN=myuser`). */
function subjectOf(subject: string): { cn: string; orgs: string[] } {
  let cn = "";
  const orgs: string[] = [];
  for (const line of subject.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    if (k === "CN") cn = v;
    else if (k === "O") orgs.push(v);
  }
  return { cn, orgs };
}

/**
 * The user of the requests of a kubectl command whose kubeconfig user is `userName`: undefined for
 * the simulation's admin, else the authenticated (or anonymous) user. Throws kubectl's errors.
 */
export function kubeconfigRequester(ctx: KubectlContext, userName: string): UserInfo | undefined {
  const user = ctx.kubeconfig.users.get(userName);
  if (!user) return undefined; // a missing user is reported where the context is checked
  const hasCert = user["client-certificate"] !== undefined || user["client-certificate-data"] !== undefined;
  const hasKey = user["client-key"] !== undefined || user["client-key-data"] !== undefined;
  if (!hasCert && !hasKey && user.token === undefined && user.username === undefined) {
    return userName === SIMULATED_NAME ? undefined : { name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] };
  }
  if (user.token !== undefined || user.username !== undefined) {
    throw new KubectlError(`a kubeconfig user with a token or a username and password (${userName}) is not simulated in-process: use a client certificate (kube-scenario serve authenticates service account tokens)`);
  }
  if (hasCert !== hasKey) throw new KubectlError(`Error in configuration: \n* client-${hasCert ? "key-data or client-key" : "cert-data or client-cert"} must be specified for ${userName} to use the clientCert authentication method.`, 1, true);
  const certPEM = credential(ctx, userName, user, "cert");
  const keyPEM = credential(ctx, userName, user, "key");
  try {
    const pub = createPublicKey(createPrivateKey(keyPEM)).export({ type: "spki", format: "der" });
    const certPub = new X509Certificate(certPEM).publicKey.export({ type: "spki", format: "der" });
    if (!pub.equals(certPub)) throw new KubectlError("tls: private key does not match public key");
  } catch (e) {
    if (e instanceof KubectlError) throw e;
    throw new KubectlError("tls: failed to find any PEM data in certificate input");
  }
  const verdict = authenticateClientCertificate(certPEM, clusterSigningCA(ctx).certPEM, ctx.clock.now());
  if (verdict.error !== undefined) throw new KubectlError(UNAUTHORIZED);
  return verdict.user ?? { name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] };
}
