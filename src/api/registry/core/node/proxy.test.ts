import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../../cluster.ts";
import { nodeOperations } from "../../../../nodeops.ts";
import { parseNodeProxyPath } from "./proxy.ts";

test("node proxy paths: the node (with its scheme and port) and the kubelet path after /proxy", () => {
  assert.deepEqual(parseNodeProxyPath("/api/v1/nodes/k8s-node1/proxy/metrics/resource"), { id: "k8s-node1", rest: "/metrics/resource" });
  assert.deepEqual(parseNodeProxyPath("/api/v1/nodes/https:k8s-node1:10250/proxy/metrics"), { id: "https:k8s-node1:10250", rest: "/metrics" });
  assert.deepEqual(parseNodeProxyPath("/api/v1/nodes/k8s-node1/proxy"), { id: "k8s-node1", rest: "/" });
  assert.deepEqual(parseNodeProxyPath("/api/v1/nodes/k8s-node1/proxy/metrics%2Fresource"), { id: "k8s-node1", rest: "/metrics/resource" });
  assert.equal(parseNodeProxyPath("/api/v1/nodes/k8s-node1"), undefined);
  assert.equal(parseNodeProxyPath("/api/v1/namespaces/default/pods/web/proxy/"), undefined);
});

test("kubectl get --raw through the node proxy: the kubelet's metrics, and the API server's errors", async () => {
  const c = new Cluster();
  try {
    c.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
    c.kubectlSync(["run", "web", "--image=nginx", "--overrides", JSON.stringify({ spec: { nodeName: "k8s-node1" } })]);
    c.advanceSync(30_000);
    const raw = (path: string) => c.kubectlSync(["get", "--raw", path]);
    const metrics = raw("/api/v1/nodes/k8s-node1/proxy/metrics");
    assert.equal(metrics.exitCode, 0, metrics.stderr);
    assert.ok(metrics.stdout.includes("kubelet_running_pods 1\n"), metrics.stdout.slice(0, 400));
    assert.ok(metrics.stdout.includes('kubelet_running_containers{container_state="running"} 1\n'));
    assert.ok(raw("/api/v1/nodes/k8s-node2/proxy/metrics").stdout.includes("kubelet_running_pods 0\n"));
    const resource = raw("/api/v1/nodes/k8s-node1/proxy/metrics/resource").stdout;
    assert.match(resource, /^container_cpu_usage_seconds_total\{container="web",namespace="default",pod="web"\} \S+ \d+$/m);
    assert.match(resource, /^pod_memory_working_set_bytes\{namespace="default",pod="web"\} \S+ \d+$/m);
    assert.equal(raw("/api/v1/nodes/https:k8s-node1:10250/proxy/healthz").stdout, "ok");

    assert.deepEqual(raw("/api/v1/nodes/nope/proxy/metrics"), { stdout: "", stderr: 'Error from server (NotFound): nodes "nope" not found\n', exitCode: 1 });
    assert.deepEqual(raw("/api/v1/nodes/k8s-node1/proxy/nope"), { stdout: "", stderr: "Error from server (NotFound): the server could not find the requested resource\n", exitCode: 1 });
    assert.match(raw("/api/v1/nodes/k8s-node1/proxy/stats/summary").stderr, /the kubelet's \/stats\/summary is not simulated/);
    assert.equal(raw("/api/v1/nodes/k8s-node1:10255/proxy/metrics").stderr, "Error from server (ServiceUnavailable): error trying to reach service: dial tcp 172.18.0.3:10255: connect: connection refused\n");
    // A stopped kubelet does not answer.
    nodeOperations(c.ctx).stopKubelet("k8s-node2");
    assert.equal(raw("/api/v1/nodes/k8s-node2/proxy/metrics").stderr, "Error from server (ServiceUnavailable): error trying to reach service: dial tcp 172.18.0.4:10250: connect: connection refused\n");
  } finally {
    await c.close();
  }
});
