import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generateServerConfiguration, unsupportedFields, type MonitorObject, type PrometheusObject } from "./promcfg.ts";

// pkg/prometheus/promcfg_test.go at v0.80.1: defaultPrometheus() and the golden files of ./testdata.
const golden = (name: string) => readFileSync(new URL(`./testdata/${name}.golden`, import.meta.url), "utf8");
const prom: PrometheusObject = { metadata: { name: "test", namespace: "default" }, spec: { scrapeInterval: "30s", evaluationInterval: "30s" } };
const one = (key: string, m: MonitorObject) => new Map([[key, m]]);

test("TestMatchExpressionsServiceMonitor: an In expression becomes a keep on the service label and its presence", () => {
  const sm: MonitorObject = { metadata: { name: "test", namespace: "default" }, spec: { selector: { matchExpressions: [{ key: "alpha", operator: "In", values: ["beta", "gamma"] }] }, endpoints: [{ port: "web", interval: "30s" }] } };
  assert.equal(generateServerConfiguration(prom, one("test", sm), new Map()), golden("MatchExpressionsServiceMonitor"));
});

test("TestEmptyEndpointPorts: an endpoint without a port keeps every port and writes no endpoint label", () => {
  const sm: MonitorObject = { metadata: { name: "test", namespace: "default" }, spec: { selector: { matchLabels: { foo: "bar" } }, endpoints: [{}] } };
  assert.equal(generateServerConfiguration(prom, one("test", sm), new Map()), golden("EmptyEndpointPorts"));
});

test("TestPodTargetLabels: a ServiceMonitor's podTargetLabels copy pod labels", () => {
  const sm: MonitorObject = { metadata: { name: "testservicemonitor1", namespace: "default", labels: { group: "group1" } }, spec: { podTargetLabels: ["example", "env"], endpoints: [{ port: "web", interval: "30s" }] } };
  assert.equal(generateServerConfiguration(prom, one("testservicemonitor1", sm), new Map()), golden("PodTargetLabels"));
});

test("TestPodTargetLabelsFromPodMonitor: a PodMonitor's job is <namespace>/<name>", () => {
  const pm: MonitorObject = { metadata: { name: "testpodmonitor1", namespace: "default", labels: { group: "group1" } }, spec: { podTargetLabels: ["example", "env"], podMetricsEndpoints: [{ port: "web", interval: "30s" }] } };
  assert.equal(generateServerConfiguration(prom, new Map(), one("testpodmonitor1", pm)), golden("PodTargetLabelsFromPodMonitor"));
});

test("fields the model does not generate are named, never dropped silently", () => {
  const sm: MonitorObject = { metadata: { name: "x", namespace: "default" }, spec: { selector: {}, sampleLimit: 10, endpoints: [{ port: "web", tlsConfig: {} }, { port: "w", relabelings: [] }] } };
  assert.deepEqual(unsupportedFields(sm, "ServiceMonitor"), ["spec.sampleLimit", "spec.endpoints[0].tlsConfig", "spec.endpoints[1].relabelings"]);
  assert.deepEqual(unsupportedFields({ metadata: {}, spec: { selector: {}, podMetricsEndpoints: [{ port: "web" }] } }, "PodMonitor"), []);
});
