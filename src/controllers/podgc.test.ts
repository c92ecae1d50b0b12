import { test } from "node:test";
import assert from "node:assert/strict";
import { setRunning, testCluster } from "./testutil.ts";
import { PodGC } from "./podgc.ts";
import { ApiError } from "../api/errors.ts";
import type { NodeCondition, PodCondition } from "../api/types.gen.ts";
import { Random } from "../sim/random.ts";

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });

test("pods of a deleted node are force-deleted after the quarantine", () => {
  const c = testCluster();
  const p = c.api.create(pod("orphan"));
  setRunning(c, p, "k8s-node2");
  c.api.delete("Node", undefined, "k8s-node2");
  c.advanceSync(20_000);
  assert.ok(c.get("Pod", "orphan"), "kept during the quarantine");
  c.advanceSync(40_000);
  assert.equal(c.get("Pod", "orphan"), undefined);
});

test("terminating pods on an out-of-service node that is not ready are force-deleted", () => {
  const c = testCluster();
  const p = c.api.create(pod("stuck"));
  setRunning(c, p, "k8s-node2");
  c.api.delete("Pod", "default", "stuck");
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" }];
  });
  c.advanceSync(30_000);
  assert.ok(c.get("Pod", "stuck"), "a Ready node keeps its terminating pod");
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
  }, { subresource: "status" });
  // The kubelet reports Ready again every 10 s in this test cluster, so stop it first.
  const k = c.ctx.services.get("kubelets")!.get("k8s-node2")!;
  k.stop();
  c.api.mutate("Node", undefined, "k8s-node2", (n) => {
    n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
  }, { subresource: "status" });
  c.advanceSync(20_000);
  assert.equal(c.get("Pod", "stuck"), undefined);
});

test("passes with nothing to do are skipped while no pod and no node changes (issue #19 §3), and the pod GC acts as on the reference engine once one does", () => {
  const run = (reference: boolean) => {
    const c = testCluster(["k8s-node1", "k8s-node2", "k8s-node3"], { reference });
    const lists: number[] = [];
    const list = c.api.list.bind(c.api);
    c.api.list = (kind, opts) => {
      if (kind === "Pod") lists.push(c.clock.now());
      return list(kind, opts);
    };
    for (const [i, node] of ["k8s-node1", "k8s-node2", "k8s-node2", "k8s-node3"].entries()) setRunning(c, c.api.create(pod(`p${i}`)), node);
    c.advanceSync(65_000);
    const quietPasses = lists.length;
    // A node goes at an odd instant, long after the last change: its pods after the quarantine.
    c.advanceSync(7_000);
    c.api.delete("Node", undefined, "k8s-node2");
    const gone: string[] = [];
    for (let t = 0; t < 12; t++) {
      c.advanceSync(10_000);
      gone.push(["p0", "p1", "p2", "p3"].filter((n) => !c.get("Pod", n)).join(","));
    }
    // A pod deleted on a node that then turns out of service and not ready.
    c.api.delete("Pod", "default", "p3");
    c.api.mutate("Node", undefined, "k8s-node3", (n) => {
      n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "x", effect: "NoExecute" }];
    });
    c.advanceSync(25_000);
    gone.push(c.get("Pod", "p3") ? "p3 kept" : "p3 gone");
    c.api.mutate("Node", undefined, "k8s-node3", (n) => {
      n.status.conditions = n.status.conditions.map((x: any) => (x.type === "Ready" ? { ...x, status: "False" } : x));
    }, { subresource: "status" });
    c.advanceSync(25_000);
    gone.push(c.get("Pod", "p3") ? "p3 kept" : "p3 gone");
    return { gone, quietPasses };
  };
  const fast = run(false);
  const reference = run(true);
  assert.deepEqual(fast.gone, reference.gone);
  assert.ok(fast.gone.some((g) => g === "p1,p2"), fast.gone.join(" | "));
  assert.deepEqual(fast.gone.slice(-2), ["p3 kept", "p3 gone"]);
  // The reference engine lists the pods at every pass; the fast one skips the quiet ones.
  assert.ok(fast.quietPasses < reference.quietPasses, `${fast.quietPasses} < ${reference.quietPasses}`);
});

