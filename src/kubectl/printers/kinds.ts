/**
 * The server-side Table handlers of the built-in kinds beyond the core workloads
 * (pkg/printers/internalversion/printers.go AddHandlers, v1.32): storage, networking, autoscaling,
 * RBAC, policy, admission, flow control, certificates, node, and the default table convertor
 * (k8s.io/apiserver/pkg/registry/rest/table.go: NAME, CREATED AT) for kinds without a printer
 * (Role, ClusterRole, LimitRange, CustomResourceDefinition).
 */
import { canonicalQuantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";
import type {
  APIServiceCondition, CertificateSigningRequestCondition, ComponentCondition, FlowSchemaCondition, IngressLoadBalancerIngress, IngressRule,
  MetricSpec, MetricStatus, MetricTarget, PodTemplateSpec, Quantity, RbacV1Subject, TokenRequest,
} from "../../api/types.gen.ts";
import { humanDuration, translateTimestampSince } from "../humanduration.ts";
import type { Column, TableHandler } from "./tablegen.ts";
import { formatLabels, formatLabelSelector } from "./labels.ts";

const c = (name: string, priority: 0 | 1 = 0): Column => ({ name, priority });
const age = (o: KObject, now: number) => translateTimestampSince(o.metadata.creationTimestamp, now);
const name = (o: KObject) => o.metadata.name ?? "";
/** A list field of a stored object as its element type (`[]` when absent). */
const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? v : []);
/** resource.Quantity's String(): the canonical form; "0" for a missing one. */
const qty = (v: unknown): string => {
  if (v === undefined || v === null) return "0";
  try {
    return canonicalQuantity(v);
  } catch {
    return String(v);
  }
};

/** The default table convertor's columns: the name and the creation time (RFC 3339). */
export const defaultTable: TableHandler = {
  columns: [c("Name"), c("Created At")],
  row: (o) => [name(o), o.metadata.creationTimestamp ?? "<unknown>"],
};

const templateContainers = (tpl: PodTemplateSpec | undefined) => {
  const cs = tpl?.spec?.containers ?? [];
  return [cs.map((x) => x.name).join(","), cs.map((x) => x.image).join(",")];
};

// ---- core ----------------------------------------------------------------------------------

const podTemplates: TableHandler = {
  columns: [c("Name"), c("Containers"), c("Images"), c("Pod Labels")],
  row(o) {
    const [names, images] = templateContainers(o.template);
    return [name(o), names, images, formatLabels(o.template?.metadata?.labels)];
  },
};

