/**
 * `kubectl patch (-f FILENAME | TYPE NAME) (-p PATCH | --patch-file FILE) [--type
 * strategic|merge|json]` (staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go): the patch (YAML or
 * JSON; yaml.ToJSON passes text starting with `{` through as it is) goes to the API server's patch
 * logic (src/api/patch.ts: the project's one strategic-merge implementation, JSON merge patch and
 * JSON patch, with the server's errors); `--dry-run=client` and `--local` apply it on the client
 * as getPatchedJSON does, with the client libraries' errors. Prints `<kind>/<name> patched`, or
 * `patched (no change)` when the object came back equal to what was read (reflect.DeepEqual).
 */
import { parse as parseYAML, YAMLError } from "yaml";
import { ApiError } from "../../api/errors.ts";
import { applyJSONPatch, JSONPatchError } from "../../api/jsonpatch.ts";
import { checkValid } from "../../api/jsonscanner.ts";
import { applyPatch, checkPatchType, dropUnknownFields, mergePatch, parsePatch, type PatchType } from "../../api/patch.ts";
import { scaleOf, withScale } from "../../api/scale.ts";
import { loadSchema } from "../../api/schema/fields.ts";
import { strategicMergePatch, StrategicPatchError } from "../../api/schema/strategicmerge.ts";
import { deepEqual } from "../../api/validation/pod.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { clone, isJSONObject, type KObject } from "../../api/types.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { hasManifestFlags, readManifestDocs } from "./apply.ts";
import { goYamlReason } from "../manifest.ts";
import { renderError } from "../errors.ts";
import { apiErrorText, fetch, selectionsFromArgs, selectionsFromFiles } from "./builder.ts";
import { dryRunStrategy } from "./create/generator.ts";
import type { ResourceType } from "../../api/resources.ts";

const PATCH_TYPES = ["json", "merge", "strategic"];

export const patchCommand: CommandDef = {
  path: ["patch"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "patch", short: "p", type: "string" },
    { long: "patch-file", type: "string" },
    { long: "type", type: "string", default: "strategic" },
    { long: "local", type: "bool" },
    { long: "subresource", type: "string" },
    { long: "output", short: "o", type: "string" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
    { long: "show-managed-fields", type: "bool" },
    { long: "dry-run", type: "string", default: "none", noOptDefault: "unchanged" },
    { long: "field-manager", type: "string", default: "kubectl-patch" },
    { long: "record", type: "bool" },
  ],
  run: runPatch,
};

/**
 * The patch as the JSON text kubectl sends: util/yaml.ToJSON passes a text starting with `{` as
 * it is (the server then judges it) and converts anything else from YAML.
 */
function patchText(inv: Invocation): string {
  const f = inv.flags;
  let text: string;
  if (f["patch-file"]) {
    const path = String(f["patch-file"]);
    try {
      text = inv.ctx.files.read(path).toString("utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new KubectlError(`unable to read patch file: open ${path}: ${code === "EISDIR" ? "is a directory" : "no such file or directory"}`);
    }
  } else text = String(f.patch);
  if (text.trimStart().startsWith("{")) return text;
  try {
    return JSON.stringify(parseYAML(text) ?? null);
  } catch (e) {
    // The message names the -p text (o.Patch), empty for a patch file, as kubectl's does.
    // go-yaml's wording where the yaml package's error has an equivalent (docs/divergences.md).
    const line = e instanceof YAMLError ? (e.linePos?.[0]?.line ?? 1) : 1;
    const reason = e instanceof YAMLError ? goYamlReason(e) : (e as Error).message.split("\n")[0]!;
    throw new KubectlError(`unable to parse ${JSON.stringify(String(f.patch ?? ""))}: yaml: line ${line}: ${reason}`);
  }
}

interface Target {
  r: ResourceType;
  obj: KObject;
}

/** The builder's visit: the objects named (or read with --local), and the errors of those missing. */
function targets(inv: Invocation): { items: Target[]; errors: ApiError[] } {
  if (inv.flags.local) {
    const items = readManifestDocs(inv).map((doc) => {
      const r = inv.ctx.api.registry.forGVK(String(doc.obj?.apiVersion ?? ""), String(doc.obj?.kind ?? ""));
      if (!r) throw new KubectlError(`unable to recognize ${JSON.stringify(doc.source)}: no matches for kind ${JSON.stringify(doc.obj?.kind)} in version ${JSON.stringify(doc.obj?.apiVersion)}`);
      return { r, obj: doc.obj as KObject };
    });
    return { items, errors: [] };
  }
  if (hasManifestFlags(inv)) {
    const items: Target[] = [];
    const errors: ApiError[] = [];
    for (const { r, namespace, name } of selectionsFromFiles(inv)) {
      const live = inv.ctx.api.get(r.key, r.namespaced ? namespace : undefined, name);
      if (live) items.push({ r, obj: convertFromStorage(live, r) });
      else errors.push(new ApiError("NotFound", `${r.plural}${r.group ? `.${r.group}` : ""} ${JSON.stringify(name)} not found`));
    }
    return { items, errors };
  }
  if (inv.args.length === 0) {
    throw new KubectlError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      1,
      true,
    );
  }
  const selections = selectionsFromArgs(inv, inv.args);
  if (selections.some((s) => !s.names)) throw new KubectlError("resource(s) were provided, but no name was specified");
  const found = fetch(inv, selections, { namespace: inv.namespace });
  const items: Target[] = [];
  const errors = found.errors;
  for (const i of found.items) {
    try {
      items.push({ r: i.r, obj: subresourceOf(inv, i.r, i.obj) });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errors.push(e);
    }
  }
  return { items, errors };
}

