import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { ApiServer, DeferredEvent, jsonBytesBound, MAX_OBJECT_BYTES, podLifecycleChange, statusOnlyChange, steadyControllerKind, storedEventFields, storedEventVersion, UNCONTROLLED } from "./store.ts";
import { defaultAdmissionPlugins } from "./admission/index.ts";
import type { ApiError } from "./errors.ts";
import { deepFreeze, type KObject } from "./types.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}
const pod = (name: string): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] }, status: {} });

test("a node's pod watcher sees only pods bound to that node; all watchers run in subscription order", () => {
  const api = server();
  const seen: string[] = [];
  api.watch("Pod", (ev) => seen.push(`all ${ev.type} ${ev.object.metadata.name}`));
  api.watch("Pod", (ev) => seen.push(`n1 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n1" });
  api.watch("Pod", (ev) => seen.push(`n2 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n2" });
  api.watch("Pod", (ev) => seen.push(`late ${ev.type} ${ev.object.metadata.name}`));
  api.create(pod("a"));
  api.create(pod("b"));
  api.bind("default", "a", "n1");
  api.clock.settle();
  api.delete("Pod", "default", "b");
  api.delete("Pod", "default", "a", { gracePeriodSeconds: 0 });
  api.clock.settle();
  assert.deepEqual(seen, [
    "all ADDED a",
    "late ADDED a",
    "all ADDED b",
    "late ADDED b",
    "all MODIFIED a",
    "n1 MODIFIED a",
    "late MODIFIED a",
    "all DELETED b",
    "late DELETED b",
    // n1's pod deleted: n1's watcher is told, n2's is not.
    "all DELETED a",
    "n1 DELETED a",
    "late DELETED a",
  ]);
});

test("the kubelet's final delete leaves a pod that finalizers hold, with grace 0; it goes with the last finalizer", () => {
  const api = server();
  api.create({ ...pod("held"), metadata: { name: "held", namespace: "default", finalizers: ["batch.kubernetes.io/job-tracking"] } });
  api.bind("default", "held", "n1");
  api.delete("Pod", "default", "held", { gracePeriodSeconds: 30 });
  api.finalizeDelete("Pod", "default", "held");
  const held = api.get("Pod", "default", "held")!;
  assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
  assert.ok(held.metadata.deletionTimestamp);
  api.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
  assert.equal(api.get("Pod", "default", "held"), undefined);
  api.create(pod("free"));
  api.bind("default", "free", "n1");
  api.delete("Pod", "default", "free", { gracePeriodSeconds: 30 });
  api.finalizeDelete("Pod", "default", "free");
  assert.equal(api.get("Pod", "default", "free"), undefined);
});

test("a shortened grace period moves the deletion timestamp back from the first delete (BeforeDelete), not from now", () => {
  const api = server();
  api.create({ ...pod("held"), metadata: { name: "held", namespace: "default", finalizers: ["example.com/cleanup"] } });
  api.bind("default", "held", "n1");
  const t0 = api.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  api.delete("Pod", "default", "held", { gracePeriodSeconds: 30 });
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionTimestamp, iso(t0 + 30_000));
  api.clock.advance(5_000);
  // A second delete with 10 s: old timestamp - 30 s + 10 s, whatever the time now.
  api.delete("Pod", "default", "held", { gracePeriodSeconds: 10 });
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionTimestamp, iso(t0 + 10_000));
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionGracePeriodSeconds, 10);
  // A longer one changes nothing.
  api.delete("Pod", "default", "held", { gracePeriodSeconds: 20 });
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionTimestamp, iso(t0 + 10_000));
  // The kubelet's final delete (grace 0) with a finalizer left: back to when the pod was deleted.
  api.clock.advance(10_000);
  api.finalizeDelete("Pod", "default", "held");
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionTimestamp, iso(t0));
  assert.equal(api.get("Pod", "default", "held")!.metadata.deletionGracePeriodSeconds, 0);
});

test("a pod moving between nodes reaches the watchers of both; an unsubscribed watcher nothing", () => {
  const api = server();
  const seen: string[] = [];
  const stop = api.watch("Pod", (ev) => seen.push(`n1 ${ev.object.spec.nodeName ?? ""}`), { nodeName: "n1" });
  api.watch("Pod", (ev) => seen.push(`n2 ${ev.object.spec.nodeName ?? ""}`), { nodeName: "n2" });
  api.create(pod("a"));
  api.bind("default", "a", "n1");
  api.clock.settle();
  // Not something the API allows a client to do, but the index must follow spec.nodeName whatever writes it.
  api.update({ ...api.get("Pod", "default", "a")!, spec: { ...api.get("Pod", "default", "a")!.spec, nodeName: "n2" } });
  api.clock.settle();
  stop();
  api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  api.clock.settle();
  assert.deepEqual(seen, ["n1 n1", "n1 n2", "n2 n2", "n2 n2"]);
});

test("a status write shares the unchanged spec with the previous version and is frozen", () => {
  const api = server();
  const before = api.create(pod("a"));
  const after = api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  assert.equal(after.spec, before.spec);
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.ok(Object.isFrozen(after.status));
  // Writing the same status again is a no-op: the stored object is returned unchanged.
  const again = api.mutate("Pod", "default", "a", (p) => (p.status = { phase: "Running" }), { subresource: "status" });
  assert.equal(again, after);
});

test("a namespace's list comes from its own index: right after creates, updates and deletes, and costs what the namespace holds", () => {
  const api = server();
  for (const ns of ["a", "b"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const cm = (ns: string, name: string): KObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: { k: "v" } });
  for (let i = 0; i < 3; i++) api.create(cm("a", `a${i}`));
  for (let i = 0; i < 2000; i++) api.create(cm("b", `b${String(i).padStart(4, "0")}`));
  const names = (ns?: string) => api.list("ConfigMap", { namespace: ns }).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.deepEqual(names("a"), ["a/a0", "a/a1", "a/a2"]);
  assert.deepEqual(names("nope"), []);
  assert.equal(names().length, 2003);
  api.update({ ...cm("a", "a1"), data: { k: "w" } });
  api.delete("ConfigMap", "a", "a0");
  assert.deepEqual(names("a"), ["a/a1", "a/a2"]);
  assert.equal(api.list("ConfigMap", { namespace: "a" })[0]!.data.k, "w");
  for (const n of ["a1", "a2"]) api.delete("ConfigMap", "a", n);
  assert.deepEqual(names("a"), []);
  // Cluster-scoped kinds ignore the namespace, as before.
  assert.equal(api.list("Namespace", { namespace: "a" }).length, 3);
  // The cost: a list of the small namespace visits its objects only (label selector calls counted).
  let visited = 0;
  api.create(cm("a", "again"));
  api.list("ConfigMap", { namespace: "a", labelSelector: () => (visited++, true) });
  assert.equal(visited, 1);
});

test("objects over etcd's request limit are refused with etcd's error; the store's resource version moves only on writes", () => {
  const api = server();
  const rv = String(api.resourceVersion);
  const big: KObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big", namespace: "default" }, data: { a: "x".repeat(MAX_OBJECT_BYTES) } };
  assert.throws(() => api.create(big), (e: ApiError) => e.code === 500 && e.reason === "" && e.message === "etcdserver: request is too large");
  assert.throws(() => api.create(big, { dryRun: true }), /etcdserver: request is too large/);
  // Multi-byte text counts in bytes: 600 Ki of 3-byte characters is 1.8 MiB.
  assert.throws(() => api.create({ ...big, data: { a: "가".repeat(600 * 1024) } }), /request is too large/);
  assert.equal(String(api.resourceVersion), rv);
  const ok = api.create({ ...big, data: { a: "x".repeat(1024 * 1024) } });
  assert.equal(String(api.resourceVersion), ok.metadata.resourceVersion);
  assert.throws(() => api.update({ ...ok, data: { a: "x".repeat(2 * 1024 * 1024) } }), /request is too large/);
  assert.equal(api.get("ConfigMap", "default", "big")!.data.a.length, 1024 * 1024);
});

