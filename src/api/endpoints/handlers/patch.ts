/**
 * PATCH of an object or its status (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * JSON patch, JSON merge patch, strategic merge patch, and server-side apply (apply-patch+yaml).
 */
import { parse as parseYAML } from "yaml";
import { ApiError } from "../../errors.ts";
import { convertFromStorage } from "../../conversion/index.ts";
import { applyStatus, serverSideApply } from "../../fieldmanager.ts";
import { applyPatch, checkPatchType, dropUnknownFields, parsePatch } from "../../patch.ts";
import { queryBool } from "../../options.ts";
import { apiVersionOf, type ResourceType } from "../../resources.ts";
import { findDuplicateFields, jsonKind } from "../../jsonscanner.ts";
import type { KObject } from "../../types.ts";
import type { Subresource } from "../../store.ts";
import { MAX_BODY_DEPTH, tooDeep, valueDepth } from "../../depth.ts";
import { checkNamespaceAndName, decodePatched, decodeSubresourceObject, fieldValidation, headerOf, isDryRun, patchType, shiftFor, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function patchResource(s: RequestScope, name: string, subresource: Subresource): Result {
  const { r, ns, cluster } = s;
  const contentType = headerOf(s, "content-type");
  if (contentType.startsWith("application/apply-patch")) return applyServerSide(s, name, subresource);
  const type = patchType(contentType);
  checkPatchType(r, type);
  const current = convertFromStorage(cluster.api.getOrThrow(r.key, ns, name), r);
  // The patch applies to the object as the client sees it (times included), then back to simulated instants.
  // The patched object is decoded into the path's type (a patch cannot turn it into another kind),
  // and must keep its namespace and name (applyPatch's checkName).
  const seen: { patchMap?: Record<string, unknown> } = {};
  const applied = decodePatched(s, applyPatch(shiftFor(s, current, s.delta), parsePatch(s.body, type), type, seen), type === "strategic");
  // A strategic or merge patch's body is decoded strictly into a map first: its duplicate keys are strict errors too.
  const duplicates = type === "json" ? [] : findDuplicateFields(s.body).duplicates.map((d) => d.path);
  if (subresource === "" && !r.crd) s.warnings.push(...dropUnknownFields(applied, r, fieldValidation(s.query), seen.patchMap, duplicates));
  const patched = shiftFor(s, applied, -s.delta);
  // A JSON patch can add below what is already deep: the result is held to the bodies' limit (depth.ts).
  if (type === "json" && valueDepth(patched) > MAX_BODY_DEPTH) throw tooDeep("the patched object");
  checkNamespaceAndName(s, patched, name);
  // A resourceVersion the patch itself sets is a precondition, as in the real API server (the
  // patched object goes to the registry's Update, which answers Conflict when it is not the stored
  // one: `kubectl annotate --resource-version`, `kubectl patch -p '{"metadata":{"resourceVersion":…}}'`);
  // a patch that leaves it alone, or removes it, updates whatever version is stored.
  if (!patched.metadata.resourceVersion) patched.metadata.resourceVersion = current.metadata.resourceVersion;
  if (subresource !== "status" && subresource !== "approval") trackUpdate(s, current, patched, subresource || undefined);
  if (subresource !== "") decodeSubresourceObject(s, patched, fieldValidation(s.query));
  const updated = cluster.api.update(patched, { subresource, dryRun: isDryRun(s, "PatchOptions"), fieldValidation: fieldValidation(s.query), warnings: s.warnings });
  return { code: 200, body: convertFromStorage(updated, r) };
}

/**
 * An apply configuration (`application/apply-patch+yaml`) as the apply REST decodes it: YAML of an
 * object whose apiVersion and kind are the resource's, whose metadata is an object that says
 * nothing of managedFields (structuredMergeManager.Apply), and whose name, when it has one, is the
 * URL's. Returns it with metadata present (its name set by the caller).
 */
export function decodeApplyConfiguration(body: string, r: ResourceType, name: string): KObject {
  let config: KObject;
  try {
    config = parseYAML(body) as KObject;
  } catch (e) {
    throw new ApiError("BadRequest", `error decoding YAML: ${(e as Error).message}`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new ApiError("BadRequest", "error decoding YAML: the apply configuration is not an object");
  if (config.kind !== r.kind || config.apiVersion !== apiVersionOf(r)) {
    throw new ApiError("BadRequest", `the apply configuration's apiVersion and kind (${config.apiVersion}, ${config.kind}) do not match the resource (${apiVersionOf(r)}, ${r.kind})`);
  }
  if (config.metadata && typeof config.metadata === "object" && (config.metadata as { managedFields?: unknown }).managedFields != null) throw new ApiError("BadRequest", "metadata.managedFields must be nil");
  const meta = config.metadata as unknown;
  if (meta !== undefined && meta !== null && (typeof meta !== "object" || Array.isArray(meta))) {
    throw new ApiError("BadRequest", `${r.kind} in version ${JSON.stringify(r.version)} cannot be handled as a ${r.kind}: json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${r.kind}.metadata of type v1.ObjectMeta`);
  }
  config.metadata = config.metadata ?? {};
  if (config.metadata.name && config.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  return config;
}

/**
 * PATCH with application/apply-patch+yaml: server-side apply (creates the object when missing).
 * An apply to a subresource (`kubectl apply --server-side --subresource=status`) writes that
 * subresource only, and needs the object (the status REST's Update does not create).
 */
function applyServerSide(s: RequestScope, name: string, subresource: Subresource): Result {
  const { r, ns, query: q, cluster } = s;
  const manager = q.get("fieldManager");
  if (!manager) throw new ApiError("BadRequest", "PATCH /" + r.plural + ": fieldManager is required for apply requests");
  let config = decodeApplyConfiguration(s.body, r, name);
  config = shiftFor(s, config, -s.delta);
  config.metadata = config.metadata ?? {};
  config.metadata.name = name;
  if (ns) config.metadata.namespace = ns;
  const stored = cluster.api.get(r.key, ns, name);
  const live = stored && convertFromStorage(stored, r);
  const force = queryBool(q, "force");
  const obj = subresource === "status" && live ? applyStatus(live, config) : serverSideApply(live, config, manager, force, cluster.clock.nowRFC3339());
  const opts = { dryRun: isDryRun(s, "PatchOptions"), fieldValidation: fieldValidation(q, "Strict"), warnings: s.warnings, subresource };
  if (subresource !== "") {
    if (!live) cluster.api.getOrThrow(r.key, ns, name);
    decodeSubresourceObject(s, obj, opts.fieldValidation);
  }
  if (!live) return { code: 201, body: convertFromStorage(cluster.api.create(obj, opts), r) };
  obj.metadata.resourceVersion = live.metadata.resourceVersion;
  return { code: 200, body: convertFromStorage(cluster.api.update(obj, opts), r) };
}
