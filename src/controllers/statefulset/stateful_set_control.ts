/**
 * The StatefulSet update logic (pkg/controller/statefulset/stateful_set_control.go, v1.32).
 *
 * OrderedReady (monotonic): pods are created one at a time in ordinal order, each once its
 * predecessors are Running and Ready (and available for minReadySeconds); scale-down deletes the
 * highest ordinal first, one at a time, once every other pod is healthy. Parallel (burst): every
 * missing pod is created and every surplus pod deleted at once (slow-start batches).
 * RollingUpdate replaces the pods at ordinals ≥ partition from the highest down, one at a time,
 * each once the previous update is available (`maxUnavailable` needs the MaxUnavailableStatefulSet
 * feature gate, alpha and off in v1.32, so it is ignored, as on a real v1.32 cluster); OnDelete
 * leaves replacement to the user. Failed or succeeded pods are deleted and recreated once gone.
 * Revisions are ControllerRevisions (history.ts); the status counts replicas, ready, available,
 * current and updated pods, and the revisions; a finished rolling update makes the update
 * revision the current one.
 */
import type { KObject } from "../../api/types.ts";
import { jsonEqual } from "../../api/types.ts";
import {
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  nextRevision,
  sortControllerRevisions,
  updateControllerRevision,
} from "../history.ts";
import type { StatefulPodControl } from "./stateful_pod_control.ts";
import {
  allowsBurst,
  applyRevision,
  getEndOrdinal,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  getStatefulSetMaxUnavailable,
  identityMatches,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  liveRevisionNames,
  newRevision,
  newVersionedStatefulSetPod,
  persistentVolumeClaimNames,
  podInOrdinalRange,
  storageMatches,
} from "./stateful_set_utils.ts";
import type { ApiServer } from "../../api/store.ts";

/** MaxBatchSize: the most pods one Parallel batch touches. */
export const MAX_BATCH_SIZE = 500;
/** The MaxUnavailableStatefulSet feature gate (alpha in v1.32: off). */
export const MAX_UNAVAILABLE_STATEFULSET = false;

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas: number;
}

export interface ControlContext {
  api: ApiServer;
  podControl: StatefulPodControl;
  now(): number;
  /**
   * The fast engine's memory across syncs (absent on the reference engine, issue #19): for each
   * stored pod version found consistent — identity, storage and its claims' owners as the set's
   * spec asks —, the set version (uid and generation) and the claim versions it was checked
   * against. While those are the same objects the check's answer is the same, so a sync of an
   * OrderedReady set with many pods does not redo it for every pod every time one pod changes.
   */
  consistent?: WeakMap<KObject, ConsistentPod>;
}

export interface ConsistentPod {
  setUid: string | undefined;
  generation: number | undefined;
  claimNames: string[];
  claims: Array<KObject | undefined>;
}

/**
 * UpdateStatefulSet: the revisions, the pods toward the target state, the status; then the
 * revision history trimmed to revisionHistoryLimit. Returns the status written (or that would be).
 */
export function updateStatefulSet(c: ControlContext, set: KObject, pods: KObject[]): StatefulSetStatus {
  const revisions = sortControllerRevisions(listRevisions(c.api, set));
  const { current, update, collisionCount } = getStatefulSetRevisions(c, set, revisions);
  const status = updateStatefulSetPods(c, set, current, update, collisionCount, pods);
  updateStatefulSetStatus(c.api, set, status);
  truncateHistory(c.api, set, pods, sortControllerRevisions(listRevisions(c.api, set)), current, update);
  return status;
}

/** ListRevisions: the ControllerRevisions the set owns. */
export function listRevisions(api: ApiServer, set: KObject): KObject[] {
  return api.list("ControllerRevision", { namespace: set.metadata.namespace }).filter((r) => (r.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === set.metadata.uid));
}

/**
 * getStatefulSetRevisions: the update revision (the current template: the last revision if equal,
 * an older equal one renumbered — a rollback —, or a new one) and the current revision
 * (status.currentRevision, or the update revision at first).
 */
