/**
 * Kyverno's `mutate.patchStrategicMerge` (github.com/kyverno/kyverno at v1.14.5,
 * pkg/engine/mutate/patch/strategicPreprocessing.go and strategicMergePatch.go):
 *
 * 1. The pattern is pre-processed against the resource (PreProcessPattern): a `+(key)` add-if-not-
 *    present anchor is dropped when the resource has the key and becomes a plain key otherwise;
 *    `<(key)` global and `(key)` conditional anchors are checked with the validate engine
 *    (./validate.ts): a global one that fails skips the rule, a conditional one that fails skips the
 *    map it sits in (in a list of maps: that element); the anchors are then removed (their scalar
 *    conditions entirely, their maps keeping the plain keys).
 * 2. What remains is merged into the resource as a strategic merge patch.
 * 3. The answer to the API server is the JSON patch from the request's object to the result.
 *
 * The merge uses the API server's strategic merge patch (src/api/schema/strategicmerge.ts, merge
 * keys from the API types) where Kyverno uses kustomize's kyaml merge2 with the same keys; list
 * elements that carry anchors are matched by their `name` as handlePatternName does.
 */
import { strategicMergePatch } from "../../../api/schema/strategicmerge.ts";
import { loadSchema } from "../../../api/schema/fields.ts";
import { matchPattern, parseAnchor } from "./validate.ts";

type Obj = Record<string, unknown>;
const isMap = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export class ConditionError extends Error {
  constructor(
    readonly global: boolean,
    inner: string,
  ) {
    super(`${global ? "global condition failed" : "condition failed"}: ${inner}`);
  }
}

const hasConditionAnchor = (k: string) => {
  const a = parseAnchor(k);
  return !!a && (a.type === "" || a.type === "<");
};
const hasAnyAnchor = (k: string) => {
  const a = parseAnchor(k);
  return !!a && (a.type === "" || a.type === "<" || a.type === "+");
};

function hasAnchors(pattern: unknown, test: (k: string) => boolean): boolean {
  if (isMap(pattern)) return Object.keys(pattern).some((k) => test(k) || hasAnchors(pattern[k], test));
  if (Array.isArray(pattern)) return pattern.some((e) => hasAnchors(e, test));
  if (typeof pattern === "string") return hasConditionAnchor(pattern);
  return false;
}

/** handleAddIfNotPresentAnchor: returns how many `+()` keys the map had. */
function addIfNotPresent(pattern: Obj, resource: unknown): number {
  let n = 0;
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key);
    if (!a || a.type !== "+") continue;
    n++;
    const value = pattern[key];
    delete pattern[key];
    if (!(isMap(resource) && Object.hasOwn(resource, a.key))) pattern[a.key] = value;
  }
  return n;
}

function checkConditions(pattern: Obj, resource: unknown, type: "<" | ""): string | undefined {
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key);
    if (!a || a.type !== type) continue;
    if (!isMap(resource) || !Object.hasOwn(resource, a.key)) return `could not found "${a.key}" key in the resource`;
    const pv = pattern[key];
    const rv = resource[a.key];
    if (isMap(pv) && addIfNotPresent(pv, rv) > 0) continue;
    const err = matchPattern(rv, pv);
    if (err) return err.message;
  }
  return undefined;
}

function walk(pattern: unknown, resource: unknown): void {
  if (isMap(pattern)) return walkMap(pattern, resource);
  if (Array.isArray(pattern) && pattern.length > 0 && isMap(pattern[0])) return walkList(pattern, resource);
}

function walkMap(pattern: Obj, resource: unknown): void {
  addIfNotPresent(pattern, resource);
  const g = checkConditions(pattern, resource, "<");
  if (g) throw new ConditionError(true, g);
  const c = checkConditions(pattern, resource, "");
  if (c) throw new ConditionError(false, c);
  for (const key of Object.keys(pattern)) {
    if (parseAnchor(key)) continue;
    walk(pattern[key], isMap(resource) ? resource[key] : undefined);
  }
}

