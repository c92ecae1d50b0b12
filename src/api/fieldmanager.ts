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
 *  - The in-process kubectl's writes record the same `Update` entries, for the manager kubectl v1.32
 *    names in each request (`WriteOptions.fieldManager`: `kubectl-create`, `kubectl-label`…).
 * Writes made inside the simulation (controllers, kubelets) record nothing.
 */
import { ApiError } from "./errors.ts";
import { loadSchema } from "./schema/fields.ts";
import { PATCH_META } from "./schema/strategicmerge.ts";
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

/**
 * Associative lists whose keys are more than the patch merge key (`+listType=map` with several
 * `+listMapKey`s in k8s.io/api, as the OpenAPI's x-kubernetes-list-map-keys carry them), and the
 * defaults of key fields an item may leave out (`+default="TCP"`: structured-merge-diff fills a
 * missing key from the schema's default). Keyed by the merge key alone, a Service's 53/UDP and
 * 53/TCP ports were one item: a re-apply of the same manifest merged them into one and failed
 * with `spec.ports[1]: Duplicate value`.
 */
const LIST_MAP_KEYS: Record<string, { keys: string[]; defaults?: Record<string, unknown> }> = {
  "V1Container.ports": { keys: ["containerPort", "protocol"], defaults: { protocol: "TCP" } },
  "V1EphemeralContainer.ports": { keys: ["containerPort", "protocol"], defaults: { protocol: "TCP" } },
  "V1ServiceSpec.ports": { keys: ["port", "protocol"], defaults: { protocol: "TCP" } },
  "V1PodSpec.topologySpreadConstraints": { keys: ["topologyKey", "whenUnsatisfiable"] },
};

/** How apply treats a list field: associative by keys, a set of scalars, or atomic. */
type ListType = { kind: "map"; keys: string[]; defaults: Record<string, unknown> } | { kind: "set" } | { kind: "atomic" };

function listType(parentType: string | undefined, field: string): ListType {
  const explicit = parentType ? LIST_MAP_KEYS[`${parentType}.${field}`] : undefined;
  if (explicit) return { kind: "map", keys: [...explicit.keys].sort(), defaults: explicit.defaults ?? {} };
  const m = meta(parentType, field);
  // Without x-kubernetes-list-type the patch strategy decides (kube-openapi's schemaconv).
  if (m?.strategy.includes("merge") && m.mergeKey) return { kind: "map", keys: [m.mergeKey], defaults: {} };
  if (m?.strategy.includes("merge")) return { kind: "set" };
  return { kind: "atomic" };
}

