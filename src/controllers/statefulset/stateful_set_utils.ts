/**
 * StatefulSet helpers (pkg/controller/statefulset/stateful_set_utils.go, v1.32): a pod's identity
 * (name `<set>-<ordinal>`, hostname, subdomain = serviceName, the labels
 * `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`), its storage (a claim
 * `<template>-<set>-<ordinal>` per volumeClaimTemplate, mounted as the template's volume name),
 * revisions (the patch that restores the template, `controller-revision-hash` on pods), the
 * persistentVolumeClaimRetentionPolicy's owner references, and the pod state predicates.
 */
import type { KObject, OwnerReference } from "../../api/types.ts";
import type { PersistentVolumeClaim, Volume } from "../../api/types.gen.ts";
import { CONTROLLER_REVISION_HASH_LABEL, newControllerRevision } from "../history.ts";
import { podFromTemplate } from "../replicaset.ts";
import { isPodAvailable, isPodReady } from "../../api/pod/util.ts";

export const STATEFULSET_POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
export const STATEFULSET_REVISION_LABEL = CONTROLLER_REVISION_HASH_LABEL;

const statefulPodRegex = /^(.*)-([0-9]+)$/;

/** Parsed names of stored (frozen, so unchanging) pods: a sync asks for each pod's ordinal several times. */
const parsedNames = new WeakMap<KObject, [string, number]>();

/** getParentNameAndOrdinal: `web-2` → ["web", 2]; ["", -1] for other names. */
export function getParentNameAndOrdinal(pod: KObject): [string, number] {
  const frozen = Object.isFrozen(pod);
  if (frozen) {
    const known = parsedNames.get(pod);
    if (known) return known;
  }
  const m = statefulPodRegex.exec(pod.metadata.name ?? "");
  const ord = m ? Number(m[2]) : -1;
  const out: [string, number] = !m ? ["", -1] : Number.isSafeInteger(ord) && ord <= 2147483647 ? [m[1], ord] : [m[1], -1];
  if (frozen) parsedNames.set(pod, out);
  return out;
}

export const getOrdinal = (pod: KObject) => getParentNameAndOrdinal(pod)[1];
export const getPodName = (set: KObject, ordinal: number) => `${set.metadata.name}-${ordinal}`;

/** isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: KObject, pod: KObject): boolean {
  return getParentNameAndOrdinal(pod)[0] === set.metadata.name;
}

export function getStartOrdinal(set: KObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function getEndOrdinal(set: KObject): number {
  return getStartOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

/** podInOrdinalRange: start ≤ ordinal ≤ end. */
export function podInOrdinalRange(pod: KObject, set: KObject): boolean {
  const ord = getOrdinal(pod);
  return ord >= getStartOrdinal(set) && ord <= getEndOrdinal(set);
}

/** getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`. */
export function getPersistentVolumeClaimName(set: KObject, claimName: string, ordinal: number): string {
  return `${claimName}-${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaims: the claims the pod's ordinal needs, by template name. */
export function getPersistentVolumeClaims(set: KObject, pod: KObject): Map<string, KObject> {
  const ordinal = getOrdinal(pod);
  const out = new Map<string, KObject>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const claim = structuredClone(t);
    const labels = claim.metadata?.labels ? { ...claim.metadata.labels, ...(set.spec?.selector?.matchLabels ?? {}) } : { ...(set.spec?.selector?.matchLabels ?? {}) };
    const meta = { ...(claim.metadata ?? {}) };
    delete meta.creationTimestamp;
    out.set(t.metadata?.name, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { ...meta, name: getPersistentVolumeClaimName(set, t.metadata?.name, ordinal), namespace: set.metadata.namespace, labels },
      spec: claim.spec ?? {},
    });
  }
  return out;
}

/**
 * The names of the claims the pod's ordinal needs, in template order, one per template name (as
 * getPersistentVolumeClaims' map keys): what a check of existing claims needs, without building them.
 */
export function persistentVolumeClaimNames(set: KObject, pod: KObject): string[] {
  const ordinal = getOrdinal(pod);
  const templates: Array<{ metadata?: { name?: string } }> = set.spec?.volumeClaimTemplates ?? [];
  const out: string[] = [];
  const seen = new Set<string | undefined>();
  for (const t of templates) {
    const name = t.metadata?.name;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(getPersistentVolumeClaimName(set, name as string, ordinal));
  }
  return out;
}

/** identityMatches: the pod's name, namespace, labels and subdomain are the set's. */
export function identityMatches(set: KObject, pod: KObject): boolean {
  const [parent, ordinal] = getParentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    set.metadata.name === parent &&
    pod.metadata.name === getPodName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata.name &&
    pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal)
  );
}

/** storageMatches: every claim template is a volume of the pod backed by the right claim. */
export function storageMatches(set: KObject, pod: KObject): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, Volume>((pod.spec?.volumes as Volume[] | undefined ?? []).map((v) => [v.name, v]));
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.get(t.metadata?.name);
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== getPersistentVolumeClaimName(set, t.metadata?.name, ordinal)) return false;
  }
  return true;
}

/** updateIdentity: name, namespace and identity labels from the ordinal. */
export function updateIdentity(set: KObject, pod: KObject): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFULSET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** updateStorage: each claim template becomes a volume backed by the ordinal's claim (replacing a template volume of that name). */
export function updateStorage(set: KObject, pod: KObject): void {
  const templates: PersistentVolumeClaim[] = set.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const claims = getPersistentVolumeClaims(set, pod);
  const names = new Set(templates.map((t) => t.metadata?.name));
  const volumes: Volume[] = [];
  // Validation requires every claim template to have a name (ValidateStatefulSetSpec), and
  // getPersistentVolumeClaims made a claim, with its name, for each.
  for (const t of templates) {
    const name = t.metadata!.name!;
    volumes.push({ name, persistentVolumeClaim: { claimName: claims.get(name)!.metadata.name! } });
  }
  for (const v of pod.spec?.volumes ?? []) if (!names.has(v.name)) volumes.push(v);
  pod.spec.volumes = volumes;
}

/** newStatefulSetPod: the pod for an ordinal, from the set's template. */
export function newStatefulSetPod(set: KObject, ordinal: number): KObject {
  const pod = podFromTemplate(set.spec?.template, set, "");
  delete pod.metadata.generateName;
  pod.metadata.name = getPodName(set, ordinal);
  updateIdentity(set, pod);
  // Set only on creation: the pod's hostname and its subdomain (the governing Service).
  pod.spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  pod.metadata.labels = Object.fromEntries(Object.entries(pod.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return pod;
}

export function getPodRevision(pod: KObject): string {
  return pod.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? "";
}

function setPodRevision(pod: KObject, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFULSET_REVISION_LABEL]: revision };
  pod.metadata.labels = Object.fromEntries(Object.entries(pod.metadata.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * newVersionedStatefulSetPod: below the partition (or, without rollingUpdate, below the current
 * replicas) a pod is created at the current revision, otherwise at the update revision.
 */
export function newVersionedStatefulSetPod(currentSet: KObject, updateSet: KObject, currentRevision: string, updateRevision: string, ordinal: number): KObject {
  const strategy = currentSet.spec?.updateStrategy ?? {};
  const rolling = (strategy.type ?? "RollingUpdate") === "RollingUpdate";
  const start = getStartOrdinal(currentSet);
  if (
    (rolling && !strategy.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (strategy.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0))
  ) {
    const pod = newStatefulSetPod(currentSet, ordinal);
    setPodRevision(pod, currentRevision);
    return pod;
  }
  const pod = newStatefulSetPod(updateSet, ordinal);
  setPodRevision(pod, updateRevision);
  return pod;
}

/** getPatch: `{"spec":{"template":{…,"$patch":"replace"}}}`, what a revision stores. */
export function getPatch(set: KObject): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: "replace" } } };
}

/** newRevision: the revision for the set's current template (not stored). */
export function newRevision(set: KObject, revision: number, collisionCount: number): KObject {
  const cr = newControllerRevision(set, set.spec?.template?.metadata?.labels, getPatch(set), revision, collisionCount);
  if (set.metadata.annotations) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** ApplyRevision: the set with the revision's template. */
export function applyRevision(set: KObject, revision: KObject): KObject {
  const out = structuredClone(set) as KObject;
  const t = structuredClone(revision.data?.spec?.template ?? {});
  delete t.$patch;
  out.spec = { ...(out.spec ?? {}), template: t };
  return out;
}

// ---- pod state predicates -----------------------------------------------------------------

export const isCreated = (p: KObject) => !!p.status?.phase;
export const isPending = (p: KObject) => p.status?.phase === "Pending";
export const isFailed = (p: KObject) => p.status?.phase === "Failed";
export const isSucceeded = (p: KObject) => p.status?.phase === "Succeeded";
export const isTerminating = (p: KObject) => !!p.metadata.deletionTimestamp;
export const isRunningAndReady = (p: KObject) => p.status?.phase === "Running" && isPodReady(p);
export const isRunningAndAvailable = (p: KObject, minReadySeconds: number, now: number) => p.status?.phase === "Running" && isPodAvailable(p, minReadySeconds, now);
export const isHealthy = (p: KObject) => isRunningAndReady(p) && !isTerminating(p);
export const isUnavailable = (p: KObject, minReadySeconds: number, now: number) => !isRunningAndAvailable(p, minReadySeconds, now) || isTerminating(p);
/** allowsBurst: podManagementPolicy Parallel. */
export const allowsBurst = (set: KObject) => set.spec?.podManagementPolicy === "Parallel";

// ---- persistentVolumeClaimRetentionPolicy -------------------------------------------------

export function retentionPolicy(set: KObject): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  return { whenDeleted: p.whenDeleted ?? "Retain", whenScaled: p.whenScaled ?? "Retain" };
}

function hasOwnerRef(target: KObject, owner: KObject): boolean {
  return (target.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

function setOwnerRef(target: KObject, owner: KObject, apiVersion: string, kind: string): boolean {
  if (hasOwnerRef(target, owner)) return false;
  const ref: OwnerReference = { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid! };
  target.metadata.ownerReferences = [...(target.metadata.ownerReferences ?? []), ref];
  return true;
}

function removeOwnerRef(target: KObject, owner: KObject): boolean {
  if (!hasOwnerRef(target, owner)) return false;
  target.metadata.ownerReferences = (target.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
  if (!target.metadata.ownerReferences.length) delete target.metadata.ownerReferences;
  return true;
}

/**
 * updateClaimOwnerRefForSetAndPod: whenDeleted Delete makes the set an owner of the claim (the
 * claim goes with the set); whenScaled Delete makes a scaled-down pod its owner (the claim goes
 * with the pod). Returns whether the claim changed.
 */
export function updateClaimOwnerRefForSetAndPod(claim: KObject, set: KObject, pod: KObject): boolean {
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  let changed = false;
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled !== "Delete" && whenDeleted !== "Delete") {
    changed = removeOwnerRef(claim, set) || changed;
    changed = removeOwnerRef(claim, pod) || changed;
  } else if (whenScaled !== "Delete" && whenDeleted === "Delete") {
    changed = setOwnerRef(claim, set, "apps/v1", "StatefulSet") || changed;
    changed = removeOwnerRef(claim, pod) || changed;
  } else if (whenScaled === "Delete" && whenDeleted !== "Delete") {
    changed = removeOwnerRef(claim, set) || changed;
    if (scaledDown) changed = setOwnerRef(claim, pod, "v1", "Pod") || changed;
    else changed = removeOwnerRef(claim, pod) || changed;
  } else if (scaledDown) {
    changed = removeOwnerRef(claim, set) || changed;
    changed = setOwnerRef(claim, pod, "v1", "Pod") || changed;
  } else {
    changed = setOwnerRef(claim, set, "apps/v1", "StatefulSet") || changed;
    changed = removeOwnerRef(claim, pod) || changed;
  }
  return changed;
}

/**
 * claimOwnerMatchesSetAndPod: the claim's owner references are what the policy asks for (that is,
 * updateClaimOwnerRefForSetAndPod would change nothing; read off the references without a copy).
 */
export function claimOwnerMatchesSetAndPod(claim: KObject, set: KObject, pod: KObject): boolean {
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const bySet = hasOwnerRef(claim, set);
  const byPod = hasOwnerRef(claim, pod);
  if (whenScaled !== "Delete" && whenDeleted !== "Delete") return !bySet && !byPod;
  if (whenScaled !== "Delete") return bySet && !byPod;
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenDeleted !== "Delete") return !bySet && byPod === scaledDown;
  return scaledDown ? !bySet && byPod : bySet && !byPod;
}

/** The revision label a pod has, the set's status revisions, as one live set (truncateHistory). */
export function liveRevisionNames(pods: KObject[], current?: KObject, update?: KObject): Set<string> {
  const live = new Set<string>();
  if (current) live.add(current.metadata.name!);
  if (update) live.add(update.metadata.name!);
  for (const p of pods) live.add(getPodRevision(p));
  return live;
}

/** getStatefulSetMaxUnavailable: maxUnavailable scaled against replicas (rounded up), at least 1. */
export function getStatefulSetMaxUnavailable(maxUnavailable: number | string | undefined, replicas: number): number {
  if (maxUnavailable === undefined || maxUnavailable === null) return 1;
  let n: number;
  if (typeof maxUnavailable === "number") n = maxUnavailable;
  else {
    const m = /^(\d+)%$/.exec(maxUnavailable);
    n = m ? Math.ceil((Number(m[1]) * replicas) / 100) : Number(maxUnavailable);
  }
  return n < 1 ? 1 : n;
}
