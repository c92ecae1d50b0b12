/**
 * Writing responses: objects as JSON, plain text, and errors as metav1.Status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/{writers,status}.go).
 */
import type { ServerResponse } from "node:http";
import { ApiError, type StatusReason } from "../../api/errors.ts";

export function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(res: ServerResponse, code: number, reason: StatusReason, message: string, details?: unknown): void {
  send(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code });
}

/** The Status of an error (ErrorToAPIStatus): an ApiError as it is, anything else a 500. */
export function errorStatus(e: unknown): { code: number; body: unknown } {
  const status = (code: number, reason: StatusReason, message: string, details?: unknown) => ({
    code,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code },
  });
  if (e instanceof ApiError) {
    const details = e.details ? { name: e.details.name, kind: e.details.kind, causes: e.details.causes.map((c) => ({ reason: "FieldValueInvalid", message: c.detail, field: c.field })) } : undefined;
    return status(e.code, e.reason, e.message, details);
  }
  return status(500, "InternalError", `internal error in the simulated API server: ${(e as Error).message}`);
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { code, body } = errorStatus(e);
  send(res, code, body);
}
