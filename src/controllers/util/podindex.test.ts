import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { objectKey } from "../queue.ts";
import { controllerRef } from "./pod.ts";
import { PodIndex } from "./podindex.ts";
import { Random } from "../../sim/random.ts";

/**
 * The index as it was written before its buckets became lists (issue #19): Maps whose key is deleted
 * and set again at each record, so a bucket's order is the order of the last records. The model the
 * list-backed PodIndex must match, bucket by bucket and call by call.
 */
class MapIndex {
  constructor(private readonly ownerKind?: string) {}
  private readonly byOwner = new Map<string, Map<string, KObject>>();
  private readonly orphans = new Map<string, Map<string, KObject>>();
  private readonly where = new Map<string, Map<string, KObject>>();
  readonly changes: Array<[string | undefined, string | undefined]> = [];

  private bucket(pod: KObject): Map<string, KObject> {
    const uid = controllerRef(pod)?.uid;
    const [m, k] = uid ? [this.byOwner, uid] : [this.orphans, pod.metadata.namespace ?? ""];
    let b = m.get(k);
    if (!b) m.set(k, (b = new Map()));
    return b;
  }

  record(pod: KObject, gone: boolean): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name!);
    const b = this.where.get(key);
    if (!b && this.ownerKind !== undefined) {
      const ref = controllerRef(pod);
      if (ref && ref.kind !== this.ownerKind) return;
    }
    const current = b?.get(key);
    if (current && current.metadata.uid === pod.metadata.uid && Number(current.metadata.resourceVersion) > Number(pod.metadata.resourceVersion)) return;
    if (gone) {
      if (current && current.metadata.uid !== pod.metadata.uid) return;
      if (!current) return;
      b!.delete(key);
      this.where.delete(key);
      this.changes.push([version(current), undefined]);
      return;
    }
    b?.delete(key);
    const nb = this.bucket(pod);
    nb.set(key, pod);
    this.where.set(key, nb);
    this.changes.push([current && version(current), version(pod)]);
  }

  owned(uid: string): KObject[] {
    return [...(this.byOwner.get(uid)?.values() ?? [])];
  }

  orphansIn(namespace: string | undefined): KObject[] {
    return [...(this.orphans.get(namespace ?? "")?.values() ?? [])];
  }
}

function version(p: KObject): string {
  return `${p.metadata.namespace}/${p.metadata.name}@${p.metadata.uid}:${p.metadata.resourceVersion}`;
}

/** A seeded draw below n (the simulation's own generator, src/sim/random.ts). */
function rng(seed: number): (n: number) => number {
  const r = new Random(seed);
  return (n) => r.int(n);
}

const OWNERS = [
  { kind: "DaemonSet", uid: "ds-1", name: "a" },
  { kind: "DaemonSet", uid: "ds-2", name: "b" },
  { kind: "ReplicaSet", uid: "rs-1", name: "c" },
];

test("PodIndex: buckets in the order of the last records, as Maps re-set at each record, through new versions, stale ones, owner changes, removals and re-creations", () => {
  for (const ownerKind of [undefined, "DaemonSet"]) {
    for (let seed = 1; seed <= 20; seed++) {
      const next = rng(seed * 7919 + (ownerKind ? 1 : 0));
      const index = new PodIndex(ownerKind);
      const model = new MapIndex(ownerKind);
      const changes: Array<[string | undefined, string | undefined]> = [];
      index.onChange = (before, after) => changes.push([before && version(before), after && version(after)]);
      let rv = 0;
      const uids = new Map<string, number>();
      for (let step = 0; step < 400; step++) {
        const namespace = ["default", "other"][next(2)]!;
        const name = `p${next(12)}`;
        const k = `${namespace}/${name}`;
        if (next(10) === 0) uids.set(k, (uids.get(k) ?? 0) + 1);
        const uid = `${k}#${uids.get(k) ?? 0}`;
        const o = next(5);
        const owner = o < OWNERS.length ? OWNERS[o] : undefined;
        // A stale version now and then (older than the one indexed): ignored by both.
        const resourceVersion = String(next(8) === 0 ? Math.max(1, rv - 3) : ++rv);
        const pod: KObject = {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            namespace,
            name,
            uid,
            resourceVersion,
            ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] } : {}),
          },
        };
        const gone = next(6) === 0;
        index.record(pod, gone);
        model.record(pod, gone);
        for (const ns of ["default", "other", undefined]) assert.deepEqual(index.orphansIn(ns).map(version), model.orphansIn(ns).map(version), `seed ${seed} step ${step}: orphans of ${ns}`);
        for (const ow of OWNERS) assert.deepEqual(index.owned(ow.uid).map(version), model.owned(ow.uid).map(version), `seed ${seed} step ${step}: pods of ${ow.uid}`);
      }
      assert.deepEqual(changes, model.changes, `seed ${seed}: the changes told`);
    }
  }
});

test("PodIndex: a new version goes to the end of its bucket; an owner's empty bucket is dropped", () => {
  const index = new PodIndex();
  const pod = (name: string, rv: number, owner?: string): KObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace: "default", name, uid: name, resourceVersion: String(rv), ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: owner, controller: true }] } : {}) },
  });
  index.record(pod("a", 1), false);
  index.record(pod("b", 2), false);
  index.record(pod("c", 3), false);
  index.record(pod("a", 4), false);
  assert.deepEqual(index.orphansIn("default").map((p) => p.metadata.name), ["b", "c", "a"]);
  index.record(pod("b", 5, "ds-1"), false);
  assert.deepEqual(index.orphansIn("default").map((p) => p.metadata.name), ["c", "a"]);
  assert.deepEqual(index.owned("ds-1").map((p) => p.metadata.name), ["b"]);
  index.record(pod("b", 6, "ds-1"), true);
  assert.deepEqual(index.owned("ds-1"), []);
  index.dropOwner("ds-1");
  assert.deepEqual(index.owned("ds-1"), []);
  index.record(pod("c", 2), false);
  assert.deepEqual(index.orphansIn("default").map((p) => p.metadata.name), ["c", "a"], "an older version changes nothing");
});
