/**
 * `kubectl label` (k8s.io/kubectl/pkg/cmd/label): `key=value` adds, `key-` removes, `--overwrite`
 * to change an existing value; prints `node/x labeled`, `unlabeled` or `not labeled`.
 */
import { invalidError } from "../../api/errors.ts";
import { clone, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { IsQualifiedName as isQualifiedName, IsValidLabelValue as isValidLabelValue } from "../../api/validation/names.ts";
import { hasManifestFlags } from "./apply.ts";
import { Aggregate, asCmdError, continueOnError, fetch, printCheckErr, selectionsFromArgs, visitFileObjects, type CmdError, type Found } from "./builder.ts";
import type { FlagValues } from "../flags.ts";
import { setTargets } from "./sethelper.ts";

export interface LabelChanges {
  add: Record<string, string>;
  remove: string[];
}

/** label.go parseLabels: `k=v` to set, `k-` to remove. */
export function parseLabels(specs: string[]): LabelChanges {
  const add: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes("=")) {
      const parts = spec.split("=");
      if (parts.length !== 2) throw new KubectlError(`invalid label spec: ${spec}`);
      const errs = isValidLabelValue(parts[1]);
      if (errs.length > 0) throw new KubectlError(`invalid label value: ${JSON.stringify(spec)}: ${errs.join(";")}`);
      add[parts[0]] = parts[1];
    } else if (spec.endsWith("-")) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new KubectlError(`unknown label spec: ${spec}`);
    }
  }
  for (const r of remove) {
    if (r in add) throw new KubectlError("can not both modify and remove a label in the same command");
  }
  return { add, remove };
}

/** Splits `label` arguments into resources and label changes, as label.go's Complete does. */
export function splitLabelArgs(args: string[]): { resources: string[]; labels: string[] } {
  const resources: string[] = [];
  const labels: string[] = [];
  for (const a of args) {
    if (a.includes("=") || a.endsWith("-")) labels.push(a);
    else resources.push(a);
  }
  return { resources, labels };
}

export const labelCommand: CommandDef = {
  path: ["label"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "overwrite", type: "bool" },
    { long: "all", type: "bool" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "field-selector", type: "string" },
    { long: "list", type: "bool" },
    { long: "local", type: "bool" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "output", short: "o", type: "string" },
    { long: "resource-version", type: "string" },
    { long: "field-manager", type: "string" },
  ],
  run: runLabel,
};

function runLabel(inv: Invocation): number {
  const f = inv.flags;
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  const { resources, labels } = splitLabelArgs(inv.args);
  if (labels.length === 0 && !f.list) throw new KubectlError("at least one label update is required");
  const changes = parseLabels(labels);
  if (resources.length === 0 && !hasManifestFlags(inv)) {
    throw new KubectlError(
      `error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`,
      1,
      true,
    );
  }
  // --local: the objects of the files as read (label.go builds without ResourceTypeOrNameArgs), printed, never sent.
  const targets = f.local ? setTargets(inv, []) : findTargets(inv, resources, f);
  // ContinueOnError: each object's error is kept and the next object labeled; the visit's own
  // errors (NotFound, an unknown kind in -f) come after them (continueOnError).
  const errors: CmdError[] = [];
  for (const t of targets.items) {
    const live = t.obj;
    const before = { ...(live.metadata.labels ?? {}) };
    if (f.list) {
      for (const k of Object.keys(before).sort()) inv.out(`${k}=${before[k]}`);
      continue;
    }
    if (!f.overwrite) {
      const conflicts = Object.entries(changes.add)
        .filter(([k, v]) => k in before && before[k] !== v)
        .map(([k]) => `'${k}' already has a value (${before[k]}), and --overwrite is false`);
      if (conflicts.length > 0) {
        // validateNoOverwrites' aggregate (of one error, printed as that error alone).
        errors.push(new Aggregate(conflicts.map((c) => new KubectlError(c))));
        continue;
      }
    }
    const after: Record<string, string> = { ...before };
    // label.go says so on the way to the patch only: not with --local or --dry-run=client.
    const clientOnly = f.local || String(f["dry-run"]) === "client";
    for (const r of changes.remove) {
      if (!(r in after) && !clientOnly) inv.out(`label ${JSON.stringify(r)} not found.`);
      delete after[r];
    }
    Object.assign(after, changes.add);
    const invalid = Object.keys(changes.add).flatMap((k) => isQualifiedName(k).map((m) => ({ k, m })));
    if (invalid.length > 0) {
      const err = invalidError(
        t.r.kind,
        live.metadata.name!,
        invalid.map(({ k, m }) => ({ field: "metadata.labels", detail: `Invalid value: ${JSON.stringify(k)}: ${m}` })),
      );
      errors.push(err);
      continue;
    }
    let msg = "not labeled";
    if (JSON.stringify(sortKeys(before)) !== JSON.stringify(sortKeys(after))) {
      msg = !f.overwrite && Object.keys(after).length < Object.keys(before).length ? "unlabeled" : "labeled";
    }
    let result: KObject = live;
    const dry = String(f["dry-run"]) !== "none" && String(f["dry-run"]) !== "false";
    if (f.local && !dry) {
      result = clone(live);
      result.metadata.labels = after;
      if (Object.keys(after).length === 0) delete result.metadata.labels;
    } else if ((!dry || String(f["dry-run"]) === "server") && msg !== "not labeled") {
      // --dry-run=server sends the patch as a dry run: admission runs (validation, PodSecurity's warnings), nothing is stored.
      try {
        result = inv.ctx.api.mutate(
          t.r.key,
          live.metadata.namespace,
          live.metadata.name!,
          (o) => {
            o.metadata.labels = after;
            if (Object.keys(after).length === 0) delete o.metadata.labels;
          },
          { dryRun: dry, warnings: serverWarnings(inv), fieldManager: String(f["field-manager"] || "kubectl-label") },
        );
      } catch (e) {
        errors.push(asCmdError(e));
        continue;
      }
    } else if (dry) {
      result = clone(live);
      result.metadata.labels = after;
    }
    if (format && format.kind !== "table") inv.out(printGeneric(format, [{ r: t.r, obj: result }], true).replace(/\n$/, ""));
    else inv.out(`${resourceName(t.r, live.metadata.name!)} ${msg}${dry ? ` (${String(f["dry-run"]) === "server" ? "server dry run" : "dry run"})` : ""}`);
  }
  const err = continueOnError(errors, targets.errors);
  return err ? printCheckErr(inv, err) : 0;
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

/** The objects a label/annotate/taint-style command acts on: by name, `--all`, `-l` or `-f`. */
export function findTargets(inv: Invocation, resources: string[], f: FlagValues): { items: Found[]; errors: CmdError[] } {
  if (hasManifestFlags({ flags: f })) return visitFileObjects(inv);
  const selections = selectionsFromArgs(inv, resources);
  const named = selections.some((s) => s.names);
  if (named && (f.selector || f.all)) throw new KubectlError("name cannot be provided when a selector is specified");
  if (!named && !f.selector && !f.all && !f["field-selector"]) {
    throw new KubectlError("resource(s) were provided, but no name was specified");
  }
  const r = fetch(inv, selections, {
    namespace: inv.namespace,
    allNamespaces: f["all-namespaces"],
    labelSelector: f.selector || undefined,
    fieldSelector: f["field-selector"] || undefined,
  });
  return { items: r.items, errors: r.errors };
}
