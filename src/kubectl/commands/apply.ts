/**
 * `kubectl apply -f` and `kubectl create -f`, and how commands read `-f`/`-k` manifests (files,
 * directories with -R, URLs, stdin, kustomizations) as cli-runtime's resource builder does.
 * As kubectl v1.32, every object of the manifests is written in turn; one that fails (it does not
 * decode, map, validate or pass admission) is reported at the end and the others stay written.
 */
import { isUrl, readUrl } from "../examples.ts";
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf, type ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { sortedKeys } from "../../api/schema/fieldorder.ts";
import { strategicThreeWayMerge } from "../../api/schema/strategicmerge.ts";
import { serverSideApply, type ManagedFieldsEntry } from "../../api/fieldmanager.ts";
import type { WriteOptions } from "../../api/store.ts";
import { findFieldsOwners, LAST_APPLIED_PATH, upgradeManagedFields } from "../csaupgrade.ts";
import { isJSONObject, jsonEqual, type JSONObject, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric } from "../printers/index.ts";
import { addSourceToErr, Aggregate, asCmdError, printCheckErr, reduceErrors, type CmdError } from "../errors.ts";
import { checkTypeMeta, parseManifestStream, type ManifestDoc } from "../manifest.ts";
import { kustomizeText } from "./kustomize.ts";
import { posix } from "node:path";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const COMMON = [
  ...FILENAME_FLAGS,
  { long: "dry-run", type: "string" as const, default: "none" },
  { long: "validate", type: "string" as const, default: "strict" },
  { long: "output", short: "o", type: "string" as const },
  { long: "field-manager", type: "string" as const },
  { long: "save-config", type: "bool" as const },
  { long: "show-managed-fields", type: "bool" as const },
];

export const applyCommand: CommandDef = {
  path: ["apply"],
  flags: [...COMMON, { long: "force", type: "bool" }, { long: "prune", type: "bool" }, { long: "server-side", type: "bool" }, { long: "force-conflicts", type: "bool" }, { long: "overwrite", type: "bool", default: true }],
  run: (inv) => runManifests(inv, "apply"),
};

export const createCommand: CommandDef = {
  path: ["create"],
  flags: [...COMMON, { long: "edit", type: "bool" }, { long: "windows-line-endings", type: "bool" }],
  run: (inv) => {
    // RunEditOnCreate opens the objects in $EDITOR before creating them: no editor here.
    if (inv.flags.edit) throw new KubectlError("kubectl create --edit is not simulated: it opens the configuration in an editor before creating it; edit the file, then run kubectl create -f");
    return runManifests(inv, "create");
  },
};

/** `kind.group/name` as kubectl prints an object reference (`pod/x`, `deployment.apps/web`). */
export function objectRef(r: ResourceType, name: string): string {
  return `${r.kind.toLowerCase()}${r.group ? "." + r.group : ""}/${name}`;
}

/** Whether the command was given manifests (`-f` or `-k`). */
export function hasManifestFlags(inv: Pick<Invocation, "flags">): boolean {
  return (inv.flags.filename ?? []).length > 0 || String(inv.flags.kustomize ?? "") !== "";
}

/** One `-f` source as the builder streams it: its documents, and the decode error that ended it early. */
export interface ManifestSource {
  docs: ManifestDoc[];
  error?: KubectlError;
}

/** The files of a directory given to `-f`, as ExpandPathsToFileVisitors walks it (lexical order; `.json`, `.yaml`, `.yml`; subdirectories with -R only). */
function expandDir(inv: Invocation, root: string, recursive: boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of inv.ctx.files.list(dir)) {
      const path = posix.join(dir, name);
      if (inv.ctx.files.kind(path) === "dir") {
        if (recursive) walk(path);
      } else if (/\.(json|ya?ml)$/.test(name)) out.push(path);
    }
  };
  walk(root);
  return out;
}

/**
 * The sources of `-f` (files, directories, URLs, `-`) or `-k`, read as the builder reads them:
 * a path that does not exist fails the command before anything is read (FilenameParam); a source
 * whose stream does not decode keeps the documents before the bad one and the error.
 */
/** The paths of a process's standard input on Linux: opening one reads what `-f -` reads. */
const STDIN_PATHS: ReadonlySet<string> = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

