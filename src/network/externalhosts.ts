/**
 * Hosts outside the cluster. The simulated cluster has no Internet by default: cluster DNS
 * (CoreDNS forwarding to the node's resolver) answers NXDOMAIN for every name it does not serve,
 * so `wget http://info.cern.ch` fails as busybox does for a name that does not resolve
 * (`wget: bad address 'info.cern.ch'`), curl with `Could not resolve host`, an httpGet probe with
 * Go's `no such host`. A scenario declares the hosts it needs and what they answer:
 *
 *   Given the external host "info.cern.ch" answers:
 *     """yaml
 *     /: { status: 200, body: "<html>…</html>" }
 *     /missing: { status: 404 }
 *     /plain: "a body alone means status 200"
 *     """
 *
 * A declared host resolves to an address of TEST-NET-3 (203.0.113.0/24, RFC 5737), in order of
 * declaration from 203.0.113.10, and answers HTTP on ports 80 and 443; a path it does not list
 * answers 404. Any other port of it, and any address outside the cluster that no declared host
 * has, drops the connection (a connect timeout), as a firewall would.
 */
import { parse as parseYaml } from "yaml";
import type { AppServer } from "../runtime/types.ts";
import { intToIP, ipToInt } from "../api/registry/core/service/ipallocator.ts";

export interface ExternalAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface ExternalHost {
  name: string;
  ip: string;
  answers: Map<string, ExternalAnswer>;
  app: AppServer;
}

const FIRST_ADDRESS = ipToInt("203.0.113.10");
const LAST_ADDRESS = ipToInt("203.0.113.254");
const NOT_FOUND: ExternalAnswer = { status: 404, body: "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n" };
/** A DNS name: labels of letters, digits and hyphens, dot-separated, at least one dot (a bare word is a cluster name). */
const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

function bad(name: string, message: string): never {
  throw new Error(`external host ${JSON.stringify(name)}: ${message}`);
}

/** Checks and normalises what a declaration says each path answers. */
export function parseAnswers(name: string, spec: unknown): Map<string, ExternalAnswer> {
  if (spec === null || spec === undefined) return new Map();
  if (typeof spec !== "object" || Array.isArray(spec)) bad(name, "the answers must be a mapping of paths (`/: { status: 200, body: ... }`)");
  const out = new Map<string, ExternalAnswer>();
  for (const [path, v] of Object.entries(spec as Record<string, unknown>)) {
    if (!path.startsWith("/")) bad(name, `path ${JSON.stringify(path)} must start with "/"`);
    if (typeof v === "string") {
      out.set(path, { status: 200, body: v });
      continue;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) bad(name, `path ${path}: give a body string or { status, body, headers }`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!["status", "body", "headers"].includes(k)) bad(name, `path ${path}: unknown field ${JSON.stringify(k)} (status, body, headers)`);
    const status = o.status ?? 200;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) bad(name, `path ${path}: status must be an HTTP status code (100-599), not ${JSON.stringify(status)}`);
    if (o.body !== undefined && typeof o.body !== "string") bad(name, `path ${path}: body must be a string`);
    let headers: Record<string, string> | undefined;
    if (o.headers !== undefined) {
      if (typeof o.headers !== "object" || o.headers === null || Array.isArray(o.headers)) bad(name, `path ${path}: headers must be a mapping`);
      headers = Object.fromEntries(Object.entries(o.headers as Record<string, unknown>).map(([k, hv]) => [k, String(hv)]));
    }
    out.set(path, { status, body: (o.body as string | undefined) ?? "", ...(headers ? { headers } : {}) });
  }
  return out;
}

function hostApp(answers: Map<string, ExternalAnswer>): AppServer {
  return {
    listening: (port) => port === 80 || port === 443,
    handle: (req) => {
      const path = req.path.replace(/[?#].*$/, "") || "/";
      const a = answers.get(req.path) ?? answers.get(path) ?? NOT_FOUND;
      return { status: a.status, body: a.body };
    },
  };
}

/** The hosts a scenario declared, by name and by address. */
export class ExternalHosts {
  private readonly byName = new Map<string, ExternalHost>();
  private readonly byIP = new Map<string, ExternalHost>();

  /** Declares (or redeclares) a host and what it answers; throws a readable error for a bad declaration. */
  declare(name: string, spec: unknown): ExternalHost {
    const host = name.toLowerCase().replace(/\.$/, "");
    if (!HOSTNAME_RE.test(host)) bad(name, "give a DNS name outside the cluster, such as info.cern.ch");
    if (/\.cluster\.local$|\.svc$/.test(host)) bad(name, "names under cluster.local are the cluster's own");
    const answers = parseAnswers(name, spec);
    const known = this.byName.get(host);
    if (known) {
      known.answers = answers;
      known.app = hostApp(answers);
      this.byIP.set(known.ip, known);
      return known;
    }
    const n = FIRST_ADDRESS + this.byName.size;
    if (n > LAST_ADDRESS) bad(name, "too many external hosts (at most 245)");
    const h: ExternalHost = { name: host, ip: intToIP(n), answers, app: hostApp(answers) };
    this.byName.set(host, h);
    this.byIP.set(h.ip, h);
    return h;
  }

  /** Declares a host from the YAML text of a step's doc string. */
  declareYaml(name: string, text: unknown): ExternalHost {
    if (typeof text !== "string") bad(name, 'give what it answers as a YAML doc string (between """ lines), not a table');
    let spec: unknown;
    try {
      spec = parseYaml(text as string);
    } catch (e) {
      bad(name, `the answers are not valid YAML: ${(e as Error).message}`);
    }
    return this.declare(name, spec);
  }

  /** The address of a declared name (case and a trailing dot ignored). */
  resolve(name: string): string | undefined {
    if (this.byName.size === 0) return undefined;
    return this.byName.get(name.toLowerCase().replace(/\.$/, ""))?.ip;
  }

  /** The host owning an address. */
  byAddress(ip: string): ExternalHost | undefined {
    return this.byIP.get(ip);
  }

  /** Whether an address could ever be a declared host's (they are given out from 203.0.113.10 on). */
  static mayOwn(ip: string): boolean {
    if (!ip.startsWith("203.0.113.")) return false;
    const n = ipToInt(ip);
    return n >= FIRST_ADDRESS && n <= LAST_ADDRESS;
  }
}
