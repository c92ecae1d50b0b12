import { test } from "node:test";
import assert from "node:assert/strict";
import { validateStorageClassUpdate } from "./storage.ts";
import type { KObject } from "../types.ts";

const sc = (o: Partial<KObject>): KObject => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "s" }, provisioner: "p", reclaimPolicy: "Delete", volumeBindingMode: "Immediate", ...o });

// pkg/apis/storage/validation/validation_test.go TestValidateUpdateStorageClass, its cases.
test("a StorageClass's parameters, provisioner, reclaimPolicy and volumeBindingMode may not change; the rest may", () => {
  assert.deepEqual(validateStorageClassUpdate(sc({ parameters: { kubernetes: "works" }, allowVolumeExpansion: true }), sc({ parameters: { kubernetes: "works" } })), []);
  assert.deepEqual(
    validateStorageClassUpdate(sc({ parameters: { a: "2" }, provisioner: "q", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }), sc({ parameters: { a: "1" } })),
    [
      { field: "parameters", detail: "Forbidden: updates to parameters are forbidden." },
      { field: "provisioner", detail: "Forbidden: updates to provisioner are forbidden." },
      { field: "reclaimPolicy", detail: "Forbidden: updates to reclaimPolicy are forbidden." },
      { field: "volumeBindingMode", detail: 'Invalid value: "WaitForFirstConsumer": field is immutable' },
    ],
  );
  // reflect.DeepEqual: a nil map is not an empty one.
  assert.equal(validateStorageClassUpdate(sc({ parameters: {} }), sc({})).length, 1);
});
