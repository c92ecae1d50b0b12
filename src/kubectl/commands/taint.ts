/**
 * `kubectl taint` (k8s.io/kubectl/pkg/cmd/taint): `key=value:Effect` / `key:Effect` to add,
 * `key[=value]:Effect-` or `key-` to remove; prints `node/x tainted`, `untainted` or `modified`.
 */
import { ApiError } from "../../api/errors.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { IsQualifiedName as isQualifiedName, IsValidLabelValue as isValidLabelValue } from "../../api/validation/names.ts";
import { apiErrorText, checkErrText, resolveType } from "./builder.ts";
import { findTargets } from "./label.ts";

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** An error kubectl reports as a usage error (followed by the `See 'kubectl taint -h'` hint). */
function usage(msg: string): KubectlError {
  return new KubectlError(`error: ${msg}\nSee 'kubectl taint -h' for help and examples`, 1, true);
}

/** Taint.ToString(): `key=value:effect`, `key:effect`, `key=value` or `key`. */
export function taintToString(t: Taint): string {
  let s = t.key;
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  return s;
}

/** utils.go parseTaint: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`. */
export function parseTaint(st: string): Taint {
  const parts = st.split(":");
  let key: string;
  let value = "";
  let effect = "";
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw usage(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split("=");
    if (kv.length > 2) throw usage(`invalid taint spec: ${st}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length > 0) throw usage(`invalid taint spec: ${st}, ${errs.join("; ")}`);
    }
  } else throw usage(`invalid taint spec: ${st}`);
  const errs = isQualifiedName(key);
  if (errs.length > 0) throw usage(`invalid taint spec: ${st}, ${errs.join("; ")}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** utils.go parseTaints: taints to add and taints to remove (key and effect only). */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  const unique = new Map<string, Set<string>>();
  for (const spec of specs) {
    if (spec.endsWith("-")) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw usage(`invalid taint spec: ${spec}`);
    const keys = unique.get(t.effect) ?? new Set();
    if (keys.has(t.key)) throw usage(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ""} ${t.effect} <nil>}`);
    keys.add(t.key);
    unique.set(t.effect, keys);
    add.push(t);
  }
  return { add, remove };
}

const matches = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? "") === (b.effect ?? "");

/** utils.go reorganizeTaints: the node's new taint list and what kubectl reports. */
export function reorganizeTaints(
  oldTaints: Taint[],
  overwrite: boolean,
  add: Taint[],
  remove: Taint[],
): { operation: "modified" | "tainted" | "untainted"; taints: Taint[]; errors: string[] } {
  let taints: Taint[] = [...add];
  for (const old of oldTaints) if (!taints.some((t) => matches(t, old))) taints.push(old);
  const added = oldTaints.length !== taints.length;
  const errors: string[] = [];
  let deleted = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => (r.effect ? !matches(r, t) : t.key !== r.key));
    deleted = taints.length !== before;
    if (!deleted) errors.push(`taint ${JSON.stringify(taintToString(r))} not found`);
  }
  const operation = (added && deleted) || overwrite ? "modified" : added ? "tainted" : "untainted";
  return { operation, taints, errors };
}

export const taintCommand: CommandDef = {
  path: ["taint"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "overwrite", type: "bool" },
    { long: "all", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "output", short: "o", type: "string" },
    { long: "validate", type: "string", default: "strict" },
    { long: "field-manager", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
  ],
  run: runTaint,
};

function runTaint(inv: Invocation): number {
  const f = inv.flags;
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  const resources: string[] = [];
  const taintArgs: string[] = [];
  let metTaint = false;
  for (const s of inv.args) {
    const isTaint = s.includes("=") || s.includes(":") || s.endsWith("-");
    if (isTaint) {
      metTaint = true;
      taintArgs.push(s);
    } else if (!metTaint) resources.push(s);
    else throw new KubectlError(`all resources must be specified before taint changes: ${s}`);
  }
  if (resources.length < 1) throw new KubectlError("one or more resources must be specified as <resource> <name>");
  if (taintArgs.length < 1) throw new KubectlError("at least one taint update is required");
  const { add, remove } = parseTaints(taintArgs);

  const typeArg = resources[0].includes("/") ? resources[0].slice(0, resources[0].indexOf("/")) : resources[0];
  if (resolveType(typeArg).kind !== "Node") throw new KubectlError(`invalid resource type ${resources[0].toLowerCase()}, only node types are supported`);
  const conflicts: string[] = [];
  for (const a of add) {
    for (const r of remove) {
      if (a.key === r.key && (!r.effect || a.effect === r.effect)) conflicts.push(`${r.key}=${r.effect ?? ""}`);
    }
  }
  if (conflicts.length > 0) throw new KubectlError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(", ")}`);
  if (f.selector && f.all) throw new KubectlError("setting 'all' parameter with a label selector is not allowed");

  const targets = findTargets(inv, resources, f);
  const errors: string[] = targets.errors.map(checkErrText);
  for (const t of targets.items) {
    const node = t.obj;
    const old: Taint[] = node.spec?.taints ?? [];
    if (!f.overwrite) {
      const exists = add.filter((a) => old.some((o) => o.key === a.key && o.effect === a.effect)).map((a) => a.key);
      if (exists.length > 0) {
        errors.push(`error: node ${node.metadata.name} already has ${exists.join(",")} taint(s) with same effect(s) and --overwrite is false`);
        continue;
      }
    }
    const re = reorganizeTaints(old, f.overwrite, add, remove);
    if (re.errors.length > 0) {
      // One error prints as `error: ...`; several (an aggregate) one per line without the prefix.
      errors.push(re.errors.length === 1 ? `error: ${re.errors[0]}` : re.errors.join("\n"));
      continue;
    }
    const dry = String(f["dry-run"]) !== "none" && String(f["dry-run"]) !== "false";
    let result = node;
    if (!dry) {
      try {
        result = inv.ctx.api.mutate("Node", undefined, node.metadata.name!, (o) => {
          o.spec = o.spec ?? {};
          if (re.taints.length > 0) o.spec.taints = re.taints.map((x) => ({ ...x }));
          else delete o.spec.taints;
        }, { fieldManager: String(f["field-manager"] || "kubectl-taint") });
      } catch (e) {
        if (e instanceof ApiError) {
          errors.push(apiErrorText(e));
          continue;
        }
        throw e;
      }
    }
    if (format && format.kind !== "table") inv.out(printGeneric(format, [{ r: t.r, obj: result }], true).replace(/\n$/, ""));
    else inv.out(`${resourceName(t.r, node.metadata.name!)} ${re.operation}${dry ? " (dry run)" : ""}`);
  }
  for (const e of errors) inv.err(e);
  return errors.length > 0 ? 1 : 0;
}
