/**
 * Pod and owner helpers the controllers share (pkg/controller/controller_utils.go); the pod
 * predicates of pkg/api/v1/pod/util.go (isPodReady, isPodAvailable...) are src/api/pod/util.ts.
 */
import { isPodTerminal } from "../../api/pod/util.ts";
import type { KObject, OwnerReference } from "../../api/types.ts";

/** FilterActivePods: not terminal and not being deleted. */
export function isPodActive(pod: KObject): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function controllerRef(obj: KObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

/** An ownerReference to `owner` as a controller (controller: true, blockOwnerDeletion: true). */
export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The object's RFC 3339 time field as milliseconds (NaN when absent). */
export function timeOf(text: string | undefined | null): number {
  return text ? Date.parse(text) : NaN;
}
