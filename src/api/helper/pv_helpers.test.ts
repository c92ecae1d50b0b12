import { test } from "node:test";
import assert from "node:assert/strict";
import { findBestMatchForClaim, findMatchingVolume, getAccessModesAsString } from "./pv_helpers.ts";
import type { KObject } from "../types.ts";

// Ported from pkg/controller/volume/persistentvolume/index_test.go: the volumes of
// createTestVolumes (deliberately out of order), each Available unless bound elsewhere.
const RWO = "ReadWriteOnce";
const ROX = "ReadOnlyMany";
const RWX = "ReadWriteMany";

function pv(uid: string, name: string, size: string, modes: string[], extra: { claimRef?: any; labels?: Record<string, string>; cls?: string } = {}): KObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, uid, labels: extra.labels, annotations: extra.cls ? { "volume.beta.kubernetes.io/storage-class": extra.cls } : undefined },
    spec: { capacity: { storage: size }, accessModes: modes, claimRef: extra.claimRef, hostPath: { path: "/tmp" } },
    status: { phase: extra.claimRef ? "Bound" : "Available" },
  } as KObject;
}

function createTestVolumes(): KObject[] {
  return [
    pv("gce-pd-10", "gce003", "10G", [RWO, ROX]),
    pv("gce-pd-20", "gce004", "20G", [RWO, ROX], { claimRef: { uid: "def456" } }),
    pv("nfs-5", "nfs002", "5G", [RWO, ROX, RWX]),
    pv("gce-pd-1", "gce001", "1G", [RWO, ROX], { claimRef: { uid: "abc123" } }),
    pv("nfs-10", "nfs003", "10G", [RWO, ROX, RWX]),
    pv("gce-pd-5", "gce002", "5G", [RWO, ROX]),
    pv("nfs-1", "nfs001", "1G", [RWO, ROX, RWX]),
    pv("gce-pd-2", "gce0022", "20000G", [RWO], { labels: { "should-exist": "true" } }),
    pv("gce-pd-silver1", "gce0023", "10000G", [RWO], { labels: { "should-exist": "true" }, cls: "silver" }),
    pv("gce-pd-silver2", "gce0024", "100G", [RWO], { cls: "silver" }),
    pv("gce-pd-gold", "gce0025", "50G", [RWO], { cls: "gold" }),
  ];
}

function makePVC(size: string, mod?: (c: any) => void): KObject {
  const c: any = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "claim01", namespace: "myns", uid: "claim-uid" },
    spec: { accessModes: [ROX, RWO], resources: { requests: { storage: size } } },
  };
  mod?.(c);
  return c as KObject;
}

const matchCases: Array<[string, string, KObject]> = [
  ["successful-match-gce-10", "gce-pd-10", makePVC("8G")],
  ["successful-match-nfs-5", "nfs-5", makePVC("5G", (c) => (c.spec.accessModes = [ROX, RWO, RWX]))],
  ["successful-skip-1g-bound-volume", "gce-pd-5", makePVC("1G")],
  ["successful-no-match", "", makePVC("999G")],
  ["successful-no-match-due-to-label", "", makePVC("999G", (c) => (c.spec.selector = { matchLabels: { "should-not-exist": "true" } }))],
  ["successful-no-match-due-to-size-constraint-with-label-selector", "", makePVC("20000G", (c) => (c.spec.selector = { matchLabels: { "should-exist": "true" } }))],
  ["successful-match-due-with-constraint-and-label-selector", "gce-pd-2", makePVC("20000G", (c) => ((c.spec.selector = { matchLabels: { "should-exist": "true" } }), (c.spec.accessModes = [RWO])))],
  ["successful-match-with-class", "gce-pd-silver1", makePVC("1G", (c) => ((c.metadata.annotations = { "volume.beta.kubernetes.io/storage-class": "silver" }), (c.spec.selector = { matchLabels: { "should-exist": "true" } }), (c.spec.accessModes = [RWO])))],
  ["successful-match-with-class-and-labels", "gce-pd-silver2", makePVC("1G", (c) => ((c.spec.storageClassName = "silver"), (c.spec.accessModes = [RWO])))],
];

for (const [name, want, claim] of matchCases) {
  test(`findBestMatchForClaim TestMatchVolume: ${name}`, () => {
    const v = findBestMatchForClaim(claim, createTestVolumes(), false);
    assert.equal(v?.metadata.uid ?? "", want);
  });
}

test("findBestMatchForClaim TestMatchingWithBoundVolumes: the bound twin is skipped", () => {
  const vols = [pv("gce-pd-1", "gce001", "1G", [RWO, ROX], { claimRef: { uid: "abc123" } }), pv("gce-pd-2", "gce002", "1G", [RWO, ROX])];
  assert.equal(findBestMatchForClaim(makePVC("1G"), vols, false)?.metadata.name, "gce002");
});

