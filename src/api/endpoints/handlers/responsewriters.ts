/**
 * Errors as the API server answers them: metav1.Status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/status.go), the same for
 * every front end (the facade writes it with node:http, kubectl proxy and the in-pod API server
 * with src/api/resthandler.ts).
 */
import { ApiError, type StatusReason } from "../../errors.ts";

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

