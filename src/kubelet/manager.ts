/**
 * Starts a simulated kubelet for every Node object that appears (from the cluster table or from a
 * Node manifest) and stops it when the Node is deleted. Other parts reach a node's kubelet through
 * `kubelets(ctx)`.
 */
import type { Component, ClusterContext } from "../context.ts";
import { Kubelet } from "./kubelet.ts";

export function kubelets(ctx: ClusterContext): Map<string, Kubelet> {
  let m = ctx.services.get("kubelets") as Map<string, Kubelet> | undefined;
  if (!m) ctx.services.set("kubelets", (m = new Map()));
  return m;
}

export function kubeletManager(ctx: ClusterContext): Component {
  let joined = 0;
  let unwatch: (() => void) | undefined;
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
