/**
 * What a connection gets when its next bytes are not an HTTP request, as Go's net/http server
 * answers it (kube-apiserver's http.Server; src/net/http/server.go, (*conn).serve):
 *
 *  - the requests before it are answered first: Go reads the next request only once the one
 *    before has been answered, so a client that pipelines, or that sends bytes its request did
 *    not frame, gets its answers, then the refusal;
 *  - the refusal is `400 Bad Request` as text (`Content-Type: text/plain; charset=utf-8`,
 *    `Connection: close`, the body `400 Bad Request`, ended by closing the connection), or
 *    `431 Request Header Fields Too Large` for headers past the limit; a read that times out or
 *    fails is no answer at all, the connection closes.
 *
 * Node's own handling wrote an empty `400 Bad Request` at once and destroyed the socket, so the
 * answer of the request before was lost though the request had been served. The case that met it:
 * a DELETE whose DeleteOptions body went out without Content-Length (node:http's client frames a
 * DELETE's body only when given its length): the request carries no body (as Go reads it too: no
 * Content-Length, no Transfer-Encoding), is served with default options, and the body's bytes are
 * the next "request". The client saw an empty 400 for a delete that had happened; it now sees the
 * delete's answer, as from a real API server.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Go's errorHeaders (server.go): the refusal's headers, then its text, then the connection closes. */
const ERROR_HEADERS = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";

/**
 * kube-apiserver's MaxHeaderBytes (apiserver/pkg/server/secure_serving.go: 1 << 20): a request's
 * line and headers may take 1 MiB (Node's default is 16 KiB, which refused long label selectors
 * that a real server takes).
 */
export const MAX_HEADER_BYTES = 1 << 20;

/** How long a refused connection may stay half-closed before it is dropped (the server stays bounded). */
const LINGER_MS = 2_000;

/** The bytes Go writes for a request it cannot read (Node's error code), or undefined for none (the connection just closes). */
export function refusalFor(code: string | undefined): string | undefined {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return `HTTP/1.1 431 Request Header Fields Too Large${ERROR_HEADERS}431 Request Header Fields Too Large`;
    // Read errors: a header timeout (ReadHeaderTimeout) or a reset connection gets no reply (isCommonNetReadError).
    case "ERR_HTTP_REQUEST_TIMEOUT":
    case "ECONNRESET":
    case "EPIPE":
    case "ETIMEDOUT":
      return undefined;
    default:
      return `HTTP/1.1 400 Bad Request${ERROR_HEADERS}400 Bad Request`;
  }
}

/**
 * Installs the refusal on `server`: its 'clientError' waits for the connection's requests in
 * flight to be answered, then writes Go's refusal and closes the connection. A request still
 * being read when the error comes (the client ended or broke off its body) can never be answered:
 * the connection is refused and closed at once, so its handler, told the client went away, ends
 * (waiting on it held it, and its in-flight slot, for ever).
 */
export function answerClientErrorsAsGo(server: Server): void {
  const inFlight = new WeakMap<Duplex, Set<IncomingMessage>>();
  const whenIdle = new WeakMap<Duplex, () => void>();
  const refused = new WeakSet<Duplex>();
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    let pending = inFlight.get(socket);
    if (!pending) inFlight.set(socket, (pending = new Set()));
    pending.add(req);
    res.once("close", () => {
      pending.delete(req);
      if (pending.size === 0) whenIdle.get(socket)?.();
    });
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser stays in its error state: every later read reports it again.
    if (refused.has(socket)) return;
    refused.add(socket);
    const reply = refusalFor(err.code);
    const pending = [...(inFlight.get(socket) ?? [])];
    if (reply !== undefined && pending.length > 0 && pending.every((req) => req.complete)) {
      whenIdle.set(socket, () => {
        whenIdle.delete(socket);
        refuse(socket, reply);
      });
      return;
    }
    if (pending.length > 0 || reply === undefined) socket.destroy();
    else refuse(socket, reply);
  });
}

function refuse(socket: Duplex, reply: string): void {
  if (!socket.writable || socket.writableEnded) {
    socket.destroy();
    return;
  }
  socket.end(reply);
  // The client closes its side on reading the refusal; one that stays idle is dropped (the socket's own idle timer).
  (socket as Duplex & { setTimeout?(ms: number, fn: () => void): void }).setTimeout?.(LINGER_MS, () => socket.destroy());
}
