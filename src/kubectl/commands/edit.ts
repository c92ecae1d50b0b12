/**
 * `kubectl edit (RESOURCE/NAME | -f FILENAME)` (staging/src/k8s.io/kubectl/pkg/cmd/edit/edit.go,
 * pkg/cmd/util/editor/editoptions.go): the objects, fetched fresh, go to a temporary file
 * (`/tmp/kubectl-edit-<n>.yaml` with the header, or `.json` without one for `-o json`; a v1 List
 * for several), the editor (editor.ts: KUBE_EDITOR, EDITOR, vi) changes it, and each changed object
 * is patched: a strategic merge patch for built-in kinds, a JSON merge patch for custom resources,
 * refused when apiVersion, kind or name changed. A file that does not parse, or objects the API
 * server finds invalid, reopen the editor with the reasons in the header; an editor that then
 * changes nothing ends with `Edit cancelled, no valid changes were saved.` and the copy's path.
 */
import { parseAllDocuments } from "yaml";
import { ApiError, qualifiedResource } from "../../api/errors.ts";
import { applyPatch, type PatchType } from "../../api/patch.ts";
import { loadSchema } from "../../api/schema/fields.ts";
import { createTwoWayMergePatch } from "../../api/schema/strategicmerge.ts";
import { deepEqual } from "../../api/validation/pod.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { clone, isJSONObject, type KObject } from "../../api/types.ts";
import type { ResourceType } from "../../api/resources.ts";
import { keyedRandom } from "../../sim/random.ts";
import { FILENAME_FLAGS, KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { editorCommand, EditorError, launchEditor } from "../editor.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";
import { OBJECT_FORMATS, parseOutputFormat, printGeneric, resourceName } from "../printers/index.ts";
import { goYamlReason } from "../manifest.ts";
import { renderError } from "../errors.ts";
import { hasManifestFlags } from "./apply.ts";
import { fetch, selectionsFromArgs, selectionsFromFiles } from "./builder.ts";

export const editCommand: CommandDef = {
  path: ["edit"],
  flags: [
    ...FILENAME_FLAGS,
    { long: "output", short: "o", type: "string" },
    { long: "output-patch", type: "bool" },
    { long: "windows-line-endings", type: "bool" },
    { long: "save-config", type: "bool" },
    { long: "validate", type: "string", default: "strict", noOptDefault: "strict" },
    { long: "field-manager", type: "string", default: "kubectl-edit" },
    { long: "subresource", type: "string" },
    { long: "record", type: "bool" },
    { long: "show-managed-fields", type: "bool" },
    { long: "template", type: "string" },
    { long: "allow-missing-template-keys", type: "bool", default: true },
  ],
  run: runEdit,
};

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

interface Info {
  r: ResourceType;
  obj: KObject;
}

interface Reason {
  head: string;
  other: string[];
}

/** hashOnLineBreak: a `# ` after each line break of a reason. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?!#)/g, "\n# ");
}

function header(reasons: Reason[]): string {
  let h = HEADER;
  for (const r of reasons) {
    h += `# ${hashOnLineBreak(r.head)}${r.other.length ? ":" : ""}\n`;
    for (const o of r.other) h += `# * ${hashOnLineBreak(o)}\n`;
    h += "#\n";
  }
  return h;
}

/** cmdutil.ManualStrip: the file without its comment lines (`#!` kept). */
function manualStrip(text: string): string {
  const lines = text.split("\n");
  const kept: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith("#") && !t.startsWith("#!")) return;
    kept.push(line + (i < lines.length - 1 ? "\n" : ""));
  });
  return kept.join("");
}

/** cmdutil.StripComments: the file as JSON (its first document), else ManualStrip. */
function stripComments(text: string): string {
  try {
    const docs = parseAllDocuments(text);
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (!first || first.errors.length) return manualStrip(text);
    return JSON.stringify(first.toJSON());
  } catch {
    return manualStrip(text);
  }
}

