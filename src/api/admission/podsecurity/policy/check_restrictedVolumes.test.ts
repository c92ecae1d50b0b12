// check_restrictedVolumes_test.go (v0.32.4).
import { test } from "node:test";
import { restrictedVolumes_1_0 } from "./check_restrictedVolumes.ts";
import { runCases } from "./testutil.ts";

const restricted = ["hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"];

test("TestRestrictedVolumes", () => {
  runCases(restrictedVolumes_1_0, [
    {
      name: "host path volumes",
      spec: {
        volumes: [
          // allowed types
          ...["emptyDir", "secret", "persistentVolumeClaim", "downwardAPI", "configMap", "projected", "csi", "ephemeral"].map((k, i) => ({ name: `a${i + 1}`, [k]: {} })),
          // known restricted types
          ...restricted.map((k, i) => ({ name: `b${i + 1}`, [k]: {} })),
          // unknown type
          { name: "c1" },
        ],
      },
      reason: "restricted volume types",
      detail:
        `volumes ` +
        `"b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"` +
        ` use restricted volume types ` +
        `"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ` +
        `"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"`,
    },
    { name: "one volume", spec: { volumes: [{ name: "v", hostPath: {} }] }, reason: "restricted volume types", detail: `volume "v" uses restricted volume type "hostPath"` },
  ]);
});
