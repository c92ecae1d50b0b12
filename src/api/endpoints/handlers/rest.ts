/**
 * What every REST handler shares (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go):
 * the request's scope (resource, namespace, name, subresource, query, body), decoding of bodies
 * and query options, and the managedFields bookkeeping of writes.
 *
 * One REST handler serves the API's three front ends (as upstream's endpoints/handlers serve every
 * client of kube-apiserver): `kube-scenario serve` (src/server/, over node:http, with its users and
 * its time shift), `kubectl proxy` (src/kubectl/commands/proxy.ts, with the kubeconfig's
 * credentials) and the in-pod API server at 172.18.0.2:6443 (src/network/apiserverhost.ts, service
 * account tokens and RBAC). Each front end builds a RequestScope and calls dispatch (installer.ts);
 * what only one of them serves (watches, Tables, pods/log and the other streaming subresources) it
 * passes as hooks.
 */
import { ApiError, fieldErr, invalidError, type FieldError } from "../../errors.ts";
import { fieldSelectorFor, parseSelector, SelectorError } from "../../labels.ts";
import { apiVersionOf, type ResourceType } from "../../resources.ts";
import type { KObject } from "../../types.ts";
import type { ApiServer } from "../../store.ts";
import type { ListOptions } from "../../options.ts";
import { recordUpdate } from "../../fieldmanager.ts";
import { dryRunOf } from "../../options.ts";
import { patchedJSON, type PatchType } from "../../patch.ts";
import { parse as parseYAML } from "yaml";
import { checkValid, findDuplicateFields, jsonKind } from "../../jsonscanner.ts";
import { findUnknownFields } from "../../schema/decoder.ts";

/** A resource request's path: `/api/v1/namespaces/ns/pods/name/sub`. */
export interface Route {
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  /** Reached through the deprecated `/watch/` prefix: a watch whatever the query says. */
  watch?: boolean;
}

/** A handler's answer: a code and a body to send as JSON, or undefined when it wrote the response itself. */
export type Result = { code: number; body: unknown } | undefined;

/** The request's headers, names in lower case (node:http's IncomingMessage.headers). */
export type Headers = Record<string, string | string[] | undefined>;

export interface RequestScope {
  /** The API server the request reaches (an authorizing view of it for a user RBAC limits) and the clock. */
  cluster: { api: ApiServer; clock: { now(): number; nowRFC3339(): string } };
  route: Route;
  r: ResourceType;
  /** The namespace of a namespaced resource's request; undefined for cluster-scoped ones. */
  ns: string | undefined;
  method: string;
  query: URLSearchParams;
  req: { headers: Headers };
  body: string;
  /** Warnings for the response's Warning headers. */
  warnings: string[];
  /**
   * What is added to simulated instants in what this request sends back, and taken off those it
   * brings (ms, whole seconds): the facade's wall clock lead (src/server/timeshift.ts); 0 for the
   * in-process front ends, whose clients live on the simulated clock.
   */
  delta: number;
  /** The duplicate keys of the JSON body a create or update decoded (decodeObject), for strict field validation. */
  duplicates?: ReturnType<typeof findDuplicateFields>;
  /** What a front end serves beside the shared handlers (installer.ts). */
  hooks?: FrontEndHooks;
}

/** What only some front ends serve. */
export interface FrontEndHooks {
  /** Moves an object's times by `delta` ms (the facade's timeshift); identity when left out. */
  shift?: <T>(obj: T, delta: number) => T;
  /** A watch (`?watch=1`, `/watch/`): the front end streams it; undefined when it wrote the response itself. */
  watch?: (s: RequestScope, opts: ListOptions) => Result;
  /** A meta.k8s.io Table of these objects (`Accept: application/json;as=Table;…`). */
  table?: (s: RequestScope, items: KObject[], metadata: Record<string, unknown>) => unknown;
  /**
   * A subresource other than status and ephemeralcontainers (log, exec, binding, eviction, token,
   * scale): the front end's answer, or `false` when it does not serve it.
   */
  subresource?: (s: RequestScope, name: string, sub: string) => Result | false;
}

