// plugin/pkg/admission/serviceaccount/admission_test.go's cases, through a real ApiServer with the default admission chain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import type { KObject } from "../types.ts";
import { defaultAdmissionPlugins } from "./index.ts";
import { ENFORCE_MOUNTABLE_SECRETS_ANNOTATION, SERVICE_ACCOUNT_MOUNT_PATH } from "./serviceaccount.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "myns" } });
  return api;
}

const pod = (spec: object, extra: Partial<KObject["metadata"]> = { name: "p" }): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "myns", ...extra }, spec });
const sa = (name: string, more: object = {}, annotations?: Record<string, string>): KObject => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "myns", annotations }, ...more });
const c = (extra: object = {}) => ({ name: "c", image: "x", ...extra });

test("TestIgnoresMirrorPod", () => {
  const api = server();
  const p = api.create(pod({ containers: [c()] }, { name: "m", annotations: { "kubernetes.io/config.mirror": "x" } }));
  assert.equal(p.spec.serviceAccountName, undefined);
  assert.equal(p.spec.volumes, undefined);
});

test("TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens", () => {
  const api = server();
  api.create(sa("default"));
  const p = api.create(pod({ containers: [c()] }));
  assert.equal(p.spec.serviceAccountName, "default");
  assert.equal(p.spec.volumes.length, 1);
  assert.match(p.spec.volumes[0].name, /^kube-api-access-[a-z0-9]{5}$/);
  assert.deepEqual(p.spec.volumes[0].projected.sources.map((s: object) => Object.keys(s)[0]), ["serviceAccountToken", "configMap", "downwardAPI"]);
  assert.deepEqual(p.spec.containers[0].volumeMounts, [{ mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name: p.spec.volumes[0].name, readOnly: true }]);
});

test("TestDeniesInvalidServiceAccount: a missing account is refused with the API's message (generateName before a name is generated)", () => {
  const api = server();
  assert.throws(() => api.create(pod({ serviceAccountName: "robot", containers: [c()] })), {
    message: 'pods "p" is forbidden: error looking up service account myns/robot: serviceaccount "robot" not found',
  });
  assert.throws(() => api.create(pod({ serviceAccountName: "robot", containers: [c()] }, { generateName: "web-7d4b9c-" })), {
    message: 'pods "web-7d4b9c-" is forbidden: error looking up service account myns/robot: serviceaccount "robot" not found',
  });
});

test("TestAutomountsAPIToken / TestRespectsExistingMount: a container mounting the path keeps its mount; the others get the token", () => {
  const api = server();
  api.create(sa("default"));
  const own = { name: "my-mount", mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: false };
  const p = api.create(pod({ containers: [c({ volumeMounts: [own] }), c({ name: "d" })], initContainers: [c({ name: "i" })], volumes: [{ name: "my-mount", emptyDir: {} }] }));
  const vol = p.spec.volumes.at(-1).name;
  assert.match(vol, /^kube-api-access-/);
  assert.deepEqual(p.spec.containers[0].volumeMounts, [own]);
  assert.deepEqual(p.spec.containers[1].volumeMounts, [{ mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name: vol, readOnly: true }]);
  assert.deepEqual(p.spec.initContainers[0].volumeMounts, [{ mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name: vol, readOnly: true }]);
  // Every container mounts something there: no token volume.
  const q = api.create(pod({ containers: [c({ volumeMounts: [own] })], volumes: [{ name: "my-mount", emptyDir: {} }] }, { name: "q" }));
  assert.deepEqual(q.spec.volumes.map((v: { name: string }) => v.name), ["my-mount"]);
});

test("an existing kube-api-access-* volume is the one mounted (no second one)", () => {
  const api = server();
  const volume = { name: "kube-api-access-mine", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } };
  const p = api.create(pod({ containers: [c()], volumes: [volume] }));
  assert.deepEqual(p.spec.volumes.map((v: { name: string }) => v.name), ["kube-api-access-mine"]);
  assert.equal(p.spec.containers[0].volumeMounts[0].name, "kube-api-access-mine");
});

