// The components' /metrics through the facade, read by the real kubectl (v1.32 from PATH): the
// API server's own metrics (`kubectl get --raw /metrics`), as the in-process kubectl prints them,
// with the Prometheus text format's Content-Type, and RBAC's default roles deciding who may read
// them (the `/metrics` non-resource URL: system:monitoring's, cluster-admin's; not a service account's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";
import { wallClockLead } from "./handlers/installer.ts";

test("kubectl get --raw /metrics reads kube-apiserver's metrics; RBAC's system:monitoring may, a service account may not", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const real = await h.kubectl(["get", "--raw", "/metrics"]);
    assert.equal(real.code, 0, real.err);
    const inProcess = h.cluster.kubectlSync(["get", "--raw", "/metrics"]);
    assert.equal(real.out, inProcess.stdout, "the facade and the in-process kubectl print the same metrics");
    assert.ok(real.out.includes('kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1\n'));

    const res = await h.fetch(`${h.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8; escaping=values");
    assert.equal(await res.text(), real.out);

    const sa = await h.kubectl(["get", "--raw", "/metrics", "--as=system:serviceaccount:default:default"]);
    assert.deepEqual([sa.code, sa.out, sa.err], [1, "", 'Error from server (Forbidden): forbidden: User "system:serviceaccount:default:default" cannot get path "/metrics"\n']);
    const monitoring = await h.kubectl(["get", "--raw", "/metrics", "--as=prometheus", "--as-group=system:monitoring"]);
    assert.deepEqual([monitoring.code, monitoring.out], [0, real.out]);
  });
});

test("kubectl get --raw through nodes/proxy reads a kubelet's /metrics and /metrics/resource; the errors are the API server's", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    h.cluster.kubectlSync(["run", "web", "--image=nginx", "--overrides", JSON.stringify({ spec: { nodeName: "k8s-node1" } })]);
    h.cluster.advanceSync(30_000);
    const metrics = await h.kubectl(["get", "--raw", "/api/v1/nodes/k8s-node1/proxy/metrics"]);
    assert.equal(metrics.code, 0, metrics.err);
    assert.equal(metrics.out, h.cluster.kubectlSync(["get", "--raw", "/api/v1/nodes/k8s-node1/proxy/metrics"]).stdout);
    assert.ok(metrics.out.includes('kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1\n'));

    // The samples' instants are presented on the wall clock, as every time the facade serves.
    const resource = await h.kubectl(["get", "--raw", "/api/v1/nodes/k8s-node1/proxy/metrics/resource"]);
    assert.equal(resource.code, 0, resource.err);
    const inProcess = h.cluster.kubectlSync(["get", "--raw", "/api/v1/nodes/k8s-node1/proxy/metrics/resource"]).stdout;
    const lead = wallClockLead(h.cluster);
    const shifted = inProcess.replace(/ (\d{13})$/gm, (_, ms: string) => ` ${Number(ms) + lead}`);
    const start = (text: string) => /^container_start_time_seconds\{container="web",namespace="default",pod="web"\} (\S+)$/m.exec(text)?.[1];
    assert.equal(resource.out.replace(/^container_start_time_seconds.*\n/gm, ""), shifted.replace(/^container_start_time_seconds.*\n/gm, ""));
    assert.equal(Number(start(resource.out)) * 1000 - Number(start(inProcess)) * 1000, lead);
    const res = await h.fetch(`${h.url}/api/v1/nodes/k8s-node1/proxy/metrics/resource`, { headers: { "x-kube-scenario-time": "simulated" } });
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8; escaping=values");
    assert.equal(await res.text(), inProcess);

    // The errors as the real kubectl prints them, and the in-process kubectl too.
    for (const [path, err] of [
      ["/api/v1/nodes/nope/proxy/metrics", 'Error from server (NotFound): nodes "nope" not found\n'],
      ["/api/v1/nodes/k8s-node1/proxy/nope", "Error from server (NotFound): the server could not find the requested resource\n"],
      ["/api/v1/nodes/k8s-node1:10255/proxy/metrics", "Error from server (ServiceUnavailable): error trying to reach service: dial tcp 172.18.0.3:10255: connect: connection refused\n"],
    ] as const) {
      const real = await h.kubectl(["get", "--raw", path]);
      assert.deepEqual([real.code, real.out, real.err], [1, "", err], path);
      assert.deepEqual(h.cluster.kubectlSync(["get", "--raw", path]), { stdout: "", stderr: err, exitCode: 1 }, path);
    }
    // RBAC: nodes/proxy is cluster-admin's and system:kubelet-api-admin's, not a service account's.
    const sa = await h.kubectl(["get", "--raw", "/api/v1/nodes/k8s-node1/proxy/metrics", "--as=system:serviceaccount:default:default"]);
    assert.deepEqual([sa.code, sa.err], [1, 'Error from server (Forbidden): nodes "k8s-node1" is forbidden: User "system:serviceaccount:default:default" cannot get resource "nodes/proxy" in API group "" at the cluster scope\n']);
  });
});
