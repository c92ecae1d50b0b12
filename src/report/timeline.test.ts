import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { ApiServer, lazyStatusBuilds, statusUnbuilt } from "../api/store.ts";
import type { KObject } from "../api/types.ts";
import { podState, TimelineRecorder } from "./timeline.ts";

function run(lazy: boolean): { text: string; svg: string; builds: number; unbuilt: boolean } {
  const api = new ApiServer(new SimClock());
  api.lazyPodStatus = lazy;
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const rec = new TimelineRecorder(api);
  api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] }, status: {} });
  api.bind("default", "p", "n1");
  api.clock.advance(1000);
  const builds = lazyStatusBuilds.count;
  let cur: KObject = api.get("Pod", "default", "p")!;
  const ready = (s: string) => [{ type: "Ready", status: s }];
  const steps: Array<Record<string, unknown>> = [
    { phase: "Pending", qosClass: "BestEffort", containerStatuses: [{ name: "c", restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] },
    { phase: "Running", qosClass: "BestEffort", conditions: ready("True"), containerStatuses: [{ name: "c", restartCount: 0, state: { running: {} } }] },
    { phase: "Running", qosClass: "BestEffort", conditions: ready("False"), containerStatuses: [{ name: "c", restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } } }] },
    { phase: "Failed", qosClass: "BestEffort", reason: "Evicted", containerStatuses: [{ name: "c", restartCount: 1, state: { terminated: { exitCode: 1 } } }] },
  ];
  for (const s of steps) {
    cur = api.updatePodStatus(cur, s);
    api.clock.advance(5000);
  }
  const unbuilt = statusUnbuilt(cur);
  const b = lazyStatusBuilds.count - builds;
  rec.stop();
  return { text: rec.toText(), svg: rec.toSVG(), builds: b, unbuilt };
}

test("the timeline reads a pod's status without building one the store keeps unbuilt, and records what it records with every status built", () => {
  const lazy = run(true);
  const plain = run(false);
  assert.equal(lazy.text, plain.text);
  assert.equal(lazy.svg, plain.svg);
  assert.match(lazy.text, /CrashLoopBackOff/);
  assert.match(lazy.text, /Failed \(Evicted\)/);
  assert.equal(lazy.builds, 0, "the recorder built no status");
  assert.ok(lazy.unbuilt);
});

test("podState", () => {
  const pod = (status: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...meta }, spec: { nodeName: "n" }, status });
  assert.equal(podState(pod({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] }), false).label, "Running, Ready");
  assert.equal(podState(pod({ phase: "Running" }, { deletionTimestamp: "x" }), false).kind, "terminating");
  assert.equal(podState(pod({ phase: "Pending", containerStatuses: [{ restartCount: 2, state: { waiting: { reason: "ImagePullBackOff" } } }] }), true).label, "ImagePullBackOff");
});
