import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { generateToken, isPublicPath, TokenAuthenticator } from "./authentication.ts";

const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

test("tokens are 256 random bits, different every time", () => {
  const a = generateToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, generateToken());
  assert.throws(() => new TokenAuthenticator("short"), /at least 16/);
});

test("the bearer token: the right one passes; none passes for public information only; a wrong one never", () => {
  const t = generateToken();
  const a = new TokenAuthenticator(t);
  assert.doesNotThrow(() => a.check(req(`Bearer ${t}`), "/api/v1/pods"));
  assert.doesNotThrow(() => a.check(req(`bearer ${t}`), "/api/v1/pods"));
  for (const bad of [undefined, "", `Bearer ${t}x`, `Basic ${t}`, `Bearer`, t, `Bearer ${t} extra`]) {
    assert.throws(() => a.check(req(bad), "/api/v1/pods"), (e: { code: number; message: string }) => e.code === 401 && e.message === "Unauthorized", String(bad));
  }
  for (const p of ["/version", "/healthz", "/livez", "/readyz", "/readyz/ping"]) {
    assert.equal(isPublicPath(p), true);
    assert.doesNotThrow(() => a.check(req(), p));
    assert.throws(() => a.check(req("Bearer nope"), p), /Unauthorized/);
  }
  for (const p of ["/versions", "/api", "/kube-scenario/v1/now", "/openapi/v3"]) assert.throws(() => a.check(req(), p), /Unauthorized/, p);
});
