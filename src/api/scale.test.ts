import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./errors.ts";
import { scaleOf, withScale } from "./scale.ts";
import type { KObject } from "./types.ts";

const deploy = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", uid: "u", resourceVersion: "7", creationTimestamp: "2024-01-08T00:00:00Z" },
  spec: { replicas: 2, selector: { matchLabels: { app: "web" } } },
  status: { replicas: 2 },
} as unknown as KObject;

test("scaleOf: the autoscaling/v1 Scale with the selector as a string", () => {
  assert.deepEqual(scaleOf(deploy), {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: "web", namespace: "default", uid: "u", resourceVersion: "7", creationTimestamp: "2024-01-08T00:00:00Z" },
    spec: { replicas: 2 },
    status: { replicas: 2, selector: "app=web" },
  });
});

test("withScale: a copy with the new replicas; a Scale without an integer is a decoding error", () => {
  const out = withScale(deploy, { spec: { replicas: 5 } } as unknown as KObject);
  assert.equal(out.spec.replicas, 5);
  assert.equal(deploy.spec.replicas, 2);
  assert.throws(() => withScale(deploy, { spec: { replicas: "5" } } as unknown as KObject), (e: unknown) => e instanceof ApiError && /cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32/.test(e.message));
});
