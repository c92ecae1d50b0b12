/**
 * The Priority admission plugin (plugin/pkg/admission/priority): resolves a pod's
 * priorityClassName (or the global default PriorityClass) to spec.priority and
 * spec.preemptionPolicy; without either, priority 0 and PreemptLowerPriority.
 */
import { ApiError } from "../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../store.ts";
import type { KObject } from "../types.ts";

/** The classes every cluster has (created by kube-apiserver at start-up). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  "system-node-critical": 2000001000,
  "system-cluster-critical": 2000000000,
};

function lookup(api: ApiServer, name: string): { value: number; preemptionPolicy?: string } | undefined {
  const pc = api.get("PriorityClass", undefined, name);
  if (pc) return { value: pc.value ?? 0, preemptionPolicy: pc.preemptionPolicy ?? "PreemptLowerPriority" };
  if (name in SYSTEM_PRIORITY_CLASSES) return { value: SYSTEM_PRIORITY_CLASSES[name], preemptionPolicy: "PreemptLowerPriority" };
  return undefined;
}

/** getDefaultPriority: the globalDefault class with the lowest value, or none. */
function defaultPriority(api: ApiServer): { name: string; value: number; preemptionPolicy: string } {
  let best: KObject | undefined;
  for (const pc of api.list("PriorityClass")) {
    if (pc.globalDefault && (!best || (pc.value ?? 0) < (best.value ?? 0))) best = pc;
  }
  if (best) return { name: best.metadata.name!, value: best.value ?? 0, preemptionPolicy: best.preemptionPolicy ?? "PreemptLowerPriority" };
  return { name: "", value: 0, preemptionPolicy: "PreemptLowerPriority" };
}

const forbidden = (pod: KObject, msg: string) => new ApiError("Forbidden", `pods ${JSON.stringify(pod.metadata.name ?? "")} is forbidden: ${msg}`);

export const priorityAdmission: AdmissionPlugin = {
  name: "Priority",
  inertFor: (kind) => kind !== "Pod" && kind !== "PriorityClass",
  /** Only one PriorityClass may be the global default. */
  validate(pc, op, _old, api) {
    if (pc.kind !== "PriorityClass" || !pc.globalDefault || (op !== "CREATE" && op !== "UPDATE")) return;
    const other = api.list("PriorityClass").find((x) => x.globalDefault && x.metadata.name !== pc.metadata.name);
    if (other) {
      throw new ApiError(
        "Forbidden",
        `priorityclasses.scheduling.k8s.io ${JSON.stringify(pc.metadata.name ?? "")} is forbidden: PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`,
      );
    }
  },
  mutate(pod, op, old, api) {
    if (pod.kind !== "Pod") return;
    const spec = pod.spec ?? (pod.spec = {});
    if (op === "UPDATE" && old) {
      if (spec.priority === undefined && old.spec?.priority !== undefined) spec.priority = old.spec.priority;
      if (spec.preemptionPolicy === undefined && old.spec?.preemptionPolicy !== undefined) spec.preemptionPolicy = old.spec.preemptionPolicy;
      return;
    }
    if (op !== "CREATE") return;
    let priority: number;
    let preemptionPolicy: string | undefined;
    if (!spec.priorityClassName) {
      const d = defaultPriority(api);
      priority = d.value;
      preemptionPolicy = d.preemptionPolicy;
      if (d.name) spec.priorityClassName = d.name;
    } else {
      const pc = lookup(api, spec.priorityClassName);
      if (!pc) throw forbidden(pod, `no PriorityClass with name ${spec.priorityClassName} was found`);
      priority = pc.value;
      preemptionPolicy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw forbidden(pod, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
    }
    spec.priority = priority;
    if (preemptionPolicy) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
        throw forbidden(pod, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = preemptionPolicy;
    }
  },
};
