/**
 * The builtin transformers a kustomization's cross-cutting fields configure (kustomize v5.5.0
 * api/internal/builtins/*Transformer.go and api/filters/*): namespace, namePrefix/nameSuffix,
 * labels and commonLabels, commonAnnotations, replicas and images. Each writes where its field
 * specs say (fieldspec.ts).
 */
import { isJSONObject, type JSONObject } from "../../api/types.ts";
import { applyFieldSpec, FieldSpecError, type FieldRef, type FieldSpec } from "./fieldspec.ts";
import { KustomizeError } from "./loader.ts";
import { gvkSelected, gvkString, idEquals, isClusterScoped, type Resource } from "./resource.ts";

function get(ref: FieldRef): unknown {
  return (ref.parent as Record<string | number, unknown>)[ref.key];
}

function put(ref: FieldRef, v: unknown): void {
  (ref.parent as Record<string | number, unknown>)[ref.key] = v;
}

function wrap(r: Resource, fs: FieldSpec, e: unknown): never {
  if (e instanceof FieldSpecError) {
    throw new KustomizeError(`considering field '${fs.path}' of object ${gvkString(r.gvk())}/${r.name || "[noName]"}.${r.namespace || "[noNs]"}: ${e.message}`);
  }
  throw e;
}

/** Sets map entries (labels.Filter, annotations.Filter): keys in sorted order, values as strings. */
function mapSetter(entries: Record<string, string>, what: string) {
  const keys = Object.keys(entries).sort();
  return (ref: FieldRef) => {
    let m = get(ref);
    if (m === null || m === undefined) {
      m = {};
      put(ref, m);
    }
    if (!isJSONObject(m)) throw new FieldSpecError(`wrong node kind: expected MappingNode but got ${Array.isArray(m) ? "SequenceNode" : "ScalarNode"}: node contents:\n${String(m)}\n(setting ${what})`);
    for (const k of keys) m[k] = String(entries[k] ?? "");
  };
}

export function applyMapTransformer(resources: Resource[], entries: Record<string, string>, specs: FieldSpec[], what: string): void {
  if (Object.keys(entries).length === 0) return;
  const set = mapSetter(entries, what);
  for (const r of resources) {
    for (const fs of specs) {
      try {
        applyFieldSpec(r.obj, fs, "map", set);
      } catch (e) {
        wrap(r, fs, e);
      }
    }
  }
}

/** types.FsSlice.MergeAll: adds specs not already there (same gvk and path). */
export function mergeSpecs(base: FieldSpec[], more: FieldSpec[]): FieldSpec[] {
  const out = [...base];
  for (const fs of more) {
    const dup = out.find((o) => o.path === fs.path && (o.group ?? "") === (fs.group ?? "") && (o.version ?? "") === (fs.version ?? "") && (o.kind ?? "") === (fs.kind ?? ""));
    if (dup) {
      if (!!dup.create !== !!fs.create) {
        throw new KustomizeError(`conflicting fieldspecs`);
      }
      continue;
    }
    out.push(fs);
  }
  return out;
}

const PREFIX_SKIP: Array<{ group?: string; kind: string }> = [{ kind: "CustomResourceDefinition" }, { group: "apiregistration.k8s.io", kind: "APIService" }, { kind: "Namespace" }];

/** PrefixTransformer / SuffixTransformer. */
export function applyNameAffix(resources: Resource[], affix: string, specs: FieldSpec[], where: "prefix" | "suffix"): void {
  if (!affix) return;
  for (const r of resources) {
    const id = r.orgId();
    if (PREFIX_SKIP.some((s) => gvkSelected(id.gvk, s))) continue;
    for (const fs of specs) {
      if (!gvkSelected(id.gvk, fs)) continue;
      if (fs.path === "metadata/name") {
        if (where === "prefix") r.prefixes.push(affix);
        else r.suffixes.push(affix);
        r.storePreviousId();
      }
      try {
        applyFieldSpec(r.obj, fs, undefined, (ref) => {
          const v = get(ref);
          if (typeof v !== "string") return;
          put(ref, where === "prefix" ? affix + v : v + affix);
        });
      } catch (e) {
        wrap(r, fs, e);
      }
    }
  }
}

