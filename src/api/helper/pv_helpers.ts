/**
 * PersistentVolume / PersistentVolumeClaim helpers the PV controller and the scheduler share
 * (k8s.io/component-helpers/storage/volume/pv_helpers.go and helpers.go, v1.32): the class of a
 * claim or volume, access-mode checks, the delayed binding mode of a claim's class, and
 * FindMatchingVolume — the smallest available volume of the claim's class, size, access modes,
 * volume mode and selector (or the one pre-bound to the claim).
 */
import { labelSelectorAsSelector, nodeSelectorRequirementsAsSelector, type NodeSelectorRequirement } from "../labels.ts";
import { Quantity } from "../quantity.ts";
import type { KObject } from "../types.ts";

export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
export const ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by";
export const ANN_DEFAULT_STORAGE_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
export const NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function getPersistentVolumeClaimClass(claim: KObject): string {
  const beta = claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (beta !== undefined) return beta;
  return claim.spec?.storageClassName ?? "";
}

/** GetPersistentVolumeClass */
export function getPersistentVolumeClass(volume: KObject): string {
  const beta = volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (beta !== undefined) return beta;
  return volume.spec?.storageClassName ?? "";
}

/** GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that order, as kubectl prints them. */
export function getAccessModesAsString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has("ReadWriteOnce")) out.push("RWO");
  if (m.has("ReadOnlyMany")) out.push("ROX");
  if (m.has("ReadWriteMany")) out.push("RWX");
  if (m.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

/** CheckAccessModes: every mode the claim asks for is one the volume offers. */
export function checkAccessModes(claim: KObject, volume: KObject): boolean {
  const offered = new Set<string>(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m: string) => offered.has(m));
}

/** CheckVolumeModeMismatches: Filesystem unless said otherwise, on both sides. */
export function checkVolumeModeMismatches(claim: KObject, volume: KObject): boolean {
  return (claim.spec?.volumeMode ?? "Filesystem") !== (volume.spec?.volumeMode ?? "Filesystem");
}

/** IsVolumeBoundToClaim: the volume's claimRef names this claim (and its uid, when set). */
export function isVolumeBoundToClaim(volume: KObject, claim: KObject): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (claim.metadata.name !== ref.name || claim.metadata.namespace !== ref.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** The claim's storage request in bytes-as-Quantity (0 when absent or invalid). */
function storageOf(resources: Record<string, unknown> | undefined): Quantity {
  try {
    return Quantity.parse(String(resources?.storage ?? "0"));
  } catch {
    return Quantity.parse("0");
  }
}

/** CheckNodeAffinity: the volume's required node affinity matches the node's labels (no affinity matches all). */
export function checkVolumeNodeAffinity(volume: KObject, nodeLabels: Record<string, string>, nodeName?: string): boolean {
  const required = volume.spec?.nodeAffinity?.required;
  if (!required) return true;
  const terms: Array<{ matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }> = required.nodeSelectorTerms ?? [];
  for (const term of terms) {
    try {
      const exprs = term.matchExpressions ?? [];
      const fields = term.matchFields ?? [];
      if (exprs.length === 0 && fields.length === 0) continue;
      const labelsOk = exprs.length === 0 || nodeSelectorRequirementsAsSelector(exprs).matches(nodeLabels);
      const fieldsOk = fields.every((f) => f.key === "metadata.name" && nodeName !== undefined && (f.operator === "In" ? (f.values ?? []).includes(nodeName) : !(f.values ?? []).includes(nodeName)));
      if (labelsOk && fieldsOk) return true;
    } catch {
      // An unparsable term matches nothing.
    }
  }
  return false;
}

export interface MatchNode {
  name: string;
  labels: Record<string, string>;
}

/**
 * FindMatchingVolume: the volume pre-bound to the claim, else the smallest Available volume of the
 * claim's class with enough capacity, the same volume mode, matching the claim's selector and (on
 * the scheduler's path, given a node) the node and the access modes. With delayed binding and no
 * node, only a pre-bound volume is returned.
 */
export function findMatchingVolume(claim: KObject, volumes: KObject[], node: MatchNode | undefined, excluded: Set<string>, delayBinding: boolean): KObject | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const requestedClass = getPersistentVolumeClaimClass(claim);
  let selector: ReturnType<typeof labelSelectorAsSelector> | undefined;
  if (claim.spec?.selector) {
    try {
      selector = labelSelectorAsSelector(claim.spec.selector);
    } catch {
      return undefined;
    }
  }
  let smallest: KObject | undefined;
  let smallestQty: Quantity | undefined;
  for (const volume of volumes) {
    if (excluded.has(volume.metadata.name!)) continue;
    if (volume.spec?.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const qty = storageOf(volume.spec?.capacity);
    if (qty.cmp(requested) < 0) continue;
    if (checkVolumeModeMismatches(claim, volume)) continue;
    if (volume.metadata.deletionTimestamp) continue;
    const nodeAffinityValid = node ? checkVolumeNodeAffinity(volume, node.labels, node.name) : true;
    if (isVolumeBoundToClaim(volume, claim)) return nodeAffinityValid ? volume : undefined;
    if (!node && delayBinding) continue;
    if (volume.status?.phase !== "Available") continue;
    if (selector && !selector.matches(volume.metadata.labels ?? {})) continue;
    if (getPersistentVolumeClass(volume) !== requestedClass) continue;
    if (!nodeAffinityValid) continue;
    if (node && !checkAccessModes(claim, volume)) continue;
    if (!smallest || smallestQty!.cmp(qty) > 0) {
      smallest = volume;
      smallestQty = qty;
    }
  }
  return smallest;
}

/**
 * The PV controller's index (pkg/controller/volume/persistentvolume/index.go findByClaim): the
 * volumes grouped by their access modes; a claim is matched against the groups whose modes
 * include all of the claim's, the smallest group first.
 */
export function findBestMatchForClaim(claim: KObject, volumes: KObject[], delayBinding: boolean): KObject | undefined {
  const groups = new Map<string, KObject[]>();
  for (const v of volumes) {
    const key = getAccessModesAsString(v.spec?.accessModes);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const candidates = [...groups.entries()]
    .filter(([, vs]) => checkAccessModes(claim, vs[0]))
    .sort(([a], [b]) => a.split(",").length - b.split(",").length || (a < b ? -1 : 1));
  for (const [, vs] of candidates) {
    const v = findMatchingVolume(claim, vs, undefined, new Set(), delayBinding);
    if (v) return v;
  }
  return undefined;
}

/** The binding mode of a class: WaitForFirstConsumer delays binding until a pod is scheduled. */
export function isDelayBindingMode(claim: KObject, getClass: (name: string) => KObject | undefined): boolean {
  const name = getPersistentVolumeClaimClass(claim);
  if (!name) return false;
  return getClass(name)?.volumeBindingMode === "WaitForFirstConsumer";
}
