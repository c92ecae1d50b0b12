import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import {
  claimOwnerMatchesSetAndPod,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  getStatefulSetMaxUnavailable,
  identityMatches,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  persistentVolumeClaimNames,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
} from "./stateful_set_utils.ts";

const set = (o: Record<string, any> = {}): KObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "web", namespace: "default", uid: "set-uid" },
  spec: {
    replicas: 3,
    serviceName: "nginx",
    selector: { matchLabels: { app: "nginx" } },
    template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx", volumeMounts: [{ name: "www", mountPath: "/usr/share/nginx/html" }] }] } },
    volumeClaimTemplates: [{ metadata: { name: "www" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
    ...o,
  },
});

// stateful_set_utils_test.go TestGetParentNameAndOrdinal, TestIdentityMatches, TestStorageMatches.
test("identity: name, ordinal, hostname, subdomain and labels", () => {
  const pod = newStatefulSetPod(set(), 1);
  assert.equal(pod.metadata.name, "web-1");
  assert.deepEqual(getParentNameAndOrdinal(pod), ["web", 1]);
  assert.equal(pod.spec.hostname, "web-1");
  assert.equal(pod.spec.subdomain, "nginx");
  assert.deepEqual(pod.metadata.labels, { app: "nginx", "apps.kubernetes.io/pod-index": "1", "statefulset.kubernetes.io/pod-name": "web-1" });
  assert.deepEqual(pod.metadata.ownerReferences?.[0], { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "set-uid", controller: true, blockOwnerDeletion: true });
  assert.equal(identityMatches(set(), pod), true);
  const renamed = structuredClone(pod);
  renamed.metadata.labels!["statefulset.kubernetes.io/pod-name"] = "x";
  assert.equal(identityMatches(set(), renamed), false);
  assert.deepEqual(getParentNameAndOrdinal({ ...pod, metadata: { name: "web" } }), ["", -1]);
});

test("storage: one claim per template, `<template>-<set>-<ordinal>`, with the selector's labels", () => {
  const pod = newStatefulSetPod(set(), 2);
  assert.deepEqual(pod.spec.volumes, [{ name: "www", persistentVolumeClaim: { claimName: "www-web-2" } }]);
  assert.equal(storageMatches(set(), pod), true);
  const claims = getPersistentVolumeClaims(set(), pod);
  const www = claims.get("www")!;
  assert.equal(www.metadata.name, "www-web-2");
  assert.deepEqual(www.metadata.labels, { app: "nginx" });
  assert.deepEqual(www.spec.resources, { requests: { storage: "1Gi" } });
  const noStorage = structuredClone(pod);
  noStorage.spec.volumes = [];
  assert.equal(storageMatches(set(), noStorage), false);
});

test("newVersionedStatefulSetPod: below the partition at the current revision", () => {
  const current = set({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } });
  const update = structuredClone(current);
  update.spec.template.spec.containers[0].image = "nginx:2";
  assert.equal(newVersionedStatefulSetPod(current, update, "web-a", "web-b", 1).metadata.labels!["controller-revision-hash"], "web-a");
  assert.equal(newVersionedStatefulSetPod(current, update, "web-a", "web-b", 2).metadata.labels!["controller-revision-hash"], "web-b");
  assert.equal(newVersionedStatefulSetPod(current, update, "web-a", "web-b", 2).spec.containers[0].image, "nginx:2");
});

// TestUpdateClaimOwnerRefForSetAndPod.
test("persistentVolumeClaimRetentionPolicy: owner references of the claims", () => {
  const pod = (ord: number): KObject => ({ ...newStatefulSetPod(set(), ord), metadata: { ...newStatefulSetPod(set(), ord).metadata, uid: `pod-${ord}` } });
  const claim = (): KObject => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "www-web-1" } });
  const owners = (c: KObject) => (c.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`);
  const cases: Array<[string, string, number, string[]]> = [
    ["Retain", "Retain", 1, []],
    ["Delete", "Retain", 1, ["StatefulSet/web"]],
    ["Retain", "Delete", 1, []],
    ["Retain", "Delete", 5, ["Pod/web-5"]],
    ["Delete", "Delete", 1, ["StatefulSet/web"]],
    ["Delete", "Delete", 5, ["Pod/web-5"]],
  ];
  for (const [whenDeleted, whenScaled, ord, want] of cases) {
    const s = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
    const c = claim();
    updateClaimOwnerRefForSetAndPod(c, s, pod(ord));
    assert.deepEqual(owners(c), want, `${whenDeleted}/${whenScaled} ordinal ${ord}`);
    assert.equal(claimOwnerMatchesSetAndPod(c, s, pod(ord)), true);
  }
});

test("maxUnavailable: percentages round up, at least 1", () => {
  assert.equal(getStatefulSetMaxUnavailable(undefined, 5), 1);
  assert.equal(getStatefulSetMaxUnavailable(2, 5), 2);
  assert.equal(getStatefulSetMaxUnavailable("50%", 5), 3);
  assert.equal(getStatefulSetMaxUnavailable("10%", 3), 1);
});

// claimOwnerMatchesSetAndPod reads the references without a copy: it must answer exactly "would
// updateClaimOwnerRefForSetAndPod change nothing", for every policy, scale state and set of owners.
test("claimOwnerMatchesSetAndPod agrees with updateClaimOwnerRefForSetAndPod on a copy, in every case", () => {
  const pod = (ord: number): KObject => ({ ...newStatefulSetPod(set(), ord), metadata: { ...newStatefulSetPod(set(), ord).metadata, uid: `pod-${ord}` } });
  const refs = {
    set: { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "set-uid" },
    pod1: { apiVersion: "v1", kind: "Pod", name: "web-1", uid: "pod-1" },
    pod5: { apiVersion: "v1", kind: "Pod", name: "web-5", uid: "pod-5" },
    other: { apiVersion: "v1", kind: "ConfigMap", name: "x", uid: "other" },
  };
  const subsets = [[], ["set"], ["pod1"], ["pod5"], ["set", "pod1"], ["set", "pod5"], ["other"], ["other", "set", "pod5"]] as Array<Array<keyof typeof refs>>;
  let cases = 0;
  for (const whenDeleted of ["Retain", "Delete"]) {
    for (const whenScaled of ["Retain", "Delete"]) {
      const s = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
      for (const ord of [1, 5]) {
        for (const owners of subsets) {
          const claim: KObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: `www-web-${ord}`, ...(owners.length ? { ownerReferences: owners.map((o) => ({ ...refs[o] })) } : {}) } };
          const copy = structuredClone(claim);
          const want = !updateClaimOwnerRefForSetAndPod(copy, s, pod(ord));
          assert.equal(claimOwnerMatchesSetAndPod(claim, s, pod(ord)), want, `${whenDeleted}/${whenScaled} ordinal ${ord} owners ${owners.join(",")}`);
          cases++;
        }
      }
    }
  }
  assert.equal(cases, 64);
});

test("persistentVolumeClaimNames: the names getPersistentVolumeClaims builds, in its order", () => {
  const s = set({ volumeClaimTemplates: [{ metadata: { name: "www" } }, { metadata: { name: "logs" } }, { metadata: { name: "www" }, spec: {} }] });
  const pod = newStatefulSetPod(set(), 4);
  assert.deepEqual(persistentVolumeClaimNames(s, pod), [...getPersistentVolumeClaims(s, pod).values()].map((c) => c.metadata.name));
  assert.deepEqual(persistentVolumeClaimNames(s, pod), ["www-web-4", "logs-web-4"]);
});
