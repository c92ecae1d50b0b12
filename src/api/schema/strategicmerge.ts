/**
 * kubectl apply's three-way strategic merge (k8s.io/apimachinery/pkg/util/strategicpatch), as far as
 * the API types here need it: the new configuration is merged over the live object, fields the
 * previous configuration (last-applied annotation) had and the new one lacks are removed, and lists
 * with a patch merge key (containers by name, ports by containerPort, volumeMounts by mountPath,
 * ...) are merged item by item, so what the API server added (the service account token mount,
 * defaulted fields) survives a re-apply. Other lists are replaced whole.
 *
 * Schema types come from fields.json; merge keys from the Go struct tags (`patchMergeKey`).
 */
import { loadSchema } from "./fields.ts";

const load = loadSchema;

/** `Type.field` → patchMergeKey, for lists merged item by item (patchStrategy:"merge"). */
export const PATCH_MERGE_KEYS: Record<string, string> = {
  "V1PodSpec.volumes": "name",
  "V1PodSpec.initContainers": "name",
  "V1PodSpec.containers": "name",
  "V1PodSpec.ephemeralContainers": "name",
  "V1PodSpec.imagePullSecrets": "name",
  "V1PodSpec.hostAliases": "ip",
  "V1PodSpec.topologySpreadConstraints": "topologyKey",
  "V1PodSpec.resourceClaims": "name",
  "V1PodSpec.schedulingGates": "name",
  "V1Container.ports": "containerPort",
  "V1Container.env": "name",
  "V1Container.volumeMounts": "mountPath",
  "V1Container.volumeDevices": "devicePath",
  "V1EphemeralContainer.ports": "containerPort",
  "V1EphemeralContainer.env": "name",
  "V1EphemeralContainer.volumeMounts": "mountPath",
  "V1EphemeralContainer.volumeDevices": "devicePath",
  "V1ServiceSpec.ports": "port",
  "V1ObjectMeta.ownerReferences": "uid",
};

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The object type of a field (`V1PodSpec`), the element type of a list field, or undefined. */
function fieldType(type: string | undefined, field: string): string | undefined {
  if (!type) return undefined;
  return load().types[type]?.[field];
}

const elem = (code: string | undefined) => (code && code.startsWith("[") ? code.slice(1, -1) : undefined);
const mapValue = (code: string | undefined) => (code && code.startsWith("{") ? code.slice(1, -1) : undefined);
const isTypeName = (code: string | undefined): code is string => !!code && load().types[code] !== undefined;

/**
 * Merges `applied` into `target` (a copy of the live object, changed in place), removing what
 * `prev` (the last applied configuration) had and `applied` no longer has.
 */
export function strategicThreeWayMerge(target: Obj, prev: Obj | undefined, applied: Obj, kind: string): void {
  mergeObject(target, prev, applied, load().roots[kind]);
}

function mergeObject(target: Obj, prev: Obj | undefined, applied: Obj, type: string | undefined): void {
  if (isObj(prev)) {
    for (const k of Object.keys(prev)) if (!(k in applied) || applied[k] === undefined) delete target[k];
  }
  for (const [k, v] of Object.entries(applied)) {
    if (v === undefined) continue;
    const code = fieldType(type, k);
    const p = isObj(prev) ? prev[k] : undefined;
    if (isObj(v) && isObj(target[k])) {
      if (isTypeName(code)) mergeObject(target[k], p, v, code);
      else if (mapValue(code) !== undefined) mergeMap(target[k], p, v, mapValue(code)!);
      else if (code === undefined || code === "a") mergeObject(target[k], p, v, undefined);
      else target[k] = structuredClone(v);
      continue;
    }
    const key = type ? PATCH_MERGE_KEYS[`${type}.${k}`] : undefined;
    if (Array.isArray(v) && Array.isArray(target[k]) && key) {
      target[k] = mergeList(target[k], Array.isArray(p) ? p : undefined, v, key, elem(code));
      continue;
    }
    target[k] = structuredClone(v);
  }
}

/** A map field (`labels`, `limits`, or a map of objects): key by key, dropped keys removed. */
function mergeMap(target: Obj, prev: Obj | undefined, applied: Obj, valueCode: string): void {
  if (isObj(prev)) {
    for (const k of Object.keys(prev)) if (!(k in applied) || applied[k] === undefined) delete target[k];
  }
  for (const [k, v] of Object.entries(applied)) {
    if (v === undefined) continue;
    if (isObj(v) && isObj(target[k]) && isTypeName(valueCode)) mergeObject(target[k], isObj(prev) ? prev[k] : undefined, v, valueCode);
    else target[k] = structuredClone(v);
  }
}

function mergeList(live: unknown[], prev: unknown[] | undefined, applied: unknown[], key: string, itemType: string | undefined): unknown[] {
  const keyOf = (x: unknown) => (isObj(x) ? JSON.stringify(x[key]) : undefined);
  const appliedByKey = new Map<string | undefined, Obj>();
  for (const a of applied) if (isObj(a)) appliedByKey.set(keyOf(a), a);
  const prevByKey = new Map<string | undefined, Obj>();
  for (const p of prev ?? []) if (isObj(p)) prevByKey.set(keyOf(p), p);
  const out: unknown[] = [];
  const seen = new Set<string | undefined>();
  // Items of the new configuration come in its order, merged over their live counterparts...
  const liveByKey = new Map<string | undefined, unknown>();
  for (const l of live) liveByKey.set(keyOf(l), l);
  for (const a of applied) {
    const k = keyOf(a);
    seen.add(k);
    const l = liveByKey.get(k);
    if (isObj(a) && isObj(l)) {
      const copy = structuredClone(l);
      mergeObject(copy, prevByKey.get(k), a, isTypeName(itemType) ? itemType : undefined);
      out.push(copy);
    } else out.push(structuredClone(a));
  }
  // ...then live items the configuration never had (added by the server or another client);
  // items the previous configuration had and the new one dropped are deleted.
  for (const l of live) {
    const k = keyOf(l);
    if (seen.has(k) || prevByKey.has(k)) continue;
    out.push(l);
  }
  return out;
}
