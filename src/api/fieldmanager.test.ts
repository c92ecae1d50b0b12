import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "./types.ts";
import { comparePaths, fieldSetOf, leaves, pathString, recordUpdate, serverSideApply } from "./fieldmanager.ts";
import { ApiError } from "./errors.ts";

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

const dns = (udpName = "dns"): KObject =>
  ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "dns", namespace: "default" },
    spec: {
      selector: { app: "dns" },
      ports: [
        { name: udpName, port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
      ],
    },
  }) as unknown as KObject;

test("associative lists with several keys (x-kubernetes-list-map-keys): a Service's 53/UDP and 53/TCP are two items, re-applied as they are", () => {
  const created = serverSideApply(undefined, dns(), "kubectl", false, "T0");
  assert.deepEqual(Object.keys((created.metadata.managedFields as any[])[0].fieldsV1["f:spec"]["f:ports"]), ['k:{"port":53,"protocol":"UDP"}', 'k:{"port":53,"protocol":"TCP"}']);
  const live = structuredClone(created) as KObject;
  for (const p of live.spec.ports) p.targetPort = 53; // defaulted by the server
  const again = serverSideApply(live, dns(), "kubectl", false, "T1");
  assert.deepEqual(again.spec.ports, [
    { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
    { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
  ]);
  // A change to one of them changes that one only.
  assert.deepEqual(serverSideApply(live, dns("dns-udp"), "kubectl", false, "T1").spec.ports.map((p: any) => `${p.name}/${p.protocol}`), ["dns-udp/UDP", "dns-tcp/TCP"]);
  // A container port without protocol is keyed with the default (TCP), as structured-merge-diff fills it from the schema.
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: 80 }, { containerPort: 80, protocol: "UDP" }] }] } } as unknown as KObject;
  const entry = (serverSideApply(undefined, pod, "me", false, "T0").metadata.managedFields as any[])[0];
  assert.deepEqual(Object.keys(entry.fieldsV1["f:spec"]["f:containers"]['k:{"name":"c"}']["f:ports"]), ['k:{"containerPort":80,"protocol":"TCP"}', 'k:{"containerPort":80,"protocol":"UDP"}']);
  assert.equal(pathString(["f:spec", "f:ports", 'k:{"port":53,"protocol":"UDP"}', "f:name"]), '.spec.ports[port=53,protocol="UDP"].name');
});

