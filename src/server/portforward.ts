/**
 * pods/portforward for the real kubectl (v1.32): the API server's upgrade to a SPDY/3.1 session,
 * either tunnelled in a WebSocket (subprotocol `SPDY/3.1+portforward.k8s.io`: client-go
 * tools/portforward/tunneling_dialer.go, the PortForwardWebsockets feature, on by default in
 * kubectl 1.31+; the WebSocket's binary messages carry the SPDY bytes) or by the HTTP upgrade
 * (`Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version: portforward.k8s.io`), which kubectl falls back
 * to. The session is the kubelet's port-forward protocol (pkg/kubelet/cri/streaming/portforward/
 * httpstream.go): the client opens, per local connection, an error stream and a data stream
 * (headers `streamtype`, `port`, `requestid`); the server replies to each, and what the client
 * writes on the data stream goes to localhost:<port> inside the pod.
 *
 * The pod's applications answer HTTP here (src/api/kubeletclient.ts `portForward`): the data
 * stream's bytes are read as HTTP/1.1 requests, each answered in turn as an HTTP/1.1 response, as
 * many as the client sends on the connection (keep-alive, pipelining); both streams end after a
 * request that closes the connection (`Connection: close`, HTTP/1.0) or once the client ended its
 * side. An answer goes out in data frames of at most MAX_DATA_FRAME bytes as fast as the client
 * reads them (HIGH_WATER_MARK; the next request is taken once it is out). A runtime error (nothing listens on the port) goes
 * on the error stream, as containerd writes it, and kubectl logs it and ends (`lost connection to
 * pod`). Bounded: SPDY frames and header blocks as src/server/spdy.ts bounds them, at most
 * MAX_STREAMS streams open at once, a request of at most MAX_REQUEST_BYTES.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";
import type { Cluster } from "../cluster.ts";
import { ApiError } from "../api/errors.ts";
import { kubeletClient, type PortForwardAnswer } from "../api/kubeletclient.ts";
import { acceptWebSocket } from "./websocket.ts";
import { guarded } from "./panicrecovery.ts";
import {
  encodeDataFrame, encodeGoAway, encodePing, encodeRstStream, encodeSynReply, FLAG_FIN, FrameReader, GOAWAY_PROTOCOL_ERROR, HeaderCompressor,
  RST_PROTOCOL_ERROR, RST_REFUSED_STREAM, RST_STREAM_IN_USE, SpdyProtocolError, type SpdyFrame,
} from "./spdy.ts";

/** The WebSocket subprotocol of the tunnelled session (k8s.io/apimachinery/pkg/util/httpstream/wsstream: PortForwardV1Name over SPDY). */
export const TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
export const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
export const MAX_STREAMS = 256;
export const MAX_REQUEST_BYTES = 1 << 20;

/** The byte transport a session runs on (the upgraded socket, or the WebSocket tunnel). */
export interface Transport {
  write(b: Buffer): void;
  end(): void;
  onData(fn: (b: Buffer) => void): void;
  onClose(fn: () => void): void;
  /** Bytes written and not yet taken by the client's connection. */
  buffered(): number;
  /** Called when what was buffered has gone out. */
  onDrain(fn: () => void): void;
  /** Stops and restarts reading from the client. */
  pause(): void;
  resume(): void;
}

