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
import { secs, type Throughout, type Until } from "../backend.ts";
import { endpointPods } from "../network/endpointsview.ts";
import { checkEndpointListsReady } from "./endpoints.ts";
import { checkPodPhase, checkReady, podRestarts, podState } from "./pods.ts";
import type { Problem } from "./expect.ts";

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

/** The pod is Ready now and at every step of the span. */
export function staysReadyThroughout(pod: string, namespace = "default"): Throughout {
  return {
    check: (v) => checkReady(v, pod, namespace),
    broke: (_v, at, ms) => `pod "${pod}" ${at === 0 ? "is not Ready now" : `stopped being Ready after ${secs(at)}`} (expected Ready for ${secs(ms)})`,
    pod,
    namespace,
  };
}

/** The pod stays in `phase` for the span. */
export function staysInPhaseThroughout(pod: string, phase: string, namespace = "default"): Throughout {
  return {
    check: (v) => checkPodPhase(v, pod, phase, namespace),
    broke: (v, at, ms) => {
      const now = v.api.get("Pod", namespace, pod)?.status?.phase ?? "missing";
      return `pod "${pod}" ${at === 0 ? `is ${now}, not ${phase}` : `left ${phase} after ${secs(at)}: it is ${now}`} (expected ${phase} for ${secs(ms)})`;
    },
    pod,
    namespace,
  };
}

/** No container of the pod restarts during the span (the restart count does not grow; the pod is not replaced). */
export function neverRestartsThroughout(pod: string, namespace = "default"): Throughout {
  let first: { uid: string | undefined; restarts: number } | undefined;
  return {
    check: (v) => {
      const p = v.api.get("Pod", namespace, pod);
      if (!first) {
        if (!p) return `pod "${pod}" does not exist in namespace "${namespace}"`;
        first = { uid: p.metadata.uid, restarts: podRestarts(p) };
      }
      if (!p) return "was deleted";
      if (p.metadata.uid !== first.uid) return "was replaced by a new pod of the same name";
      const n = podRestarts(p);
      return n === first.restarts ? undefined : `restarted (restarts ${first.restarts} -> ${n})`;
    },
    broke: (_v, at, ms, problem) => (first ? `pod "${pod}" ${problem} after ${secs(at)} (expected no restart for ${secs(ms)})` : problem),
    pod,
    namespace,
  };
}

/** Before `pod "x" becomes Ready after N s`: the pod is not Ready yet. */
export function checkNotReadyYet(view: ClusterView, pod: string, namespace = "default"): Problem {
  const p = view.api.get("Pod", namespace, pod);
  return p && isPodReady(p) ? `pod "${pod}" is already Ready` : undefined;
}

/** After it: the pod became Ready `afterMs` after the step began, to the second. */
export function checkReadyAfter(pod: string, tookMs: number, afterMs: number): Problem {
  if (Math.round(tookMs / 1000) === Math.round(afterMs / 1000)) return undefined;
  return `pod "${pod}" became Ready after ${(tookMs / 1000).toFixed(1)} s, not ${afterMs / 1000} s`;
}

/** "became Ready after 40.0 s (at 2024-01-08T00:00:40Z)": the instant for the report. */
export function describeInstant(ctx: ClusterContext, what: string, tookMs: number): string {
  return `${what} after ${secs(tookMs)} (at ${ctx.clock.nowRFC3339()})`;
}
