/**
 * Authentication, as kube-apiserver's WithAuthentication filter
 * (staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go) runs the union of its
 * authenticators (pkg/kubeapiserver/authenticator/config.go, in its order): the TLS client
 * certificate (request/x509, against the facade's CA: X509Authenticator below), then the static
 * token the server was started with (`Authorization: Bearer <token>`), then service account
 * tokens. The first that knows the user wins; one that fails (an expired certificate, a
 * certificate of an unknown CA) lets the others try, and when none knows the user the request is
 * refused with a 401 Status (`Unauthorized`, which kubectl prints as `error: You must be logged in
 * to the server (Unauthorized)`), the failure's text going to the server's log as kube-apiserver
 * logs it (`"Unable to authenticate the request" err="verifying certificate SN=… failed: x509: …"`).
 *
 * `kube-scenario serve` generates the token at start from the operating system's CSPRNG
 * (crypto.randomBytes: this is security, not simulation, so the simulation's seeded randomness is
 * not involved) and writes it into the kubeconfig it writes (mode 0600). `--insecure-no-auth` turns
 * authentication off. Without the token a request reaches only what a cluster shows anonymous users
 * through its system:public-info-viewer role: /healthz, /livez, /readyz and /version.
 */
import { createHash, randomBytes, timingSafeEqual, X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { ApiError } from "../api/errors.ts";
import type { UserInfo } from "../api/authorization/user.ts";
import { authenticateClientCertificate, type ClientCertificateVerdict } from "../kubectl/clientauth.ts";

/** A new token: 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The non-resource paths system:public-info-viewer grants to unauthenticated users. */
const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz", "/version", "/version/"]);

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/");
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export class TokenAuthenticator {
  private readonly expected: Buffer;

  constructor(token: string) {
    if (token.length < 16) throw new Error("the API token must be at least 16 characters long");
    this.expected = digest(token);
  }

  /** Whether the request carries the token (compared in constant time). */
  authenticates(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (typeof header !== "string") return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return false;
    return timingSafeEqual(digest(m[1]!), this.expected);
  }

  /**
   * The user of the request (undefined: the admin, whose requests are not authorized, or an
   * anonymous request for public information), or the 401 ApiError. The union in kube-apiserver's
   * order: a client certificate `x509` accepts, the server's token, a token `authenticateToken`
   * takes (a service account's). Wrong credentials are refused everywhere, as upstream: a failed
   * authentication is 401 before authorization looks at the path. A certificate's failure is
   * passed to `onError` (the server's log) when nothing else authenticates the request.
   */
  check(req: IncomingMessage, path: string, authenticateToken?: (token: string) => UserInfo | undefined, x509?: X509Authenticator, onError?: (err: string) => void): UserInfo | undefined {
    const cert = x509?.authenticate(req);
    if (cert?.user) return cert.user;
    if (this.authenticates(req)) return undefined;
    // Another bearer token: a service account's (the union of token authenticators).
    const header = req.headers.authorization;
    const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const user = m && authenticateToken ? authenticateToken(m[1]!) : undefined;
    if (user) return user;
    if (cert?.error !== undefined) {
      // utilerrors.NewAggregate of the union's errors: one is its text, more are `[a, b]`.
      const errors = m ? [cert.error, "invalid bearer token"] : [cert.error];
      onError?.(errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`);
    } else if (header === undefined && isPublicPath(path)) return undefined;
    throw new ApiError("Unauthorized", "Unauthorized");
  }
}

/**
 * The x509 client-certificate authenticator (k8s.io/apiserver/pkg/authentication/request/x509)
 * with the facade's CA as its client CA: the certificate a TLS client presented (the server
 * requests one and does not require it) is verified at the served cluster's simulated time
 * (`now`), the clock its CSR signer signs with (src/kubectl/clientauth.ts has the verification and
 * the user conversion, shared with the in-process kubectl).
 */
export class X509Authenticator {
  private readonly ca: X509Certificate;
  /** The peer certificate of each TLS connection, parsed once (null: the client sent none). */
  private readonly peers = new WeakMap<object, X509Certificate | null>();

  constructor(
    caPEM: string,
    private readonly now: () => number,
  ) {
    this.ca = new X509Certificate(caPEM);
  }

  /** The verdict on the request's client certificate, or undefined when it presented none (or is not TLS). */
  authenticate(req: IncomingMessage): ClientCertificateVerdict | undefined {
    const socket = req.socket as Partial<TLSSocket> | undefined;
    if (!socket || typeof socket.getPeerX509Certificate !== "function") return undefined;
    let peer = this.peers.get(socket);
    if (peer === undefined) {
      peer = socket.getPeerX509Certificate() ?? null;
      this.peers.set(socket, peer);
    }
    return peer ? authenticateClientCertificate(peer, this.ca, this.now()) : undefined;
  }
}

/**
 * A line of kube-apiserver's log as klog writes it (`E1207 18:40:00.123456    4242 file:line] "msg" err="…"`):
 * the header is the wall clock's (the server's own log), the values quoted as Go's %q quotes them.
 */
export function klogError(file: string, msg: string, err: string, now = new Date(), pid = process.pid): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  const header = `E${p2(now.getUTCMonth() + 1)}${p2(now.getUTCDate())} ${p2(now.getUTCHours())}:${p2(now.getUTCMinutes())}:${p2(now.getUTCSeconds())}.${String(now.getUTCMilliseconds() * 1000).padStart(6, "0")} ${String(pid).padStart(7)} ${file}]`;
  return `${header} ${JSON.stringify(msg)} err=${JSON.stringify(err)}`;
}
