/**
 * Checks about a Service's Endpoints (src/assert's convention, expect.ts), read through
 * `endpointPods` (src/network/endpointsview.ts: which pods the Endpoints list, ready or not).
 */
import type { ClusterView } from "../api/reader.ts";
import { endpointPods } from "../network/endpointsview.ts";
import type { Problem } from "./expect.ts";

const show = (l: string[]) => (l.length ? l.join(", ") : "(none)");

/** The Endpoints list exactly these pods as ready (and, when given, these as not ready). */
export function checkEndpointPods(view: Pick<ClusterView, "api">, service: string, ready: string[], notReady: string[] | undefined, namespace = "default"): Problem {
  const got = endpointPods(view, service, namespace);
  if (!got) return `endpoints "${service}" not found in namespace "${namespace}"`;
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (same(got.ready, ready) && (notReady === undefined || same(got.notReady, notReady))) return undefined;
  return (
    `expected endpoints "${service}" to list ready: ${show(ready)}${notReady !== undefined ? `; not ready: ${show(notReady)}` : ""}\n` +
    `but they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}`
  );
}

/** The Service's Endpoints list the pod among their ready addresses (other pods may be listed too). */
export function checkEndpointListsReady(view: Pick<ClusterView, "api">, service: string, pod: string, namespace = "default"): Problem {
  const got = endpointPods(view, service, namespace);
  if (!got) return `endpoints "${service}" not found in namespace "${namespace}"`;
  if (got.ready.includes(pod)) return undefined;
  return `expected endpoints "${service}" to list pod "${pod}" as ready\nbut they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}`;
}
