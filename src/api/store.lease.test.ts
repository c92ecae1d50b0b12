/**
 * The kubelet's node Lease renewal (issue #19 §1, lease25: `ApiServer.renewLease`): a fast server
 * against a reference one (every renewal through `mutate`), the same random program on both —
 * renewals among other clients' writes to the Leases (labels, a holder, finalizers, a deletion, the
 * renewTime removed, a renewal at the stored instant, a malformed time) and other writes — with every
 * stored object, the resourceVersion, every watch event and every error compared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { keyedRandom, type Random } from "../sim/random.ts";
import { ApiServer } from "./store.ts";
import { defaultAdmissionPlugins } from "./admission/index.ts";
import { strictDecoder } from "./schema/decoder.ts";
import type { KObject } from "./types.ts";

const NODES = ["n1", "n2", "n3"];

function server(reference: boolean): { api: ApiServer; seen: string[] } {
  const api = new ApiServer(new SimClock());
  api.reference = reference;
  api.setDecoder(strictDecoder);
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-node-lease" } });
  for (const name of NODES) api.create({ apiVersion: "v1", kind: "Node", metadata: { name } });
  const seen: string[] = [];
  api.watch("Lease", (ev) => seen.push(`${ev.type} ${JSON.stringify(ev.object)} ${ev.old === undefined ? "-" : ev.old.metadata.resourceVersion}`));
  return { api, seen };
}

function micro(t: number): string {
  return new Date(Date.parse("2026-01-01T00:00:00Z") + t).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The kubelet's renewal (kubelet.ts `renewLease`) on `api`: `renewLease` on the fast one, `mutate` on the reference one. */
function renew(api: ApiServer, name: string, renewTime: string): void {
  const existing = api.get("Lease", "kube-node-lease", name);
  if (existing) {
    if (api.reference) api.mutate("Lease", "kube-node-lease", name, (l) => (l.spec.renewTime = renewTime));
    else api.renewLease(existing, renewTime);
    return;
  }
  const node = api.get("Node", undefined, name)!;
  api.create({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: "kube-node-lease", ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid! }] },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
  });
}

function step(api: ApiServer, rnd: Random, t: number, out: string[]): void {
  const name = NODES[rnd.int(NODES.length)];
  const op = rnd.int(24);
  const lease = api.get("Lease", "kube-node-lease", name);
  try {
    if (op < 12) renew(api, name, micro(t));
    else if (op === 12) renew(api, name, lease?.spec?.renewTime ?? micro(t)); // the stored instant: a no-op write
    else if (op === 13 && lease) api.renewLease(lease, "yesterday"); // malformed: mutate's decode refuses it
    else if (op === 14) api.mutate("Lease", "kube-node-lease", name, (l) => ((l.metadata.labels ??= {})[`k${rnd.int(3)}`] = `v${t}`));
    else if (op === 15) api.mutate("Lease", "kube-node-lease", name, (l) => (l.spec.holderIdentity = `h${rnd.int(2)}`));
    else if (op === 16) api.mutate("Lease", "kube-node-lease", name, (l) => delete l.spec.renewTime);
    else if (op === 17) api.mutate("Lease", "kube-node-lease", name, (l) => (l.metadata.finalizers = rnd.int(2) === 0 ? ["example.com/keep"] : []));
    else if (op === 18) api.delete("Lease", "kube-node-lease", name);
    else if (op === 19) api.mutate("Node", undefined, name, (n) => ((n.metadata.labels ??= {}).t = String(t)));
    else if (op === 20) api.mutate("Lease", "kube-node-lease", name, (l) => (l.spec.acquireTime = micro(t - 5)));
    else if (op === 21 && lease) {
      // A stale object handed in: the stored one is written (as `mutate` reads it).
      api.mutate("Lease", "kube-node-lease", name, (l) => ((l.metadata.annotations ??= {}).a = String(t)));
      if (api.reference) api.mutate("Lease", "kube-node-lease", name, (l) => (l.spec.renewTime = micro(t)));
      else api.renewLease(lease, micro(t));
    } else {
      out.push(JSON.stringify(api.list("Lease", { namespace: "kube-node-lease" })));
      out.push(String(api.resourceVersion));
    }
  } catch (e) {
    out.push(`error ${(e as Error).message}`);
  }
}

