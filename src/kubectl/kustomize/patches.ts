/**
 * Patches (kustomize v5.5.0 api/internal/builtins/{PatchTransformer,PatchStrategicMergeTransformer,
 * PatchJson6902Transformer}.go): a patch is a strategic merge patch (a YAML object naming its
 * target by kind and name, or any resource a `target` selects) or a JSON 6902 patch (a list of
 * operations, in JSON or YAML, on the resources its `target` selects). Strategic merge uses the
 * API server's merge (src/api/schema/strategicmerge.ts, with the API types' merge keys); kinds the
 * API server does not know are merged as JSON merge patches.
 */
import { parseAllDocuments, parse as parseYAML } from "yaml";
import { applyJSONPatch, decodeJSONPatch, JSONPatchError } from "../../api/jsonpatch.ts";
import { mergePatch } from "../../api/patch.ts";
import { resourceForGVK } from "../../api/resources.ts";
import { loadSchema } from "../../api/schema/fields.ts";
import { strategicMergePatch, StrategicPatchError } from "../../api/schema/strategicmerge.ts";
import { isJSONObject, type JSONObject } from "../../api/types.ts";
import { parseSelector } from "../../api/labels.ts";
import { KustomizeError, type Loader } from "./loader.ts";
import { gvkOf, idEquals, idString, Resource, type ResId } from "./resource.ts";

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchArgs {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: Record<string, boolean>;
}

