/**
 * client-go's util/csaupgrade, as `kubectl apply --server-side` uses it to move a client-side
 * apply's field ownership to its server-side apply manager (apply.go migrateToSSAIfNecessary):
 * the `Update` entries of the client-side managers (those that own the last-applied annotation)
 * are merged into the server-side manager's `Apply` entry (made from the most recent of them when
 * there is none), and dropped.
 */
import { owns, unionOf, type FieldSet, type ManagedFieldsEntry } from "../api/fieldmanager.ts";

/** The path of the last-applied annotation in a FieldsV1 set (lastAppliedAnnotationFieldPath). */
export const LAST_APPLIED_PATH = ["f:metadata", "f:annotations", "f:kubectl.kubernetes.io/last-applied-configuration"];

/** csaupgrade.FindFieldsOwners: the entries of an operation that own a field. */
export function findFieldsOwners(entries: readonly ManagedFieldsEntry[], operation: "Apply" | "Update", path: string[]): ManagedFieldsEntry[] {
  return entries.filter((e) => e.operation === operation && owns(e.fieldsV1 ?? {}, path));
}

/**
 * csaupgrade.UpgradeManagedFields for each client-side manager in turn: the entries after the
 * upgrade, or undefined when there is nothing to do (UpgradeManagedFieldsPatch's nil patch).
 */
export function upgradeManagedFields(entries: readonly ManagedFieldsEntry[], csaManagers: ReadonlySet<string>, ssaManager: string): ManagedFieldsEntry[] | undefined {
  let out = entries.map((e) => ({ ...e }));
  let changed = false;
  for (const csa of csaManagers) {
    const isCsa = (e: ManagedFieldsEntry) => e.manager === csa && e.operation === "Update" && !e.subresource;
    let target = out.findIndex((e) => e.manager === ssaManager && e.operation === "Apply" && !e.subresource);
    if (target < 0) {
      target = out.findIndex(isCsa);
      if (target < 0) continue;
      out[target] = { ...out[target]!, operation: "Apply", manager: ssaManager };
    }
    const ssa = out[target]!;
    const from = out.find((e, i) => i !== target && isCsa(e) && e.apiVersion === ssa.apiVersion);
    const fields: FieldSet = from ? unionOf(ssa.fieldsV1, from.fieldsV1) : ssa.fieldsV1;
    out[target] = { ...ssa, fieldsV1: fields };
    out = out.filter((e) => !isCsa(e));
    changed = true;
  }
  return changed ? out : undefined;
}
