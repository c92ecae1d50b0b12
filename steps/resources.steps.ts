import { action, both, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { assertEvicted, assertOOMKilled, assertQOSClass, useMemory, useSystemMemory } from "../src/kubelet/resourceuse.ts";

const MEMORY = "a step cannot make a live container or node use memory";

action("pod {string} uses {word} of memory", simOnly(MEMORY, function (this: KubeWorld, pod: string, amount: string) {
  useMemory(this.cluster.ctx, pod, undefined, amount);
}));

action("container {string} of pod {string} uses {word} of memory", simOnly(MEMORY, function (this: KubeWorld, container: string, pod: string, amount: string) {
  useMemory(this.cluster.ctx, pod, container, amount);
}));

action("the system processes of node {string} use {word} of memory", simOnly(MEMORY, function (this: KubeWorld, node: string, amount: string) {
  useSystemMemory(this.cluster.ctx, node, amount);
}));

Then("pod {string} has QoS class {string}", both(function (this: KubeWorld, pod: string, qosClass: string) {
  return this.backend.check((v) => assertQOSClass(v, pod, qosClass));
}));

Then("pod {string} was evicted", both(function (this: KubeWorld, pod: string) {
  return this.backend.check((v) => assertEvicted(v, pod), pod);
}));

Then("container {string} of pod {string} was OOM-killed", both(function (this: KubeWorld, container: string, pod: string) {
  return this.backend.check((v) => assertOOMKilled(v, container, pod), pod);
}));
