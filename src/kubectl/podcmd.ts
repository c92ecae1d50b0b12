/**
 * Which container a pod command (logs, exec, attach, cp) works on, as kubectl picks it
 * (staging/src/k8s.io/kubectl/pkg/cmd/util/podcmd/podcmd.go: FindOrDefaultContainerByName,
 * AllContainerNames). The choice is kubectl's, made before it asks the API server (and through it
 * the kubelet) for a container's logs or an exec stream.
 */
import type { Pod } from "../api/types.gen.ts";

/** podcmd.AllContainerNames: `app, sidecar, init-a (init)`. */
export function allContainerNames(pod: Pod): string {
  return [
    ...(pod.spec?.containers ?? []).map((c) => c.name),
    ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
  ].join(", ");
}

/**
 * The container kubectl picks: -c, else the `kubectl.kubernetes.io/default-container` annotation,
 * else the first container (with kubectl's `Defaulted container ...` notice when there are others).
 */
export function defaultContainer(pod: Pod, requested: string | undefined, notice: (text: string) => void): string {
  if (requested) return requested;
  const ann = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  if (ann) {
    if (all.some((c) => c.name === ann)) return ann;
    notice(`Default container name ${JSON.stringify(ann)} not found in pod ${pod.metadata.name}`);
  }
  // A pod always has a container (validation); "" only for an object that never passed it.
  const first = pod.spec?.containers?.[0]?.name ?? "";
  if ((pod.spec?.containers?.length ?? 0) > 1 || (pod.spec?.initContainers?.length ?? 0) > 0 || (pod.spec?.ephemeralContainers?.length ?? 0) > 0) {
    notice(`Defaulted container ${JSON.stringify(first)} out of: ${allContainerNames(pod)}`);
  }
  return first;
}
