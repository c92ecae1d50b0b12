/**
 * Pod helpers every component shares, as upstream keeps them beside the API types
 * (pkg/api/v1/pod/util.go: GetPodCondition, GetPodReadyCondition, IsPodReady,
 * IsPodReadyConditionTrue, IsPodAvailable, IsPodTerminal, IsPodPhaseTerminal, FindPort).
 */
import type { Pod, PodCondition, PodStatus, ServicePort } from "../types.gen.ts";

/** GetPodConditionFromList / GetPodCondition: the condition of `type`, if the status has it. */
export function getPodCondition(status: PodStatus | undefined, type: string): PodCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** The pod's condition of `type` (GetPodCondition on the pod's status). */
export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return getPodCondition(pod.status, type);
}

/** GetPodReadyCondition. */
export function getPodReadyCondition(status: PodStatus | undefined): PodCondition | undefined {
  return getPodCondition(status, "Ready");
}

/** IsPodReadyConditionTrue: the status's Ready condition is True. */
export function isPodReadyConditionTrue(status: PodStatus | undefined): boolean {
  return getPodReadyCondition(status)?.status === "True";
}

/** IsPodReady: the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return isPodReadyConditionTrue(pod.status);
}

/**
 * IsPodAvailable: ready for at least `minReadySeconds` at `nowMs` (a Ready condition without a
 * transition time counts as available, as upstream's zero time does).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = getPodReadyCondition(pod.status);
  if (c?.status !== "True") return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(c.lastTransitionTime ?? "");
  return Number.isNaN(since) || since + minReadySeconds * 1000 <= nowMs;
}

/** IsPodPhaseTerminal: Succeeded or Failed. */
export function isPodPhaseTerminal(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

/** IsPodTerminal: the pod's phase is Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  return isPodPhaseTerminal(pod.status?.phase);
}

/**
 * FindPort: a Service port's targetPort on a pod. A number (or numeric string) is used as is; a
 * name is looked up among the pod's containers' ports with the same protocol.
 */
export function findPort(pod: Pod, servicePort: Pick<ServicePort, "port" | "targetPort" | "protocol">): number | Error {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = servicePort.protocol ?? "TCP";
  if (typeof target === "number") return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
    }
  }
  return new Error(`no suitable port for manifest: ${pod.metadata.uid}`);
}
