/**
 * Defaulting of the built-in kinds beyond the workloads of defaults.ts, as the generated
 * SetObjectDefaults_* call them on decode: pkg/apis/core/v1/defaults.go (PersistentVolume, claims,
 * LimitRange items, ReplicationController, PodTemplate), apps/v1 (StatefulSet), autoscaling/v2
 * (HorizontalPodAutoscaler and its behavior), networking/v1 (NetworkPolicy, IngressClass),
 * rbac/v1 (binding role refs and subjects), storage/v1 (StorageClass, CSIDriver),
 * admissionregistration/v1 (webhooks, policies) and flowcontrol/v1 (FlowSchema, priority levels).
 */
import type { KObject } from "../types.ts";
import { canonicalQuantity } from "../quantity.ts";
import { field, objField } from "../validation/field.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const unset = (v: unknown) => v === undefined || v === null;
const specOf = (obj: KObject): Obj => (obj.spec = isObj(obj.spec) ? obj.spec : {});

const RBAC = "rbac.authorization.k8s.io";

/** Canonical quantities of a resource list (`cpu: 0.5` → `500m`), as a decoded ResourceList serialises. */
function canonicalList(list: unknown): void {
  if (!isObj(list)) return;
  for (const k of Object.keys(list)) {
    try {
      list[k] = canonicalQuantity(list[k]);
    } catch {
      // left for validation to report
    }
  }
}

export function defaultPersistentVolumeClaimSpec(s: Obj): void {
  if (unset(s.volumeMode)) s.volumeMode = "Filesystem";
  if (isObj(s.resources)) {
    canonicalList(s.resources.requests);
    canonicalList(s.resources.limits);
  }
}

function defaultPersistentVolume(obj: KObject): void {
  const s = specOf(obj);
  if (!s.persistentVolumeReclaimPolicy) s.persistentVolumeReclaimPolicy = "Retain";
  if (unset(s.volumeMode)) s.volumeMode = "Filesystem";
  canonicalList(s.capacity);
  obj.status = isObj(obj.status) ? obj.status : {};
  if (!obj.status.phase) obj.status.phase = "Pending";
}

function defaultPersistentVolumeClaim(obj: KObject): void {
  defaultPersistentVolumeClaimSpec(specOf(obj));
  obj.status = isObj(obj.status) ? obj.status : {};
  if (!obj.status.phase) obj.status.phase = "Pending";
}

