import { action, both, podStep, simOnly, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { useMemory, useSystemMemory } from "../src/kubelet/resourceuse.ts";
import { expect } from "../src/assert/expect.ts";
import { checkEvicted, checkOOMKilled, checkQOSClass } from "../src/assert/pods.ts";

const MEMORY = "a step cannot make a live container or node use memory";

podStep(action, "pod {string} uses {word} of memory", simOnly(MEMORY, function (this: KubeWorld, pod: string, ns: string | undefined, amount: string) {
  useMemory(this.cluster.ctx, pod, undefined, amount, this.ns(ns));
}));

podStep(action, "container {string} of pod {string} uses {word} of memory", simOnly(MEMORY, function (this: KubeWorld, container: string, pod: string, ns: string | undefined, amount: string) {
  useMemory(this.cluster.ctx, pod, container, amount, this.ns(ns));
}));

action("the system processes of node {string} use {word} of memory", simOnly(MEMORY, function (this: KubeWorld, node: string, amount: string) {
  useSystemMemory(this.cluster.ctx, node, amount);
}));

podStep(Then, "pod {string} has QoS class {string}", both(function (this: KubeWorld, pod: string, ns: string | undefined, qosClass: string) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkQOSClass(v, pod, qosClass, n)));
}));

podStep(Then, "pod {string} was evicted", both(function (this: KubeWorld, pod: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkEvicted(v, pod, n)), pod, n);
}));

podStep(Then, "container {string} of pod {string} was OOM-killed", both(function (this: KubeWorld, container: string, pod: string, ns: string | undefined) {
  const n = this.ns(ns);
  return this.backend.check((v) => expect(checkOOMKilled(v, container, pod, n)), pod, n);
}));
