/**
 * Questions about pods and nodes that scenarios ask (the readable steps of steps/pods.steps.ts and
 * steps/nodes.steps.ts, and the programmatic API): each check throws an Error that says what was
 * expected and what the object shows now.
 */
import type { ClusterContext } from "../context.ts";
import type { ClusterView } from "../api/reader.ts";
import type { ContainerStatus, Pod } from "../api/types.gen.ts";
import { containerLogs, kubeletFor, runToCompletion } from "./server.ts";
import { imageRegistry } from "../images/registry.ts";

function pod(ctx: ClusterView, name: string, namespace = "default"): Pod {
  const p = ctx.api.get("Pod", namespace, name);
  if (!p) throw new Error(`pod ${JSON.stringify(name)} does not exist in namespace ${JSON.stringify(namespace)}`);
  return p;
}

function statusOf(p: Pod, container: string): ContainerStatus {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const s = all.find((x) => x.name === container);
  if (!s) {
    const names = [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name);
    if (!names.includes(container)) throw new Error(`pod ${JSON.stringify(p.metadata.name)} has no container ${JSON.stringify(container)} (it has: ${names.join(", ")})`);
    throw new Error(`container ${JSON.stringify(container)} of pod ${JSON.stringify(p.metadata.name)} has no status yet (pod phase ${p.status?.phase})`);
  }
  return s;
}

function describeState(s: ContainerStatus): string {
  const [k, v] = Object.entries(s.state ?? {})[0] ?? ["none", {}];
  const reason = "reason" in v ? v.reason : undefined;
  const exitCode = "exitCode" in v ? v.exitCode : undefined;
  const r = reason ? ` (${reason}${exitCode !== undefined ? `, exit code ${exitCode}` : ""})` : "";
  return `${k}${r}`;
}

export function expectPodPhase(ctx: ClusterView, name: string, phase: string, namespace?: string): void {
  const p = pod(ctx, name, namespace);
  if (p.status?.phase !== phase) {
    const cs = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].map((s) => `${s.name}: ${describeState(s)}`);
    throw new Error(`pod ${JSON.stringify(name)} is ${p.status?.phase}, not ${phase}${p.status?.reason ? ` (reason ${p.status.reason})` : ""}${cs.length ? `; containers: ${cs.join("; ")}` : ""}`);
  }
}

export type ContainerStateKind = "waiting" | "running" | "terminated";

export function expectContainerState(ctx: ClusterView, podName: string, container: string, kind: ContainerStateKind, reason?: string, namespace?: string): void {
  const s = statusOf(pod(ctx, podName, namespace), container);
  const v = s.state?.[kind];
  if (!v || (reason !== undefined && ("reason" in v ? v.reason : undefined) !== reason)) {
    throw new Error(`container ${JSON.stringify(container)} of pod ${JSON.stringify(podName)} is ${describeState(s)}, not ${kind}${reason ? ` (${reason})` : ""}`);
  }
}

/** The pod's restarts as kubectl's RESTARTS column counts them (regular containers and sidecars). */
export function podRestarts(p: Pod): number {
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  let n = 0;
  for (const s of p.status?.containerStatuses ?? []) n += s.restartCount ?? 0;
  for (const s of p.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) n += s.restartCount ?? 0;
  return n;
}

export function expectPodRestarts(ctx: ClusterView, name: string, count: number, namespace?: string): void {
  const n = podRestarts(pod(ctx, name, namespace));
  if (n !== count) throw new Error(`pod ${JSON.stringify(name)} has restarted ${n} time(s), not ${count}`);
}

export function expectContainerRestarts(ctx: ClusterView, podName: string, container: string, count: number, namespace?: string): void {
  const s = statusOf(pod(ctx, podName, namespace), container);
  if ((s.restartCount ?? 0) !== count) throw new Error(`container ${JSON.stringify(container)} of pod ${JSON.stringify(podName)} has restarted ${s.restartCount ?? 0} time(s), not ${count}`);
}

/** The logs as `kubectl logs` shows them (first container unless one is named). */
export function podLogs(ctx: ClusterContext, podName: string, container?: string, namespace?: string, previous = false): string {
  const p = pod(ctx, podName, namespace);
  // Validation gives every pod at least one container.
  return containerLogs(ctx, p, container ?? p.spec!.containers[0].name, previous);
}

export function expectLogsContain(ctx: ClusterContext, podName: string, text: string, container?: string, namespace?: string): void {
  expectTextInLogs(podLogs(ctx, podName, container, namespace), podName, text, container);
}

/** The logs' check alone (the live backend fetches logs through the API). */
export function expectTextInLogs(logs: string, podName: string, text: string, container?: string): void {
  if (!logs.includes(text)) throw new Error(`the logs of ${container ? `container ${JSON.stringify(container)} of ` : ""}pod ${JSON.stringify(podName)} do not contain:\n${text}\n\nthey are:\n${logs}`);
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