/** hasLines: a line that is neither blank nor a comment. */
function hasLines(text: string): boolean {
  return text.split("\n").some((l) => {
    const t = l.trim();
    return t.length > 0 && t[0] !== "#";
  });
}

/** The edited file's objects (a List flattened), or the syntax error kubectl reports. */
function parseEdited(text: string): KObject[] | string {
  const objs: KObject[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    return `error converting YAML to JSON: ${(e as Error).message.split("\n")[0]}`;
  }
  for (const d of Array.isArray(docs) ? docs : []) {
    if (d.errors.length) {
      const e = d.errors[0]!;
      return `error converting YAML to JSON: yaml: line ${e.linePos?.[0]?.line ?? 1}: ${goYamlReason(e)}`;
    }
    const v: unknown = d.toJSON();
    if (v === null || v === undefined) continue;
    if (!isJSONObject(v)) return `error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go value of type map[string]interface {}`;
    if (typeof v.kind !== "string" || v.kind === "") return `Object 'Kind' is missing in '${JSON.stringify(v)}'`;
    if (v.kind === "List" && Array.isArray(v.items)) {
      for (const item of v.items) if (isJSONObject(item)) objs.push(item as KObject);
    } else objs.push(v as KObject);
  }
  return objs;
}

function withoutManagedFields(obj: KObject): KObject {
  if (!obj.metadata?.managedFields) return obj;
  const c = clone(obj);
  delete c.metadata.managedFields;
  return c;
}

/** The objects named (fresh from the server) and the errors of those missing. */
function originals(inv: Invocation): { infos: Info[]; errors: ApiError[] } {
  if (hasManifestFlags(inv)) {
    const infos: Info[] = [];
    const errors: ApiError[] = [];
    for (const { r, namespace, name } of selectionsFromFiles(inv)) {
      const live = inv.ctx.api.get(r.key, r.namespaced ? namespace : undefined, name);
      if (live) infos.push({ r, obj: convertFromStorage(live, r) });
      else errors.push(new ApiError("NotFound", `${qualifiedResource(r)} ${JSON.stringify(name)} not found`));
    }
    return { infos, errors };
  }
  if (inv.args.length === 0) {
    throw new KubectlError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      1,
      true,
    );
  }
  const found = fetch(inv, selectionsFromArgs(inv, inv.args), { namespace: inv.namespace });
  return { infos: found.items.map((i) => ({ r: i.r, obj: i.obj })), errors: found.errors };
}

/** The patch from the original to the edited object, or the precondition error. */
function makePatch(info: Info, edited: KObject): { patch: Record<string, unknown>; type: PatchType } {
  const a = info.obj as unknown as Record<string, unknown>;
  const b = edited as unknown as Record<string, unknown>;
  const changed = (x: unknown, y: unknown) => !deepEqual(x, y);
  const am = (a.metadata ?? {}) as Record<string, unknown>;
  const bm = (b.metadata ?? {}) as Record<string, unknown>;
  if (changed(a.apiVersion, b.apiVersion) || changed(a.kind, b.kind) || changed(am.name, bm.name) || changed(a.managedFields, b.managedFields)) {
    throw new KubectlError("At least one of apiVersion, kind and name was changed");
  }
  if (info.r.crd) return { patch: jsonMergeDiff(a, b) as Record<string, unknown>, type: "merge" };
  const root = loadSchema().roots[info.obj.kind];
  return { patch: createTwoWayMergePatch(a as never, b as never, root) as Record<string, unknown>, type: "strategic" };
}

/** jsonpatch.CreateMergePatch: RFC 7386 from `a` to `b`. */
function jsonMergeDiff(a: unknown, b: unknown): unknown {
  if (!isJSONObject(a) || !isJSONObject(b)) return b;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const [k, v] of Object.entries(b)) {
    if (!(k in a)) out[k] = v;
    else if (!deepEqual(a[k], v)) out[k] = isJSONObject(a[k]) && isJSONObject(v) ? jsonMergeDiff(a[k], v) : v;
  }
  return out;
}

