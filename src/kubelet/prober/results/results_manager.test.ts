import { test } from "node:test";
import assert from "node:assert/strict";
import { ResultsManager, type Update } from "./results_manager.ts";
import { SimClock } from "../../../sim/clock.ts";

// Port of results_manager_test.go TestCacheOperations and TestUpdates.
test("cache operations", () => {
  const m = new ResultsManager();
  assert.equal(m.get("unset"), undefined);
  m.set("set", "Success", "pod");
  assert.equal(m.get("set"), "Success");
  m.remove("set");
  assert.equal(m.get("set"), undefined);
});

test("updates are sent only when the result changes, after the write", () => {
  const clock = new SimClock();
  const m = new ResultsManager(clock);
  const got: Update[] = [];
  m.onUpdate((u) => got.push(u));
  m.set("c1", "Success", "p");
  assert.equal(got.length, 0, "delivered asynchronously");
  clock.settle();
  assert.deepEqual(got, [{ containerID: "c1", result: "Success", podUID: "p" }]);
  m.set("c1", "Success", "p");
  clock.settle();
  assert.equal(got.length, 1, "no update for an unchanged result");
  m.set("c1", "Failure", "p");
  m.set("c2", "Failure", "p");
  clock.settle();
  assert.deepEqual(got.map((u) => [u.containerID, u.result]), [["c1", "Success"], ["c1", "Failure"], ["c2", "Failure"]]);
});
