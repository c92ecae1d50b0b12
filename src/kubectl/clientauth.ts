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
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
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

/** The x509 authenticator's answer: a user, a failure (401), or no opinion (the next authenticator: anonymous). */
export type ClientCertificateVerdict = { user: UserInfo; unauthorized?: undefined } | { unauthorized: true; user?: undefined } | { user?: undefined; unauthorized?: undefined };

/**
 * The x509 authenticator's verdict on a PEM client certificate at `nowMs`
 * (k8s.io/apiserver/pkg/authentication/request/x509/x509.go, v1.32: Verify against the client CA
 * bundle `caPEM` with client-auth key usage, then CommonNameUserConversion: the user is the common
 * name, the groups the organizations, the extra `authentication.kubernetes.io/credential-id`
 * `X509SHA256=` and the certificate's SHA-256; a certificate without a common name has no user and
 * the request goes on to the next authenticator). `system:authenticated` is added, as the
 * authenticated group adder does.
 */
export function authenticateClientCertificate(certPEM: string, caPEM: string, nowMs: number): ClientCertificateVerdict {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certPEM);
    ca = new X509Certificate(caPEM);
  } catch {
    return { unauthorized: true };
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { unauthorized: true };
  if (nowMs < Date.parse(cert.validFrom) || nowMs > Date.parse(cert.validTo)) return { unauthorized: true };
  const eku = cert.keyUsage;
  if (eku && eku.length > 0 && !eku.includes(CLIENT_AUTH_OID) && !eku.includes("2.5.29.37.0")) return { unauthorized: true };
  const { cn, orgs } = subjectOf(cert.subject);
  if (!cn) return {};
  const id = "X509SHA256=" + createHash("sha256").update(cert.raw).digest("hex");
  return { user: { name: cn, groups: [...orgs, ALL_AUTHENTICATED], extra: { [CREDENTIAL_ID_KEY]: [id] } } };
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
  if (verdict.unauthorized) throw new KubectlError(UNAUTHORIZED);
  return verdict.user ?? { name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] };
}
