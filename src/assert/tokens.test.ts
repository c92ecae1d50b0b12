import { test } from "node:test";
import assert from "node:assert/strict";
import { generateToken } from "../api/serviceaccount/jwt.ts";
import { checkTokenClaims, checkTokenLifetime, tokenClaims } from "./tokens.ts";

const token = generateToken({ aud: ["vault"], exp: 7300, iat: 100, nbf: 100, "kubernetes.io": { namespace: "default", serviceaccount: { name: "build-robot", uid: "u" } }, sub: "system:serviceaccount:default:build-robot" });

test("checkTokenClaims: a subset of the claims, objects key by key, arrays and values exactly", () => {
  assert.equal(checkTokenClaims(token, '{"sub": "system:serviceaccount:default:build-robot", "kubernetes.io": {"serviceaccount": {"name": "build-robot"}}}'), undefined);
  assert.equal(checkTokenClaims(`${token}\n`, '{"aud": ["vault"]}'), undefined);
  assert.match(checkTokenClaims(token, '{"aud": ["vault", "x"]}')!, /^aud is \["vault"\], not \["vault","x"\]/);
  assert.match(checkTokenClaims(token, '{"kubernetes.io": {"pod": {"name": "p"}}}')!, /^kubernetes\.io\.pod is missing/);
  assert.match(checkTokenClaims("hello", "{}")!, /is not a JSON Web Token/);
  assert.throws(() => checkTokenClaims(token, "[1]"), /must be a JSON object/);
  assert.throws(() => checkTokenClaims(token, "{"), /not JSON/);
});

test("checkTokenLifetime: exp - iat, nbf = iat", () => {
  assert.equal(checkTokenLifetime(token, 7_200_000), undefined);
  assert.match(checkTokenLifetime(token, 3_600_000)!, /valid for 7200s \(exp 7300 - iat 100\), not 3600s/);
  assert.match(checkTokenLifetime(generateToken({ iat: 1, exp: 2, nbf: 0 }), 1000)!, /nbf \(0\) is not its iat \(1\)/);
  assert.ok("problem" in tokenClaims("a.b.c"));
});
