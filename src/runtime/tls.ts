/**
 * What a plain-HTTP client gets from a server that speaks TLS on the port (AppServer.speaksTLS):
 * Go's net/http server reads a request line where a TLS ClientHello should be and answers
 * `HTTP/1.0 400 Bad Request` with the body `Client sent an HTTP request to an HTTPS server.`
 * (net/http/server.go, `(*conn).serve`, the tls.RecordHeaderError branch).
 */
import type { HttpOutcome } from "./types.ts";

export const PLAIN_TO_TLS_BODY = "Client sent an HTTP request to an HTTPS server.\n";

/** The outcome a plain http client sees: the server's own answer over TLS, Go's 400 over plain HTTP. */
export function plainToTLS(o: HttpOutcome): HttpOutcome {
  return o.ok && o.tls ? { ok: true, status: 400, body: PLAIN_TO_TLS_BODY } : o;
}
