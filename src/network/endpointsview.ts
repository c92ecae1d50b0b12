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

export function expectEndpointPods(ctx: Pick<ClusterView, "api">, service: string, ready: string[], notReady: string[] | undefined, namespace = "default"): void {
  const got = endpointPods(ctx, service, namespace);
  if (!got) throw new Error(`endpoints "${service}" not found in namespace "${namespace}"`);
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (!same(got.ready, ready) || (notReady !== undefined && !same(got.notReady, notReady))) {
    const show = (l: string[]) => (l.length ? l.join(", ") : "(none)");
    throw new Error(
      `expected endpoints "${service}" to list ready: ${show(ready)}${notReady !== undefined ? `; not ready: ${show(notReady)}` : ""}\n` +
        `but they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}`,
    );
  }
}

/** The Service's Endpoints list the pod among their ready addresses (other pods may be listed too). */
export function expectEndpointListsReady(ctx: Pick<ClusterView, "api">, service: string, pod: string, namespace = "default"): void {
  const got = endpointPods(ctx, service, namespace);
  if (!got) throw new Error(`endpoints "${service}" not found in namespace "${namespace}"`);
  if (!got.ready.includes(pod)) {
    const show = (l: string[]) => (l.length ? l.join(", ") : "(none)");
    throw new Error(`expected endpoints "${service}" to list pod "${pod}" as ready\nbut they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}`);
  }
}
