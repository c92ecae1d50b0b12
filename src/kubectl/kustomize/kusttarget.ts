/**
 * A kustomization and its build (kustomize v5.5.0 api/internal/target/kusttarget.go,
 * api/types/kustomization.go, api/krusty/kustomizer.go): load the kustomization file, accumulate
 * its resources depth first (files, and directories holding their own kustomization), run the
 * generators, then the transformers in upstream's order (patchesStrategicMerge, patches,
 * namespace, namePrefix, nameSuffix, labels/commonLabels, commonAnnotations, patchesJson6902,
 * replicas, images); at the top, add the generators' hash suffixes, fix name references and sort
 * in the legacy order, as kubectl's `-k` and `kubectl kustomize` ask.
 *
 * Components (kind: Component) continue their parent's accumulation. What kustomize can do beyond this (helm charts, replacements, vars, configurations,
 * crds, openapi, sortOptions, plugins, remote bases) is refused with a clear "not simulated" error.
 */
import { parseAllDocuments } from "yaml";
import { isJSONObject, type JSONObject } from "../../api/types.ts";
import { defaultFieldSpecs, type FieldSpec } from "./fieldspec.ts";
import { makeConfigMap, makeSecret, mergeOptions, type GeneratorArgs, type GeneratorOptions } from "./generators.ts";
import { hashResource } from "./hasher.ts";
import { isRemote, KustomizeError, Loader } from "./loader.ts";
import { remoteKustomizationCopy } from "../examples.ts";
import { fixNameReferences } from "./nameref.ts";
import { applyPatch, applyPatchesStrategicMerge, applyPatchJson6902, type PatchArgs } from "./patches.ts";
import { gvkString, idEquals, idString, legacySort, Resource, type ResId } from "./resource.ts";
import { applyImage, applyMapTransformer, applyNameAffix, applyNamespace, applyReplicas, mergeSpecs, type ImageArgs, type Replica } from "./transformers.ts";

export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

