import { test } from "node:test";
import assert from "node:assert/strict";
import { apiVersionOf, BUILTIN_RESOURCES, RESOURCE_TYPES, ResourceRegistry, resolveResourceArg } from "./resources.ts";

test("every built-in v1.32 resource is served, as kubectl api-resources lists them", () => {
  // kubectl api-resources on a v1.32 cluster: 58 resources (preferred versions).
  assert.equal(RESOURCE_TYPES.length, 58);
  const row = (plural: string, group = "") => RESOURCE_TYPES.find((r) => r.plural === plural && r.group === group)!;
  assert.deepEqual(
    [row("statefulsets", "apps"), row("persistentvolumeclaims"), row("horizontalpodautoscalers", "autoscaling"), row("customresourcedefinitions", "apiextensions.k8s.io")].map(
      (r) => [r.plural, r.shortNames.join(","), apiVersionOf(r), r.namespaced, r.kind],
    ),
    [
      ["statefulsets", "sts", "apps/v1", true, "StatefulSet"],
      ["persistentvolumeclaims", "pvc", "v1", true, "PersistentVolumeClaim"],
      ["horizontalpodautoscalers", "hpa", "autoscaling/v2", true, "HorizontalPodAutoscaler"],
      ["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", false, "CustomResourceDefinition"],
    ],
  );
  assert.deepEqual(row("deployments", "apps").subresources.map((s) => s.name), ["scale", "status"]);
  assert.equal(row("deployments", "apps").storageVersionHash, "8aSe+NMegvE=");
  assert.deepEqual(row("resourcequotas").verbs, ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
  assert.equal(row("tokenreviews", "authentication.k8s.io").storable, false);
  // autoscaling/v1 is served too, stored as v2.
  const v1 = BUILTIN_RESOURCES.find((r) => r.group === "autoscaling" && r.version === "v1")!;
  assert.equal(v1.preferred, false);
  assert.equal(v1.storageVersion, "autoscaling/v2");
  assert.equal(v1.key, "HorizontalPodAutoscaler");
});

test("the all category in discovery order (kubectl get all)", () => {
  const reg = new ResourceRegistry();
  assert.deepEqual(
    reg.category("all").map((r) => r.plural),
    ["pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs"],
  );
});

test("kubectl's resource arguments resolve as the RESTMapper does", () => {
  const r = (a: string) => {
    const x = resolveResourceArg(a);
    return x && `${x.plural}.${apiVersionOf(x)}`;
  };
  assert.equal(r("po"), "pods.v1");
  assert.equal(r("Pod"), "pods.v1");
  assert.equal(r("ev"), "events.v1");
  assert.equal(r("events.events.k8s.io"), "events.events.k8s.io/v1");
  assert.equal(r("hpa"), "horizontalpodautoscalers.autoscaling/v2");
  assert.equal(r("horizontalpodautoscalers.v1.autoscaling"), "horizontalpodautoscalers.autoscaling/v1");
  assert.equal(r("hpa.v1.autoscaling"), "horizontalpodautoscalers.autoscaling/v1");
  assert.equal(r("netpol"), "networkpolicies.networking.k8s.io/v1");
  assert.equal(r("quota"), "resourcequotas.v1");
  assert.equal(r("limits"), "limitranges.v1");
  assert.equal(r("clusterrolebinding"), "clusterrolebindings.rbac.authorization.k8s.io/v1");
  assert.equal(r("deployments.apps"), "deployments.apps/v1");
  assert.equal(r("deployments.batch"), undefined);
  assert.equal(r("nosuchthing"), undefined);
});

test("custom resources join and leave a registry", () => {
  const reg = new ResourceRegistry();
  const gen = reg.generation;
  const base = { group: "stable.example.com", plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"], namespaced: true, generation: true };
  const common = { verbs: ["get", "list"], categories: ["all"], subresources: [], key: "crontabs.stable.example.com", storageVersion: "stable.example.com/v1", storable: true, crd: "crontabs.stable.example.com" };
  reg.addCustom("crontabs.stable.example.com", [{ ...base, ...common, version: "v1", preferred: true }]);
  assert.ok(reg.generation > gen);
  assert.equal(reg.resolve("ct")?.kind, "CronTab");
  assert.equal(reg.resolve("crontabs.stable.example.com")?.kind, "CronTab");
  assert.equal(reg.forGVK("stable.example.com/v1", "CronTab")?.plural, "crontabs");
  assert.equal(reg.byStorageKey("crontabs.stable.example.com")?.kind, "CronTab");
  assert.ok(reg.category("all").some((r) => r.kind === "CronTab"));
  reg.removeCustom("crontabs.stable.example.com");
  assert.equal(reg.resolve("ct"), undefined);
});

test("short names expand as client-go's shortcut expander: case-sensitive, never over a plural or singular, the lower-priority ones listed", () => {
  const reg = new ResourceRegistry();
  const r = (a: string) => {
    const x = reg.resolve(a);
    return x && `${x.plural}.${apiVersionOf(x)}`;
  };
  // `ev` is core events' and events.k8s.io's short name: the core group wins, the other is warned about.
  assert.deepEqual(reg.expandShortcut("ev"), { plural: "events", group: "", others: ["events.events.k8s.io"] });
  assert.deepEqual(reg.expandShortcut("ev", "events.k8s.io"), { plural: "events", group: "events.k8s.io", others: [] });
  assert.deepEqual(reg.expandShortcut("deploy"), { plural: "deployments", group: "apps", others: [] });
  // A group prefix (`hpa.autoscal`: "This allows autoscal to match autoscaling").
  assert.deepEqual(reg.expandShortcut("hpa", "autoscal"), { plural: "horizontalpodautoscalers", group: "autoscaling", others: [] });
  assert.equal(reg.expandShortcut("pods"), undefined);
  assert.equal(reg.expandShortcut("pod"), undefined);
  assert.equal(reg.expandShortcut("PO"), undefined);
  // kubectl v1.32: `get PO` is no resource type, `get Pods` and `get POD` are (the RESTMapper lowercases).
  assert.equal(r("PO"), undefined);
  assert.equal(r("DEPLOY"), undefined);
  assert.equal(r("Pods"), "pods.v1");
  assert.equal(r("POD"), "pods.v1");
  assert.equal(r("Deployment.apps"), "deployments.apps/v1");
  assert.equal(r("ev.events.k8s.io"), "events.events.k8s.io/v1");
  assert.equal(r("hpa.autoscal"), "horizontalpodautoscalers.autoscaling/v2");
});

test("custom resources' short names: discovery's order ranks them (built-in groups, then custom groups by name); a plural is never expanded", () => {
  const reg = new ResourceRegistry();
  const custom = (group: string, plural: string, kind: string, shortNames: string[], versions: string[]) =>
    versions.map((version, i) => ({
      group, plural, singular: plural.replace(/s$/, ""), kind, shortNames, namespaced: true, generation: true, version, preferred: i === 0,
      verbs: ["get", "list"], categories: [], subresources: [], key: `${plural}.${group}`, storageVersion: `${group}/${versions[0]}`, storable: true, crd: `${plural}.${group}`,
    }));
  reg.addCustom("crontabs.stable.example.com", custom("stable.example.com", "crontabs", "CronTab", ["ct", "cm", "ev", "pods"], ["v1"]));
  reg.addCustom("examples.a.example.com", custom("a.example.com", "examples", "Example", ["ct"], ["v2", "v1"]));
  assert.deepEqual(reg.expandShortcut("cm"), { plural: "configmaps", group: "", others: ["crontabs.stable.example.com"] });
  assert.deepEqual(reg.expandShortcut("ev"), { plural: "events", group: "", others: ["events.events.k8s.io", "crontabs.stable.example.com"] });
  // Established second, a.example.com still comes first (groups by name); two versions warn nothing.
  assert.deepEqual(reg.expandShortcut("ct"), { plural: "examples", group: "a.example.com", others: ["crontabs.stable.example.com"] });
  assert.equal(reg.resolve("ct")?.version, "v2");
  assert.equal(reg.resolve("ct.stable.example.com")?.kind, "CronTab");
  assert.equal(reg.expandShortcut("pods"), undefined);
  assert.equal(reg.resolve("pods")?.kind, "Pod");
  assert.deepEqual(
    reg.prioritized().filter((x) => x.crd).map((x) => `${x.plural}.${x.group}/${x.version}`),
    ["examples.a.example.com/v2", "examples.a.example.com/v1", "crontabs.stable.example.com/v1"],
  );
  assert.equal(reg.prioritized()[0]!.group, "");
});
