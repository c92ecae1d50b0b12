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

test("RBAC decides once per request on the request's own verb (filters/authorization.go): a PATCH needs `patch` alone, a deletecollection `deletecollection`; the 403 names them", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.advance("10s");
  const token = (await c.kubectl("kubectl create token default")).stdout.trim();
  for (const cmd of [
    "kubectl create configmap cm --from-literal=a=1",
    "kubectl create role patcher --verb=patch --resource=configmaps",
    "kubectl create rolebinding patcher --role=patcher --serviceaccount=default:default",
    "kubectl create role secrets-editor --verb=get,update --resource=secrets",
    "kubectl create rolebinding secrets-editor --role=secrets-editor --serviceaccount=default:default",
    "kubectl create secret generic s --from-literal=a=1",
    "kubectl create role lister --verb=list,delete --resource=pods",
    "kubectl create rolebinding lister --role=lister --serviceaccount=default:default",
  ]) assert.equal((await c.kubectl(cmd)).exitCode, 0, cmd);
  const net = clusterNetwork(c.ctx);
  const send = (method: string, path: string, body?: string, type = "application/merge-patch+json") => {
    const o = net.exchange({ method, url: `https://10.96.0.1:443${path}`, headers: { Authorization: `Bearer ${token}`, "Content-Type": type }, ...(body === undefined ? {} : { body }) }).outcome;
    assert.ok(o.ok);
    return { status: o.status, body: JSON.parse(o.body) };
  };
  const forbidden = (what: string, verb: string, resource: string) =>
    `${what} is forbidden: User "system:serviceaccount:default:default" cannot ${verb} resource "${resource}" in API group "" in the namespace "default"`;
  // `patch` alone: the handler's read and write of the object are the request's, not checked again.
  const patched = send("PATCH", "/api/v1/namespaces/default/configmaps/cm", '{"data":{"a":"2"}}');
  assert.deepEqual([patched.status, patched.body.data], [200, { a: "2" }]);
  assert.equal(c.api.get("ConfigMap", "default", "cm")?.data?.a, "2");
  // get and update, no patch: the PATCH is refused as a patch.
  const refused = send("PATCH", "/api/v1/namespaces/default/secrets/s", '{"stringData":{"a":"2"}}');
  assert.deepEqual([refused.status, refused.body.message, refused.body.details], [403, forbidden('secrets "s"', "patch", "secrets"), { name: "s", kind: "secrets" }]);
  // list and delete, no deletecollection: a DELETE of the collection is refused as a deletecollection.
  const collection = send("DELETE", "/api/v1/namespaces/default/pods", undefined, "application/json");
  assert.deepEqual([collection.status, collection.body.message], [403, forbidden("pods", "deletecollection", "pods")]);
  assert.equal(send("GET", "/api/v1/namespaces/default/pods").status, 200);
});

test("Roles written through the in-pod API server still pass RBAC's escalation check", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.advance("10s");
  const token = (await c.kubectl("kubectl create token default")).stdout.trim();
  for (const cmd of ["kubectl create role role-writer --verb=create --resource=roles", "kubectl create rolebinding role-writer --role=role-writer --serviceaccount=default:default"]) {
    assert.equal((await c.kubectl(cmd)).exitCode, 0, cmd);
  }
  const net = clusterNetwork(c.ctx);
  const role = JSON.stringify({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "secrets" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] });
  const o = net.exchange({ method: "POST", url: "https://10.96.0.1:443/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: role }).outcome;
  assert.ok(o.ok);
  assert.equal(o.status, 403);
  assert.match(JSON.parse(o.body).message, /^roles\.rbac\.authorization\.k8s\.io "secrets" is forbidden: user "system:serviceaccount:default:default" .* is attempting to grant RBAC permissions not currently held:/);
  assert.equal(c.api.get("Role", "default", "secrets"), undefined);
});
