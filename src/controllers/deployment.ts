/**
 * The Deployment controller (pkg/controller/deployment, v1.32): owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, one per template revision.
 * - getAllReplicaSetsAndSyncRevision: the new ReplicaSet is the one whose template equals the
 *   Deployment's (ignoring pod-template-hash); it is created when missing with the hash label in
 *   its selector and template, revision = max old revision + 1 (`deployment.kubernetes.io/revision`,
 *   also set on the Deployment), desired-replicas and max-replicas annotations and the Deployment's
 *   own annotations (so `kubernetes.io/change-cause` reaches `rollout history`);
 * - RollingUpdate: reconcileNewReplicaSet (NewRSNewReplicas under maxSurge) then
 *   reconcileOldReplicaSets (cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate under
 *   maxUnavailable), so a rollout waits for new pods to become available;
 * - Recreate: old ReplicaSets to 0, wait until none of their pods runs, then scale the new one up;
 * - events `ScalingReplicaSet` "Scaled up replica set <rs> from 0 to <n>" (creation) and
 *   "Scaled up|down replica set <rs> from <a> to <b>";
 * - status: replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
 *   observedGeneration and the conditions Available (MinimumReplicasAvailable /
 *   MinimumReplicasUnavailable) and Progressing (NewReplicaSetCreated, FoundNewReplicaSet,
 *   ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused);
 * - old ReplicaSets beyond revisionHistoryLimit (default 10) with no replicas are deleted.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import type { DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from "../api/types.gen.ts";
import {
  computeHash, copyableAnnotations, DESIRED_REPLICAS_ANNOTATION, equalIgnoreHash, isRollingUpdate, MAX_REPLICAS_ANNOTATION,
  maxSurge, maxUnavailable, newRSNewReplicas, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, revisionOf,
} from "./deploymentutil.ts";
import { Controller } from "./controller.ts";
import { objectKey, splitKey } from "./queue.ts";
import { controllerRef, newControllerRef } from "./util/pod.ts";
import { selectorMatches } from "./util/selector.ts";
import { writeStatusOf } from "./util/status.ts";

const SOURCE = { component: "deployment-controller" };
const replicasOf = (rs: KObject) => rs.spec?.replicas ?? 0;
/**
 * SetDeploymentCondition as writeStatus uses it: `conds` as they are when the condition of `type` is
 * the same (and not to be refreshed), else a new array with it replaced (appended at the end).
 */
function setCondition(conds: DeploymentCondition[], now: string, type: string, status: string, reason: string, message: string, refresh: boolean): DeploymentCondition[] {
  const prev = conds.find((c) => c.type === type);
  if (prev && prev.status === status && prev.reason === reason && prev.message === message && !refresh) return conds;
  const c = { lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime! : now, lastUpdateTime: now, message, reason, status, type };
  return [...conds.filter((x) => x.type !== type), c];
}

/** A ReplicaSet's ReplicaFailure condition (getReplicaFailures reads the new one's, else an old one's). */
function replicaFailureOf(rs: KObject | undefined): ReplicaSetCondition | undefined {
  const conds: ReplicaSetCondition[] | undefined = rs?.status?.conditions;
  if (conds) for (const c of conds) if (c.type === "ReplicaFailure") return c;
  return undefined;
}
const byCreation = (a: KObject, b: KObject) =>
  (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || (a.metadata.name! < b.metadata.name! ? -1 : 1);

/** calculateStatus's result: the status fields, and what the conditions are made from. */
interface CalculatedStatus extends DeploymentStatus {
  minAvailableOk: boolean;
  replicaFailure?: ReplicaSetCondition;
}

/**
 * A sync of a RollingUpdate Deployment that wrote nothing (the fast engine; issue #19 §3): the
 * Deployment version it read, the ReplicaSets' latest change then, and the progress deadline it
 * checked (if it took that branch).
 */
interface QuietSync {
  d: KObject;
  replicaSets: number;
  due: number | undefined;
}

/** The scale write's change: spec.replicas and the desired/max replicas annotations (a module function: no named closure per scale). */
function scaleTo(x: KObject, replicas: number, desired: string, max: string): void {
  x.spec.replicas = replicas;
  x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max };
}

