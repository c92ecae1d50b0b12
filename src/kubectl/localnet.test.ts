import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalNetwork, EPHEMERAL_FIRST, EPHEMERAL_LAST, isLocalAddress, joinHostPort } from "./localnet.ts";
import type { HttpOutcome } from "../runtime/types.ts";

const answer = (body: string) => (_req: unknown, done: (o: HttpOutcome) => void) => done({ ok: true, status: 200, body });

test("the machine's ports: bound per address, a wildcard conflicts with its family, Go's listen errors", () => {
  const net = new LocalNetwork();
  assert.deepEqual(net.listen("tcp4", "127.0.0.1", 8080, answer("v4")), { port: 8080 });
  assert.deepEqual(net.listen("tcp6", "::1", 8080, answer("v6")), { port: 8080 });
  assert.deepEqual(net.listen("tcp4", "127.0.0.1", 8080, answer("x")), { error: "listen tcp4 127.0.0.1:8080: bind: address already in use" });
  assert.deepEqual(net.listen("tcp6", "::1", 8080, answer("x")), { error: "listen tcp6 [::1]:8080: bind: address already in use" });
  assert.deepEqual(net.listen("tcp4", "0.0.0.0", 8080, answer("x")), { error: "listen tcp4 0.0.0.0:8080: bind: address already in use" });
  assert.deepEqual(net.listen("tcp4", "10.19.21.23", 9000, answer("x")), { error: "listen tcp4 10.19.21.23:9000: bind: cannot assign requested address" });
  assert.deepEqual(net.listen("tcp4", "0.0.0.0", 9000, answer("any")), { port: 9000 });
  assert.deepEqual(net.listen("tcp4", "127.0.0.1", 9000, answer("x")), { error: "listen tcp4 127.0.0.1:9000: bind: address already in use" });
  const got: HttpOutcome[] = [];
  assert.equal(net.http("127.0.0.1", 8080, { method: "GET", url: "http://127.0.0.1:8080/" }, "/", (o) => got.push(o)), true);
  assert.equal(net.http("::1", 8080, { method: "GET", url: "http://[::1]:8080/" }, "/", (o) => got.push(o)), true);
  assert.equal(net.http("127.0.0.2", 9000, { method: "GET", url: "http://127.0.0.2:9000/" }, "/", (o) => got.push(o)), true);
  assert.equal(net.http("127.0.0.1", 7000, { method: "GET", url: "http://127.0.0.1:7000/" }, "/", (o) => got.push(o)), true);
  assert.equal(net.http("10.0.0.1", 80, { method: "GET", url: "http://10.0.0.1/" }, "/", (o) => got.push(o)), false);
  assert.deepEqual(got, [
    { ok: true, status: 200, body: "v4" },
    { ok: true, status: 200, body: "v6" },
    { ok: true, status: 200, body: "any" },
    { ok: false, kind: "refused", error: "dial tcp 127.0.0.1:7000: connect: connection refused" },
  ]);
  net.close("127.0.0.1", 8080);
  assert.deepEqual(net.listen("tcp4", "127.0.0.1", 8080, answer("again")), { port: 8080 });
});

test("ephemeral ports: in Linux's range, the same sequence on every machine, never one in use", () => {
  const a = new LocalNetwork();
  const b = new LocalNetwork();
  const ports = [0, 1, 2].map(() => (a.listen("tcp4", "127.0.0.1", 0, answer("")) as { port: number }).port);
  assert.deepEqual([0, 1, 2].map(() => (b.listen("tcp4", "127.0.0.1", 0, answer("")) as { port: number }).port), ports);
  for (const p of ports) assert.ok(p >= EPHEMERAL_FIRST && p <= EPHEMERAL_LAST);
  assert.equal(new Set(ports).size, 3);
  // The first choice taken already: the next free port instead.
  const c = new LocalNetwork();
  c.listen("tcp4", "127.0.0.1", ports[0]!, answer(""));
  assert.equal((c.listen("tcp4", "127.0.0.1", 0, answer("")) as { port: number }).port, ports[0]! + 1);
});

test("a background job's output: on the terminal while a line runs, else kept for the next line", () => {
  const net = new LocalNetwork();
  net.print("stdout", "early\n");
  let shown = "";
  net.terminal = { stdout: (t) => (shown += t), stderr: (t) => (shown += `!${t}`) };
  net.print("stdout", "now\n");
  net.print("stderr", "oops\n");
  net.terminal = undefined;
  net.print("stderr", "later\n");
  assert.equal(shown, "now\n!oops\n");
  assert.deepEqual(net.takePending(), { stdout: "early\n", stderr: "later\n" });
  assert.deepEqual(net.takePending(), { stdout: "", stderr: "" });
  assert.equal(joinHostPort("::1", 80), "[::1]:80");
  assert.ok(isLocalAddress("127.0.0.53") && isLocalAddress("::1") && !isLocalAddress("10.0.0.1"));
});
