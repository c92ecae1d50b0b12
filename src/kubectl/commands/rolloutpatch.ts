/**
 * `kubectl rollout pause|resume|restart` (k8s.io/kubectl/pkg/cmd/rollout/rollout_pause.go,
 * rollout_resume.go, rollout_restart.go, with pkg/polymorphichelpers objectpauser.go,
 * objectresumer.go and objectrestarter.go).
 *
 * Each command reads the named objects (TYPE NAME..., TYPE/NAME..., TYPE for all of them, or -f),
 * changes a copy (pause: `spec.paused: true`; resume: `spec.paused: false`; restart: the pod
 * template's `kubectl.kubernetes.io/restartedAt` annotation, the simulated clock in RFC 3339), and
 * patches the object through the API server. `restart` also takes `-l`; a second restart within
 * the same second makes no change and is refused, as upstream's empty patch is. Failures are collected per object and printed after
 * the others were handled, as kubectl's aggregate error is.
 */
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { clone, jsonEqual, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { fetch, selectionsFromArgs, selectionsFromFiles } from "./builder.ts";

/** The annotation `rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

/** A polymorphic helper: changes the object in place, or returns the error kubectl reports for it. */
export type ObjectChanger = (obj: KObject, nowRFC3339: string) => string | undefined;

/** defaultObjectPauser: Deployments only. */
export const objectPauser: ObjectChanger = (obj) => {
  if (obj.kind !== "Deployment") return "pausing is not supported";
  if (obj.spec?.paused) return "is already paused";
  obj.spec.paused = true;
  return undefined;
};

/** defaultObjectResumer: Deployments only. */
export const objectResumer: ObjectChanger = (obj) => {
  if (obj.kind !== "Deployment") return "resuming is not supported";
  if (!obj.spec?.paused) return "is not paused";
  obj.spec.paused = false;
  return undefined;
};

/** defaultObjectRestarter: Deployments (not paused), DaemonSets and StatefulSets. */
export const objectRestarter: ObjectChanger = (obj, now) => {
  if (obj.kind !== "Deployment" && obj.kind !== "DaemonSet" && obj.kind !== "StatefulSet") return "restarting is not supported";
  if (obj.kind === "Deployment" && obj.spec?.paused) return "can't restart paused deployment (run rollout resume first)";
  const template = (obj.spec.template ??= {});
  const meta = (template.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [RESTARTED_AT_ANNOTATION]: now };
  return undefined;
};

interface Target {
  r: ResourceType;
  obj: KObject;
}

/** The builder of these commands: NamespaceParam, FilenameParam, ResourceTypeOrNameArgs(true, ...), ContinueOnError. */
function targets(inv: Invocation): { items: Target[]; errors: ApiError[] } {
  const files: string[] = inv.flags.filename ?? [];
  if (inv.args.length === 0 && files.length === 0) throw new KubectlError("required resource not specified");
  if (files.length) {
    // cli-runtime's Builder.visitorResult refuses names next to files.
    if (inv.args.length) throw new KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well");
    const items: Target[] = [];
    const errors: ApiError[] = [];
    for (const { r, namespace, name } of selectionsFromFiles(inv)) {
      const live = inv.ctx.api.get(r.key, r.namespaced ? namespace : undefined, name);
      if (live) items.push({ r, obj: convertFromStorage(live, r) });
      else errors.push(new ApiError("NotFound", `${r.plural}${r.group ? `.${r.group}` : ""} ${JSON.stringify(name)} not found`));
    }
    return { items, errors };
  }
  const found = fetch(inv, selectionsFromArgs(inv, inv.args), { namespace: inv.namespace, labelSelector: inv.flags.selector || undefined });
  return { items: found.items, errors: found.errors };
}

/**
 * RunPause / RunResume / RunRestart: CalculatePatches with the helper, then a PATCH per object
 * that changed; `unchanged` is what pause and resume print for an empty patch (restart reports it
 * as a failure).
 */
function runRolloutPatch(inv: Invocation, change: ObjectChanger, done: string, unchanged: string | undefined): number {
  const format = inv.flags.output ? parseOutputFormat(String(inv.flags.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  const { items, errors } = targets(inv);
  if (items.length === 0 && errors.length === 0) {
    // rollout restart: "No resources found" when nothing matched (a type, or a selector); pause and resume print nothing.
    if (unchanged === undefined) inv.err(`No resources found in ${inv.namespace} namespace.`);
    return 0;
  }
  const failures: string[] = errors.map(renderError);
  const print = (t: Target, obj: KObject, operation: string) => {
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: t.r, obj }], true));
    else inv.out(`${resourceName(t.r, obj.metadata.name!)} ${operation}`);
  };
  for (const t of items) {
    const changed = clone(t.obj);
    const err = change(changed, inv.ctx.clock.nowRFC3339());
    if (err !== undefined) {
      failures.push(`error: ${t.r.plural}${t.r.group ? "." + t.r.group : ""} ${JSON.stringify(t.obj.metadata.name)} ${err}`);
      continue;
    }
    if (jsonEqual(changed, t.obj)) {
      if (unchanged !== undefined) {
        print(t, t.obj, unchanged);
        continue;
      }
      failures.push(`failed to create patch for ${t.obj.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
      continue;
    }
    let stored: KObject;
    try {
      // The strategic merge patch kubectl computes changes only what the helper changed: applied to
      // the object as it is now (Latest()), written back through admission.
      // (The kinds the helpers change are stored as apps/v1, the version they are read in.)
      stored = inv.ctx.api.mutate(t.r.key, t.obj.metadata.namespace, t.obj.metadata.name!, (o) => void change(o, inv.ctx.clock.nowRFC3339()), { warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-rollout") });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      failures.push(`failed to patch: ${e.message}`);
      continue;
    }
    print(t, convertFromStorage(stored, t.r), done);
  }
  for (const f of failures) inv.err(f.startsWith("error: ") || f.startsWith("Error from server") ? f : `error: ${f}`);
  return failures.length ? 1 : 0;
}

const FLAGS = [
  ...FILENAME_FLAGS,
  { long: "output", short: "o", type: "string" as const },
  { long: "template", type: "string" as const },
  { long: "show-managed-fields", type: "bool" as const },
  { long: "allow-missing-template-keys", type: "bool" as const, default: true },
  { long: "field-manager", type: "string" as const, default: "kubectl-rollout" },
];

export const rolloutPauseCommand: CommandDef = {
  path: ["rollout", "pause"],
  flags: FLAGS,
  run: (inv) => runRolloutPatch(inv, objectPauser, "paused", "already paused"),
};

export const rolloutResumeCommand: CommandDef = {
  path: ["rollout", "resume"],
  flags: FLAGS,
  run: (inv) => runRolloutPatch(inv, objectResumer, "resumed", "already resumed"),
};

export const rolloutRestartCommand: CommandDef = {
  path: ["rollout", "restart"],
  flags: [...FLAGS, { long: "selector", short: "l", type: "string" }],
  run: (inv) => runRolloutPatch(inv, objectRestarter, "restarted", undefined),
};
