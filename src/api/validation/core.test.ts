// ConfigMap and Secret validation through the admission chain (ValidateConfigMap(Update), ValidateSecret(Update)).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import type { KObject } from "../types.ts";
import { defaultAdmissionPlugins } from "../admission/index.ts";

function server(): ApiServer {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail("accepted");
};

const cm = (extra: object): KObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" }, ...extra }) as KObject;
const secret = (extra: object): KObject => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" }, ...extra }) as KObject;
const IMMUTABLE = "Forbidden: field is immutable when `immutable` is set";

test("an immutable ConfigMap refuses changes to its data and to immutable itself; metadata may change", () => {
  const api = server();
  api.create(cm({ data: { a: "1" }, binaryData: { b: "aGk=" }, immutable: true }));
  assert.equal(message(() => api.mutate("ConfigMap", "default", "c", (o) => (o.data = { a: "2" }))), `ConfigMap "c" is invalid: data: ${IMMUTABLE}`);
  assert.equal(
    message(() => api.mutate("ConfigMap", "default", "c", (o) => ((o.immutable = false), (o.binaryData = {})))),
    `ConfigMap "c" is invalid: [immutable: ${IMMUTABLE}, binaryData: ${IMMUTABLE}]`,
  );
  api.mutate("ConfigMap", "default", "c", (o) => (o.metadata.labels = { x: "y" }));
  // A mutable one becomes immutable with a change of its data in the same update.
  api.create(cm({ metadata: { name: "m", namespace: "default" }, data: { a: "1" } }));
  api.mutate("ConfigMap", "default", "m", (o) => ((o.data = { a: "2" }), (o.immutable = true)));
  assert.equal(api.get("ConfigMap", "default", "m")!.data.a, "2");
});

test("an immutable Secret refuses data changes; a Secret's type never changes", () => {
  const api = server();
  api.create(secret({ type: "Opaque", data: { pw: "eA==" }, immutable: true }));
  assert.equal(message(() => api.mutate("Secret", "default", "s", (o) => (o.data = { pw: "eQ==" }))), `Secret "s" is invalid: data: ${IMMUTABLE}`);
  assert.equal(message(() => api.mutate("Secret", "default", "s", (o) => (o.type = "kubernetes.io/tls"))), `Secret "s" is invalid: [type: Invalid value: "kubernetes.io/tls": field is immutable, data[tls.crt]: Required value, data[tls.key]: Required value]`);
});

test("ConfigMap keys: syntax, a key in both data and binaryData, and the 1 MiB limit", () => {
  const api = server();
  assert.equal(
    message(() => api.create(cm({ data: { x: "1" }, binaryData: { x: "aGk=" } }))),
    'ConfigMap "c" is invalid: [data[x]: Invalid value: "x": duplicate of key present in binaryData, binaryData[x]: Invalid value: "x": duplicate of key present in data]',
  );
  assert.match(message(() => api.create(cm({ data: { "a b": "1" } }))), /data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
  assert.match(message(() => api.create(cm({ data: { big: "x".repeat(1024 * 1024 + 1) } }))), /Too long: may not be more than 1048576 bytes/);
});

test("Secret types require their keys", () => {
  const api = server();
  assert.equal(message(() => api.create(secret({ type: "kubernetes.io/tls", data: {} }))), 'Secret "s" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]');
  assert.equal(message(() => api.create(secret({ type: "kubernetes.io/basic-auth" }))), 'Secret "s" is invalid: [data[username]: Required value, data[password]: Required value]');
  assert.equal(message(() => api.create(secret({ type: "kubernetes.io/ssh-auth" }))), 'Secret "s" is invalid: data[ssh-privatekey]: Required value');
  assert.equal(
    message(() => api.create(secret({ type: "kubernetes.io/service-account-token" }))),
    'Secret "s" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value',
  );
  assert.equal(
    message(() => api.create(secret({ type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from("{").toString("base64") } }))),
    'Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input',
  );
  // The page's myregistrykey example: text that is no JSON at all (encoding/json's text).
  assert.equal(
    message(() => api.create(secret({ type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from("Really really reeeeally long auth keys\n").toString("base64") } }))),
    'Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'R\' looking for beginning of value',
  );
  api.create(secret({ type: "kubernetes.io/basic-auth", data: { username: "" } }));
});

