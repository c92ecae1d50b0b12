/**
 * API objects with their fields in the order kube-apiserver writes them. Go's encoding/json writes
 * a struct's fields in their declaration order (TypeMeta's `kind`, then `apiVersion`, first, as it
 * is embedded first) and a map's keys sorted; JavaScript keeps an object's keys in the order they
 * were set, which for the store's objects is the order of the manifest, the decoder and the
 * defaulting (`metadata` before `kind`, `apiVersion` before `kind`). The declaration order of the
 * built-in types is ./fieldorder.json (scripts/gen-field-order.ts, from Kubernetes' generated.proto,
 * whose messages list the Go fields in order). Custom resources are unstructured in the API server
 * (map[string]interface{}): every key sorted, `apiVersion` first. Kinds of groups without a proto
 * file here keep their order below `kind` and `apiVersion` (docs/divergences.md).
 */
import { readFileSync } from "node:fs";
import type { ResourceType } from "../resources.ts";

type Fields = Array<[string, string]>;
let MESSAGES: Record<string, Fields> | undefined;
function messages(): Record<string, Fields> {
  MESSAGES ??= (JSON.parse(readFileSync(new URL("./fieldorder.json", import.meta.url), "utf8")) as { messages: Record<string, Fields> }).messages;
  return MESSAGES;
}

/** The proto message of a kind in a group version (`apps/v1` Deployment → k8s.io.api.apps.v1.Deployment). */
export function messageOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const candidates = kind === "Status" || group === "meta.k8s.io" ? [`k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`] : [`k8s.io.api.${group === "" ? "core" : group.split(".")[0]}.${version}.${kind}`];
  return candidates.find((m) => messages()[m] !== undefined);
}

const ordered = new WeakMap<object, unknown>();

/**
 * The answer's body as Go writes it: an object of a built-in kind (or a list of them, a Status)
 * with its fields in declaration order, `kind` and `apiVersion` first; a custom resource's keys
 * sorted. Other values are returned as they are. A frozen input (a stored version) gives the same
 * frozen output every time, so the encoding cached beside it (src/server/cachingobject.ts) is reused.
 */
export function goOrdered<T>(body: T, r?: Pick<ResourceType, "crd">): T {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const frozen = Object.isFrozen(body);
  if (frozen) {
    const hit = ordered.get(body);
    if (hit !== undefined) return hit as T;
  }
  const b = body as Record<string, unknown>;
  let out: unknown = body;
  if (typeof b.kind === "string" && typeof b.apiVersion === "string") {
    const message = messageOf(b.apiVersion, b.kind);
    if (message) out = byMessage(b, message, true);
    else if (r?.crd) out = sortedKeys(b);
    else out = typeMetaFirst(b);
  }
  if (frozen) {
    Object.freeze(out);
    ordered.set(body, out);
  }
  return out as T;
}

function typeMetaFirst(o: Record<string, unknown>): Record<string, unknown> {
  const { kind, apiVersion, ...rest } = o;
  return { ...(kind !== undefined ? { kind } : {}), ...(apiVersion !== undefined ? { apiVersion } : {}), ...rest };
}

/** encoding/json of map[string]interface{}: every object's keys sorted, at every depth. */
export function sortedKeys(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(sortedKeys);
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortedKeys(o[k]);
  return out;
}

function byType(v: unknown, type: string): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => byType(x, type));
  if (type.startsWith("{")) {
    const inner = type.slice(1);
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = inner ? byType(o[k], inner) : o[k];
    return out;
  }
  return type ? byMessage(v as Record<string, unknown>, type, false) : v;
}

const orderedItems = new WeakMap<object, unknown>();

function listItem(item: unknown, type: string): unknown {
  if (item === null || typeof item !== "object" || !Object.isFrozen(item)) return byType(item, type);
  let out = orderedItems.get(item);
  if (out === undefined) {
    out = Object.freeze(byType(item, type));
    orderedItems.set(item, out);
  }
  return out;
}

function byMessage(o: Record<string, unknown>, message: string, root: boolean): Record<string, unknown> {
  const fields = messages()[message];
  if (!fields) return o;
  const out: Record<string, unknown> = {};
  // TypeMeta, embedded first in every top-level type. A typed list's items have it empty (omitted):
  // below the top, `kind` and `apiVersion` are written only where the type declares them
  // (OwnerReference, ObjectReference...).
  if (root && o.kind !== undefined) out.kind = o.kind;
  if (root && o.apiVersion !== undefined) out.apiVersion = o.apiVersion;
  for (const [name, type] of fields) {
    if (o[name] === undefined) continue;
    // A list's items are stored versions: each ordered once, frozen, so its cached encoding is reused.
    out[name] = root && name === "items" && Array.isArray(o.items) && type ? o.items.map((item) => listItem(item, type)) : byType(o[name], type);
  }
  // Fields the types do not declare (none in a decoded object) keep their place after the others.
  for (const k of Object.keys(o)) if (!(k in out) && (root || (k !== "kind" && k !== "apiVersion"))) out[k] = o[k];
  return out;
}
