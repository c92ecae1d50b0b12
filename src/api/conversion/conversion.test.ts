import { test } from "node:test";
import assert from "node:assert/strict";
import { convertFromStorage, convertToStorage } from "./index.ts";
import { BUILTIN_RESOURCES } from "../resources.ts";
import type { KObject } from "../types.ts";

const served = (group: string, version: string, kind: string) => BUILTIN_RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind)!;

test("events.k8s.io/v1 Events are core Events renamed (pkg/apis/events/v1/conversion.go)", () => {
  const ev = served("events.k8s.io", "v1", "Event");
  const core: KObject = {
    apiVersion: "v1", kind: "Event", metadata: { name: "e", namespace: "default" },
    involvedObject: { kind: "Pod", name: "p" }, message: "Started container app", reason: "Started", type: "Normal",
    source: { component: "kubelet", host: "n1" }, count: 2, firstTimestamp: "2024-01-08T00:00:00Z", lastTimestamp: "2024-01-08T00:00:05Z", reportingComponent: "kubelet", reportingInstance: "n1",
  };
  const v1 = convertFromStorage(core, ev);
  assert.equal(v1.apiVersion, "events.k8s.io/v1");
  assert.equal(v1.note, "Started container app");
  assert.deepEqual(v1.regarding, { kind: "Pod", name: "p" });
  assert.equal(v1.reportingController, "kubelet");
  assert.deepEqual(v1.deprecatedSource, { component: "kubelet", host: "n1" });
  assert.equal(v1.deprecatedCount, 2);
  assert.equal(v1.message, undefined);
  assert.deepEqual(convertToStorage(v1, ev), core);
});

test("autoscaling/v1 HPAs: targetCPUUtilizationPercentage is a cpu Utilization metric in v2", () => {
  const v1r = served("autoscaling", "v1", "HorizontalPodAutoscaler");
  const v1: KObject = {
    apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "php-apache" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "php-apache" }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 0 },
  };
  const v2 = convertToStorage(v1, v1r);
  assert.equal(v2.apiVersion, "autoscaling/v2");
  assert.deepEqual(v2.spec.metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }]);
  assert.deepEqual(v2.status.currentMetrics, [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 0 } } }]);
  assert.deepEqual(convertFromStorage(v2, v1r), v1);
});
