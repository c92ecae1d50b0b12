import { test } from "node:test";
import assert from "node:assert/strict";
import { dropDisabledFields, dropDisabledPodSpecFields } from "./dropdisabled.ts";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../types.ts";

// pkg/api/pod/util_test.go's pattern for each gate: off and not in use in the old spec -> dropped;
// in use in the old spec -> kept (an update may not take away what the stored object has).
test("the pod spec fields of gates off in v1.32 are dropped unless the old spec uses them", () => {
  const spec = () => ({
    hostUsers: false,
    securityContext: { supplementalGroupsPolicy: "Strict", runAsUser: 1000 },
    resources: { limits: { cpu: "1" } },
    resourceClaims: [{ name: "gpu", resourceClaimName: "gpu-claim" }],
    containers: [{ name: "a", image: "x", resources: { claims: [{ name: "gpu" }], limits: { cpu: "1" } }, resizePolicy: [{ resourceName: "cpu", restartPolicy: "NotRequired" }], volumeMounts: [{ name: "img", mountPath: "/i" }, { name: "e", mountPath: "/e" }] }],
    initContainers: [{ name: "i", image: "x", resources: { claims: [{ name: "gpu" }] }, volumeMounts: [{ name: "img", mountPath: "/i" }] }],
    volumes: [{ name: "img", image: { reference: "alpine" } }, { name: "e", emptyDir: {} }, { name: "p", projected: { sources: [{ clusterTrustBundle: { name: "x", path: "x.pem" } }, { configMap: { name: "c" } }] } }],
  });
  const created = spec();
  dropDisabledPodSpecFields(created, undefined);
  assert.deepEqual(created, {
    securityContext: { runAsUser: 1000 },
    containers: [{ name: "a", image: "x", resources: { limits: { cpu: "1" } }, volumeMounts: [{ name: "e", mountPath: "/e" }] }],
    initContainers: [{ name: "i", image: "x", resources: {} }],
    volumes: [{ name: "e", emptyDir: {} }, { name: "p", projected: { sources: [{}, { configMap: { name: "c" } }] } }],
  });
  const updated = spec();
  dropDisabledPodSpecFields(updated, spec());
  assert.deepEqual(updated, spec());
});

// DynamicResourceAllocation is beta and off by default in v1.32 (pkg/features/kube_features.go:
// {1.26 alpha, 1.32 beta, Default: false}): dropDisabledDynamicResourceAllocationFields, whose
// "in use" test is the old spec's resourceClaims alone.
test("DRA's pod claims and the containers' claims are dropped unless the old spec has resourceClaims", () => {
  const spec = () => ({ resourceClaims: [{ name: "g", resourceClaimTemplateName: "t" }], containers: [{ name: "a", image: "x", resources: { claims: [{ name: "g", request: "gpu" }] } }], ephemeralContainers: [{ name: "e", image: "x", resources: { claims: [{ name: "g" }] } }] });
  const created = spec();
  dropDisabledPodSpecFields(created, undefined);
  assert.deepEqual(created, { containers: [{ name: "a", image: "x", resources: {} }], ephemeralContainers: [{ name: "e", image: "x", resources: {} }] });
  const kept = spec();
  dropDisabledPodSpecFields(kept, { resourceClaims: [{ name: "g" }] });
  assert.deepEqual(kept, spec());
  const claimsOnly = spec();
  dropDisabledPodSpecFields(claimsOnly, { containers: [{ name: "a", resources: { claims: [{ name: "g" }] } }] });
  assert.equal(claimsOnly.resourceClaims, undefined, "containers' claims alone do not count as in use");
});

test("pod templates of every workload kind, PVCs, PVs and a StatefulSet's maxUnavailable", () => {
  const tpl = { spec: { containers: [{ name: "a", image: "x", resizePolicy: [{ resourceName: "cpu", restartPolicy: "NotRequired" }] }] } };
  const objs: KObject[] = [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { template: structuredClone(tpl) } },
    { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { jobTemplate: { spec: { template: structuredClone(tpl) } } } },
    { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t" }, template: structuredClone(tpl) },
  ];
  for (const o of objs) {
    dropDisabledFields.mutate!(o, "CREATE", undefined, undefined as never, { dryRun: false } as never);
    const c = (o.kind === "CronJob" ? o.spec.jobTemplate.spec.template : o.kind === "PodTemplate" ? o.template : o.spec.template).spec.containers[0];
    assert.equal(c.resizePolicy, undefined, o.kind);
  }
  const pvc: KObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "p" }, spec: { volumeAttributesClassName: "gold" } };
  dropDisabledFields.mutate!(pvc, "CREATE", undefined, undefined as never, { dryRun: false } as never);
  assert.deepEqual(pvc.spec, {});
  const sts: KObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s" }, spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0, maxUnavailable: 2 } } } };
  dropDisabledFields.mutate!(sts, "CREATE", undefined, undefined as never, { dryRun: false } as never);
  assert.deepEqual(sts.spec.updateStrategy.rollingUpdate, { partition: 0 });
});

test("kubectl apply of a manifest using them says created; the stored object does not have them", async () => {
  const c = new Cluster();
  const r = await c.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  resources: {limits: {cpu: '1'}}\n  containers:\n  - name: a\n    image: nginx\n    resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]\n");
  assert.equal(r.stdout, "pod/p created\n", r.stderr);
  const pod = c.api.get("Pod", "default", "p")!;
  assert.deepEqual([pod.spec.resources, pod.spec.containers[0].resizePolicy], [undefined, undefined]);
  await c.close();
});
