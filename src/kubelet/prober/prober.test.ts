import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import type { Process, ProcessIO, Signal } from "../../runtime/types.ts";
import { clusterNetwork } from "../../network/network.ts";
import { AppProcess } from "../../images/apps/model.ts";
import { kubetmAppSpec } from "../../images/apps/kubetm-app.ts";
import { Prober, expandStatic, type ProberHost, type ProbeType } from "./prober.ts";
import { probeHeaders, probeURL, httpOutcomeToProbe } from "./probe/http.ts";
import type { Result } from "./results/results_manager.ts";

/** A process that exits with `code` after `ms`, printing `out`. */
class FakeProcess implements Process {
  killed: Signal[] = [];
  constructor(
    private readonly c: Cluster,
    private readonly code: number,
    private readonly ms: number,
    private readonly print: (t: string) => void,
    private readonly out: string,
  ) {}
  start(onExit: (code: number) => void): void {
    this.c.clock.setTimeout(() => {
      if (this.killed.length) return;
      this.print(this.out);
      onExit(this.code);
    }, this.ms);
  }
  kill(s: Signal): void {
    this.killed.push(s);
  }
}

function setup() {
  const c = new Cluster();
  c.api.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "pod-liveness-httpget1", namespace: "default" },
    spec: { nodeName: "k8s-node1", containers: [{ name: "liveness", image: "kubetm/app", ports: [{ name: "http", containerPort: 8080 }] }] },
  });
  const pod: KObject = c.api.mutate("Pod", "default", "pod-liveness-httpget1", (p) => (p.status = { phase: "Running", podIP: "10.244.1.5" }), { subresource: "status" });
  const execs: string[][] = [];
  let next: { code: number; ms: number; out: string } | Error = { code: 0, ms: 0, out: "" };
  const host: ProberHost = {
    nodeName: "k8s-node1",
    getPodStatus: () => undefined,
    execInContainer: (_p, _c, _id, argv, output) => {
      execs.push(argv);
      if (next instanceof Error) return next;
      return new FakeProcess(c, next.code, next.ms, output, next.out);
    },
  };
  const prober = new Prober(c.ctx, host);
  const run = (type: ProbeType, probe: any, container: any = pod.spec.containers[0]): { result: Result; err?: Error } => {
    let got: { result: Result; err?: Error } | undefined;
    prober.probe(type, pod, { podIP: "10.244.1.5" }, { ...container, [type === "Liveness" ? "livenessProbe" : type === "Readiness" ? "readinessProbe" : "startupProbe"]: probe }, "containerd://x", (result, err) => (got = err ? { result, err } : { result }));
    for (let i = 0; i < 20_000 && !got; i++) c.clock.advance(1);
    assert.ok(got, "the probe finished");
    return got!;
  };
  const events = () => c.api.list("Event").map((e) => `${e.type} ${e.reason} ${e.message}`);
  const startApp = () => {
    const app = new AppProcess(kubetmAppSpec(0), { clock: c.clock, hostname: "pod-liveness-httpget1" } as unknown as ProcessIO);
    app.start(() => {});
    clusterNetwork(c.ctx).attach(c.get("Pod", "pod-liveness-httpget1")!, "liveness", "10.244.1.5", app);
    return app;
  };
  return { c, pod, run, events, startApp, execs, setNext: (n: typeof next) => (next = n) };
}

test("httpGet: 200 succeeds, 500 fails with the kubelet's event text", () => {
  const t = setup();
  const app = t.startApp();
  const probe = { httpGet: { path: "/health", port: 8080 }, timeoutSeconds: 1 };
  assert.deepEqual(t.run("Liveness", probe), { result: "Success" });
  app.handle({ method: "GET", path: "/status500", port: 8080, headers: {} });
  assert.deepEqual(t.run("Liveness", probe), { result: "Failure" });
  t.c.clock.advance(10);
  const ev = t.c.api.list("Event");
  assert.equal(ev.length, 1);
  assert.equal(ev[0].reason, "Unhealthy");
  assert.equal(ev[0].type, "Warning");
  assert.equal(ev[0].message, "Liveness probe failed: HTTP probe failed with statuscode: 500");
  assert.equal(ev[0].involvedObject.fieldPath, "spec.containers{liveness}");
  assert.deepEqual(ev[0].source, { component: "kubelet", host: "k8s-node1" });
});

