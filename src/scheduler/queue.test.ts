import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDuration, SchedulingQueue, type ClusterEvent } from "./queue.ts";
import { pod } from "./testutil.ts";

test("backoff: 1s doubling per attempt, capped at 10s", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 10].map(backoffDuration), [1000, 2000, 4000, 8000, 10000, 10000, 10000]);
});

function queue() {
  let now = 0;
  const q = new SchedulingQueue(() => now, () => {});
  return { q, tick: (ms: number) => (now += ms), at: () => now };
}

test("PrioritySort: higher priority first, then earlier timestamp", () => {
  const { q, tick } = queue();
  q.add(pod("low", { priority: 0 }));
  tick(1);
  q.add(pod("high", { priority: 100 }));
  tick(1);
  q.add(pod("low2", { priority: 0 }));
  assert.deepEqual([q.pop()!, q.pop()!, q.pop()!].map((p) => p.pod.metadata.name), ["high", "low", "low2"]);
});

const helpsFit: ClusterEvent = { label: "AssignedPodDelete", mayHelp: (p) => p.unschedulablePlugins.has("NodeResourcesFit") };

test("unschedulable pods move on a helpful event: to backoffQ while backing off, then activeQ", () => {
  const { q, tick } = queue();
  q.add(pod("p"));
  const p = q.pop()!;
  p.unschedulablePlugins = new Set(["NodeResourcesFit"]);
  q.addUnschedulable(p, q.schedulingCycle);
  assert.equal(q.where("default/p"), "unschedulable");
  q.moveAllToActiveOrBackoffQueue({ label: "x", mayHelp: () => false });
  assert.equal(q.where("default/p"), "unschedulable");
  tick(500);
  q.moveAllToActiveOrBackoffQueue(helpsFit);
  assert.equal(q.where("default/p"), "backoff");
  q.flushBackoffQCompleted();
  assert.equal(q.where("default/p"), "backoff");
  tick(500);
  q.flushBackoffQCompleted();
  assert.equal(q.where("default/p"), "active");
});

test("unschedulable pods are flushed after 5 minutes", () => {
  const { q, tick } = queue();
  q.add(pod("p"));
  const p = q.pop()!;
  p.unschedulablePlugins = new Set(["NodeAffinity"]);
  q.addUnschedulable(p, q.schedulingCycle);
  tick(5 * 60_000);
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.where("default/p"), "unschedulable");
  tick(1);
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.where("default/p"), "active");
});

test("a move request during the cycle sends the failed pod to backoffQ", () => {
  const { q } = queue();
  q.add(pod("p"));
  const p = q.pop()!;
  const cycle = q.schedulingCycle;
  q.moveAllToActiveOrBackoffQueue(helpsFit);
  p.unschedulablePlugins = new Set(["NodeAffinity"]);
  q.addUnschedulable(p, cycle);
  assert.equal(q.where("default/p"), "backoff");
});

test("an updated spec gives an unschedulable pod another try", () => {
  const { q, tick } = queue();
  q.add(pod("p"));
  const p = q.pop()!;
  p.unschedulablePlugins = new Set(["NodeAffinity"]);
  q.addUnschedulable(p, q.schedulingCycle);
  tick(2000);
  q.update(pod("p", { nodeSelector: { a: "b" } }));
  assert.equal(q.where("default/p"), "active");
});
