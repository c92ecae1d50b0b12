/**
 * Starts a simulated kubelet for every Node object that appears (from the cluster table or from a
 * Node manifest) and stops it when the Node is deleted. Other parts reach a node's kubelet through
 * `kubelets(ctx)`.
 */
import type { Component, ClusterContext } from "../context.ts";
import { Kubelet } from "./kubelet.ts";
import { kubeletServer } from "./server.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** Every node's kubelet, by node name (src/kubelet/manager.ts). */
    kubelets: Map<string, Kubelet>;
  }
}

export function kubelets(ctx: ClusterContext): Map<string, Kubelet> {
  return ctx.services.ensure("kubelets", () => new Map());
}

export function kubeletManager(ctx: ClusterContext): Component {
  let joined = 0;
  let unwatch: (() => void) | undefined;
  // What clients (kubectl, the API server's pod subresources) reach of the kubelets.
  ctx.services.set("kubelet-client", kubeletServer(ctx));
  return {
    name: "kubelet-manager",
    start() {
      const all = kubelets(ctx);
      unwatch = ctx.api.watch("Node", (ev) => {
        const name = ev.object.metadata.name!;
        if (ev.type === "ADDED" && !all.has(name)) {
          const k = new Kubelet(ctx, name, joined++);
          all.set(name, k);
          k.start();
        } else if (ev.type === "DELETED") {
          all.get(name)?.stop();
          all.delete(name);
        }
      });
    },
    stop() {
      unwatch?.();
      for (const k of kubelets(ctx).values()) k.stop();
    },
  };
}
