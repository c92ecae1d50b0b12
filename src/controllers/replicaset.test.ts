import { test } from "node:test";
import assert from "node:assert/strict";
import { compareForDeletion, countedChange, deletionKeysOf, firstKeysToDelete, getPodsToDelete, ReplicaSetController } from "./replicaset.ts";
import { podsOf, rsManifest, setRunning, setTerminal, testCluster } from "./testutil.ts";
import type { KObject, WatchEvent } from "../api/types.ts";
import type { Cluster } from "../cluster.ts";
import { ApiError } from "../api/errors.ts";
import { Random } from "../sim/random.ts";
import { isPodActive } from "./util/pod.ts";
import { podStatusOf, statusUnbuilt } from "../api/store.ts";

const NOW = Date.parse("2024-01-08T01:00:00Z");
const t = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString().replace(/\.000Z$/, "Z");

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; restarts?: number; createdAgo?: number; cost?: string } = {}): KObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: t(o.createdAgo ?? 3600),
      ...(o.cost ? { annotations: { "controller.kubernetes.io/pod-deletion-cost": o.cost } } : {}),
    },
    spec: { nodeName: o.node ?? "" },
    status: {
      phase: o.phase ?? "Running",
      conditions: o.ready ? [{ type: "Ready", status: "True", lastTransitionTime: t(o.readyAgo ?? 3000) }] : [],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

// Ported from the cases of controller_utils_test.go TestSortingActivePodsWithRanks (rules 1-8).
test("ActivePodsWithRanks ordering", () => {
  const cases: Array<[string, KObject, KObject, number, number]> = [
    ["unassigned before assigned", pod("a"), pod("b", { node: "n1" }), 0, 0],
    ["pending before running", pod("a", { node: "n1", phase: "Pending" }), pod("b", { node: "n1" }), 0, 0],
    ["unknown before running", pod("a", { node: "n1", phase: "Unknown" }), pod("b", { node: "n1" }), 0, 0],
    ["not ready before ready", pod("a", { node: "n1" }), pod("b", { node: "n1", ready: true }), 0, 0],
    ["lower deletion cost first", pod("a", { node: "n1", ready: true, cost: "-5" }), pod("b", { node: "n1", ready: true }), 0, 0],
    ["doubled up first", pod("a", { node: "n1", ready: true }), pod("b", { node: "n2", ready: true }), 2, 1],
    ["ready more recently first (different log2 bucket)", pod("a", { node: "n1", ready: true, readyAgo: 10 }), pod("b", { node: "n1", ready: true, readyAgo: 1000 }), 1, 1],
    ["more restarts first", pod("a", { node: "n1", restarts: 3 }), pod("b", { node: "n1", restarts: 1 }), 1, 1],
    ["newer first", pod("a", { node: "n1", createdAgo: 10 }), pod("b", { node: "n1", createdAgo: 5000 }), 1, 1],
  ];
  for (const [name, a, b, ra, rb] of cases) {
    assert.ok(compareForDeletion(a, b, ra, rb, NOW) < 0, `${name}: a first`);
    assert.ok(compareForDeletion(b, a, rb, ra, NOW) > 0, `${name}: b after`);
  }
  // Same log2 bucket of ready time: ordered by uid (pseudo-random).
  const x = pod("x", { node: "n1", ready: true, readyAgo: 1000 });
  const y = pod("y", { node: "n1", ready: true, readyAgo: 1001 });
  assert.ok(compareForDeletion(x, y, 1, 1, NOW) < 0);
});

test("getPodsToDelete takes the ranked first ones, counting doubled-up related pods", () => {
  const p1 = pod("p1", { node: "n1", ready: true });
  const p2 = pod("p2", { node: "n1", ready: true });
  const p3 = pod("p3", { node: "n2", ready: true });
  const pending = pod("p4", { node: "n2", phase: "Pending" });
  assert.deepEqual(getPodsToDelete([p1, p2, p3, pending], [p1, p2, p3, pending], 1, NOW).map((p) => p.metadata.name), ["p4"]);
  const two = getPodsToDelete([p1, p2, p3], [p1, p2, p3], 1, NOW).map((p) => p.metadata.name);
  assert.ok(two[0] === "p1" || two[0] === "p2", `a pod of the doubled-up node goes first, got ${two}`);
  assert.equal(getPodsToDelete([p1, p2], [p1, p2], 5, NOW).length, 2);
});

test("a ReplicaSet creates its pods with generateName, ownerReferences and events", () => {
  const c = testCluster();
  c.api.create(rsManifest("web", 3));
  c.advanceSync(10);
  const pods = podsOf(c, "ReplicaSet", "web");
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata.generateName, "web-");
    assert.deepEqual(p.metadata.labels, { app: "web" });
    assert.equal(p.metadata.ownerReferences![0].controller, true);
    assert.equal(p.metadata.ownerReferences![0].blockOwnerDeletion, true);
  }
  const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "ReplicaSet").map((e) => `${e.reason}: ${e.message}`);
  assert.deepEqual(events.sort(), pods.map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
  const rs = c.get("ReplicaSet", "web")!;
  assert.deepEqual(rs.status, { fullyLabeledReplicas: 3, observedGeneration: 1, replicas: 3 });
});

test("ready pods are counted; a deleted pod is replaced; scaling down deletes the surplus", () => {
  const c = testCluster();
  c.api.create(rsManifest("web", 2));
  c.advanceSync(10);
  for (const p of podsOf(c, "ReplicaSet", "web")) setRunning(c, p);
  c.advanceSync(10);
  assert.deepEqual(c.get("ReplicaSet", "web")!.status, { availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1, readyReplicas: 2, replicas: 2 });
  const victim = podsOf(c, "ReplicaSet", "web")[0];
  c.api.delete("Pod", "default", victim.metadata.name!);
  c.advanceSync(10);
  const after = podsOf(c, "ReplicaSet", "web");
  assert.equal(after.filter((p) => !p.metadata.deletionTimestamp).length, 2, "a replacement is created while the old pod terminates");
  assert.ok(after.some((p) => p.metadata.name === victim.metadata.name && p.metadata.deletionTimestamp));
  c.api.mutate("ReplicaSet", "default", "web", (r) => (r.spec.replicas = 1));
  c.advanceSync(10);
  const active = podsOf(c, "ReplicaSet", "web").filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(active.length, 1);
  assert.ok(c.api.list("Event").some((e) => e.reason === "SuccessfulDelete"));
});

