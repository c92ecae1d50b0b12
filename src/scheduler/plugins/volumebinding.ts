/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding, v1.32) and the ReadWriteOncePod
 * check of VolumeRestrictions (plugins/volumerestrictions).
 *
 * PreFilter: every claim the pod mounts must exist (`persistentvolumeclaim "x" not found`) and not
 * be going away (`... is being deleted`); an unbound claim whose class binds Immediately stops the
 * pod everywhere ("pod has unbound immediate PersistentVolumeClaims"). Filter, per node: a bound
 * claim's volume must allow the node ("node(s) had volume node affinity conflict"); an unbound
 * claim of a WaitForFirstConsumer class needs an available volume for the node (FindMatchingVolume)
 * or a class that can provision there ("node(s) didn't find available persistent volumes to bind").
 * Both rejections are UnschedulableAndUnresolvable. PreBind (bindings): a matched volume gets the
 * claim as its claimRef, a claim to provision gets `volume.kubernetes.io/selected-node`; the
 * scheduler binds the pod once every claim is bound (the PV controller and the provisioner do the
 * rest), or fails it after bindTimeoutSeconds (600 s).
 */
import type { ApiServer } from "../../api/store.ts";
import type { KObject } from "../../api/types.ts";
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  checkVolumeNodeAffinity,
  findMatchingVolume,
  getPersistentVolumeClaimClass,
  isDelayBindingMode,
  NOT_SUPPORTED_PROVISIONER,
} from "../../api/helper/pv_helpers.ts";
import { nodeSelectorTermsMatcher } from "../util/labels.ts";
import { Status, type CycleState, type FilterPlugin, type MaybeStatus, type NodeInfo, type PodInfo, type PreFilterPlugin } from "../types.ts";

export const NAME = "VolumeBinding";
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict";
export const ERR_REASON_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
export const ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
export const ERR_RWOP_CONFLICT = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
/** bindTimeoutSeconds of the VolumeBinding plugin's default args. */
export const BIND_TIMEOUT_MS = 600_000;
const STATE_KEY = "PreFilter" + NAME;

interface PodClaims {
  bound: KObject[];
  delayed: KObject[];
  /** The PersistentVolumes, listed once per scheduling cycle (nothing writes them while Filter runs over the nodes). */
  volumes?: KObject[];
}

