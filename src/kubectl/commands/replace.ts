/**
 * `kubectl replace -f` (k8s.io/kubectl/pkg/cmd/replace/replace.go): each object of the manifests
 * replaces the live one whole (a PUT; without a `resourceVersion` in the file kubectl first reads
 * the live one's, so the write is unconditional), printed as `<type>/<name> replaced`. `--force`
 * deletes the objects (`<type> "<name>" deleted`), waits until they are gone (polling every
 * second, `--timeout`, default 5 minutes) and creates them again. `--save-config` stores the
 * manifest in the last-applied annotation, as `kubectl apply` does.
 *
 * As kubectl, each object is replaced in turn and one that fails is reported after the others are
 * written. With `--force` every object is deleted first; an error then (a document kubectl cannot
 * map) ends the command with the objects deleted and not created again, as kubectl v1.32 does.
 */
import { ApiError } from "../../api/errors.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import type { ManifestDoc } from "../manifest.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { annotateLastApplied, fieldValidationOf, visitManifests, type ManifestInfo } from "./apply.ts";
import { addSourceToErr, Aggregate, asCmdError, continueOnError, filterOut, printCheckErr, reduceErrors, type CmdError } from "./builder.ts";
import { dryRunStrategy } from "./create/generator.ts";
import { parseGoDuration, waitUntil } from "./wait.ts";

interface Planned {
  doc: ManifestDoc;
  r: ResourceType;
  obj: KObject;
  live: KObject | undefined;
}

/** The builder's Info for a document, with the live object. */
function plan(inv: Invocation, { doc, r, obj }: ManifestInfo): Planned {
  if (!r.namespaced) delete obj.metadata.namespace;
  if (inv.flags["save-config"]) annotateLastApplied(obj, r);
  const stored = obj.metadata.name ? inv.ctx.api.get(r.key, obj.metadata.namespace, String(obj.metadata.name)) : undefined;
  return { doc, r, obj, live: stored && convertFromStorage(stored, r) };
}

/** Helper.Replace(overwrite=true): without a resourceVersion, the live object's is used. */
function versioned(p: Planned): KObject {
  const obj = structuredClone(p.obj);
  if (!obj.metadata.resourceVersion && p.live) obj.metadata.resourceVersion = p.live.metadata.resourceVersion;
  return obj;
}