export function readManifestSources(inv: Invocation): ManifestSource[] {
  const files: string[] = inv.flags.filename;
  const kdir = String(inv.flags.kustomize ?? "");
  // FilenameOptions.validate, then RequireFilenameOrKustomize.
  const invalid: string[] = [];
  if (files.length > 0 && kdir) invalid.push("only one of -f or -k can be specified");
  if (kdir && inv.flags.recursive) invalid.push("the -k flag can't be used with -f or -R");
  if (invalid.length) throw new KubectlError(invalid.length === 1 ? invalid[0] : `[${invalid.join(", ")}]`);
  if (kdir) return [parseManifestStream(kustomizeText(inv, kdir), kdir, inv.ctx.reference)];
  if (files.length === 0) {
    throw new KubectlError("error: must specify one of -f and -k\n", 1, true);
  }
  const paths: string[] = [];
  for (const f of files) {
    if (f === "-" || isUrl(f)) paths.push(f);
    else {
      const kind = inv.ctx.files.kind(f);
      if (kind === undefined) throw new KubectlError(`the path ${JSON.stringify(f)} does not exist`);
      if (kind === "dir") {
        // Builder.Path: a directory with no file to read (none with a manifest's extension, or only subdirectories without -R).
        const found = expandDir(inv, f, !!inv.flags.recursive);
        if (found.length === 0) throw new KubectlError(`error reading [${f}]: recognized file extensions are [.json .yaml .yml]`);
        paths.push(...found);
      }
      else paths.push(f);
    }
  }
  const out: ManifestSource[] = [];
  for (const f of paths) {
    let text: string;
    // `-f /dev/stdin <<EOF`: the device is the process's standard input (kubectl opens the path as a file; on Linux it is fd 0).
    if (f === "-" || STDIN_PATHS.has(f)) text = inv.ctx.stdin ?? "";
    else if (isUrl(f)) {
      try {
        text = readUrl(f, (p) => inv.ctx.readFile(p));
      } catch (e) {
        throw new KubectlError((e as Error).message);
      }
    } else {
      try {
        text = inv.ctx.readFile(f);
      } catch {
        throw new KubectlError(`the path ${JSON.stringify(f)} does not exist`);
      }
    }
    out.push(parseManifestStream(text, f === "-" ? "STDIN" : f, inv.ctx.reference));
  }
  return out;
}

/**
 * Every document of the manifests, for commands that stop at the first error: the first source
 * that does not decode fails the command. `verb` names the command in "no objects passed to <verb>"
 * (apply and create share their flags).
 */
export function readManifestDocs(inv: Invocation, verb?: string): ManifestDoc[] {
  const docs: ManifestDoc[] = [];
  for (const s of readManifestSources(inv)) {
    if (s.error) throw s.error;
    docs.push(...s.docs);
  }
  if (docs.length === 0) throw new KubectlError("no objects passed to " + (verb ?? (inv.flags["save-config"] !== undefined ? "apply" : "create")));
  return docs;
}

/** A document the builder mapped: the resource.Info of cli-runtime. */
export interface ManifestInfo {
  doc: ManifestDoc;
  r: ResourceType;
  obj: KObject;
}

/**
 * cli-runtime's Builder with ContinueOnError over `-f`/`-k` (EagerVisitorList of StreamVisitors),
 * one document at a time: each document mapped to its resource type goes to `visit`, in order, and
 * each error goes to `onError` in the order met: a document without apiVersion or kind ends its
 * file (StreamVisitor's schema check), as a document that does not decode does (the source's
 * error, after the documents before it); a kind no resource serves, or a namespace other than
 * `-n`'s, skips that document only.
 */
export function eachManifest(inv: Invocation, crdHint: "always" | "unknown kind", visit: (info: ManifestInfo) => void, onError: (e: KubectlError) => void): void {
  for (const source of readManifestSources(inv)) {
    let stopped = false;
    for (const doc of source.docs) {
      try {
        checkTypeMeta(doc);
      } catch (e) {
        if (!(e instanceof KubectlError)) throw e;
        onError(e);
        stopped = true;
        break;
      }
      let info: ManifestInfo;
      try {
        info = { doc, ...mapManifestDoc(inv, doc, crdHint) };
      } catch (e) {
        if (!(e instanceof KubectlError)) throw e;
        onError(e);
        continue;
      }
      visit(info);
    }
    if (source.error && !stopped) onError(source.error);
  }
}

