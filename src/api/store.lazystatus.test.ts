/**
 * The kubelet's status writes (issue #19 §1, `ApiServer.updatePodStatus`, `podStatusOf`): a server
 * that leaves them unbuilt (defer24) and one that stores the handed-over body frozen in place
 * (status25) against one that takes the plain update, the same random program on each, every read
 * compared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { keyedRandom, type Random } from "../sim/random.ts";
import { ApiServer, podStatusOf, statusUnbuilt } from "./store.ts";
import { defaultAdmissionPlugins } from "./admission/index.ts";
import { deepFreeze, jsonEqual, type KObject } from "./types.ts";

type Mode = ApiServer["podStatusWrite"];

function server(mode: Mode | boolean): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.podStatusWrite = mode === true ? "lazy" : mode === false ? "plain" : mode;
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  api.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
  api.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n2" } });
  return api;
}

const PODS = ["a", "b", "c", "d"];

/** A status as a kubelet's generation makes one: fresh objects, some values from `rnd`. */
function status(rnd: Random, t: number, prev: KObject["status"] | undefined): KObject["status"] {
  const phase = ["Pending", "Running", "Running", "Running", "Succeeded", "Failed"][rnd.int(6)];
  const restarts = rnd.int(4);
  const conditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
    lastProbeTime: null,
    lastTransitionTime: `2026-01-01T00:00:${String(rnd.int(3) * 10 + (t % 10)).padStart(2, "0")}Z`,
    status: rnd.int(3) === 0 ? "False" : "True",
    type,
  }));
  // Sometimes the previous status's own list (shared, as the status manager shares equal parts).
  const containerStatuses =
    prev?.containerStatuses && rnd.int(3) === 0
      ? prev.containerStatuses
      : [{ containerID: `containerd://${rnd.int(1000)}`, image: "busybox", name: "c", ready: rnd.int(2) === 0, restartCount: restarts, started: true, state: rnd.int(2) === 0 ? { running: { startedAt: `t${t}` } } : { waiting: { reason: "CrashLoopBackOff", message: `back-off ${rnd.int(5)}` } } }];
  const s: Record<string, unknown> = { conditions, containerStatuses, hostIP: "10.0.0.1", phase, podIP: `10.1.0.${rnd.int(4)}` };
  if (rnd.int(4) !== 0) s.startTime = "2026-01-01T00:00:00Z";
  if (rnd.int(10) !== 0) s.qosClass = "BestEffort";
  return s;
}

/** One step of the program on `api`; reads go to `out` (compared between the two servers). */
function step(api: ApiServer, rnd: Random, t: number, own: Map<string, KObject>, out: string[]): void {
  const name = PODS[rnd.int(PODS.length)];
  const cur = api.get("Pod", "default", name);
  const op = rnd.int(20);
  try {
    if (!cur) {
      if (op < 10) {
        api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] } });
        if (rnd.int(2) === 0) api.bind("default", name, rnd.int(2) === 0 ? "n1" : "n2");
      }
      return;
    }
    if (op < 9) {
      // The status manager's write: over its own last write while that is still stored (read by
      // resourceVersion, nothing built), else over the get's answer.
      const last = own.get(name);
      const over = last && api.resourceVersionOf("Pod", "default", name) === last.metadata.resourceVersion ? last : cur;
      const s = rnd.int(8) === 0 ? podStatusOf(over) : status(rnd, t, podStatusOf(over));
      // Half the time the caller says what it found comparing (the status manager's no-op test).
      const differs = rnd.int(2) === 0 && !jsonEqual(s, podStatusOf(over));
      own.set(name, api.updatePodStatus(over, s, differs));
    } else if (op === 9) {
      api.update({ ...cur, status: status(rnd, t, undefined) }, { subresource: "status" });
    } else if (op === 10) {
      api.update({ ...cur, metadata: { ...cur.metadata, labels: { v: String(rnd.int(5)) } } });
    } else if (op === 11) {
      api.delete("Pod", "default", name, rnd.int(2) === 0 ? { gracePeriodSeconds: 0 } : {});
    } else if (op === 12) {
      out.push(`get ${name} ${JSON.stringify(api.get("Pod", "default", name))}`);
    } else if (op === 13) {
      out.push(`list ${JSON.stringify(api.list("Pod"))}`);
    } else if (op === 14) {
      out.push(`node ${JSON.stringify(api.podsOnNode("n1"))}`);
    } else if (op === 15) {
      // A reader that freezes what it is given before reading it, one that spreads it, one that clones it.
      const o = api.get("Pod", "default", name)!;
      const k = rnd.int(3);
      const r = k === 0 ? deepFreeze(o) : k === 1 ? { ...o } : structuredClone(o);
      out.push(`read ${k} ${JSON.stringify(r)} ${Object.isFrozen(o)}`);
    } else if (op === 16) {
      out.push(`rv ${name} ${api.resourceVersionOf("Pod", "default", name)} ${api.lastChangeOf("Pod")} ${api.lastPodLifecycleChange()} ${JSON.stringify(podStatusOf(cur))}`);
    } else if (op === 17) {
      api.finalizeDelete("Pod", "default", name);
    } else {
      api.clock.advance(rnd.int(3) * 500);
    }
  } catch (e) {
    out.push(`error ${(e as Error).message}`);
  }
}

