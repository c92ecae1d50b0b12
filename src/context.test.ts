// The typed service registry: one value per key, made once, typed by the key with no cast at the caller.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceRegistry } from "./context.ts";
import { Cluster, StartReplay, type StartWrite } from "./cluster.ts";
import { apiVersionOf, RESOURCE_TYPES } from "./api/resources.ts";
import { ApiServer } from "./api/store.ts";
import { defaultAdmissionPlugins } from "./api/admission/index.ts";
import { strictDecoder } from "./api/schema/decoder.ts";
import { SimClock } from "./sim/clock.ts";
import type { KObject } from "./api/types.ts";
import { kubelets } from "./kubelet/manager.ts";

test("ensure makes a service once and get returns it typed", () => {
  const r = new ServiceRegistry();
  assert.equal(r.get("kubelets"), undefined);
  let made = 0;
  const a = r.ensure("kubelets", () => (made++, new Map()));
  const b = r.ensure("kubelets", () => (made++, new Map()));
  assert.equal(a, b);
  assert.equal(made, 1);
  assert.equal(r.get("kubelets"), a);
  // @ts-expect-error -- a key no module declared is a compile error, not a silent undefined
  r.get("kublets");
});

test("a cluster's components register under their keys", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.equal(c.ctx.services.get("kubelets"), kubelets(c.ctx));
  assert.ok(c.ctx.services.get("kubelets")!.get("n1")?.isRunning);
  assert.ok(c.ctx.services.get("scheduler"), "the scheduler registers itself when it starts");
  await c.close();
});

test("every cluster starts with the same system namespaces, shared or created, whatever the start instant or engine", async () => {
  const dump = (c: Cluster) => JSON.stringify(["default", "kube-node-lease", "kube-public", "kube-system"].map((n) => c.get("Namespace", n, "")));
  for (const startTime of [undefined, "2030-05-06T07:08:09Z"]) {
    const [a, b, ref] = [new Cluster({ startTime }), new Cluster({ startTime }), new Cluster({ startTime, reference: true })];
    assert.equal(dump(b), dump(a));
    assert.equal(dump(ref), dump(a));
    assert.match(dump(a), new RegExp(`"creationTimestamp":"${(startTime ?? "2024-01-08T00:00:00Z").replace(/\./g, "\\.")}"`));
    for (const c of [a, b, ref]) await c.close();
  }
});

/** Every stored object (each resource at its storage version), one JSON line each, and the server's resourceVersion. */
function storeDump(c: Cluster): string {
  const lines = [`rv ${c.api.resourceVersion}`];
  for (const r of RESOURCE_TYPES) {
    if (!r.storable || apiVersionOf(r) !== r.storageVersion) continue;
    lines.push(`${r.key} last changed at ${c.api.lastChangeOf(r.kind)}`);
    for (const o of c.api.list(r.key)) lines.push(JSON.stringify(o));
  }
  return lines.join("\n");
}

test("a cluster's start writes are replayed from an earlier start at the same instant: the same objects, and the same cluster afterwards", async () => {
  const story = async (c: Cluster) => {
    const out = [storeDump(c)];
    c.addNodesFromTable([{ name: "n1" }]);
    await c.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: team\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n");
    await c.advance("90s");
    for (const cmd of ["get events -A", "get all -A -o wide", "get configmaps,storageclasses,ingressclasses -A"]) out.push((await c.kubectl(cmd)).stdout);
    out.push(storeDump(c));
    await c.close();
    return out.join("\n----\n");
  };
  for (const startTime of ["2031-02-03T04:05:06Z", "2031-02-03T04:05:06.700Z"]) {
    const first = new Cluster({ startTime });
    const second = new Cluster({ startTime });
    // Replayed: the very objects the first start stored (frozen, so sharing cannot be seen).
    for (const [kind, name, ns] of [["Namespace", "kube-system"], ["StorageClass", "standard"], ["IngressClass", "nginx"], ["ConfigMap", "kube-root-ca.crt", "kube-public"]]) {
      const o = first.api.get(kind, ns, name);
      assert.ok(o, `${kind} ${name} exists`);
      assert.equal(second.api.get(kind, ns, name), o, `${kind} ${name} adopted`);
    }
    const ref = new Cluster({ startTime, reference: true });
    const expected = await story(ref);
    assert.equal(await story(first), expected);
    assert.equal(await story(second), expected);
  }
});

test("the start replay creates as usual from the first request or write that differs from the record", () => {
  const clock = new SimClock("2032-01-01T00:00:00Z");
  const fresh = () => {
    const api = new ApiServer(clock);
    for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
    api.setDecoder(strictDecoder);
    return api;
  };
  const ns = (name: string, labels: Record<string, string> = {}): KObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
  const writes: StartWrite[] = [];
  const recorder = fresh();
  recorder.startReplay = new StartReplay(recorder, writes);
  const [a, b] = [recorder.create(ns("a")), recorder.create(ns("b"))];
  assert.deepEqual(writes.map((w) => w.stored), [a, b]);
  // The same requests: the recorded objects.
  const same = fresh();
  same.startReplay = new StartReplay(same, writes);
  assert.equal(same.create(ns("a")), a);
  assert.equal(same.create(ns("b")), b);
  // Another request at the second step: created, and created from then on.
  const other = fresh();
  other.startReplay = new StartReplay(other, writes);
  assert.equal(other.create(ns("a")), a);
  const b2 = other.create(ns("b", { x: "y" }));
  assert.notEqual(b2, b);
  assert.equal(b2.metadata.labels?.x, "y");
  assert.equal(b2.metadata.resourceVersion, "1002");
  // Another write between: the next create is not replayed (its resourceVersion moved on).
  const between = fresh();
  between.startReplay = new StartReplay(between, writes);
  assert.equal(between.create(ns("a")), a);
  between.update({ ...a, metadata: { ...a.metadata, labels: { ...a.metadata.labels, z: "1" } } });
  const b3 = between.create(ns("b"));
  assert.notEqual(b3, b);
  assert.equal(b3.metadata.resourceVersion, "1003");
  // Options (a dry run) are never replayed.
  const dry = fresh();
  dry.startReplay = new StartReplay(dry, writes);
  assert.equal(dry.create(ns("a"), { dryRun: true }).metadata.resourceVersion, undefined);
  assert.notEqual(dry.create(ns("a")), a);
  assert.equal(writes.length, 2);
});
