import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import {
  calculateSucceededIndexes,
  COMPLETION_INDEX_ANNOTATION,
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  JOB_TRACKING_FINALIZER,
  OrderedIntervals,
  parseIndexesFromString,
  podGenerateNameWithIndex,
} from "./indexed_job_utils.ts";

const job = (completions: number, completedIndexes = "", extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "job", namespace: "default" },
  spec: { completions, completionMode: "Indexed", ...extra },
  status: { completedIndexes },
});
let n = 0;
const pod = (ix: number | string, phase = "Running", o: { finalizer?: boolean; deleting?: boolean } = {}): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: `p${n++}`,
    uid: `u${n}`,
    annotations: ix === "" ? {} : { [COMPLETION_INDEX_ANNOTATION]: String(ix) },
    ...(o.finalizer === false ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
    ...(o.deleting ? { deletionTimestamp: "2024-01-08T00:00:00Z" } : {}),
    creationTimestamp: "2024-01-08T00:00:00Z",
  },
  spec: { nodeName: "n1" },
  status: { phase },
});
const iv = (text: string, completions = 100) => parseIndexesFromString(text, completions);

// indexed_job_utils_test.go TestCalculateSucceededIndexes.
test("calculateSucceededIndexes", () => {
  const cases: Array<[string, string, KObject[], number, string]> = [
    ["one index", "", [pod(0, "Succeeded")], 2, "0"],
    ["two separate", "", [pod(2, "Succeeded"), pod(5, "Succeeded"), pod(5, "Succeeded"), pod(10, "Failed"), pod(11, "Running")], 12, "2,5"],
    ["two intervals", "", [pod(0, "Running"), pod(1, "Succeeded"), pod(2, "Succeeded"), pod(3, "Succeeded"), pod(5, "Succeeded"), pod(6, "Succeeded"), pod(7, "Succeeded")], 8, "1-3,5-7"],
    ["prev intervals plus new", "1-3", [pod(4, "Succeeded"), pod(7, "Succeeded")], 8, "1-4,7"],
    ["out of range index ignored", "", [pod(5, "Succeeded")], 5, ""],
    ["counted pods (no finalizer) ignored", "", [pod(1, "Succeeded", { finalizer: false })], 5, ""],
    ["prev beyond completions cut", "0-4,6-9", [], 8, "0-4,6,7"],
  ];
  for (const [name, prev, pods, completions, want] of cases) {
    const [, got] = calculateSucceededIndexes(job(completions, prev), pods);
    assert.equal(got.toString(), want, name);
  }
});

// TestIntervalsHaveIndex / String / total.
test("ordered intervals: has, total, String, merge", () => {
  const x = iv("0-2,4,6,7,9-15");
  assert.equal(x.toString(), "0-2,4,6,7,9-15");
  assert.equal(x.total(), 3 + 1 + 2 + 7);
  for (const [i, want] of [[0, true], [3, false], [4, true], [5, false], [7, true], [8, false], [15, true], [16, false]] as Array<[number, boolean]>) {
    assert.equal(x.has(i), want, `has ${i}`);
  }
  assert.equal(iv("1,3").withOrderedIndexes([2]).toString(), "1-3");
  assert.equal(iv("1-3").merge(iv("5,8")).toString(), "1-3,5,8");
  assert.equal(iv("x,2,3-y,5").toString(), "2,5", "corrupt parts skipped");
  assert.equal(new OrderedIntervals().toString(), "");
});

// TestFirstPendingIndexes.
test("firstPendingIndexes", () => {
  const cases: Array<[string, number, number, KObject[], string, string | undefined, number[]]> = [
    ["cnt greater than completions", 5, 3, [], "", undefined, [0, 1, 2]],
    ["cnt less than completions", 2, 5, [], "", undefined, [0, 1]],
    ["first pods active", 3, 10, [pod(0), pod(1)], "", undefined, [2, 3, 4]],
    ["last pods active or succeeded", 3, 6, [pod(4), pod(5)], "", undefined, [0, 1, 2]],
    ["mixed", 5, 20, [pod(1), pod(5), pod(7), pod(8), pod(9)], "2,4,6", undefined, [0, 3, 10, 11, 12]],
    ["with failed indexes", 5, 20, [pod(3), pod(9)], "", "4-7,10", [0, 1, 2, 8, 11]],
  ];
  for (const [name, cnt, completions, active, succeeded, failed, want] of cases) {
    const j = job(completions);
    const got = firstPendingIndexes(
      { job: j, pods: active, activePods: active, succeededIndexes: iv(succeeded, completions), failedIndexes: failed === undefined ? undefined : iv(failed, completions) },
      cnt,
      completions,
    );
    assert.deepEqual(got, want, name);
  }
});

test("only failed pods replaced: a terminating pod's index is not pending", () => {
  const terminating = pod(0, "Running", { deleting: true });
  const j = job(3, "", { podReplacementPolicy: "Failed" });
  assert.deepEqual(firstPendingIndexes({ job: j, pods: [terminating], activePods: [], succeededIndexes: new OrderedIntervals() }, 3, 3), [1, 2]);
  const k = job(3);
  assert.deepEqual(firstPendingIndexes({ job: k, pods: [terminating], activePods: [], succeededIndexes: new OrderedIntervals() }, 3, 3), [0, 1, 2]);
});

test("appendDuplicatedIndexPodsForRemoval: no index, out of range and repeats go", () => {
  const a = pod(0);
  const b = pod(0);
  const c = pod(1);
  const none = pod("");
  const high = pod(9);
  const { rm, left } = duplicatedIndexPodsForRemoval([a, b, c, none, high], 3);
  assert.equal(rm.length, 3);
  assert.ok(rm.includes(none) && rm.includes(high));
  assert.deepEqual(left.map((p) => p.metadata.annotations![COMPLETION_INDEX_ANNOTATION]).sort(), ["0", "1"]);
});

test("podGenerateNameWithIndex", () => {
  assert.equal(podGenerateNameWithIndex("indexed-job", 2), "indexed-job-2-");
  const long = "a".repeat(60);
  const name = podGenerateNameWithIndex(long, 123);
  assert.equal(name.length, 58);
  assert.ok(name.endsWith("-123-"));
});