test("a matching orphan pod is adopted and counts toward replicas", () => {
  const c = testCluster();
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", namespace: "default", labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  c.advanceSync(10);
  c.api.create(rsManifest("web", 2));
  c.advanceSync(10);
  const pods = podsOf(c, "ReplicaSet", "web");
  assert.equal(pods.length, 2);
  assert.ok(pods.some((p) => p.metadata.name === "stray"));
});

test("a failed pod is replaced", () => {
  const c = testCluster();
  c.api.create(rsManifest("web", 1));
  c.advanceSync(10);
  const [p] = podsOf(c, "ReplicaSet", "web");
  setRunning(c, p);
  c.api.mutate("Pod", "default", p.metadata.name!, (x) => (x.status.phase = "Failed"), { subresource: "status" });
  c.advanceSync(10);
  assert.equal(podsOf(c, "ReplicaSet", "web").length, 2);
});

test("getPodsToDelete orders exactly as sorting with compareForDeletion (precomputed keys and the kept-first selection change nothing)", () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 20; round++) {
    const pods = Array.from({ length: 60 }, (_, i) =>
      pod(`p${i}`, {
        node: ["", "n1", "n2", "n3"][rnd(4)],
        phase: ["Pending", "Unknown", "Running"][rnd(3)],
        ready: rnd(2) === 0,
        readyAgo: [1, 10, 100, 1000, 3000][rnd(5)],
        restarts: rnd(3),
        createdAgo: [5, 50, 500, 3600][rnd(4)],
        cost: rnd(5) === 0 ? String(rnd(3) - 1) : undefined,
      }),
    );
    const onNode = new Map<string, number>();
    for (const p of pods) onNode.set(p.spec.nodeName, (onNode.get(p.spec.nodeName) ?? 0) + 1);
    const reference = pods
      .map((p) => ({ p, r: onNode.get(p.spec.nodeName) ?? 0 }))
      .sort((x, y) => compareForDeletion(x.p, y.p, x.r, y.r, NOW) || (x.p.metadata.name! < y.p.metadata.name! ? -1 : 1))
      .map((x) => x.p.metadata.name);
    // The kept-first selection equals the full sort's first `diff`, for few and for many.
    for (const diff of [1, 2, 7, 30, 59]) {
      const got = getPodsToDelete(pods, pods, diff, NOW).map((p) => p.metadata.name);
      assert.deepEqual(got, reference.slice(0, diff), `diff ${diff}`);
    }
  }
});

test("firstKeysToDelete (the fast engine's selection, ranks summed over the related ReplicaSets' counts) equals the full sort's first", () => {
  // mulberry32: the low bits of an LCG modulo 2^31 are too regular for small ranges.
  let seed = 5;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  for (let round = 0; round < 40; round++) {
    const pods = Array.from({ length: 50 }, (_, i) =>
      pod(`p${i}`, {
        // Mostly scheduled, running and ready, as a rolling update's old pods: the classes tie.
        node: rnd(10) === 0 ? "" : ["n1", "n2", "n3", "n4", "n5", "n6"][rnd(6)],
        phase: ["Pending", "Unknown", "Running", "Running", "Running", "Running"][rnd(6)],
        ready: rnd(5) !== 0,
        readyAgo: [1, 10, 100, 1000][rnd(4)],
        restarts: rnd(2),
        createdAgo: [5, 50, 3600][rnd(3)],
        cost: rnd(6) === 0 ? String(rnd(3) - 1) : undefined,
      }),
    );
    // One to three related ReplicaSets' active pods per node (the pods' own among them or not).
    const related = Array.from({ length: 1 + (round % 3) }, () => new Map(["", "n1", "n2", "n3", "n4", "n5", "n6"].map((n) => [n, rnd(4)])));
    const rank = (p: KObject) => related.reduce((s, m) => s + (m.get(p.spec.nodeName) ?? 0), 0);
    const reference = [...pods]
      .sort((x, y) => compareForDeletion(x, y, rank(x), rank(y), NOW) || (x.metadata.name! < y.metadata.name! ? -1 : 1))
      .map((x) => x.metadata.name);
    for (const diff of [1, 2, 3, 10, 49]) {
      const got = firstKeysToDelete(deletionKeysOf(pods), related, diff, NOW).map((p) => p.metadata.name);
      assert.deepEqual(got, reference.slice(0, diff), `round ${round}, diff ${diff}`);
    }
  }
});

test("getPodsToDelete on the same (frozen) pod versions at later instants ranks their ages at each instant (the keys' kept log ranks)", () => {
  // Stored pods are frozen: their deletion keys are kept per version, with the log ranks of their
  // ready and creation times at the instant of the last ranking. A later ranking of the same
  // versions must rank the ages at its own instant.
  let seed = 11;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pods = Array.from({ length: 40 }, (_, i) =>
    Object.freeze(
      pod(`p${i}`, {
        node: ["n1", "n2", "n3"][rnd(3)],
        ready: rnd(3) !== 0,
        readyAgo: [1, 3, 10, 30, 100, 300, 1000][rnd(7)],
        createdAgo: [2, 6, 20, 60, 200, 600, 3600][rnd(7)],
      }),
    ),
  );
  for (const p of pods) Object.freeze(p.status);
  for (const later of [0, 1, 2, 5, 17, 64, 1000, 40_000, 0]) {
    const now = NOW + later * 1000;
    for (const diff of [1, 5, 20]) {
      // Unfrozen copies get fresh keys (nothing kept): the ranking as computed from scratch.
      const fresh = getPodsToDelete(structuredClone(pods), [], diff, now).map((p) => p.metadata.name);
      const got = getPodsToDelete(pods, [], diff, now).map((p) => p.metadata.name);
      assert.deepEqual(got, fresh, `${later}s later, diff ${diff}`);
    }
  }
});

