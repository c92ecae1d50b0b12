/**
 * JSON patch (RFC 6902) as github.com/evanphx/json-patch v4 applies it (patch.go), the library both
 * kube-apiserver (gopkg.in/evanphx/json-patch.v4) and kubectl's `patch --local` use: the same
 * operations, its quirks (a `replace` of a missing map key adds it, negative array indices count
 * from the end on add and remove, `test` compares only the document's keys) and its error texts
 * (`remove operation does not apply: doc is missing path: "/a/b": missing value`).
 */
import { jsonKind } from "./jsonscanner.ts";

/** An error of Patch.Apply, with the library's message (errors.Wrapf chains joined by ": "). */
export class JSONPatchError extends Error {}

const MISSING = "missing value";

/**
 * jsonpatch.AccumulatedCopySizeLimit as kube-apiserver sets it (JSONPatchMaxCopyBytes, 3 MiB:
 * staging/src/k8s.io/apiserver/pkg/server/config.go; "we allow 2x as the largest size increase
 * the copy operations in a json patch may cause").
 */
export const ACCUMULATED_COPY_SIZE_LIMIT = 3 * 1024 * 1024;
const INVALID_INDEX = "invalid index referenced";
const TEST_FAILED = "test failed";

type Container = Record<string, unknown> | unknown[];

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
/** RFC 6901: `~1` is `/`, `~0` is `~` (strings.NewReplacer, one pass). */
const decodeKey = (k: string) => k.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));

/** strconv.Atoi. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new JSONPatchError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new JSONPatchError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function get(c: Container, key: string): unknown {
  if (!Array.isArray(c)) return Object.hasOwn(c, key) ? c[key] : undefined;
  const idx = atoi(key);
  if (idx >= c.length || idx < 0) throw new JSONPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  return c[idx];
}

function add(c: Container, key: string, val: unknown): void {
  if (!Array.isArray(c)) {
    c[key] = val;
    return;
  }
  if (key === "-") {
    c.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new JSONPatchError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.length + 1;
  if (idx >= size || idx < -size) throw new JSONPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) idx += size;
  c.splice(idx, 0, val);
}

function remove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.hasOwn(c, key)) throw new JSONPatchError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.length || idx < -c.length) throw new JSONPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) idx += c.length;
  c.splice(idx, 1);
}

/** findObject: the container holding the path's last token, or undefined when a step is missing. */
function findObject(doc: Container, path: string): [Container, string] | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (!next || typeof next !== "object") return undefined;
    cur = next as Container;
  }
  return [cur, decodeKey(split[split.length - 1]!)];
}

/** lazyNode.equal: maps compare the document's keys only, lists element by element, scalars by value. */
function equal(n: unknown, o: unknown): boolean {
  if (isObj(n)) {
    if (!isObj(o)) return false;
    return Object.keys(n).every((k) => Object.hasOwn(o, k) && ((n[k] == null && o[k] == null) || equal(n[k], o[k])));
  }
  if (Array.isArray(n)) return Array.isArray(o) && n.length === o.length && n.every((v, i) => equal(v, o[i]));
  return JSON.stringify(n) === JSON.stringify(o);
}

