/**
 * The DaemonSet's update strategy and revision history (pkg/controller/daemon/update.go, v1.32).
 *
 * rollingUpdate without surge deletes old pods while the unavailable pods stay within
 * maxUnavailable (old unavailable pods go at once), and manage creates their replacements once
 * they are gone; with maxSurge it creates the new pod next to the old one on up to maxSurge nodes
 * (at once where the old pod is unavailable) and deletes the old pod when the new one is available.
 *
 * The template's revisions are ControllerRevisions named `<ds>-<hash>`, holding the patch
 * `{"spec":{"template":{…,"$patch":"replace"}}}` that restores the template, labelled with the
 * template's labels and `controller-revision-hash`, with the DaemonSet's annotations; the oldest
 * ones beyond revisionHistoryLimit are deleted unless a live pod still runs them.
 */
import { ApiError } from "../../api/errors.ts";
import { jsonEqual, type KObject } from "../../api/types.ts";
import { computeHash } from "../deploymentutil.ts";
import { claimObjects } from "../util/controllerref.ts";
import { controllerRef, newControllerRef } from "../util/pod.ts";
import { isPodAvailable } from "../../api/pod/util.ts";
import { selectorMatches } from "../util/selector.ts";
import type { DaemonSetsController, NodeToDaemonPods } from "./daemon_controller.ts";
import { DAEMONSET_HASH_LABEL, getTemplateGeneration, isPodUpdated, nodeShouldRunDaemonPod, surgeCount, unavailableCount } from "./util.ts";

/** updatedDesiredNodeCounts: [maxSurge, maxUnavailable, desired]; nodes that should run a pod get an entry. */
export function updatedDesiredNodeCounts(ds: KObject, nodes: KObject[], nodeToDaemonPods: NodeToDaemonPods): [number, number, number] {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!nodeToDaemonPods.has(node.metadata.name!)) nodeToDaemonPods.set(node.metadata.name!, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  // An impossible configuration (both 0) accepts one unavailable pod.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return [maxSurge, maxUnavailable, desired];
}

/**
 * findUpdatedPodsOnNode: the node's new and old pod (not being deleted); `ok` is false when there
 * is more than one of either, which the manage loop prunes first.
 */
export function findUpdatedPodsOnNode(ds: KObject, pods: KObject[], hash: string): { newPod?: KObject; oldPod?: KObject; ok: boolean } {
  let newPod: KObject | undefined;
  let oldPod: KObject | undefined;
  const generation = getTemplateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** rollingUpdate: the old pods to delete, or (surging) the nodes to give a new pod next to the old one. */
export function rollingUpdate(dsc: DaemonSetsController, ds: KObject, nodes: KObject[], hash: string): void {
  const nodeToDaemonPods = dsc.getNodesToDaemonPods(ds, false);
  const [maxSurge, maxUnavailable, desired] = updatedDesiredNodeCounts(ds, nodes, nodeToDaemonPods);
  const now = dsc.ctx.clock.now();
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: KObject) => isPodAvailable(p, minReady, now);
  // Map iteration follows insertion order; upstream's is random. Nodes go in name order here.
  const entries = [...nodeToDaemonPods.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const [, pods] of entries) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacementPods.push(oldPod.metadata.name!);
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) candidatePodsToDelete.push(oldPod.metadata.name!);
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
    dsc.syncNodes(ds, [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], [], hash);
    return;
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const shouldRun = (nodeName: string) => {
    const node = nodeByName.get(nodeName);
    return node ? nodeShouldRunDaemonPod(node, ds).shouldRun : false;
  };
  for (const [nodeName, pods] of entries) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) {
          oldPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        allowedNewNodes.push(nodeName);
      } else {
        if (!shouldRun(nodeName)) {
          shouldNotRunPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        if (numSurge >= maxSurge) continue;
        candidateNewNodes.push(nodeName);
      }
      continue;
    }
    // Already surged onto this node: wait for the new pod, then retire the old one.
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    oldPodsToDelete.push(oldPod.metadata.name!);
  }
  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  // With surge the owner expects full availability: a pod on a node that should no longer run
  // one goes only when more pods are available than desired.
  const deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.length);
  if (deletable > 0) {
    for (const name of shouldNotRunPodsToDelete.slice(0, deletable)) {
      if (dsc.ctx.api.get("Pod", ds.metadata.namespace, name)) oldPodsToDelete.push(name);
    }
  }
  dsc.syncNodes(ds, oldPodsToDelete, [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)], hash);
}

/** getPatch: the patch that restores the DaemonSet's template (what a revision stores). */
export function getPatch(ds: KObject): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: "replace" } } };
}

/** Per stored revision version, the stored template it was last matched against and the answer (both frozen: the answer cannot change). */
const matched = new WeakMap<object, { template: object; match: boolean }>();

/** Match: the revision stores the DaemonSet's current template. */
export function matchRevision(ds: KObject, history: KObject): boolean {
  const template = ds.spec?.template;
  const cacheable = template && Object.isFrozen(template) && Object.isFrozen(history);
  const hit = cacheable ? matched.get(history) : undefined;
  if (hit && hit.template === template) return hit.match;
  const match = jsonEqual(getPatch(ds), history.data);
  if (cacheable) matched.set(history, { template, match });
  return match;
}