function getStatefulSetRevisions(c: ControlContext, set: KObject, revisions: KObject[]): { current: KObject; update: KObject; collisionCount: number } {
  let collisionCount: number = set.status?.collisionCount ?? 0;
  let update = newRevision(set, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisions(revisions, update);
  if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
    update = revisions[revisions.length - 1];
  } else if (equal.length > 0) {
    update = updateControllerRevision(c.api, equal[equal.length - 1], update.revision);
  } else {
    const created = createControllerRevision(c.api, set, update, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/** computeReplicaStatus over pod lists (updateStatus). */
function computeStatus(status: StatefulSetStatus, minReadySeconds: number, now: number, current: KObject, update: KObject, ...lists: Array<Array<KObject | undefined>>): void {
  status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
  for (const list of lists) {
    for (const pod of list) {
      // A replica not built yet (the fast engine) has no status: it counts nothing.
      if (!pod) continue;
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = getPodRevision(pod);
        if (rev === current.metadata.name) status.currentReplicas++;
        if (rev === update.metadata.name) status.updatedReplicas++;
      }
    }
  }
}

/** updateStatefulSet: creates, fixes and deletes pods toward the target state. */
function updateStatefulSetPods(c: ControlContext, set: KObject, currentRevision: KObject, updateRevision: KObject, collisionCount: number, pods: KObject[]): StatefulSetStatus {
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const minReady: number = set.spec?.minReadySeconds ?? 0;
  const now = c.now();
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    currentRevision: currentRevision.metadata.name,
    updateRevision: updateRevision.metadata.name,
    collisionCount,
    availableReplicas: 0,
  };
  // The status over the pods as found is what a set being deleted reports; every other path
  // recounts it over the replicas after processing them, so the fast engine counts only then.
  if (!c.consistent || set.metadata.deletionTimestamp) computeStatus(status, minReady, now, currentRevision, updateRevision, pods);

  const start = getStartOrdinal(set);
  const end = getEndOrdinal(set);
  const replicaCount = Math.max(0, end - start + 1);
  const slots: Array<KObject | undefined> = new Array(replicaCount);
  const condemned: KObject[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) slots[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  const missing = (i: number) => newVersionedStatefulSetPod(currentSet, updateSet, currentRevision.metadata.name!, updateRevision.metadata.name!, start + i);
  // The reference engine builds every missing pod up front, as upstream does; the fast engine only
  // those a sync reaches (an OrderedReady set of 1,000 builds one per sync, not up to 1,000). A pod
  // not yet built has no status, so it counts nothing and is unavailable, as its built form would be.
  const lazy = !!c.consistent;
  if (!lazy) for (let i = 0; i < replicaCount; i++) slots[i] ??= missing(i);
  const replicaAt = (i: number): KObject => (slots[i] ??= missing(i));
  // Descending ordinal: scale-down starts at the top.
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  let firstUnavailablePod: KObject | undefined;
  // Only processCondemned asks for it: the fast engine looks for it only when there are condemned pods.
  for (let i = 0; i < replicaCount && (!lazy || condemned.length > 0); i++) {
    const r = slots[i];
    if (!r || isUnavailable(r, minReady, now)) {
      firstUnavailablePod = replicaAt(i);
      break;
    }
  }
  for (let i = condemned.length - 1; i >= 0 && !firstUnavailablePod; i--) {
    if (isUnavailable(condemned[i], minReady, now)) firstUnavailablePod ??= condemned[i];
  }
  if (set.metadata.deletionTimestamp) return status;

  const monotonic = !allowsBurst(set);
  const finish = () => {
    computeStatus(status, minReady, now, currentRevision, updateRevision, slots, condemned);
    return status;
  };
  if (runForAll(replicaCount, (i) => processReplica(c, set, updateSet, monotonic, replicaAt(i)), monotonic)) return finish();
  // The claims of condemned pods get the owners whenScaled asks for before the pods go.
  const fixPodClaim = (i: number) => {
    if (!c.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i])) c.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
    return false;
  };
  if (runForAll(condemned.length, fixPodClaim, monotonic)) return finish();
  if (runForAll(condemned.length, (i) => processCondemned(c, set, firstUnavailablePod, monotonic, condemned, i), monotonic)) return finish();
  finish();

  const strategy = set.spec?.updateStrategy ?? {};
  if ((strategy.type ?? "RollingUpdate") === "OnDelete") return status;
  const updateMin: number = strategy.rollingUpdate?.partition ?? 0;
  if (MAX_UNAVAILABLE_STATEFULSET) return updateAfterInvariantEstablished(c, set, Array.from({ length: replicaCount }, (_, i) => replicaAt(i)), updateRevision, status, updateMin);
  // Delete the highest ordinal pod that is not at the update revision; wait while an updated pod is unavailable.
  for (let target = replicaCount - 1; target >= updateMin; target--) {
    const pod = replicaAt(target);
    if (getPodRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
      c.podControl.deleteStatefulPod(set, pod);
      status.currentReplicas--;
      return status;
    }
    if (isUnavailable(pod, minReady, now)) return status;
  }
  return status;
}

/** The MaxUnavailableStatefulSet path: up to maxUnavailable pods replaced at once (feature gate off in v1.32). */
function updateAfterInvariantEstablished(c: ControlContext, set: KObject, replicas: KObject[], updateRevision: KObject, status: StatefulSetStatus, updateMin: number): StatefulSetStatus {
  const minReady: number = set.spec?.minReadySeconds ?? 0;
  const now = c.now();
  const maxUnavailable = getStatefulSetMaxUnavailable(set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, set.spec?.replicas ?? 1);
  let unavailable = replicas.filter((p) => isUnavailable(p, minReady, now)).length;
  if (unavailable > maxUnavailable) return status;
  for (let target = replicas.length - 1; target >= updateMin && unavailable < maxUnavailable; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
      c.podControl.deleteStatefulPod(set, pod);
      status.currentReplicas--;
      if (!isUnavailable(pod, minReady, now)) unavailable++;
    }
  }
  return status;
}

