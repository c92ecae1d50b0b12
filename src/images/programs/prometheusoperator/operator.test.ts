import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";
import { kubeletAddresses, operatorFlags } from "./operator.ts";
import { logfmtValue, rfc3339Nano, slogLine } from "./logfmt.ts";


const node = (name: string, addresses: Array<[string, string]>, ready = "True") => ({
  metadata: { name, uid: `uid-${name}` },
  status: { addresses: addresses.map(([type, address]) => ({ type, address })), conditions: [{ type: "Ready", status: ready }] },
});

test("the flags main.go reads, the bundle's included; an unknown flag or priority is refused", () => {
  const f = operatorFlags(["--kubelet-service=kube-system/kubelet", "--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.80.1", "--kubelet-endpoints=true", "--kubelet-endpointslice=false"]);
  assert.ok(!(f instanceof Error));
  assert.equal(f.kubeletService, "kube-system/kubelet");
  assert.equal(f.kubeletEndpoints, true);
  assert.equal(f.listen, 8080);
  assert.equal(f.addressPriority, "internal");
  assert.equal((operatorFlags(["--nope"]) as Error).message, "flag provided but not defined: -nope");
  assert.match((operatorFlags(["--kubelet-node-address-priority=both"]) as Error).message, /invalid node address priority: both/);
  assert.equal((operatorFlags(["--web.listen-address=:9090"]) as { listen: number }).listen, 9090);
});

test("getNodeAddresses: sorted by name, InternalIP first (ExternalIP with external), nodes without an address warned about", () => {
  const nodes = [node("b", [["ExternalIP", "1.1.1.2"], ["InternalIP", "10.0.0.2"]]), node("a", [["InternalIP", "10.0.0.1"]]), node("c", [["Hostname", "c"]])];
  const r = kubeletAddresses(nodes, "internal");
  assert.deepEqual(r.addresses.map((a) => `${a.name}=${a.ip}`), ["a=10.0.0.1", "b=10.0.0.2"]);
  assert.deepEqual(r.warnings, ['failed to determine hostname for node "c" (priority: internal): host address unknown']);
  assert.deepEqual(kubeletAddresses(nodes, "external").addresses.map((a) => a.ip), ["10.0.0.1", "1.1.1.2"]);
});

test("getNodeAddresses: a node whose Ready is Unknown is dropped when a known node has its address", () => {
  const r = kubeletAddresses([node("old", [["InternalIP", "10.0.0.9"]], "Unknown"), node("new", [["InternalIP", "10.0.0.9"]]), node("lone", [["InternalIP", "10.0.0.8"]], "Unknown")], "internal");
  assert.deepEqual(r.addresses.map((a) => `${a.name}:${a.ready}`), ["lone:false", "new:true"]);
});

test("slog's text handler: ts in RFC 3339 with trailing zeros dropped, values quoted when they need it", () => {
  assert.equal(rfc3339Nano(Date.UTC(2025, 0, 2, 3, 4, 5, 100)), "2025-01-02T03:04:05.1Z");
  assert.equal(rfc3339Nano(Date.UTC(2025, 0, 2, 3, 4, 5, 0)), "2025-01-02T03:04:05Z");
  assert.equal(logfmtValue("plain"), "plain");
  assert.equal(logfmtValue(""), '""');
  assert.equal(logfmtValue("a b"), '"a b"');
  assert.equal(logfmtValue("a=b"), '"a=b"');
  assert.equal(slogLine(Date.UTC(2025, 0, 1), "info", "cmd/operator/main.go:268", "connection established", [["kubernetes_version", "1.32.0"]]), "ts=2025-01-01T00:00:00Z level=info caller=/workspace/cmd/operator/main.go:268 msg=\"connection established\" kubernetes_version=1.32.0");
});

test("installed from the bundle: the operator runs as its service account and keeps kube-system/kubelet's Service and Endpoints, every 3 minutes", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "kind-worker" }]);
  const r = c.kubectlSync(["create", "-f", "exercises/apps/prometheus-operator/bundle.yaml"], undefined);
  assert.equal(r.exitCode, 0, r.stderr);
  c.advanceSync(30_000);
  const svc = c.api.get("Service", "kube-system", "kubelet") as unknown as { spec: { clusterIP: string; ports: Array<{ name: string; port: number }> }; metadata: { labels: Record<string, string> } };
  assert.equal(svc.spec.clusterIP, "None");
  assert.deepEqual(svc.spec.ports.map((p) => `${p.name}/${p.port}`), ["https-metrics/10250", "http-metrics/10255", "cadvisor/4194"]);
  assert.equal(svc.metadata.labels["app.kubernetes.io/managed-by"], "prometheus-operator");
  const ips = () => ((c.api.get("Endpoints", "kube-system", "kubelet") as unknown as { subsets: Array<{ addresses: Array<{ nodeName: string }> }> }).subsets[0]!.addresses.map((a) => a.nodeName));
  assert.deepEqual(ips(), ["kind-worker"]);
  c.addNodesFromTable([{ name: "kind-worker2" }]);
  c.advanceSync(60_000);
  assert.deepEqual(ips(), ["kind-worker"], "not before the resync");
  c.advanceSync(120_000);
  assert.deepEqual(ips(), ["kind-worker", "kind-worker2"]);
});
