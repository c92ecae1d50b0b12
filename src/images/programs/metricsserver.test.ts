import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";

const IMAGE = "registry.k8s.io/metrics-server/metrics-server:v0.7.2";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-worker" }]);
  return c;
}

/** A metrics-server pod as the release manifest runs it (service account with its RBAC, or none). */
function apply(c: Cluster, args: string[], rbac = true): void {
  const rbacYaml = rbac
    ? `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ms}\nrules: [{apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ms}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ms}\nsubjects: [{kind: ServiceAccount, name: ms, namespace: default}]\n`
    : "";
  c.applySync(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ms}\n${rbacYaml}---\napiVersion: v1\nkind: Pod\nmetadata: {name: ms}\nspec:\n  serviceAccountName: ms\n  containers:\n  - name: metrics-server\n    image: ${IMAGE}\n    args: ${JSON.stringify(args)}\n`);
}

function get(c: Cluster, path: string, scheme = "https"): string {
  const ip = c.api.get("Pod", "default", "ms")!.status!.podIP;
  const o = requestAndWait(c.ctx, `http://${ip}:10250${path}`).outcome;
  if (!o.ok) return o.error;
  // What a client of that scheme gets (src/runtime/tls.ts): the server speaks TLS.
  assert.equal(o.tls, true);
  return scheme === "https" ? `${o.status} ${o.body}` : "400";
}

test("without --kubelet-insecure-tls every scrape fails on the kubelet's certificate and /readyz stays 500", () => {
  const c = cluster();
  apply(c, ["--cert-dir=/tmp", "--secure-port=10250", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-use-node-status-port", "--metric-resolution=15s"]);
  c.advanceSync(40_000);
  assert.equal(get(c, "/livez"), "200 ok");
  assert.match(get(c, "/readyz"), /^500 \[-\]metric-storage-ready failed/);
  assert.match(get(c, "/apis/metrics.k8s.io/v1beta1"), /^200 \{"kind":"APIResourceList"/);
  const logs = c.kubectlSync("logs ms").stdout.split("\n").filter(Boolean);
  const scrapes = logs.filter((l) => l.includes("Failed to scrape node"));
  // At start, then every 15 s.
  assert.equal(scrapes.length, 3);
  assert.match(scrapes[0]!, /^E0108 00:00:0\d\.\d{6} {7}1 scraper\.go:149\] "Failed to scrape node" err="Get \\"https:\/\/172\.18\.0\.\d+:10250\/metrics\/resource\\": tls: failed to verify certificate: x509: cannot validate certificate for 172\.18\.0\.\d+ because it doesn't contain any IP SANs" node="kind-worker"$/);
  assert.ok(logs.some((l) => /^I0108 .* 1 server\.go:191\] "Failed probe" probe="metric-storage-ready" err="no metrics to serve"$/.test(l)));
});

test("with --kubelet-insecure-tls it is ready from its second scrape", () => {
  const c = cluster();
  apply(c, ["--secure-port=10250", "--kubelet-insecure-tls", "--metric-resolution=15s"]);
  c.advanceSync(10_000);
  assert.match(get(c, "/readyz"), /^500 /);
  c.advanceSync(10_000);
  assert.equal(get(c, "/readyz"), "200 ok");
  // Only the readiness request before the second scrape is logged.
  assert.match(c.kubectlSync("logs ms").stdout, /^I0108 00:00:1\d\.\d{6} {7}1 server\.go:191\] "Failed probe" probe="metric-storage-ready" err="no metrics to serve"\n$/);
});

test("a service account without the nodes list permission: \"Failed to list nodes\" with the API server's 403", () => {
  const c = cluster();
  apply(c, ["--secure-port=10250", "--kubelet-insecure-tls"], false);
  c.advanceSync(5_000);
  assert.match(c.kubectlSync("logs ms").stdout, /scraper\.go:119\] "Failed to list nodes" err="nodes is forbidden: User \\"system:serviceaccount:default:ms\\" cannot list resource \\"nodes\\" in API group \\"\\" at the cluster scope"\n$/);
});

test("an unknown flag stops it as cobra does", () => {
  const c = cluster();
  apply(c, ["--no-such-flag"]);
  c.advanceSync(5_000);
  assert.equal(c.kubectlSync("logs ms").stdout, "Error: unknown flag: --no-such-flag\n");
});
