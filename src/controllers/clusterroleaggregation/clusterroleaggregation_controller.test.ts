import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { ClusterRole } from "../../api/types.gen.ts";
import type { WatchEvent } from "../../api/types.ts";

const rulesOf = (c: Cluster, name: string) => (c.api.get("ClusterRole", undefined, name) as unknown as ClusterRole).rules ?? [];

test("the cluster's start writes no ClusterRole: admin, edit and view are stored aggregated", async () => {
  const c = new Cluster();
  const writes: string[] = [];
  c.api.watch("ClusterRole", (ev: WatchEvent) => writes.push(`${ev.type} ${ev.object.metadata.name}`));
  c.clock.settle();
  c.advanceSync("1m");
  assert.deepEqual(writes, []);
  await c.close();
});

test("a ClusterRole labelled aggregate-to-view joins view, edit and admin; removing the label takes its rules away (syncClusterRole)", async () => {
  const c = new Cluster();
  const rule = { apiGroups: ["stable.example.com"], resources: ["crontabs"], verbs: ["get", "list", "watch"] };
  c.applySync(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: aggregate-cron-tabs-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: ["stable.example.com"]
  resources: ["crontabs"]
  verbs: ["get", "list", "watch"]
`);
  for (const name of ["view", "edit", "admin"]) assert.ok(rulesOf(c, name).some((r) => JSON.stringify(r) === JSON.stringify(rule)), name);
  assert.deepEqual(rulesOf(c, "view")[0], rule);
  // aggregate-cron-tabs-view sorts before system:aggregate-to-view. An aggregated role's own edits are overwritten.
  c.api.mutate("ClusterRole", undefined, "view", (o) => {
    o.rules = [];
  });
  c.clock.settle();
  assert.deepEqual(rulesOf(c, "view")[0], rule);
  c.kubectlSync("label clusterrole aggregate-cron-tabs-view rbac.authorization.k8s.io/aggregate-to-view-");
  for (const name of ["view", "edit", "admin"]) assert.ok(!rulesOf(c, name).some((r) => JSON.stringify(r) === JSON.stringify(rule)), name);
  // A new aggregated ClusterRole of the user's.
  c.applySync(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      rbac.example.com/aggregate-to-monitoring: "true"
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels:
    rbac.example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: ["services", "endpointslices", "pods"]
  verbs: ["get", "list", "watch"]
`);
  assert.deepEqual(rulesOf(c, "monitoring"), [{ apiGroups: [""], resources: ["services", "endpointslices", "pods"], verbs: ["get", "list", "watch"] }]);
  await c.close();
});