export class DeploymentController extends Controller {
  readonly name = "deployment-controller";
  /** Per key, the last sync if it wrote nothing (the fast engine). */
  private readonly quiet = new Map<string, QuietSync>();
  /** The progress deadline the running sync checked and found not passed (syncRolloutStatus). */
  private checkedDue: number | undefined;
  /** The running sync's syncRolloutStatus: whether the rollout was complete, and the status it wrote. */
  private rolloutComplete: boolean | undefined;
  private statusWritten: KObject | undefined;

  start(): void {
    this.watch("Deployment", (ev) => {
      if (ev.type === "DELETED") this.quiet.delete(objectKey(ev.object.metadata.namespace, ev.object.metadata.name!));
      this.enqueue(ev.object);
    });
    this.watch("ReplicaSet", (ev) => {
      const ref = controllerRef(ev.object);
      if (ref?.kind === "Deployment") this.queue.add(objectKey(ev.object.metadata.namespace, ref.name));
    });
    // deletePod: Recreate waits for old pods to stop, so a Recreate Deployment is synced when the
    // last of its pods goes (a RollingUpdate one is not woken by pod deletions at all). Only a
    // DELETED event counts, so a status-only change need not reach it (issue #19 §1).
    this.watch("Pod", (ev) => {
      if (ev.type === "DELETED") this.deletePod(ev.object);
    }, { ignoresStatusOnly: true });
  }