test("issue #19 §1: quiet passes skipped on the last Pod change a pass reads (lastPodLifecycleChange): random pods, status writes that keep or change the phase, binds, deletions, nodes gone, tainted and not ready act as on the reference engine", () => {
  // The fast engine's pod GC skips a pass while no pod was created, deleted, bound, or changed its
  // phase or deletion timestamp and no node changed since a pass that did nothing; the reference
  // engine runs every pass. The same random steps on both; the pods compared after each step.
  const seeds = Number(process.env.PODGC_SEEDS ?? 8);
  const steps = Number(process.env.PODGC_STEPS ?? 120);
  const nodes = ["k8s-node1", "k8s-node2", "k8s-node3", "k8s-node4"];
  let skippedOnStatus = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = new Random(seed);
    const clusters = [false, true].map((reference) => testCluster(nodes, { reference }));
    // Each cluster's pod GC passes run (the pods listed), and on the fast engine the passes skipped
    // although a pod changed since the previous one (what `lastChangeOf("Pod")` would have run).
    const passes = [0, 0];
    clusters.forEach((c, i) => {
      const gc = (c as unknown as { components: unknown[] }).components.find((x) => x instanceof PodGC) as unknown as { pass(): void; gc(): void };
      const pass = gc.pass.bind(gc);
      const run = gc.gc.bind(gc);
      let seen = -1;
      gc.pass = () => {
        passes[i]++;
        pass();
      };
      gc.gc = () => {
        const before = passes[i];
        const changed = c.api.lastChangeOf("Pod") !== seen;
        run();
        if (passes[i] === before && changed && seen >= 0) skippedOnStatus++;
        seen = c.api.lastChangeOf("Pod");
      };
    });
    const view = (c: ReturnType<typeof testCluster>) =>
      c.api.list("Pod").map((p) => `${p.metadata.name} ${p.metadata.resourceVersion} ${p.spec.nodeName ?? "-"} ${p.status?.phase} ${p.metadata.deletionTimestamp ?? "-"} ${JSON.stringify(p.status?.conditions?.find((x: PodCondition) => x.type === "DisruptionTarget") ?? null)}`);
    for (let step = 0; step < steps; step++) {
      // Mostly status writes that keep the phase (as a kubelet's), so a pass stays quiet long enough
      // for a change it must see to be the only one.
      const op = r.int(40);
      const name = `p${r.int(6)}`;
      // (A node once gone stays gone: the test cluster's stopped kubelets are not made again.)
      const node = nodes[r.int(nodes.length)];
      const phase = ["Pending", "Running", "Succeeded", "Failed"][r.int(4)];
      const restarts = r.int(5);
      const ms = r.int(25) * 1000;
      const nodeGoes = r.int(2) === 1;
      for (const c of clusters) {
        const api = c.api;
        const stored = api.get("Pod", "default", name);
        try {
          if (!stored) {
            if (op < 4) {
              api.create(pod(name));
              if (op < 2) api.bind("default", name, node);
            }
          } else if (op < 26) {
            // A kubelet's status write: the phase kept (a restart, readiness) or, at op 0, changed.
            api.mutate("Pod", "default", name, (p) => {
              if (op === 0) p.status.phase = phase;
              p.status.conditions = [{ type: "Ready", status: restarts % 2 ? "True" : "False", lastProbeTime: null, lastTransitionTime: c.clock.nowRFC3339() }];
              p.status.containerStatuses = [{ name: "c", ready: restarts % 2 === 1, restartCount: restarts, image: "nginx", imageID: "", started: true, state: { running: { startedAt: c.clock.nowRFC3339() } } }];
            }, { subresource: "status" });
          } else if (op < 28 && !stored.spec.nodeName) api.bind("default", name, node);
          else if (op < 30) api.delete("Pod", "default", name);
          else if (op < 31 && api.get("Node", undefined, node)) {
            if (nodeGoes) api.delete("Node", undefined, node);
            else api.mutate("Node", undefined, node, (n) => (n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "x", effect: "NoExecute" }]));
          } else if (op < 32 && api.get("Node", undefined, node)) {
            api.mutate("Node", undefined, node, (n) => (n.status.conditions = n.status.conditions.map((x: NodeCondition) => (x.type === "Ready" ? { ...x, status: "False" } : x))), { subresource: "status" });
          }
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
        c.advanceSync(ms);
      }
      assert.deepEqual(view(clusters[0]), view(clusters[1]), `seed ${seed}, step ${step}`);
    }
    if (process.env.PODGC_COUNTS) console.log(seed, passes, skippedOnStatus);
    assert.ok(passes[0] < passes[1], `seed ${seed}: the fast engine runs fewer passes (${passes[0]} < ${passes[1]})`);
    for (const c of clusters) void c.close();
  }
  assert.ok(skippedOnStatus > 10, `passes skipped across status writes that keep the phase (${skippedOnStatus})`);
});