test("the fast engine's bind and event writes store what the reference engine's do, byte for byte", () => {
  const run = (reference: boolean) => {
    const api = server();
    api.reference = reference;
    const out: string[] = [];
    api.watch("*", (ev) => out.push(`${ev.type} ${JSON.stringify(ev.object)}`));
    const withConditions = pod("b");
    withConditions.status = { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", lastProbeTime: null, lastTransitionTime: "2024-01-08T00:00:00Z" }] };
    api.create(pod("a"));
    api.create(withConditions);
    api.createOwned({ apiVersion: "v1", kind: "Event", metadata: { name: "a.1", namespace: "default" }, count: 1, lastTimestamp: "x", involvedObject: { kind: "Pod", name: "a" } });
    api.clock.advance(1500);
    out.push(JSON.stringify(api.bind("default", "a", "n1")));
    out.push(JSON.stringify(api.bind("default", "b", "n2")));
    const ev = api.get("Event", "default", "a.1")!;
    out.push(JSON.stringify(api.updateOwned({ ...ev, metadata: { ...ev.metadata }, count: 2, lastTimestamp: "y", series: { count: 2 } })));
    api.clock.settle();
    out.push(JSON.stringify(api.list("Pod")), JSON.stringify(api.list("Event")));
    return out;
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  // The bound pod keeps the stored pod's unchanged parts (shared, frozen) and its key order.
  assert.match(fast.find((l) => l.startsWith('{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp"') && l.includes('"name":"b"'))!, /"conditions":\[\{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-08T00:00:01Z"\}\]/);
});

test("jsonBytesBound is never below the UTF-8 length of the JSON text, and the size check agrees on both engines", () => {
  const samples: unknown[] = [
    { a: "plain", b: [1, -2.5e-300, true, false, null, undefined, "x"], c: { d: undefined, e: "\u0000\u001f\"\\" } },
    { s: "한국어 텍스트 😀 \ud800 lone", n: Number.MAX_VALUE, m: -Number.MIN_VALUE, k: [[], {}, [[[]]]] },
    ["a", 1, { "키": "값" }],
    "x".repeat(1000),
  ];
  for (const v of samples) assert.ok(jsonBytesBound(v, Infinity) >= Buffer.byteLength(JSON.stringify(v), "utf8"), JSON.stringify(v));
  assert.equal(jsonBytesBound(new Date(0), Infinity), Infinity);
  assert.ok(jsonBytesBound({ a: "x".repeat(100) }, 10) > 10);
  for (const reference of [false, true]) {
    const api = server();
    api.reference = reference;
    // Just under the limit in bytes, though the bound is far over it: stored on both engines.
    const fits = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fits", namespace: "default" }, data: { k: "é".repeat(Math.floor((MAX_OBJECT_BYTES - 200) / 2)) } };
    assert.ok(api.create(fits));
    const big = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big", namespace: "default" }, data: { k: "é".repeat(MAX_OBJECT_BYTES / 2) } };
    assert.throws(() => api.create(big), /request is too large/);
  }
});

test("the size check of a status write counts the shared, frozen spec (its bound kept) with the new status: the same answers on both engines", () => {
  for (const reference of [false, true]) {
    const api = server();
    api.reference = reference;
    // A spec whose bound (6 bytes a character) is just under the limit, so the fast engine keeps
    // it, and whose JSON is as long (each control character is a 6-byte escape): a status of 50,000
    // characters fits, one of 100,000 does not.
    const p = pod("big");
    p.spec.containers[0].args = ["\u0001".repeat(249_000)];
    api.create(p);
    const withMessage = (n: number) => ({ ...api.get("Pod", "default", "big")!, status: { message: "y".repeat(n) } });
    // Twice each: the second write finds the spec's bound kept.
    for (let i = 0; i < 2; i++) {
      assert.ok(api.update(withMessage(50_000 + i), { subresource: "status" }), reference ? "reference" : "fast");
      assert.throws(() => api.update(withMessage(100_000), { subresource: "status" }), /request is too large/);
    }
  }
});

test("a client's status write is stored deeply frozen, sharing the frozen parts it was given, equal to the status sent on both engines", () => {
  for (const reference of [false, true]) {
    const api = server();
    api.reference = reference;
    api.create(pod("p"));
    const stored = api.get("Pod", "default", "p")!;
    const shared = deepFreeze({ type: "Ready", status: "True" });
    const status = { phase: "Running", conditions: [shared, { type: "Initialized", status: "True", lastProbeTime: null }], hostIPs: [{ ip: "10.0.0.1" }], message: "a message longer than thirteen", n: 3, ok: true, gone: undefined };
    const out = api.update({ ...stored, status }, { subresource: "status" });
    assert.equal(JSON.stringify(out.status), JSON.stringify(status));
    assert.ok(Object.isFrozen(out.status) && Object.isFrozen(out.status.conditions) && Object.isFrozen(out.status.conditions[1]) && Object.isFrozen(out.status.hostIPs[0]));
    assert.notEqual(out.status.conditions[1], status.conditions[1], "an unfrozen part is copied");
    if (!reference) assert.equal(out.status.conditions[0], shared, "a frozen part is shared");
    assert.ok(!Object.isFrozen(status.conditions[1]), "the caller's object is left as it was");
  }
});

test("adoptCreated stores another fresh server's created object as create would here: same rv, uid, event; anything else throws", () => {
  const created = new ApiServer(new SimClock()).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
  const fresh = new ApiServer(new SimClock());
  const plain = new ApiServer(new SimClock());
  const seen: string[] = [];
  fresh.watch("Namespace", (ev) => seen.push(`${ev.type} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion}`));
  assert.equal(fresh.adoptCreated(created), created);
  const made = plain.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
  assert.deepEqual(fresh.get("Namespace", undefined, "team"), made);
  fresh.clock.settle();
  assert.deepEqual(seen, ["ADDED team 1001"]);
  assert.equal(fresh.lastChangeOf("Namespace"), plain.lastChangeOf("Namespace"));
  // The next writes continue the same sequences: resourceVersion, and the uid of a name made again.
  for (const api of [fresh, plain]) api.delete("Namespace", undefined, "team", { gracePeriodSeconds: 0 });
  const again = [fresh, plain].map((api) => api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } }));
  assert.deepEqual(again[0], again[1]);
  assert.notEqual(again[0].metadata.uid, created.metadata.uid);
  // Not what create would store: taken already, another resourceVersion next, another instant.
  assert.throws(() => fresh.adoptCreated(created), /not what create would store/);
  const later = new ApiServer(new SimClock());
  later.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
  assert.throws(() => later.adoptCreated(created), /not what create would store/);
  const other = new ApiServer(new SimClock("2025-01-01T00:00:00Z"));
  assert.throws(() => other.adoptCreated(created), /not what create would store/);
});

for (const reference of [false, true]) {
  test(`a node's Node watcher sees only its Node's events, in subscription order with the others (${reference ? "reference" : "fast"} engine)`, () => {
    const api = server();
    api.reference = reference;
    const seen: string[] = [];
    const node = (name: string): KObject => ({ apiVersion: "v1", kind: "Node", metadata: { name } });
    api.watch("Node", (ev) => seen.push(`all ${ev.type} ${ev.object.metadata.name}`));
    const stop1 = api.watch("Node", (ev) => seen.push(`n1 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n1" });
    api.watch("Node", (ev) => seen.push(`n2 ${ev.type} ${ev.object.metadata.name}`), { nodeName: "n2" });
    api.watch("Node", (ev) => seen.push(`late ${ev.type} ${ev.object.metadata.name}`));
    api.create(node("n1"));
    api.create(node("n2"));
    api.create(node("n3"));
    api.clock.settle();
    api.mutate("Node", undefined, "n1", (n) => (n.status = { phase: "Running" }), { subresource: "status" });
    api.clock.settle();
    stop1();
    api.mutate("Node", undefined, "n1", (n) => (n.status = { phase: "Pending" }), { subresource: "status" });
    api.delete("Node", undefined, "n2");
    api.clock.settle();
    assert.deepEqual(seen, [
      "all ADDED n1",
      "n1 ADDED n1",
      "late ADDED n1",
      "all ADDED n2",
      "n2 ADDED n2",
      "late ADDED n2",
      "all ADDED n3",
      "late ADDED n3",
      "all MODIFIED n1",
      "n1 MODIFIED n1",
      "late MODIFIED n1",
      // n1's watcher stopped.
      "all MODIFIED n1",
      "late MODIFIED n1",
      "all DELETED n2",
      "n2 DELETED n2",
      "late DELETED n2",
    ]);
  });
}

test("createRecordedEvent stores what createOwned stores (the recorder's Events, issue #19): key order, uid, resourceVersion, admission's changes, a terminating namespace, a taken name, other metadata", () => {
  const run = (fast: boolean) => {
    const api = server();
    api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "going" }, spec: { finalizers: ["kubernetes"] } });
    api.delete("Namespace", undefined, "going");
    const seen: string[] = [];
    api.watch("Event", (ev) => seen.push(`${ev.type} ${JSON.stringify(ev.object)}`));
    // An admission plugin that labels one Event (the metadata is then reordered as insert reorders it).
    api.registerAdmission({ name: "LabelOne", mutate: (obj, op) => void (obj.kind === "Event" && op === "CREATE" && obj.metadata.name === "b.2" && (obj.metadata.labels = { x: "y" })) });
    const ev = (name: string, namespace: string, extra: Record<string, unknown> = {}): KObject => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace, ...extra },
      involvedObject: { apiVersion: "v1", kind: "Pod", name: "p", namespace, uid: "u" },
      reason: "Pulled",
      message: "m",
      source: { component: "kubelet" },
      firstTimestamp: "2024-01-01T00:00:00Z",
      lastTimestamp: "2024-01-01T00:00:00Z",
      count: 1,
      type: "Normal",
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: "",
    });
    const create = (o: KObject) => {
      try {
        const stored = fast ? api.createRecordedEvent(o) : api.createOwned(o, { wellTyped: true });
        return `${JSON.stringify(stored)} frozen=${Object.isFrozen(stored.metadata)}`;
      } catch (e) {
        return `${(e as ApiError).reason}: ${(e as Error).message}`;
      }
    };
    const out = [create(ev("a.1", "default")), create(ev("b.2", "default")), create(ev("a.1", "default")), create(ev("c.3", "going")), create(ev("d.4", "default", { labels: { k: "v" } })), create(ev("e.5", "elsewhere"))];
    api.clock.settle();
    return [...out, ...seen].join("\n");
  };
  const fast = run(true);
  assert.equal(fast, run(false));
  assert.match(fast, /"metadata":\{"creationTimestamp":"[^"]+","name":"a\.1","namespace":"default","resourceVersion":"\d+","uid":"[0-9a-f-]{36}"\}/);
  assert.match(fast, /"metadata":\{"creationTimestamp":"[^"]+","labels":\{"x":"y"\},"name":"b\.2"/);
  assert.match(fast, /AlreadyExists/);
  assert.match(fast, /Forbidden: .*being terminated/);
});

test("createDeferredEvent stores, answers and dispatches what createRecordedEvent stores, the Event built at its first read (issue #19 §3/§4): a get, a list, a watch of Events or of every kind, a delete, a history read; a taken name, a terminating namespace, a re-created name, a plugin that acts on Events", () => {
  const run = (deferred: boolean) => {
    const api = server();
    for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
    api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "going" }, spec: { finalizers: ["kubernetes"] } });
    api.delete("Namespace", undefined, "going");
    const out: string[] = [];
    const seen: string[] = [];
    const built: DeferredEvent[] = [];
    const ev = (name: string, namespace = "default"): KObject => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: { apiVersion: "v1", kind: "Pod", name: "p", namespace, uid: "u" },
      reason: "Pulled",
      message: `m ${name}`,
      source: { component: "kubelet" },
      firstTimestamp: api.clock.nowRFC3339(),
      lastTimestamp: api.clock.nowRFC3339(),
      count: 1,
      type: "Normal",
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: "",
    });
    const create = (o: KObject) => {
      try {
        const s = deferred ? api.createDeferredEvent(o) : api.createRecordedEvent(o);
        if (s instanceof DeferredEvent) built.push(s);
        const f = storedEventFields(s);
        return `created ${f.metadata.name} rv=${storedEventVersion(s)} count=${f.count} held=${api.holdsEvent(f.metadata.namespace!, f.metadata.name!, s)}`;
      } catch (e) {
        return `${(e as ApiError).reason}: ${(e as Error).message}`;
      }
    };
    // A watcher of every kind that ignores ownerless Events (the garbage collector's contract).
    api.watch("*", (e) => void (e.object.kind !== "Event" && seen.push(`gc ${e.type} ${e.object.kind} ${e.object.metadata.name}`)), { ignoresOwnerlessEvents: true });
    out.push(create(ev("a.1")), create(ev("b.2")));
    out.push(`get ${JSON.stringify(api.get("Event", "default", "a.1"))} frozen=${Object.isFrozen(api.get("Event", "default", "a.1"))}`);
    out.push(create(ev("a.1")), create(ev("c.3", "going")), create(ev("d.4")));
    const stopAll = api.watch("*", (e) => void seen.push(`* ${e.type} ${JSON.stringify(e.object)}`));
    api.clock.advance(1500);
    stopAll();
    out.push(create(ev("e.5")), create(ev("f.6")));
    api.clock.advance(1000);
    out.push(`list\n${api.list("Event").map((o) => JSON.stringify(o)).join("\n")}`);
    out.push(create(ev("g.7")));
    out.push(`delete ${JSON.stringify(api.delete("Event", "default", "g.7"))}`);
    out.push(create(ev("g.7")), `count ${api.count("Event")} last ${api.lastChangeOf("Event")} rv ${api.resourceVersion}`);
    api.watch("Event", (e) => void seen.push(`Event ${e.type} ${JSON.stringify(e.object)} old=${JSON.stringify(e.old ?? null)}`));
    out.push(create(ev("h.8")));
    api.clock.advance(1000);
    out.push(create(ev("k.11")));
    // A plugin that acts on Events (no `inertFor`): the plain create.
    api.registerAdmission({ name: "LabelAll", mutate: (o) => void (o.kind === "Event" && (o.metadata.labels = { x: "y" })) });
    out.push(create(ev("j.10")));
    api.clock.advance(1000);
    out.push(`list\n${api.list("Event").map((o) => JSON.stringify(o)).join("\n")}`);
    return { text: [...out, ...seen].join("\n"), built };
  };
  const d = run(true);
  const plain = run(false);
  assert.equal(d.text, plain.text);
  assert.equal(plain.built.length, 0);
  // a.1, b.2, d.4, e.5, f.6, g.7 twice, h.8, k.11 were deferred; j.10 (a plugin acts on it) was not.
  assert.deepEqual(d.built.map((x) => x.metadata.name), ["a.1", "b.2", "d.4", "e.5", "f.6", "g.7", "g.7", "h.8", "k.11"]);
  assert.ok(d.built.every((x) => x.obj !== undefined && Object.isFrozen(x.obj)));
  assert.match(d.text, /"metadata":\{"creationTimestamp":"[^"]+","name":"a\.1","namespace":"default","resourceVersion":"\d+","uid":"[0-9a-f-]{36}"\}/);
  assert.match(d.text, /"labels":\{"x":"y"\},"name":"j\.10"/);
  assert.match(d.text, /AlreadyExists/);
  assert.match(d.text, /Forbidden: .*being terminated/);
});

test("a deferred Event nobody reads is not built: watchers of every kind that ignore ownerless Events, the recorder's expiry check (holdsEvent), counts; a watch history makes the create plain", () => {
  const api = server();
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.clock.settle();
  let calls = 0;
  api.watch("*", () => void calls++, { ignoresOwnerlessEvents: true });
  const body = (name: string): KObject => ({ apiVersion: "v1", kind: "Event", metadata: { name, namespace: "default" }, involvedObject: { kind: "Pod", name: "p" }, reason: "R", message: "m", source: {}, type: "Normal" });
  const s = api.createDeferredEvent(body("x.1"));
  assert.ok(s instanceof DeferredEvent);
  api.clock.settle();
  assert.equal(calls, 0);
  assert.equal(s.obj, undefined);
  assert.equal(api.holdsEvent("default", "x.1", s), true);
  assert.equal(api.count("Event"), 1);
  assert.equal(s.obj, undefined);
  const got = api.get("Event", "default", "x.1")!;
  assert.equal(got, s.obj);
  assert.equal(api.holdsEvent("default", "x.1", s), true);
  api.keepWatchHistory();
  const before = api.resourceVersion;
  const plain = api.createDeferredEvent(body("x.2"));
  assert.ok(!(plain instanceof DeferredEvent));
  assert.deepEqual(api.eventsSince("Event", before).map((e) => e.object), [plain]);
  // The reference engine never defers.
  const ref = server();
  ref.reference = true;
  assert.ok(!(ref.createDeferredEvent(body("y.1")) instanceof DeferredEvent));
});

test("repeatDeferredEvent stores, answers and dispatches what a repeat of the built Event stores (updateOwnedRepeat of a shallow copy), neither version built unless read (issue #19 §1): repeats before and after a dispatch, watchers of Events and of every kind, a get, a list, a delete, a plugin that acts on Events", () => {
  const run = (deferred: boolean) => {
    const api = server();
    for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
    api.clock.settle();
    const out: string[] = [];
    const seen: string[] = [];
    const records: DeferredEvent[] = [];
    const ev = (name: string): KObject => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: "default" },
      involvedObject: { apiVersion: "v1", kind: "Pod", name: "p", namespace: "default", uid: "u" },
      reason: "BackOff",
      message: `m ${name}`,
      source: { component: "kubelet", host: "n1" },
      firstTimestamp: api.clock.nowRFC3339(),
      lastTimestamp: api.clock.nowRFC3339(),
      count: 1,
      type: "Warning",
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: "n1",
    });
    const note = (s: DeferredEvent | KObject) => {
      if (s instanceof DeferredEvent) records.push(s);
      const f = storedEventFields(s);
      return `rv=${storedEventVersion(s)} count=${f.count} last=${f.lastTimestamp} msg=${f.message} held=${api.holdsEvent("default", f.metadata.name!, s)}`;
    };
    const create = (name: string) => `created ${name} ${note(api.createDeferredEvent(ev(name)))}`;
    let n = 1;
    const repeat = (name: string, combined = false) => {
      n++;
      const message = combined ? `(combined from similar events): m ${name}` : `m ${name}`;
      const now = api.clock.nowRFC3339();
      const rec = deferred ? api.repeatDeferredEvent("default", name, n, now, message) : undefined;
      if (rec !== undefined) return `repeated ${name} ${note(rec)}`;
      const cur = api.get("Event", "default", name);
      if (!cur) return `gone ${name}`;
      const copy: KObject = { ...cur, metadata: { ...cur.metadata } };
      copy.count = n;
      copy.lastTimestamp = now;
      copy.message = message;
      return `repeated ${name} ${note(api.updateOwnedRepeat(copy, cur))}`;
    };
    // The garbage collector's contract: a watcher of every kind that ignores ownerless Events.
    api.watch("*", (e) => void (e.object.kind !== "Event" && seen.push(`gc ${e.type} ${e.object.kind}`)), { ignoresOwnerlessEvents: true });
    out.push(create("a.1"), repeat("a.1"));
    api.clock.advance(1000);
    out.push(repeat("a.1"), repeat("a.1", true));
    api.clock.advance(1000);
    const stopAll = api.watch("*", (e) => void seen.push(`* ${e.type} ${JSON.stringify(e.object)} old=${JSON.stringify(e.old ?? null)}`));
    out.push(repeat("a.1"), create("b.2"), repeat("b.2"), repeat("a.1"));
    api.clock.advance(1000);
    stopAll();
    out.push(repeat("a.1"), `get ${JSON.stringify(api.get("Event", "default", "a.1"))}`, repeat("a.1"));
    out.push(create("c.3"), repeat("c.3"), repeat("c.3"));
    api.watch("Event", (e) => void seen.push(`Event ${e.type} ${JSON.stringify(e.object)} old=${JSON.stringify(e.old ?? null)}`));
    api.clock.advance(1000);
    out.push(create("d.4"), repeat("d.4"));
    out.push(`delete ${JSON.stringify(api.delete("Event", "default", "b.2"))}`, repeat("b.2"));
    api.clock.advance(1000);
    out.push(create("e.5"), `count ${api.count("Event")} last ${api.lastChangeOf("Event")} rv ${api.resourceVersion}`);
    // A plugin that acts on Events (no `inertFor`): the plain repeat.
    api.registerAdmission({ name: "LabelAll", mutate: (o, op) => void (o.kind === "Event" && op === "UPDATE" && (o.metadata.labels = { x: "y" })) });
    out.push(repeat("e.5"));
    api.clock.advance(1000);
    out.push(`list\n${api.list("Event").map((o) => JSON.stringify(o)).join("\n")}`);
    return { text: [...out, ...seen].join("\n"), records };
  };
  const d = run(true);
  const plain = run(false);
  assert.equal(d.text, plain.text);
  // Deferred: the creates of a.1, b.2, c.3, d.4, e.5 and the repeats of a.1 (five before the
  // dispatch that builds it for a watcher of every kind), b.2, c.3 (two), d.4; a.1's repeats once
  // built and e.5's (a plugin acts on Events) went the plain way.
  assert.deepEqual(d.records.map((x) => x.metadata.name), ["a.1", "a.1", "a.1", "a.1", "a.1", "b.2", "b.2", "a.1", "c.3", "c.3", "c.3", "d.4", "d.4", "e.5"]);
  assert.deepEqual(plain.records.map((x) => x.metadata.name), ["a.1", "b.2", "c.3", "d.4", "e.5"]);
  // The watchers saw a repeat's MODIFIED with both versions, and the ADDED of a record since replaced.
  assert.match(d.text, /\* MODIFIED .*"name":"a\.1".*"count":5,.*old=.*"count":4,/);
  assert.match(d.text, /Event ADDED .*"name":"c\.3".*"count":1,/);
  assert.match(d.text, /Event MODIFIED .*"name":"c\.3".*"count":11,.*old=.*"count":10,/);
  assert.match(d.text, /"name":"e\.5"[^\n]*"labels":\{"x":"y"\}/);
  assert.match(d.text, /gone b\.2/);
});

test("a deferred repeat nobody reads builds nothing, neither version: the records it replaced stay unbuilt; a watch history, or the reference engine, makes it plain", () => {
  const api = server();
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.clock.settle();
  let calls = 0;
  api.watch("*", () => void calls++, { ignoresOwnerlessEvents: true });
  const body = (name: string): KObject => ({ apiVersion: "v1", kind: "Event", metadata: { name, namespace: "default" }, involvedObject: { kind: "Pod", name: "p" }, reason: "R", message: "m", source: {}, count: 1, lastTimestamp: null, type: "Normal" });
  const s = api.createDeferredEvent(body("x.1"));
  assert.ok(s instanceof DeferredEvent);
  const r1 = api.repeatDeferredEvent("default", "x.1", 2, "t2", "m")!;
  api.clock.settle();
  const r2 = api.repeatDeferredEvent("default", "x.1", 3, "t3", "m")!;
  api.clock.settle();
  assert.ok(r1 instanceof DeferredEvent && r2 instanceof DeferredEvent);
  assert.equal(calls, 0);
  assert.deepEqual([s.obj, r1.obj, r2.obj], [undefined, undefined, undefined]);
  assert.deepEqual([api.holdsEvent("default", "x.1", s), api.holdsEvent("default", "x.1", r1), api.holdsEvent("default", "x.1", r2)], [false, false, true]);
  assert.equal(api.count("Event"), 1);
  assert.deepEqual([s.obj, r2.obj], [undefined, undefined]);
  // Its first read builds the last version only, with the create's uid and creation time.
  const got = api.get("Event", "default", "x.1")!;
  assert.equal(got, r2.obj);
  assert.equal(s.obj, undefined);
  assert.deepEqual([got.count, got.lastTimestamp, got.metadata.resourceVersion], [3, "t3", String(r2.rv)]);
  // Built: the plain way from now on.
  assert.equal(api.repeatDeferredEvent("default", "x.1", 4, "t4", "m"), undefined);
  assert.equal(api.repeatDeferredEvent("default", "nope", 2, "t", "m"), undefined);
  const y = api.createDeferredEvent(body("y.1"));
  api.keepWatchHistory();
  assert.equal(api.repeatDeferredEvent("default", "y.1", 2, "t", "m"), undefined);
  assert.ok(y instanceof DeferredEvent && y.obj === undefined);
  const ref = server();
  ref.reference = true;
  ref.createDeferredEvent(body("z.1"));
  assert.equal(ref.repeatDeferredEvent("default", "z.1", 2, "t", "m"), undefined);
});

test("watchers that ignore status-only changes are not called for one (the others are, in order); every other change, and the reference engine, reach them all", () => {
  for (const reference of [false, true]) {
    const api = server();
    api.reference = reference;
    const seen: string[] = [];
    const watchers = (node?: string) => {
      api.watch("Pod", (ev) => seen.push(`a ${ev.type} ${ev.object.metadata.name}`));
      api.watch("Pod", (ev) => seen.push(`skip ${ev.type} ${ev.object.metadata.name}`), { ignoresStatusOnly: true });
      if (node) api.watch("Pod", (ev) => seen.push(`${node} ${ev.type} ${ev.object.metadata.name}`), { nodeName: node });
      api.watch("Pod", (ev) => seen.push(`b ${ev.type} ${ev.object.metadata.name}`));
    };
    watchers();
    api.create(pod("x"));
    api.clock.settle();
    const status = (name: string, phase: string) => api.mutate("Pod", "default", name, (p) => (p.status = { phase }), { subresource: "status" });
    status("x", "Pending");
    api.clock.settle();
    api.mutate("Pod", "default", "x", (p) => (p.metadata.labels = { l: "1" }));
    api.clock.settle();
    api.delete("Pod", "default", "x");
    api.clock.settle();
    const skip = reference ? ["skip MODIFIED x"] : [];
    assert.deepEqual(seen, ["a ADDED x", "skip ADDED x", "b ADDED x", "a MODIFIED x", ...skip, "b MODIFIED x", "a MODIFIED x", "skip MODIFIED x", "b MODIFIED x", "a DELETED x", "skip DELETED x", "b DELETED x"]);
    // With a node's watcher beside them (the merged list of a bound pod's events).
    seen.length = 0;
    const api2 = server();
    api2.reference = reference;
    const seen2: string[] = [];
    api2.watch("Pod", (ev) => seen2.push(`a ${ev.type}`));
    api2.watch("Pod", (ev) => seen2.push(`n1 ${ev.type}`), { nodeName: "n1" });
    api2.watch("Pod", (ev) => seen2.push(`skip ${ev.type}`), { ignoresStatusOnly: true });
    api2.create(pod("y"));
    api2.bind("default", "y", "n1");
    api2.clock.settle();
    api2.mutate("Pod", "default", "y", (p) => (p.status = { ...p.status, phase: "Running" }), { subresource: "status" });
    api2.clock.settle();
    assert.deepEqual(seen2, ["a ADDED", "skip ADDED", "a MODIFIED", "n1 MODIFIED", "skip MODIFIED", "a MODIFIED", "n1 MODIFIED", ...(reference ? ["skip MODIFIED"] : [])]);
  }
});

test("statusOnlyWanted: a status-only change reaches the watcher only when it answers true, asked in the handler's place (after the earlier handlers of the same event); every other change, and the reference engine, reach it always", () => {
  for (const reference of [false, true]) {
    for (const node of [undefined, "n1"]) {
      const api = server();
      api.reference = reference;
      const seen: string[] = [];
      const asked: string[] = [];
      // The wanted set is changed by a watcher called before the filtered one for the same event.
      const wanted = new Set<string>();
      api.watch("Pod", (ev) => {
        seen.push(`a ${ev.type} ${ev.object.metadata.name}`);
        if (ev.object.status?.phase === "Want") wanted.add(ev.object.metadata.name!);
        if (ev.object.status?.phase === "Drop") wanted.delete(ev.object.metadata.name!);
      });
      if (node) api.watch("Pod", (ev) => seen.push(`${node} ${ev.type} ${ev.object.metadata.name}`), { nodeName: node });
      api.watch("Pod", (ev) => seen.push(`f ${ev.type} ${ev.object.metadata.name} ${ev.object.status?.phase ?? "-"}`), {
        statusOnlyWanted: (ev) => {
          asked.push(`${ev.object.metadata.name} ${ev.object.status?.phase}`);
          return wanted.has(ev.object.metadata.name!);
        },
      });
      api.watch("Pod", (ev) => seen.push(`b ${ev.type} ${ev.object.metadata.name}`));
      api.create(pod("x"));
      if (node) api.bind("default", "x", node);
      api.clock.settle();
      seen.length = 0;
      const status = (phase: string) => api.mutate("Pod", "default", "x", (p) => (p.status = { ...p.status, phase }), { subresource: "status" });
      status("Pending");
      status("Want");
      status("Running");
      status("Drop");
      status("Failed");
      api.clock.settle();
      api.mutate("Pod", "default", "x", (p) => (p.metadata.labels = { l: "1" }));
      api.clock.settle();
      api.delete("Pod", "default", "x", { gracePeriodSeconds: 0 });
      api.clock.settle();
      const n = (t: string) => (node ? [`${node} ${t} x`] : []);
      const f = (phase: string) => (reference || phase === "Want" || phase === "Running" ? [`f MODIFIED x ${phase}`] : []);
      const expected = [
        ...["Pending", "Want", "Running", "Drop", "Failed"].flatMap((phase) => ["a MODIFIED x", ...n("MODIFIED"), ...f(phase), "b MODIFIED x"]),
        "a MODIFIED x", ...n("MODIFIED"), "f MODIFIED x Failed", "b MODIFIED x",
        "a DELETED x", ...n("DELETED"), "f DELETED x Failed", "b DELETED x",
      ];
      assert.deepEqual(seen, expected, `reference ${reference}, node ${node}`);
      assert.deepEqual(asked, reference ? [] : ["x Pending", "x Want", "x Running", "x Drop", "x Failed"]);
    }
  }
});

test("statusOnlyWanted on a watcher of every kind (\"*\"): a status-only change of any kind reaches it only when it answers true, asked after the kind's watchers and the earlier \"*\" watchers ran; every other change, and the reference engine, reach it always", () => {
  for (const reference of [false, true]) {
    const api = server();
    api.reference = reference;
    const seen: string[] = [];
    const asked: string[] = [];
    const wanted = new Set<string>();
    // The kind's watcher (called before any "*" watcher) and an earlier "*" watcher change the answer.
    api.watch("Pod", (ev) => {
      seen.push(`pod ${ev.type} ${ev.object.metadata.name}`);
      if (ev.object.status?.phase === "Want") wanted.add(ev.object.metadata.name!);
    });
    api.watch("*", (ev) => {
      seen.push(`all ${ev.type} ${ev.object.kind} ${ev.object.metadata.name}`);
      if (ev.object.status?.phase === "Drop") wanted.delete(ev.object.metadata.name!);
    });
    api.watch("*", (ev) => seen.push(`f ${ev.type} ${ev.object.kind} ${ev.object.metadata.name} ${ev.object.status?.phase ?? "-"}`), {
      statusOnlyWanted: (ev) => {
        asked.push(`${ev.object.kind} ${ev.object.metadata.name} ${ev.object.status?.phase}`);
        return wanted.has(ev.object.metadata.name!);
      },
    });
    api.watch("*", (ev) => seen.push(`b ${ev.type} ${ev.object.kind} ${ev.object.metadata.name}`));
    api.create(pod("x"));
    api.create({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" }, spec: { ports: [{ port: 80 }] } });
    api.clock.settle();
    seen.length = 0;
    const status = (phase: string) => api.mutate("Pod", "default", "x", (p) => (p.status = { ...p.status, phase }), { subresource: "status" });
    status("Pending");
    status("Want");
    status("Running");
    status("Drop");
    status("Failed");
    // Another kind's status-only change (a Service's load balancer status): asked too. (Its first
    // status write adds the field the created Service lacked: not status-only, always delivered.)
    api.mutate("Service", "default", "s", (x) => (x.status = { loadBalancer: { ingress: [{ hostname: "lb" }] } }), { subresource: "status" });
    api.mutate("Service", "default", "s", (x) => (x.status = { loadBalancer: { ingress: [{ hostname: "lb2" }] } }), { subresource: "status" });
    api.clock.settle();
    api.mutate("Pod", "default", "x", (p) => (p.metadata.labels = { l: "1" }));
    api.clock.settle();
    api.delete("Pod", "default", "x", { gracePeriodSeconds: 0 });
    api.clock.settle();
    const f = (phase: string) => (reference || phase === "Want" || phase === "Running" ? [`f MODIFIED Pod x ${phase}`] : []);
    const expected = [
      ...["Pending", "Want", "Running", "Drop", "Failed"].flatMap((phase) => ["pod MODIFIED x", "all MODIFIED Pod x", ...f(phase), "b MODIFIED Pod x"]),
      "all MODIFIED Service s", "f MODIFIED Service s -", "b MODIFIED Service s",
      "all MODIFIED Service s", ...(reference ? ["f MODIFIED Service s -"] : []), "b MODIFIED Service s",
      "pod MODIFIED x", "all MODIFIED Pod x", "f MODIFIED Pod x Failed", "b MODIFIED Pod x",
      "pod DELETED x", "all DELETED Pod x", "f DELETED Pod x Failed", "b DELETED Pod x",
    ];
    assert.deepEqual(seen, expected, `reference ${reference}`);
    assert.deepEqual(asked, reference ? [] : ["Pod x Pending", "Pod x Want", "Pod x Running", "Pod x Drop", "Pod x Failed", "Service s undefined"]);
  }
});

test("watchers that act for one controller kind are not called for a pod another kind's owner controls before and after a change (the others are, in order); a deletion, an orphan, a change of controller and the reference engine reach them all", () => {
  const ref = (kind: string, uid: string, controller = true) => ({ apiVersion: "apps/v1", kind, name: `${kind.toLowerCase()}-1`, uid, controller });
  for (const reference of [false, true]) {
    for (const node of [undefined, "n1"]) {
      const api = server();
      api.reference = reference;
      const seen: string[] = [];
      api.watch("Pod", (ev) => seen.push(`a ${ev.type} ${ev.object.metadata.name}`));
      api.watch("Pod", (ev) => seen.push(`ds ${ev.type} ${ev.object.metadata.name}`), { controllerKind: "DaemonSet" });
      if (node) api.watch("Pod", (ev) => seen.push(`${node} ${ev.type} ${ev.object.metadata.name}`), { nodeName: node });
      api.watch("Pod", (ev) => seen.push(`both ${ev.type} ${ev.object.metadata.name}`), { controllerKind: "DaemonSet", ignoresStatusOnly: true });
      api.watch("Pod", (ev) => seen.push(`b ${ev.type} ${ev.object.metadata.name}`));
      const owned = (name: string, refs: object[]) => ({ ...pod(name), metadata: { ...pod(name).metadata, ownerReferences: refs } }) as KObject;
      const step = (fn: () => void) => {
        fn();
        api.clock.settle();
        const out = [...seen];
        seen.length = 0;
        return out;
      };
      // The node's watcher sees the pod once it is bound there (the ReplicaSet's pod, from its bind on).
      let bound = false;
      const all = (t: string, n: string, skipped: string[] = []) => ["a", "ds", ...(node && bound && n === "rs" ? [node] : []), "both", "b"].filter((w) => reference || !skipped.includes(w)).map((w) => `${w} ${t} ${n}`);
      // An ReplicaSet's pod: created, bound, its status written, relabelled.
      assert.deepEqual(step(() => api.create(owned("rs", [ref("ReplicaSet", "u-rs")]))), all("ADDED", "rs", ["ds", "both"]));
      const bind = step(() => node && api.bind("default", "rs", node));
      bound = !!node;
      assert.deepEqual(bind, node ? all("MODIFIED", "rs", ["ds", "both"]) : []);
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.status = { phase: "Running" }), { subresource: "status" })), all("MODIFIED", "rs", ["ds", "both"]));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.labels = { l: "1" }))), all("MODIFIED", "rs", ["ds", "both"]));
      // A non-controller reference to a DaemonSet beside it changes nothing: still the ReplicaSet's.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.ownerReferences = [ref("DaemonSet", "u-ds", false), ...p.metadata.ownerReferences!]))), all("MODIFIED", "rs", ["ds", "both"]));
      // Released (no controller), then adopted by a DaemonSet: both changes reach every watcher.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.ownerReferences = [ref("ReplicaSet", "u-rs", false)]))), all("MODIFIED", "rs"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.annotations = { a: "1" }))), all("MODIFIED", "rs"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.ownerReferences = [ref("DaemonSet", "u-ds")]))), all("MODIFIED", "rs"));
      // Its own kind's pod: every change (a status-only one skips the watcher that ignores those).
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.status = { phase: "Succeeded" }), { subresource: "status" })), all("MODIFIED", "rs", ["both"]));
      // Another owner of another kind (a different uid): a change of controller.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.ownerReferences = [ref("Job", "u-job")]))), all("MODIFIED", "rs"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.ownerReferences = [ref("Job", "u-job-2")]))), all("MODIFIED", "rs"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "rs", (p) => (p.metadata.labels = { l: "2" }))), all("MODIFIED", "rs", ["ds", "both"]));
      // A deletion reaches every watcher.
      assert.deepEqual(step(() => api.delete("Pod", "default", "rs", { gracePeriodSeconds: 0 })), all("DELETED", "rs"));
      // An orphan's events reach every watcher.
      assert.deepEqual(step(() => api.create(pod("orphan"))), all("ADDED", "orphan"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "orphan", (p) => (p.metadata.labels = { l: "1" }))), all("MODIFIED", "orphan"));
    }
  }
});

test("watchers that ignore orphans are not called for an ADDED or MODIFIED pod without a controller before and after (the others are, in order); a deletion, a change of controller and the reference engine reach them", () => {
  const ref = (kind: string, uid: string, controller = true) => ({ apiVersion: "batch/v1", kind, name: `${kind.toLowerCase()}-1`, uid, controller });
  for (const reference of [false, true]) {
    for (const node of [undefined, "n1"]) {
      const api = server();
      api.reference = reference;
      const seen: string[] = [];
      api.watch("Pod", (ev) => seen.push(`a ${ev.type}`));
      api.watch("Pod", (ev) => seen.push(`o ${ev.type}`), { ignoresOrphans: true });
      if (node) api.watch("Pod", (ev) => seen.push(`${node} ${ev.type}`), { nodeName: node });
      api.watch("Pod", (ev) => seen.push(`job ${ev.type}`), { controllerKind: "Job", ignoresOrphans: true });
      api.watch("Pod", (ev) => seen.push(`ds ${ev.type}`), { controllerKind: "DaemonSet" });
      const step = (fn: () => void) => {
        fn();
        api.clock.settle();
        const out = [...seen];
        seen.length = 0;
        return out;
      };
      let bound = false;
      const all = (t: string, skipped: string[] = []) => ["a", "o", ...(bound ? [node!] : []), "job", "ds"].filter((w) => reference || !skipped.includes(w)).map((w) => `${w} ${t}`);
      // An orphan: created, bound, its status written, relabelled: the watchers that ignore orphans are left out.
      assert.deepEqual(step(() => api.create(pod("p"))), all("ADDED", ["o", "job"]));
      if (node) {
        const bind = step(() => api.bind("default", "p", node));
        bound = true;
        assert.deepEqual(bind, all("MODIFIED", ["o", "job"]));
      }
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.status = { phase: "Running" }), { subresource: "status" })), all("MODIFIED", ["o", "job"]));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.labels = { l: "1" }))), all("MODIFIED", ["o", "job"]));
      // A reference that is not a controller leaves it an orphan.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.ownerReferences = [ref("Job", "u-job", false)]))), all("MODIFIED", ["o", "job"]));
      // Given a Job as controller: every watcher; then a Job's pod (the DaemonSet's watcher is left out).
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.ownerReferences = [ref("Job", "u-job")]))), all("MODIFIED"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.status = { phase: "Succeeded" }), { subresource: "status" })), all("MODIFIED", ["ds"]));
      // Released: every watcher sees the change; the orphan's next changes skip them again.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.ownerReferences = [ref("Job", "u-job", false)]))), all("MODIFIED"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.annotations = { a: "1" }))), all("MODIFIED", ["o", "job"]));
      // Another kind's controller: the Job's watcher is left out as `controllerKind` says, the orphan-ignoring one is not.
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.ownerReferences = [ref("DaemonSet", "u-ds")]))), all("MODIFIED"));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.labels = { l: "2" }))), all("MODIFIED", ["job"]));
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.ownerReferences = undefined))), all("MODIFIED"));
      // A deletion reaches every watcher, an orphan's too.
      assert.deepEqual(step(() => api.delete("Pod", "default", "p", { gracePeriodSeconds: 0 })), all("DELETED"));
      bound = false;
      // Created with a controller: not an orphan.
      assert.deepEqual(step(() => api.create({ ...pod("q"), metadata: { ...pod("q").metadata, ownerReferences: [ref("Job", "u-job")] } } as KObject)), all("ADDED", ["ds"]));
    }
  }
});

test("lazyOrphansOf: a status-only change of a pod without a controller is noted and left out of the watcher while the pod's namespace holds none of its kind (the others are called, in order); any other event of the pod forgets the note after its handlers; the reference engine calls every watcher and notes nothing", () => {
  const ds = (ns: string): KObject => ({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: ns }, spec: { selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } });
  for (const reference of [false, true]) {
    for (const node of [undefined, "n1"]) {
      const api = server();
      api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
      api.reference = reference;
      const seen: string[] = [];
      const notedAtCall: boolean[] = [];
      api.watch("Pod", (ev) => seen.push(`a ${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`));
      if (node) api.watch("Pod", (ev) => seen.push(`${node} ${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`), { nodeName: node });
      const unwatch = api.watch("Pod", (ev) => {
        seen.push(`lazy ${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
        notedAtCall.push(api.orphanStatus.has(ev.object.metadata.namespace, ev.object.metadata.name!));
      }, { lazyOrphansOf: "DaemonSet" });
      api.watch("Pod", (ev) => seen.push(`b ${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`));
      const step = (fn: () => void) => {
        fn();
        api.clock.settle();
        const out = [...seen];
        seen.length = 0;
        return out;
      };
      let bound = false;
      const all = (t: string, p: string, skipped: string[] = []) => ["a", ...(bound ? [node!] : []), "lazy", "b"].filter((w) => reference || !skipped.includes(w)).map((w) => `${w} ${t} ${p}`);
      const status = (ns: string, name: string, phase: string) => () => api.mutate("Pod", ns, name, (p) => (p.status = { phase }), { subresource: "status" });
      assert.deepEqual(step(() => api.create(pod("p"))), all("ADDED", "default/p"));
      if (node) {
        const bind = step(() => api.bind("default", "p", node));
        bound = true;
        assert.deepEqual(bind, all("MODIFIED", "default/p"));
      }
      // Status-only changes of the orphan: left out of the lazy watcher, noted (the latest).
      assert.deepEqual(step(status("default", "p", "Pending")), all("MODIFIED", "default/p", ["lazy"]));
      assert.deepEqual(step(status("default", "p", "Running")), all("MODIFIED", "default/p", ["lazy"]));
      assert.equal(api.orphanStatus.has("default", "p"), !reference);
      assert.equal(api.orphanStatus.inNamespace("default")?.get("p")?.pod.status?.phase, reference ? undefined : "Running");
      // A relabel reaches it; the note is forgotten after the handlers (still there while it runs).
      notedAtCall.length = 0;
      assert.deepEqual(step(() => api.mutate("Pod", "default", "p", (p) => (p.metadata.labels = { app: "a" }))), all("MODIFIED", "default/p"));
      assert.deepEqual(notedAtCall, [!reference]);
      assert.equal(api.orphanStatus.has("default", "p"), false);
      // A DaemonSet in another namespace changes nothing here; one in the pod's namespace makes it called.
      api.create(ds("other"));
      assert.deepEqual(step(status("default", "p", "Succeeded")), all("MODIFIED", "default/p", ["lazy"]));
      api.create(ds("default"));
      assert.deepEqual(step(status("default", "p", "Failed")), all("MODIFIED", "default/p"));
      assert.equal(api.orphanStatus.has("default", "p"), !reference, "noted all the same (another lazy watcher may have been left out)");
      api.delete("DaemonSet", "default", "agent");
      // A pod with a controller (not bound): every watcher.
      const wasBound = bound;
      bound = false;
      assert.deepEqual(step(() => api.create({ ...pod("q"), metadata: { ...pod("q").metadata, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "r", uid: "u-r", controller: true }] } } as KObject)), all("ADDED", "default/q"));
      assert.deepEqual(step(status("default", "q", "Running")), all("MODIFIED", "default/q"));
      bound = wasBound;
      // A deletion reaches every watcher and forgets the note.
      assert.deepEqual(step(() => api.delete("Pod", "default", "p", { gracePeriodSeconds: 0 })), all("DELETED", "default/p"));
      assert.equal(api.orphanStatus.has("default", "p"), false);
      assert.equal(api.orphanStatus.size, 0);
      // Without a lazy watcher, nothing is noted.
      unwatch();
      bound = false;
      api.create(pod("r"));
      api.clock.settle();
      seen.length = 0;
      step(status("default", "r", "Running"));
      assert.equal(api.orphanStatus.size, 0);
    }
  }
});

test("steadyControllerKind: the controller's kind when one owner controls the object before and after an ADDED or MODIFIED event, UNCONTROLLED when none does, else empty", () => {
  const withRefs = (refs: unknown) => ({ ...pod("x"), metadata: { name: "x", namespace: "default", ownerReferences: refs } }) as KObject;
  const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "r", uid: "u1", controller: true };
  assert.equal(steadyControllerKind({ type: "ADDED", object: withRefs([rs]) }), "ReplicaSet");
  assert.equal(steadyControllerKind({ type: "ADDED", object: withRefs(undefined) }), UNCONTROLLED);
  assert.equal(steadyControllerKind({ type: "ADDED", object: withRefs([{ ...rs, controller: false }]) }), UNCONTROLLED);
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs(undefined), old: withRefs([{ ...rs, controller: false }]) }), UNCONTROLLED);
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs(undefined) }), "");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs(undefined), old: withRefs([rs]) }), "");
  assert.equal(steadyControllerKind({ type: "DELETED", object: withRefs(undefined) }), "");
  assert.equal(steadyControllerKind({ type: "BOOKMARK" as "ADDED", object: withRefs(undefined) }), "");
  assert.equal(steadyControllerKind({ type: "DELETED", object: withRefs([rs]) }), "");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([rs]), old: withRefs([rs]) }), "ReplicaSet");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([rs]) }), "");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([rs]), old: withRefs(undefined) }), "");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([rs]), old: withRefs([{ ...rs, uid: "u2" }]) }), "");
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([rs]), old: withRefs([{ ...rs, kind: "StatefulSet" }]) }), "");
  // The first reference with `controller` set is the controller (as the controllers' controllerRef).
  assert.equal(steadyControllerKind({ type: "MODIFIED", object: withRefs([{ ...rs, controller: false, kind: "Job" }, rs]), old: withRefs([rs]) }), "ReplicaSet");
  assert.equal(steadyControllerKind({ type: "BOOKMARK" as "ADDED", object: withRefs([rs]) }), "");
});

