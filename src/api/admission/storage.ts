/**
 * The storage admission plugins of kube-apiserver (v1.32):
 * - DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new
 *   PersistentVolumeClaim without a class (storageClassName unset, not "") gets the default
 *   StorageClass — the one annotated `storageclass.kubernetes.io/is-default-class: "true"`, the
 *   newest when there are several;
 * - StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection):
 *   new claims get the finalizer `kubernetes.io/pvc-protection`, new volumes
 *   `kubernetes.io/pv-protection`, which the protection controllers remove once nothing uses them.
 */
import type { AdmissionPlugin, ApiServer } from "../store.ts";
import type { KObject } from "../types.ts";
import { ANN_BETA_STORAGE_CLASS, ANN_DEFAULT_STORAGE_CLASS } from "../helper/pv_helpers.ts";

export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";

/** GetDefaultClass: the newest StorageClass marked default (by creation time, then name). */
export function getDefaultClass(api: ApiServer): KObject | undefined {
  let best: KObject | undefined;
  for (const sc of api.list("StorageClass")) {
    const v = sc.metadata.annotations?.[ANN_DEFAULT_STORAGE_CLASS] ?? sc.metadata.annotations?.["storageclass.beta.kubernetes.io/is-default-class"];
    if (v !== "true") continue;
    if (!best) best = sc;
    else {
      const a = sc.metadata.creationTimestamp ?? "";
      const b = best.metadata.creationTimestamp ?? "";
      if (a > b || (a === b && (sc.metadata.name ?? "") < (best.metadata.name ?? ""))) best = sc;
    }
  }
  return best;
}

export const defaultStorageClass: AdmissionPlugin = {
  name: "DefaultStorageClass",
  inertFor: (kind) => kind !== "PersistentVolumeClaim",
  mutate(obj, op, _old, api) {
    if (obj.kind !== "PersistentVolumeClaim" || op !== "CREATE") return;
    if (obj.spec?.storageClassName !== undefined && obj.spec?.storageClassName !== null) return;
    if (obj.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return;
    const def = getDefaultClass(api);
    if (!def) return;
    obj.spec = { ...(obj.spec ?? {}), storageClassName: def.metadata.name };
  },
};

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: "StorageObjectInUseProtection",
  inertFor: (kind) => kind !== "PersistentVolumeClaim" && kind !== "PersistentVolume",
  mutate(obj, op) {
    if (op !== "CREATE") return;
    const finalizer = obj.kind === "PersistentVolumeClaim" ? PVC_PROTECTION_FINALIZER : obj.kind === "PersistentVolume" ? PV_PROTECTION_FINALIZER : undefined;
    if (!finalizer) return;
    const list = obj.metadata.finalizers ?? [];
    if (!list.includes(finalizer)) obj.metadata.finalizers = [...list, finalizer];
  },
};
