import { test } from "node:test";
import assert from "node:assert/strict";
import { limitErrors } from "./limitranger.ts";
import type { KObject } from "../types.ts";

// pkg/admission/plugin/limitranger PersistentVolumeClaimValidateLimitFunc: min against the
// requests, max against the requests (maxRequestConstraint), no limit-to-request ratio.
test("LimitRanger: a PersistentVolumeClaim's storage against the item's min and max (Limit Storage Consumption)", () => {
  const lr = { kind: "LimitRange", spec: { limits: [{ type: "PersistentVolumeClaim", max: { storage: "2Gi" }, min: { storage: "1Gi" } }] } } as unknown as KObject;
  const pvc = (requests?: Record<string, string>, limits?: Record<string, string>) =>
    ({ kind: "PersistentVolumeClaim", metadata: { name: "c" }, spec: { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } }) as unknown as KObject;
  const rows: Array<[KObject, string[]]> = [
    [pvc({ storage: "10Gi" }), ["maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 10Gi"]],
    [pvc({ storage: "500Mi" }), ["minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"]],
    [pvc({ storage: "2Gi" }), []],
    [pvc({ storage: "1Gi" }, { storage: "100Gi" }), []],
    [pvc(), ["minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified", "maximum storage usage per PersistentVolumeClaim is 2Gi.  No request is specified"]],
  ];
  for (const [claim, want] of rows) assert.deepEqual(limitErrors(lr, claim), want, JSON.stringify(claim.spec));
});
