/**
 * kubectl's output formats (-o): json, yaml, name, jsonpath, jsonpath-as-json, custom-columns and
 * the human-readable table (default and wide), with kubectl's error texts for the rest.
 */
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, type LocalFiles } from "../command.ts";
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from "../jsonpath.ts";
import { goJSON } from "./gojson.ts";
import { goYAML } from "./goyaml.ts";
import { formatRows } from "./tabwriter.ts";
import { GoTemplate, TemplateError } from "../gotemplate.ts";

export type OutputFormat =
  | { kind: "table"; wide: boolean }
  | { kind: "json" }
  | { kind: "yaml" }
  | { kind: "name" }
  | { kind: "jsonpath"; template: string; asJSON: boolean }
  | { kind: "custom-columns"; spec: string }
  | { kind: "go-template"; template: GoTemplate };

export const GET_FORMATS = [
  "custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json",
  "jsonpath-file", "name", "template", "templatefile", "wide", "yaml",
];
/** Formats of commands that print the objects they changed (label, taint, apply -o ...). */
export const OBJECT_FORMATS = GET_FORMATS.filter((f) => f !== "wide" && !f.startsWith("custom-columns"));

/** Where `-o *-file` formats read their template, and `--template` (which overrides `-o x=...`). */
export interface OutputSources {
  files?: LocalFiles;
  template?: string;
}

const TEMPLATE_FILE_FORMATS = ["go-template-file", "templatefile", "jsonpath-file", "custom-columns-file"];

export function parseOutputFormat(output: string, allowed: string[] = GET_FORMATS, sources: OutputSources = {}): OutputFormat {
  // PrintFlags.ToPrinter: a --template without -o means go-template (kept for backwards compatibility).
  if (output === "" && sources.template) output = "go-template";
  if (output === "") return { kind: "table", wide: false };
  // With --template, `-o` names the format alone (kubectl splits `format=value` only without it).
  const eq = sources.template ? -1 : output.indexOf("=");
  let name = eq >= 0 ? output.slice(0, eq) : output;
  let arg = eq >= 0 ? output.slice(eq + 1) : "";
  const unmatched = () =>
    new KubectlError(`unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: ${allowed.join(",")}`);
  if (!allowed.includes(name)) throw unmatched();
  if (sources.template && !name.startsWith("custom-columns")) arg = sources.template;
  if (TEMPLATE_FILE_FORMATS.includes(name)) {
    if (arg === "") throw new KubectlError("template format specified but no template given");
    if (!sources.files) throw new KubectlError(`the output format ${JSON.stringify(name)} is not supported by this command in this simulation`);
    try {
      arg = sources.files.read(arg).toString("utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "EISDIR" ? "is a directory" : "no such file or directory";
      if (name === "custom-columns-file") throw new KubectlError(`error reading template ${arg}, open ${arg}: ${why}\n`);
      throw new KubectlError(`error reading --template ${arg}, open ${arg}: ${why}`);
    }
    name = name === "jsonpath-file" ? "jsonpath" : name === "custom-columns-file" ? "custom-columns-file" : "go-template";
  }
  switch (name) {
    case "custom-columns-file":
      // customcolumn.NewCustomColumnsPrinterFromTemplate: a header line of names, a line of JSONPath specs.
      return { kind: "custom-columns", spec: customColumnsFromTemplate(arg) };
    case "wide":
      return { kind: "table", wide: true };
    case "json":
      return { kind: "json" };
    case "yaml":
      return { kind: "yaml" };
    case "name":
      return { kind: "name" };
    case "jsonpath":
    case "jsonpath-as-json":
      if (arg === "") throw new KubectlError("template format specified but no template given");
      try {
        new JSONPath(arg);
      } catch (e) {
        if (e instanceof JSONPathError) throw new KubectlError(`error parsing jsonpath ${arg}, ${e.message}`);
        throw e;
      }
      return { kind: "jsonpath", template: arg, asJSON: name === "jsonpath-as-json" };
    case "go-template":
    case "template":
      if (arg === "") throw new KubectlError("template format specified but no template given");
      try {
        return { kind: "go-template", template: new GoTemplate(arg) };
      } catch (e) {
        if (e instanceof TemplateError) throw new KubectlError(`error parsing template ${arg}, ${e.message}`);
        throw e;
      }
    case "custom-columns":
      if (arg === "") throw new KubectlError("custom-columns format specified but no custom columns given");
      parseCustomColumns(arg);
      return { kind: "custom-columns", spec: arg };
    default:
      throw new KubectlError(`the output format ${JSON.stringify(name)} is not supported in this simulation; use json, yaml, name, jsonpath, go-template, custom-columns or wide`);
  }
}

/** NewCustomColumnsPrinterFromTemplate: the file's first line names the columns, its second gives their paths. */
function customColumnsFromTemplate(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length !== 2) throw new KubectlError(`invalid template, expected two lines, found ${lines.length}`);
  const headers = lines[0]!.trim().split(/\s+/);
  const specs = lines[1]!.trim().split(/\s+/);
  if (headers.length !== specs.length) throw new KubectlError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((h, i) => `${h}:${specs[i]}`).join(",");
}

