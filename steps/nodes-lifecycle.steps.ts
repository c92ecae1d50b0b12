/** Node failures (contract) and the node lifecycle's readable checks. */
import { action, simOnly } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { nodeComesBack, nodeGoesDown } from "../support/faults.ts";

action("node {string} goes down", simOnly("a step cannot stop a live node's kubelet", function (this: KubeWorld, node: string) {
  nodeGoesDown(this.cluster.ctx, node);
}));

action("node {string} comes back", simOnly("a step cannot restart a live node's kubelet", function (this: KubeWorld, node: string) {
  nodeComesBack(this.cluster.ctx, node);
}));
