/**
 * kubectl v1.32's `explain` renderer over an OpenAPI v3 document (k8s.io/kubectl/pkg/explain/v2:
 * templates/plaintext.tmpl and its funcs.go), template by template: the GVK found on the resource's
 * paths, the schema carrying it, the field path followed through properties, items, maps and
 * allOf, then DESCRIPTION (wrapped at 76 by github.com/mitchellh/go-wordwrap, indented 4) and the
 * FIELDS list (each field's type guessed as the template guesses it, `-required-`, its enum, its
 * description wrapped at 78 less its indent), or the field names only under --recursive. Output
 * already written stays written when the template throws (Go's text/template writes as it goes):
 * `RenderResult.out` holds it beside the error.
 */
type Json = Record<string, unknown>;

export interface ExplainRequest {
  /** The parsed OpenAPI v3 document of the group version. */
  document: Readonly<Json>;
  group: string;
  version: string;
  /** The resource (plural). */
  resource: string;
  fieldPath: string[];
  recursive: boolean;
}

export interface RenderResult {
  out: string;
  /** The error the template throws (`error: field "x" does not exist`), printed as kubectl prints errors. */
  error?: string;
}

class TemplateError extends Error {}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go template truthiness: false for nil, false, 0, "", and empty maps and slices. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Go's `%v` of a decoded JSON value (a map prints as `map[k:v ...]` with sorted keys). */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort(byBytes).map((k) => `${k}:${goValue(v[k])}`).join(" ")}]`;
  return String(v);
}

/** Go's %v of a float64: shortest representation, exponent form from 1e21 (as strconv 'g' with the shortest precision). */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [m, e] = n.toExponential().split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(n);
}

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** funcs.go resolveRef: a `#/...` reference within the document, or undefined. */
function resolveRef(ref: unknown, document: Readonly<Json>): Json | undefined {
  if (typeof ref !== "string") return undefined;
  if (!ref.startsWith("#")) return undefined;
  let cur: unknown = document;
  for (const k of ref.slice(1).split("/")) {
    if (k.length === 0) continue;
    const next = isObject(cur) ? cur[k] : undefined;
    if (!isObject(next)) return undefined;
    cur = next;
  }
  return cur as Json;
}

/** funcs.go `indent`: pads the first line and every line after a newline. */
export function indent(amount: number, s: string): string {
  const pad = " ".repeat(amount);
  return pad + s.replaceAll("\n", `\n${pad}`);
}

/** unicode.IsSpace, without U+00A0 (go-wordwrap keeps non-breaking spaces in words). */
const isSpace = (c: string) => /^[\t\n\v\f\r \u0085\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);