test("a refused pod create is retried rate-limited (5 ms doubling), each retry a FailedCreate repeat, until the API server admits it", () => {
  for (const reference of [false, true]) {
    const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
    c.api.create({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "pods", namespace: "default" }, spec: { hard: { pods: "1" } } } as KObject);
    c.advanceSync(1000);
    c.api.create(rsManifest("web", 2));
    c.advanceSync(1000);
    assert.equal(podsOf(c, "ReplicaSet", "web").length, 1, `reference ${reference}`);
    const failed = () => c.api.list("Event").filter((e) => e.reason === "FailedCreate");
    // Retries 5, 10, 20, ... 320 ms apart after the first refusal: seven more within the second. Each
    // names another generated pod, so client-go's EventAggregator combines them after ten similar
    // ones, as a real cluster's `(combined from similar events): Error creating: pods "…" is forbidden`.
    const total = () => failed().reduce((n, e) => n + (e.count ?? 1), 0);
    assert.ok(total() >= 8, `FailedCreate events ${total()} (reference ${reference})`);
    for (const e of failed()) assert.match(String(e.message), /^(\(combined from similar events\): )?Error creating: pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1$/);
    c.api.mutate("ResourceQuota", "default", "pods", (q) => (q.spec.hard.pods = "2"));
    c.advanceSync(5000);
    assert.equal(podsOf(c, "ReplicaSet", "web").length, 2, `the retry after the quota was raised created the pod (reference ${reference})`);
    // Once it succeeded the key is forgotten: no more retries, no more repeats.
    const count = total();
    c.advanceSync(600_000);
    assert.equal(total(), count);
  }
});

test("a sync after the controller's own status write is skipped on the fast engine (it would write nothing), with the same writes as the reference engine, minReadySeconds included", () => {
  // The fast engine's full syncs from the counts, and those of them that wrote nothing.
  const proto = ReplicaSetController.prototype as unknown as { syncFromCounts: (...a: unknown[]) => unknown };
  const original = proto.syncFromCounts;
  let full = 0;
  let wroteNothing = 0;
  proto.syncFromCounts = function (this: { ctx: { api: { resourceVersion: number } } }, ...a: unknown[]) {
    full++;
    const rv = this.ctx.api.resourceVersion;
    try {
      return original.apply(this, a);
    } finally {
      if (this.ctx.api.resourceVersion === rv) wroteNothing++;
    }
  };
  const run = (reference: boolean, minReady: number) => {
    const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
    const log: string[] = [];
    c.api.watch("ReplicaSet", (ev) => log.push(`${c.clock.now()} ${ev.type} ${ev.object.metadata.resourceVersion} ${ev.object.spec.replicas} ${JSON.stringify(ev.object.status ?? {})}`));
    const manifest = rsManifest("web", 3);
    manifest.spec.minReadySeconds = minReady;
    c.api.create(manifest);
    c.advanceSync(10);
    for (const p of podsOf(c, "ReplicaSet", "web")) {
      setRunning(c, p);
      c.advanceSync(700);
    }
    c.advanceSync(minReady * 1000 + 1000);
    c.api.mutate("ReplicaSet", "default", "web", (r) => (r.spec.replicas = 5));
    c.advanceSync(10);
    for (const p of podsOf(c, "ReplicaSet", "web")) if (p.status?.phase !== "Running") setRunning(c, p, "k8s-node2");
    c.advanceSync(minReady * 1000 + 2000);
    c.api.delete("Pod", "default", podsOf(c, "ReplicaSet", "web")[0].metadata.name!);
    c.advanceSync(minReady * 1000 + 2000);
    c.api.mutate("ReplicaSet", "default", "web", (r) => (r.spec.replicas = 2));
    c.advanceSync(minReady * 1000 + 2000);
    return log;
  };
  try {
    for (const minReady of [0, 3]) {
      full = wroteNothing = 0;
      const fast = run(false, minReady);
      assert.ok(full > 5, `full syncs ${full}`);
      if (minReady === 0) assert.equal(wroteNothing, 0, `of ${full} full syncs, ${wroteNothing} wrote nothing`);
      assert.deepEqual(fast, run(true, minReady), `minReadySeconds ${minReady}`);
    }
  } finally {
    proto.syncFromCounts = original;
  }
});

test("a family's scale-downs (sibling ReplicaSets under one controller, doubled-up pods, some not ready, deletion costs, many ready at one instant) delete the same pods in the same order on both engines", () => {
  // The fast engine chooses from its counts' keys (`chooseFromCounts`), the reference engine from
  // every pod (`podsToDelete`).
  const proto = ReplicaSetController.prototype as unknown as { chooseFromCounts: (...a: unknown[]) => unknown };
  const original = proto.chooseFromCounts;
  let chosen = 0;
  proto.chooseFromCounts = function (this: unknown, ...a: unknown[]) {
    chosen++;
    return original.apply(this, a);
  };
  const nodes = ["k8s-node1", "k8s-node2", "k8s-node3", "k8s-node4", "k8s-node5", "k8s-node6"];
  const run = (reference: boolean) => {
    const c = testCluster(nodes, { reference });
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const log: string[] = [];
    // (The kubelets do not run: a deleted pod stays, terminating.)
    c.api.watch("Pod", (ev) => {
      if (ev.object.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp) log.push(`${c.clock.now()} ${ev.object.metadata.name}`);
    });
    // The family's controller: any object the garbage collector finds (its ReplicaSets keep it).
    const owner = c.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "family", namespace: "default" } });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "family", uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
    for (const [name, replicas] of [["old", 40], ["new", 8]] as const) {
      const m = rsManifest(name, replicas);
      m.metadata.ownerReferences = [ref];
      c.api.create(m);
    }
    c.advanceSync(10);
    // Pods started one by one on random nodes (doubled up), some not ready, a few with a deletion cost.
    const start = () => {
      for (const p of c.api.list("Pod", { namespace: "default" })) {
        if (p.status?.phase === "Running" || p.metadata.deletionTimestamp) continue;
        if (rnd(7) === 0) {
          c.api.mutate("Pod", "default", p.metadata.name!, (x) => {
            x.metadata.annotations = { ...(x.metadata.annotations ?? {}), "controller.kubernetes.io/pod-deletion-cost": String(rnd(3) - 1) };
          });
        }
        setRunning(c, c.api.get("Pod", "default", p.metadata.name!)!, nodes[rnd(nodes.length)], rnd(6) !== 0);
        // Often several ready at one instant: compareKeys is not transitive then (a tie of the
        // ready times' log ranks goes to the uid, equal ready times to the next steps), so the
        // order in which the choice visits the keys matters.
        if (rnd(3) === 0) c.advanceSync(300 + rnd(4000));
      }
    };
    start();
    // A rolling update's steps by hand: the old ReplicaSet down one or two, the new one up as much.
    for (let step = 0; step < 16; step++) {
      const by = 1 + rnd(2);
      c.api.mutate("ReplicaSet", "default", "old", (r) => (r.spec.replicas -= by));
      c.api.mutate("ReplicaSet", "default", "new", (r) => (r.spec.replicas += by));
      c.advanceSync(10);
      start();
      c.advanceSync(1000 + rnd(20_000));
    }
    // Both down by several at once.
    c.api.mutate("ReplicaSet", "default", "new", (r) => (r.spec.replicas -= 5));
    c.api.mutate("ReplicaSet", "default", "old", (r) => (r.spec.replicas -= 2));
    c.advanceSync(1000);
    return log;
  };
  try {
    const fast = run(false);
    assert.ok(chosen > 10, `the fast engine chose from its counts ${chosen} times`);
    assert.ok(fast.length >= 25, `pods deleted: ${fast.length}`);
    assert.deepEqual(fast, run(true));
  } finally {
    proto.chooseFromCounts = original;
  }
});