/** NamespaceTransformer (api/filters/namespace). */
export function applyNamespace(resources: Resource[], namespace: string, specs: FieldSpec[]): void {
  if (!namespace) return;
  for (const r of resources) {
    if (Object.keys(r.obj).length === 0) continue;
    r.storePreviousId();
    const gvk = r.gvk();
    const apiVersion = typeof r.obj.apiVersion === "string" ? r.obj.apiVersion : "";
    if (!isClusterScoped(gvk)) r.metadata.namespace = namespace;
    let fsSlice = specs.filter((fs) => fs.path !== "metadata/namespace" && (apiVersion === "v1" || fs.path !== "metadata/name"));
    if (gvk.kind === "RoleBinding" || gvk.kind === "ClusterRoleBinding") {
      fsSlice = fsSlice.filter((fs) => fs.path !== "subjects/namespace");
      const subjects = r.obj.subjects;
      if (Array.isArray(subjects)) {
        for (const s of subjects) if (isJSONObject(s) && s.name === "default") s.namespace = namespace;
      }
    }
    for (const fs of fsSlice) {
      try {
        applyFieldSpec(r.obj, fs, "scalar", (ref) => {
          const v = get(ref);
          if (isJSONObject(v) || Array.isArray(v)) throw new FieldSpecError("namespace field specs must target scalar nodes");
          put(ref, namespace);
        });
      } catch (e) {
        wrap(r, fs, e);
      }
    }
    const others = resources.filter((o) => idEquals(o.curId(), r.curId()));
    if (others.length !== 1) throw new KustomizeError(`namespace transformation produces ID conflict: ${others.map((o) => o.name).join(", ")}`);
  }
}

export interface Replica {
  name?: string;
  count?: number;
}

/** ReplicaCountTransformer. */
export function applyReplicas(resources: Resource[], replica: Replica, specs: FieldSpec[]): void {
  let found = false;
  for (const fs of specs) {
    const matched = resources.filter((r) => r.anyIds().some((id) => id.name === replica.name && gvkSelected(id.gvk, fs)));
    if (matched.length === 0) continue;
    found = true;
    for (const r of matched) {
      try {
        applyFieldSpec(r.obj, fs, "scalar", (ref) => put(ref, replica.count ?? 0));
      } catch (e) {
        wrap(r, fs, e);
      }
    }
  }
  if (!found) {
    const gvks = specs.map((fs) => gvkString({ group: fs.group ?? "", version: fs.version ?? "", kind: fs.kind ?? "" }));
    throw new KustomizeError(`resource with name ${replica.name ?? ""} does not match a config with the following GVK [${gvks.join(" ")}]`);
  }
}

export interface ImageArgs {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

/** image.Split: name, tag and digest of an image reference. */
export function splitImage(imageName: string): { name: string; tag: string; digest: string } {
  let search = imageName;
  let slash = imageName.indexOf("/");
  if (slash > 0) search = imageName.slice(slash);
  else slash = 0;
  let id = search.indexOf("@");
  let ic = search.indexOf(":");
  if (ic < 0 && id < 0) return { name: imageName, tag: "", digest: "" };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: imageName.slice(0, id), tag: "", digest: imageName.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: imageName.slice(0, ic), tag: imageName.slice(ic + 1, id), digest: imageName.slice(id + 1) };
  }
  ic += slash;
  return { name: imageName.slice(0, ic), tag: imageName.slice(ic + 1), digest: "" };
}

/** imageTagUpdater.SetImageValue: the new reference, or undefined when the image is not the one named. */
export function updateImage(value: string, img: ImageArgs): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp("^" + (img.name ?? "") + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$");
  } catch {
    return undefined;
  }
  if (!re.test(value)) return undefined;
  let { name, tag, digest } = splitImage(value);
  if (img.newName) name = img.newName;
  if (img.newTag && img.digest) {
    tag = img.newTag;
    digest = img.digest;
  } else if (img.newTag) {
    tag = img.newTag;
    digest = "";
  } else if (img.digest) {
    tag = "";
    digest = img.digest;
  } else if (img.tagSuffix) {
    tag += img.tagSuffix;
    digest = "";
  }
  if (tag) name += ":" + tag;
  if (digest) name += "@" + digest;
  return name;
}

function setImageAt(ref: FieldRef, img: ImageArgs): void {
  const v = get(ref);
  if (v === undefined || v === null) return;
  if (typeof v !== "string") throw new FieldSpecError("wrong node kind: expected ScalarNode");
  const next = updateImage(v, img);
  if (next !== undefined) put(ref, next);
}

/** The legacy walk: every `containers` and `initContainers` list anywhere in the object. */
function legacyImageWalk(node: unknown, img: ImageArgs): void {
  if (Array.isArray(node)) {
    for (const x of node) legacyImageWalk(x, img);
    return;
  }
  if (!isJSONObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    legacyImageWalk(v, img);
    if ((k === "containers" || k === "initContainers") && Array.isArray(v)) {
      for (const c of v) if (isJSONObject(c) && "image" in c) setImageAt({ parent: c, key: "image" }, img);
    }
  }
}

/** ImageTagTransformer: the legacy walk, then the image field specs. */
export function applyImage(resources: Resource[], img: ImageArgs, specs: FieldSpec[]): void {
  for (const r of resources) {
    if (r.kind === "CustomResourceDefinition") continue;
    legacyImageWalk(r.obj, img);
  }
  for (const r of resources) {
    if (r.kind === "CustomResourceDefinition") continue;
    for (const fs of specs) {
      try {
        applyFieldSpec(r.obj, fs, undefined, (ref) => setImageAt(ref, img));
      } catch (e) {
        wrap(r, fs, e);
      }
    }
  }
}

export type { JSONObject };
