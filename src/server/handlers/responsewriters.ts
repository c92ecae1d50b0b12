/**
 * Writing responses: objects as the request negotiated them (../negotiation.ts: JSON, YAML,
 * transformed), plain text, and errors as metav1.Status
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/{writers,status}.go).
 */
import { encodeNegotiated, negotiatedOf, transformBody } from "../negotiation.ts";
import type { ServerResponse } from "node:http";
import { ApiError, type StatusReason } from "../../api/errors.ts";
import { errorStatus } from "../../api/endpoints/handlers/responsewriters.ts";

export { errorStatus };

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
