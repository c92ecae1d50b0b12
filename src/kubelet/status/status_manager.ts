/**
 * The kubelet's status manager (pkg/kubelet/status/status_manager.go): keeps the latest status the
 * kubelet computed for each pod and writes it to the API server's pods/status when it differs
 * from what is stored, keeping each condition's lastTransitionTime unless its status changed, with
 * terminated messages cut to the pod's share of 12 KiB (normalizeStatus).
 */
import type { ClusterContext } from "../../context.ts";
import { jsonEqual } from "../../api/types.ts";
import { podStatusOf, statusUnbuilt } from "../../api/store.ts";
import type { Container, ContainerState, ContainerStatus, Pod, PodStatus } from "../../api/types.gen.ts";
import { mergeConditionTimes, sameStatusInputs } from "../kubelet_pods.ts";
import { truncateTerminationMessages } from "../kuberuntime/termination.ts";
import { generatePodReadyCondition } from "./generate.ts";
import { runtimePodUid } from "../pod/mirror_client.ts";

/** The kubelet's last pods/status write of a pod (StatusManager.lastWrite). */
export interface OwnWrite {
  /** The resourceVersion of the stored pod the write went over. */
  fromVersion: string | undefined;
  /** The stored pod it produced. */
  to: Pod;
  /** Whether the two give generateAPIPodStatus the same inputs (sameStatusInputs). */
  same: boolean;
}

export class StatusManager {
  private readonly cache = new Map<string, PodStatus>();
  /**
   * Per pod, what the last status write produced (issue #19): the stored pod it went over's
   * resourceVersion, the stored pod it produced, and whether the two give the status generation
   * the same inputs (`sameStatusInputs`). The pod workers' status key sees the latter, when it
   * comes back through the watch, as the former (PodWorkers.statusKey). The pod written over is not
   * kept (it would hold an old status per pod).
   */
  private readonly written = new Map<string, OwnWrite>();
  /** Called before the status of a pod changes here (issue #19: the prober's dormant workers read it). */
  onChange: ((uid: string) => void) | undefined;
  /** Called right after the status of a pod changed here or was dropped (issue #19: dormant probe workers check what they read). */
  onChanged: ((uid: string) => void) | undefined;

  constructor(private readonly ctx: ClusterContext) {}

  /** The latest status computed for a pod (undefined before the first). */
  getPodStatus(uid: string): PodStatus | undefined {
    return this.cache.get(uid);
  }

  /** The previous status to build on: the kubelet's own, else the API server's. */
  oldStatus(pod: Pod): PodStatus {
    return this.cache.get(pod.metadata.uid!) ?? pod.status ?? {};
  }

  /** Records a new status and writes it through if the pod still exists. Returns the merged status. */
  setPodStatus(pod: Pod, status: PodStatus): PodStatus {
    const uid = pod.metadata.uid!;
    this.onChange?.(uid);
    const current = this.storedPod(pod);
    // The stored status read without building one the store keeps unbuilt (`podStatusOf`, issue #19).
    const stored: PodStatus | undefined = current && podStatusOf(current);
    const old: PodStatus = this.cache.get(uid) ?? stored ?? podStatusOf(pod) ?? {};
    const merged: PodStatus = { ...status };
    truncateTerminationMessages(pod, merged);
    if (status.conditions) {
      const now = this.ctx.clock.nowRFC3339();
      const oldConds = [...(old.conditions ?? [])];
      // PodScheduled keeps the time the binding gave it.
      const apiSched = stored?.conditions?.find((c) => c.type === "PodScheduled");
      if (apiSched) {
        const i = oldConds.findIndex((c) => c.type === "PodScheduled");
        if (i >= 0) oldConds[i] = apiSched;
        else oldConds.push(apiSched);
      }
      merged.conditions = mergeConditionTimes(status.conditions, oldConds, now);
    }
    // A static pod's status goes to its mirror pod (TranslatePodUID).
    if (!current || runtimePodUid(current) !== uid) {
      this.cache.set(uid, merged);
      this.onChanged?.(uid);
      return merged;
    }
    // The fast engine writes the stored status's own (frozen) parts where the new one equals them.
    const toWrite = this.ctx.reference ? merged : shareUnchanged(merged, stored, current !== undefined && statusUnbuilt(current));
    this.cache.set(uid, toWrite);
    this.onChanged?.(uid);
    if (jsonEqual(toWrite, stored)) return toWrite;
    try {
      // The status subresource copies only .status from what it is given (`updatePodStatus`: the
      // update of `{ ...current, status: toWrite }`, its status copied at its first read).
      // `true`: not JSON-equal to the stored status (just compared), the store's no-op test answered.
      const to = this.ctx.api.updatePodStatus(current, toWrite, true) as Pod;
      if (!this.ctx.reference) this.written.set(uid, { fromVersion: current.metadata.resourceVersion, to, same: sameStatusInputs(current, to) });
    } catch {
      // The pod went away meanwhile: nothing to write.
    }
    return toWrite;
  }

