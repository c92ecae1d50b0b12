import { action, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { assertEvicted, assertOOMKilled, assertQOSClass, useMemory, useSystemMemory } from "../src/kubelet/resourceuse.ts";
import { withExplanation } from "../src/report/explain.ts";

action("pod {string} uses {word} of memory", function (this: KubeWorld, pod: string, amount: string) {
  useMemory(this.cluster.ctx, pod, undefined, amount);
});

action("container {string} of pod {string} uses {word} of memory", function (this: KubeWorld, container: string, pod: string, amount: string) {
  useMemory(this.cluster.ctx, pod, container, amount);
});

action("the system processes of node {string} use {word} of memory", function (this: KubeWorld, node: string, amount: string) {
  useSystemMemory(this.cluster.ctx, node, amount);
});

Then("pod {string} has QoS class {string}", function (this: KubeWorld, pod: string, qosClass: string) {
  assertQOSClass(this.cluster.ctx, pod, qosClass);
});

Then("pod {string} was evicted", function (this: KubeWorld, pod: string) {
  withExplanation(this.cluster.ctx, pod, () => assertEvicted(this.cluster.ctx, pod));
});

Then("container {string} of pod {string} was OOM-killed", function (this: KubeWorld, container: string, pod: string) {
  withExplanation(this.cluster.ctx, pod, () => assertOOMKilled(this.cluster.ctx, container, pod));
});
