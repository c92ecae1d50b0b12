/**
 * "Pod x becomes Ready after 35 seconds": lets simulated time pass in small steps until the pod's
 * Ready condition is True, and tells how long that took.
 */
import type { ClusterContext } from "../../context.ts";
import type { ClusterView } from "../../api/reader.ts";
import { isPodReady } from "../../api/pod/util.ts";
import type { Pod } from "../../api/types.gen.ts";

const STEP_MS = 100;

/** Advances until the pod is Ready (or `maxMs` passed); returns the simulated ms it took, or undefined. */
export function advanceUntilReady(ctx: ClusterContext, pod: string, maxMs: number, namespace = "default"): number | undefined {
  const start = ctx.clock.now();
  const ready = () => {
    const p = ctx.api.get("Pod", namespace, pod);
    return p !== undefined && isPodReady(p);
  };
  ctx.clock.settle();
  while (!ready()) {
    const elapsed = ctx.clock.now() - start;
    if (elapsed >= maxMs) return undefined;
    ctx.clock.advance(Math.min(STEP_MS, maxMs - elapsed));
  }
  return ctx.clock.now() - start;
}

function podState(ctx: Pick<ClusterView, "api">, pod: string, namespace: string): string {
  const p: Pod | undefined = ctx.api.get("Pod", namespace, pod);
  if (!p) return `pod "${pod}" does not exist`;
  const conds = (p.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(", ");
  const cs = (p.status?.containerStatuses ?? []).map((c) => `${c.name}: ready=${c.ready}, restarts=${c.restartCount}, state=${Object.keys(c.state ?? {})[0]}`).join("; ");
  return `phase ${p.status?.phase}; conditions ${conds || "(none)"}; containers ${cs || "(none)"}`;
}

/** Within `maxMs` the pod becomes Ready. */
export function expectReadyWithin(ctx: ClusterContext, pod: string, maxMs: number, namespace = "default"): number {
  const took = advanceUntilReady(ctx, pod, maxMs, namespace);
  if (took === undefined) throw new Error(`pod "${pod}" did not become Ready within ${maxMs / 1000} s: ${podState(ctx, pod, namespace)}`);
  return took;
}

/** The pod is not Ready now and becomes Ready `afterMs` from now (to the second). */
export function expectReadyAfter(ctx: ClusterContext, pod: string, afterMs: number, namespace = "default"): void {
  const p = ctx.api.get("Pod", namespace, pod);
  if (p && isPodReady(p)) throw new Error(`pod "${pod}" is already Ready`);
  const took = advanceUntilReady(ctx, pod, afterMs + 1_000, namespace);
  if (took === undefined) throw new Error(`pod "${pod}" did not become Ready within ${afterMs / 1000 + 1} s: ${podState(ctx, pod, namespace)}`);
  if (Math.round(took / 1000) !== Math.round(afterMs / 1000)) {
    throw new Error(`pod "${pod}" became Ready after ${(took / 1000).toFixed(1)} s, not ${afterMs / 1000} s`);
  }
}

/** The pod is Ready now (the live backend polls this). */
export function expectReadyNow(ctx: Pick<ClusterView, "api">, pod: string, namespace = "default"): void {
  const p = ctx.api.get("Pod", namespace, pod);
  if (!p) throw new Error(`pod "${pod}" does not exist`);
  if (!isPodReady(p)) throw new Error(`pod "${pod}" is not Ready: ${podState(ctx, pod, namespace)}`);
}

export function expectNotReady(ctx: Pick<ClusterView, "api">, pod: string, namespace = "default"): void {
  const p = ctx.api.get("Pod", namespace, pod);
  if (!p) throw new Error(`pod "${pod}" does not exist`);
  if (isPodReady(p)) throw new Error(`pod "${pod}" is Ready: ${podState(ctx, pod, namespace)}`);
}
