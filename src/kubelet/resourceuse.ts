/**
 * The programmatic side of the contract's resource-use steps: `pod "x" uses 4Gi of memory`,
 * `container "app" of pod "x" uses 4Gi of memory`, `the system processes of node "n" use 1Gi of
 * memory`. Steps call these; the cluster's kubelets do the rest (oom.ts, eviction/). The checks
 * that follow (QoS class, evicted, OOM-killed) are src/assert/pods.ts.
 */
import type { ClusterContext } from "../context.ts";
import type { ClusterView } from "../api/reader.ts";
import type { Pod } from "../api/types.gen.ts";
import { parseQuantity, QuantityError } from "../api/quantity.ts";
import { nodeMemories } from "./oom.ts";

export class ResourceUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResourceUseError";
  }
}

function getPod(ctx: ClusterView, name: string, namespace: string): Pod {
  const pod = ctx.api.get("Pod", namespace, name);
  if (!pod) throw new ResourceUseError(`Error from server (NotFound): pods "${name}" not found`);
  return pod;
}

/** kubectl's default container: the `kubectl.kubernetes.io/default-container` annotation, else the first container. */
export function defaultContainerName(pod: Pod): string {
  const annotated = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
  if (annotated && (pod.spec?.containers ?? []).some((c) => c.name === annotated)) return annotated;
  // Validation gives every pod at least one container.
  return pod.spec!.containers[0].name;
}

function allContainerNames(pod: Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
}

/** Parses a memory amount as the API would (`4Gi`, `512Mi`, `5G`); bytes, rounded up. */
export function memoryBytes(text: string): number {
  try {
    const q = parseQuantity(text);
    if (q.sign() < 0) throw new ResourceUseError(`memory use must not be negative: ${text}`);
    return q.value();
  } catch (e) {
    if (e instanceof QuantityError) throw new ResourceUseError(`invalid memory amount "${text}": ${e.message}`);
    throw e;
  }
}

/**
 * Sets what a container of a pod uses from now on (the pod's default container when none is
 * named). The pod must be bound to a node whose kubelet runs; cgroups and the kernel react at once.
 */
export function useMemory(ctx: ClusterContext, podName: string, containerName: string | undefined, amount: string, namespace = "default"): void {
  const bytes = memoryBytes(amount);
  const pod = getPod(ctx, podName, namespace);
  const container = containerName ?? defaultContainerName(pod);
  if (!allContainerNames(pod).includes(container)) {
    throw new ResourceUseError(`container ${container} is not valid for pod ${podName}`);
  }
  const nodeName: string | undefined = pod.spec?.nodeName;
  if (!nodeName) throw new ResourceUseError(`pod "${podName}" is not scheduled to a node yet, so it uses no memory (status: ${pod.status?.phase ?? "Pending"})`);
  const memory = nodeMemories(ctx).get(nodeName);
  if (!memory) throw new ResourceUseError(`node "${nodeName}" of pod "${podName}" has no running kubelet`);
  memory.setUsage(pod, container, bytes);
  ctx.clock.settle();
}

/** Sets what a node's own processes (kubelet, runtime, system daemons) use from now on. */
export function useSystemMemory(ctx: ClusterContext, nodeName: string, amount: string): void {
  const bytes = memoryBytes(amount);
  if (!ctx.api.get("Node", undefined, nodeName)) throw new ResourceUseError(`Error from server (NotFound): nodes "${nodeName}" not found`);
  const memory = nodeMemories(ctx).get(nodeName);
  if (!memory) throw new ResourceUseError(`node "${nodeName}" has no running kubelet`);
  memory.setSystemUsage(bytes);
  ctx.clock.settle();
}