/** `pod/web`, `deployment.apps/web`: kubectl's name printer. */
export function resourceName(r: ResourceType, name: string): string {
  return `${r.kind.toLowerCase()}${r.group ? "." + r.group : ""}/${name}`;
}

/** The object kubectl's generic printers receive: the object itself, or a v1 List of them. */
export function listOrObject(objs: KObject[], singleItemImplied: boolean): KObject | { apiVersion: "v1"; items: KObject[]; kind: "List"; metadata: { resourceVersion: string } } {
  if (singleItemImplied && objs.length === 1) return objs[0];
  return { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } };
}

export interface PrintedObject {
  r: ResourceType;
  obj: KObject;
}

/** An object without metadata.managedFields (a List's items too). */
function omitManagedFields(obj: KObject): KObject {
  const items = (obj as { items?: unknown }).items;
  if (obj.kind === "List" && Array.isArray(items)) return { ...obj, items: items.map((i) => omitManagedFields(i as KObject)) } as KObject;
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _omitted, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * Prints objects in a non-table format; returns stdout text. JSON and YAML leave managedFields
 * out unless `showManagedFields` (kubectl's OmitManagedFieldsPrinter, which JSONYamlPrintFlags
 * puts around them without --show-managed-fields).
 */
export function printGeneric(format: Exclude<OutputFormat, { kind: "table" }>, items: PrintedObject[], singleItemImplied: boolean, showManagedFields = false): string {
  const objs = items.map((i) => ((format.kind === "json" || format.kind === "yaml") && !showManagedFields ? omitManagedFields(i.obj) : i.obj));
  switch (format.kind) {
    case "json":
      return goJSON(listOrObject(objs, singleItemImplied), "    ") + "\n";
    case "yaml":
      return goYAML(listOrObject(objs, singleItemImplied));
    case "name":
      return items.map((i) => resourceName(i.r, i.obj.metadata.name!) + "\n").join("");
    case "jsonpath":
      return executeJSONPath(format.template, listOrObject(objs, singleItemImplied), format.asJSON);
    case "custom-columns":
      return printCustomColumns(format.spec, objs);
    case "go-template":
      return executeGoTemplate(format.template, listOrObject(objs, singleItemImplied));
  }
}

/** GoTemplatePrinter.PrintObj: the template over the object's JSON; a failure prints what kubectl prints to debug it. */
export function executeGoTemplate(t: GoTemplate, data: unknown): string {
  try {
    return t.execute(data);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    throw new KubectlError(
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${t.source}\n\traw data was:\n\t\t${JSON.stringify(data)}\n\tobject given to template engine was:\n\t\t${goV(data)}\n\n` +
        `error: error executing template ${JSON.stringify(t.source)}: ${e.message}`,
      1,
      true,
    );
  }
}

export function executeJSONPath(template: string, data: unknown, asJSON = false): string {
  const jp = new JSONPath(template);
  try {
    if (asJSON) {
      const results = jp.findResults(data).flat();
      return goJSON(results, "    ") + "\n";
    }
    return jp.execute(data);
  } catch (e) {
    if (!(e instanceof JSONPathError)) throw e;
    throw new KubectlError(
      `error: error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n`,
      1,
      true,
    );
  }
}

interface CustomColumn {
  header: string;
  template: JSONPath;
}

function parseCustomColumns(spec: string): CustomColumn[] {
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) throw new KubectlError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    const header = part.slice(0, colon);
    let expr: string;
    try {
      expr = relaxedJSONPathExpression(part.slice(colon + 1));
      return { header, template: new JSONPath(expr) };
    } catch (e) {
      if (e instanceof JSONPathError) throw new KubectlError(`error parsing jsonpath ${part.slice(colon + 1)}, ${e.message}`);
      throw e;
    }
  });
}

/** -o custom-columns: a header row, then one row per object; `<none>` where nothing matches. */
export function printCustomColumns(spec: string, objs: KObject[], noHeaders = false): string {
  const cols = parseCustomColumns(spec);
  const rows: string[][] = [];
  if (!noHeaders) rows.push(cols.map((c) => c.header));
  for (const o of objs) {
    rows.push(
      cols.map((c) => {
        const values = c.template.findResults(o).flat();
        if (values.length === 0) return "<none>";
        return values.map(goV).join(",");
      }),
    );
  }
  return formatRows(rows);
}

/** Go's fmt %v of an unstructured value: maps as `map[k:v]` (sorted), slices as `[a b]`. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goV(o[k])}`).join(" ")}]`;
  }
  return String(v);
}

/** Go's fmt %#v of an unstructured value (kubectl's jsonpath error dump). */
export function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(", ")}}`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[string]interface {}{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${goSharpV(o[k])}`).join(", ")}}`;
  }
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}