test("unbuilt and in-place pod statuses: every read, watch event and resourceVersion as with the plain write", () => {
  let unbuiltSeen = 0;
  let lazy = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const logs: string[][] = [];
    for (const m of ["lazy", "plain", "inplace"] as const) {
      const mode = m === "lazy";
      const api = server(m);
      const rnd = keyedRandom(`lazystatus#${seed}`);
      const out: string[] = [];
      const own = new Map<string, KObject>();
      // A watcher that sees every event (builds what it reads), and one that takes only the
      // resourceVersions of status-only changes and asks for none of them (builds nothing).
      api.watch("Pod", (ev) => out.push(`watch ${ev.type} ${JSON.stringify(ev.object)} ${JSON.stringify(ev.old ?? null)}`), { statusOnlyWanted: (ev) => rnd.int(4) === 0 || ev.object.metadata.name === "d" });
      api.watch("Pod", (ev) => out.push(`rv-watch ${ev.type} ${ev.object.metadata.resourceVersion}`));
      for (let t = 0; t < 250; t++) {
        step(api, rnd, t, own, out);
        if (mode) for (const p of PODS) if (own.get(p) && statusUnbuilt(own.get(p)!)) unbuiltSeen++;
      }
      api.clock.advance(1000);
      out.push(`end ${api.resourceVersion} ${JSON.stringify(api.list("Pod"))}`);
      if (mode) lazy += api.lazyStatusWrites;
      else assert.equal(api.lazyStatusWrites, 0);
      // Every stored pod frozen through and through, whichever way its status was written (an
      // unbuilt one once read: the list above read them all).
      for (const p of api.list("Pod")) assert.ok(deepFrozen(p), `${m}: ${p.metadata.name} not frozen`);
      logs.push(out);
    }
    assert.deepEqual(logs[0], logs[1], `seed ${seed}: lazy`);
    assert.deepEqual(logs[2], logs[1], `seed ${seed}: in place`);
  }
  // The program did leave statuses unbuilt between reads.
  assert.ok(lazy > 500 && unbuiltSeen > 500, `${lazy} lazy writes, ${unbuiltSeen} unbuilt seen`);
});

