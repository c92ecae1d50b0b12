/**
 * pods/portforward's SPDY session stays bounded whatever a client sends: an oversized frame, a
 * header block that does not inflate, streams beyond the limit, a stream type the kubelet does not
 * know. Each ends the session (GOAWAY) or refuses the stream (RST_STREAM), and the server goes on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import type { Duplex } from "node:stream";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { FrameReader, HeaderCompressor, encodeSynStream, encodeDataFrame, FLAG_FIN } from "./spdy.ts";
import { MAX_STREAMS, parseHttpRequest } from "./portforward.ts";

async function upgraded(fn: (socket: Duplex, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "n1" }]);
  cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: hello}\nspec:\n  containers: [{name: hello, image: gcr.io/google-samples/hello-app:1.0}]\n");
  cluster.advanceSync(30_000);
  const s = await serve(cluster);
  try {
    const url = new URL("/api/v1/namespaces/default/pods/hello/portforward", s.url);
    const socket = await new Promise<Duplex>((resolve, reject) => {
      const o = { method: "POST", ca: s.caPEM, agent: false, headers: { Connection: "Upgrade", Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": "portforward.k8s.io", ...(s.token ? { Authorization: `Bearer ${s.token}` } : {}) } };
      const req = url.protocol === "https:" ? httpsRequest(url, o) : httpRequest(url, o);
      req.on("upgrade", (res, sock) => (res.statusCode === 101 ? resolve(sock) : reject(new Error(String(res.statusCode)))));
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    await fn(socket, cluster);
    // The cluster behind the server goes on.
    assert.equal(cluster.kubectlSync("get pod hello -o name").stdout, "pod/hello\n");
  } finally {
    await s.close();
    await cluster.close();
  }
}

/** Everything the server sends until it closes (or `ms` pass), as frames. */
function readAll(socket: Duplex, ms = 3000): Promise<{ frames: Awaited<ReturnType<FrameReader["push"]>>; closed: boolean }> {
  const reader = new FrameReader();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    let finished = false;
    const done = async (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const frames = await reader.push(Buffer.concat(chunks));
      reader.close();
      resolve({ frames, closed });
    };
    const timer = setTimeout(() => void done(false), ms);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", () => void done(true));
  });
}

test("an oversized frame ends the session with GOAWAY (protocol error) before it is held", { timeout: 20_000 }, async () => {
  await upgraded(async (socket) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(1, 0);
    head.writeUInt32BE(0xffffff, 4);
    const got = readAll(socket);
    socket.write(head);
    const { frames, closed } = await got;
    assert.deepEqual(frames, [{ type: "goaway", lastGoodStreamId: 0, status: 1 }]);
    assert.ok(closed);
  });
});

test("a header block that does not inflate ends the session; a stream type the kubelet does not know is reset", { timeout: 20_000 }, async () => {
  await upgraded(async (socket) => {
    const c = new HeaderCompressor();
    const got = readAll(socket);
    socket.write(encodeSynStream(c, 1, [["streamtype", "nonsense"], ["port", "8080"], ["requestid", "0"]]));
    socket.write(Buffer.concat([Buffer.from([0x80, 0x03, 0x00, 0x01, 0, 0, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]), Buffer.from("garbage!")]));
    const { frames, closed } = await got;
    assert.deepEqual(frames, [
      { type: "rst_stream", streamId: 1, status: 1 },
      { type: "goaway", lastGoodStreamId: 1, status: 1 },
    ]);
    assert.ok(closed);
  });
});

test("at most MAX_STREAMS streams open at once; a request answered through a pair of streams", { timeout: 30_000 }, async () => {
  await upgraded(async (socket) => {
    const c = new HeaderCompressor();
    const got = readAll(socket, 4000);
    const frames: Buffer[] = [];
    for (let i = 0; i <= MAX_STREAMS; i++) frames.push(encodeSynStream(c, 2 * i + 1, [["streamtype", "error"], ["port", "8080"], ["requestid", String(i)]]));
    socket.write(Buffer.concat(frames));
    const { frames: answers } = await got;
    assert.equal(answers.filter((f) => f.type === "syn_reply").length, MAX_STREAMS);
    assert.deepEqual(answers.filter((f) => f.type === "rst_stream"), [{ type: "rst_stream", streamId: 2 * MAX_STREAMS + 1, status: 3 }]);
  });
  await upgraded(async (socket) => {
    const c = new HeaderCompressor();
    const got = readAll(socket, 3000);
    socket.write(encodeSynStream(c, 1, [["streamtype", "error"], ["port", "8080"], ["requestid", "0"]], FLAG_FIN));
    socket.write(encodeSynStream(c, 3, [["streamtype", "data"], ["port", "8080"], ["requestid", "0"]]));
    socket.write(encodeDataFrame(3, Buffer.from("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n")));
    const { frames } = await got;
    const data = frames.filter((f) => f.type === "data" && f.streamId === 3).map((f) => (f as { data: Buffer }).data.toString()).join("");
    assert.equal(data, "HTTP/1.1 200 OK\r\nContent-Length: 45\r\nConnection: close\r\n\r\nHello, world!\nVersion: 1.0.0\nHostname: hello\n");
  });
});

test("parseHttpRequest: a whole request, an incomplete one, a bad one", () => {
  assert.deepEqual(parseHttpRequest(Buffer.from("GET / HTTP/1.1\r\nhost: x\r\nuser-agent: curl/8.5.0\r\n\r\n")), { method: "GET", path: "/", headers: { Host: "x", "User-Agent": "curl/8.5.0" } });
  assert.equal(parseHttpRequest(Buffer.from("GET / HTTP/1.1\r\n")), "incomplete");
  assert.equal(parseHttpRequest(Buffer.from("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")), "incomplete");
  assert.equal(parseHttpRequest(Buffer.from("\x16\x03\x01 tls hello\r\n\r\n")), "bad");
  assert.equal(parseHttpRequest(Buffer.alloc(70 * 1024, 0x41)), "bad");
});
