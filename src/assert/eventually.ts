/**
 * Assertions over simulated time: "within 1 minute pod x is Running", "pod x stays Ready for
 * 5 minutes", "pod x never restarts during 10 minutes". The clock advances in small steps (100 ms,
 * so an instant is reported to a tenth of a second) and the condition is checked after each step;
 * a failure names the instant and explains the pod (src/report/explain.ts).
 */
import type { ClusterContext } from "../context.ts";
import { isPodReady } from "../api/pod/util.ts";
import { endpointPods } from "../network/endpointsview.ts";
import { podRestarts } from "../kubelet/inspect.ts";
import { explainedError } from "../report/explain.ts";

export const STEP_MS = 100;

const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

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

/** Within `maxMs` the pod reaches `phase`; returns the ms it took. */
export function expectPhaseWithin(ctx: ClusterContext, pod: string, phase: string, maxMs: number, namespace = "default"): number {
  const took = advanceUntil(ctx, () => podOf(ctx, pod, namespace)?.status?.phase === phase, maxMs);
  if (took === undefined) {
    const now = podOf(ctx, pod, namespace)?.status?.phase;
    throw explained(ctx, pod, namespace, `pod "${pod}" did not become ${phase} within ${secs(maxMs)}: it is ${now ?? "missing"}`);
  }
  return took;
}

/** Within `maxMs` the pod is Ready; returns the ms it took. */
export function expectReadyWithinExplained(ctx: ClusterContext, pod: string, maxMs: number, namespace = "default"): number {
  const took = advanceUntil(ctx, () => {
    const p = podOf(ctx, pod, namespace);
    return p !== undefined && isPodReady(p);
  }, maxMs);
  if (took === undefined) throw explained(ctx, pod, namespace, `pod "${pod}" did not become Ready within ${secs(maxMs)}`);
  return took;
}

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

/** Within `maxMs` the Service's Endpoints list the pod among their ready addresses; returns the ms it took. */
export function expectEndpointReadyWithin(ctx: ClusterContext, service: string, pod: string, maxMs: number, namespace = "default"): number {
  const took = advanceUntil(ctx, () => endpointPods(ctx, service, namespace)?.ready.includes(pod) ?? false, maxMs);
  if (took === undefined) {
    const got = endpointPods(ctx, service, namespace);
    const show = (l: string[]) => (l.length ? l.join(", ") : "(none)");
    const now = got ? `they list ready: ${show(got.ready)}; not ready: ${show(got.notReady)}` : `endpoints "${service}" do not exist`;
    throw explained(ctx, pod, namespace, `endpoints "${service}" did not list pod "${pod}" as ready within ${secs(maxMs)}: ${now}`);
  }
  return took;
}

/** "became Ready after 40.0 s (at 2024-01-08T00:00:40Z)": the instant for the report. */
export function describeInstant(ctx: ClusterContext, what: string, tookMs: number): string {
  return `${what} after ${secs(tookMs)} (at ${ctx.clock.nowRFC3339()})`;
}