test("issue #19 §1: after quiet passes, a pod's deletion on an out-of-service node that is not ready, and its bind to a node that is gone, each wake the pod GC as on the reference engine; status writes that keep the phase do not", () => {
  const run = (reference: boolean) => {
    const c = testCluster(["k8s-node1", "k8s-node2", "k8s-node3"], { reference });
    const out: string[] = [];
    const state = (n: string) => {
      const p = c.get("Pod", n);
      return p ? `${n} ${p.metadata.deletionTimestamp ? "terminating" : "live"}` : `${n} gone`;
    };
    const kubeletStatus = (n: string, i: number) =>
      c.api.mutate("Pod", "default", n, (p) => (p.status.containerStatuses = [{ name: "c", ready: i % 2 === 0, restartCount: i, image: "nginx", imageID: "", started: true, state: { running: { startedAt: c.clock.nowRFC3339() } } }]), { subresource: "status" });
    // A pod on node2, which turns not ready and out of service (NoSchedule: the taint manager leaves
    // the pod; what the pod GC reads is the key); node3 goes, a pod waits unbound.
    setRunning(c, c.api.create(pod("stuck")), "k8s-node2");
    c.api.mutate("Node", undefined, "k8s-node2", (n) => (n.spec.taints = [{ key: "node.kubernetes.io/out-of-service", value: "x", effect: "NoSchedule" }]));
    c.api.mutate("Node", undefined, "k8s-node2", (n) => (n.status.conditions = n.status.conditions.map((x: NodeCondition) => (x.type === "Ready" ? { ...x, status: "False" } : x))), { subresource: "status" });
    c.api.delete("Node", undefined, "k8s-node3");
    c.api.create({ ...pod("late"), spec: { ...pod("late").spec, schedulerName: "hand-bound" } });
    c.advanceSync(95_000);
    // Quiet passes; the kubelet's status writes every 7 s keep the phase.
    for (let i = 0; i < 10; i++) {
      kubeletStatus("stuck", i);
      kubeletStatus("late", i);
      c.advanceSync(7_000);
    }
    out.push(state("stuck"), state("late"));
    // The deletion: a pass force-deletes the pod (gcTerminating) within 20 s.
    c.api.delete("Pod", "default", "stuck");
    for (let t = 0; t < 3; t++) {
      c.advanceSync(9_000);
      out.push(state("stuck"));
    }
    c.advanceSync(95_000);
    // The bind to the node that is gone: found missing, then deleted after the quarantine (gcOrphaned).
    c.api.bind("default", "late", "k8s-node3");
    for (let t = 0; t < 8; t++) {
      if (c.get("Pod", "late")) kubeletStatus("late", t);
      c.advanceSync(9_000);
      out.push(state("late"));
    }
    void c.close();
    return out;
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  assert.ok(fast.includes("stuck gone") && fast.includes("late gone"), fast.join(" | "));
  assert.deepEqual(fast.slice(0, 2), ["stuck live", "late live"]);
});