/** github.com/mitchellh/go-wordwrap v1.0.1 WrapString: wraps at white space within `lim` characters (runes). */
export function wordWrap(s: string, lim: number): string {
  if (lim === 0) return s;
  let buf = "";
  let current = 0;
  let word = "";
  let wordLen = 0;
  let space = "";
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === "\n") {
      if (wordLen === 0) {
        if (current + spaceLen > lim) current = 0;
        else {
          current += spaceLen;
          buf += space;
        }
        space = "";
        spaceLen = 0;
      } else {
        current += spaceLen + wordLen;
        buf += space + word;
        space = "";
        spaceLen = 0;
        word = "";
        wordLen = 0;
      }
      buf += ch;
      current = 0;
    } else if (isSpace(ch)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        buf += space + word;
        space = "";
        spaceLen = 0;
        word = "";
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + wordLen + spaceLen > lim && wordLen < lim) {
        buf += "\n";
        current = 0;
        space = "";
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

/** The template's `wrap` (term.NewWordWrapWriter: no wrapping at 0). */
const wrap = (l: number, s: string) => wordWrap(s, l);

const hasMapAdditionalProperties = (s: Json) => truthy(s.additionalProperties) && typeof s.additionalProperties !== "boolean";

/** Template "typeGuess". */
export function typeGuess(schema: unknown, document: Readonly<Json>): string {
  if (!truthy(schema) || !isObject(schema)) throw new TemplateError("expected schema argument to subtemplate 'typeguess'");
  if (truthy(schema.items)) return `[]${typeGuess(schema.items, document)}`;
  if (hasMapAdditionalProperties(schema)) return `map[string]${typeGuess(schema.additionalProperties, document)}`;
  if (truthy(schema.allOf) && !truthy(schema.properties) && (schema.allOf as unknown[]).length === 1) return typeGuess((schema.allOf as unknown[])[0], document);
  const ref = schema.$ref;
  if (truthy(ref)) {
    const refSchema = resolveRef(ref, document);
    if (!truthy(refSchema) || !truthy(refSchema!.type) || refSchema!.type === "object") {
      const name = String(ref).split("/").pop()!;
      return name.split(".").pop() || "Object";
    }
    return goValue(refSchema!.type) || "Object";
  }
  if (schema.type === "object") return "Object";
  return truthy(schema.type) ? goValue(schema.type) : "Object";
}

/** Template "extractEnum". */
export function extractEnum(schema: Json, isLongView: boolean, limit: number, indentAmount = 0): string {
  if (!truthy(schema.enum) || !Array.isArray(schema.enum)) return "";
  let out = isLongView ? "ENUM:" : `\n${indent(indentAmount, "")}enum: `;
  const values = schema.enum as unknown[];
  for (let i = 0; i < values.length; i++) {
    if (limit > -1 && i >= limit) {
      out += ", ....";
      break;
    }
    if (i > 0 && !isLongView) out += ", ";
    else if (isLongView) out += `\n${indent(4, "")}`;
    const v = values[i];
    out += v === "" ? '""' : goValue(v);
  }
  return out;
}

/** Template "description": the schema's description, then those of its allOf, items and map values. */
function description(schema: unknown, document: Readonly<Json>): string {
  const s = resolveRef(isObject(schema) ? schema.$ref : undefined, document) ?? schema;
  if (!truthy(s) || !isObject(s)) return "";
  let out = "";
  if (truthy(s.description)) out += `${goValue(s.description)}\n`;
  for (const a of Array.isArray(s.allOf) ? s.allOf : []) out += description(a, document);
  if (truthy(s.items)) out += description(s.items, document);
  if (hasMapAdditionalProperties(s)) out += description(s.additionalProperties, document);
  return out;
}

/** Template "externalDocs". */
function externalDocs(schema: Json): string {
  const docs = schema.externalDocs;
  if (!truthy(docs) || !isObject(docs)) return "";
  let out = "EXTERNAL DOCS:\n";
  if (truthy(docs.description)) out += `${indent(4, wrap(76, goValue(docs.description)))}\n`;
  if (truthy(docs.url)) out += `${indent(4, `URL: ${goValue(docs.url)}`)}\n`;
  return out;
}

/** Template "fieldDetail". */
export function fieldDetail(name: string, schema: Json, short: boolean, level: number, document: Readonly<Json>): string {
  const indentAmount = level * 2;
  const fieldSchema = (schema.properties as Json)[name];
  let out = `${indent(indentAmount, name)}\t<${typeGuess(fieldSchema, document)}>`;
  if (Array.isArray(schema.required) && schema.required.includes(name)) out += " -required-";
  out += extractEnum(fieldSchema as Json, false, 4, indentAmount);
  out += "\n";
  if (!short) {
    const f = fieldSchema as Json;
    out += `${indent(indentAmount + 2, wrap(78 - indentAmount, truthy(f.description) ? goValue(f.description) : "<no description>"))}\n`;
    const docs = f.externalDocs;
    if (truthy(docs) && isObject(docs)) {
      out += `\n${indent(indentAmount + 2, "EXTERNAL DOCS:")}\n`;
      if (truthy(docs.description)) out += `${indent(indentAmount + 4, wrap(76 - indentAmount, goValue(docs.description)))}\n`;
      if (truthy(docs.url)) out += `${indent(indentAmount + 4, `URL: ${goValue(docs.url)}`)}\n`;
    }
    out += "\n";
  }
  return out;
}

/** Template "fieldList": each property (and, recursively, theirs), then those of allOf, items and map values. */
function fieldList(schema: unknown, level: number, history: ReadonlySet<string>, recursive: boolean, document: Readonly<Json>): string {
  const s = isObject(schema) ? schema : {};
  const refString = truthy(s.$ref) ? String(s.$ref) : "";
  if (refString && history.has(refString)) return "";
  const next = new Set(history).add(refString);
  const resolvedRef = resolveRef(refString, document);
  const resolved = truthy(resolvedRef) ? resolvedRef! : s;
  let out = "";
  const properties = isObject(resolved.properties) ? resolved.properties : {};
  for (const k of Object.keys(properties).sort(byBytes)) {
    out += fieldDetail(k, resolved, recursive, level, document);
    if (recursive) out += fieldList(properties[k], level + 1, next, recursive, document);
  }
  for (const a of Array.isArray(resolved.allOf) ? resolved.allOf : []) out += fieldList(a, level, next, recursive, document);
  if (truthy(resolved.items)) out += fieldList(resolved.items, level, next, recursive, document);
  if (hasMapAdditionalProperties(resolved)) out += fieldList(resolved.additionalProperties, level, next, recursive, document);
  return out;
}

/** Template "output": follows the field path, then prints the field's description and fields. */
function output(schema: unknown, history: ReadonlySet<string>, fieldPath: string[], recursive: boolean, document: Readonly<Json>): string {
  const s = isObject(schema) ? schema : {};
  const refString = truthy(s.$ref) ? String(s.$ref) : "";
  const next = new Set(history).add(refString);
  const resolvedRef = resolveRef(refString, document);
  const resolved = truthy(resolvedRef) ? resolvedRef! : s;
  if (fieldPath.length === 0) {
    const d = description(resolved, document);
    let out = `DESCRIPTION:\n${indent(4, wrap(76, d || "<empty>"))}\n`;
    const ext = externalDocs(resolved);
    if (ext) out += `\n${ext}`;
    const fields = fieldList(resolved, 1, new Set(), recursive, document);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (refString && history.has(refString)) return "";
  const properties = isObject(resolved.properties) ? resolved.properties : undefined;
  if (truthy(properties) && truthy(properties![fieldPath[0]!])) {
    const sub = properties![fieldPath[0]!] as Json;
    let out = "";
    if (fieldPath.length === 1) out += `FIELD: ${fieldPath[0]} <${typeGuess(sub, document)}>\n${extractEnum(sub, true, -1)}\n\n`;
    return out + output(sub, new Set(), fieldPath.slice(1), recursive, document);
  }
  if (truthy(resolved.items)) return output(resolved.items, next, fieldPath, recursive, document);
  if (hasMapAdditionalProperties(resolved)) return output(resolved.additionalProperties, next, fieldPath, recursive, document);
  for (const a of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
    const o = output(a, next, fieldPath, recursive, document);
    if (o) return o;
  }
  return "";
}

/** Whether a schema's x-kubernetes-group-version-kind lists the GVK (funcs.go contains: reflect.DeepEqual). */
function listsGVK(list: unknown, gvk: Json): boolean {
  if (!Array.isArray(list)) return false;
  const keys = Object.keys(gvk).sort().join();
  return list.some((e) => isObject(e) && Object.keys(e).sort().join() === keys && Object.keys(gvk).every((k) => e[k] === gvk[k]));
}

/** Renders `kubectl explain`'s plaintext template. */
export function renderExplain(req: ExplainRequest): RenderResult {
  const { document, group, version, resource, fieldPath, recursive } = req;
  let out = "";
  try {
    const prefix = group ? `/apis/${group}` : "/api";
    const searchPaths = [
      [prefix, version, resource].join("/"),
      [prefix, version, resource, "{name}"].join("/"),
      [prefix, version, "namespaces", "{namespace}", resource].join("/"),
      [prefix, version, "namespaces", "{namespace}", resource, "{name}"].join("/"),
    ];
    const paths = isObject(document.paths) ? document.paths : {};
    let gvk: unknown;
    for (const p of searchPaths) {
      const element = paths[p];
      if (!truthy(element) || !isObject(element)) continue;
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        const op = element[method];
        if (!truthy(op) || !isObject(op)) continue;
        // `with $gvk = index ...`: the variable takes every operation's value, set or not.
        gvk = op["x-kubernetes-group-version-kind"];
        if (truthy(gvk)) break;
      }
    }
    if (!truthy(gvk) || !isObject(gvk)) {
      const gvr = `${group}/${version}, Resource=${resource}`;
      throw new TemplateError(`error: GVR (${gvr}) not found in OpenAPI schema`);
    }
    if (truthy(gvk.group)) out += `GROUP:      ${goValue(gvk.group)}\n`;
    out += `KIND:       ${goValue(gvk.kind)}\n`;
    out += `VERSION:    ${goValue(gvk.version)}\n`;
    out += "\n";
    const schemas = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
    let schemaOut = "";
    for (const name of Object.keys(schemas).sort(byBytes)) {
      const schema = schemas[name];
      if (!isObject(schema) || !listsGVK(schema["x-kubernetes-group-version-kind"], gvk)) continue;
      schemaOut = output(schema, new Set(), fieldPath, recursive, document);
      if (!schemaOut) {
        if (fieldPath.length === 0) throw new TemplateError("error calling index: index out of range: -1");
        throw new TemplateError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`);
      }
      break;
    }
    if (!schemaOut) throw new TemplateError(`error: GVK ${goValue(gvk)} not found in OpenAPI schema`);
    out += schemaOut;
    out += "\n";
    return { out };
  } catch (e) {
    if (e instanceof TemplateError) return { out, error: e.message };
    throw e;
  }
}
