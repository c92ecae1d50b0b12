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
import { HIGH_WATER_MARK, MAX_DATA_FRAME, MAX_REQUEST_BYTES, MAX_STREAMS, parseHttpRequest, PortForwardSession, type Transport } from "./portforward.ts";

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
    assert.equal(data, "HTTP/1.1 200 OK\r\nContent-Length: 45\r\n\r\nHello, world!\nVersion: 1.0.0\nHostname: hello\n");
  });
});

test("a connection carries as many exchanges as the client makes (keep-alive, pipelined requests answered in order) until one closes it or the client ends its side", { timeout: 30_000 }, async () => {
  const hello = (close = false) => `HTTP/1.1 200 OK\r\nContent-Length: 45\r\n${close ? "Connection: close\r\n" : ""}\r\nHello, world!\nVersion: 1.0.0\nHostname: hello\n`;
  const exchange = async (requests: string[], fin: boolean) => {
    let result: { data: string; fins: number[] } = { data: "", fins: [] };
    await upgraded(async (socket) => {
      const c = new HeaderCompressor();
      const got = readAll(socket, 3000);
      socket.write(encodeSynStream(c, 1, [["streamtype", "error"], ["port", "8080"], ["requestid", "0"]], FLAG_FIN));
      socket.write(encodeSynStream(c, 3, [["streamtype", "data"], ["port", "8080"], ["requestid", "0"]]));
      // The first request alone, then the others pipelined in one frame, split across frame boundaries.
      socket.write(encodeDataFrame(3, Buffer.from(requests[0]!)));
      const rest = Buffer.from(requests.slice(1).join(""));
      socket.write(encodeDataFrame(3, rest.subarray(0, 7)));
      socket.write(encodeDataFrame(3, rest.subarray(7), fin ? FLAG_FIN : 0));
      const { frames } = await got;
      const data = frames.filter((f) => f.type === "data" && f.streamId === 3) as Array<{ data: Buffer; flags: number; streamId: number }>;
      result = { data: data.map((f) => f.data.toString()).join(""), fins: frames.filter((f) => f.type === "data" && (f as { flags: number }).flags & FLAG_FIN).map((f) => (f as { streamId: number }).streamId) };
    });
    return result;
  };
  const get = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
  // Three keep-alive requests, the client then ends its side: three answers, then both streams end.
  assert.deepEqual(await exchange([get("/a"), get("/b"), get("/c")], true), { data: hello() + hello() + hello(), fins: [3, 1] });
  // The client keeps the connection: the streams stay open after the answers.
  assert.deepEqual(await exchange([get("/a"), get("/b")], false), { data: hello() + hello(), fins: [] });
  // `Connection: close` ends the connection after its answer; what follows it is not taken.
  assert.deepEqual(await exchange([get("/a"), get("/b", "Connection: close\r\n"), get("/c")], false), { data: hello() + hello(true), fins: [3, 1] });
  // A request cut short by the client's end is a 400.
  assert.deepEqual(await exchange([get("/a"), "GET /b HTTP/1.1\r\nHo"], true), { data: hello() + "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", fins: [3, 1] });
});

test("parseHttpRequest: a whole request, an incomplete one, a bad one", () => {
  assert.deepEqual(parseHttpRequest(Buffer.from("GET / HTTP/1.1\r\nhost: x\r\nuser-agent: curl/8.5.0\r\n\r\nGET /next")), { method: "GET", path: "/", headers: { Host: "x", "User-Agent": "curl/8.5.0" }, version: "1.1", length: 51 });
  assert.equal(parseHttpRequest(Buffer.from("GET / HTTP/1.1\r\n")), "incomplete");
  assert.equal(parseHttpRequest(Buffer.from("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")), "incomplete");
  assert.equal(parseHttpRequest(Buffer.from("\x16\x03\x01 tls hello\r\n\r\n")), "bad");
  assert.equal(parseHttpRequest(Buffer.alloc(70 * 1024, 0x41)), "bad");
});

