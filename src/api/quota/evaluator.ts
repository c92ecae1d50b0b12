/**
 * Quota evaluation: what an object costs against a ResourceQuota, as pkg/quota/v1 computes it
 * (resources.go: Add/Mask/LessThanOrEqual; evaluator/core/pods.go, services.go,
 * persistent_volume_claims.go; generic/evaluator.go for `count/<resource>` object counts) and
 * which quotas apply to a pod (scopes and scope selectors: Terminating, NotTerminating,
 * BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity).
 *
 * Shared by the ResourceQuota admission plugin (src/api/admission/resourcequota.ts) and the
 * quota controller (src/controllers/resourcequota.ts).
 */
import { parseQuantity, Quantity } from "../quantity.ts";
import { computePodQOS } from "../helper/qos.ts";
import { groupResource, type ResourceType } from "../resources.ts";
import type { KObject } from "../types.ts";
import { field, objs } from "../validation/field.ts";

type Obj = Record<string, unknown>;
/** A resource list: resource name → quantity. */
export type ResourceList = Map<string, Quantity>;

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const one = () => Quantity.of(1);

function q(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

/** A ResourceList from a JSON map (entries that do not parse are left out). */
export function toList(m: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!isObj(m)) return out;
  for (const [k, v] of Object.entries(m)) {
    const x = q(v);
    if (x) out.set(k, x);
  }
  return out;
}

/** A ResourceList as JSON, keys sorted (as Go serialises a map). */
export function fromList(l: ResourceList): Record<string, string> {
  return Object.fromEntries([...l.keys()].sort().map((k) => [k, l.get(k)!.toString()]));
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? out.get(k)!.add(v) : v);
  return out;
}

export function subtract(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? Quantity.of(0)).sub(v));
  return out;
}

export function mask(l: ResourceList, names: Iterable<string>): ResourceList {
  const keep = new Set(names);
  return new Map([...l].filter(([k]) => keep.has(k)));
}

/** Resources of `a` above their value in `b` (LessThanOrEqual's failures), sorted. */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const limit = b.get(k);
    if (limit && v.cmp(limit) > 0) out.push(k);
  }
  return out.sort();
}

/** prettyPrint: `requests.memory=700Mi,limits.memory=...` sorted by resource name. */
export function prettyPrint(l: ResourceList): string {
  return [...l.keys()].sort().map((k) => `${k}=${l.get(k)!.toString()}`).join(",");
}

// ---- pods ----------------------------------------------------------------------------------

function addInto(sum: ResourceList, l: ResourceList): void {
  for (const [k, v] of l) sum.set(k, sum.has(k) ? sum.get(k)!.add(v) : v);
}
function maxInto(sum: ResourceList, l: ResourceList): void {
  for (const [k, v] of l) if (!sum.has(k) || v.cmp(sum.get(k)!) > 0) sum.set(k, v);
}

/** resourcehelper.PodRequests / PodLimits (v1.32, no pod-level resources): containers, init containers (sidecars added), overhead. */
export function podResources(pod: KObject, which: "requests" | "limits"): ResourceList {
  const total: ResourceList = new Map();
  for (const c of objs(pod.spec?.containers)) addInto(total, toList(field(c.resources, which)));
  const sidecars: ResourceList = new Map();
  const init: ResourceList = new Map();
  for (const c of objs(pod.spec?.initContainers)) {
    let reqs = toList(field(c.resources, which));
    if (c.restartPolicy === "Always") {
      addInto(total, reqs);
      addInto(sidecars, reqs);
      reqs = new Map(sidecars);
    } else {
      const tmp: ResourceList = new Map(reqs);
      addInto(tmp, sidecars);
      reqs = tmp;
    }
    maxInto(init, reqs);
  }
  maxInto(total, init);
  if (isObj(pod.spec?.overhead)) addInto(total, toList(pod.spec.overhead));
  return total;
}

const HUGEPAGES = "hugepages-";
const isExtended = (name: string) => name.includes("/") && !name.startsWith("kubernetes.io/") && !name.startsWith("requests.");

/** podComputeUsageHelper: the quota names of a set of requests and limits. */
export function podComputeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([["pods", one()]]);
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const v = requests.get(r);
    if (v) {
      out.set(r, v);
      out.set(`requests.${r}`, v);
    }
    const l = limits.get(r);
    if (l) out.set(`limits.${r}`, l);
  }
  for (const [k, v] of requests) {
    if (k.startsWith(HUGEPAGES)) out.set(`requests.${k}`, v);
    else if (isExtended(k)) out.set(`requests.${k}`, v);
  }
  return out;
}

