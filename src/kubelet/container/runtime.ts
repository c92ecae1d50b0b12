/**
 * What the container runtime reports about a pod (pkg/kubelet/container PodStatus / Status): its
 * sandbox and every container instance it still holds, newest first. The kubelet turns this into
 * the API status (kubelet_pods.ts).
 */
import type { Container, Pod } from "../../api/types.gen.ts";

export type RuntimeContainerState = "created" | "running" | "exited" | "unknown";

export interface RuntimeContainerStatus {
  /** `containerd://<64 hex>` */
  id: string;
  name: string;
  state: RuntimeContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Runtime reason for an exited container: Completed, Error, OOMKilled, ... */
  reason?: string;
  message?: string;
  image: string;
  imageRef: string;
  /** The attempt number: 0 for the first run, +1 per restart. */
  restartCount: number;
}

export interface RuntimePodStatus {
  /** A ready sandbox with networking exists. */
  sandboxReady: boolean;
  ip?: string;
  /** Newest first. */
  containerStatuses: RuntimeContainerStatus[];
}

/** The newest instance of a container by name (PodStatus.FindContainerStatusByName). */
export function findContainerStatusByName(ps: RuntimePodStatus, name: string): RuntimeContainerStatus | undefined {
  return ps.containerStatuses.find((c) => c.name === name);
}

/**
 * kubecontainer.ShouldContainerBeRestarted: whether the next sync should (re)start this container,
 * by the pod's (or, for sidecars, the container's) restart policy.
 */
export function shouldContainerBeRestarted(container: Container, pod: Pod, ps: RuntimePodStatus): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const s = findContainerStatusByName(ps, container.name);
  if (!s) return true;
  if (s.state === "running") return false;
  if (s.state === "unknown" || s.state === "created") return true;
  if (container.restartPolicy === "Always") return true;
  const policy = pod.spec?.restartPolicy ?? "Always";
  if (policy === "Never") return false;
  if (policy === "OnFailure" && s.exitCode === 0) return false;
  return true;
}