// pkg/controller/replication: the ReplicaSet controller over ReplicationControllers (a selector
// map, event source replication-controller), on both engines.
for (const reference of [false, true]) {
  test(`a ReplicationController creates, adopts, replaces and scales down its pods like a ReplicaSet (${reference ? "reference" : "fast"} engine)`, () => {
    const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
    c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", namespace: "default", labels: { app: "nginx" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    // A pod of another app is neither adopted nor counted.
    c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "other", namespace: "default", labels: { app: "other" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    c.advanceSync(10);
    c.api.create({
      apiVersion: "v1",
      kind: "ReplicationController",
      metadata: { name: "nginx", namespace: "default" },
      spec: { replicas: 3, selector: { app: "nginx" }, template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx" }] } } },
    });
    c.advanceSync(10);
    const pods = podsOf(c, "ReplicationController", "nginx");
    assert.equal(pods.length, 3);
    assert.ok(pods.some((p) => p.metadata.name === "stray"), "the matching orphan is adopted");
    assert.equal(podsOf(c, "ReplicationController", "nginx").filter((p) => p.metadata.name === "other").length, 0);
    for (const p of pods) {
      const ref = p.metadata.ownerReferences!.find((r) => r.controller)!;
      assert.deepEqual(ref, { apiVersion: "v1", kind: "ReplicationController", name: "nginx", uid: c.get("ReplicationController", "nginx")!.metadata.uid, controller: true, blockOwnerDeletion: true });
      if (p.metadata.name !== "stray") assert.equal(p.metadata.generateName, "nginx-");
    }
    const events = c.api.list("Event").filter((e) => e.involvedObject.kind === "ReplicationController");
    assert.deepEqual(events.map((e) => `${e.source.component} ${e.reason}`), ["replication-controller SuccessfulCreate", "replication-controller SuccessfulCreate"]);
    for (const p of pods) setRunning(c, p);
    c.advanceSync(10);
    assert.deepEqual(c.get("ReplicationController", "nginx")!.status, { availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1, readyReplicas: 3, replicas: 3 });
    c.api.mutate("ReplicationController", "default", "nginx", (r) => (r.spec.replicas = 1));
    c.advanceSync(10);
    assert.equal(podsOf(c, "ReplicationController", "nginx").filter((p) => !p.metadata.deletionTimestamp).length, 1);
    assert.equal(c.api.list("Event").filter((e) => e.involvedObject.kind === "ReplicationController" && e.reason === "SuccessfulDelete").length, 2);
    // No ReplicaSet controller event names the RC, and no RC event comes from it.
    assert.ok(!c.api.list("Event").some((e) => e.involvedObject.kind === "ReplicationController" && e.source.component === "replicaset-controller"));
  });
}

// Issue #19 (rs24): the orders upstream leaves to a Go map (the lister's list) are fixed here,
// whatever the order the pods were delivered in: every active pod deleted in the ranking's order
// (getPodsToDelete, as for a partial scale-down), claims in the pods' key order.
for (const reference of [false, true]) {
  const engine = reference ? "reference" : "fast";
  test(`scaling to 0 deletes every pod in the ranking's order, whatever order their last events came in (${engine} engine)`, () => {
    const run = (statusOrder: number[]) => {
      const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
      c.api.create(rsManifest("web", 5));
      c.advanceSync(10);
      const pods = podsOf(c, "ReplicaSet", "web").sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
      // Two ready on node1, one ready on node2, one not ready, one unscheduled: each ranks apart.
      setRunning(c, pods[0], "k8s-node1");
      setRunning(c, pods[1], "k8s-node1");
      setRunning(c, pods[2], "k8s-node2");
      setRunning(c, pods[3], "k8s-node2", false);
      c.advanceSync(1000);
      // The pods' last events in the given order (a status write each, changing what the index keeps).
      for (const i of statusOrder) {
        c.api.mutate("Pod", "default", pods[i].metadata.name!, (p) => (p.status.podIP = `10.0.0.${i + 1}`), { subresource: "status" });
      }
      c.advanceSync(10);
      const ranked = getPodsToDelete(podsOf(c, "ReplicaSet", "web"), podsOf(c, "ReplicaSet", "web"), 5, c.clock.now()).map((p) => p.metadata.name);
      c.api.mutate("ReplicaSet", "default", "web", (r) => (r.spec.replicas = 0));
      c.advanceSync(10);
      const deleted = c.api
        .list("Event")
        .filter((e) => e.reason === "SuccessfulDelete")
        .map((e) => e.message.replace("Deleted pod: ", ""));
      assert.deepEqual(deleted, ranked);
      return { names: pods.map((p) => p.metadata.name), deleted };
    };
    const a = run([0, 1, 2, 3, 4]);
    const b = run([4, 2, 0, 3, 1]);
    const d = (r: typeof a) => r.deleted.map((n) => r.names.indexOf(n));
    // The unscheduled pod, then the not-ready one, then the doubled-up node's two, then the last.
    assert.deepEqual(d(a).slice(0, 2), [4, 3]);
    assert.deepEqual(d(a).slice(4), [2]);
    assert.deepEqual(d(a), d(b));
  });

  test(`orphans are adopted, and owned pods that stopped matching released, in the order of their names (${engine} engine)`, () => {
    const c = testCluster(["k8s-node1"], { reference });
    const log: string[] = [];
    c.api.watch("Pod", (ev) => {
      const had = (ev.old?.metadata.ownerReferences ?? []).length > 0;
      const has = (ev.object.metadata.ownerReferences ?? []).length > 0;
      if (ev.type === "MODIFIED" && had !== has) log.push(`${has ? "adopted" : "released"} ${ev.object.metadata.name}`);
    });
    for (const name of ["web-c", "web-a", "web-d", "web-b"]) {
      c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    }
    // Their last events in another order again.
    for (const name of ["web-b", "web-d", "web-a", "web-c"]) c.api.mutate("Pod", "default", name, (p) => (p.status.phase = "Pending"), { subresource: "status" });
    c.advanceSync(10);
    c.api.create(rsManifest("web", 4));
    c.advanceSync(10);
    assert.deepEqual(log.splice(0), ["adopted web-a", "adopted web-b", "adopted web-c", "adopted web-d"]);
    // Relabelled out of the selector at one instant, in another order: released by name.
    for (const name of ["web-d", "web-b", "web-c"]) c.api.mutate("Pod", "default", name, (p) => (p.metadata.labels = { app: "solo" }));
    c.advanceSync(10);
    assert.deepEqual(log.splice(0), ["released web-b", "released web-c", "released web-d"]);
  });
}

// Issue #19 (rs24): the Pod watcher's `statusOnlyWanted` (the fast engine): a status-only change
// that leaves every value the controller reads of a pod's status as it was is not recorded in the
// index; its keys are queued all the same.
test("countedChange: the phase, the Ready condition (and its transition time while True) and the largest restart count; nothing else of the status", () => {
  const base = pod("a", { node: "n1", ready: true, readyAgo: 100, restarts: 2 });
  const w = (f: (s: Record<string, unknown>) => void): KObject => {
    const p = structuredClone(base);
    f(p.status);
    return p;
  };
  const cases: Array<[string, KObject, boolean]> = [
    ["the same status object", base, false],
    ["a copy", structuredClone(base), false],
    ["an IP", w((s) => (s.podIP = "10.0.0.9")), false],
    ["another condition", w((s) => (s.conditions as unknown[]).push({ type: "ContainersReady", status: "True", lastTransitionTime: t(5) })), false],
    ["a container's state, the restarts the same", w((s) => ((s.containerStatuses as Array<Record<string, unknown>>)[0].state = { running: {} })), false],
    ["a second container with fewer restarts", w((s) => (s.containerStatuses as unknown[]).push({ restartCount: 1 })), false],
    ["the Ready probe time", w((s) => ((s.conditions as Array<Record<string, unknown>>)[0].lastProbeTime = t(1))), false],
    ["the phase", w((s) => (s.phase = "Failed")), true],
    ["no phase", w((s) => delete s.phase), true],
    ["Ready False", w((s) => ((s.conditions as Array<Record<string, unknown>>)[0].status = "False")), true],
    ["Ready gone", w((s) => (s.conditions = [])), true],
    ["Ready's transition time", w((s) => ((s.conditions as Array<Record<string, unknown>>)[0].lastTransitionTime = t(50))), true],
    ["a restart", w((s) => ((s.containerStatuses as Array<Record<string, unknown>>)[0].restartCount = 3)), true],
    ["a second container with more restarts", w((s) => (s.containerStatuses as unknown[]).push({ restartCount: 5 })), true],
    ["no status", { ...base, status: undefined }, true],
    ["Failed", w((s) => (s.phase = "Failed")), true],
  ];
  for (const [name, after, changed] of cases) {
    assert.equal(countedChange(base, after), changed, name);
    assert.equal(countedChange(after, base), changed, `${name} (back)`);
  }
  // Not ready: the transition time is not read.
  const notReady = pod("b", { node: "n1" });
  const stamped = structuredClone(notReady);
  stamped.status.conditions = [{ type: "Ready", status: "False", lastTransitionTime: t(9) }];
  const restamped = structuredClone(stamped);
  restamped.status.conditions[0].lastTransitionTime = t(3);
  assert.equal(countedChange(stamped, restamped), false);
  // Not active (terminal before and after, or being deleted): the phase only.
  const failed = pod("c", { node: "n1", phase: "Failed", restarts: 1 });
  const failedMore = structuredClone(failed);
  failedMore.status.containerStatuses[0].restartCount = 4;
  failedMore.status.conditions = [{ type: "Ready", status: "True", lastTransitionTime: t(1) }];
  assert.equal(countedChange(failed, failedMore), false);
  const deleting = pod("d", { node: "n1", ready: true });
  deleting.metadata.deletionTimestamp = t(2);
  const deletingNotReady = structuredClone(deleting);
  deletingNotReady.status.conditions = [];
  deletingNotReady.status.containerStatuses[0].restartCount = 7;
  assert.equal(countedChange(deleting, deletingNotReady), false);
  deletingNotReady.status.phase = "Succeeded";
  assert.equal(countedChange(deleting, deletingNotReady), true);
});

/** The ReplicaSet and ReplicationController controllers of a cluster (started late, on the first ReplicaSet or Pod). */
function rsControllers(c: Cluster): ReplicaSetController[] {
  return (c as unknown as { components: unknown[] }).components.filter((x): x is ReplicaSetController => x instanceof ReplicaSetController);
}

type Inner = {
  statusOnlyWanted: (ev: WatchEvent) => boolean;
  byOwner: Map<string, Map<string, KObject>>;
  orphans: Map<string, Map<string, KObject>>;
  quiet: Map<string, unknown>;
  queue: { dirty: Set<string>; delayed?: Map<string, { at: number }>; failures?: Map<string, number> };
  ownerCounts: (rs: KObject) => { active: number; ready: number; fully: number; mismatched: number; perNode: Map<string, number> };
  kind: string;
};

/** What the controller reads of an indexed pod (its version aside: a left-out change keeps an older one). */
function readOf(p: KObject) {
  const ready = p.status?.conditions?.find((x: { type: string }) => x.type === "Ready");
  // Of a pod not active (terminal or being deleted), the phase and metadata only.
  if (!isPodActive(p)) return { meta: p.metadata.labels, owners: p.metadata.ownerReferences, deletion: p.metadata.deletionTimestamp, node: p.spec?.nodeName, phase: p.status?.phase };
  return {
    meta: p.metadata.labels,
    owners: p.metadata.ownerReferences,
    deletion: p.metadata.deletionTimestamp,
    node: p.spec?.nodeName,
    phase: p.status?.phase,
    ready: ready?.status === "True" ? ready.lastTransitionTime : false,
    restarts: Math.max(0, ...(p.status?.containerStatuses ?? []).map((x: { restartCount?: number }) => x.restartCount ?? 0)),
  };
}

/** A controller's books: its index (by key, as read), counts, quiet syncs and queue. */
function booksOf(c: Cluster) {
  return rsControllers(c).map((x) => {
    const b = x as unknown as Inner;
    // Of an orphan's status only whether it ended is read (claims take active pods; an adoption takes the version it stores).
    const buckets = (m: Map<string, Map<string, KObject>>, read: (p: KObject) => unknown) =>
      [...m]
        .filter(([, v]) => v.size > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, [...v].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, p]) => [n, read(p)])]);
    const metaOf = (p: KObject) => ({ meta: p.metadata.labels, owners: p.metadata.ownerReferences, deletion: p.metadata.deletionTimestamp, node: p.spec?.nodeName, active: isPodActive(p) });
    const counts = c.api.list(b.kind).map((rs) => {
      const n = b.ownerCounts(rs);
      return [rs.metadata.name, n.active, n.ready, n.fully, n.mismatched, [...n.perNode].filter(([, v]) => v > 0).sort()];
    });
    return {
      kind: b.kind,
      owned: buckets(b.byOwner, readOf),
      orphans: buckets(b.orphans, metaOf),
      counts,
      quiet: [...b.quiet.keys()].sort(),
      dirty: [...b.queue.dirty],
      delayed: [...(b.queue.delayed ?? [])].map(([k, v]) => [k, v.at]).sort(),
      failures: [...(b.queue.failures ?? [])].sort(),
    };
  });
}

