/**
 * Pod helpers the Service data path and the endpoint controllers share, as upstream's
 * staging/src/k8s.io/endpointslice/util (ShouldPodBeInEndpoints) and pkg/probe/util.go
 * (ResolveContainerPort) define them; the pod helpers of pkg/api/v1/pod (IsPodReady, FindPort...)
 * are src/api/pod/util.ts.
 */
import { isPodTerminal } from "../api/pod/util.ts";
import type { KObject } from "../api/types.ts";
import type { Container } from "../api/types.gen.ts";

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

/** A container port by number or name (probes' `port: http`), as the prober resolves it. */
export function findContainerPort(container: Pick<Container, "ports">, port: number | string): number | Error {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  for (const p of container.ports ?? []) if (p.name === port) return p.containerPort;
  return new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
}
