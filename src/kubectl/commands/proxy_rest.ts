/**
 * The writes `kubectl proxy` hands to the API server, as kube-apiserver v1.32 serves them
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers: create.go, update.go, patch.go,
 * delete.go; the routes of installer.go): real kubectl proxy forwards every verb, so the pages
 * that `curl` the API through it (a PATCH of a node's status with `Content-Type:
 * application/json-patch+json`, a DELETE with `propagationPolicy` in its body) work as on a
 * cluster.
 *
 * - POST to a collection creates (201), PUT to an object or its `status` replaces it, PATCH applies
 *   a JSON, merge or strategic merge patch (or server-side apply, `application/apply-patch+yaml`,
 *   with its required `fieldManager`), DELETE of an object takes DeleteOptions from the body or
 *   the query (`propagationPolicy`, `gracePeriodSeconds`, `dryRun`, `preconditions`), DELETE of a
 *   collection deletes what its selectors select.
 * - Bodies in other media types are refused as negotiation refuses them (415, the accepted
 *   types listed): curl's `-d` sends `application/x-www-form-urlencoded` unless told otherwise.
 * - The write is recorded in managedFields under the `fieldManager` query parameter or the client's
 *   User-Agent up to its first `/` (`curl`), as the API server's field manager names it.
 * - Other subresources (`scale`, `binding`, `eviction`, `exec`...) are not served by this path:
 *   a 404 Status says so (`kube-scenario serve` answers real kubectl proxy for all of them).
 */