/** The documents of `-f`/`-k` mapped to resource types, and the builder's errors, each in order (eachManifest). */
export function visitManifests(inv: Invocation, crdHint: "always" | "unknown kind"): { infos: ManifestInfo[]; builderErrors: KubectlError[] } {
  const infos: ManifestInfo[] = [];
  const builderErrors: KubectlError[] = [];
  eachManifest(inv, crdHint, (info) => infos.push(info), (e) => builderErrors.push(e));
  return { infos, builderErrors };
}

/**
 * The builder's mapping of one manifest document: its resource type (the RESTMapper's error when
 * none serves its apiVersion and kind; `crdHint` says when the "ensure CRDs are installed first"
 * line follows it) and a copy of the object with its namespace resolved against `-n`.
 */
export function mapManifestDoc(inv: Invocation, doc: ManifestDoc, crdHint: "always" | "unknown kind"): { r: ResourceType; obj: KObject } {
  checkTypeMeta(doc);
  const { api } = inv.ctx;
  const r = api.registry.forGVK(String(doc.obj.apiVersion), String(doc.obj.kind));
  if (!r) {
    const hint = crdHint === "always" || api.registry.forKind(String(doc.obj.kind)).length === 0 ? "\nensure CRDs are installed first" : "";
    throw new KubectlError(
      `resource mapping not found for name: ${JSON.stringify(doc.obj.metadata?.name ?? "")} namespace: ${JSON.stringify(doc.obj.metadata?.namespace ?? "")} from ${JSON.stringify(doc.source)}: no matches for kind ${JSON.stringify(String(doc.obj.kind))} in version ${JSON.stringify(String(doc.obj.apiVersion))}${hint}`,
    );
  }
  const obj = structuredClone(doc.obj) as KObject; // checkTypeMeta checked apiVersion and kind; the API server decodes the rest
  obj.metadata = obj.metadata && typeof obj.metadata === "object" ? obj.metadata : {};
  if (r.namespaced) {
    const docNs = obj.metadata.namespace;
    if (docNs && inv.set.has("namespace") && docNs !== inv.namespace) {
      throw new KubectlError(
        `the namespace from the provided object ${JSON.stringify(docNs)} does not match the namespace ${JSON.stringify(inv.namespace)}. You must pass '--namespace=${docNs}' to perform this operation.`,
      );
    }
    obj.metadata.namespace = docNs || inv.namespace;
  }
  return { r, obj };
}

/** kubectl apply's text around a server-side apply Conflict (apply.go), as kubectl v1.32 prints it. */
const SSA_CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** The --validate flag as the API server's fieldValidation. */
export function fieldValidationOf(inv: Invocation): "Strict" | "Warn" | "Ignore" {
  const validate = String(inv.flags.validate);
  return validate === "false" || validate === "ignore" ? "Ignore" : validate === "warn" ? "Warn" : "Strict";
}

/**
 * `kubectl apply --server-side`: each document sent as an apply patch (fieldManager `kubectl`
 * unless --field-manager; --force-conflicts takes fields from other managers), the object's fields
 * tracked in managedFields by the API server's field manager (src/api/fieldmanager.ts), no
 * last-applied annotation; `<type>/<name> serverside-applied`. As kubectl, every object is applied
 * in turn and a failed one is reported after the others (its error as the server gave it).
 */
