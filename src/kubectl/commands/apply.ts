/**
 * `kubectl apply -f` and `kubectl create -f`.
 *
 * Deliberate difference from kubectl: a manifest is applied all-or-nothing. Every document is
 * first checked by the simulated API server (a server-side dry run: decoding, defaults, validation,
 * conflicts); only when all pass are they written. kubectl itself writes the documents that pass
 * and reports the others, which leaves a half-applied manifest behind.
 */
import { isUrl, readUrl } from "../examples.ts";
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf, groupResource, type ResourceType } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { ApiServer } from "../../api/store.ts";
import { strategicThreeWayMerge } from "../../api/schema/strategicmerge.ts";
import { serverSideApply } from "../../api/fieldmanager.ts";
import { isJSONObject, type JSONObject, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { renderError } from "../errors.ts";
import { checkTypeMeta, manifestNamespace, parseManifests, type ManifestDoc } from "../manifest.ts";
import { kustomizeDocs } from "./kustomize.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const COMMON = [
  ...FILENAME_FLAGS,
  { long: "dry-run", type: "string" as const, default: "none" },
  { long: "validate", type: "string" as const, default: "strict" },
  { long: "output", short: "o", type: "string" as const },
  { long: "field-manager", type: "string" as const },
  { long: "save-config", type: "bool" as const },
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

/** `verb` names the command in "no objects passed to <verb>" (apply and create share their flags). */
export function readManifestDocs(inv: Invocation, verb?: string): ManifestDoc[] {
  const files: string[] = inv.flags.filename;
  const kdir = String(inv.flags.kustomize ?? "");
  // FilenameOptions.validate, then RequireFilenameOrKustomize.
  const invalid: string[] = [];
  if (files.length > 0 && kdir) invalid.push("only one of -f or -k can be specified");
  if (kdir && inv.flags.recursive) invalid.push("the -k flag can't be used with -f or -R");
  if (invalid.length) throw new KubectlError(invalid.length === 1 ? invalid[0] : `[${invalid.join(", ")}]`);
  if (kdir) return kustomizeDocs(inv, kdir);
  if (files.length === 0) {
    throw new KubectlError("error: must specify one of -f and -k\n", 1, true);
  }
  const docs: ManifestDoc[] = [];
  for (const f of files) {
    let text: string;
    if (f === "-") text = inv.ctx.stdin ?? "";
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
    docs.push(...parseManifests(text, f === "-" ? "STDIN" : f));
  }
  if (docs.length === 0) throw new KubectlError("no objects passed to " + (verb ?? (inv.flags["save-config"] !== undefined ? "apply" : "create")));
  return docs;
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

interface Planned {
  doc: ManifestDoc;
  r: ResourceType;
  obj: KObject;
  live?: KObject;
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

/**
 * `kubectl apply --server-side`: each document sent as an apply patch (fieldManager `kubectl`
 * unless --field-manager; --force-conflicts takes fields from other managers), the object's fields
 * tracked in managedFields by the API server's field manager (src/api/fieldmanager.ts), no
 * last-applied annotation; `<type>/<name> serverside-applied`. As client-side apply here, every
 * document is dry-run first and nothing is written unless all pass (docs/divergences.md).
 */
/** The --validate flag as the API server's fieldValidation. */
export function fieldValidationOf(inv: Invocation): "Strict" | "Warn" | "Ignore" {
  const validate = String(inv.flags.validate);
  return validate === "false" || validate === "ignore" ? "Ignore" : validate === "warn" ? "Warn" : "Strict";
}

function runServerSideApply(inv: Invocation): number {
  const f = inv.flags;
  const dry = String(f["dry-run"]);
  if (dry === "client") throw new KubectlError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  const docs = readManifestDocs(inv, "apply");
  const fieldValidation = fieldValidationOf(inv);
  const manager = f["field-manager"] ? String(f["field-manager"]) : "kubectl";
  const force = !!f["force-conflicts"];
  const { api, clock } = inv.ctx;
  const errors: string[] = [];
  const apply = (doc: ManifestDoc, dryRun: boolean, warnings?: string[]): { r: ResourceType; obj: KObject } => {
    const { r, obj: config } = mapManifestDoc(inv, doc, "unknown kind");
    config.apiVersion = apiVersionOf(r);
    const name = String(config.metadata.name ?? "");
    const stored = name ? api.get(r.key, config.metadata.namespace, name) : undefined;
    const live = stored && convertFromStorage(stored, r);
    const obj = serverSideApply(live, config, manager, force, clock.nowRFC3339());
    if (!live) return { r, obj: api.create(obj, { dryRun, fieldValidation, warnings }) };
    obj.metadata.resourceVersion = live.metadata.resourceVersion;
    return { r, obj: api.update(obj, { dryRun, fieldValidation, warnings }) };
  };
  const failure = (e: unknown): string => {
    if (e instanceof ApiError && e.reason === "Conflict" && e.message.startsWith("Apply failed with")) return `error: ${e.message}\n${SSA_CONFLICT_HELP}`;
    if (e instanceof ApiError) return renderError(e);
    if (e instanceof KubectlError) return e.raw ? e.message.replace(/\n$/, "") : `error: ${e.message}`;
    throw e;
  };
  for (const doc of docs) {
    try {
      apply(doc, true);
    } catch (e) {
      errors.push(failure(e));
    }
  }
  if (errors.length > 0) {
    for (const e of errors) inv.err(e);
    return 1;
  }
  for (const doc of docs) {
    try {
      const { r, obj } = apply(doc, dry === "server", serverWarnings(inv));
      inv.out(`${objectRef(r, String(obj.metadata.name))} serverside-applied${dry === "server" ? " (server dry run)" : ""}`);
    } catch (e) {
      errors.push(failure(e));
    }
  }
  for (const e of errors) inv.err(e);
  return errors.length ? 1 : 0;
}

function runManifests(inv: Invocation, verb: "apply" | "create"): number {
  if (verb === "apply" && inv.flags["server-side"]) return runServerSideApply(inv);
  if (verb === "apply" && inv.flags["force-conflicts"]) throw new KubectlError("--force-conflicts only works with --server-side");
  const docs = readManifestDocs(inv, verb);
  const fieldValidation = fieldValidationOf(inv);
  const { api } = inv.ctx;
  const errors: string[] = [];
  const planned: Planned[] = [];
  const newNamespaces = new Set<string>();

  // Pass 1: resolve, decode and dry-run every document.
  for (const doc of docs) {
    try {
      const { r, obj } = mapManifestDoc(inv, doc, "unknown kind");
      if (r.kind === "Namespace" && obj.metadata.name) newNamespaces.add(String(obj.metadata.name));
      const stored = obj.metadata.name ? api.get(r.key, obj.metadata.namespace, String(obj.metadata.name)) : undefined;
      // kubectl reads the live object in the version it applies.
      const live = stored && convertFromStorage(stored, r);
      if (verb === "apply") annotateLastApplied(obj, r);
      const p: Planned = { doc, r, obj, live };
      // Pass 1 is the simulation's own check (docs/divergences.md); only --dry-run=server is a request kubectl makes.
      const mode = String(inv.flags["dry-run"]);
      if (verb === "apply" && mode === "server") warnMissingLastApplied(inv, p);
      try {
        dryRun(api, p, verb, fieldValidation, newNamespaces, mode === "server" ? serverWarnings(inv) : undefined);
      } catch (e) {
        // kubectl warns of the missing annotation before it sends the patch that fails.
        const warning = verb === "apply" && mode !== "server" && mode !== "client" ? missingLastAppliedWarning(p) : undefined;
        if (warning) errors.push(warning);
        throw e;
      }
      planned.push(p);
    } catch (e) {
      errors.push(describeFailure(e, verb, doc, existsNow(api, doc, inv.namespace)));
    }
  }
  if (errors.length > 0) {
    for (const e of errors) inv.err(e);
    return 1;
  }
  if (String(inv.flags["dry-run"]) === "client" || String(inv.flags["dry-run"]) === "server") {
    const suffix = String(inv.flags["dry-run"]) === "server" ? " (server dry run)" : " (dry run)";
    for (const p of planned) inv.out(`${objectRef(p.r, p.obj.metadata.name!)} ${p.live ? "configured" : "created"}${suffix}`);
    return 0;
  }

  // Pass 2: write. What the dry run of each document alone cannot see may still fail here (the
  // documents together exceeding a ResourceQuota): that document fails as kubectl reports it,
  // the others are written, as kubectl does.
  for (const p of planned) {
    const name = p.obj.metadata.name ?? "";
    try {
      if (!p.live || verb === "create") {
        const created = api.create(p.obj, { fieldValidation, warnings: serverWarnings(inv) });
        inv.out(`${objectRef(p.r, created.metadata.name!)} created`);
        continue;
      }
      warnMissingLastApplied(inv, p);
      const before = api.get(p.r.key, p.live.metadata.namespace, name);
      const merged = threeWayMerge(p.live, p.obj, schemaKey(p.r));
      // kubectl sends no request for an empty patch (`unchanged`), so such an object draws no warnings.
      const warnings: string[] = [];
      const after = api.update(merged, { fieldValidation, warnings });
      if (after !== before) serverWarnings(inv).push(...warnings);
      inv.out(`${objectRef(p.r, name)} ${after === before ? "unchanged" : "configured"}`);
    } catch (e) {
      errors.push(describeFailure(e, verb, p.doc, !!p.live));
    }
  }
  for (const e of errors) inv.err(e);
  return errors.length ? 1 : 0;
}

/**
 * apply.go applyOneObject: an object that exists without the last-applied annotation (made by
 * `kubectl create`, a controller, or the API server's bootstrap) is patched all the same, after this
 * warning on stderr (warningNoLastAppliedConfigAnnotation; not under --dry-run=client).
 */
function warnMissingLastApplied(inv: Invocation, p: Planned): void {
  const warning = missingLastAppliedWarning(p);
  if (warning) inv.err(warning);
}

function missingLastAppliedWarning(p: Planned): string | undefined {
  if (!p.live || p.live.metadata.annotations?.[LAST_APPLIED] !== undefined) return undefined;
  return (
    `Warning: resource ${p.r.plural}/${p.live.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. ` +
    "kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically."
  );
}

function dryRun(api: ApiServer, p: Planned, verb: "apply" | "create", fieldValidation: "Strict" | "Warn" | "Ignore", newNamespaces: Set<string>, warnings?: string[]): void {
  if (p.live && verb === "create") {
    throw new ApiError("AlreadyExists", `${groupResource(p.r)} ${JSON.stringify(p.obj.metadata.name)} already exists`);
  }
  if (p.live) api.update(threeWayMerge(p.live, p.obj, schemaKey(p.r)), { dryRun: true, fieldValidation, warnings });
  else api.create(p.obj, { dryRun: true, fieldValidation, assumeNamespaces: newNamespaces, warnings });
}

/** The key of a resource's type in the API schema (fields.json); custom resources have none (JSON merge). */
export function schemaKey(r: ResourceType): string {
  if (r.crd) return "";
  return apiVersionOf(r) === r.storageVersion ? r.kind : `${apiVersionOf(r)}/${r.kind}`;
}

function existsNow(api: ApiServer, doc: ManifestDoc, namespace: string): boolean {
  const r = api.registry.forGVK(String(doc.obj?.apiVersion ?? ""), String(doc.obj?.kind));
  if (!r || !doc.obj?.metadata?.name) return false;
  return !!api.get(r.key, manifestNamespace(doc.obj) ?? namespace, String(doc.obj.metadata.name));
}

function describeFailure(e: unknown, verb: "apply" | "create", doc: ManifestDoc, existed: boolean): string {
  if (e instanceof ApiError) {
    if (e.reason === "Invalid" && e.details) return renderError(e);
    const action = verb === "create" || !existed ? "creating" : "patching";
    return renderError(new ApiError(e.reason, `error when ${action} ${JSON.stringify(doc.source)}: ${e.message}`));
  }
  if (e instanceof KubectlError) return e.raw ? e.message.replace(/\n$/, "") : `error: ${e.message}`;
  throw e;
}

/** kubectl apply stores what was applied, as compact JSON with sorted keys, in an annotation. */
export function annotateLastApplied(obj: KObject, r: ResourceType): void {
  const applied = structuredClone(obj);
  applied.apiVersion = apiVersionOf(r);
  applied.metadata.annotations = { ...(applied.metadata.annotations ?? {}) };
  delete applied.metadata.annotations[LAST_APPLIED];
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(sortDeep(applied)) + "\n" };
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort()) out[k] = sortDeep(src[k]);
    return out;
  }
  return v;
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
