/**
 * CustomResourceDefinitions in the simulated API server, as apiextensions-apiserver serves them:
 *  - the CRD registry strategy (pkg/registry/customresourcedefinition/strategy.go and
 *    pkg/apis/apiextensions/v1/defaults.go, validation/validation.go): defaults (singular, listKind,
 *    conversion None), the cleanup finalizer, the checks of names, group, scope and versions;
 *  - the naming and establishing controllers (pkg/controller/status, pkg/controller/establish):
 *    NamesAccepted and Established conditions, acceptedNames, storedVersions;
 *  - the custom resource handler (pkg/apiserver/customresource_handler.go): an Established CRD's
 *    versions join the API server's registry (discovery, kubectl names, printer columns from
 *    additionalPrinterColumns); its objects are pruned, defaulted and validated against the
 *    version's structural schema (schema.ts), with the status (and scale) subresource;
 *  - the finalizer controller (pkg/controller/finalizer): deleting a CRD deletes its objects first.
 */
import { createHash } from "node:crypto";
import { ApiError, invalidError } from "../errors.ts";
import { F, GoRepr, arr, isObj, type Errs } from "../validation/field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "../validation/meta.ts";
import type { PrinterColumn, ResourceType } from "../resources.ts";
import type { AdmissionPlugin, ApiServer, Decoder } from "../store.ts";
import { clone, type KObject } from "../types.ts";
import type { CustomResourceDefinitionCondition, CustomResourceDefinitionVersion } from "../types.gen.ts";

/** A decoded CRD's spec.versions (an element may still be null where validation has not run yet). */
const versionsOf = (v: unknown) => arr(v) as Array<CustomResourceDefinitionVersion | null | undefined>;
import { applyDefaults, prune, validateCustomResource, validateListSetsAndMaps, type JSONSchemaProps } from "./schema.ts";
import { validateRules } from "./celvalidation.ts";

export const CRD_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
/** Discovery verbs of a custom resource, in apiextensions-apiserver's order. */
const CR_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

// ---- strategy: defaults and validation of CRDs ---------------------------------------------

function defaultCRD(crd: KObject): void {
  const spec = (crd.spec = isObj(crd.spec) ? crd.spec : {});
  const names = (spec.names = isObj(spec.names) ? spec.names : {});
  if (!names.singular && names.kind) names.singular = String(names.kind).toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  if (!isObj(spec.conversion)) spec.conversion = { strategy: "None" };
}

