/**
 * The PersistentVolume controller (pkg/controller/volume/persistentvolume/pv_controller.go,
 * pv_controller_base.go, v1.32): binds claims to volumes and keeps both phases.
 *
 * - syncUnboundClaim: a claim without a volume gets the smallest Available volume of its class
 *   with enough capacity and the access modes (findBestMatchForClaim); with a WaitForFirstConsumer
 *   class it waits (`WaitForFirstConsumer` "waiting for first consumer to be created before
 *   binding") until the scheduler picks a node (`volume.kubernetes.io/selected-node`); then a class
 *   with an external provisioner gets `volume.kubernetes.io/storage-provisioner` and the event
 *   `ExternalProvisioning`; without a class: `FailedBinding` "no persistent volumes available for
 *   this claim and no storage class is set", until a StorageClass is made the default: the claim
 *   then gets it (assignDefaultStorageClass, retroactively). A claim pre-bound to a volume
 *   (spec.volumeName) is bound to it.
 * - bind: the volume's claimRef (`pv.kubernetes.io/bound-by-controller`), phase Bound; the claim's
 *   volumeName, `pv.kubernetes.io/bind-completed`, phase Bound with the volume's capacity and
 *   access modes.
 * - syncVolume: a volume without a claim is Available; one whose claim is gone is Released and
 *   reclaimed: Retain keeps it, Delete leaves it to its provisioner (`pv.kubernetes.io/provisioned-by`)
 *   or fails (`VolumeFailedDelete`) for a volume no plugin can delete, Recycle fails the same way.
 * - Claims and volumes not yet bound are synced again every 15 s (the informers' resync period),
 *   so events such as WaitForFirstConsumer repeat as on a real cluster.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { getDefaultClass } from "../../api/admission/storage.ts";
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  findBestMatchForClaim,
  getPersistentVolumeClaimClass,
  isDelayBindingMode,
} from "../../api/helper/pv_helpers.ts";
import { Controller } from "../controller.ts";
import { objectKey, splitKey } from "../queue.ts";
import type { TimerHandle } from "../../sim/clock.ts";

export const PV_RESYNC_PERIOD_MS = 15_000;
const SOURCE = { component: "persistentvolume-controller" };

export class PersistentVolumeController extends Controller {
  readonly name = "persistentvolume-binder-controller";
  /** The claim queue is the main queue (syncHandler: syncClaim); volumes have their own. */
  private readonly claimQueue = this.queue;
  private readonly volumeQueue = this.newQueue((k) => this.syncVolumeKey(k));

  start(): void {
    this.watch("PersistentVolumeClaim", (ev) => {
      const c = ev.object;
      if (ev.type === "DELETED") {
        // The claim's volume must notice it is released.
        if (c.spec?.volumeName) this.volumeQueue.add(c.spec.volumeName);
        return;
      }
      this.claimQueue.add(objectKey(c.metadata.namespace, c.metadata.name!));
    });
    this.watch("PersistentVolume", (ev) => {
      const v = ev.object;
      if (ev.type === "DELETED") {
        const ref = v.spec?.claimRef;
        if (ref) this.claimQueue.add(objectKey(ref.namespace, ref.name));
        return;
      }
      this.volumeQueue.add(v.metadata.name!);
      // A new or freed volume may be what a pending claim waits for.
      if (v.status?.phase === "Available" || !v.status?.phase) for (const c of this.pendingClaims()) this.claimQueue.add(objectKey(c.metadata.namespace, c.metadata.name!));
      const ref = v.spec?.claimRef;
      if (ref) this.claimQueue.add(objectKey(ref.namespace, ref.name));
    });
    this.watch("StorageClass", () => {
      for (const c of this.pendingClaims()) this.claimQueue.add(objectKey(c.metadata.namespace, c.metadata.name!));
    });
  }

  protected override syncHandler(key: string): void {
    this.syncClaimKey(key);
  }

  /**
   * The informers' 15 s resync, armed only while some claim or volume is not bound (a cluster
   * without storage pays no periodic timer for it).
   */
  private resyncTimer: TimerHandle | undefined;
  private armResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = this.after(PV_RESYNC_PERIOD_MS, () => {
      this.resyncTimer = undefined;
      this.resync();
    });
  }

  /** The periodic resync: every claim not yet bound and every volume not bound. */
  private resync(): void {
    let pending = false;
    for (const c of this.pendingClaims()) {
      this.claimQueue.add(objectKey(c.metadata.namespace, c.metadata.name!));
      pending = true;
    }
    for (const v of this.ctx.api.list("PersistentVolume")) {
      if (v.status?.phase === "Bound") continue;
      this.volumeQueue.add(v.metadata.name!);
      pending = true;
    }
    if (pending) this.armResync();
  }

  private pendingClaims(): KObject[] {
    if (this.ctx.api.count("PersistentVolumeClaim") === 0) return [];
    return this.ctx.api.list("PersistentVolumeClaim").filter((c) => c.status?.phase !== "Bound" && !c.metadata.deletionTimestamp);
  }

  private event(obj: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    this.ctx.events.record(obj, { type, reason, message, source: SOURCE });
  }

  private storageClass(name: string): KObject | undefined {
    return this.ctx.api.get("StorageClass", undefined, name);
  }

  private syncClaimKey(key: string): void {
    const [ns, name] = splitKey(key);
    const claim = this.ctx.api.get("PersistentVolumeClaim", ns, name);
    if (!claim) return;
    if (claim.status?.phase !== "Bound") this.armResync();
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== "yes") this.syncUnboundClaim(claim);
    else this.syncBoundClaim(claim);
  }

  private syncVolumeKey(name: string): void {
    const volume = this.ctx.api.get("PersistentVolume", undefined, name);
    if (!volume) return;
    if (volume.status?.phase !== "Bound") this.armResync();
    this.syncVolume(volume);
  }

  /** syncUnboundClaim */
  private syncUnboundClaim(claim: KObject): void {
    const api = this.ctx.api;
    if (!claim.spec?.volumeName) {
      const delayBinding = isDelayBindingMode(claim, (n) => this.storageClass(n));
      const volume = findBestMatchForClaim(claim, api.list("PersistentVolume"), delayBinding);
      if (!volume) {
        // No volume: a claim without a class gets the default one, if there is one now.
        if (this.assignDefaultStorageClass(claim)) return;
        const className = getPersistentVolumeClaimClass(claim);
        if (delayBinding && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
          this.event(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
        } else if (className !== "") {
          this.provisionClaim(claim, className);
        } else {
          this.event(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
        }
        this.updateClaimStatus(claim, "Pending");
        return;
      }
      this.bind(volume, claim);
      return;
    }
    // Pre-bound by the user to a named volume.
    const volume = api.get("PersistentVolume", undefined, claim.spec.volumeName);
    if (!volume) {
      this.updateClaimStatus(claim, "Pending");
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref || (ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && (!ref.uid || ref.uid === claim.metadata.uid))) {
      this.bind(volume, claim);
      return;
    }
    this.event(claim, "Warning", "FailedBinding", "volume \"" + volume.metadata.name + "\" already bound to a different claim.");
    this.updateClaimStatus(claim, "Pending");
  }

  /**
   * assignDefaultStorageClass (RetroactiveDefaultStorageClass, GA since v1.28): a claim that has no
   * class (PersistentVolumeClaimHasClass: no beta annotation, storageClassName unset, not "") gets
   * the default StorageClass (GetDefaultClass: the newest marked default) when none was the default
   * at its creation; the update brings the claim back to the queue, which then syncs it with its class.
   */
  private assignDefaultStorageClass(claim: KObject): boolean {
    if (claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return false;
    if (claim.spec?.storageClassName !== undefined && claim.spec?.storageClassName !== null) return false;
    const def = getDefaultClass(this.ctx.api);
    if (!def) return false;
    this.ctx.api.mutate("PersistentVolumeClaim", claim.metadata.namespace, claim.metadata.name!, (c) => {
      c.spec = { ...(c.spec ?? {}), storageClassName: def.metadata.name };
    });
    return true;
  }

  /** provisionClaim: a class with an external provisioner: annotate the claim and wait for the provisioner. */
  private provisionClaim(claim: KObject, className: string): void {
    const sc = this.storageClass(className);
    if (!sc) {
      this.event(claim, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`);
      return;
    }
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== sc.provisioner) {
      this.ctx.api.mutate("PersistentVolumeClaim", claim.metadata.namespace, claim.metadata.name!, (c) => {
        c.metadata.annotations = { ...(c.metadata.annotations ?? {}), [ANN_BETA_STORAGE_PROVISIONER]: sc.provisioner, [ANN_STORAGE_PROVISIONER]: sc.provisioner };
      });
    }
    this.event(
      claim,
      "Normal",
      "ExternalProvisioning",
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** syncBoundClaim: a bound claim whose volume is gone is Lost. */
  private syncBoundClaim(claim: KObject): void {
    const volume = claim.spec?.volumeName ? this.ctx.api.get("PersistentVolume", undefined, claim.spec.volumeName) : undefined;
    if (!volume) {
      if (claim.status?.phase !== "Lost") {
        this.updateClaimStatus(claim, "Lost");
        this.event(claim, "Warning", "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
      }
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata.uid) {
      if (!ref || volume.status?.phase !== "Bound" || claim.status?.phase !== "Bound") this.bind(volume, claim);
      return;
    }
    if (claim.status?.phase !== "Lost") {
      this.updateClaimStatus(claim, "Lost");
      this.event(claim, "Warning", "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    }
  }

  /** bind: volume → claim, then claim → volume, then both phases Bound. */
  bind(volume: KObject, claim: KObject): void {
    const api = this.ctx.api;
    let v = volume;
    const ref = v.spec?.claimRef;
    if (!ref || !ref.uid || ref.uid !== claim.metadata.uid || v.status?.phase !== "Bound") {
      v = api.mutate("PersistentVolume", undefined, v.metadata.name!, (pv) => {
        if (!pv.spec.claimRef || !pv.spec.claimRef.uid) {
          if (!pv.spec.claimRef) pv.metadata.annotations = { ...(pv.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: "yes" };
          pv.spec.claimRef = {
            kind: "PersistentVolumeClaim",
            namespace: claim.metadata.namespace,
            name: claim.metadata.name,
            uid: claim.metadata.uid,
            apiVersion: "v1",
            resourceVersion: claim.metadata.resourceVersion,
          };
        }
      });
      this.updateVolumePhase(v, "Bound");
      v = api.get("PersistentVolume", undefined, v.metadata.name!)!;
    }
    let c = api.get("PersistentVolumeClaim", claim.metadata.namespace, claim.metadata.name!)!;
    if (c.spec?.volumeName !== v.metadata.name || c.metadata.annotations?.[ANN_BIND_COMPLETED] !== "yes") {
      c = api.mutate("PersistentVolumeClaim", c.metadata.namespace, c.metadata.name!, (pvc) => {
        const ann = { ...(pvc.metadata.annotations ?? {}) };
        if (!pvc.spec.volumeName) ann[ANN_BOUND_BY_CONTROLLER] = "yes";
        ann[ANN_BIND_COMPLETED] = "yes";
        pvc.metadata.annotations = Object.fromEntries(Object.entries(ann).sort(([a], [b]) => (a < b ? -1 : 1)));
        pvc.spec.volumeName = v.metadata.name;
      });
    }
    if (c.status?.phase !== "Bound") {
      api.mutate("PersistentVolumeClaim", c.metadata.namespace, c.metadata.name!, (pvc) => {
        pvc.status = { accessModes: [...(v.spec?.accessModes ?? [])], capacity: { ...(v.spec?.capacity ?? {}) }, phase: "Bound" };
      }, { subresource: "status" });
    }
  }

  private updateClaimStatus(claim: KObject, phase: string): void {
    if (claim.status?.phase === phase) return;
    this.ctx.api.mutate("PersistentVolumeClaim", claim.metadata.namespace, claim.metadata.name!, (c) => {
      c.status = phase === "Pending" ? { phase } : { ...(c.status ?? {}), phase };
    }, { subresource: "status" });
  }

  private updateVolumePhase(volume: KObject, phase: string, message?: string): void {
    const current = this.ctx.api.get("PersistentVolume", undefined, volume.metadata.name!);
    if (!current || (current.status?.phase === phase && (current.status?.message ?? undefined) === message)) return;
    this.ctx.api.mutate("PersistentVolume", undefined, volume.metadata.name!, (pv) => {
      const changed = pv.status?.phase !== phase;
      pv.status = {
        lastPhaseTransitionTime: changed ? this.ctx.clock.nowRFC3339() : pv.status?.lastPhaseTransitionTime,
        ...(message ? { message } : {}),
        phase,
      };
    }, { subresource: "status" });
  }

  /** syncVolume */
  private syncVolume(volume: KObject): void {
    const ref = volume.spec?.claimRef;
    if (!ref) {
      this.updateVolumePhase(volume, "Available");
      return;
    }
    if (!ref.uid) {
      // Pre-bound by the user: available until the claim exists and binds.
      this.updateVolumePhase(volume, "Available");
      const claim = this.ctx.api.get("PersistentVolumeClaim", ref.namespace, ref.name);
      if (claim) this.claimQueue.add(objectKey(ref.namespace, ref.name));
      return;
    }
    const claim = this.ctx.api.get("PersistentVolumeClaim", ref.namespace, ref.name);
    if (!claim || claim.metadata.uid !== ref.uid) {
      // The claim is gone: the volume is released and reclaimed.
      if (volume.status?.phase !== "Released" && volume.status?.phase !== "Failed") this.updateVolumePhase(volume, "Released");
      this.reclaimVolume(this.ctx.api.get("PersistentVolume", undefined, volume.metadata.name!) ?? volume);
      return;
    }
    if (!claim.spec?.volumeName) {
      // The claim is being bound (by the controller or the scheduler): finish it.
      this.claimQueue.add(objectKey(ref.namespace, ref.name));
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      this.updateVolumePhase(volume, "Bound");
      return;
    }
    // Bound to a claim that points elsewhere: a controller-made binding is undone.
    if (volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === "yes") {
      this.ctx.api.mutate("PersistentVolume", undefined, volume.metadata.name!, (pv) => {
        delete pv.spec.claimRef;
        delete pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER];
      });
      this.updateVolumePhase(volume, "Available");
    }
  }

  /** reclaimVolume: Retain keeps the volume; Delete and Recycle need a plugin or a provisioner. */
  private reclaimVolume(volume: KObject): void {
    if (volume.status?.phase !== "Released") return;
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? "Retain";
    if (policy === "Retain") return;
    if (policy === "Delete") {
      // A provisioned volume is deleted by its (external) provisioner.
      if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) return;
      const message = `error getting deleter volume plugin for volume ${JSON.stringify(volume.metadata.name)}: no deletable volume plugin matched`;
      this.event(volume, "Warning", "VolumeFailedDelete", message);
      this.updateVolumePhase(volume, "Failed", message);
      return;
    }
    if (policy === "Recycle") {
      const message = `No recycler plugin found for the volume!`;
      this.event(volume, "Warning", "VolumeFailedRecycle", message);
      this.updateVolumePhase(volume, "Failed", message);
    }
  }
}

/** Whether an ApiError is a conflict (another writer got there first). */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.reason === "Conflict";
}

export function persistentVolumeController(ctx: ClusterContext): Component {
  return new PersistentVolumeController(ctx);
}