/** Serves an upgrade of `POST /api/v1/namespaces/<ns>/pods/<name>/portforward`. */
export function servePortForward(cluster: Cluster, namespace: string, name: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  cluster.clock.settle();
  const pod = cluster.api.getOrThrow("Pod", namespace, name);
  // The API server's PortForwardLocation: a pod without a node cannot be reached.
  if (!pod.spec?.nodeName) throw new ApiError("BadRequest", `pod ${name} does not have a host assigned`);
  const upgrade = String(req.headers.upgrade ?? "").toLowerCase();
  let transport: Transport | undefined;
  if (upgrade === "websocket") {
    const ws = acceptWebSocket(req, socket, head, [TUNNEL_PROTOCOL]);
    if (!ws) return;
    transport = {
      write: (b) => ws.send(b),
      end: () => ws.close(),
      onData: (fn) => ws.onMessage(fn),
      onClose: (fn) => ws.onClose(fn),
      buffered: () => socket.writableLength,
      onDrain: (fn) => socket.on("drain", fn),
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    };
  } else if (upgrade === "spdy/3.1") {
    const versions = String(req.headers["x-stream-protocol-version"] ?? "").split(",").map((s) => s.trim());
    if (!versions.includes(PORT_FORWARD_PROTOCOL)) {
      const body = `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(versions)}, server supports ["${PORT_FORWARD_PROTOCOL}"]`;
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    socket.write(["HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", "Upgrade: SPDY/3.1", `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`, "", ""].join("\r\n"));
    if (head.length) socket.unshift(head);
    transport = {
      write: (b) => void (!socket.writableEnded && socket.write(b)),
      end: () => socket.end(),
      onData: (fn) => socket.on("data", fn),
      onClose: (fn) => socket.on("close", fn),
      buffered: () => socket.writableLength,
      onDrain: (fn) => socket.on("drain", fn),
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    };
  } else throw new ApiError("BadRequest", "Upgrade request required");
  new PortForwardSession(cluster, namespace, name, pod.metadata.uid!, transport);
}

interface Pair {
  port: number;
  error?: number;
  data?: number;
  /** What the client sent on the data stream and no exchange has taken yet. */
  pending: Buffer;
  /** An exchange is under way: the next request waits for its answer (HTTP/1.1 answers in order). */
  busy: boolean;
  /** The client ended its side of the data stream. */
  ended: boolean;
  /** Both streams ended (after a refusal, a `Connection: close`, or the client's end). */
  done: boolean;
}

/** What the session writes, in order: a frame, or an answer's bytes cut into data frames as the client takes them. */
type Outgoing = { frame: Buffer } | { streamId: number; bytes: Buffer; offset: number; then: () => void };

/**
 * The most bytes one data frame carries: the kubelet copies a port-forward connection's bytes
 * into the stream with io.Copy's 32 KiB buffer, so a client sees an answer in frames of this size.
 */
export const MAX_DATA_FRAME = 32 * 1024;
/**
 * What the session leaves unsent in the transport before it waits for the client to read
 * (Node's 'drain'): a client that reads slowly holds at most this much besides the answer under
 * way, and no further request is taken meanwhile (as a TCP connection's window would hold it).
 */
export const HIGH_WATER_MARK = 256 * 1024;
/** The longest simulated time the session runs forward for one exchange's answer (as kubectl exec's). */
export const EXCHANGE_CAP_MS = 10 * 60_000;

/** One SPDY session of the kubelet's port-forward protocol. */
export class PortForwardSession {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly pairs = new Map<string, Pair>();
  private readonly streams = new Map<number, string>();
  private readonly out: Outgoing[] = [];
  private lastStreamId = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly nextGuarded = guarded("port-forward exchange", (pair: Pair) => this.next(pair), () => this.close());
  /** Input held back while requests wait to be taken (the transport is paused meanwhile). */
  private held = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly namespace: string,
    private readonly name: string,
    private readonly uid: string,
    private readonly t: Transport,
  ) {
    t.onData((b) => {
      this.chain = this.chain.then(async () => {
        if (this.closed) return;
        let frames: SpdyFrame[];
        try {
          frames = await this.reader.push(b);
        } catch (e) {
          return this.fail(e);
        }
        for (const f of frames) this.handle(f);
      });
    });
    t.onDrain(() => this.pump());
    t.onClose(() => this.close());
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    if (!(e instanceof SpdyProtocolError)) throw e;
    this.write(encodeGoAway(this.lastStreamId, GOAWAY_PROTOCOL_ERROR));
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
    this.out.length = 0;
    this.t.end();
  }

  /** Queues a frame behind what is already queued, and sends what the client will take. */
  private write(frame: Buffer): void {
    this.out.push({ frame });
    this.pump();
  }

  /** Sends queued frames while the transport holds less than HIGH_WATER_MARK unsent. */
  private pump(): void {
    while (this.out.length > 0 && !this.closed && this.t.buffered() < HIGH_WATER_MARK) {
      const o = this.out[0]!;
      if ("frame" in o) {
        this.out.shift();
        this.t.write(o.frame);
        continue;
      }
      const n = Math.min(MAX_DATA_FRAME, o.bytes.length - o.offset);
      this.t.write(encodeDataFrame(o.streamId, o.bytes.subarray(o.offset, o.offset + n)));
      o.offset += n;
      if (o.offset < o.bytes.length) continue;
      this.out.shift();
      o.then();
    }
  }

  private handle(f: SpdyFrame): void {
    switch (f.type) {
      case "ping":
        // A client's ping (odd id) is answered with the same id (2.6.5).
        this.write(encodePing(f.id));
        return;
      case "syn_stream":
        return this.open(f.streamId, f.flags, new Map(f.headers));
      case "data":
        return this.data(f.streamId, f.flags, f.data);
      case "rst_stream":
        this.forget(f.streamId);
        return;
      case "goaway":
        return this.close();
      default:
        // SETTINGS, WINDOW_UPDATE, HEADERS, unknown types: nothing to do (what this server sends is paced by the transport, see pump).
        return;
    }
  }

  private open(streamId: number, flags: number, h: Map<string, string>): void {
    if (streamId <= this.lastStreamId || streamId % 2 === 0) return void this.write(encodeRstStream(streamId, RST_PROTOCOL_ERROR));
    this.lastStreamId = streamId;
    if (this.streams.size >= MAX_STREAMS) return void this.write(encodeRstStream(streamId, RST_REFUSED_STREAM));
    const type = h.get("streamtype");
    const port = Number(h.get("port"));
    const id = h.get("requestid") ?? "";
    // The kubelet's checks (httpstream.go requestID and streamReceived): a known stream type, a valid port.
    if ((type !== "error" && type !== "data") || !Number.isInteger(port) || port <= 0 || port > 65535) return void this.write(encodeRstStream(streamId, RST_PROTOCOL_ERROR));
    let pair = this.pairs.get(id);
    if (!pair) this.pairs.set(id, (pair = { port, pending: Buffer.alloc(0), busy: false, ended: false, done: false }));
    if (pair[type] !== undefined) return void this.write(encodeRstStream(streamId, RST_STREAM_IN_USE));
    pair[type] = streamId;
    this.streams.set(streamId, id);
    this.write(encodeSynReply(this.compressor, streamId, []));
    if (flags & FLAG_FIN) this.data(streamId, FLAG_FIN, Buffer.alloc(0));
  }

  private data(streamId: number, flags: number, data: Buffer): void {
    const id = this.streams.get(streamId);
    if (id === undefined) return;
    const pair = this.pairs.get(id)!;
    if (streamId !== pair.data || pair.done) return;
    if (data.length) {
      pair.pending = pair.pending.length ? Buffer.concat([pair.pending, data]) : data;
      this.hold(data.length);
    }
    if (flags & FLAG_FIN) pair.ended = true;
    this.next(pair);
  }

  /**
   * Counts input not yet taken by an exchange: over MAX_REQUEST_BYTES the transport stops reading
   * (the client's writes wait, as on a TCP connection whose reader is busy) until exchanges take it.
   */
  private hold(delta: number): void {
    const before = this.held;
    this.held += delta;
    if (before <= MAX_REQUEST_BYTES && this.held > MAX_REQUEST_BYTES) this.t.pause();
    else if (before > MAX_REQUEST_BYTES && this.held <= MAX_REQUEST_BYTES) this.t.resume();
  }

  /** Takes `n` bytes of the pair's pending input. */
  private take(pair: Pair, n: number): void {
    pair.pending = n >= pair.pending.length ? Buffer.alloc(0) : pair.pending.subarray(n);
    this.hold(-n);
  }

  /**
   * Takes the next whole request the client sent on the pair's data stream, once the answer before
   * it is sent: a connection carries as many HTTP/1.1 exchanges as the client makes (keep-alive,
   * pipelining), until a request says `Connection: close` or is HTTP/1.0 without keep-alive, or
   * the client ends its side.
   */
  private next(pair: Pair): void {
    if (this.closed || pair.busy || pair.done) return;
    const req = parseHttpRequest(pair.pending);
    if (req === "incomplete") {
      if (pair.pending.length > MAX_REQUEST_BYTES) return this.answer(pair, { ok: true, status: 413, body: "request over the simulated kubelet's limit\n" }, { close: true });
      if (!pair.ended) return;
      // The client is done: a request cut short is a 400, and the streams end either way.
      if (pair.pending.length > 0) return this.answer(pair, { ok: true, status: 400, body: "" }, { close: true, badRequest: true });
      return this.finish(pair);
    }
    if (req === "bad") return this.answer(pair, { ok: true, status: 400, body: "" }, { close: true, badRequest: true });
    this.take(pair, req.length);
    const connection = (req.headers.Connection ?? "").toLowerCase();
    const close = connection === "close" || (req.version === "1.0" && connection !== "keep-alive");
    pair.busy = true;
    const clock = this.cluster.clock;
    clock.settle();
    const pod = this.cluster.api.get("Pod", this.namespace, this.name);
    if (!pod || pod.metadata.uid !== this.uid) return this.answer(pair, { ok: false, error: `pod not found ("${this.name}_${this.namespace}")` }, { close: true });
    const { length: _length, version: _version, ...request } = req;
    let answered: { a: PortForwardAnswer; close: boolean } | undefined;
    try {
      kubeletClient(this.cluster.ctx).portForward(pod, pair.port, request, (a) => void (answered = { a, close: close || !a.ok }));
    } catch (e) {
      if (e instanceof ApiError) return this.answer(pair, { ok: false, error: e.message }, { close: true });
      throw e;
    }
    // Simulated time stands still between a client's requests, but an answer can take some (the
    // container's CPU is busy with the ones before, the application waits): the exchange runs the
    // clock forward to its answer, as kubectl exec runs it to the command's end.
    const cap = clock.now() + EXCHANGE_CAP_MS;
    clock.settle();
    while (answered === undefined && !this.closed && clock.now() < cap && clock.runNext());
    if (answered === undefined) return this.answer(pair, { ok: false, error: "timed out waiting for the application's answer" }, { close: true });
    this.answer(pair, answered.a, { close: answered.close });
  }

  /** Queues an answer (or the error stream's message); once the client took it, the next exchange or the end of both streams. */
  private answer(pair: Pair, a: PortForwardAnswer, opts: { close: boolean; badRequest?: boolean }): void {
    if (this.closed || pair.done) return;
    const then = () => {
      pair.busy = false;
      if (opts.close) this.finish(pair);
      // The next exchange in a turn of its own (other clients are served between a connection's exchanges).
      else setImmediate(this.nextGuarded, pair);
    };
    pair.busy = true;
    if (a.ok && pair.data !== undefined) {
      const reason = opts.badRequest ? "Bad Request" : STATUS_CODES[a.status] ?? "";
      const lines = [`HTTP/1.1 ${a.status} ${reason}`];
      for (const [k, v] of Object.entries(a.headers ?? {})) if (!/^(content-length|connection)$/i.test(k)) lines.push(`${k}: ${v}`);
      lines.push(`Content-Length: ${Buffer.byteLength(a.body)}`, ...(opts.close ? ["Connection: close"] : []), "", "");
      this.out.push({ streamId: pair.data, bytes: Buffer.concat([Buffer.from(lines.join("\r\n")), Buffer.from(a.body)]), offset: 0, then });
    } else if (!a.ok && pair.error !== undefined) this.out.push({ streamId: pair.error, bytes: Buffer.from(a.error), offset: 0, then });
    else return then();
    this.pump();
  }

  /** Ends both streams of the pair. */
  private finish(pair: Pair): void {
    if (pair.done) return;
    pair.done = true;
    this.take(pair, pair.pending.length);
    if (pair.data !== undefined) this.write(encodeDataFrame(pair.data, Buffer.alloc(0), FLAG_FIN));
    if (pair.error !== undefined) this.write(encodeDataFrame(pair.error, Buffer.alloc(0), FLAG_FIN));
    for (const st of [pair.data, pair.error]) if (st !== undefined) this.streams.delete(st);
  }

  private forget(streamId: number): void {
    const id = this.streams.get(streamId);
    this.streams.delete(streamId);
    if (id !== undefined) {
      const pair = this.pairs.get(id);
      if (pair && ![pair.data, pair.error].some((s) => s !== undefined && this.streams.has(s))) {
        this.take(pair, pair.pending.length);
        pair.done = true;
        this.pairs.delete(id);
      }
    }
  }
}

/**
 * One HTTP/1.1 request from the start of the bytes so far: "incomplete" until its head (and
 * Content-Length body) is there; `length` is how many bytes it took (what follows is the next one).
 */
export function parseHttpRequest(buf: Buffer): { method: string; path: string; headers: Record<string, string>; version: string; length: number; timeoutMs?: number } | "incomplete" | "bad" {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return buf.length > 64 * 1024 ? "bad" : "incomplete";
  const lines = buf.toString("latin1", 0, end).split("\r\n");
  const m = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]!);
  if (!m) return "bad";
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i <= 0) return "bad";
    const k = l.slice(0, i).trim();
    // Canonical form (Go's textproto), as the applications read them.
    headers[k.toLowerCase().replace(/(^|-)([a-z])/g, (_s, p: string, c: string) => p + c.toUpperCase())] = l.slice(i + 1).trim();
  }
  const length = Number(headers["Content-Length"] ?? 0);
  if (!Number.isInteger(length) || length < 0) return "bad";
  if (buf.length < end + 4 + length) return "incomplete";
  return { method: m[1]!, path: m[2]!, headers, version: `1.${m[3]}`, length: end + 4 + length };
}
