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
    `{\n  "kind": "APIVersions",\n  "versions": [\n    "v1"\n  ],\n  "serverAddressByClientCIDRs": [\n    {\n      "clientCIDR": "0.0.0.0/0",\n      "serverAddress": "127.0.0.1:6443"\n    }\n  ]\n}\n`,
  );
  // Another User-Agent gets compact JSON.
  assert.equal((await c.kubectl(`curl -s -A kube http://localhost:8080/api`)).stdout, `{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}`);
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
