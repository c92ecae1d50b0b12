import { action, both, podStep, simOnly, Then } from "../support/define.ts";
import { checkNotReadyYet, checkReadyAfter, podReadyUntil, STEP_MS } from "../src/assert/eventually.ts";
import { touchOnNode } from "../src/kubelet/prober/node_files.ts";
import type { KubeWorld } from "../support/world.ts";
import { then } from "../src/backend.ts";
import { expect } from "../src/assert/expect.ts";
import { checkNotReady } from "../src/assert/pods.ts";
import { checkEndpointPods } from "../src/assert/endpoints.ts";
import { nameList } from "../src/assert/traffic.ts";

/** Lets time pass until the pod is Ready; fails if it takes longer. */
podStep(Then, "within {duration} pod {string} becomes Ready", both(function (this: KubeWorld, ms: number, pod: string, ns: string | undefined) {
  return then(this.backend.within(ms, STEP_MS, podReadyUntil(pod, this.ns(ns))), (held) => this.attachText("instant.txt", held.instant));
}));

/** The pod is not Ready now and becomes Ready that long from now (to the second). */
podStep(Then, "pod {string} becomes Ready after {duration}", simOnly("it times readiness to the second, which only the simulation's clock can", function (this: KubeWorld, pod: string, ns: string | undefined, ms: number) {
  const n = this.ns(ns);
  return then(this.backend.check((v) => expect(checkNotReadyYet(v, pod, n)), pod, n), () =>
    then(this.backend.within(ms + 1_000, STEP_MS, podReadyUntil(pod, n)), (held) => this.backend.check(() => expect(checkReadyAfter(pod, held.tookMs, ms)), pod, n)));
}));

podStep(Then, "pod {string} is not Ready", both(function (this: KubeWorld, pod: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkNotReady(v, pod, n)), pod, n);
}));

/** Endpoints' addresses and notReadyAddresses by pod name; "" for none. */
Then("endpoints {string} list pods {string} as ready and {string} as not ready", both(function (this: KubeWorld, svc: string, ready: string, notReady: string) {
  const n = this.ns();
  return this.backend.check((v) => expect(checkEndpointPods(v, svc, nameList(ready), nameList(notReady), n)));
}));

Then("endpoints {string} list pods {string} as ready", both(function (this: KubeWorld, svc: string, ready: string) {
  const n = this.ns();
  return this.backend.check((v) => expect(checkEndpointPods(v, svc, nameList(ready), [], n)));
}));

/** Creates the file (or updates its time) on the node's filesystem, where hostPath volumes see it. */
action("{string} is touched on node {string}", simOnly("a step cannot reach a live node's own filesystem", function (this: KubeWorld, path: string, node: string) {
  touchOnNode(this.cluster.ctx, node, path);
}));
