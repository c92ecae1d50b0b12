/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), one implementation for the
 * API facade's PATCH and client-side `kubectl apply`: StrategicMergePatch applies a patch (maps
 * merge, `null` deletes, lists with a patch merge key merge item by item, `$patch`,
 * `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`), CreateTwoWayMergePatch and
 * CreateThreeWayMergePatch compute one. So a re-apply keeps what the API server added (the service
 * account token mount, defaulted fields) and removes what the previous configuration had and the
 * new one lacks; lists without a merge key are replaced whole.
 *
 * Schema types come from fields.json; merge keys and strategies from the Go struct tags (PATCH_META).
 */
import { sliceStable } from "./gosort.ts";
import { loadSchema } from "./fields.ts";

const load = loadSchema;

/**
 * Strategic merge patch metadata of the API types' fields, from the Go struct tags
 * (`patchStrategy:"merge" patchMergeKey:"name"`): `Type.field` → strategy and merge key. Lists
 * with "merge" and a key merge item by item; "merge" without a key merges a list of scalars as a
 * set; "retainKeys" clears the keys a patch does not list; other lists are replaced whole.
 */
export const PATCH_META: Record<string, { strategy: string; mergeKey?: string }> = {
  "V1PodSpec.volumes": { strategy: "merge,retainKeys", mergeKey: "name" },
  "V1PodSpec.initContainers": { strategy: "merge", mergeKey: "name" },
  "V1PodSpec.containers": { strategy: "merge", mergeKey: "name" },
  "V1PodSpec.ephemeralContainers": { strategy: "merge", mergeKey: "name" },
  "V1PodSpec.imagePullSecrets": { strategy: "merge", mergeKey: "name" },
  "V1PodSpec.hostAliases": { strategy: "merge", mergeKey: "ip" },
  "V1PodSpec.topologySpreadConstraints": { strategy: "merge", mergeKey: "topologyKey" },
  "V1PodSpec.resourceClaims": { strategy: "merge,retainKeys", mergeKey: "name" },
  "V1PodSpec.schedulingGates": { strategy: "merge", mergeKey: "name" },
  "V1Container.ports": { strategy: "merge", mergeKey: "containerPort" },
  "V1Container.env": { strategy: "merge", mergeKey: "name" },
  "V1Container.volumeMounts": { strategy: "merge", mergeKey: "mountPath" },
  "V1Container.volumeDevices": { strategy: "merge", mergeKey: "devicePath" },
  "V1EphemeralContainer.ports": { strategy: "merge", mergeKey: "containerPort" },
  "V1EphemeralContainer.env": { strategy: "merge", mergeKey: "name" },
  "V1EphemeralContainer.volumeMounts": { strategy: "merge", mergeKey: "mountPath" },
  "V1EphemeralContainer.volumeDevices": { strategy: "merge", mergeKey: "devicePath" },
  "V1PodStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1PodStatus.podIPs": { strategy: "merge", mergeKey: "ip" },
  "V1PodStatus.hostIPs": { strategy: "merge", mergeKey: "ip" },
  "V1NodeSpec.podCIDRs": { strategy: "merge" },
  "V1NodeStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1NodeStatus.addresses": { strategy: "merge", mergeKey: "type" },
  "V1NamespaceStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1ServiceSpec.ports": { strategy: "merge", mergeKey: "port" },
  "V1DeploymentSpec.strategy": { strategy: "retainKeys" },
  "V1DeploymentStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1ReplicaSetStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1DaemonSetStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1JobStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1PodDisruptionBudgetStatus.conditions": { strategy: "merge", mergeKey: "type" },
  "V1ObjectMeta.finalizers": { strategy: "merge" },
  "V1ObjectMeta.ownerReferences": { strategy: "merge", mergeKey: "uid" },
};

