/** A pod's events, as `kubectl describe pod` lists them (src/assert/events.ts). */
import { both, podStep, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { checkPodEvent, checkPodEventsContain } from "../src/assert/events.ts";
import { expect } from "../src/assert/expect.ts";

/** The pod has (had) an event with this reason. */
podStep(Then, "pod {string} has an event {string}", both(function (this: KubeWorld, pod: string, ns: string | undefined, reason: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkPodEvent(v, pod, reason, n)), pod, n);
}));

/** One event a line, `<Type> <Reason> <Message>` (message in full), in this order among the pod's events. */
podStep(Then, "the events of pod {string} contain:", both(function (this: KubeWorld, pod: string, ns: string | undefined, lines: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkPodEventsContain(v, pod, lines, n)), pod, n);
}));
