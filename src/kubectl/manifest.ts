/**
 * Reading manifests as kubectl's resource builder does: a stream of YAML (or JSON) documents,
 * empty documents skipped, `kind: List` expanded, and kubectl's messages for what cannot be read.
 * YAML is parsed by the `yaml` package; its errors are reported with line and column.
 */
import { parseAllDocuments, YAMLError } from "yaml";
import { KubectlError } from "./command.ts";
import { fastParseDocuments } from "./fastyaml.ts";

/**
 * A manifest document as read: a JSON object that should be a Kubernetes object. Nothing is checked
 * yet (checkTypeMeta checks apiVersion and kind, the API server the rest), so every field is unknown.
 */
export interface ManifestObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

/** metadata.namespace of a manifest as unstructured.GetNamespace reads it: undefined unless a string. */
export function manifestNamespace(obj: ManifestObject | undefined): string | undefined {
  const ns = obj?.metadata?.namespace;
  return typeof ns === "string" ? ns : undefined;
}

export interface ManifestDoc {
  obj: ManifestObject;
  /** File name as kubectl prints it (`STDIN` for standard input). */
  source: string;
  /** 1-based document number in its source. */
  index: number;
}

/** go-yaml's wording for the yaml package's error codes, where there is a close equivalent. */
const GO_YAML_TEXT: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: "did not find expected key",
  MULTILINE_IMPLICIT_KEY: "could not find expected ':'",
  BAD_INDENT: "did not find expected key",
  UNEXPECTED_TOKEN: "did not find expected key",
  MISSING_CHAR: "did not find expected node content",
  TAB_AS_INDENT: "found character that cannot start any token",
  BAD_DQ_ESCAPE: "found unknown escape character",
};

/**
 * go-yaml's reason for a `yaml` package error, without its position: the table's wording where the
 * error code has a close equivalent. `a: b: c` (a mapping value where a compact mapping's value
 * starts) is BLOCK_AS_IMPLICIT_KEY in the yaml package and, in go-yaml's scanner
 * (yaml_parser_fetch_value), "mapping values are not allowed in this context".
 */
export function goYamlReason(err: Pick<YAMLError, "code" | "message">): string {
  const message = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (message.startsWith("Nested mappings are not allowed in compact mappings")) return "mapping values are not allowed in this context";
  return GO_YAML_TEXT[err.code] ?? message;
}

/**
 * The documents of texts read before, by text: a course applies the same manifests in scenario after
 * scenario, and parsing YAML is most of what `kubectl apply` costs the client. Kept only for a text
 * whose every document parsed to a plain object of JSON values that a copy reproduces exactly (plain
 * objects and arrays, strings, booleans, null, numbers other than -0; no `__proto__` key); each read
 * gets its own copies, so callers may change them. Bounded by count and text size.
 */
const parsed = new Map<string, Array<{ value: ManifestObject; index: number }>>();
/** The reference engine's own texts: read by the `yaml` package alone, never from the fast reader's answers. */
const parsedRef = new Map<string, Array<{ value: ManifestObject; index: number }>>();
const PARSED_TEXTS = 256;
const PARSED_TEXT_MAX = 256 * 1024;

/** Whether `copyValue` reproduces `v` exactly. */
function copiable(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return !Object.is(v, -0);
  if (Array.isArray(v)) return Object.getPrototypeOf(v) === Array.prototype && v.every(copiable);
  if (typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k of Object.keys(v)) if (k === "__proto__" || !copiable((v as Record<string, unknown>)[k])) return false;
  // Only enumerable string keys with plain values (no symbols, getters or hidden properties).
  return Object.getOwnPropertySymbols(v).length === 0 && Object.getOwnPropertyNames(v).length === Object.keys(v).length;
}

