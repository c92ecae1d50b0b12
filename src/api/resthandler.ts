/**
 * The API server's REST handlers as an in-process function from an HTTP request to its answer, for
 * the simulation's HTTP clients: what `kubectl proxy` forwards (src/kubectl/commands/proxy.ts; real
 * kubectl proxy forwards every verb, so the pages that `curl` the API through it work as on a
 * cluster: a PATCH of a node's status with `Content-Type: application/json-patch+json`, a DELETE
 * with `propagationPolicy` in its body) and what a pod's curl to `https://kubernetes.default.svc`
 * reaches (src/network/apiserverhost.ts).
 *
 * The handlers are the ones `kube-scenario serve` runs (src/api/endpoints/handlers/: create,
 * update, patch of every type and server-side apply, delete, deletecollection, get and list with
 * selectors and paging, the status, ephemeralcontainers, scale, binding, eviction and token
 * subresources, dryRun, fieldManager, fieldValidation), so a request gets the same answer through all three front ends. What this front
 * end adds is the HTTP around them:
 *
 * - `/version`, `/healthz`, `/livez`, `/readyz`, `/metrics` (src/api/componentbase/apiserver.ts), `/api` (APIVersions);
 * - bodies in other media types are refused as negotiation refuses them (415, the accepted types
 *   listed): curl's `-d` sends `application/x-www-form-urlencoded` unless told otherwise; bodies
 *   nested deeper than the simulation follows are refused (src/api/depth.ts);
 * - watches, Tables, and the subresources that stream (`log`, `exec`, `attach`, `portforward`)
 *   answer a 404 Status saying they are served by `kube-scenario serve` only (the registry's
 *   `scale`, `binding`, `eviction` and `token` are the shared handlers'); the `proxy` subresource
 *   is the caller's (it needs the cluster network).
 * - Answers are JSON as Go writes it: indented for curl, Wget and browsers (isPrettyPrint), compact
 *   otherwise; `<`, `>`, `&` escaped; fields in Go's declaration order, `kind` first, the keys of
 *   maps sorted (src/api/schema/fieldorder.ts), as the facade writes them.
 */
import { ApiError } from "./errors.ts";
import { apiVersionOf, type ResourceType } from "./resources.ts";
import type { ApiServer } from "./store.ts";
import { versionBody } from "./version.ts";
import { apiserverMetrics, METRICS_PATH } from "./componentbase/apiserver.ts";
import type { ResourceRegistry } from "./resources.ts";
import { checkBodyDepth } from "./depth.ts";
import { dispatch, parseRoute } from "./endpoints/handlers/installer.ts";
import { errorStatus, presented } from "./endpoints/handlers/responsewriters.ts";
import { managerOf as managerOfHeaders, mediaTypeOf, type Headers, type RequestScope } from "./endpoints/handlers/rest.ts";

export { decodeApplyConfiguration } from "./endpoints/handlers/patch.ts";

/** What create and update decode (CBOR is off in v1.32). */
const BODY_MEDIA_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
/** What PATCH takes for built-in kinds, in the order the installer lists them. */
const PATCH_MEDIA_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

const unsupportedMediaType = (accepted: string[]) => new ApiError("UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`);

/** Header names in lower case, as node:http gives them (the in-process clients write them as they like). */
export function lowerCaseHeaders(h: Record<string, string>): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

const header = (h: Record<string, string>, name: string): string => {
  const k = Object.keys(h).find((x) => x.toLowerCase() === name);
  return k === undefined ? "" : h[k]!;
};

/** The field manager a write is recorded under: `?fieldManager=`, else the User-Agent's product (`curl`). */
export function managerOf(headers: Record<string, string>, q: URLSearchParams): string {
  return managerOfHeaders({ headers: lowerCaseHeaders(headers) }, q);
}

/**
 * The content-type check before the body is read (the facade's handler chain makes it too,
 * src/server/requestbody.ts): the media types a verb's body may have, else 415. Protobuf, which
 * the facade decodes, is refused here with a 415 saying so.
 */
function checkContentType(method: string, headers: Headers, body: string): void {
  const bodied = method === "POST" || method === "PUT" || method === "PATCH" || (method === "DELETE" && body.length > 0);
  if (!bodied) return;
  const type = mediaTypeOf(String(headers["content-type"] ?? ""));
  if (method === "PATCH") {
    if (!PATCH_MEDIA_TYPES.includes(type)) throw unsupportedMediaType(PATCH_MEDIA_TYPES);
    return;
  }
  if (type !== "" && !BODY_MEDIA_TYPES.includes(type)) throw unsupportedMediaType(BODY_MEDIA_TYPES);
  if (type === "application/vnd.kubernetes.protobuf") throw new ApiError("UnsupportedMediaType", "the in-process API server decodes JSON and YAML bodies; kube-scenario serve decodes protobuf");
}

/** An HTTP request as the handler takes it (path without the query). */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

/** An HTTP answer: status, body text, headers. */
export interface RestAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** A resource path's parts (installer.go's routes; `/proxy` keeps what follows it in `rest`). */
export interface RestRoute {
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  /** What follows `/proxy` (with its leading slash), for the proxy subresource. */
  rest?: string;
}