const podWith = (container: object, volumes: object[] = []): KObject =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "busybox", ...container }], volumes } }) as KObject;

test("downward API field paths: what env and volumes may name, with the API server's texts", () => {
  const api = server();
  const env = (fieldPath: string) => podWith({ env: [{ name: "X", valueFrom: { fieldRef: { fieldPath } } }] });
  assert.equal(
    message(() => api.create(env("metadata.labels"))),
    'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
  );
  assert.equal(
    message(() => api.create(env("status.foo"))),
    'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "status.foo": error converting fieldPath: field label not supported: status.foo',
  );
  api.create(env("metadata.labels['app']"));
  const vol = (item: object) => podWith({}, [{ name: "v", downwardAPI: { items: [{ path: "f", ...item }] } }]);
  assert.equal(
    message(() => api.create(vol({ fieldRef: { fieldPath: "spec.nodeName" } }))),
    'Pod "p" is invalid: spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
  );
  assert.equal(
    message(() => api.create(vol({ resourceFieldRef: { resource: "limits.cpu" } }))),
    'Pod "p" is invalid: spec.volumes[0].downwardAPI.items[0].resourceFieldRef.containerName: Required value',
  );
});

test("resourceFieldRef: resources and divisors", () => {
  const api = server();
  const env = (ref: object) => podWith({ env: [{ name: "X", valueFrom: { resourceFieldRef: ref } }] });
  assert.equal(
    message(() => api.create(env({ resource: "limits.gpu" }))),
    'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
  );
  assert.equal(
    message(() => api.create(env({ resource: "limits.cpu", divisor: "2" }))),
    'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource',
  );
  assert.equal(
    message(() => api.create(env({ resource: "requests.memory", divisor: "3Mi" }))),
    'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource',
  );
  api.create(env({ resource: "limits.memory", divisor: "1Mi" }));
});

test("sysctls: names valid and once, none of a namespace the pod shares with the host (validateSysctls, ValidateHostSysctl)", () => {
  const api = server();
  const withSysctls = (names: string[], spec: object = {}) => {
    const p = podWith({});
    (p as { spec: Record<string, unknown> }).spec = { ...p.spec, ...spec, securityContext: { sysctls: names.map((name) => ({ name, value: "1" })) } };
    return p;
  };
  assert.equal(
    message(() => api.create(withSysctls(["net.core.somaxconn"], { hostNetwork: true }))),
    `Pod "p" is invalid: spec.securityContext.sysctls[0].name: Invalid value: "net.core.somaxconn": may not be specified when 'hostNetwork' is true`,
  );
  assert.equal(
    message(() => api.create(withSysctls(["kernel.shm_rmid_forced"], { hostIPC: true }))),
    `Pod "p" is invalid: spec.securityContext.sysctls[0].name: Invalid value: "kernel.shm_rmid_forced": may not be specified when 'hostIPC' is true`,
  );
  assert.equal(
    message(() => api.create(withSysctls(["kernel.msgmax", "kernel.msgmax"]))),
    'Pod "p" is invalid: spec.securityContext.sysctls[1].name: Duplicate value: "kernel.msgmax"',
  );
  assert.equal(message(() => api.create(withSysctls([""]))), 'Pod "p" is invalid: spec.securityContext.sysctls[0].name: Required value');
  assert.match(message(() => api.create(withSysctls(["Kernel.Foo"]))), /sysctls\[0\]\.name: Invalid value: "Kernel\.Foo": must have at most 253 characters and match regex /);
  // A node-level sysctl (vm.*) passes validation: the kubelet refuses it (not allowlisted); hostNetwork with an IPC sysctl is fine.
  api.create(withSysctls(["vm.swappiness", "kernel.shm_rmid_forced"], { hostNetwork: true }));
});
