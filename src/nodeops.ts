/**
 * What an operator does to a simulated machine, below the API: stopping and starting the node's
 * kubelet (`systemctl stop kubelet` / `systemctl start kubelet` on a real node, as the e2e
 * framework's KubeletCommand does over SSH). This is not a control-plane module: no component
 * calls it. The control plane only notices through the API: the stopped kubelet's lease and node
 * status go stale, and the node lifecycle controller reacts to the missing heartbeats.
 *
 * Users: the scenario's fault injection (`support/faults.ts`: "node x goes down"), the
 * differential test (src/fuzz/differential.ts) and benches.
 */
import type { ClusterContext } from "./context.ts";
import type { Kubelet } from "./kubelet/kubelet.ts";
import { kubelets } from "./kubelet/manager.ts";

export interface NodeOperations {
  /** The nodes that have a machine (a kubelet), in the order they joined. */
  nodes(): string[];
  /** Whether the node's kubelet runs. Throws for a node that is not part of the cluster. */
  kubeletRunning(node: string): boolean;
  /** Stops the node's kubelet: no more lease renewals, status reports or container work. */
  stopKubelet(node: string): void;
  /** Starts the node's kubelet again: it registers, renews its lease and reports Ready. */
  startKubelet(node: string): void;
}

export function nodeOperations(ctx: ClusterContext): NodeOperations {
  const kubeletOf = (node: string): Kubelet => {
    const k = kubelets(ctx).get(node);
    if (!k) {
      const known = [...kubelets(ctx).keys()].join(", ") || "none";
      throw new Error(`node "${node}" is not part of this cluster (nodes: ${known})`);
    }
    return k;
  };
  return {
    nodes: () => [...kubelets(ctx).keys()],
    kubeletRunning: (node) => kubeletOf(node).isRunning,
    stopKubelet(node) {
      const k = kubeletOf(node);
      if (!k.isRunning) throw new Error(`the kubelet of node "${node}" is already stopped`);
      k.stop();
    },
    startKubelet(node) {
      const k = kubeletOf(node);
      if (k.isRunning) throw new Error(`the kubelet of node "${node}" is already running`);
      k.start();
    },
  };
}
