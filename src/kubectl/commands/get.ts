/**
 * `kubectl get` (k8s.io/kubectl/pkg/cmd/get): tables per resource type (blank line between types,
 * `kind/name` when several types are asked for), -o json|yaml|name|jsonpath|custom-columns|wide,
 * -l, --field-selector, -A, -L, --show-labels, --no-headers, --sort-by, --ignore-not-found.
 */
import { hasManifestFlags } from "./apply.ts";
import type { KObject } from "../../api/types.ts";
import { versionBody } from "../../api/version.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { JSONPath, JSONPathError, relaxedJSONPathExpression } from "../jsonpath.ts";
import { parseOutputFormat, printCustomColumns, printGeneric } from "../printers/index.ts";
import { tableRows } from "../printers/table.ts";
import { formatRows } from "../printers/tabwriter.ts";
import { runWatch } from "./getwatch.ts";
import { apiErrorText, fetch, selectionsFromArgs, selectionsFromFiles, type Found, type Selection } from "./builder.ts";

export const getCommand: CommandDef = {
  path: ["get"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "output", short: "o", type: "string" },
    { long: "selector", short: "l", type: "string" },
    { long: "field-selector", type: "string" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "no-headers", type: "bool" },
    { long: "show-labels", type: "bool" },
    { long: "show-kind", type: "bool" },
    { long: "label-columns", short: "L", type: "stringArray" },
    { long: "sort-by", type: "string" },
    { long: "watch", short: "w", type: "bool" },
    { long: "watch-only", type: "bool" },
    { long: "output-watch-events", type: "bool" },
    { long: "ignore-not-found", type: "bool" },
    { long: "chunk-size", type: "int", default: 500 },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
    { long: "server-print", type: "bool", default: true },
    { long: "subresource", type: "string" },
    { long: "raw", type: "string" },
    { long: "template", type: "string" },
  ],
  run: runGet,
};

/**
 * `kubectl get --raw <path>` (get.go's raw request: the body copied to stdout as the server sends
 * it). In-process, the API server's own non-resource paths are served: /healthz, /livez and /readyz
 * (`ok`) and /version (src/api/version.ts); every other path needs the facade's HTTP handlers, so it
 * says so rather than inventing a body (`kube-scenario serve` answers them to the real kubectl).
 */
