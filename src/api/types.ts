/** Kubernetes objects as plain JSON, shaped as the API serves them. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // The store's kind-agnostic view: code that knows the kind narrows to its interface in types.gen.ts
  // (`obj as Pod`); `unknown` here would break every reader across src/ at once (#20 §1 follow-up).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  status?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: data, rules, roleRef, subjects, … of the other kinds
  [key: string]: any;
}

/** A JSON object of a shape not yet narrowed: a request body, a patch document, a field read off an object. */
export type JSONObject = Record<string, unknown>;

/** Whether a JSON value is an object (not null, not an array). */
export const isJSONObject = (v: unknown): v is JSONObject => typeof v === "object" && v !== null && !Array.isArray(v);

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: WatchEventType;
  object: KObject;
  /** The object before the change, for MODIFIED and DELETED. */
  old?: KObject;
}

export type WatchHandler = (event: WatchEvent) => void;

/** Reference to an object by kind, namespace and name. */
export interface ObjectKey {
  kind: string;
  namespace?: string;
  name: string;
}

/** A deep, mutable copy of a (frozen) stored object. */
export function clone<T>(obj: T): T {
  return copyJSON(obj, false) as T;
}

/**
 * Deep copy of JSON-shaped data (plain objects, arrays, scalars); anything else goes through
 * structuredClone. `shareFrozen`: frozen parts are kept as they are instead of copied.
 */
function copyJSON(v: unknown, shareFrozen: boolean): unknown {
  if (v === null || typeof v !== "object" || (shareFrozen && Object.isFrozen(v))) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJSON(v[i], shareFrozen);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) out[k] = copyJSON(src[k], shareFrozen);
  return out;
}

/**
 * A copy of JSON-shaped data about to be stored (and frozen): frozen parts are shared as they are
 * (a frozen object here is deeply frozen: a stored version or part of one, see deepFreeze), the
 * rest is copied. Only for data nothing changes before it is frozen.
 */
export function cloneUnfrozen<T>(obj: T): T {
  return copyJSON(obj, true) as T;
}

export function deepFreeze<T>(obj: T): T {
  if (obj !== null && typeof obj === "object" && !Object.isFrozen(obj)) freezeTree(obj);
  return obj;
}

/**
 * Freezes an unfrozen object and, depth first, every unfrozen object under it. A frozen subtree
 * (shared with the previous version of a stored object) is left as it is. Arrays by index (what
 * `for…in` visits of a JSON array), objects by `for…in`; only objects are visited.
 */
function freezeTree(o: object): void {
  Object.freeze(o);
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v: unknown = o[i];
      if (v !== null && typeof v === "object" && !Object.isFrozen(v)) freezeTree(v);
    }
    return;
  }
  const r = o as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (v !== null && typeof v === "object" && !Object.isFrozen(v)) freezeTree(v);
  }
}

/**
 * Whether two JSON-like values serialise identically (`JSON.stringify(a) === JSON.stringify(b)`,
 * key order included), without serialising: shared subtrees compare by identity at once.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const oa = a !== null && typeof a === "object";
  const ob = b !== null && typeof b === "object";
  if (!oa || !ob) return !oa && !ob && jsonScalar(a) === jsonScalar(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(arrayItem(a[i]), arrayItem(y[i]))) return false;
    return true;
  }
  const pa = Object.getPrototypeOf(a);
  const pb = Object.getPrototypeOf(b);
  if ((pa !== Object.prototype && pa !== null) || (pb !== Object.prototype && pb !== null)) return JSON.stringify(a) === JSON.stringify(b);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Keys in order, skipping those JSON.stringify leaves out (undefined, functions).
  const kb = Object.keys(y);
  let j = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    while (j < kb.length && omitted(y[kb[j]])) j++;
    if (j >= kb.length || kb[j] !== k || !jsonEqual(v, y[k])) return false;
    j++;
  }
  while (j < kb.length && omitted(y[kb[j]])) j++;
  return j === kb.length;
}
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}
function arrayItem(v: unknown): unknown {
  return omitted(v) ? null : v;
}
function jsonScalar(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  return omitted(v) ? undefined : v;
}