  /**
   * The stored pod a status write of `pod` goes over (syncPod's get from the API server). The fast
   * engine (issue #19) answers with what its own last write of the pod produced (`written`'s `to`,
   * the object the store returned and keeps) while the store's pod under the same key still has that
   * write's resourceVersion: resourceVersions are unique and every change of a stored object gives it
   * a new one, so that object is the one `get` would return. Without such a write, or once anything
   * else changed or removed the pod, the get as before.
   */
  storedPod(pod: Pod): Pod | undefined {
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name!;
    const own = this.written.get(pod.metadata.uid!);
    if (own !== undefined) {
      const to = own.to;
      if (to.metadata.name === name && to.metadata.namespace === ns && this.ctx.api.resourceVersionOf("Pod", ns, name) === to.metadata.resourceVersion) return to;
    }
    return this.ctx.api.get("Pod", ns, name);
  }

  /** What the last status write produced (undefined before the first; always on the reference engine). */
  lastWrite(uid: string): OwnWrite | undefined {
    return this.written.get(uid);
  }

  removePod(uid: string): void {
    this.onChange?.(uid);
    this.cache.delete(uid);
    this.written.delete(uid);
    this.onChanged?.(uid);
  }
}

/** Status fields that are lists of objects compared item by item (a restart changes one container's status). */
const LISTS = new Set(["conditions", "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]);

/**
 * `fresh` with each field, and each item of its lists, that is JSON-equal to the stored status's
 * (frozen) one replaced by that one (issue #19). Equal JSON means the same bytes written and read;
 * the store then copies, freezes and the watchers compare only what changed (stored parts are
 * shared and frozen: nothing here changes them, generateAPIPodStatus copies what it builds on).
 * A new top-level object every time, as before. `handedOver`: `stored` is a status the store keeps
 * unbuilt (`ApiServer.updatePodStatus`): the body this manager handed over, which nothing changes
 * (it is frozen as it is when first read), so its parts are shared as frozen ones are.
 */
export function shareUnchanged(fresh: PodStatus, stored: PodStatus | undefined, handedOver = false): PodStatus {
  if (!stored || !(handedOver || Object.isFrozen(stored))) return fresh;
  const out: Record<string, unknown> = {};
  const old = stored as Record<string, unknown>;
  const f = fresh as Record<string, unknown>;
  for (const k in f) {
    const v = f[k];
    const o = old[k];
    if (v === null || typeof v !== "object" || o === null || typeof o !== "object") out[k] = v;
    else if (LISTS.has(k) && Array.isArray(v) && Array.isArray(o)) out[k] = shareItems(v, o);
    else if (jsonEqual(v, o)) out[k] = o;
    else out[k] = v;
  }
  return out as PodStatus;
}

/**
 * A list of `shareUnchanged`: the stored list itself when it is JSON-equal to the new one, else the
 * new items with each one JSON-equal to the stored item at its index replaced by that one. Each item
 * is compared once (issue #19): the list's own comparison (`jsonEqual` of two arrays: the same
 * length and each item equal, an item JSON leaves out compared as null) is made from the items'.
 */
function shareItems(v: unknown[], o: unknown[]): unknown[] {
  const out = new Array<unknown>(v.length);
  let same = v.length === o.length;
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    if (item === null || typeof item !== "object") {
      // Not an object (never in a status the kubelet makes): the two comparisons as they were.
      return jsonEqual(v, o) ? o : v.map((x: unknown, j: number) => (j < o.length && jsonEqual(x, o[j]) ? o[j] : x));
    }
    if (i < o.length && jsonEqual(item, o[i])) out[i] = o[i];
    else {
      out[i] = item;
      same = false;
    }
  }
  return same ? o : out;
}

/**
 * The status manager's TerminatePod (pkg/kubelet/status/status_manager.go): at the end of a pod's
 * life, once the pod has initialized, every container without a terminated state is reported
 * terminated (exit code 137, ContainerStatusUnknown, "The container could not be located when the
 * pod was terminated"), as are the init containers that attempted to start; a pod still Pending or
 * Running is made Failed, so that a deleted pod reaches a terminal phase (v1.27 and later).
 */
/** A container status as terminatePodStatus leaves it: terminated as it was, else in `unknown` (a function, not a named closure per call). */
function unknownUnlessTerminated(c: ContainerStatus, unknown: ContainerState): ContainerStatus {
  return c.state?.terminated ? c : { ...c, state: unknown };
}

export function terminatePodStatus(pod: Pod, status: PodStatus): PodStatus {
  const unknown: ContainerState = { terminated: { exitCode: 137, message: "The container could not be located when the pod was terminated", reason: "ContainerStatusUnknown" } };
  const out: PodStatus = { ...status };
  if (out.containerStatuses && hasPodInitialized(pod, status)) out.containerStatuses = out.containerStatuses.map((c) => unknownUnlessTerminated(c, unknown));
  if (out.initContainerStatuses) {
    const n = initializedContainers(out.initContainerStatuses);
    out.initContainerStatuses = out.initContainerStatuses.map((c, i) => (i < n ? unknownUnlessTerminated(c, unknown) : c));
  }
  if (out.phase !== "Succeeded" && out.phase !== "Failed") out.phase = "Failed";
  return out;
}

/** hasPodInitialized: no init containers, a regular container that left waiting, or the last init container succeeded. */
function hasPodInitialized(pod: Pod, status: PodStatus): boolean {
  const inits: Container[] = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;
  for (const c of status.containerStatuses ?? []) if (c.lastState?.terminated || !c.state?.waiting) return true;
  const list: ContainerStatus[] = status.initContainerStatuses ?? [];
  const last = list[list.length - 1];
  if (!last) return false;
  const spec = inits.find((c) => c.name === last.name);
  if (!spec) return false;
  if (spec.restartPolicy === "Always") return !!last.started;
  return last.state?.terminated?.exitCode === 0;
}

/** initializedContainers: how many statuses, up to the last that left waiting (at least one). */
function initializedContainers(list: ContainerStatus[]): number {
  for (let i = list.length - 1; i >= 0; i--) if (!list[i].state?.waiting || list[i].lastState?.terminated) return i + 1;
  return list.length > 0 ? 1 : 0;
}

/**
 * status.NeedToReconcilePodReadiness: whether a pod with readiness gates has a Ready condition
 * whose status or message disagrees with what its conditions (the gates' conditions others wrote),
 * container statuses and phase give. The kubelet then syncs the pod on a status-only update
 * (kubelet.go HandlePodReconcile), so a gate's condition set by a controller reaches Ready at once.
 */
export function needToReconcilePodReadiness(pod: Pod): boolean {
  const spec = pod.spec;
  if (!spec?.readinessGates?.length) return false;
  const conditions = pod.status?.conditions ?? [];
  const current = conditions.find((c) => c.type === "Ready");
  if (!current) return false;
  const expected = generatePodReadyCondition(spec, conditions, pod.status?.containerStatuses, pod.status?.phase ?? "");
  return current.status !== expected.status || (current.message ?? "") !== (expected.message ?? "");
}
