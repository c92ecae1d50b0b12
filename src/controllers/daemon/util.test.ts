import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import {
  addOrUpdateToleration,
  allowsSurge,
  createPodTemplate,
  getTargetNodeName,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceDaemonSetPodNodeNameNodeAffinity,
  surgeCount,
  unavailableCount,
} from "./util.ts";

const node = (name: string, o: { labels?: Record<string, string>; taints?: any[] } = {}): KObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name, ...(o.labels ?? {}) } },
  spec: o.taints ? { taints: o.taints } : {},
});

const ds = (spec: any = {}, strategy: any = undefined): KObject => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "ds", namespace: "default" },
  spec: {
    selector: { matchLabels: { app: "ds" } },
    template: { metadata: { labels: { app: "ds" } }, spec: { containers: [{ name: "c", image: "busybox" }], ...spec } },
    ...(strategy ? { updateStrategy: strategy } : {}),
  },
});

// daemon_controller_test.go TestNodeShouldRunDaemonPod and the taint/selector cases around it.
test("NodeShouldRunDaemonPod", () => {
  const cases: Array<[string, KObject, KObject, boolean, boolean]> = [
    ["no constraints", node("n1"), ds(), true, true],
    ["nodeName matches", node("n1"), ds({ nodeName: "n1" }), true, true],
    ["nodeName differs", node("n1"), ds({ nodeName: "n2" }), false, false],
    ["nodeSelector matches", node("n1", { labels: { disk: "ssd" } }), ds({ nodeSelector: { disk: "ssd" } }), true, true],
    ["nodeSelector differs", node("n1"), ds({ nodeSelector: { disk: "ssd" } }), false, false],
    [
      "required node affinity differs",
      node("n1"),
      ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "type", operator: "In", values: ["production"] }] }] } } } }),
      false,
      false,
    ],
    ["untolerated NoSchedule taint: keeps a running pod", node("n1", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }), ds(), false, true],
    ["untolerated NoExecute taint: evicts", node("n1", { taints: [{ key: "k", value: "v", effect: "NoExecute" }] }), ds(), false, false],
    ["PreferNoSchedule is ignored", node("n1", { taints: [{ key: "k", value: "v", effect: "PreferNoSchedule" }] }), ds(), true, true],
    ["tolerated taint", node("n1", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }), ds({ tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "NoSchedule" }] }), true, true],
    ["control-plane taint without toleration", node("cp", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }), ds(), false, true],
    ["daemon tolerations: unschedulable", node("n1", { taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] }), ds(), true, true],
    ["daemon tolerations: not-ready NoExecute", node("n1", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] }), ds(), true, true],
    ["daemon tolerations: memory pressure", node("n1", { taints: [{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }] }), ds(), true, true],
    ["network-unavailable needs hostNetwork", node("n1", { taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }] }), ds(), false, true],
    ["network-unavailable with hostNetwork", node("n1", { taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }] }), ds({ hostNetwork: true }), true, true],
  ];
  for (const [name, n, d, shouldRun, shouldContinueRunning] of cases) {
    assert.deepEqual(nodeShouldRunDaemonPod(n, d), { shouldRun, shouldContinueRunning }, name);
  }
});

test("AddOrUpdateTolerationInPodSpec: appends, replaces a matching one, leaves an equal one", () => {
  const spec: any = { tolerations: [{ key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 5 }] };
  assert.equal(addOrUpdateToleration(spec, { key: "b", operator: "Exists", effect: "NoSchedule" }), true);
  assert.equal(spec.tolerations.length, 2);
  assert.equal(addOrUpdateToleration(spec, { key: "b", operator: "Exists", effect: "NoSchedule" }), false);
  assert.equal(addOrUpdateToleration(spec, { key: "a", operator: "Exists", effect: "NoExecute" }), true);
  assert.deepEqual(spec.tolerations, [{ key: "a", operator: "Exists", effect: "NoExecute" }, { key: "b", operator: "Exists", effect: "NoSchedule" }]);
});

test("CreatePodTemplate: daemon tolerations in upstream's order, generation and hash labels", () => {
  const t = createPodTemplate(ds().spec.template, 2, "abc");
  assert.deepEqual(t.metadata.labels, { app: "ds", "controller-revision-hash": "abc", "pod-template-generation": "2" });
  assert.deepEqual(
    t.spec.tolerations!.map((x) => `${x.key}:${x.effect}`),
    [
      "node.kubernetes.io/not-ready:NoExecute",
      "node.kubernetes.io/unreachable:NoExecute",
      "node.kubernetes.io/disk-pressure:NoSchedule",
      "node.kubernetes.io/memory-pressure:NoSchedule",
      "node.kubernetes.io/pid-pressure:NoSchedule",
      "node.kubernetes.io/unschedulable:NoSchedule",
    ],
  );
  const pod: KObject = { apiVersion: "v1", kind: "Pod", metadata: { labels: t.metadata.labels }, spec: {} };
  assert.equal(isPodUpdated(pod, "abc", undefined), true);
  assert.equal(isPodUpdated(pod, "xyz", 2), true, "the template generation matches");
  assert.equal(isPodUpdated(pod, "xyz", 3), false);
});

// daemonset_util_test.go TestReplaceDaemonSetPodNodeNameNodeAffinity.
test("ReplaceDaemonSetPodNodeNameNodeAffinity", () => {
  const want = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["host_1"] }] }] } } };
  assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(undefined, "host_1"), want);
  assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "In", values: ["b"] }] }] } } }, "host_1"), want);
  const withPreferred = replaceDaemonSetPodNodeNameNodeAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }] } }, "host_1");
  assert.deepEqual(withPreferred.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution, want.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
  assert.equal(withPreferred.nodeAffinity!.preferredDuringSchedulingIgnoredDuringExecution!.length, 1);
  const podAffinity = replaceDaemonSetPodNodeNameNodeAffinity({ podAffinity: {} }, "host_1");
  assert.deepEqual(podAffinity, { podAffinity: {}, ...want });
});

// daemonset_util_test.go TestGetTargetNodeName.
test("GetTargetNodeName", () => {
  const pod = (spec: any): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec });
  assert.equal(getTargetNodeName(pod({ nodeName: "node-1" })), "node-1");
  assert.equal(getTargetNodeName(pod({ affinity: replaceDaemonSetPodNodeNameNodeAffinity(undefined, "node-2") })), "node-2");
  assert.equal(getTargetNodeName(pod({})), undefined);
  assert.equal(getTargetNodeName(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a", "b"] }] }] } } } })), undefined);
});

test("SurgeCount and UnavailableCount round up; OnDelete has none", () => {
  const rolling = (ru: any) => ds({}, { type: "RollingUpdate", rollingUpdate: ru });
  assert.equal(unavailableCount(rolling({ maxUnavailable: "10%" }), 5), 1);
  assert.equal(unavailableCount(rolling({ maxUnavailable: 2 }), 5), 2);
  assert.equal(surgeCount(rolling({ maxSurge: "30%" }), 5), 2);
  assert.equal(surgeCount(rolling({ maxSurge: 0 }), 5), 0);
  assert.equal(allowsSurge(rolling({ maxSurge: "1%" })), true);
  assert.equal(allowsSurge(rolling({ maxSurge: 0 })), false);
  assert.equal(unavailableCount(ds({}, { type: "OnDelete" }), 5), 0);
});
