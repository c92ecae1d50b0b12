/**
 * Simulated time as clients see it. kubectl and other clients age objects and events by their own
 * wall clock (`kubectl describe`'s Events ages, `kubectl events`, client-side printers), so the
 * facade serves every timestamp anchored to the wall clock: a served time is the simulated time
 * plus the current offset between the wall clock and the simulated clock (whole seconds), and
 * times in request bodies get the offset taken off. The offset is read at the first request of each
 * simulated instant (handlers/installer.ts, wallClockLead), so every answer at one instant presents
 * the same times. A client then computes the simulated age (`Age: 35s` after `advance 35s`) when it
 * reads right after time moved; while simulated time stands still, its ages grow with its clock.
 *
 * The time fields are found from the API schema (src/api/schema/fields.json, type `t`: metav1.Time
 * and MicroTime), once per kind. Clients that want the simulation's own instants (kube-scenario's
 * live backend, which reads the simulated clock from /kube-scenario/v1/now) send
 * `x-kube-scenario-time: simulated`.
 */
import { loadSchema } from "../api/schema/fields.ts";
import type { KObject } from "../api/types.ts";

export const SIMULATED_TIME_HEADER = "x-kube-scenario-time";

/** A path to a time field: keys, with `[]` for every element of a list and `{}` for every value of a map. */
type Path = string[];

const pathsByType = new Map<string, Path[]>();

function timePaths(type: string, depth = 0, seen = new Set<string>()): Path[] {
  const cached = pathsByType.get(type);
  if (cached) return cached;
  const fields = loadSchema().types[type];
  const out: Path[] = [];
  if (!fields || depth > 12 || seen.has(type)) return out;
  seen.add(type);
  for (const [name, code] of Object.entries(fields)) {
    let c = code;
    const prefix: Path = [name];
    for (;;) {
      if (c.startsWith("[")) prefix.push("[]");
      else if (c.startsWith("{")) prefix.push("{}");
      else break;
      c = c.slice(1, -1);
    }
    if (c === "t") out.push(prefix);
    else if (loadSchema().types[c]) for (const p of timePaths(c, depth + 1, seen)) out.push([...prefix, ...p]);
  }
  seen.delete(type);
  if (depth === 0) pathsByType.set(type, out);
  return out;
}

/**
 * The time fields of a kind in the version an object is written in: a kind served in more than
 * one version has a root per version (`events.k8s.io/v1/Event`: deprecatedFirstTimestamp,
 * deprecatedLastTimestamp and series.lastObservedTime, which core/v1's Event names firstTimestamp,
 * lastTimestamp and series.lastObservedTime), the storage version's under the kind alone.
 */
function pathsOfKind(kind: string | undefined, apiVersion: unknown): Path[] {
  if (!kind) return [];
  const roots = loadSchema().roots;
  const root = (typeof apiVersion === "string" ? roots[`${apiVersion}/${kind}`] : undefined) ?? roots[kind];
  return root ? timePaths(root) : [];
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

/**
 * An RFC 3339 UTC time moved by `delta` ms (a whole number of seconds), its fraction kept as written.
 * A time with a field out of range (`2024-02-30`, hour 24) is left as it is: Date.UTC would carry it
 * into a valid one, where the API server refuses it (time.Parse's `day out of range`), and the
 * decoder must see what the client sent.
 */
export function shiftTime(value: unknown, delta: number): unknown {
  if (typeof value !== "string") return value;
  const m = TIME.exec(value);
  if (!m) return value;
  const at = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const d = new Date(at);
  if (d.getUTCFullYear() !== +m[1]! || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]! || d.getUTCHours() !== +m[4]! || d.getUTCMinutes() !== +m[5]! || d.getUTCSeconds() !== +m[6]!) return value;
  return new Date(at + delta).toISOString().replace(/\.\d{3}Z$/, `${m[7] ?? ""}Z`);
}

function shiftAt(v: unknown, path: Path, i: number, delta: number): unknown {
  if (v === null || v === undefined) return v;
  if (i === path.length) return shiftTime(v, delta);
  const step = path[i]!;
  if (step === "[]") {
    if (!Array.isArray(v)) return v;
    let copy: unknown[] | undefined;
    v.forEach((e, k) => {
      const n = shiftAt(e, path, i + 1, delta);
      if (n !== e) (copy ??= [...v])[k] = n;
    });
    return copy ?? v;
  }
  if (typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (step === "{}") {
    let copy: Record<string, unknown> | undefined;
    for (const [k, e] of Object.entries(o)) {
      const n = shiftAt(e, path, i + 1, delta);
      if (n !== e) (copy ??= { ...o })[k] = n;
    }
    return copy ?? v;
  }
  if (!(step in o)) return v;
  const n = shiftAt(o[step], path, i + 1, delta);
  return n === o[step] ? v : { ...o, [step]: n };
}

/**
 * A stored version (frozen) as last presented, with the lead it was presented with: while the
 * lead stays the same (it moves a second at a time), every request gets the same presented object,
 * and with it the encoding kept beside it (cachingobject.ts) instead of a new JSON text each time.
 */
const presented = new WeakMap<object, { delta: number; kind: string | undefined; obj: unknown }>();

/** The object with every time field moved by `delta` ms (unchanged parts shared; frozen input untouched). */
export function shiftObject<T>(obj: T, delta: number, kind = (obj as KObject | undefined)?.kind): T {
  if (!delta || !obj || typeof obj !== "object") return obj;
  const frozen = Object.isFrozen(obj);
  if (frozen) {
    const last = presented.get(obj);
    if (last && last.delta === delta && last.kind === kind) return last.obj as T;
  }
  let out: unknown = obj;
  for (const p of pathsOfKind(kind, (obj as { apiVersion?: unknown }).apiVersion)) out = shiftAt(out, p, 0, delta);
  if (frozen) {
    // Frozen like the stored version it shows (never changed after), so its encoding is cached too.
    Object.freeze(out);
    presented.set(obj, { delta, kind, obj: out });
  }
  return out as T;
}

/**
 * A response body as clients see it: an object, a list's items, a Table's rows' objects (full or
 * PartialObjectMetadata), a watch event's object. Status and other bodies pass unchanged.
 */
export function presentBody(body: unknown, delta: number, kind?: string): unknown {
  if (!delta || !body || typeof body !== "object") return body;
  const b = body as Record<string, unknown>;
  if (b.kind === "Table" && Array.isArray(b.rows)) {
    const rows = b.rows as Array<{ object?: KObject }>; // metav1.TableRow
    return { ...b, rows: rows.map((r) => (r.object ? { ...r, object: presentTableObject(r.object, delta, kind) } : r)) };
  }
  if (Array.isArray(b.items) && typeof b.kind === "string" && b.kind.endsWith("List")) {
    const itemKind = kind ?? b.kind.slice(0, -4);
    return { ...b, items: b.items.map((o: KObject) => shiftObject(o, delta, o.kind ?? itemKind)) };
  }
  if (b.kind === "Status") return body;
  return shiftObject(body, delta, typeof b.kind === "string" ? b.kind : kind);
}

function presentTableObject(o: KObject, delta: number, kind: string | undefined): unknown {
  if (o.kind !== "PartialObjectMetadata") return shiftObject(o, delta, o.kind ?? kind);
  // PartialObjectMetadata: only an ObjectMeta.
  let meta: unknown = o.metadata;
  for (const p of timePaths("V1ObjectMeta")) meta = shiftAt(meta, p, 0, delta);
  return meta === o.metadata ? o : { ...o, metadata: meta };
}
