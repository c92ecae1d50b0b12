/**
 * Machine failures a scenario can inflict on a simulated node. A node that goes down stops its
 * kubelet (no more lease renewals, status reports or container work); the control plane notices
 * only through the missing heartbeats, as in a real cluster. Coming back restarts the kubelet,
 * which registers again, renews its lease and reports Ready.
 *
 * Fault injection is the scenario's doing, not the control plane's: it lives beside the steps that
 * use it (steps/nodes-lifecycle.steps.ts), acting on the machine through the cluster's node
 * operations (src/nodeops.ts), as an operator would.
 */
import type { ClusterContext } from "../src/context.ts";
import { nodeOperations } from "../src/nodeops.ts";

/** The node loses power: its kubelet stops. Fails when the node is unknown or already down. */
export function nodeGoesDown(ctx: ClusterContext, nodeName: string): void {
  const ops = nodeOperations(ctx);
  if (!ops.kubeletRunning(nodeName)) throw new Error(`node "${nodeName}" is already down`);
  ops.stopKubelet(nodeName);
}

/** The node is powered again: its kubelet starts and resumes heartbeats. */
export function nodeComesBack(ctx: ClusterContext, nodeName: string): void {
  const ops = nodeOperations(ctx);
  if (ops.kubeletRunning(nodeName)) throw new Error(`node "${nodeName}" is not down`);
  ops.startKubelet(nodeName);
}