function runGetRaw(inv: Invocation, raw: string): number {
  if (inv.args.length > 0) throw new KubectlError("arguments may not be passed when --raw is specified");
  if (inv.set.has("output")) throw new KubectlError("--raw and --output are mutually exclusive");
  if (!raw.startsWith("/")) throw new KubectlError(`--raw must be a valid URL path: parse "${raw}": invalid URI for request`);
  const path = raw.replace(/[?#].*$/, "").replace(/\/+$/, "") || "/";
  const query = raw.includes("?") ? raw.slice(raw.indexOf("?") + 1) : "";
  const write = (text: string) => (inv.write ? inv.write(text) : inv.out(text));
  if ((path === "/healthz" || path === "/livez" || path === "/readyz") && query === "") {
    write("ok");
    return 0;
  }
  if (path === "/version") {
    write(versionBody());
    return 0;
  }
  throw new KubectlError(`kubectl get --raw ${raw} is not simulated in-process: only /healthz, /livez, /readyz and /version are (kube-scenario serve answers the real kubectl for the rest)`);
}

function runGet(inv: Invocation): number {
  const f = inv.flags;
  if (inv.set.has("raw")) return runGetRaw(inv, String(f.raw ?? ""));
  const format = parseOutputFormat(String(f.output ?? ""), undefined, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined });
  if (inv.args.length === 0 && !hasManifestFlags(inv)) {
    inv.err(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n`);
    throw new KubectlError(
      `error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`,
      1,
      true,
    );
  }
  let selections: Selection[];
  if (hasManifestFlags(inv)) {
    selections = [];
    for (const s of selectionsFromFiles(inv)) {
      const last = selections[selections.length - 1];
      if (last && last.r === s.r) last.names!.push(s.name);
      else selections.push({ r: s.r, names: [s.name] });
    }
  } else selections = selectionsFromArgs(inv, inv.args, { allCategory: true });
  const named = selections.some((s) => s.names);
  if (named && f["all-namespaces"]) throw new KubectlError("a resource cannot be retrieved by name across all namespaces");
  if (named && (f.selector || f["field-selector"])) throw new KubectlError("name cannot be provided when a selector is specified");
  if (f.watch || f["watch-only"]) return runWatch(inv, selections, format);

  const result = fetch(inv, selections, {
    namespace: inv.namespace,
    allNamespaces: f["all-namespaces"],
    labelSelector: f.selector || undefined,
    fieldSelector: f["field-selector"] || undefined,
  });
  let items = result.items;
  if (f["sort-by"]) items = sortBy(items, String(f["sort-by"]));
  const errors = f["ignore-not-found"] ? result.errors.filter((e) => e.reason !== "NotFound") : result.errors;

  if (format.kind === "table") {
    const multipleTypes =
      inv.args[0] === "all" || selections.length > 1 || new Set(items.map((i) => i.r)).size > 1 || Boolean(f["show-kind"]);
    const blocks: string[] = [];
    let lastType: Found["r"] | undefined;
    let group: KObject[] = [];
    const flush = () => {
      if (!lastType || group.length === 0) return;
      blocks.push(
        formatRows(
          tableRows(lastType, group, inv.ctx.clock.now(), {
            wide: format.wide,
            noHeaders: f["no-headers"],
            showLabels: f["show-labels"],
            labelColumns: f["label-columns"],
            withNamespace: f["all-namespaces"],
            withKind: multipleTypes,
          }),
        ),
      );
    };
    for (const it of items) {
      if (it.r !== lastType) {
        flush();
        lastType = it.r;
        group = [];
      }
      group.push(it.obj);
    }
    flush();
    const text = blocks.join(f["no-headers"] ? "" : "\n");
    if (text) inv.out(text.replace(/\n$/, ""));
    for (const e of errors) inv.err(apiErrorText(e));
    if (items.length === 0 && errors.length === 0 && !f["ignore-not-found"]) {
      inv.err(result.allNamespaced ? `No resources found in ${inv.namespace} namespace.` : "No resources found");
    }
    return errors.length > 0 ? 1 : 0;
  }

  if (format.kind === "custom-columns") {
    if (items.length > 0 || errors.length === 0) {
      const text = printCustomColumns(format.spec, items.map((i) => i.obj), f["no-headers"]);
      if (text) inv.out(text.replace(/\n$/, ""));
    }
  } else if (!(result.singleItemImplied && items.length === 0)) {
    // kubectl's OmitManagedFieldsPrinter wraps only the JSON and YAML printers (JSONYamlPrintFlags.ToPrinter):
    // printGeneric leaves managedFields out of those unless --show-managed-fields; a JSONPath or Go
    // template sees the object as the server returned it, managedFields included.
    const text = printGeneric(format, items, result.singleItemImplied, !!f["show-managed-fields"]);
    // A JSONPath or Go template prints exactly what it expands to, without a final newline.
    if (((format.kind === "jsonpath" && !format.asJSON) || format.kind === "go-template") && inv.write) inv.write(text);
    else if (text) inv.out(text.endsWith("\n") ? text.slice(0, -1) : text);
  }
  for (const e of errors) inv.err(apiErrorText(e));
  return errors.length > 0 ? 1 : 0;
}

/** --sort-by: kubectl's RuntimeSort over the values a relaxed JSONPath finds in each object. */
function sortBy(items: Found[], expr: string): Found[] {
  let jp: JSONPath;
  let relaxed: string;
  try {
    relaxed = relaxedJSONPathExpression(expr);
    jp = new JSONPath(relaxed);
  } catch (e) {
    if (e instanceof JSONPathError) throw new KubectlError(`error parsing jsonpath ${expr}, ${e.message}`);
    throw e;
  }
  const keyed = items.map((it, i) => ({ it, i, v: jp.findResults(it.obj).flat()[0] }));
  if (items.length > 0 && keyed.every((k) => k.v === undefined)) {
    throw new KubectlError(`couldn't find any field with path ${JSON.stringify(relaxed)} in the list of objects`);
  }
  keyed.sort((a, b) => compareValues(a.v, b.v) || a.i - b.i);
  return keyed.map((k) => k.it);
}

const QUANTITY = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const MULT: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6 };

function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") {
    const qa = QUANTITY.exec(a);
    const qb = QUANTITY.exec(b);
    if (qa && qb && (qa[2] || qb[2])) return Number(qa[1]) * MULT[qa[2] ?? ""] - Number(qb[1]) * MULT[qb[2] ?? ""];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

