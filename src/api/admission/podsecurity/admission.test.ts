// k8s.io/pod-security-admission/admission/admission_test.go (v0.32.4): TestValidateNamespace (but
// its time-outs: the simulation has no request deadline), TestExemptNamespaceWarning's cases,
// TestPrioritizePods and isSignificantPodUpdate, with upstream's fake evaluator (a pod's
// `error` annotation is its violation).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../types.ts";
import type { Pod } from "../../types.gen.ts";
import { DEFAULT_POLICY, ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL, AUDIT_LEVEL_LABEL, WARN_LEVEL_LABEL, LATEST, type LevelVersion, type Policy } from "./api.ts";
import { Admission, extractPodSpec, isSignificantPodUpdate, type PodSecurityConfiguration } from "./admission.ts";
import type { Evaluator } from "./policy/registry.ts";

class TestEvaluator implements Evaluator {
  lv: LevelVersion | undefined;
  evaluatePod(lv: LevelVersion, meta: KObject["metadata"] | undefined) {
    this.lv = lv;
    const error = meta?.annotations?.error;
    return error ? [{ allowed: false, forbiddenReason: error, forbiddenDetail: error }] : [{ allowed: true }];
  }
}

const pod = (name: string, error: string, spec: object = {}, ownerUID?: string): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, annotations: { error }, ...(ownerUID ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: ownerUID, controller: true }] } : {}) },
  spec: { containers: [], ...spec },
});

const defaultPods = [
  pod("noruntimeclasspod", "message"),
  pod("runtimeclass1pod", "message", { runtimeClassName: "runtimeclass1" }),
  pod("runtimeclass2pod", "message", { runtimeClassName: "runtimeclass2" }),
  pod("runtimeclass3pod", "message, message2"),
];

interface NsCase {
  name: string;
  exemptNamespaces?: string[];
  exemptRuntimeClasses?: string[];
  newLabels: Record<string, string>;
  oldLabels?: Record<string, string>;
  defaultPolicy?: Policy;
  pods?: KObject[];
  expectAllowed: boolean;
  expectError?: string;
  expectListPods?: boolean;
  expectEvaluate?: LevelVersion;
  expectWarnings?: string[];
}

function runNamespaceCase(tc: NsCase): void {
  let listed = false;
  const evaluator = new TestEvaluator();
  const config: PodSecurityConfiguration = {
    defaults: tc.defaultPolicy ?? DEFAULT_POLICY,
    exemptions: { namespaces: tc.exemptNamespaces ?? [], runtimeClasses: tc.exemptRuntimeClasses ?? [], usernames: [] },
  };
  const a = new Admission(evaluator, { getNamespace: () => undefined }, { listPods: () => ((listed = true), tc.pods ?? defaultPods) }, config);
  a.namespaceMaxPodsToCheck = 4;
  const ns = (labels: Record<string, string>): KObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "test", labels } });
  const r = a.validateNamespace({
    resource: "namespaces",
    group: "",
    subresource: "",
    operation: tc.oldLabels ? "UPDATE" : "CREATE",
    namespace: "test",
    name: "test",
    object: ns(tc.newLabels),
    oldObject: tc.oldLabels ? ns(tc.oldLabels) : undefined,
  });
  assert.equal(r.allowed, tc.expectAllowed, tc.name);
  const error = r.allowed ? "" : (r.invalid ?? []).map((e) => e.detail).join(", ");
  if (tc.expectError) assert.ok(error.includes(tc.expectError), `${tc.name}: ${error}`);
  else assert.equal(error, "", tc.name);
  assert.equal(listed, !!tc.expectListPods, `${tc.name}: listed pods`);
  assert.deepEqual(evaluator.lv, tc.expectEvaluate, `${tc.name}: evaluated`);
  assert.deepEqual(r.warnings, tc.expectWarnings ?? [], tc.name);
}

