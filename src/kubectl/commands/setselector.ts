/**
 * `kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS` (k8s.io/kubectl/pkg/cmd/set/
 * set_selector.go): replaces a Service's `spec.selector` with the expression's labels
 * (metav1.ParseToLabelSelector; set-based requirements are refused), reading the objects as
 * ResourceBuilderFlags.ToBuilder does (`--local` reads only files). Without `--local` and
 * `--dry-run=client` the change is sent as a patch, even an empty one; prints
 * `service/<name> selector updated` or the object with `-o`.
 */
import { ApiError } from "../../api/errors.ts";
import { parseToLabelSelector, SelectorError, type LabelSelector } from "../../api/labels.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { clone, type KObject } from "../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { dryRunStrategy } from "./create/generator.ts";
import { setTargets } from "./sethelper.ts";

/** updateSelectorForObject: only a Service's selector can be set, and only from matchLabels. */
export function updateSelectorForObject(obj: KObject, selector: LabelSelector): void {
  if (obj.kind !== "Service") throw new KubectlError("setting a selector is only supported for Services");
  const exprs = selector.matchExpressions ?? [];
  // %v of []metav1.LabelSelectorRequirement: `[{env In [qa]}]`.
  if (exprs.length) throw new KubectlError(`match expression [${exprs.map((e) => `{${e.key} ${e.operator} [${(e.values ?? []).join(" ")}]}`).join(" ")}] not supported on this object`);
  obj.spec = { ...(obj.spec ?? {}), selector: { ...(selector.matchLabels ?? {}) } };
}

function runSetSelector(inv: Invocation): number {
  const f = inv.flags;
  // Complete: the last argument is the selector, the others name resources.
  const resources = inv.args.slice(0, -1);
  let selector: LabelSelector | undefined;
  if (inv.args.length) {
    try {
      selector = parseToLabelSelector(inv.args[inv.args.length - 1]!);
    } catch (e) {
      if (e instanceof SelectorError) throw new KubectlError(e.message);
      throw e;
    }
  }
  const dryRun = dryRunStrategy(inv);
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined }) : undefined;
  // Validate.
  if (!selector) throw new KubectlError("one selector is required");
  const targets = setTargets(inv, resources);
  const op = "selector updated" + (dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "");
  const writeToServer = !(f.local || dryRun === "client");
  for (const e of targets.errors) {
    inv.err(renderError(e));
    return 1;
  }
  for (const t of targets.items) {
    const changed = clone(t.obj);
    // CalculatePatch's error ends the visit: the objects after it are not read.
    updateSelectorForObject(changed, selector);
    let shown = changed;
    if (writeToServer) {
      changed.metadata.resourceVersion = t.obj.metadata.resourceVersion;
      if (f["resource-version"]) changed.metadata.resourceVersion = String(f["resource-version"]);
      try {
        shown = convertFromStorage(inv.ctx.api.update(changed, { dryRun: dryRun === "server", fieldManager: String(f["field-manager"] || "kubectl-set") }), t.r);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        inv.err(renderError(e));
        return 1;
      }
    }
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: t.r, obj: shown }], true));
    else inv.out(`${resourceName(t.r, shown.metadata.name!)} ${op}`);
  }
  return 0;
}

export const setSelectorCommand: CommandDef = {
  path: ["set", "selector"],
  flags: [
    { long: "filename", short: "f", type: "stringArray" },
    { long: "recursive", short: "R", type: "bool", default: true },
    { long: "all", type: "bool" },
    { long: "local", type: "bool" },
    { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "show-managed-fields", type: "bool" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "field-manager", type: "string", default: "kubectl-set" },
    { long: "resource-version", type: "string" },
    { long: "record", type: "bool" },
  ],
  run: runSetSelector,
};
