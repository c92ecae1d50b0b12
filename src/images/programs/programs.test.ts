import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { piDigits } from "./pi.ts";
import { stressBytes, parseStressArgs } from "./stress.ts";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  return c;
}

function pod(name: string, body: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${body}\n---\n`;
}

function status(c: Cluster, name: string): any {
  return c.api.get("Pod", "default", name)!.status!.containerStatuses![0];
}

function get(c: Cluster, name: string, port: number, path = "/"): { status: number; body: string } | string {
  const ip = c.api.get("Pod", "default", name)!.status!.podIP;
  const r = requestAndWait(c.ctx, `http://${ip}:${port}${path}`).outcome;
  return r.ok ? { status: r.status, body: r.body } : r.error;
}

test("π as bpi(N) prints it: rounded to N significant digits", () => {
  assert.equal(piDigits(1), "3");
  assert.equal(piDigits(5), "3.1416");
  assert.equal(piDigits(10), "3.141592654");
  const p = piDigits(2000);
  assert.equal(p.length, 2001);
  // The last digits of the Job page's output (content/en/docs/concepts/workloads/controllers/job.md).
  assert.ok(p.endsWith("5739624138908658326459958133904780275901"));
});

test("stress sizes and arguments", () => {
  assert.equal(stressBytes("150M"), 150 * 1024 * 1024);
  assert.equal(stressBytes("1G"), 1024 ** 3);
  assert.equal(stressBytes("12x"), undefined);
  assert.deepEqual(parseStressArgs(["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]), { cpu: 0, io: 0, vm: 1, vmBytes: 250 * 1024 ** 2, hdd: 0 });
  assert.equal(parseStressArgs(["--bogus"]), "unrecognized option '--bogus'");
});

test("the catalogue's servers: agnhost liveness, goproxy, etcd, hello-app, httpd, pause", async () => {
  const c = cluster();
  c.applySync(
    pod("liveness", "  containers:\n  - name: c\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args: [liveness]") +
      pod("goproxy", "  containers:\n  - name: c\n    image: registry.k8s.io/goproxy:0.1") +
      pod("etcd", '  containers:\n  - name: c\n    image: registry.k8s.io/etcd:3.5.1-0\n    command: ["/usr/local/bin/etcd", "--data-dir", "/var/lib/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://127.0.0.1:2379", "--log-level", "debug"]') +
      pod("etcd-local", "  containers:\n  - name: c\n    image: registry.k8s.io/etcd:3.5.16-0\n    command: [/usr/local/bin/etcd]") +
      pod("hello", "  containers:\n  - name: c\n    image: gcr.io/google-samples/hello-app:2.0") +
      pod("httpd", "  containers:\n  - name: c\n    image: httpd:2.4") +
      pod("pause", "  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.10"),
  );
  await c.advance("30s");
  const healthz = get(c, "liveness", 8080, "/healthz");
  assert.ok(typeof healthz === "object" && healthz.status === 500 && /^error: \d+/.test(healthz.body), JSON.stringify(healthz));
  assert.deepEqual(get(c, "goproxy", 8080, "/"), { status: 500, body: "This is a proxy server. Does not respond to non-proxy requests.\n" });
  assert.deepEqual(get(c, "etcd", 2379, "/health"), { status: 200, body: '{"health":"true","reason":""}' });
  assert.deepEqual(get(c, "etcd", 2379, "/grpc.health.v1.Health/Check"), { status: 200, body: "" });
  assert.match(String(get(c, "etcd-local", 2379, "/health")), /connection refused/, "etcd's default listens on localhost only");
  assert.deepEqual(get(c, "hello", 8080, "/x"), { status: 200, body: "Hello, world!\nVersion: 2.0.0\nHostname: hello\n" });
  assert.match((await c.kubectl("logs hello")).stdout, /Server listening on port 8080\n.*Serving request: \/x\n/);
  assert.deepEqual(get(c, "httpd", 80, "/"), { status: 200, body: "<html><body><h1>It works!</h1></body></html>\n" });
  const execPause = await c.kubectl("exec pause -- sh -c true");
  assert.match(execPause.stderr, /exec: "sh": executable file not found in \$PATH/);
  for (const name of ["goproxy", "etcd", "hello", "httpd", "pause"]) assert.ok(status(c, name).state.running, `${name} runs`);
  await c.close();
});

test("agnhost liveness: the kubelet restarts it after /healthz starts failing; Go exits 2 on SIGTERM", async () => {
  const c = cluster();
  c.applySync(pod("liveness-http", "  containers:\n  - name: liveness\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args: [liveness]\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n      initialDelaySeconds: 3\n      periodSeconds: 3"));
  await c.advance("40s");
  const s = status(c, "liveness-http");
  assert.ok(s.restartCount >= 1);
  assert.equal(s.lastState.terminated.exitCode, 2);
  assert.equal(s.lastState.terminated.reason, "Error");
  await c.close();
});

test("agnhost entrypoint-tester: command and args over the image's ENTRYPOINT [/agnhost] and CMD [pause] (test/e2e/common/node/containers.go)", async () => {
  const c = cluster();
  const img = "    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n";
  c.applySync(
    pod("defaults", "  containers:\n  - name: c\n" + img) +
      pod("args", "  restartPolicy: Never\n  containers:\n  - name: c\n" + img + "    args: [entrypoint-tester, override, arguments]") +
      pod("command", "  restartPolicy: Never\n  containers:\n  - name: c\n" + img + '    command: ["/agnhost-2", "entrypoint-tester"]') +
      pod("both", "  restartPolicy: Never\n  containers:\n  - name: c\n" + img + '    command: ["/agnhost-2"]\n    args: [entrypoint-tester, override, arguments]'),
  );
  await c.advance("30s");
  assert.match((await c.kubectl("logs defaults")).stdout, /Paused/);
  assert.equal((await c.kubectl("logs args")).stdout, "[/agnhost entrypoint-tester override arguments]\n");
  assert.equal((await c.kubectl("logs command")).stdout, "[/agnhost-2 entrypoint-tester]\n");
  assert.equal((await c.kubectl("logs both")).stdout, "[/agnhost-2 entrypoint-tester override arguments]\n");
  for (const name of ["args", "command", "both"]) assert.equal(status(c, name).state.terminated.exitCode, 0);
  await c.close();
});

test("perl prints π for the Job page; redis-cli pings its server; postgres and mysql refuse to start without a password", async () => {
  const c = cluster();
  c.applySync(
    pod("pi", '  restartPolicy: Never\n  containers:\n  - name: pi\n    image: perl:5.34.0\n    command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]') +
      pod("redis", "  containers:\n  - name: redis\n    image: redis") +
      pod("pg", "  containers:\n  - name: pg\n    image: postgres:17") +
      pod("pg-ok", "  containers:\n  - name: pg\n    image: postgres:17\n    env: [{name: POSTGRES_PASSWORD, value: secret}]") +
      pod("mysql", "  containers:\n  - name: mysql\n    image: mysql:8.4"),
  );
  await c.advance("1m");
  assert.equal((await c.kubectl("logs pi")).stdout, piDigits(2000) + "\n");
  assert.equal(status(c, "pi").state.terminated.exitCode, 0);
  assert.equal((await c.kubectl("exec redis -- redis-cli ping")).stdout, "PONG\n");
  assert.equal((await c.kubectl("exec redis -- redis-cli set k v")).stdout, "OK\n");
  // Not a terminal: redis-cli prints raw replies (no quotes); on one (-it) as redis-cli's TTY format.
  assert.equal((await c.kubectl("exec redis -- redis-cli get k")).stdout, "v\n");
  assert.equal((await c.kubectl("exec -it redis -- redis-cli get k", "")).stdout, '"v"\n');
  const pg = await c.kubectl("logs pg");
  assert.match(pg.stdout, /^Error: Database is uninitialized and superuser password is not specified\.\n {7}You must specify POSTGRES_PASSWORD to a non-empty value for the\n/);
  assert.equal((status(c, "pg").lastState.terminated ?? status(c, "pg").state.terminated).exitCode, 1);
  assert.ok(status(c, "pg-ok").state.running);
  const my = await c.kubectl("logs mysql");
  assert.match(my.stdout, /\[ERROR\] \[Entrypoint\]: Database is uninitialized and password option is not specified\n {4}You need to specify one of the following as an environment variable:\n {4}- MYSQL_ROOT_PASSWORD\n/);
  await c.close();
});

test("redis-server reads the config file it is given; redis-cli answers CONFIG GET, reads commands from stdin, and formats for a terminal", async () => {
  const c = cluster();
  const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  redis.conf: ${JSON.stringify(data)}\n---\n`;
  const mounted = (name: string, arg: string) =>
    pod(name, `  containers:\n  - name: redis\n    image: redis:5\n    args: ["${arg}"]\n    volumeMounts: [{name: c, mountPath: /etc/r}]\n  volumes: [{name: c, configMap: {name: conf}}]`);
  c.applySync(cm("maxmemory 2mb\nmaxmemory-policy allkeys-lru\n") + mounted("conf", "/etc/r/redis.conf") + mounted("missing", "/etc/r/nope.conf") + pod("plain", "  containers:\n  - name: redis\n    image: redis"));
  await c.advance("20s");
  // -it: a terminal; the typed lines are redis-cli's commands (quit ends the session).
  const it = await c.kubectl("exec -it conf -- redis-cli", "CONFIG GET maxmemory\nconfig get maxmemory-policy\n\nquit\nCONFIG GET port\n");
  assert.equal(it.stdout, '1) "maxmemory"\n2) "2097152"\n1) "maxmemory-policy"\n2) "allkeys-lru"\n');
  // -i only: not a terminal, raw replies.
  assert.equal((await c.kubectl("exec -i conf -- redis-cli", "CONFIG GET maxmemory\n")).stdout, "maxmemory\n2097152\n");
  assert.equal((await c.kubectl("exec plain -- redis-cli config get maxmemory-policy")).stdout, "maxmemory-policy\nnoeviction\n");
  assert.equal((await c.kubectl("exec -it plain -- redis-cli config set maxmemory 1mb", "")).stdout, "OK\n");
  assert.equal((await c.kubectl("exec -it plain -- redis-cli config get maxmemory", "")).stdout, '1) "maxmemory"\n2) "1048576"\n');
  assert.match((await c.kubectl("logs conf")).stdout, /\* Configuration loaded\n/);
  assert.doesNotMatch((await c.kubectl("logs conf")).stdout, /no config file specified/);
  // A config file that is not there: redis logs it and exits 1 (CrashLoopBackOff follows).
  assert.match((await c.kubectl("logs missing")).stdout, /# Fatal error, can't open config file '\/etc\/r\/nope.conf': No such file or directory\n/);
  assert.equal((status(c, "missing").lastState.terminated ?? status(c, "missing").state.terminated).exitCode, 1);
  // The ConfigMap changes: the file in the volume follows, the running server keeps its values.
  c.applySync(cm("maxmemory 4mb\n"));
  await c.advance("2m");
  assert.equal((await c.kubectl("exec conf -- cat /etc/r/redis.conf")).stdout, "maxmemory 4mb\n");
  assert.equal((await c.kubectl("exec conf -- redis-cli config get maxmemory")).stdout, "maxmemory\n2097152\n");
  await c.close();
});

test("memory: polinux/stress holds what --vm-bytes says, OOM-killed over its limit; vish/stress spins its -cpus", async () => {
  const c = cluster();
  const stress = (name: string, limit: string, bytes: string) =>
    pod(name, `  containers:\n  - name: c\n    image: polinux/stress\n    resources:\n      limits: {memory: ${limit}}\n    command: [stress]\n    args: ["--vm", "1", "--vm-bytes", "${bytes}", "--vm-hang", "1"]`);
  c.applySync(stress("fits", "200Mi", "150M") + stress("oom", "100Mi", "250M") + pod("cpu", '  containers:\n  - name: c\n    image: vish/stress\n    args: ["-cpus", "2"]'));
  await c.advance("10s");
  assert.ok(status(c, "fits").state.running);
  assert.equal(status(c, "oom").lastState.terminated.reason, "OOMKilled");
  assert.equal(status(c, "oom").lastState.terminated.exitCode, 137);
  assert.match((await c.kubectl("logs fits")).stdout, /^stress: info: \[1\] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n$/);
  const cpuLogs = (await c.kubectl("logs cpu")).stdout;
  assert.match(cpuLogs, /^I0108 00:00:\d\d\.\d{6} {7}1 main\.go:26\] Allocating "0" memory, in "4Ki" chunks, with a 1ms sleep between allocations\n/);
  assert.equal(cpuLogs.match(/Spawning a thread to consume CPU/g)?.length, 2);
  // Two spinning threads use two cores; under a 1-CPU limit (the page's cpu-demo) the CFS quota holds them to one.
  c.applySync(pod("capped", '  containers:\n  - name: c\n    image: vish/stress\n    resources:\n      limits: {cpu: "1"}\n    args: ["-cpus", "2"]'));
  await c.advance("90s");
  const top = (await c.kubectl("top pod")).stdout;
  assert.match(top, /\ncpu +2000m +1Mi +\n/);
  assert.match(top, /\ncapped +1000m +1Mi +\n/);
  // polinux/stress with only a --vm worker: no core spinning.
  assert.match(top, /\nfits +0m +150Mi +\n/);
  await c.close();
});

test("kubernetes-bootcamp: v1 and v2 answer with their version, log the start and each request, ignore SIGTERM as PID 1", async () => {
  const c = cluster();
  c.applySync(pod("v1", "  containers:\n  - name: c\n    image: gcr.io/google-samples/kubernetes-bootcamp:v1") + pod("v2", "  containers:\n  - name: c\n    image: docker.io/jocatalin/kubernetes-bootcamp:v2"));
  await c.advance("10s");
  assert.deepEqual(get(c, "v1", 8080, "/anything"), { status: 200, body: "Hello Kubernetes bootcamp! | Running on: v1 | v=1\n" });
  assert.deepEqual(get(c, "v2", 8080), { status: 200, body: "Hello Kubernetes bootcamp! | Running on: v2 | v=2\n" });
  const logs = (await c.kubectl("logs v1")).stdout;
  assert.match(logs, /^Kubernetes Bootcamp App Started At: 2024-01-08T00:00:0\d\.\d{3}Z \| Running On: {2}v1 \n\nRunning On: v1 \| Total Requests: 1 \| App Uptime: [\d.]+ seconds \| Log Time: 2024-01-08T00:00:10\.000Z\n$/);
  assert.match((await c.kubectl("exec v1 -- cat /server.js")).stdout, /response\.end\(" \| v=1\\n"\);/);
  assert.match((await c.kubectl("exec v1 -- env")).stdout, /\nNPM_CONFIG_LOGLEVEL=info\nNODE_VERSION=6\.3\.1\n/);
  // The stop signal is ignored: the container is killed when the grace period (30 s) ends.
  await c.kubectl("delete pod v1 --wait=false");
  await c.advance("20s");
  assert.ok(status(c, "v1").state.running, "still running 20 s after the delete");
  await c.advance("15s");
  assert.equal(c.api.get("Pod", "default", "v1"), undefined);
  await c.close();
});

test("the mysql client: unknown host, refused before mysqld listens, and the statement's result once connected (mysql.test.ts has the rest)", async () => {
  const c = cluster();
  c.applySync(pod("db", "  containers:\n  - name: c\n    image: mysql:5.6\n    env:\n    - {name: MYSQL_ROOT_PASSWORD, value: password}"));
  await c.advance("8s");
  const early = await c.kubectl("exec db -- mysql -h 127.0.0.1 -ppassword");
  assert.equal(early.exitCode, 1);
  assert.match(early.stderr, /^Warning: Using a password on the command line interface can be insecure\.\nERROR 2003 \(HY000\): Can't connect to MySQL server on '127\.0\.0\.1' \(111\)\n/);
  assert.match((await c.kubectl("exec db -- mysql -h nosuch")).stderr, /^ERROR 2005 \(HY000\): Unknown MySQL server host 'nosuch' \(-2\)\n/);
  await c.advance("30s");
  const later = await c.kubectl("exec db -- mysql -ppassword -e 'select 1'");
  assert.equal(later.exitCode, 0);
  assert.equal(later.stderr, "Warning: Using a password on the command line interface can be insecure.\n");
  assert.equal(later.stdout, "1\n1\n");
  assert.match((await c.kubectl("exec db -- printenv MYSQL_MAJOR")).stdout, /^5\.6\n$/);
  await c.close();
});

test("coredns: the start banner with the Corefile's SHA512, /health and /ready on 8080 and 8181, lame duck on SIGTERM", async () => {
  const { CoreDNSProcess } = await import("./coredns.ts");
  const { corefileSHA512 } = await import("../../network/corefile.ts");
  const { harness } = await import("../../runtime/shell/testutil.ts");
  const h = harness();
  h.fs.mkdir("/etc/coredns");
  h.fs.writeFile("/etc/coredns/Corefile", ".:53 {\n    health\n    reload\n}\n");
  const p = new CoreDNSProcess(h.io, ["/coredns", "-conf", "/etc/coredns/Corefile"], "1.11.3");
  let code: number | undefined;
  p.start((c) => (code = c));
  const sha = corefileSHA512(".:53 {\n    health\n    reload\n}\n", "/etc/coredns/Corefile");
  assert.equal(h.stdout(), `.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${sha}\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n`);
  assert.deepEqual(p.handle({ method: "GET", path: "/health", port: 8080, headers: {} }), { status: 200, body: "OK" });
  assert.deepEqual(p.handle({ method: "GET", path: "/ready", port: 8181, headers: {} }), { status: 200, body: "OK" });
  assert.ok(p.listening(53));
  p.stopSignal();
  h.clock.advance(4999);
  assert.equal(code, undefined);
  h.clock.advance(1);
  assert.equal(code, 0);
});

test("coredns: without the reload plugin no SHA512 line; a Corefile that does not parse ends it with caddy's message", async () => {
  const { CoreDNSProcess } = await import("./coredns.ts");
  const { harness } = await import("../../runtime/shell/testutil.ts");
  const h = harness();
  h.fs.mkdir("/etc/coredns");
  h.fs.writeFile("/etc/coredns/Corefile", ".:53 {\n    whoami\n}\nexample.org {\n    whoami\n}\n");
  new CoreDNSProcess(h.io, ["/coredns", "-conf", "/etc/coredns/Corefile"], "1.11.3").start(() => {});
  assert.equal(h.stdout(), ".:53\nexample.org.:53\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n");
  const bad = harness();
  bad.fs.mkdir("/etc/coredns");
  bad.fs.writeFile("/etc/coredns/Corefile", ".:53 {\n    proxy . /etc/resolv.conf\n}\n");
  let code: number | undefined;
  new CoreDNSProcess(bad.io, ["/coredns", "-conf", "/etc/coredns/Corefile"], "1.11.3").start((c) => (code = c));
  assert.equal(code, 1);
  assert.equal(bad.stdout(), "");
  assert.equal(bad.stderr(), "/etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'proxy'\n");
});

test("coredns: the reload plugin restarts with a changed Corefile, keeps the old one when the new one fails", async () => {
  const { CoreDNSProcess } = await import("./coredns.ts");
  const { corefileSHA512 } = await import("../../network/corefile.ts");
  const { harness } = await import("../../runtime/shell/testutil.ts");
  const h = harness();
  h.fs.mkdir("/etc/coredns");
  const first = ".:53 {\n    forward . /etc/resolv.conf\n    reload 10s 2s\n}\n";
  h.fs.writeFile("/etc/coredns/Corefile", first);
  const loaded: string[][] = [];
  const sink = { setCorefile: (_o: object, cfg: { startup: string[] } | undefined) => loaded.push(cfg ? cfg.startup : []) };
  const p = new CoreDNSProcess(h.io, ["/coredns", "-conf", "/etc/coredns/Corefile"], "1.11.3", 0, sink, "kube-system/coredns-1");
  p.start(() => {});
  assert.deepEqual(loaded, [[".:53"]]);
  const banner = h.stdout();
  // A comment changes nothing the plugin compares: no reload at the next ticks.
  h.fs.writeFile("/etc/coredns/Corefile", first.replace("reload 10s 2s", "reload 10s 2s # every 10s"));
  h.clock.advance(12_000);
  assert.equal(h.stdout(), banner);
  // Within the interval and its jitter (10 s ± 1 s) of the change, the new Corefile is running.
  const second = first.replace("}\n", "}\nconsul.local:53 {\n    forward . 10.150.0.1\n}\n");
  h.fs.writeFile("/etc/coredns/Corefile", second);
  h.clock.advance(11_000);
  assert.equal(h.stdout(), `${banner}[INFO] Reloading\n[INFO] plugin/reload: Running configuration SHA512 = ${corefileSHA512(second, "x")}\n[INFO] Reloading complete\n`);
  assert.deepEqual(loaded.at(-1), [".:53", "consul.local.:53"]);
  // An unknown plugin: the restart fails, the running configuration stays, and the same file is not tried again.
  const after = h.stdout();
  h.fs.writeFile("/etc/coredns/Corefile", second.replace("forward . 10.150.0.1", "proxy . 10.150.0.1"));
  h.clock.advance(22_000);
  const msg = "/etc/coredns/Corefile:6 - Error during parsing: Unknown directive 'proxy'";
  assert.equal(h.stdout(), `${after}[INFO] Reloading\n[ERROR] Restart failed: ${msg}\n[ERROR] plugin/reload: Corefile changed but reload failed: ${msg}\n`);
  assert.deepEqual(loaded.at(-1), [".:53", "consul.local.:53"]);
  // A file that does not parse at all: a warning at every tick.
  h.fs.writeFile("/etc/coredns/Corefile", ".:53 {\n    cache 30 }\n}\n");
  h.clock.advance(11_000);
  assert.match(h.stdout(), /\[WARNING\] plugin\/reload: Corefile parse failed: \/etc\/coredns\/Corefile:2 - Error during parsing: Unexpected '}' because no matching opening brace\n$/);
});

test("bprashanth/nginxhttps:1.0 (Connecting Applications with Services) is nginx without the entrypoint script, serving the listen ports of its conf.d", async () => {
  const c = cluster();
  const conf = "server {\n        listen 80 default_server;\n        listen [::]:80 default_server ipv6only=on;\n\n        listen 443 ssl;\n\n        root /usr/share/nginx/html;\n        index index.html;\n}\n";
  c.applySync(
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  default.conf: ${JSON.stringify(conf)}\n---\n` +
      pod("https", "  containers:\n  - name: nginxhttps\n    image: bprashanth/nginxhttps:1.0\n    volumeMounts: [{name: c, mountPath: /etc/nginx/conf.d}]\n  volumes: [{name: c, configMap: {name: conf}}]"),
  );
  await c.advance("20s");
  const page = get(c, "https", 443);
  assert.ok(typeof page === "object" && page.status === 200 && page.body.includes("<h1>Welcome to nginx!</h1>"));
  assert.ok(typeof get(c, "https", 80) === "object");
  // No /docker-entrypoint.sh: nginx's own notices are the first lines.
  assert.match((await c.kubectl("logs https")).stdout, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: using the "epoll" event method\n/);
  await c.close();
});
