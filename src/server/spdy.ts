/**
 * SPDY/3.1 framing, as much as a Kubernetes streaming server needs (kubectl port-forward's
 * connection: client-go's httpstream/spdy over moby/spdystream), from "SPDY Protocol - Draft 3.1"
 * (chromium.org/spdy/spdy-protocol/spdy-protocol-draft3-1):
 *
 * - control frames (section 2.2.1): `1 | version(15) | type(16)`, `flags(8) | length(24)`, data —
 *   SYN_STREAM (1), SYN_REPLY (2), RST_STREAM (3), SETTINGS (4), PING (6), GOAWAY (7), HEADERS (8),
 *   WINDOW_UPDATE (9);
 * - data frames (2.2.2): `0 | stream id(31)`, `flags(8) | length(24)`, data;
 * - name/value header blocks (2.6.10): a 32-bit count, then 32-bit-length-prefixed names and
 *   values (several values of one name joined by NUL), compressed with zlib and the spec's
 *   dictionary (2.6.10.1), one compression context per direction for the whole session, each
 *   block ending on a sync flush.
 *
 * Bounded whatever a client sends: a frame longer than `maxFrameBytes` (default 1 MiB; the
 * protocol allows 16 MiB) ends the session before any of it is held, and so does a header block
 * that inflates past `maxHeaderBytes` (64 KiB), claims more pairs than it holds, or does not
 * decompress. Incoming bytes are kept in a list and joined once a whole frame is there.
 *
 * The server's own header blocks are written as zlib stored blocks (the stream header names the
 * dictionary; the data is not compressed), each ending with a sync flush's empty stored block: a
 * valid zlib stream any SPDY peer decompresses, and nothing to gain from compressing the few short
 * headers a reply carries.
 */
import { createInflate, constants as zc, type Inflate } from "node:zlib";

export const SPDY_VERSION = 3;

export const TYPE_SYN_STREAM = 1;
export const TYPE_SYN_REPLY = 2;
export const TYPE_RST_STREAM = 3;
export const TYPE_SETTINGS = 4;
export const TYPE_PING = 6;
export const TYPE_GOAWAY = 7;
export const TYPE_HEADERS = 8;
export const TYPE_WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes (2.6.3). */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
export const RST_INTERNAL_ERROR = 6;
export const RST_STREAM_IN_USE = 8;
export const RST_FRAME_TOO_LARGE = 11;

/** GOAWAY status codes (2.6.6). */
export const GOAWAY_OK = 0;
export const GOAWAY_PROTOCOL_ERROR = 1;
export const GOAWAY_INTERNAL_ERROR = 2;

export const MAX_FRAME_BYTES = 1 << 20;
export const MAX_HEADER_BYTES = 64 * 1024;

/** A header block: lower-case names, each with its value (several values joined by NUL). */
export type Headers = Array<[string, string]>;

export type SpdyFrame =
  | { type: "data"; streamId: number; flags: number; data: Buffer }
  | { type: "syn_stream"; streamId: number; associatedId: number; priority: number; flags: number; headers: Headers }
  | { type: "syn_reply"; streamId: number; flags: number; headers: Headers }
  | { type: "rst_stream"; streamId: number; status: number }
  | { type: "settings"; flags: number; entries: Array<{ flags: number; id: number; value: number }> }
  | { type: "ping"; id: number }
  | { type: "goaway"; lastGoodStreamId: number; status: number }
  | { type: "headers"; streamId: number; flags: number; headers: Headers }
  | { type: "window_update"; streamId: number; delta: number }
  | { type: "unknown"; frameType: number; flags: number };

/** A session-level protocol error: the session sends GOAWAY and ends. */
export class SpdyProtocolError extends Error {}

// ---- the dictionary (2.6.10.1) ---------------------------------------------------------------

/** The header names and values the spec's dictionary lists, each as a 32-bit length and its bytes. */
const DICTIONARY_WORDS = [
  "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language",
  "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding",
  "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date", "etag",
  "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
  "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer",
  "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
  "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive",
  "origin",
];
/** The dictionary's tail, as it is (no length prefixes). */
const DICTIONARY_TAIL =
  "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
  "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized" +
  "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
  "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
  "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain," +
  "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

