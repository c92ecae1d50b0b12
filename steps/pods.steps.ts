import { defineParameterType } from "@cucumber/cucumber";
import { both, Given, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { PHASE_REGEXP } from "../support/patterns.ts";
import {
  expectContainerRestarts,
  expectContainerState,
  expectPodPhase,
  expectPodRestarts,
  expectTextInLogs,
  setImageDuration,
} from "../src/kubelet/inspect.ts";
import { then } from "../src/backend.ts";

defineParameterType({ name: "phase", regexp: PHASE_REGEXP, transformer: (s: string) => s });

const IMAGE_TIMING = "a live cluster's image pull and start times are its registry's and runtime's";

Given("the image {string} takes {duration} to start", simOnly(IMAGE_TIMING, function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "start", ms);
}));

Given("the image {string} takes {duration} to pull", simOnly(IMAGE_TIMING, function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "pull", ms);
}));

Then("pod {string} is {phase}", both(function (this: KubeWorld, name: string, phase: string) {
  return this.backend.check((v) => expectPodPhase(v, name, phase), name);
}));

Then("container {string} of pod {string} is waiting with reason {string}", both(function (this: KubeWorld, c: string, p: string, reason: string) {
  return this.backend.check((v) => expectContainerState(v, p, c, "waiting", reason), p);
}));

Then("container {string} of pod {string} is running", both(function (this: KubeWorld, c: string, p: string) {
  return this.backend.check((v) => expectContainerState(v, p, c, "running"), p);
}));

Then("container {string} of pod {string} is terminated with reason {string}", both(function (this: KubeWorld, c: string, p: string, reason: string) {
  return this.backend.check((v) => expectContainerState(v, p, c, "terminated", reason), p);
}));

Then("pod {string} has restarted {int} time(s)", both(function (this: KubeWorld, p: string, n: number) {
  return this.backend.check((v) => expectPodRestarts(v, p, n), p);
}));

Then("container {string} of pod {string} has restarted {int} time(s)", both(function (this: KubeWorld, c: string, p: string, n: number) {
  return this.backend.check((v) => expectContainerRestarts(v, p, c, n), p);
}));

Then("the logs of pod {string} contain:", both(function (this: KubeWorld, p: string, text: string) {
  return then(this.backend.logs(p), (logs) => expectTextInLogs(logs, p, text));
}));

Then("the logs of container {string} of pod {string} contain:", both(function (this: KubeWorld, c: string, p: string, text: string) {
  return then(this.backend.logs(p, c), (logs) => expectTextInLogs(logs, p, text, c));
}));
