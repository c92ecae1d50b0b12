/**
 * Server-side apply and managedFields, approximated (sigs.k8s.io/structured-merge-diff in
 * miniature): each manager's fields are a FieldsV1 set (`f:spec`, `k:{"name":"c"}`, `v:"x"`,
 * `.`); lists with a patch merge key are associative (items keyed by it), lists of scalars with
 * the "merge" strategy are sets, other lists and all scalars are atomic leaves.
 *  - An apply (PATCH `application/apply-patch+yaml`) merges the configuration into the live
 *    object, removes the fields the manager applied before and no longer applies (unless another
 *    manager owns them too), and fails with a Conflict when it would change a field another
 *    manager owns, unless forced (the field then changes hands).
 *  - Other writes through the facade (create, update, patch) record an `Update` entry for their
 *    manager with the fields they set or changed, taking them from the others.
 * Writes made inside the simulation (controllers, kubelets) record nothing.
 */
import { ApiError } from "./errors.ts";
import { loadSchema } from "./schema/fields.ts";
import { PATCH_META, strategicMergePatch } from "./schema/strategicmerge.ts";
import { clone, type KObject } from "./types.ts";

type Obj = Record<string, unknown>;
/** A FieldsV1 tree: `{}` is a leaf; `.` marks that the item itself is owned. */
export interface FieldSet {
  [key: string]: FieldSet;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields no manager owns (identity and server-set metadata, status of the main resource). */
const IGNORED_TOP = new Set(["apiVersion", "kind", "status"]);
const IGNORED_META = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"]);

function meta(type: string | undefined, field: string): { strategy: string; mergeKey?: string } | undefined {
  return type ? PATCH_META[`${type}.${field}`] : undefined;
}

function childType(type: string | undefined, field: string): string | undefined {
  const code = type ? loadSchema().types[type]?.[field] : undefined;
  if (!code) return undefined;
  if (code.startsWith("[") || code.startsWith("{")) return code.slice(1, -1);
  return code;
}

/** The FieldsV1 set of the fields an object (or configuration) sets. */
export function fieldSetOf(obj: Obj, kind: string): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k) || v === undefined) continue;
    if (k === "metadata" && isObj(v)) {
      const m: FieldSet = {};
      for (const [mk, mv] of Object.entries(v)) if (!IGNORED_META.has(mk) && mv !== undefined) m[`f:${mk}`] = valueSet(mv, "V1ObjectMeta", mk);
      if (Object.keys(m).length) out["f:metadata"] = m;
      continue;
    }
    out[`f:${k}`] = valueSet(v, loadSchema().roots[kind], k);
  }
  return out;
}

function valueSet(v: unknown, parentType: string | undefined, field: string): FieldSet {
  const m = meta(parentType, field);
  const type = childType(parentType, field);
  if (Array.isArray(v)) {
    if (m?.strategy.includes("merge") && m.mergeKey) {
      const out: FieldSet = {};
      for (const item of v) if (isObj(item)) out[`k:${JSON.stringify({ [m.mergeKey]: item[m.mergeKey] })}`] = { ".": {}, ...objectSet(item, type) };
      return out;
    }
    if (m?.strategy.includes("merge")) return Object.fromEntries(v.map((x) => [`v:${JSON.stringify(x)}`, {}]));
    return {};
  }
  if (isObj(v)) return objectSet(v, type);
  return {};
}

function objectSet(v: Obj, type: string | undefined): FieldSet {
  const out: FieldSet = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[`f:${k}`] = valueSet(x, type, k);
  return out;
}

/** Leaf paths of a set, each a list of FieldsV1 keys. */
export function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  const keys = Object.keys(set);
  if (keys.length === 0) return [prefix];
  for (const k of keys) {
    if (k === ".") out.push(prefix);
    else out.push(...leaves(set[k], [...prefix, k]));
  }
  return out;
}

function has(set: FieldSet, path: string[]): boolean {
  let s: FieldSet | undefined = set;
  for (const k of path) {
    s = s?.[k];
    if (s === undefined) return false;
  }
  return s !== undefined && (Object.keys(s).length === 0 || "." in s || path.length === 0);
}

function remove(set: FieldSet, path: string[]): void {
  if (path.length === 0) return;
  const [k, ...rest] = path;
  const sub = set[k!];
  if (sub === undefined) return;
  if (rest.length === 0) {
    if (Object.keys(sub).some((x) => x !== ".")) delete sub["."];
    else delete set[k!];
    return;
  }
  remove(sub, rest);
  if (Object.keys(sub).length === 0) delete set[k!];
}

function add(set: FieldSet, path: string[]): void {
  let s = set;
  for (const k of path) s = s[k] ??= {};
  if (path.length && Object.keys(s).length > 0) s["."] = {};
}

/** The value a path reaches in an object (undefined when absent). */
function valueAt(obj: unknown, path: string[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (v === undefined) return undefined;
    if (k.startsWith("f:")) v = isObj(v) ? v[k.slice(2)] : undefined;
    else if (k.startsWith("k:")) {
      const key = JSON.parse(k.slice(2)) as Obj;
      const [name, want] = Object.entries(key)[0]!;
      v = Array.isArray(v) ? v.find((x) => isObj(x) && JSON.stringify(x[name]) === JSON.stringify(want)) : undefined;
    } else if (k.startsWith("v:")) {
      const want = k.slice(2);
      v = Array.isArray(v) ? v.find((x) => JSON.stringify(x) === want) : undefined;
    }
  }
  return v;
}

