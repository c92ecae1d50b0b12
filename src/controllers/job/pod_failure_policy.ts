/**
 * Matching a failed pod against the Job's podFailurePolicy (pkg/controller/job/pod_failure_policy.go,
 * v1.32): the first rule whose onExitCodes (a terminated container, regular containers before init
 * containers, with a non-zero exit code In / NotIn the values) or onPodConditions (a condition of
 * that type and status) matches decides: FailJob fails the Job with the rule's message, Ignore does
 * not count the failure, FailIndex fails the pod's index (backoffLimitPerIndex), Count counts it.
 */
import type { KObject } from "../../api/types.ts";
import type { ContainerStatus } from "../../api/types.gen.ts";

export type PodFailurePolicyAction = "FailJob" | "FailIndex" | "Ignore" | "Count";

export interface PodFailurePolicyMatch {
  /** The Job failure message (FailJob rules only). */
  message?: string;
  /** Whether the failure counts toward backoffLimit (and backoffLimitPerIndex). */
  countFailed: boolean;
  /** The action of the matching rule, if any. */
  action?: PodFailurePolicyAction;
}

/** The parts of the API types the policy reads. */
interface OnExitCodes {
  containerName?: string;
  operator: "In" | "NotIn";
  values?: number[];
}
interface OnPodCondition {
  type: string;
  status?: string;
}
interface Rule {
  action: PodFailurePolicyAction;
  onExitCodes?: OnExitCodes;
  onPodConditions?: OnPodCondition[];
}
export interface PodFailurePolicy {
  rules?: Rule[];
}

/** matchPodFailurePolicy */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined | null, pod: KObject): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod, rule.onExitCodes);
      if (!cs) continue;
      switch (rule.action) {
        case "Ignore":
          return { countFailed: false, action: "Ignore" };
        case "FailIndex":
          return { countFailed: true, action: "FailIndex" };
        case "Count":
          return { countFailed: true, action: "Count" };
        case "FailJob":
          return {
            message: `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.state?.terminated?.exitCode} matching FailJob rule at index ${index}`,
            countFailed: true,
            action: "FailJob",
          };
      }
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(pod, rule.onPodConditions);
      if (!cond) continue;
      switch (rule.action) {
        case "Ignore":
          return { countFailed: false, action: "Ignore" };
        case "FailIndex":
          return { countFailed: true, action: "FailIndex" };
        case "Count":
          return { countFailed: true, action: "Count" };
        case "FailJob":
          return {
            message: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond.type} matching FailJob rule at index ${index}`,
            countFailed: true,
            action: "FailJob",
          };
      }
    }
  }
  return { countFailed: true };
}

function matchOnExitCodes(pod: KObject, req: OnExitCodes): ContainerStatus | undefined {
  return matchingContainer(pod.status?.containerStatuses ?? [], req) ?? matchingContainer(pod.status?.initContainerStatuses ?? [], req);
}

function matchingContainer(statuses: ContainerStatus[], req: OnExitCodes): ContainerStatus | undefined {
  for (const cs of statuses) {
    const terminated = cs.state?.terminated;
    if (!terminated) continue;
    if (req.containerName && req.containerName !== cs.name) continue;
    if (terminated.exitCode === 0) continue;
    const inValues = (req.values ?? []).includes(terminated.exitCode);
    if ((req.operator === "In" && inValues) || (req.operator === "NotIn" && !inValues)) return cs;
  }
  return undefined;
}

function matchOnPodConditions(pod: KObject, patterns: OnPodCondition[]): { type: string } | undefined {
  for (const c of pod.status?.conditions ?? []) {
    for (const p of patterns) if (c.type === p.type && c.status === (p.status ?? "True")) return c;
  }
  return undefined;
}