import { parse as parseYAML } from "yaml";
import { ApiError, fieldErr, invalidError, type FieldError } from "../../api/errors.ts";
import { apiVersionOf, type ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { recordUpdate, serverSideApply, applyStatus } from "../../api/fieldmanager.ts";
import { checkValid, jsonKind } from "../../api/jsonscanner.ts";
import { applyPatch, checkPatchType, parsePatch, type PatchType } from "../../api/patch.ts";
import type { ApiServer, DeleteOptions, ListOptions, Subresource } from "../../api/store.ts";
import { fieldSelectorFor, parseSelector, SelectorError } from "../../api/labels.ts";
import type { KObject } from "../../api/types.ts";
import { loadSchema } from "../../api/schema/fields.ts";

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
  const o = (JSON.parse(text) ?? {}) as KObject;
  if (typeof o !== "object" || Array.isArray(o)) {
    throw new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${req.r.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(o)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  o.apiVersion ??= apiVersionOf(req.r);
  o.kind ??= req.r.kind;
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

/** The options' own Invalid error (`CreateOptions.meta.k8s.io "" is invalid: ...`). */
function invalidOptions(kind: string, errs: FieldError[]): ApiError {
  const e = invalidError(`${kind}.meta.k8s.io`, "", errs);
  return new ApiError("Invalid", e.message, { kind, group: "meta.k8s.io", name: "", causes: errs });
}

/** `?dryRun=`: only `All` exists (ValidateDryRun). */
function dryRunOf(values: string[], kind: string): boolean {
  if (values.length === 0) return false;
  if (values.some((v) => v !== "All")) {
    throw invalidOptions(kind, [{ field: "dryRun", detail: `Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(", ")}}: supported values: "All"` }]);
  }
  return true;
}
const dryRun = (q: URLSearchParams, kind: string): boolean => dryRunOf(q.getAll("dryRun"), kind);

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

/** Server-side apply (`application/apply-patch+yaml`): creates the object when it is missing. */
function apply(api: ApiServer, now: string, req: WriteRequest, ns: string | undefined, name: string, subresource: Subresource, warnings: string[]): WriteResult {
  const { r, query: q } = req;
  const manager = q.get("fieldManager");
  if (!manager) throw new ApiError("BadRequest", "PATCH /" + r.plural + ": fieldManager is required for apply requests");
  let config: KObject;
  try {
    config = parseYAML(req.body) as KObject;
  } catch (e) {
    throw new ApiError("BadRequest", `error decoding YAML: ${(e as Error).message}`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new ApiError("BadRequest", "error decoding YAML: the apply configuration is not an object");
  if (config.kind !== r.kind || config.apiVersion !== apiVersionOf(r)) {
    throw new ApiError("BadRequest", `the apply configuration's apiVersion and kind (${config.apiVersion}, ${config.kind}) do not match the resource (${apiVersionOf(r)}, ${r.kind})`);
  }
  config.metadata ??= {};
  if (config.metadata.name && config.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
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

/** DeleteOptions from the body (JSON), else from the query (options.go's decoding, its validation). */
export function deleteOptions(q: URLSearchParams, body: string): DeleteOptions {
  let raw: { gracePeriodSeconds?: unknown; propagationPolicy?: unknown; dryRun?: unknown; preconditions?: unknown; orphanDependents?: unknown };
  if (body.trim()) {
    const syntax = checkValid(body);
    if (syntax) throw new ApiError("BadRequest", `the body of the request was in an unknown format: ${syntax}`);
    raw = JSON.parse(body);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new ApiError("BadRequest", "the body of the request is not a DeleteOptions object");
  } else {
    const grace = q.get("gracePeriodSeconds");
    raw = {
      gracePeriodSeconds: grace === null ? undefined : /^-?\d+$/.test(grace) ? Number(grace) : grace,
      propagationPolicy: q.get("propagationPolicy") ?? undefined,
      dryRun: q.getAll("dryRun"),
      orphanDependents: q.has("orphanDependents") ? ["1", "t", "T", "true", "TRUE", "True"].includes(q.get("orphanDependents")!) : undefined,
    };
  }
  const grace = raw.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== "number" || !Number.isInteger(grace))) {
    throw new ApiError("BadRequest", `json: cannot unmarshal ${typeof grace} into Go struct field DeleteOptions.gracePeriodSeconds of type int64`);
  }
  const errs: FieldError[] = [];
  let policy = raw.propagationPolicy as string | undefined | null;
  if (policy !== undefined && policy !== null && !["Orphan", "Background", "Foreground"].includes(policy)) {
    errs.push(fieldErr.unsupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"]));
  }
  if (raw.orphanDependents !== undefined && raw.orphanDependents !== null) {
    if (policy) errs.push(fieldErr.invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set"));
    else policy = raw.orphanDependents ? "Orphan" : "Background";
  }
  if (errs.length) throw invalidOptions("DeleteOptions", errs);
  const dryRunValues = Array.isArray(raw.dryRun) ? raw.dryRun.map(String) : [];
  const isDryRun = dryRunOf(dryRunValues, "DeleteOptions");
  const pre = raw.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  return {
    ...(typeof grace === "number" ? { gracePeriodSeconds: grace } : {}),
    ...(policy ? { propagationPolicy: policy as DeleteOptions["propagationPolicy"] } : {}),
    ...(isDryRun ? { dryRun: true } : {}),
    ...(pre && typeof pre === "object" ? { preconditions: pre } : {}),
  };
}

/** finalizeDelete: the object when it stays (graceful deletion, finalizers) or its registry returns it, else a Success Status naming it. */
function deleted(r: ResourceType, obj: KObject): unknown {
  if (RETURNS_DELETED_OBJECT.has(r.kind) || obj.metadata.deletionTimestamp) return obj;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: obj.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: obj.metadata.uid } };
}

function del(api: ApiServer, req: WriteRequest, ns: string | undefined, name: string): WriteResult {
  const obj = convertFromStorage(api.delete(req.r.key, ns, name, deleteOptions(req.query, req.body)), req.r);
  return { code: 200, body: deleted(req.r, obj) };
}

function deleteCollection(api: ApiServer, req: WriteRequest, ns: string | undefined): WriteResult {
  const { r, query: q } = req;
  const opts = deleteOptions(q, req.body);
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
