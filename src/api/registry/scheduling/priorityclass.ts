/**
 * The system PriorityClasses kube-apiserver creates at start-up (pkg/registry/scheduling/rest
 * storage_scheduling.go's `scheduling/bootstrap-system-priority-classes` PostStartHook, with the
 * classes of pkg/apis/scheduling/helpers.go SystemPriorityClasses): `system-node-critical` and
 * `system-cluster-critical`, which `kubectl get priorityclasses` lists on every cluster.
 */
import type { ApiServer } from "../../store.ts";
import { SYSTEM_PRIORITY_CLASSES } from "../../admission/priority.ts";

const DESCRIPTIONS: Record<string, string> = {
  "system-node-critical": "Used for system critical pods that must not be moved from their current node.",
  "system-cluster-critical": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
};

/** AddSystemPriorityClasses: creates each system class that does not exist yet, in upstream's order. */
export function createSystemPriorityClasses(api: ApiServer): void {
  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    if (api.get("PriorityClass", undefined, name)) continue;
    api.create({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, description: DESCRIPTIONS[name] });
  }
}
