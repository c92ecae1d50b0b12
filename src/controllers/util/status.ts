/**
 * A controller's status write (UpdateStatus with the status it computed), as the workload
 * controllers' `updateReplicaSetStatus` / `syncRolloutStatus` send it.
 */
import type { ClusterContext } from "../../context.ts";
import type { KObject } from "../../api/types.ts";

/**
 * Writes `status` (an object the caller built for this write and keeps no other reference to; it
 * may share frozen parts of the stored status) as the status of `current`, the stored version.
 * The reference engine reads, copies and writes back (`mutate`); the fast engine (issue #19 §3)
 * writes the new status without copying the stored one first, when `current` is still the stored
 * version (otherwise as the reference does: a write of a stale version would be a Conflict).
 */
export function writeStatusOf(ctx: ClusterContext, current: KObject, status: unknown): KObject {
  const { namespace, name } = current.metadata;
  if (!ctx.reference && ctx.api.get(current.kind, namespace, name!) === current) {
    return ctx.api.updateOwned({ ...current, status }, { subresource: "status" });
  }
  return ctx.api.mutate(current.kind, namespace, name!, (x) => (x.status = status), { subresource: "status" });
}
