/**
 * Test support: a `fetch` for the facade as an API client uses it: over HTTPS trusting the
 * server's CA, with its bearer token, and `Content-Type: application/json` for a string body when
 * none is given (WHATWG fetch would send text/plain, which the API server refuses with 415, as it
 * refuses a web page's form post). Built on node:http(s) because fetch cannot be given a CA.
 * Answers are WHATWG Responses (their body streams, for watches).
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

export interface ServedAt {
  url: string;
  token: string | undefined;
  caPEM: string | undefined;
}

export type Fetch = (input: string | URL, init?: RequestInit & { /** skip the token */ anonymous?: boolean }) => Promise<Response>;

export function clientFetch(server: ServedAt): Fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input), server.url);
      const headers = new Headers(init.headers);
      if (server.token && !init.anonymous && !headers.has("authorization")) headers.set("authorization", `Bearer ${server.token}`);
      if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === "string" ? init.body : Buffer.from(init.body as ArrayBuffer);
      // A connection per request: a pooled one may have been closed by the server while the test was busy.
      const opts = { method: init.method ?? "GET", headers: Object.fromEntries(headers), signal: init.signal ?? undefined, ca: server.caPEM, agent: false };
      const onResponse = (res: IncomingMessage) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
        const status = res.statusCode ?? 0;
        const bodyless = status === 204 || status === 304 || status < 200;
        if (bodyless) res.resume();
        resolve(new Response(bodyless ? null : (Readable.toWeb(res) as ReadableStream), { status, statusText: res.statusMessage, headers: h }));
      };
      const req = url.protocol === "https:" ? httpsRequest(url, opts, onResponse) : httpRequest(url, opts, onResponse);
      req.on("error", reject);
      req.end(body);
    });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request with exactly the given headers (no token unless given, no defaults but Host), for
 * tests of the filters; `body` may be a string or a stream of chunks.
 */
export function rawRequest(
  server: ServedAt,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer | AsyncIterable<Buffer>;
    /** Accept the certificate whatever the Host header names (a client that sends a foreign Host). */
    insecureHostname?: boolean;
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(opts.path, server.url);
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    };
    const o = { method: opts.method ?? "GET", headers: opts.headers ?? {}, ca: server.caPEM, agent: false, ...(opts.insecureHostname ? { checkServerIdentity: () => undefined } : {}) };
    const req = url.protocol === "https:" ? httpsRequest(url, o, onResponse) : httpRequest(url, o, onResponse);
    req.on("error", reject);
    const body = opts.body;
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else
      void (async () => {
        try {
          for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
          req.end();
        } catch {
          // the server closed the connection while the body was being sent: the answer tells why
        }
      })();
  });
}
