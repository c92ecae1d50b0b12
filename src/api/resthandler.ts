/**
 * The API server's REST handlers as an in-process function from an HTTP request to its answer
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers: get.go, create.go, update.go, patch.go,
 * delete.go; the routes of installer.go), for the simulation's HTTP clients: what `kubectl proxy`
 * forwards (src/kubectl/commands/proxy.ts; real kubectl proxy forwards every verb, so the pages
 * that `curl` the API through it work as on a cluster: a PATCH of a node's status with
 * `Content-Type: application/json-patch+json`, a DELETE with `propagationPolicy` in its body) and
 * what a pod's curl to `https://kubernetes.default.svc` reaches (src/network/apiserverhost.ts).
 * `kube-scenario serve` (src/server/) is the same API over real HTTP, with more of it.
 *
 * - `/version`, `/healthz`, `/livez`, `/readyz`, `/api` (APIVersions);
 * - GET of an object, its `status`, or a list (no selectors, paging or watches);
 * - POST to a collection creates (201), PUT to an object or its `status` replaces it, PATCH applies
 *   a JSON, merge or strategic merge patch (or server-side apply, `application/apply-patch+yaml`,
 *   with its required `fieldManager`), DELETE of an object takes DeleteOptions from the body or
 *   the query (`propagationPolicy`, `gracePeriodSeconds`, `dryRun`, `preconditions`), DELETE of a
 *   collection deletes what its selectors select.
 * - Bodies in other media types are refused as negotiation refuses them (415, the accepted
 *   types listed): curl's `-d` sends `application/x-www-form-urlencoded` unless told otherwise.
 * - The write is recorded in managedFields under the `fieldManager` query parameter or the client's
 *   User-Agent up to its first `/` (`curl`), as the API server's field manager names it.
 * - Other subresources (`scale`, `binding`, `eviction`, `exec`...) and other paths answer a 404
 *   Status saying they are served by `kube-scenario serve` only; the `proxy` subresource is the
 *   caller's (it needs the cluster network).
 * - Answers are JSON as Go writes it: indented for curl, Wget and browsers (isPrettyPrint), compact
 *   otherwise; `<`, `>`, `&` escaped; the keys of maps sorted (`sortedMaps`).
 */
import { parse as parseYAML } from "yaml";
import { ApiError, fieldErr, invalidError } from "./errors.ts";
import { apiVersionOf, type ResourceType } from "./resources.ts";
import { convertFromStorage } from "./conversion/index.ts";
import { recordUpdate, serverSideApply, applyStatus } from "./fieldmanager.ts";
import { checkValid, jsonKind } from "./jsonscanner.ts";
import { applyPatch, checkPatchType, parsePatch, type PatchType } from "./patch.ts";
import { deleteOptions, dryRunOf } from "./options.ts";
import type { ApiServer, ListOptions, Subresource } from "./store.ts";
import { fieldSelectorFor, parseSelector, SelectorError } from "./labels.ts";
import type { KObject } from "./types.ts";
import { loadSchema } from "./schema/fields.ts";
import { versionBody } from "./version.ts";
import type { ResourceRegistry } from "./resources.ts";

/** What create and update decode (CBOR is off in v1.32). */
const BODY_MEDIA_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
/** What PATCH takes for built-in kinds, in the order the installer lists them. */
const PATCH_MEDIA_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];
/** Registries whose DELETE answers the deleted object (ReturnDeletedObject); the others a Success Status. */
const RETURNS_DELETED_OBJECT = new Set(["Pod", "Service", "Namespace"]);

