/**
 * runtime.DefaultUnstructuredConverter.FromUnstructured (k8s.io/apimachinery/pkg/runtime/converter.go,
 * v1.32): how kube-apiserver turns the map a strategic merge patch produced into the Go type
 * (handlers/patch.go's applyPatchToObject), and the errors it gives for a value of the wrong type.
 * A JSON value reaches it as Go's decoder made it (UnmarshalCaseSensitivePreserveInts): a string,
 * an int64 (a number without fraction), a float64, a bool, a []interface{} (slice) or a
 * map[string]interface{} (map); null is no value and leaves the field's zero value.
 *
 * - a simple field (string, bool, integers, float64) takes a value of its own kind; an int64 or an
 *   integral float64 goes into any number; otherwise `cannot convert int64 to string` when
 *   reflect's ConvertibleTo holds (an int into a string, a fractional float into an int), else
 *   `unrecognized type: int32` (a string into an int, a bool into a string, a map into a number);
 * - a map field needs a map (`cannot restore map from slice`), a list field a slice (`cannot
 *   restore slice from map`; a string is a []byte's base64), a struct field a map (`cannot restore
 *   struct from: string`, with the colon);
 * - types with their own UnmarshalJSON get the value as JSON: resource.Quantity
 *   (ParseQuantity's errors), intstr.IntOrString (a string, else encoding/json into int32: `json:
 *   cannot unmarshal array into Go value of type int32`), metav1.Time (a string, else `json: cannot
 *   unmarshal number into Go value of type string`).
 *
 * The first error found is returned. Go visits a struct's fields in declaration order and a map's
 * keys in random order; here fields are visited in fields.json's order (alphabetical) and keys in
 * the object's order, so with several wrong values the one named may differ (docs/divergences.md).
 * A number into a named type names the Go type as reflect does (`cannot convert int64 to
 * v1.PullPolicy`), from gotypes.json (scripts/gen-go-types.ts; a custom resource definition's or an
 * APIService's fields are not in it and say `string`). A time string is parsed as metav1.Time's
 * UnmarshalJSON parses it (time.RFC3339; MicroTime's RFC3339Micro), Go's ParseError when it does
 * not (src/api/schema/gotime.ts).
 */
import { goTypeOf, loadSchema } from "./fields.ts";
import { goTimeParseError, RFC3339, RFC3339_MICRO } from "./gotime.ts";
import { parseQuantity, QuantityError } from "../quantity.ts";
import { apiVersionOf, resourceForGVK } from "../resources.ts";

/** reflect.Kind of a JSON value as Go's decoder leaves it in an interface{}. */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "slice";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int64" : "float64";
    default:
      return "map";
  }
}

/** The codes of simple kinds and times (whose Go type gotypes.json may name). */
const SIMPLE_CODE = /^(s|b|t|n:\w+)$/;

const NUMBER_KINDS: Record<string, string> = { "n:int32": "int32", "n:int64": "int64", "n:double": "float64" };

/** Fields whose Go type is []byte (a string holds their base64) or map[string][]byte. */
const BYTES = new Set(["V1CertificateSigningRequestSpec.request", "V1CertificateSigningRequestStatus.certificate"]);
const BYTES_MAPS = new Set(["V1Secret.data", "V1ConfigMap.binaryData"]);

/** encoding/base64's StdEncoding as encoding/json decodes a []byte: undefined when `s` decodes. */
function base64Error(s: string): string | undefined {
  const body = s.replace(/[\r\n]/g, "");
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(body) && body.length % 4 === 0) return undefined;
  let i = 0;
  for (; i < s.length && s[i] !== "="; i++) if (!/[A-Za-z0-9+/\r\n]/.test(s[i]!)) break;
  return `error decoding from json: illegal base64 data at input byte ${i}`;
}

/** `Model.field` → reflect's name of its Go type where it is a named type (gotypes.json). */
function goTypeOfOwner(owner: string): string | undefined {
  const dot = owner.indexOf(".");
  return dot > 0 ? goTypeOf(owner.slice(0, dot), owner.slice(dot + 1)) : undefined;
}

