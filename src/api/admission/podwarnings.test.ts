import { test } from "node:test";
import assert from "node:assert/strict";
import { podSpecWarnings, warningsFor } from "./podwarnings.ts";
import { Cluster } from "../../cluster.ts";

// Cases of pkg/api/pod/warnings_test.go TestWarnings (the parts ported).
test("warningsForPodSpecAndMeta: deprecated node labels, annotations, volumes, fractional bytes, hidden env", () => {
  assert.deepEqual(podSpecWarnings("", { nodeSelector: { "beta.kubernetes.io/arch": "amd64" }, containers: [] }, {}), [
    `spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead`,
  ]);
  assert.deepEqual(
    podSpecWarnings("", {
      affinity: { nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "foo", operator: "Exists" }, { key: "beta.kubernetes.io/os", operator: "Exists" }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "failure-domain.beta.kubernetes.io/zone", operator: "Exists" }] } }],
      } },
      containers: [],
    }, {}),
    [
      `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead`,
      `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead`,
    ],
  );
  assert.deepEqual(podSpecWarnings("", { topologySpreadConstraints: [{ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", topologyKey: "failure-domain.beta.kubernetes.io/region" }], containers: [] }, {}), [
    `spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead`,
    "spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod",
  ]);
  assert.deepEqual(
    podSpecWarnings("", { containers: [{ name: "foo" }] }, { annotations: {
      "scheduler.alpha.kubernetes.io/critical-pod": "true",
      "seccomp.security.alpha.kubernetes.io/pod": "default",
      "container.seccomp.security.alpha.kubernetes.io/foo": "default",
      "security.alpha.kubernetes.io/sysctls": "a,b,c",
      "security.alpha.kubernetes.io/unsafe-sysctls": "d,e,f",
    } }),
    [
      `metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead`,
      `metadata.annotations[security.alpha.kubernetes.io/sysctls]: non-functional in v1.11+; use the "sysctls" field instead`,
      `metadata.annotations[security.alpha.kubernetes.io/unsafe-sysctls]: non-functional in v1.11+; use the "sysctls" field instead`,
      `metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead`,
      `metadata.annotations[container.seccomp.security.alpha.kubernetes.io/foo]: non-functional in v1.27+; use the "seccompProfile" field instead`,
    ],
  );
  // The annotation with its field: no warning.
  assert.deepEqual(podSpecWarnings("", { securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [] }, { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" } }), []);
  assert.deepEqual(podSpecWarnings("", { volumes: [{ name: "a", gitRepo: { repository: "r" } }, { name: "b", rbd: { image: "i", monitors: [] } }], containers: [] }, {}), [
    "spec.volumes[0].gitRepo: deprecated in v1.11",
    "spec.volumes[1].rbd: deprecated in v1.28, non-functional in v1.31+",
  ]);
  assert.deepEqual(podSpecWarnings("", { containers: [{ name: "c", resources: { limits: { memory: "1.5" }, requests: { "ephemeral-storage": "100m", memory: "1Gi" } } }] }, {}), [
    `spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer`,
    `spec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer`,
  ]);
  // env: X then X="$(X)123" refers to the old value (fine); a valueFrom or an unrelated value hides it.
  assert.deepEqual(podSpecWarnings("", { containers: [{ name: "c", env: [{ name: "X", value: "a" }, { name: "X", value: "$(X)123" }, { name: "X", value: "b" }, { name: "X", valueFrom: {} }] }] }, {}), [
    `spec.containers[0].env[2]: hides previous definition of "X", which may be dropped when using apply`,
    `spec.containers[0].env[3]: hides previous definition of "X", which may be dropped when using apply`,
  ]);
});

test("pod templates are named by their path (GetWarningsForPodTemplate); other kinds have none", () => {
  const tpl = { metadata: {}, spec: { nodeSelector: { "beta.kubernetes.io/os": "linux" }, containers: [] } };
  assert.deepEqual(warningsFor({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { template: tpl } }), [
    `spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead`,
  ]);
  assert.deepEqual(warningsFor({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { jobTemplate: { spec: { template: tpl } } } }), [
    `spec.jobTemplate.spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead`,
  ]);
  assert.deepEqual(warningsFor({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, spec: { template: tpl } }), []);
});

test("kubectl prints them on create; an apply that changes nothing sends nothing and prints none", async () => {
  const c = new Cluster();
  try {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector:\n    beta.kubernetes.io/os: linux\n  containers:\n  - name: c\n    image: nginx\n";
    const r = await c.kubectl("kubectl apply -f -", pod);
    assert.deepEqual([r.stdout, r.stderr], ["pod/p created\n", `Warning: spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead\n`]);
    const again = await c.kubectl("kubectl apply -f -", pod);
    assert.deepEqual([again.stdout, again.stderr], ["pod/p unchanged\n", ""]);
  } finally {
    await c.close();
  }
});
