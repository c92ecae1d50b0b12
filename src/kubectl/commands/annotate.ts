/**
 * `kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N
 * [--resource-version=version]` (staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go v1.32):
 * `KEY=VAL` sets, `KEY-` removes (a missing key is no error), `--overwrite` to change a value
 * (else `--overwrite is false but found the following declared annotation(s): ...`), `--all`,
 * `-l`, `--field-selector`, `-A`, `-f`, `--resource-version` (the write fails with the API
 * server's Conflict when the object has another), `--list` (the annotations after the changes,
 * nothing written), `--local` with `-f`, `--dry-run`, `-o`. Prints `<kind>/<name> annotated`.
 * Objects are handled one by one and the first error stops the command, as the visitor does.
 * The keys are checked by the API server (metadata.annotations validation), not by kubectl.
 */
import { clone, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { asCmdError, continueOnError, printCheckErr, type CmdError, type Found } from "./builder.ts";
import { dryRunStrategy } from "./create/generator.ts";
import { findTargets } from "./label.ts";
import { readManifestDocs } from "./apply.ts";
import { resourceForKind } from "../../api/resources.ts";

export interface AnnotationChanges {
  add: Record<string, string>;
  remove: string[];
}

/** annotate.go parseAnnotations + validateAnnotations: `k=v` (the value may hold `=`), `k-`. */
export function parseAnnotations(specs: string[]): AnnotationChanges {
  const add: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes("=")) {
      const pos = spec.indexOf("=");
      if (pos === 0) throw new KubectlError(`invalid annotation format: ${spec}`);
      add[spec.slice(0, pos)] = spec.slice(pos + 1);
    } else if (spec.endsWith("-")) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new KubectlError(`invalid annotation format: ${spec}`);
    }
  }
  const both = remove.filter((k) => k in add);
  if (both.length > 0) throw new KubectlError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(", ")}`);
  return { add, remove };
}

/** Complete: arguments with `=` or a trailing `-` are annotation changes, the others resources. */
export function splitAnnotateArgs(args: string[]): { resources: string[]; annotations: string[] } {
  const resources: string[] = [];
  const annotations: string[] = [];
  for (const a of args) {
    if (a.includes("=") || a.endsWith("-")) annotations.push(a);
    else resources.push(a);
  }
  return { resources, annotations };
}

/** validateNoAnnotationOverwrites: the keys that already hold another value, kubectl's text. */
export function overwriteConflicts(current: Record<string, string>, add: Record<string, string>): string | undefined {
  const found = Object.keys(add)
    .filter((k) => k in current && current[k] !== add[k])
    .map((k) => `'${k}' already has a value (${current[k]})`);
  return found.length ? `--overwrite is false but found the following declared annotation(s): ${found.join("; ")}` : undefined;
}

/** The annotations after the changes (undefined when none is left). */
export function applyAnnotationChanges(current: Record<string, string> | undefined, changes: AnnotationChanges): Record<string, string> | undefined {
  const after: Record<string, string> = { ...(current ?? {}) };
  for (const k of changes.remove) delete after[k];
  Object.assign(after, changes.add);
  return Object.keys(after).length ? after : undefined;
}

export const annotateCommand: CommandDef = {
  path: ["annotate"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "overwrite", type: "bool" },
    { long: "all", type: "bool" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "field-selector", type: "string" },
    { long: "list", type: "bool" },
    { long: "local", type: "bool" },
    { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
    { long: "resource-version", type: "string" },
    { long: "field-manager", type: "string", default: "kubectl-annotate" },
    { long: "record", type: "bool" },
  ],
  run: runAnnotate,
};

function runAnnotate(inv: Invocation): number {
  const f = inv.flags;
  const dryRun = dryRunStrategy(inv);
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined }) : undefined;
  const { resources, annotations } = splitAnnotateArgs(inv.args);
  const files: string[] = f.filename;
  // Validate.
  if (f.all && f.selector) throw new KubectlError(`cannot set --all and --selector at the same time`);
  if (f.all && f["field-selector"]) throw new KubectlError(`cannot set --all and --field-selector at the same time`);
  if (f.local) {
    if (dryRun === "server") throw new KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
    if (files.length === 0) throw new KubectlError("can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set");
  } else if (files.length === 0 && resources.length === 0) {
    throw new KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if (annotations.length === 0 && !f.list) throw new KubectlError("at least one annotation update is required");
  const changes = parseAnnotations(annotations);

  let targets: Found[];
  // ContinueOnError: each object's error is kept and the next object annotated; the visit's own
  // errors (NotFound, an unknown kind in -f) come after them (continueOnError).
  let visitErrors: CmdError[] = [];
  const errors: CmdError[] = [];
  if (f.local) {
    targets = readManifestDocs(inv).map((d) => ({ r: resourceForKind(String(d.obj.kind))!, obj: d.obj as KObject }));
  } else {
    const found = findTargets(inv, resources, f);
    visitErrors = found.errors;
    targets = found.items;
  }
  for (const t of targets) {
    const live = t.obj;
    const current = live.metadata.annotations ?? {};
    if (!f.overwrite) {
      const conflict = overwriteConflicts(current, changes.add);
      if (conflict) {
        errors.push(new KubectlError(conflict));
        continue;
      }
    }
    const after = applyAnnotationChanges(current, changes);
    if (f.list) {
      // The annotations as the changes would leave them; nothing is written.
      for (const k of Object.keys(after ?? {}).sort()) inv.out(`${k}=${after![k]}`);
      continue;
    }
    let result: KObject = clone(live);
    if (after) result.metadata.annotations = after;
    else delete result.metadata.annotations;
    if (!f.local && dryRun !== "client") {
      // The patch as the API server takes it: with --resource-version, a precondition on it.
      const sent = clone(result);
      sent.metadata.resourceVersion = f["resource-version"] ? String(f["resource-version"]) : live.metadata.resourceVersion;
      try {
        result = inv.ctx.api.update(sent, { dryRun: dryRun === "server", warnings: serverWarnings(inv), fieldManager: String(f["field-manager"] || "kubectl-annotate") });
      } catch (e) {
        errors.push(asCmdError(e));
        continue;
      }
    }
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: t.r, obj: result }], true));
    else inv.out(`${resourceName(t.r, live.metadata.name!)} annotated${dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : ""}`);
  }
  const err = continueOnError(errors, visitErrors);
  return err ? printCheckErr(inv, err) : 0;
}
