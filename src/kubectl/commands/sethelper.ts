/**
 * What the `kubectl set` commands share (k8s.io/kubectl/pkg/cmd/set/helper.go: selectContainers,
 * selectString, CalculatePatches; pkg/polymorphichelpers/updatepodspec.go): where a kind keeps its
 * pod spec, container selection with `*` wildcards, and the builder, patch and print loop of
 * `set resources` and `set env` (ContinueOnError, `--local`, `--dry-run`, `-o`).
 */
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { clone, jsonEqual, type KObject } from "../../api/types.ts";
import type { Container, PodSpec } from "../../api/types.gen.ts";
import { KubectlError, serverWarnings, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import type { FlagSpec } from "../flags.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { readManifestDocs } from "./apply.ts";
import { fetch, selectionsFromArgs, selectionsFromFiles } from "./builder.ts";
import { dryRunStrategy } from "./create/generator.ts";

/** UpdatePodSpecForObject: where a kind keeps its pod spec (undefined: not a pod or template). */
export function podSpecOf(obj: KObject): PodSpec | undefined {
  switch (obj.kind) {
    case "Pod":
      return obj.spec;
    case "CronJob":
      return obj.spec?.jobTemplate?.spec?.template?.spec;
    case "Deployment":
    case "ReplicaSet":
    case "DaemonSet":
    case "StatefulSet":
    case "ReplicationController":
    case "Job":
      return obj.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** selectString: `*` matches everything; otherwise `*` is a non-greedy wildcard (upstream's algorithm, quirks included). */
export function selectString(s: string, spec: string): boolean {
  if (spec === "*") return true;
  if (!spec.includes("*")) return s === spec;
  let pos = 0;
  const parts = spec.split("*");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length === 0) continue;
    const next = s.slice(pos).indexOf(part);
    if (next < pos || (i === 0 && pos !== 0) || (i === parts.length - 1 && s.length !== part.length + next)) return false;
    pos = next;
  }
  return true;
}

/** selectContainers over the containers then the init containers (the order the set commands use). */
export function selectContainers(spec: PodSpec, selector: string): Container[] {
  return [...(spec.containers ?? []).filter((c) => selectString(c.name, selector)), ...(spec.initContainers ?? []).filter((c) => selectString(c.name, selector))];
}

/** The Go type kubectl names for an object it cannot find a pod template in (`%T`). */
export function goTypeName(r: ResourceType): string {
  return r.crd ? "*unstructured.Unstructured" : `*${r.version}.${r.kind}`;
}

/** Flags of the set commands that read objects and print them. */
export const SET_FLAGS: FlagSpec[] = [
  { long: "filename", short: "f", type: "stringArray" },
  { long: "recursive", short: "R", type: "bool" },
  { long: "kustomize", short: "k", type: "string" },
  { long: "all", type: "bool" },
  { long: "selector", short: "l", type: "string" },
  { long: "local", type: "bool" },
  { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
  { long: "output", short: "o", type: "string" },
  { long: "template", type: "string" },
  { long: "show-managed-fields", type: "bool" },
  { long: "allow-missing-template-keys", type: "bool", default: true },
  { long: "field-manager", type: "string", default: "kubectl-set" },
];

export interface SetTarget {
  r: ResourceType;
  obj: KObject;
}

/** The builder of `set resources` / `set env`: LocalParam, ContinueOnError, FilenameParam, LabelSelectorParam, ResourceTypeOrNameArgs(--all, ...), Latest. */
export function setTargets(inv: Invocation, resources: string[]): { items: SetTarget[]; errors: ApiError[] } {
  const f = inv.flags;
  const files: string[] = f.filename ?? [];
  if (f.local) {
    if (resources.length) throw new KubectlError("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'", 1, true);
    const items = readManifestDocs(inv).map((doc) => {
      const r = inv.ctx.api.registry.forGVK(String(doc.obj?.apiVersion ?? ""), String(doc.obj?.kind ?? ""));
      if (!r) throw new KubectlError(`unable to recognize ${JSON.stringify(doc.source)}: no matches for kind ${JSON.stringify(doc.obj?.kind)} in version ${JSON.stringify(doc.obj?.apiVersion)}`);
      return { r, obj: doc.obj as KObject };
    });
    return { items, errors: [] };
  }
  const items: SetTarget[] = [];
  const errors: ApiError[] = [];
  if (files.length) {
    for (const { r, namespace, name } of selectionsFromFiles(inv)) {
      const live = inv.ctx.api.get(r.key, r.namespaced ? namespace : undefined, name);
      if (live) items.push({ r, obj: convertFromStorage(live, r) });
      else errors.push(new ApiError("NotFound", `${r.plural}${r.group ? `.${r.group}` : ""} ${JSON.stringify(name)} not found`));
    }
  }
  if (resources.length) {
    const selections = selectionsFromArgs(inv, resources);
    if (!f.all && !f.selector && selections.some((s) => !s.names)) throw new KubectlError("resource(s) were provided, but no name was specified");
    const found = fetch(inv, selections, { namespace: inv.namespace, labelSelector: f.selector || undefined });
    items.push(...found.items);
    errors.push(...found.errors);
  }
  return { items, errors };
}

/**
 * The loop after CalculatePatches: `change` edits a copy of each object and says whether anything
 * changed (or throws a KubectlError naming the failure); changed objects are written through the
 * API server (or printed, for --local and --dry-run=client) and printed as `<type>/<name> <operation>`.
 * `failures` is where `change` may record errors of its own (CalculatePatches-time); all are
 * printed after the objects, as kubectl's aggregate error is.
 */
export function runSetPatches(
  inv: Invocation,
  targets: { items: SetTarget[]; errors: ApiError[] },
  operation: string,
  /** How the command words a failed PATCH (the server's message appended with %v). */
  patchFailure: string,
  change: (obj: KObject, t: SetTarget) => void,
  failures: string[] = [],
  /**
   * What an unchanged object does: skipped silently (set env, set resources, set subject), or sent
   * as an empty patch and printed (`send`: set serviceaccount has no empty-patch check).
   */
  unchanged: "skip" | "send" = "skip",
): number {
  const dryRun = dryRunStrategy(inv);
  const f = inv.flags;
  if (f.local && dryRun === "server") throw new KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined }) : undefined;
  const op = operation + (dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "");
  const print = (t: SetTarget, obj: KObject) => {
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: t.r, obj }], true, !!inv.flags["show-managed-fields"]));
    else inv.out(`${resourceName(t.r, obj.metadata.name!)} ${op}`);
  };
  // Infos() fails as a whole when any object could not be read: nothing is changed.
  if (targets.errors.length) {
    for (const e of targets.errors) inv.err(renderError(e));
    return 1;
  }
  const errors: string[] = [];
  for (const t of targets.items) {
    const changed = clone(t.obj);
    try {
      change(changed, t);
    } catch (e) {
      if (!(e instanceof KubectlError)) throw e;
      errors.push(`error: ${t.r.plural}/${t.obj.metadata.name} ${e.message}`);
      continue;
    }
    if (unchanged === "skip" && jsonEqual(changed, t.obj)) continue; // an empty patch: nothing sent, nothing printed
    if (f.local || dryRun === "client") {
      print(t, changed);
      continue;
    }
    let stored: KObject;
    try {
      // The strategic merge patch from the object read to its changed copy, applied to the object
      // as it is now (read just before: the same), written back through admission.
      changed.metadata.resourceVersion = t.obj.metadata.resourceVersion;
      stored = inv.ctx.api.update(changed, { dryRun: dryRun === "server", warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-set") });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errors.push(`${patchFailure}${e.message}`);
      continue;
    }
    print(t, convertFromStorage(stored, t.r));
  }
  const all = [...failures, ...errors];
  for (const e of all) inv.err(e.startsWith("error: ") || e.startsWith("Error from server") ? e : `error: ${e}`);
  return all.length ? 1 : 0;
}
