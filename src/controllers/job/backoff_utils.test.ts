import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { getFinishedTime, newBackoffRecord, podFailureBackoff, remainingTimeForFailures } from "./backoff_utils.ts";

const T0 = Date.parse("2024-01-08T00:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.000Z$/, "Z");
const pod = (phase: string, finishedAt: number): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", creationTimestamp: at(0) },
  status: { phase, containerStatuses: [{ name: "c", state: { terminated: { exitCode: phase === "Failed" ? 1 : 0, finishedAt: at(finishedAt) } } }] },
});

test("the back-off: 10 s doubling, capped at 10 minutes", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => podFailureBackoff(n) / 1000), [0, 10, 20, 40, 80, 160, 320, 600, 600]);
});

// backoff_utils_test.go TestNewBackoffRecord and TestGetRemainingBackoffTime (a selection).
test("newBackoffRecord and the remaining time", () => {
  const none = { failuresAfterLastSuccess: 0 };
  const one = newBackoffRecord(none, [], [pod("Failed", 5)]);
  assert.deepEqual(one, { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 5000 });
  const two = newBackoffRecord(one, [], [pod("Failed", 20)]);
  assert.deepEqual(two, { failuresAfterLastSuccess: 2, lastFailureTime: T0 + 20_000 });
  assert.deepEqual(newBackoffRecord(two, [pod("Succeeded", 30)], []), none, "a success resets");
  assert.deepEqual(newBackoffRecord(two, [pod("Succeeded", 30)], [pod("Failed", 25), pod("Failed", 40)]), { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 40_000 }, "failures after the success count");
  assert.equal(remainingTimeForFailures(T0 + 21_000, two.failuresAfterLastSuccess, two.lastFailureTime), 19_000);
  assert.equal(remainingTimeForFailures(T0 + 60_000, two.failuresAfterLastSuccess, two.lastFailureTime), 0);
});

test("getFinishedTime: containers' finishedAt, else the deletion, else the creation", () => {
  assert.equal(getFinishedTime(pod("Failed", 7)), T0 + 7000);
  const deleted: KObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", creationTimestamp: at(0), deletionTimestamp: at(9) }, status: { phase: "Running" } };
  assert.equal(getFinishedTime(deleted), T0 + 9000);
  assert.equal(getFinishedTime({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", creationTimestamp: at(3) }, status: {} }), T0 + 3000);
});