/** SetDefaults_LimitRangeItem: a Container item's default limit from max, default request from the default limit, then min. */
function defaultLimitRange(obj: KObject): void {
  for (const item of arr(obj.spec?.limits)) {
    if (!isObj(item)) continue;
    for (const k of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) canonicalList(item[k]);
    if (item.type !== "Container") continue;
    const def: Obj = isObj(item.default) ? { ...item.default } : {};
    const req: Obj = isObj(item.defaultRequest) ? { ...item.defaultRequest } : {};
    for (const [k, v] of Object.entries(isObj(item.max) ? item.max : {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
    for (const [k, v] of Object.entries(isObj(item.min) ? item.min : {})) if (!(k in req)) req[k] = v;
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(req).length) item.defaultRequest = req;
  }
}

function defaultResourceQuota(obj: KObject): void {
  canonicalList(obj.spec?.hard);
}

/** SetDefaults_ReplicationController: selector and labels from the template, one replica. */
function defaultReplicationController(obj: KObject, template: (t: unknown) => void): void {
  const s = specOf(obj);
  const labels = field(field(s.template, "metadata"), "labels");
  if (isObj(labels)) {
    if (!isObj(s.selector) || Object.keys(s.selector).length === 0) s.selector = { ...labels };
    if (!isObj(obj.metadata.labels) || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels } as Record<string, string>;
  }
  if (unset(s.replicas)) s.replicas = 1;
  template(s.template);
}

/** SetDefaults_StatefulSet (MaxUnavailableStatefulSet is alpha in v1.32: no maxUnavailable default). */
function defaultStatefulSet(obj: KObject, template: (t: unknown) => void): void {
  const s = specOf(obj);
  if (!s.podManagementPolicy) s.podManagementPolicy = "OrderedReady";
  const strategy = objField(s, "updateStrategy");
  if (!strategy.type) {
    strategy.type = "RollingUpdate";
    objField(strategy, "rollingUpdate");
  }
  const ru = strategy.rollingUpdate;
  if (strategy.type === "RollingUpdate" && isObj(ru) && unset(ru.partition)) ru.partition = 0;
  const retention = objField(s, "persistentVolumeClaimRetentionPolicy");
  if (!retention.whenDeleted) retention.whenDeleted = "Retain";
  if (!retention.whenScaled) retention.whenScaled = "Retain";
  if (unset(s.replicas)) s.replicas = 1;
  if (unset(s.revisionHistoryLimit)) s.revisionHistoryLimit = 10;
  template(s.template);
  // Each claim template is a PersistentVolumeClaim: its defaults, typeMeta and a zero creationTimestamp.
  for (const t of arr(s.volumeClaimTemplates)) {
    if (!isObj(t)) continue;
    if (!t.apiVersion) t.apiVersion = "v1";
    if (!t.kind) t.kind = "PersistentVolumeClaim";
    const meta = objField(t, "metadata");
    if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
    defaultPersistentVolumeClaimSpec(objField(t, "spec"));
    const status = objField(t, "status");
    if (!status.phase) status.phase = "Pending";
  }
}

/** copyHPAScalingRules over GenerateHPAScaleUpRules / GenerateHPAScaleDownRules. */
function scalingRules(given: unknown, defaults: Obj): Obj {
  const g: Obj = isObj(given) ? given : {};
  const out: Obj = {};
  const window = unset(g.stabilizationWindowSeconds) ? defaults.stabilizationWindowSeconds : g.stabilizationWindowSeconds;
  if (!unset(window)) out.stabilizationWindowSeconds = window;
  out.selectPolicy = g.selectPolicy ?? defaults.selectPolicy;
  out.policies = Array.isArray(g.policies) ? g.policies : defaults.policies;
  return out;
}

function defaultHPA(obj: KObject): void {
  const s = specOf(obj);
  if (unset(s.minReplicas)) s.minReplicas = 1;
  if (arr(s.metrics).length === 0) s.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];
  for (const m of arr(s.metrics)) {
    const src = field(m, "resource") ?? field(m, "containerResource") ?? field(m, "pods") ?? field(m, "object") ?? field(m, "external");
    if (isObj(src) && isObj(src.target)) for (const f of ["value", "averageValue"]) if (src.target[f] !== undefined) src.target[f] = canonicalQuantityOr(src.target[f]);
  }
  if (isObj(s.behavior)) {
    s.behavior.scaleUp = scalingRules(s.behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }],
    });
    s.behavior.scaleDown = scalingRules(s.behavior.scaleDown, { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] });
  }
}

function canonicalQuantityOr(v: unknown): unknown {
  try {
    return canonicalQuantity(v);
  } catch {
    return v;
  }
}

/** SetDefaults_NetworkPolicy (policyTypes) and SetDefaults_NetworkPolicyPort (TCP). */
function defaultNetworkPolicy(obj: KObject): void {
  const s = specOf(obj);
  for (const rule of [...arr(s.ingress), ...arr(s.egress)]) for (const p of arr(field(rule, "ports"))) if (isObj(p) && !p.protocol) p.protocol = "TCP";
  if (arr(s.policyTypes).length === 0) s.policyTypes = arr(s.egress).length ? ["Ingress", "Egress"] : ["Ingress"];
  if (!isObj(s.podSelector)) s.podSelector = {};
}

function defaultIngressClass(obj: KObject): void {
  const p = obj.spec?.parameters;
  if (isObj(p) && !p.scope) p.scope = "Cluster";
}

