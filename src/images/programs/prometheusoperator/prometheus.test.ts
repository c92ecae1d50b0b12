import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { Cluster } from "../../../cluster.ts";
import type { KObject } from "../../../api/types.ts";
import { gzipConfig, makeStatefulSet, prometheusImage } from "./prometheus.ts";
import { envsubst } from "./reloader.ts";
import { parseGoDuration } from "./duration.ts";

const E = "exercises/apps/prometheus-operator/example";

function installed(): Cluster {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "kind-worker" }]);
  for (const f of ["exercises/apps/prometheus-operator/bundle.yaml"]) assert.equal(c.kubectlSync(["create", "-f", f]).exitCode, 0);
  c.advanceSync(10_000);
  for (const f of [`${E}/rbac/prometheus`, `${E}/user-guides/getting-started/example-app-deployment.yaml`, `${E}/user-guides/getting-started/example-app-service.yaml`, `${E}/user-guides/getting-started/example-app-service-monitor.yaml`]) {
    const r = c.kubectlSync(["apply", "-f", f]);
    assert.equal(r.exitCode, 0, r.stderr);
  }
  return c;
}

const secretText = (c: Cluster, name: string) => {
  const s = c.api.get("Secret", "default", name) as unknown as { data: Record<string, string> };
  const b = Buffer.from(s.data["prometheus.yaml.gz"]!, "base64");
  return b.length ? gunzipSync(b).toString("utf8") : "";
};

test("GzipConfig: nothing for an empty configuration; gzip with Go's header (no mtime, OS 255) otherwise", () => {
  assert.equal(gzipConfig("").length, 0);
  const gz = gzipConfig("global: {}\n");
  assert.equal(gz[9], 255);
  assert.equal(gunzipSync(gz).toString(), "global: {}\n");
});

test("the image: spec.image, else quay.io/prometheus/prometheus at spec.version or the operator's default v3.1.0", () => {
  const p = (spec: Record<string, unknown>) => ({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "p", namespace: "default" }, spec }) as never;
  assert.equal(prometheusImage(p({})), "quay.io/prometheus/prometheus:v3.1.0");
  assert.equal(prometheusImage(p({ version: "2.55.1" })), "quay.io/prometheus/prometheus:v2.55.1");
  assert.equal(prometheusImage(p({ image: "example.com/prom:x" })), "example.com/prom:x");
});