/** controlledHistories: the DaemonSet's ControllerRevisions, after adopting and releasing. */
function controlledHistories(dsc: DaemonSetsController, ds: KObject): KObject[] {
  const all = dsc.ctx.api.list("ControllerRevision", { namespace: ds.metadata.namespace });
  const candidates = all.filter((h) => !controllerRef(h) || controllerRef(h)!.uid === ds.metadata.uid);
  return claimObjects(dsc.ctx.api, ds, candidates, (h) => selectorMatches(ds.spec?.selector, h.metadata.labels));
}

const maxRevision = (hs: KObject[]) => hs.reduce((m, h) => Math.max(m, h.revision ?? 0), 0);

/**
 * constructHistory: the current revision (created, or renumbered to follow the others) and the
 * old ones; duplicates of the current one are removed after their pods are relabelled.
 */
export function constructHistory(dsc: DaemonSetsController, ds: KObject): { cur: KObject; old: KObject[] } {
  const api = dsc.ctx.api;
  const current: KObject[] = [];
  const old: KObject[] = [];
  for (let h of controlledHistories(dsc, ds)) {
    if (h.metadata.labels?.[DAEMONSET_HASH_LABEL] === undefined) {
      h = api.mutate("ControllerRevision", h.metadata.namespace, h.metadata.name!, (x) => {
        x.metadata.labels = { ...(x.metadata.labels ?? {}), [DAEMONSET_HASH_LABEL]: x.metadata.name! };
      });
    }
    if (matchRevision(ds, h)) current.push(h);
    else old.push(h);
  }
  const currRevision = maxRevision(old) + 1;
  let cur: KObject;
  if (current.length === 0) cur = snapshot(dsc, ds, currRevision);
  else {
    cur = dedupCurHistories(dsc, ds, current);
    if ((cur.revision ?? 0) < currRevision) {
      cur = api.mutate("ControllerRevision", cur.metadata.namespace, cur.metadata.name!, (x) => (x.revision = currRevision));
    }
  }
  return { cur, old };
}

function dedupCurHistories(dsc: DaemonSetsController, ds: KObject, histories: KObject[]): KObject {
  if (histories.length === 1) return histories[0];
  let keep = histories[0];
  for (const h of histories) if ((h.revision ?? 0) >= (keep.revision ?? 0)) keep = h;
  const api = dsc.ctx.api;
  const keepHash = keep.metadata.labels?.[DAEMONSET_HASH_LABEL];
  for (const pod of dsc.getDaemonPods(ds)) {
    if (pod.metadata.labels?.[DAEMONSET_HASH_LABEL] === keepHash) continue;
    const p = api.mutate("Pod", pod.metadata.namespace, pod.metadata.name!, (x) => {
      x.metadata.labels = { ...(x.metadata.labels ?? {}), [DAEMONSET_HASH_LABEL]: keepHash! };
    });
    dsc.pods.record(p, false);
  }
  for (const h of histories) if (h.metadata.name !== keep.metadata.name) api.delete("ControllerRevision", h.metadata.namespace, h.metadata.name!);
  return keep;
}

/** snapshot: creates the revision `<ds>-<hash>`; a name taken by another template bumps collisionCount. */
function snapshot(dsc: DaemonSetsController, ds: KObject, revision: number): KObject {
  const api = dsc.ctx.api;
  const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const all: Record<string, string> = { ...(ds.spec?.template?.metadata?.labels ?? {}), [DAEMONSET_HASH_LABEL]: hash };
  const labels = Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const history: KObject = {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels,
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    data: getPatch(ds),
    revision,
  };
  try {
    return api.create(history);
  } catch (e) {
    if (!(e instanceof ApiError) || e.reason !== "AlreadyExists") throw e;
    const existing = api.get("ControllerRevision", ds.metadata.namespace, name)!;
    if (matchRevision(ds, existing)) return existing;
    // A hash collision: bump collisionCount, and take the next name.
    const updated = api.mutate("DaemonSet", ds.metadata.namespace, ds.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    }, { subresource: "status" });
    return snapshot(dsc, updated, revision);
  }
}

/** cleanupHistory: deletes the oldest revisions beyond revisionHistoryLimit that no live pod runs. */
export function cleanupHistory(dsc: DaemonSetsController, ds: KObject, old: KObject[]): void {
  const toKeep = ds.spec?.revisionHistoryLimit ?? 10;
  let toKill = old.length - toKeep;
  if (toKill <= 0) return;
  const liveHashes = new Set<string>();
  for (const pods of dsc.getNodesToDaemonPods(ds, true).values()) {
    for (const p of pods) {
      const h = p.metadata.labels?.[DAEMONSET_HASH_LABEL];
      if (h) liveHashes.add(h);
    }
  }
  for (const h of [...old].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))) {
    if (toKill <= 0) break;
    if (liveHashes.has(h.metadata.labels?.[DAEMONSET_HASH_LABEL] ?? "")) continue;
    dsc.ctx.api.delete("ControllerRevision", h.metadata.namespace, h.metadata.name!);
    toKill--;
  }
}
