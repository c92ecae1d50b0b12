/**
 * Bearer-token authentication, as kube-apiserver's WithAuthentication filter
 * (staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go) runs a static token
 * authenticator: `Authorization: Bearer <token>` must carry the token the server was started with,
 * else the request is refused with a 401 Status (`Unauthorized`, which kubectl prints as
 * `error: You must be logged in to the server (Unauthorized)`).
 *
 * `kube-scenario serve` generates the token at start from the operating system's CSPRNG
 * (crypto.randomBytes: this is security, not simulation, so the simulation's seeded randomness is
 * not involved) and writes it into the kubeconfig it writes (mode 0600). `--insecure-no-auth` turns
 * authentication off. Without the token a request reaches only what a cluster shows anonymous users
 * through its system:public-info-viewer role: /healthz, /livez, /readyz and /version.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiError } from "../api/errors.ts";
import type { UserInfo } from "../api/authorization/user.ts";

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
   * Throws the 401 ApiError unless the request carries the token (undefined: the admin), a token
   * `authenticateToken` takes (its user), or carries no credentials and asks only for public information (wrong credentials are refused everywhere, as upstream: a failed
   * authentication is 401 before authorization looks at the path).
   */
  check(req: IncomingMessage, path: string, authenticateToken?: (token: string) => UserInfo | undefined): UserInfo | undefined {
    if (this.authenticates(req)) return undefined;
    if (req.headers.authorization === undefined && isPublicPath(path)) return undefined;
    // Another bearer token: a service account's (the union of token authenticators).
    const m = authenticateToken && typeof req.headers.authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization) : null;
    const user = m ? authenticateToken!(m[1]!) : undefined;
    if (user) return user;
    throw new ApiError("Unauthorized", "Unauthorized");
  }
}
