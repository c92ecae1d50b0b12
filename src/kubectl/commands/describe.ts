/**
 * `kubectl describe` (k8s.io/kubectl/pkg/cmd/describe): `TYPE NAME`, `TYPE/NAME`, `TYPE` (all),
 * `-l`, and kubectl's name-prefix matching when no object has exactly that name.
 */
import { hasManifestFlags } from "./apply.ts";
import { describeLimitRange, describeNamespace, describeQuota } from "../printers/describequota.ts";
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import type { Volume } from "../../api/types.gen.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { describeRole, describeRoleBinding } from "../printers/rbac.ts";
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from "../printers/describe.ts";
import { describeConfigMap, describeCronJob, describePodDisruptionBudget, describeHorizontalPodAutoscaler, describeSecret, describeServiceAccount, describeDaemonSet, describeStatefulSet, describeDeployment, describeEndpoints, describeGeneric, describeCustomResource, describeIngress, describeIngressClass, describeJob, describeNetworkPolicy, describeReplicaSet, describeReplicationController, describeNode, describePod, describeService } from "../printers/describe.ts";
import { selectorMatches } from "../../controllers/util/selector.ts";
import { apiErrorText, fetch, selectionsFromArgs, selectionsFromFiles, type Found } from "./builder.ts";

export const describeCommand: CommandDef = {
  path: ["describe"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "selector", short: "l", type: "string" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "show-events", type: "bool", default: true },
    { long: "chunk-size", type: "int", default: 500 },
  ],
  run: runDescribe,
};

/** The events kubectl's describe finds for an object (field selector on involvedObject). */
export function eventsFor(inv: Invocation, r: ResourceType, obj: KObject): KObject[] {
  const isNode = r.kind === "Node";
  return inv.ctx.api.list("Event", {
    namespace: r.namespaced ? obj.metadata.namespace : undefined,
    fieldSelector: (e) => {
      const io = e.involvedObject ?? {};
      if (io.kind !== r.kind || io.name !== obj.metadata.name) return false;
      if (r.namespaced && (io.namespace ?? "") !== (obj.metadata.namespace ?? "")) return false;
      // describe node looks events up with uid = node name, as the kubelet records them
      const uid = isNode ? obj.metadata.name : obj.metadata.uid;
      return !io.uid || io.uid === uid;
    },
  });
}

const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

export function describeObject(inv: Invocation, r: ResourceType, obj: KObject): string {
  const now = inv.ctx.clock.now();
  // The RBAC describers print no events (and read none).
  const events = inv.flags["show-events"] === false || RBAC_KINDS.has(r.kind) ? undefined : eventsFor(inv, r, obj);
  const { api } = inv.ctx;
  switch (r.crd ? "" : r.kind) {
    case "Pod":
      return describePod(obj, events, now);
    case "Node": {
      const pods = api.list("Pod", {
        fieldSelector: (p) => p.spec?.nodeName === obj.metadata.name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
      });
      const lease = api.get("Lease", "kube-node-lease", obj.metadata.name!);
      return describeNode(obj, pods, events, lease, now);
    }
    case "Service":
      return describeService(
        obj,
        api.list("EndpointSlice", { namespace: obj.metadata.namespace, labelSelector: (l) => l["kubernetes.io/service-name"] === obj.metadata.name }),
        events,
        now,
      );
    case "Endpoints":
      return describeEndpoints(obj, events, now);
    case "ConfigMap":
      return describeConfigMap(obj, events, now);
    case "Secret":
      return describeSecret(obj);
    case "ServiceAccount":
      return describeServiceAccount(obj, api.list("Secret", { namespace: obj.metadata.namespace }), events, now);
    case "Deployment":
      return describeDeployment(obj, api.list("ReplicaSet", { namespace: obj.metadata.namespace }), events, now);
    case "ReplicaSet": {
      const sel = obj.spec?.selector?.matchLabels ?? {};
      const pods = api.list("Pod", {
        namespace: obj.metadata.namespace,
        labelSelector: (l) => Object.entries(sel).every(([k, v]) => l[k] === v),
      });
      return describeReplicaSet(obj, pods, events, now);
    }
    case "ReplicationController":
      // getPodStatusForController: the pods its selector (a label map) matches that it controls.
      return describeReplicationController(obj, controllerPods(inv, { ...obj, spec: { ...obj.spec, selector: { matchLabels: obj.spec?.selector ?? {} } } }), events, now);
    case "Job":
      return describeJob(obj, events, now);
    case "DaemonSet":
      return describeDaemonSet(obj, controllerPods(inv, obj), events, now);
    case "StatefulSet":
      return describeStatefulSet(obj, controllerPods(inv, obj), events, now);
    case "PersistentVolumeClaim": {
      // getPodsForPVC: the namespace's pods with a volume backed by the claim.
      const pods = api.list("Pod", {
        namespace: obj.metadata.namespace,
        fieldSelector: (p) => (p.spec?.volumes ?? []).some((v: Volume) => v.persistentVolumeClaim?.claimName === obj.metadata.name),
      });
      return describePersistentVolumeClaim(obj, pods, events, now);
    }
    case "PersistentVolume":
      return describePersistentVolume(obj, events, now);
    case "StorageClass":
      return describeStorageClass(obj, events, now);
    case "ResourceQuota":
      return describeQuota(obj);
    case "LimitRange":
      return describeLimitRange(obj);
    case "Namespace":
      return describeNamespace(obj, api.list("ResourceQuota", { namespace: obj.metadata.name }), api.list("LimitRange", { namespace: obj.metadata.name }));
    case "HorizontalPodAutoscaler":
      return describeHorizontalPodAutoscaler(obj, events, now);
    case "CronJob":
      return describeCronJob(obj, events, now);
    case "PodDisruptionBudget":
      return describePodDisruptionBudget(obj, events, now);
    case "Role":
    case "ClusterRole":
      return describeRole(obj);
    case "RoleBinding":
    case "ClusterRoleBinding":
      return describeRoleBinding(obj);
    case "Ingress": {
      const ns = obj.metadata.namespace!;
      return describeIngress(
        obj,
        {
          slices: (service) => api.list("EndpointSlice", { namespace: ns, labelSelector: (l) => l["kubernetes.io/service-name"] === service }),
          service: (name) => api.get("Service", ns, name) ?? { error: `services "${name}" not found` },
        },
        events,
        now,
      );
    }
    case "IngressClass":
      return describeIngressClass(obj, events, now);
    case "NetworkPolicy":
      return describeNetworkPolicy(obj);
    default:
      return r.crd ? describeCustomResource(obj, events, now) : describeGeneric(obj, events, now);
  }
}

