/**
 * Checks about pods (src/assert's convention, expect.ts: each returns undefined or the problem):
 * phase, container states and restarts, readiness, QoS class, eviction, OOM kills, logs. Moved here
 * from the engine folders (kubelet/inspect.ts, kubelet/prober/readiness_wait.ts,
 * kubelet/resourceuse.ts), which keep only engine code.
 */
import type { ClusterView } from "../api/reader.ts";
import type { Container, ContainerStatus, Pod } from "../api/types.gen.ts";
import { isPodReady } from "../api/pod/util.ts";
import type { Problem } from "./expect.ts";

type View = Pick<ClusterView, "api">;

/** The pod, or the problem that it does not exist. */
function podOr(view: View, name: string, namespace = "default"): Pod | string {
  const p: Pod | undefined = view.api.get("Pod", namespace, name);
  return p ?? `pod ${JSON.stringify(name)} does not exist in namespace ${JSON.stringify(namespace)}`;
}

/** The container's status, or the problem (no such container, or no status yet). */
function statusOr(p: Pod, container: string): ContainerStatus | string {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const s = all.find((x) => x.name === container);
  if (s) return s;
  const names = [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name);
  if (!names.includes(container)) return `pod ${JSON.stringify(p.metadata.name)} has no container ${JSON.stringify(container)} (it has: ${names.join(", ")})`;
  return `container ${JSON.stringify(container)} of pod ${JSON.stringify(p.metadata.name)} has no status yet (pod phase ${p.status?.phase})`;
}

function describeState(s: ContainerStatus): string {
  const [k, v] = Object.entries(s.state ?? {})[0] ?? ["none", {}];
  const reason = "reason" in v ? v.reason : undefined;
  const exitCode = "exitCode" in v ? v.exitCode : undefined;
  const r = reason ? ` (${reason}${exitCode !== undefined ? `, exit code ${exitCode}` : ""})` : "";
  return `${k}${r}`;
}

export function checkPodPhase(view: View, name: string, phase: string, namespace?: string): Problem {
  const p = podOr(view, name, namespace);
  if (typeof p === "string") return p;
  if (p.status?.phase === phase) return undefined;
  const cs = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].map((s) => `${s.name}: ${describeState(s)}`);
  return `pod ${JSON.stringify(name)} is ${p.status?.phase}, not ${phase}${p.status?.reason ? ` (reason ${p.status.reason})` : ""}${cs.length ? `; containers: ${cs.join("; ")}` : ""}`;
}

export type ContainerStateKind = "waiting" | "running" | "terminated";

export function checkContainerState(view: View, podName: string, container: string, kind: ContainerStateKind, reason?: string, namespace?: string): Problem {
  const p = podOr(view, podName, namespace);
  if (typeof p === "string") return p;
  const s = statusOr(p, container);
  if (typeof s === "string") return s;
  const v = s.state?.[kind];
  if (v && (reason === undefined || ("reason" in v ? v.reason : undefined) === reason)) return undefined;
  return `container ${JSON.stringify(container)} of pod ${JSON.stringify(podName)} is ${describeState(s)}, not ${kind}${reason ? ` (${reason})` : ""}`;
}

/** The pod's restarts as kubectl's RESTARTS column counts them (regular containers and sidecars). */
export function podRestarts(p: Pod): number {
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  let n = 0;
  for (const s of p.status?.containerStatuses ?? []) n += s.restartCount ?? 0;
  for (const s of p.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) n += s.restartCount ?? 0;
  return n;
}

export function checkPodRestarts(view: View, name: string, count: number, namespace?: string): Problem {
  const p = podOr(view, name, namespace);
  if (typeof p === "string") return p;
  const n = podRestarts(p);
  return n === count ? undefined : `pod ${JSON.stringify(name)} has restarted ${n} time(s), not ${count}`;
}

export function checkContainerRestarts(view: View, podName: string, container: string, count: number, namespace?: string): Problem {
  const p = podOr(view, podName, namespace);
  if (typeof p === "string") return p;
  const s = statusOr(p, container);
  if (typeof s === "string") return s;
  const n = s.restartCount ?? 0;
  return n === count ? undefined : `container ${JSON.stringify(container)} of pod ${JSON.stringify(podName)} has restarted ${n} time(s), not ${count}`;
}

