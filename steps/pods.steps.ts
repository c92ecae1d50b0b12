import { defineParameterType } from "@cucumber/cucumber";
import { Given, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import {
  expectContainerRestarts,
  expectContainerState,
  expectLogsContain,
  expectPodPhase,
  expectPodRestarts,
  setImageDuration,
} from "../src/kubelet/inspect.ts";
import { withExplanation } from "../src/report/explain.ts";

defineParameterType({ name: "phase", regexp: /Pending|Running|Succeeded|Failed|Unknown/, transformer: (s: string) => s });

Given("the image {string} takes {duration} to start", function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "start", ms);
});

Given("the image {string} takes {duration} to pull", function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "pull", ms);
});

Then("pod {string} is {phase}", function (this: KubeWorld, name: string, phase: string) {
  withExplanation(this.cluster.ctx, name, () => expectPodPhase(this.cluster.ctx, name, phase));
});

Then("container {string} of pod {string} is waiting with reason {string}", function (this: KubeWorld, c: string, p: string, reason: string) {
  withExplanation(this.cluster.ctx, p, () => expectContainerState(this.cluster.ctx, p, c, "waiting", reason));
});

Then("container {string} of pod {string} is running", function (this: KubeWorld, c: string, p: string) {
  withExplanation(this.cluster.ctx, p, () => expectContainerState(this.cluster.ctx, p, c, "running"));
});

Then("container {string} of pod {string} is terminated with reason {string}", function (this: KubeWorld, c: string, p: string, reason: string) {
  withExplanation(this.cluster.ctx, p, () => expectContainerState(this.cluster.ctx, p, c, "terminated", reason));
});

Then("pod {string} has restarted {int} time(s)", function (this: KubeWorld, p: string, n: number) {
  withExplanation(this.cluster.ctx, p, () => expectPodRestarts(this.cluster.ctx, p, n));
});

Then("container {string} of pod {string} has restarted {int} time(s)", function (this: KubeWorld, c: string, p: string, n: number) {
  withExplanation(this.cluster.ctx, p, () => expectContainerRestarts(this.cluster.ctx, p, c, n));
});

Then("the logs of pod {string} contain:", function (this: KubeWorld, p: string, text: string) {
  expectLogsContain(this.cluster.ctx, p, text);
});

Then("the logs of container {string} of pod {string} contain:", function (this: KubeWorld, c: string, p: string, text: string) {
  expectLogsContain(this.cluster.ctx, p, text, c);
});