function anchored(re: string | undefined): RegExp | undefined {
  if (!re) return undefined;
  try {
    return new RegExp(`^(?:${re})$`);
  } catch (e) {
    throw new KustomizeError(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** ResMap.Select: resources a patch target names (regular expressions on name and namespace). */
export function select(resources: Resource[], s: Selector): Resource[] {
  const name = anchored(s.name);
  const ns = anchored(s.namespace);
  const labels = s.labelSelector ? parseSelector(s.labelSelector) : undefined;
  const annotations = s.annotationSelector ? parseSelector(s.annotationSelector) : undefined;
  const eff = (id: ResId) => (id.namespace === "" ? "default" : id.namespace);
  return resources.filter((r) => {
    const cur = r.curId();
    const org = r.orgId();
    if (ns && !ns.test(eff(org)) && !ns.test(eff(cur))) return false;
    if (name && !name.test(org.name) && !name.test(cur.name)) return false;
    const g = r.gvk();
    if (s.group && s.group !== g.group) return false;
    if (s.version && s.version !== g.version) return false;
    if (s.kind && s.kind !== g.kind) return false;
    if (labels && !labels.matches(r.labels())) return false;
    if (annotations && !annotations.matches(r.annotations())) return false;
    return true;
  });
}

/** The API schema's root type of an object (`V1Deployment`), or undefined for kinds the API server does not know. */
function schemaType(obj: JSONObject): string | undefined {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const r = resourceForGVK(apiVersion, String(obj.kind ?? ""));
  if (!r || r.crd) return undefined;
  return loadSchema().roots[r.kind];
}

/** Applies one strategic merge patch to a resource; returns false when the patch deletes it (`$patch: delete`). */
function applySm(target: Resource, patch: JSONObject): boolean {
  if (patch.$patch === "delete") return false;
  const p = structuredClone(patch);
  // kustomize keeps the target's identity unless the patch is allowed to change it.
  const md = isJSONObject(p.metadata) ? p.metadata : undefined;
  if (md) {
    delete md.name;
    delete md.namespace;
  }
  delete p.apiVersion;
  delete p.kind;
  const type = schemaType(target.obj);
  try {
    target.obj = type ? strategicMergePatch(target.obj, p, type) : (mergePatch(target.obj, p) as JSONObject);
  } catch (e) {
    if (e instanceof StrategicPatchError) throw new KustomizeError(e.message);
    throw e;
  }
  return true;
}

function smPatchesFrom(text: string, source: string): JSONObject[] | undefined {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: JSONObject[] = [];
  for (const d of list) {
    if (d.errors.length) return undefined;
    const v: unknown = d.toJS();
    if (v === null || v === undefined) continue;
    if (!isJSONObject(v)) return undefined;
    out.push(v);
  }
  void source;
  return out;
}

function jsonPatchFrom(text: string): Record<string, unknown>[] | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  try {
    const v: unknown = t.startsWith("[") ? JSON.parse(t) : parseYAML(t);
    if (!Array.isArray(v)) return undefined;
    return decodeJSONPatch(v);
  } catch {
    return undefined;
  }
}

/** The strategic merge patch's target: the resource any of whose ids is the patch's id (GetById). */
function targetById(resources: Resource[], patch: JSONObject): Resource {
  const md = isJSONObject(patch.metadata) ? patch.metadata : {};
  const id: ResId = { gvk: gvkOf(patch), name: typeof md.name === "string" ? md.name : "", namespace: typeof md.namespace === "string" ? md.namespace : "" };
  const matches = resources.filter((r) => r.anyIds().some((x) => idEquals(x, id)));
  if (matches.length === 1) return matches[0];
  const why = matches.length > 1 ? `multiple matches for Id ${idString(id)}` : `no matches for Id ${idString(id)}`;
  throw new KustomizeError(`no resource matches strategic merge patch ${JSON.stringify(idString(id))}: ${why}; failed to find unique target for patch ${idString(id)}`);
}

function applyJson(r: Resource, ops: Record<string, unknown>[]): void {
  try {
    r.obj = applyJSONPatch(r.obj, ops) as JSONObject;
  } catch (e) {
    if (e instanceof JSONPatchError) throw new KustomizeError(e.message);
    throw e;
  }
}

/** One `patches` entry (PatchTransformer): strategic merge or JSON 6902, by file or inline. */
export function applyPatch(resources: Resource[], ldr: Loader, args: PatchArgs): Resource[] {
  const inline = (args.patch ?? "").trim();
  if (!inline && !args.path) throw new KustomizeError(`must specify one of patch and path in\n${JSON.stringify(args)}`);
  if (inline && args.path) throw new KustomizeError(`patch and path can't be set at the same time\n${JSON.stringify(args)}`);
  const text = inline || ldr.load(args.path!).toString("utf8");
  const source = inline ? `[patch: ${JSON.stringify(inline)}]` : `[path: ${JSON.stringify(args.path)}]`;
  const sm = smPatchesFrom(text, source);
  const json = jsonPatchFrom(text);
  if (sm && sm.length && json) throw new KustomizeError(`illegally qualifies as both an SM and JSON patch: ${source}`);
  if (json) {
    if (!args.target) throw new KustomizeError(`must specify a target for JSON patch ${source}`);
    for (const r of select(resources, args.target)) {
      r.storePreviousId();
      applyJson(r, json);
    }
    return resources;
  }
  if (!sm) throw new KustomizeError(`unable to parse SM or JSON patch from ${source}`);
  let out = resources;
  if (args.target) {
    if (sm.length > 1) throw new KustomizeError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${source}`);
    for (const r of select(out, args.target)) if (!applySm(r, sm[0])) out = out.filter((x) => x !== r);
    return out;
  }
  for (const p of sm) {
    const r = targetById(out, p);
    if (!applySm(r, p)) out = out.filter((x) => x !== r);
  }
  return out;
}

/** The deprecated `patchesStrategicMerge`: each entry a file or an inline patch. */
export function applyPatchesStrategicMerge(resources: Resource[], ldr: Loader, entries: string[]): Resource[] {
  let out = resources;
  for (const e of entries) {
    const inlineLooking = e.includes("\n") || /^\s*(apiVersion|kind|metadata)\s*:/.test(e);
    const text = inlineLooking ? e : ldr.load(e).toString("utf8");
    const sm = smPatchesFrom(text, e);
    if (!sm) throw new KustomizeError(`unable to parse SM patch from ${e}`);
    for (const p of sm) {
      const r = targetById(out, p);
      if (!applySm(r, p)) out = out.filter((x) => x !== r);
    }
  }
  return out;
}

/** The deprecated `patchesJson6902`: a target and a JSON or YAML list of operations. */
export function applyPatchJson6902(resources: Resource[], ldr: Loader, args: PatchArgs): void {
  if (!args.target) throw new KustomizeError(`must specify a target for patch ${args.patch ?? ""}`);
  const text = args.patch?.trim() ? args.patch : args.path ? ldr.load(args.path).toString("utf8") : "";
  const ops = jsonPatchFrom(text);
  if (!ops) throw new KustomizeError(`unable to parse JSON patch ${args.path ?? args.patch ?? ""}`);
  for (const r of select(resources, args.target)) applyJson(r, ops);
}

export { Resource };