/** A transport whose client reads only when the test says so. */
class SlowClient implements Transport {
  readonly written: Buffer[] = [];
  unread = 0;
  paused = false;
  ended = false;
  private readonly dataFns: Array<(b: Buffer) => void> = [];
  private readonly drainFns: Array<() => void> = [];
  write(b: Buffer): void {
    this.written.push(b);
    this.unread += b.length;
  }
  end(): void {
    this.ended = true;
  }
  onData(fn: (b: Buffer) => void): void {
    this.dataFns.push(fn);
  }
  onClose(): void {}
  buffered(): number {
    return this.unread;
  }
  onDrain(fn: () => void): void {
    this.drainFns.push(fn);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  send(b: Buffer): void {
    for (const f of this.dataFns) f(b);
  }
  /** The client reads everything written so far. */
  read(): void {
    this.unread = 0;
    for (const f of this.drainFns) f();
  }
}

/** Lets the session's asynchronous frame reading and its next exchanges run. */
const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** Waits (in turns of the event loop, up to 20 s) until `cond` holds. */
const until = async (cond: () => boolean) => {
  const deadline = Date.now() + 20_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await turns();
};

test("flow control: a large answer goes out in 32 KiB data frames as the client reads them, and a client that does not read holds the session's input and output to a bound", { timeout: 60_000 }, async () => {
  const cluster = new Cluster();
  try {
    cluster.addNodesFromTable([{ name: "n1" }]);
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx}]\n");
    cluster.advanceSync(30_000);
    // A file of 3.5 MB nginx serves.
    assert.equal(cluster.kubectlSync("exec web -- sh -c 'seq 1 100000 > /tmp/a; cat /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a > /usr/share/nginx/html/big; wc -c < /usr/share/nginx/html/big'").stdout, "3533370\n");
    const body = cluster.kubectlSync("exec web -- cat /usr/share/nginx/html/big").stdout;
    const pod = cluster.api.get("Pod", "default", "web")!;
    const client = new SlowClient();
    new PortForwardSession(cluster, "default", "web", pod.metadata.uid!, client);
    const c = new HeaderCompressor();
    client.send(encodeSynStream(c, 1, [["streamtype", "error"], ["port", "80"], ["requestid", "0"]], FLAG_FIN));
    client.send(encodeSynStream(c, 3, [["streamtype", "data"], ["port", "80"], ["requestid", "0"]]));
    const get = "GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n";
    client.send(encodeDataFrame(3, Buffer.from(get + get)));
    await until(() => client.unread >= HIGH_WATER_MARK);
    // The client reads nothing: the session stops at the high-water mark, in frames of at most 32 KiB.
    const sizeOf = (bs: Buffer[]) => bs.reduce((n, b) => n + b.length, 0);
    assert.ok(client.unread >= HIGH_WATER_MARK && client.unread < HIGH_WATER_MARK + MAX_DATA_FRAME + 64, String(client.unread));
    // Pipelined requests beyond MAX_REQUEST_BYTES that cannot be taken stop the session reading.
    const small = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const many = Buffer.from(small.repeat(Math.ceil(MAX_REQUEST_BYTES / small.length) + 1));
    assert.equal(client.paused, false);
    for (let at = 0; at < many.length; at += MAX_DATA_FRAME) client.send(encodeDataFrame(3, many.subarray(at, at + MAX_DATA_FRAME)));
    await until(() => client.paused);
    assert.equal(client.paused, true);
    // The client reads: the first answer whole, then the second, each in 32 KiB frames.
    let reads = 0;
    const reader = new FrameReader();
    const frames: Awaited<ReturnType<FrameReader["push"]>> = [];
    let got = "";
    const wanted = `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    while (got.length < 2 * wanted.length && reads < 1000) {
      const bytes = Buffer.concat(client.written.splice(0));
      for (const f of await reader.push(bytes)) {
        frames.push(f);
        if (f.type === "data" && f.streamId === 3) got += f.data.toString();
      }
      client.read();
      reads++;
      await turns(2);
      if (reads > 2) assert.ok(sizeOf(client.written) < HIGH_WATER_MARK + MAX_DATA_FRAME + 64);
    }
    reader.close();
    assert.equal(got.slice(0, 2 * wanted.length), wanted + wanted);
    assert.ok(reads > 20, `${reads} reads`);
    assert.ok(frames.every((f) => f.type !== "data" || f.data.length <= MAX_DATA_FRAME));
    // The pipelined requests are taken as the answers go: the session reads again.
    for (let i = 0; i < 200 && client.paused; i++) {
      client.written.splice(0);
      client.read();
      await turns(2);
    }
    assert.equal(client.paused, false);
  } finally {
    await cluster.close();
  }
});