const replicationControllers: TableHandler = {
  columns: [c("Name"), c("Desired"), c("Current"), c("Ready"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const [names, images] = templateContainers(o.spec?.template);
    return [name(o), String(o.spec?.replicas ?? 0), String(o.status?.replicas ?? 0), String(o.status?.readyReplicas ?? 0), age(o, now), names, images, formatLabels(o.spec?.selector)];
  },
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesString(modes: unknown): string {
  const m = arr(modes);
  const out: string[] = [];
  if (m.includes("ReadWriteOnce")) out.push("RWO");
  if (m.includes("ReadOnlyMany")) out.push("ROX");
  if (m.includes("ReadWriteMany")) out.push("RWX");
  if (m.includes("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

const BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
/** GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins, then spec.storageClassName. */
export function storageClassOf(o: KObject): string {
  const ann = o.metadata.annotations?.[BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return o.spec?.storageClassName ?? "";
}

const persistentVolumes: TableHandler = {
  columns: [
    c("Name"), c("Capacity"), c("Access Modes"), c("Reclaim Policy"), c("Status"), c("Claim"), c("StorageClass"),
    c("VolumeAttributesClass"), c("Reason"), c("Age"), c("VolumeMode", 1),
  ],
  row(o, now) {
    const ref = o.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "";
    const phase = o.metadata.deletionTimestamp ? "Terminating" : o.status?.phase ?? "";
    return [
      name(o),
      qty(o.spec?.capacity?.storage),
      accessModesString(o.spec?.accessModes),
      o.spec?.persistentVolumeReclaimPolicy ?? "",
      phase,
      claim,
      storageClassOf(o),
      o.spec?.volumeAttributesClassName ?? "<unset>",
      o.status?.reason ?? "",
      age(o, now),
      o.spec?.volumeMode ?? "<unset>",
    ];
  },
};

const persistentVolumeClaims: TableHandler = {
  columns: [c("Name"), c("Status"), c("Volume"), c("Capacity"), c("Access Modes"), c("StorageClass"), c("VolumeAttributesClass"), c("Age"), c("VolumeMode", 1)],
  row(o, now) {
    const phase = o.metadata.deletionTimestamp ? "Terminating" : o.status?.phase ?? "";
    const bound = !!o.spec?.volumeName;
    return [
      name(o),
      phase,
      o.spec?.volumeName ?? "",
      bound ? qty(o.status?.capacity?.storage) : "",
      bound ? accessModesString(o.status?.accessModes) : "",
      storageClassOf(o),
      o.status?.currentVolumeAttributesClassName ?? "<unset>",
      age(o, now),
      o.spec?.volumeMode ?? "<unset>",
    ];
  },
};

/** printResourceQuota: `resource: used/hard` for each hard limit, `limits.*` in LIMIT, the rest in REQUEST. */
const resourceQuotas: TableHandler = {
  columns: [c("Name"), c("Age"), c("Request"), c("Limit")],
  row(o, now) {
    const hard: Record<string, Quantity> = o.status?.hard ?? {};
    const used: Record<string, Quantity> = o.status?.used ?? {};
    const request: string[] = [];
    const limit: string[] = [];
    for (const r of Object.keys(hard).sort()) {
      const pieces = r.split(".");
      const cell = `${r}: ${qty(used[r])}/${qty(hard[r])}`;
      (pieces.length > 1 && pieces[0] === "limits" ? limit : request).push(cell);
    }
    return [name(o), age(o, now), request.join(", "), limit.join(", ")];
  },
};

const componentStatuses: TableHandler = {
  columns: [c("Name"), c("Status"), c("Message"), c("Error")],
  row(o) {
    const healthy = arr<ComponentCondition>(o.conditions).find((x) => x.type === "Healthy");
    const status = !healthy ? "Unknown" : healthy.status === "True" ? "Healthy" : "Unhealthy";
    return [name(o), status, healthy?.message ?? "", healthy?.error ?? ""];
  },
};

// ---- apps ----------------------------------------------------------------------------------

const statefulSets: TableHandler = {
  columns: [c("Name"), c("Ready"), c("Age"), c("Containers", 1), c("Images", 1)],
  row(o, now) {
    const [names, images] = templateContainers(o.spec?.template);
    return [name(o), `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(o, now), names, images];
  },
};

/** formatResourceName with kind: `statefulset.apps/web`. */
function controllerName(o: KObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return "<none>";
  const av: string = ref.apiVersion ?? "";
  const group = av.includes("/") ? av.slice(0, av.indexOf("/")) : "";
  return `${String(ref.kind).toLowerCase()}${group ? "." + group : ""}/${ref.name}`;
}

const controllerRevisions: TableHandler = {
  columns: [c("Name"), c("Controller"), c("Revision"), c("Age")],
  row: (o, now) => [name(o), controllerName(o), String(o.revision ?? 0), age(o, now)],
};

// ---- autoscaling ---------------------------------------------------------------------------

/** formatHPAMetrics: `cpu: 12%/50%`, `<unknown>` before the first measurement, at most two then `+ N more...`. */
export function formatHPAMetrics(specs: unknown, statuses: unknown): string {
  const sp = arr<MetricSpec | null>(specs);
  const st = arr<MetricStatus | null>(statuses);
  if (sp.length === 0) return "<none>";
  const list: string[] = [];
  sp.forEach((spec, i) => {
    const s = st[i];
    switch (spec?.type) {
      case "External":
      case "Object": {
        const key = spec.type === "External" ? "external" : "object";
        const target: Partial<MetricTarget> = spec[key]?.target ?? {};
        const cur = s?.[key]?.current;
        if (target.averageValue !== undefined) list.push(`${cur?.averageValue !== undefined ? qty(cur.averageValue) : "<unknown>"}/${qty(target.averageValue)} (avg)`);
        else list.push(`${cur ? qty(cur.value) : "<unknown>"}/${qty(target.value)}`);
        break;
      }
      case "Pods":
        list.push(`${s?.pods ? qty(s.pods.current?.averageValue) : "<unknown>"}/${qty(spec.pods?.target?.averageValue)}`);
        break;
      case "Resource":
      case "ContainerResource": {
        const key = spec.type === "Resource" ? "resource" : "containerResource";
        const target: Partial<MetricTarget> = spec[key]?.target ?? {};
        const cur = s?.[key]?.current;
        if (target.averageValue !== undefined) {
          list.push(`${spec[key]!.name}: ${s?.[key] ? qty(cur?.averageValue) : "<unknown>"}/${qty(target.averageValue)}`);
        } else {
          const current = typeof cur?.averageUtilization === "number" ? `${cur.averageUtilization}%` : "<unknown>";
          const t = typeof target.averageUtilization === "number" ? `${target.averageUtilization}%` : "<auto>";
          list.push(`${spec[key]!.name}: ${current}/${t}`);
        }
        break;
      }
      default:
        list.push("<unknown type>");
    }
  });
  if (list.length > 2) return `${list.slice(0, 2).join(", ")} + ${list.length - 2} more...`;
  return list.join(", ");
}

const horizontalPodAutoscalers: TableHandler = {
  columns: [c("Name"), c("Reference"), c("Targets"), c("MinPods"), c("MaxPods"), c("Replicas"), c("Age")],
  row(o, now) {
    const ref = o.spec?.scaleTargetRef ?? {};
    return [
      name(o),
      `${ref.kind ?? ""}/${ref.name ?? ""}`,
      formatHPAMetrics(o.spec?.metrics, o.status?.currentMetrics),
      typeof o.spec?.minReplicas === "number" ? String(o.spec.minReplicas) : "<unset>",
      String(o.spec?.maxReplicas ?? 0),
      String(o.status?.currentReplicas ?? 0),
      age(o, now),
    ];
  },
};

// ---- networking ----------------------------------------------------------------------------

/** loadBalancerStatusStringer: IPs and hostnames joined by commas, cut to 16 characters unless wide. */
export function loadBalancerStatus(ingress: unknown, wide: boolean): string {
  const r = arr<IngressLoadBalancerIngress | null>(ingress)
    .flatMap((i) => [i?.ip, i?.hostname].filter((x) => typeof x === "string" && x !== ""))
    .join(",");
  return !wide && r.length > 16 ? r.slice(0, 13) + "..." : r;
}

function formatHosts(rules: unknown): string {
  const rs = arr<IngressRule | null>(rules);
  const list: string[] = [];
  let more = false;
  for (const rule of rs) {
    if (list.length === 3) more = true;
    if (!more && rule?.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  return more ? `${list.join(",")} + ${rs.length - 3} more...` : list.join(",");
}

const ingresses: TableHandler = {
  columns: [c("Name"), c("Class"), c("Hosts"), c("Address"), c("Ports"), c("Age")],
  row: (o, now) => [
    name(o),
    o.spec?.ingressClassName ?? "<none>",
    formatHosts(o.spec?.rules),
    loadBalancerStatus(o.status?.loadBalancer?.ingress, false),
    arr(o.spec?.tls).length ? "80, 443" : "80",
    age(o, now),
  ],
};

const ingressClasses: TableHandler = {
  columns: [c("Name"), c("Controller"), c("Parameters"), c("Age")],
  row(o, now) {
    const p = o.spec?.parameters;
    const params = p ? `${p.kind ?? ""}${p.apiGroup ? "." + p.apiGroup : ""}/${p.name ?? ""}` : "<none>";
    return [name(o), o.spec?.controller ?? "", params, age(o, now)];
  },
};

const networkPolicies: TableHandler = {
  columns: [c("Name"), c("Pod-Selector"), c("Age")],
  row: (o, now) => [name(o), formatLabelSelector(o.spec?.podSelector ?? {}), age(o, now)],
};

// ---- rbac ----------------------------------------------------------------------------------

/** SubjectsStrings: users, groups and service accounts (`namespace/name`), each joined by commas. */
function subjects(o: KObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr<RbacV1Subject>(o.subjects)) {
    if (s.kind === "ServiceAccount") sas.push(`${s.namespace ?? ""}/${s.name}`);
    else if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
  }
  return [users.join(", "), groups.join(", "), sas.join(", ")];
}

const roleBindings: TableHandler = {
  columns: [c("Name"), c("Role"), c("Age"), c("Users", 1), c("Groups", 1), c("ServiceAccounts", 1)],
  row: (o, now) => [name(o), `${o.roleRef?.kind ?? ""}/${o.roleRef?.name ?? ""}`, age(o, now), ...subjects(o)],
};

// ---- storage -------------------------------------------------------------------------------

export const IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
const BETA_IS_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";

const storageClasses: TableHandler = {
  columns: [c("Name"), c("Provisioner"), c("ReclaimPolicy"), c("VolumeBindingMode"), c("AllowVolumeExpansion"), c("Age")],
  row(o, now) {
    const a = o.metadata.annotations ?? {};
    const isDefault = a[IS_DEFAULT_CLASS] === "true" || (a[IS_DEFAULT_CLASS] === undefined && a[BETA_IS_DEFAULT_CLASS] === "true");
    return [
      isDefault ? `${name(o)} (default)` : name(o),
      o.provisioner ?? "",
      o.reclaimPolicy ?? "Delete",
      o.volumeBindingMode ?? "Immediate",
      String(o.allowVolumeExpansion === true),
      age(o, now),
    ];
  },
};

const volumeAttachments: TableHandler = {
  columns: [c("Name"), c("Attacher"), c("PV"), c("Node"), c("Attached"), c("Age")],
  row: (o, now) => [name(o), o.spec?.attacher ?? "", o.spec?.source?.persistentVolumeName ?? "", o.spec?.nodeName ?? "", String(o.status?.attached === true), age(o, now)],
};

const csiDrivers: TableHandler = {
  columns: [c("Name"), c("AttachRequired"), c("PodInfoOnMount"), c("StorageCapacity"), c("TokenRequests"), c("RequiresRepublish"), c("Modes"), c("Age")],
  row(o, now) {
    const s = o.spec ?? {};
    const tokens = arr<TokenRequest>(s.tokenRequests).map((t) => `${t.audience}${typeof t.expirationSeconds === "number" ? `:${t.expirationSeconds}s` : ""}`);
    return [
      name(o),
      String(s.attachRequired !== false),
      String(s.podInfoOnMount === true),
      String(s.storageCapacity === true),
      tokens.length ? tokens.join(",") : "<unset>",
      String(s.requiresRepublish === true),
      arr(s.volumeLifecycleModes).join(",") || "<none>",
      age(o, now),
    ];
  },
};

const csiNodes: TableHandler = {
  columns: [c("Name"), c("Drivers"), c("Age")],
  row: (o, now) => [name(o), String(arr(o.spec?.drivers).length), age(o, now)],
};

const csiStorageCapacities: TableHandler = {
  columns: [c("Name"), c("StorageClassName"), c("Capacity")],
  row: (o) => [name(o), o.storageClassName ?? "", o.capacity !== undefined ? qty(o.capacity) : "<unset>"],
};

// ---- node, certificates, admission, flow control, apiregistration ------------------------

const runtimeClasses: TableHandler = {
  columns: [c("Name"), c("Handler"), c("Age")],
  row: (o, now) => [name(o), o.handler ?? "", age(o, now)],
};

const certificateSigningRequests: TableHandler = {
  columns: [c("Name"), c("Age"), c("SignerName"), c("Requestor"), c("RequestedDuration"), c("Condition")],
  row(o, now) {
    // extractCSRStatus (pkg/printers/internalversion/printers.go): Denied over Approved over
    // Pending, then ",Failed" and ",Issued"; a condition's status is not looked at.
    const types = new Set(arr<CertificateSigningRequestCondition>(o.status?.conditions).map((x) => x.type));
    let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
    if (types.has("Failed")) status += ",Failed";
    if (o.status?.certificate) status += ",Issued";
    const d = o.spec?.expirationSeconds;
    return [name(o), age(o, now), o.spec?.signerName || "<none>", o.spec?.username ?? "", typeof d === "number" ? humanDuration(d * 1000) : "<none>", status];
  },
};

const webhookConfigurations: TableHandler = {
  columns: [c("Name"), c("Webhooks"), c("Age")],
  row: (o, now) => [name(o), String(arr(o.webhooks).length), age(o, now)],
};

const validatingAdmissionPolicies: TableHandler = {
  columns: [c("Name"), c("Validations"), c("ParamKind"), c("Age")],
  row(o, now) {
    const pk = o.spec?.paramKind;
    return [name(o), String(arr(o.spec?.validations).length), pk ? `${pk.apiVersion ?? ""}/${pk.kind ?? ""}` : "<unset>", age(o, now)];
  },
};

const validatingAdmissionPolicyBindings: TableHandler = {
  columns: [c("Name"), c("PolicyName"), c("ParamRef"), c("Age")],
  row(o, now) {
    const p = o.spec?.paramRef;
    const ref = !p ? "<unset>" : p.name ? (p.namespace ? `${p.namespace}/${p.name}` : `*/${p.name}`) : p.namespace ? `${p.namespace}/*` : "*/*";
    return [name(o), o.spec?.policyName ?? "", ref, age(o, now)];
  },
};

const flowSchemas: TableHandler = {
  columns: [c("Name"), c("PriorityLevel"), c("MatchingPrecedence"), c("DistinguisherMethod"), c("Age"), c("MissingPL")],
  row(o, now) {
    const dangling = arr<FlowSchemaCondition>(o.status?.conditions).find((x) => x.type === "Dangling");
    return [name(o), o.spec?.priorityLevelConfiguration?.name ?? "", String(o.spec?.matchingPrecedence ?? 0), o.spec?.distinguisherMethod?.type ?? "<none>", age(o, now), dangling ? String(dangling.status) : "?"];
  },
};

const priorityLevelConfigurations: TableHandler = {
  columns: [c("Name"), c("Type"), c("NominalConcurrencyShares"), c("Queues"), c("HandSize"), c("QueueLengthLimit"), c("Age")],
  row(o, now) {
    const l = o.spec?.limited;
    const q = l?.limitResponse?.queuing;
    const none = "<none>";
    return [
      name(o),
      o.spec?.type ?? "",
      l ? String(l.nominalConcurrencyShares ?? 0) : none,
      q ? String(q.queues ?? 0) : none,
      q ? String(q.handSize ?? 0) : none,
      q ? String(q.queueLengthLimit ?? 0) : none,
      age(o, now),
    ];
  },
};

const apiServices: TableHandler = {
  columns: [c("Name"), c("Service"), c("Available"), c("Age")],
  row(o, now) {
    const svc = o.spec?.service ? `${o.spec.service.namespace}/${o.spec.service.name}` : "Local";
    const cond = arr<APIServiceCondition>(o.status?.conditions).find((x) => x.type === "Available");
    const available = !cond ? "Unknown" : cond.status === "True" ? "True" : `${cond.status} (${cond.reason ?? ""})`;
    return [name(o), svc, available, age(o, now)];
  },
};

/** The handlers of this file by storage kind. */
export const MORE_HANDLERS: Record<string, TableHandler> = {
  PodTemplate: podTemplates,
  ReplicationController: replicationControllers,
  PersistentVolume: persistentVolumes,
  PersistentVolumeClaim: persistentVolumeClaims,
  ResourceQuota: resourceQuotas,
  ComponentStatus: componentStatuses,
  StatefulSet: statefulSets,
  ControllerRevision: controllerRevisions,
  HorizontalPodAutoscaler: horizontalPodAutoscalers,
  Ingress: ingresses,
  IngressClass: ingressClasses,
  NetworkPolicy: networkPolicies,
  RoleBinding: roleBindings,
  ClusterRoleBinding: roleBindings,
  StorageClass: storageClasses,
  VolumeAttachment: volumeAttachments,
  CSIDriver: csiDrivers,
  CSINode: csiNodes,
  CSIStorageCapacity: csiStorageCapacities,
  RuntimeClass: runtimeClasses,
  CertificateSigningRequest: certificateSigningRequests,
  MutatingWebhookConfiguration: webhookConfigurations,
  ValidatingWebhookConfiguration: webhookConfigurations,
  ValidatingAdmissionPolicy: validatingAdmissionPolicies,
  ValidatingAdmissionPolicyBinding: validatingAdmissionPolicyBindings,
  FlowSchema: flowSchemas,
  PriorityLevelConfiguration: priorityLevelConfigurations,
  APIService: apiServices,
};
