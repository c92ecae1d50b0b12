/**
 * API errors as the API server returns them (metav1.Status): a reason, an HTTP code and the
 * message. kubectl prints them as `Error from server (<Reason>): <message>`.
 */
export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Invalid"
  | "BadRequest"
  | "Conflict"
  | "Forbidden"
  | "MethodNotAllowed"
  | "TooManyRequests"
  | "InternalError"
  | "Expired"
  | "Gone"
  | "Timeout"
  | "UnsupportedMediaType"
  | "NotAcceptable"
  | "Unauthorized"
  | "RequestEntityTooLarge"
  /** An aggregated API whose APIService is not Available (kube-aggregator's proxy answers 503). */
  | "ServiceUnavailable"
  /** StatusReasonUnknown: an error that is no API status (kubectl prints `Error from server: <message>`). */
  | "";

const CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Forbidden: 403,
  MethodNotAllowed: 405,
  TooManyRequests: 429,
  InternalError: 500,
  Expired: 410,
  Gone: 410,
  Timeout: 504,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  Unauthorized: 401,
  RequestEntityTooLarge: 413,
  ServiceUnavailable: 503,
  "": 500,
};

/**
 * metav1.StatusDetails: for Invalid errors the Kind, else the resource (plural) the error is about,
 * as apimachinery's errors constructors fill them (kubectl reads them, e.g. `kubectl debug`).
 */
export interface StatusDetails {
  kind: string;
  name: string;
  group?: string;
  causes: FieldError[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  /** The Status's metadata.continue (a 410 on an expired continue token offers one to go on at the latest version). */
  listContinue?: string;
  constructor(
    readonly reason: StatusReason,
    message: string,
    /** For Invalid errors: what kubectl's checkErr prints as `The <Kind> "<name>" is invalid: ...`. */
    readonly details?: StatusDetails,
    /** The HTTP code when it is not the reason's (an admission webhook's answer: any reason, at least 400). */
    code?: number,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code ?? CODES[reason] ?? 500;
  }
}

/** What names a resource in errors: its plural and group (schema.GroupResource). */
export interface GroupResource {
  plural: string;
  group: string;
}

/** `pods`, `deployments.apps`: GroupResource.String(). */
export function qualifiedResource(r: GroupResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

const resourceDetails = (r: GroupResource, name: string): StatusDetails => ({ kind: r.plural, name, ...(r.group ? { group: r.group } : {}), causes: [] });

/** errors.NewNotFound. */
export function newNotFound(r: GroupResource, name: string): ApiError {
  return new ApiError("NotFound", `${qualifiedResource(r)} ${JSON.stringify(name)} not found`, resourceDetails(r, name));
}

/** errors.NewAlreadyExists. */
export function newAlreadyExists(r: GroupResource, name: string): ApiError {
  return new ApiError("AlreadyExists", `${qualifiedResource(r)} ${JSON.stringify(name)} already exists`, resourceDetails(r, name));
}

/** errors.NewConflict. */
export function newConflict(r: GroupResource, name: string, err: string): ApiError {
  return new ApiError("Conflict", `Operation cannot be fulfilled on ${qualifiedResource(r)} ${JSON.stringify(name)}: ${err}`, resourceDetails(r, name));
}

/** errors.NewForbidden. */
export function newForbidden(r: GroupResource, name: string, err: string): ApiError {
  const what = name === "" ? qualifiedResource(r) : `${qualifiedResource(r)} ${JSON.stringify(name)}`;
  return new ApiError("Forbidden", `${what} is forbidden: ${err}`, resourceDetails(r, name));
}

/** errors.NewMethodNotSupported: `delete is not supported on resources of kind "pods/log"`-like. */
export function newMethodNotSupported(r: GroupResource, action: string): ApiError {
  return new ApiError("MethodNotAllowed", `${action} is not supported on resources of kind ${JSON.stringify(qualifiedResource(r))}`, { ...resourceDetails(r, ""), name: "" });
}

/** errors.NewResourceExpired (410 Expired): a watch or list from a resource version no longer kept. */
export function newResourceExpired(message: string): ApiError {
  return new ApiError("Expired", message);
}

/** One field error, rendered as apimachinery's field.Error does. */
export interface FieldError {
  /** The cause's type when it is not a field error's (e.g. `DisruptionBudget`). */
  reason?: string;
  field: string;
  /** e.g. `Required value`, `Invalid value: "x": detail`, `Unsupported value: ...`. */
  detail: string;
}

export const fieldErr = {
  required: (field: string, detail = ""): FieldError => ({ field, detail: detail ? `Required value: ${detail}` : "Required value" }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    field,
    detail: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ""}`,
  }),
  unsupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    field,
    detail: `Unsupported value: ${renderValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ field, detail: `Duplicate value: ${renderValue(value)}` }),
  forbidden: (field: string, detail: string): FieldError => ({ field, detail: `Forbidden: ${detail}` }),
  notSupported: (field: string, detail: string): FieldError => ({ field, detail }),
  tooLong: (field: string, value: unknown, max: number): FieldError => ({
    field,
    detail: `Too long: may not be more than ${max} bytes`,
  }),
};

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };

/**
 * Go's `%q` (strconv.Quote): printable runes as they are, `"` and `\` escaped, control bytes as
 * `\xHH`, other non-printable runes (U+2028, zero-width, bidi controls, NBSP...) as `\uHHHH` or
 * `\UHHHHHHHH`. JSON.stringify differs: it leaves U+2028 and format characters raw, which broke
 * error lines, and writes `\u0000` where Go writes `\x00`.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\uFFFD"; // a lone surrogate decodes to U+FFFD in Go
    else if (PRINTABLE.test(ch)) out += ch;
    else if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + '"';
}

/** Go's %v of a field value as field.Error prints it: strings quoted, numbers and booleans bare. */
export function renderValue(value: unknown): string {
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  return JSON.stringify(value);
}

export function renderFieldError(e: FieldError): string {
  return `${e.field}: ${e.detail}`;
}

/** `The Pod "x" is invalid: <errors>`, with brackets around more than one error, as upstream. */
export function invalidError(kind: string, name: string, errors: FieldError[], group = ""): ApiError {
  const rendered = errors.map(renderFieldError);
  const body = rendered.length === 1 ? rendered[0] : `[${rendered.join(", ")}]`;
  // The message names the qualified kind (`Role.rbac.authorization.k8s.io`); the details the kind alone.
  return new ApiError("Invalid", `${kind}${group ? "." + group : ""} ${goQuote(name)} is invalid: ${body}`, { kind, name, causes: errors });
}