/** `dt` is the field's reflect.Kind, `named` its type's name when it is a named type (String()). */
function simple(v: unknown, dt: string, named = dt): string | undefined {
  const st = kindOf(v);
  if (st === dt) return undefined;
  const isInt = (k: string) => k === "int32" || k === "int64";
  if (st === "int64" && (isInt(dt) || dt === "float64")) return undefined;
  if (st === "float64" && dt === "float64") return undefined;
  if (st === "float64" && isInt(dt)) return Math.trunc(v as number) === v ? undefined : `cannot convert float64 to ${named}`;
  // reflect: an integer converts to a string (as a rune), which the converter still refuses.
  if (st === "int64" && dt === "string") return `cannot convert int64 to ${named}`;
  return `unrecognized type: ${dt}`;
}

function walk(v: unknown, code: string, owner: string): string | undefined {
  if (v === null || v === undefined || code === "a") return undefined;
  if (code === "s" || code === "b" || code.startsWith("n:")) {
    const dt = code === "s" ? "string" : code === "b" ? "bool" : NUMBER_KINDS[code] ?? "float64";
    return simple(v, dt, goTypeOfOwner(owner) ?? dt);
  }
  if (code === "t") {
    // UnmarshalJSON: a JSON string, parsed with the type's layout.
    if (typeof v !== "string") return `json: cannot unmarshal ${jsonKind(v)} into Go value of type string`;
    return goTimeParseError(goTypeOfOwner(owner) === "v1.MicroTime" ? RFC3339_MICRO : RFC3339, v);
  }
  if (code === "i") {
    if (typeof v === "string") return undefined;
    if (typeof v === "number") return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? undefined : `json: cannot unmarshal number ${v} into Go value of type int32`;
    return `json: cannot unmarshal ${jsonKind(v)} into Go value of type int32`;
  }
  if (code === "q") {
    // UnmarshalJSON: the JSON text, its quotes taken off, spaces trimmed, then ParseQuantity.
    try {
      parseQuantity(v);
    } catch (e) {
      if (e instanceof QuantityError) return e.message;
      throw e;
    }
    return undefined;
  }
  if (code.startsWith("[")) {
    if (typeof v === "string" && BYTES.has(owner)) return base64Error(v);
    if (!Array.isArray(v)) return `cannot restore slice from ${kindOf(v)}`;
    const inner = code.slice(1, -1);
    // Items of a simple kind are of the field's item type (gotypes.json names it by the field).
    const itemOwner = SIMPLE_CODE.test(inner) ? owner : "";
    for (const x of v) {
      const err = walk(x, inner, itemOwner);
      if (err) return err;
    }
    return undefined;
  }
  if (code.startsWith("{")) {
    if (kindOf(v) !== "map") return `cannot restore map from ${kindOf(v)}`;
    const inner = code.slice(1, -1);
    const m = v as Record<string, unknown>;
    for (const k in m) {
      const x = m[k];
      if (BYTES_MAPS.has(owner) && x !== null && x !== undefined) {
        const err = typeof x === "string" ? base64Error(x) : `cannot restore slice from ${kindOf(x)}`;
        if (err) return err;
        continue;
      }
      const err = walk(x, inner, SIMPLE_CODE.test(inner) ? owner : "");
      if (err) return err;
    }
    return undefined;
  }
  const fields = loadSchema().types[code];
  if (!fields) return undefined;
  if (kindOf(v) !== "map") return `cannot restore struct from: ${kindOf(v)}`;
  const obj = v as Record<string, unknown>;
  for (const [name, fieldCode] of Object.entries(fields)) {
    if (!(name in obj)) continue;
    const err = walk(obj[name], fieldCode, `${code}.${name}`);
    if (err) return err;
  }
  return undefined;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v !== null && typeof v === "object") return "object";
  return typeof v === "string" ? "string" : typeof v === "boolean" ? "bool" : "number";
}

/** The schema type of a served kind (storage versions by kind, other served versions by `apiVersion/kind`), if fields.json has it. */
export function schemaRoot(apiVersion: string, kind: string): string | undefined {
  const r = resourceForGVK(apiVersion, kind);
  const roots = loadSchema().roots;
  return r && apiVersionOf(r) !== r.storageVersion ? roots[`${apiVersionOf(r)}/${r.kind}`] : roots[kind];
}

/**
 * FromUnstructured's error for `obj` as the Go type `root` (a fields.json type), or undefined when
 * it converts. Unknown fields are not its concern (the field validation reports them).
 */
export function fromUnstructuredError(obj: unknown, root: string): string | undefined {
  return walk(obj, root, "");
}
