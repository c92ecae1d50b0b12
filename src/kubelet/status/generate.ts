/**
 * The kubelet-owned pod conditions, as pkg/kubelet/status/generate.go builds them:
 * PodReadyToStartContainers, Initialized, ContainersReady and Ready, with upstream's reasons and
 * messages (`containers with unready status: [app]`). lastTransitionTime is filled in by the
 * status manager (only when a condition's status changes).
 */
import type { Container, ContainerStatus, PodCondition, PodSpec } from "../../api/types.gen.ts";

export type { PodCondition };

export const UnknownContainerStatuses = "UnknownContainerStatuses";
export const PodCompleted = "PodCompleted";
export const PodFailed = "PodFailed";
export const ContainersNotReady = "ContainersNotReady";
export const ContainersNotInitialized = "ContainersNotInitialized";
export const ReadinessGatesNotReady = "ReadinessGatesNotReady";

export function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

/** Go's `%s` of a []string: `[a b]`. */
export function goList(names: string[]): string {
  return `[${names.join(" ")}]`;
}

function statusOf(statuses: ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  return statuses?.find((s) => s.name === name);
}

/** kubecontainer.HasAnyRegularContainerStarted: a regular container is running or has terminated. */
export function hasAnyRegularContainerStarted(spec: PodSpec, statuses: ContainerStatus[] | undefined): boolean {
  if (!statuses?.length) return false;
  // Loops rather than a Set and closures: asked at every status generation (issue #19).
  const containers = spec.containers ?? [];
  for (const s of statuses) {
    if (!(s.state?.running || s.state?.terminated)) continue;
    for (const c of containers) if (c.name === s.name) return true;
  }
  return false;
}

export function generatePodReadyToStartContainersCondition(sandboxReady: boolean): PodCondition {
  return { type: "PodReadyToStartContainers", status: sandboxReady ? "True" : "False" };
}

export function generateContainersReadyCondition(spec: PodSpec, statuses: ContainerStatus[] | undefined, phase: string): PodCondition {
  if (!statuses) return { type: "ContainersReady", status: "False", reason: UnknownContainerStatuses };
  const unknown: string[] = [];
  const unready: string[] = [];
  const consider = [...(spec.initContainers ?? []).filter(isRestartableInitContainer), ...(spec.containers ?? [])];
  for (const c of consider) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return { type: "ContainersReady", status: "False", reason: PodCompleted };
  if (phase === "Failed") return { type: "ContainersReady", status: "False", reason: PodFailed };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return { type: "ContainersReady", status: "False", reason: ContainersNotReady, message: messages.join(", ") };
  return { type: "ContainersReady", status: "True" };
}

/**
 * Ready: copies ContainersReady unless it is True, then checks the readiness gates. `cr` is
 * ContainersReady for the same spec, statuses and phase when the caller has it already.
 */
export function generatePodReadyCondition(
  spec: PodSpec,
  conditions: PodCondition[],
  statuses: ContainerStatus[] | undefined,
  phase: string,
  cr: PodCondition = generateContainersReadyCondition(spec, statuses, phase),
): PodCondition {
  if (cr.status !== "True") return { type: "Ready", status: cr.status, ...(cr.reason ? { reason: cr.reason } : {}), ...(cr.message ? { message: cr.message } : {}) };
  const unready: string[] = [];
  for (const gate of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) unready.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== "True") unready.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (unready.length) return { type: "Ready", status: "False", reason: ReadinessGatesNotReady, message: unready.join(", ") };
  return { type: "Ready", status: "True" };
}

/** Initialized: every regular init container ready (exited 0), every sidecar started. */
export function generatePodInitializedCondition(spec: PodSpec, statuses: ContainerStatus[] | undefined, phase: string): PodCondition {
  const inits: Container[] = spec.initContainers ?? [];
  if (!statuses && inits.length > 0) return { type: "Initialized", status: "False", reason: UnknownContainerStatuses };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusOf(statuses, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (isRestartableInitContainer(c)) {
      if (!s.started) incomplete.push(c.name);
    } else if (!s.ready) incomplete.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0) return { type: "Initialized", status: "True", reason: PodCompleted };
  if (hasAnyRegularContainerStarted(spec, statuses)) return { type: "Initialized", status: "True" };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return { type: "Initialized", status: "False", reason: ContainersNotInitialized, message: messages.join(", ") };
  return { type: "Initialized", status: "True" };
}
