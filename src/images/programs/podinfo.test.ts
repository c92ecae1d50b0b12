import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { clusterNetwork } from "../../network/network.ts";
import type { HttpOutcome } from "../../runtime/types.ts";
import { fmtContentLength, goIndentedJSON, podinfoRevision, podinfoVersion } from "./podinfo.ts";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-worker", cpu: "4" }]);
  return c;
}

/** A podinfo pod with these container fields (YAML flow), started and probed. */
function pod(c: Cluster, fields: string, image = "ghcr.io/stefanprodan/podinfo:6.14.1"): void {
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: podinfo}\nspec:\n  containers:\n  - name: podinfod\n    image: ${image}\n${fields}`);
  c.advanceSync(10_000);
}

function get(c: Cluster, path: string, method = "GET"): string {
  const ip = c.api.get("Pod", "default", "podinfo")!.status!.podIP;
  let o: HttpOutcome | undefined;
  clusterNetwork(c.ctx).send({ method, url: `http://${ip}:9898${path}`, timeoutMs: 10_000 }, (d) => (o = d.outcome));
  c.advanceSync(100);
  assert.ok(o, `no answer to ${method} ${path}`);
  return o.ok ? `${o.status} ${o.body}` : o.error;
}

test("Go's JSON as podinfo writes it: fields in order, <>& escaped, indented by two spaces, no final newline", () => {
  assert.equal(goIndentedJSON({ b: 1, a: ["x<y", "&"] }), '{\n  "b": 1,\n  "a": [\n    "x\\u003cy",\n    "\\u0026"\n  ]\n}');
  assert.equal(goIndentedJSON([]), "[]");
});

test("podcli's fmtContentLength: bytes below 1000, then kB, MB with one decimal", () => {
  assert.equal(fmtContentLength(0), "0 B");
  assert.equal(fmtContentLength(20), "20 B");
  assert.equal(fmtContentLength(999), "999 B");
  assert.equal(fmtContentLength(1500), "1.5 kB");
  assert.equal(fmtContentLength(2_500_000), "2.5 MB");
});

test("each release tag reports its version and the commit it was built at; latest is the model's release", () => {
  assert.equal(podinfoRevision("6.14.1"), "eec06d1ea459af4cb4e10e806f8be7c7bd58b361");
  assert.equal(podinfoVersion("6.14.0"), "6.14.0");
  assert.equal(podinfoVersion("latest"), "6.14.1");
  assert.equal(podinfoRevision("9.9.9"), undefined);
});

test("the image's CMD ./podinfo serves the web API on 9898 as the app user, and logs its start", () => {
  const c = cluster();
  pod(c, "");
  assert.equal(get(c, "/healthz"), '200 {\n  "status": "OK"\n}');
  assert.equal(get(c, "/readyz"), '200 {\n  "status": "OK"\n}');
  assert.equal(get(c, "/version"), '200 {\n  "commit": "eec06d1ea459af4cb4e10e806f8be7c7bd58b361",\n  "version": "6.14.1"\n}');
  const info = JSON.parse(get(c, "/").slice(4)) as Record<string, string>;
  assert.deepEqual(Object.keys(info), ["hostname", "version", "revision", "color", "logo", "message", "goos", "goarch", "runtime", "num_goroutine", "num_cpu"]);
  assert.equal(info.hostname, "podinfo");
  assert.equal(info.message, "greetings from podinfo v6.14.1");
  assert.equal(info.num_cpu, "4");
  assert.equal(get(c, "/status/503"), '503 {\n  "status": 503\n}');
  assert.equal(get(c, "/nope"), "404 404 page not found\n");
  assert.equal(get(c, "/version", "POST"), "405 ");
  assert.match(get(c, "/metrics"), /^501 kube-scenario: podinfo's \/metrics is not simulated/);
  assert.equal(c.kubectlSync("exec podinfo -- id").stdout, "uid=100(app) gid=101(app) groups=101(app)\n");
  const logs = c.kubectlSync("logs podinfo").stdout.split("\n").filter(Boolean);
  assert.equal(logs.length, 2);
  assert.match(logs[0]!, /^\{"level":"info","ts":"2024-01-08T00:00:\d\d\.\d{3}Z","caller":"podinfo\/main\.go:170","msg":"Starting podinfo","version":"6\.14\.1","revision":"eec06d1ea459af4cb4e10e806f8be7c7bd58b361","port":"9898"\}$/);
  assert.match(logs[1]!, /"caller":"http\/server\.go:273","msg":"Starting HTTP Server\.","addr":":9898"\}$/);
});