test("httpGet: connection refused before the app listens, named ports, unknown port names error", () => {
  const t = setup();
  assert.deepEqual(t.run("Readiness", { httpGet: { path: "/health", port: "http" } }), { result: "Failure" });
  assert.deepEqual(t.events(), ['Warning Unhealthy Readiness probe failed: Get "http://10.244.1.5:8080/health": dial tcp 10.244.1.5:8080: connect: connection refused']);
  const r = t.run("Readiness", { httpGet: { path: "/health", port: "metrics" } });
  assert.equal(r.result, "Failure");
  assert.match(r.err!.message, /couldn't find port: metrics/);
  assert.match(t.events()[1], /^Warning Unhealthy Readiness probe errored and resulted in unknown state: couldn't find port: metrics/);
});

test("httpGet: a slow answer past timeoutSeconds is a failure with Go's timeout text", () => {
  const t = setup();
  const app = new AppProcess({ ports: [8080], routes: { "/slow": { status: 200, delay: "3s" } } }, { clock: t.c.clock, hostname: "x" } as unknown as ProcessIO);
  app.start(() => {});
  clusterNetwork(t.c.ctx).attach(t.pod, "liveness", "10.244.1.5", app);
  assert.deepEqual(t.run("Liveness", { httpGet: { path: "/slow", port: 8080 }, timeoutSeconds: 2 }), { result: "Failure" });
  assert.deepEqual(t.events(), [
    'Warning Unhealthy Liveness probe failed: Get "http://10.244.1.5:8080/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  ]);
  assert.deepEqual(t.run("Liveness", { httpGet: { path: "/slow", port: 8080 }, timeoutSeconds: 4 }), { result: "Success" });
});

test("httpGet: 3xx is a success with a ProbeWarning event; HTTPS against plain HTTP fails", () => {
  assert.deepEqual(httpOutcomeToProbe("http://a:1/", { ok: true, status: 302, body: "moved" }), { result: "warning", output: "Probe terminated redirects, Response body: moved" });
  assert.deepEqual(httpOutcomeToProbe("http://a:1/", { ok: true, status: 399, body: "" }).result, "warning");
  assert.deepEqual(httpOutcomeToProbe("http://a:1/", { ok: true, status: 400, body: "" }), { result: "failure", output: "HTTP probe failed with statuscode: 400" });
  assert.deepEqual(httpOutcomeToProbe("http://a:1/", { ok: true, status: 199, body: "" }).result, "failure");
  const t = setup();
  t.startApp();
  assert.equal(t.run("Liveness", { httpGet: { path: "/health", port: 8080, scheme: "HTTPS" } }).result, "Failure");
  assert.deepEqual(t.events(), ['Warning Unhealthy Liveness probe failed: Get "https://10.244.1.5:8080/health": http: server gave HTTP response to HTTPS client']);
});

test("httpGet URL and headers", () => {
  assert.equal(probeURL("HTTP", "10.0.0.1", 8080, "health"), "http://10.0.0.1:8080/health");
  assert.deepEqual(probeHeaders([{ name: "x-custom", value: "a" }, { name: "user-agent", value: "mine" }]), { "User-Agent": "mine", Accept: "*/*", "X-Custom": "a" });
});

test("tcpSocket: refused, then open", () => {
  const t = setup();
  assert.equal(t.run("Liveness", { tcpSocket: { port: 8080 } }).result, "Failure");
  assert.deepEqual(t.events(), ["Warning Unhealthy Liveness probe failed: dial tcp 10.244.1.5:8080: connect: connection refused"]);
  t.startApp();
  assert.equal(t.run("Liveness", { tcpSocket: { port: "http" } }).result, "Success");
});

test("exec: exit 0 succeeds, other codes fail with the output, timeouts kill the command", () => {
  const t = setup();
  const probe = { exec: { command: ["cat", "/readiness/ready.txt"] }, timeoutSeconds: 1 };
  t.setNext({ code: 1, ms: 0, out: "cat: can't open '/readiness/ready.txt': No such file or directory\n" });
  assert.deepEqual(t.run("Readiness", probe), { result: "Failure" });
  assert.deepEqual(t.execs, [["cat", "/readiness/ready.txt"]]);
  assert.deepEqual(t.events(), ["Warning Unhealthy Readiness probe failed: cat: can't open '/readiness/ready.txt': No such file or directory\n"]);
  t.setNext({ code: 0, ms: 0, out: "" });
  assert.deepEqual(t.run("Readiness", probe), { result: "Success" });
  t.setNext({ code: 0, ms: 5_000, out: "" });
  assert.deepEqual(t.run("Liveness", { exec: { command: ["sleep", "5"] }, timeoutSeconds: 1 }), { result: "Failure" });
  assert.equal(t.events()[1], 'Warning Unhealthy Liveness probe failed: command "sleep 5" timed out');
  t.setNext(new Error("container has no shell"));
  assert.equal(t.run("Readiness", probe).err?.message, "container has no shell");
});

test("grpc: not listening is a connect timeout, a 200 health answer is SERVING", () => {
  const t = setup();
  assert.equal(t.run("Liveness", { grpc: { port: 9090 } }).result, "Failure");
  assert.deepEqual(t.events(), ['Warning Unhealthy Liveness probe failed: timeout: failed to connect service "10.244.1.5:9090" within 1s: context deadline exceeded']);
  const app = new AppProcess({ ports: [9090], routes: { "/grpc.health.v1.Health/Check": { status: 200 } } }, { clock: t.c.clock, hostname: "x" } as unknown as ProcessIO);
  app.start(() => {});
  clusterNetwork(t.c.ctx).attach(t.pod, "liveness", "10.244.1.5", app);
  assert.equal(t.run("Liveness", { grpc: { port: 9090 } }).result, "Success");
});

test("missing handler is a probe error", () => {
  const t = setup();
  const r = t.run("Readiness", { periodSeconds: 10 });
  assert.match(r.err!.message, /^missing probe handler for pod-liveness-httpget1_default\(.+\):liveness$/);
});

test("expandStatic: $(VAR) from literal env values, $$ escapes", () => {
  assert.equal(expandStatic("$(A)-$(B)-$$(A)", [{ name: "A", value: "1" }]), "1-$(B)-$(A)");
});
