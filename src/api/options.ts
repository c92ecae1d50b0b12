/**
 * Query and body options of requests as kube-apiserver decodes them: the ParameterCodec's string
 * conversions (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/conversion.go and
 * pkg/runtime/conversion.go), ListOptions and its validation
 * (apimachinery/pkg/apis/meta/internalversion/validation), dryRun (apiserver/pkg/apis/meta/v1/validation),
 * and DeleteOptions (handlers/delete.go: from the body when there is one, else from the query).
 */
import { ApiError, invalidError, fieldErr, type FieldError } from "./errors.ts";
import { parse as parseYAML } from "yaml";
import { checkValid, jsonKind } from "./jsonscanner.ts";

/**
 * Convert_Slice_string_To_bool: absent, `0` and `false` (any case) are false; anything else,
 * the empty string included, is true (`watch=True`, `watch=1`, `stdout=true`).
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !(v === "0" || v.toLowerCase() === "false");
}

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

/** strconv.ParseInt(s, 10, 64), with Go's error texts. */
export function parseInt64(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new ApiError("BadRequest", `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > MAX_INT64 || n < MIN_INT64) throw new ApiError("BadRequest", `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

/** Convert_Slice_string_To_Pointer_int64: undefined when absent. */
export function queryInt64(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  return v === null ? undefined : parseInt64(v);
}

export interface ListOptions {
  watch: boolean;
  labelSelector: string;
  fieldSelector: string;
  resourceVersion: string;
  resourceVersionMatch: string;
  timeoutSeconds?: number;
  limit: number;
  continue: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

/** metav1.ListOptions from the query, validated as ValidateListOptions does. */
export function listOptions(q: URLSearchParams, forceWatch = false): ListOptions {
  const o: ListOptions = {
    watch: forceWatch || queryBool(q, "watch"),
    labelSelector: q.get("labelSelector") ?? "",
    fieldSelector: q.get("fieldSelector") ?? "",
    resourceVersion: q.get("resourceVersion") ?? "",
    resourceVersionMatch: q.get("resourceVersionMatch") ?? "",
    timeoutSeconds: queryInt64(q, "timeoutSeconds"),
    limit: queryInt64(q, "limit") ?? 0,
    continue: q.get("continue") ?? "",
    allowWatchBookmarks: queryBool(q, "allowWatchBookmarks"),
    sendInitialEvents: q.has("sendInitialEvents") ? queryBool(q, "sendInitialEvents") : undefined,
  };
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined) {
      if (match !== "NotOlderThan") errs.push(fieldErr.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    } else if (match) errs.push(fieldErr.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
  } else {
    if (match) {
      if (!o.resourceVersion) errs.push(fieldErr.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      if (o.continue) errs.push(fieldErr.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
      if (match !== "Exact" && match !== "NotOlderThan") errs.push(fieldErr.unsupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]));
      if (match === "Exact" && o.resourceVersion === "0") errs.push(fieldErr.forbidden("resourceVersionMatch", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (o.sendInitialEvents !== undefined) errs.push(fieldErr.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  }
  if (errs.length) throw invalidOptions("ListOptions", errs);
  return o;
}

function invalidOptions(kind: string, errs: FieldError[]): ApiError {
  const e = invalidError(`${kind}.meta.k8s.io`, "", errs);
  return new ApiError("Invalid", e.message, { kind, group: "meta.k8s.io", name: "", causes: errs });
}

/** The dryRun values of a write; only `All` exists (ValidateDryRun). */
export function dryRunOf(values: string[], kind: "CreateOptions" | "UpdateOptions" | "PatchOptions" | "DeleteOptions"): boolean {
  if (values.length === 0) return false;
  const bad = values.filter((v) => v !== "All");
  if (bad.length) {
    const shown = `[]string{${values.map((v) => JSON.stringify(v)).join(", ")}}`;
    throw invalidOptions(kind, [{ field: "dryRun", detail: `Unsupported value: ${shown}: supported values: "All"` }]);
  }
  return true;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * The DeleteOptions of a DELETE's body as v1.32's delete.go decodes it (the meta codecs' JSON or
 * YAML serializer): a body that is no JSON, or not an object, fails in SimpleMetaFactory.Interpret
 * (`couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting
 * 'u')`), a YAML body that does not convert in YAMLToJSON, a field of the wrong type in the
 * unmarshal (`json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of
 * type int64`). v1.32 hands these errors to scope.err as they are, so they are 500s without a
 * reason (ErrorToAPIStatus; kubernetes/kubernetes#132359, made 400s in v1.35). `null` is no options.
 */
export function decodeDeleteOptionsBody(body: string, contentType: string): Record<string, unknown> {
  const fail = (message: string) => new ApiError("", message);
  let text = body;
  if (contentType === "application/yaml") {
    try {
      text = JSON.stringify(parseYAML(body, { uniqueKeys: false }) ?? null);
    } catch (e) {
      throw fail(`error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const syntax = checkValid(text);
  if (syntax) throw fail(`couldn't get version/kind; json parse error: ${syntax}`);
  const o = JSON.parse(text) as unknown;
  if (o === null) return {};
  if (typeof o !== "object" || Array.isArray(o)) {
    throw fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(o)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const raw = o as Record<string, unknown>;
  for (const f of ["apiVersion", "kind"]) {
    const v = raw[f];
    if (v !== undefined && v !== null && typeof v !== "string") throw fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${f} of type string`);
  }
  // encoding/json's UnmarshalTypeError: the innermost struct's name, the field's path, its Go type
  // (a number that does not fit is named with its text: `number 1.5`).
  const present = (v: unknown) => v !== undefined && v !== null;
  const grace = raw.gracePeriodSeconds;
  if (present(grace) && (typeof grace !== "number" || !Number.isSafeInteger(grace))) {
    throw fail(`json: cannot unmarshal ${typeof grace === "number" ? `number ${JSON.stringify(grace)}` : jsonKind(grace)} into Go struct field DeleteOptions.gracePeriodSeconds of type int64`);
  }
  if (present(raw.propagationPolicy) && typeof raw.propagationPolicy !== "string") throw fail(`json: cannot unmarshal ${jsonKind(raw.propagationPolicy)} into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation`);
  if (present(raw.orphanDependents) && typeof raw.orphanDependents !== "boolean") throw fail(`json: cannot unmarshal ${jsonKind(raw.orphanDependents)} into Go struct field DeleteOptions.orphanDependents of type bool`);
  if (present(raw.dryRun)) {
    if (!Array.isArray(raw.dryRun)) throw fail(`json: cannot unmarshal ${jsonKind(raw.dryRun)} into Go struct field DeleteOptions.dryRun of type []string`);
    for (const v of raw.dryRun) if (present(v) && typeof v !== "string") throw fail(`json: cannot unmarshal ${jsonKind(v)} into Go struct field DeleteOptions.dryRun of type string`);
  }
  const pre = raw.preconditions;
  if (present(pre)) {
    if (typeof pre !== "object" || Array.isArray(pre)) throw fail(`json: cannot unmarshal ${jsonKind(pre)} into Go struct field DeleteOptions.preconditions of type v1.Preconditions`);
    const p = pre as Record<string, unknown>;
    if (present(p.uid) && typeof p.uid !== "string") throw fail(`json: cannot unmarshal ${jsonKind(p.uid)} into Go struct field Preconditions.preconditions.uid of type types.UID`);
    if (present(p.resourceVersion) && typeof p.resourceVersion !== "string") throw fail(`json: cannot unmarshal ${jsonKind(p.resourceVersion)} into Go struct field Preconditions.preconditions.resourceVersion of type string`);
  }
  return raw;
}

/** DeleteOptions from the body when it has one (kubectl sends one), else from the query. */
export function deleteOptions(q: URLSearchParams, body: string, contentType = "application/json"): DeleteOptions {
  let raw: { gracePeriodSeconds?: unknown; propagationPolicy?: unknown; dryRun?: unknown; preconditions?: unknown; orphanDependents?: unknown };
  if (body.length > 0) {
    raw = decodeDeleteOptionsBody(body, contentType);
  } else {
    raw = {
      gracePeriodSeconds: queryInt64(q, "gracePeriodSeconds"),
      propagationPolicy: q.get("propagationPolicy") ?? undefined,
      dryRun: q.getAll("dryRun"),
      orphanDependents: q.has("orphanDependents") ? queryBool(q, "orphanDependents") : undefined,
    };
  }
  const errs: FieldError[] = [];
  const grace = raw.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== "number" || !Number.isInteger(grace))) {
    throw new ApiError("BadRequest", `json: cannot unmarshal ${typeof grace} into Go struct field DeleteOptions.gracePeriodSeconds of type int64`);
  }
  let policy = raw.propagationPolicy as string | undefined | null;
  if (policy !== undefined && policy !== null && !["Orphan", "Background", "Foreground"].includes(policy)) {
    errs.push(fieldErr.unsupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"]));
  }
  if (raw.orphanDependents !== undefined && raw.orphanDependents !== null) {
    if (policy) errs.push(fieldErr.invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set"));
    else policy = raw.orphanDependents ? "Orphan" : "Background";
  }
  if (errs.length) throw invalidOptions("DeleteOptions", errs);
  const dryRunValues = Array.isArray(raw.dryRun) ? raw.dryRun.map((v) => (v === null ? "" : String(v))) : [];
  const pre = raw.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  return {
    gracePeriodSeconds: typeof grace === "number" ? grace : undefined,
    propagationPolicy: (policy ?? undefined) as DeleteOptions["propagationPolicy"],
    dryRun: dryRunOf(dryRunValues, "DeleteOptions"),
    ...(pre && typeof pre === "object" ? { preconditions: pre } : {}),
  };
}
