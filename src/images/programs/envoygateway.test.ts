import { test } from "node:test";
import assert from "node:assert/strict";
import { hashedName, infraName, mergeConditions } from "./envoygateway.ts";

// internal/utils/misc_test.go and the quickstart's Service name (envoy-default-eg-e41e7b31).
test("the data plane's name: envoy-<namespace>-<name>-<sha256 of namespace/name>", () => {
  assert.equal(infraName("default", "eg"), "envoy-default-eg-e41e7b31");
  assert.equal(hashedName("default"), "default-37a8eec1");
  const long = hashedName(`${"n".repeat(40)}/${"g".repeat(40)}`);
  assert.equal(long.length, 48 + 9);
  assert.match(long, /^n{40}-g{7}-[0-9a-f]{8}$/);
});

test("MergeConditions keeps an unchanged condition's time and replaces a changed one", () => {
  const first = mergeConditions(undefined, [{ type: "Programmed", status: "False", reason: "NoResources", message: "Envoy replicas unavailable", observedGeneration: 1 }], "T1");
  assert.equal(first[0]!.lastTransitionTime, "T1");
  const same = mergeConditions(first, [{ type: "Programmed", status: "False", reason: "NoResources", message: "Envoy replicas unavailable", observedGeneration: 1 }], "T2");
  assert.equal(same[0]!.lastTransitionTime, "T1");
  const changed = mergeConditions(same, [{ type: "Programmed", status: "True", reason: "Programmed", message: "x", observedGeneration: 1 }], "T3");
  assert.deepEqual(changed[0], { type: "Programmed", status: "True", reason: "Programmed", message: "x", observedGeneration: 1, lastTransitionTime: "T3" });
});