test("lastPodLifecycleChange: moved by a pod created, bound, deleted (graceful and final), its phase changed; not by status writes that keep the phase, relabels or other kinds; podLifecycleChange's table", () => {
  const api = server();
  const moves: string[] = [];
  let last = api.lastPodLifecycleChange();
  const step = (what: string, fn: () => void) => {
    fn();
    const now = api.lastPodLifecycleChange();
    if (now !== last) moves.push(what);
    if (now !== last) assert.equal(now, Number(api.resourceVersion), `${what}: the change's resourceVersion`);
    last = now;
  };
  const status = (s: object) => () => api.mutate("Pod", "default", "x", (p) => (p.status = { ...p.status, ...s }), { subresource: "status" });
  step("create", () => api.create(pod("x")));
  step("conditions", status({ conditions: [{ type: "PodScheduled", status: "False" }] }));
  step("bind", () => api.bind("default", "x", "n1"));
  step("running", status({ phase: "Running" }));
  step("restart", status({ containerStatuses: [{ name: "c", restartCount: 1 }] }));
  step("ready", status({ conditions: [{ type: "Ready", status: "True" }] }));
  step("label", () => api.mutate("Pod", "default", "x", (p) => (p.metadata.labels = { a: "b" })));
  step("configmap", () => api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } }));
  step("graceful", () => api.delete("Pod", "default", "x"));
  step("terminating status", status({ conditions: [{ type: "Ready", status: "False" }] }));
  step("failed", status({ phase: "Failed" }));
  step("final", () => api.delete("Pod", "default", "x", { gracePeriodSeconds: 0 }));
  assert.deepEqual(moves, ["create", "bind", "running", "graceful", "failed", "final"]);
  // The table: every field a pass reads, each alone.
  const base = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", uid: "u", creationTimestamp: "t0", resourceVersion: "1" }, spec: { nodeName: "n1" }, status: { phase: "Running" } } as KObject;
  const modified = (f: (o: KObject) => void) => {
    const o = structuredClone(base);
    o.metadata.resourceVersion = "2";
    f(o);
    return podLifecycleChange({ type: "MODIFIED", object: o, old: base });
  };
  assert.equal(modified(() => {}), false);
  assert.equal(modified((o) => (o.status.conditions = [{ type: "Ready", status: "True" }])), false);
  assert.equal(modified((o) => (o.metadata.labels = { a: "b" })), false);
  assert.equal(modified((o) => (o.status.phase = "Succeeded")), true);
  assert.equal(modified((o) => delete o.status), true);
  assert.equal(modified((o) => (o.spec.nodeName = "n2")), true);
  assert.equal(modified((o) => delete o.spec.nodeName), true);
  assert.equal(modified((o) => (o.metadata.deletionTimestamp = "t1")), true);
  assert.equal(modified((o) => (o.metadata.creationTimestamp = "t1")), true);
  assert.equal(modified((o) => (o.metadata.uid = "v")), true);
  assert.equal(podLifecycleChange({ type: "ADDED", object: base }), true);
  assert.equal(podLifecycleChange({ type: "DELETED", object: base, old: base }), true);
  assert.equal(podLifecycleChange({ type: "MODIFIED", object: base }), true);
});

