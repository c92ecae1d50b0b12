/**
 * Assertions over time: "within 1 minute pod x is Running" (an `Until` for the backend's `within`,
 * on the simulation and on a live cluster alike), and the simulation's own "pod x stays Ready for
 * 5 minutes", "pod x never restarts during 10 minutes", "pod x becomes Ready after 35 seconds". The
 * clock advances in small steps (100 ms, so an instant is reported to a tenth of a second) and the
 * condition is checked after each step; a failure names the instant and explains the pod
 * (src/report/explain.ts).
 */
import type { ClusterContext } from "../context.ts";
import type { ClusterView } from "../api/reader.ts";
import { isPodReady } from "../api/pod/util.ts";
import { secs, type Until } from "../backend.ts";
import { endpointPods } from "../network/endpointsview.ts";
import { explainedError } from "../report/explain.ts";
import { checkEndpointListsReady } from "./endpoints.ts";
import { checkPodPhase, checkReady, podRestarts, podState } from "./pods.ts";

export const STEP_MS = 100;

/** Within the span the pod reaches `phase`. */
export function podPhaseUntil(pod: string, phase: string, namespace = "default"): Until {
  return {
    check: (v) => checkPodPhase(v, pod, phase, namespace),
    timedOut: (v, ms) => `pod "${pod}" did not become ${phase} within ${secs(ms)}: it is ${v.api.get("Pod", namespace, pod)?.status?.phase ?? "missing"}`,
    held: `pod "${pod}" was ${phase}`,
    pod,
    namespace,
  };
}

/** Within the span the pod is Ready. */
export function podReadyUntil(pod: string, namespace = "default"): Until {
  return {
    check: (v) => checkReady(v, pod, namespace),
    timedOut: (v, ms) => `pod "${pod}" did not become Ready within ${ms / 1000} s: ${podState(v, pod, namespace)}`,
    held: `pod "${pod}" became Ready`,
    pod,
    namespace,
  };
}

/** Within the span the Service's Endpoints list the pod among their ready addresses. */
export function endpointReadyUntil(service: string, pod: string, namespace = "default"): Until {
  return {
    check: (v) => checkEndpointListsReady(v, service, pod, namespace),
    timedOut: (v: ClusterView, ms) => {
      const got = endpointPods(v, service, namespace);
      const show = (l: string[]) => (l.length ? l.join(", ") : "(none)");
      const now = got ? `they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}` : `endpoints "${service}" do not exist`;
      return `endpoints "${service}" did not list pod "${pod}" as ready within ${secs(ms)}: ${now}`;
    },
    held: `endpoints "${service}" listed pod "${pod}" as ready`,
    pod,
    namespace,
  };
}

/** Advances until `holds()` (checked now and after every step) or `maxMs` passed; returns the ms it took, or undefined. */
export function advanceUntil(ctx: ClusterContext, holds: () => boolean, maxMs: number): number | undefined {
  const start = ctx.clock.now();
  ctx.clock.settle();
  while (!holds()) {
    const elapsed = ctx.clock.now() - start;
    if (elapsed >= maxMs) return undefined;
    ctx.clock.advance(Math.min(STEP_MS, maxMs - elapsed));
  }
  return ctx.clock.now() - start;
}

/** Advances `ms`, checking `holds()` now and after every step; returns the ms at which it first failed, or undefined. */
export function advanceWhile(ctx: ClusterContext, holds: () => boolean, ms: number): number | undefined {
  const start = ctx.clock.now();
  ctx.clock.settle();
  for (;;) {
    const elapsed = ctx.clock.now() - start;
    if (!holds()) return elapsed;
    if (elapsed >= ms) return undefined;
    ctx.clock.advance(Math.min(STEP_MS, ms - elapsed));
  }
}

const explained = (ctx: ClusterContext, pod: string, namespace: string, message: string): Error => explainedError(ctx, pod, namespace, message);

const podOf = (ctx: ClusterContext, pod: string, namespace: string) => ctx.api.get("Pod", namespace, pod);

/** The pod is Ready now and at every step for `ms`. */
export function expectStaysReady(ctx: ClusterContext, pod: string, ms: number, namespace = "default"): void {
  const broke = advanceWhile(ctx, () => {
    const p = podOf(ctx, pod, namespace);
    return p !== undefined && isPodReady(p);
  }, ms);
  if (broke !== undefined) {
    const where = broke === 0 ? "is not Ready now" : `stopped being Ready after ${secs(broke)}`;
    throw explained(ctx, pod, namespace, `pod "${pod}" ${where} (expected Ready for ${secs(ms)})`);
  }
}

/** The pod stays in `phase` for `ms`. */
export function expectStaysInPhase(ctx: ClusterContext, pod: string, phase: string, ms: number, namespace = "default"): void {
  const broke = advanceWhile(ctx, () => podOf(ctx, pod, namespace)?.status?.phase === phase, ms);
  if (broke !== undefined) {
    const now = podOf(ctx, pod, namespace)?.status?.phase ?? "missing";
    const where = broke === 0 ? `is ${now}, not ${phase}` : `left ${phase} after ${secs(broke)}: it is ${now}`;
    throw explained(ctx, pod, namespace, `pod "${pod}" ${where} (expected ${phase} for ${secs(ms)})`);
  }
}

/** No container of the pod restarts during `ms` (the restart count does not grow; the pod is not replaced). */
export function expectNeverRestarts(ctx: ClusterContext, pod: string, ms: number, namespace = "default"): void {
  const first = podOf(ctx, pod, namespace);
  if (!first) throw new Error(`pod "${pod}" does not exist in namespace "${namespace}"`);
  const uid = first.metadata.uid;
  const base = podRestarts(first);
  const broke = advanceWhile(ctx, () => {
    const p = podOf(ctx, pod, namespace);
    return p !== undefined && p.metadata.uid === uid && podRestarts(p) === base;
  }, ms);
  if (broke !== undefined) {
    const p = podOf(ctx, pod, namespace);
    const what = !p ? "was deleted" : p.metadata.uid !== uid ? "was replaced by a new pod of the same name" : `restarted (restarts ${base} -> ${podRestarts(p)})`;
    throw explained(ctx, pod, namespace, `pod "${pod}" ${what} after ${secs(broke)} (expected no restart for ${secs(ms)})`);
  }
}

/** The pod is not Ready now and becomes Ready `afterMs` from now (to the second). Simulation only. */
export function expectReadyAfter(ctx: ClusterContext, pod: string, afterMs: number, namespace = "default"): void {
  const ready = () => {
    const p = podOf(ctx, pod, namespace);
    return p !== undefined && isPodReady(p);
  };
  if (ready()) throw new Error(`pod "${pod}" is already Ready`);
  const took = advanceUntil(ctx, ready, afterMs + 1_000);
  if (took === undefined) throw new Error(`pod "${pod}" did not become Ready within ${afterMs / 1000 + 1} s: ${podState(ctx, pod, namespace)}`);
  if (Math.round(took / 1000) !== Math.round(afterMs / 1000)) {
    throw new Error(`pod "${pod}" became Ready after ${(took / 1000).toFixed(1)} s, not ${afterMs / 1000} s`);
  }
}

/** "became Ready after 40.0 s (at 2024-01-08T00:00:40Z)": the instant for the report. */
export function describeInstant(ctx: ClusterContext, what: string, tookMs: number): string {
  return `${what} after ${secs(tookMs)} (at ${ctx.clock.nowRFC3339()})`;
}
