/**
 * What scenarios do on the kubelet's side beyond the API (the steps of steps/pods.steps.ts and
 * steps/nodes.steps.ts, and the programmatic API): read a pod's logs, run a command on a node's own
 * filesystem, set how long an image takes to pull or start. The checks on pods are src/assert/pods.ts.
 */
import type { ClusterContext } from "../context.ts";
import type { ClusterView } from "../api/reader.ts";
import type { Pod } from "../api/types.gen.ts";
import { containerLogs, kubeletFor, runToCompletion } from "./server.ts";
import { imageRegistry } from "../images/registry.ts";

function pod(ctx: ClusterView, name: string, namespace = "default"): Pod {
  const p = ctx.api.get("Pod", namespace, name);
  if (!p) throw new Error(`pod ${JSON.stringify(name)} does not exist in namespace ${JSON.stringify(namespace)}`);
  return p;
}

/** The logs as `kubectl logs` shows them (first container unless one is named). */
export function podLogs(ctx: ClusterContext, podName: string, container?: string, namespace?: string, previous = false): string {
  const p = pod(ctx, podName, namespace);
  // Validation gives every pod at least one container.
  return containerLogs(ctx, p, container ?? p.spec!.containers[0].name, previous);
}

/**
 * Runs a shell command on a node's own filesystem (what hostPath volumes see), letting simulated
 * time pass until it ends (at most 10 minutes). Returns its output and exit code.
 */
export function runOnNode(ctx: ClusterContext, nodeName: string, command: string): { stdout: string; exitCode: number } {
  const k = kubeletFor(ctx, nodeName);
  if (!k) throw new Error(`there is no node ${JSON.stringify(nodeName)} in this cluster`);
  let out = "";
  const p = k.nodeShell(["sh", "-c", command], (t) => (out += t));
  const code = runToCompletion(ctx.clock, p);
  if (code === undefined) throw new Error(`"${command}" on node ${JSON.stringify(nodeName)} did not finish within 10 minutes of simulated time`);
  return { stdout: out, exitCode: code };
}

/** `Given the image "x" takes 5 seconds to pull` / `to start`. */
export function setImageDuration(ctx: ClusterContext, image: string, what: "pull" | "start", ms: number): void {
  const r = imageRegistry(ctx);
  if (what === "pull") r.setPullDuration(image, ms);
  else r.setStartDuration(image, ms);
}