/** The strategic merge metadata of a field of a schema type, or undefined (replace). */
export function patchMetaOf(type: string, field: string): { strategy: string; mergeKey?: string } | undefined {
  return PATCH_META[`${type}.${field}`];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The object type of a field (`V1PodSpec`), the element type of a list field, or undefined. */
function fieldType(type: string | undefined, field: string): string | undefined {
  if (!type) return undefined;
  return load().types[type]?.[field];
}

const elem = (code: string | undefined) => (code && code.startsWith("[") ? code.slice(1, -1) : undefined);
const mapValue = (code: string | undefined) => (code && code.startsWith("{") ? code.slice(1, -1) : undefined);

/**
 * Client-side `kubectl apply`'s merge, as kubectl does it: CreateThreeWayMergePatch(previous
 * configuration, new configuration, live object), then that patch applied to `target` (a copy of
 * the live object, changed in place) with StrategicMergePatch.
 */
export function strategicThreeWayMerge(target: Obj, prev: Obj | undefined, applied: Obj, kind: string): void {
  const root = load().roots[kind];
  const patch = createThreeWayMergePatch(prev, applied, target, root);
  const result = strategicMergePatch(target, patch, root);
  if (result !== target) {
    for (const k of Object.keys(target)) delete target[k];
    Object.assign(target, result);
  }
}

/**
 * Where strategic merge finds a field's patch metadata and type: the API types (fields.json and
 * PATCH_META) by default; tests describe their own types (upstream's `mergeItem`).
 */
export interface PatchSchema {
  /** The type of a field: a type name, `[elem]` for lists, `{value}` for maps, or a primitive code. */
  fieldType(type: string | undefined, field: string): string | undefined;
  meta(type: string | undefined, field: string): { strategy: string; mergeKey?: string } | undefined;
}

export const API_PATCH_SCHEMA: PatchSchema = {
  fieldType: (type, field) => fieldType(type, field),
  meta: (type, field) => (type ? PATCH_META[`${type}.${field}`] : undefined),
};

/** A patch the API server refuses (mergepatch's errors), with upstream's text. */
export class StrategicPatchError extends Error {}

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ORDER = "$setElementOrder";
const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList";

/**
 * StrategicMergeMapPatch (k8s.io/apimachinery/pkg/util/strategicpatch): applies a strategic merge
 * patch to `original` (a copy, changed in place and returned) as kube-apiserver does for
 * `application/strategic-merge-patch+json`: maps merge key by key and `null` deletes; lists with
 * patchStrategy "merge" merge by their patchMergeKey (lists of scalars as sets) and keep the order
 * of `$setElementOrder/<list>`; `$patch: replace|delete` on a map or list item, `$retainKeys`,
 * `$deleteFromPrimitiveList/<list>`; other lists are replaced.
 */
export function strategicMergePatch(original: Obj, patch: Obj, rootType: string | undefined, schema: PatchSchema = API_PATCH_SCHEMA): Obj {
  return strategicMergeMapPatch(original, patch, rootType, schema).merged;
}

/**
 * strategicMergePatch, with the patch map as the merge left it: upstream's mergeMap changes the
 * patch as it goes (directives it has applied are deleted), and the API server's errors print
 * that map (handlers/patch.go's `fmt.Sprintf("%+v", patchMap)`). `patch` itself is not changed.
 */
export function strategicMergeMapPatch(original: Obj, patch: Obj, rootType: string | undefined, schema: PatchSchema = API_PATCH_SCHEMA): { merged: Obj; patch: Obj } {
  const working = structuredClone(patch);
  return { merged: smpMergeMap(original, working, rootType, { schema, apply: true }), patch: working };
}

/**
 * `apply`: applying a patch to an object (MergeParallelList and IgnoreUnmatchedNulls); otherwise
 * merging two patches into one (CreateThreeWayMergePatch): directives and nulls are kept.
 */
interface Cx {
  schema: PatchSchema;
  apply: boolean;
}

function smpMergeMap(original: Obj | undefined, patch: Obj, type: string | undefined, cx: Cx): Obj {
  const schema = cx.schema;
  if (DIRECTIVE in patch) {
    const d = patch[DIRECTIVE];
    if (d === "replace") {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (d === "delete") return {};
    throw new StrategicPatchError(`unknown patch type: ${goString(d)} in map: ${goMap(patch)}`);
  }
  const out: Obj = original ?? {};
  // $retainKeys: keys of the original the directive does not list are cleared.
  if (RETAIN_KEYS in patch && !cx.apply) {
    out[RETAIN_KEYS] ??= patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
  } else if (RETAIN_KEYS in patch) {
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw new StrategicPatchError("invalid patch format of retainKeys");
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
      if (!keep.includes(k)) throw new StrategicPatchError("invalid patch format of retainKeys");
    }
    for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
  }
  // $setElementOrder/<list>: merge that list (if patched) and order it.
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!cx.apply) out[key] ??= order;
    const field = directiveField(key, SET_ORDER, "invalid patch format of setElementOrder list");
    if (!Array.isArray(order)) throw new StrategicPatchError("invalid patch format of setElementOrder list");
    const hasOrig = Array.isArray(out[field]);
    const hasPatch = field in patch;
    if (!hasOrig && !hasPatch) continue;
    const meta = schema.meta(type, field);
    const mergeKey = meta?.mergeKey ?? "";
    const elemType = elem(schema.fieldType(type, field));
    if (hasPatch) validatePatchWithSetOrderList(patch[field], order, mergeKey);
    let merged: unknown[];
    if (hasOrig && hasPatch) merged = mergeSliceHandler(out[field] as unknown[], patch[field] as unknown[], meta?.strategy, mergeKey, elemType, false, cx);
    else merged = (hasOrig ? out[field] : patch[field]) as unknown[];
    const origList: unknown[] = hasOrig ? (out[field] as unknown[]) : [];
    const [inPatch, serverOnly] = partition(merged, order, mergeKey);
    out[field] = normalizeElementOrder(inPatch, serverOnly, order, origList, mergeKey);
    delete patch[field];
  }
  for (const [k0, patchV] of Object.entries(patch)) {
    let k = k0;
    let deleteList = false;
    if (k.startsWith(DELETE_FROM_PRIMITIVE) && !cx.apply) {
      out[k] = patchV;
      continue;
    }
    if (k.startsWith(DELETE_FROM_PRIMITIVE)) {
      k = directiveField(k, DELETE_FROM_PRIMITIVE, "invalid patch format of primitive list");
      deleteList = true;
      if (!(k in out)) continue;
    }
    if (patchV === null) {
      delete out[k];
      if (cx.apply) continue;
    }
    if (!(k in out)) {
      out[k] = patchV;
      continue;
    }
    const o = out[k];
    const bothMaps = isObj(o) && isObj(patchV);
    const bothLists = Array.isArray(o) && Array.isArray(patchV);
    if (!bothMaps && !bothLists) {
      out[k] = patchV;
      continue;
    }
    const meta = schema.meta(type, k);
    const strategy = (meta?.strategy ?? "").split(",").filter((s) => s !== "retainKeys")[0] ?? "";
    const code = schema.fieldType(type, k);
    if (bothMaps) {
      if (strategy === "replace") out[k] = patchV;
      else out[k] = smpMergeMap(o, patchV, code?.startsWith("{") ? mapValue(code) : code, cx);
    } else {
      out[k] = mergeSliceHandler(o as unknown[], patchV as unknown[], strategy, meta?.mergeKey ?? "", elem(code), deleteList, cx);
    }
  }
  return out;
}