/** The SPDY/3 header compression dictionary (1423 bytes). */
export const DICTIONARY: Buffer = (() => {
  const parts: Buffer[] = [];
  for (const w of DICTIONARY_WORDS) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    parts.push(len, Buffer.from(w, "latin1"));
  }
  parts.push(Buffer.from(DICTIONARY_TAIL, "latin1"));
  return Buffer.concat(parts);
})();

/** Adler-32 (RFC 1950), for the zlib header's dictionary id. */
export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + buf[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// ---- header blocks ---------------------------------------------------------------------------

/** The uncompressed name/value block (2.6.10). */
export function encodeHeaderBlock(headers: Headers): Buffer {
  const parts: Buffer[] = [u32(headers.length)];
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), "utf8");
    const v = Buffer.from(value, "utf8");
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Reads an uncompressed name/value block; a block that does not hold what it claims is a protocol error. */
export function decodeHeaderBlock(block: Buffer): Headers {
  const fail = (why: string): never => {
    throw new SpdyProtocolError(`invalid header block: ${why}`);
  };
  if (block.length < 4) fail("too short");
  const count = block.readUInt32BE(0);
  // Each pair takes at least 8 bytes: a count beyond that is a lie.
  if (count > (block.length - 4) / 8) fail(`${count} pairs claimed in ${block.length} bytes`);
  const out: Headers = [];
  let off = 4;
  const str = (): string => {
    if (off + 4 > block.length) fail("truncated length");
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) fail("truncated string");
    const s = block.toString("utf8", off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str();
    const value = str();
    if (name === "") fail("empty header name");
    if (name !== name.toLowerCase()) fail(`header ${JSON.stringify(name)} was not lowercased`);
    if (out.some(([n]) => n === name)) fail(`duplicate header ${JSON.stringify(name)}`);
    out.push([name, value]);
  }
  return out;
}

/** An empty non-final stored block: what zlib's Z_SYNC_FLUSH writes. */
const SYNC_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * The server's compression context: a zlib stream opened with the dictionary's id, each header
 * block one stored deflate block (byte-aligned, so each frame's part is whole).
 */
export class HeaderCompressor {
  private started = false;

  compress(headers: Headers): Buffer {
    const data = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window); FLG with FDICT, FLEVEL 0 and FCHECK making CMF*256+FLG a multiple of 31.
      const flg = 0x20 | (31 - ((0x78 * 256 + 0x20) % 31));
      parts.push(Buffer.from([0x78, flg]), u32(adler32(DICTIONARY)));
    }
    // Stored blocks of at most 65535 bytes, not final (BFINAL 0, BTYPE 00): the stream stays open.
    for (let off = 0; off < data.length || off === 0; off += 0xffff) {
      const chunk = data.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00;
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
      if (data.length === 0) break;
    }
    // The sync flush's empty stored block ends the header block: a decoder hands over what it
    // holds when it reaches it (Go's flate does not return a stored block's bytes before it has
    // read the next block's header), so without it the next block's read would run past the frame.
    parts.push(SYNC_MARKER);
    return Buffer.concat(parts);
  }
}

/**
 * The client's compression context, read in order: each header block's compressed bytes inflate
 * through one zlib stream (with the dictionary) flushed at the block's end. Bounded by
 * `maxHeaderBytes` of output per block; a stream that does not inflate is a protocol error.
 */
