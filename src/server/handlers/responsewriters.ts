/**
 * Writing responses: objects as the request negotiated them (../negotiation.ts: JSON, YAML,
 * transformed), plain text, and errors as metav1.Status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/{writers,status}.go).
 */
import { encodeNegotiated, negotiatedOf, transformBody } from "../negotiation.ts";
import type { ServerResponse } from "node:http";
import { ApiError, type StatusReason } from "../../api/errors.ts";

export function send(res: ServerResponse, code: number, body: unknown): void {
  // The body as the request negotiated it (negotiation.ts): transformed (PartialObjectMetadata,
  // Table v1beta1), then JSON or YAML; a list's items as JSON come as their cached encodings
  // (cachingobject.ts), written without joining.
  const n = negotiatedOf(res);
  if (n) {
    try {
      body = transformBody(n, body);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      ({ code, body } = errorStatus(e));
    }
  }
  const { contentType, parts } = encodeNegotiated(n, body);
  let length = 0;
  for (const p of parts) length += p.length;
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": length });
  if (parts.length === 1) return void res.end(parts[0]);
  res.cork();
  for (const p of parts) res.write(p);
  res.uncork();
  res.end();
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(res: ServerResponse, code: number, reason: StatusReason, message: string, details?: unknown): void {
  details ??= reason === "NotFound" ? {} : undefined;
  send(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code });
}

/** The Status of an error (ErrorToAPIStatus): an ApiError as it is, anything else a 500. */
export function errorStatus(e: unknown): { code: number; body: unknown } {
  const status = (code: number, reason: StatusReason, message: string, details?: unknown, metadata: Record<string, unknown> = {}) => ({
    code,
    // metav1.Status's reason is omitempty: StatusReasonUnknown ("") is left out.
    body: { kind: "Status", apiVersion: "v1", metadata, status: "Failure", message, ...(reason ? { reason } : {}), ...(details ? { details } : {}), code },
  });
  if (e instanceof ApiError) return status(e.code, e.reason, e.message, statusDetails(e), e.listContinue ? { continue: e.listContinue } : {});
  return status(500, "InternalError", `internal error in the simulated API server: ${(e as Error).message}`);
}

/**
 * The Status's details as apimachinery serialises them (empty fields left out); a NotFound always
 * has them, if empty (kubectl debug reads details.name of a 404 without checking for nil).
 */
function statusDetails(e: ApiError): Record<string, unknown> | undefined {
  const d = e.details;
  if (!d) return e.reason === "NotFound" ? {} : undefined;
  const out: Record<string, unknown> = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.causes.length) {
    out.causes = d.causes.map((c) => {
      const reason = c.reason ?? causeType(c.detail);
      // metav1.StatusCause omits an empty reason (a ValidatingAdmissionPolicy denial's cause has none).
      return { ...(reason ? { reason } : {}), message: c.detail, ...(c.field ? { field: c.field } : {}) };
    });
  }
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** field.ErrorType's cause type (FieldValueRequired, ...) from the rendered detail's prefix. */
function causeType(detail: string): string {
  const prefixes: Array<[string, string]> = [
    ["Required value", "FieldValueRequired"],
    ["Unsupported value", "FieldValueNotSupported"],
    ["Duplicate value", "FieldValueDuplicate"],
    ["Forbidden", "FieldValueForbidden"],
    ["Too long", "FieldValueTooLong"],
    ["Too many", "FieldValueTooMany"],
    ["Not found", "FieldValueNotFound"],
    ["Internal error", "InternalError"],
  ];
  for (const [p, t] of prefixes) if (detail.startsWith(p)) return t;
  return "FieldValueInvalid";
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { code, body } = errorStatus(e);
  // As responsewriters.ErrorNegotiated: a Status that suggests a retry says so in Retry-After.
  const retry = e instanceof ApiError ? e.details?.retryAfterSeconds : undefined;
  if (retry) res.setHeader("Retry-After", String(retry));
  send(res, code, body);
}