/** processListOfMaps: each anchored element is tried against every element of the resource's list. */
function walkList(pattern: unknown[], resource: unknown): void {
  const elements = Array.isArray(resource) ? resource : [];
  for (const el of [...pattern]) {
    if (!hasAnchors(el, hasAnyAnchor)) continue;
    const global = hasAnchors(el, (k) => parseAnchor(k)?.type === "<");
    let anyGlobalPassed = false;
    let lastGlobal: ConditionError | undefined;
    for (const rel of elements) {
      const copy = structuredClone(el);
      try {
        walk(copy, rel);
      } catch (e) {
        if (e instanceof ConditionError) {
          if (e.global) lastGlobal = e;
          continue;
        }
        throw e;
      }
      if (global) anyGlobalPassed = true;
      else if (isMap(rel) && typeof rel.name === "string" && rel.name !== "" && isMap(copy)) {
        // handlePatternName: the element, its anchors gone, for the resource element of that name.
        const named = structuredClone(copy);
        if (!deleteAnchors(named, true)) pattern.push({ ...named, name: rel.name });
      }
    }
    if (resource === undefined || resource === null) {
      try {
        walk(structuredClone(el), undefined);
        if (global) anyGlobalPassed = true;
      } catch (e) {
        if (!(e instanceof ConditionError && !e.global)) throw e;
      }
    }
    if (!anyGlobalPassed && lastGlobal) throw lastGlobal;
  }
}

/** deleteAnchors: removes conditional anchors; true when nothing but anchors was left. */
function deleteAnchors(node: unknown, deleteScalar: boolean): boolean {
  if (isMap(node)) {
    let anchorsExist = false;
    for (const key of Object.keys(node)) {
      if (!hasConditionAnchor(key)) continue;
      if (deleteAnchors(node[key], true)) delete node[key];
      else anchorsExist = true;
    }
    if (anchorsExist) {
      for (const key of Object.keys(node)) {
        const a = parseAnchor(key);
        if (a && (a.type === "" || a.type === "<")) {
          node[a.key] = node[key];
          delete node[key];
        }
      }
    }
    let needToDelete = true;
    for (const key of Object.keys(node)) {
      if (deleteAnchors(node[key], false)) delete node[key];
      else needToDelete = false;
    }
    return needToDelete;
  }
  if (Array.isArray(node)) {
    const wasEmpty = node.length === 0;
    for (let i = node.length - 1; i >= 0; i--) {
      if (hasAnchors(node[i], hasAnyAnchor) || deleteAnchors(node[i], false)) node.splice(i, 1);
    }
    return node.length === 0 && !wasEmpty;
  }
  return deleteScalar;
}

/** deleteConditionElements: the top level's anchored keys and what holds only anchors go. */
function deleteConditionElements(pattern: Obj): void {
  for (const key of Object.keys(pattern)) {
    if (deleteAnchors(pattern[key], hasConditionAnchor(key))) delete pattern[key];
  }
}

/** The outcome of one rule's patch: the patched object, or a skip (a condition failed). */
export type MutateResult = { patched: Obj } | { skip: string };

/** ProcessStrategicMergePatch: the resource with the rule's patch merged in. */
export function applyStrategicMerge(resource: Obj, patchIn: unknown): MutateResult {
  if (!isMap(patchIn)) return { patched: structuredClone(resource) };
  const patch = structuredClone(patchIn);
  try {
    walk(patch, resource);
    deleteConditionElements(patch);
  } catch (e) {
    if (e instanceof ConditionError) return { skip: e.message };
    throw e;
  }
  const kind = typeof resource.kind === "string" ? resource.kind : "";
  const root = loadSchema().roots[kind];
  return { patched: strategicMergePatch(structuredClone(resource), patch, root) as Obj };
}

const pointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** The JSON patch (RFC 6902) from `a` to `b`: maps key by key, lists and scalars replaced whole. */
export function jsonPatchDiff(a: unknown, b: unknown, path = ""): Array<{ op: string; path: string; value?: unknown }> {
  if (isMap(a) && isMap(b)) {
    const ops: Array<{ op: string; path: string; value?: unknown }> = [];
    for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) ops.push({ op: "remove", path: `${path}/${pointer(k)}` });
    for (const k of Object.keys(b)) {
      if (!Object.hasOwn(a, k)) ops.push({ op: "add", path: `${path}/${pointer(k)}`, value: b[k] });
      else ops.push(...jsonPatchDiff(a[k], b[k], `${path}/${pointer(k)}`));
    }
    return ops;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ op: "replace", path: path || "", value: b }];
}
