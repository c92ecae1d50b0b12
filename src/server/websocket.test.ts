import { test } from "node:test";
import assert from "node:assert/strict";
import { acceptKey, decodeFrames, encodeFrame, frameSize, OP_BINARY, OP_CLOSE } from "./websocket.ts";

test("the accept key of RFC 6455's example handshake", () => {
  assert.equal(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

test("RFC 6455 5.7 examples: unmasked and masked 'Hello', fragments, lengths over 125 and 65535", () => {
  assert.deepEqual([...encodeFrame(0x1, Buffer.from("Hello"))], [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
  const masked = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  const { frames, rest } = decodeFrames(masked);
  assert.equal(rest.length, 0);
  assert.deepEqual(frames.map((f) => [f.fin, f.opcode, f.payload.toString()]), [[true, 1, "Hello"]]);
  const frag = Buffer.from([0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f]);
  assert.deepEqual(decodeFrames(frag).frames.map((f) => [f.fin, f.opcode, f.payload.toString()]), [[false, 1, "Hel"], [true, 0, "lo"]]);
  const big = encodeFrame(OP_BINARY, Buffer.alloc(256, 7));
  assert.deepEqual([...big.subarray(0, 4)], [0x82, 0x7e, 0x01, 0x00]);
  const huge = encodeFrame(OP_BINARY, Buffer.alloc(65536, 1));
  assert.deepEqual([...huge.subarray(0, 10)], [0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0]);
  assert.equal(decodeFrames(huge).frames[0]!.payload.length, 65536);
});

test("a partial frame waits for the rest", () => {
  const close = encodeFrame(OP_CLOSE, Buffer.from([0x03, 0xe8]));
  const first = decodeFrames(close.subarray(0, 3));
  assert.deepEqual(first.frames, []);
  const second = decodeFrames(Buffer.concat([first.rest, close.subarray(3)]));
  assert.equal(second.frames[0]!.opcode, OP_CLOSE);
  assert.equal(second.frames[0]!.payload.readUInt16BE(0), 1000);
});

test("a frame announcing more than the limit is refused from its header alone", () => {
  const head = Buffer.alloc(10);
  head[0] = 0x82;
  head[1] = 127;
  head.writeBigUInt64BE(2n ** 62n, 2);
  assert.deepEqual(frameSize(head), { total: 10 + 2 ** 62, payload: 2 ** 62 });
  assert.equal(decodeFrames(head).tooBig, true);
  const ok = encodeFrame(OP_BINARY, Buffer.alloc(300));
  assert.equal(decodeFrames(ok, 299).tooBig, true);
  assert.equal(decodeFrames(ok, 300).frames.length, 1);
  assert.equal(frameSize(Buffer.from([0x82])), undefined);
});