test("findBestMatchForClaim TestFindingVolumeWithDifferentAccessModes: the smallest set of modes first", () => {
  const gce = pv("001", "gce", "10G", [RWO, ROX]);
  const ebs = pv("002", "ebs", "10G", [RWO]);
  const nfs = pv("003", "nfs", "10G", [RWO, ROX, RWX]);
  const vols = [gce, ebs, nfs];
  const claim: any = makePVC("1G", (c) => (c.spec.accessModes = [RWO]));
  const match = () => findBestMatchForClaim(claim, vols, false)?.metadata.name;
  assert.equal(match(), "ebs");
  claim.spec.accessModes = [RWO, ROX];
  assert.equal(match(), "gce");
  claim.spec.accessModes = [RWX, RWO, ROX]; // the order of the requested modes does not matter
  assert.equal(match(), "nfs");
  claim.spec.accessModes = [RWX]; // fewer modes still match
  assert.equal(match(), "nfs");
  ebs.spec.claimRef = { name: "other", namespace: "x" }; // the exact match is bound: the next level up
  ebs.status!.phase = "Bound";
  claim.spec.accessModes = [RWO];
  assert.equal(match(), "gce");
  gce.spec.claimRef = { name: "other2", namespace: "x" };
  gce.status!.phase = "Bound";
  assert.equal(match(), "nfs");
  gce.spec.claimRef = undefined; // partial mode request
  gce.status!.phase = "Available";
  claim.spec.accessModes = [ROX];
  assert.equal(match(), "gce");
});

test("findBestMatchForClaim TestFindingPreboundVolumes", () => {
  const claim = makePVC("1Gi", (c) => (c.spec.accessModes = [RWO]));
  const claimRef = { kind: "PersistentVolumeClaim", namespace: "myns", name: "claim01", uid: "claim-uid" };
  const pv1 = pv("pv1", "pv1", "1Gi", [RWO]);
  const pv5 = pv("pv5", "pv5", "5Gi", [RWO]);
  const pv8 = pv("pv8", "pv8", "8Gi", [RWO]);
  const pvBadSize = pv("pvBadSize", "pvBadSize", "1Mi", [RWO]);
  const pvBadMode = pv("pvBadMode", "pvBadMode", "1Gi", [ROX]);
  const vols = [pv1, pv5, pv8, pvBadSize, pvBadMode];
  const match = () => findBestMatchForClaim(claim, vols, false)?.metadata.name;
  assert.equal(match(), "pv1"); // exact match on size
  pv1.spec.claimRef = { name: "foo", namespace: "bar" }; // pre-bound elsewhere: the next size up
  assert.equal(match(), "pv5");
  pv1.spec.claimRef = undefined;
  pv8.spec.claimRef = claimRef; // the largest is pre-bound to the claim
  assert.equal(match(), "pv8");
  pv8.spec.claimRef = undefined;
  pvBadSize.spec.claimRef = claimRef; // pre-bound but too small
  assert.equal(match(), "pv1");
  pvBadSize.spec.claimRef = undefined;
  pvBadMode.spec.claimRef = claimRef; // pre-bound without the right access mode
  assert.equal(match(), "pv1");
});

// The scheduler's path (FindMatchingVolume with a node): node affinity, delayed binding.
test("findMatchingVolume: delayed binding without a node returns only a pre-bound volume", () => {
  const claim = makePVC("1Gi", (c) => (c.spec.accessModes = [RWO]));
  const free = pv("a", "a", "1Gi", [RWO]);
  assert.equal(findMatchingVolume(claim, [free], undefined, new Set(), true), undefined);
  assert.equal(findMatchingVolume(claim, [free], { name: "n1", labels: {} }, new Set(), true)?.metadata.name, "a");
  const pre = pv("b", "b", "1Gi", [RWO], { claimRef: { namespace: "myns", name: "claim01" } });
  assert.equal(findMatchingVolume(claim, [free, pre], undefined, new Set(), true)?.metadata.name, "b");
});

test("findMatchingVolume: a local volume matches only its node; excluded volumes are skipped", () => {
  const claim = makePVC("1Gi", (c) => (c.spec.accessModes = [RWO]));
  const local = pv("l", "local-pv", "2Gi", [RWO]);
  local.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-1"] }] }] } };
  assert.equal(findMatchingVolume(claim, [local], { name: "node-1", labels: { "kubernetes.io/hostname": "node-1" } }, new Set(), true)?.metadata.name, "local-pv");
  assert.equal(findMatchingVolume(claim, [local], { name: "node-2", labels: { "kubernetes.io/hostname": "node-2" } }, new Set(), true), undefined);
  assert.equal(findMatchingVolume(claim, [local], { name: "node-1", labels: { "kubernetes.io/hostname": "node-1" } }, new Set(["local-pv"]), true), undefined);
});

test("getAccessModesAsString prints kubectl's order", () => {
  assert.equal(getAccessModesAsString([RWX, RWO, "ReadWriteOncePod", ROX]), "RWO,ROX,RWX,RWOP");
  assert.equal(getAccessModesAsString(undefined), "");
});
