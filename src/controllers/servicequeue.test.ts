import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../sim/random.ts";
import { deepFreeze, type KObject } from "../api/types.ts";
import { TriggerTimeTracker } from "./servicequeue.ts";

const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString().replace(/\.\d{3}Z$/, "Z");

function pod(name: string, readyAt: number | undefined): KObject {
  const conditions = readyAt === undefined ? [] : [{ type: "Ready", status: "True", lastTransitionTime: at(readyAt) }];
  return deepFreeze({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, status: { conditions } });
}

test("the incremental trigger-time tracker answers as the rebuilt one over random syncs", () => {
  const r = new Random(19);
  for (let run = 0; run < 100; run++) {
    const plain = new TriggerTimeTracker(false);
    const fast = new TriggerTimeTracker(true);
    let created = 0;
    const pods = new Map<string, KObject>();
    for (let sync = 0; sync < 60; sync++) {
      // Pods join, leave and change their Ready time; the Service is sometimes recreated or forgotten.
      for (let k = r.int(4); k > 0; k--) {
        const name = `p${r.int(12)}`;
        const op = r.int(4);
        if (op === 0) pods.delete(name);
        else pods.set(name, pod(name, op === 1 ? undefined : r.int(6)));
      }
      if (r.int(15) === 0) created = r.int(30);
      const svc = deepFreeze({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default", creationTimestamp: at(created) } });
      if (r.int(25) === 0) {
        plain.forget("default", "s");
        fast.forget("default", "s");
      }
      const list = [...pods.values()];
      assert.equal(fast.compute(svc, list), plain.compute(svc, list), `run ${run} sync ${sync}`);
    }
  }
});
