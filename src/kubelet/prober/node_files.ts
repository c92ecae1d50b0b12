/**
 * Files on a node, as the course changes them to steer an exec probe ("touch ready.txt on the
 * node"): runs `touch` in the node's shell, on the node's own filesystem that hostPath volumes
 * mount.
 */
import type { ClusterContext } from "../../context.ts";
import { kubelets } from "../manager.ts";

export function touchOnNode(ctx: ClusterContext, node: string, path: string): void {
  const k = kubelets(ctx).get(node);
  if (!k) throw new Error(`node "${node}" not found (nodes: ${[...kubelets(ctx).keys()].join(", ") || "none"})`);
  let out = "";
  let code: number | undefined;
  k.nodeShell(["touch", path], (t) => (out += t)).start((c) => (code = c));
  ctx.clock.settle();
  if (code === undefined) throw new Error(`touch ${path} on node "${node}" did not finish`);
  if (code !== 0) throw new Error(`touch ${path} on node "${node}" failed (exit ${code}): ${out.trim()}`);
}
