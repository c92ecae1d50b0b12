/**
 * Assertions over simulated time: the clock advances in small steps while the condition is checked;
 * the instant a condition became true goes to the report, and a failure explains the pod.
 * In a live run "within" polls the cluster (the facade's clock advances in the same steps): the
 * backend's `within` decides.
 */
import { both, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { then } from "../src/backend.ts";
import { endpointReadyUntil, neverRestartsThroughout, podPhaseUntil, staysInPhaseThroughout, staysReadyThroughout, STEP_MS } from "../src/assert/eventually.ts";

const DURING = "it watches a pod at every instant of a span, which only the simulation's clock can step through";

podStep(Then, "within {duration} pod {string} is {phase}", both(function (this: KubeWorld, ms: number, pod: string, ns: string | undefined, phase: string) {
  return then(this.backend.within(ms, STEP_MS, podPhaseUntil(pod, phase, this.ns(ns))), (held) => this.attachText("instant.txt", held.instant));
}));

podStep(Then, "pod {string} stays Ready for {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, ms: number) {
  return this.backend.throughout(ms, STEP_MS, staysReadyThroughout(pod, this.ns(ns)));
}));

podStep(Then, "pod {string} stays {phase} for {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, phase: string, ms: number) {
  return this.backend.throughout(ms, STEP_MS, staysInPhaseThroughout(pod, phase, this.ns(ns)));
}));

podStep(Then, "pod {string} never restarts during {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, ms: number) {
  return this.backend.throughout(ms, STEP_MS, neverRestartsThroughout(pod, this.ns(ns)));
}));

Then("within {duration} endpoints {string} list pod {string} as ready", both(function (this: KubeWorld, ms: number, svc: string, pod: string) {
  return then(this.backend.within(ms, STEP_MS, endpointReadyUntil(svc, pod, this.ns())), (held) => this.attachText("instant.txt", held.instant));
}));