/** The patch list's items (deletions aside) must come in the order $setElementOrder gives them. */
function validatePatchWithSetOrderList(patchList: unknown, order: unknown[], mergeKey: string): void {
  if (!Array.isArray(patchList)) throw new StrategicPatchError("invalid patch format of setElementOrder list");
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObj(v) && v[DIRECTIVE] === "delete")) : patchList;
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    if (isObj(items[p]) && DIRECTIVE in items[p]) {
      p++;
      continue;
    }
    if (itemKey(items[p], mergeKey) === itemKey(order[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= order.length) {
    throw new StrategicPatchError(`The order in patch list:\n${goList(patchList)}\n doesn't match $setElementOrder list:\n${goList(order)}\n`);
  }
}

const goList = (l: unknown[]) => `[${l.map(goMap).join(" ")}]`;

function directiveField(key: string, prefix: string, error: string): string {
  const i = key.indexOf("/");
  if (i < 0 || key.slice(0, i) !== prefix) throw new StrategicPatchError(error);
  return key.slice(i + 1);
}

function mergeSliceHandler(original: unknown[], patch: unknown[], strategy: string | undefined, mergeKey: string, elemType: string | undefined, deleteList: boolean, cx: Cx): unknown[] {
  const s = (strategy ?? "").split(",").filter((x) => x !== "retainKeys")[0];
  if (s !== "merge") return patch;
  return mergeSlice(original, patch, mergeKey, elemType, deleteList, cx);
}

const scalarKey = (v: unknown) => JSON.stringify(v);

function mergeSlice(original: unknown[], patch: unknown[], mergeKey: string, elemType: string | undefined, deleteList: boolean, cx: Cx): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const sample = original.length ? original[0] : patch[0];
  let merged: unknown[];
  if (!isObj(sample)) {
    if (deleteList && cx.apply) {
      const del = new Set(patch.map(scalarKey));
      return original.filter((v) => !del.has(scalarKey(v)));
    }
    const seen = new Set<string>();
    merged = [...original, ...patch].filter((v) => (seen.has(scalarKey(v)) ? false : (seen.add(scalarKey(v)), true)));
  } else {
    if (!mergeKey) throw new StrategicPatchError("cannot merge lists without merge key for type map");
    const plain: unknown[] = [];
    // The merge keys of `$patch: delete` items. A Set and a Map below rather than a scan of the list
    // per patch item (upstream's findMapInSliceBasedOnKeyValue): a 3 MiB patch of ~60,000 items was
    // O(n²), ~15 s of CPU with every client waiting. The same matches: Set and Map compare keys as
    // === does for every JSON value (they differ only for NaN, which JSON cannot hold).
    const deleted = new Set<unknown>();
    let replace = false;
    for (const v of patch) {
      if (!isObj(v) || !(DIRECTIVE in v)) {
        plain.push(v);
        continue;
      }
      const d = v[DIRECTIVE];
      if (d === "delete") {
        if (!(mergeKey in v)) throw new StrategicPatchError(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
        deleted.add(v[mergeKey]);
      } else if (d === "replace") replace = true;
      else if (d === "merge") throw new StrategicPatchError("merging lists cannot yet be specified in the patch");
      else throw new StrategicPatchError(`unknown patch type: ${goString(d)} in map: ${goMap(v)}`);
    }
    if (replace) return plain;
    const orig = deleted.size ? original.filter((x) => !(isObj(x) && deleted.has(x[mergeKey]))) : original.slice();
    // Where each merge key first appears (findIndex's answer); an item the patch adds is found by later patch items.
    const at = new Map<unknown, number>();
    orig.forEach((x, i) => {
      if (isObj(x) && !at.has(x[mergeKey])) at.set(x[mergeKey], i);
    });
    patch = plain;
    for (const v of patch) {
      if (!isObj(v) || !(mergeKey in v)) throw new StrategicPatchError(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
      const i = at.get(v[mergeKey]);
      if (i !== undefined) orig[i] = smpMergeMap(orig[i] as Obj, v, elemType, cx);
      else at.set(v[mergeKey], orig.push(v) - 1);
    }
    merged = orig;
  }
  const [inPatch, serverOnly] = partition(merged, patch, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, patch, original, mergeKey);
}

const itemKey = (v: unknown, mergeKey: string) => (mergeKey ? (isObj(v) ? scalarKey(v[mergeKey]) : undefined) : scalarKey(v));

/**
 * Where each merge key first appears in `list` (indexIn's answers, looked up in O(1)): the
 * sorts below compare items by their place in a list, and a findIndex per comparison made a
 * strategic merge patch of a list of n items O(n³): 400 env entries took 4 s of CPU, 1,000 minutes.
 */
function positionsIn(list: unknown[], mergeKey: string): (v: unknown) => number {
  const first = new Map<string | undefined, number>();
  list.forEach((x, i) => {
    const k = itemKey(x, mergeKey);
    if (!first.has(k)) first.set(k, i);
  });
  return (v) => first.get(itemKey(v, mergeKey)) ?? -1;
}

function partition(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const other: unknown[] = [];
  const indexIn = positionsIn(by, mergeKey);
  for (const v of merged) {
    if (mergeKey && !(isObj(v) && mergeKey in v)) throw new StrategicPatchError(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
    (indexIn(v) >= 0 ? inBy : other).push(v);
  }
  return [inBy, other];
}

/** Sorts `toSort` by `order` (stable; items not in `order` keep their place), deletions last. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string): unknown[] {
  let del: unknown[] = [];
  if (mergeKey) {
    del = toSort.filter((v) => isObj(v) && v[DIRECTIVE] === "delete");
    toSort = toSort.filter((v) => !(isObj(v) && v[DIRECTIVE] === "delete"));
  }
  // Go's sort.SliceStable with upstream's less (true when either is missing from `order`), its
  // own steps (./gosort.ts): an insertion sort of the whole list, as before, was Go's only up to
  // 20 items, and quadratic.
  const indexIn = positionsIn(order, mergeKey);
  const less = (a: unknown, b: unknown) => {
    const ia = indexIn(a);
    const ib = indexIn(b);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  return [...sliceStable(toSort, less), ...del];
}

function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string): unknown[] {
  const right = normalizeSliceOrder(patchItems, patchOrder, mergeKey);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey);
  // mergeSortedSlice: server-only items go before a patch item only when the live order says so.
  const out: unknown[] = [];
  const indexIn = positionsIn(serverOrder, mergeKey);
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(left[i]);
      const ri = indexIn(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Go's %v of a map, as mergepatch's errors print it. */
function goMap(v: unknown): string {
  return goValue(v);
}

/** Go's %s of a directive's value: a string bare, another scalar as fmt's bad verb (`%!s(int64=1)`). */
function goString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "%!s(<nil>)";
  if (typeof v === "number") return `%!s(${Number.isInteger(v) ? "int64" : "float64"}=${v})`;
  if (typeof v === "boolean") return `%!s(bool=${v})`;
  return goValue(v);
}

/**
 * Go's %v (and %+v, the same for these) of a value decoded from JSON into interface{}: maps as
 * `map[k:v ...]` with sorted keys, slices as `[a b]`, nil as `<nil>`, strings bare.
 */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (isObj(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

interface DiffOptions {
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  buildRetainKeys?: boolean;
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** Go's fmt %v of a scalar, the text upstream sorts and compares list items by. */
const goScalar = (v: unknown) => (v === null ? "<nil>" : String(v));
const sortScalars = (l: unknown[]) => l.slice().sort((a, b) => (goScalar(a) < goScalar(b) ? -1 : goScalar(a) > goScalar(b) ? 1 : 0));

/**
 * diffMaps: the (recursive) strategic merge patch that turns `original` into `modified`, with
 * `null` for removed map keys, `$patch: delete` items and `$deleteFromPrimitiveList` for merged
 * lists, `$setElementOrder` for their order and `$retainKeys` for retainKeys fields.
 */
function diffMaps(original: Obj, modified: Obj, type: string | undefined, o: DiffOptions, schema: PatchSchema): Obj {
  const patch: Obj = {};
  const retainKeys: string[] = [];
  for (const [key, mv] of Object.entries(modified)) {
    if (o.buildRetainKeys && mv !== null) retainKeys.push(key);
    if (!(key in original)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    const ov = original[key];
    if (key === DIRECTIVE) {
      if (ov !== mv) patch[DIRECTIVE] = mv;
      continue;
    }
    const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
    if (kind(ov) !== kind(mv)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      continue;
    }
    const meta = schema.meta(type, key);
    const strategies = (meta?.strategy ?? "").split(",").filter(Boolean);
    const retain = strategies.includes("retainKeys");
    const strategy = strategies.filter((x) => x !== "retainKeys")[0] ?? "";
    const code = schema.fieldType(type, key);
    if (isObj(ov)) {
      if (strategy === "replace") {
        if (!o.ignoreChangesAndAdditions) patch[key] = mv;
      } else {
        const p = diffMaps(ov, mv as Obj, code?.startsWith("{") ? mapValue(code) : code, { ...o, buildRetainKeys: retain }, schema);
        if (Object.keys(p).length) patch[key] = p;
      }
    } else if (Array.isArray(ov)) {
      if (strategy === "merge") {
        const [add, del, order] = diffLists(ov, mv as unknown[], elem(code), meta?.mergeKey ?? "", { ...o, buildRetainKeys: retain }, schema);
        if (add.length) patch[key] = add;
        if (del.length) patch[`${DELETE_FROM_PRIMITIVE}/${key}`] = del;
        if (order.length) patch[`${SET_ORDER}/${key}`] = order;
      } else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
    } else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv;
  }
  if (!o.ignoreDeletions) for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  const additional = Object.entries(original).some(([k, v]) => v !== null && !(k in modified));
  if (retainKeys.length && (Object.keys(patch).length || additional)) patch[RETAIN_KEYS] = sortScalars(retainKeys);
  return patch;
}

function diffLists(original: unknown[], modified: unknown[], elemType: string | undefined, mergeKey: string, o: DiffOptions, schema: PatchSchema): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) return [modified.length === 0 || o.ignoreChangesAndAdditions ? [] : modified, [], []];
  const sample = original[0];
  if (Array.isArray(sample)) throw new StrategicPatchError("lists of lists are not supported");
  if (isObj(sample)) {
    if (!mergeKey) throw new StrategicPatchError("cannot merge lists without merge key for type map");
    const byKey = (l: unknown[]) =>
      l.slice().sort((a, b) => {
        const x = goScalar((a as Obj)[mergeKey]);
        const y = goScalar((b as Obj)[mergeKey]);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    for (const v of [...original, ...modified]) if (!isObj(v) || !(mergeKey in v)) throw new StrategicPatchError(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
    const os = byKey(original) as Obj[];
    const ms = byKey(modified) as Obj[];
    const patch: unknown[] = [];
    const deletions: unknown[] = [];
    let i = 0;
    let j = 0;
    while (i < os.length || j < ms.length) {
      const ok = i < os.length ? goScalar(os[i]![mergeKey]) : undefined;
      const mk = j < ms.length ? goScalar(ms[j]![mergeKey]) : undefined;
      if (ok !== undefined && mk !== undefined && ok === mk) {
        const p = diffMaps(os[i]!, ms[j]!, elemType, o, schema);
        if (Object.keys(p).length) patch.push({ ...p, [mergeKey]: ms[j]![mergeKey] });
        i++;
        j++;
      } else if (ok === undefined || (mk !== undefined && ok > mk)) {
        if (!o.ignoreChangesAndAdditions) patch.push(ms[j]);
        j++;
      } else {
        if (!o.ignoreDeletions) deletions.push({ [DIRECTIVE]: "delete", [mergeKey]: os[i]![mergeKey] });
        i++;
      }
    }
    const sorted = [...normalizeSliceOrder(patch, modified, mergeKey), ...deletions];
    const sameOrder = original.length === modified.length && original.every((x, n) => (x as Obj)[mergeKey] === (modified[n] as Obj)[mergeKey]);
    const order = (!o.ignoreChangesAndAdditions && (sorted.length > 0 || !sameOrder)) || (!o.ignoreDeletions && sorted.length > 0) ? modified.map((v) => ({ [mergeKey]: (v as Obj)[mergeKey] })) : [];
    return [sorted, [], order];
  }
  // Lists of scalars: additions and a parallel deletion list.
  const os = sortScalars(original);
  const ms = sortScalars(modified);
  const add: unknown[] = [];
  const del: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const ov = i < os.length ? goScalar(os[i]) : undefined;
    const mv = j < ms.length ? goScalar(ms[j]) : undefined;
    if (ov !== undefined && mv !== undefined && ov === mv) {
      i++;
      j++;
    } else if (ov === undefined || (mv !== undefined && ov > mv)) {
      if (!o.ignoreChangesAndAdditions) add.push(ms[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) del.push(os[i]);
      i++;
    }
  }
  const seen = new Set<string>();
  const dedupDel = del.filter((v) => (seen.has(scalarKey(v)) ? false : (seen.add(scalarKey(v)), true)));
  const addSorted = normalizeSliceOrder(add, modified, "");
  const order = (!o.ignoreDeletions && dedupDel.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified)) ? modified : [];
  return [addSorted, dedupDel, order];
}

/**
 * CreateThreeWayMergePatch, as client-side `kubectl apply` computes it: changes and additions from
 * the live object (`current`) to the new configuration (`modified`), plus the deletions from the
 * last applied configuration (`original`) to the new one.
 */
export function createThreeWayMergePatch(original: Obj | undefined, modified: Obj, current: Obj, rootType: string | undefined, schema: PatchSchema = API_PATCH_SCHEMA): Obj {
  const delta = diffMaps(current, modified, rootType, { ignoreDeletions: true }, schema);
  const deletions = diffMaps(original ?? {}, modified, rootType, { ignoreChangesAndAdditions: true }, schema);
  return smpMergeMap(deletions, delta, rootType, { schema, apply: false });
}

/** CreateTwoWayMergePatch: the patch that turns `original` into `modified`. */
export function createTwoWayMergePatch(original: Obj, modified: Obj, rootType: string | undefined, schema: PatchSchema = API_PATCH_SCHEMA): Obj {
  return diffMaps(original, modified, rootType, {}, schema);
}