/** processReplica: returns true when the sync must stop here (monotonic waits, errors). */
function processReplica(c: ControlContext, set: KObject, updateSet: KObject, monotonic: boolean, pod: KObject): boolean {
  const minReady: number = set.spec?.minReadySeconds ?? 0;
  // A failed or succeeded pod is deleted; its replacement comes once it is gone.
  if (isFailed(pod) || isSucceeded(pod)) {
    if (!pod.metadata.deletionTimestamp) c.podControl.deleteStatefulPod(set, pod);
    return true;
  }
  if (!isCreated(pod)) {
    if (c.podControl.podClaimIsStale(set, pod)) return true;
    if (c.podControl.createStatefulPod(set, pod)) return true;
    if (monotonic) return true;
    return false;
  }
  if (isPending(pod) && c.podControl.createMissingPersistentVolumeClaims(set, pod)) return true;
  if (isTerminating(pod) && monotonic) return true;
  if (!isRunningAndReady(pod) && monotonic) return true;
  if (!isRunningAndAvailable(pod, minReady, c.now()) && monotonic) return true;
  const known = c.consistent && Object.isFrozen(pod) ? c.consistent : undefined;
  if (known && stillConsistent(c, set, known.get(pod))) return false;
  const retentionMatch = c.podControl.claimsMatchRetentionPolicy(updateSet, pod);
  if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) {
    if (known) {
      const claimNames = persistentVolumeClaimNames(set, pod);
      known.set(pod, { setUid: set.metadata.uid, generation: set.metadata.generation, claimNames, claims: claimNames.map((n) => c.api.get("PersistentVolumeClaim", set.metadata.namespace, n)) });
    }
    return false;
  }
  return !!c.podControl.updateStatefulPod(updateSet, pod);
}

/** Whether a pod version found consistent was checked against this set version and the claims stored now. */
function stillConsistent(c: ControlContext, set: KObject, seen: ConsistentPod | undefined): boolean {
  if (!seen || seen.setUid !== set.metadata.uid || seen.generation !== set.metadata.generation) return false;
  for (let i = 0; i < seen.claimNames.length; i++) {
    if (c.api.get("PersistentVolumeClaim", set.metadata.namespace, seen.claimNames[i]) !== seen.claims[i]) return false;
  }
  return true;
}

/** processCondemned: deletes a pod above the replicas, in monotonic mode only once the others are healthy. */
function processCondemned(c: ControlContext, set: KObject, firstUnhealthy: KObject | undefined, monotonic: boolean, condemned: KObject[], i: number): boolean {
  const pod = condemned[i];
  const minReady: number = set.spec?.minReadySeconds ?? 0;
  if (isTerminating(pod)) return monotonic;
  if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return true;
  if (!isRunningAndAvailable(pod, minReady, c.now()) && monotonic && pod !== firstUnhealthy) return true;
  c.podControl.deleteStatefulPod(set, pod);
  return true;
}

/**
 * runForAll: in monotonic mode one pod after the other until one says stop; otherwise all of them
 * (upstream's slow-start batches, which in one thread reach every pod unless one fails).
 */
function runForAll(count: number, fn: (i: number) => boolean, monotonic: boolean): boolean {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (fn(i)) return true;
    return false;
  }
  for (let i = 0; i < count; i++) fn(i);
  return false;
}

/** completeRollingUpdate + inconsistentStatus: writes the status when it changed. */
function updateStatefulSetStatus(api: ApiServer, set: KObject, status: StatefulSetStatus): void {
  if ((set.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate" && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  const next = statusObject(status, set.status?.conditions);
  if (jsonEqual(next, set.status ?? {})) return;
  if (!api.get("StatefulSet", set.metadata.namespace, set.metadata.name!)) return;
  api.mutate("StatefulSet", set.metadata.namespace, set.metadata.name!, (s) => (s.status = next), { subresource: "status" });
}

/** StatefulSetStatus in the API's field order, omitempty fields only when set. */
export function statusObject(s: StatefulSetStatus, conditions?: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  out.replicas = s.replicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.currentReplicas) out.currentReplicas = s.currentReplicas;
  if (s.updatedReplicas) out.updatedReplicas = s.updatedReplicas;
  if (s.currentRevision) out.currentRevision = s.currentRevision;
  if (s.updateRevision) out.updateRevision = s.updateRevision;
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  if (conditions?.length) out.conditions = conditions;
  out.availableReplicas = s.availableReplicas;
  return out;
}

/** truncateHistory: deletes the oldest revisions beyond revisionHistoryLimit that nothing uses. */
function truncateHistory(api: ApiServer, set: KObject, pods: KObject[], revisions: KObject[], current: KObject, update: KObject): void {
  const live = liveRevisionNames(pods, current, update);
  const history = revisions.filter((r) => !live.has(r.metadata.name!));
  const limit: number = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    if (api.get("ControllerRevision", r.metadata.namespace, r.metadata.name!)) api.delete("ControllerRevision", r.metadata.namespace, r.metadata.name!);
  }
}