/** Deletes the field a path names from an object. */
function deleteAt(obj: Obj, path: string[]): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const k = path[path.length - 1]!;
  if (k.startsWith("f:") && isObj(parent)) delete parent[k.slice(2)];
  else if (Array.isArray(parent)) {
    const i = parent.findIndex((x) => valueAt([x], [k]) === x);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** A path as the API server names it in a conflict: `.spec.containers[name="c"].image`. */
export function pathString(path: string[]): string {
  return path
    .map((k) => {
      if (k.startsWith("f:")) return `.${k.slice(2)}`;
      if (k.startsWith("k:")) return `[${Object.entries(JSON.parse(k.slice(2)) as Obj).map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(",")}]`;
      return `[=${k.slice(2)}]`;
    })
    .join("");
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldSet;
  subresource?: string;
}

const entriesOf = (obj: KObject): ManagedFieldsEntry[] => clone((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]);

function upsert(entries: ManagedFieldsEntry[], manager: string, operation: "Apply" | "Update", apiVersion: string, time: string, set: FieldSet, replace: boolean, subresource?: string): ManagedFieldsEntry[] {
  const i = entries.findIndex((e) => e.manager === manager && e.operation === operation && e.subresource === subresource);
  if (i >= 0) {
    const e = entries[i]!;
    if (replace) e.fieldsV1 = set;
    else for (const p of leaves(set)) add(e.fieldsV1, p);
    e.time = time;
    e.apiVersion = apiVersion;
  } else entries.push({ manager, operation, apiVersion, time, fieldsType: "FieldsV1", fieldsV1: set, ...(subresource ? { subresource } : {}) });
  return entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
}

/**
 * managedFields after a non-apply write by `manager`: it takes the fields it set (on create) or
 * changed (on update), and the other managers lose them.
 */
export function recordUpdate(old: KObject | undefined, updated: KObject, manager: string, time: string, subresource?: string): ManagedFieldsEntry[] {
  const entries = old ? entriesOf(old) : [];
  const all = fieldSetOf(updated, updated.kind);
  const changed: FieldSet = {};
  for (const p of leaves(all)) {
    if (p.length === 0) continue;
    if (!old || JSON.stringify(valueAt(old, p)) !== JSON.stringify(valueAt(updated, p))) add(changed, p);
  }
  // Fields the write removed belong to nobody any more.
  const removed = old ? leaves(fieldSetOf(old, old.kind)).filter((p) => p.length && valueAt(updated, p) === undefined) : [];
  for (const e of entries) for (const p of [...leaves(changed), ...removed]) if (e.manager !== manager || e.operation !== "Update" || e.subresource !== subresource) remove(e.fieldsV1, p);
  if (leaves(changed).every((p) => p.length === 0)) return entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
  return upsert(entries, manager, "Update", updated.apiVersion, time, changed, false, subresource);
}

/**
 * Server-side apply of `config` by `manager` over `live` (undefined: the object is created).
 * Returns the object to write, managedFields included; throws the API server's Conflict.
 */
export function serverSideApply(live: KObject | undefined, config: KObject, manager: string, force: boolean, time: string): KObject {
  const applied = fieldSetOf(config, config.kind);
  if (!live) {
    const obj = clone(config);
    obj.metadata.managedFields = [{ manager, operation: "Apply", apiVersion: config.apiVersion, time, fieldsType: "FieldsV1", fieldsV1: applied }];
    return obj;
  }
  let entries = entriesOf(live);
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  const conflicts: { manager: string; apiVersion: string; path: string[] }[] = [];
  for (const p of leaves(applied)) {
    if (p.length === 0) continue;
    if (JSON.stringify(valueAt(live, p)) === JSON.stringify(valueAt(config, p)) || valueAt(live, p) === undefined) continue;
    for (const e of entries) {
      if (e === mine || !has(e.fieldsV1, p)) continue;
      conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, path: p });
    }
  }
  if (conflicts.length && !force) throw new ApiError("Conflict", conflictMessage(conflicts));
  for (const c of conflicts) for (const e of entries) if (e.manager === c.manager && e !== mine) remove(e.fieldsV1, c.path);
  // Merge the configuration over the live object (keyed lists item by item, others replaced).
  const merged = strategicMergePatch(clone(live), stripIdentity(config), loadSchema().roots[live.kind]) as KObject;
  // Fields this manager applied before and no longer does go, unless someone else still owns them.
  if (mine) {
    for (const p of leaves(mine.fieldsV1)) {
      if (p.length === 0 || has(applied, p)) continue;
      if (entries.some((e) => e !== mine && has(e.fieldsV1, p))) continue;
      deleteAt(merged, p);
    }
  }
  entries = upsert(entries, manager, "Apply", config.apiVersion, time, applied, true);
  merged.metadata.managedFields = entries;
  return merged;
}

function stripIdentity(config: KObject): Obj {
  const c = clone(config) as Obj;
  delete c.status;
  if (isObj(c.metadata)) for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields", "generation"]) delete c.metadata[k];
  return c;
}

/** The Conflict message of structured-merge-diff (`Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`). */
function conflictMessage(conflicts: { manager: string; apiVersion: string; path: string[] }[]): string {
  const n = conflicts.length;
  const head = `Apply failed with ${n} conflict${n === 1 ? "" : "s"}: `;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const key = `"${c.manager}" using ${c.apiVersion}`;
    byManager.set(key, [...(byManager.get(key) ?? []), pathString(c.path)]);
  }
  const parts = [...byManager].map(([who, paths]) => (paths.length === 1 ? `conflict with ${who}: ${paths[0]}` : `conflicts with ${who}:\n${paths.map((p) => `- ${p}`).join("\n")}`));
  return head + parts.join("\n");
}