function runServerSideApply(inv: Invocation): number {
  const f = inv.flags;
  const dry = String(f["dry-run"]);
  if (dry === "client") throw new KubectlError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  const fieldValidation = fieldValidationOf(inv);
  const manager = f["field-manager"] ? String(f["field-manager"]) : "kubectl";
  const force = !!f["force-conflicts"];
  const { api, clock } = inv.ctx;
  const out = applyOutput(inv);
  const { infos, builderErrors } = visitManifests(inv, "unknown kind");
  const errs: CmdError[] = builderErrors.length ? [new Aggregate(builderErrors)] : [];
  if (infos.length === 0 && errs.length === 0) throw new KubectlError("no objects passed to apply");
  const applied: Array<{ r: ResourceType; obj: KObject }> = [];
  for (const { r, obj: config } of infos) {
    try {
      config.apiVersion = apiVersionOf(r);
      const name = String(config.metadata.name ?? "");
      const stored = name ? api.get(r.key, config.metadata.namespace, name) : undefined;
      const live = stored && convertFromStorage(stored, r);
      const obj = serverSideApply(live, config, manager, force, clock.nowRFC3339());
      const opts = { dryRun: dry === "server", fieldValidation, warnings: serverWarnings(inv) };
      if (live) obj.metadata.resourceVersion = live.metadata.resourceVersion;
      let result = convertFromStorage(live ? api.update(obj, opts) : api.create(obj, opts), r);
      if (dry !== "server") result = migrateToSSA(inv, r, result, config, manager, force, opts) ?? result;
      applied.push({ r, obj: result });
      out.line(r, result, "serverside-applied", dry === "server" ? " (server dry run)" : "");
    } catch (e) {
      // apply.go: a Conflict gets the help text after it (a plain error from then on).
      if (e instanceof ApiError && e.reason === "Conflict" && e.message.startsWith("Apply failed with")) errs.push(new KubectlError(`${e.message}\n${SSA_CONFLICT_HELP}`));
      else errs.push(asCmdError(e));
    }
  }
  const err = reduceErrors(errs);
  if (err) return printCheckErr(inv, err);
  out.objects(applied);
  return 0;
}

/**
 * After a server-side apply, as apply.go does: saveLastApplyAnnotationIfNecessary (manager
 * `kubectl` only: the last-applied annotation applied by `kubectl-last-applied` unless an Apply
 * entry owns it already), then migrateToSSAIfNecessary (the Update entries that own the annotation,
 * the client-side apply's, merged into this manager's Apply entry: csaupgrade, sent as a JSON
 * patch), and when that changed anything the apply sent again, so that fields the configuration
 * dropped go. Returns the object as it is then, or undefined when nothing was written.
 */
