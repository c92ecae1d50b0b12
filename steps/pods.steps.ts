import { defineParameterType } from "@cucumber/cucumber";
import { both, Given, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { PHASE_REGEXP } from "../support/patterns.ts";
import { setImageDuration } from "../src/kubelet/inspect.ts";
import { expect } from "../src/assert/expect.ts";
import { checkContainerRestarts, checkContainerState, checkPodPhase, checkPodRestarts, checkTextInLogs } from "../src/assert/pods.ts";
import { then } from "../src/backend.ts";

defineParameterType({ name: "phase", regexp: PHASE_REGEXP, transformer: (s: string) => s });

const IMAGE_TIMING = "a live cluster's image pull and start times are its registry's and runtime's";

Given("the image {string} takes {duration} to start", simOnly(IMAGE_TIMING, function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "start", ms);
}));

Given("the image {string} takes {duration} to pull", simOnly(IMAGE_TIMING, function (this: KubeWorld, image: string, ms: number) {
  setImageDuration(this.cluster.ctx, image, "pull", ms);
}));

podStep(Then, "pod {string} is {phase}", both(function (this: KubeWorld, name: string, ns: string | undefined, phase: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkPodPhase(v, name, phase, n)), name, n);
}));

podStep(Then, "container {string} of pod {string} is waiting with reason {string}", both(function (this: KubeWorld, c: string, p: string, ns: string | undefined, reason: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkContainerState(v, p, c, "waiting", reason, n)), p, n);
}));

podStep(Then, "container {string} of pod {string} is running", both(function (this: KubeWorld, c: string, p: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkContainerState(v, p, c, "running", undefined, n)), p, n);
}));

podStep(Then, "container {string} of pod {string} is terminated with reason {string}", both(function (this: KubeWorld, c: string, p: string, ns: string | undefined, reason: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkContainerState(v, p, c, "terminated", reason, n)), p, n);
}));

podStep(Then, "pod {string} has restarted {int} time(s)", both(function (this: KubeWorld, p: string, ns: string | undefined, count: number) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkPodRestarts(v, p, count, n)), p, n);
}));

podStep(Then, "container {string} of pod {string} has restarted {int} time(s)", both(function (this: KubeWorld, c: string, p: string, ns: string | undefined, count: number) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkContainerRestarts(v, p, c, count, n)), p, n);
}));

podStep(Then, "the logs of pod {string} contain:", both(function (this: KubeWorld, p: string, ns: string | undefined, text: string) {
  return then(this.backend.logs(p, undefined, this.ns(ns)), (logs) => expect(checkTextInLogs(logs, p, text)));
}));

podStep(Then, "the logs of container {string} of pod {string} contain:", both(function (this: KubeWorld, c: string, p: string, ns: string | undefined, text: string) {
  return then(this.backend.logs(p, c, this.ns(ns)), (logs) => expect(checkTextInLogs(logs, p, text, c)));
}));