function copyValue<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(copyValue) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyValue((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * The documents of a stream, `kind: List` expanded. `reference` (the reference engine) reads every
 * text with the `yaml` package; otherwise a text of the plain shape most manifests have is read by
 * src/kubectl/fastyaml.ts, which gives the same values.
 */
export function parseManifests(text: string, source: string, reference = false): ManifestDoc[] {
  const cache = reference ? parsedRef : parsed;
  const known = cache.get(text);
  if (known) return expandLists(known.map((d) => ({ value: copyValue(d.value), index: d.index })), source);
  const values = (!reference && (fastParseDocuments(text) as Array<{ value: ManifestObject; index: number }> | undefined)) || parseDocuments(text, source);
  if (text.length <= PARSED_TEXT_MAX && values.every((d) => copiable(d.value))) {
    if (cache.size >= PARSED_TEXTS) cache.delete(cache.keys().next().value!);
    cache.set(text, values.map((d) => ({ value: copyValue(d.value), index: d.index })));
  }
  return expandLists(values, source);
}

/** A List's items are taken as they are: a non-object item fails checkTypeMeta ("apiVersion not set"). */
function expandLists(values: Array<{ value: ManifestObject; index: number }>, source: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const { value: m, index } of values) {
    if (m.kind === "List" && Array.isArray(m.items)) {
      for (const item of m.items) out.push({ obj: item, source, index });
    } else out.push({ obj: m, source, index });
  }
  return out;
}

/** The yaml package's error for `\'` in a double-quoted scalar, which go-yaml accepts. */
function isQuoteEscape(e: YAMLError): boolean {
  return e.code === "BAD_DQ_ESCAPE" && e.message.startsWith("Invalid escape sequence \\'") && e.pos[0] >= 0;
}

/** The documents of a YAML (or JSON) stream as objects, each with its 1-based number; empty documents skipped. */
function parseDocuments(text: string, source: string): Array<{ value: ManifestObject; index: number }> {
  let docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true, strict: true });
  const quoteEscapes = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => (d.errors as YAMLError[]).filter(isQuoteEscape).map((e) => e.pos[0]));
  if (quoteEscapes.length > 0) {
    // go-yaml (libyaml's scanner, yaml_parser_scan_flow_scalar) reads `\'` in a double-quoted scalar
    // as `'`, where the yaml package refuses it: drop those backslashes and read the text again.
    for (const at of quoteEscapes.sort((a, b) => b - a)) text = text.slice(0, at) + text.slice(at + 1);
    docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true, strict: true });
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Array<{ value: ManifestObject; index: number }> = [];
  let index = 0;
  for (const doc of list) {
    index++;
    const err = (doc.errors as YAMLError[])[0];
    if (err) {
      // go-yaml names the line alone (`yaml: line 6: found character that cannot start any token`).
      const pos = err.linePos?.[0];
      const where = pos ? `line ${pos.line}` : "at an unknown position";
      const text = goYamlReason(err);
      throw new KubectlError(`error parsing ${source}: error converting YAML to JSON: yaml: ${where}: ${text}`);
    }
    let obj: unknown;
    try {
      obj = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      const m = /Unresolved alias.*: (.*)$/.exec((e as Error).message);
      const why = m ? `unknown anchor '${m[1]}' referenced` : (e as Error).message.split("\n")[0];
      throw new KubectlError(`error parsing ${source}: error converting YAML to JSON: yaml: ${why}`);
    }
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== "object" || Array.isArray(obj)) {
      throw new KubectlError(`error parsing ${source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(obj) ? "array" : typeof obj === "string" ? "string" : "number"} into Go value of type map[string]interface {}`);
    }
    out.push({ value: obj as ManifestObject, index });
  }
  return out;
}

/** kubectl's client-side check that a document names its apiVersion and kind. */
export function checkTypeMeta(doc: ManifestDoc): void {
  const missing: string[] = [];
  if (!doc.obj.apiVersion) missing.push("apiVersion not set");
  if (!doc.obj.kind) missing.push("kind not set");
  if (missing.length === 0) return;
  const what = missing.length === 1 ? missing[0] : `[${missing.join(", ")}]`;
  throw new KubectlError(
    `error validating ${JSON.stringify(doc.source)}: error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`,
  );
}

/**
 * A stream as cli-runtime's StreamVisitor reads it: document by document until one does not
 * decode. The documents before the bad one are returned with the error; the rest of the stream is
 * not read (kubectl stops the file there and goes on with its other files). Documents are split
 * as apimachinery's YAMLReader splits them (a line starting with `---`), so a parse error names
 * its line counted from the start of its own document, as go-yaml does on the chunk it is given.
 */
export function parseManifestStream(text: string, source: string, reference = false): { docs: ManifestDoc[]; error?: KubectlError } {
  try {
    return { docs: parseManifests(text, source, reference) };
  } catch (e) {
    if (!(e instanceof KubectlError)) throw e;
    // A JSON stream is decoded as JSON objects, not split on `---`: the whole stream fails.
    if (/^\s*\{/.test(text)) return { docs: [], error: e };
    const docs: ManifestDoc[] = [];
    let index = 0;
    for (const chunk of yamlChunks(text)) {
      index++;
      try {
        for (const d of parseManifests(chunk, source, reference)) docs.push({ ...d, index });
      } catch (err) {
        if (!(err instanceof KubectlError)) throw err;
        return { docs, error: err };
      }
    }
    // Every document decodes on its own (kubectl decodes them one by one).
    return { docs };
  }
}

/** apimachinery's YAMLReader.Read: the documents of a stream, split at lines that start with `---`. */
function yamlChunks(text: string): string[] {
  const out: string[] = [];
  let buf = "";
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith("---")) {
      if (buf !== "") out.push(buf);
      buf = "";
      continue;
    }
    buf += line;
  }
  if (buf !== "") out.push(buf);
  return out;
}