export interface WriteRequest {
  method: string;
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export interface WriteResult {
  code: number;
  body: unknown;
}

const header = (h: Record<string, string>, name: string): string => {
  const k = Object.keys(h).find((x) => x.toLowerCase() === name);
  return k === undefined ? "" : h[k]!;
};
const mediaTypeOf = (contentType: string) => contentType.split(";")[0]!.trim().toLowerCase();
const unsupportedMediaType = (accepted: string[]) => new ApiError("UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`);
/** go-restful's answer to a known path with a method it has no route for. */
const methodNotAllowed = () => new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource", { kind: "", name: "", causes: [] });

/** The field manager a write is recorded under: `?fieldManager=`, else the User-Agent's product (`curl`). */
export function managerOf(headers: Record<string, string>, q: URLSearchParams): string {
  return q.get("fieldManager") || (header(headers, "user-agent") || "unknown").split("/")[0]!;
}

/** A create, update, patch or delete through the proxy; throws ApiError for the Status answers. */
export function serveWrite(api: ApiServer, now: string, req: WriteRequest, warnings: string[]): WriteResult {
  const { method, r, name, sub } = req;
  if (!r.storable) throw methodNotAllowed();
  const ns = r.namespaced ? req.namespace : undefined;
  if (method === "POST" || method === "PUT" || method === "PATCH") checkContentType(req);
  if (name === undefined) {
    if (method === "POST") return create(api, now, req, ns, warnings);
    if (method === "DELETE") return deleteCollection(api, req, ns);
    throw methodNotAllowed();
  }
  if (sub) {
    const verbs = r.subresources.find((x) => x.name === sub)?.verbs;
    if (!verbs) throw new ApiError("NotFound", "the server could not find the requested resource");
    if (sub !== "status") throw new ApiError("NotFound", `the server could not find the requested resource (the in-process API server serves ${method} of ${sub} only through kube-scenario serve)`);
    if (method === "DELETE" || method === "POST") throw methodNotAllowed();
  }
  const subresource: Subresource = sub === "status" ? "status" : "";
  if (method === "PUT") return update(api, now, req, ns, name, subresource, warnings);
  if (method === "PATCH") return patch(api, now, req, ns, name, subresource, warnings);
  if (method === "DELETE") return del(api, req, ns, name);
  throw methodNotAllowed();
}

function checkContentType(req: WriteRequest): void {
  const type = mediaTypeOf(header(req.headers, "content-type"));
  if (req.method === "PATCH") {
    if (!PATCH_MEDIA_TYPES.includes(type)) throw unsupportedMediaType(PATCH_MEDIA_TYPES);
    return;
  }
  if (type !== "" && !BODY_MEDIA_TYPES.includes(type)) throw unsupportedMediaType(BODY_MEDIA_TYPES);
  if (type === "application/vnd.kubernetes.protobuf") throw new ApiError("UnsupportedMediaType", "the in-process API server decodes JSON and YAML bodies; kube-scenario serve decodes protobuf");
}

/** The body of a create or update as an object of the path's kind (the kind and apiVersion default to the path's). */
function decodeObject(req: WriteRequest): KObject {
  let text = req.body;
  if (mediaTypeOf(header(req.headers, "content-type")) === "application/yaml") {
    try {
      text = JSON.stringify(parseYAML(text) ?? null);
    } catch (e) {
      throw new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${req.r.kind}): error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const syntax = checkValid(text);
  if (syntax) throw new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${req.r.kind}): couldn't get version/kind; json parse error: ${syntax}`);
  const parsed = (JSON.parse(text) ?? {}) as KObject;
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${req.r.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(parsed)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  // The kind and apiVersion default to the path's (first, as the decoded object has them).
  const { apiVersion, kind, ...rest } = parsed;
  const o = { apiVersion: apiVersion ?? apiVersionOf(req.r), kind: kind ?? req.r.kind, ...rest } as KObject;
  if (o.apiVersion !== apiVersionOf(req.r) || o.kind !== req.r.kind) {
    throw new ApiError("BadRequest", `the API version in the data (${o.apiVersion}) does not match the expected API version (${apiVersionOf(req.r)})`);
  }
  o.metadata ??= {};
  return o;
}

function checkNamespaceAndName(obj: KObject, ns: string | undefined, name?: string): void {
  const want = ns ?? "";
  const have = obj.metadata.namespace ?? "";
  if (have !== want) {
    if (have === "") obj.metadata.namespace = want;
    else if (want === "") delete obj.metadata.namespace;
    else throw new ApiError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  }
  if (name !== undefined && (obj.metadata.name ?? "") !== name) throw new ApiError("BadRequest", `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${name})`);
}

function track(req: WriteRequest, now: string, old: KObject | undefined, obj: KObject, subresource?: string): void {
  if (old && obj.metadata.managedFields === undefined) obj.metadata.managedFields = old.metadata.managedFields;
  const entries = recordUpdate(old, obj, managerOf(req.headers, req.query), now, subresource || undefined);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

const dryRun = (q: URLSearchParams, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): boolean => dryRunOf(q.getAll("dryRun"), kind);

function fieldValidation(q: URLSearchParams, byDefault: "Strict" | "Warn" = "Warn"): "Strict" | "Warn" | "Ignore" {
  const v = q.get("fieldValidation");
  return v === "Strict" || v === "Ignore" || v === "Warn" ? v : byDefault;
}

function create(api: ApiServer, now: string, req: WriteRequest, ns: string | undefined, warnings: string[]): WriteResult {
  const obj = decodeObject(req);
  checkNamespaceAndName(obj, ns);
  track(req, now, undefined, obj);
  const created = api.create(obj, { dryRun: dryRun(req.query, "CreateOptions"), fieldValidation: fieldValidation(req.query), warnings });
  return { code: 201, body: convertFromStorage(created, req.r) };
}

function update(api: ApiServer, now: string, req: WriteRequest, ns: string | undefined, name: string, subresource: Subresource, warnings: string[]): WriteResult {
  const obj = decodeObject(req);
  checkNamespaceAndName(obj, ns, name);
  const stored = api.get(req.r.key, ns ?? "", name);
  if (subresource !== "status") track(req, now, stored && convertFromStorage(stored, req.r), obj);
  const updated = api.update(obj, { subresource, dryRun: dryRun(req.query, "UpdateOptions"), fieldValidation: fieldValidation(req.query), warnings });
  return { code: 200, body: convertFromStorage(updated, req.r) };
}

function patchTypeOf(contentType: string): PatchType {
  const t = mediaTypeOf(contentType);
  return t === "application/json-patch+json" ? "json" : t === "application/merge-patch+json" ? "merge" : "strategic";
}

function patch(api: ApiServer, now: string, req: WriteRequest, ns: string | undefined, name: string, subresource: Subresource, warnings: string[]): WriteResult {
  const { r } = req;
  const contentType = header(req.headers, "content-type");
  if (mediaTypeOf(contentType) === "application/apply-patch+yaml") return apply(api, now, req, ns, name, subresource, warnings);
  const type = patchTypeOf(contentType);
  checkPatchType(r, type);
  const current = convertFromStorage(api.getOrThrow(r.key, ns ?? "", name), r);
  const patched = applyPatch(current, parsePatch(req.body, type), type);
  if (!patched || typeof patched !== "object" || Array.isArray(patched)) throw invalidError("", "", [fieldErr.invalid("patch", JSON.stringify(patched), `json: cannot unmarshal ${jsonKind(patched)} into Go value of type ${r.kind}`)]);
  // A patch cannot turn the object into another kind, nor move or rename it.
  patched.apiVersion = apiVersionOf(r);
  patched.kind = r.kind;
  patched.metadata ??= {};
  checkNamespaceAndName(patched, ns, name);
  // A resourceVersion the patch sets is a precondition; one it leaves alone updates what is stored.
  if (!patched.metadata.resourceVersion) patched.metadata.resourceVersion = current.metadata.resourceVersion;
  // The status REST keeps the stored object's managedFields (the store records the status write).
  if (subresource !== "status") track(req, now, current, patched);
  const updated = api.update(patched, { subresource, dryRun: dryRun(req.query, "PatchOptions"), fieldValidation: fieldValidation(req.query), warnings });
  return { code: 200, body: convertFromStorage(updated, r) };
}

/**
 * An apply configuration (`application/apply-patch+yaml`) as the apply REST decodes it: YAML of an
 * object whose apiVersion and kind are the resource's, whose metadata is an object that says
 * nothing of managedFields (structuredMergeManager.Apply), and whose name, when it has one, is the
 * URL's. Returns it with metadata present (its name set by the caller).
 */
export function decodeApplyConfiguration(body: string, r: ResourceType, name: string): KObject {
  let config: KObject;
  try {
    config = parseYAML(body) as KObject;
  } catch (e) {
    throw new ApiError("BadRequest", `error decoding YAML: ${(e as Error).message}`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new ApiError("BadRequest", "error decoding YAML: the apply configuration is not an object");
  if (config.kind !== r.kind || config.apiVersion !== apiVersionOf(r)) {
    throw new ApiError("BadRequest", `the apply configuration's apiVersion and kind (${config.apiVersion}, ${config.kind}) do not match the resource (${apiVersionOf(r)}, ${r.kind})`);
  }
  if (config.metadata && typeof config.metadata === "object" && (config.metadata as { managedFields?: unknown }).managedFields != null) throw new ApiError("BadRequest", "metadata.managedFields must be nil");
  const meta = config.metadata as unknown;
  if (meta !== undefined && meta !== null && (typeof meta !== "object" || Array.isArray(meta))) {
    throw new ApiError("BadRequest", `${r.kind} in version ${JSON.stringify(r.version)} cannot be handled as a ${r.kind}: json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${r.kind}.metadata of type v1.ObjectMeta`);
  }
  config.metadata = config.metadata ?? {};
  if (config.metadata.name && config.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  return config;
}

/** Server-side apply (`application/apply-patch+yaml`): creates the object when it is missing. */
function apply(api: ApiServer, now: string, req: WriteRequest, ns: string | undefined, name: string, subresource: Subresource, warnings: string[]): WriteResult {
  const { r, query: q } = req;
  const manager = q.get("fieldManager");
  if (!manager) throw new ApiError("BadRequest", "PATCH /" + r.plural + ": fieldManager is required for apply requests");
  const config = decodeApplyConfiguration(req.body, r, name);
  config.metadata.name = name;
  if (ns) config.metadata.namespace = ns;
  const stored = api.get(r.key, ns ?? "", name);
  const live = stored && convertFromStorage(stored, r);
  const force = ["1", "t", "T", "true", "TRUE", "True"].includes(q.get("force") ?? "");
  if (subresource !== "" && !live) api.getOrThrow(r.key, ns ?? "", name);
  const obj = subresource === "status" && live ? applyStatus(live, config) : serverSideApply(live, config, manager, force, now);
  const opts = { dryRun: dryRun(q, "PatchOptions"), fieldValidation: fieldValidation(q, "Strict"), warnings, subresource };
  if (!live) return { code: 201, body: convertFromStorage(api.create(obj, opts), r) };
  return { code: 200, body: convertFromStorage(api.update(obj, opts), r) };
}

/** The media type a DELETE's DeleteOptions body is decoded as (JSON when the request names none). */
const deleteBodyType = (req: WriteRequest): string => mediaTypeOf(header(req.headers, "content-type")) || "application/json";

/** finalizeDelete: the object when it stays (graceful deletion, finalizers) or its registry returns it, else a Success Status naming it. */
function deleted(r: ResourceType, obj: KObject): unknown {
  if (RETURNS_DELETED_OBJECT.has(r.kind) || obj.metadata.deletionTimestamp) return obj;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: obj.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: obj.metadata.uid } };
}

function del(api: ApiServer, req: WriteRequest, ns: string | undefined, name: string): WriteResult {
  const obj = convertFromStorage(api.delete(req.r.key, ns, name, deleteOptions(req.query, req.body, deleteBodyType(req))), req.r);
  return { code: 200, body: deleted(req.r, obj) };
}

function deleteCollection(api: ApiServer, req: WriteRequest, ns: string | undefined): WriteResult {
  const { r, query: q } = req;
  const opts = deleteOptions(q, req.body, deleteBodyType(req));
  const selectors: ListOptions = {};
  try {
    const labels = q.get("labelSelector");
    if (labels) {
      const sel = parseSelector(labels);
      selectors.labelSelector = (l) => sel.matches(l);
    }
    const fields = q.get("fieldSelector");
    if (fields) selectors.fieldSelector = fieldSelectorFor(r.kind, fields);
  } catch (e) {
    if (e instanceof SelectorError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
  const items = api.list(r.key, { ...(ns ? { namespace: ns } : {}), ...selectors }).map((o) => convertFromStorage(api.delete(r.key, o.metadata.namespace, o.metadata.name!, opts), r));
  return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: {}, items } };
}

/**
 * An API object with the keys of its maps in sorted order, as Go's encoding/json writes a map
 * (`status.capacity`, labels, a ConfigMap's data): a key a patch added comes at its sorted place,
 * not last. Struct fields keep the object's order. The field schema (src/api/schema/fields.json)
 * says which fields are maps (`{T}`); kinds it does not know (custom resources) are left as they are.
 */
export function sortedMaps(obj: unknown, kind: string): unknown {
  const schema = loadSchema();
  const root = schema.roots[kind];
  return root ? byType(obj, root, schema.types) : obj;
}

function byType(v: unknown, type: string, types: Record<string, Record<string, string>>): unknown {
  if (v === null || typeof v !== "object") return v;
  if (type.startsWith("[")) return Array.isArray(v) ? v.map((x) => byType(x, type.slice(1, -1), types)) : v;
  if (Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (type.startsWith("{")) {
    const inner = type.slice(1, -1);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = byType(o[k], inner, types);
    return out;
  }
  const fields = types[type];
  if (!fields) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = fields[k] ? byType(o[k], fields[k], types) : o[k];
  return out;
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

/** An ApiError as the Status object the API server answers. */
export function statusOf(e: ApiError): Record<string, unknown> {
  const details = e.details || e.reason === "NotFound" ? { details: e.details ? { ...(e.details.name ? { name: e.details.name } : {}), ...(e.details.group ? { group: e.details.group } : {}), ...(e.details.kind ? { kind: e.details.kind } : {}) } : {} } : {};
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: e.message, reason: e.reason, ...details, code: e.code };
}

/** A JSON answer (Warning headers for the API server's warnings, code 299). */
export function jsonAnswer(code: number, body: unknown, req: Pick<RestRequest, "query" | "headers">, warnings: string[] = []): RestAnswer {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
  return { status: code, body: goJSONText(body, isPrettyPrint(req.query, req.headers)), headers };
}

/**
 * One request to the API: `api` is the store as the client reaches it (the authorization filter's
 * for a service account), `serverAddress` what `/api` names in serverAddressByClientCIDRs.
 * Resource paths the handler does not serve, and the `proxy` subresource, are the caller's to
 * answer: `route` is given back for them.
 */
export function serveRest(api: ApiServer, now: string, req: RestRequest, serverAddress: string): RestAnswer | { route: RestRoute } {
  const { method, path, query } = req;
  const warnings: string[] = [];
  try {
    if (path === "/version" || path === "/version/") return { status: 200, body: versionBody(), headers: { "Content-Type": "application/json" } };
    if (path === "/healthz" || path === "/livez" || path === "/readyz") return { status: 200, body: "ok", headers: { "Content-Type": "text/plain; charset=utf-8" } };
    if (path === "/api" || path === "/api/") return jsonAnswer(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] }, req);
    const route = routeOf(api.registry, path);
    if (!route) throw new ApiError("NotFound", `the server could not find the requested resource (the in-process API server serves ${method} ${path} only through kube-scenario serve)`);
    if (route.sub === "proxy") return { route };
    if (method !== "GET") {
      const r = serveWrite(api, now, { method, r: route.r, namespace: route.namespace, name: route.name, sub: route.sub, query, headers: req.headers, body: req.body }, warnings);
      const answer = r.body as { kind?: string };
      return jsonAnswer(r.code, answer.kind === route.r.kind ? sortedMaps(answer, answer.kind) : answer, req, warnings);
    }
    if (route.sub && route.sub !== "status") throw new ApiError("NotFound", `the server could not find the requested resource (the in-process API server serves GET of ${route.sub} only through kube-scenario serve)`);
    if (route.name !== undefined) return jsonAnswer(200, sortedMaps(convertFromStorage(api.getOrThrow(route.r.key, route.namespace ?? "", route.name), route.r), route.r.kind), req);
    const items = api.list(route.r.key, route.namespace ? { namespace: route.namespace } : {}).map((o: KObject) => sortedMaps(convertFromStorage(o, route.r), route.r.kind));
    return jsonAnswer(200, { kind: `${route.r.kind}List`, apiVersion: apiVersionOf(route.r), metadata: { resourceVersion: String(api.resourceVersion) }, items }, req);
  } catch (e) {
    if (e instanceof ApiError) return jsonAnswer(e.code, statusOf(e), req, warnings);
    throw e;
  }
}
