/**
 * The Gateway API's HTTP routing as a data plane applies it (gateway.networking.k8s.io/v1,
 * sigs.k8s.io/gateway-api apis/v1/httproute_types.go and gateway_types.go at v1.2.1): which
 * hostnames a route serves through a listener (the intersection of `spec.hostnames` and the
 * listener's `hostname`, "*." wildcards matching one or more labels), and which rule a request
 * takes among the routes attached to a listener, in the precedence HTTPRouteRule's comment gives:
 * a request's host picks the most specific hostname (exact before wildcard, longer wildcard
 * first), then among the matches of that host
 *   1. an Exact path match, 2. the longest PathPrefix, 3. a method match, 4. the most header
 *   matches, 5. the most query parameter matches,
 * ties going to the oldest route (creationTimestamp), then to `namespace/name` alphabetically,
 * then to the rule and match order within the route.
 * PathPrefix matches by `/`-separated elements as an Ingress `Prefix` does (src/network/ingress.ts
 * `pathMatch`, shared).
 */
import { hostMatches, pathMatch } from "./ingress.ts";

/** A route's match (HTTPRouteMatch), with its defaults applied (path PathPrefix "/"). */
export interface RouteMatch {
  path: { type: "Exact" | "PathPrefix" | "RegularExpression"; value: string };
  headers: Array<{ type: "Exact" | "RegularExpression"; name: string; value: string }>;
  queryParams: Array<{ type: "Exact" | "RegularExpression"; name: string; value: string }>;
  method?: string;
}

/** One rule's backends (HTTPBackendRef), resolved by the control plane. */
export interface RouteBackend {
  /** `namespace/name:port` of the Service. */
  service: string;
  weight: number;
  /** The Service port's ready endpoints (EndpointSlices). */
  endpoints: Array<{ ip: string; port: number }>;
}

/** A rule of a route, as the control plane sends it to the proxy. */
export interface RouteRule {
  /** `httproute/<namespace>/<name>/rule/<i>/match/<j>` as Envoy Gateway names its routes. */
  name: string;
  /** The route's hostnames intersected with the listener's (empty: any host, "*"). */
  hostnames: string[];
  matches: RouteMatch[];
  backends: RouteBackend[];
  /** An answer of the proxy's own instead of a backend (a rule whose backends are all invalid: 500). */
  directResponse?: number;
  /** The route's age (RFC 3339) and key, for the precedence ties. */
  created: string;
  key: string;
}

interface HttpRouteSpecLike {
  hostnames?: string[];
  rules?: Array<{
    matches?: Array<{
      path?: { type?: string; value?: string };
      headers?: Array<{ type?: string; name: string; value: string }>;
      queryParams?: Array<{ type?: string; name: string; value: string }>;
      method?: string;
    }>;
  }>;
}

/** A match with the API's defaults (path: PathPrefix "/"; header and query types Exact). */
export function normalizeMatch(m: NonNullable<NonNullable<HttpRouteSpecLike["rules"]>[number]["matches"]>[number] | undefined): RouteMatch {
  const type = (m?.path?.type ?? "PathPrefix") as RouteMatch["path"]["type"];
  return {
    path: { type, value: m?.path?.value ?? "/" },
    headers: (m?.headers ?? []).map((h) => ({ type: (h.type ?? "Exact") as "Exact" | "RegularExpression", name: h.name, value: h.value })),
    queryParams: (m?.queryParams ?? []).map((q) => ({ type: (q.type ?? "Exact") as "Exact" | "RegularExpression", name: q.name, value: q.value })),
    ...(m?.method ? { method: m.method } : {}),
  };
}

/**
 * The hostnames a route serves through a listener (gateway-api's hostname intersection): undefined
 * when they do not intersect (the route is not accepted there: NoMatchingListenerHostname); `[]`
 * for any host.
 */
export function intersectHostnames(listenerHostname: string | undefined, routeHostnames: string[] | undefined): string[] | undefined {
  const route = routeHostnames ?? [];
  if (!listenerHostname) return [...route];
  if (route.length === 0) return [listenerHostname];
  const out: string[] = [];
  for (const h of route) {
    if (hostnameMatches(listenerHostname, h)) out.push(h);
    else if (hostnameMatches(h, listenerHostname)) out.push(listenerHostname);
  }
  return out.length ? [...new Set(out)] : undefined;
}

