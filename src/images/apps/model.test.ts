import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../sim/clock.ts";
import type { ProcessIO } from "../../runtime/types.ts";
import { AppProcess, validateAppSpec } from "./model.ts";
import { kubetmAppSpec } from "./kubetm-app.ts";
import { appCatalogue, appImage, imageRepository } from "./catalogue.ts";
import { Cluster } from "../../cluster.ts";

function run(spec: any, hostname = "pod-liveness-httpget1") {
  const clock = new SimClock();
  const io = { clock, hostname } as unknown as ProcessIO;
  const p = new AppProcess(spec, io);
  const exits: number[] = [];
  p.start((c) => exits.push(c));
  const get = (path: string, port = 8080) => p.handle({ method: "GET", path, port, headers: {} });
  return { clock, p, exits, get };
}

test("kubetm/app: listens on 8080 ten seconds after start", () => {
  const { clock, p } = run(kubetmAppSpec());
  assert.equal(p.listening(8080), false);
  clock.advance(9_999);
  assert.equal(p.listening(8080), false);
  clock.advance(1);
  assert.equal(p.listening(8080), true);
  assert.equal(p.listening(80), false);
});

test("kubetm/app routes: /hostname, /health toggled by /status500 and /status200, 404 elsewhere", () => {
  const { get } = run(kubetmAppSpec(0));
  assert.deepEqual(get("/hostname"), { status: 200, body: "pod-liveness-httpget1" });
  assert.equal(get("/health").status, 200);
  assert.equal(get("/status500").status, 200);
  assert.equal(get("/health").status, 500);
  assert.equal(get("/health?x=1").status, 500);
  assert.equal(get("/hostname").status, 200);
  get("/status200");
  assert.equal(get("/health").status, 200);
  assert.deepEqual(get("/nope"), { status: 404, body: "Cannot GET /nope" });
});

test("kubetm/app ignores SIGTERM and dies at SIGKILL with 137", () => {
  const { p, exits, clock } = run(kubetmAppSpec());
  p.kill("SIGTERM");
  clock.advance(60_000);
  assert.deepEqual(exits, []);
  p.kill("SIGKILL");
  assert.deepEqual(exits, [137]);
  assert.equal(p.listening(8080), false);
});

test("a declared server: its port at once, its route, exits 0 on SIGTERM as declared", () => {
  const { p, exits, clock } = run({ ports: [80], routes: { "/": { status: 200, body: "welcome" } }, onSigterm: { exitCode: 0 } });
  assert.equal(p.listening(80), true);
  const r = p.handle({ method: "GET", path: "/", port: 80, headers: {} });
  assert.equal(r.status, 200);
  assert.equal(r.body, "welcome");
  p.kill("SIGTERM");
  clock.settle();
  assert.deepEqual(exits, [0]);
});

test("declared behaviour over time: timeline, exit after, memory", () => {
  const { get, clock, exits, p } = run({
    ports: [8080],
    routes: { "/": { status: 200, timeline: [{ after: 0, status: 200, body: "ok" }, { after: "1m", status: 503, body: "overloaded" }] } },
    exitAfter: "2m",
    exitCode: 3,
    memory: [{ after: 0, bytes: "64Mi" }, { after: "90s", bytes: "1Gi" }],
  });
  assert.deepEqual(get("/"), { status: 200, body: "ok" });
  assert.equal(p.memoryBytes(), 64 * 1024 ** 2);
  clock.advance(60_000);
  assert.deepEqual(get("/"), { status: 503, body: "overloaded" });
  clock.advance(30_000);
  assert.equal(p.memoryBytes(), 1024 ** 3);
  clock.advance(30_000);
  assert.deepEqual(exits, [3]);
});

