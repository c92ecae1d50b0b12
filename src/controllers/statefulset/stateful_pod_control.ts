/**
 * StatefulPodControl (pkg/controller/statefulset/stateful_pod_control.go, v1.32): creates a pod's
 * PersistentVolumeClaims before the pod, fixes a pod's identity and storage, deletes pods, and
 * keeps the claims' owner references as the retention policy says; with upstream's events
 * (`SuccessfulCreate` "create Claim www-web-0 Pod web-0 in StatefulSet web success",
 * `SuccessfulCreate` "create Pod web-0 in StatefulSet web successful", `SuccessfulDelete`
 * "delete Pod web-0 in StatefulSet web successful", and the Failed… variants with the error).
 */
import type { ClusterContext } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import type { PodIndex } from "../util/podindex.ts";
import {
  claimOwnerMatchesSetAndPod,
  getPersistentVolumeClaims,
  identityMatches,
  persistentVolumeClaimNames,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
} from "./stateful_set_utils.ts";

const SOURCE = { component: "statefulset-controller" };
const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);

export class StatefulPodControl {
  constructor(
    private readonly ctx: ClusterContext,
    private readonly pods: PodIndex,
  ) {}

  private recordPodEvent(verb: string, set: KObject, pod: KObject, err?: ApiError): void {
    if (!err) this.ctx.events.record(set, { type: "Normal", reason: `Successful${title(verb)}`, message: `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, source: SOURCE });
    else this.ctx.events.record(set, { type: "Warning", reason: `Failed${title(verb)}`, message: `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.message}`, source: SOURCE });
  }

  private recordClaimEvent(verb: string, set: KObject, pod: KObject, claim: KObject, err?: ApiError): void {
    if (!err) this.ctx.events.record(set, { type: "Normal", reason: `Successful${title(verb)}`, message: `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`, source: SOURCE });
    else this.ctx.events.record(set, { type: "Warning", reason: `Failed${title(verb)}`, message: `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.message}`, source: SOURCE });
  }

  /** CreateStatefulPod: the claims, then the pod. Returns an error (already recorded) or undefined. */
  createStatefulPod(set: KObject, pod: KObject): ApiError | undefined {
    const claimErr = this.createPersistentVolumeClaims(set, pod);
    if (claimErr) {
      this.recordPodEvent("create", set, pod, claimErr);
      return claimErr;
    }
    try {
      const created = this.ctx.api.create(pod);
      this.pods.record(created, false);
      this.recordPodEvent("create", set, pod);
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === "AlreadyExists") return e;
      this.recordPodEvent("create", set, pod, e);
      return e;
    }
  }

  /** createMissingPersistentVolumeClaims: a pending pod's claims that are missing (deleted meanwhile). */
  createMissingPersistentVolumeClaims(set: KObject, pod: KObject): ApiError | undefined {
    return this.createPersistentVolumeClaims(set, pod);
  }

  /** createPersistentVolumeClaims: each missing claim of the pod, with the retention policy's owners. */
  private createPersistentVolumeClaims(set: KObject, pod: KObject): ApiError | undefined {
    let first: ApiError | undefined;
    // Most calls find every claim there (a pending pod is looked at on every sync): check by name first.
    const ns = set.metadata.namespace;
    let missing = false;
    for (const name of persistentVolumeClaimNames(set, pod)) {
      const existing = this.ctx.api.get("PersistentVolumeClaim", ns, name);
      if (!existing) missing = true;
      else if (existing.metadata.deletionTimestamp) first ??= new ApiError("Conflict", `pvc ${name} is being deleted`);
    }
    if (!missing) return first;
    first = undefined;
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const existing = this.ctx.api.get("PersistentVolumeClaim", claim.metadata.namespace, claim.metadata.name!);
      if (existing) {
        if (existing.metadata.deletionTimestamp) first ??= new ApiError("Conflict", `pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      updateClaimOwnerRefForSetAndPod(claim, set, pod);
      try {
        this.ctx.api.create(claim);
        this.recordClaimEvent("create", set, pod, claim);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const err = new ApiError(e.reason, `failed to create PVC ${claim.metadata.name}: ${e.message}`);
        this.recordClaimEvent("create", set, pod, claim, e);
        first ??= err;
      }
    }
    return first;
  }

  /** UpdateStatefulPod: restores the pod's identity and storage, and the claims' owners. */
  updateStatefulPod(set: KObject, pod: KObject): ApiError | undefined {
    const copy = structuredClone(pod) as KObject;
    let consistent = true;
    if (!identityMatches(set, copy)) {
      updateIdentity(set, copy);
      consistent = false;
    }
    if (!storageMatches(set, copy)) {
      updateStorage(set, copy);
      consistent = false;
      const err = this.createPersistentVolumeClaims(set, copy);
      if (err) {
        this.recordPodEvent("update", set, pod, err);
        return err;
      }
    }
    this.updatePodClaimForRetentionPolicy(set, copy);
    if (consistent) return undefined;
    try {
      const after = this.ctx.api.update(copy);
      this.pods.record(after, false);
      this.recordPodEvent("update", set, pod);
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.recordPodEvent("update", set, pod, e);
      return e;
    }
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod has the owners the policy asks for. */
  claimsMatchRetentionPolicy(set: KObject, pod: KObject): boolean {
    for (const name of persistentVolumeClaimNames(set, pod)) {
      const existing = this.ctx.api.get("PersistentVolumeClaim", set.metadata.namespace, name);
      if (existing && !claimOwnerMatchesSetAndPod(existing, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: sets the claims' owner references for the policy. */
  updatePodClaimForRetentionPolicy(set: KObject, pod: KObject): void {
    for (const name of persistentVolumeClaimNames(set, pod)) {
      const existing = this.ctx.api.get("PersistentVolumeClaim", set.metadata.namespace, name);
      if (!existing || claimOwnerMatchesSetAndPod(existing, set, pod)) continue;
      this.ctx.api.mutate("PersistentVolumeClaim", existing.metadata.namespace, existing.metadata.name!, (c) => updateClaimOwnerRefForSetAndPod(c, set, pod));
    }
  }

  /** PodClaimIsStale: a claim of the pod is owned by another (deleted) pod: wait for the garbage collector. */
  podClaimIsStale(set: KObject, pod: KObject): boolean {
    const { whenScaled } = { whenScaled: set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? "Retain" };
    if (whenScaled === "Retain") return false;
    for (const name of persistentVolumeClaimNames(set, pod)) {
      const existing = this.ctx.api.get("PersistentVolumeClaim", set.metadata.namespace, name);
      if (!existing) continue;
      for (const ref of existing.metadata.ownerReferences ?? []) {
        if (ref.kind === "Pod" && ref.name === pod.metadata.name && ref.uid !== pod.metadata.uid) return true;
      }
    }
    return false;
  }

  /** DeleteStatefulPod */
  deleteStatefulPod(set: KObject, pod: KObject): ApiError | undefined {
    try {
      const after = this.ctx.api.delete("Pod", pod.metadata.namespace, pod.metadata.name!);
      this.pods.record(after, !this.ctx.api.get("Pod", pod.metadata.namespace, pod.metadata.name!));
      this.recordPodEvent("delete", set, pod);
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.recordPodEvent("delete", set, pod, e);
      return e;
    }
  }
}
