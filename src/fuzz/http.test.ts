/**
 * Bounded fuzzing of the API facade's HTTP surface (CI; `npm run fuzz` runs it longer with
 * FUZZ_RUNS): generated methods, paths, query strings, headers and bodies, with and without the
 * token, and WebSocket exec sessions fed generated frames. Properties: every request gets an answer
 * (no crash, no hang); a request that is refused, or only reads, changes no object; the server
 * answers and holds every object it should at the end.
 */
import { test, type TestContext } from "node:test";
import { closing } from "../server/testutil.ts";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect } from "node:tls";
import { request } from "node:https";
import fc from "fast-check";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "../server/apiserver.ts";
import { setErrorReporter } from "../server/panicrecovery.ts";
import { encodeFrame } from "../server/websocket.ts";
import { count, storeSnapshot } from "./properties.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? 23 : Number(process.env.FUZZ_SEED);

const SEED_OBJECTS = `apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team, labels: {app: web}}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: team}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team, labels: {app: web}}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: kubetm/app}]}
`;

const segment = fc.oneof(
  fc.constantFrom("api", "apis", "v1", "apps", "namespaces", "team", "default", "nope", "pods", "configmaps", "secrets", "deployments", "nodes", "services", "events", "web", "api", "settings", "db", "k8s-node1", "status", "scale", "log", "exec", "binding", "eviction", "watch", "proxy", "kube-scenario", "now", "advance", "reset", "openapi", "version", "healthz", ".", "..", "", "%2e%2e", "%00", "%2F"),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 8 }).map((s) => encodeURIComponent(s)),
);
const path = fc.oneof(
  { weight: 3, arbitrary: fc.array(segment, { minLength: 1, maxLength: 7 }).map((parts) => "/" + parts.join("/")) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("/api/v1", "/apis/apps/v1", "/apis/batch/v1", "/apis/authorization.k8s.io/v1"), fc.option(fc.constantFrom("team", "default", "nope", "kube-system"), { nil: undefined }), fc.constantFrom("pods", "configmaps", "secrets", "deployments", "jobs", "nodes", "namespaces", "selfsubjectaccessreviews"), fc.option(fc.constantFrom("web", "settings", "db", "api", "k8s-node1", "team", "x"), { nil: undefined }), fc.option(fc.constantFrom("status", "scale", "log", "exec", "binding", "eviction", "attach"), { nil: undefined }))
      .map(([gv, ns, r, name, sub]) => [gv, ns ? `namespaces/${ns}` : "", r, name ?? "", name && sub ? sub : ""].filter(Boolean).join("/").replace(/^\/?/, "/")),
  },
  { weight: 1, arbitrary: fc.constantFrom("/", "/version", "/healthz", "/api", "/apis", "/openapi/v3", "/openapi/v3/api/v1", "/kube-scenario/v1/now", "/kube-scenario/v1/reset", "/kube-scenario/v1/reset-anything", "/kube-scenario/v1/advance") },
);
const queryValue = fc.oneof(fc.constantFrom("true", "1", "false", "True", "t", "abc", "-1", "0", "2147484000", "All", "Strict", "Ignore", "app=web", "app in (web)", "metadata.name=web", "status.phase!=Running", "5s", "1h", "10", "Table", ""), fc.string({ maxLength: 20 }));
const query = fc
  .array(fc.tuple(fc.constantFrom("watch", "labelSelector", "fieldSelector", "timeoutSeconds", "dryRun", "fieldValidation", "fieldManager", "force", "limit", "continue", "resourceVersion", "duration", "ms", "container", "command", "stdout", "tailLines", "gracePeriodSeconds", "propagationPolicy", "x"), queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length ? "?" + new URLSearchParams(pairs).toString() : ""));
