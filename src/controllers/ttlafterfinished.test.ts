import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { needsCleanup, timeLeft } from "./ttlafterfinished.ts";
import { setTerminal, testCluster, podsOf } from "./testutil.ts";

const T0 = Date.parse("2024-01-08T00:00:00Z");
const finished = (ttl: number | undefined, type = "Complete"): KObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "j", namespace: "default" },
  spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
  status: { conditions: [{ type, status: "True", lastTransitionTime: "2024-01-08T00:00:10Z" }] },
});

// ttlafterfinished_controller_test.go TestTimeLeft.
test("timeLeft: from the finish condition's transition time", () => {
  assert.equal(timeLeft(finished(undefined), T0), undefined, "no TTL");
  assert.equal(timeLeft({ ...finished(10), status: {} }, T0), undefined, "not finished");
  assert.equal(timeLeft(finished(10), T0 + 15_000), 5_000);
  assert.equal(timeLeft(finished(10, "Failed"), T0 + 25_000), -5_000);
  assert.equal(timeLeft(finished(0), T0 + 10_000), 0);
  assert.equal(needsCleanup(finished(0, "SuccessCriteriaMet")), false);
});

test("a finished Job with a TTL is deleted with its pods when the TTL expires", () => {
  const c = testCluster();
  c.api.create({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "t", namespace: "default" }, spec: { ttlSecondsAfterFinished: 30, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } });
  c.advanceSync(10);
  setTerminal(c, podsOf(c, "Job", "t")[0], "Succeeded");
  c.advanceSync(2000);
  assert.ok(c.get("Job", "t")!.status.conditions.some((x: any) => x.type === "Complete"));
  c.advanceSync(27_000);
  assert.ok(c.get("Job", "t"), "still there before the TTL");
  c.advanceSync(5000);
  assert.equal(c.get("Job", "t"), undefined);
  assert.equal(podsOf(c, "Job", "t").length, 0);
});