function migrateToSSA(inv: Invocation, r: ResourceType, applied: KObject, config: KObject, manager: string, force: boolean, opts: WriteOptions): KObject | undefined {
  const { api, clock } = inv.ctx;
  const entriesOf = (o: KObject) => (o.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const write = (o: KObject, extra: WriteOptions = {}) => convertFromStorage(api.update(o, { ...opts, ...extra }), r);
  let cur = applied;
  const text = cur.metadata.annotations?.[LAST_APPLIED];
  if (manager === "kubectl" && text !== undefined && findFieldsOwners(entriesOf(cur), "Apply", LAST_APPLIED_PATH).length === 0) {
    const meta = { name: cur.metadata.name, ...(cur.metadata.namespace ? { namespace: cur.metadata.namespace } : {}), annotations: { [LAST_APPLIED]: text } };
    const next = serverSideApply(cur, { apiVersion: cur.apiVersion, kind: cur.kind, metadata: meta } as KObject, "kubectl-last-applied", false, clock.nowRFC3339());
    next.metadata.resourceVersion = cur.metadata.resourceVersion;
    cur = write(next);
  }
  const csaManagers = new Set(findFieldsOwners(entriesOf(cur), "Update", LAST_APPLIED_PATH).map((e) => e.manager));
  const upgraded = upgradeManagedFields(entriesOf(cur), csaManagers, manager);
  if (!upgraded) return cur === applied ? undefined : cur;
  // The JSON patch of managedFields kubectl sends (no fieldManager: its User-Agent's `kubectl`).
  cur = write({ ...cur, metadata: { ...cur.metadata, managedFields: upgraded } }, { fieldManager: "kubectl" });
  const again = serverSideApply(cur, config, manager, force, clock.nowRFC3339());
  again.metadata.resourceVersion = cur.metadata.resourceVersion;
  return write(again);
}

/**
 * How apply and create print what they did: `<type>/<name> <operation>[ (dry run)]`, the bare
 * name under `-o name`; under another `-o` apply prints nothing per object and the objects at the
 * end (printObjects: the one object, or a List), create each object as it is created.
 */
function applyOutput(inv: Invocation) {
  const format = inv.flags.output ? parseOutputFormat(String(inv.flags.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  const whole = format && format.kind !== "name" && format.kind !== "table" ? format : undefined;
  let printed = 0;
  return {
    /** Under -o yaml/json/...: the objects are printed, not the lines. */
    printsObjects: !!whole,
    line(r: ResourceType, obj: KObject, operation: string, suffix: string): void {
      if (whole) return;
      const name = objectRef(r, String(obj.metadata.name ?? ""));
      inv.out(format?.kind === "name" ? name : `${name} ${operation}${suffix}`);
    },
    /** PrintObj of one object (create): YAML documents after the first are preceded by `---`. */
    object(r: ResourceType, obj: KObject): void {
      if (!whole) return;
      if (whole.kind === "yaml" && printed > 0) inv.write!("---\n");
      printed++;
      inv.write!(printGeneric(whole, [{ r, obj }], true, !!inv.flags["show-managed-fields"]));
    },
    /** apply's printObjects: after every object was applied without error. */
    objects(items: Array<{ r: ResourceType; obj: KObject }>): void {
      if (!whole || items.length === 0) return;
      if (items.length === 1) inv.write!(printGeneric(whole, items, true, !!inv.flags["show-managed-fields"]));
      // A corev1.List with an empty ListMeta (`metadata: {}`), not the List `kubectl get` prints.
      else inv.write!(printGeneric(whole, [{ r: items[0]!.r, obj: { apiVersion: "v1", items: items.map((i) => i.obj), kind: "List", metadata: {} } as unknown as KObject }], true, !!inv.flags["show-managed-fields"]));
    },
  };
}

/**
 * `kubectl apply -f` (client-side) and `kubectl create -f`, as apply.go and create.go run them:
 * the builder reads every document (ContinueOnError), then each object is applied (created, or
 * patched with the three-way merge) or created in turn; an object that fails is reported and the
 * others are still written. The errors are printed at the end as CheckErr prints their aggregate:
 * apply puts the builder's errors (documents that did not decode or map) before the objects'
 * errors, create after them.
 */
function runManifests(inv: Invocation, verb: "apply" | "create"): number {
  if (verb === "apply" && inv.flags["server-side"]) return runServerSideApply(inv);
  if (verb === "apply" && inv.flags["force-conflicts"]) throw new KubectlError("--force-conflicts only works with --server-side");
  const fieldValidation = fieldValidationOf(inv);
  const dry = String(inv.flags["dry-run"]);
  const dryRun = dry === "server";
  const suffix = dry === "client" ? " (dry run)" : dry === "server" ? " (server dry run)" : "";
  const { api } = inv.ctx;
  // GetApplyFieldManagerFlag (apply) and create's --field-manager default.
  const fieldManager = inv.flags["field-manager"] ? String(inv.flags["field-manager"]) : verb === "apply" ? "kubectl-client-side-apply" : "kubectl-create";
  const out = applyOutput(inv);
  const { infos, builderErrors } = visitManifests(inv, "unknown kind");
  const errs: CmdError[] = [];
  if (verb === "apply" && builderErrors.length) errs.push(new Aggregate(builderErrors));
  if (verb === "apply" && infos.length === 0 && errs.length === 0) throw new KubectlError("no objects passed to apply");
  const applied: Array<{ r: ResourceType; obj: KObject }> = [];
  let count = 0;
  for (const { doc, r, obj } of infos) {
    const name = String(obj.metadata.name ?? "");
    if (verb === "create") {
      try {
        if (inv.flags["save-config"]) annotateLastApplied(obj, r);
        const created = dry === "client" ? obj : convertFromStorage(api.create(obj, { dryRun, fieldValidation, warnings: serverWarnings(inv), fieldManager }), r);
        count++;
        out.line(r, created, "created", suffix);
        out.object(r, created);
      } catch (e) {
        errs.push(addSourceToErr("creating", doc.source, e));
      }
      continue;
    }
    if (!name) {
      // apply.go applyOneObject: a generateName cannot be applied; without a name, info.Get()'s
      // request fails in client-go (request.go Name: "resource name may not be empty").
      const generateName = obj.metadata.generateName;
      if (generateName) {
        errs.push(new KubectlError(`from ${generateName}: cannot use generate name with apply`));
        continue;
      }
      const info = `Resource: "${r.group}/${r.version}, Resource=${r.plural}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: "", Namespace: "${r.namespaced ? obj.metadata.namespace ?? "" : ""}"`;
      errs.push(addSourceToErr(`retrieving current configuration of:\n${info}\nfrom server for:`, doc.source, new KubectlError("resource name may not be empty")));
      continue;
    }
    // apply.go applyOneObject: read the live object in the version applied.
    const stored = api.get(r.key, obj.metadata.namespace, name);
    const live = stored && convertFromStorage(stored, r);
    annotateLastApplied(obj, r);
    if (!live) {
      try {
        const created = dry === "client" ? obj : convertFromStorage(api.create(obj, { dryRun, fieldValidation, warnings: serverWarnings(inv), fieldManager }), r);
        applied.push({ r, obj: created });
        out.line(r, created, "created", suffix);
      } catch (e) {
        errs.push(addSourceToErr("creating", doc.source, e));
      }
      continue;
    }
    if (dry === "client") {
      applied.push({ r, obj: live });
      out.line(r, live, "configured", suffix);
      continue;
    }
    try {
      warnMissingLastApplied(inv, r, live);
      const merged = threeWayMerge(live, obj, schemaKey(r));
      let result: KObject;
      let unchanged: boolean;
      if (dryRun) {
        // kubectl sends no request for an empty patch.
        unchanged = jsonEqual(merged, live);
        result = unchanged ? live : convertFromStorage(api.update(merged, { dryRun, fieldValidation, warnings: serverWarnings(inv), fieldManager }), r);
      } else {
        // An unchanged object (an empty patch kubectl does not send) draws no warnings.
        const warnings: string[] = [];
        const after = api.update(merged, { fieldValidation, warnings, fieldManager });
        unchanged = after === stored;
        if (!unchanged) serverWarnings(inv).push(...warnings);
        result = convertFromStorage(after, r);
      }
      applied.push({ r, obj: result });
      out.line(r, result, unchanged ? "unchanged" : "configured", suffix);
    } catch (e) {
      errs.push(addSourceToErr("patching", doc.source, e));
    }
  }
  if (verb === "create" && builderErrors.length) errs.push(new Aggregate(builderErrors));
  const err = reduceErrors(errs);
  if (err) return printCheckErr(inv, err);
  if (verb === "create" && count === 0) throw new KubectlError("no objects passed to create");
  out.objects(applied);
  return 0;
}

/**
 * apply.go applyOneObject: an object that exists without the last-applied annotation (made by
 * `kubectl create`, a controller, or the API server's bootstrap) is patched all the same, after this
 * warning on stderr (warningNoLastAppliedConfigAnnotation; not under --dry-run=client).
 */
function warnMissingLastApplied(inv: Invocation, r: ResourceType, live: KObject): void {
  if (live.metadata.annotations?.[LAST_APPLIED] !== undefined) return;
  inv.err(
    `Warning: resource ${r.plural}/${live.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. ` +
      "kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
  );
}

/** The key of a resource's type in the API schema (fields.json); custom resources have none (JSON merge). */
export function schemaKey(r: ResourceType): string {
  if (r.crd) return "";
  return apiVersionOf(r) === r.storageVersion ? r.kind : `${apiVersionOf(r)}/${r.kind}`;
}

/** kubectl apply stores what was applied, as compact JSON with sorted keys, in an annotation. */
export function annotateLastApplied(obj: KObject, r: ResourceType): void {
  const applied = structuredClone(obj);
  applied.apiVersion = apiVersionOf(r);
  applied.metadata.annotations = { ...(applied.metadata.annotations ?? {}) };
  delete applied.metadata.annotations[LAST_APPLIED];
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(sortedKeys(applied)) + "\n" };
}

/**
 * The client-side three-way merge: fields present in the previous last-applied configuration but
 * absent from the new one are removed; the new configuration is merged over the live object as a
 * strategic merge patch (lists with a merge key merged item by item, see
 * src/api/schema/strategicmerge.ts). Status and system metadata are kept.
 */
export function threeWayMerge(live: KObject, applied: KObject, schema: string = live.kind): KObject {
  const prevText = live.metadata.annotations?.[LAST_APPLIED];
  const prev = prevText ? safeJson(prevText) : undefined;
  const out = structuredClone(live) as KObject;
  strategicThreeWayMerge(out, prev, applied, schema);
  out.metadata.resourceVersion = live.metadata.resourceVersion;
  return out;
}

/** The last-applied configuration: a JSON object, or undefined when the annotation holds none (`null`, bad JSON). */
function safeJson(text: string): JSONObject | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isJSONObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