test("issue #19 §1: the ReplicaSet's Pod watcher left out of status-only changes that change none of its counts keeps the same index (as read), counts, queue and store as one called for every event", () => {
  // Two fast clusters fed the same random steps: in one the dispatch asks the controllers'
  // `statusOnlyWanted` (counting the calls left out), in the other it answers true (the handler is
  // called for every event). Pods owned by two ReplicaSets and orphans, adopted, released and
  // relabelled; bound; their status written (IPs, readiness flapping, restarts as a crash loop's,
  // phases, other conditions); deleted at once or left terminating; the ReplicaSets scaled, their
  // minReadySeconds changed, deleted and made again; a ResourceQuota refusing creates (the
  // rate-limited retries) made and removed; time advanced.
  const seeds = Number(process.env.RS_SEEDS ?? 10);
  const steps = Number(process.env.RS_STEPS ?? 150);
  let skipped = 0;
  let askedTrue = 0;
  let unbuiltLeftOut = 0;
  let lazyWrites = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = new Random(seed);
    const clusters = [testCluster(["k8s-node1", "k8s-node2"]), testCluster(["k8s-node1", "k8s-node2"])];
    // The kubelet's writes left unbuilt (defer24's lazy write, no longer the default since status25's
    // in-place write): the filter must not build what it leaves out.
    for (const c of clusters) c.api.lazyPodStatus = true;
    const patched = new WeakSet<object>();
    const patch = () => {
      clusters.forEach((c, i) => {
        for (const x of rsControllers(c)) {
          if (patched.has(x)) continue;
          patched.add(x);
          const b = x as unknown as Inner;
          const wanted = b.statusOnlyWanted.bind(x);
          b.statusOnlyWanted =
            i === 1
              ? () => true
              : (ev) => {
                  // The filter reads statuses through `podStatusOf`: an unbuilt write it leaves out stays unbuilt.
                  const unbuilt = statusUnbuilt(ev.object);
                  if (wanted(ev)) return (askedTrue++, true);
                  skipped++;
                  if (unbuilt) {
                    assert.ok(statusUnbuilt(ev.object), "a left-out write built by the filter");
                    unbuiltLeftOut++;
                  }
                  return false;
                };
        }
      });
    };
    const apps = ["a", "b", "c"];
    const rsFor = (app: string) => {
      const m = rsManifest(`rs-${app}`, 1 + r.int(3), { app });
      return m;
    };
    for (const c of clusters) {
      c.api.create(rsManifest("rs-a", 3, { app: "a" }));
      c.api.create(rsManifest("rs-b", 2, { app: "b" }));
      c.advanceSync(10);
    }
    patch();
    const dump = (c: Cluster) => ({
      pods: c.api.list("Pod", { namespace: "default" }).map((p) => [p.metadata.name, p.metadata.resourceVersion, p.metadata.uid, p.metadata.labels, p.metadata.ownerReferences, p.metadata.deletionTimestamp, p.spec.nodeName, p.status]),
      rs: c.api.list("ReplicaSet", { namespace: "default" }).map((x) => [x.metadata.name, x.metadata.resourceVersion, x.spec.replicas, x.status]),
      events: c.api.list("Event", { namespace: "default" }).map((e) => [e.metadata.name, e.reason, e.message, e.count, e.lastTimestamp]),
      books: booksOf(c),
    });
    for (let step = 0; step < steps; step++) {
      const op = r.int(24);
      const pods = clusters[0].api.list("Pod", { namespace: "default" });
      const target = pods.length ? pods[r.int(pods.length)].metadata.name! : "none";
      const app = apps[r.int(apps.length)];
      const orphan = `o-${r.int(6)}`;
      const kindOfWrite = r.int(8);
      const failed = r.int(target.startsWith("o-") ? 2 : 8) === 0; // an orphan ends more often (claims read it)
      const ip = `10.0.${r.int(4)}.${r.int(250)}`;
      const node = r.int(2) ? "k8s-node1" : "k8s-node2";
      const replicas = r.int(5);
      const minReady = [0, 0, 1, 3][r.int(4)];
      const grace = r.int(2) ? 0 : 30;
      const advance = [0, 5, 500, 1000, 3000, 7000][r.int(6)];
      const rsName = r.int(2) ? "rs-a" : "rs-b";
      const fresh = rsFor(rsName === "rs-a" ? "a" : "b");
      const lazy = r.int(2) === 0;
      for (const c of clusters) {
        const api = c.api;
        const now = c.clock.nowRFC3339();
        try {
          if (op < 2) {
            if (!api.get("Pod", "default", orphan)) api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: orphan, namespace: "default", labels: { app } }, spec: { containers: [{ name: "app", image: "busybox" }] } });
          } else if (op < 4) {
            api.mutate("Pod", "default", target, (p) => (p.metadata.labels = { ...(p.metadata.labels ?? {}), app }));
          } else if (op < 13) {
            const writeStatus = (p: { status?: Record<string, any> }) => {
              const s = (p.status ??= {});
              const conds = (s.conditions ?? []).filter((x: { type: string }) => x.type !== "Ready");
              const readyWas = (s.conditions ?? []).find((x: { type: string }) => x.type === "Ready");
              const restarts = s.containerStatuses?.[0]?.restartCount ?? 0;
              if (kindOfWrite === 0) s.podIP = ip;
              else if (kindOfWrite === 1) s.conditions = [...conds, { type: "Ready", status: "True", lastTransitionTime: readyWas?.status === "True" ? readyWas.lastTransitionTime : now }];
              else if (kindOfWrite === 2) s.conditions = [...conds, { type: "Ready", status: "False", lastTransitionTime: readyWas?.status === "False" ? readyWas.lastTransitionTime : now }];
              else if (kindOfWrite === 3) s.containerStatuses = [{ name: "app", ready: false, restartCount: restarts + 1, image: "busybox", imageID: "", started: false, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: {} }];
              else if (kindOfWrite === 4) s.containerStatuses = [{ name: "app", ready: true, restartCount: restarts, image: "busybox", imageID: "", started: true, state: { running: { startedAt: now } }, lastState: {} }];
              else if (kindOfWrite === 5) s.phase = failed ? "Failed" : "Running";
              else if (kindOfWrite === 6) s.conditions = [...(s.conditions ?? []).filter((x: { type: string }) => x.type !== "ContainersReady"), { type: "ContainersReady", status: "True", lastTransitionTime: now }];
              else if (readyWas) s.conditions = [...conds, { ...readyWas, lastTransitionTime: now }];
            };
            const cur = api.get("Pod", "default", target);
            if (lazy && cur) {
              // The kubelet's way (defer24): the status handed over, stored unbuilt on the fast engine.
              const draft = { status: structuredClone(podStatusOf(cur)) };
              writeStatus(draft);
              api.updatePodStatus(cur, draft.status);
            } else api.mutate("Pod", "default", target, writeStatus, { subresource: "status" });
          } else if (op < 15) {
            if (!api.get("Pod", "default", target)?.spec.nodeName) api.bind("default", target, node);
          } else if (op < 17) api.delete("Pod", "default", target, { gracePeriodSeconds: grace });
          else if (op < 19) api.mutate("ReplicaSet", "default", rsName, (x) => (x.spec.replicas = replicas));
          else if (op < 20) api.mutate("ReplicaSet", "default", rsName, (x) => (x.spec.minReadySeconds = minReady));
          else if (op < 21) {
            if (api.get("ReplicaSet", "default", rsName)) api.delete("ReplicaSet", "default", rsName);
            else api.create(fresh);
          } else if (op < 22) {
            if (api.get("ResourceQuota", "default", "pods")) api.delete("ResourceQuota", "default", "pods");
            else api.create({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "pods", namespace: "default" }, spec: { hard: { pods: String(2 + replicas) } } });
          } else c.advanceSync(advance);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
        c.advanceSync(0);
      }
      patch();
      assert.deepEqual(dump(clusters[0]), dump(clusters[1]), `seed ${seed}, step ${step}`);
    }
    lazyWrites += clusters[0].api.lazyStatusWrites;
    for (const c of clusters) void c.close();
  }
  if (process.env.RS_COUNTS) console.log({ skipped, askedTrue, unbuiltLeftOut, lazyWrites });
  assert.ok(unbuiltLeftOut > 20, `unbuilt status writes left out unbuilt (${unbuiltLeftOut})`);
  assert.ok(skipped > 200, `status-only changes left out (${skipped})`);
  assert.ok(askedTrue > 100, `status-only changes delivered on the filter's answer (${askedTrue})`);
});