/** schema.GroupVersionKind's String(): `stable.example.com/v1, Kind=CronTab`. */
const gvkString = (r: ResourceType) => `${r.group ? `${r.group}/` : ""}${r.version}, Kind=${r.kind}`;

/**
 * What the builder reads with --subresource (a GET of the subresource): the object for status,
 * its Scale for scale; a subresource that cannot be read fails as the API server answers.
 */
function subresourceOf(inv: Invocation, r: ResourceType, obj: KObject): KObject {
  const sub = String(inv.flags.subresource ?? "");
  if (!sub) return obj;
  if (!r.subresources.some((x) => x.name === sub)) throw new ApiError("NotFound", "the server could not find the requested resource");
  if (sub === "scale") return scaleOf(obj);
  if (sub !== "status") throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  return obj;
}

/** getPatchedJSON: the patch applied on the client (--local, --dry-run=client), with the client libraries' errors. */
function patchLocally(t: Target, text: string, type: PatchType): KObject {
  const syntax = checkValid(text);
  if (type === "json") {
    if (syntax) throw new KubectlError(syntax);
    const ops: unknown = JSON.parse(text);
    if (!Array.isArray(ops)) throw new KubectlError(`json: cannot unmarshal ${ops === null ? "null" : typeof ops === "object" ? "object" : typeof ops} into Go value of type jsonpatch.Patch`);
    try {
      return applyJSONPatch(clone(t.obj), ops.map((o) => (o && typeof o === "object" && !Array.isArray(o) ? o : {})) as Record<string, unknown>[]) as KObject;
    } catch (e) {
      if (!(e instanceof JSONPatchError)) throw e;
      // "TODO: This is pretty hacky": kubectl rewrites the library's missing-key error.
      const at = e.message.indexOf("doc is missing key");
      if (at >= 0) throw new KubectlError(`Object to be patched is missing field (${e.message.slice(e.message.indexOf("key:") + 5)})`);
      throw new KubectlError(e.message);
    }
  }
  if (syntax) throw new KubectlError(type === "merge" ? "Invalid JSON Patch" : "invalid JSON document");
  const patch: unknown = JSON.parse(text);
  if (!isJSONObject(patch)) throw new KubectlError(type === "merge" ? "Invalid JSON Patch" : "invalid JSON document");
  if (type === "merge") return mergePatch(clone(t.obj), patch) as KObject;
  const root = t.r.crd ? undefined : loadSchema().roots[t.obj.kind];
  if (!root) throw new KubectlError(`strategic merge patch is not supported for ${gvkString(t.r)} locally, try --type merge`);
  try {
    return strategicMergePatch(clone(t.obj), patch, root) as KObject;
  } catch (e) {
    if (e instanceof StrategicPatchError) throw new KubectlError(e.message);
    throw e;
  }
}

