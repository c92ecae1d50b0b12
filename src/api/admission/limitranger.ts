/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go): a pod created
 * in a namespace with LimitRanges gets each Container item's default limits and default requests
 * for what its containers leave out (and the `kubernetes.io/limit-ranger` annotation saying what
 * was set); then containers (type Container), the pod as a whole (type Pod) and claims (type
 * PersistentVolumeClaim) are checked against min, max and maxLimitRequestRatio with upstream's
 * texts (`maximum memory usage per Container is 1Gi, but limit is 1536Mi`).
 */
import { ApiError } from "../errors.ts";
import { parseQuantity, type Quantity } from "../quantity.ts";
import { podResources } from "../quota/evaluator.ts";
import type { AdmissionPlugin, ApiServer } from "../store.ts";
import type { KObject } from "../types.ts";
import { field, objField } from "../validation/field.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objOr = (v: unknown): Obj => (isObj(v) ? v : {});
export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";
/** resource.MaxMilliValue: the largest value whose milli-value fits in an int64. */
const MAX_MILLI_VALUE = Number((2n ** 63n - 1n) / 1000n);

function q(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

function limitRanges(api: ApiServer, ns: string | undefined): KObject[] {
  return ns ? api.list("LimitRange", { namespace: ns }) : [];
}

/** defaultContainerResourceRequirements: the Container items' default (limits) and defaultRequest (requests). */
function defaultRequirements(lr: KObject): { requests: Obj; limits: Obj } {
  const requests: Obj = {};
  const limits: Obj = {};
  for (const item of arr(lr.spec?.limits)) {
    if (!isObj(item) || item.type !== "Container") continue;
    Object.assign(requests, isObj(item.defaultRequest) ? item.defaultRequest : {});
    Object.assign(limits, isObj(item.default) ? item.default : {});
  }
  return { requests, limits };
}

/** mergeContainerResources: fills what a container leaves out, returning the annotation's phrases. */
function mergeContainer(c: Obj, defaults: { requests: Obj; limits: Obj }, prefix: string, notes: string[]): void {
  const res = objField(c, "resources");
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    const limits = objField(res, "limits");
    if (!(k in limits)) {
      limits[k] = v;
      setLimits.push(k);
    }
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    const requests = objField(res, "requests");
    if (!(k in requests)) {
      requests[k] = v;
      setRequests.push(k);
    }
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(", ")} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(", ")} limit for ${prefix} ${c.name}`);
}

/** requestLimitEnforcedValues: milli-values when none overflows, else values. */
function values(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [number, number, number] {
  const r = req?.value() ?? 0;
  const l = lim?.value() ?? 0;
  const e = enforced.value();
  if (r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE) return [req?.milliValue() ?? 0, lim?.milliValue() ?? 0, enforced.milliValue()];
  return [r, l, e];
}

type Constraint = (type: string, res: string, enforced: Quantity, requests: Obj, limits: Obj) => string | undefined;

const minConstraint: Constraint = (type, res, enforced, requests, limits) => {
  const req = res in requests ? q(requests[res]) : undefined;
  const lim = res in limits ? q(limits[res]) : undefined;
  const [r, l, e] = values(req, lim, enforced);
  if (!req) return `minimum ${res} usage per ${type} is ${enforced}.  No request is specified`;
  if (r < e) return `minimum ${res} usage per ${type} is ${enforced}, but request is ${req}`;
  if (lim && l < e) return `minimum ${res} usage per ${type} is ${enforced}, but limit is ${lim}`;
  return undefined;
};

const maxConstraint: Constraint = (type, res, enforced, requests, limits) => {
  const req = res in requests ? q(requests[res]) : undefined;
  const lim = res in limits ? q(limits[res]) : undefined;
  const [r, l, e] = values(req, lim, enforced);
  if (!lim) return `maximum ${res} usage per ${type} is ${enforced}.  No limit is specified`;
  if (l > e) return `maximum ${res} usage per ${type} is ${enforced}, but limit is ${lim}`;
  if (req && r > e) return `maximum ${res} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
};

/**
 * maxRequestConstraint: a PersistentVolumeClaim's max is enforced against what the claim
 * requests (a claim's limits are not user input there: PersistentVolumeClaimValidateLimitFunc).
 */
