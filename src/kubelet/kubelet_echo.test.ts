// The kubelet's echo of its own status writes (issue #19, echo23): kept by the Pod watch's
// `statusOnlyWanted` in the handler's place on the fast engine, delivered to the handler otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import type { KObject, WatchEvent } from "../api/types.ts";
import { Random } from "../sim/random.ts";
import { Kubelet } from "./kubelet.ts";
import { kubelets } from "./manager.ts";

const PODS: Record<string, string> = {
  crash: "  restartPolicy: Always\n  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'sleep 2; exit 1']\n",
  crash2: "  restartPolicy: Always\n  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'echo up; sleep 9; exit 2']\n",
  flap:
    "  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'while true; do touch /tmp/ready; sleep 7; rm -f /tmp/ready; sleep 5; done']\n" +
    "    readinessProbe:\n      exec: {command: ['test', '-f', '/tmp/ready']}\n      periodSeconds: 2\n",
  gated: "  readinessGates:\n  - conditionType: example.com/ready\n  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'sleep 3600']\n",
  short: "  restartPolicy: OnFailure\n  containers:\n  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'sleep 20; exit 3']\n",
};
const NAMES = Object.keys(PODS);

interface Counts {
  /** Own echoes kept by `echoWanted` (the handler not called). */
  kept: number;
  /** Status-only changes it left to the handler. */
  delivered: number;
}

/**
 * One seeded run: the pods above on two nodes; between steps, other clients patch labels and
 * annotations and a condition of theirs (through the status subresource), the kubelet evicts a
 * pod, pods are deleted and made again. After every step (the watch queue delivered), each pod
 * worker's pod is the stored pod. Returns the pods' stored versions after every step.
 */
function run(seed: number, reference: boolean): string[] {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }, { name: "node2" }]);
  const api = c.ctx.api;
  const rnd = new Random(seed);
  const nodeOf = new Map(NAMES.map((n, i) => [n, i % 2 === 0 ? "node1" : "node2"]));
  const manifest = (n: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}}\nspec:\n  nodeName: ${nodeOf.get(n)}\n${PODS[n]}`;
  for (const n of NAMES) c.applySync(manifest(n));
  const trace: string[] = [];
  for (let step = 0; step < 100; step++) {
    const name = NAMES[rnd.int(NAMES.length)]!;
    const pod = api.get("Pod", "default", name);
    const op = rnd.int(10);
    if (!pod) {
      if (op < 6) c.applySync(manifest(name));
    } else if (op === 0) {
      api.mutate("Pod", "default", name, (o: KObject) => {
        o.metadata.labels = { ...(o.metadata.labels ?? {}), tier: `t${rnd.int(3)}` };
      });
    } else if (op === 1) {
      api.mutate("Pod", "default", name, (o: KObject) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), note: `n${rnd.int(5)}` };
      });
    } else if (op === 2 || op === 3) {
      const status = rnd.int(2) === 0 ? "True" : "False";
      api.mutate(
        "Pod",
        "default",
        name,
        (o: KObject) => {
          const conds = (o.status?.conditions ?? []).filter((x: { type: string }) => x.type !== "example.com/ready");
          o.status = { ...(o.status ?? {}), conditions: [...conds, { type: "example.com/ready", status, lastProbeTime: null, lastTransitionTime: c.ctx.clock.nowRFC3339() }] };
        },
        { subresource: "status" },
      );
    } else if (op === 4 && rnd.int(3) === 0) {
      kubelets(c.ctx)
        .get(pod.spec.nodeName)!
        .killPod(pod, 0, (s) => {
          s.phase = "Failed";
          s.reason = "Evicted";
          s.message = "test eviction";
        });
    } else if (op === 5 && rnd.int(3) === 0) {
      api.delete("Pod", "default", name, rnd.int(2) === 0 ? { gracePeriodSeconds: 0 } : {});
    }
    c.advanceSync(1 + rnd.int(rnd.int(4) === 0 ? 40_000 : 6_000));
    for (const k of kubelets(c.ctx).values()) {
      for (const w of k.podWorkers.workers.values()) {
        const stored = api.get("Pod", w.pod.metadata.namespace, w.pod.metadata.name!);
        if (stored?.metadata.uid === w.uid) assert.equal(w.pod, stored, `seed ${seed}, step ${step}: ${w.pod.metadata.name}'s worker holds the stored pod`);
      }
    }
    trace.push(
      NAMES.map((n) => {
        const p = api.get("Pod", "default", n);
        return p ? `${n}@${p.metadata.resourceVersion}:${JSON.stringify(p.status)}` : `${n}:-`;
      }).join(" "),
    );
  }
  const events = api.list("Event").map((e) => `${e.metadata.name} ${e.count} ${e.lastTimestamp} ${e.message}`);
  c.closeSync();
  return [...trace, ...events];
}

/** Runs `body` with `Kubelet.echoWanted` counted (or, with `off`, answering true: every echo to the handler). */
function counted<T>(counts: Counts, off: boolean, body: () => T): T {
  const proto = Kubelet.prototype as unknown as { echoWanted(ev: WatchEvent): boolean };
  const echoWanted = proto.echoWanted;
  proto.echoWanted = function (this: Kubelet, ev: WatchEvent): boolean {
    const wanted = off || echoWanted.call(this, ev);
    if (wanted) counts.delivered++;
    else counts.kept++;
    return wanted;
  };
  try {
    return body();
  } finally {
    proto.echoWanted = echoWanted;
  }
}

function firstDifference(seed: number, a: string[], b: string[], what: string): void {
  const i = a.findIndex((x, j) => x !== b[j]);
  if (i < 0 && a.length === b.length) return;
  const only = (x: string, y: string) => (x ?? "").split(" ").filter((p) => !(y ?? "").split(" ").includes(p)).join(" ").slice(0, 600);
  assert.fail(`seed ${seed}, line ${i}, ${what}:\n${only(a[i]!, b[i]!)}\n${only(b[i]!, a[i]!)}`);
}

test("the kubelet's echo of its own status write is kept in the handler's place (issue #19, echo23): each worker holds the stored pod after every step; runs the same as with every echo delivered, and as the reference engine's", () => {
  const fast: Counts = { kept: 0, delivered: 0 };
  const ignored: Counts = { kept: 0, delivered: 0 };
  for (const seed of [11, 12, 13, 14]) {
    const kept = counted(fast, false, () => run(seed, false));
    const all = counted(ignored, true, () => run(seed, false));
    firstDifference(seed, kept, all, "echoes kept against every echo delivered");
    const ref = counted(ignored, false, () => run(seed, true));
    firstDifference(seed, kept, ref, "fast against reference");
  }
  // The crash loops' echoes were kept; the probed pod's, the gated pod's when its readiness
  // disagreed, and others' writes went to the handler.
  assert.ok(fast.kept > 200, `echoes kept: ${fast.kept}`);
  assert.ok(fast.delivered > 50, `status-only changes delivered: ${fast.delivered}`);
  assert.equal(ignored.kept, 0);
});
