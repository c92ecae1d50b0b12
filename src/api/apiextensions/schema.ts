/**
 * A CustomResourceDefinition version's structural schema applied to custom resources, as
 * apiextensions-apiserver does it: defaulting (pkg/apiserver/schema/defaulting), pruning of unknown
 * fields (pkg/apiserver/schema/pruning, with x-kubernetes-preserve-unknown-fields), and validation
 * with kube-openapi's messages (`spec.replicas in body should be less than or equal to 10`)
 * turned into field errors as pkg/apiserver/validation/validation.go does (required → Required
 * value, enum → Unsupported value, too long → Too long, too many items → Too many).
 *
 * A hand port rather than a JSON-schema library: no library produces kube-openapi's texts and the
 * field paths these errors carry.
 */
import { F, GoRepr, type Errs } from "../validation/field.ts";
import { goQuote } from "../errors.ts";

export interface JSONSchemaProps {
  type?: string;
  format?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  [key: string]: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Fields of metadata a custom resource keeps (ObjectMeta's); everything under it is ObjectMeta's business. */
const ROOT_KEEP = new Set(["apiVersion", "kind", "metadata"]);

// ---- defaulting ----------------------------------------------------------------------------

/** structuraldefaulting.Default: fills absent properties that have a default, depth first. */
export function applyDefaults(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (isObj(v)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (!(k in v) && prop.default !== undefined) v[k] = clone(prop.default);
      else if (v[k] === null && prop.default !== undefined && !prop.nullable) v[k] = clone(prop.default);
    }
    for (const [k, prop] of Object.entries(s.properties ?? {})) if (k in v) applyDefaults(v[k], prop);
    if (isObj(s.additionalProperties)) for (const k of Object.keys(v)) if (!(k in (s.properties ?? {}))) applyDefaults(v[k], s.additionalProperties);
  } else if (Array.isArray(v) && s.items) {
    for (const x of v) applyDefaults(x, s.items);
  }
}

// ---- pruning -------------------------------------------------------------------------------

/** pruning.PruneWithOptions: drops fields the schema does not declare; returns their paths. */
export function prune(v: unknown, s: JSONSchemaProps | undefined, path: string, root: boolean, pruned: string[]): void {
  if (!s || s["x-kubernetes-preserve-unknown-fields"] && !s.properties && !isObj(s.additionalProperties)) {
    // Nothing to prune below a preserve-unknown-fields node (its declared properties are still walked).
    if (!s) return;
  }
  if (isObj(v)) {
    const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
    for (const k of Object.keys(v)) {
      if (root && ROOT_KEEP.has(k)) continue;
      const p = path ? `${path}.${k}` : k;
      const prop = s.properties?.[k] ?? (isObj(s.additionalProperties) ? s.additionalProperties : undefined);
      if (prop) prune(v[k], prop, p, false, pruned);
      else if (s.additionalProperties === true || preserve) continue;
      else {
        pruned.push(p);
        delete v[k];
      }
    }
  } else if (Array.isArray(v) && s.items) {
    v.forEach((x, i) => prune(x, s.items, `${path}[${i}]`, false, pruned));
  }
}

// ---- validation ----------------------------------------------------------------------------

/** The JSON type kube-openapi reports for a value (`string`, `integer`, `number`, `boolean`, `object`, `array`, `null`). */
function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  return "object";
}

/** Go's %v of a number (kube-openapi prints limits with %v). */
const num = (n: number) => String(n);

/** RE2-compatible enough for CRD patterns (Go regexps have no lookaround, as JS's subset used here). */
function matches(pattern: string, s: string): boolean {
  try {
    return new RegExp(pattern, "u").test(s);
  } catch {
    return true;
  }
}