const maxRequestConstraint: Constraint = (type, res, enforced, requests) => {
  const req = res in requests ? q(requests[res]) : undefined;
  const [r, , e] = values(req, undefined, enforced);
  if (!req) return `maximum ${res} usage per ${type} is ${enforced}.  No request is specified`;
  if (r > e) return `maximum ${res} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
};

const ratioConstraint: Constraint = (type, res, enforced, requests, limits) => {
  const req = res in requests ? q(requests[res]) : undefined;
  const lim = res in limits ? q(limits[res]) : undefined;
  const [r, l] = values(req, lim, enforced);
  if (!req || r === 0) return `${res} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (!lim || l === 0) return `${res} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  let observed = l / r;
  const display = observed;
  let max = enforced.value();
  if (enforced.value() <= MAX_MILLI_VALUE) {
    observed *= 1000;
    max = enforced.milliValue();
  }
  if (observed > max) return `${res} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${display.toFixed(6)}`;
  return undefined;
};

/**
 * Runs min, max and maxLimitRequestRatio of one item against requests and limits; a
 * PersistentVolumeClaim item (`claim`) runs min against the requests alone and max with
 * maxRequestConstraint, and has no ratio (PersistentVolumeClaimValidateLimitFunc).
 */
function check(item: Obj, type: string, requests: Obj, limits: Obj, errs: string[], claim = false): void {
  const each = (m: unknown, fn: Constraint) => {
    if (!isObj(m)) return;
    for (const [k, v] of Object.entries(m)) {
      const enforced = q(v);
      if (!enforced) continue;
      const e = fn(type, k, enforced, requests, limits);
      if (e) errs.push(e);
    }
  };
  each(item.min, minConstraint);
  each(item.max, claim ? maxRequestConstraint : maxConstraint);
  if (!claim) each(item.maxLimitRequestRatio, ratioConstraint);
}

const asObj = (l: Map<string, Quantity>): Obj => Object.fromEntries([...l].map(([k, v]) => [k, v.toString()]));

/** PodValidateLimitFunc and PersistentVolumeClaimValidateLimitFunc: the errors, in upstream's order. */
export function limitErrors(lr: KObject, obj: KObject): string[] {
  const errs: string[] = [];
  for (const item of arr(lr.spec?.limits)) {
    if (!isObj(item)) continue;
    if (obj.kind === "Pod") {
      if (item.type === "Container") {
        for (const c of [...arr(obj.spec?.containers), ...arr(obj.spec?.initContainers)]) {
          const res = field(c, "resources");
          check(item, "Container", objOr(field(res, "requests")), objOr(field(res, "limits")), errs);
        }
      } else if (item.type === "Pod") {
        check(item, "Pod", asObj(podResources(obj, "requests")), asObj(podResources(obj, "limits")), errs);
      }
    } else if (obj.kind === "PersistentVolumeClaim" && item.type === "PersistentVolumeClaim") {
      check(item, "PersistentVolumeClaim", obj.spec?.resources?.requests ?? {}, {}, errs, true);
    }
  }
  return errs;
}

/** Mutating: default requests and limits of pod containers, with the annotation. */
export const limitRanger: AdmissionPlugin = {
  name: "LimitRanger",
  inertFor: (kind) => kind !== "Pod",
  mutate(obj, op, _old, api) {
    if (op !== "CREATE" || obj.kind !== "Pod") return;
    for (const lr of limitRanges(api, obj.metadata.namespace)) {
      const defaults = defaultRequirements(lr);
      if (!Object.keys(defaults.requests).length && !Object.keys(defaults.limits).length) continue;
      const notes: string[] = [];
      for (const c of arr(obj.spec?.containers)) if (isObj(c)) mergeContainer(c, defaults, "container", notes);
      for (const c of arr(obj.spec?.initContainers)) if (isObj(c)) mergeContainer(c, defaults, "init container", notes);
      if (notes.length) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}` };
    }
  },
};

/** Validating: min, max and ratio of pods and claims (on create; a pod's resources do not change after). */
export const limitRangerValidation: AdmissionPlugin = {
  name: "LimitRanger",
  inertFor: (kind) => kind !== "Pod" && kind !== "PersistentVolumeClaim",
  validate(obj, op, _old, api, attrs) {
    if (op !== "CREATE" || (obj.kind !== "Pod" && obj.kind !== "PersistentVolumeClaim")) return;
    const errs: string[] = [];
    for (const lr of limitRanges(api, obj.metadata.namespace)) errs.push(...limitErrors(lr, obj));
    if (errs.length === 0) return;
    // admission.NewForbidden names the object as the request did: its generateName when the name is generated.
    const name = attrs.name || obj.metadata.generateName || obj.metadata.name || "Unknown";
    const msg = errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
    throw new ApiError("Forbidden", `${attrs.resource.plural} ${JSON.stringify(name)} is forbidden: ${msg}`);
  },
};
