import { test } from "node:test";
import assert from "node:assert/strict";
import { validateFinalizers } from "./meta.ts";

// k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateFinalizerName (every object) and
// pkg/apis/core/validation validateKubeFinalizerName (the built-in kinds only).
test("finalizers: qualified names; a built-in kind's name without a domain must be a standard one", () => {
  assert.deepEqual(validateFinalizers(["kubernetes", "example.com/cleanup", "foregroundDeletion"], "metadata.finalizers"), []);
  const kube = validateFinalizers(["gateway-exists-finalizer.gateway.networking.k8s.io"], "metadata.finalizers");
  assert.equal(kube.length, 1);
  assert.match(kube[0]!.detail, /neither a standard finalizer name nor is it fully qualified/);
  // A custom resource (apimachinery's rules alone): Envoy Gateway's GatewayClass finalizer is valid.
  assert.deepEqual(validateFinalizers(["gateway-exists-finalizer.gateway.networking.k8s.io"], "metadata.finalizers", false), []);
  assert.equal(validateFinalizers(["bad name"], "metadata.finalizers", false).length, 1);
  assert.equal(validateFinalizers(["a.b/c", "a.b/c"], "metadata.finalizers", false).length, 1, "a duplicate");
});
