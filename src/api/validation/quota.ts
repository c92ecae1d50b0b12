/**
 * ResourceQuota and LimitRange validation (pkg/apis/core/validation/validation.go:
 * ValidateResourceQuota, ValidateLimitRange): quota resource names and values, scopes, and the
 * ordering of a limit item's min, default request, default limit and max.
 */
import { F, GoRepr, arr, field, isObj, sortedKeys, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "./meta.ts";
import { parseQuantity, type Quantity } from "../quantity.ts";
import type { KObject } from "../types.ts";

const STANDARD_QUOTA = new Set([
  "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
  "services.nodeports", "services.loadbalancers", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
  "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
]);
const INTEGER_QUOTA = new Set(["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"]);
const STANDARD_SCOPES = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"];
/** Resources a BestEffort-scoped quota may track. */
const BEST_EFFORT_RESOURCES = new Set(["pods", "count/pods"]);
/** Resources a Terminating/NotTerminating/PriorityClass/NotBestEffort-scoped quota may track (pod resources). */
const POD_QUOTA = new Set(["pods", "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"]);

const isHugePages = (n: string) => n.startsWith("hugepages-") || n.startsWith("requests.hugepages-") || n.startsWith("limits.hugepages-");

function quantity(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

function validateQuotaResourceList(list: unknown, path: string): Errs {
  const errs: Errs = [];
  if (!isObj(list)) return errs;
  for (const k of sortedKeys(list)) {
    const p = `${path}[${k}]`;
    if (!k.includes("/") && !STANDARD_QUOTA.has(k) && !isHugePages(k)) errs.push(F.invalid(p, k, "must be a standard resource for quota"));
    const v = quantity(list[k]);
    if (!v) continue;
    if (v.sign() < 0) errs.push(F.invalid(p, list[k], "must be greater than or equal to 0"));
    if (INTEGER_QUOTA.has(k) && v.milliValue() % 1000 !== 0) errs.push(F.invalid(p, list[k], "must be an integer"));
  }
  return errs;
}

export function validateResourceQuota(q: KObject): Errs {
  const errs = validateObjectMeta(q.metadata, true, NameIsDNSSubdomain);
  errs.push(...validateQuotaResourceList(q.spec?.hard, "spec.hard"));
  errs.push(...validateQuotaResourceList(q.status?.hard, "status.hard"));
  errs.push(...validateQuotaResourceList(q.status?.used, "status.used"));
  const scopes: string[] = arr(q.spec?.scopes).map(String);
  const selector = arr(q.spec?.scopeSelector?.matchExpressions).map((e) => String(field(e, "scopeName") ?? ""));
  scopes.forEach((s, i) => {
    if (!STANDARD_SCOPES.includes(s)) errs.push(F.notSupported(`spec.scopes[${i}]`, s, STANDARD_SCOPES));
  });
  const all = new Set([...scopes, ...selector]);
  if ((all.has("Terminating") && all.has("NotTerminating")) || (all.has("BestEffort") && all.has("NotBestEffort"))) {
    errs.push(F.invalid("spec.scopes", new GoRepr(`[${scopes.join(" ")}]`), "conflicting scopes"));
  }
  if (all.size) {
    const allowed = all.has("BestEffort") ? BEST_EFFORT_RESOURCES : all.has("CrossNamespacePodAffinity") ? new Set(["pods", "count/pods"]) : POD_QUOTA;
    for (const k of sortedKeys(q.spec?.hard)) if (!allowed.has(k) && !isHugePages(k)) errs.push(F.invalid(`spec.hard[${k}]`, k, "unsupported scope applied to resource"));
  }
  return errs;
}

export function validateLimitRange(lr: KObject): Errs {
  const errs = validateObjectMeta(lr.metadata, true, NameIsDNSSubdomain);
  arr(lr.spec?.limits).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    if (!isObj(item)) return;
    if (item.type === "Pod") {
      if (isObj(item.default) && Object.keys(item.default).length) errs.push(F.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (isObj(item.defaultRequest) && Object.keys(item.defaultRequest).length) errs.push(F.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    const get = (f: string, k: string) => {
      const list = item[f];
      return isObj(list) && k in list ? quantity(list[k]) : undefined;
    };
    const keys = new Set<string>();
    for (const f of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) {
      const list = item[f];
      for (const k of sortedKeys(isObj(list) ? list : undefined)) keys.add(k);
    }
    for (const k of [...keys].sort()) {
      const min = get("min", k);
      const max = get("max", k);
      const def = get("default", k);
      const req = get("defaultRequest", k);
      const ratio = get("maxLimitRequestRatio", k);
      const s = (x: Quantity) => x.toString();
      if (min && max && min.cmp(max) > 0) errs.push(F.invalid(`${p}.min[${k}]`, s(min), `min value ${s(min)} is greater than max value ${s(max)}`));
      if (req && min && min.cmp(req) > 0) errs.push(F.invalid(`${p}.defaultRequest[${k}]`, s(req), `min value ${s(min)} is greater than default request value ${s(req)}`));
      if (req && max && req.cmp(max) > 0) errs.push(F.invalid(`${p}.defaultRequest[${k}]`, s(req), `default request value ${s(req)} is greater than max value ${s(max)}`));
      if (req && def && req.cmp(def) > 0) errs.push(F.invalid(`${p}.defaultRequest[${k}]`, s(req), `default request value ${s(req)} is greater than default limit value ${s(def)}`));
      if (def && min && min.cmp(def) > 0) errs.push(F.invalid(`${p}.default[${k}]`, s(min), `min value ${s(min)} is greater than default value ${s(def)}`));
      if (def && max && def.cmp(max) > 0) errs.push(F.invalid(`${p}.default[${k}]`, s(max), `default value ${s(def)} is greater than max value ${s(max)}`));
      if (ratio && ratio.cmp(parseQuantity("1")) < 0) errs.push(F.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is less than 1`));
      if (ratio && min && max && min.milliValue() > 0) {
        const limit = max.milliValue() / min.milliValue();
        if (ratio.milliValue() / 1000 > limit) errs.push(F.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is greater than max/min = ${limit.toFixed(6)}`));
      }
    }
  });
  return errs;
}
