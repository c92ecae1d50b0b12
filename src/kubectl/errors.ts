/**
 * How kubectl prints a failed request (k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr and
 * StandardErrorMessage).
 */
import { ApiError, goQuote } from "../api/errors.ts";

export function renderError(e: ApiError): string {
  if (e.reason === "Invalid" && e.details) {
    const prefix = e.details.kind || e.details.name ? `The ${e.details.kind} ${goQuote(e.details.name)} is invalid: ` : "The request is invalid: ";
    const causes = e.details.causes.map((c) => `${c.field}: ${c.detail}`);
    if (causes.length === 0) return `${prefix}${e.message}`;
    if (causes.length === 1) return `${prefix}${causes[0]}`;
    return `${prefix}\n${causes.map((c) => `* ${c}`).join("\n")}`;
  }
  return apiErrorText(e);
}

/** StandardErrorMessage: `Error from server (<Reason>): <message>`, without the parentheses for an unknown reason. */
export function apiErrorText(e: ApiError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
}