/** The value of a request header ("" when absent; the first of repeated ones). */
export function headerOf(s: { req: { headers: Headers } }, name: string): string {
  const v = s.req.headers[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

/** The media type of a Content-Type header, without parameters, lower-cased ("" when absent). */
export function mediaTypeOf(contentType: string | undefined): string {
  return String(contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** An object as the client sees it (times moved by the facade's lead), or back (`-delta`). */
export function shiftFor<T>(s: RequestScope, obj: T, delta: number): T {
  return s.hooks?.shift && delta ? s.hooks.shift(obj, delta) : obj;
}

/** The table of `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get). */
export function wantsTable(s: RequestScope): boolean {
  return /as=Table/.test(headerOf(s, "accept"));
}

/** `?dryRun=All` of a create, update or patch (validated: only All exists). */
export function isDryRun(s: RequestScope, kind: "CreateOptions" | "UpdateOptions" | "PatchOptions" = "UpdateOptions"): boolean {
  return dryRunOf(s.query.getAll("dryRun"), kind);
}

/**
 * The labelSelector of a list, watch or deletecollection; a selector that does not parse is a 400
 * with labels.Parse's text (`unable to parse requirement: found '', expected: ',' or ')'`), as
 * ListResource answers the ParameterCodec's conversion error (handlers/get.go).
 */
export function labelPredicate(text: string | null): ((labels: Record<string, string>) => boolean) | undefined {
  if (!text) return undefined;
  try {
    const s = parseSelector(text);
    return (l) => s.matches(l);
  } catch (e) {
    if (e instanceof SelectorError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
}

/**
 * The fieldSelector of a list, watch or deletecollection; a selector that does not parse, or names
 * a field the kind cannot select on, is a 400 with fields.ParseSelector's or the field label
 * conversion's text (ListResource: `errors.NewBadRequest(err.Error())`), not a 500.
 */
export function fieldPredicate(r: ResourceType, text: string | null): ((obj: KObject) => boolean) | undefined {
  if (!text) return undefined;
  try {
    return fieldSelectorFor(r.kind, text);
  } catch (e) {
    if (e instanceof SelectorError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
}

export function fieldValidation(q: URLSearchParams, byDefault: "Strict" | "Warn" = "Warn"): "Strict" | "Warn" | "Ignore" {
  const v = q.get("fieldValidation");
  return v === "Strict" || v === "Ignore" || v === "Warn" ? v : byDefault;
}

/**
 * The decoding of a create's or update's body before anything else looks at it (as the API
 * server's decoder runs before the field manager and admission): unknown fields are dropped, and
 * values of the wrong type refused with the decoder's 400, whatever the subresource (a status of
 * the wrong shape was stored when the store, which decodes the main resource only, was left to
 * it). Duplicate and unknown fields are then dealt with as the field validation says: the strict
 * decoder (sigs.k8s.io/json with DisallowDuplicateFields and DisallowUnknownFields) reports them
 * together, in the order they occur, a duplicate of an unknown field as unknown only; Strict
 * refuses the body with all of them, Warn (the default) sends each as a warning. Returns the
 * validation left for the store ("Ignore" once done here). Custom resources are decoded by their
 * own schema in the store (their duplicates are not reported).
 */
export function bodyFieldValidation(s: RequestScope, obj: KObject): "Strict" | "Warn" | "Ignore" {
  const mode = fieldValidation(s.query);
  if (s.r.crd) return mode;
  const unknown = findUnknownFields(obj, s.r, true);
  if (mode === "Ignore") return mode;
  const found = s.duplicates;
  let texts = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (found && found.duplicates.length > 0) {
    const underUnknown = (path: string) => unknown.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
    texts = [
      ...unknown.map((path) => ({ text: `unknown field ${JSON.stringify(path)}`, at: found.firstAt.get(path) ?? Infinity })),
      ...found.duplicates.filter((d) => !underUnknown(d.path)).map((d) => ({ text: `duplicate field ${JSON.stringify(d.path)}`, at: d.at })),
    ]
      .sort((a, b) => a.at - b.at)
      .map((e) => e.text);
  }
  if (texts.length === 0) return "Ignore";
  if (mode === "Strict") {
    throw new ApiError("BadRequest", `${s.r.kind} in version ${JSON.stringify(s.r.version)} cannot be handled as a ${s.r.kind}: strict decoding error: ${texts.join(", ")}`);
  }
  s.warnings.push(...texts);
  return "Ignore";
}

/**
 * The decoding of a subresource write's object (status, ephemeralcontainers), which the store
 * leaves out (it decodes what it writes of the main resource only): the API server decodes the
 * whole body into the path's type whatever the subresource, so a status of the wrong shape
 * (`"status": "x"`, `"conditions": "x"`) is refused with the decoder's 400 instead of being stored,
 * where it broke every later write of the object. Unknown fields are dropped, and reported as the
 * field validation says. Custom resources' status goes through their own schema.
 */
export function decodeSubresourceObject(s: RequestScope, obj: KObject, mode: "Strict" | "Warn" | "Ignore"): void {
  if (s.r.crd) return;
  const unknown = findUnknownFields(obj, s.r, true);
  if (mode === "Ignore" || unknown.length === 0) return;
  const texts = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === "Strict") throw new ApiError("BadRequest", `${s.r.kind} in version ${JSON.stringify(s.r.version)} cannot be handled as a ${s.r.kind}: strict decoding error: ${texts.join(", ")}`);
  s.warnings.push(...texts);
}

export function patchType(contentType: string): PatchType {
  const t = contentType.split(";")[0]!.trim();
  if (t === "application/json-patch+json") return "json";
  if (t === "application/merge-patch+json") return "merge";
  if (t === "application/strategic-merge-patch+json") return "strategic";
  throw new ApiError("BadRequest", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
}

export function parseJSON(body: string): unknown {
  // Go's syntax errors (and its nesting limit) before JSON.parse sees the text.
  const syntax = checkValid(body);
  if (syntax) throw new ApiError("BadRequest", `the body of the request was in an unknown format: ${syntax}`);
  return JSON.parse(body);
}

export function parseObject(body: string): KObject {
  const o = parseJSON(body);
  if (!o || typeof o !== "object" || Array.isArray(o)) throw new ApiError("BadRequest", "the body of the request is not an object");
  return o as KObject;
}

const LEGACY_SCHEME = "pkg/api/legacyscheme/scheme.go:30";

/** The version part of an apiVersion (`apps/v1` → `v1`, `v1` → `v1`). */
const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf("/") + 1);

/** The Go package of a group's internal types (k8s.io/kubernetes/pkg/apis/<pkg>): `core`, `apps`, `networking`... */
const internalPackage = (group: string) => (group === "" ? "core" : group.split(".")[0]!);

/** summarizeData (handlers/rest.go): a body's first 30 bytes, as text when it starts with `{`, else in hex. */
export function summarizeData(body: string): string {
  const data = Buffer.from(body);
  if (data.length === 0) return "<empty>";
  if (data[0] === 0x7b) return data.length > 30 ? `${data.subarray(0, 30).toString()} ...` : body;
  return data.length > 30 ? `${data.subarray(0, 30).toString("hex")} ...` : data.toString("hex");
}

/**
 * Why an object of `apiVersion`/`kind` cannot be written through `r`'s path, as kube-apiserver's
 * decoding says it (create.go and update.go decode the body into the path's type, then
 * `transformDecodeError`): a kind the scheme does not know is `no kind "X" is registered for
 * version "v1" in scheme …`; another known kind does not convert (`converting (v1.Pod) to
 * (core.ConfigMap): unknown conversion`); the path's kind in another version fails
 * `AcceptsGroupVersion`. Custom resources are checked by their validator (customResourceValidator.
 * ValidateTypeMeta: `kind: Invalid value: "X": must be Y`). undefined when it is the path's own kind.
 */
function kindMismatch(s: RequestScope, apiVersion: string, kind: string, name: string): ApiError | undefined {
  const r = s.r;
  const want = apiVersionOf(r);
  if (apiVersion === want && kind === r.kind) return undefined;
  if (r.crd) {
    const errs: FieldError[] = [];
    if (kind !== r.kind) errs.push(fieldErr.invalid("kind", kind, `must be ${r.kind}`));
    if (apiVersion !== want) errs.push(fieldErr.invalid("apiVersion", apiVersion, `must be ${want}`));
    return invalidError(r.kind, name, errs, r.group);
  }
  const version = versionOf(apiVersion);
  const prefix = `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${r.kind}`;
  const known = s.cluster.api.registry.forGVK(apiVersion, kind);
  if (!known || known.crd) return new ApiError("BadRequest", `${prefix}: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(LEGACY_SCHEME)}`);
  if (kind !== r.kind) return new ApiError("BadRequest", `${prefix}: converting (${version}.${kind}) to (${internalPackage(r.group)}.${r.kind}): unknown conversion`);
  return new ApiError("BadRequest", `the API version in the data (${apiVersion}) does not match the expected API version (${want})`);
}

/**
 * The body of a create or update as an object of the path's resource (create.go, update.go): the
 * kind and apiVersion the body leaves out are the path's; a body of another kind or version is
 * refused (never written as that other kind: a Pod POSTed to /configmaps created a Pod, a
 * ConfigMap PUT to /secrets/x overwrote the ConfigMap x); metadata must be an object.
 */
export function decodeObject(s: RequestScope): KObject {
  // transformDecodeError without a kind: the body's first bytes say what could not be read.
  const unrecognized = (why: string) => new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${s.r.kind}): ${why} (${summarizeData(s.body)})`);
  let text = s.body;
  if (mediaTypeOf(headerOf(s, "content-type")) === "application/yaml") {
    // The YAML serializer turns the body into JSON first (yaml.YAMLToJSON).
    try {
      text = JSON.stringify(parseYAML(text, { uniqueKeys: false }) ?? null);
    } catch (e) {
      throw unrecognized(`error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  // SimpleMetaFactory.Interpret reads apiVersion and kind with encoding/json first: Go's syntax
  // errors, its nesting limit (10000), and only an object (or null) holds them.
  const syntax = checkValid(text);
  if (syntax) throw unrecognized(`couldn't get version/kind; json parse error: ${syntax}`);
  let o = JSON.parse(text) as Record<string, unknown> | null;
  // JSON.parse keeps the last of duplicate keys, as encoding/json does; strict decoding reports them.
  if (text === s.body) s.duplicates = findDuplicateFields(text);
  if (o === null) o = {};
  if (typeof o !== "object" || Array.isArray(o)) {
    throw unrecognized(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(o)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  // The json serializer reads apiVersion and kind first (json.Unmarshal into a TypeMeta-like struct).
  for (const f of ["apiVersion", "kind"]) {
    const v = o[f];
    if (v !== undefined && v !== null && typeof v !== "string") {
      throw unrecognized(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${f} of type string`);
    }
  }
  const obj = o as unknown as KObject;
  // gvkWithDefaults: a kind or apiVersion left out is the path's.
  if (!obj.kind) obj.kind = s.r.kind;
  if (!obj.apiVersion) obj.apiVersion = apiVersionOf(s.r);
  const meta = o.metadata;
  const name = meta && typeof meta === "object" && !Array.isArray(meta) ? String((meta as Record<string, unknown>).name ?? "") : "";
  const mismatch = kindMismatch(s, obj.apiVersion, obj.kind, name);
  if (mismatch) throw mismatch;
  if (meta === null || meta === undefined) obj.metadata = {};
  else if (typeof meta !== "object" || Array.isArray(meta)) {
    throw new ApiError("BadRequest", `${s.r.kind} in version ${JSON.stringify(s.r.version)} cannot be handled as a ${s.r.kind}: json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${s.r.kind}.metadata of type v1.ObjectMeta`);
  }
  return obj;
}

/**
 * rest.EnsureObjectNamespaceMatchesRequestNamespace and checkName (handlers/rest.go), on the object
 * a create, update or patch is about to write: a namespaced object takes the path's namespace
 * when it has none and is refused when it has another; a cluster-scoped object's namespace is
 * cleared; the name must be the path's (`name` undefined for a create, which names the object).
 */
export function checkNamespaceAndName(s: RequestScope, obj: KObject, name?: string): void {
  const want = s.r.namespaced ? (s.ns ?? "") : "";
  const have = obj.metadata.namespace ?? "";
  if (have !== want) {
    if (have === "") obj.metadata.namespace = want;
    else if (want === "") delete obj.metadata.namespace;
    else throw new ApiError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  }
  if (name !== undefined && (obj.metadata.name ?? "") !== name) {
    throw new ApiError("BadRequest", `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${name})`);
  }
}

/**
 * The object a JSON or merge patch made, decoded into the path's type as jsonPatcher does
 * (runtime.DecodeInto; handlers/patch.go): a kind or apiVersion the patch removed is the path's;
 * one it changed does not decode, and the patch is refused as upstream refuses it (422,
 * `patch: Invalid value: "<the patched object>": converting (v1.Secret) to (core.ConfigMap): …`)
 * instead of the patched object being written as another kind. A strategic merge patch decodes
 * without looking at them (FromUnstructured), so its kind and apiVersion stay the path's.
 */
export function decodePatched(s: RequestScope, patched: unknown, strategic: boolean): KObject {
  // errors.NewInvalid(schema.GroupKind{}, "", …): ` "" is invalid: patch: Invalid value: …`.
  const invalid = (message: string) => invalidError("", "", [fieldErr.invalid("patch", patchedJSON(patched), message)]);
  if (!patched || typeof patched !== "object" || Array.isArray(patched)) throw invalid(`json: cannot unmarshal ${jsonKind(patched)} into Go value of type ${s.r.kind}`);
  const obj = patched as KObject;
  if (strategic || !obj.kind) obj.kind = s.r.kind;
  if (strategic || !obj.apiVersion) obj.apiVersion = apiVersionOf(s.r);
  const meta = obj.metadata as unknown;
  if (meta === null || meta === undefined) obj.metadata = {};
  else if (typeof meta !== "object" || Array.isArray(meta)) throw invalid(`json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${s.r.kind}.metadata of type v1.ObjectMeta`);
  if (typeof obj.kind !== "string" || typeof obj.apiVersion !== "string") throw invalid(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(typeof obj.kind !== "string" ? obj.kind : obj.apiVersion)} into Go struct field .${typeof obj.kind !== "string" ? "kind" : "apiVersion"} of type string`);
  const mismatch = kindMismatch(s, obj.apiVersion, obj.kind, obj.metadata.name ?? "");
  if (mismatch) throw s.r.crd ? mismatch : invalid(mismatch.message.replace(/^.* cannot be handled as a \S+: /, ""));
  // A value of the wrong type was refused by applyPatch (src/api/patch.ts): the decoder's text for
  // a JSON or merge patch, FromUnstructured's for a strategic merge patch, in the same 422.
  return obj;
}

/** The manager of a write: `?fieldManager=`, else the client's User-Agent up to its first `/`. */
export function managerOf(req: { headers: Headers }, q: URLSearchParams): string {
  return q.get("fieldManager") || (headerOf({ req }, "user-agent") || "unknown").split("/")[0]!;
}

/** Records the managedFields of a create, update or patch. */
export function trackUpdate(s: RequestScope, old: KObject | undefined, obj: KObject, subresource?: string): void {
  obj.metadata = obj.metadata ?? {};
  if (old && obj.metadata.managedFields === undefined) obj.metadata.managedFields = old.metadata.managedFields;
  const entries = recordUpdate(old, { ...obj, kind: obj.kind ?? old?.kind } as KObject, managerOf(s.req, s.query), s.cluster.clock.nowRFC3339(), subresource);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}
