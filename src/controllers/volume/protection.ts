/**
 * The storage-object-in-use protection controllers (pkg/controller/volume/pvcprotection and
 * pvprotection, v1.32): a PersistentVolumeClaim being deleted keeps its `kubernetes.io/pvc-protection`
 * finalizer (and stays Terminating) while a scheduled pod of its namespace still lists it among
 * its volumes; a PersistentVolume being deleted keeps `kubernetes.io/pv-protection` while it is Bound.
 * Objects created without their finalizer get it.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from "../../api/admission/storage.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";

/** podUsesPVC: a scheduled pod with a volume backed by the claim. */
export function podUsesPVC(pod: KObject, claimName: string): boolean {
  if (!pod.spec?.nodeName) return false;
  return (pod.spec?.volumes ?? []).some((v: { persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown; name: string }) =>
    v.persistentVolumeClaim?.claimName === claimName || (!!v.ephemeral && `${pod.metadata.name}-${v.name}` === claimName),
  );
}

function setFinalizer(ctx: ClusterContext, kind: string, obj: KObject, finalizer: string, present: boolean): void {
  const has = (obj.metadata.finalizers ?? []).includes(finalizer);
  if (has === present) return;
  try {
    ctx.api.mutate(kind, obj.metadata.namespace, obj.metadata.name!, (o) => {
      const rest = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      o.metadata.finalizers = present ? [...rest, finalizer] : rest;
      if (!o.metadata.finalizers.length) delete o.metadata.finalizers;
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

export class PVCProtectionController extends Controller {
  readonly name = "pvc-protection-controller";

  start(): void {
    this.watch("PersistentVolumeClaim", (ev) => {
      if (ev.type !== "DELETED") this.enqueue(ev.object);
    });
    // A pod that goes (or is created) may release (or hold) its claims. (An update that keeps the
    // node does nothing, so a status-only change need not reach it: issue #19 §1.)
    this.watch("Pod", (ev) => {
      if (ev.type === "MODIFIED" && ev.old?.spec?.nodeName === ev.object.spec?.nodeName) return;
      for (const v of ev.object.spec?.volumes ?? []) {
        if (v.persistentVolumeClaim?.claimName) this.queue.add(objectKey(ev.object.metadata.namespace, v.persistentVolumeClaim.claimName));
      }
    }, { ignoresStatusOnly: true });
  }

  /** processPVC. */
  protected override syncHandler(key: string): void {
    const [ns, name] = splitKey(key);
    const pvc = this.ctx.api.get("PersistentVolumeClaim", ns, name);
    if (!pvc) return;
    if (!pvc.metadata.deletionTimestamp) {
      setFinalizer(this.ctx, "PersistentVolumeClaim", pvc, PVC_PROTECTION_FINALIZER, true);
      return;
    }
    if (!(pvc.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER)) return;
    const used = this.ctx.api.list("Pod", { namespace: ns }).some((p) => podUsesPVC(p, name));
    if (!used) setFinalizer(this.ctx, "PersistentVolumeClaim", pvc, PVC_PROTECTION_FINALIZER, false);
  }
}

export class PVProtectionController extends Controller {
  readonly name = "pv-protection-controller";

  start(): void {
    this.watch("PersistentVolume", (ev) => {
      if (ev.type !== "DELETED") this.enqueue(ev.object);
    });
  }

  /** processPV. */
  protected override syncHandler(name: string): void {
    const pv = this.ctx.api.get("PersistentVolume", undefined, name);
    if (!pv) return;
    if (!pv.metadata.deletionTimestamp) {
      setFinalizer(this.ctx, "PersistentVolume", pv, PV_PROTECTION_FINALIZER, true);
      return;
    }
    if (pv.status?.phase !== "Bound") setFinalizer(this.ctx, "PersistentVolume", pv, PV_PROTECTION_FINALIZER, false);
  }
}

export function pvcProtectionController(ctx: ClusterContext): Component {
  return new PVCProtectionController(ctx);
}

export function pvProtectionController(ctx: ClusterContext): Component {
  return new PVProtectionController(ctx);
}
