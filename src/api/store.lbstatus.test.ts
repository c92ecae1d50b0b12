import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { authorizedApi } from "./authorization/filter.ts";
import type { WatchEvent } from "./types.ts";

test("a Service's status write also writes its labels and annotations (serviceStatusStrategy resets only the spec); other kinds' keep theirs", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: web, annotations: {keep: me}}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
  const s = structuredClone(c.api.get("Service", "default", "web")!);
  s.metadata.annotations = { "metallb.io/ip-allocated-from-pool": "example" };
  s.spec.type = "ClusterIP";
  s.status = { loadBalancer: { ingress: [{ ip: "172.18.255.200" }] } };
  c.api.update(s, { subresource: "status" });
  const got = c.api.get("Service", "default", "web")!;
  assert.deepEqual(got.metadata.annotations, { "metallb.io/ip-allocated-from-pool": "example" });
  assert.equal(got.spec.type, "LoadBalancer");
  assert.deepEqual(got.status.loadBalancer.ingress, [{ ip: "172.18.255.200", ipMode: "VIP" }]);
  // An explicit ipMode is kept.
  const p = structuredClone(got);
  p.status = { loadBalancer: { ingress: [{ ip: "172.18.255.200", ipMode: "Proxy" }] } };
  c.api.update(p, { subresource: "status" });
  assert.equal(c.api.get("Service", "default", "web")!.status.loadBalancer.ingress[0].ipMode, "Proxy");
  // Annotations removed in a status write are removed.
  const q = structuredClone(c.api.get("Service", "default", "web")!);
  delete q.metadata.annotations;
  c.api.update(q, { subresource: "status" });
  assert.equal(c.api.get("Service", "default", "web")!.metadata.annotations, undefined);
});

test("a namespaced watch: RBAC checks the watch in the namespace, and only that namespace's events arrive", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: cm, namespace: team}\nrules: [{apiGroups: [\"\"], resources: [configmaps], verbs: [watch]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: cm, namespace: team}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm}\nsubjects: [{kind: User, name: alice}]\n");
  const alice = authorizedApi(c.api, { name: "alice", groups: ["system:authenticated"] });
  assert.throws(() => alice.watch("ConfigMap", () => {}), /configmaps is forbidden: User "alice" cannot watch resource "configmaps" in API group "" at the cluster scope/);
  const seen: string[] = [];
  const stop = alice.watch("ConfigMap", (ev: WatchEvent) => seen.push(`${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`), { namespace: "team" });
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: team}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: default}\n");
  stop();
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\n");
  assert.deepEqual(seen, ["ADDED team/a"]);
});