test("TestAutomountIsBackwardsCompatible and automountServiceAccountToken: the pod's choice wins over the account's", () => {
  const api = server();
  api.create(sa("off", { automountServiceAccountToken: false }));
  api.create(sa("on", { automountServiceAccountToken: true }));
  const table: Array<[string, boolean | undefined, boolean]> = [
    ["default", undefined, true],
    ["off", undefined, false],
    ["off", true, true],
    ["on", false, false],
    ["on", undefined, true],
  ];
  for (const [i, [account, podChoice, mounted]] of table.entries()) {
    const p = api.create(pod({ serviceAccountName: account, automountServiceAccountToken: podChoice, containers: [c()] }, { name: `p${i}` }));
    assert.equal((p.spec.volumes ?? []).length === 1, mounted, `${account} ${podChoice}`);
    assert.equal((p.spec.containers[0].volumeMounts ?? []).length === 1, mounted, `${account} ${podChoice}`);
  }
});

test("TestAddImagePullSecrets / TestDoNotAddImagePullSecrets", () => {
  const api = server();
  api.create(sa("puller", { imagePullSecrets: [{ name: "foo" }, { name: "bar" }] }));
  const p = api.create(pod({ serviceAccountName: "puller", containers: [c()] }));
  assert.deepEqual(p.spec.imagePullSecrets, [{ name: "foo" }, { name: "bar" }]);
  const q = api.create(pod({ serviceAccountName: "puller", imagePullSecrets: [{ name: "mine" }], containers: [c()] }, { name: "q" }));
  assert.deepEqual(q.spec.imagePullSecrets, [{ name: "mine" }]);
  const r = api.create(pod({ containers: [c()] }, { name: "r" }));
  assert.equal(r.spec.imagePullSecrets, undefined);
});

test("TestRejectsUnreferencedSecretVolumes / TestAllowsReferencedSecret / TestAllowUnreferencedSecretVolumesForPermissiveSAs", () => {
  const api = server();
  const enforce = { [ENFORCE_MOUNTABLE_SECRETS_ANNOTATION]: "true" };
  api.create(sa("strict", { secrets: [{ name: "foo" }], imagePullSecrets: [{ name: "pull" }] }, enforce));
  api.create(sa("permissive", { secrets: [{ name: "foo" }] }));
  const cases: Array<[string, object, string | undefined]> = [
    ["strict", { volumes: [{ name: "v", secret: { secretName: "foo" } }], containers: [c()] }, undefined],
    ["strict", { volumes: [{ name: "v", secret: { secretName: "bar" } }], containers: [c()] }, 'volume with secret.secretName="bar" is not allowed because service account strict does not reference that secret'],
    ["strict", { containers: [c({ env: [{ name: "E", valueFrom: { secretKeyRef: { name: "bar", key: "k" } } }] })] }, 'container c with envVar E referencing secret.secretName="bar" is not allowed because service account strict does not reference that secret'],
    ["strict", { initContainers: [c({ name: "i", envFrom: [{ secretRef: { name: "bar" } }] })], containers: [c()] }, 'init container i with envFrom referencing secret.secretName="bar" is not allowed because service account strict does not reference that secret'],
    ["strict", { imagePullSecrets: [{ name: "pull" }, { name: "other" }], containers: [c()] }, 'imagePullSecrets[1].name="other" is not allowed because service account strict does not reference that imagePullSecret'],
    ["permissive", { volumes: [{ name: "v", secret: { secretName: "bar" } }], containers: [c()] }, undefined],
  ];
  for (const [i, [account, spec, message]] of cases.entries()) {
    const create = () => api.create(pod({ serviceAccountName: account, ...spec }, { name: `p${i}` }));
    if (message) assert.throws(create, { message: `pods "p${i}" is forbidden: ${message}` }, String(i));
    else create();
  }
});

test("the volume name does not depend on the seed: the same pod in two servers gets the same suffix", () => {
  const a = server().create(pod({ containers: [c()] }));
  const b = server().create(pod({ containers: [c()] }));
  assert.equal(a.spec.volumes[0].name, b.spec.volumes[0].name);
});
