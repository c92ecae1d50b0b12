import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { HostCheck, hostnameOf, isLoopbackName } from "./hostcheck.ts";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

test("loopback names and Host header parsing", () => {
  for (const h of ["localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1"]) assert.equal(isLoopbackName(h), true, h);
  for (const h of ["localhost.example", "127.0.0.1.nip.io", "10.0.0.1", "::2", "0.0.0.0", "128.0.0.1", "1.2.7.127"]) assert.equal(isLoopbackName(h), false, h);
  assert.equal(hostnameOf("localhost:6443"), "localhost");
  assert.equal(hostnameOf("[::1]:6443"), "::1");
  assert.equal(hostnameOf("Example.COM"), "example.com");
  for (const bad of ["", "a b", "user@localhost", "[::1", "localhost:port", "::1"]) assert.equal(hostnameOf(bad), undefined, bad);
});

test("Host and Origin checks: loopback and allowed names pass, others are 403", () => {
  const c = new HostCheck(["devbox", "[fd00::1]"]);
  for (const host of ["localhost:1", "127.0.0.1", "devbox:8443", "DEVBOX", "[fd00::1]:1"]) assert.doesNotThrow(() => c.checkHost(req({ host })), host);
  assert.doesNotThrow(() => c.checkHost(req({})));
  for (const host of ["evil.example", "devbox.evil.example", "[fd00::2]:1"]) assert.throws(() => c.checkHost(req({ host })), (e: { code: number }) => e.code === 403, host);
  for (const origin of ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080", "https://devbox"]) assert.doesNotThrow(() => c.checkOrigin(req({ origin })), origin);
  assert.doesNotThrow(() => c.checkOrigin(req({})));
  for (const origin of ["null", "https://evil.example", "file://", "chrome-extension://abc", "http://localhost.evil.example"]) assert.throws(() => c.checkOrigin(req({ origin })), /cross-site/, origin);
});