const method = fc.oneof({ weight: 8, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE") }, { weight: 1, arbitrary: fc.constantFrom("HEAD", "OPTIONS", "TRACE", "PROPFIND", "CONNECT") });
const contentType = fc.option(
  fc.constantFrom("application/json", "application/yaml", "application/vnd.kubernetes.protobuf", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "", ";;;"),
  { nil: undefined },
);
const k8sish = fc.record(
  {
    apiVersion: fc.constantFrom("v1", "apps/v1", "batch/v1", "x/y", ""),
    kind: fc.constantFrom("Pod", "ConfigMap", "Secret", "Deployment", "Namespace", "Scale", "Binding", "Eviction", "Nope"),
    metadata: fc.record({ name: fc.constantFrom("web", "settings", "db", "api", "new", "", "Bad_Name"), namespace: fc.constantFrom("team", "default", "other"), labels: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }) }, { requiredKeys: [] }),
    spec: fc.anything({ maxDepth: 3 }),
    data: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
const body = fc.option(
  fc.oneof(
    k8sish.map((o) => JSON.stringify(o)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.constantFrom("", "{", "[]", "null", "{}", '{"metadata":{"name":"x"}}', "kind: Pod\nmetadata: {name: y}\n", '[{"op":"remove","path":"/metadata"}]', '{"spec":{"replicas":"many"}}'),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
  ),
  { nil: undefined },
);
const extraHeaders = fc.record(
  {
    accept: fc.constantFrom("application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/vnd.kubernetes.protobuf", "*/*", "text/html"),
    origin: fc.constantFrom("https://attacker.example", "http://localhost:3000", "null"),
    "x-forwarded-for": fc.constantFrom("1.2.3.4"),
    upgrade: fc.constantFrom("websocket", "h2c", "SPDY/3.1"),
  },
  { requiredKeys: [] },
);
const auth = fc.constantFrom("token", "token", "token", "none", "wrong", "basic");
const host = fc.constantFrom("loopback", "loopback", "loopback", "localhost", "evil");

interface Case {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  body: string | undefined;
  headers: Record<string, string>;
  auth: string;
  host: string;
}
// An advance runs as long as the span takes (the generated ms=2147484000 is 24 days): the time
// control gets short spans, or malformed ones.
const shortSpans = (c: Case): Case => {
  if (!c.path.startsWith("/kube-scenario/v1/advance")) return c;
  const q = new URLSearchParams(c.query.slice(1));
  for (const k of ["ms", "duration"]) {
    const v = q.get(k);
    if (v !== null && (/^\d/.test(v) || /[0-9][hd]/.test(v))) q.set(k, k === "ms" ? "250" : "5s");
  }
  const text = q.toString();
  return { ...c, query: text ? `?${text}` : "" };
};
const httpCase: fc.Arbitrary<Case> = fc.record({ method, path, query, contentType, body, headers: extraHeaders, auth, host }).map(shortSpans);

function send(s: RunningServer, c: Case): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(s.url);
    const headers: Record<string, string> = { ...c.headers };
    delete headers.upgrade; // (WebSocket upgrades are fuzzed below, with frames)
    if (c.auth === "token") headers.authorization = `Bearer ${s.token}`;
    else if (c.auth === "wrong") headers.authorization = "Bearer wrong-token-wrong-token";
    else if (c.auth === "basic") headers.authorization = "Basic YWRtaW46YWRtaW4=";
    if (c.contentType !== undefined) headers["content-type"] = c.contentType;
    if (c.host !== "loopback") headers.host = c.host === "evil" ? `attacker.example:${u.port}` : `localhost:${u.port}`;
    const req = request({ host: u.hostname, port: u.port, method: c.method, path: c.path + c.query, headers, ca: s.caPEM, checkServerIdentity: () => undefined, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      // A stream (a watch, logs: chunked, no length): its start is enough to know it answered.
      // Answers with a length (an advance too) are read to their end.
      const streaming = res.headers["content-length"] === undefined && c.method !== "HEAD";
      const done = globalThis.setTimeout(
        () => {
          res.destroy();
          resolve(status);
        },
        streaming ? 150 : 20_000,
      );
      res.on("data", () => undefined);
      res.on("end", () => {
        globalThis.clearTimeout(done);
        resolve(status);
      });
      res.on("error", () => {
        globalThis.clearTimeout(done);
        resolve(status);
      });
    });
    // The answer to CONNECT comes as a 'connect' event (Node's client takes any status there as the tunnel's).
    req.on("connect", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(20_000, () => {
      req.destroy();
      reject(new Error(`no answer within 20 s to ${c.method} ${c.path}${c.query}`));
    });
    req.on("error", (e) => reject(new Error(`${c.method} ${c.path}${c.query}: ${e.message}`)));
    req.end(c.body);
  });
}

async function withFuzzServer(t: TestContext, fn: (s: RunningServer, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster({ seed: 5 });
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  cluster.applySync(SEED_OBJECTS);
  cluster.advanceSync(20_000);
  const s = await serve(cluster, { reset: () => cluster });
  const reported: string[] = [];
  const restore = setErrorReporter((where, e) => reported.push(`${where}: ${(e as Error)?.message}`));
  await closing(
    t,
    async () => {
      restore();
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(s, cluster);
      if (reported.length) console.log(`# fuzz http: ${reported.length} handler errors answered 500 (first: ${reported[0]})`);
    },
  );
}

/** The objects that differ between two store snapshots (kind/namespace/name). */
function changes(before: string, after: string): string {
  const index = (snap: string) => new Map((JSON.parse(snap) as { kind?: string; metadata: { namespace?: string; name?: string } }[][]).flat().map((o) => [`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, JSON.stringify(o)]));
  const a = index(before);
  const b = index(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).map((k) => `${k} ${!a.has(k) ? "added" : !b.has(k) ? "removed" : "changed"}`).join(", ");
}

const readOnly = (c: Case) => c.method === "GET" || c.method === "HEAD" || c.method === "OPTIONS";

test(`fuzz: ${RUNS} generated HTTP requests get an answer, and refused or read-only ones change no object`, { timeout: 600_000 }, async (t) => {
  await withFuzzServer(t, async (s, cluster) => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(httpCase, async (c) => {
        tried++;
        cluster.clock.settle();
        const before = storeSnapshot(cluster);
        const t0 = performance.now();
        if (process.env.FUZZ_DEBUG) console.log(`# fuzz http: sending ${JSON.stringify(c)}`);
        const status = await send(s, c).catch((e) => {
          console.log(`# fuzz http: ${(e as Error).message}`);
          throw e;
        });
        assert.ok(status >= 100 && status < 600, `status ${status}`);
        if (process.env.FUZZ_DEBUG) console.log(`# fuzz http: ${(performance.now() - t0).toFixed(0)} ms ${status} ${c.method} ${c.path}${c.query}`);
        cluster.clock.settle();
        const timeMoves = c.path.startsWith("/kube-scenario/") && c.method === "POST";
        if (!timeMoves && (status >= 400 || (readOnly(c) && status < 300))) {
          const after = storeSnapshot(cluster);
          if (after !== before) assert.fail(`${c.method} ${c.path}${c.query} answered ${status} and changed objects: ${changes(before, after)}`);
        }
        if (c.auth !== "token" && !["/version", "/healthz", "/livez", "/readyz"].includes(c.path)) assert.ok(status === 401 || status === 403 || status === 400 || status === 404, `${c.method} ${c.path} without the token answered ${status}`);
        if (c.host === "evil") assert.equal(status, 403);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    count("http requests", tried);
    // Still serving, still holding what nothing deleted.
    const r = await send(s, { method: "GET", path: "/api/v1/namespaces/kube-system/pods", query: "", contentType: undefined, body: undefined, headers: {}, auth: "token", host: "loopback" });
    assert.equal(r, 200);
    assert.ok(cluster.api.get("Node", undefined, "k8s-node1"));
  });
});

// ---- WebSocket frames -----------------------------------------------------------------------

const frame = fc.record({
  fin: fc.boolean(),
  opcode: fc.constantFrom(0x0, 0x1, 0x2, 0x2, 0x2, 0x8, 0x9, 0xa, 0x3, 0xf),
  channel: fc.constantFrom(0, 0, 0, 1, 3, 4, 255),
  payload: fc.uint8Array({ maxLength: 64 }),
  masked: fc.boolean(),
  lie: fc.constantFrom(undefined, undefined, undefined, 126, 65535, 2 ** 31, 2 ** 53 - 1),
});
type Frame = typeof frame extends fc.Arbitrary<infer F> ? F : never;

function frameBytes(f: Frame): Buffer {
  const payload = Buffer.concat([Buffer.from([f.channel]), Buffer.from(f.payload)]);
  const plain = encodeFrame(f.opcode, payload, f.fin);
  const head = Buffer.from(plain.subarray(0, plain.length - payload.length));
  if (f.lie !== undefined) {
    // A header announcing another length than what follows.
    const lied = Buffer.alloc(10);
    lied[0] = head[0]!;
    lied[1] = 127;
    lied.writeBigUInt64BE(BigInt(f.lie), 2);
    return Buffer.concat([lied, payload]);
  }
  if (!f.masked) return plain;
  const mask = randomBytes(4);
  head[1] = head[1]! | 0x80;
  return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!))]);
}

