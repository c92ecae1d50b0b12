/**
 * Pod predicates the controllers share (pkg/controller/controller_utils.go, pkg/api/v1/pod/util.go).
 */
import type { KObject, OwnerReference } from "../../api/types.ts";

export function podCondition(pod: KObject, type: string): any | undefined {
  return (pod.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return podCondition(pod, "Ready")?.status === "True";
}

/** IsPodAvailable: ready for at least minReadySeconds at `nowMs`. */
export function isPodAvailable(pod: KObject, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(pod, "Ready");
  if (c?.status !== "True") return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(c.lastTransitionTime ?? "");
  return Number.isNaN(since) || since + minReadySeconds * 1000 <= nowMs;
}

export function isPodTerminal(pod: KObject): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

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
