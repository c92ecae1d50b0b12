import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { RESYNC_MS } from "./available.ts";

/** The Available condition of an APIService as `reason: message` (`True` for status True). */
function available(c: Cluster, name: string): string | undefined {
  const cond = (c.api.get("APIService", undefined, name)?.status?.conditions ?? []).find((x: { type: string }) => x.type === "Available");
  return cond ? `${cond.status} ${cond.reason}: ${cond.message}` : undefined;
}

const apiService = (service?: { name: string; namespace: string; port?: number }) => ({
  apiVersion: "apiregistration.k8s.io/v1",
  kind: "APIService",
  metadata: { name: "v1beta1.example.io" },
  spec: { group: "example.io", version: "v1beta1", groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, ...(service ? { service } : {}) },
});

// The cases of kube-aggregator's available_controller_test.go (TestSync) the simulation can build.
test("an APIService without a service is Local (local_available_controller.go)", () => {
  const c = new Cluster();
  c.api.create(apiService());
  c.clock.settle();
  assert.equal(available(c, "v1beta1.example.io"), "True Local: Local APIServices are always available");
});

test("remote APIServices: no service, no port, no endpoints, no ready address (the checks in order)", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.api.create(apiService({ name: "api", namespace: "default" }));
  c.clock.settle();
  // SetDefaults_ServiceReference: port 443.
  assert.equal(c.api.get("APIService", undefined, "v1beta1.example.io")?.spec.service.port, 443);
  assert.equal(available(c, "v1beta1.example.io"), 'False ServiceNotFound: service/api in "default" is not present');
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {ports: [{name: web, port: 8443}]}\n");
  c.clock.settle();
  assert.equal(available(c, "v1beta1.example.io"), 'False ServicePortError: service/api in "default" is not listening on port 443');
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {ports: [{name: https, port: 443}]}\n");
  c.clock.settle();
  // A Service without a selector has no Endpoints object.
  assert.equal(available(c, "v1beta1.example.io"), 'False EndpointsNotFound: cannot find endpoints for service/api in "default"');
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{name: https, port: 443, targetPort: 8443}]}\n");
  c.clock.settle();
  assert.equal(available(c, "v1beta1.example.io"), 'False MissingEndpoints: endpoints for service/api in "default" have no addresses with port name "https"');
});

test("the discovery check: a plain HTTP server fails it (FailedDiscoveryCheck), then the condition's time stays while it keeps failing", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.api.create(apiService({ name: "api", namespace: "default" }));
  // The generic process answers 200 on every path, but over plain HTTP.
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{name: https, port: 443, targetPort: 8443}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, labels: {app: api}}\nspec: {containers: [{name: api, image: example.com/api:1, ports: [{containerPort: 8443}]}]}\n");
  c.advanceSync(10_000);
  const ip = c.api.get("Service", "default", "api")?.spec.clusterIP;
  assert.ok(ip);
  const url = "https://api.default.svc:443/apis/example.io/v1beta1";
  assert.equal(available(c, "v1beta1.example.io"), `False FailedDiscoveryCheck: failing or missing response from ${url}: Get ${JSON.stringify(url)}: http: server gave HTTP response to HTTPS client`);
  const since = c.api.get("APIService", undefined, "v1beta1.example.io")?.status.conditions[0].lastTransitionTime;
  c.advanceSync(2 * RESYNC_MS);
  assert.equal(c.api.get("APIService", undefined, "v1beta1.example.io")?.status.conditions[0].lastTransitionTime, since);
  c.kubectlSync("delete pod api --wait=false");
  c.advanceSync(60_000);
  assert.equal(available(c, "v1beta1.example.io"), 'False MissingEndpoints: endpoints for service/api in "default" have no addresses with port name "https"');
});

test("metrics-server's manifest: Available once its pod is ready (Passed), and back to MissingEndpoints when it goes away; kubectl top follows", async () => {
  const c = new Cluster({ rootDir: process.cwd() });
  c.addNodesFromTable([{ name: "n1" }]);
  c.kubectlSync(["apply", "-f", "exercises/apps/metrics-server/components.yaml"]);
  c.kubectlSync(["patch", "deployment", "metrics-server", "-n", "kube-system", "--type=json", "-p", '[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]']);
  c.advanceSync(10_000);
  assert.equal(available(c, "v1beta1.metrics.k8s.io"), 'False MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"');
  const top = c.kubectlSync("top nodes");
  assert.equal(top.stderr, "Error from server (ServiceUnavailable): the server is currently unable to handle the request (get nodes.metrics.k8s.io)\n");
  c.advanceSync(30_000);
  assert.equal(available(c, "v1beta1.metrics.k8s.io"), "True Passed: all checks passed");
  assert.equal(c.kubectlSync("top nodes").exitCode, 0);
  c.kubectlSync("scale deployment metrics-server -n kube-system --replicas=0");
  c.advanceSync(60_000);
  assert.equal(available(c, "v1beta1.metrics.k8s.io"), 'False MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"');
  // Deleting the APIService gives the metrics API back to the cluster's built-in metrics-server.
  c.kubectlSync("delete apiservice v1beta1.metrics.k8s.io");
  assert.equal(c.kubectlSync("top nodes").exitCode, 0);
  await c.close();
});
