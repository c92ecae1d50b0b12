/**
 * Writing responses: objects as JSON, plain text, and errors as metav1.Status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/{writers,status}.go).
 */
import { encodeBody } from "../cachingobject.ts";
import type { ServerResponse } from "node:http";
import { ApiError, type StatusReason } from "../../api/errors.ts";
import { errorStatus } from "../../api/endpoints/handlers/responsewriters.ts";

export { errorStatus };

export function send(res: ServerResponse, code: number, body: unknown): void {
  // A list's items come as their cached encodings (cachingobject.ts), written without joining.
  const parts = encodeBody(body);
  let length = 0;
  for (const p of parts) length += p.length;
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": length });
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
