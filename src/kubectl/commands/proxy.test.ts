import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { acceptRequest, makeRegexpArray } from "./proxy.ts";

// staging/src/k8s.io/kubectl/pkg/proxy/proxy_server_test.go TestAccept (its rows with the default filter).
test("the proxy's filter: accepted hosts and paths, rejected paths and methods (upstream's TestAccept)", () => {
  const f = (acceptPaths = "^.*", rejectPaths = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach", acceptHosts = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$", rejectMethods = "^$") => ({
    acceptHosts: makeRegexpArray(acceptHosts),
    acceptPaths: makeRegexpArray(acceptPaths),
    rejectPaths: makeRegexpArray(rejectPaths),
    rejectMethods: makeRegexpArray(rejectMethods),
  });
  const rows: Array<[ReturnType<typeof f>, string, string, string, boolean]> = [
    [f(), "GET", "/api/v1/pods", "127.0.0.1", true],
    [f(), "GET", "/api/v1/pods", "localhost", true],
    [f(), "GET", "/api/v1/namespaces/default/pods/foo/exec", "127.0.0.1", false],
    [f(), "GET", "/api/v1/namespaces/default/pods/foo/attach", "127.0.0.1", false],
    [f(), "GET", "/api/v1/pods", "evil.com", false],
    [f(), "GET", "/api/v1/pods", "[::1]", true],
    [f("^/api/v1/.*"), "GET", "/apis/apps/v1/deployments", "localhost", false],
    [f(undefined, undefined, undefined, "^POST"), "POST", "/api/v1/pods", "localhost", false],
    [f(undefined, undefined, undefined, "^POST"), "GET", "/api/v1/pods", "localhost", true],
  ];
  for (const [filter, method, path, host, want] of rows) assert.equal(acceptRequest(filter, method, path, host), want, `${method} ${path} ${host}`);
  assert.throws(() => makeRegexpArray("(oops"), /error parsing regexp/);
});

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
      - name: hello
        image: gcr.io/google-samples/hello-app:1.0
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  selector: {app: hello}
  ports:
  - port: 80
    targetPort: 8080
`;

test("kubectl proxy &: the API as curl gets it (indented JSON), and the pods' and services' proxy subresources", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(WEB);
  await c.advance("30s");
  const pod = c.ctx.api.list("Pod")[0]!.metadata.name!;
  assert.deepEqual(await c.kubectl("kubectl proxy --port=8080 &"), { stdout: "Starting to serve on 127.0.0.1:8080\n", stderr: "", exitCode: 0 });
  assert.equal(
    (await c.kubectl("curl -s http://localhost:8080/api/")).stdout,
    `{\n  "kind": "APIVersions",\n  "versions": [\n    "v1"\n  ],\n  "serverAddressByClientCIDRs": [\n    {\n      "clientCIDR": "0.0.0.0/0",\n      "serverAddress": "172.18.0.2:6443"\n    }\n  ]\n}\n`,
  );
  // Another User-Agent gets compact JSON.
  assert.equal((await c.kubectl(`curl -s -A kube http://localhost:8080/api`)).stdout, `{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"172.18.0.2:6443"}]}`);
  const got = JSON.parse((await c.kubectl(`curl -s http://localhost:8080/api/v1/namespaces/default/pods/${pod}`)).stdout);
  assert.equal(got.kind, "Pod");
  assert.equal(got.metadata.name, pod);
  const list = JSON.parse((await c.kubectl(`curl -s http://localhost:8080/apis/apps/v1/namespaces/default/deployments`)).stdout);
  assert.equal(list.kind, "DeploymentList");
  assert.deepEqual(list.items.map((d: { metadata: { name: string } }) => d.metadata.name), ["hello"]);
  const missing = JSON.parse((await c.kubectl(`curl -s http://localhost:8080/api/v1/namespaces/default/pods/nope`)).stdout);
  assert.deepEqual(missing, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'pods "nope" not found', reason: "NotFound", details: { name: "nope", kind: "pods" }, code: 404 });
  assert.equal((await c.kubectl(`curl -s http://localhost:8080/api/v1/namespaces/default/pods/${pod}:8080/proxy/`)).stdout, `Hello, world!\nVersion: 1.0.0\nHostname: ${pod}\n`);
  assert.equal((await c.kubectl(`curl -s http://localhost:8080/api/v1/namespaces/default/services/hello/proxy/`)).stdout, `Hello, world!\nVersion: 1.0.0\nHostname: ${pod}\n`);
  assert.equal((await c.kubectl(`curl -s http://localhost:8080/version`)).exitCode, 0);
  // The filter: exec is refused; a host it does not accept too.
  assert.equal((await c.kubectl(`curl -s http://localhost:8080/api/v1/namespaces/default/pods/${pod}/exec`)).stdout, "Forbidden\n");
  assert.equal((await c.kubectl(`curl -s -H "Host: evil.com" http://localhost:8080/api/`)).stdout, "Forbidden\n");
  // The port is in use now.
  assert.deepEqual(await c.kubectl("kubectl proxy --port=8080 &"), { stdout: "", stderr: "error: listen tcp 127.0.0.1:8080: bind: address already in use\n", exitCode: 0 });
  assert.match((await c.kubectl("kubectl proxy")).stderr, /^error: kubectl proxy keeps running until it is stopped/);
});

