import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { ApiError } from "../api/errors.ts";
import { checkContentType, mediaTypeOf, readLimitedBody } from "./requestbody.ts";
import { requestInfoFor } from "./requestinfo.ts";

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;
const check = (method: string, path: string, headers: Record<string, string>) => checkContentType(req(method, headers), requestInfoFor(method, path));

test("media types: parameters dropped, lower-cased", () => {
  assert.equal(mediaTypeOf("Application/JSON; charset=utf-8"), "application/json");
  assert.equal(mediaTypeOf(undefined), "");
});

test("which bodies the API server decodes: JSON, YAML and protobuf for writes, the four patch types for PATCH; none needed without a body", () => {
  for (const t of ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf", "application/json;charset=utf-8"]) assert.doesNotThrow(() => check("POST", "/api/v1/namespaces/a/pods", { "content-type": t }), t);
  assert.doesNotThrow(() => check("POST", "/api/v1/namespaces/a/pods", {}));
  for (const t of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/merge-patch+json", "*/*"]) {
    assert.throws(() => check("PUT", "/api/v1/namespaces/a/pods/p", { "content-type": t }), (e: { code: number; reason: string }) => e.code === 415 && e.reason === "UnsupportedMediaType", t);
  }
  for (const t of ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]) assert.doesNotThrow(() => check("PATCH", "/api/v1/nodes/n", { "content-type": t }), t);
  assert.throws(() => check("PATCH", "/api/v1/nodes/n", { "content-type": "application/json" }), /application\/json-patch\+json, application\/merge-patch\+json, application\/strategic-merge-patch\+json, application\/apply-patch\+yaml$/);
  assert.throws(() => check("PATCH", "/api/v1/nodes/n", {}), /415|unknown format/);
  assert.doesNotThrow(() => check("GET", "/api/v1/pods", { "content-type": "text/plain" }));
  assert.doesNotThrow(() => check("DELETE", "/api/v1/namespaces/a/pods/p", { "content-type": "text/plain" }));
  assert.throws(() => check("DELETE", "/api/v1/namespaces/a/pods/p", { "content-type": "text/plain", "content-length": "2" }), /unknown format/);
  assert.throws(() => check("POST", "/kube-scenario/v1/advance", { "content-type": "text/plain" }), /unknown format/);
});

test("a body its client abandons half-way (the connection closed, or reset) rejects with Go's unexpected EOF, an API status (not a fault to report); a whole one resolves", async (t) => {
  const reads: Array<Promise<Buffer>> = [];
  let arrived: () => void = () => undefined;
  const server = createServer((req) => {
    const read = readLimitedBody(req);
    read.catch(() => undefined); // (looked at once all three are in)
    reads.push(read);
    arrived();
  });
  t.after(() => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as import("node:net").AddressInfo).port;
  const send = (text: string, end: "destroy" | "reset" | "end") =>
    new Promise<void>((resolve, reject) => {
      arrived = resolve;
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.write(text);
        if (end === "destroy") socket.destroySoon();
        else if (end === "reset") socket.resetAndDestroy();
      });
    });
  const head = (length: number) => `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  await send(head(100) + "{".repeat(10), "destroy");
  await send(head(100) + "{".repeat(10), "reset");
  await send(head(2) + "{}", "end");
  const settled = await Promise.allSettled(reads);
  for (const r of settled.slice(0, 2)) {
    assert.equal(r.status, "rejected");
    const e = (r as PromiseRejectedResult).reason as ApiError;
    assert.ok(e instanceof ApiError, String(e));
    assert.deepEqual([e.code, e.reason, e.message], [500, "", "unexpected EOF"]);
  }
  assert.deepEqual(settled[2], { status: "fulfilled", value: Buffer.from("{}") });
});
