/**
 * Reading a Service's Endpoints the way `kubectl describe endpoints` shows them (Addresses /
 * NotReadyAddresses), for assertions: which pods are listed as ready and which as not ready.
 */
import type { ClusterView } from "../api/reader.ts";

export function endpointPods(ctx: Pick<ClusterView, "api">, service: string, namespace = "default"): { ready: string[]; notReady: string[] } | undefined {
  const ep = ctx.api.get("Endpoints", namespace, service);
  if (!ep) return undefined;
  const ready: string[] = [];
  const notReady: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) ready.push(a.targetRef?.name ?? a.ip);
    for (const a of s.notReadyAddresses ?? []) notReady.push(a.targetRef?.name ?? a.ip);
  }
  return { ready: [...new Set(ready)].sort(), notReady: [...new Set(notReady)].sort() };
}
