/**
 * PATCH of an object or its status (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * JSON patch, JSON merge patch, strategic merge patch, and server-side apply (apply-patch+yaml).
 */
import { ApiError } from "../../api/errors.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { applyStatus, serverSideApply } from "../../api/fieldmanager.ts";
import { applyPatch, checkPatchType, parsePatch } from "../patch.ts";
import { shiftObject } from "../timeshift.ts";
import { queryBool } from "../../api/options.ts";
import { decodeApplyConfiguration } from "../../api/resthandler.ts";
import { MAX_BODY_DEPTH, tooDeep, valueDepth } from "../depth.ts";
import { checkNamespaceAndName, decodePatched, decodeSubresourceObject, fieldValidation, isDryRun, patchType, trackUpdate, type RequestScope, type Result } from "./rest.ts";
import type { Subresource } from "../../api/store.ts";

export function patchResource(s: RequestScope, name: string, subresource: Subresource): Result {
  const { r, ns, cluster } = s;
  const contentType = String(s.req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/apply-patch")) return applyServerSide(s, name, subresource);
  const type = patchType(contentType);
  checkPatchType(r, type);
  const current = convertFromStorage(cluster.api.getOrThrow(r.key, ns, name), r);
  // The patch applies to the object as the client sees it (times included), then back to simulated instants.
  // The patched object is decoded into the path's type (a patch cannot turn it into another kind),
  // and must keep its namespace and name (applyPatch's checkName).
  const patched = shiftObject(decodePatched(s, applyPatch(shiftObject(current, s.delta), parsePatch(s.body, type), type), type === "strategic"), -s.delta);
  // A JSON patch can add below what is already deep: the result is held to the bodies' limit (depth.ts).
  if (type === "json" && valueDepth(patched) > MAX_BODY_DEPTH) throw tooDeep("the patched object");
  checkNamespaceAndName(s, patched, name);
  // A resourceVersion the patch itself sets is a precondition, as in the real API server (the
  // patched object goes to the registry's Update, which answers Conflict when it is not the stored
  // one: `kubectl annotate --resource-version`, `kubectl patch -p '{"metadata":{"resourceVersion":…}}'`);
  // a patch that leaves it alone, or removes it, updates whatever version is stored.
  if (!patched.metadata.resourceVersion) patched.metadata.resourceVersion = current.metadata.resourceVersion;
  if (subresource !== "status") trackUpdate(s, current, patched, subresource || undefined);
  if (subresource !== "") decodeSubresourceObject(s, patched, fieldValidation(s.query));
  const updated = cluster.api.update(patched, { subresource, dryRun: isDryRun(s, "PatchOptions"), fieldValidation: fieldValidation(s.query), warnings: s.warnings });
  return { code: 200, body: convertFromStorage(updated, r) };
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
  config = shiftObject(config, -s.delta);
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
