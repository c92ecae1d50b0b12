import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sameAsJson } from "./cluster.ts";

// The start replay compares a new request with the recorded one's value (src/cluster.ts, StartReplay):
// it may answer "the same" only where the request's JSON text is the recorded text.
const sameText = (v: unknown, j: unknown) => JSON.stringify(v) === JSON.stringify(j);

test("sameAsJson says the same only where JSON.stringify gives the same text (random values and their parsed JSON)", () => {
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(-0), fc.constant(NaN), fc.constant(Infinity), fc.constant(() => 1));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v")), fc.dictionary(fc.constantFrom("a", "b", "1", "0", "__proto__", "kind", ""), tie("v"))),
  })).v;
  fc.assert(
    fc.property(value, value, (a, b) => {
      const ta = JSON.stringify(a);
      const tb = JSON.stringify(b);
      if (ta !== undefined) assert.equal(sameAsJson(a, JSON.parse(ta)), true, ta); // a value against its own text
      if (tb !== undefined && sameAsJson(a, JSON.parse(tb))) assert.equal(ta, tb);
    }),
    { numRuns: 3000, seed: 19 },
  );
});

test("sameAsJson: key order, left-out keys, holes, non-finite numbers, and what it does not follow (toJSON, class instances, bigint)", () => {
  const j = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  assert.equal(sameAsJson({ a: 1, b: 2 }, j({ b: 2, a: 1 })), false);
  assert.equal(sameAsJson({ a: 1, u: undefined, f: () => 0, b: "x" }, j({ a: 1, b: "x" })), true);
  assert.equal(sameAsJson({ a: 1 }, j({ a: 1, b: null })), false);
  assert.equal(sameAsJson([1, undefined, , NaN, -Infinity], [1, null, null, null, null]), true); // eslint-disable-line no-sparse-arrays
  assert.equal(sameAsJson(-0, 0), true);
  assert.equal(sameAsJson("1", 1), false);
  assert.equal(sameAsJson([], {}), false);
  assert.equal(sameAsJson({}, []), false);
  // Not followed: answered "another request" (the replay then creates as usual), even where the text would match.
  assert.equal(sameAsJson({ t: new Date(0) }, j({ t: new Date(0) })), false);
  assert.equal(sameAsJson(new Map(), {}), false);
  assert.equal(sameAsJson(1n, 1), false);
  for (const [a, b] of [[{ t: new Date(0) }, { t: new Date(0) }], [new Map(), {}]] as const) assert.ok(sameText(a, b));
});

