import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../sim/random.ts";
import { deepFreeze, type KObject } from "../api/types.ts";
import { ServiceInformer, TriggerTimeTracker } from "./servicequeue.ts";
import { ApiServer } from "../api/store.ts";
import { SimClock } from "../sim/clock.ts";
import type { ClusterContext } from "../context.ts";

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

test("the informer's Pod handler left out of status-only changes of pods no Service of its cache selects (statusOnlyWanted) keeps the same selections, dirty records and queue as one called for every event", () => {
  // Issue #19 §1: two fast informers over one API server, one registering the Pod watch with its
  // `statusOnlyWanted` (the dispatch leaves it out), the other with the option dropped (called for
  // every event); random pods with and without labels in two namespaces, status writes, relabels,
  // Services made, deleted and reselected, pods deleted and made again.
  for (let seed = 1; seed <= 40; seed++) {
    const r = new Random(seed);
    const api = new ApiServer(new SimClock());
    for (const ns of ["default", "other"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    const ctx = { reference: false, api } as unknown as ClusterContext;
    const queued: string[][] = [[], []];
    let skipped = 0;
    const informers = [0, 1].map((i) => {
      const inf = new ServiceInformer(
        ctx,
        (kind, handler, opts) => {
          if (i === 1 || !opts?.statusOnlyWanted) return void api.watch(kind, handler);
          const wanted = opts.statusOnlyWanted;
          api.watch(kind, handler, { statusOnlyWanted: (ev) => wanted(ev) || (skipped++, false) });
        },
        (key) => queued[i].push(key),
        "Endpoints",
      );
      inf.start();
      return inf;
    });
    const names = ["a", "b", "c", "d", "e"];
    const nss = ["default", "other"];
    const apps = [undefined, "x", "y"];
    for (let step = 0; step < 300; step++) {
      const ns = nss[r.int(2)];
      const name = names[r.int(names.length)];
      const op = r.int(10);
      const stored = api.get("Pod", ns, name);
      try {
        if (op < 5 && stored) {
          const phase = ["Pending", "Running", "Failed"][r.int(3)];
          api.mutate("Pod", ns, name, (p) => (p.status = { phase, conditions: [{ type: "Ready", status: r.int(2) ? "True" : "False" }], podIP: `10.0.0.${r.int(3)}` }), { subresource: "status" });
        } else if (op === 5 && stored) {
          const app = apps[r.int(3)];
          api.mutate("Pod", ns, name, (p) => (app === undefined ? delete p.metadata.labels : (p.metadata.labels = { app })));
        } else if (op === 6 && stored) api.delete("Pod", ns, name, { gracePeriodSeconds: 0 });
        else if (op <= 6) {
          const app = apps[r.int(3)];
          api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, ...(app ? { labels: { app } } : {}) }, spec: { containers: [{ name: "c", image: "i" }] } });
        } else {
          const svc = `s${r.int(2)}`;
          const app = apps[1 + r.int(2)];
          if (op === 7 && api.get("Service", ns, svc)) api.delete("Service", ns, svc);
          else if (api.get("Service", ns, svc)) api.mutate("Service", ns, svc, (s) => (s.spec.selector = { app }));
          else api.create({ apiVersion: "v1", kind: "Service", metadata: { name: svc, namespace: ns }, spec: { selector: { app }, ports: [{ port: 80 }] } });
        }
      } catch {
        // (a write the store refuses: nothing to compare)
      }
      if (r.int(3) === 0) api.clock.settle();
      if (r.int(4) === 0) {
        api.clock.settle();
        assert.deepEqual(queued[0], queued[1], `seed ${seed} step ${step}: the queue`);
        for (const n of nss) {
          for (const s of ["s0", "s1"]) {
            const key = `${n}/${s}`;
            const d = informers.map((inf) => inf.takeDirty(key));
            assert.deepEqual(d[0] === true ? true : d[0] && [...d[0]], d[1] === true ? true : d[1] && [...d[1]], `seed ${seed} step ${step}: ${key} dirty`);
            assert.deepEqual([...informers[0].selection(key)], [...informers[1].selection(key)], `seed ${seed} step ${step}: ${key} selection`);
          }
        }
      }
    }
    assert.ok(skipped > 0, `seed ${seed}: no status-only change was left out`);
  }
});
