/**
 * `kubectl delete` (k8s.io/kubectl/pkg/cmd/delete): by name, `-f`, `-l`, `--all`; `--grace-period`,
 * `--now`, `--force` (with kubectl's warning) and `--wait` (the default: kubectl blocks until the
 * objects are gone, so simulated time passes while it waits).
 */
import { hasManifestFlags, visitManifests } from "./apply.ts";
import type { KObject } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import { goDuration } from "../../sim/duration.ts";
import { FILENAME_FLAGS, KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { addSourceToErr, Aggregate, fetch, filterOut, printCheckErr, reduceErrors, selectionsFromArgs, type Found } from "./builder.ts";
import { goneCheck, parseGoDuration, waitUntil } from "./wait.ts";

export const FORCE_WARNING =
  "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.";

const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** Default wait when --timeout is 0 ("determine a timeout from the size of the object"). */
const DEFAULT_WAIT_MS = 5 * 60 * 1000;

export const deleteCommand: CommandDef = {
  path: ["delete"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "all", type: "bool" },
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "field-selector", type: "string" },
    { long: "grace-period", type: "int", default: -1 },
    { long: "now", type: "bool" },
    { long: "force", type: "bool" },
    { long: "wait", type: "bool", default: true },
    { long: "timeout", type: "string", default: "0s" },
    { long: "ignore-not-found", type: "bool" },
    { long: "cascade", type: "string", default: "background" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "output", short: "o", type: "string" },
    { long: "interactive", short: "i", type: "bool" },
    { long: "raw", type: "string" },
  ],
  run: runDelete,
};

function runDelete(inv: Invocation): number {
  const f = inv.flags;
  let grace: number = f["grace-period"];
  if (f.now) {
    if (grace !== -1) throw new KubectlError("--now and --grace-period cannot be specified together");
    grace = 1;
  }
  if (grace === 0 && !f.force) grace = 1; // kubectl turns --grace-period=0 into 1 unless --force
  if (f.force && grace < 0) grace = 0;
  const timeoutMs = parseGoDuration(String(f.timeout)) || DEFAULT_WAIT_MS;
  const cascade = String(f.cascade);
  const propagationPolicy = cascade === "orphan" || cascade === "false" ? "Orphan" : cascade === "foreground" ? "Foreground" : "Background";
  const dryRun = String(f["dry-run"]) === "server" || String(f["dry-run"]) === "client";

  let targets: Found[] = [];
  let errors: ApiError[] = [];
  // With -f/-k (RequireObject(false)): the builder's objects, deleted without reading them first; a
  // missing one is the delete's NotFound. The builder's own errors (documents that did not decode
  // or map) come after the objects' errors.
  let fromFiles: { sources: Map<Found, string>; builderErrors: KubectlError[] } | undefined;
  if (hasManifestFlags(inv)) {
    const { infos, builderErrors } = visitManifests(inv, "unknown kind");
    fromFiles = { sources: new Map(), builderErrors };
    for (const { doc, r, obj } of infos) {
      // The live object's uid is what the wait watches for (kubectl takes it from the delete's answer).
      const name = String(obj.metadata.name ?? "");
      const live = name ? inv.ctx.api.get(r.key, r.namespaced ? obj.metadata.namespace : undefined, name) : undefined;
      const t: Found = { r, obj: live ?? ({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, ...(r.namespaced ? { namespace: obj.metadata.namespace } : {}) } } as KObject) };
      targets.push(t);
      fromFiles.sources.set(t, doc.source);
    }
  } else {
    if (inv.args.length === 0) throw new KubectlError(NO_RESOURCES, 1, true);
    const selections = selectionsFromArgs(inv, inv.args);
    const named = selections.some((s) => s.names);
    if (named && (f.all || f.selector || f["field-selector"])) throw new KubectlError("name cannot be provided when a selector is specified");
    if (!named && !f.all && !f.selector && !f["field-selector"]) throw new KubectlError("resource(s) were provided, but no name was specified");
    const r = fetch(inv, selections, {
      namespace: inv.namespace,
      allNamespaces: f["all-namespaces"],
      labelSelector: f.selector || undefined,
      fieldSelector: f["field-selector"] || undefined,
    });
    targets = r.items;
    errors = r.errors;
    if (targets.length === 0 && errors.length === 0) {
      inv.out("No resources found");
      return 0;
    }
  }
  if (f["ignore-not-found"]) errors = errors.filter((e) => e.reason !== "NotFound");

  if (grace === 0 && f.force && targets.length > 0 && !dryRun) inv.err(FORCE_WARNING);
  const deleted: Found[] = [];
  const messages: string[] = [];
  for (const t of targets) {
    const name = t.obj.metadata.name!;
    const kindString = `${t.r.kind.toLowerCase()}${t.r.group ? "." + t.r.group : ""}`;
    try {
      inv.ctx.api.delete(t.r.key, t.obj.metadata.namespace, name, {
        gracePeriodSeconds: grace >= 0 ? grace : undefined,
        propagationPolicy,
        dryRun,
      });
    } catch (e) {
      if (e instanceof ApiError) {
        const source = fromFiles?.sources.get(t);
        // With -f the visit's error is filtered afterwards (FilterOut), below.
        if (e.reason === "NotFound" && f["ignore-not-found"] && source === undefined) continue;
        errors.push(source === undefined ? e : (addSourceToErr("deleting", source, e) as ApiError));
        continue;
      }
      throw e;
    }
    const op = grace === 0 && f.force ? "force deleted" : "deleted";
    messages.push(`${kindString} "${name}" ${op}${dryRun ? ` (${String(f["dry-run"]) === "server" ? "server dry run" : "dry run"})` : ""}`);
    deleted.push(t);
  }
  for (const m of messages) inv.out(m);
  if (fromFiles) {
    // DeleteResult returns the visit's errors before it waits for anything.
    let err = reduceErrors([...errors, ...(fromFiles.builderErrors.length ? [new Aggregate(fromFiles.builderErrors)] : [])]);
    if (f["ignore-not-found"]) err = filterOut(err, (e) => e instanceof ApiError && e.reason === "NotFound");
    if (err) return printCheckErr(inv, err);
    errors = [];
    if (targets.length === 0) {
      inv.out("No resources found");
      return 0;
    }
  }
  // DeleteResult returns the visit's errors (a name not found) before it waits for anything.
  if (errors.length) return printCheckErr(inv, reduceErrors(errors)!);
  const errText: string[] = [];

  if (f.wait && !dryRun) {
    for (const t of deleted) {
      const gone = goneCheck(inv.ctx, t.r.key, t.obj.metadata.namespace, t.obj.metadata.name!, t.obj.metadata.uid);
      if (!waitUntil(inv.ctx, gone, timeoutMs)) {
        errText.push(`error: timed out waiting for the condition on ${t.r.plural}${t.r.group ? "." + t.r.group : ""}/${t.obj.metadata.name} (waited ${goDuration(timeoutMs)} of simulated time)`);
      }
    }
  }
  for (const e of errText) inv.err(e);
  return errText.length > 0 ? 1 : 0;
}
