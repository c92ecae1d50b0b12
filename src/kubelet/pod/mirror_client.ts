/**
 * The kubelet's mirror pod client (pkg/kubelet/pod/mirror_client.go): the API server's copy of a
 * static pod, so that `kubectl get pods` lists it. The mirror pod is the static pod with the
 * annotation `kubernetes.io/config.mirror` (the static pod's hash) and one ownerReference, to its
 * Node, as controller; the API server gives it its own UID and resets its status (Pending) on
 * create, as for any pod. Deleting one goes at once (grace period 0) with the UID as precondition
 * when the kubelet replaces a stale copy.
 */
import type { ClusterContext } from "../../context.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { KObject } from "../../api/types.ts";
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION } from "../config/file.ts";

/** kubetypes.IsMirrorPod. */
export function isMirrorPod(pod: { metadata: { annotations?: Record<string, string> } } | undefined): boolean {
  return pod?.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** getPodHash: the static pod's config.hash. */
export function podHash(pod: Pod): string {
  return pod.metadata.annotations?.[CONFIG_HASH_ANNOTATION] ?? "";
}

/** IsMirrorPodOf: the mirror pod has the static pod's name, namespace and hash. */
export function isMirrorPodOf(mirror: KObject, pod: Pod): boolean {
  if (mirror.metadata.name !== pod.metadata.name || mirror.metadata.namespace !== pod.metadata.namespace) return false;
  const hash = mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION];
  return hash !== undefined && hash === podHash(pod);
}

/**
 * The pod UID the kubelet runs a pod under (kubetypes.ResolvedPodUID / TranslatePodUID): a mirror
 * pod's static pod (its config.mirror is the static pod's hash, which is its UID), else the pod's own.
 */
export function runtimePodUid(pod: { metadata: { uid?: string; annotations?: Record<string, string> } }): string {
  return pod.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] ?? pod.metadata.uid!;
}

export class MirrorClient {
  constructor(
    private readonly ctx: ClusterContext,
    private readonly nodeName: string,
  ) {}

  /**
   * CreateMirrorPod: a copy with the config.mirror annotation and the Node as owner. An existing
   * pod of that name with the same hash is success; any other existing pod, or a missing Node,
   * is an error (the kubelet retries at its next sync of the static pod).
   */
  createMirrorPod(pod: Pod): KObject | Error {
    const node = this.ctx.api.get("Node", undefined, this.nodeName);
    if (!node?.metadata.uid) return new Error(`failed to get node UID: nodes "${this.nodeName}" not found`);
    const hash = podHash(pod);
    const copy = structuredClone(pod) as KObject;
    delete copy.metadata.uid;
    delete copy.metadata.resourceVersion;
    delete copy.metadata.creationTimestamp;
    copy.metadata.annotations = { ...copy.metadata.annotations, [CONFIG_MIRROR_ANNOTATION]: hash };
    copy.metadata.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid: node.metadata.uid, controller: true }];
    copy.status = {};
    try {
      return this.ctx.api.create(copy);
    } catch (e) {
      const existing = this.ctx.api.get("Pod", pod.metadata.namespace, pod.metadata.name!);
      if (existing && existing.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] === hash) return existing;
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  /** DeleteMirrorPod: grace period 0, with the UID as precondition when given; a pod already gone is success. */
  deleteMirrorPod(namespace: string, name: string, uid?: string): boolean {
    const existing = this.ctx.api.get("Pod", namespace, name);
    if (!existing) return true;
    try {
      this.ctx.api.delete("Pod", namespace, name, { gracePeriodSeconds: 0, ...(uid ? { preconditions: { uid } } : {}) });
      return true;
    } catch {
      return false;
    }
  }
}