test("kubectl proxy forwards every verb: POST, PUT, PATCH (JSON, merge, strategic, of the status too), DELETE with DeleteOptions", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.advance("10s");
  await c.kubectl("kubectl proxy &");
  const curl = async (args: string) => {
    const r = await c.kubectl(`curl -s ${args}`);
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const base = "http://localhost:8001/api/v1/namespaces/default/configmaps";
  // POST creates (201), the kind and apiVersion from the path when the body leaves them out.
  const created = await curl(`-H "Content-Type: application/json" --data '{"metadata":{"name":"cm","labels":{"a":"b"}},"data":{"k":"v"}}' ${base}`);
  assert.equal(created.kind, "ConfigMap");
  assert.deepEqual(created.data, { k: "v" });
  assert.equal(c.ctx.api.get("ConfigMap", "default", "cm")?.data?.k, "v");
  // curl -d without a Content-Type sends a form: refused as the API server's negotiation refuses it.
  const form = await curl(`--data '{"metadata":{"name":"x"}}' ${base}`);
  assert.deepEqual([form.code, form.reason, form.message], [415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"]);
  const badPatch = await curl(`-X PATCH --data '{}' ${base}/cm`);
  assert.equal(badPatch.message, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
  // A merge patch, then a strategic merge patch; the map's keys come back sorted, as Go writes a map.
  await curl(`-X PATCH -H "Content-Type: application/merge-patch+json" --data '{"data":{"b":"2","a":"1"}}' ${base}/cm`);
  const smp = await c.kubectl(`curl -s -X PATCH -H "Content-Type: application/strategic-merge-patch+json" --data '{"data":{"k":null}}' ${base}/cm`);
  assert.match(smp.stdout, /"data": \{\n {4}"a": "1",\n {4}"b": "2"\n {2}\}/);
  // PUT replaces; a name that is not the path's is refused.
  const cm = c.ctx.api.get("ConfigMap", "default", "cm")!;
  const put = await curl(`-X PUT -H "Content-Type: application/json" --data '${JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", resourceVersion: cm.metadata.resourceVersion }, data: { only: "this" } })}' ${base}/cm`);
  assert.deepEqual(put.data, { only: "this" });
  const renamed = await curl(`-X PUT -H "Content-Type: application/json" --data '{"metadata":{"name":"other"}}' ${base}/cm`);
  assert.deepEqual([renamed.code, renamed.message], [400, "the name of the object (other) does not match the name on the URL (cm)"]);
  // A JSON patch of a node's status (the "Advertise Extended Resources for a Node" page).
  const node = await curl(`-H "Content-Type: application/json-patch+json" -X PATCH --data '[{"op": "add", "path": "/status/capacity/example.com~1dongle", "value": "4"}]' http://localhost:8001/api/v1/nodes/n1/status`);
  assert.equal(node.status.capacity["example.com/dongle"], "4");
  assert.equal(c.ctx.api.get("Node", "", "n1")?.status?.capacity?.["example.com/dongle"], "4");
  // A JSON patch that does not apply: the API server's generic 422.
  const missing = await curl(`-H "Content-Type: application/json-patch+json" -X PATCH --data '[{"op": "remove", "path": "/status/capacity/nope"}]' http://localhost:8001/api/v1/nodes/n1/status`);
  assert.equal(missing.code, 422);
  // DELETE: a ConfigMap answers a Success Status naming it; DeleteOptions in the body are validated.
  const bad = await curl(`-X DELETE -H "Content-Type: application/json" --data '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Sideways"}' ${base}/cm`);
  assert.equal(bad.code, 422);
  assert.match(bad.message, /propagationPolicy: Unsupported value: "Sideways"/);
  const gone = await curl(`-X DELETE ${base}/cm`);
  assert.deepEqual([gone.kind, gone.status, gone.details.name, gone.details.kind], ["Status", "Success", "cm", "configmaps"]);
  assert.equal(c.ctx.api.get("ConfigMap", "default", "cm"), undefined);
  // Other subresources are not served in process (kube-scenario serve answers them).
  const scale = await curl(`-X PUT -H "Content-Type: application/json" --data '{}' http://localhost:8001/apis/apps/v1/namespaces/default/deployments/x/scale`);
  assert.equal(scale.code, 404);
});

test("kubectl proxy: a DELETE with propagationPolicy Foreground answers the object with its foregroundDeletion finalizer (Use Cascading Deletion)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(WEB);
  await c.advance("30s");
  await c.kubectl("kubectl proxy --port=8080 &");
  const r = await c.kubectl(`curl -s -X DELETE localhost:8080/apis/apps/v1/namespaces/default/deployments/hello -d '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}' -H "Content-Type: application/json"`);
  const d = JSON.parse(r.stdout);
  assert.equal(d.kind, "Deployment");
  assert.deepEqual(d.metadata.finalizers, ["foregroundDeletion"]);
  assert.ok(d.metadata.deletionTimestamp);
  await c.advance("30s");
  assert.equal(c.ctx.api.get("Deployment", "default", "hello"), undefined);
  assert.equal(c.ctx.api.list("Pod").length, 0);
});
