/**
 * Assertions over simulated time: the clock advances in small steps while the condition is checked;
 * the instant a condition became true goes to the report, and a failure explains the pod.
 * In a live run "within" polls the cluster (the facade's clock advances in the same steps).
 */
import { both, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import {
  describeInstant,
  expectEndpointReadyWithin,
  expectNeverRestarts,
  expectPhaseWithin,
  expectStaysInPhase,
  expectStaysReady,
  STEP_MS,
} from "../src/assert/eventually.ts";
import { expectPodPhase } from "../src/kubelet/inspect.ts";
import { expectEndpointListsReady } from "../src/network/endpointsview.ts";

const DURING = "it watches a pod at every instant of a span, which only the simulation's clock can step through";

podStep(Then, "within {duration} pod {string} is {phase}", both(function (this: KubeWorld, ms: number, pod: string, ns: string | undefined, phase: string) {
  const n = this.ns(ns);
  if (this.live) return this.live.within(ms, STEP_MS, (v) => expectPodPhase(v, pod, phase, n));
  this.attachText("instant.txt", describeInstant(this.cluster.ctx, `pod "${pod}" was ${phase}`, expectPhaseWithin(this.cluster.ctx, pod, phase, ms, n)));
  return undefined;
}));

podStep(Then, "pod {string} stays Ready for {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, ms: number) {
  expectStaysReady(this.cluster.ctx, pod, ms, this.ns(ns));
}));

podStep(Then, "pod {string} stays {phase} for {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, phase: string, ms: number) {
  expectStaysInPhase(this.cluster.ctx, pod, phase, ms, this.ns(ns));
}));

podStep(Then, "pod {string} never restarts during {duration}", simOnly(DURING, function (this: KubeWorld, pod: string, ns: string | undefined, ms: number) {
  expectNeverRestarts(this.cluster.ctx, pod, ms, this.ns(ns));
}));

Then("within {duration} endpoints {string} list pod {string} as ready", both(function (this: KubeWorld, ms: number, svc: string, pod: string) {
  const n = this.ns();
  if (this.live) {
    return this.live.within(ms, STEP_MS, (v) => expectEndpointListsReady(v, svc, pod, n));
  }
  this.attachText("instant.txt", describeInstant(this.cluster.ctx, `endpoints "${svc}" listed pod "${pod}" as ready`, expectEndpointReadyWithin(this.cluster.ctx, svc, pod, ms, n)));
  return undefined;
}));
