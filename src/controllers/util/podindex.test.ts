import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { objectKey } from "../queue.ts";
import { controllerRef } from "./pod.ts";
import { PodIndex } from "./podindex.ts";
import { OrphanStatusLog } from "../../api/orphanstatus.ts";
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
  /** Told of every change, with the versions (as PodIndex.onChange). */
  hook: ((before: KObject | undefined, after: KObject | undefined) => void) | undefined;

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
      this.hook?.(current, undefined);
      return;
    }
    b?.delete(key);
    const nb = this.bucket(pod);
    nb.set(key, pod);
    this.where.set(key, nb);
    this.changes.push([current && version(current), version(pod)]);
    this.hook?.(current, pod);
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

test("PodIndex with the API server's orphan status log: status-only changes of orphans left out of its watch and applied at the read give the orphans, versions and order of an index that recorded every event, through own writes recorded before their events, deletions, adoptions, releases and re-creations", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const next = rng(seed * 104729);
    const log = new OrphanStatusLog();
    const index = new PodIndex("DaemonSet", log);
    const model = new MapIndex("DaemonSet");
    const told: string[] = [];
    // The changes that involve a controller are told in the same order. Not compared: those between
    // versions without one (a noted change is told when applied), and a pod's entry replaced by a
    // noted change of an earlier pod of the same name (a controller's version replaced by another
    // pod's orphan version, a transient the DaemonSet controller's onChange finds no state for: the
    // namespace has no DaemonSet when such a change is noted, and a deleted one's state is dropped
    // in the same dispatch pass).
    const keep = (b: KObject | undefined, a: KObject | undefined) =>
      (a !== undefined && controllerRef(a) !== undefined) || (b !== undefined && controllerRef(b) !== undefined && (a === undefined || a.metadata.uid === b.metadata.uid));
    index.onChange = (b, a) => void (keep(b, a) && told.push(`${b && version(b)} -> ${a && version(a)}`));
    const modelTold: string[] = [];
    model.hook = (b, a) => void (keep(b, a) && modelTold.push(`${b && version(b)} -> ${a && version(a)}`));
    let rv = 0;
    const store = new Map<string, KObject>();
    const pending: Array<{ type: "ADDED" | "MODIFIED" | "DELETED"; object: KObject; old?: KObject }> = [];
    const uids = new Map<string, number>();
    let skipped = 0;
    for (let step = 0; step < 600; step++) {
      const namespace = ["default", "other"][next(2)]!;
      const name = `p${next(8)}`;
      const k = `${namespace}/${name}`;
      const cur = store.get(k);
      const what = next(20);
      if (what < 6) {
        // Dispatch the pending events, in order (what the watch hands over, or notes).
        for (const ev of pending.splice(0, next(4) + 1)) {
          const statusOnly = ev.type === "MODIFIED" && ev.old !== undefined && ev.object.metadata.labels === ev.old.metadata.labels && ev.object.metadata.ownerReferences === ev.old.metadata.ownerReferences;
          if (statusOnly && !controllerRef(ev.object) && !controllerRef(ev.old!)) {
            log.note(ev.object);
            skipped++;
          } else {
            index.record(ev.object, ev.type === "DELETED");
            log.drop(ev.object.metadata.namespace, ev.object.metadata.name!);
          }
          model.record(ev.object, ev.type === "DELETED");
        }
      } else if (what < 9) {
        // Read: the orphans of both namespaces and every owner's pods.
        for (const ns of ["default", "other"]) assert.deepEqual(index.orphansIn(ns).map(version), model.orphansIn(ns).map(version), `seed ${seed} step ${step}: orphans of ${ns}`);
        for (const ow of OWNERS) assert.deepEqual(index.owned(ow.uid).map(version), model.owned(ow.uid).map(version), `seed ${seed} step ${step}: pods of ${ow.uid}`);
      } else {
        // A write: create, a status write, a relabel, an owner change or a deletion; now and then
        // the controller's own, recorded at once (before its event is dispatched).
        let object: KObject;
        let type: "ADDED" | "MODIFIED" | "DELETED";
        if (!cur) {
          if (next(3) === 0) uids.set(k, (uids.get(k) ?? 0) + 1);
          const o = next(5);
          const owner = o < OWNERS.length ? OWNERS[o] : undefined;
          type = "ADDED";
          object = { apiVersion: "v1", kind: "Pod", metadata: { namespace, name, uid: `${k}#${uids.get(k) ?? 0}`, resourceVersion: String(++rv), labels: {}, ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] } : {}) } };
        } else if (what < 16) {
          type = "MODIFIED";
          object = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv) }, status: { n: rv } };
        } else if (what < 17) {
          type = "MODIFIED";
          object = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv), labels: { l: String(rv) } } };
        } else if (what < 19) {
          const o = next(4);
          const owner = o < OWNERS.length ? OWNERS[o] : undefined;
          type = "MODIFIED";
          object = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv), ownerReferences: owner ? [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] : undefined } };
        } else {
          type = "DELETED";
          object = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv) } };
        }
        if (type === "DELETED") store.delete(k);
        else store.set(k, object);
        pending.push({ type, object, old: cur });
        if (next(4) === 0) {
          index.record(object, type === "DELETED");
          model.record(object, type === "DELETED");
        }
      }
    }
    assert.ok(skipped > 0, `seed ${seed}: some changes were left to the log`);
    for (const ns of ["default", "other"]) assert.deepEqual(index.orphansIn(ns).map(version), model.orphansIn(ns).map(version), `seed ${seed} at the end: orphans of ${ns}`);
    assert.ok(told.length > 0, `seed ${seed}: changes with a controller were told`);
    assert.deepEqual(told, modelTold, `seed ${seed}: the changes with a controller, in order`);
  }
});
