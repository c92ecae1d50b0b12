/**
 * The server side of RFC 6455 WebSocket, as much as the Kubernetes streaming protocols need:
 * the opening handshake, binary frames out (servers never mask), masked frames in (fragmented
 * messages reassembled), ping/pong and the closing handshake.
 *
 * Bounded as the API server's WebSocket (golang.org/x/net/websocket, whose Conn.MaxPayloadBytes
 * defaults to 32 MiB, used by k8s.io/apimachinery/pkg/util/httpstream/wsstream): a frame, or a
 * message reassembled from fragments, over MAX_PAYLOAD_BYTES closes the connection with status 1009
 * (message too big) as soon as its header announces it, before any of it is held. Incoming bytes
 * are collected in a list and joined once a whole frame is there (never re-joined per chunk).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { guarded } from "./panicrecovery.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
/** Close status codes (RFC 6455 7.4.1). */
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_MESSAGE_TOO_BIG = 1009;
export const CLOSE_INTERNAL_ERROR = 1011;

/** Sec-WebSocket-Accept for a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + GUID).digest("base64");
}

/** One unmasked frame from the server. */
export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/**
 * The size of the frame that starts `buf` (header, mask and payload), or undefined while its
 * header is incomplete; `payload` is the announced payload length (up to 2^64 - 1).
 */
export function frameSize(buf: Buffer, off = 0): { total: number; payload: number } | undefined {
  if (buf.length - off < 2) return undefined;
  const b1 = buf[off + 1]!;
  let len = b1 & 0x7f;
  let p = off + 2;
  if (len === 126) {
    if (buf.length - p < 2) return undefined;
    len = buf.readUInt16BE(p);
    p += 2;
  } else if (len === 127) {
    if (buf.length - p < 8) return undefined;
    len = Number(buf.readBigUInt64BE(p));
    p += 8;
  }
  const maskLen = (b1 & 0x80) !== 0 ? 4 : 0;
  return { total: p - off + maskLen + len, payload: len };
}

/**
 * Parses as many whole frames as `buf` holds; returns them and the bytes left over. A frame
 * announcing more than `maxPayload` bytes stops the parse with `tooBig` (nothing of it is kept).
 */
export function decodeFrames(buf: Buffer, maxPayload = MAX_PAYLOAD_BYTES): { frames: Frame[]; rest: Buffer; tooBig?: boolean } {
  const frames: Frame[] = [];
  let off = 0;
  for (;;) {
    const size = frameSize(buf, off);
    if (!size) break;
    if (size.payload > maxPayload) return { frames, rest: Buffer.alloc(0), tooBig: true };
    const b0 = buf[off]!;
    const b1 = buf[off + 1]!;
    const len = size.payload;
    let p = off + 2 + ((b1 & 0x7f) === 126 ? 2 : (b1 & 0x7f) === 127 ? 8 : 0);
    const masked = (b1 & 0x80) !== 0;
    const maskLen = masked ? 4 : 0;
    if (buf.length - p < maskLen + len) break;
    const mask = masked ? buf.subarray(p, p + 4) : undefined;
    p += maskLen;
    const payload = Buffer.from(buf.subarray(p, p + len));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    off = p + len;
  }
  return { frames, rest: buf.subarray(off) };
}

export interface WebSocketConnection {
  protocol: string;
  /** Sends one binary message. */
  send(data: Buffer): void;
  /** Sends a close frame (normal closure) and ends the connection. */
  close(code?: number): void;
  /** Whole messages from the client, binary or text, in order. */
  onMessage(fn: (data: Buffer) => void): void;
  /** The client closed (close frame or connection lost). */
  onClose(fn: () => void): void;
}

/**
 * Completes the opening handshake on an upgraded socket, choosing the first of the client's
 * subprotocols that `supported` lists; undefined (after a 400 response) when it cannot.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, supported: string[], maxPayload = MAX_PAYLOAD_BYTES): WebSocketConnection | undefined {
  const key = req.headers["sec-websocket-key"];
  const offered = String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const protocol = offered.find((p) => supported.includes(p));
  if (typeof key !== "string" || String(req.headers.upgrade ?? "").toLowerCase() !== "websocket" || !protocol) {
    const body = JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `unable to upgrade: the simulated API server streams over WebSocket with subprotocols ${supported.join(", ")}`, reason: "BadRequest", code: 400 });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return undefined;
  }
  socket.write(
    ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Accept: ${acceptKey(key)}`, `Sec-WebSocket-Protocol: ${protocol}`, "", ""].join("\r\n"),
  );
  const messageFns: ((d: Buffer) => void)[] = [];
  const closeFns: (() => void)[] = [];
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    for (const f of closeFns) f();
  };
  // Bytes received and not yet parsed, as a list (joined once a whole frame is there).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let needed = 2;
  let fragments: Buffer[] = [];
  let fragmentBytes = 0;
  const fail = (code: number) => {
    pending = [];
    fragments = [];
    socket.off("data", onData);
    if (!socket.writableEnded) {
      const p = Buffer.alloc(2);
      p.writeUInt16BE(code, 0);
      socket.end(encodeFrame(OP_CLOSE, p), () => socket.destroy());
    } else socket.destroy();
    fireClose();
  };
  const feed = (chunk: Buffer) => {
    if (closed) return;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < needed) return;
    let buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    // Only the header is needed to know the frame's size: refuse an oversized one before collecting it.
    const size = frameSize(buf);
    if (size && size.payload > maxPayload) return fail(CLOSE_MESSAGE_TOO_BIG);
    const { frames, rest, tooBig } = decodeFrames(buf, maxPayload);
    if (tooBig) return fail(CLOSE_MESSAGE_TOO_BIG);
    buf = rest;
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    const next = frameSize(rest);
    needed = next ? next.total : Math.max(2, rest.length + 1);
    if (next && next.payload > maxPayload) return fail(CLOSE_MESSAGE_TOO_BIG);
    for (const f of frames) {
      if (f.opcode === OP_PING) socket.write(encodeFrame(OP_PONG, f.payload));
      else if (f.opcode === OP_CLOSE) {
        if (!socket.writableEnded) socket.end(encodeFrame(OP_CLOSE, f.payload.subarray(0, 2)));
        fireClose();
        return;
      } else if (f.opcode === OP_BINARY || f.opcode === OP_TEXT || f.opcode === OP_CONTINUATION) {
        fragmentBytes += f.payload.length;
        if (fragmentBytes > maxPayload) return fail(CLOSE_MESSAGE_TOO_BIG);
        fragments.push(f.payload);
        if (f.fin) {
          const data = fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments, fragmentBytes);
          fragments = [];
          fragmentBytes = 0;
          for (const fn of messageFns) fn(data);
          if (closed) return;
        }
      } else return fail(CLOSE_PROTOCOL_ERROR);
    }
  };
  // An exception of a message handler closes this connection (1011, internal error), not the process.
  const onData = guarded("WebSocket stream", feed, () => fail(CLOSE_INTERNAL_ERROR));
  socket.on("data", onData);
  socket.on("close", fireClose);
  socket.on("error", fireClose);
  if (head.length) queueMicrotask(() => onData(head));
  return {
    protocol,
    send: (data) => {
      if (!socket.writableEnded) socket.write(encodeFrame(OP_BINARY, data));
    },
    close: (code = 1000) => {
      if (socket.writableEnded) return;
      const p = Buffer.alloc(2);
      p.writeUInt16BE(code, 0);
      socket.end(encodeFrame(OP_CLOSE, p));
    },
    onMessage: (fn) => messageFns.push(fn),
    onClose: (fn) => closeFns.push(fn),
  };
}
