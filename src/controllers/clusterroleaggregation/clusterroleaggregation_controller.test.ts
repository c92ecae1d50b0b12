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

test("the fast engine's memo of the start's syncs: a later cluster's user role with an aggregate-to-* label still joins, nothing of one cluster reaches another, as in the reference engine", async () => {
  const startTime = "2033-03-04T05:06:07Z";
  const names = ["admin", "edit", "view", "monitoring"];
  const story = async (reference: boolean) => {
    const out: string[] = [];
    const dump = (c: Cluster) => out.push(names.map((n) => JSON.stringify(c.api.get("ClusterRole", undefined, n) ?? null)).join("\n"));
    // The first cluster of the instant records its start; the second replays it and its first syncs meet the very same objects.
    for (const label of ["rbac.authorization.k8s.io/aggregate-to-view", "rbac.authorization.k8s.io/aggregate-to-edit"]) {
      const c = new Cluster({ startTime, reference });
      c.clock.settle();
      dump(c);
      c.applySync(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crontabs
  labels: {${label}: "true"}
rules:
- {apiGroups: [stable.example.com], resources: [crontabs], verbs: [get, list, watch]}
`);
      dump(c);
      // Gone again: the ClusterRoles are the start's objects but admin, edit and view (rewritten twice).
      c.kubectlSync("delete clusterrole crontabs");
      dump(c);
      await c.close();
    }
    return out;
  };
  const fast = await story(false);
  assert.deepEqual(fast, await story(true));
  const rule = '{"apiGroups":["stable.example.com"],"resources":["crontabs"],"verbs":["get","list","watch"]}';
  // Per cluster: start, joined, left. The first joins view (so edit and admin), the second edit (and admin) only.
  assert.equal(fast[0], fast[3]);
  assert.deepEqual([fast[1], fast[4]].map((d) => d.split("\n").map((line) => line.includes(rule))), [[true, true, true, false], [true, true, false, false]]);
  assert.ok(!fast[2].includes(rule) && !fast[5].includes(rule));
});