function runEdit(inv: Invocation): number {
  const f = inv.flags;
  const sub = String(f.subresource ?? "");
  const output = String(f.output ?? "");
  const json = output === "json";
  const format = output && output !== "yaml" && output !== "json" ? parseOutputFormat(output, OBJECT_FORMATS, { files: inv.ctx.files }) : undefined;
  const { infos, errors } = originals(inv);
  // Complete's builder reads the subresource before Validate checks its name (the GET of one the
  // kind does not have is a 404).
  if (sub && infos.some((i) => !i.r.subresources.some((x) => x.name === sub))) throw new ApiError("NotFound", "the server could not find the requested resource");
  if (sub && sub !== "status") throw new KubectlError(`invalid subresource value: ${JSON.stringify(sub)}. Must be one of [status]`);
  for (const e of errors) inv.err(renderError(e));
  if (infos.length === 0) {
    if (errors.length) return 1;
    throw new KubectlError("edit cancelled, no objects found");
  }
  const editor = editorCommand(inv.env ?? {});
  const ext = json ? ".json" : ".yaml";
  const shown = infos.map((i) => withoutManagedFields(i.obj));
  const subject = infos.length === 1 ? shown[0] : { apiVersion: "v1", items: shown, kind: "List", metadata: {} };
  const printed = json ? goJSON(subject, "    ") + "\n" : goYAML(subject);
  const original = (json ? "" : header([])) + printed;
  const key = `kubectl-edit/${infos.map((i) => `${i.obj.metadata.namespace ?? ""}/${i.obj.metadata.name}`).join(",")}`;
  const random = keyedRandom(key);
  let reasons: Reason[] = [];
  let containsError = false;
  let edited = "";
  let file = "";
  let kept = "";
  const preserved = (msg: string): never => {
    if (file) inv.err(`A copy of your changes has been stored to ${JSON.stringify(file)}`);
    throw new KubectlError(msg);
  };
  for (let round = 0; ; round++) {
    if (round >= 50) preserved("the editor kept changing the file without making it valid (the simulation stops after 50 rounds)");
    const buf = (json ? "" : header(reasons)) + (containsError ? manualStrip(edited) : printed);
    const previous = edited;
    file = `/tmp/kubectl-edit-${random.int(4294967296)}${ext}`;
    try {
      const r = launchEditor(inv.ctx.clock, editor, file, buf);
      if (r.stdout) inv.write!(r.stdout);
      if (r.stderr) inv.writeErr!(r.stderr);
      edited = r.edited;
    } catch (e) {
      if (!(e instanceof EditorError)) throw e;
      const out = (e as EditorError & { output?: { stdout: string; stderr: string } }).output;
      if (out?.stdout) inv.write!(out.stdout);
      if (out?.stderr) inv.writeErr!(out.stderr);
      file = kept;
      preserved(e.message);
    }
    if (containsError && stripComments(previous) === stripComments(edited)) preserved("Edit cancelled, no valid changes were saved.");
    kept = file;
    if (stripComments(original) === stripComments(edited) && !containsError) {
      inv.err("Edit cancelled, no changes made.");
      return 0;
    }
    reasons = [];
    if (!hasLines(edited)) {
      // The schema validation (on unless --validate=false) refuses an empty document first: the
      // file reopens as invalid, and an editor that leaves it empty cancels the edit.
      if (!["false", "ignore"].includes(String(f.validate))) {
        const what = `${qualifiedResource(infos[0]!.r)} ${JSON.stringify(infos[0]!.obj.metadata.name)}`;
        inv.err(`error: ${what} is invalid`);
        reasons.push({ head: `${what} was not valid`, other: ['<nil>: Invalid value: "The edited file failed validation": the file holds no object'] });
        containsError = true;
        continue;
      }
      inv.err("Edit cancelled, saved file was empty.");
      return 0;
    }
    const parsed = parseEdited(edited);
    if (typeof parsed === "string") {
      containsError = true;
      if (!["false", "ignore"].includes(String(f.validate))) {
        // The schema validation reads the file first: a syntax error is an invalid object there.
        const what = `${qualifiedResource(infos[0]!.r)} ${JSON.stringify(infos[0]!.obj.metadata.name)}`;
        inv.err(`error: ${what} is invalid`);
        reasons.push({ head: `${what} was not valid`, other: [`<nil>: Invalid value: "The edited file failed validation": ${parsed}`] });
        continue;
      }
      reasons.push({ head: `The edited file had a syntax error: ${parsed}`, other: [] });
      continue;
    }
    containsError = false;
    for (const obj of parsed) {
      const ns = obj.metadata?.namespace;
      const info = infos.find((i) => i.obj.metadata.uid === obj.metadata?.uid);
      if (ns && info?.r.namespaced && ns !== inv.namespace) {
        preserved(`the namespace from the provided object ${JSON.stringify(ns)} does not match the namespace ${JSON.stringify(inv.namespace)}. You must pass '--namespace=${ns}' to perform this operation.`);
      }
    }
    let retryable = 0;
    let notfound = 0;
    let invalid = 0;
    for (const obj of parsed) {
      const info = infos.find((i) => i.obj.metadata.uid === obj.metadata?.uid);
      if (!info) preserved(`no original object found for ${JSON.stringify(obj)}`);
      const origJS = withoutManagedFields(info!.obj);
      if (deepEqual(origJS, { ...obj, metadata: { ...obj.metadata } }) || deepEqual(origJS, obj)) {
        inv.out(`${resourceName(info!.r, info!.obj.metadata.name!)} skipped`);
        continue;
      }
      let patch: { patch: Record<string, unknown>; type: PatchType };
      try {
        patch = makePatch({ r: info!.r, obj: origJS }, obj);
      } catch (e) {
        if (e instanceof KubectlError) preserved(e.message);
        throw e;
      }
      if (f["output-patch"]) inv.out(`Patch: ${goJSON(patch.patch, "", { sortKeys: true })}`);
      const what = `${qualifiedResource(info!.r)} ${JSON.stringify(info!.obj.metadata.name)}`;
      try {
        const live = inv.ctx.api.getOrThrow(info!.r.key, info!.obj.metadata.namespace, info!.obj.metadata.name!);
        const current = convertFromStorage(live, info!.r);
        const next = applyPatch(current, patch.patch, patch.type);
        next.metadata.resourceVersion = current.metadata.resourceVersion;
        const stored = convertFromStorage(inv.ctx.api.update(next, { subresource: sub === "status" ? "status" : "", warnings: serverWarnings(inv), fieldManager: String(f["field-manager"] || "kubectl-edit") }), info!.r);
        if (format && format.kind !== "table") inv.write!(printGeneric(format, [{ r: info!.r, obj: stored }], true, !!f["show-managed-fields"]));
        else if (json || output === "yaml") inv.write!(printGeneric({ kind: json ? "json" : "yaml" } as never, [{ r: info!.r, obj: withoutManagedFields(stored) }], true));
        else inv.out(`${resourceName(info!.r, info!.obj.metadata.name!)} edited`);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason === "Invalid") {
          invalid++;
          reasons.push({ head: `${what} was not valid`, other: (e.details?.causes ?? []).map((c) => `${c.field}: ${c.detail}`) });
          inv.err(`error: ${what} is invalid`);
        } else if (e.reason === "NotFound") {
          notfound++;
          inv.err(`error: ${what} could not be found on the server`);
        } else {
          retryable++;
          inv.err(`error: ${what} could not be patched: ${e.message}`);
        }
      }
    }
    if (retryable > 0) {
      inv.err(`You can run \`kubectl replace -f ${file}\` to try this update again.`);
      return 1;
    }
    if (notfound > 0) {
      inv.err(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}`);
      return 1;
    }
    if (invalid === 0) return errors.length ? 1 : 0;
    containsError = true;
  }
}
