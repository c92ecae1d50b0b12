import { action, Then } from "../support/define.ts";
import { touchOnNode } from "../src/kubelet/prober/node_files.ts";
import type { KubeWorld } from "../support/world.ts";
import { expectNotReady, expectReadyAfter, expectReadyWithin } from "../src/kubelet/prober/readiness_wait.ts";
import { expectEndpointPods } from "../src/network/endpointsview.ts";
import { nameList } from "../src/network/traffic.ts";
import { withExplanation } from "../src/report/explain.ts";
import { describeInstant } from "../src/assert/eventually.ts";

/** Lets time pass until the pod is Ready; fails if it takes longer. */
Then("within {duration} pod {string} becomes Ready", function (this: KubeWorld, ms: number, pod: string) {
  const took = withExplanation(this.cluster.ctx, pod, () => expectReadyWithin(this.cluster.ctx, pod, ms));
  this.attachText("instant.txt", describeInstant(this.cluster.ctx, `pod "${pod}" became Ready`, took));
});

/** The pod is not Ready now and becomes Ready that long from now (to the second). */
Then("pod {string} becomes Ready after {duration}", function (this: KubeWorld, pod: string, ms: number) {
  withExplanation(this.cluster.ctx, pod, () => expectReadyAfter(this.cluster.ctx, pod, ms));
});

Then("pod {string} is not Ready", function (this: KubeWorld, pod: string) {
  withExplanation(this.cluster.ctx, pod, () => expectNotReady(this.cluster.ctx, pod));
});

/** Endpoints' addresses and notReadyAddresses by pod name; "" for none. */
Then("endpoints {string} list pods {string} as ready and {string} as not ready", function (this: KubeWorld, svc: string, ready: string, notReady: string) {
  expectEndpointPods(this.cluster.ctx, svc, nameList(ready), nameList(notReady));
});

Then("endpoints {string} list pods {string} as ready", function (this: KubeWorld, svc: string, ready: string) {
  expectEndpointPods(this.cluster.ctx, svc, nameList(ready), []);
});

/** Creates the file (or updates its time) on the node's filesystem, where hostPath volumes see it. */
action("{string} is touched on node {string}", function (this: KubeWorld, path: string, node: string) {
  touchOnNode(this.cluster.ctx, node, path);
});