/** field.Invalid's rendering of a JSON value: %q strings, %v numbers and booleans, Go's map/slice forms. */
function goJSONValue(v: unknown): string {
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[]interface {}{${v.map(goJSONValue).join(", ")}}`;
  return `map[string]interface {}{${Object.keys(v as Obj).sort().map((k) => `${goQuote(k)}:${goJSONValue((v as Obj)[k])}`).join(", ")}}`;
}

const invalid = (path: string, v: unknown, msg: string): Errs[number] => F.invalid(path, new GoRepr(goJSONValue(v)), msg);

export function validateValue(v: unknown, s: JSONSchemaProps | undefined, path: string, errs: Errs): void {
  if (!s) return;
  const where = path || "<root>";
  if (v === null) {
    if (s.nullable) return;
    if (s.type) errs.push(invalid(where, v, `${where} in body must be of type ${s.type}: "null"`));
    return;
  }
  if (s["x-kubernetes-int-or-string"]) {
    if (typeof v !== "string" && !(typeof v === "number" && Number.isInteger(v))) errs.push(invalid(where, v, `${where} in body must be of type integer,string: ${goQuote(typeOf(v))}`));
  } else if (s.type) {
    const t = typeOf(v);
    const ok = t === s.type || (s.type === "number" && t === "integer");
    if (!ok) {
      errs.push(invalid(where, v, `${where} in body must be of type ${s.type}: ${goQuote(t)}`));
      return;
    }
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push({ field: where, detail: `Unsupported value: ${goJSONValue(v)}: supported values: ${s.enum.map((e) => (typeof e === "string" ? goQuote(e) : goJSONValue(e))).join(", ")}` });
  }
  if (typeof v === "number") {
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      errs.push(invalid(where, v, `${where} in body should be less than ${s.exclusiveMaximum ? "" : "or equal to "}${num(s.maximum)}`));
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      errs.push(invalid(where, v, `${where} in body should be greater than ${s.exclusiveMinimum ? "" : "or equal to "}${num(s.minimum)}`));
    }
    if (s.multipleOf !== undefined && s.multipleOf > 0 && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) {
      errs.push(invalid(where, v, `${where} in body should be a multiple of ${num(s.multipleOf)}`));
    }
  }
  if (typeof v === "string") {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push({ field: where, detail: `Too long: may not be more than ${s.maxLength} bytes` });
    if (s.minLength !== undefined && len < s.minLength) errs.push(invalid(where, v, `${where} in body should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined && !matches(s.pattern, v)) errs.push(invalid(where, v, `${where} in body should match '${s.pattern}'`));
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push({ field: where, detail: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(invalid(where, v, `${where} in body should have at least ${s.minItems} items`));
    if (s.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errs.push({ field: where, detail: `Duplicate value: ${goJSONValue(v)}` });
    v.forEach((x, i) => validateValue(x, s.items, `${path}[${i}]`, errs));
  }
  if (isObj(v)) {
    for (const r of s.required ?? []) if (!(r in v)) errs.push(F.required(path ? `${path}.${r}` : r));
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) errs.push({ field: where, detail: `Too many: ${n}: must have at most ${s.maxProperties} items` });
    if (s.minProperties !== undefined && n < s.minProperties) errs.push(invalid(where, v, `${where} in body should have at least ${s.minProperties} properties`));
    for (const k of Object.keys(v).sort()) {
      if (!path && ROOT_KEEP.has(k)) continue;
      const prop = s.properties?.[k] ?? (isObj(s.additionalProperties) ? s.additionalProperties : undefined);
      validateValue(v[k], prop, path ? `${path}.${k}` : k, errs);
    }
  }
  for (const sub of s.allOf ?? []) validateValue(v, sub, path, errs);
  if (s.anyOf && !s.anyOf.some((sub) => validateInto(v, sub, path).length === 0)) errs.push(invalid(where, v, `${where} in body must match at least one schema in anyOf`));
  if (s.oneOf && s.oneOf.filter((sub) => validateInto(v, sub, path).length === 0).length !== 1) errs.push(invalid(where, v, `${where} in body must validate one and only one schema (oneOf)`));
  if (s.not && validateInto(v, s.not, path).length === 0) errs.push(invalid(where, v, `${where} in body should not validate the schema (not)`));
}

