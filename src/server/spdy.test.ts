import { test } from "node:test";
import assert from "node:assert/strict";
import { createDeflate, constants as zc, inflateSync, type Deflate } from "node:zlib";
import {
  adler32, decodeHeaderBlock, DICTIONARY, encodeDataFrame, encodeGoAway, encodeHeaderBlock, encodePing, encodeRstStream, encodeSettings, encodeSynReply,
  encodeSynStream, encodeWindowUpdate, FrameReader, HeaderCompressor, SpdyProtocolError, type Headers,
} from "./spdy.ts";

/** A client's header compressor as Go's zlib.NewWriterLevelDict (one context for the session, a sync flush per block). */
function clientCompressor(): { compress(h: Headers): Promise<Buffer> } {
  const d: Deflate = createDeflate({ dictionary: DICTIONARY, level: 9 });
  let out: Buffer[] = [];
  d.on("data", (b: Buffer) => out.push(b));
  return {
    compress: (h) =>
      new Promise((resolve) => {
        out = [];
        d.write(encodeHeaderBlock(h));
        d.flush(zc.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out)));
      }),
  };
}

/** A control frame as a client writes it, around a compressed block. */
function clientControl(type: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((flags << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

test("the dictionary is the spec's (2.6.10.1): 1423 bytes, its first and last bytes, its Adler-32", () => {
  assert.equal(DICTIONARY.length, 1423);
  assert.deepEqual([...DICTIONARY.subarray(0, 11)], [0x00, 0x00, 0x00, 0x07, 0x6f, 0x70, 0x74, 0x69, 0x6f, 0x6e, 0x73]);
  assert.equal(DICTIONARY.subarray(-16).toString("latin1"), "-1,utf-,*,enq=0.");
  // RFC 1950's Adler-32 (Wikipedia's example), then the dictionary id a SPDY/3 zlib stream names.
  assert.equal(adler32(Buffer.from("Wikipedia")), 0x11e60398);
  assert.equal(adler32(DICTIONARY).toString(16), "e3c6a7c2");
});

test("header blocks: the spec's layout, lower-case names, bounded reading", () => {
  const block = encodeHeaderBlock([["streamtype", "data"], ["port", "80"]]);
  assert.deepEqual(
    [...block],
    [0, 0, 0, 2, 0, 0, 0, 10, ...Buffer.from("streamtype"), 0, 0, 0, 4, ...Buffer.from("data"), 0, 0, 0, 4, ...Buffer.from("port"), 0, 0, 0, 2, ...Buffer.from("80")],
  );
  assert.deepEqual(decodeHeaderBlock(block), [["streamtype", "data"], ["port", "80"]]);
  assert.throws(() => decodeHeaderBlock(Buffer.from([0xff, 0xff, 0xff, 0xff])), SpdyProtocolError);
  assert.throws(() => decodeHeaderBlock(Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), Buffer.from("A"), Buffer.from([0, 0, 0, 0])])), /not lowercased/);
  assert.throws(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61, 0, 0, 0, 0])), /truncated/);
});

test("the server's header blocks inflate with the dictionary, block after block of one stream", () => {
  const c = new HeaderCompressor();
  const a = c.compress([[":status", "200"]]);
  const b = c.compress([["streamtype", "error"]]);
  assert.equal(a[0], 0x78);
  assert.equal((a[0]! * 256 + a[1]!) % 31, 0);
  assert.ok(a[1]! & 0x20, "FDICT");
  assert.equal(a.readUInt32BE(2), adler32(DICTIONARY));
  const both = inflateSync(Buffer.concat([a, b]), { dictionary: DICTIONARY, finishFlush: zc.Z_SYNC_FLUSH });
  assert.deepEqual(both, Buffer.concat([encodeHeaderBlock([[":status", "200"]]), encodeHeaderBlock([["streamtype", "error"]])]));
});

test("frames round-trip through the reader: SYN_STREAM and HEADERS from a client's compressor, the rest as the spec lays them out", async () => {
  const client = clientCompressor();
  const r = new FrameReader();
  const syn = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), await client.compress([["streamtype", "error"], ["port", "27017"], ["requestid", "0"]])]);
  const syn2 = Buffer.concat([Buffer.from([0, 0, 0, 3, 0, 0, 0, 0, 0, 0]), await client.compress([["streamtype", "data"], ["port", "27017"], ["requestid", "0"]])]);
  const wire = Buffer.concat([
    clientControl(1, 0, syn),
    clientControl(1, 0, syn2),
    encodeDataFrame(3, Buffer.from("GET / HTTP/1.1\r\n\r\n"), 1),
    encodePing(1),
    encodeSettings([{ id: 7, value: 65536 }]),
    encodeWindowUpdate(3, 1000),
    encodeRstStream(1, 5),
    encodeGoAway(3, 0),
  ]);
  // Byte by byte: frames complete only when whole.
  const frames = [];
  for (let i = 0; i < wire.length; i++) frames.push(...(await r.push(wire.subarray(i, i + 1))));
  assert.deepEqual(frames, [
    { type: "syn_stream", streamId: 1, associatedId: 0, priority: 0, flags: 0, headers: [["streamtype", "error"], ["port", "27017"], ["requestid", "0"]] },
    { type: "syn_stream", streamId: 3, associatedId: 0, priority: 0, flags: 0, headers: [["streamtype", "data"], ["port", "27017"], ["requestid", "0"]] },
    { type: "data", streamId: 3, flags: 1, data: Buffer.from("GET / HTTP/1.1\r\n\r\n") },
    { type: "ping", id: 1 },
    { type: "settings", flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] },
    { type: "window_update", streamId: 3, delta: 1000 },
    { type: "rst_stream", streamId: 1, status: 5 },
    { type: "goaway", lastGoodStreamId: 3, status: 0 },
  ]);
  // The server's own SYN_REPLY and SYN_STREAM read back through a reader of the server's direction.
  const s = new HeaderCompressor();
  const back = new FrameReader();
  assert.deepEqual(await back.push(Buffer.concat([encodeSynReply(s, 1, [["streamtype", "error"]]), encodeSynStream(s, 2, [["a", "b"]], 1)])), [
    { type: "syn_reply", streamId: 1, flags: 0, headers: [["streamtype", "error"]] },
    { type: "syn_stream", streamId: 2, associatedId: 0, priority: 0, flags: 1, headers: [["a", "b"]] },
  ]);
  r.close();
  back.close();
});

test("bounded: an oversized frame, another version, bad compression, a header block that inflates too far", async () => {
  const huge = Buffer.alloc(8);
  huge.writeUInt32BE(1, 0);
  huge.writeUInt32BE(0xffffff, 4);
  await assert.rejects(new FrameReader().push(huge), /over the limit/);
  const v2 = Buffer.from([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]);
  await assert.rejects(new FrameReader().push(v2), /unsupported SPDY version 2/);
  const garbage = clientControl(1, 0, Buffer.concat([Buffer.alloc(10), Buffer.from("not zlib at all")]));
  await assert.rejects(new FrameReader().push(garbage), SpdyProtocolError);
  const client = clientCompressor();
  const bomb = clientControl(1, 0, Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), await client.compress([["x", "a".repeat(200_000)]])]));
  await assert.rejects(new FrameReader(1 << 20, 64 * 1024).push(bomb), /inflates past 65536 bytes/);
  // An unknown control frame type is ignored (2.2.1).
  assert.deepEqual(await new FrameReader().push(Buffer.from([0x80, 0x03, 0x00, 0x0a, 0, 0, 0, 0])), [{ type: "unknown", frameType: 10, flags: 0 }]);
});