/** QuotaV1Pod: terminal pods (and pods past their deletion grace) are not charged compute resources. */
export function podIsCharged(pod: KObject, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const del = pod.metadata.deletionTimestamp;
  if (del && pod.metadata.deletionGracePeriodSeconds !== undefined) {
    if (nowMs > Date.parse(del) + (pod.metadata.deletionGracePeriodSeconds as number) * 1000) return false;
  }
  return true;
}

/** PodUsageFunc */
export function podUsage(pod: KObject, nowMs: number): ResourceList {
  const result: ResourceList = new Map([["count/pods", one()]]);
  if (!podIsCharged(pod, nowMs)) return result;
  return add(result, podComputeUsage(podResources(pod, "requests"), podResources(pod, "limits")));
}

/** The resources whose quota requires every container to say its request or limit. */
const VALIDATION_SET = new Set(["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]);

/** podEvaluator.Constraints: `must specify limits.cpu for: app; requests.memory for: app,side`, or undefined. */
export function podConstraints(required: string[], pod: KObject): string | undefined {
  const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
  if (requiredSet.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...objs(pod.spec?.containers), ...objs(pod.spec?.initContainers)]) {
    const usage = podComputeUsage(toList(field(c.resources, "requests")), toList(field(c.resources, "limits")));
    for (const r of requiredSet) {
      if (usage.has(r)) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(String(c.name ?? ""));
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

// ---- scopes --------------------------------------------------------------------------------

export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then spec.scopeSelector's. */
export function quotaScopes(quota: KObject): ScopeRequirement[] {
  const out: ScopeRequirement[] = arr(quota.spec?.scopes).map((s) => ({ scopeName: String(s), operator: "Exists" }));
  for (const e of objs(quota.spec?.scopeSelector?.matchExpressions)) {
    out.push({ scopeName: e.scopeName as string, operator: e.operator as string, values: arr(e.values) as string[] });
  }
  return out;
}

function isTerminating(pod: KObject): boolean {
  return typeof pod.spec?.activeDeadlineSeconds === "number" && pod.spec.activeDeadlineSeconds >= 0;
}

function usesCrossNamespacePodAffinity(pod: KObject): boolean {
  const a = pod.spec?.affinity;
  const terms = [
    ...arr(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    ...arr(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => field(w, "podAffinityTerm")),
    ...arr(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    ...arr(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => field(w, "podAffinityTerm")),
  ];
  return terms.some((t) => arr(field(t, "namespaces")).length > 0 || isObj(field(t, "namespaceSelector")));
}

/** podMatchesScopeFunc */
export function podMatchesScope(req: ScopeRequirement, pod: KObject): boolean {
  switch (req.scopeName) {
    case "Terminating":
      return isTerminating(pod);
    case "NotTerminating":
      return !isTerminating(pod);
    case "BestEffort":
      return computePodQOS(pod) === "BestEffort";
    case "NotBestEffort":
      return computePodQOS(pod) !== "BestEffort";
    case "PriorityClass": {
      const pc = pod.spec?.priorityClassName;
      const values = req.values ?? [];
      switch (req.operator) {
        case "Exists":
          return !!pc;
        case "DoesNotExist":
          return !pc;
        case "In":
          return !!pc && values.includes(pc);
        case "NotIn":
          return !pc || !values.includes(pc);
      }
      return false;
    }
    case "CrossNamespacePodAffinity":
      return usesCrossNamespacePodAffinity(pod);
  }
  return false;
}

// ---- evaluators ----------------------------------------------------------------------------

/** An evaluator: the resources it can charge and the usage of one object. */
export interface Evaluator {
  /** The quota resource names this evaluator charges among `names` (MatchingResources). */
  matchingResources(names: string[]): string[];
  usage(obj: KObject, nowMs: number): ResourceList;
  /** Whether a quota with these scopes applies to the object (only pods have scopes). */
  matchesScopes(scopes: ScopeRequirement[], obj: KObject): boolean;
  /** Usage requirements (pods: every container must say its cpu/memory when a quota covers them). */
  constraints?(required: string[], obj: KObject): string | undefined;
}

const POD_RESOURCES = new Set(["pods", "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"]);

function isPodResource(name: string): boolean {
  return POD_RESOURCES.has(name) || name.startsWith(`requests.${HUGEPAGES}`) || (name.startsWith("requests.") && name.includes("/"));
}

/** Resources a scoped quota may track (pods only; the BestEffort scope counts pods alone). */
function scopedResources(scopes: ScopeRequirement[], names: string[]): string[] {
  if (scopes.some((s) => s.scopeName === "BestEffort")) return names.filter((n) => n === "pods" || n === "count/pods");
  return names;
}

const podEvaluator: Evaluator = {
  matchingResources: (names) => names.filter(isPodResource),
  usage: podUsage,
  matchesScopes: (scopes, pod) => scopes.every((s) => podMatchesScope(s, pod)),
  constraints: podConstraints,
};

function countEvaluator(r: ResourceType, legacy: string[] = [], extra?: (obj: KObject) => ResourceList): Evaluator {
  const count = `count/${groupResource(r)}`;
  const names = new Set([count, ...legacy]);
  return {
    matchingResources: (ns) => ns.filter((n) => names.has(n) || (extra !== undefined && n !== count && extraMatch(r, n))),
    usage(obj) {
      let out: ResourceList = new Map([[count, one()]]);
      for (const l of legacy) out.set(l, one());
      if (extra) out = add(out, extra(obj));
      return out;
    },
    matchesScopes: (scopes) => scopes.length === 0,
  };
}

function extraMatch(r: ResourceType, n: string): boolean {
  if (r.kind === "Service") return n === "services.loadbalancers" || n === "services.nodeports";
  if (r.kind === "PersistentVolumeClaim") return n === "requests.storage" || n.endsWith(".storageclass.storage.k8s.io/requests.storage") || n.endsWith(".storageclass.storage.k8s.io/persistentvolumeclaims");
  return false;
}

/** serviceEvaluator: services, load balancers and node ports. */
function serviceUsage(svc: KObject): ResourceList {
  const out: ResourceList = new Map();
  const type = svc.spec?.type ?? "ClusterIP";
  const ports = arr(svc.spec?.ports).length;
  if (type === "LoadBalancer") {
    out.set("services.loadbalancers", one());
    if (svc.spec?.allocateLoadBalancerNodePorts !== false) out.set("services.nodeports", Quantity.of(ports));
  } else if (type === "NodePort") out.set("services.nodeports", Quantity.of(ports));
  return out;
}

/** pvcEvaluator: storage requested (by class too) and claims by class. */
function pvcUsage(pvc: KObject): ResourceList {
  const out: ResourceList = new Map();
  const cls = pvc.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? pvc.spec?.storageClassName ?? "";
  const req = q(pvc.spec?.resources?.requests?.storage);
  const allocated = q(pvc.status?.allocatedResources?.storage);
  const storage = req && allocated && allocated.cmp(req) > 0 ? allocated : req;
  if (storage) {
    out.set("requests.storage", storage);
    if (cls) out.set(`${cls}.storageclass.storage.k8s.io/requests.storage`, storage);
  }
  if (cls) out.set(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, one());
  return out;
}

/** The evaluator of a resource (NewEvaluators plus the generic object-count evaluator). */
export function evaluatorFor(r: ResourceType): Evaluator {
  if (!r.crd && r.group === "") {
    switch (r.kind) {
      case "Pod":
        return podEvaluator;
      case "Service":
        return countEvaluator(r, ["services"], serviceUsage);
      case "PersistentVolumeClaim":
        return countEvaluator(r, ["persistentvolumeclaims"], pvcUsage);
      case "ConfigMap":
        return countEvaluator(r, ["configmaps"]);
      case "Secret":
        return countEvaluator(r, ["secrets"]);
      case "ReplicationController":
        return countEvaluator(r, ["replicationcontrollers"]);
      case "ResourceQuota":
        return countEvaluator(r, ["resourcequotas"]);
    }
  }
  return countEvaluator(r);
}

/** The resources of a quota that an object is charged for (empty when the quota does not apply to it). */
export function chargedResources(quota: KObject, r: ResourceType, obj: KObject): string[] {
  const ev = evaluatorFor(r);
  const hard = Object.keys(quota.status?.hard ?? {});
  const scopes = quotaScopes(quota);
  if (scopes.length && !ev.matchesScopes(scopes, obj)) return [];
  return ev.matchingResources(scopes.length ? scopedResources(scopes, hard) : hard);
}

export { scopedResources };
