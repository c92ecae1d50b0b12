/**
 * Pod helpers the Service data path and the endpoint controllers share, as upstream's
 * pkg/api/v1/pod (IsPodReady, FindPort) and staging/src/k8s.io/endpointslice/util
 * (ShouldPodBeInEndpoints) define them.
 */
import type { KObject } from "../api/types.ts";

/** podutil.IsPodReady: the pod's Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
}

/** podutil.IsPodTerminal: phase Succeeded or Failed. */
export function isPodTerminal(pod: KObject): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

export function podIP(pod: KObject): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

/** endpointsliceutil.ShouldPodBeInEndpoints. */
export function shouldPodBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!podIP(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** A Service's label selector (map form); an empty or missing selector selects nothing here. */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector)) if (l[k] !== v) return false;
  return true;
}

/**
 * podutil.FindPort: a Service port's targetPort on a pod. A number (or numeric string) is used as
 * is; a name is looked up among the pod's containers' ports with the same protocol.
 */
export function findPort(pod: KObject, servicePort: any): number | Error {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = servicePort.protocol ?? "TCP";
  if (typeof target === "number") return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
    }
  }
  return new Error(`no suitable port for manifest: ${pod.metadata.uid}`);
}

/** A container port by number or name (probes' `port: http`), as the prober resolves it. */
export function findContainerPort(container: any, port: number | string): number | Error {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  for (const p of container.ports ?? []) if (p.name === port) return p.containerPort;
  return new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
}
