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

/** Go's refusal of a request it read but does not serve (server.go's badRequestError): the reason in the status line and the text. */
export function badRequestReply(reason: string): string {
  return `HTTP/1.1 400 Bad Request: ${reason}${ERROR_HEADERS}400 Bad Request: ${reason}`;
}

/** httpguts.ValidHostHeader's bytes (golang.org/x/net/http/httpguts/httplex.go, validHostByte). */
const VALID_HOST = /^[0-9A-Za-z!$%&'()*+,\-.:;=[\]_~]*$/;

/**
 * Why Go's (*conn).readRequest refuses a request whose line and headers parsed (server.go): an
 * HTTP/1.1 request without Host (HTTP/1.0 needs none; CONNECT is exempt), or a single Host that
 * is no valid host. Undefined when it is served.
 */
export function badRequestReason(req: IncomingMessage): string | undefined {
  const hosts: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === "host") hosts.push(req.rawHeaders[i + 1]!);
  const atLeast11 = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
  if (atLeast11 && hosts.length === 0 && req.method !== "CONNECT") return "missing required Host header";
  if (hosts.length === 1 && !VALID_HOST.test(hosts[0]!)) return "malformed Host header";
  return undefined;
}

/** A `%` in the path not followed by two hex digits: url.ParseRequestURI's EscapeError (the query is kept raw, unchecked). */
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * The bytes Go answers a request with that it reads but does not serve, or undefined when it is
 * served: a request target whose path does not unescape is readRequest's URL error (the plain
 * `400 Bad Request`: it lists no namespace `%zz`), then the Host checks (badRequestReason).
 */
export function refusalOf(req: IncomingMessage): string | undefined {
  if (BAD_ESCAPE.test((req.url ?? "").split("?", 1)[0]!)) return refusalFor(undefined);
  const reason = badRequestReason(req);
  return reason === undefined ? undefined : badRequestReply(reason);
}

/** Requests a connection refused: Go never read them as requests, so nothing serves them. */
const unserved = new WeakSet<IncomingMessage>();

/** Whether `req` was refused as Go refuses it (answerClientErrorsAsGo): its handler must not run. */
export function refusedAsGo(req: IncomingMessage): boolean {
  return unserved.has(req);
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
    // What follows a refusal on its connection is never read (Go stops reading there).
    if (refused.has(socket)) return void unserved.add(req);
    const reply = refusalOf(req);
    if (reply !== undefined) {
      // Refused as Go refuses it, after the answers of the requests before it.
      unserved.add(req);
      refused.add(socket);
      if (pending.size === 0) refuse(socket, reply);
      else
        whenIdle.set(socket, () => {
          whenIdle.delete(socket);
          refuse(socket, reply);
        });
      return;
    }
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

/** Writes Go's refusal and closes the connection (a client that stays idle is dropped after a while). */
export function refuse(socket: Duplex, reply: string): void {
  if (!socket.writable || socket.writableEnded) {
    socket.destroy();
    return;
  }
  socket.end(reply);
  // The client closes its side on reading the refusal; one that stays idle is dropped (the socket's own idle timer).
  (socket as Duplex & { setTimeout?(ms: number, fn: () => void): void }).setTimeout?.(LINGER_MS, () => socket.destroy());
}
