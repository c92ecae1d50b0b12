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
 * stream's bytes are read as one HTTP/1.1 request, its answer written back as an HTTP/1.1 response
 * (`Connection: close`), then both streams end. A runtime error (nothing listens on the port) goes
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
interface Transport {
  write(b: Buffer): void;
  end(): void;
  onData(fn: (b: Buffer) => void): void;
  onClose(fn: () => void): void;
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
    transport = { write: (b) => ws.send(b), end: () => ws.close(), onData: (fn) => ws.onMessage(fn), onClose: (fn) => ws.onClose(fn) };
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
    };
  } else throw new ApiError("BadRequest", "Upgrade request required");
  new PortForwardSession(cluster, namespace, name, pod.metadata.uid!, transport);
}

interface Pair {
  port: number;
  error?: number;
  data?: number;
  request: Buffer[];
  requestBytes: number;
  answered: boolean;
}

/** One SPDY session of the kubelet's port-forward protocol. */
class PortForwardSession {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly pairs = new Map<string, Pair>();
  private readonly streams = new Map<number, string>();
  private lastStreamId = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

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
    t.onClose(() => this.close());
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    if (!(e instanceof SpdyProtocolError)) throw e;
    this.t.write(encodeGoAway(this.lastStreamId, GOAWAY_PROTOCOL_ERROR));
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
    this.t.end();
  }

  private handle(f: SpdyFrame): void {
    switch (f.type) {
      case "ping":
        // A client's ping (odd id) is answered with the same id (2.6.5).
        this.t.write(encodePing(f.id));
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
        // SETTINGS, WINDOW_UPDATE, HEADERS, unknown types: nothing to do (no flow control is enforced on what this server sends).
        return;
    }
  }

  private open(streamId: number, flags: number, h: Map<string, string>): void {
    if (streamId <= this.lastStreamId || streamId % 2 === 0) return void this.t.write(encodeRstStream(streamId, RST_PROTOCOL_ERROR));
    this.lastStreamId = streamId;
    if (this.streams.size >= MAX_STREAMS) return void this.t.write(encodeRstStream(streamId, RST_REFUSED_STREAM));
    const type = h.get("streamtype");
    const port = Number(h.get("port"));
    const id = h.get("requestid") ?? "";
    // The kubelet's checks (httpstream.go requestID and streamReceived): a known stream type, a valid port.
    if ((type !== "error" && type !== "data") || !Number.isInteger(port) || port <= 0 || port > 65535) return void this.t.write(encodeRstStream(streamId, RST_PROTOCOL_ERROR));
    let pair = this.pairs.get(id);
    if (!pair) this.pairs.set(id, (pair = { port, request: [], requestBytes: 0, answered: false }));
    if (pair[type] !== undefined) return void this.t.write(encodeRstStream(streamId, RST_STREAM_IN_USE));
    pair[type] = streamId;
    this.streams.set(streamId, id);
    this.t.write(encodeSynReply(this.compressor, streamId, []));
    if (flags & FLAG_FIN) this.data(streamId, FLAG_FIN, Buffer.alloc(0));
  }

  private data(streamId: number, flags: number, data: Buffer): void {
    const id = this.streams.get(streamId);
    if (id === undefined) return;
    const pair = this.pairs.get(id)!;
    if (streamId !== pair.data || pair.answered) return;
    pair.requestBytes += data.length;
    if (pair.requestBytes > MAX_REQUEST_BYTES) {
      pair.answered = true;
      return this.answer(pair, { ok: true, status: 413, body: "request over the simulated kubelet's limit\n" });
    }
    pair.request.push(data);
    const req = parseHttpRequest(Buffer.concat(pair.request));
    if (req === "incomplete" && !(flags & FLAG_FIN)) return;
    pair.answered = true;
    if (req === "incomplete" || req === "bad") return this.answer(pair, { ok: true, status: 400, body: "" }, true);
    this.cluster.clock.settle();
    const pod = this.cluster.api.get("Pod", this.namespace, this.name);
    if (!pod || pod.metadata.uid !== this.uid) return this.answer(pair, { ok: false, error: `pod not found ("${this.name}_${this.namespace}")` });
    try {
      kubeletClient(this.cluster.ctx).portForward(pod, pair.port, req, (a) => this.answer(pair, a));
    } catch (e) {
      if (e instanceof ApiError) return this.answer(pair, { ok: false, error: e.message });
      throw e;
    }
    this.cluster.clock.settle();
  }

  /** Writes the answer (or the error stream's message), then ends both streams. */
  private answer(pair: Pair, a: PortForwardAnswer, badRequest = false): void {
    if (this.closed) return;
    if (a.ok && pair.data !== undefined) {
      const reason = badRequest ? "Bad Request" : STATUS_CODES[a.status] ?? "";
      const headers = { ...(a.headers ?? {}) };
      const lines = [`HTTP/1.1 ${a.status} ${reason}`];
      for (const [k, v] of Object.entries(headers)) if (!/^(content-length|connection)$/i.test(k)) lines.push(`${k}: ${v}`);
      lines.push(`Content-Length: ${Buffer.byteLength(a.body)}`, "Connection: close", "", "");
      this.t.write(encodeDataFrame(pair.data, Buffer.concat([Buffer.from(lines.join("\r\n")), Buffer.from(a.body)])));
    } else if (!a.ok && pair.error !== undefined) this.t.write(encodeDataFrame(pair.error, Buffer.from(a.error)));
    if (pair.data !== undefined) this.t.write(encodeDataFrame(pair.data, Buffer.alloc(0), FLAG_FIN));
    if (pair.error !== undefined) this.t.write(encodeDataFrame(pair.error, Buffer.alloc(0), FLAG_FIN));
    for (const s of [pair.data, pair.error]) if (s !== undefined) this.streams.delete(s);
    pair.request = [];
  }

  private forget(streamId: number): void {
    const id = this.streams.get(streamId);
    this.streams.delete(streamId);
    if (id !== undefined) {
      const pair = this.pairs.get(id);
      if (pair && ![pair.data, pair.error].some((s) => s !== undefined && this.streams.has(s))) this.pairs.delete(id);
    }
  }
}

/** One HTTP/1.1 request from the bytes so far: "incomplete" until its head (and Content-Length body) is there. */
export function parseHttpRequest(buf: Buffer): { method: string; path: string; headers: Record<string, string>; timeoutMs?: number } | "incomplete" | "bad" {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return buf.length > 64 * 1024 ? "bad" : "incomplete";
  const lines = buf.toString("latin1", 0, end).split("\r\n");
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0]!);
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
  return { method: m[1]!, path: m[2]!, headers };
}
