import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork } from "./network.ts";
import { apiServerHost, APISERVER_ADDRESS, APISERVER_PORT } from "./apiserverhost.ts";

test("the API server on the node network: the kubernetes Service reaches it; bearer tokens, anonymous and RBAC as kube-apiserver", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.advance("10s");
  const token = (await c.kubectl("kubectl create token default")).stdout.trim();
  const net = clusterNetwork(c.ctx);
  const get = (url: string, headers: Record<string, string> = {}) => {
    const o = net.exchange({ method: "GET", url, headers: { "User-Agent": "kube", ...headers } }).outcome;
    assert.ok(o.ok);
    return { status: o.status, body: JSON.parse(o.body), tls: o.tls };
  };
  // Through the Service's ClusterIP (10.96.0.1:443 → 172.18.0.2:6443), over TLS.
  const api = get("https://10.96.0.1:443/api", { Authorization: `Bearer ${token}` });
  assert.deepEqual(api, { status: 200, body: { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "172.18.0.2:6443" }] }, tls: true });
  // The service account may not list pods; anonymous may not read /api but may read /version.
  const pods = get(`https://${APISERVER_ADDRESS}:${APISERVER_PORT}/api/v1/namespaces/default/pods`, { Authorization: `Bearer ${token}` });
  assert.equal(pods.status, 403);
  assert.equal(pods.body.message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
  const anon = get("https://10.96.0.1:443/api");
  assert.deepEqual(anon.body, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'forbidden: User "system:anonymous" cannot get path "/api"', reason: "Forbidden", details: {}, code: 403 });
  assert.equal(get("https://10.96.0.1:443/version").status, 200);
  // A token the authenticator refuses: 401.
  assert.deepEqual(get("https://10.96.0.1:443/api", { Authorization: "Bearer nope" }).body, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
  // Only the secure port listens.
  const host = apiServerHost(c.ctx);
  assert.equal(host.listening(6443), true);
  assert.equal(host.listening(8080), false);
  assert.equal(net.exchange({ method: "GET", url: `http://${APISERVER_ADDRESS}:8080/` }).outcome.ok, false);
});