test("statusOnlyChange: only a MODIFIED whose fields but the status are the stored ones, and whose metadata differs in resourceVersion alone", () => {
  const spec = { containers: [] };
  const meta = { name: "p", namespace: "default", resourceVersion: "1", labels: { a: "b" } };
  const old = { apiVersion: "v1", kind: "Pod", metadata: meta, spec, status: { phase: "Pending" } } as KObject;
  const mod = (o: Partial<KObject>, type: "MODIFIED" | "ADDED" = "MODIFIED") => statusOnlyChange({ type, object: { ...old, ...o } as KObject, old });
  assert.equal(mod({ metadata: { ...meta, resourceVersion: "2" }, status: { phase: "Running" } }), true);
  assert.equal(mod({ status: { phase: "Running" } }), true);
  assert.equal(mod({ metadata: { ...meta, resourceVersion: "2" } }, "ADDED"), false);
  assert.equal(mod({ metadata: { ...meta, resourceVersion: "2", labels: { a: "b" } } }), false); // a new labels object
  assert.equal(mod({ metadata: { ...meta, resourceVersion: "2", generation: 2 } }), false);
  assert.equal(mod({ spec: { containers: [] } }), false); // a new spec object, even an equal one
  assert.equal(mod({ extra: 1 } as Partial<KObject>), false);
  const { spec: _s, ...noSpec } = old;
  assert.equal(statusOnlyChange({ type: "MODIFIED", object: noSpec as KObject, old }), false);
  assert.equal(statusOnlyChange({ type: "MODIFIED", object: old }), false);
});

