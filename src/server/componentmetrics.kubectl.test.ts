// The components' /metrics through the facade, read by the real kubectl (v1.32 from PATH): the
// API server's own metrics (`kubectl get --raw /metrics`), as the in-process kubectl prints them,
// with the Prometheus text format's Content-Type, and RBAC's default roles deciding who may read
// them (the `/metrics` non-resource URL: system:monitoring's, cluster-admin's; not a service account's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

test("kubectl get --raw /metrics reads kube-apiserver's metrics; RBAC's system:monitoring may, a service account may not", { skip: NO_KUBECTL, timeout: 60_000 }, async () => {
  await withKubectl(async (h) => {
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
