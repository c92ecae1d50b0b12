/**
 * Field specs: where in which kinds a transformer writes (api/types/fieldspec.go), the default
 * tables (fieldspecs.data.ts), and the walk that reaches the fields (api/filters/fieldspec and
 * fsslice): a path of `/`-separated fields (`\/` escapes a slash), a list met on the way is walked
 * item by item, `name[]` names a list, missing maps are created when `create` is set.
 */
import { parse } from "yaml";
import { isJSONObject, type JSONObject } from "../../api/types.ts";
import * as data from "./fieldspecs.data.ts";
import { gvkOf, type Gvk } from "./resource.ts";

export interface FieldSpec extends Partial<Gvk> {
  path: string;
  create?: boolean;
}

export interface NameBackReference {
  gvk: Partial<Gvk>;
  referrers: FieldSpec[];
}

interface RawSpec {
  path: string;
  create?: boolean;
  group?: string;
  version?: string;
  kind?: string;
}

function specs(text: string, key: string): FieldSpec[] {
  const doc = parse(text) as Record<string, RawSpec[]>;
  return (doc[key] ?? []).map((s) => ({ path: s.path, create: s.create ?? false, group: s.group, version: s.version, kind: s.kind }));
}

let tables: ReturnType<typeof load> | undefined;

function load() {
  const nameRefDoc = parse(data.nameReferenceFieldSpecs) as { nameReference: Array<RawSpec & { fieldSpecs: RawSpec[] }> };
  return {
    namePrefix: specs(data.namePrefixFieldSpecs, "namePrefix"),
    nameSuffix: specs(data.nameSuffixFieldSpecs, "nameSuffix"),
    commonLabels: specs(data.commonLabelFieldSpecs, "commonLabels"),
    templateLabels: specs(data.templateLabelFieldSpecs, "templateLabels"),
    commonAnnotations: specs(data.commonAnnotationFieldSpecs, "commonAnnotations"),
    namespace: specs(data.namespaceFieldSpecs, "namespace"),
    images: specs(data.imagesFieldSpecs, "images"),
    replicas: specs(data.replicasFieldSpecs, "replicas"),
    nameReference: nameRefDoc.nameReference.map(
      (b): NameBackReference => ({
        gvk: { group: b.group, version: b.version, kind: b.kind },
        referrers: (b.fieldSpecs ?? []).map((s) => ({ path: s.path, create: s.create ?? false, group: s.group, version: s.version, kind: s.kind })),
      }),
    ),
  };
}

/** The default transformer configuration (builtinpluginconsts.GetDefaultFieldSpecs), parsed once. */
export function defaultFieldSpecs(): ReturnType<typeof load> {
  tables ??= load();
  return tables;
}

/** utils.PathSplitter: splits on `/`, `\/` being a slash inside a field name. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    if (path[i] === "\\" && path[i + 1] === "/") {
      cur += "/";
      i++;
    } else if (path[i] === "/") {
      out.push(cur);
      cur = "";
    } else cur += path[i];
  }
  out.push(cur);
  return out;
}

/** isMatchGVK: whether an object is of the kind (and group, version) a field spec names. */
export function specMatches(fs: Partial<Gvk>, obj: JSONObject): boolean {
  const g = gvkOf(obj);
  if (fs.kind && fs.kind !== g.kind) return false;
  if (fs.group && fs.group !== g.group) return false;
  if (fs.version && fs.version !== g.version) return false;
  return true;
}

/** What a setter is handed: the container and key of the field (its value may be absent when created). */
export interface FieldRef {
  parent: JSONObject | unknown[];
  key: string | number;
}

export type Setter = (ref: FieldRef) => void;

export class FieldSpecError extends Error {}

/**
 * Walks `fs.path` in `obj` and calls `set` on each field found (fieldspec.Filter). `createKind` is
 * what a missing last field is created as when the spec says `create` ("map", "scalar"), undefined
 * when the transformer never creates (name references).
 */
export function applyFieldSpec(obj: JSONObject, fs: FieldSpec, createKind: "map" | "scalar" | undefined, set: Setter): void {
  if (!specMatches(fs, obj)) return;
  walk({ parent: [obj], key: 0 }, splitPath(fs.path), fs, createKind, set);
}

function walk(ref: FieldRef, path: string[], fs: FieldSpec, createKind: "map" | "scalar" | undefined, set: Setter): void {
  if (path.length === 0) {
    set(ref);
    return;
  }
  const node = (ref.parent as Record<string | number, unknown>)[ref.key];
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk({ parent: node, key: i }, path, fs, createKind, set);
    return;
  }
  if (!isJSONObject(node)) throw new FieldSpecError("expected sequence or mapping node");
  const raw = path[0];
  const isSeq = raw.endsWith("[]");
  const field = isSeq ? raw.slice(0, -2) : raw;
  if (field === "") throw new FieldSpecError("cannot set or create an empty field name");
  if (!(field in node) || node[field] === null) {
    if (!fs.create || !createKind || isSeq) {
      if (node[field] === null && path.length > 1) return;
      if (!(field in node)) return;
    } else if (path.length <= 1) {
      if (createKind === "map") node[field] = {};
      // A scalar is created by the setter itself.
    } else node[field] = {};
  }
  walk({ parent: node, key: field }, path.slice(1), fs, createKind, set);
}
