/**
 * The long-lived connections of the facade under clients that misbehave: watchers that stop
 * reading, WebSocket frames announcing absurd sizes, exec standard input without end, and a long
 * `advance` while other clients wait.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { connect } from "node:net";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer, type ServeOptions } from "./apiserver.ts";
import { setWatchLimits } from "./watchstream.ts";
import { EVENT_FRESH_MS } from "../api/watchcache.ts";
import { decodeFrames, encodeFrame, OP_BINARY, OP_CLOSE, CLOSE_MESSAGE_TOO_BIG } from "./websocket.ts";
import { MAX_STDIN_BYTES } from "./remotecommand.ts";
import { clientFetch, until, closing } from "./testutil.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const settledMemory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};

// Plain HTTP (--insecure-no-auth) keeps the raw-socket clients below simple; the streams are the same over TLS.
async function withServer(t: TestContext, fn: (s: RunningServer, cluster: Cluster) => Promise<void>, opts: ServeOptions = {}): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  const s = await serve(cluster, { token: false, ...opts });
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

/**
 * A watch whose client reads nothing after the headers (its socket is paused); `drain()` starts
 * reading again and resolves, once the server has closed it, to the bytes received.
 */
function stalledWatch(s: RunningServer, path: string): Promise<{ drain: () => Promise<number> }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, s.url), (res) => {
      res.pause();
      res.socket.pause();
      const drain = () =>
        new Promise<number>((done) => {
          let bytes = 0;
          res.on("data", (c: Buffer) => (bytes += c.length));
          res.socket.once("close", () => done(bytes));
          res.on("error", () => undefined);
          res.resume();
          res.socket.resume();
        });
      resolve({ drain });
    });
    req.on("error", reject);
    req.end();
  });
}

const MB = 1024 * 1024;

test("watchers that stop reading are closed, as the API server closes a watch it cannot feed, and their memory returns; a reading watcher gets every event", { timeout: 60_000 }, async (t) => {
  const restore = setWatchLimits({ stallBytes: MB, stallMs: 1500 });
  try {
    await withServer(t, async (s, cluster) => {
      cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: blob}\ndata: {v: '0'}\n");
      cluster.advanceSync(1000);
      const baseline = settledMemory();
      const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledWatch(s, "/api/v1/namespaces/default/configmaps?watch=true")));
      // A watcher that reads everything, through the real client library's line decoding.
      const ctrl = new AbortController();
      const healthy = await clientFetch(s)("/api/v1/namespaces/default/configmaps?watch=true", { signal: ctrl.signal });
      // Counted as it comes (keeping the 20 MiB would be the test's own memory).
      let modified = 0;
      let tail = "";
      const reading = (async () => {
        const reader = healthy.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) break;
          const text = tail + Buffer.from(value!).toString("latin1");
          modified += text.match(/"type":"MODIFIED"/g)?.length ?? 0;
          tail = text.slice(-16);
        }
      })();
      // 200 versions of a 100 KiB ConfigMap: 20 MiB of events for each watcher.
      for (let i = 1; i <= 200; i++) {
        cluster.api.mutate("ConfigMap", "default", "blob", (cm) => {
          cm.data = { v: String(i), pad: randomBytes(50 * 1024).toString("hex") };
        });
        cluster.clock.settle();
        // The healthy watcher reads in this process: the next version waits until it has read this
        // one, so it is never a megabyte behind however slowly a loaded machine runs it (a single
        // turn of the event loop let it fall behind and be closed as stalled).
        await until(() => modified >= i, `the reading watcher's MODIFIED ${i}`, AbortSignal.timeout(20_000));
      }
      // Once past the stall time the server closes them (seen from the server's count of open
      // watches): read again, each gets only what was in flight.
      await until(() => s.openWatches <= 1, "the stalled watchers' close", AbortSignal.timeout(20_000));
      assert.equal(s.openWatches, 1, "the stalled watchers were closed and the reading one was not");
      const received = await Promise.all(stalled.map((w) => w.drain()));
      for (const bytes of received) assert.ok(bytes < 8 * MB, `a stalled watcher still got ${(bytes / MB).toFixed(1)} MiB of its 20 MiB`);
      // The healthy watcher has seen all 200 modifications.
      assert.equal(modified, 200);
      ctrl.abort();
      await reading;
      // The store's watch history keeps the latest versions of the ConfigMap (as the apiserver's watch
      // cache does, src/api/watchcache.ts): once they are older than its freshness window, later
      // small versions push them out, so what is measured below is what the watchers left behind.
      cluster.advanceSync(EVENT_FRESH_MS + 5_000);
      for (let i = 0; i < 450; i++) cluster.api.mutate("ConfigMap", "default", "blob", (cm) => void (cm.data = { v: `small-${i}` }));
      cluster.clock.settle();
      // Nothing of the 200 MiB the stalled watchers were sent stays with the server.
      await new Promise((r) => setTimeout(r, 100));
      const growth = settledMemory() - baseline;
      assert.ok(growth < 16 * MB, `memory grew by ${(growth / MB).toFixed(1)} MiB`);
    });
  } finally {
    restore();
  }
});