/** The PATCH request: the server decodes and applies the patch, then updates the object. */
function patchOnServer(inv: Invocation, t: Target, text: string, type: PatchType, dryRun: boolean): KObject {
  try {
    checkPatchType(t.r, type);
  } catch (e) {
    // The client names the content type and the kind the server refused it for.
    if (e instanceof ApiError) throw new KubectlError(`application/strategic-merge-patch+json is not supported by ${gvkString(t.r)}: ${e.message}`);
    throw e;
  }
  const sub = String(inv.flags.subresource ?? "");
  const manager = String(inv.flags["field-manager"] || "kubectl-patch");
  if (sub === "scale") {
    // PATCH .../scale: the patch applies to the object's autoscaling/v1 Scale, which comes back.
    const current = inv.ctx.api.getOrThrow(t.r.key, t.obj.metadata.namespace, t.obj.metadata.name!);
    const scale = applyPatch(t.obj, parsePatch(text, type), type);
    return scaleOf(inv.ctx.api.update(withScale(current, scale), { dryRun, fieldManager: manager, fieldManagerSubresource: "scale" }));
  }
  const seen: { patchMap?: Record<string, unknown> } = {};
  const patched = applyPatch(t.obj, parsePatch(text, type), type, seen);
  // kubectl patch sends no fieldValidation: the server's default, Warn (unknown fields are dropped
  // and reported as warnings, as the facade's handler does).
  if (!sub && !t.r.crd) serverWarnings(inv).push(...dropUnknownFields(patched, t.r, "Warn", seen.patchMap));
  patched.metadata.resourceVersion = t.obj.metadata.resourceVersion;
  const stored = inv.ctx.api.update(patched, { dryRun, subresource: sub === "status" ? "status" : "", warnings: serverWarnings(inv), fieldManager: manager });
  return convertFromStorage(stored, t.r);
}

function runPatch(inv: Invocation): number {
  const f = inv.flags;
  const dryRun = dryRunStrategy(inv);
  if (f.patch && f["patch-file"]) throw new KubectlError("cannot specify --patch and --patch-file together");
  if (!f.patch && !f["patch-file"]) throw new KubectlError("must specify --patch or --patch-file containing the contents of the patch");
  if (f.local && inv.args.length) throw new KubectlError("cannot specify --local and server resources");
  if (f.local && dryRun === "server") throw new KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
  const type = String(f.type).toLowerCase();
  if (f.type && !PATCH_TYPES.includes(type)) throw new KubectlError(`--type must be one of [${PATCH_TYPES.join(" ")}], not ${JSON.stringify(String(f.type))}`);
  const format = f.output ? parseOutputFormat(String(f.output), OBJECT_FORMATS, { files: inv.ctx.files, template: inv.flags.template ? String(inv.flags.template) : undefined }) : undefined;
  const text = patchText(inv);
  const { items, errors } = targets(inv);
  const failures: string[] = errors.map(apiErrorText);
  for (const t of items) {
    let result: KObject;
    try {
      result = f.local || dryRun === "client" ? patchLocally(t, text, (type || "strategic") as PatchType) : patchOnServer(inv, t, text, (type || "strategic") as PatchType, dryRun === "server");
    } catch (e) {
      // ContinueOnError: each object's failure is reported, the others are still patched.
      if (e instanceof ApiError) failures.push(renderError(e));
      else if (e instanceof KubectlError) failures.push(e.raw ? e.message : `error: ${e.message}`);
      else throw e;
      continue;
    }
    if (format && format.kind !== "table") {
      inv.write!(printGeneric(format, [{ r: t.r, obj: result }], true));
      continue;
    }
    // The name printer names the object the server returned: a Scale for --subresource=scale.
    const name = result.kind === "Scale" ? `scale.autoscaling/${result.metadata.name}` : resourceName(t.r, t.obj.metadata.name!);
    inv.out(`${name} ${deepEqual(t.obj, result) ? "patched (no change)" : "patched"}`);
  }
  if (items.length === 0 && errors.length === 0) throw new KubectlError("no objects passed to patch");
  for (const e of failures) inv.err(e);
  return failures.length ? 1 : 0;
}
