// The Validation plugin's pod create on the fast engine (issue #19 §3): a controller's pods whose
// spec is the last valid one's with the service-account token volume renamed pass the spec checks
// at once; everything else is validated as on the reference engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import { ApiError } from "../errors.ts";
import type { KObject } from "../types.ts";
import { defaultAdmissionPlugins } from "./index.ts";
import { renamedSpec } from "./validation.ts";

function server(reference: boolean): ApiServer {
  const api = new ApiServer(new SimClock());
  api.reference = reference;
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}

const owner = (uid: string) => [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `rs-${uid}`, uid, controller: true, blockOwnerDeletion: true }];
const container = (extra: object = {}) => ({ name: "app", image: "kubetm/app:v1", ...extra });

/** A pod of a controller, as podFromTemplate builds it (generateName, the controller's reference). */
function pod(uid: string, spec: Record<string, unknown>, name?: string): KObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { ...(name ? { name } : { generateName: `rs-${uid}-` }), namespace: "default", labels: { app: "web" }, ownerReferences: owner(uid) }, spec: structuredClone(spec) };
}

/** Each create's outcome: the stored pod's JSON, or the error's reason and message. */
function outcomes(reference: boolean, steps: Array<(api: ApiServer) => KObject>): string[] {
  const api = server(reference);
  return steps.map((step) => {
    try {
      return JSON.stringify(step(api));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return `${e.reason}: ${e.message}`;
    }
  });
}

test("renamedSpec: the same spec with the token volume renamed, nothing else; the new name nowhere in the kept spec, neither name a key", () => {
  const spec = (token: string, extra: object = {}) => ({
    containers: [{ name: "app", image: "x", volumeMounts: [{ mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: token, readOnly: true }] }],
    volumes: [{ name: token, projected: { sources: [] } }],
    ...extra,
  });
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg"), spec("kube-api-access-24567")), true);
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg"), spec("kube-api-access-bcdfg")), true);
  // Another difference, a name of another shape, the new name already in the kept spec, a name as a key.
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg", { restartPolicy: "Never" }), spec("kube-api-access-24567", { restartPolicy: "Always" })), false);
  assert.equal(renamedSpec(spec("kube-api-access-bcdfgh"), spec("kube-api-access-24567")), false);
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg"), spec("kube-api-access-2456X")), false);
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg", { hostname: "kube-api-access-bcdfg" }), spec("kube-api-access-24567", { hostname: "kube-api-access-bcdfg" })), false);
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg", { nodeSelector: { "kube-api-access-bcdfg": "x" } }), spec("kube-api-access-24567", { nodeSelector: { "kube-api-access-24567": "x" } })), false);
  // A renamed value where the kept spec had the old name, but not renamed elsewhere: not the same.
  assert.equal(renamedSpec(spec("kube-api-access-bcdfg", { hostname: "kube-api-access-24567" }), spec("kube-api-access-24567", { hostname: "kube-api-access-24567" })), false);
  // Key order, types, lengths.
  assert.equal(renamedSpec({ a: 1, b: 2 }, { b: 2, a: 1 }), false);
  assert.equal(renamedSpec({ a: "1" }, { a: 1 }), false);
  assert.equal(renamedSpec({ a: [1, 2] }, { a: [1] }), false);
  assert.equal(renamedSpec({ a: [1, { b: null }] }, { a: [1, { b: null }] }), true);
  // The token volume at another place.
  assert.equal(renamedSpec({ volumes: [{ name: "d" }, { name: "kube-api-access-bcdfg" }] }, { volumes: [{ name: "kube-api-access-24567" }, { name: "d" }] }), false);
});

test("a controller's pods: valid specs kept, then specs that are not the kept one's (invalid ones among them) answer as on the reference engine", () => {
  const resources = { requests: { cpu: "10m", memory: "16Mi" } };
  const base = { terminationGracePeriodSeconds: 5, containers: [container({ resources })] };
  const steps: Array<(api: ApiServer) => KObject> = [
    (api) => api.createOwned(pod("u1", base)),
    (api) => api.createOwned(pod("u1", base)),
    (api) => api.createOwned(pod("u1", base)),
    // The same controller's template changed: an invalid container name, a bad image or quantity
    // (the same keys, one string changed), a node name with scheduling gates (a pod-only check), a
    // port name too long, a duplicate volume.
    (api) => api.createOwned(pod("u1", { ...base, containers: [container({ name: "Bad_Name", resources })] })),
    (api) => api.createOwned(pod("u1", { ...base, containers: [container({ image: " kubetm/app:v1", resources })] })),
    (api) => api.createOwned(pod("u1", { ...base, containers: [container({ resources: { requests: { cpu: "10m", memory: "-16Mi" } } })] })),
    (api) => api.createOwned(pod("u1", { ...base, nodeName: "n1", schedulingGates: [{ name: "g" }] })),
    (api) => api.createOwned(pod("u1", { ...base, containers: [container({ ports: [{ name: "a-port-name-too-long", containerPort: 80 }] })] })),
    (api) => api.createOwned(pod("u1", { ...base, volumes: [{ name: "d", emptyDir: {} }, { name: "d", emptyDir: {} }] })),
    (api) => api.createOwned(pod("u1", base)),
    // Another controller, and a pod without one.
    (api) => api.createOwned(pod("u2", { ...base, containers: [container({ name: "Bad_Name" })] })),
    (api) => api.createOwned({ apiVersion: "v1", kind: "Pod", metadata: { name: "solo", namespace: "default" }, spec: structuredClone({ ...base, containers: [container({ name: "Bad_Name" })] }) }),
    // A pod of a kept spec under a name already taken: validated (at once), then AlreadyExists.
    (api) => api.createOwned(pod("u1", base, "fixed")),
    (api) => api.createOwned(pod("u1", base, "fixed")),
  ];
  const fast = outcomes(false, steps);
  assert.deepEqual(fast, outcomes(true, steps));
  assert.match(fast[3], /^Invalid: .*spec\.containers\[0\]\.name: Invalid value: "Bad_Name"/);
  assert.match(fast[4], /must not have leading or trailing whitespace/);
  assert.match(fast[5], /spec\.containers\[0\]\.resources\.requests\[memory\]: Invalid value: "-16Mi"/);
  assert.match(fast[6], /spec\.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared/);
  assert.match(fast[8], /spec\.volumes\[1\]\.name: Duplicate value: "d"/);
  assert.match(fast[9], /^\{/);
  assert.match(fast[13], /^AlreadyExists/);
});

test("a spec kept from a create refused after validation (never stored, so never frozen) is not used: a later invalid spec is refused", () => {
  const base = { containers: [container()] };
  let held: KObject | undefined;
  const steps: Array<(api: ApiServer) => KObject> = [
    (api) => api.createOwned(pod("u1", base, "taken")),
    // A different spec (a full validation, kept), refused as the name is taken: the caller holds it.
    (api) => api.createOwned((held = pod("u1", { ...base, restartPolicy: "OnFailure" }, "taken"))),
    // The caller changes what it holds into an invalid spec and creates it under another name.
    (api) => {
      held!.metadata = { generateName: "rs-u1-", namespace: "default", ownerReferences: owner("u1") };
      held!.spec.containers[0].name = "Bad_Name";
      return api.createOwned(held!);
    },
  ];
  const fast = outcomes(false, steps);
  assert.deepEqual(fast, outcomes(true, steps));
  assert.match(fast[1], /^AlreadyExists/);
  assert.match(fast[2], /^Invalid: .*Bad_Name/);
});
