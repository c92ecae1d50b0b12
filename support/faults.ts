/**
 * Machine failures a scenario can inflict on a simulated node. A node that goes down stops its
 * kubelet (no more lease renewals, status reports or container work); the control plane notices
 * only through the missing heartbeats, as in a real cluster. Coming back restarts the kubelet,
 * which registers again, renews its lease and reports Ready.
 *
 * Fault injection is the scenario's doing, not the control plane's: it lives beside the steps that
 * use it (steps/nodes-lifecycle.steps.ts), reaching a node's kubelet as a test harness does.
 */
import type { ClusterContext } from "../src/context.ts";
import { kubelets } from "../src/kubelet/manager.ts";

function kubeletOf(ctx: ClusterContext, nodeName: string) {
  const k = kubelets(ctx).get(nodeName);
  if (!k) {
    const known = [...kubelets(ctx).keys()].join(", ") || "none";
    throw new Error(`node "${nodeName}" is not part of this cluster (nodes: ${known})`);
  }
  return k;
}

/** The node loses power: its kubelet stops. Fails when the node is unknown or already down. */
export function nodeGoesDown(ctx: ClusterContext, nodeName: string): void {
  const k = kubeletOf(ctx, nodeName);
  if (!k.isRunning) throw new Error(`node "${nodeName}" is already down`);
  k.stop();
}

/** The node is powered again: its kubelet starts and resumes heartbeats. */
export function nodeComesBack(ctx: ClusterContext, nodeName: string): void {
  const k = kubeletOf(ctx, nodeName);
  if (k.isRunning) throw new Error(`node "${nodeName}" is not down`);
  k.start();
}