function defaultBinding(obj: KObject): void {
  if (isObj(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC;
  for (const s of arr(obj.subjects)) {
    if (!isObj(s) || s.apiGroup) continue;
    // A ServiceAccount's apiGroup defaults to "" (omitted when serialised).
    if (s.kind === "User" || s.kind === "Group") s.apiGroup = RBAC;
  }
}

function defaultStorageClass(obj: KObject): void {
  if (!obj.reclaimPolicy) obj.reclaimPolicy = "Delete";
  if (!obj.volumeBindingMode) obj.volumeBindingMode = "Immediate";
}

function defaultCSIDriver(obj: KObject): void {
  const s = specOf(obj);
  if (unset(s.attachRequired)) s.attachRequired = true;
  if (unset(s.podInfoOnMount)) s.podInfoOnMount = false;
  if (unset(s.storageCapacity)) s.storageCapacity = false;
  if (unset(s.fsGroupPolicy)) s.fsGroupPolicy = "ReadWriteOnceWithFSType";
  if (arr(s.volumeLifecycleModes).length === 0) s.volumeLifecycleModes = ["Persistent"];
  if (unset(s.requiresRepublish)) s.requiresRepublish = false;
  if (unset(s.seLinuxMount)) s.seLinuxMount = false;
}

/** SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook and their rules. */
function defaultWebhooks(obj: KObject): void {
  const mutating = obj.kind === "MutatingWebhookConfiguration";
  for (const w of arr(obj.webhooks)) {
    if (!isObj(w)) continue;
    if (!w.failurePolicy) w.failurePolicy = "Fail";
    if (!w.matchPolicy) w.matchPolicy = "Equivalent";
    if (!isObj(w.namespaceSelector)) w.namespaceSelector = {};
    if (!isObj(w.objectSelector)) w.objectSelector = {};
    if (unset(w.timeoutSeconds)) w.timeoutSeconds = 10;
    if (mutating && !w.reinvocationPolicy) w.reinvocationPolicy = "Never";
    for (const r of arr(w.rules)) if (isObj(r) && !r.scope) r.scope = "*";
    const service = field(w.clientConfig, "service");
    if (isObj(service) && unset(service.port)) service.port = 443;
  }
}

/** kube-aggregator's apis/apiregistration/v1 SetDefaults_ServiceReference: port 443. */
function defaultAPIService(obj: KObject): void {
  const service = field(obj.spec, "service");
  if (isObj(service) && unset(service.port)) service.port = 443;
}

function defaultValidatingAdmissionPolicy(obj: KObject): void {
  const s = specOf(obj);
  if (!s.failurePolicy) s.failurePolicy = "Fail";
  if (isObj(s.matchConstraints)) {
    const m = s.matchConstraints;
    if (!m.matchPolicy) m.matchPolicy = "Equivalent";
    if (!isObj(m.namespaceSelector)) m.namespaceSelector = {};
    if (!isObj(m.objectSelector)) m.objectSelector = {};
    for (const r of arr(m.resourceRules)) if (isObj(r) && !r.scope) r.scope = "*";
  }
}

function defaultFlowSchema(obj: KObject): void {
  const s = specOf(obj);
  if (unset(s.matchingPrecedence)) s.matchingPrecedence = 1000;
}

function defaultPriorityLevel(obj: KObject): void {
  const s = specOf(obj);
  const l = s.limited;
  if (isObj(l)) {
    if (unset(l.nominalConcurrencyShares)) l.nominalConcurrencyShares = 30;
    if (unset(l.lendablePercent)) l.lendablePercent = 0;
    const q = field(l.limitResponse, "queuing");
    if (isObj(q)) {
      if (unset(q.queues)) q.queues = 64;
      if (unset(q.handSize)) q.handSize = 8;
      if (unset(q.queueLengthLimit)) q.queueLengthLimit = 50;
    }
  }
  if (isObj(s.exempt)) {
    if (unset(s.exempt.nominalConcurrencyShares)) s.exempt.nominalConcurrencyShares = 0;
    if (unset(s.exempt.lendablePercent)) s.exempt.lendablePercent = 0;
  }
}

/** The defaults of this file by storage kind; `template` defaults a pod template (defaults.ts). */
export function groupDefaults(template: (t: unknown) => void): Record<string, (obj: KObject) => void> {
  return {
    PersistentVolume: defaultPersistentVolume,
    PersistentVolumeClaim: defaultPersistentVolumeClaim,
    LimitRange: defaultLimitRange,
    ResourceQuota: defaultResourceQuota,
    ReplicationController: (o) => defaultReplicationController(o, template),
    PodTemplate: (o) => template(o.template),
    StatefulSet: (o) => defaultStatefulSet(o, template),
    HorizontalPodAutoscaler: defaultHPA,
    NetworkPolicy: defaultNetworkPolicy,
    IngressClass: defaultIngressClass,
    RoleBinding: defaultBinding,
    ClusterRoleBinding: defaultBinding,
    StorageClass: defaultStorageClass,
    CSIDriver: defaultCSIDriver,
    MutatingWebhookConfiguration: defaultWebhooks,
    ValidatingWebhookConfiguration: defaultWebhooks,
    APIService: defaultAPIService,
    ValidatingAdmissionPolicy: defaultValidatingAdmissionPolicy,
    FlowSchema: defaultFlowSchema,
    PriorityLevelConfiguration: defaultPriorityLevel,
  };
}
