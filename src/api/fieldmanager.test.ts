import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "./types.ts";
import { fieldSetOf, leaves, pathString, recordUpdate, serverSideApply } from "./fieldmanager.ts";

const deploy = (replicas: number, env: { name: string; value: string }[] = [{ name: "A", value: "1" }]): KObject =>
  ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d", labels: { app: "d" } },
    spec: { replicas, template: { spec: { containers: [{ name: "c", image: "i", env }] } } },
  }) as unknown as KObject;

test("FieldsV1 of a configuration: keyed lists by merge key, metadata identity left out", () => {
  assert.deepEqual(fieldSetOf(deploy(2), "Deployment"), {
    "f:metadata": { "f:labels": { "f:app": {} } },
    "f:spec": {
      "f:replicas": {},
      "f:template": { "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:name": {}, "f:image": {}, "f:env": { 'k:{"name":"A"}': { ".": {}, "f:name": {}, "f:value": {} } } } } } },
    },
  });
  assert.deepEqual(fieldSetOf({ kind: "Pod", metadata: { finalizers: ["a/b"] } }, "Pod"), { "f:metadata": { "f:finalizers": { 'v:"a/b"': {} } } });
  assert.equal(pathString(["f:spec", "f:containers", 'k:{"name":"c"}', "f:image"]), '.spec.containers[name="c"].image');
});

test("apply creates with an Apply entry; another manager's change conflicts unless forced", () => {
  const created = serverSideApply(undefined, deploy(2), "me", false, "T0");
  assert.equal((created.metadata.managedFields as any[]).length, 1);
  assert.equal((created.metadata.managedFields as any[])[0].operation, "Apply");
  // Someone scales: they take spec.replicas.
  const scaled = structuredClone(created) as KObject;
  scaled.spec.replicas = 5;
  scaled.metadata.managedFields = recordUpdate(created, scaled, "kubectl", "T1");
  const owners = (scaled.metadata.managedFields as any[]).map((e: any) => [e.manager, e.operation, leaves(e.fieldsV1).some((p) => pathString(p) === ".spec.replicas")]);
  assert.deepEqual(owners, [["me", "Apply", false], ["kubectl", "Update", true]]);
  assert.throws(() => serverSideApply(scaled, deploy(3), "me", false, "T2"), /Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1: \.spec\.replicas$/);
  // The same value co-owns without conflict; forcing takes the field.
  assert.equal(serverSideApply(scaled, deploy(5), "me", false, "T2").spec.replicas, 5);
  const forced = serverSideApply(scaled, deploy(3), "me", true, "T2");
  assert.equal(forced.spec.replicas, 3);
  assert.deepEqual((forced.metadata.managedFields as any[]).map((e: any) => e.manager), ["me"]);
});

test("fields a manager stops applying are removed unless someone else owns them", () => {
  const created = serverSideApply(undefined, deploy(2, [{ name: "A", value: "1" }, { name: "B", value: "2" }]), "me", false, "T0");
  const next = serverSideApply(created, deploy(2, [{ name: "B", value: "2" }]), "me", false, "T1");
  assert.deepEqual(next.spec.template.spec.containers[0].env, [{ name: "B", value: "2" }]);
  const noLabels = deploy(2);
  delete (noLabels.metadata as any).labels;
  assert.deepEqual(serverSideApply(created, noLabels, "me", false, "T1").metadata.labels ?? {}, {});
});
