import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork, parseURL } from "./network.ts";
import { createRunningPod, setPodReady } from "./testutil.ts";
import { AppProcess } from "../images/apps/model.ts";
import { kubetmAppSpec } from "../images/apps/kubetm-app.ts";
import type { HttpOutcome, ProcessIO } from "../runtime/types.ts";
import { TrafficClient } from "./client.ts";
import { inServiceCIDR } from "../api/registry/core/service/ipallocator.ts";

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: svc-readiness
spec:
  selector:
    app: readiness
  ports:
  - port: 8080
    targetPort: 8080
`;

function startApp(cluster: Cluster, podName: string, startupMs = 0): AppProcess {
  const pod = cluster.get("Pod", podName)!;
  const io = { clock: cluster.clock, hostname: podName } as unknown as ProcessIO;
  const app = new AppProcess(kubetmAppSpec(startupMs), io);
  app.start(() => {});
  clusterNetwork(cluster.ctx).attach(pod, "app", pod.status.podIP, app);
  return app;
}

function request(cluster: Cluster, url: string, opts = { podNames: true }): HttpOutcome {
  let out: HttpOutcome | undefined;
  clusterNetwork(cluster.ctx).http({ method: "GET", url }, (o) => (out = o), opts);
  assert.equal(out, undefined, "never answered synchronously");
  cluster.clock.advance(20_000);
  assert.ok(out, "answered");
  return out!;
}

test("parseURL", () => {
  assert.deepEqual(parseURL("http://svc:8080/health"), { scheme: "http", host: "svc", port: 8080, path: "/health" });
  assert.deepEqual(parseURL("10.97.190.80:8080/hostname"), { scheme: "http", host: "10.97.190.80", port: 8080, path: "/hostname" });
  assert.deepEqual(parseURL("http://nginx"), { scheme: "http", host: "nginx", port: 80, path: "/" });
  assert.ok(parseURL("http://a b") instanceof Error);
});

test("a Service gets a ClusterIP in 10.96.0.0/12, deterministically", () => {
  const ips: string[] = [];
  for (let i = 0; i < 2; i++) {
    const c = new Cluster();
    c.applySync(SVC);
    ips.push(c.get("Service", "svc-readiness")!.spec.clusterIP);
    const svc = c.get("Service", "svc-readiness")!;
    assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
    assert.deepEqual(svc.spec.ipFamilies, ["IPv4"]);
  }
  assert.equal(ips[0], ips[1]);
  assert.ok(inServiceCIDR(ips[0]), ips[0]);
});

test("a requested ClusterIP already in use is rejected with the apiserver's text", () => {
  const c = new Cluster();
  c.applySync(SVC);
  const ip = c.get("Service", "svc-readiness")!.spec.clusterIP;
  assert.throws(
    () => c.applySync(SVC.replace("svc-readiness", "other").replace("spec:\n", `spec:\n  clusterIP: ${ip}\n`)),
    new RegExp(`spec.clusterIPs: Invalid value: \\[\\]string\\{"${ip.replace(/\./g, "\\.")}"\\}: failed to allocate IP ${ip.replace(/\./g, "\\.")}: provided IP is already allocated`),
  );
});

test("DNS: service names, name.namespace, FQDN, IPs; unknown names are NXDOMAIN", () => {
  const c = new Cluster();
  c.applySync(SVC);
  const ip = c.get("Service", "svc-readiness")!.spec.clusterIP;
  const net = clusterNetwork(c.ctx);
  assert.equal(net.resolve("svc-readiness"), ip);
  assert.equal(net.resolve("svc-readiness.default"), ip);
  assert.equal(net.resolve("svc-readiness.default.svc.cluster.local"), ip);
  assert.equal(net.resolve("svc-readiness", { namespace: "kube-system" }), undefined);
  assert.equal(net.resolve("1.2.3.4"), "1.2.3.4");
  assert.equal(net.resolve("nope"), undefined);
  const o = request(c, "http://nope:8080/");
  assert.deepEqual(o, { ok: false, kind: "nxdomain", error: "dial tcp: lookup nope on 10.96.0.10:53: no such host" });
});

test("DNS routed by the Corefile CoreDNS loaded: stub domains, upstreams, hosts; the node's resolver without one", async () => {
  const { loadCorefile } = await import("./corefile.ts");
  const c = new Cluster();
  c.applySync(SVC);
  const net = clusterNetwork(c.ctx);
  net.externalHosts.declare("www.kubernetes.io", {});
  net.dnsServers.declare("10.150.0.1", [{ name: "web.consul.local", address: "10.150.0.7" }]);
  net.dnsServers.declare("172.16.0.1", [{ name: "www.kubernetes.io", address: "192.0.2.80" }]);
  // No CoreDNS process: kubeadm's default routing (the node's resolver knows the declared hosts).
  assert.equal(net.resolve("www.kubernetes.io"), "203.0.113.10");
  assert.equal(net.resolve("web.consul.local"), undefined);
  const owner = {};
  net.setCorefile(owner, loadCorefile(".:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    hosts {\n       10.0.0.9 legacy.example.com\n       fallthrough\n    }\n    forward . 172.16.0.1\n}\nconsul.local:53 {\n    forward . 10.150.0.1\n}\n", "f"));
  assert.equal(net.resolve("web.consul.local"), "10.150.0.7");
  assert.equal(net.resolve("db.consul.local"), undefined);
  assert.equal(net.resolve("www.kubernetes.io"), "192.0.2.80");
  assert.equal(net.resolve("legacy.example.com"), "10.0.0.9");
  assert.equal(net.resolve("svc-readiness"), c.get("Service", "svc-readiness")!.spec.clusterIP);
  assert.equal(net.resolve("nope.default.svc.cluster.local"), undefined);
  // dnsPolicy None with a declared nameserver asks it alone; the node's resolver is unaffected by the Corefile.
  assert.equal(net.resolve("web.consul.local", { hostDNS: true, nameserver: "10.150.0.1" }), "10.150.0.7");
  assert.equal(net.resolve("www.kubernetes.io", { hostDNS: true }), "203.0.113.10");
  // A forward to an address where no server was declared: no answer.
  const other = {};
  net.setCorefile(other, loadCorefile(".:53 {\n    forward . 8.8.8.8\n}\n", "f"));
  assert.equal(net.resolve("www.kubernetes.io"), undefined);
  // The process that loaded it stopped: the earlier one's Corefile routes again.
  net.setCorefile(other, undefined);
  assert.equal(net.resolve("www.kubernetes.io"), "192.0.2.80");
  net.setCorefile(owner, undefined);
  assert.equal(net.resolve("www.kubernetes.io"), "203.0.113.10");
});

test("a Service with no ready endpoint refuses; with ready pods it routes to them at random", () => {
  const c = new Cluster({ seed: 7 });
  // The pods are bound to a node without a kubelet (their statuses are written here), so the whole
  // test stays within the pod GC's 40 s quarantine for pods on a missing node.
  c.applySync(SVC);
  const ip = c.get("Service", "svc-readiness")!.spec.clusterIP;
  createRunningPod(c, "pod1", { labels: { app: "readiness" }, ip: "10.244.1.2", ready: false });
  const o = request(c, "http://svc-readiness:8080/hostname");
  assert.deepEqual(o, { ok: false, kind: "refused", error: `dial tcp ${ip}:8080: connect: connection refused` });

  setPodReady(c, "pod1", true);
  createRunningPod(c, "pod2", { labels: { app: "readiness" }, ip: "10.244.2.2", ready: true });
  startApp(c, "pod1");
  startApp(c, "pod2");
  const client = new TrafficClient(c.ctx, "http://svc-readiness:8080/hostname", 10);
  client.start();
  c.clock.advance(9_995);
  client.stop();
  c.clock.advance(10);
  assert.equal(client.records.length, 1000);
  assert.equal(client.failed, 0, client.summary());
  const byPod = new Map<string, number>();
  for (const r of client.records) byPod.set(r.pod!, (byPod.get(r.pod!) ?? 0) + 1);
  assert.deepEqual([...byPod.keys()].sort(), ["pod1", "pod2"]);
  // Uniform choice: each near 500 of 1000 (binomial sd ≈ 16).
  for (const n of byPod.values()) assert.ok(n > 430 && n < 570, `share ${n}`);
  assert.equal(client.records.find((r) => r.pod === "pod2")!.outcome.ok && (client.records.find((r) => r.pod === "pod2")!.outcome as any).body, "pod2");
});

test("routing depends on the seed", () => {
  const seq = (seed: number) => {
    const c = new Cluster({ seed });
    c.applySync(SVC);
    for (const [n, ip] of [["a", "10.244.1.2"], ["b", "10.244.1.3"], ["c", "10.244.1.4"]]) {
      createRunningPod(c, n, { labels: { app: "readiness" }, ip, ready: true });
      startApp(c, n);
    }
    const client = new TrafficClient(c.ctx, "http://svc-readiness:8080/hostname", 1000);
    client.start(20);
    c.clock.advance(30_000);
    return client.records.map((r) => r.pod).join(",");
  };
  assert.equal(seq(1), seq(1));
  assert.notEqual(seq(1), seq(2));
});

test("pod IP: refused before the app listens, answered after; timeouts and unknown hosts", () => {
  const c = new Cluster();
  createRunningPod(c, "pod1", { ip: "10.244.1.2", ready: true });
  startApp(c, "pod1", 10_000);
  assert.deepEqual(request(c, "http://10.244.1.2:8080/hostname"), { ok: false, kind: "refused", error: "dial tcp 10.244.1.2:8080: connect: connection refused" });
  const ok = request(c, "http://pod1:8080/hostname");
  assert.deepEqual(ok, { ok: true, status: 200, body: "pod1" });
  assert.equal((request(c, "http://10.244.1.2:8080/nope") as any).status, 404);
  let out: HttpOutcome | undefined;
  clusterNetwork(c.ctx).http({ method: "GET", url: "http://10.244.9.9:8080/", timeoutMs: 1000 }, (o) => (out = o));
  c.clock.advance(999);
  assert.equal(out, undefined);
  c.clock.advance(1);
  assert.deepEqual(out, { ok: false, kind: "timeout", error: "dial tcp 10.244.9.9:8080: i/o timeout" });
});

test("a slow answer past the client's timeout is Go's Client.Timeout error", () => {
  const c = new Cluster();
  createRunningPod(c, "slow", { ip: "10.244.1.5", ready: true });
  const pod = c.get("Pod", "slow")!;
  const io = { clock: c.clock, hostname: "slow" } as unknown as ProcessIO;
  const app = new AppProcess({ ports: [8080], routes: { "/": { status: 200, delay: "5s" } } }, io);
  app.start(() => {});
  clusterNetwork(c.ctx).attach(pod, "app", "10.244.1.5", app);
  let out: HttpOutcome | undefined;
  clusterNetwork(c.ctx).http({ method: "GET", url: "http://10.244.1.5:8080/", timeoutMs: 1000 }, (o) => (out = o));
  c.clock.advance(1000);
  assert.deepEqual(out, { ok: false, kind: "timeout", error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" });
});
