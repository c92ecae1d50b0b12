/**
 * Assertions over simulated time: the clock advances in small steps while the condition is checked;
 * the instant a condition became true goes to the report, and a failure explains the pod.
 */
import { Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import {
  describeInstant,
  expectEndpointReadyWithin,
  expectNeverRestarts,
  expectPhaseWithin,
  expectStaysInPhase,
  expectStaysReady,
} from "../src/assert/eventually.ts";

Then("within {duration} pod {string} is {phase}", function (this: KubeWorld, ms: number, pod: string, phase: string) {
  this.attachText("instant.txt", describeInstant(this.cluster.ctx, `pod "${pod}" was ${phase}`, expectPhaseWithin(this.cluster.ctx, pod, phase, ms)));
});

Then("pod {string} stays Ready for {duration}", function (this: KubeWorld, pod: string, ms: number) {
  expectStaysReady(this.cluster.ctx, pod, ms);
});

Then("pod {string} stays {phase} for {duration}", function (this: KubeWorld, pod: string, phase: string, ms: number) {
  expectStaysInPhase(this.cluster.ctx, pod, phase, ms);
});

Then("pod {string} never restarts during {duration}", function (this: KubeWorld, pod: string, ms: number) {
  expectNeverRestarts(this.cluster.ctx, pod, ms);
});

Then("within {duration} endpoints {string} list pod {string} as ready", function (this: KubeWorld, ms: number, svc: string, pod: string) {
  this.attachText("instant.txt", describeInstant(this.cluster.ctx, `endpoints "${svc}" listed pod "${pod}" as ready`, expectEndpointReadyWithin(this.cluster.ctx, svc, pod, ms)));
});