/** The resource a path (`/api/v1/...`, `/apis/<group>/<version>/...`) names, or undefined. */
export function routeOf(registry: ResourceRegistry, path: string): RestRoute | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
  if (!m) return undefined;
  const gv = m[1] ? "v1" : `${m[2]}/${m[3]}`;
  const parts = m[4]!.split("/");
  const find = (plural: string | undefined) => registry.resources().find((r) => r.plural === plural && apiVersionOf(r) === gv);
  const tail = (from: number): string | undefined => (parts.length > from ? "/" + parts.slice(from).join("/") : undefined);
  if (parts[0] === "namespaces" && parts.length >= 3) {
    const r = find(parts[2]);
    if (r?.namespaced) {
      if (parts[4] === "proxy") return { r, namespace: parts[1], name: parts[3], sub: "proxy", rest: tail(5) ?? "" };
      if (parts.length > 5 || parts.slice(0, Math.max(parts.length, 3)).some((p, i) => p === "" && i < parts.length - 1)) return undefined;
      return { r, namespace: parts[1], ...(parts[3] ? { name: parts[3] } : {}), ...(parts[4] ? { sub: parts[4] } : {}) };
    }
  }
  const r = find(parts[0]);
  if (!r || parts.length > 3) return undefined;
  return { r, ...(parts[1] ? { name: parts[1] } : {}), ...(parts[2] ? { sub: parts[2] } : {}) };
}

/** negotiation's isPrettyPrint: `?pretty=`, else a curl, Wget or browser User-Agent. */
export function isPrettyPrint(query: URLSearchParams, headers: Record<string, string>): boolean {
  const pp = query.get("pretty");
  if (pp) return pp === "1" || pp === "t" || pp === "T" || pp === "true" || pp === "TRUE" || pp === "True";
  const ua = header(headers, "user-agent");
  return ua.startsWith("curl") || ua.startsWith("Wget") || ua.startsWith("Mozilla/5.0");
}

/** JSON as Go's encoding/json writes it (the object's own key order; `<`, `>`, `&`, U+2028/9 escaped). */
export function goJSONText(value: unknown, pretty: boolean): string {
  const text = JSON.stringify(value, null, pretty ? 2 : undefined).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  return pretty ? text + "\n" : text;
}

/** An ApiError as the Status object the API server answers (the facade's ErrorToAPIStatus). */
export function statusOf(e: ApiError): Record<string, unknown> {
  return errorStatus(e).body as Record<string, unknown>;
}

/** A JSON answer (Warning headers for the API server's warnings, code 299). */
export function jsonAnswer(code: number, body: unknown, req: Pick<RestRequest, "query" | "headers">, warnings: string[] = []): RestAnswer {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
  return { status: code, body: goJSONText(body, isPrettyPrint(req.query, req.headers)), headers };
}

/** The clock a request is served at. */
export interface RestClock {
  now(): number;
  nowRFC3339(): string;
}

/**
 * One request to the API: `api` is the store as the client reaches it (the authorization filter's
 * for a service account), `serverAddress` what `/api` names in serverAddressByClientCIDRs.
 * Resource paths are served by the shared REST handlers (src/api/endpoints/handlers/); the `proxy`
 * subresource is the caller's to answer: `route` is given back for it.
 */
export function serveRest(api: ApiServer, clock: RestClock, req: RestRequest, serverAddress: string): RestAnswer | { route: RestRoute } {
  const { method, query } = req;
  const path = req.path.replace(/\/+$/, "") || "/";
  const warnings: string[] = [];
  try {
    if (path === "/version") return { status: 200, body: versionBody(), headers: { "Content-Type": "application/json" } };
    if (path === "/healthz" || path === "/livez" || path === "/readyz") return { status: 200, body: "ok", headers: { "Content-Type": "text/plain; charset=utf-8" } };
    if (path === METRICS_PATH) {
      const m = apiserverMetrics();
      return { status: 200, body: m.body, headers: { "Content-Type": m.contentType } };
    }
    if (path === "/api") return jsonAnswer(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] }, req);
    const proxied = routeOf(api.registry, req.path);
    if (proxied?.sub === "proxy") return { route: proxied };
    const gv = /^\/api\/v1\/(.+)$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)\/(.+)$/.exec(path);
    const route = gv && (path.startsWith("/api/") ? parseRoute(api.registry, "v1", gv[1]!) : parseRoute(api.registry, gv[1]!, gv[2]!));
    if (!route) throw new ApiError("NotFound", `the server could not find the requested resource (the in-process API server serves ${method} ${req.path} only through kube-scenario serve)`);
    const headers = lowerCaseHeaders(req.headers);
    checkContentType(method, headers, req.body);
    checkBodyDepth(req.body, mediaTypeOf(String(headers["content-type"] ?? "")));
    const s: RequestScope = {
      cluster: { api, clock },
      route,
      r: route.r,
      ns: route.r.namespaced ? route.namespace : undefined,
      method,
      query,
      req: { headers },
      body: req.body,
      warnings,
      delta: 0,
    };
    const result = dispatch(s)!;
    return jsonAnswer(result.code, presented(result.body, route.r), req, warnings);
  } catch (e) {
    if (e instanceof ApiError) return jsonAnswer(e.code, statusOf(e), req, warnings);
    throw e;
  }
}