test("status writes that change no count are left out of the index on the fast engine only, with the same ReplicaSet statuses, Events and availability timer as the reference engine", () => {
  const proto = ReplicaSetController.prototype as unknown as { statusOnlyWanted: (ev: WatchEvent) => boolean };
  const original = proto.statusOnlyWanted;
  let leftOut = 0;
  let asked = 0;
  proto.statusOnlyWanted = function (this: unknown, ev: WatchEvent) {
    asked++;
    const w = original.call(this, ev);
    if (!w) leftOut++;
    return w;
  };
  const run = (reference: boolean, minReady: number) => {
    leftOut = asked = 0;
    const c = testCluster(["k8s-node1", "k8s-node2"], { reference });
    const log: string[] = [];
    c.api.watch("ReplicaSet", (ev) => log.push(`${c.clock.now()} ${ev.type} ${ev.object.metadata.resourceVersion} ${JSON.stringify(ev.object.status ?? {})}`));
    const m = rsManifest("web", 3);
    m.spec.minReadySeconds = minReady;
    c.api.create(m);
    c.advanceSync(10);
    const names = podsOf(c, "ReplicaSet", "web").map((p) => p.metadata.name!);
    const ip = (name: string, n: number) => c.api.mutate("Pod", "default", name, (p) => (p.status.podIP = `10.0.0.${n}`), { subresource: "status" });
    names.forEach((n, i) => {
      setRunning(c, c.api.get("Pod", "default", n)!, i ? "k8s-node2" : "k8s-node1");
      c.advanceSync(400);
      ip(n, i);
      c.advanceSync(300);
    });
    // Left out: IPs again, another condition; delivered: readiness lost and back (a new transition time), a restart.
    for (let k = 0; k < 4; k++) {
      for (const n of names) ip(n, 10 + k);
      c.advanceSync(700);
    }
    c.api.mutate("Pod", "default", names[1], (p) => (p.status.conditions = p.status.conditions.map((x: { type: string }) => (x.type === "Ready" ? { ...x, status: "False", lastTransitionTime: c.clock.nowRFC3339() } : x))), { subresource: "status" });
    c.advanceSync(1500);
    ip(names[1], 99);
    setRunning(c, c.api.get("Pod", "default", names[1])!);
    c.advanceSync(500);
    c.api.mutate("Pod", "default", names[2], (p) => (p.status.containerStatuses = [{ name: "app", ready: true, restartCount: 1, image: "kubetm/app", imageID: "", started: true, state: { running: {} }, lastState: {} }]), { subresource: "status" });
    c.advanceSync(minReady * 1000 + 2000);
    // Scaled to 1: the not-ready-longest ranking reads the ready times and restarts the index kept.
    c.api.mutate("ReplicaSet", "default", "web", (r) => (r.spec.replicas = 1));
    c.advanceSync(1000);
    const deleted = c.api.list("Event").filter((e) => e.reason === "SuccessfulDelete").map((e) => e.message);
    return { log, deleted, leftOut, asked };
  };
  try {
    for (const minReady of [0, 2]) {
      const fast = run(false, minReady);
      const reference = run(true, minReady);
      assert.equal(reference.asked, 0, "the reference engine never asks");
      assert.ok(fast.leftOut >= 15, `left out on the fast engine: ${fast.leftOut} of ${fast.asked}`);
      assert.ok(fast.asked > fast.leftOut, `some delivered: ${fast.asked - fast.leftOut}`);
      assert.equal(fast.deleted.length, 2);
      assert.deepEqual({ ...fast, leftOut: 0, asked: 0 }, { ...reference, leftOut: 0, asked: 0 }, `minReadySeconds ${minReady}`);
    }
  } finally {
    proto.statusOnlyWanted = original;
  }
});