test("makeStatefulSet: the governing Service, the selector labels, the containers and the volumes of statefulset.go", () => {
  const p = { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "k8s", namespace: "monitoring", uid: "u1", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", team: "a" } }, spec: { serviceAccountName: "prometheus" } } as never;
  const s = makeStatefulSet(p, "quay.io/prometheus-operator/prometheus-config-reloader:v0.80.1", "42") as unknown as { metadata: { annotations: Record<string, string>; ownerReferences: Array<{ controller?: boolean }> }; spec: { serviceName: string; podManagementPolicy: string; selector: { matchLabels: Record<string, string> }; template: { spec: { containers: Array<{ name: string }>; initContainers: Array<{ name: string; args: string[] }>; volumes: Array<{ name: string }>; terminationGracePeriodSeconds: number } } } };
  assert.equal(s.spec.serviceName, "prometheus-operated");
  assert.equal(s.spec.podManagementPolicy, "Parallel");
  assert.deepEqual(s.spec.selector.matchLabels, { "app.kubernetes.io/instance": "k8s", "app.kubernetes.io/managed-by": "prometheus-operator", "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": "k8s", "operator.prometheus.io/shard": "0", prometheus: "k8s" });
  assert.deepEqual(s.metadata.annotations, { team: "a", "prometheus-operator-input-hash": "42" }, "kubectl's annotations are not copied");
  assert.equal(s.metadata.ownerReferences[0]!.controller, true);
  assert.deepEqual(s.spec.template.spec.containers.map((x) => x.name), ["prometheus", "config-reloader"]);
  assert.deepEqual(s.spec.template.spec.initContainers[0]!.args.slice(0, 2), ["--watch-interval=0", "--listen-address=:8081"]);
  assert.deepEqual(s.spec.template.spec.volumes.map((v) => v.name), ["config", "tls-assets", "config-out", "prometheus-k8s-rulefiles-0", "web-config", "prometheus-k8s-db"]);
  assert.equal(s.spec.template.spec.terminationGracePeriodSeconds, 600);
});

test("a Prometheus without selectors leaves its configuration unmanaged: an empty Secret, created once", () => {
  const c = installed();
  assert.equal(c.kubectlSync(["apply", "-f", `${E}/user-guides/getting-started/prometheus.yaml`]).exitCode, 0);
  c.advanceSync(5_000);
  assert.equal(secretText(c, "prometheus-prometheus"), "");
  assert.ok(c.api.get("StatefulSet", "default", "prometheus-prometheus"));
  assert.ok(c.api.get("Service", "default", "prometheus-operated"));
});

test("the configuration Secret follows the selected ServiceMonitors; a monitor with a field not modelled is left out and named in the log", () => {
  const c = installed();
  assert.equal(c.kubectlSync(["apply", "-f", `${E}/user-guides/getting-started/prometheus-service-monitor.yaml`]).exitCode, 0);
  c.advanceSync(5_000);
  const text = secretText(c, "prometheus-prometheus");
  assert.match(text, /job_name: serviceMonitor\/default\/example-app\/0/);
  assert.match(text, /prometheus_replica: \$\(POD_NAME\)/);
  c.applySync("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: tls, labels: {team: frontend}}\nspec:\n  selector: {matchLabels: {app: x}}\n  endpoints: [{port: web, tlsConfig: {insecureSkipVerify: true}}]\n");
  c.advanceSync(5_000);
  assert.doesNotMatch(secretText(c, "prometheus-prometheus"), /serviceMonitor\/default\/tls/);
  const logs = c.kubectlSync(["logs", "deploy/prometheus-operator"]).stdout;
  assert.match(logs, /skipping servicemonitor: not modelled by kube-scenario" component=prometheus-controller servicemonitor=default\/tls fields=spec.endpoints\[0\].tlsConfig/);
  c.advanceSync(60_000);
  const status = (c.api.get("prometheuses.monitoring.coreos.com", "default", "prometheus") as unknown as { status: { availableReplicas: number; conditions: Array<{ type: string; status: string }> } }).status;
  assert.equal(status.availableReplicas, 1);
  assert.deepEqual(status.conditions.map((x) => `${x.type}=${x.status}`), ["Available=True", "Reconciled=True"]);
});

test("the Prometheus is NoPodReady until its pod is ready, with the pods' messages", () => {
  const c = installed();
  assert.equal(c.kubectlSync(["apply", "-f", `${E}/user-guides/getting-started/prometheus-service-monitor.yaml`]).exitCode, 0);
  c.advanceSync(1_000);
  const st = (c.api.get("prometheuses.monitoring.coreos.com", "default", "prometheus") as KObject & { status?: { conditions?: Array<{ type: string; status: string; reason?: string }> } }).status;
  assert.equal(st?.conditions?.[0]?.status, "False");
  assert.equal(st?.conditions?.[0]?.reason, "NoPodReady");
});

test("the reloader's envsubst and durations", () => {
  assert.equal(envsubst("a: $(POD_NAME) b: $(SHARD) c: $(NOPE) d: $x", { POD_NAME: "p-0", SHARD: "0" }), "a: p-0 b: 0 c: $(NOPE) d: $x");
  assert.equal(parseGoDuration("0"), 0);
  assert.equal(parseGoDuration("3m"), 180_000);
  assert.equal(parseGoDuration("1m30s"), 90_000);
  assert.equal(parseGoDuration("500ms"), 500);
  assert.equal(parseGoDuration("3x"), undefined);
});