/** The logs (as the backend read them) contain the text. */
export function checkTextInLogs(logs: string, podName: string, text: string, container?: string): Problem {
  if (logs.includes(text)) return undefined;
  return `the logs of ${container ? `container ${JSON.stringify(container)} of ` : ""}pod ${JSON.stringify(podName)} do not contain:\n${text}\n\nthey are:\n${logs}`;
}

/** Phase, conditions and container states in one line (what a readiness failure shows). */
export function podState(view: View, pod: string, namespace: string): string {
  const p: Pod | undefined = view.api.get("Pod", namespace, pod);
  if (!p) return `pod "${pod}" does not exist`;
  const conds = (p.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(", ");
  const cs = (p.status?.containerStatuses ?? []).map((c) => `${c.name}: ready=${c.ready}, restarts=${c.restartCount}, state=${Object.keys(c.state ?? {})[0]}`).join("; ");
  return `phase ${p.status?.phase}; conditions ${conds || "(none)"}; containers ${cs || "(none)"}`;
}

/** The pod is Ready now. */
export function checkReady(view: View, pod: string, namespace = "default"): Problem {
  const p = view.api.get("Pod", namespace, pod);
  if (!p) return `pod "${pod}" does not exist`;
  return isPodReady(p) ? undefined : `pod "${pod}" is not Ready: ${podState(view, pod, namespace)}`;
}

export function checkNotReady(view: View, pod: string, namespace = "default"): Problem {
  const p = view.api.get("Pod", namespace, pod);
  if (!p) return `pod "${pod}" does not exist`;
  return isPodReady(p) ? `pod "${pod}" is Ready: ${podState(view, pod, namespace)}` : undefined;
}

const QOS_CLASSES = ["Guaranteed", "Burstable", "BestEffort"];
const notFound = (name: string) => `Error from server (NotFound): pods "${name}" not found`;
const allContainers = (pod: Pod): Container[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];

/** `pod "x" has QoS class "Burstable"`: what status.qosClass (and kubectl describe) shows. Throws for a name that is no QoS class. */
export function checkQOSClass(view: ClusterView, podName: string, expected: string, namespace = "default"): Problem {
  if (!QOS_CLASSES.includes(expected)) throw new Error(`"${expected}" is not a QoS class: use Guaranteed, Burstable or BestEffort`);
  const pod: Pod | undefined = view.api.get("Pod", namespace, podName);
  if (!pod) return notFound(podName);
  const actual = pod.status?.qosClass;
  if (actual === expected) return undefined;
  const resources = allContainers(pod).map((c) => ({ name: c.name, resources: c.resources ?? {} }));
  return `pod "${podName}" has QoS class ${actual ?? "(none in status.qosClass)"}, not ${expected} (at ${view.clock.nowRFC3339()}); its containers' resources: ${JSON.stringify(resources)}`;
}

/** `pod "x" was evicted`: phase Failed, reason Evicted (node-pressure eviction by the kubelet). */
export function checkEvicted(view: ClusterView, podName: string, namespace = "default"): Problem {
  const pod: Pod | undefined = view.api.get("Pod", namespace, podName);
  if (!pod) return notFound(podName);
  const st = pod.status ?? {};
  if (st.phase === "Failed" && st.reason === "Evicted") return undefined;
  return `pod "${podName}" was not evicted (at ${view.clock.nowRFC3339()}): phase ${st.phase ?? "(none)"}, reason ${st.reason ?? "(none)"}${st.message ? `, message ${JSON.stringify(st.message)}` : ""}`;
}

/** `container "c" of pod "x" was OOM-killed`: its current or last termination has reason OOMKilled. */
export function checkOOMKilled(view: ClusterView, containerName: string, podName: string, namespace = "default"): Problem {
  const pod: Pod | undefined = view.api.get("Pod", namespace, podName);
  if (!pod) return notFound(podName);
  if (!allContainers(pod).some((c) => c.name === containerName)) return `container ${containerName} is not valid for pod ${podName}`;
  const statuses: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const cs = statuses.find((s) => s.name === containerName);
  if ([cs?.state?.terminated?.reason, cs?.lastState?.terminated?.reason].includes("OOMKilled")) return undefined;
  return `container "${containerName}" of pod "${podName}" was not OOM-killed (at ${view.clock.nowRFC3339()}); its status: ${cs ? JSON.stringify({ state: cs.state, lastState: cs.lastState, restartCount: cs.restartCount }) : "(none yet)"}`;
}
