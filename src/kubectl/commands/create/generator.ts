/**
 * What every `kubectl create <generator>` shares (staging/src/k8s.io/kubectl/pkg/cmd/create/
 * create.go and the options of each create_*.go): one NAME argument, the object built on the
 * client, `--save-config`, `--dry-run=none|client|server`, `-o` (yaml, json, name, jsonpath,
 * go-template) and the `<kind>/<name> created` line, `(dry run)` / `(server dry run)` after it.
 * The object goes to the API server as the generator built it; the namespace is the request's:
 * `-n`, else the kubeconfig context's. Only with an explicit `-n` does the printed dry-run object
 * carry `metadata.namespace` (EnforceNamespace), as kubectl prints it.
 */
import { ApiError } from "../../../api/errors.ts";
import { apiVersionOf, resourceForKind, type ResourceType } from "../../../api/resources.ts";
import type { KObject } from "../../../api/types.ts";
import { KubectlError, serverWarnings, type CommandDef, type Invocation } from "../../command.ts";
import type { FlagSpec } from "../../flags.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName, type OutputFormat } from "../../printers/index.ts";
import { LAST_APPLIED } from "../apply.ts";
import { klogLine } from "../../errors.ts";
import { goJSON } from "../../printers/gojson.ts";

/** Flags every generator has (PrintFlags, AddApplyAnnotationFlags, AddValidateFlags, AddDryRunFlag, field manager). */
export const GENERATOR_FLAGS: FlagSpec[] = [
  { long: "output", short: "o", type: "string" },
  { long: "template", type: "string" },
  { long: "allow-missing-template-keys", type: "bool", default: true },
  { long: "show-managed-fields", type: "bool" },
  { long: "save-config", type: "bool" },
  { long: "validate", type: "string", default: "strict", noOptDefault: "strict" },
  { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
  { long: "field-manager", type: "string", default: "kubectl-create" },
];

export type DryRun = "none" | "client" | "server";

/** cmdutil.GetDryRunStrategy. */
export function dryRunStrategy(inv: Invocation): DryRun {
  const v = String(inv.flags["dry-run"]);
  switch (v) {
    case "":
    case "none":
    case "false":
      return "none";
    case "client":
    case "true":
      return "client";
    case "server":
      return "server";
    case "unchanged":
      // kubectl v1.32 still takes a bare --dry-run as client, with a deprecation warning.
      inv.err(klogLine("W", inv.ctx.clock.now(), "helpers.go:702", "--dry-run is deprecated and can be replaced with --dry-run=client."));
      return "client";
    default:
      throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
  }
}

/** cmdutil.UsageErrorf for `kubectl create <sub>`. */
export function usageError(path: string[], message: string): KubectlError {
  return new KubectlError(`error: ${message}\nSee 'kubectl ${path.join(" ")} -h' for help and examples`, 1, true);
}

/** NameFromCommandArgs: exactly one NAME. */
export function nameFromArgs(inv: Invocation, path: string[]): string {
  if (inv.args.length !== 1) throw usageError(path, `exactly one NAME is required, got ${inv.args.length}`);
  return inv.args[0];
}

/** The namespace written into the generated object: only an explicit `-n` (EnforceNamespace). */
export function enforcedNamespace(inv: Invocation): string {
  return inv.set.has("namespace") ? inv.namespace : "";
}

export interface Generator {
  /** `["create", "namespace"]`, with its aliases. */
  path: string[];
  aliases?: string[];
  /** Other whole paths (`create svc nodeport` for `create service nodeport`). */
  altPaths?: string[][];
  flags: FlagSpec[];
  /** Builds the object from the arguments and flags; throws KubectlError for bad input. */
  build(inv: Invocation, path: string[]): KObject;
  /** Wraps a server error as the generator does (`failed to create configmap: ...`); default: kubectl's own rendering. */
  wrapError?: string;
  /** The word after `<kind>/<name>` (default `created`; `kubectl expose` says `exposed`). */
  verb?: string;
  /** The namespace the object goes to (default: the command's); `expose -f` uses the file object's. */
  namespaceOf?(inv: Invocation, obj: KObject): string;
}

/** util.CreateOrUpdateAnnotation: the object as JSON (DefaultJSONEncoder) in the last-applied annotation. */
export function saveConfig(obj: KObject): void {
  const copy = structuredClone(obj);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(copy) + "\n" };
}