test("the start's fixed prefix (system namespaces, bootstrap policy) restored in one piece: the same objects and bookkeeping as made one by one, and only into a pristine server at the same instant", async () => {
  const { Cluster } = await import("./cluster.ts");
  const { ApiServer } = await import("./api/store.ts");
  const { SimClock } = await import("./sim/clock.ts");
  const startTime = "2034-05-06T07:08:09Z";
  const dump = (c: InstanceType<typeof Cluster>) =>
    ["Namespace", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap"].map((k) => `${k} ${c.api.lastChangeOf(k)} ${c.api.list(k).map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}:${o.metadata.uid}`).join(",")}`).join("\n");
  const events = (c: InstanceType<typeof Cluster>) => {
    const seen: string[] = [];
    c.api.watch("*", (ev) => seen.push(`${ev.type} ${ev.object.kind} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion}`));
    return seen;
  };
  const first = new Cluster({ startTime }); // makes and captures the prefix
  const second = new Cluster({ startTime }); // restores it
  const reference = new Cluster({ startTime, reference: true });
  for (const name of ["admin", "system:node"]) assert.equal(second.api.get("ClusterRole", undefined, name), first.api.get("ClusterRole", undefined, name));
  assert.equal(second.api.get("Namespace", undefined, "kube-system"), first.api.get("Namespace", undefined, "kube-system"));
  assert.equal(dump(second), dump(reference));
  assert.equal(dump(first), dump(reference));
  // The same cluster afterwards: a Namespace and its Role, seen by a watcher of every kind, at the same resourceVersions.
  const seen = [second, reference].map((c) => {
    const log = events(c);
    c.applySync("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: team}\nrules: []\n");
    c.advanceSync("5s");
    return [...log, dump(c)].join("\n");
  });
  assert.equal(seen[0], seen[1]);
  for (const c of [first, second, reference]) await c.close();

  // At the store: a restored state and the same creates made one by one dispatch the same events, in order.
  const clock = new SimClock("2034-05-06T07:08:09Z");
  const writes = (api: InstanceType<typeof ApiServer>) => {
    for (const name of ["x", "y"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    api.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "z" }, rules: [] });
  };
  const log = (api: InstanceType<typeof ApiServer>) => {
    const out: string[] = [];
    api.watch("*", (ev) => out.push(`${ev.type} ${ev.object.kind} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion} ${ev.object.metadata.uid} ${api.lastChangeOf(ev.object.kind)}`));
    return out;
  };
  const a = new ApiServer(clock);
  writes(a);
  const state = a.captureStart();
  assert.ok(state);
  const plain = new ApiServer(clock);
  writes(plain);
  const fresh = new ApiServer(clock);
  assert.equal(fresh.restoreStart(state), true);
  assert.equal(fresh.get("Namespace", undefined, "x"), a.get("Namespace", undefined, "x"));
  const [plainLog, freshLog] = [log(plain), log(fresh)];
  clock.settle();
  assert.equal(freshLog.length, 3);
  assert.deepEqual(freshLog, plainLog);
  // Lists of the restored kinds (sorted once per state while the kind is as restored): the same
  // objects in the same order, a caller's changes to its copy unseen, and every change of the kind seen.
  const lists = (api: InstanceType<typeof ApiServer>) => ["Namespace", "ClusterRole", "ConfigMap"].map((k) => api.list(k).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).join(","));
  assert.deepEqual(lists(fresh), lists(plain));
  fresh.list("Namespace").pop();
  assert.deepEqual(lists(fresh), lists(plain));
  const again = new ApiServer(clock);
  assert.equal(again.restoreStart(state), true);
  for (const api of [fresh, plain, again]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } });
  assert.deepEqual(lists(fresh), lists(plain));
  assert.deepEqual(lists(again), lists(plain));
  assert.equal(lists(fresh)[0], "a@1004,x@1001,y@1002");
  for (const api of [fresh, plain]) api.delete("ClusterRole", undefined, "z");
  assert.deepEqual(lists(fresh), lists(plain));
  assert.equal(lists(fresh)[1], "");
  // The restored maps and identity counts are shared until a server changes them: another server's
  // changes are not seen, and a name made again gets the identity the plain server gives it.
  assert.equal(lists(again)[1], "z@1003");
  const third = new ApiServer(clock);
  assert.equal(third.restoreStart(state), true);
  assert.equal(lists(third).join(" "), "x@1001,y@1002 z@1003 ");
  assert.equal(third.get("ClusterRole", undefined, "z")?.metadata.resourceVersion, "1003");
  const remade = [fresh, plain].map((api) => api.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "z" }, rules: [] }).metadata.uid);
  assert.equal(remade[0], remade[1]);
  assert.notEqual(remade[0], a.get("ClusterRole", undefined, "z")?.metadata.uid);
  assert.deepEqual(lists(fresh), lists(plain));
  // restoreStart refuses a server that is not pristine (this one now, one that wrote), or at another instant; captureStart one that already dispatched.
  assert.equal(fresh.restoreStart(state), false);
  const used = new ApiServer(clock);
  used.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "w" } });
  assert.equal(used.restoreStart(state), false);
  assert.equal(new ApiServer(new SimClock("2034-05-06T07:08:10Z")).restoreStart(state), false);
  assert.equal(a.captureStart(), undefined);
});
