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
  // A plain loop: every informer handler asks this of every pod event.
  const refs = obj.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i].controller) return refs[i];
  return undefined;
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