const L = (level: string, version?: string) => ({ [ENFORCE_LEVEL_LABEL]: level, ...(version ? { [ENFORCE_VERSION_LABEL]: version } : {}) });
const restrictedLatest: LevelVersion = { level: "restricted", version: LATEST };

test("TestValidateNamespace", () => {
  const cases: NsCase[] = [
    { name: "create privileged", newLabels: L("privileged", "v1.0"), expectAllowed: true },
    { name: "create baseline", newLabels: L("baseline"), expectAllowed: true },
    { name: "create restricted", newLabels: L("restricted"), expectAllowed: true },
    {
      name: "create restricted exempt",
      newLabels: L("restricted"),
      exemptNamespaces: ["test"],
      expectAllowed: true,
      expectWarnings: [`namespace "test" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored`],
    },
    { name: "create malformed level", newLabels: L("unknown"), expectAllowed: false, expectError: "must be one of privileged, baseline, restricted" },
    { name: "create malformed version", newLabels: L("privileged", "unknown"), expectAllowed: false, expectError: `must be "latest" or "v1.x"` },
    { name: "update no-op", newLabels: L("restricted", "v1.0"), oldLabels: L("restricted", "v1.0"), expectAllowed: true },
    { name: "update no-op malformed level", newLabels: L("unknown"), oldLabels: L("unknown"), expectAllowed: true },
    { name: "update no-op malformed version", newLabels: L("baseline", "unknown"), oldLabels: L("baseline", "unknown"), expectAllowed: true },
    { name: "update relax level identical version", newLabels: L("baseline", "v1.0"), oldLabels: L("restricted", "v1.0"), expectAllowed: true },
    { name: "update relax level explicit latest", newLabels: L("baseline", "latest"), oldLabels: L("restricted", "latest"), expectAllowed: true },
    { name: "update relax level implicit latest", newLabels: L("baseline"), oldLabels: L("restricted"), expectAllowed: true },
    { name: "update to explicit privileged", newLabels: L("privileged"), oldLabels: L("restricted", "v1.0"), expectAllowed: true },
    { name: "update to implicit privileged", newLabels: {}, oldLabels: L("restricted", "v1.0"), expectAllowed: true },
    {
      name: "update exempt to restricted",
      exemptNamespaces: ["test"],
      newLabels: { ...L("restricted", "v1.0"), [AUDIT_LEVEL_LABEL]: "restricted", [WARN_LEVEL_LABEL]: "baseline" },
      oldLabels: {},
      expectAllowed: true,
      expectWarnings: [`namespace "test" is exempt from Pod Security, and the policy (enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will be ignored`],
    },
    { name: "update malformed level", newLabels: L("unknown"), oldLabels: L("restricted", "v1.0"), expectAllowed: false, expectError: "must be one of privileged, baseline, restricted" },
    { name: "update malformed version", newLabels: L("privileged", "unknown"), oldLabels: L("restricted", "v1.0"), expectAllowed: false, expectError: `must be "latest" or "v1.x"` },
    {
      name: "update to implicit restricted",
      newLabels: {},
      oldLabels: L("baseline", "v1.0"),
      defaultPolicy: { ...DEFAULT_POLICY, enforce: restrictedLatest },
      expectAllowed: true,
      expectListPods: true,
      expectEvaluate: restrictedLatest,
      expectWarnings: [`existing pods in namespace "test" violate the new PodSecurity enforce level "restricted:latest"`, "noruntimeclasspod (and 2 other pods): message", "runtimeclass3pod: message, message2"],
    },
    {
      name: "update with runtimeclass exempt pods",
      exemptRuntimeClasses: ["runtimeclass1"],
      newLabels: L("restricted"),
      oldLabels: L("baseline"),
      expectAllowed: true,
      expectListPods: true,
      expectEvaluate: restrictedLatest,
      expectWarnings: [`existing pods in namespace "test" violate the new PodSecurity enforce level "restricted:latest"`, "noruntimeclasspod (and 1 other pod): message", "runtimeclass3pod: message, message2"],
    },
    {
      name: "bound number of pods",
      newLabels: L("restricted"),
      oldLabels: L("baseline"),
      pods: [1, 2, 3, 4, 5].map((i) => pod(`pod${i}`, "message")),
      expectAllowed: true,
      expectListPods: true,
      expectEvaluate: restrictedLatest,
      expectWarnings: [`new PodSecurity enforce level only checked against the first 4 of 5 existing pods`, `existing pods in namespace "test" violate the new PodSecurity enforce level "restricted:latest"`, `pod1 (and 3 other pods): message`],
    },
    {
      name: "prioritized pods",
      exemptRuntimeClasses: ["runtimeclass1"],
      newLabels: L("restricted"),
      oldLabels: L("baseline"),
      pods: [
        ...[1, 2, 3, 4].map((i) => pod(`exemptpod${i}`, "message1", { runtimeClassName: "runtimeclass1" })),
        ...[1, 2, 3, 4].map((i) => pod(`replicaset1pod${i}`, "replicaset1error", {}, "1")),
        ...[1, 2, 3, 4].map((i) => pod(`replicaset2pod${i}`, "replicaset2error", {}, "2")),
        ...[1, 2, 3, 4].map((i) => pod(`uniquepod${i}`, `uniquemessage${i}`)),
      ],
      expectAllowed: true,
      expectListPods: true,
      expectEvaluate: restrictedLatest,
      expectWarnings: [
        `new PodSecurity enforce level only checked against the first 4 of 12 existing pods`,
        `existing pods in namespace "test" violate the new PodSecurity enforce level "restricted:latest"`,
        `replicaset1pod1: replicaset1error`,
        `replicaset2pod1: replicaset2error`,
        `uniquepod1: uniquemessage1`,
        `uniquepod2: uniquemessage2`,
      ],
    },
  ];
  for (const tc of cases) runNamespaceCase(tc);
});