test("ownedBy: a kind's objects by controller uid, as list and a controllerRef filter find them, kept by every write", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  const api = c.api;
  const ref = (uid: string, controller = true) => ({ apiVersion: "apps/v1", kind: "Deployment", name: "d", uid, controller, blockOwnerDeletion: true });
  const rs = (name: string, ns: string, refs: unknown[]) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name, namespace: ns, ownerReferences: refs }, spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: "c", image: "x" }] } } } });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } } as never);
  const expected = (ns: string, uid: string) =>
    api.list("ReplicaSet", { namespace: ns }).filter((o) => o.metadata.ownerReferences?.find((r) => r.controller)?.uid === uid).map((o) => o.metadata.name);
  const check = (why: string) => {
    for (const ns of ["default", "other"]) for (const uid of ["u1", "u2"]) assert.deepEqual(api.ownedBy("ReplicaSet", ns, uid).map((o) => o.metadata.name), expected(ns, uid), `${why}: ${ns} ${uid}`);
  };
  api.create(rs("b", "default", [ref("u1")]) as never);
  api.create(rs("a", "default", [ref("u2", false), ref("u1")]) as never);
  check("built at the first question");
  api.create(rs("c", "default", [ref("u1")]) as never);
  api.create(rs("a", "other", [ref("u1")]) as never);
  api.create(rs("d", "default", [ref("u2", false)]) as never);
  check("creates");
  api.mutate("ReplicaSet", "default", "b", (o) => {
    o.metadata.ownerReferences = [ref("u2")];
  });
  api.mutate("ReplicaSet", "default", "d", (o) => {
    o.metadata.ownerReferences = [ref("u2")];
  });
  check("controllers changed");
  api.delete("ReplicaSet", "default", "a");
  c.clock.settle();
  check("a delete");
  assert.deepEqual(api.ownedBy("ReplicaSet", "default", "none"), []);
});