function validateInto(v: unknown, s: JSONSchemaProps, path: string): Errs {
  const errs: Errs = [];
  validateValue(v, s, path, errs);
  return errs;
}

/** The errors of a custom resource against its version's schema (metadata is ObjectMeta's, validated apart). */
export function validateCustomResource(obj: Obj, s: JSONSchemaProps | undefined): Errs {
  const errs: Errs = [];
  validateValue(obj, s, "", errs);
  return errs;
}

// ---- list types ----------------------------------------------------------------------------

/** listtype.validateListSet: the indices of the second appearance of each repeated element. */
function nonUnique(items: unknown[]): number[] {
  const times = new Map<string, number>();
  const out: number[] = [];
  items.forEach((x, i) => {
    const k = x === undefined ? "\u0000unspecified" : JSON.stringify(x);
    const n = (times.get(k) ?? 0) + 1;
    times.set(k, n);
    if (n === 2) out.push(i);
  });
  return out;
}

function listSetsAndMapsArray(path: string, s: JSONSchemaProps, v: unknown[], errs: Errs): void {
  const type = s["x-kubernetes-list-type"];
  if (type === "set") {
    for (const i of nonUnique(v)) errs.push({ field: `${path}[${i}]`, detail: `Duplicate value: ${goJSONValue(v[i])}` });
  } else if (type === "map") {
    const bad = v.findIndex((x) => x !== null && !isObj(x));
    if (bad >= 0) {
      errs.push(invalid(`${path}[${bad}]`, v[bad], "must be an object for an array of list-type map"));
    } else {
      const keys = (s["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
      if (keys.length === 1) {
        const k = keys[0]!;
        const vals = v.map((x) => (isObj(x) && k in x ? x[k] : undefined));
        for (const i of nonUnique(vals)) errs.push({ field: `${path}[${i}]`, detail: `Duplicate value: ${goJSONValue(vals[i] === undefined ? {} : { [k]: vals[i] })}` });
      } else if (keys.length > 1) {
        const vals = v.map((x) => Object.fromEntries(keys.filter((k) => isObj(x) && k in x).map((k) => [k, (x as Obj)[k]])));
        for (const i of nonUnique(vals)) errs.push({ field: `${path}[${i}]`, detail: `Duplicate value: ${goJSONValue(vals[i])}` });
      }
    }
  }
  if (s.items) v.forEach((x, i) => listSetsAndMaps(`${path}[${i}]`, s.items!, x, errs));
}

function listSetsAndMaps(path: string, s: JSONSchemaProps, v: unknown, errs: Errs): void {
  if (Array.isArray(v)) listSetsAndMapsArray(path, s, v, errs);
  else if (isObj(v)) listSetsAndMapsObject(path, s, v, errs);
}

function listSetsAndMapsObject(path: string, s: JSONSchemaProps, v: Obj, errs: Errs): void {
  const child = (k: string) => (path ? `${path}.${k}` : k);
  if (isObj(s.additionalProperties)) for (const k of Object.keys(v).sort()) listSetsAndMaps(`${path}[${k}]`, s.additionalProperties as JSONSchemaProps, v[k], errs);
  if (s.properties) for (const k of Object.keys(v).sort()) if (s.properties[k]) listSetsAndMaps(child(k), s.properties[k]!, v[k], errs);
}

/**
 * listtype.ValidateListSetsAndMaps: the elements of an `x-kubernetes-list-type: set` list are
 * unique, and so are the keys (`x-kubernetes-list-map-keys`) of a `map` list's elements
 * (`spec.listeners[1]: Duplicate value: map[string]interface {}{"name":"http"}`). Go walks the
 * object's map in random order; the keys are sorted here.
 */
export function validateListSetsAndMaps(obj: Obj, s: JSONSchemaProps | undefined): Errs {
  const errs: Errs = [];
  if (s) listSetsAndMapsObject("", s, obj, errs);
  return errs;
}