/** An item's key in a FieldsV1 set: `k:{"containerPort":80,"protocol":"TCP"}` (fields sorted, defaults filled in). */
function itemKey(item: Obj, t: { keys: string[]; defaults: Record<string, unknown> }): string {
  return `k:${JSON.stringify(Object.fromEntries(t.keys.map((k) => [k, item[k] ?? t.defaults[k]])))}`;
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
  const type = childType(parentType, field);
  if (Array.isArray(v)) {
    const lt = listType(parentType, field);
    if (lt.kind === "map") {
      const out: FieldSet = {};
      for (const item of v) if (isObj(item)) out[itemKey(item, lt)] = { ".": {}, ...objectSet(item, type) };
      return out;
    }
    if (lt.kind === "set") return Object.fromEntries(v.map((x) => [`v:${JSON.stringify(x)}`, {}]));
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

/**
 * Adds to `target` the leaves of `from` and the items it owns itself (`.`), which `add` alone
 * loses when an item's own entry comes before its fields: an item created by an update was then
 * owned field by field only, and when its manager later stopped applying it, its fields were
 * removed but the emptied item stayed (`env[1].name: Required value` on kubectl's re-apply after
 * moving a client-side apply's fields to server-side apply).
 */
function union(target: FieldSet, from: FieldSet): void {
  for (const [k, sub] of Object.entries(from)) {
    const t = (target[k] ??= {});
    union(t, sub);
  }
}

/** A copy of `a` with the fields of `b` added (fieldpath.Set.Union). */
export function unionOf(a: FieldSet, b: FieldSet): FieldSet {
  const out = clone(a);
  union(out, b);
  return out;
}

/** Whether a set owns the field at `path` (FieldsV1 keys: `["f:metadata", "f:annotations", "f:x"]`). */
export function owns(set: FieldSet, path: string[]): boolean {
  return has(set, path);
}

/**
 * Marks with `.` the items of `set` that an update created (they are in `source`, the updated
 * object's fields, and not in `old`): a new item is its manager's, an item it only changed is not.
 */
function markItems(set: FieldSet, source: FieldSet, old: KObject | undefined, path: string[] = []): void {
  for (const [k, sub] of Object.entries(set)) {
    const from = source[k];
    if (!from) continue;
    const at = [...path, k];
    if ("." in from && Object.keys(sub).length > 0 && (!old || valueAt(old, at) === undefined)) sub["."] = {};
    markItems(sub, from, old, at);
  }
}

/** The value a path reaches in an object (undefined when absent). */
function valueAt(obj: unknown, path: string[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (v === undefined) return undefined;
    if (k.startsWith("f:")) v = isObj(v) ? v[k.slice(2)] : undefined;
    else if (k.startsWith("k:")) {
      // Every key field must match; one the item leaves out matches its default (TCP for a protocol).
      const key = Object.entries(JSON.parse(k.slice(2)) as Obj);
      const matches = (x: Obj) => key.every(([name, want]) => JSON.stringify(x[name] ?? (name === "protocol" ? "TCP" : undefined)) === JSON.stringify(want));
      v = Array.isArray(v) ? v.find((x) => isObj(x) && matches(x)) : undefined;
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

/** An object's managedFields entries (a copy); an entry without fieldsV1 (the `[{}]` that resets them) owns nothing. */
const entriesOf = (obj: KObject): ManagedFieldsEntry[] =>
  clone(((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter((e) => e && typeof e === "object").map((e) => ({ ...e, fieldsV1: isObj(e.fieldsV1) ? e.fieldsV1 : {} })));

/**
 * The managedFields an update starts from (FieldManager.Update, apiserver/pkg/endpoints/handlers/
 * fieldmanager): those the request itself carries when it sets any — so a client can rewrite them,
 * as kubectl does when it moves a client-side apply's fields to server-side apply, or reset them
 * with `[{}]` — else the live object's, so that clients that do not know them cannot drop them.
 */
function baseEntries(old: KObject | undefined, updated: KObject): ManagedFieldsEntry[] {
  const sent = updated.metadata.managedFields;
  if (Array.isArray(sent) && sent.length > 0) return entriesOf(updated);
  return old ? entriesOf(old) : [];
}

function upsert(entries: ManagedFieldsEntry[], manager: string, operation: "Apply" | "Update", apiVersion: string, time: string, set: FieldSet, replace: boolean, subresource?: string): ManagedFieldsEntry[] {
  const i = entries.findIndex((e) => e.manager === manager && e.operation === operation && e.subresource === subresource);
  if (i >= 0) {
    const e = entries[i]!;
    if (replace) e.fieldsV1 = set;
    else union(e.fieldsV1, set);
    e.time = time;
    e.apiVersion = apiVersion;
  } else entries.push({ manager, operation, apiVersion, time, fieldsType: "FieldsV1", fieldsV1: set, ...(subresource ? { subresource } : {}) });
  return entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
}

/**
 * managedFields after a non-apply write by `manager`: it takes the fields it set (on create) or
 * changed (on update), and the other managers lose them.
 */
export function recordUpdate(old: KObject | undefined, updated: KObject, manager: string, time: string, subresource?: string, apiVersion: string = updated.apiVersion): ManagedFieldsEntry[] {
  // A subresource's write never sets managedFields (upstream decodes the live object's for it).
  const entries = subresource ? (old ? entriesOf(old) : []) : baseEntries(old, updated);
  const all = fieldSetOf(updated, updated.kind);
  const changed: FieldSet = {};
  for (const p of leaves(all)) {
    if (p.length === 0) continue;
    if (!old || JSON.stringify(valueAt(old, p)) !== JSON.stringify(valueAt(updated, p))) add(changed, p);
  }
  markItems(changed, all, old);
  // Fields the write removed belong to nobody any more.
  const removed = old ? leaves(fieldSetOf(old, old.kind)).filter((p) => p.length && valueAt(updated, p) === undefined) : [];
  for (const e of entries) for (const p of [...leaves(changed), ...removed]) if (e.manager !== manager || e.operation !== "Update" || e.subresource !== subresource) remove(e.fieldsV1, p);
  if (leaves(changed).every((p) => p.length === 0)) return entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
  return upsert(entries, manager, "Update", apiVersion, time, changed, false, subresource);
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
  const conflicts: Conflict[] = [];
  for (const p of leaves(applied)) {
    if (p.length === 0) continue;
    // A list item's own entry (`.`) is about its presence, not its value: applying an item another
    // manager owns, with the same fields or not, is no conflict; only its fields can be (comparing
    // the whole item, which the server defaulted, made every re-apply by a second manager conflict
    // on `.spec.template.spec.containers[name="nginx"]`).
    if (p[p.length - 1]!.startsWith("k:")) continue;
    if (JSON.stringify(valueAt(live, p)) === JSON.stringify(valueAt(config, p)) || valueAt(live, p) === undefined) continue;
    for (const e of entries) {
      if (e === mine || !has(e.fieldsV1, p)) continue;
      conflicts.push({ entry: e, path: p });
    }
  }
  if (conflicts.length && !force && !allowedByLastApplied(live, manager, conflicts)) throw conflictError(conflicts);
  // Forced: each conflicting field leaves the entry that owned it.
  for (const c of conflicts) remove(c.entry.fieldsV1, c.path);
  // Merge the configuration over the live object (associative lists item by item, sets as sets, others replaced).
  const merged = mergeObject(clone(live) as Obj, stripIdentity(config), loadSchema().roots[live.kind]) as KObject;
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

/**
 * structured-merge-diff's merge of an applied configuration (rhs) over the live object (lhs):
 * maps merge field by field (a null in the configuration removes the field), associative lists
 * item by item by their keys, sets value by value, other lists and scalars are the configuration's.
 */
/**
 * A server-side apply to the status subresource: the configuration's status merged over the live
 * one as apply merges (associative lists item by item), everything else of the configuration left
 * out (the status strategy keeps the rest of the stored object). Who owns which status field is not
 * tracked (as the facade's status updates record none).
 */
export function applyStatus(live: KObject, config: KObject): KObject {
  const merged = clone(live);
  const status = (config as Obj).status;
  if (status === undefined || status === null) return merged;
  return mergeObject(merged as Obj, { status } as Obj, loadSchema().roots[live.kind]) as KObject;
}

function mergeObject(lhs: Obj, rhs: Obj, type: string | undefined): Obj {
  const out = lhs;
  for (const [k, r] of Object.entries(rhs)) {
    if (r === null) {
      delete out[k];
      continue;
    }
    out[k] = mergeValue(out[k], r, type, k);
  }
  return out;
}

function mergeValue(l: unknown, r: unknown, parentType: string | undefined, field: string): unknown {
  const type = childType(parentType, field);
  if (Array.isArray(r)) {
    if (!Array.isArray(l)) return r;
    const lt = listType(parentType, field);
    if (lt.kind === "map") {
      const keyOf = (x: unknown) => (isObj(x) ? itemKey(x, lt) : `v:${JSON.stringify(x)}`);
      return mergeList(l, r, keyOf, (a, b) => (a === undefined ? b : b === undefined ? a : isObj(a) && isObj(b) ? mergeObject(a, b, type) : b));
    }
    if (lt.kind === "set") return mergeList(l, r, (x) => JSON.stringify(x), (a, b) => b ?? a);
    return r;
  }
  if (isObj(r) && isObj(l)) {
    // Maps of scalars (labels, data) and structs merge key by key.
    const isMapType = !!parentType && loadSchema().types[parentType]?.[field]?.startsWith("{");
    return mergeObject(l, r, isMapType ? undefined : type);
  }
  return r;
}

/**
 * The order of a merged associative list or set (typed/merge.go visitListItems): live items in
 * their order, configuration items where they stand relative to the shared ones, new ones after
 * the shared item they follow in the configuration.
 */
function mergeList(lhs: unknown[], rhs: unknown[], keyOf: (x: unknown) => string, mergeItem: (l: unknown, r: unknown) => unknown): unknown[] {
  const lKeys = lhs.map(keyOf);
  const rKeys = rhs.map(keyOf);
  const observedL = new Map<string, unknown>();
  lhs.forEach((x, i) => observedL.has(lKeys[i]!) || observedL.set(lKeys[i]!, x));
  const observedR = new Map<string, unknown>();
  rhs.forEach((x, i) => observedR.has(rKeys[i]!) || observedR.set(rKeys[i]!, x));
  const sharedOrder = rKeys.filter((k) => observedL.has(k));
  let nextShared = sharedOrder.shift();
  const mergedR = new Set<string>();
  const out: unknown[] = [];
  let lI = 0;
  let rI = 0;
  while (lI < lhs.length || rI < rhs.length) {
    if (lI < lhs.length && rI < rhs.length) {
      const pe = lKeys[lI]!;
      if (pe === rKeys[rI]) {
        mergedR.add(pe);
        out.push(mergeItem(observedL.get(pe), observedR.get(pe)));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedR.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++;
        continue;
      }
    }
    if (lI < lhs.length) {
      const pe = lKeys[lI]!;
      if (!observedR.has(pe)) {
        out.push(lhs[lI]);
        lI++;
        continue;
      }
      if (mergedR.has(pe)) {
        lI++;
        continue;
      }
    }
    if (rI < rhs.length) {
      const pe = rKeys[rI]!;
      mergedR.add(pe);
      out.push(mergeItem(observedL.get(pe), observedR.get(pe)));
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * lastAppliedManager (apiserver/pkg/endpoints/handlers/fieldmanager/internal/lastappliedmanager.go):
 * `kubectl apply --server-side` (manager "kubectl") over an object that client-side `kubectl
 * apply` managed is applied as if forced when every conflict is a field of the client-side
 * last-applied configuration — the documented upgrade from client-side to server-side apply,
 * which otherwise conflicted with "kubectl-client-side-apply" on every field changed.
 */
function allowedByLastApplied(live: KObject, manager: string, conflicts: { path: string[] }[]): boolean {
  if (manager !== "kubectl") return false;
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (!text) return false;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObj(last)) return false;
  const allowed = fieldSetOf(last, live.kind);
  // Only where the live value is still the last-applied one: a field another client changed
  // since (`kubectl scale` after a client-side apply) conflicts, as the page's caution says.
  return conflicts.every((c) => has(allowed, c.path) && JSON.stringify(valueAt(live, c.path)) === JSON.stringify(valueAt(last, c.path)));
}

function stripIdentity(config: KObject): Obj {
  const c = clone(config) as Obj;
  delete c.status;
  if (isObj(c.metadata)) for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields", "generation"]) delete c.metadata[k];
  return c;
}

/** A field another manager owns that an apply would change (structured-merge-diff's merge.Conflict). */
interface Conflict {
  entry: ManagedFieldsEntry;
  path: string[];
}

/**
 * The manager's identifier as the field manager keys it (internal.BuildManagerIdentifier): the
 * entry's JSON without time and fields, and without apiVersion for an Apply entry, as Go's
 * encoding/json writes it (struct field order, `omitempty`, `<`, `>` and `&` escaped).
 */
function managerIdentifier(e: ManagedFieldsEntry): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation !== "Apply" && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  for (const k of Object.keys(id)) if (!id[k]) delete id[k];
  return JSON.stringify(id).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * printManager (apimachinery/pkg/util/managedfields/internal/conflict.go): `"name"`, then `with
 * subresource "scale"` for an entry of a subresource, then `using apps/v1` for an Update entry
 * (an Apply entry's identifier has no apiVersion and no time).
 */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === "Update" ? `${s} using ${e.apiVersion}` : s;
}

/** fieldpath.PathElement's order: field names, then keys, then values, then indexes. */
function compareElement(a: string, b: string): number {
  const rank = (k: string) => ({ f: 0, k: 1, v: 2, i: 3 })[k[0] as "f"] ?? 4;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const x = a.slice(2);
  const y = b.slice(2);
  if (a[0] === "f") return x < y ? -1 : x > y ? 1 : 0;
  if (a[0] === "i") return Number(x) - Number(y);
  if (a[0] === "v") return compareValue(JSON.parse(x), JSON.parse(y));
  // A key: its fields by name (value.FieldList.Compare), then the shorter first.
  const fx = Object.entries(JSON.parse(x) as Obj).sort(([m], [n]) => (m < n ? -1 : m > n ? 1 : 0));
  const fy = Object.entries(JSON.parse(y) as Obj).sort(([m], [n]) => (m < n ? -1 : m > n ? 1 : 0));
  for (let i = 0; i < Math.min(fx.length, fy.length); i++) {
    const [nx, vx] = fx[i]!;
    const [ny, vy] = fy[i]!;
    if (nx !== ny) return nx < ny ? -1 : 1;
    const c = compareValue(vx, vy);
    if (c) return c;
  }
  return fx.length - fy.length;
}

/** value.Compare: numbers, then strings, then booleans, then lists, maps and null. */
function compareValue(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : typeof v === "boolean" ? 2 : Array.isArray(v) ? 3 : v === null ? 5 : 4);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" || typeof a === "boolean") return Number(a) - Number(b);
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The order fieldpath.Set iterates its paths (Set.iteratePrefix): at each level the paths that end
 * there (its members) first, in element order, then each child's paths, child by child.
 */
export function comparePaths(p: string[], q: string[]): number {
  for (let i = 0; i < Math.min(p.length, q.length); i++) {
    const pm = i === p.length - 1;
    const qm = i === q.length - 1;
    if (pm !== qm) return pm ? -1 : 1;
    const c = compareElement(p[i]!, q[i]!);
    if (c) return c;
  }
  return p.length - q.length;
}

/**
 * The Conflict of structured-merge-diff as the API server answers it (internal.NewConflictError and
 * getConflictMessage): one cause per conflict (FieldManagerConflict, `conflict with <manager>`, the
 * path), and the message `Apply failed with 1 conflict: conflict with "m" using apps/v1:
 * .spec.replicas`, or for several the managers in the order of their identifiers, each with its
 * paths in the field set's order.
 */
function conflictError(conflicts: Conflict[]): ApiError {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const id = managerIdentifier(c.entry);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const groups = [...byManager].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cs]) => cs.sort((x, y) => comparePaths(x.path, y.path)));
  const ordered = groups.flat();
  const n = conflicts.length;
  const message =
    n === 1
      ? `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${pathString(conflicts[0]!.path)}`
      : `Apply failed with ${n} conflicts: ${groups.map((cs) => [`conflicts with ${printManager(cs[0]!.entry)}:`, ...cs.map((c) => `- ${pathString(c.path)}`)].join("\n")).join("\n")}`;
  return new ApiError("Conflict", message, {
    kind: "",
    name: "",
    causes: ordered.map((c) => ({ reason: "FieldManagerConflict", detail: `conflict with ${printManager(c.entry)}`, field: pathString(c.path) })),
  });
}