const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  containers: [{name: c, image: busybox, command: ['sleep', '3600']}]\n";

/** A raw WebSocket exec client: the handshake, then whatever bytes the test writes. */
async function openExec(s: RunningServer, query: string): Promise<{ socket: import("node:net").Socket; received: () => Buffer; closed: Promise<void> }> {
  const u = new URL(s.url);
  const socket = connect(Number(u.port), u.hostname);
  let buf = Buffer.alloc(0);
  socket.on("data", (d) => (buf = Buffer.concat([buf, d])));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(
    `GET /api/v1/namespaces/default/pods/p1/exec?${query} HTTP/1.1\r\nHost: 127.0.0.1:${u.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`,
  );
  const deadline = performance.now() + 10_000;
  while (!buf.includes("\r\n\r\n") && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.match(buf.toString("latin1"), /^HTTP\/1\.1 101 /);
  const headEnd = buf.indexOf("\r\n\r\n") + 4;
  return { socket, received: () => buf.subarray(headEnd), closed };
}

function masked(opcode: number, payload: Buffer, fin = true): Buffer {
  const frame = encodeFrame(opcode, payload, fin);
  const headLen = frame.length - payload.length;
  const mask = randomBytes(4);
  // A plain loop: Buffer#map's callback per byte took 9 s for a 20 MiB frame on a loaded machine.
  const body = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  const out = Buffer.concat([frame.subarray(0, headLen), mask, body]);
  out[1] = out[1]! | 0x80;
  return out;
}

test("a WebSocket frame announcing 2^62 bytes is refused (close 1009) before any of it is held; the server goes on", { timeout: 30_000 }, async (t) => {
  await withServer(t, async (s, cluster) => {
    cluster.applySync(POD);
    cluster.advanceSync(20_000);
    const before = settledMemory();
    const ws = await openExec(s, "command=cat&stdin=true&stdout=true");
    const head = Buffer.alloc(14);
    head[0] = 0x82;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(2n ** 62n, 2);
    ws.socket.write(head);
    // Then a stream of bytes that a reader waiting for the frame would keep.
    for (let i = 0; i < 16 && !ws.socket.destroyed; i++) ws.socket.write(Buffer.alloc(MB));
    await ws.closed;
    const frames = decodeFrames(ws.received()).frames;
    assert.deepEqual(frames.map((f) => [f.opcode, f.payload.readUInt16BE(0)]), [[OP_CLOSE, CLOSE_MESSAGE_TOO_BIG]]);
    assert.ok(settledMemory() - before < 8 * MB);
    // Fragments adding up past the limit too (each under it).
    const ws2 = await openExec(s, "command=cat&stdin=true&stdout=true");
    ws2.socket.write(masked(OP_BINARY, Buffer.concat([Buffer.from([0]), Buffer.alloc(20 * MB)]), false));
    ws2.socket.write(masked(0, Buffer.alloc(20 * MB), false));
    await ws2.closed;
    assert.equal(decodeFrames(ws2.received()).frames.at(-1)?.payload.readUInt16BE(0), CLOSE_MESSAGE_TOO_BIG);
    assert.equal((await clientFetch(s)("/api/v1/namespaces/default/pods/p1")).status, 200);
  });
});

test("exec standard input past the cap ends the exec with a Status saying so; exec with ordinary input still works", { timeout: 60_000 }, async (t) => {
  await withServer(t, async (s, cluster) => {
    cluster.applySync(POD);
    cluster.advanceSync(20_000);
    const ws = await openExec(s, "command=wc&command=-c&stdin=true&stdout=true&stderr=true");
    const chunk = Buffer.concat([Buffer.from([0]), Buffer.alloc(MB, 0x61)]);
    for (let sent = 0; sent <= MAX_STDIN_BYTES && !ws.socket.destroyed; sent += MB) ws.socket.write(masked(OP_BINARY, chunk));
    await ws.closed;
    const status = decodeFrames(ws.received()).frames.find((f) => f.payload[0] === 3);
    assert.ok(status, "a status on channel 3");
    const st = JSON.parse(status.payload.subarray(1).toString());
    assert.equal(st.status, "Failure");
    assert.equal(st.reason, "RequestEntityTooLarge");
    assert.match(st.message, /standard input over 16777216 bytes/);
    // A small input goes through (stdin, then its end on channel 255).
    const ok = await openExec(s, "command=wc&command=-c&stdin=true&stdout=true");
    ok.socket.write(masked(OP_BINARY, Buffer.concat([Buffer.from([0]), Buffer.from("hello")])));
    ok.socket.write(masked(OP_BINARY, Buffer.from([255, 0])));
    await ok.closed;
    const out = decodeFrames(ok.received()).frames.filter((f) => f.payload[0] === 1).map((f) => f.payload.subarray(1).toString()).join("");
    assert.equal(out.trim(), "5");
  });
});

test("a long advance does not freeze other clients: they are answered between slices of simulated time", { timeout: 120_000 }, async (t) => {
  await withServer(t, async (s, cluster) => {
    let yaml = "";
    for (let i = 0; i < 30; i++) {
      yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers:\n  - name: c\n    image: kubetm/app\n    readinessProbe: {httpGet: {path: /hostname, port: 8080}, periodSeconds: 1}\n`;
    }
    cluster.applySync(yaml);
    cluster.advanceSync(30_000);
    const f = clientFetch(s);
    const start = cluster.clock.now();
    let done = false;
    // Four simulated hours: long enough in wall time (about 1 s on a calm 2-core machine at 12ad578).
    const advance = f("/kube-scenario/v1/advance?duration=4h", { method: "POST" }).then(async (r) => {
      done = true;
      assert.equal(r.status, 200);
      return (await r.json()) as { now: string };
    });
    // The simulated instants at which GETs were answered while the advance ran. Measured in
    // simulated time, not wall time: a loaded machine slows the advance and the GETs alike.
    const answeredAt: number[] = [];
    while (!done) {
      const r = await f("/api/v1/namespaces/default/pods/p0");
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      if (!done) answeredAt.push(cluster.clock.now());
    }
    const { now } = await advance;
    assert.equal(Date.parse(now), Date.parse(cluster.clock.nowRFC3339()));
    const end = cluster.clock.now();
    assert.equal(end - start, 4 * 3600_000);
    // An advance that held the event loop would answer every GET at its end instant. (How much
    // simulated time passes between two answers depends on the machine's speed: slices yield after
    // 20 ms of wall time, so it is not asserted.)
    const during = [...new Set(answeredAt)].filter((t) => t > start && t < end);
    // Two instants inside the advance suffice to show it yields (one held loop answers none inside):
    // at 10bb037 four hours take ~60–280 ms of wall time, sometimes only a few slices.
    assert.ok(during.length >= 2, `GETs were answered at only ${during.length} instants of the advance`);
  });
});