/** Runs a generator: build, save-config, create (or dry-run), print. */
export function runGenerator(g: Generator, inv: Invocation, path: string[]): number {
  const dryRun = dryRunStrategy(inv);
  const format = outputFormat(inv);
  let obj = g.build(inv, path);
  if (inv.flags["save-config"]) saveConfig(obj);
  const r: ResourceType = resourceForKind(String(obj.kind))!;
  if (dryRun !== "client") {
    try {
      obj = createGenerated(inv, obj, dryRun, g.namespaceOf ? g.namespaceOf(inv, obj) : inv.namespace);
    } catch (e) {
      if (e instanceof ApiError && g.wrapError) throw new KubectlError(`${g.wrapError}: ${e.message}`);
      throw e;
    }
  }
  printGenerated(inv, r, obj, dryRun, format, g.verb ?? "created");
  return 0;
}

/** The -o format of a generating command, or undefined for the `<kind>/<name> created` line. */
export function outputFormat(inv: Invocation): OutputFormat | undefined {
  return inv.flags.output ? parseOutputFormat(String(inv.flags.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
}

/** resource.Helper.Create of a generated object (dry run: `server`): the object as the API server stored or would store it. */
export function createGenerated(inv: Invocation, obj: KObject, dryRun: DryRun, namespace: string): KObject {
  const r: ResourceType = resourceForKind(String(obj.kind))!;
  const sent = structuredClone(obj);
  if (r.namespaced) sent.metadata.namespace = namespace;
  return inv.ctx.api.create(sent, { dryRun: dryRun === "server", fieldValidation: validation(inv), warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-create") });
}

/** Prints a generated object as the generator's printer does: -o, else `<kind>/<name> <verb>[ (dry run)]`. */
export function printGenerated(inv: Invocation, r: ResourceType, obj: KObject, dryRun: DryRun, format: OutputFormat | undefined, verb: string): void {
  // kind and apiVersion first (TypeMeta), then the rest in the order the object has them.
  const { kind: _k, apiVersion: _v, ...rest } = obj;
  const shown = { kind: r.kind, apiVersion: apiVersionOf(r), ...rest } as KObject;
  // Go marshals the zero creationTimestamp of an object the server has not seen as null.
  if (dryRun === "client") shown.metadata = metaWithNullTimestamp(shown.metadata);
  if (format && format.kind === "json" && dryRun === "client") {
    // A typed object: json.MarshalIndent keeps the Go struct's field order, which the generator built.
    inv.out(goJSON(shown, "    ", { sortKeys: false }));
    return;
  }
  if (format && format.kind !== "table") {
    // printGeneric leaves managedFields out of JSON and YAML only, as kubectl's OmitManagedFieldsPrinter.
    inv.write!(printGeneric(format, [{ r, obj: shown }], true, !!inv.flags["show-managed-fields"]));
    return;
  }
  const suffix = dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
  inv.out(`${resourceName(r, obj.metadata.name!)} ${verb}${suffix}`);
}

/** metav1.ObjectMeta's fields in the Go struct's order (json.Marshal of a typed object keeps it). */
const OBJECT_META_ORDER = [
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
];

/** ObjectMeta as Go marshals it before the server sets a creation time: `creationTimestamp: null`, fields in struct order. */
export function metaWithNullTimestamp(meta: KObject["metadata"]): KObject["metadata"] {
  // The wire form of a zero metav1.Time is null, which the typed metadata does not admit.
  const withNull: Record<string, unknown> = { ...meta, creationTimestamp: null };
  const out: Record<string, unknown> = {};
  for (const k of OBJECT_META_ORDER) if (k in withNull) out[k] = withNull[k];
  for (const k of Object.keys(withNull)) if (!(k in out)) out[k] = withNull[k];
  return out as KObject["metadata"];
}

function validation(inv: Invocation): "Strict" | "Warn" | "Ignore" {
  const v = String(inv.flags.validate);
  return v === "false" || v === "ignore" ? "Ignore" : v === "warn" ? "Warn" : "Strict";
}

/** The command definitions of a generator: its path and each alias. */
export function generatorCommands(g: Generator): CommandDef[] {
  const paths = [g.path, ...(g.aliases ?? []).map((a) => [...g.path.slice(0, -1), a]), ...(g.altPaths ?? [])];
  // A flag the generator defines itself replaces the common one (expose's --field-manager default).
  const common = GENERATOR_FLAGS.filter((f) => !g.flags.some((x) => x.long === f.long));
  return paths.map((path) => ({ path, flags: [...common, ...g.flags], run: (inv: Invocation) => runGenerator(g, inv, g.path) }));
}
