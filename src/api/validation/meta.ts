/**
 * ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
 * pkg/apis/meta/v1/validation): names, namespace, labels, annotations, finalizers.
 */
import { F, sortedKeys, type Errs } from "./field.ts";
import { IsDNS1035Label, IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue } from "./names.ts";
import type { ObjectMeta } from "../types.ts";

export type NameFn = (name: string, prefix: boolean) => string[];

/** A generateName may end in '-': it is checked as if it ended in 'a' (maskTrailingDash). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? name.slice(0, -2) + "a" : name;
}

export const NameIsDNSSubdomain: NameFn = (name, prefix) => IsDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const NameIsDNSLabel: NameFn = (name, prefix) => IsDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const NameIsDNS1035Label: NameFn = (name, prefix) => IsDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const TotalAnnotationSizeLimitB = 256 * (1 << 10);

/** ValidateLabels: each bad key or value is an error at the map's path. */
export function validateLabels(labels: Record<string, string> | undefined | null, path: string): Errs {
  const errs: Errs = [];
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = labels![k];
    for (const msg of IsValidLabelValue(typeof v === "string" ? v : String(v))) errs.push(F.invalid(path, v, msg));
  }
  return errs;
}

export function validateLabelName(name: string, path: string): Errs {
  return IsQualifiedName(name).map((msg) => F.invalid(path, name, msg));
}

export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: string): Errs {
  const errs: Errs = [];
  let size = 0;
  for (const k of sortedKeys(annotations)) {
    for (const msg of IsQualifiedName(k.toLowerCase())) errs.push(F.invalid(path, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(annotations![k] ?? ""));
  }
  if (size > TotalAnnotationSizeLimitB) errs.push(F.tooLong(path, TotalAnnotationSizeLimitB));
  return errs;
}

/**
 * ValidateFinalizers: each a qualified name (apimachinery's ValidateFinalizerName), no duplicates.
 * `kube`: pkg/apis/core/validation's ValidateObjectMeta adds validateKubeFinalizerName for the
 * built-in kinds: a name without a `/` must be a standard one. Custom resources (and CRDs) are
 * validated with apimachinery's rules alone (apiextensions-apiserver's strategy), so
 * `gateway-exists-finalizer.gateway.networking.k8s.io` is a valid finalizer of a GatewayClass.
 */
export function validateFinalizers(finalizers: string[] | undefined, path: string, kube = true): Errs {
  const errs: Errs = [];
  const seen = new Set<string>();
  for (const f of finalizers ?? []) {
    const msgs = IsQualifiedName(f);
    for (const msg of msgs) errs.push(F.invalid(path, f, msg));
    if (kube && msgs.length === 0 && !f.includes("/") && !["kubernetes", "orphan", "foregroundDeletion"].includes(f)) {
      errs.push(F.invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
    }
    if (seen.has(f)) errs.push(F.duplicate(path, f));
    seen.add(f);
  }
  return errs;
}

/** ValidateObjectMeta */
export function validateObjectMeta(meta: ObjectMeta, requiresNamespace: boolean, nameFn: NameFn, path = "metadata", kubeFinalizers = true): Errs {
  const errs: Errs = [];
  if (meta.generateName) for (const msg of nameFn(meta.generateName, true)) errs.push(F.invalid(`${path}.generateName`, meta.generateName, msg));
  if (!meta.name) errs.push(F.required(`${path}.name`, "name or generateName is required"));
  else for (const msg of nameFn(meta.name, false)) errs.push(F.invalid(`${path}.name`, meta.name, msg));
  if (requiresNamespace) {
    if (!meta.namespace) errs.push(F.required(`${path}.namespace`));
    else for (const msg of NameIsDNSLabel(meta.namespace, false)) errs.push(F.invalid(`${path}.namespace`, meta.namespace, msg));
  } else if (meta.namespace) errs.push(F.forbidden(`${path}.namespace`, "not allowed on this type"));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`, kubeFinalizers));
  return errs;
}