test("a second manager applying the same container (which the server defaulted) conflicts only on the fields it changes, not on the item", () => {
  const created = serverSideApply(undefined, deploy(2), "kubectl", false, "T0");
  const live = structuredClone(created) as KObject;
  Object.assign(live.spec.template.spec.containers[0], { imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" });
  // The owner is an applier: its identifier has no apiVersion, and printManager names it alone.
  assert.throws(() => serverSideApply(live, deploy(3), "other", false, "T1"), /: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas$/);
  const forced = serverSideApply(live, deploy(3), "other", true, "T1");
  // The first manager keeps the container and its other fields; only spec.replicas changed hands.
  const first = (forced.metadata.managedFields as any[]).find((e) => e.manager === "kubectl");
  assert.deepEqual(first.fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"c"}']["."], {});
  assert.equal(first.fieldsV1["f:spec"]["f:replicas"], undefined);
});

test("the merged order of an associative list follows structured-merge-diff's visitListItems (live items in order; the configuration's new ones where they stand after the shared ones)", () => {
  const withEnv = (names: string[]) => deploy(2, names.map((name) => ({ name, value: name })));
  const created = serverSideApply(undefined, withEnv(["A", "B", "C"]), "me", false, "T0");
  const other = serverSideApply(created, withEnv(["B", "X", "D"]), "other", false, "T1");
  assert.deepEqual(other.spec.template.spec.containers[0].env.map((e: any) => e.name), ["A", "B", "C", "X", "D"]);
  const reordered = serverSideApply(created, withEnv(["X", "C", "Y", "A"]), "other", false, "T1");
  assert.deepEqual(reordered.spec.template.spec.containers[0].env.map((e: any) => e.name), ["B", "X", "C", "Y", "A"]);
});

test("an update that carries managedFields starts from them (FieldManager.Update): `[{}]` resets them, a rewrite moves fields between managers; one that carries none keeps the live ones", () => {
  const created = serverSideApply(undefined, deploy(2), "me", false, "T0");
  const reset = structuredClone(created) as KObject;
  reset.metadata.managedFields = [{}];
  assert.deepEqual(recordUpdate(created, reset, "kubectl-patch", "T1"), [], "stripped entirely");
  const kept = structuredClone(created) as KObject;
  delete kept.metadata.managedFields;
  kept.spec.replicas = 3;
  assert.deepEqual(recordUpdate(created, kept, "kubectl-scale", "T1").map((e) => e.manager), ["me", "kubectl-scale"]);
  const moved = structuredClone(created) as KObject;
  (moved.metadata.managedFields as any[])[0].manager = "other";
  assert.deepEqual(recordUpdate(created, moved, "kubectl-patch", "T1").map((e) => e.manager), ["other"]);
});

test("kubectl's server-side apply over a client-side applied object is forced where the conflicts are fields of the last-applied configuration (lastAppliedManager)", () => {
  const csa = (replicas: number, manager: string) => {
    const o = deploy(replicas);
    o.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(deploy(2)) };
    o.metadata.managedFields = recordUpdate(undefined, o, manager, "T0");
    return o;
  };
  const live = csa(2, "kubectl-client-side-apply");
  assert.equal(serverSideApply(live, deploy(4), "kubectl", false, "T1").spec.replicas, 4);
  // Another manager, or a field outside the last-applied configuration, still conflicts.
  assert.throws(() => serverSideApply(live, deploy(4), "helm", false, "T1"), /conflict with "kubectl-client-side-apply"/);
  const scaled = structuredClone(live) as KObject;
  delete (scaled.metadata.annotations as any)["kubectl.kubernetes.io/last-applied-configuration"];
  assert.throws(() => serverSideApply(scaled, deploy(4), "kubectl", false, "T1"), /conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
});

test("an update owns the items it creates (`.`), not the existing items whose fields it changes", () => {
  const created = deploy(2, [{ name: "A", value: "1" }]);
  const first = recordUpdate(undefined, created, "kubectl-create", "T0")[0]!;
  const items = (e: any) => e.fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"c"}'];
  assert.deepEqual(items(first)["f:env"]['k:{"name":"A"}'], { ".": {}, "f:name": {}, "f:value": {} });
  assert.deepEqual(items(first)["."], {});
  const changed = deploy(2, [{ name: "A", value: "2" }, { name: "B", value: "1" }]);
  changed.metadata.managedFields = [first];
  const second = recordUpdate(created, { ...changed, metadata: { ...changed.metadata, managedFields: undefined } } as KObject, "kubectl-edit", "T1").find((e) => e.manager === "kubectl-edit")!;
  assert.deepEqual(items(second)["f:env"], { 'k:{"name":"A"}': { "f:value": {} }, 'k:{"name":"B"}': { ".": {}, "f:name": {}, "f:value": {} } });
});

test("a Conflict names each owner as printManager does (subresource, Update's apiVersion), groups several by manager identifier, paths in the field set's order, one FieldManagerConflict cause each", () => {
  const applied = serverSideApply(undefined, deploy(2, [{ name: "A", value: "1" }, { name: "B", value: "2" }]), "kubectl", false, "T0");
  // kubectl scale (the scale subresource), kubectl set env and kubectl label, as the facade records them.
  const scaled = structuredClone(applied) as KObject;
  scaled.spec.replicas = 5;
  scaled.metadata.managedFields = recordUpdate(applied, scaled, "kubectl", "T1", "scale");
  const envSet = structuredClone(scaled) as KObject;
  envSet.spec.template.spec.containers[0].env = [{ name: "A", value: "9" }, { name: "B", value: "8" }];
  envSet.metadata.managedFields = recordUpdate(scaled, envSet, "kubectl-set", "T2");
  const labeled = structuredClone(envSet) as KObject;
  labeled.metadata.labels = { app: "x" };
  labeled.metadata.managedFields = recordUpdate(envSet, labeled, "kubectl-label", "T3");
  const one = (() => {
    try {
      serverSideApply(scaled, deploy(3, [{ name: "A", value: "1" }, { name: "B", value: "2" }]), "kubectl", false, "T4");
    } catch (e) {
      return e as ApiError;
    }
  })();
  assert.equal(one?.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  const err = (() => {
    try {
      serverSideApply(labeled, deploy(3, [{ name: "A", value: "1" }, { name: "B", value: "2" }]), "helm", false, "T4");
    } catch (e) {
      return e as ApiError;
    }
  })();
  assert.ok(err instanceof ApiError);
  // Identifiers sorted as strings: {"manager":"kubectl","operation":"Apply"} < {"manager":"kubectl","operation":"Update",...} < {"manager":"kubectl-label"... < {"manager":"kubectl-set"...
  assert.equal(
    err.message,
    [
      "Apply failed with 4 conflicts: conflicts with \"kubectl\" with subresource \"scale\" using apps/v1:",
      "- .spec.replicas",
      'conflicts with "kubectl-label" using apps/v1:',
      "- .metadata.labels.app",
      'conflicts with "kubectl-set" using apps/v1:',
      '- .spec.template.spec.containers[name="c"].env[name="A"].value',
      '- .spec.template.spec.containers[name="c"].env[name="B"].value',
    ].join("\n"),
  );
  assert.equal(err.code, 409);
  assert.deepEqual(err.details?.causes.map((c) => [c.reason, c.detail, c.field]), [
    ["FieldManagerConflict", 'conflict with "kubectl" with subresource "scale" using apps/v1', ".spec.replicas"],
    ["FieldManagerConflict", 'conflict with "kubectl-label" using apps/v1', ".metadata.labels.app"],
    ["FieldManagerConflict", 'conflict with "kubectl-set" using apps/v1', '.spec.template.spec.containers[name="c"].env[name="A"].value'],
    ["FieldManagerConflict", 'conflict with "kubectl-set" using apps/v1', '.spec.template.spec.containers[name="c"].env[name="B"].value'],
  ]);
  // Forced, each field leaves the entry that held it: the scale's entry is gone, kubectl-set's keeps nothing of the env values.
  const forced = serverSideApply(labeled, deploy(3, [{ name: "A", value: "1" }, { name: "B", value: "2" }]), "helm", true, "T4");
  assert.deepEqual((forced.metadata.managedFields as any[]).map((e) => [e.manager, e.subresource ?? ""]), [["kubectl", ""], ["helm", ""]]);
});

test("comparePaths is fieldpath.Set's iteration order: a level's members before its children, fields before keys before values", () => {
  const paths = [["f:spec", "f:template", "f:x"], ["f:spec", "f:replicas"], ["f:metadata", "f:labels", "f:b"], ["f:spec", "f:a"], ["f:spec", "f:list", 'v:"b"'], ["f:spec", "f:list", 'v:"a"'], ["f:spec", "f:c", 'k:{"port":80,"protocol":"UDP"}', "f:n"], ["f:spec", "f:c", 'k:{"port":53,"protocol":"UDP"}', "f:n"]];
  assert.deepEqual(paths.sort(comparePaths).map(pathString), [".metadata.labels.b", ".spec.a", ".spec.replicas", '.spec.c[port=53,protocol="UDP"].n', '.spec.c[port=80,protocol="UDP"].n', '.spec.list[="a"]', '.spec.list[="b"]', ".spec.template.x"]);
});
