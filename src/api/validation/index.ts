/**
 * Validation of API objects on create and update, by kind, as the registries' strategies call
 * pkg/apis/<group>/validation. Returns field errors; the admission plugin turns them into the
 * API server's Invalid error (`The Pod "x" is invalid: ...`).
 */
import type { KObject } from "../types.ts";
import { validateDaemonSet, validateDeployment, validateReplicaSet, validateSelectorImmutable } from "./apps.ts";
import { validateCronJob, validateJob, validateJobUpdate } from "./batch.ts";
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from "./core.ts";
import { F, type Errs } from "./field.ts";
import { NameIsDNSLabel, NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { validateNode } from "./node.ts";
import { validatePodCreate, validatePodUpdate } from "./pod.ts";
import { validateStorageClassUpdate } from "./storage.ts";
import { validateService } from "./service.ts";
import { SYSTEM_PRIORITY_CLASSES } from "../admission/priority.ts";
import { validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from "./rbac.ts";
import { resourceForKind } from "../resources.ts";
import { validateLimitRange, validateResourceQuota } from "./quota.ts";
import { validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressUpdate, validateNetworkPolicy } from "./networking.ts";

export { IsConfigMapKey } from "./core.ts";

const CREATE: Record<string, (obj: KObject) => Errs> = {
  Pod: validatePodCreate,
  Service: validateService,
  Node: validateNode,
  Namespace: (ns) => validateObjectMeta(ns.metadata, false, NameIsDNSLabel),
  ReplicaSet: validateReplicaSet,
  Deployment: validateDeployment,
  DaemonSet: validateDaemonSet,
  Job: validateJob,
  CronJob: validateCronJob,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  ServiceAccount: (sa) => validateObjectMeta(sa.metadata, true, NameIsDNSSubdomain),
  PriorityClass: (pc) => {
    const errs = validateObjectMeta(pc.metadata, false, NameIsDNSSubdomain);
    // IsKnownSystemPriorityClass: a `system-` name must be one of the system classes, with its value.
    const name = pc.metadata.name ?? "";
    if (name.startsWith("system-")) {
      const known = SYSTEM_PRIORITY_CLASSES[name];
      const err =
        known === undefined
          ? `${name} is not a known system priority class`
          : pc.value !== known
            ? `value of ${name} PriorityClass must be ${known}`
            : pc.globalDefault
              ? `globalDefault of ${name} PriorityClass must be false`
              : undefined;
      if (err) errs.push(F.forbidden("metadata.name", `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
    } else if (typeof pc.value === "number" && pc.value > 1000000000) {
      errs.push(F.forbidden("value", "maximum allowed value of a user defined priority is 1000000000"));
    }
    return errs;
  },
  PodDisruptionBudget: (pdb) => validateObjectMeta(pdb.metadata, true, NameIsDNSSubdomain),
  Role: validateRole,
  ClusterRole: validateClusterRole,
  RoleBinding: validateRoleBinding,
  ClusterRoleBinding: validateClusterRoleBinding,
  ResourceQuota: validateResourceQuota,
  LimitRange: validateLimitRange,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
  NetworkPolicy: validateNetworkPolicy,
};

/** Kinds whose objects are not validated here (events are written by components, checked by their recorder). */
const UNCHECKED = new Set(["Event", "Endpoints", "EndpointSlice", "Lease", "CustomResourceDefinition"]);

/**
 * Registers the create validation of a built-in kind (its registry strategy's Validate), for
 * the kinds other modules bring (`registerValidation("StatefulSet", validateStatefulSet)`).
 * Kinds without one get ValidateObjectMeta with DNS-subdomain names (the common case upstream).
 */
export function registerValidation(kind: string, fn: (obj: KObject) => Errs): void {
  CREATE[kind] = fn;
}

/** Whether `validateCreate` answers no error for every object of `kind` (its registry validates nothing on create). */
export function createUnchecked(kind: string): boolean {
  return !Object.hasOwn(CREATE, kind) && UNCHECKED.has(kind);
}

export function validateCreate(obj: KObject): Errs {
  const fn = CREATE[obj.kind];
  if (fn) return fn(obj);
  if (UNCHECKED.has(obj.kind)) return [];
  const r = resourceForKind(obj.kind);
  if (!r) return [];
  return validateObjectMeta(obj.metadata, r.namespaced, NameIsDNSSubdomain);
}

export function validateUpdate(obj: KObject, old: KObject): Errs {
  if (obj.kind === "Pod") return validatePodUpdate(obj, old);
  if (obj.kind === "ConfigMap") return validateConfigMapUpdate(obj, old);
  if (obj.kind === "Secret") return validateSecretUpdate(obj, old);
  if (obj.kind === "Ingress") return validateIngressUpdate(obj, old);
  if (obj.kind === "IngressClass") return validateIngressClassUpdate(obj, old);
  const errs = validateCreate(obj);
  if (obj.kind === "StorageClass") errs.push(...validateStorageClassUpdate(obj, old));
  if (["ReplicaSet", "Deployment", "DaemonSet"].includes(obj.kind)) errs.push(...validateSelectorImmutable(obj, old));
  if (obj.kind === "Job") errs.push(...validateJobUpdate(obj, old));
  if (obj.kind === "RoleBinding" || obj.kind === "ClusterRoleBinding") return validateBindingUpdate(obj, old);
  return errs;
}
