import { test } from "node:test";
import assert from "node:assert/strict";
import { fromList, podConstraints, podMatchesScope, podUsage, prettyPrint, toList } from "./evaluator.ts";
import type { KObject } from "../types.ts";

const pod = (containers: unknown[], spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): KObject =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers, ...spec }, status }) as KObject;
const ctr = (name: string, requests?: Record<string, string>, limits?: Record<string, string>) => ({ name, resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });

test("pod usage: requests and limits under their quota names, init containers as a maximum (pkg/quota/v1/evaluator/core/pods_test.go)", () => {
  const p = pod([ctr("a", { cpu: "100m", memory: "1Gi" }, { cpu: "200m", memory: "2Gi" }), ctr("b", { cpu: "300m" })], {
    initContainers: [ctr("init", { cpu: "1", memory: "1Mi" })],
  });
  assert.deepEqual(fromList(podUsage(p, 0)), {
    "count/pods": "1", cpu: "1", "limits.cpu": "200m", "limits.memory": "2Gi", memory: "1Gi", pods: "1", "requests.cpu": "1", "requests.memory": "1Gi",
  });
  // A terminal pod is counted as an object only.
  assert.deepEqual(fromList(podUsage(pod([ctr("a", { cpu: "1" })], {}, { phase: "Succeeded" }), 0)), { "count/pods": "1" });
});

test("constraints: each container must say what a cpu/memory quota covers", () => {
  const p = pod([ctr("a", { memory: "1Gi" }, { memory: "1Gi" }), ctr("b")]);
  assert.equal(podConstraints(["requests.memory", "limits.cpu", "pods"], p), "must specify limits.cpu for: a,b; requests.memory for: b");
  assert.equal(podConstraints(["pods", "count/pods"], p), undefined);
});

test("scopes: BestEffort, Terminating, PriorityClass", () => {
  const be = pod([ctr("a")]);
  const burst = pod([ctr("a", { cpu: "1" })], { activeDeadlineSeconds: 30, priorityClassName: "high" });
  assert.equal(podMatchesScope({ scopeName: "BestEffort", operator: "Exists" }, be), true);
  assert.equal(podMatchesScope({ scopeName: "NotBestEffort", operator: "Exists" }, burst), true);
  assert.equal(podMatchesScope({ scopeName: "Terminating", operator: "Exists" }, burst), true);
  assert.equal(podMatchesScope({ scopeName: "NotTerminating", operator: "Exists" }, burst), false);
  assert.equal(podMatchesScope({ scopeName: "PriorityClass", operator: "In", values: ["high"] }, burst), true);
  assert.equal(podMatchesScope({ scopeName: "PriorityClass", operator: "NotIn", values: ["high"] }, burst), false);
});

test("prettyPrint sorts by resource name", () => {
  assert.equal(prettyPrint(toList({ "requests.memory": "700Mi", "limits.cpu": "1" })), "limits.cpu=1,requests.memory=700Mi");
});