test("settings from PODINFO_* variables; a flag wins; a port that is no number gives way to the flag's default", () => {
  const c = cluster();
  pod(c, `    env:\n    - {name: PODINFO_UI_MESSAGE, value: "hello <you>"}\n    - {name: PODINFO_PORT, value: "tcp://10.96.0.9:9898"}\n    - {name: PODINFO_UI_COLOR, value: "#000000"}\n    command: [./podinfo, --ui-color=#ffffff]\n`);
  const info = JSON.parse(get(c, "/api/info").slice(4)) as Record<string, string>;
  assert.equal(info.message, "hello <you>");
  assert.equal(info.color, "#ffffff");
  assert.match(get(c, "/"), /"message": "hello \\u003cyou\\u003e"/);
});

test("/readyz/disable and /fault_injection: readiness 503 with no body, application routes 500 while the probes stay healthy", () => {
  const c = cluster();
  pod(c, "");
  assert.equal(get(c, "/readyz/disable", "POST"), "202 ");
  assert.equal(get(c, "/readyz"), "503 ");
  assert.equal(get(c, "/readyz/enable", "POST"), "202 ");
  assert.equal(get(c, "/fault_injection/enable", "POST"), '202 {\n  "fault_injection": "enabled"\n}');
  assert.equal(get(c, "/version"), '500 {"status":"fault injection enabled"}\n');
  assert.equal(get(c, "/healthz"), '200 {\n  "status": "OK"\n}');
  assert.equal(get(c, "/fault_injection/status"), '200 {\n  "fault_injection": "enabled"\n}');
});

test("podcli check http: waits its 1 s delay, then succeeds below 400 or fails with exit 1; check tcp; an unknown flag", () => {
  const c = cluster();
  pod(c, "");
  const ok = c.kubectlSync("exec podinfo -- podcli check http localhost:9898/healthz");
  assert.equal(ok.exitCode, 0);
  assert.match(ok.stderr, /^2024-01-08T00:00:1\d\.\d{3}Z\tINFO\tpodcli\/check\.go:148\tcheck succeed\t\{"address": "http:\/\/localhost:9898\/healthz", "status code": 200, "response size": "20 B"\}\n$/);
  const bad = c.kubectlSync("exec podinfo -- podcli check http localhost:9898/status/500");
  assert.equal(bad.exitCode, 1);
  assert.match(bad.stderr, /\tpodcli\/check\.go:154\tcheck failed\t\{"address": "http:\/\/localhost:9898\/status\/500", "status code": 500\}\n/);
  const refused = c.kubectlSync("exec podinfo -- podcli check http localhost:9797/healthz --retry=1 --delay=2s");
  assert.equal(refused.exitCode, 1);
  const lines = refused.stderr.split("\n").filter((l) => l.includes("check failed"));
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /\{"address": "http:\/\/localhost:9797\/healthz", "error": "Get \\"http:\/\/localhost:9797\/healthz\\": dial tcp 127\.0\.0\.1:9797: connect: connection refused"\}$/);
  assert.equal(c.kubectlSync("exec podinfo -- podcli check tcp localhost:9898").exitCode, 0);
  assert.equal(c.kubectlSync("exec podinfo -- podcli version").stdout, "6.14.1\n");
  const flag = c.kubectlSync("exec podinfo -- podcli check http localhost:9898 --nope");
  assert.equal(flag.exitCode, 1);
  assert.equal(flag.stdout, "Unknown flag: --nope\n");
});

test("SIGTERM: probes fail, the shutdown line, 3 s later the gRPC line and exit 0; --level=debug does not wait", () => {
  const c = cluster();
  pod(c, "    command: [./podinfo, --grpc-port=9999]\n");
  c.kubectlSync("delete pod podinfo --wait=false");
  c.advanceSync(1_000);
  assert.equal(get(c, "/healthz"), "503 ");
  assert.match(c.kubectlSync("logs podinfo").stdout, /"msg":"Shutting down HTTP\/HTTPS server","timeout":5\}\n$/);
  c.advanceSync(2_500);
  assert.equal(c.api.get("Pod", "default", "podinfo"), undefined);
});

test("an unknown flag: pflag's error and exit 2", () => {
  const c = cluster();
  pod(c, "    command: [./podinfo, --no-such-flag]\n    restartPolicy: Never\n".replace("    restartPolicy: Never\n", ""));
  const st = c.api.get("Pod", "default", "podinfo")!.status!.containerStatuses![0]!;
  const term = st.state?.terminated ?? st.lastState?.terminated;
  assert.equal(term?.exitCode, 2);
  assert.match(c.kubectlSync("logs podinfo" + (st.state?.terminated ? "" : " --previous")).stdout, /^Error: unknown flag: --no-such-flag\n/);
});
