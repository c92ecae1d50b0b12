/**
 * Readable checks on workloads for steps and the programmatic API (src/assert's convention,
 * expect.ts: each returns undefined or the problem): ready replicas, Job outcomes, claims, and a
 * controller's replacement of a pod on another node (waited for by the backend's `within`).
 */
import type { Cluster } from "../cluster.ts";
import type { KObject } from "../api/types.ts";
import type { JobCondition } from "../api/types.gen.ts";
import type { ClusterView } from "../api/reader.ts";
import { AssertionFailure } from "./expect.ts";

function getOrFail(cluster: ClusterView, kind: string, name: string, namespace = "default"): KObject {
  const obj = cluster.api.get(kind, namespace, name);
  if (!obj) throw new AssertionFailure(`${kind.toLowerCase()} "${name}" does not exist in namespace "${namespace}"`);
  return obj;
}

function replicaStatus(cluster: ClusterView, kind: "ReplicaSet" | "Deployment", name: string, field: "readyReplicas" | "availableReplicas", want: number, namespace = "default"): string | undefined {
  const obj = getOrFail(cluster, kind, name, namespace);
  const got = obj.status?.[field] ?? 0;
  if (got === want) return undefined;
  return `${kind.toLowerCase()} "${name}" has ${got} ${field === "readyReplicas" ? "ready" : "available"} replicas, expected ${want} (status: ${JSON.stringify(obj.status ?? {})})`;
}

export function checkReadyReplicas(cluster: ClusterView, name: string, want: number, namespace = "default"): string | undefined {
  return replicaStatus(cluster, "ReplicaSet", name, "readyReplicas", want, namespace);
}

export function checkAvailableReplicas(cluster: ClusterView, name: string, want: number, namespace = "default"): string | undefined {
  return replicaStatus(cluster, "Deployment", name, "availableReplicas", want, namespace);
}

/** The StatefulSet's status.readyReplicas. */
export function checkStatefulSetReadyReplicas(cluster: ClusterView, name: string, want: number, namespace = "default"): string | undefined {
  const obj = getOrFail(cluster, "StatefulSet", name, namespace);
  const got = obj.status?.readyReplicas ?? 0;
  if (got === want) return undefined;
  return `statefulset "${name}" has ${got} ready replicas, expected ${want} (status: ${JSON.stringify(obj.status ?? {})})`;
}

/** The DaemonSet's status.numberReady (the READY column of kubectl get ds). */
export function checkDaemonSetReadyPods(cluster: ClusterView, name: string, want: number, namespace = "default"): string | undefined {
  const obj = getOrFail(cluster, "DaemonSet", name, namespace);
  const got = obj.status?.numberReady ?? 0;
  if (got === want) return undefined;
  return `daemonset "${name}" has ${got} ready pods, expected ${want} (status: ${JSON.stringify(obj.status ?? {})})`;
}

/** The claim's status.phase is Bound (to the volume it names in spec.volumeName). */
export function checkClaimBound(cluster: ClusterView, name: string, namespace = "default"): string | undefined {
  const claim = getOrFail(cluster, "PersistentVolumeClaim", name, namespace);
  if (claim.status?.phase === "Bound") return undefined;
  const events = cluster.api
    .list("Event", { namespace })
    .filter((e) => e.involvedObject?.kind === "PersistentVolumeClaim" && e.involvedObject?.name === name)
    .map((e) => `${e.reason}: ${e.message}`);
  return `persistentvolumeclaim "${name}" is ${claim.status?.phase ?? "Pending"}, not Bound${events.length ? ` (events: ${events.slice(-3).join("; ")})` : ""}`;
}

function jobConditions(job: KObject): string {
  return (job.status?.conditions as JobCondition[] | undefined ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`).join(", ") || "none";
}

export function checkJobComplete(cluster: ClusterView, name: string, namespace = "default"): string | undefined {
  const job = getOrFail(cluster, "Job", name, namespace);
  if ((job.status?.conditions as JobCondition[] | undefined ?? []).some((c) => c.type === "Complete" && c.status === "True")) return undefined;
  return `job "${name}" is not complete: conditions ${jobConditions(job)}; succeeded ${job.status?.succeeded ?? 0}, failed ${job.status?.failed ?? 0}, active ${job.status?.active ?? 0}`;
}

export function checkJobFailed(cluster: ClusterView, name: string, reason?: string, namespace = "default"): string | undefined {
  const job = getOrFail(cluster, "Job", name, namespace);
  const failed = (job.status?.conditions as JobCondition[] | undefined ?? []).find((c) => c.type === "Failed" && c.status === "True");
  if (failed && (!reason || failed.reason === reason)) return undefined;
  return `job "${name}" has not failed${reason ? ` with reason ${reason}` : ""}: conditions ${jobConditions(job)}; failed ${job.status?.failed ?? 0}`;
}

/**
 * A check that passes once the controller owning pod `podName` runs another pod, Running and on
 * another node than `podName`'s. The pod must exist when the check is made (it may be terminating).
 */
export function replacementCheck(cluster: ClusterView, podName: string, namespace = "default"): () => string | undefined {
  const pod = getOrFail(cluster, "Pod", podName, namespace);
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (!owner) throw new AssertionFailure(`pod "${podName}" has no controller: nothing would replace it`);
  const node = pod.spec?.nodeName;
  return () => {
    const siblings = cluster.api.list("Pod", { namespace }).filter((p) => p.metadata.name !== podName && p.metadata.ownerReferences?.some((r) => r.uid === owner.uid));
    if (siblings.some((p) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp && p.spec?.nodeName && p.spec.nodeName !== node)) return undefined;
    const seen = siblings.map((p) => `${p.metadata.name} (${p.status?.phase ?? "?"}${p.metadata.deletionTimestamp ? ", terminating" : ""}, node ${p.spec?.nodeName ?? "none"})`);
    return `no pod of ${owner.kind.toLowerCase()} "${owner.name}" replaces "${podName}" (node ${node ?? "none"}) Running on another node; its other pods: ${seen.join(", ") || "none"}`;
  };
}

/** The name of the pod of a controller that runs on a node (for features that must name a generated pod). */
export function podOfOn(cluster: Cluster, ownerKind: string, ownerName: string, nodeName: string, namespace = "default"): string {
  const pods = cluster.api.list("Pod", { namespace }).filter((p) => p.spec?.nodeName === nodeName && p.metadata.ownerReferences?.some((r) => r.kind === ownerKind && r.name === ownerName));
  if (pods.length === 0) throw new AssertionFailure(`${ownerKind.toLowerCase()} "${ownerName}" has no pod on node "${nodeName}"`);
  return pods[0].metadata.name!;
}