interface Label {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: JSONObject;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: Label[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchArgs[];
  patches?: PatchArgs[];
  images?: ImageArgs[];
  imageTags?: ImageArgs[];
  replicas?: Replica[];
  resources?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  [field: string]: unknown;
}

/** Fields of types.Kustomization; any other is refused as kustomize's strict decoder does. */
const KNOWN_FIELDS = new Set([
  "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels",
  "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches", "images", "imageTags", "replacements",
  "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases", "configMapGenerator",
  "secretGenerator", "helmGlobals", "helmCharts", "helmChartInflationGenerator", "generatorOptions", "configurations",
  "generators", "transformers", "validators", "buildMetadata",
]);

/** Fields the simulation does not build. */
const NOT_SIMULATED: Record<string, string> = {
  openapi: "openapi", replacements: "replacements", vars: "vars", sortOptions: "sortOptions",
  crds: "crds", helmGlobals: "helm charts", helmCharts: "helm charts", helmChartInflationGenerator: "helm charts",
  configurations: "configurations", generators: "generator plugins", transformers: "transformer plugins",
  validators: "validator plugins", buildMetadata: "buildMetadata",
};

const WARNINGS: Array<[string, string]> = [
  ["bases", "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ["commonLabels", "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ["imageTags", "# Warning: 'imageTags' is deprecated. Please use 'images' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ["patchesJson6902", "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ["patchesStrategicMerge", "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ["vars", "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically."],
];

export interface BuildResult {
  resources: Resource[];
  /** What kustomize writes to stderr while building (deprecation warnings). */
  warnings: string[];
}

function parseYAMLObjects(text: string, source: string): JSONObject[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: JSONObject[] = [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new KustomizeError(`MalformedYAMLError: yaml: ${pos ? `line ${pos.line}: ` : ""}${err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")} in File: ${source}`);
    }
    const v: unknown = d.toJS({ maxAliasCount: 100 });
    if (v === null || v === undefined) continue;
    if (!isJSONObject(v)) throw new KustomizeError(`missing Resource metadata in File: ${source}`);
    // kio expands a List into its items.
    if (typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items)) {
      for (const item of v.items) if (isJSONObject(item)) out.push(item);
      continue;
    }
    out.push(v);
  }
  return out;
}

/** encoding/json's name for a decoded YAML value's type. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/**
 * The strict decode of the fields a kustomization most often gets wrong: strings and maps of
 * strings (a YAML number or boolean where a string is wanted is an error, as encoding/json says).
 */
function checkTypes(k: Kustomization): void {
  const bad = (field: string, v: unknown, type: string) =>
    new KustomizeError(`invalid Kustomization: json: cannot unmarshal ${jsonKind(v)} into Go struct field Kustomization.${field} of type ${type}`);
  for (const f of ["namePrefix", "nameSuffix", "namespace"]) {
    const v = k[f];
    if (v !== undefined && v !== null && typeof v !== "string") throw bad(f, v, "string");
  }
  for (const f of ["commonLabels", "commonAnnotations"]) {
    const v = k[f];
    if (v === undefined || v === null) continue;
    if (!isJSONObject(v)) throw bad(f, v, "map[string]string");
    for (const x of Object.values(v)) if (x !== null && typeof x !== "string") throw bad(f, x, "string");
  }
  for (const f of ["resources", "bases", "patchesStrategicMerge"]) {
    const v = k[f];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw bad(f, v, "[]string");
    for (const x of v) if (typeof x !== "string") throw bad(f, x, "string");
  }
}

class KustTarget {
  k!: Kustomization;
  fileName = "";

  constructor(
    readonly ldr: Loader,
    readonly warnings: string[],
  ) {}

  load(): void {
    const found = KUSTOMIZATION_FILE_NAMES.filter((n) => this.ldr.kind(n) === "file");
    if (found.length === 0) {
      throw new KustomizeError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${this.ldr.root}'`);
    }
    if (found.length > 1) throw new KustomizeError(`Found multiple kustomization files under: ${this.ldr.root}\n`);
    this.fileName = found[0];
    const text = this.ldr.load(found[0]).toString("utf8");
    const docs = parseAllDocuments(text);
    const doc = Array.isArray(docs) ? docs[0] : docs;
    if (doc?.errors.length) throw new KustomizeError(`invalid Kustomization: error converting YAML to JSON: yaml: ${doc.errors[0].message.split("\n")[0]}`);
    const v: unknown = doc ? doc.toJS() : null;
    if (v !== null && v !== undefined && !isJSONObject(v)) throw new KustomizeError("invalid Kustomization: json: cannot unmarshal into Go value of type types.Kustomization");
    const k = (v ?? {}) as Kustomization;
    for (const f of Object.keys(k)) if (!KNOWN_FIELDS.has(f)) throw new KustomizeError(`invalid Kustomization: json: unknown field ${JSON.stringify(f)}`);
    checkTypes(k);
    for (const [field, msg] of WARNINGS) if (k[field] !== undefined && k[field] !== null) this.warnings.push(msg);
    // FixKustomization.
    k.kind ||= "Kustomization";
    k.apiVersion ||= k.kind === "Component" ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
    k.resources = [...(k.resources ?? []), ...(k.bases ?? [])];
    delete k.bases;
    k.images = [...(k.images ?? []), ...(k.imageTags ?? [])];
    delete k.imageTags;
    const meaningful = Object.keys(k).filter((f) => f !== "apiVersion" && f !== "kind" && !(Array.isArray(k[f]) && (k[f] as unknown[]).length === 0));
    if (meaningful.length === 0) throw new KustomizeError("kustomization.yaml is empty");
    const errs: string[] = [];
    if (k.kind !== "Kustomization" && k.kind !== "Component") errs.push("kind should be Kustomization or Component");
    const required = k.kind === "Component" ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
    if (k.apiVersion !== required) errs.push(`apiVersion for ${k.kind} should be ${required}`);
    if (errs.length) throw new KustomizeError(`Failed to read kustomization file under ${this.ldr.root}:\n${errs.join("\n")}`);
    for (const f of Object.keys(NOT_SIMULATED)) {
      const val = k[f];
      if (val !== undefined && val !== null && !(Array.isArray(val) && val.length === 0)) {
        throw new KustomizeError(`kustomization field '${f}' (${NOT_SIMULATED[f]}) is not simulated`);
      }
    }
    this.k = k;
  }

  /**
   * accumulateTarget: resources, generators, components, transformers. A kustomization starts
   * from nothing; a component continues its parent's accumulation (`start`).
   */
  accumulate(start: Resource[] = []): Resource[] {
    let ra = start;
    try {
      ra = this.accumulateResources(ra, this.k.resources ?? []);
    } catch (e) {
      if (e instanceof KustomizeError) throw new KustomizeError(`accumulating resources: ${e.message}`);
      throw e;
    }
    ra = this.runGenerators(ra);
    try {
      ra = this.accumulateComponents(ra, (this.k.components as string[] | undefined) ?? []);
    } catch (e) {
      if (e instanceof KustomizeError) throw new KustomizeError(`accumulating components: ${e.message}`);
      throw e;
    }
    ra = this.runTransformers(ra);
    return ra;
  }

  /** Components: each applies its own resources, generators and transformers to what has accumulated so far. */
  private accumulateComponents(ra: Resource[], paths: string[]): Resource[] {
    for (const path of paths) {
      if (typeof path !== "string") throw new KustomizeError(`invalid Kustomization: json: cannot unmarshal ${typeof path} into Go struct field Kustomization.components of type string`);
      let ldr: Loader;
      try {
        ldr = this.ldr.child(path);
      } catch (e) {
        if (e instanceof KustomizeError) throw new KustomizeError(`loader.New ${JSON.stringify(e.message)}`);
        throw e;
      }
      const sub = new KustTarget(ldr, this.warnings);
      try {
        sub.load();
        if (sub.k.kind !== "Component") throw new KustomizeError(`expected kind 'Component' for path '${ldr.root}' but got '${sub.k.kind}'`);
        ra = sub.accumulate(ra);
      } catch (e) {
        if (e instanceof KustomizeError) throw new KustomizeError(`accumulateDirectory: ${JSON.stringify(`couldn't make target for path '${ldr.root}': ${e.message}`)}`);
        throw e;
      }
    }
    return ra;
  }

  private accumulateResources(ra: Resource[], paths: string[]): Resource[] {
    for (const path of paths) {
      const remote = isRemote(path);
      if (remote && remoteKustomizationCopy(path) === undefined) throw new KustomizeError(`remote resource ${JSON.stringify(path)} is not simulated (kustomize would fetch it over the network)`);
      const kind = remote ? "dir" : this.ldr.kind(path);
      if (kind === "file") {
        const objs = parseYAMLObjects(this.ldr.load(path).toString("utf8"), this.ldr.resolve(path));
        for (const o of objs) absorb(ra, new Resource(o));
        continue;
      }
      if (kind === undefined) {
        const p = this.ldr.resolve(path);
        throw new KustomizeError(
          `accumulation err='accumulating resources from '${path}': open ${p}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '${p}' : lstat ${p}: no such file or directory`,
        );
      }
      const sub = new KustTarget(this.ldr.child(path), this.warnings);
      try {
        sub.load();
        if (sub.k.kind === "Component") throw new KustomizeError(`expected kind != 'Component' for path '${sub.ldr.root}'`);
      } catch (e) {
        if (e instanceof KustomizeError) throw new KustomizeError(`accumulation err='accumulating resources from '${path}': read ${this.ldr.resolve(path)}: is a directory': couldn't make target for path '${sub.ldr.root}': ${e.message}`);
        throw e;
      }
      for (const r of sub.accumulate()) absorb(ra, r);
    }
    return ra;
  }

  private runGenerators(ra: Resource[]): Resource[] {
    const global = this.k.generatorOptions;
    for (const args of this.k.configMapGenerator ?? []) absorbGenerated(ra, makeConfigMap(this.ldr, args, mergeOptions(args.options, global)));
    for (const args of this.k.secretGenerator ?? []) absorbGenerated(ra, makeSecret(this.ldr, args, mergeOptions(args.options, global)));
    return ra;
  }

  private runTransformers(ra: Resource[]): Resource[] {
    const k = this.k;
    const tc = defaultFieldSpecs();
    if (k.patchesStrategicMerge?.length) ra = applyPatchesStrategicMerge(ra, this.ldr, k.patchesStrategicMerge);
    for (const p of k.patches ?? []) ra = applyPatch(ra, this.ldr, p);
    applyNamespace(ra, k.namespace ?? "", tc.namespace);
    applyNameAffix(ra, k.namePrefix ?? "", tc.namePrefix, "prefix");
    applyNameAffix(ra, k.nameSuffix ?? "", tc.nameSuffix, "suffix");
    const common = k.commonLabels ?? {};
    for (const label of k.labels ?? []) {
      for (const key of Object.keys(label.pairs ?? {})) {
        if (key in common) throw new KustomizeError(`label name '${key}' exists in both commonLabels and labels`);
      }
    }
    for (const label of k.labels ?? []) {
      let fss: FieldSpec[] = [...(label.fields ?? [])];
      if (label.includeSelectors) fss = mergeSpecs(fss, tc.commonLabels);
      else {
        if (label.includeTemplates) fss = mergeSpecs(fss, tc.templateLabels);
        fss = mergeSpecs(fss, [{ path: "metadata/labels", create: true }]);
      }
      applyMapTransformer(ra, label.pairs ?? {}, fss, "labels");
    }
    applyMapTransformer(ra, common, tc.commonLabels, "labels");
    applyMapTransformer(ra, k.commonAnnotations ?? {}, tc.commonAnnotations, "annotations");
    for (const p of k.patchesJson6902 ?? []) applyPatchJson6902(ra, this.ldr, p);
    for (const r of k.replicas ?? []) applyReplicas(ra, r, tc.replicas);
    for (const img of k.images ?? []) applyImage(ra, img, tc.images);
    return ra;
  }
}

/** Go's %#v of a resid.ResId, as kustomize's generator-merge errors print it. */
function goIdText(id: ResId): string {
  return `resid.ResId{Gvk:resid.Gvk{Group:${JSON.stringify(id.gvk.group)}, Version:${JSON.stringify(id.gvk.version)}, Kind:${JSON.stringify(id.gvk.kind)}, isClusterScoped:false}, Name:${JSON.stringify(id.name)}, Namespace:${JSON.stringify(id.namespace)}}`;
}

/** ResAccumulator.AppendAll (resWrangler.Append): a resource whose current id is already there is an error. */
function absorb(ra: Resource[], r: Resource): void {
  const id = r.curId();
  if (ra.some((o) => idEquals(o.curId(), id))) {
    throw new KustomizeError(`may not add resource with an already registered id: ${idString(id)}`);
  }
  ra.push(r);
}

/** appendReplaceOrMerge: a generated resource with behavior create, merge or replace. */
function absorbGenerated(ra: Resource[], r: Resource): void {
  const id = r.curId();
  const matches = ra.filter((o) => o.anyIds().some((x) => idEquals(x, id)));
  if (matches.length === 0) {
    if (r.behavior !== "create") throw new KustomizeError(`id ${goIdText(id)} does not exist; cannot merge or replace`);
    ra.push(r);
    return;
  }
  if (matches.length > 1) throw new KustomizeError(`found multiple objects that could accept merge of ${idString(id)}`);
  const old = matches[0];
  if (r.behavior === "create") throw new KustomizeError(`id ${goIdText(id)} exists; behavior must be merge or replace`);
  // CopyMergeMetaDataFieldsFrom: the old name, namespace and name history; labels and annotations merged.
  const md = r.metadata;
  md.name = old.name;
  if (old.namespace) md.namespace = old.namespace;
  else delete md.namespace;
  const labels = { ...old.labels(), ...r.labels() };
  const annotations = { ...old.annotations(), ...r.annotations() };
  if (Object.keys(labels).length) md.labels = labels;
  if (Object.keys(annotations).length) md.annotations = annotations;
  // Build annotations (name history, hash request) come from the old resource; a hash only when both ask.
  r.needsHashSuffix = old.needsHashSuffix && r.needsHashSuffix;
  r.prevIds = old.prevIds;
  r.prefixes = old.prefixes;
  r.suffixes = old.suffixes;
  if (r.behavior === "merge") {
    for (const f of ["data", "binaryData"]) {
      const merged = { ...(isJSONObject(old.obj[f]) ? old.obj[f] : {}), ...(isJSONObject(r.obj[f]) ? r.obj[f] : {}) };
      if (Object.keys(merged).length) r.obj[f] = merged;
    }
  }
  ra[ra.indexOf(old)] = r;
}

/**
 * krusty.Kustomizer.Run: the built resources, in the legacy order as kubectl asks (`reorder:
 * "none"` keeps the accumulation order, as krusty's default options and its tests do).
 */
export function build(ldr: Loader, opts: { reorder?: "legacy" | "none" } = {}): BuildResult {
  const warnings: string[] = [];
  const kt = new KustTarget(ldr, warnings);
  kt.load();
  const ra = kt.accumulate();
  // addHashesToNames.
  for (const r of ra) {
    if (!r.needsHashSuffix) continue;
    const h = hashResource(r.obj);
    r.storePreviousId();
    r.name = `${r.name}-${h}`;
  }
  fixNameReferences(ra, defaultFieldSpecs().nameReference);
  return { resources: opts.reorder === "none" ? ra : legacySort(ra), warnings };
}

export { gvkString };
