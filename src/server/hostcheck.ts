/**
 * Which requests may reach the simulated API server from a web browser. kube-apiserver has no such
 * filter: it serves TLS with client authentication, so a page cannot use it. The facade serves plain
 * HTTP on loopback, which any page the user opens can address, so it refuses:
 *  - requests whose Host header is not a loopback name (localhost, 127.0.0.0/8, ::1) or a name given
 *    with --allowed-host: a page on a DNS-rebinding name (attacker.example resolving to 127.0.0.1)
 *    sends its own name as Host, and could otherwise read every object, Secrets included;
 *  - WebSocket upgrades (pods/exec) and the /kube-scenario/ control endpoints whose Origin header is
 *    not a loopback or allowed origin: browsers send Origin on every cross-site WebSocket and POST,
 *    and neither is held back by CORS (a form or a plain POST to /advance needs no preflight).
 * Clients such as kubectl send no Origin and a loopback Host, and pass. The answer to a refused
 * request is a 403 Status saying how to allow the name.
 */
import { isIP } from "node:net";
import type { IncomingMessage } from "node:http";
import { ApiError } from "../api/errors.ts";

/** Whether `hostname` (no port, no brackets) is a loopback name. */
export function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/** The host name of a Host header value (`name:port`, `[v6]:port`), lower-cased; undefined when malformed. */
export function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  if (h === "") return undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h);
  if (v6) return v6[1];
  const m = /^([^:\s/@[\]]+)(?::(\d{1,5}))?$/.exec(h);
  return m ? m[1] : undefined;
}

export class HostCheck {
  private readonly allowed: Set<string>;

  constructor(allowedHosts: string[] = []) {
    this.allowed = new Set(allowedHosts.map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean));
  }

  private allows(hostname: string): boolean {
    return isLoopbackName(hostname) || this.allowed.has(hostname.replace(/\.$/, ""));
  }

  /** Throws the 403 ApiError for a Host header that names neither loopback nor an allowed host. */
  checkHost(req: IncomingMessage): void {
    const host = req.headers.host;
    // Only browsers need the check, and they always send Host (HTTP/1.0 clients may not).
    if (host === undefined) return;
    const name = hostnameOf(host);
    if (name !== undefined && this.allows(name)) return;
    throw new ApiError(
      "Forbidden",
      `the simulated API server answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]); Host ${JSON.stringify(host)} is not one (start kube-scenario serve with --allowed-host ${name ?? "NAME"} to allow it)`,
    );
  }

  /** Throws the 403 ApiError for an Origin header (browsers' cross-site requests) not on loopback or an allowed host. */
  checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    let name: string | undefined;
    try {
      const u = new URL(origin);
      if (u.protocol === "http:" || u.protocol === "https:") name = u.hostname.replace(/^\[|\]$/g, "");
    } catch {
      name = undefined;
    }
    if (name !== undefined && this.allows(name)) return;
    throw new ApiError(
      "Forbidden",
      `the simulated API server refuses cross-site requests to this endpoint: Origin ${JSON.stringify(origin)} is not a loopback origin (start kube-scenario serve with --allowed-host to allow a name)`,
    );
  }
}
