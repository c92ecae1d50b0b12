/**
 * Watch slots and first-object callbacks (issue #19 §5): a component started late is called, for
 * every event, where it would have been had it started with the cluster.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { ApiServer } from "./store.ts";
import type { KObject, WatchHandler } from "./types.ts";

const pod = (name: string, nodeName?: string): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "c", image: "busybox" }], ...(nodeName ? { nodeName } : {}) },
  status: {},
});
const cm = (name: string): KObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: {} });

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  api.clock.settle();
  return api;
}

/** The same subscriptions, made in order (`late` false) or the slot's part later (`late` true): what each event reaches. */
function run(late: boolean): string[] {
  const api = server();
  const seen: string[] = [];
  const h = (who: string): WatchHandler => (ev) => seen.push(`${who} ${ev.type} ${ev.object.kind}/${ev.object.metadata.name}`);
  api.watch("Pod", h("first"));
  api.watch("*", h("first*"));
  const inSlot = () => {
    api.watch("Pod", h("slot-a"));
    api.watch("*", h("slot*"));
    api.watch("Pod", h("slot-b"));
  };
  const slot = late ? api.reserveWatchSlot() : undefined;
  if (!late) inSlot();
  api.watch("Pod", h("after"));
  api.watch("Pod", h("n1"), { nodeName: "n1" });
  api.watch("*", h("after*"));
  // A pod event on n1 before the slot is filled: the merged list of n1 is kept by the store.
  api.create(pod("p0", "n1"));
  api.clock.settle();
  if (late) {
    seen.length = 0;
    api.watchInSlot(slot!, inSlot);
    assert.deepEqual(slot!.kinds, ["Pod", "*", "Pod"]);
  } else seen.length = 0;
  api.create(pod("p1", "n1"));
  api.create(pod("p2"));
  api.create(cm("c"));
  api.clock.settle();
  return seen;
}

test("watches made in a reserved slot are called where watches made at the reservation would be, node-indexed pod watchers merged in", () => {
  const eager = run(false);
  assert.deepEqual(run(true), eager);
  assert.deepEqual(eager.slice(0, 5), ["first ADDED Pod/p1", "slot-a ADDED Pod/p1", "slot-b ADDED Pod/p1", "after ADDED Pod/p1", "n1 ADDED Pod/p1"]);
  assert.deepEqual(eager.slice(5, 8), ["first* ADDED Pod/p1", "slot* ADDED Pod/p1", "after* ADDED Pod/p1"]);
  assert.deepEqual(eager.slice(-3), ["first* ADDED ConfigMap/c", "slot* ADDED ConfigMap/c", "after* ADDED ConfigMap/c"]);
});

test("a slot's watch can be stopped; slots nest nowhere", () => {
  const api = server();
  const seen: string[] = [];
  const slot = api.reserveWatchSlot();
  api.watch("ConfigMap", () => seen.push("plain"));
  const stop = api.watchInSlot(slot, () => api.watch("ConfigMap", () => seen.push("slot")));
  assert.throws(() => api.watchInSlot(slot, () => api.watchInSlot(api.reserveWatchSlot(), () => 0)), /already inside a watch slot/);
  api.create(cm("a"));
  api.clock.settle();
  stop();
  api.create(cm("b"));
  api.clock.settle();
  assert.deepEqual(seen, ["slot", "plain", "plain"]);
});

test("a watch a handler makes in a slot during a dispatch misses that event; the others are called once each", () => {
  const api = server();
  const seen: string[] = [];
  const slot = api.reserveWatchSlot();
  api.watch("*", (ev) => {
    seen.push(`a ${ev.object.metadata.name}`);
    if (ev.object.metadata.name === "x") api.watchInSlot(slot, () => api.watch("*", (e) => seen.push(`slot ${e.object.metadata.name}`)));
  });
  api.watch("*", (ev) => seen.push(`b ${ev.object.metadata.name}`));
  api.create(cm("x"));
  api.create(cm("y"));
  api.clock.settle();
  // The slot was reserved before either watcher: from the next event on, its watcher comes first.
  assert.deepEqual(seen, ["a x", "b x", "slot y", "a y", "b y"]);
});

test("beforeFirstObject runs once, right before the first object of any of its kinds is stored, with none of them stored yet", () => {
  const api = server();
  const calls: string[] = [];
  api.beforeFirstObject(["Pod", "ConfigMap"], () => {
    calls.push(`pods ${api.list("Pod").length} configmaps ${api.list("ConfigMap").length} rv ${api.resourceVersion}`);
    api.watch("Pod", (ev) => calls.push(`watch ${ev.type} ${ev.object.metadata.name}`));
  });
  api.beforeFirstObject(["Secret"], () => calls.push("secret"));
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
  assert.deepEqual(calls, []);
  api.create(pod("p"));
  api.create(cm("c"));
  api.create(pod("q"));
  api.clock.settle();
  // Called inside the create, after its resourceVersion was taken, before the pod was stored.
  assert.deepEqual([...calls], ["pods 0 configmaps 0 rv 1003", "watch ADDED p", "watch ADDED q"]);
  // A kind that holds objects already: at once.
  const after: string[] = calls;
  api.beforeFirstObject(["ConfigMap", "Job"], () => after.push("at once"));
  assert.equal(calls[calls.length - 1], "at once");
});

test("beforeFirstObject runs at once for a kind that had objects, even if all were deleted since", () => {
  const api = server();
  api.create(cm("c"));
  api.delete("ConfigMap", "default", "c");
  api.clock.settle();
  let called = 0;
  api.beforeFirstObject(["ConfigMap"], () => called++);
  assert.equal(called, 1, "a kind that had an object had events: too late to wait");
});