test("updateOwned with wellTyped is not decoded again on the fast engine (issue #19: the endpoint controllers' own writes); without it, on the reference engine or with a field validation it is", async () => {
  const { strictDecoder } = await import("./schema/decoder.ts");
  // A null item of a string list is what decoding changes (encoding/json's zero value ""): the
  // callers that pass wellTyped build no such value, so for them skipping it changes nothing.
  const write = (reference: boolean, opts: Parameters<ApiServer["updateOwned"]>[1]) => {
    const api = server();
    api.setDecoder(strictDecoder);
    api.reference = reference;
    api.create({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "e", namespace: "default" }, subsets: [] });
    const cur = api.get("Endpoints", "default", "e")!;
    const obj: KObject = { apiVersion: "v1", kind: "Endpoints", metadata: { ...cur.metadata, finalizers: ["a", null as unknown as string] }, subsets: [] };
    return api.updateOwned(obj, opts).metadata.finalizers;
  };
  assert.deepEqual(write(false, { checkSize: true, wellTyped: true }), ["a", null]);
  assert.deepEqual(write(false, { checkSize: true }), ["a", ""]);
  assert.deepEqual(write(true, { checkSize: true, wellTyped: true }), ["a", ""]);
  assert.deepEqual(write(false, { wellTyped: true, fieldValidation: "Ignore" }), ["a", ""]);
});
