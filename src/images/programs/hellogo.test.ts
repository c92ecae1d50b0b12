import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { rfc1123, validJWT } from "./hellogo.ts";

const jwt = (claims: object, key = "secret"): string => {
  const h = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const c = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${h}.${c}.${createHmac("sha256", key).update(`${h}.${c}`).digest("base64url")}`;
};

test("hello-go-gke: Go's RFC1123 time; a JWT signed with \"secret\" and not expired", () => {
  assert.equal(rfc1123(Date.UTC(2016, 3, 25, 19, 16, 41)), "Mon, 25 Apr 2016 19:16:41 UTC");
  const req = (auth?: string, path = "/secure") => ({ method: "GET", path, port: 80, headers: (auth ? { Authorization: auth } : {}) as Record<string, string> });
  const now = Date.UTC(2024, 0, 1);
  assert.equal(validJWT(req(), now), false);
  assert.equal(validJWT(req(`Bearer ${jwt({ user: "a" })}`), now), true);
  assert.equal(validJWT(req(undefined, `/secure?access_token=${jwt({})}`), now), true);
  assert.equal(validJWT(req(`Bearer ${jwt({}, "other")}`), now), false);
  assert.equal(validJWT(req(`Bearer ${jwt({ exp: now / 1000 - 1 })}`), now), false);
  assert.equal(validJWT(req("Bearer x.y"), now), false);
});

test("hello-go-gke: {\"message\":\"Hello\"} on port 80, /version, /secure, the health port, its start and stop logs", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: hello
    image: gcr.io/google-samples/hello-go-gke:1.0
`);
  await c.advance("10s");
  const ip = c.api.get("Pod", "default", "hello")!.status!.podIP;
  const get = (url: string) => {
    const o = requestAndWait(c.ctx, url).outcome;
    if (!o.ok) throw new Error(o.error);
    return [o.status, o.body];
  };
  assert.deepEqual(get(`http://${ip}/`), [200, '{"message":"Hello"}\n']);
  assert.deepEqual(get(`http://${ip}/anything`), [200, '{"message":"Hello"}\n']);
  assert.deepEqual(get(`http://${ip}/version`), [200, '{"version":"1.0.0"}\n']);
  assert.deepEqual(get(`http://${ip}/secure`), [401, "authorization failed\n"]);
  assert.deepEqual(get(`http://${ip}:81/healthz`), [200, ""]);
  assert.deepEqual(get(`http://${ip}:81/readiness/status`), [200, ""]);
  assert.deepEqual(get(`http://${ip}:81/readiness`), [503, ""]);
  const logs = (await c.kubectl("logs hello")).stdout;
  assert.match(logs, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Starting server\.\.\.\n.* Health service listening on 0\.0\.0\.0:81\n.* HTTP service listening on 0\.0\.0\.0:80\n$/);
  await c.kubectl("delete pod hello --wait=false");
  await c.advance("2s");
  assert.equal(c.api.get("Pod", "default", "hello"), undefined);
  await c.close();
});
