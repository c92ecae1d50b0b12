// Pod workers' pure helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mentionsAnnotations } from "./pod_workers.ts";

test("mentionsAnnotations answers as JSON.stringify(spec).includes(\"metadata.annotations\") does", () => {
  const piece = fc.constantFrom("metadata.annotations", "metadata.annotations['a']", "metadata.", "annotations", "metadata.annotation", "metadata\n.annotations", "meta\"data.annotations", "x\\metadata.annotations", "\u2028", "\u0000", "labels", "");
  const str = fc.array(piece, { maxLength: 3 }).map((a) => a.join(""));
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      str,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(str, tie("v"), { maxKeys: 4 }),
    ),
  })).v;
  fc.assert(
    fc.property(value, (v) => {
      const json = JSON.stringify(v);
      assert.equal(mentionsAnnotations(v), json !== undefined && json.includes("metadata.annotations"));
    }),
    { numRuns: 3000, seed: 19 },
  );
  // A downward API item reading an annotation, in a pod spec shape.
  const spec = { containers: [{ name: "a", env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } }] }] };
  assert.equal(mentionsAnnotations(spec), true);
  assert.equal(mentionsAnnotations({ containers: [{ name: "a", command: ["sh", "-c", "echo metadata.labels"] }] }), false);
});

import { Cluster } from "../cluster.ts";
import { kubelets } from "./manager.ts";

/** A crash loop on one engine: the pod's status at every second, and the runtime manager's syncs of the pod. */
function crashLoop(reference: boolean): { seconds: string[]; runtimeSyncs: number[] } {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'sleep 2; exit 1']\n");
  const rm = kubelets(c.ctx).get("node1")!.runtimeManager;
  const runtimeSyncs: number[] = [];
  const syncPod = rm.syncPod.bind(rm);
  rm.syncPod = (...a: Parameters<typeof rm.syncPod>) => {
    runtimeSyncs.push(c.clock.now());
    return syncPod(...a);
  };
  const seconds: string[] = [];
  for (let s = 0; s < 400; s++) {
    c.advanceSync(1000);
    const p = c.get("Pod", "crash")!;
    seconds.push(`${p.metadata.resourceVersion} ${JSON.stringify(p.status.containerStatuses?.[0] ?? null)}`);
  }
  return { seconds, runtimeSyncs };
}

test("a crash's back-off retry writes the waiting status on the retry's path (issue #19, kubelet21): the same writes as the reference engine, one full sync fewer per restart", () => {
  const fast = crashLoop(false);
  const ref = crashLoop(true);
  assert.deepEqual(fast.seconds, ref.seconds);
  assert.ok(fast.seconds.some((x) => x.includes('"reason":"CrashLoopBackOff"')));
  // Per restart after the first, the full sync at the crash (its PLEG relist) and the one that starts
  // the container at the back-off's expiry; the waiting status 10 s after the crash is written by the
  // retry's path (no runtime manager sync), the retries after it sleep. The reference syncs every 10 s.
  const t0 = fast.runtimeSyncs[0]!;
  const late = (xs: number[]) => xs.filter((t) => t - t0 > 60_000).length;
  assert.ok(late(fast.runtimeSyncs) * 3 < late(ref.runtimeSyncs), `fast ${late(fast.runtimeSyncs)} runtime syncs, reference ${late(ref.runtimeSyncs)}`);
  const gaps = fast.runtimeSyncs.slice(1).map((t, i) => t - fast.runtimeSyncs[i]!);
  assert.ok(!gaps.some((g) => g === 10_000), `no runtime sync 10 s after another on the fast engine: ${gaps.join(" ")}`);
});