test("isSignificantPodUpdate: only the containers' number and images (and ephemeral containers) matter", () => {
  const p = (images: string[], extra: object = {}): Pod => ({ metadata: {}, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), ...extra } }) as Pod;
  assert.equal(isSignificantPodUpdate(p(["a"]), p(["a"])), false);
  assert.equal(isSignificantPodUpdate(p(["a"], { activeDeadlineSeconds: 5 }), p(["a"])), false);
  assert.equal(isSignificantPodUpdate(p(["b"]), p(["a"])), true);
  assert.equal(isSignificantPodUpdate(p(["a", "b"]), p(["a"])), true);
  assert.equal(isSignificantPodUpdate(p(["a"], { ephemeralContainers: [{ name: "debug", image: "busybox" }] }), p(["a"])), true);
  assert.equal(isSignificantPodUpdate(p(["a"], { ephemeralContainers: [{ name: "debug", image: "busybox" }] }), p(["a"], { ephemeralContainers: [{ name: "debug", image: "busybox" }] })), false);
});

test("TestDefaultExtractPodSpec: the pod's spec, a template's, a CronJob's job template's", () => {
  const spec = { containers: [{ name: "c", image: "i" }] };
  const meta = { labels: { a: "b" } };
  assert.deepEqual(extractPodSpec({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec }), { meta: { name: "p" }, spec });
  assert.deepEqual(extractPodSpec({ apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t" }, template: { metadata: meta, spec } }), { meta, spec });
  for (const kind of ["ReplicationController", "ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job"]) {
    assert.deepEqual(extractPodSpec({ apiVersion: "apps/v1", kind, metadata: { name: "x" }, spec: { template: { metadata: meta, spec } } }), { meta, spec }, kind);
  }
  assert.deepEqual(extractPodSpec({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "x" }, spec: { jobTemplate: { spec: { template: { metadata: meta, spec } } } } }), { meta, spec });
  assert.deepEqual(extractPodSpec({ apiVersion: "v1", kind: "ReplicationController", metadata: { name: "x" }, spec: {} }), { meta: undefined, spec: undefined });
});