test("renewLease: a fast and a reference server agree on every Lease, resourceVersion, watch event and error", () => {
  for (let seed = 0; seed < 40; seed++) {
    const fast = server(false);
    const ref = server(true);
    const outF: string[] = [];
    const outR: string[] = [];
    const rf = keyedRandom(`lease-${seed}`);
    const rr = keyedRandom(`lease-${seed}`);
    for (let t = 1; t <= 200; t++) {
      fast.api.clock.advance(1000);
      ref.api.clock.advance(1000);
      step(fast.api, rf, t * 1000, outF);
      step(ref.api, rr, t * 1000, outR);
    }
    fast.api.clock.advance(1);
    ref.api.clock.advance(1);
    outF.push(JSON.stringify(fast.api.list("Lease")), String(fast.api.resourceVersion));
    outR.push(JSON.stringify(ref.api.list("Lease")), String(ref.api.resourceVersion));
    assert.deepEqual(outF, outR, `seed ${seed}: reads`);
    assert.deepEqual(fast.seen, ref.seen, `seed ${seed}: watch events`);
  }
});

test("renewLease: the fast path is taken for a plain renewal and stores frozen parts, shared where unchanged", () => {
  const { api } = server(false);
  renew(api, "n1", micro(0));
  const before = api.get("Lease", "kube-node-lease", "n1")!;
  let mutated = 0;
  const mutate = api.mutate.bind(api);
  api.mutate = ((...args: Parameters<ApiServer["mutate"]>) => (mutated++, mutate(...args))) as ApiServer["mutate"];
  const after = api.renewLease(before, micro(10_000));
  assert.equal(mutated, 0, "a plain renewal is written without mutate");
  assert.equal(after.spec.renewTime, micro(10_000));
  assert.equal(after.metadata.resourceVersion, String(Number(before.metadata.resourceVersion) + 1));
  assert.ok(Object.isFrozen(after) && Object.isFrozen(after.metadata) && Object.isFrozen(after.spec));
  assert.equal(after.metadata.ownerReferences, before.metadata.ownerReferences);
  assert.deepEqual(Object.keys(after.spec), Object.keys(before.spec));
  // Not the stored object any more, a finalizer, the reference engine: mutate.
  api.renewLease(before, micro(20_000));
  assert.equal(mutated, 1);
  api.mutate("Lease", "kube-node-lease", "n1", (l) => (l.metadata.finalizers = ["example.com/keep"]));
  mutated = 0;
  api.renewLease(api.get("Lease", "kube-node-lease", "n1")!, micro(30_000));
  assert.equal(mutated, 1);
});

test("renewLease: a Lease whose admission is not inert (a ValidatingAdmissionPolicy exists) goes through mutate, and is refused as there", () => {
  const fast = server(false);
  const ref = server(true);
  for (const s of [fast, ref]) {
    renew(s.api, "n2", micro(0));
    s.api.create({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: "held" },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: [{ apiGroups: ["coordination.k8s.io"], apiVersions: ["*"], operations: ["UPDATE"], resources: ["leases"] }] },
        validations: [{ expression: "oldObject.spec.holderIdentity != 'h9'", message: "held by h9" }],
      },
    } as KObject);
    s.api.create({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicyBinding", metadata: { name: "held" }, spec: { policyName: "held", validationActions: ["Deny"] } } as KObject);
  }
  let mutated = 0;
  const mutate = fast.api.mutate.bind(fast.api);
  fast.api.mutate = ((...args: Parameters<ApiServer["mutate"]>) => (mutated++, mutate(...args))) as ApiServer["mutate"];
  const outcomes: string[][] = [[], []];
  [fast, ref].forEach((s, i) => {
    s.api.clock.advance(10_000);
    renew(s.api, "n2", micro(10_000));
    s.api.mutate("Lease", "kube-node-lease", "n2", (l) => (l.spec.holderIdentity = "h9"));
    s.api.clock.advance(10_000);
    try {
      renew(s.api, "n2", micro(20_000));
      outcomes[i].push("renewed");
    } catch (e) {
      outcomes[i].push(`refused: ${(e as Error).message}`);
    }
  });
  assert.equal(mutated, 3);
  assert.match(outcomes[0][0], /held by h9/);
  assert.deepEqual(outcomes[0], outcomes[1]);
  assert.equal(JSON.stringify(fast.api.list("Lease")), JSON.stringify(ref.api.list("Lease")));
  assert.deepEqual(fast.seen, ref.seen);
});
