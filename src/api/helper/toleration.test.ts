// In the manner of staging/src/k8s.io/api/core/v1/toleration_test.go (TestTolerationToleratesTaint)
// and component-helpers' TestFindMatchingUntoleratedTaint.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Taint, Toleration } from "../types.gen.ts";
import { findMatchingUntoleratedTaint, toleratesTaint, tolerationsTolerateTaint } from "./toleration.ts";

test("Toleration.ToleratesTaint", () => {
  const taint: Taint = { key: "foo", value: "bar", effect: "NoSchedule" };
  const cases: Array<[string, Toleration, boolean]> = [
    ["empty toleration key with Exists tolerates any taint", { operator: "Exists" }, true],
    ["same key, Equal, same value", { key: "foo", operator: "Equal", value: "bar", effect: "NoSchedule" }, true],
    ["same key, operator omitted (Equal), same value", { key: "foo", value: "bar" }, true],
    ["same key, Equal, other value", { key: "foo", operator: "Equal", value: "baz" }, false],
    ["same key, Exists", { key: "foo", operator: "Exists" }, true],
    ["other key", { key: "other", operator: "Exists" }, false],
    ["other effect", { key: "foo", operator: "Exists", effect: "NoExecute" }, false],
    ["empty effect matches every effect", { key: "foo", operator: "Exists", effect: "" }, true],
    ["unknown operator", { key: "foo", operator: "Lt", value: "bar" }, false],
  ];
  for (const [name, t, want] of cases) assert.equal(toleratesTaint(t, taint), want, name);
  assert.equal(toleratesTaint({ key: "k", operator: "Equal" }, { key: "k", effect: "NoSchedule" }), true, "no value on either side");
});

test("TolerationsTolerateTaint and FindMatchingUntoleratedTaint", () => {
  const taints: Taint[] = [
    { key: "a", effect: "PreferNoSchedule" },
    { key: "b", effect: "NoSchedule" },
    { key: "c", effect: "NoExecute" },
  ];
  const hard = (t: Taint) => t.effect === "NoSchedule" || t.effect === "NoExecute";
  assert.equal(tolerationsTolerateTaint(undefined, taints[1]), false);
  assert.equal(tolerationsTolerateTaint([{ key: "b", operator: "Exists" }], taints[1]), true);
  assert.deepEqual(findMatchingUntoleratedTaint(taints, undefined, hard), taints[1]);
  assert.deepEqual(findMatchingUntoleratedTaint(taints, [{ key: "b", operator: "Exists" }], hard), taints[2]);
  assert.equal(findMatchingUntoleratedTaint(taints, [{ operator: "Exists" }], hard), undefined);
  assert.equal(findMatchingUntoleratedTaint(taints, [], (t) => t.effect === "PreferNoSchedule")?.key, "a");
});