test("kept answers (issue #19): the same answers as the reference engine's through sets, timelines, queries and unknown paths", () => {
  const spec = {
    ports: [8080],
    routes: {
      "/health": { status: 200, body: "fine on {hostname}" },
      "/slow": { status: 200, body: "late", delay: "2s", cpu: "4ms" },
      "/break": { status: 200, body: "broken", sets: { "/health": { status: 500, body: "bad" }, "/nope": { status: 418, body: "teapot" } } },
      "/mend": { status: 200, body: "mended", sets: { "/health": { status: 200, body: "fine again" } } },
      "/": { status: 200, timeline: [{ after: 0, status: 200, body: "ok" }, { after: "30s", status: 503, body: "overloaded" }] },
    },
  };
  const kept = new AppProcess(spec, { clock: new SimClock(), hostname: "h" } as unknown as ProcessIO);
  const refClock = new SimClock();
  const plain = new AppProcess(spec, { clock: refClock, hostname: "h", reference: true } as unknown as ProcessIO);
  const keptClock = (kept as unknown as { io: ProcessIO }).io.clock;
  kept.start(() => {});
  plain.start(() => {});
  const paths = ["/health", "/health?x=1", "/slow", "/nope", "/", "/break", "/mend"];
  let x = 11;
  for (let i = 0; i < 300; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const path = paths[x % paths.length];
    const req = { method: "GET", path, port: 8080, headers: {} };
    assert.deepEqual(kept.handle(req), plain.handle(req), `request ${i}: ${path}`);
    if (x % 5 === 0) {
      keptClock.advance(1_000);
      refClock.advance(1_000);
    }
  }
  // A kept answer is the same object from one request to the next; a `sets` makes new ones.
  const h = { method: "GET", path: "/health", port: 8080, headers: {} };
  const first = kept.handle(h);
  assert.equal(kept.handle(h), first);
  kept.handle({ ...h, path: "/break" });
  assert.notEqual(kept.handle(h), first);
  assert.deepEqual(kept.handle(h), { status: 500, body: "bad" });
});

test("validation gives readable errors", () => {
  assert.throws(() => validateAppSpec({ ports: [0] }), /"ports" must list port numbers between 1 and 65535/);
  assert.throws(() => validateAppSpec({ binaries: "server" as never }), /"binaries" must list/);
  assert.doesNotThrow(() => validateAppSpec({ exitAfter: "5s" }), "ports are optional: a worker serves nothing");
  assert.throws(() => validateAppSpec({ ports: [80], startup: "soon" }), /invalid duration "soon"/);
  assert.throws(() => validateAppSpec({ ports: [80], routes: { x: { status: 200 } } }), /must start with "\/"/);
  assert.throws(() => validateAppSpec({ ports: [80], routes: { "/": { status: 99 } } }), /HTTP status code/);
  assert.throws(() => validateAppSpec({ ports: [80], memory: "lots" }), /invalid memory quantity/);
});

test("catalogue: per cluster, startup override, image names normalised", () => {
  assert.equal(imageRepository("docker.io/library/nginx:1.27"), "nginx");
  assert.equal(imageRepository("kubetm/app:v1"), "kubetm/app");
  assert.equal(imageRepository("localhost:5000/x/y:1"), "localhost:5000/x/y");
  const a = new Cluster();
  const b = new Cluster();
  appCatalogue(a.ctx).setStartup("kubetm/app", "20 seconds");
  assert.equal(appCatalogue(a.ctx).get("kubetm/app")!.spec.startup, 20_000);
  assert.equal(appCatalogue(b.ctx).get("kubetm/app")!.spec.startup, 10_000);
  assert.equal(appImage(a.ctx, "busybox"), undefined);
  assert.throws(() => appCatalogue(a.ctx).setStartup("busybox", "1s"), /not an application image/);
  appCatalogue(a.ctx).declare("myorg/web:2", { ports: [3000], startup: "3s" });
  const img = appImage(a.ctx, "myorg/web:2")!;
  assert.equal(img.repository, "myorg/web");
  const proc = img.launch({ pod: {} as any, container: { name: "web" }, io: { clock: a.clock, hostname: "w" } as unknown as ProcessIO });
  proc.start(() => {});
  a.clock.advance(3000);
  assert.equal(proc.app!.listening(3000), true);
});

test("cpu: CPU time per answer and idle cores, with clear errors", async () => {
  const { cpuTimeMs, cpuCores, validateAppSpec } = await import("./model.ts");
  assert.equal(cpuTimeMs("20ms"), 20);
  assert.equal(cpuTimeMs("1.5ms"), 1.5);
  assert.equal(cpuTimeMs("1s"), 1000);
  assert.equal(cpuCores("5m"), 0.005);
  assert.equal(cpuCores("0.5"), 0.5);
  assert.throws(() => validateAppSpec({ ports: [80], cpu: { perRequest: "fast" } }), /invalid CPU time "fast": write e.g. "20ms" or "1s"/);
  assert.throws(() => validateAppSpec({ ports: [80], cpu: { idle: "-1" } }), /invalid CPU amount "-1"/);
  assert.throws(() => validateAppSpec({ ports: [80], cpu: { burst: 1 } as never }), /"cpu" knows perRequest and idle, not "burst"/);
});