/** The claims a pod's volumes name (persistentVolumeClaim, and ephemeral volumes' `<pod>-<volume>`). */
export function podClaimNames(pod: KObject): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata.name}-${v.name}`);
  }
  return out;
}

export interface VolumeDecisions {
  /** Volumes matched to claims on the chosen node: [volume, claim]. */
  static: Array<[KObject, KObject]>;
  /** Claims to provision on the chosen node. */
  provision: KObject[];
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  /** Per pod key and node: what Filter decided for the delayed claims. */
  private readonly decisions = new Map<string, Map<string, VolumeDecisions>>();

  constructor(private readonly api: ApiServer) {}

  preFilter(state: CycleState, pod: PodInfo): { status: MaybeStatus } {
    const names = podClaimNames(pod.pod);
    if (names.length === 0) return { status: Status.skip() };
    const claims: PodClaims = { bound: [], delayed: [] };
    let immediate = false;
    for (const name of names) {
      const pvc = this.api.get("PersistentVolumeClaim", pod.namespace, name);
      if (!pvc) return { status: Status.unresolvable(`persistentvolumeclaim ${JSON.stringify(name)} not found`) };
      if (pvc.metadata.deletionTimestamp) return { status: Status.unresolvable(`persistentvolumeclaim ${JSON.stringify(name)} is being deleted`) };
      if (pvc.spec?.volumeName && pvc.metadata.annotations?.[ANN_BIND_COMPLETED] === "yes") claims.bound.push(pvc);
      else if (isDelayBindingMode(pvc, (n) => this.api.get("StorageClass", undefined, n))) claims.delayed.push(pvc);
      else immediate = true;
    }
    if (immediate) return { status: Status.unresolvable(ERR_UNBOUND_IMMEDIATE) };
    // VolumeRestrictions: a ReadWriteOncePod claim used by another pod.
    for (const pvc of [...claims.bound, ...claims.delayed]) {
      if (!(pvc.spec?.accessModes ?? []).includes("ReadWriteOncePod")) continue;
      const others = this.api.list("Pod", { namespace: pod.namespace }).filter((p) => p.metadata.name !== pod.name && p.spec?.nodeName && podClaimNames(p).includes(pvc.metadata.name!));
      if (others.length) return { status: Status.unresolvable(ERR_RWOP_CONFLICT) };
    }
    state.set(STATE_KEY, claims);
    this.decisions.set(pod.key, new Map());
    return { status: null };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const claims = state.get(STATE_KEY) as PodClaims | undefined;
    if (!claims) return null;
    const reasons = new Set<string>();
    const labels = node.labels;
    for (const pvc of claims.bound) {
      const pv = this.api.get("PersistentVolume", undefined, pvc.spec.volumeName);
      if (!pv) reasons.add(ERR_REASON_PV_NOT_EXIST);
      else if (!checkVolumeNodeAffinity(pv, labels, node.name)) reasons.add(ERR_REASON_NODE_CONFLICT);
    }
    const decision: VolumeDecisions = { static: [], provision: [] };
    if (claims.delayed.length) {
      const chosen = new Set<string>();
      const volumes = (claims.volumes ??= this.api.list("PersistentVolume"));
      for (const pvc of claims.delayed) {
        const pv = findMatchingVolume(pvc, volumes, { name: node.name, labels }, chosen, true);
        if (pv) {
          chosen.add(pv.metadata.name!);
          decision.static.push([pv, pvc]);
          continue;
        }
        if (this.canProvision(pvc, node)) decision.provision.push(pvc);
        else reasons.add(ERR_REASON_BIND_CONFLICT);
      }
    }
    if (reasons.size) return Status.unresolvable(...reasons);
    this.decisions.get(pod.key)?.set(node.name, decision);
    return null;
  }

  /** checkVolumeProvisions: the class can provision (an external provisioner) and its allowedTopologies allow the node. */
  private canProvision(pvc: KObject, node: NodeInfo): boolean {
    const sc = this.api.get("StorageClass", undefined, getPersistentVolumeClaimClass(pvc));
    if (!sc || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return false;
    const topologies: Array<{ matchLabelExpressions?: Array<{ key: string; values: string[] }> }> = sc.allowedTopologies ?? [];
    if (topologies.length === 0) return true;
    const terms = topologies.map((t) => ({ matchExpressions: (t.matchLabelExpressions ?? []).map((e) => ({ key: e.key, operator: "In", values: e.values })) }));
    return nodeSelectorTermsMatcher(terms)({ name: node.name, labels: node.labels });
  }

  /**
   * PreBind: records the decisions for the chosen node in the API. Returns false when there was
   * nothing to bind (the pod can be bound at once).
   */
  preBind(pod: PodInfo, nodeName: string): boolean {
    const d = this.decisions.get(pod.key)?.get(nodeName);
    this.decisions.delete(pod.key);
    if (!d || (d.static.length === 0 && d.provision.length === 0)) return false;
    for (const [pv, pvc] of d.static) {
      this.api.mutate("PersistentVolume", undefined, pv.metadata.name!, (v) => {
        v.metadata.annotations = { ...(v.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: "yes" };
        v.spec.claimRef = { kind: "PersistentVolumeClaim", namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: "v1", resourceVersion: pvc.metadata.resourceVersion };
      });
    }
    for (const pvc of d.provision) {
      this.api.mutate("PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name!, (c) => {
        c.metadata.annotations = { ...(c.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName };
      });
    }
    return true;
  }

  /** Whether every claim of the pod is bound (the end of PreBind's wait). */
  allBound(pod: KObject): boolean {
    for (const name of podClaimNames(pod)) {
      const pvc = this.api.get("PersistentVolumeClaim", pod.metadata.namespace, name);
      if (!pvc || !pvc.spec?.volumeName || pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== "yes") return false;
      const pv = this.api.get("PersistentVolume", undefined, pvc.spec.volumeName);
      if (!pv || pv.spec?.claimRef?.uid !== pvc.metadata.uid) return false;
    }
    return true;
  }

  /** Forgets a pod's decisions (its cycle ended without binding). */
  forget(podKey: string): void {
    this.decisions.delete(podKey);
  }
}
