import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_RESOURCES, type ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { formatHPAMetrics } from "./kinds.ts";
import { customResourceTable, tableHandlerFor } from "./tablegen.ts";

const NOW = Date.parse("2024-01-08T01:00:00Z");
const r = (kind: string, group = ""): ResourceType => BUILTIN_RESOURCES.find((x) => x.kind === kind && x.group === group && x.preferred)!;
const obj = (kind: string, name: string, rest: Record<string, unknown> = {}): KObject =>
  ({ apiVersion: "v1", kind, metadata: { name, creationTimestamp: "2024-01-08T00:00:00Z" }, ...rest }) as KObject;
const table = (res: ResourceType, o: KObject) => {
  const h = tableHandlerFor(res);
  return [h.columns.filter((c) => c.priority === 0).map((c) => c.name.toUpperCase()), h.row(o, NOW).filter((_, i) => h.columns[i].priority === 0)];
};

test("kinds without a printer get the default table convertor: NAME, CREATED AT", () => {
  assert.deepEqual(table(r("Role", "rbac.authorization.k8s.io"), obj("Role", "pod-reader")), [["NAME", "CREATED AT"], ["pod-reader", "2024-01-08T00:00:00Z"]]);
  assert.deepEqual(table(r("LimitRange"), obj("LimitRange", "lr"))[0], ["NAME", "CREATED AT"]);
  assert.deepEqual(table(r("CustomResourceDefinition", "apiextensions.k8s.io"), obj("CustomResourceDefinition", "crontabs.stable.example.com"))[0], ["NAME", "CREATED AT"]);
});

test("storage printers: PV, PVC and StorageClass columns", () => {
  const pv = obj("PersistentVolume", "task-pv-volume", {
    spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "manual", claimRef: { namespace: "default", name: "task-pv-claim" } },
    status: { phase: "Bound" },
  });
  assert.deepEqual(table(r("PersistentVolume"), pv), [
    ["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
    ["task-pv-volume", "10Gi", "RWO", "Retain", "Bound", "default/task-pv-claim", "manual", "<unset>", "", "60m"],
  ]);
  const pvc = obj("PersistentVolumeClaim", "task-pv-claim", {
    spec: { volumeName: "task-pv-volume", storageClassName: "manual" },
    status: { phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"] },
  });
  assert.deepEqual(table(r("PersistentVolumeClaim"), pvc)[1], ["task-pv-claim", "Bound", "task-pv-volume", "10Gi", "RWO", "manual", "<unset>", "60m"]);
  const sc = obj("StorageClass", "standard", { provisioner: "rancher.io/local-path", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" });
  sc.metadata.annotations = { "storageclass.kubernetes.io/is-default-class": "true" };
  assert.deepEqual(table(r("StorageClass", "storage.k8s.io"), sc)[1], ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", "false", "60m"]);
});

test("ResourceQuota: used/hard per resource, limits.* in LIMIT", () => {
  const q = obj("ResourceQuota", "mem-cpu-demo", {
    status: { hard: { "requests.cpu": "1", "requests.memory": "1Gi", "limits.cpu": "2", "limits.memory": "2Gi" }, used: { "requests.cpu": "700m", "requests.memory": "600Mi", "limits.cpu": "1", "limits.memory": "1Gi" } },
  });
  assert.deepEqual(table(r("ResourceQuota"), q), [
    ["NAME", "AGE", "REQUEST", "LIMIT"],
    ["mem-cpu-demo", "60m", "requests.cpu: 700m/1, requests.memory: 600Mi/1Gi", "limits.cpu: 1/2, limits.memory: 1Gi/2Gi"],
  ]);
});

test("HPA targets (formatHPAMetrics)", () => {
  const cpu = (u?: number) => ({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: u } } });
  assert.equal(formatHPAMetrics([cpu(50)], undefined), "cpu: <unknown>/50%");
  assert.equal(formatHPAMetrics([cpu(50)], [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 250 } } }]), "cpu: 250%/50%");
  assert.equal(formatHPAMetrics([], []), "<none>");
  assert.equal(formatHPAMetrics([cpu(1), cpu(2), cpu(3)], []), "cpu: <unknown>/1%, cpu: <unknown>/2% + 1 more...");
});

test("networking and RBAC printers", () => {
  const ing = obj("Ingress", "example-ingress", { spec: { ingressClassName: "nginx", rules: [{ host: "hello-world.example" }] } });
  assert.deepEqual(table(r("Ingress", "networking.k8s.io"), ing), [["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], ["example-ingress", "nginx", "hello-world.example", "", "80", "60m"]]);
  const np = obj("NetworkPolicy", "access-nginx", { spec: { podSelector: { matchLabels: { app: "nginx" } } } });
  assert.deepEqual(table(r("NetworkPolicy", "networking.k8s.io"), np)[1], ["access-nginx", "app=nginx", "60m"]);
  const rb = obj("RoleBinding", "read-pods", { roleRef: { kind: "Role", name: "pod-reader", apiGroup: "rbac.authorization.k8s.io" } });
  assert.deepEqual(table(r("RoleBinding", "rbac.authorization.k8s.io"), rb), [["NAME", "ROLE", "AGE"], ["read-pods", "Role/pod-reader", "60m"]]);
  const sts = obj("StatefulSet", "web", { spec: { replicas: 3 }, status: { readyReplicas: 2 } });
  assert.deepEqual(table(r("StatefulSet", "apps"), sts), [["NAME", "READY", "AGE"], ["web", "2/3", "60m"]]);
});

test("custom resources print their CRD's additionalPrinterColumns", () => {
  const h = customResourceTable([
    { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ]);
  const ct = { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "my-new-cron-object", creationTimestamp: "2024-01-08T00:59:53Z" }, spec: { cronSpec: "* * * * */5", image: "my-awesome-cron-image" } } as KObject;
  assert.deepEqual(h.columns.map((c) => c.name), ["Name", "Spec", "Replicas", "Age"]);
  assert.deepEqual(h.row(ct, NOW), ["my-new-cron-object", "* * * * */5", "", "7s"]);
  assert.deepEqual(customResourceTable(undefined).columns.map((c) => c.name), ["Name", "Age"]);
});
