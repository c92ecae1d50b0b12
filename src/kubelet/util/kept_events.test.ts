import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../../api/store.ts";
import { EventRecorder, type RecordOptions } from "../../api/events.ts";
import { SimClock } from "../../sim/clock.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ClusterContext } from "../../context.ts";
import { recordKept, type KeptEvents } from "./kept_events.ts";

/** One cluster's store and recorder; `kept` records through recordKept, otherwise plain records. */
function run(kept: boolean): string {
  const clock = new SimClock("2024-01-08T00:00:00Z");
  const api = new ApiServer(clock);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const events = new EventRecorder(api);
  const ctx = { reference: false, events } as unknown as ClusterContext;
  let pod = api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "x" }] } }) as Pod;
  const store: KeptEvents | undefined = kept ? new Map() : undefined;
  const kubelet = { component: "kubelet", host: "node1" };
  const ev = (container: string, reason: string, message: string, host = "node1"): RecordOptions => ({
    type: "Normal",
    reason,
    message,
    fieldPath: `spec.containers{${container}}`,
    source: host === "node1" ? kubelet : { component: "kubelet", host },
  });
  for (let i = 0; i < 40; i++) {
    for (const c of ["a", "b"]) {
      recordKept(ctx, store, pod, c, ev(c, "Pulled", `Container image "x" already present on machine`));
      recordKept(ctx, store, pod, c, ev(c, "Created", `Created container: ${c}`));
      // A message that changes now and then, and another source: new events, not the kept ones.
      recordKept(ctx, store, pod, c, ev(c, "Started", i % 7 === 3 ? `Started container ${c} again` : `Started container ${c}`, i % 11 === 5 ? "node2" : "node1"));
    }
    // A new version of the pod (its resourceVersion is in the reference of a newly created Event, in no key).
    pod = api.update({ ...pod, metadata: { ...pod.metadata, labels: { round: String(i) } } }) as Pod;
    // Past the event TTL now and then: the kept event is created anew from the pod passed now.
    clock.advance(i % 13 === 12 ? 61 * 60_000 : 20_000);
  }
  return JSON.stringify(api.list("Event", { namespace: "default" }).map((e) => [e.metadata.name, e.involvedObject, e.reason, e.message, e.count, e.firstTimestamp, e.lastTimestamp, e.source]));
}

test("events recorded through kept handles are the events recorded in full (containers, messages, sources, pod versions, the TTL)", () => {
  const plain = run(false);
  assert.equal(run(true), plain);
  assert.ok(plain.length > 1000);
});