/** Whether `pattern` (a hostname or `*.suffix`, which matches one or more labels) covers `host`. */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    return h.endsWith(suffix) && h.length > suffix.length && !h.startsWith("*.");
  }
  return p === h;
}

/** How specific a hostname is for a host (higher wins; -1: no match): exact, then longer wildcards. */
function hostScore(hostnames: string[], host: string): number {
  if (hostnames.length === 0) return 0;
  let best = -1;
  for (const h of hostnames) {
    if (!h.startsWith("*.")) {
      if (hostMatches(h, host)) return Number.MAX_SAFE_INTEGER;
      continue;
    }
    if (hostnameMatches(h, host)) best = Math.max(best, h.length);
  }
  return best;
}

/** The request as the proxy sees it. */
export interface RouteRequest {
  host: string;
  method: string;
  /** Path with the query. */
  path: string;
  headers: Record<string, string>;
}

function valueMatches(type: "Exact" | "RegularExpression", want: string, got: string | undefined): boolean {
  if (got === undefined) return false;
  if (type === "Exact") return want === got;
  try {
    return new RegExp(`^(?:${want})$`).test(got);
  } catch {
    return false;
  }
}

/** Whether a match takes the request; the path score (Exact above every prefix) or -1. */
export function matchScore(m: RouteMatch, req: RouteRequest): number {
  const q = req.path.indexOf("?");
  const path = (q >= 0 ? req.path.slice(0, q) : req.path) || "/";
  let score: number;
  if (m.path.type === "Exact") score = path === m.path.value ? 1_000_000 : -1;
  else if (m.path.type === "RegularExpression") score = valueMatches("RegularExpression", m.path.value, path) ? 0 : -1;
  else score = pathMatch("Prefix", m.path.value, path);
  if (score < 0) return -1;
  if (m.method && m.method !== req.method) return -1;
  const header = (name: string) => {
    const k = Object.keys(req.headers).find((x) => x.toLowerCase() === name.toLowerCase());
    return k === undefined ? undefined : req.headers[k];
  };
  for (const h of m.headers) if (!valueMatches(h.type, h.value, header(h.name))) return -1;
  if (m.queryParams.length) {
    const params = new Map<string, string>();
    for (const part of (q >= 0 ? req.path.slice(q + 1) : "").split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const k = eq >= 0 ? part.slice(0, eq) : part;
      if (!params.has(k)) params.set(k, eq >= 0 ? part.slice(eq + 1) : "");
    }
    for (const p of m.queryParams) if (!valueMatches(p.type, p.value, params.get(p.name))) return -1;
  }
  return score;
}

/**
 * The rule a request takes among a listener's rules, or undefined (no route: the proxy's 404).
 * The host picks the virtual host first (the most specific hostname), then the precedence above.
 */
export function routeRequest(rules: RouteRule[], req: RouteRequest): RouteRule | undefined {
  const host = req.host.replace(/:\d+$/, "").toLowerCase();
  let bestHost = -1;
  for (const r of rules) bestHost = Math.max(bestHost, hostScore(r.hostnames, host));
  if (bestHost < 0) return undefined;
  let best: { rule: RouteRule; key: number[] } | undefined;
  for (const r of rules) {
    if (hostScore(r.hostnames, host) !== bestHost) continue;
    for (const m of r.matches) {
      const s = matchScore(m, req);
      if (s < 0) continue;
      const key = [s, m.method ? 1 : 0, m.headers.length, m.queryParams.length];
      if (!best || better(key, best.key, r, best.rule)) best = { rule: r, key };
    }
  }
  return best?.rule;
}

function better(a: number[], b: number[], ra: RouteRule, rb: RouteRule): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  if (ra.created !== rb.created) return ra.created < rb.created;
  return ra.key < rb.key;
}

/** A weighted pick among a rule's backends with endpoints (`n`: the request's sequence number). */
export function pickBackend(backends: RouteBackend[], n: number): RouteBackend | undefined {
  const total = backends.reduce((s, b) => s + b.weight, 0);
  if (total <= 0) return undefined;
  let at = n % total;
  for (const b of backends) {
    if (at < b.weight) return b;
    at -= b.weight;
  }
  return undefined;
}
