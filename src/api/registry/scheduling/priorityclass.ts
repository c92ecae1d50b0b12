/**
 * The system PriorityClasses kube-apiserver creates at start-up (pkg/registry/scheduling/rest
 * storage_scheduling.go's `scheduling/bootstrap-system-priority-classes` PostStartHook, with the
 * classes of pkg/apis/scheduling/helpers.go SystemPriorityClasses): `system-node-critical` and
 * `system-cluster-critical`, which `kubectl get priorityclasses` lists on every cluster.
 */
import type { ApiServer } from "../../store.ts";
import type { KObject } from "../../types.ts";
import { SYSTEM_PRIORITY_CLASSES } from "../../admission/priority.ts";

const DESCRIPTIONS: Record<string, string> = {
  "system-node-critical": "Used for system critical pods that must not be moved from their current node.",
  "system-cluster-critical": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
};

/** The requests, made once per process and frozen (the store copies a create's input; the start replay knows a frozen request by identity). */
const REQUESTS: readonly KObject[] = Object.freeze(
  Object.entries(SYSTEM_PRIORITY_CLASSES).map(([name, value]) =>
    Object.freeze({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: Object.freeze({ name }), value, description: DESCRIPTIONS[name] }),
  ),
);

/** AddSystemPriorityClasses: creates each system class that does not exist yet, in upstream's order. */
export function createSystemPriorityClasses(api: ApiServer): void {
  for (const pc of REQUESTS) if (!api.get("PriorityClass", undefined, pc.metadata.name!)) api.create(pc);
}
