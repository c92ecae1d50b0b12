import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalHeader } from "./echobasic.ts";

// Go's textproto.CanonicalMIMEHeaderKey, as echo-basic's r.Header holds the names.
test("header names in Go's canonical form", () => {
  assert.equal(canonicalHeader("x-forwarded-for"), "X-Forwarded-For");
  assert.equal(canonicalHeader("USER-AGENT"), "User-Agent");
  assert.equal(canonicalHeader("x-envoy-expected-rq-timeout-ms"), "X-Envoy-Expected-Rq-Timeout-Ms");
});