function validateCRD(crd: KObject): Errs {
  // apiextensions validates ObjectMeta with apimachinery's rules: its own finalizer is a qualified name.
  const errs = validateObjectMeta(crd.metadata, false, NameIsDNSSubdomain, "metadata", false);
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (crd.metadata.name && crd.metadata.name !== `${names.plural}.${spec.group}`) {
    errs.push(F.invalid("metadata.name", crd.metadata.name, `must be spec.names.plural+"."+spec.group`));
  }
  if (!spec.group) errs.push(F.required("spec.group"));
  else if (!String(spec.group).includes(".")) errs.push(F.invalid("spec.group", spec.group, "should be a domain with at least one dot"));
  if (!["Cluster", "Namespaced"].includes(spec.scope)) errs.push(F.notSupported("spec.scope", String(spec.scope ?? ""), ["Cluster", "Namespaced"]));
  for (const f of ["plural", "kind"]) if (!names[f]) errs.push(F.required(`spec.names.${f}`));
  if (names.plural && names.plural !== String(names.plural).toLowerCase()) errs.push(F.invalid("spec.names.plural", names.plural, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
  const versions = versionsOf(spec.versions);
  if (versions.length === 0) errs.push(F.invalid("spec.versions", ReprList([]), "must have exactly one version marked as storage version"));
  else if (versions.filter((v) => v?.storage === true).length !== 1) {
    errs.push(F.invalid("spec.versions", ReprList(versions), "must have exactly one version marked as storage version"));
  }
  versions.forEach((v, i) => {
    if (!v?.name) errs.push(F.required(`spec.versions[${i}].name`));
    if (!isObj(v?.schema?.openAPIV3Schema)) errs.push(F.required(`spec.versions[${i}].schema.openAPIV3Schema`, "schemas are required"));
    else if (v.schema.openAPIV3Schema.type !== "object") errs.push(F.invalid(`spec.versions[${i}].schema.openAPIV3Schema.type`, String(v.schema.openAPIV3Schema.type ?? ""), "must be object at the root"));
  });
  return errs;
}

/** Go's %#v of a version list, shortened to the fields the message is about. */
function ReprList(versions: Array<CustomResourceDefinitionVersion | null | undefined>): GoRepr {
  return new GoRepr(`[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:"${v?.name ?? ""}", Served:${!!v?.served}, Storage:${!!v?.storage}, ...}`).join(", ")}}`);
}

/** The CRD registry strategy as an admission step: defaults, the cleanup finalizer, validation. */
export const crdStrategy: AdmissionPlugin = {
  name: "CustomResourceDefinitionStrategy",
  inertFor: (kind) => kind !== "CustomResourceDefinition",
  mutate(obj, op) {
    if (obj.kind !== "CustomResourceDefinition" || obj.apiVersion !== "apiextensions.k8s.io/v1") return;
    defaultCRD(obj);
    if (op === "CREATE") {
      delete obj.status;
      const f = obj.metadata.finalizers ?? [];
      if (!f.includes(CRD_FINALIZER)) obj.metadata.finalizers = [...f, CRD_FINALIZER];
    }
  },
  validate(obj, _op, _old, api) {
    if (obj.kind !== "CustomResourceDefinition" || obj.apiVersion !== "apiextensions.k8s.io/v1") return;
    const errs = validateCRD(obj);
    if (errs.length) throw invalidError("CustomResourceDefinition", obj.metadata.name ?? "", errs, "apiextensions.k8s.io");
    // The naming controller refuses names another CRD of the group took; here the request is refused.
    for (const other of api.list("CustomResourceDefinition")) {
      if (other.metadata.name === obj.metadata.name || other.spec?.group !== obj.spec.group) continue;
      const taken = [other.spec?.names?.plural, other.spec?.names?.singular, ...(other.spec?.names?.shortNames ?? [])];
      if (taken.includes(obj.spec.names.plural)) {
        throw invalidError("CustomResourceDefinition", obj.metadata.name ?? "", [F.invalid("spec.names.plural", obj.spec.names.plural, `"${obj.spec.names.plural}" is already in use`)], "apiextensions.k8s.io");
      }
    }
  },
};

// ---- custom resources ----------------------------------------------------------------------

function schemaOf(crd: KObject, version: string): JSONSchemaProps | undefined {
  const v = versionsOf(crd.spec?.versions).find((x) => x?.name === version);
  return v?.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
}

/** kube-aggregator's version priority: v2 > v1 > v2beta1 > v1beta1 > v1alpha1 > other names (alphabetical). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stage: m[2] === "alpha" ? 0 : m[2] === "beta" ? 1 : 2, minor: Number(m[3] ?? 0) };
  };
  const x = parse(a);
  const y = parse(b);
  if (x && y) return y.stage - x.stage || y.major - x.major || y.minor - x.minor;
  if (x) return -1;
  if (y) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const hash = (g: string, v: string, k: string) => createHash("sha256").update(`${g}/${v}/${k}`).digest().subarray(0, 8).toString("base64");

/** The served versions of a CRD as registry entries, the highest priority preferred. */
export function resourcesOf(crd: KObject): ResourceType[] {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames ?? spec.names;
  const served = versionsOf(spec.versions).filter((v) => v?.served).map((v) => String(v?.name)).sort(compareVersions);
  const storage = String(versionsOf(spec.versions).find((v) => v?.storage)?.name ?? served[0]);
  return served.map((version) => {
    const v = versionsOf(spec.versions).find((x) => x?.name === version);
    const subs = [];
    if (isObj(v?.subresources?.scale)) subs.push({ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] });
    if (isObj(v?.subresources?.status)) subs.push({ name: "status", kind: names.kind, verbs: ["get", "patch", "update"] });
    const cols: PrinterColumn[] | undefined = Array.isArray(v?.additionalPrinterColumns) && v.additionalPrinterColumns.length ? v.additionalPrinterColumns : undefined;
    return {
      kind: names.kind,
      group: spec.group,
      version,
      plural: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      shortNames: names.shortNames ?? [],
      namespaced: spec.scope === "Namespaced",
      generation: true,
      verbs: CR_VERBS,
      categories: names.categories ?? [],
      subresources: subs,
      key: `${names.plural}.${spec.group}`,
      storageVersion: `${spec.group}/${storage}`,
      storageVersionHash: hash(spec.group, storage, names.kind),
      preferred: version === served[0],
      storable: true,
      crd: crd.metadata.name,
      schema: v?.schema?.openAPIV3Schema,
      ...(cols ? { printerColumns: cols } : {}),
    };
  });
}

/** metav1.ObjectMeta's JSON fields. */
const OBJECT_META_FIELDS = new Set([
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
  "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
]);

/** The decoder of a CRD's objects: unknown fields (pruned), then the version's defaults. */
function customDecoder(api: ApiServer, crdName: string): Decoder {
  return (obj: KObject, r: ResourceType) => {
    const crd = api.get("CustomResourceDefinition", undefined, crdName);
    const s = crd && schemaOf(crd, r.version);
    if (!s) return [];
    // schemaobjectmeta.GetObjectMetaWithOptions: metadata fields ObjectMeta does not have are
    // unknown (and dropped) before the schema prunes the rest.
    const pruned: string[] = [];
    const meta = obj.metadata as Record<string, unknown> | undefined;
    if (meta && typeof meta === "object") {
      for (const k of Object.keys(meta)) {
        if (!OBJECT_META_FIELDS.has(k)) {
          pruned.push(`metadata.${k}`);
          delete meta[k];
        }
      }
    }
    prune(obj, s, "", true, pruned);
    applyDefaults(obj, s);
    return pruned;
  };
}

/** Validation of custom resources: ObjectMeta and the version's schema (customresource strategy). */
export const customResourceValidation: AdmissionPlugin = {
  name: "CustomResourceValidation",
  // Acts on custom resources only (attrs.resource.crd).
  inertFor: () => true,
  customResources: true,
  subresources: ["", "status"],
  /**
   * PrepareForCreate: with a status subresource, a create starts without status. The storage's
   * decoder defaults what it reads back (customresource_handler.go's unstructuredDefaulter in the
   * storage codec), so a schema's default for `status` (Gateway API's `Accepted: Unknown, Pending`)
   * is in every read of the new object: applied here, to what is stored.
   */
  mutate(obj, op, _old, api, attrs) {
    const r = attrs.resource;
    if (op !== "CREATE" || !r.crd || !r.subresources.some((x) => x.name === "status")) return;
    delete obj.status;
    const crd = api.get("CustomResourceDefinition", undefined, r.crd);
    const s = crd && schemaOf(crd, String(obj.apiVersion).split("/")[1]);
    if (s) applyDefaults(obj, s);
  },
  validate(obj, _op, old, api, attrs) {
    const r = attrs.resource;
    if (!r.crd) return;
    const crd = api.get("CustomResourceDefinition", undefined, r.crd);
    const s = crd && schemaOf(crd, String(obj.apiVersion).split("/")[1]);
    // apimachinery's ValidateObjectMetaAccessor: no kube-only finalizer rule for custom resources.
    const errs = validateObjectMeta(obj.metadata, r.namespaced, NameIsDNSSubdomain, "metadata", false);
    errs.push(...validateCustomResource(obj, s));
    errs.push(...validateListSetsAndMaps(obj, s));
    // x-kubernetes-validations (celvalidation.ts), unless a value has the wrong type or is not
    // among its enum's (strategy.go hasBlockingErr): the rules could not read it.
    if (errs.some((e) => e.detail.startsWith("Unsupported value") || / in body must be of type /.test(e.detail))) {
      errs.push(F.invalid("<nil>", new GoRepr('"null"'), "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
    } else {
      errs.push(...validateRules(obj, old, s));
    }
    if (errs.length) throw invalidError(r.kind, obj.metadata.name ?? "", errs, r.group);
  },
};

// ---- the controllers -----------------------------------------------------------------------

function condition(type: string, reason: string, message: string, now: string) {
  return { lastTransitionTime: now, message, reason, status: "True", type };
}

/**
 * Starts the CRD handler on an API server: watches CRDs, writes their status conditions, keeps
 * the registry and the custom resources' decoders, and empties a deleted CRD's storage.
 */
export function installCustomResourceHandler(api: ApiServer): () => void {
  const sync = (crd: KObject) => {
    const name = crd.metadata.name!;
    if (crd.metadata.deletionTimestamp) {
      const key = `${crd.spec?.names?.plural}.${crd.spec?.group}`;
      api.registry.removeCustom(name);
      api.setCustomDecoder(key, undefined);
      api.dropStorage(key);
      if (crd.metadata.finalizers?.includes(CRD_FINALIZER)) {
        api.mutate("CustomResourceDefinition", undefined, name, (c) => {
          c.metadata.finalizers = (c.metadata.finalizers ?? []).filter((f: string) => f !== CRD_FINALIZER);
        });
      }
      return;
    }
    const now = api.clock.nowRFC3339();
    const names = crd.spec.names;
    const accepted: Record<string, unknown> = { kind: names.kind, listKind: names.listKind, plural: names.plural, singular: names.singular };
    if (names.shortNames?.length) accepted.shortNames = names.shortNames;
    if (names.categories?.length) accepted.categories = names.categories;
    const storage = String(versionsOf(crd.spec.versions).find((v) => v?.storage)?.name ?? "");
    const stored: string[] = crd.status?.storedVersions ?? [];
    const conds: CustomResourceDefinitionCondition[] = crd.status?.conditions ?? [];
    const has = (t: string) => conds.some((c) => c.type === t && c.status === "True");
    const want = {
      acceptedNames: accepted,
      conditions: [
        conds.find((c) => c.type === "NamesAccepted" && c.status === "True") ?? condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
        conds.find((c) => c.type === "Established" && c.status === "True") ?? condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now),
      ],
      storedVersions: stored.includes(storage) ? stored : [...stored, storage],
    };
    if (!has("NamesAccepted") || !has("Established") || JSON.stringify(crd.status?.acceptedNames) !== JSON.stringify(accepted) || !stored.includes(storage)) {
      crd = api.mutate("CustomResourceDefinition", undefined, name, (c) => (c.status = clone(want)), { subresource: "status" });
    }
    const versions = resourcesOf(crd);
    if (versions.length) {
      api.setCustomDecoder(versions[0].key, customDecoder(api, name));
      api.registry.addCustom(name, versions);
    } else api.registry.removeCustom(name);
  };
  return api.watch("CustomResourceDefinition", (ev) => {
    if (ev.type === "DELETED") {
      api.registry.removeCustom(ev.object.metadata.name!);
      return;
    }
    if (ev.object.apiVersion !== "apiextensions.k8s.io/v1") return;
    try {
      sync(ev.object);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  });
}
