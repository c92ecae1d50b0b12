/**
 * Validation of the downward API and of env sources (pkg/apis/core/validation/validation.go
 * validateEnvVarValueFrom, validateObjectFieldSelector, validateContainerResourceFieldSelector,
 * validateContainerResourceDivisor, validateDownwardAPIVolumeFile): which field paths env and
 * volumes may name, which resources and divisors, with the API server's texts.
 */
import { parseQuantity } from "../quantity.ts";
import { F, isObj, type Errs } from "./field.ts";
import { IsConfigMapKey } from "./core.ts";

// Unvalidated user input: any shape may arrive.
type Obj = Record<string, unknown>;

/** validEnvDownwardAPIFieldPathExpressions, sorted as sets.List gives them. */
export const ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];
/** validVolumeDownwardAPIFieldPathExpressions. */
export const VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
/** The paths podshelper.ConvertDownwardAPIFieldLabel knows at all. */
const CONVERTIBLE = new Set([
  "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy",
  "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
]);
const RESOURCES = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];
const BYTE_DIVISORS = new Set(["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]);
const BYTE_DIVISORS_TEXT = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

function validateObjectFieldSelector(fs: Obj, expressions: string[], path: string): Errs {
  // apiVersion is defaulted to v1 before validation.
  if (fs.apiVersion !== undefined && fs.apiVersion !== "v1" && fs.apiVersion !== "") {
    return [F.invalid(`${path}.fieldPath`, fs.fieldPath ?? "", `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  }
  const fp = fs.fieldPath;
  if (typeof fp !== "string" || fp === "") return [F.required(`${path}.fieldPath`)];
  const sub = /^(.+)\['(.*)'\]$/.exec(fp);
  if (sub) {
    if (sub[1] === "metadata.annotations" || sub[1] === "metadata.labels") return [];
    if (!CONVERTIBLE.has(sub[1]!)) return [F.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${sub[1]}`)];
    return [F.invalid(path, sub[1], "does not support subscript")];
  }
  if (!CONVERTIBLE.has(fp)) return [F.invalid(`${path}.fieldPath`, fp, `error converting fieldPath: field label not supported: ${fp}`)];
  if (!expressions.includes(fp)) return [F.notSupported(`${path}.fieldPath`, fp, expressions)];
  return [];
}

function validateResourceDivisor(resource: string, divisor: unknown, path: string): Errs {
  if (divisor === undefined || divisor === null) return [];
  let text: string;
  try {
    const q = parseQuantity(divisor);
    if (q.isZero()) return [];
    text = q.toString();
  } catch {
    return []; // the quantity's own error is reported when the object is decoded
  }
  if (resource === "limits.cpu" || resource === "requests.cpu") {
    if (text !== "1m" && text !== "1") return [F.invalid(`${path}.divisor`, resource, "only divisor's values 1m and 1 are supported with the cpu resource")];
  } else if (resource === "limits.memory" || resource === "requests.memory") {
    if (!BYTE_DIVISORS.has(text)) return [F.invalid(`${path}.divisor`, resource, `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the memory resource`)];
  } else if (resource === "limits.ephemeral-storage" || resource === "requests.ephemeral-storage") {
    if (!BYTE_DIVISORS.has(text)) return [F.invalid(`${path}.divisor`, resource, `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the local ephemeral storage resource`)];
  } else if (/^(requests|limits)\.hugepages-/.test(resource)) {
    if (!BYTE_DIVISORS.has(text)) return [F.invalid(`${path}.divisor`, resource, `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the hugepages resource`)];
  }
  return [];
}

function validateResourceFieldSelector(fs: Obj, path: string, volume: boolean): Errs {
  const errs: Errs = [];
  const resource = typeof fs.resource === "string" ? fs.resource : "";
  if (volume && !fs.containerName) errs.push(F.required(`${path}.containerName`));
  else if (!resource) errs.push(F.required(`${path}.resource`));
  else if (!RESOURCES.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) errs.push(F.notSupported(`${path}.resource`, resource, RESOURCES));
  errs.push(...validateResourceDivisor(resource, fs.divisor, path));
  return errs;
}

function validateKeySelector(sel: Obj, path: string): Errs {
  const errs: Errs = [];
  if (!sel.name) errs.push(F.required(`${path}.name`));
  if (!sel.key) errs.push(F.required(`${path}.key`));
  else for (const msg of IsConfigMapKey(String(sel.key))) errs.push(F.invalid(`${path}.key`, sel.key, msg));
  return errs;
}

/** validateEnvVarValueFrom; `path` is `…env[i].valueFrom`. */
export function validateEnvVarValueFrom(ev: Obj, path: string): Errs {
  const vf = ev.valueFrom;
  if (!isObj(vf)) return [];
  const errs: Errs = [];
  let n = 0;
  if (isObj(vf.fieldRef)) {
    n++;
    errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, `${path}.fieldRef`));
  }
  if (isObj(vf.resourceFieldRef)) {
    n++;
    errs.push(...validateResourceFieldSelector(vf.resourceFieldRef, `${path}.resourceFieldRef`, false));
  }
  if (isObj(vf.configMapKeyRef)) {
    n++;
    errs.push(...validateKeySelector(vf.configMapKeyRef, `${path}.configMapKeyRef`));
  }
  if (isObj(vf.secretKeyRef)) {
    n++;
    errs.push(...validateKeySelector(vf.secretKeyRef, `${path}.secretKeyRef`));
  }
  if (n === 0) errs.push(F.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
  else if (ev.value) errs.push(F.invalid(path, "", "may not be specified when `value` is not empty"));
  else if (n > 1) errs.push(F.invalid(path, "", "may not have more than one field specified at a time"));
  return errs;
}

/** validateDownwardAPIVolumeFile for each item; `path` is `…downwardAPI.items`. */
export function validateDownwardAPIItems(items: unknown, path: string): Errs {
  const errs: Errs = [];
  (Array.isArray(items) ? items : []).forEach((it: Obj, i: number) => {
    const p = `${path}[${i}]`;
    const file = isObj(it) ? it : {};
    const fp = typeof file.path === "string" ? file.path : "";
    if (!fp) errs.push(F.required(`${p}.path`));
    else {
      if (fp.startsWith("/")) errs.push(F.invalid(`${p}.path`, fp, "must be a relative path"));
      if (fp.split("/").includes("..")) errs.push(F.invalid(`${p}.path`, fp, "must not contain '..'"));
      else if (fp.startsWith("..")) errs.push(F.invalid(`${p}.path`, fp, "must not start with '..'"));
    }
    if (isObj(file.fieldRef)) {
      errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, `${p}.fieldRef`));
      if (isObj(file.resourceFieldRef)) errs.push(F.invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
    } else if (isObj(file.resourceFieldRef)) errs.push(...validateResourceFieldSelector(file.resourceFieldRef, `${p}.resourceFieldRef`, true));
    else errs.push(F.required(p, "one of fieldRef and resourceFieldRef is required"));
  });
  return errs;
}