export class HeaderDecompressor {
  private readonly inflate: Inflate;
  private out: Buffer[] = [];
  private outBytes = 0;
  private failed: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly maxHeaderBytes = MAX_HEADER_BYTES) {
    this.inflate = createInflate({ dictionary: DICTIONARY });
    this.inflate.on("data", (d: Buffer) => {
      this.outBytes += d.length;
      if (this.outBytes <= this.maxHeaderBytes) this.out.push(d);
    });
    this.inflate.on("error", (e: Error) => {
      this.failed = e;
      // A flush after an error never calls back: the block waiting for it fails now.
      this.onError?.(new SpdyProtocolError(`header decompression failed: ${e.message}`));
    });
  }

  private onError: ((e: Error) => void) | undefined;

  /** Inflates one block (in the order blocks are given) into its headers. */
  decompress(block: Buffer): Promise<Headers> {
    const next = this.queue.then(
      () =>
        new Promise<Headers>((resolve, reject) => {
          if (this.failed) return reject(new SpdyProtocolError(`header decompression failed: ${this.failed.message}`));
          this.out = [];
          this.outBytes = 0;
          this.onError = reject;
          this.inflate.write(block);
          // The flush's callback can come before the stream has emitted all it pushed (a push made
          // while the stream works is emitted on a later tick): the block is read after those ticks.
          this.inflate.flush(zc.Z_SYNC_FLUSH, () => setImmediate(() => {
            if (this.failed) return reject(new SpdyProtocolError(`header decompression failed: ${this.failed.message}`));
            if (this.outBytes > this.maxHeaderBytes) return reject(new SpdyProtocolError(`header block inflates past ${this.maxHeaderBytes} bytes`));
            try {
              resolve(decodeHeaderBlock(Buffer.concat(this.out)));
            } catch (e) {
              reject(e);
            }
          }));
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.inflate.destroy();
  }
}

// ---- frames ----------------------------------------------------------------------------------

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function controlFrame(type: number, flags: number, data: Buffer): Buffer {
  if (data.length > 0xffffff) throw new RangeError("SPDY frame data over 16 MiB");
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export function encodeDataFrame(streamId: number, data: Buffer, flags = 0): Buffer {
  if (data.length > 0xffffff) throw new RangeError("SPDY frame data over 16 MiB");
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE((((flags & 0xff) << 24) | data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

export function encodeSynReply(c: HeaderCompressor, streamId: number, headers: Headers, flags = 0): Buffer {
  return controlFrame(TYPE_SYN_REPLY, flags, Buffer.concat([u32(streamId & 0x7fffffff), c.compress(headers)]));
}

export function encodeSynStream(c: HeaderCompressor, streamId: number, headers: Headers, flags = 0, associatedId = 0, priority = 0): Buffer {
  const ids = Buffer.alloc(10);
  ids.writeUInt32BE(streamId & 0x7fffffff, 0);
  ids.writeUInt32BE(associatedId & 0x7fffffff, 4);
  ids[8] = (priority & 0x7) << 5;
  return controlFrame(TYPE_SYN_STREAM, flags, Buffer.concat([ids, c.compress(headers)]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return controlFrame(TYPE_RST_STREAM, 0, Buffer.concat([u32(streamId & 0x7fffffff), u32(status)]));
}

export function encodeSettings(entries: Array<{ flags?: number; id: number; value: number }>, flags = 0): Buffer {
  const parts = [u32(entries.length)];
  for (const e of entries) parts.push(u32((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff)), u32(e.value));
  return controlFrame(TYPE_SETTINGS, flags, Buffer.concat(parts));
}

export function encodePing(id: number): Buffer {
  return controlFrame(TYPE_PING, 0, u32(id));
}

export function encodeGoAway(lastGoodStreamId: number, status: number): Buffer {
  return controlFrame(TYPE_GOAWAY, 0, Buffer.concat([u32(lastGoodStreamId & 0x7fffffff), u32(status)]));
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return controlFrame(TYPE_WINDOW_UPDATE, 0, Buffer.concat([u32(streamId & 0x7fffffff), u32(delta & 0x7fffffff)]));
}

/**
 * Splits incoming bytes into frames, header blocks inflated in order. `push` takes a chunk;
 * `frames` resolves the frames completed so far (in order). A frame over `maxFrameBytes`, a control
 * frame of another version, or a malformed frame rejects with SpdyProtocolError.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private held = 0;
  private readonly headers: HeaderDecompressor;

  constructor(
    private readonly maxFrameBytes = MAX_FRAME_BYTES,
    maxHeaderBytes = MAX_HEADER_BYTES,
  ) {
    this.headers = new HeaderDecompressor(maxHeaderBytes);
  }

  /** Takes a chunk; the frames it completes, in order (header blocks inflated). */
  async push(chunk: Buffer): Promise<SpdyFrame[]> {
    this.chunks.push(chunk);
    this.held += chunk.length;
    const raw: Array<{ control: boolean; word0: number; flags: number; data: Buffer }> = [];
    while (this.held >= 8) {
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = [buf];
      const word0 = buf.readUInt32BE(0);
      const flagsLen = buf.readUInt32BE(4);
      const length = flagsLen & 0xffffff;
      if (length > this.maxFrameBytes) throw new SpdyProtocolError(`frame of ${length} bytes over the limit of ${this.maxFrameBytes}`);
      if (buf.length < 8 + length) break;
      raw.push({ control: (word0 & 0x80000000) !== 0, word0, flags: flagsLen >>> 24, data: Buffer.from(buf.subarray(8, 8 + length)) });
      const rest = buf.subarray(8 + length);
      this.chunks = rest.length ? [rest] : [];
      this.held = rest.length;
    }
    const out: SpdyFrame[] = [];
    for (const f of raw) out.push(await this.parse(f.control, f.word0, f.flags, f.data));
    return out;
  }

  private async parse(control: boolean, word0: number, flags: number, d: Buffer): Promise<SpdyFrame> {
    if (!control) return { type: "data", streamId: word0 & 0x7fffffff, flags, data: d };
    const version = (word0 >>> 16) & 0x7fff;
    const type = word0 & 0xffff;
    if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
    const need = (n: number) => {
      if (d.length < n) throw new SpdyProtocolError(`control frame of type ${type} too short (${d.length} bytes)`);
    };
    switch (type) {
      case TYPE_SYN_STREAM:
        need(10);
        return { type: "syn_stream", streamId: d.readUInt32BE(0) & 0x7fffffff, associatedId: d.readUInt32BE(4) & 0x7fffffff, priority: d[8]! >>> 5, flags, headers: await this.headers.decompress(d.subarray(10)) };
      case TYPE_SYN_REPLY:
        need(4);
        return { type: "syn_reply", streamId: d.readUInt32BE(0) & 0x7fffffff, flags, headers: await this.headers.decompress(d.subarray(4)) };
      case TYPE_HEADERS:
        need(4);
        return { type: "headers", streamId: d.readUInt32BE(0) & 0x7fffffff, flags, headers: await this.headers.decompress(d.subarray(4)) };
      case TYPE_RST_STREAM:
        need(8);
        return { type: "rst_stream", streamId: d.readUInt32BE(0) & 0x7fffffff, status: d.readUInt32BE(4) };
      case TYPE_SETTINGS: {
        need(4);
        const n = d.readUInt32BE(0);
        if (d.length !== 4 + 8 * n) throw new SpdyProtocolError(`SETTINGS frame claims ${n} entries in ${d.length} bytes`);
        const entries = [];
        for (let i = 0; i < n; i++) {
          const w = d.readUInt32BE(4 + 8 * i);
          entries.push({ flags: w >>> 24, id: w & 0xffffff, value: d.readUInt32BE(8 + 8 * i) });
        }
        return { type: "settings", flags, entries };
      }
      case TYPE_PING:
        need(4);
        return { type: "ping", id: d.readUInt32BE(0) };
      case TYPE_GOAWAY:
        need(8);
        return { type: "goaway", lastGoodStreamId: d.readUInt32BE(0) & 0x7fffffff, status: d.readUInt32BE(4) };
      case TYPE_WINDOW_UPDATE:
        need(8);
        return { type: "window_update", streamId: d.readUInt32BE(0) & 0x7fffffff, delta: d.readUInt32BE(4) & 0x7fffffff };
      default:
        // 2.2.1: an unknown control frame type is ignored.
        return { type: "unknown", frameType: type, flags };
    }
  }

  close(): void {
    this.headers.close();
  }
}
