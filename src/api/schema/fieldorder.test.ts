import { test } from "node:test";
import assert from "node:assert/strict";
import { goOrdered, messageOf } from "./fieldorder.ts";

// What kube-apiserver v1.32 writes (Go's encoding/json of the typed objects: TypeMeta first, the
// fields in declaration order, maps' keys sorted; a typed list's items without kind and apiVersion).
test("goOrdered: built-in kinds in Go's declaration order, kind before apiVersion, maps sorted", () => {
  const pod = { metadata: { labels: { b: "1", a: "2" }, name: "x", namespace: "d", uid: "u" }, apiVersion: "v1", kind: "Pod", status: { phase: "Running" }, spec: { restartPolicy: "Always", containers: [{ image: "nginx", name: "c", ports: [{ protocol: "TCP", containerPort: 80 }] }] } };
  assert.equal(
    JSON.stringify(goOrdered(pod)),
    '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x","namespace":"d","uid":"u","labels":{"a":"2","b":"1"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}],"restartPolicy":"Always"},"status":{"phase":"Running"}}',
  );
  // Inline embedded structs (Volume's VolumeSource, Probe's ProbeHandler) are their parent's fields.
  const probe = goOrdered({ kind: "Pod", apiVersion: "v1", spec: { volumes: [{ emptyDir: {}, name: "v" }], containers: [{ readinessProbe: { periodSeconds: 5, httpGet: { port: 80, path: "/" } }, name: "c" }] } });
  assert.equal(JSON.stringify(probe.spec), '{"volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"c","readinessProbe":{"httpGet":{"path":"/","port":80},"periodSeconds":5}}]}');
  // A node's capacity (map of Quantity) sorted.
  assert.deepEqual(Object.keys(goOrdered({ kind: "Node", apiVersion: "v1", status: { capacity: { pods: "110", cpu: "2", "example.com/dongle": "4" } } }).status.capacity), ["cpu", "example.com/dongle", "pods"]);
  // A list: its items without TypeMeta, each ordered.
  assert.equal(JSON.stringify(goOrdered({ apiVersion: "apps/v1", kind: "DeploymentList", metadata: { resourceVersion: "7" }, items: [Object.freeze({ spec: { replicas: 1 }, metadata: { name: "a" }, apiVersion: "apps/v1", kind: "Deployment" })] })), '{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"a"},"spec":{"replicas":1}}]}');
  // OwnerReference declares its apiVersion and kind (in that order).
  assert.deepEqual(Object.keys(goOrdered({ kind: "Pod", apiVersion: "v1", metadata: { ownerReferences: [{ name: "rs", kind: "ReplicaSet", uid: "u", apiVersion: "apps/v1" }] } }).metadata.ownerReferences[0]), ["apiVersion", "kind", "name", "uid"]);
});

test("goOrdered: custom resources sorted as unstructured JSON; unknown kinds TypeMeta first; frozen inputs give one frozen output", () => {
  assert.equal(JSON.stringify(goOrdered({ kind: "CronTab", apiVersion: "stable.example.com/v1", metadata: { name: "a" }, spec: { z: 1, a: 2 } }, { crd: "crontabs.stable.example.com" })), '{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"a"},"spec":{"a":2,"z":1}}');
  assert.deepEqual(Object.keys(goOrdered({ apiVersion: "storage.k8s.io/v1", metadata: {}, kind: "StorageClass" })), ["kind", "apiVersion", "metadata"]);
  assert.equal(messageOf("apps/v1", "Deployment"), "k8s.io.api.apps.v1.Deployment");
  assert.equal(messageOf("v1", "Status"), "k8s.io.apimachinery.pkg.apis.meta.v1.Status");
  assert.equal(messageOf("storage.k8s.io/v1", "StorageClass"), undefined);
  const stored = Object.freeze({ apiVersion: "v1", kind: "ConfigMap", data: { b: "1", a: "2" }, metadata: Object.freeze({ name: "c" }) });
  const once = goOrdered(stored);
  assert.equal(goOrdered(stored), once);
  assert.ok(Object.isFrozen(once));
  assert.equal(goOrdered("text"), "text");
});
