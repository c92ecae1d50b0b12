import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { MaxInFlightLimit } from "./maxinflight.ts";
import { requestInfoFor } from "./requestinfo.ts";

class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, unknown> = {};
  body = "";
  writeHead(status: number, headers: Record<string, unknown>) {
    this.status = status;
    this.headers = headers;
  }
  end(text: string) {
    this.body = text;
  }
}

test("read-only and mutating budgets are separate; one over is 429 with Retry-After: 1; long-running requests are free; a closed answer frees its slot", () => {
  const limit = new MaxInFlightLimit(2, 1);
  const get = requestInfoFor("GET", "/api/v1/pods");
  const post = requestInfoFor("POST", "/api/v1/namespaces/a/pods");
  const watch = requestInfoFor("GET", "/api/v1/pods?watch=true");
  const rs = Array.from({ length: 6 }, () => new FakeResponse());
  const admit = (info: ReturnType<typeof requestInfoFor>, r: FakeResponse) => limit.admit(info, r as unknown as ServerResponse);
  assert.equal(admit(get, rs[0]!), true);
  assert.equal(admit(get, rs[1]!), true);
  assert.equal(admit(post, rs[2]!), true);
  assert.equal(admit(get, rs[3]!), false);
  assert.equal(rs[3]!.status, 429);
  assert.equal(rs[3]!.headers["Retry-After"], "1");
  assert.equal(rs[3]!.body, "Too many requests, please try again later.\n");
  assert.equal(admit(post, rs[4]!), false);
  for (let i = 0; i < 10; i++) assert.equal(admit(watch, new FakeResponse()), true);
  assert.deepEqual(limit.inFlight, { readOnly: 2, mutating: 1 });
  rs[0]!.emit("close");
  rs[0]!.emit("close");
  assert.deepEqual(limit.inFlight, { readOnly: 1, mutating: 1 });
  assert.equal(admit(get, rs[5]!), true);
  assert.equal(new MaxInFlightLimit(0, 0).admit(post, new FakeResponse() as unknown as ServerResponse), true);
});
