import { test } from "node:test";
import assert from "node:assert/strict";
import { testCluster } from "../testutil.ts";
import type { KObject } from "../../api/types.ts";

const DEFAULT = "storageclass.kubernetes.io/is-default-class";

const claim = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default", ...(annotations ? { annotations } : {}) },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

const eventsOf = (c: ReturnType<typeof testCluster>, name: string) =>
  c.api.list("Event").filter((e) => e.involvedObject.kind === "PersistentVolumeClaim" && e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);

const setDefault = (c: ReturnType<typeof testCluster>, name: string, value: string) =>
  c.api.mutate("StorageClass", undefined, name, (sc) => {
    sc.metadata.annotations = { ...(sc.metadata.annotations ?? {}), [DEFAULT]: value };
  });

test("a claim made while no class is the default waits without one, then gets the new default (RetroactiveDefaultStorageClass)", () => {
  const c = testCluster(["k8s-node1"]);
  setDefault(c, "standard", "false");
  c.api.create(claim("data"));
  c.advanceSync(1_000);
  assert.equal(c.get("PersistentVolumeClaim", "data")!.spec.storageClassName, undefined, "the admission plugin found no default");
  assert.equal(c.get("PersistentVolumeClaim", "data")!.status.phase, "Pending");
  assert.deepEqual(eventsOf(c, "data"), ["FailedBinding: no persistent volumes available for this claim and no storage class is set"]);
  setDefault(c, "standard", "true");
  c.advanceSync(15_000);
  const got = c.get("PersistentVolumeClaim", "data")!;
  assert.equal(got.spec.storageClassName, "standard");
  // Synced again with its class: kind's standard waits for a Pod.
  assert.ok(eventsOf(c, "data").includes("WaitForFirstConsumer: waiting for first consumer to be created before binding"), eventsOf(c, "data").join("\n"));
});

test("a claim that names a class, the empty class or the beta annotation keeps it", () => {
  const c = testCluster(["k8s-node1"]);
  setDefault(c, "standard", "false");
  c.api.create(claim("empty", { storageClassName: "" }));
  c.api.create(claim("beta", {}, { "volume.beta.kubernetes.io/storage-class": "" }));
  c.api.create(claim("gold", { storageClassName: "gold" }));
  c.advanceSync(1_000);
  setDefault(c, "standard", "true");
  c.advanceSync(30_000);
  assert.equal(c.get("PersistentVolumeClaim", "empty")!.spec.storageClassName, "");
  assert.equal(c.get("PersistentVolumeClaim", "beta")!.spec.storageClassName, undefined);
  assert.equal(c.get("PersistentVolumeClaim", "gold")!.spec.storageClassName, "gold");
  assert.deepEqual([...new Set(eventsOf(c, "gold"))], ['ProvisioningFailed: storageclass.storage.k8s.io "gold" not found']);
});

test("with two default classes, a claim without a class gets the newest", () => {
  const c = testCluster(["k8s-node1"]);
  c.advanceSync(5_000);
  c.api.create({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "gold", annotations: { [DEFAULT]: "true" } }, provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer" });
  c.api.create(claim("data"));
  assert.equal(c.get("PersistentVolumeClaim", "data")!.spec.storageClassName, "gold");
});