  /**
   * deletePod (pkg/controller/deployment/deployment_controller.go): the Deployment that owns the
   * pod's ReplicaSet (getDeploymentForPod: each controller reference names a stored object of that
   * uid) is enqueued only when its strategy is Recreate and no pod of its ReplicaSets is left
   * (getPodMapForDeployment: the pods its selector selects, whose controller is one of them).
   */
  private deletePod(pod: KObject): void {
    const api = this.ctx.api;
    const ns = pod.metadata.namespace;
    const ref = controllerRef(pod);
    if (ref?.kind !== "ReplicaSet") return;
    const rs = api.get("ReplicaSet", ns, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const owner = controllerRef(rs);
    if (owner?.kind !== "Deployment") return;
    const d = api.get("Deployment", ns, owner.name);
    if (!d || d.metadata.uid !== owner.uid || d.spec?.strategy?.type !== "Recreate") return;
    const owned = new Set(this.ownedReplicaSets(d).map((x) => x.metadata.uid));
    const selector = d.spec?.selector;
    for (const p of api.list("Pod", { namespace: ns })) {
      const c = controllerRef(p);
      if (c && owned.has(c.uid) && selectorMatches(selector, p.metadata.labels)) return;
    }
    this.queue.add(objectKey(ns, d.metadata.name!));
  }

  protected override syncHandler(key: string): void {
    this.syncDeployment(key);
  }

  private ownedReplicaSets(d: KObject): KObject[] {
    // The fast engine reads the API server's owner index: the same ReplicaSets in the same order.
    const uid = d.metadata.uid;
    if (!this.ctx.reference && uid !== undefined) return this.ctx.api.ownedBy("ReplicaSet", d.metadata.namespace, uid);
    return this.ctx.api.list("ReplicaSet", { namespace: d.metadata.namespace }).filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
  }

  /** syncDeployment for one key. */
  syncDeployment(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const d = api.get("Deployment", ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    if (this.ctx.reference || d.spec?.paused || !isRollingUpdate(d)) {
      this.syncOnce(d);
      return;
    }
    // A RollingUpdate sync reads only the Deployment, its ReplicaSets and (for the progress
    // deadline) the time. One that wrote nothing, of the same Deployment version with no
    // ReplicaSet changed since, would write nothing again: the same scale decisions and status
    // (its progress cannot differ from the stored status, or it would have written it), and the
    // deadline, if it checked one, still ahead with the re-check it would ask for already pending
    // (an earlier or equal delayed add is kept by addAfter). It is skipped.
    const q = this.quiet.get(key);
    const replicaSets = api.lastChangeOf("ReplicaSet");
    if (q && q.d === d && q.replicaSets === replicaSets) {
      const now = this.ctx.clock.now();
      const pending = this.queue.pendingAt(key);
      if (q.due === undefined || (now < q.due && pending !== undefined && pending <= q.due + 1000)) return;
    }
    const rv = api.resourceVersion;
    this.checkedDue = undefined;
    this.rolloutComplete = undefined;
    this.statusWritten = undefined;
    this.quiet.delete(key);
    this.syncOnce(d);
    // (Set by the sync: read through a cast, as the compiler does not see syncOnce assign them.)
    const written = this.statusWritten as KObject | undefined;
    const complete = this.rolloutComplete as boolean | undefined;
    if (api.resourceVersion === rv) this.quiet.set(key, { d, replicaSets, due: this.checkedDue });
    else if (api.resourceVersion === rv + 1 && written && complete !== undefined && api.get("Deployment", ns, name) === written && api.lastChangeOf("ReplicaSet") === replicaSets) {
      // The sync's one write was its status, at the end: a sync of the version it wrote, with no
      // ReplicaSet changed, reads the same inputs but that status, so it finds no progress (the
      // stored counts are the ones it computes), takes the same scale decisions, writes the same
      // conditions, and reads the time only in the deadline branch — which it takes unless the
      // rollout is complete or already timed out, with the deadline of the Progressing condition
      // just written. It would write nothing unless that deadline passed: kept as a quiet sync.
      const prev = (written.status?.conditions ?? []).find((c: DeploymentCondition) => c.type === "Progressing");
      const deadline = written.spec?.progressDeadlineSeconds ?? 600;
      let due: number | undefined;
      if (!complete && prev && prev.reason !== "ProgressDeadlineExceeded" && deadline !== 2147483647) due = Date.parse(prev.lastUpdateTime ?? "") + deadline * 1000;
      this.quiet.set(key, { d: written, replicaSets, due });
    }
  }

  /** The sync itself (the reference engine's every time). */
  private syncOnce(d: KObject): void {
    this.checkPausedConditions(d);
    const rsList = this.ownedReplicaSets(d);
    if (d.spec?.paused) {
      this.syncStatusOnly(d, rsList);
      return;
    }
    if (!isRollingUpdate(d)) {
      this.rolloutRecreate(d, rsList);
      return;
    }
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    if (newRS) this.rolloutRolling(d, newRS, oldRSs);
  }

  private findNewReplicaSet(d: KObject, rsList: KObject[]): KObject | undefined {
    return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  }

  private getAllReplicaSetsAndSyncRevision(d: KObject, rsList: KObject[], create: boolean): { newRS?: KObject; oldRSs: KObject[] } {
    const api = this.ctx.api;
    const existing = this.findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const maxOld = Math.max(0, ...oldRSs.map(revisionOf));
    const newRevision = String(maxOld + 1);
    if (existing) {
      let rs = existing;
      const annotationsOk = rs.metadata.annotations?.[REVISION_ANNOTATION] === (revisionOf(rs) >= maxOld + 1 ? String(revisionOf(rs)) : newRevision);
      if (revisionOf(rs) < maxOld + 1 || !annotationsOk) {
        rs = api.mutate("ReplicaSet", rs.metadata.namespace, rs.metadata.name!, (x) => {
          x.metadata.annotations = { ...copyableAnnotations(d), ...x.metadata.annotations, [REVISION_ANNOTATION]: newRevision };
        });
      }
      this.setDeploymentRevision(d, rs.metadata.annotations![REVISION_ANNOTATION], existing, false);
      return { newRS: rs, oldRSs };
    }
    if (!create) return { oldRSs };
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const replicas = d.spec?.replicas ?? 1;
    const draft: KObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        annotations: {
          ...copyableAnnotations(d),
          [DESIRED_REPLICAS_ANNOTATION]: String(replicas),
          [MAX_REPLICAS_ANNOTATION]: String(replicas + maxSurge(d)),
          [REVISION_ANNOTATION]: newRevision,
        },
        labels: { ...(d.spec?.template?.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        ownerReferences: [newControllerRef(d)],
      },
      spec: { minReadySeconds: d.spec?.minReadySeconds ?? 0, replicas: 0, selector, template },
    };
    const all = [draft, ...oldRSs];
    draft.spec.replicas = newRSNewReplicas(d, all, draft);
    let created: KObject;
    try {
      created = api.create(draft);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === "AlreadyExists") {
        // A hash collision with a ReplicaSet of another template: bump collisionCount and retry.
        api.mutate("Deployment", d.metadata.namespace, d.metadata.name!, (x) => {
          x.status = { ...(x.status ?? {}), collisionCount: (x.status?.collisionCount ?? 0) + 1 };
        }, { subresource: "status" });
        return { oldRSs };
      }
      this.ctx.events.record(d, { type: "Warning", reason: "FailedCreate", message: `Failed to create new replica set "${draft.metadata.name}": ${e.message}`, source: SOURCE });
      return { oldRSs };
    }
    if (created.spec.replicas > 0) {
      this.ctx.events.record(d, { type: "Normal", reason: "ScalingReplicaSet", message: `Scaled up replica set ${created.metadata.name} from 0 to ${created.spec.replicas}`, source: SOURCE });
    }
    this.setDeploymentRevision(d, newRevision, created, true);
    return { newRS: created, oldRSs };
  }

  /** The Deployment's revision annotation follows its new ReplicaSet's; a new RS sets Progressing. */
  private setDeploymentRevision(d: KObject, revision: string, rs: KObject, createdNow: boolean): void {
    const api = this.ctx.api;
    const current = api.get("Deployment", d.metadata.namespace, d.metadata.name!)!;
    if (current.metadata.annotations?.[REVISION_ANNOTATION] !== revision) {
      api.mutate("Deployment", d.metadata.namespace, d.metadata.name!, (x) => {
        x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
      });
    }
    const progressing = (current.status?.conditions ?? []).find((c: DeploymentCondition) => c.type === "Progressing");
    if (createdNow) this.setProgressing(d, "True", "NewReplicaSetCreated", `Created new replica set "${rs.metadata.name}"`);
    else if (!progressing) this.setProgressing(d, "True", "FoundNewReplicaSet", `Found new replica set "${rs.metadata.name}"`);
  }

  private setProgressing(d: KObject, status: string, reason: string, message: string): void {
    const now = this.ctx.clock.nowRFC3339();
    this.ctx.api.mutate("Deployment", d.metadata.namespace, d.metadata.name!, (x) => {
      const conds: DeploymentCondition[] = x.status?.conditions ?? [];
      const prev = conds.find((c) => c.type === "Progressing");
      if (prev && prev.status === status && prev.reason === reason && prev.message === message) return;
      const c = { lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now, lastUpdateTime: now, message, reason, status, type: "Progressing" };
      x.status = { ...(x.status ?? {}), conditions: [...conds.filter((y) => y.type !== "Progressing"), c] };
    }, { subresource: "status" });
  }

  /** scaleReplicaSetAndRecordEvent. */
  private scaleReplicaSet(rs: KObject, replicas: number, d: KObject): KObject {
    const old = replicasOf(rs);
    const desired = String(d.spec?.replicas ?? 1);
    const max = String((d.spec?.replicas ?? 1) + maxSurge(d));
    const annotationsOk = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] === desired && rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] === max;
    if (old === replicas && annotationsOk) return rs;
    const api = this.ctx.api;
    let updated: KObject;
    if (this.ctx.reference) updated = api.mutate("ReplicaSet", rs.metadata.namespace, rs.metadata.name!, (x) => scaleTo(x, replicas, desired, max));
    else {
      // The fast engine copies only what the scale changes (the object, its metadata and spec) and
      // hands the rest of the stored version over, frozen: the template stays the stored object, so
      // its decoding, defaulting, validation and freezing are found done (issue #19 §3).
      const current = api.getOrThrow("ReplicaSet", rs.metadata.namespace, rs.metadata.name!);
      const copy: KObject = { ...current, metadata: { ...current.metadata }, spec: { ...current.spec } };
      scaleTo(copy, replicas, desired, max);
      updated = api.updateOwned(copy);
    }
    if (old !== replicas) {
      const op = replicas > old ? "up" : "down";
      this.ctx.events.record(d, { type: "Normal", reason: "ScalingReplicaSet", message: `Scaled ${op} replica set ${rs.metadata.name} from ${old} to ${replicas}`, source: SOURCE });
    }
    return updated;
  }

  private rolloutRolling(d: KObject, newRS: KObject, oldRSs: KObject[]): void {
    const replicas = d.spec?.replicas ?? 1;
    // reconcileNewReplicaSet
    let all = [newRS, ...oldRSs];
    if (replicasOf(newRS) > replicas) newRS = this.scaleReplicaSet(newRS, replicas, d);
    else if (replicasOf(newRS) < replicas) newRS = this.scaleReplicaSet(newRS, newRSNewReplicas(d, all, newRS), d);
    all = [newRS, ...oldRSs];
    // reconcileOldReplicaSets
    const oldCount = oldRSs.reduce((s, rs) => s + replicasOf(rs), 0);
    if (oldCount > 0) {
      const allCount = all.reduce((s, rs) => s + replicasOf(rs), 0);
      const minAvailable = replicas - maxUnavailable(d);
      const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
      const maxScaledDown = allCount - minAvailable - newUnavailable;
      if (maxScaledDown > 0) {
        // cleanupUnhealthyReplicas: old pods that are not available go first.
        let cleaned = 0;
        const olds = [...oldRSs].sort(byCreation).map((rs) => rs);
        for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
          const rs = olds[i];
          const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
          if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
          const n = Math.min(maxScaledDown - cleaned, unhealthy);
          olds[i] = this.scaleReplicaSet(rs, replicasOf(rs) - n, d);
          cleaned += n;
        }
        // scaleDownOldReplicaSetsForRollingUpdate: then available ones, above minAvailable.
        const available = [newRS, ...olds].reduce((s, rs) => s + Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs)), 0);
        let total = Math.min(available - minAvailable, maxScaledDown - cleaned);
        for (let i = 0; i < olds.length && total > 0; i++) {
          const rs = olds[i];
          if (replicasOf(rs) === 0) continue;
          const n = Math.min(replicasOf(rs), total);
          olds[i] = this.scaleReplicaSet(rs, replicasOf(rs) - n, d);
          total -= n;
        }
        oldRSs = olds;
      }
    }
    this.finish(d, newRS, oldRSs);
  }

  /** rolloutRecreate: the new ReplicaSet is created only once no old pod runs. */
  private rolloutRecreate(d: KObject, rsList: KObject[]): void {
    const replicas = d.spec?.replicas ?? 1;
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    oldRSs = oldRSs.map((rs) => (replicasOf(rs) > 0 ? this.scaleReplicaSet(rs, 0, d) : rs));
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const oldPodsRunning = this.ctx.api
      .list("Pod", { namespace: d.metadata.namespace })
      .some((p) => oldUids.has(controllerRef(p)?.uid) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    if (oldPodsRunning) {
      if (newRS) this.finish(d, newRS, oldRSs);
      else this.writeStatus(d, this.calculateStatus(d, undefined, oldRSs));
      return;
    }
    if (!newRS) ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, this.ownedReplicaSets(d), true));
    if (!newRS) return;
    if (replicasOf(newRS) !== replicas) newRS = this.scaleReplicaSet(newRS, replicas, d);
    this.finish(d, newRS, oldRSs);
  }

  /** cleanupDeployment when complete, then syncRolloutStatus. */
  private finish(d: KObject, newRS: KObject, oldRSs: KObject[]): void {
    const status = this.calculateStatus(d, newRS, oldRSs);
    const replicas = d.spec?.replicas ?? 1;
    const complete = status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas && (newRS.status?.observedGeneration ?? 0) >= (newRS.metadata.generation ?? 1);
    if (complete) this.cleanupDeployment(d, oldRSs);
    this.syncRolloutStatus(d, newRS, status, complete);
  }

  private cleanupDeployment(d: KObject, oldRSs: KObject[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const candidates = oldRSs.filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp);
    const diff = candidates.length - limit;
    if (diff <= 0) return;
    candidates.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of candidates.slice(0, diff)) {
      try {
        this.ctx.api.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
  }

  private calculateStatus(d: KObject, newRS: KObject | undefined, oldRSs: KObject[]): CalculatedStatus {
    const replicas = d.spec?.replicas ?? 1;
    // The sums over the ReplicaSets (newRS first), in one loop without closures.
    let available = 0;
    let total = 0;
    let readySum = 0;
    let actualSum = 0;
    for (let i = newRS ? -1 : 0; i < oldRSs.length; i++) {
      const rs = i < 0 ? newRS! : oldRSs[i];
      available += rs.status?.availableReplicas ?? 0;
      total += replicasOf(rs);
      readySum += rs.status?.readyReplicas ?? 0;
      actualSum += rs.status?.replicas ?? 0;
    }
    // Filled field by field below, in the status's field order (minAvailableOk last).
    const status = {} as CalculatedStatus;
    if (available) status.availableReplicas = available;
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    status.observedGeneration = d.metadata.generation;
    if (readySum) status.readyReplicas = readySum;
    if (actualSum) status.replicas = actualSum;
    const unavailable = Math.max(0, total - available);
    if (unavailable) status.unavailableReplicas = unavailable;
    const updated = newRS?.status?.replicas ?? 0;
    if (updated) status.updatedReplicas = updated;
    status.replicas = status.replicas ?? 0;
    status.updatedReplicas = status.updatedReplicas ?? 0;
    status.availableReplicas = status.availableReplicas ?? 0;
    status.minAvailableOk = available >= replicas - maxUnavailable(d);
    // getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's.
    status.replicaFailure = replicaFailureOf(newRS);
    for (let i = 0; i < oldRSs.length && !status.replicaFailure; i++) status.replicaFailure = replicaFailureOf(oldRSs[i]);
    return status;
  }

  /**
   * checkPausedConditions: with a progress deadline, a paused Deployment's Progressing condition
   * becomes Unknown/DeploymentPaused and a resumed one's Unknown/DeploymentResumed, written at once
   * (its own status write, before the sync's), unless the rollout already timed out.
   */
  private checkPausedConditions(d: KObject): void {
    const deadline = d.spec?.progressDeadlineSeconds ?? 600;
    if (deadline === 2147483647) return;
    const current = this.ctx.api.get("Deployment", d.metadata.namespace, d.metadata.name!)!;
    const conds: DeploymentCondition[] = current.status?.conditions ?? [];
    const cond = conds.find((c) => c.type === "Progressing");
    if (cond?.reason === "ProgressDeadlineExceeded") return;
    const pausedCondExists = cond?.reason === "DeploymentPaused";
    let next: { reason: string; message: string } | undefined;
    if (d.spec?.paused && !pausedCondExists) next = { reason: "DeploymentPaused", message: "Deployment is paused" };
    else if (!d.spec?.paused && pausedCondExists) next = { reason: "DeploymentResumed", message: "Deployment is resumed" };
    if (!next) return;
    // SetDeploymentCondition: the transition time kept while the status stays Unknown; the
    // condition filtered out and appended.
    const now = this.ctx.clock.nowRFC3339();
    const c = { lastTransitionTime: cond && cond.status === "Unknown" ? cond.lastTransitionTime : now, lastUpdateTime: now, message: next.message, reason: next.reason, status: "Unknown", type: "Progressing" };
    writeStatusOf(this.ctx, current, { ...current.status, conditions: [...conds.filter((x) => x.type !== "Progressing"), c] });
  }

  private syncStatusOnly(d: KObject, rsList: KObject[]): void {
    const newRS = this.findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== newRS);
    const status = this.calculateStatus(d, newRS, oldRSs);
    // The paused condition is checkPausedConditions' (upstream's sync() keeps the conditions).
    this.writeStatus(d, status);
  }

  /** syncRolloutStatus: the Available and Progressing conditions, and the progress deadline. */
  private syncRolloutStatus(d: KObject, newRS: KObject, status: CalculatedStatus, complete: boolean): void {
    this.rolloutComplete = complete;
    const current = this.ctx.api.get("Deployment", d.metadata.namespace, d.metadata.name!)!;
    const prev: DeploymentStatus = current.status ?? {};
    const prevProgressing = (prev.conditions ?? []).find((c) => c.type === "Progressing");
    let progressing: { status: string; reason: string; message: string; keepUpdateTime?: boolean } | undefined;
    const deadline = current.spec?.progressDeadlineSeconds ?? 600;
    const rsName = newRS.metadata.name;
    if (complete) {
      progressing = { status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rsName}" has successfully progressed.` };
    } else if (prevProgressing?.reason === "ProgressDeadlineExceeded") {
      progressing = undefined;
    } else if (
      (status.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
      (status.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
      (status.availableReplicas ?? 0) > (prev.availableReplicas ?? 0) ||
      (status.replicas ?? 0) < (prev.replicas ?? 0)
    ) {
      progressing = { status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` };
    } else if (prevProgressing && deadline !== 2147483647) {
      const last = Date.parse(prevProgressing.lastUpdateTime ?? "");
      const due = last + deadline * 1000;
      if (this.ctx.clock.now() >= due) {
        progressing = { status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${rsName}" has timed out progressing.` };
      } else {
        this.checkedDue = due;
        this.queue.addAfter(objectKey(d.metadata.namespace, d.metadata.name!), due - this.ctx.clock.now() + 1000);
      }
    }
    this.writeStatus(current, status, progressing);
  }

  private writeStatus(d: KObject, computed: CalculatedStatus, progressing?: { status: string; reason: string; message: string }): void {
    const now = this.ctx.clock.nowRFC3339();
    const { minAvailableOk, replicaFailure, ...fields } = computed;
    const current = this.ctx.api.get("Deployment", d.metadata.namespace, d.metadata.name!)!;
    // Conditions are replaced, never changed in place: the fast engine keeps the stored (frozen) ones.
    let conds: DeploymentCondition[] = this.ctx.reference ? structuredClone(current.status?.conditions ?? []) : [...(current.status?.conditions ?? [])];
    if (minAvailableOk) conds = setCondition(conds, now, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", false);
    else conds = setCondition(conds, now, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", false);
    if (progressing) {
      // ReplicaSetUpdated refreshes lastUpdateTime at each progress; the others only on change.
      conds = setCondition(conds, now, "Progressing", progressing.status, progressing.reason, progressing.message, progressing.reason === "ReplicaSetUpdated");
    }
    // ReplicaSetToDeploymentCondition; SetDeploymentCondition keeps a condition of the same status and reason.
    if (replicaFailure) {
      const prev = conds.find((c) => c.type === "ReplicaFailure");
      if (!prev || prev.status !== replicaFailure.status || prev.reason !== replicaFailure.reason) {
        const at = replicaFailure.lastTransitionTime;
        const c = { lastTransitionTime: prev && prev.status === replicaFailure.status ? prev.lastTransitionTime : at, lastUpdateTime: at, message: replicaFailure.message, reason: replicaFailure.reason, status: replicaFailure.status, type: "ReplicaFailure" };
        conds = [...conds.filter((x) => x.type !== "ReplicaFailure"), c];
      }
    } else conds = conds.filter((x) => x.type !== "ReplicaFailure");
    // Available before Progressing, as the controller appends them on a new Deployment.
    conds.sort((a, b) => (a.type === b.type ? 0 : a.type === "Available" ? -1 : b.type === "Available" ? 1 : 0));
    const status: DeploymentStatus = {};
    if (fields.availableReplicas) status.availableReplicas = fields.availableReplicas;
    if (fields.collisionCount !== undefined) status.collisionCount = fields.collisionCount;
    if (conds.length) status.conditions = conds;
    status.observedGeneration = fields.observedGeneration;
    if (fields.readyReplicas) status.readyReplicas = fields.readyReplicas;
    if (fields.replicas) status.replicas = fields.replicas;
    if (fields.unavailableReplicas) status.unavailableReplicas = fields.unavailableReplicas;
    if (fields.updatedReplicas) status.updatedReplicas = fields.updatedReplicas;
    if (!jsonEqual(status, current.status ?? {})) this.statusWritten = writeStatusOf(this.ctx, current, status);
  }
}

export function deploymentController(ctx: ClusterContext): Component {
  return new DeploymentController(ctx);
}
