/**
 * The scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as
 * pkg/registry/apps/deployment/storage/storage.go's ScaleREST serves it: get, update, patch.
 */
import { ApiError } from "../../api/errors.ts";
import { labelSelectorAsSelector } from "../../api/labels.ts";
import { clone, type KObject } from "../../api/types.ts";
import { applyPatch } from "../patch.ts";
import { isDryRun, parseJSON, parseObject, patchType, trackUpdate, type RequestScope, type Result } from "../handlers/rest.ts";

/** The autoscaling/v1 Scale of a Deployment or ReplicaSet (kubectl scale reads and patches it). */
function scaleOf(obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorAsSelector(obj.spec?.selector).toString() },
  } as KObject;
}

export function scaleSubresource(s: RequestScope, name: string): Result {
  const { r, ns, method, cluster } = s;
  const current = cluster.api.getOrThrow(r.key, ns, name);
  if (method === "GET") return { code: 200, body: scaleOf(current) };
  let scale: KObject;
  if (method === "PUT") scale = parseObject(s.body);
  else if (method === "PATCH") scale = applyPatch(scaleOf(current), parseJSON(s.body), patchType(String(s.req.headers["content-type"] ?? "")));
  else throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  const rv = scale.metadata?.resourceVersion;
  if (method === "PUT" && rv && rv !== current.metadata.resourceVersion) {
    throw new ApiError("Conflict", `Operation cannot be fulfilled on ${r.plural}.${r.group} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
  }
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) throw new ApiError("BadRequest", `Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  const updated = clone(current);
  updated.spec = { ...updated.spec, replicas };
  trackUpdate(s, current, updated, "scale");
  return { code: 200, body: scaleOf(cluster.api.update(updated, { dryRun: isDryRun(s, method === "PATCH" ? "PatchOptions" : "UpdateOptions") })) };
}