test(`fuzz: ${Math.ceil(RUNS / 5)} WebSocket exec sessions fed generated frames end cleanly; the server goes on`, { timeout: 600_000 }, async (t) => {
  await withFuzzServer(t, async (s, cluster) => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 8 }), fc.boolean(), async (frames, stdin) => {
        tried++;
        const u = new URL(s.url);
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: u.hostname, port: Number(u.port), ca: s.caPEM });
          socket.on("error", () => resolve());
          const end = globalThis.setTimeout(() => {
            socket.destroy();
            resolve();
          }, 3000);
          socket.on("close", () => {
            globalThis.clearTimeout(end);
            resolve();
          });
          socket.once("secureConnect", () => {
            socket.write(
              `GET /api/v1/namespaces/team/pods/web/exec?command=cat&stdout=true${stdin ? "&stdin=true" : ""} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`,
            );
            for (const f of frames) socket.write(frameBytes(f));
            socket.end();
          });
          socket.on("data", () => undefined);
          void reject;
        });
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED },
    );
    count("websocket sessions", tried);
    cluster.clock.settle();
    const status = await send(s, { method: "GET", path: "/api/v1/namespaces/team/pods/web", query: "", contentType: undefined, body: undefined, headers: {}, auth: "token", host: "loopback" });
    assert.equal(status, 200);
  });
});