function runReplace(inv: Invocation): number {
  const f = inv.flags;
  const force = !!f.force;
  const grace = Number(f["grace-period"] ?? -1);
  const dryRun = dryRunStrategy(inv);
  // Complete (RequireFilenameOrKustomize), then Validate.
  if ((f.filename ?? []).length === 0 && !f.kustomize) throw new KubectlError("must specify one of -f and -k");
  if (grace >= 0 && !force) throw new KubectlError("--grace-period must have --force specified");
  const timeoutMs = parseGoDuration(String(f.timeout ?? "0s"));
  if (timeoutMs !== 0 && !force) throw new KubectlError("--timeout must have --force specified");
  const fieldValidation = fieldValidationOf(inv);
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: f.template ? String(f.template) : undefined }) : undefined;
  const suffix = dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
  const print = (p: Planned, obj: KObject) => {
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: p.r, obj }], true, !!inv.flags["show-managed-fields"]));
    else inv.out(`${resourceName(p.r, String(obj.metadata.name))} replaced${suffix}`);
  };
  const { api } = inv.ctx;

  if (!force) {
    // replace.go Run: each object of the builder replaced in turn (ContinueOnError); the objects'
    // errors first, then the builder's (documents that did not decode or map).
    const { infos, builderErrors } = visitManifests(inv, "always");
    const errs: CmdError[] = [];
    for (const info of infos) {
      try {
        const p = plan(inv, info);
        if (dryRun === "client") {
          print(p, p.obj);
          continue;
        }
        print(p, convertFromStorage(api.update(versioned(p), { dryRun: dryRun === "server", fieldValidation, warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-replace") }), p.r));
      } catch (e) {
        errs.push(addSourceToErr("replacing", info.doc.source, e));
      }
    }
    if (builderErrors.length) errs.push(new Aggregate(builderErrors));
    const err = reduceErrors(errs);
    if (err) return printCheckErr(inv, err);
    if (infos.length === 0) throw new KubectlError("no objects passed to replace");
    return 0;
  }

  // --force (forceReplace): DeleteResult over the builder's objects (a missing one skipped; an error,
  // the builder's included, ends the command after the deletes, before anything is created, as
  // kubectl v1.32 does), a wait until each deleted one is gone, then a create of each, in turn (an
  // object that fails is reported after the others are created).
  // kubectl's forceReplace ignores --dry-run (it deletes and creates all the same): refused here.
  if (dryRun !== "none") throw new KubectlError("kubectl replace --force with --dry-run is not simulated (kubectl deletes and creates the objects regardless of --dry-run)");
  const { infos, builderErrors } = visitManifests(inv, "unknown kind");
  const planned = infos.map((info) => plan(inv, info));
  const gracePeriodSeconds = grace === 0 ? 1 : grace > 0 ? grace : undefined; // --grace-period=0 becomes 1 (and waits)
  const deleted: Planned[] = [];
  const deleteErrors: CmdError[] = [];
  for (const p of planned) {
    // RequireObject(false): the delete is sent without reading the object; a missing one's NotFound
    // is filtered out of the visit's error below (it still shapes what is left of it).
    const name = String(p.obj.metadata.name ?? "");
    try {
      api.delete(p.r.key, p.r.namespaced ? p.obj.metadata.namespace : undefined, name, { gracePeriodSeconds, propagationPolicy: f.cascade === "orphan" ? "Orphan" : f.cascade === "foreground" ? "Foreground" : "Background" });
    } catch (e) {
      deleteErrors.push(addSourceToErr("deleting", p.doc.source, e));
      continue;
    }
    // The delete's printer: `-o name` prints `configmap/x`, any other output the sentence.
    if (format?.kind === "name") inv.out(resourceName(p.r, name));
    else inv.out(`${p.r.kind.toLowerCase()}${p.r.group ? "." + p.r.group : ""} ${JSON.stringify(name)} deleted`);
    if (p.live) deleted.push(p);
  }
  // DeleteResult with IgnoreNotFound (forceReplace sets it): the visit's error filtered
  // (utilerrors.FilterOut keeps an aggregate an aggregate, so one error left prints bare).
  const deleteErr = filterOut(reduceErrors([...deleteErrors, ...(builderErrors.length ? [new Aggregate(builderErrors)] : [])]), (e) => e instanceof ApiError && e.reason === "NotFound");
  if (deleteErr) return printCheckErr(inv, deleteErr);
  if (planned.length === 0) {
    // DeleteResult found nothing: it says so, and the create finds nothing either.
    inv.out("No resources found");
    throw new KubectlError("no objects passed to replace");
  }
  const limit = timeoutMs || 5 * 60_000;
  for (const p of deleted) {
    const uid = p.live!.metadata.uid;
    const gone = () => {
      const o = api.get(p.r.key, p.live!.metadata.namespace, p.live!.metadata.name!);
      return !o || o.metadata.uid !== uid;
    };
    // wait.PollImmediate(1s, timeout): checked now, then once a second.
    const start = inv.ctx.clock.now();
    for (;;) {
      inv.ctx.clock.settle();
      if (gone()) break;
      if (inv.ctx.clock.now() + 1000 > start + limit) {
        waitUntil(inv.ctx, () => false, start + limit - inv.ctx.clock.now());
        throw new KubectlError("timed out waiting for the condition");
      }
      waitUntil(inv.ctx, () => false, 1000);
    }
  }
  const createErrors: CmdError[] = [];
  for (const p of planned) {
    const obj = structuredClone(p.obj);
    delete obj.metadata.resourceVersion;
    try {
      print(p, convertFromStorage(api.create(obj, { fieldValidation, warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-replace") }), p.r));
    } catch (e) {
      createErrors.push(asCmdError(e));
    }
  }
  const createErr = continueOnError(createErrors, []);
  return createErr ? printCheckErr(inv, createErr) : 0;
}

export const replaceCommand: CommandDef = {
  path: ["replace"],
  flags: [
    { long: "filename", short: "f", type: "stringArray" },
    { long: "recursive", short: "R", type: "bool" },
    { long: "kustomize", short: "k", type: "string" },
    { long: "force", type: "bool" },
    { long: "grace-period", type: "int", default: -1 },
    { long: "cascade", type: "string", default: "background", noOptDefault: "background" },
    { long: "timeout", type: "string", default: "0s" },
    { long: "wait", type: "bool" },
    { long: "save-config", type: "bool" },
    { long: "validate", type: "string", default: "strict", noOptDefault: "strict" },
    { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "show-managed-fields", type: "bool" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "field-manager", type: "string", default: "kubectl-replace" },
  ],
  run: runReplace,
};
