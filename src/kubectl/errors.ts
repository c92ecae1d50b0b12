/**
 * How kubectl prints a failed request (k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr and
 * StandardErrorMessage).
 */
import { ApiError, goQuote } from "../api/errors.ts";

export function renderError(e: ApiError): string {
  if (e.reason === "Invalid" && e.details) {
    const prefix = e.details.kind || e.details.name ? `The ${e.details.kind} ${goQuote(e.details.name)} is invalid: ` : "The request is invalid: ";
    // statusCausesToAggrError prints `<field>: <message>` even for a cause without a field (a
    // ValidatingAdmissionPolicy denial: `The deployments "x" is invalid: : ValidatingAdmissionPolicy …`).
    const causes = e.details.causes.map((c) => `${c.field}: ${c.detail}`);
    if (causes.length === 0) return `${prefix}${e.message}`;
    // MultilineError ends the text with a newline of its own, so a cause that ends with one (the
    // diff of a forbidden pod update) leaves an empty line after it.
    const end = causes[causes.length - 1]!.endsWith("\n") ? "\n" : "";
    if (causes.length === 1) return `${prefix}${causes[0]}${end}`;
    return `${prefix}\n${causes.map((c) => `* ${c}`).join("\n")}${end}`;
  }
  return apiErrorText(e);
}

/** StandardErrorMessage: `Error from server (<Reason>): <message>`, without the parentheses for an unknown reason. */
export function apiErrorText(e: ApiError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
}

/** The process id the in-process kubectl gives klog's header (a real kubectl prints its own). */
export const KLOG_PID = 4242;

/**
 * A klog line as kubectl writes it to stderr: `W0108 00:00:00.000000    4242 helpers.go:702] msg`
 * (severity, month and day, time with microseconds, process id padded to 7, source file:line).
 */
export function klogLine(severity: "I" | "W" | "E", nowMs: number, source: string, message: string): string {
  const d = new Date(nowMs);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, "0")}`;
  return `${severity}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${time} ${String(KLOG_PID).padStart(7)} ${source}] ${message}`;
}