function field(op: Record<string, unknown>, name: "path" | "from"): string | undefined {
  const v = op[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new JSONPatchError(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
  return v;
}

function pathOf(op: Record<string, unknown>, kind: string, wrapCause: boolean): string {
  let p: string | undefined;
  try {
    p = field(op, "path");
  } catch (e) {
    throw new JSONPatchError(`${kind} operation failed to decode path: ${(e as Error).message}`);
  }
  if (p === undefined) throw new JSONPatchError(wrapCause ? `${kind} operation failed to decode path: operation missing path field: ${MISSING}` : `${kind} operation failed to decode path: ${MISSING}`);
  return p;
}

function fromOf(op: Record<string, unknown>, kind: string): string {
  let p: string | undefined;
  try {
    p = field(op, "from");
  } catch (e) {
    throw new JSONPatchError(`${kind} operation failed to decode from: ${(e as Error).message}`);
  }
  if (p === undefined) throw new JSONPatchError(`${kind} operation failed to decode from: operation, missing from field: ${MISSING}`);
  return p;
}

function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof JSONPatchError) throw new JSONPatchError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/**
 * Patch.Apply: applies the operations in order to `doc` (mutated and returned). `ops` has been
 * decoded already (an array of objects, see decodeJSONPatch).
 */
export function applyJSONPatch(doc: Container, ops: Record<string, unknown>[], copySizeLimit = ACCUMULATED_COPY_SIZE_LIMIT): Container {
  // The bytes the copies have added so far (Patch.copy's accumulatedCopySize): `copy` of a list
  // into itself doubles it, so a few dozen operations would otherwise take a small object to
  // gigabytes before anything looks at the result.
  let copied = 0;
  for (const op of ops) {
    const kind = typeof op.op === "string" ? op.op : "unknown";
    switch (kind) {
      case "add": {
        const path = pathOf(op, "add", false);
        const found = findObject(doc, path);
        if (!found) throw new JSONPatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
        wrap(`error in add for path: '${path}'`, () => add(found[0], found[1], clone(op.value ?? null)));
        break;
      }
      case "remove": {
        const path = pathOf(op, "remove", false);
        const found = findObject(doc, path);
        if (!found) throw new JSONPatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
        wrap(`error in remove for path: '${path}'`, () => remove(found[0], found[1]));
        break;
      }
      case "replace": {
        const path = pathOf(op, "replace", true);
        const found = findObject(doc, path);
        if (!found) throw new JSONPatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
        const [c, key] = found;
        try {
          get(c, key);
        } catch {
          throw new JSONPatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
        }
        if (Array.isArray(c)) c[Number(key)] = clone(op.value ?? null);
        else c[key] = clone(op.value ?? null);
        break;
      }
      case "move": {
        const from = fromOf(op, "move");
        const src = findObject(doc, from);
        if (!src) throw new JSONPatchError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
        const val = wrap(`error in move for path: '${src[1]}'`, () => get(src[0], src[1]));
        wrap(`error in move for path: '${src[1]}'`, () => remove(src[0], src[1]));
        const path = pathOf(op, "move", true);
        const dst = findObject(doc, path);
        if (!dst) throw new JSONPatchError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
        wrap(`error in move for path: '${path}'`, () => add(dst[0], dst[1], val ?? null));
        break;
      }
      case "copy": {
        const from = fromOf(op, "copy");
        const src = findObject(doc, from);
        if (!src) throw new JSONPatchError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
        const val = wrap(`error in copy for from: '${from}'`, () => get(src[0], src[1]));
        const path = pathOf(op, "copy", false);
        const dst = findObject(doc, path);
        if (!dst) throw new JSONPatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
        // deepCopy marshals the value: its size is the JSON's, counted before the copy is made.
        copied += Buffer.byteLength(JSON.stringify(val ?? null));
        if (copySizeLimit > 0 && copied > copySizeLimit) {
          throw new JSONPatchError(`Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${copySizeLimit}`);
        }
        wrap("error while adding value during copy", () => add(dst[0], dst[1], clone(val ?? null)));
        break;
      }
      case "test": {
        const path = pathOf(op, "test", true);
        const found = findObject(doc, path);
        if (!found) throw new JSONPatchError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
        const val = wrap(`error in test for path: '${path}'`, () => get(found[0], found[1]));
        const failed = new JSONPatchError(`testing value ${path} failed: ${TEST_FAILED}`);
        if (val === undefined || val === null) {
          // A missing or null value passes against an explicit null (or absent) value only.
          if (op.value === undefined || op.value === null) break;
          throw failed;
        }
        if (!("value" in op) || !equal(val, op.value)) throw failed;
        break;
      }
      default:
        throw new JSONPatchError(`Unexpected kind: ${kind}`);
    }
  }
  return doc;
}

/**
 * DecodePatch as kube-apiserver runs it for application/json-patch+json (patch.go's applyJSPatch:
 * a strict decode into []jsonPatchOp first): the operations, or the decoding error's text.
 */
export function decodeJSONPatch(v: unknown): Record<string, unknown>[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new JSONPatchError(`json: cannot unmarshal ${jsonKind(v)} into Go value of type []handlers.jsonPatchOp`);
  for (const op of v) {
    if (op === null) continue; // a nil Operation: its kind reads "unknown"
    if (!isObj(op)) throw new JSONPatchError(`json: cannot unmarshal ${jsonKind(op)} into Go value of type handlers.jsonPatchOp`);
    for (const f of ["op", "path", "from"]) {
      const x = op[f];
      if (x !== undefined && x !== null && typeof x !== "string") throw new JSONPatchError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field jsonPatchOp.${f} of type string`);
    }
  }
  return v.map((op) => (op === null ? {} : op));
}