// Upstream's syncReplicaSet (pkg/controller/replicaset/replica_set.go) lists the namespace's pods,
// keeps the active ones (`controller.FilterActivePods`: not Succeeded or Failed, not being deleted)
// and only then claims (`claimPods` → `ClaimPods`): a pod that has ended or is being deleted is
// neither adopted nor released. The ReplicationController runs the same code.
for (const reference of [false, true]) {
  const engine = reference ? "reference" : "fast";
  for (const kind of ["ReplicaSet", "ReplicationController"] as const) {
    const manifest = (name: string, replicas: number): KObject => {
      const m = rsManifest(name, replicas);
      if (kind === "ReplicaSet") return m;
      return { apiVersion: "v1", kind, metadata: m.metadata, spec: { replicas, selector: { app: name }, template: m.spec.template } };
    };
    const bare = (c: Cluster, name: string, app = "web") =>
      c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels: { app } }, spec: { containers: [{ name: "c", image: "busybox" }] } });
    const owner = (c: Cluster, name: string) => c.api.get("Pod", "default", name)?.metadata.ownerReferences?.find((r) => r.controller)?.name;

    test(`a ${kind} adopts only active orphans: a Succeeded, a Failed and a terminating pod matching its selector stay unowned, and it creates its replicas besides them (${engine} engine)`, () => {
      const c = testCluster(["k8s-node1"], { reference });
      for (const name of ["done", "crashed", "leaving", "live"]) bare(c, name);
      setTerminal(c, c.api.get("Pod", "default", "done")!, "Succeeded");
      setTerminal(c, c.api.get("Pod", "default", "crashed")!, "Failed");
      setRunning(c, c.api.get("Pod", "default", "leaving")!);
      c.api.delete("Pod", "default", "leaving"); // bound: terminating for its grace period (no kubelet here)
      assert.ok(c.api.get("Pod", "default", "leaving")?.metadata.deletionTimestamp);
      c.advanceSync(10);
      c.api.create(manifest("web", 3));
      c.advanceSync(10);
      assert.deepEqual(["done", "crashed", "leaving", "live"].map((n) => owner(c, n)), [undefined, undefined, undefined, "web"]);
      const owned = podsOf(c, kind, "web");
      assert.equal(owned.length, 3, "the live orphan adopted and two replicas created");
      assert.equal(owned.filter((p) => p.metadata.generateName === "web-").length, 2);
      assert.equal(c.get(kind, "web")!.status.replicas, 3);
      // Still unowned after later syncs (a resync, the ended pods' own events).
      c.api.mutate("Pod", "default", "done", (p) => (p.metadata.labels = { app: "web", touched: "yes" }));
      c.api.mutate(kind, "default", "web", (r) => (r.spec.replicas = 4));
      c.advanceSync(1000);
      assert.deepEqual(["done", "crashed", "leaving"].map((n) => owner(c, n)), [undefined, undefined, undefined]);
      assert.equal(podsOf(c, kind, "web").length, 4);
    });

    test(`a ${kind} releases only active pods: an owned pod that ended, or is being deleted, keeps its owner when relabelled out of the selector (${engine} engine)`, () => {
      const c = testCluster(["k8s-node1"], { reference });
      c.api.create(manifest("web", 3));
      c.advanceSync(10);
      const [a, b, d] = podsOf(c, kind, "web")
        .map((p) => p.metadata.name!)
        .sort();
      for (const n of [a, b, d]) setRunning(c, c.api.get("Pod", "default", n)!);
      c.advanceSync(10);
      setTerminal(c, c.api.get("Pod", "default", a)!, "Failed");
      c.api.delete("Pod", "default", b); // terminating
      c.advanceSync(10);
      for (const n of [a, b, d]) c.api.mutate("Pod", "default", n, (p) => (p.metadata.labels = { app: "other" }));
      c.advanceSync(10);
      assert.deepEqual([a, b, d].map((n) => owner(c, n)), ["web", "web", undefined], "the active pod released; the ended and the terminating kept");
      // Replaced: three active matching pods again (the released one and the two inactive ones do not count).
      const active = podsOf(c, kind, "web").filter((p) => isPodActive(p));
      assert.equal(active.length, 3);
      assert.equal(c.get(kind, "web")!.status.replicas, 3);
    });
  }
}
