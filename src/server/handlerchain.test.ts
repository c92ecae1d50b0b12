/**
 * The filters in front of the handlers, through real HTTPS requests to a served cluster: Host and
 * Origin checks, the bearer token, Content-Type, body size, the in-flight limit, errors that must
 * not end the process, and the exact control paths. (The real kubectl's view of the same is in
 * facade.kubectl.test.ts.)
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer, type ServeOptions } from "./apiserver.ts";
import { setErrorReporter } from "./panicrecovery.ts";
import { rawRequest, clientFetch, closing } from "./testutil.ts";

const CM = (name: string) => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "b" } });

async function withServer(t: TestContext, opts: ServeOptions, fn: (s: RunningServer, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  const s = await serve(cluster, opts);
  await closing(
    t,
    async () => {
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(s, cluster);
    },
  );
}

const auth = (s: RunningServer) => ({ authorization: `Bearer ${s.token}` });

test("the server speaks HTTPS with a certificate for loopback, and a token generated at start", async (t) => {
  await withServer(t, {}, async (s) => {
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(s.token!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(s.caPEM!, /^-----BEGIN CERTIFICATE-----/);
    const kc = s.kubeconfig();
    assert.match(kc, /certificate-authority-data: [A-Za-z0-9+/=]+\n/);
    assert.match(kc, new RegExp(`token: ${s.token}\\n`));
    assert.doesNotMatch(kc, /insecure-skip-tls-verify/);
  });
  // Each server its own token.
  const tokens = new Set<string>();
  for (let i = 0; i < 3; i++) await withServer(t, {}, async (s) => void tokens.add(s.token!));
  assert.equal(tokens.size, 3);
});

test("without the token: 401 Unauthorized, except the public /version, /healthz, /livez, /readyz; a wrong token is 401 everywhere", async (t) => {
  await withServer(t, {}, async (s, cluster) => {
    const none = await rawRequest(s, { path: "/api/v1/namespaces/default/pods" });
    assert.equal(none.status, 401);
    assert.deepEqual(JSON.parse(none.text), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    const post = await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { "content-type": "application/json" }, body: CM("x") });
    assert.equal(post.status, 401);
    assert.equal(cluster.api.get("ConfigMap", "default", "x"), undefined);
    for (const path of ["/version", "/healthz", "/livez", "/readyz"]) assert.equal((await rawRequest(s, { path })).status, 200, path);
    assert.equal((await rawRequest(s, { path: "/version", headers: { authorization: "Bearer wrong" } })).status, 401);
    assert.equal((await rawRequest(s, { path: "/kube-scenario/v1/now" })).status, 401);
    assert.equal((await rawRequest(s, { method: "POST", path: "/kube-scenario/v1/advance?duration=1h" })).status, 401);
    assert.equal((await rawRequest(s, { path: "/api/v1/namespaces/default/pods", headers: auth(s) })).status, 200);
    assert.equal((await rawRequest(s, { path: "/api/v1/namespaces/default/pods", headers: { authorization: `bearer  ${s.token}` } })).status, 200);
  });
});

test("--insecure-no-auth: plain HTTP on loopback, no token in the kubeconfig", async (t) => {
  await withServer(t, { token: false }, async (s) => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(s.token, undefined);
    assert.match(s.kubeconfig(), /user: \{\}/);
    assert.equal((await rawRequest(s, { path: "/api/v1/namespaces/default/pods" })).status, 200);
  });
  await assert.rejects(serve(new Cluster(), { host: "0.0.0.0" }), /loopback only/);
});

for (const tls of [true, false]) {
  test(`Host headers other than loopback names and allowed hosts are refused (DNS rebinding), over ${tls ? "HTTPS" : "plain HTTP (--insecure-no-auth)"}`, async (t) => {
    await withServer(t, { allowedHosts: ["devbox.internal"], token: tls ? undefined : false }, async (s, cluster) => {
      cluster.applySync("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n");
      const port = new URL(s.url).port;
      const h = (host: string) => ({ ...(tls ? auth(s) : {}), host });
      // A page on a rebinding name sends that name as Host (a browser over HTTPS would also fail the certificate).
      const rebound = await rawRequest(s, { path: "/api/v1/namespaces/default/secrets", headers: h(`attacker.example:${port}`), insecureHostname: true });
      assert.equal(rebound.status, 403);
      assert.doesNotMatch(rebound.text, /hunter2|aHVudGVyMg/);
      assert.match(JSON.parse(rebound.text).message, /Host "attacker\.example:\d+" is not one \(start kube-scenario serve with --allowed-host attacker\.example to allow it\)/);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, `devbox.internal:${port}`, "127.1.2.3"]) {
        assert.equal((await rawRequest(s, { path: "/api/v1/namespaces/default/secrets", headers: h(host), insecureHostname: true })).status, 200, host);
      }
      for (const host of ["localhost.attacker.example", "127.0.0.1.nip.io", "[::2]"]) {
        assert.equal((await rawRequest(s, { path: "/version", headers: { host }, insecureHostname: true })).status, 403, host);
      }
      // `@` is no host byte (httpguts.ValidHostHeader): Go's net/http refuses it before any handler.
      const at = await rawRequest(s, { path: "/version", headers: { host: "evil@localhost" }, insecureHostname: true });
      assert.deepEqual([at.status, at.text], [400, "400 Bad Request: malformed Host header"]);
    });
  });
}

test("Origin: cross-site requests to /kube-scenario/ and WebSocket upgrades are refused; loopback origins pass", async (t) => {
  await withServer(t, { reset: () => new Cluster() }, async (s, cluster) => {
    const before = cluster.clock.nowRFC3339();
    const evil = await rawRequest(s, { method: "POST", path: "/kube-scenario/v1/advance?duration=1h", headers: { ...auth(s), origin: "https://attacker.example" } });
    assert.equal(evil.status, 403);
    assert.match(JSON.parse(evil.text).message, /refuses cross-site requests to this endpoint: Origin "https:\/\/attacker\.example"/);
    assert.equal(cluster.clock.nowRFC3339(), before);
    assert.equal((await rawRequest(s, { method: "POST", path: "/kube-scenario/v1/reset", headers: { ...auth(s), origin: "null" } })).status, 403);
    const local = await rawRequest(s, { method: "POST", path: "/kube-scenario/v1/advance?duration=5s", headers: { ...auth(s), origin: "http://localhost:3000" } });
    assert.equal(local.status, 200);
    const ws = await rawRequest(s, {
      path: "/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true",
      headers: { ...auth(s), origin: "https://attacker.example", connection: "Upgrade", upgrade: "websocket", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13", "sec-websocket-protocol": "v5.channel.k8s.io" },
    });
    assert.equal(ws.status, 403);
    assert.match(JSON.parse(ws.text).message, /Origin "https:\/\/attacker\.example"/);
    // Without the token an upgrade is refused as well.
    const anon = await rawRequest(s, { path: "/api/v1/namespaces/default/pods/p/exec?command=ls", headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-key": "x", "sec-websocket-version": "13" } });
    assert.equal(anon.status, 401);
  });
});

test("415 for content types the API server does not decode: a cross-site text/plain or form POST creates nothing", async (t) => {
  await withServer(t, { token: false }, async (s, cluster) => {
    for (const type of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/secrets", headers: { "content-type": type }, body: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "planted" } }) });
      assert.equal(r.status, 415, type);
      assert.deepEqual(JSON.parse(r.text), {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
        reason: "UnsupportedMediaType",
        code: 415,
      });
    }
    assert.equal(cluster.api.get("Secret", "default", "planted"), undefined);
    // A simple cross-site POST to the time control (no body) is stopped by the Origin check.
    assert.equal((await rawRequest(s, { method: "POST", path: "/kube-scenario/v1/advance", headers: { "content-type": "text/plain", origin: "http://attacker.example" } })).status, 403);
    const patch = await rawRequest(s, { method: "PATCH", path: "/api/v1/nodes/k8s-node1", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(patch.status, 415);
    assert.equal(
      JSON.parse(patch.text).message,
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
    );
    // JSON, with or without parameters, and no Content-Type at all (taken as JSON) are decoded.
    const ok = await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { "content-type": "application/json; charset=utf-8" }, body: CM("a") });
    assert.equal(ok.status, 201);
    assert.equal((await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", body: CM("b") })).status, 201);
  });
});

test("bodies over 3 MiB: 413 with the API server's text, from Content-Length or while a chunked body streams; the server goes on", async (t) => {
  await withServer(t, {}, async (s, cluster) => {
    const big = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data: { a: "x".repeat(3 * 1024 * 1024) } });
    const r = await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { ...auth(s), "content-type": "application/json" }, body: big });
    assert.equal(r.status, 413);
    assert.deepEqual(JSON.parse(r.text), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Request entity too large: limit is 3145728", reason: "RequestEntityTooLarge", code: 413 });
    async function* endless(): AsyncIterable<Buffer> {
      const chunk = Buffer.alloc(1 << 20, 0x20);
      for (let i = 0; i < 64; i++) yield chunk; // 64 MiB, chunked (no Content-Length)
    }
    const chunked = await rawRequest(s, { method: "PUT", path: "/api/v1/namespaces/default/configmaps/big", headers: { ...auth(s), "content-type": "application/json", "transfer-encoding": "chunked" }, body: endless() });
    assert.equal(chunked.status, 413);
    assert.equal(cluster.api.get("ConfigMap", "default", "big"), undefined);
    // Exactly 3 MiB is taken (and then refused for what it is, not for its size).
    const exact = "x".repeat(3 * 1024 * 1024);
    assert.notEqual((await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { ...auth(s), "content-type": "application/json" }, body: exact })).status, 413);
    assert.equal((await clientFetch(s)("/api/v1/namespaces/default/configmaps", { method: "POST", body: CM("after") })).status, 201);
  });
});

test("objects over the store's limit (etcd's 1.5 MiB request) are refused with etcd's message, as a 500", async (t) => {
  await withServer(t, {}, async (s, cluster) => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "fat" }, spec: { containers: [{ name: "c", image: "busybox", env: [{ name: "BLOB", value: "x".repeat(1600 * 1024) }] }] } };
    const r = await clientFetch(s)("/api/v1/namespaces/default/pods", { method: "POST", body: JSON.stringify(pod) });
    assert.equal(r.status, 500);
    assert.deepEqual(await r.json(), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "etcdserver: request is too large", code: 500 });
    assert.equal(cluster.api.get("Pod", "default", "fat"), undefined);
    // The in-process kubectl says what the real one says for it.
    const inProcess = cluster.kubectlSync(["create", "-f", "-"], JSON.stringify(pod));
    assert.equal(inProcess.stderr, 'Error from server: error when creating "STDIN": etcdserver: request is too large\n');
  });
});

test("no handler error ends the process: each is a 500 Status, and the server keeps serving with every object", async (t) => {
  const reported: string[] = [];
  const restore = setErrorReporter((where) => reported.push(where));
  try {
    await withServer(t, {}, async (s, cluster) => {
      const f = clientFetch(s);
      for (let i = 0; i < 5; i++) assert.equal((await f("/api/v1/namespaces/default/configmaps", { method: "POST", body: CM(`cm-${i}`) })).status, 201);
      cluster.api.registerAdmission({
        name: "Faulty",
        validate(obj) {
          if (obj.metadata.name === "boom") throw new TypeError("Cannot read properties of undefined (reading 'spec')");
        },
      });
      const r = await f("/api/v1/namespaces/default/configmaps", { method: "POST", body: CM("boom") });
      assert.equal(r.status, 500);
      const status = (await r.json()) as { kind: string; code: number; message: string };
      assert.equal(status.kind, "Status");
      assert.match(status.message, /Cannot read properties of undefined/);
      assert.deepEqual(reported, ["POST /api/v1/namespaces/default/configmaps"]);
      const list = (await (await f("/api/v1/namespaces/default/configmaps")).json()) as { items: unknown[] };
      assert.equal(list.items.length, 6, "the five and kube-root-ca.crt");
      assert.equal((await f("/version")).status, 200);
    });
  } finally {
    restore();
  }
});

test("the in-flight limit: one request over it is answered 429 with Retry-After at once; long-running ones are not counted", async (t) => {
  await withServer(t, { maxRequestsInFlight: 2, maxMutatingRequestsInFlight: 1 }, async (s) => {
    // A create whose body is still coming holds the only mutating slot.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    async function* slow(): AsyncIterable<Buffer> {
      yield Buffer.from(CM("slow").slice(0, 10));
      await held;
      yield Buffer.from(CM("slow").slice(10));
    }
    const first = rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { ...auth(s), "content-type": "application/json", "transfer-encoding": "chunked" }, body: slow() });
    await new Promise((r) => setTimeout(r, 200));
    const second = await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { ...auth(s), "content-type": "application/json" }, body: CM("second") });
    assert.equal(second.status, 429);
    assert.equal(second.headers["retry-after"], "1");
    assert.equal(second.text, "Too many requests, please try again later.\n");
    // Reads have their own budget, and watches are not counted against it.
    const watches = [0, 1, 2].map(() => new AbortController());
    for (const w of watches) void clientFetch(s)("/api/v1/namespaces/default/pods?watch=true", { signal: w.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await rawRequest(s, { path: "/api/v1/namespaces/default/pods", headers: auth(s) })).status, 200);
    for (const w of watches) w.abort();
    release();
    assert.equal((await first).status, 201);
    assert.equal((await rawRequest(s, { method: "POST", path: "/api/v1/namespaces/default/configmaps", headers: { ...auth(s), "content-type": "application/json" }, body: CM("third") })).status, 201);
  });
});

test("the control endpoints are exact paths: /kube-scenario/v1/reset-anything is 404, a wrong method 405, a bad duration 400", async (t) => {
  await withServer(t, { reset: () => new Cluster() }, async (s, cluster) => {
    const f = clientFetch(s);
    for (const path of ["/kube-scenario/v1/reset-anything", "/kube-scenario/v1/resetx", "/kube-scenario/v1/advance/now", "/kube-scenario/v2/advance", "/kube-scenario/"]) {
      const r = await f(path, { method: "POST" });
      assert.equal(r.status, 404, path);
    }
    assert.equal(cluster.clock.nowRFC3339(), (await (await f("/kube-scenario/v1/now")).json() as { now: string }).now);
    assert.equal((await f("/kube-scenario/v1/advance?duration=1h")).status, 405);
    assert.equal((await f("/kube-scenario/v1/now", { method: "POST" })).status, 405);
    const bad = await f("/kube-scenario/v1/advance?duration=abc", { method: "POST" });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /invalid duration "abc"/);
    assert.equal((await f("/kube-scenario/v1/advance?ms=-5", { method: "POST" })).status, 400);
    const adv = await f("/kube-scenario/v1/advance?duration=90s", { method: "POST" });
    assert.equal(adv.status, 200);
    assert.equal(((await adv.json()) as { now: string }).now, cluster.clock.nowRFC3339());
  });
});

test("an idle keep-alive connection stays open past Node's 5 s default (the apiserver's 90 s), so a client's next request on it does not fail", async (t) => {
  await withServer(t, { token: false }, async (s) => {
    const { Agent, request } = await import("node:http");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(`${s.url}/version`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const first = await get();
      await new Promise((r) => setTimeout(r, 6_000));
      const second = await get();
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.equal(second.socket, first.socket, "the second request reused the idle connection");
    } finally {
      agent.destroy();
    }
  });
});

test("lists take turns: one per turn of the event loop, so work that arrives meanwhile runs between two lists", async () => {
  const { TurnQueue } = await import("./handlerchain.ts");
  const q = new TurnQueue();
  const order: string[] = [];
  const all = new Promise<void>((done) => {
    q.push(() => {
      order.push("list 1");
      // Something that arrives while list 1 runs (a create, in the server) is handled before list 2.
      setImmediate(() => order.push("create"));
    });
    q.push(() => order.push("list 2"));
    q.push(() => {
      order.push("list 3");
      done();
    });
  });
  assert.equal(q.length, 3);
  assert.deepEqual(order, [], "nothing runs in the turn that queued it");
  await all;
  assert.deepEqual(order, ["list 1", "create", "list 2", "list 3"]);
  assert.equal(q.length, 0);
  // An item that throws does not stop the ones after it.
  const reported: string[] = [];
  const restore = setErrorReporter((where, e) => reported.push(`${where}: ${(e as Error).message}`));
  try {
    const after = new Promise<string>((r) => {
      q.push(() => {
        throw new Error("boom");
      });
      q.push(() => r("ran"));
    });
    assert.equal(await after, "ran");
    assert.deepEqual(reported, ["a request waiting its turn: boom"]);
  } finally {
    restore();
  }
});
