/**
 * The scale subresource of Deployments, ReplicaSets and StatefulSets (autoscaling/v1 Scale), as
 * pkg/registry/apps/deployment/storage/storage.go's ScaleREST reads and writes it: shared by the
 * facade's `/scale` handler and the in-process `kubectl patch --subresource=scale`.
 */
import { ApiError } from "./errors.ts";
import { labelSelectorAsSelector } from "./labels.ts";
import { clone, type KObject } from "./types.ts";

/** scaleFromDeployment: the object's Scale (kubectl scale reads and patches it). */
export function scaleOf(obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorAsSelector(obj.spec?.selector).toString() },
  } as KObject;
}

/** The object with the Scale's spec.replicas (a copy), or the decoding error of a Scale without an integer. */
export function withScale(current: KObject, scale: KObject): KObject {
  const replicas: unknown = scale.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
    throw new ApiError("BadRequest", `Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  const updated = clone(current);
  updated.spec = { ...updated.spec, replicas };
  return updated;
}
