/**
 * `kubectl replace -f` (k8s.io/kubectl/pkg/cmd/replace/replace.go): each object of the manifests
 * replaces the live one whole (a PUT; without a `resourceVersion` in the file kubectl first reads
 * the live one's, so the write is unconditional), printed as `<type>/<name> replaced`. `--force`
 * deletes the objects (`<type> "<name>" deleted`), waits until they are gone (polling every
 * second, `--timeout`, default 5 minutes) and creates them again. `--save-config` stores the
 * manifest in the last-applied annotation, as `kubectl apply` does.
 *
 * As kubectl, each object is replaced in turn and one that fails is reported after the others are
 * written. With `--force` a manifest is replaced all-or-nothing here: every document is first
 * checked by a server-side dry run before anything is deleted (docs/divergences.md).
 */
import { ApiError } from "../../api/errors.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import type { ManifestDoc } from "../manifest.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { annotateLastApplied, fieldValidationOf, mapManifestDoc, readManifestDocs, visitManifests, type ManifestInfo } from "./apply.ts";
import { addSourceToErr, Aggregate, printCheckErr, reduceErrors, type CmdError } from "./builder.ts";
import { dryRunStrategy } from "./create/generator.ts";
import { parseGoDuration, waitUntil } from "./wait.ts";

interface Planned {
  doc: ManifestDoc;
  r: ResourceType;
  obj: KObject;
  live: KObject | undefined;
}

/** AddSourceToErr("replacing", source, err), printed as kubectl's checkErr prints it. */
function failure(e: unknown, doc: ManifestDoc, verb = "replacing"): string {
  if (e instanceof ApiError) {
    if (e.reason === "Invalid" && e.details) return renderError(e);
    return renderError(new ApiError(e.reason, `error when ${verb} ${JSON.stringify(doc.source)}: ${e.message}`));
  }
  if (e instanceof KubectlError) return e.raw ? e.message.replace(/\n$/, "") : `error: ${e.message}`;
  throw e;
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
    if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: p.r, obj }], true));
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
        print(p, convertFromStorage(api.update(versioned(p), { dryRun: dryRun === "server", fieldValidation, warnings: serverWarnings(inv) }), p.r));
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

  // --force, all-or-nothing here: every document read and checked by a server-side dry run (a
  // dry-run create, before anything is deleted) before any is deleted (docs/divergences.md).
  const planned: Planned[] = [];
  const errors: string[] = [];
  for (const doc of readManifestDocs(inv)) {
    try {
      const p = plan(inv, { doc, ...mapManifestDoc(inv, doc, "always") });
      // The live object's name being taken (AlreadyExists comes after validation and admission) is what deletion frees.
      try {
        api.create(p.obj, { dryRun: true, fieldValidation });
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === "AlreadyExists" && p.live)) throw e;
      }
      planned.push(p);
    } catch (e) {
      errors.push(failure(e, doc));
    }
  }
  if (errors.length) {
    for (const e of errors) inv.err(e);
    return 1;
  }
  if (planned.length === 0) throw new KubectlError("no objects passed to replace");

  // --force: delete (a missing object is skipped), wait until gone, create.
  // kubectl's forceReplace ignores --dry-run (it deletes and creates all the same): refused here.
  if (dryRun !== "none") throw new KubectlError("kubectl replace --force with --dry-run is not simulated (kubectl deletes and creates the objects regardless of --dry-run)");
  const gracePeriodSeconds = grace === 0 ? 1 : grace > 0 ? grace : undefined; // --grace-period=0 becomes 1 (and waits)
  const deleted: Planned[] = [];
  for (const p of planned) {
    if (!p.live) continue;
    try {
      api.delete(p.r.key, p.live.metadata.namespace, p.live.metadata.name!, { gracePeriodSeconds, propagationPolicy: f.cascade === "orphan" ? "Orphan" : f.cascade === "foreground" ? "Foreground" : "Background" });
    } catch (e) {
      if (e instanceof ApiError && e.reason === "NotFound") continue;
      throw e;
    }
    inv.out(`${p.r.kind.toLowerCase()}${p.r.group ? "." + p.r.group : ""} ${JSON.stringify(p.live.metadata.name)} deleted`);
    deleted.push(p);
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
  for (const p of planned) {
    const obj = structuredClone(p.obj);
    delete obj.metadata.resourceVersion;
    try {
      print(p, convertFromStorage(api.create(obj, { fieldValidation, warnings: serverWarnings(inv) }), p.r));
    } catch (e) {
      if (e instanceof ApiError) {
        inv.err(renderError(e));
        return 1;
      }
      throw e;
    }
  }
  return 0;
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
