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
  spec?: any;
  status?: any;
  [key: string]: any;
}

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
  return copyJSON(obj);
}

/** Deep copy of JSON-shaped data (plain objects, arrays, scalars); anything else goes through structuredClone. */
function copyJSON(v: any): any {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJSON(v[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: any = {};
  for (const k in v) out[k] = copyJSON(v[k]);
  return out;
}

export function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === "object" && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj as object)) deepFreeze(v);
  }
  return obj;
}
