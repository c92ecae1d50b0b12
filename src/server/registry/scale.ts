/**
 * The scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as
 * pkg/registry/apps/deployment/storage/storage.go's ScaleREST serves it: get, update, patch.
 */
import { ApiError } from "../../api/errors.ts";
import { scaleOf, withScale } from "../../api/scale.ts";
import type { KObject } from "../../api/types.ts";
import { applyPatch, parsePatch } from "../patch.ts";
import { isDryRun, parseObject, patchType, trackUpdate, type RequestScope, type Result } from "../handlers/rest.ts";

export function scaleSubresource(s: RequestScope, name: string): Result {
  const { r, ns, method, cluster } = s;
  const current = cluster.api.getOrThrow(r.key, ns, name);
  if (method === "GET") return { code: 200, body: scaleOf(current) };
  let scale: KObject;
  if (method === "PUT") scale = parseObject(s.body);
  else if (method === "PATCH") {
    const type = patchType(String(s.req.headers["content-type"] ?? ""));
    scale = applyPatch(scaleOf(current), parsePatch(s.body, type), type);
  } else throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  const rv = scale.metadata?.resourceVersion;
  if (method === "PUT" && rv && rv !== current.metadata.resourceVersion) {
    throw new ApiError("Conflict", `Operation cannot be fulfilled on ${r.plural}.${r.group} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
  }
  const updated = withScale(current, scale);
  trackUpdate(s, current, updated, "scale");
  return { code: 200, body: scaleOf(cluster.api.update(updated, { dryRun: isDryRun(s, method === "PATCH" ? "PatchOptions" : "UpdateOptions") })) };
}