test("an unbuilt status is built once, at its first read, into the status the plain write stores", () => {
  const api = server(true);
  const plain = server(false);
  for (const a of [api, plain]) {
    a.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] } });
    a.bind("default", "p", "n1");
  }
  const body = { phase: "Running", qosClass: "BestEffort", conditions: [{ type: "Ready", status: "True" }] };
  const cur = api.get("Pod", "default", "p")!;
  const w = api.updatePodStatus(cur, body);
  const v = plain.updatePodStatus(plain.get("Pod", "default", "p")!, structuredClone(body));
  assert.ok(statusUnbuilt(w));
  assert.equal(Object.isFrozen(w), false);
  assert.equal(podStatusOf(w), body, "read without building: the body itself");
  assert.ok(statusUnbuilt(w));
  assert.equal(w.metadata.resourceVersion, v.metadata.resourceVersion);
  assert.equal(Object.keys(w).join(), Object.keys(v).join());
  // A second write over the unbuilt one: the first is never built.
  const body2 = { ...body, phase: "Failed" };
  const w2 = api.updatePodStatus(w, body2);
  plain.updatePodStatus(v, structuredClone(body2));
  assert.ok(statusUnbuilt(w) && statusUnbuilt(w2));
  assert.equal(JSON.stringify(api.get("Pod", "default", "p")), JSON.stringify(plain.get("Pod", "default", "p")));
  assert.ok(!statusUnbuilt(w2) && Object.isFrozen(w2) && Object.isFrozen(w2.status) && Object.isFrozen(body2));
  assert.equal(w2.status, body2, "frozen in place, not copied");
  assert.ok(statusUnbuilt(w), "the superseded version stays unbuilt");
  // The no-op write and the QoS class backfill take the plain way.
  assert.equal(api.updatePodStatus(w2, { ...body2 }), w2);
  const w3 = api.updatePodStatus(w2, { phase: "Running" });
  assert.ok(!statusUnbuilt(w3));
  assert.equal(w3.status.qosClass, "BestEffort");
  // The reference engine and a watch history build every write at once.
  api.reference = true;
  assert.ok(!statusUnbuilt(api.updatePodStatus(w3, { ...body, phase: "Pending" })));
  api.reference = false;
  api.keepWatchHistory();
  assert.ok(!statusUnbuilt(api.updatePodStatus(api.get("Pod", "default", "p")!, { ...body, phase: "Succeeded" })));
});

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true;
  if (!Object.isFrozen(v)) return false;
  for (const k in v as Record<string, unknown>) if (!deepFrozen((v as Record<string, unknown>)[k])) return false;
  return true;
}

test("an in-place status write stores the body itself, frozen at the write, with what the plain write stores", () => {
  const api = server("inplace");
  const plain = server("plain");
  for (const a of [api, plain]) {
    a.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox" }] } });
    a.bind("default", "p", "n1");
  }
  const shared = deepFreeze({ ip: "10.0.0.1" });
  const body = { phase: "Running", qosClass: "BestEffort", conditions: [{ type: "Ready", status: "True" }], hostIPs: [shared] };
  const w = api.updatePodStatus(api.get("Pod", "default", "p")!, body);
  const v = plain.updatePodStatus(plain.get("Pod", "default", "p")!, structuredClone(body));
  assert.equal(w.status, body, "the body itself, not a copy");
  assert.ok(deepFrozen(w) && deepFrozen(body), "frozen at the write");
  assert.equal(w.status.hostIPs[0], shared, "its frozen parts shared");
  assert.ok(!statusUnbuilt(w));
  assert.equal(JSON.stringify(w), JSON.stringify(v));
  assert.equal(Object.keys(w).join(), Object.keys(v).join());
  // A change of the body after its write throws instead of changing the stored pod.
  assert.throws(() => {
    (body as Record<string, unknown>).phase = "Failed";
  }, TypeError);
  // The no-op write (`differs` false: the store compares) and the QoS class backfill (the plain update).
  assert.equal(api.updatePodStatus(w, { ...body }), w);
  const w2 = api.updatePodStatus(w, { phase: "Running" });
  assert.equal(w2.status.qosClass, "BestEffort");
  // Too large: the size check refuses it as the plain write does (its bound kept as the copy's).
  const big = { phase: "Running", qosClass: "BestEffort", message: "x".repeat(2 * 1024 * 1024) };
  assert.throws(() => api.updatePodStatus(w2, big, true), /request is too large/);
  assert.equal(api.get("Pod", "default", "p"), w2);
});