/** The pods a controller owns that its selector matches (getPodStatusForController). */
function controllerPods(inv: Invocation, obj: KObject): KObject[] {
  return inv.ctx.api.list("Pod", {
    namespace: obj.metadata.namespace,
    fieldSelector: (p) => (p.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === obj.metadata.uid) && selectorMatches(obj.spec?.selector, p.metadata.labels),
  });
}

function runDescribe(inv: Invocation): number {
  const f = inv.flags;
  if (inv.args.length === 0 && !hasManifestFlags(inv)) {
    throw new KubectlError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.`);
  }
  let items: Found[] = [];
  const errors: ApiError[] = [];
  if (hasManifestFlags(inv)) {
    for (const s of selectionsFromFiles(inv)) {
      const r = fetch(inv, [{ r: s.r, names: [s.name] }], { namespace: s.namespace ?? inv.namespace });
      items.push(...r.items);
      errors.push(...r.errors);
    }
  } else {
    const selections = selectionsFromArgs(inv, inv.args);
    if (selections.some((s) => s.names) && f.selector) throw new KubectlError("name cannot be provided when a selector is specified");
    for (const s of selections) {
      if (!s.names) {
        items.push(...fetch(inv, [s], { namespace: inv.namespace, allNamespaces: f["all-namespaces"], labelSelector: f.selector || undefined }).items);
        continue;
      }
      const res = fetch(inv, [s], { namespace: inv.namespace });
      items.push(...res.items);
      errors.push(...res.errors);
    }
    // DescribeMatchingResources: `describe TYPE PREFIX` (two arguments) whose lookup failed with a
    // single NotFound (the builder's errors reduce to one; two, as from `describe ev,cm x`, are just
    // printed) describes every object of the type whose name starts with the argument, through a
    // second builder (which warns about an ambiguous short name again). That builder takes a single
    // resource type, so `describe cm,svc x` with one of the two found ends in its error, before any
    // mapping (no second warning). `TYPE/NAME` and more names get no prefix match.
    if (inv.args.length === 2 && !inv.args[0]!.includes("/") && errors.length === 1 && errors[0]!.reason === "NotFound") {
      if (selections.length > 1) throw new KubectlError("you may only specify a single resource type");
      const [again] = selectionsFromArgs(inv, [inv.args[0]!]);
      if (!again) throw new KubectlError("you may only specify a single resource type");
      const prefix = inv.args[1]!;
      const all = fetch(inv, [{ r: again.r }], { namespace: inv.namespace }).items.filter((i) => i.obj.metadata.name!.startsWith(prefix));
      if (all.length > 0) {
        // `fmt.Fprintf(o.Out, "%s\n", s)`: each description (which ends with a newline) and a
        // newline after it, not the main path's blank lines between them.
        for (const it of all) {
          const text = describeObject(inv, it.r, it.obj);
          const s = text.endsWith("\n") ? text : `${text}\n`;
          if (inv.write) inv.write(`${s}\n`);
          else inv.out(s);
        }
        return 0;
      }
    }
  }
  items = items.filter((it, i) => items.findIndex((x) => x.obj === it.obj) === i);
  const texts = items.map((it) => describeObject(inv, it.r, it.obj));
  if (texts.length > 0) inv.out(texts.join("\n\n").replace(/\n$/, ""));
  for (const e of errors) inv.err(apiErrorText(e));
  if (items.length === 0 && errors.length === 0) {
    inv.err(f["all-namespaces"] ? "No resources found" : `No resources found in ${inv.namespace} namespace.`);
  }
  return errors.length > 0 ? 1 : 0;
}
