// Bytes that are no HTTP request, as Go's net/http answers them (clienterror.ts): after the answers
// of the requests before them, `400 Bad Request` as text, then the connection closes.
import { test, type TestContext } from "node:test";
import { closing } from "./testutil.ts";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "./apiserver.ts";
import { MAX_HEADER_BYTES, refusalFor } from "./clienterror.ts";

const BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request";

test("the refusal of each parse error is Go's: 400 as text, 431 for headers past the limit, nothing for a timeout or a reset", () => {
  assert.equal(refusalFor("HPE_INVALID_METHOD"), BAD_REQUEST);
  assert.equal(refusalFor("HPE_INVALID_CONSTANT"), BAD_REQUEST);
  assert.equal(refusalFor(undefined), BAD_REQUEST);
  assert.equal(refusalFor("HPE_HEADER_OVERFLOW"), "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large");
  for (const code of ["ERR_HTTP_REQUEST_TIMEOUT", "ECONNRESET", "EPIPE", "ETIMEDOUT"]) assert.equal(refusalFor(code), undefined, code);
});

async function withPlainServer(t: TestContext, fn: (s: RunningServer, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  const s = await serve(cluster, { token: false });
  await closing(
    t,
    async () => {
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(s, cluster);
    },
  );
}

/** Writes `bytes` on one connection and resolves with all the server sent until it closed the connection. */
function exchange(s: RunningServer, bytes: string): Promise<string> {
  const { port } = new URL(s.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.end(bytes));
    let out = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (out += d));
    socket.on("error", reject);
    socket.on("close", () => resolve(out));
    socket.setTimeout(20_000, () => reject(new Error(`the server kept the connection open; it sent ${JSON.stringify(out)}`)));
  });
}

/** The answers in `raw`, in order: status line and body (bodies framed by Content-Length, or running to the end). */
function answers(raw: string): Array<{ status: string; body: string }> {
  const out: Array<{ status: string; body: string }> = [];
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf("\r\n\r\n");
    assert.ok(end > 0, `an answer without headers: ${JSON.stringify(rest)}`);
    const head = rest.slice(0, end);
    const length = /\r\ncontent-length: (\d+)/i.exec(head);
    const bodyStart = end + 4;
    const bodyEnd = length ? bodyStart + Number(length[1]) : rest.length;
    out.push({ status: head.split("\r\n")[0]!, body: rest.slice(bodyStart, bodyEnd) });
    rest = rest.slice(bodyEnd);
  }
  return out;
}

test("a DELETE whose DeleteOptions body is not framed is served without options, its answer sent before the 400 its body's bytes get (Node wrote an empty 400 in its place)", async (t) => {
  await withPlainServer(t, async (s, cluster) => {
    cluster.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "default" } });
    const body = JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground" });
    // No Content-Length, no Transfer-Encoding: the request has no body (as Go reads it), and what follows is the next request.
    const raw = await exchange(s, `DELETE /api/v1/namespaces/default/configmaps/cm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n${body}`);
    const got = answers(raw);
    assert.equal(got.length, 2, raw);
    assert.equal(got[0]!.status, "HTTP/1.1 200 OK");
    const status = JSON.parse(got[0]!.body) as { status: string; details: { name: string; kind: string } };
    assert.deepEqual([status.status, status.details.name, status.details.kind], ["Success", "cm", "configmaps"]);
    assert.equal(raw.slice(raw.length - BAD_REQUEST.length), BAD_REQUEST);
    // Served with the default options (background): gone at once, no foregroundDeletion finalizer kept it.
    assert.equal(cluster.api.get("ConfigMap", "default", "cm"), undefined);
  });
});

test("pipelined requests are answered in order before the refusal of what follows them; bytes that are no request alone get the refusal", async (t) => {
  await withPlainServer(t, async (s) => {
    const get = "GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const raw = await exchange(s, get + get + "garbage\r\n\r\n");
    const got = answers(raw);
    assert.deepEqual(got.map((a) => a.status), ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"]);
    assert.equal(JSON.parse(got[1]!.body).major, "1");
    assert.equal(await exchange(s, "{\"kind\":\"DeleteOptions\"}"), BAD_REQUEST);
  });
});

test("a request's line and headers may take kube-apiserver's 1 MiB (Node's 16 KiB refused a long label selector); past it the answer is Go's 431", async (t) => {
  await withPlainServer(t, async (s) => {
    const selector = `app in (${Array.from({ length: 4000 }, (_, i) => `v${i}`).join(",")})`;
    const long = await exchange(s, `GET /api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(selector.length > 16 * 1024);
    assert.equal(answers(long)[0]!.status, "HTTP/1.1 200 OK");
    const huge = await exchange(s, `GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(MAX_HEADER_BYTES + 1)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n[^]*\r\n\r\n431 Request Header Fields Too Large$/);
  });
});

test("an HTTP/1.1 request without Host, with a Host that is no host, or a path that does not unescape, is Go's 400 (with its reason), after the answers before it; HTTP/1.0 needs no Host", async (t) => {
  await withPlainServer(t, async (s) => {
    const missing = "HTTP/1.1 400 Bad Request: missing required Host header\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request: missing required Host header";
    // Node wrote `HTTP/1.1 400 Bad Request` with no text (its requireHostHeader).
    assert.equal(await exchange(s, "GET /version HTTP/1.1\r\n\r\n"), missing);
    // After the requests before it; nothing after it is served.
    const get = "GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const raw = await exchange(s, get + "DELETE /api/v1/namespaces/default HTTP/1.1\r\n\r\n" + get);
    assert.deepEqual(answers(raw).map((a) => a.status), ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request: missing required Host header"]);
    assert.ok(raw.endsWith(missing));
    // An upgrade (kubectl exec's WebSocket) too.
    assert.equal(await exchange(s, "GET /api/v1/namespaces/default/pods/p/exec?command=sh HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"), missing);
    // httpguts.ValidHostHeader: a space is no host byte (the facade's own check said 403 Forbidden).
    assert.equal(await exchange(s, "GET /version HTTP/1.1\r\nHost: a b\r\n\r\n"), "HTTP/1.1 400 Bad Request: malformed Host header\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request: malformed Host header");
    // A path that does not unescape is url.ParseRequestURI's error, Go's plain 400 (it listed a namespace `%zz`); the query is not checked.
    assert.equal(await exchange(s, "GET /api/v1/namespaces/%zz/pods HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), BAD_REQUEST);
    assert.equal(answers(await exchange(s, "GET /version?%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))[0]!.status, "HTTP/1.1 200 OK");
    // HTTP/1.0 without Host is served (Go requires Host from HTTP/1.1 on).
    const old = answers(await exchange(s, "GET /version HTTP/1.0\r\n\r\n"));
    assert.equal(old.length, 1);
    assert.match(old[0]!.status, /^HTTP\/1\.[01] 200 OK$/);
    assert.equal(JSON.parse(old[0]!.body).major, "1");
  });
});
