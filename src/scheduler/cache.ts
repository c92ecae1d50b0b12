/**
 * The scheduler's cache (pkg/scheduler/backend/cache): NodeInfos kept up to date incrementally
 * from watch events, with pods the scheduler has just bound counted at once ("assumed"), the node
 * tree's zone-interleaved order, and image spread for ImageLocality. The framework reads it
 * directly as its snapshot: the simulation is single-threaded, nothing changes mid-cycle.
 */
import { jsonEqual, type KObject } from "../api/types.ts";
import type { Labels, Matcher } from "./util/labels.ts";
import { NodeInfo, NodeStamps, PodInfo, type AffinityTerm, type Snapshot } from "./types.ts";
import { normalizedImageName } from "./plugins/imagelocality.ts";
import type { LabelSelector } from "../api/types.gen.ts";

const ZONE = "topology.kubernetes.io/zone";
const EMPTY: PodInfo[] = [];
const EMPTY_SET = new Set<PodInfo>();
const REGION = "topology.kubernetes.io/region";

function zoneOf(node: KObject): string {
  const l = node.metadata.labels ?? {};
  const region = l[REGION] ?? "";
  const zone = l[ZONE] ?? "";
  return region === "" && zone === "" ? "" : region + ":\u0000:" + zone;
}

/** One node's view of an image: its size there, and how many nodes hold it now. */
class ImageState {
  constructor(
    readonly size: number,
    private readonly holders: Map<string, number>,
  ) {}
  get numNodes(): number {
    return Math.max(1, this.holders.size);
  }
}

/**
 * Whether two versions of a Node give the same NodeInfo (setNode) and image states (updateImages):
 * labels, taints, unschedulable, allocatable and the image list serialise the same.
 */
function sameSchedulingInputs(old: KObject, node: KObject): boolean {
  return (
    old.metadata.name === node.metadata.name &&
    !!old.spec?.unschedulable === !!node.spec?.unschedulable &&
    jsonEqual(old.metadata.labels, node.metadata.labels) &&
    jsonEqual(old.spec?.taints, node.spec?.taints) &&
    jsonEqual(old.status?.allocatable, node.status?.allocatable) &&
    jsonEqual(old.status?.images, node.status?.images)
  );
}

/** SchedulerCache.valueIds: a label key's values on the listed nodes, as numbers. */
export interface NodeValueIds {
  readonly ids: Int32Array;
  readonly values: readonly string[];
  /** How many listed nodes lack the key. */
  readonly missing: number;
  readonly listVersion: number;
  readonly nodesVersion: number;
}

export class SchedulerCache implements Snapshot {
  /**
   * Set by the fast engine's scheduler: an updated pod with the same spec keeps its parsed parts
   * (addOrUpdatePod), and a counted pod is found on its node by identity (removePod).
   */
  reuseParsed = false;
  private readonly nodes = new Map<string, NodeInfo>();
  /** pod key → the PodInfo counted on a node (bound or assumed); its nodeInfo is the node. */
  private readonly podNode = new Map<string, PodInfo>();
  /** zone key → node names, in the order they joined (the node tree). */
  private readonly zones = new Map<string, string[]>();
  private list: NodeInfo[] | undefined;
  private affinityList: NodeInfo[] | undefined;
  private antiAffinityList: NodeInfo[] | undefined;
  private readonly nsLabels = new Map<string, Labels>();
  /** Label index: "key\0value" → pods carrying that label. */
  private readonly byLabel = new Map<string, Set<PodInfo>>();
  private readonly pods = new Set<PodInfo>();
  private readonly withAffinity = new Set<PodInfo>();
  private readonly withRequiredAntiAffinity = new Set<PodInfo>();
  /** image name → nodes holding it, with the size a node reports. */
  private readonly images = new Map<string, Map<string, number>>();

  // ---- nodes ----

  /**
   * Bumped on every node add or removal and every update of a node's labels or taints (the
   * reference engine: on every update): what PodTopologySpread's eligible nodes and tracked counts
   * are made of (the node list, labels, taints; node affinity reads labels and the name).
   */
  nodesVersion = 0;

  addOrUpdateNode(node: KObject): NodeInfo {
    const name = node.metadata.name!;
    let ni = this.nodes.get(name);
    if (ni && this.reuseParsed && sameSchedulingInputs(ni.node, node)) {
      // The fast engine: a node update that leaves every input of the NodeInfo as it was (a
      // heartbeat: conditions, heartbeat times) only hands the new object over. Labels, taints,
      // unschedulable, allocatable and images serialise the same, so setNode and updateImages would
      // rebuild the same values; the node list, zones and the node-derived caches (nodesVersion,
      // the NodeInfo's generation) stay valid.
      ni.node = node;
      return ni;
    }
    // The fast engine: a new image list, allocatable or conditions (a rolling update's nodes pull
    // the new image) leave the spreading's eligible nodes and counts as they are.
    if (!(ni && this.reuseParsed && jsonEqual(ni.node.metadata.labels, node.metadata.labels) && jsonEqual(ni.node.spec?.taints, node.spec?.taints))) this.nodesVersion++;
    const oldZone = ni ? zoneOf(ni.node) : undefined;
    if (ni) {
      this.countNode(ni, -1);
      ni.setNode(node);
    } else {
      ni = new NodeInfo(node);
      this.nodes.set(name, ni);
    }
    const zone = zoneOf(node);
    if (oldZone !== zone) {
      if (oldZone !== undefined) this.removeFromZone(oldZone, name);
      const z = this.zones.get(zone) ?? [];
      z.push(name);
      this.zones.set(zone, z);
      this.list = undefined;
    }
    this.updateImages(ni);
    this.countNode(ni, 1);
    this.affinityList = this.antiAffinityList = undefined;
    return ni;
  }

  /** Nodes that are tainted or cordoned, and nodes that list images (kept as nodes come, change and go). */
  private notPlainNodes = 0;
  private nodesWithImages = 0;

  private countNode(ni: NodeInfo, sign: 1 | -1): void {
    if (!ni.plain) this.notPlainNodes += sign;
    if (ni.hasImages) this.nodesWithImages += sign;
  }

  /** Every node is untainted and not cordoned (NodeInfo.plain). */
  allNodesPlain(): boolean {
    return this.notPlainNodes === 0;
  }

  /** No node lists an image (NodeInfo.hasImages). */
  noNodeHasImages(): boolean {
    return this.nodesWithImages === 0;
  }

  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.nodesVersion++;
    ni.pos = -1;
    this.countNode(ni, -1);
    this.removeFromZone(zoneOf(ni.node), name);
    this.nodes.delete(name);
    for (const p of ni.pods) {
      this.podNode.delete(p.key);
      this.index(p, false);
    }
    for (const holders of this.images.values()) holders.delete(name);
    this.list = this.affinityList = this.antiAffinityList = undefined;
  }

  private removeFromZone(zone: string, name: string): void {
    const z = this.zones.get(zone);
    if (!z) return;
    const i = z.indexOf(name);
    if (i >= 0) z.splice(i, 1);
    if (z.length === 0) this.zones.delete(zone);
  }

  private updateImages(ni: NodeInfo): void {
    const listed: Array<{ names?: string[]; sizeBytes?: number }> = ni.node.status?.images ?? [];
    const names = new Set<string>();
    for (const img of listed) {
      for (const n of img.names ?? []) {
        const key = normalizedImageName(n);
        names.add(key);
        let holders = this.images.get(key);
        if (!holders) this.images.set(key, (holders = new Map()));
        holders.set(ni.name, img.sizeBytes ?? 0);
      }
    }
    for (const [img, holders] of this.images) if (!names.has(img)) holders.delete(ni.name);
    // Only this node's summaries are rebuilt: numNodes is read live from the image's holders (as
    // upstream's summaries share one state per image), so other nodes need no refresh. Rebuilding
    // every node's summaries on every Node update was quadratic in the cluster size.
    ni.imageStates.clear();
    for (const img of listed) {
      for (const n of img.names ?? []) {
        const key = normalizedImageName(n);
        ni.imageStates.set(key, new ImageState(img.sizeBytes ?? 0, this.images.get(key)!));
      }
    }
    ni.hasImages = ni.imageStates.size > 0;
  }

  // ---- pods ----

  /**
   * Counts a bound (or just-bound) pod on its node; a changed pod replaces its old self. `parsed`:
   * the scheduler's PodInfo of the pod before its binding (see PodInfo).
   */
  addOrUpdatePod(pod: KObject, parsed?: PodInfo): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
    const old = this.podNode.get(key);
    if (old !== undefined) {
      if (old.pod === pod) return;
      // The fast engine: a new version of a pod whose spec is the same frozen object (a status
      // write shares it) has the same requests, terms and host ports: they are taken from the
      // old PodInfo instead of being parsed again (as the bound pod's are from the scheduler's).
      if (!parsed && this.reuseParsed && old.pod.spec === pod.spec && old.namespace === (pod.metadata.namespace ?? "default")) parsed = old;
      this.removePod(key);
    }
    const ni = this.nodes.get(nodeName);
    if (!ni) return;
    const info = new PodInfo(pod, parsed);
    info.nodeInfo = ni;
    ni.addPod(info);
    this.podNode.set(key, info);
    this.index(info, true);
    if (info.hasAffinity) this.affinityList = undefined;
    if (info.hasRequiredAntiAffinity) this.antiAffinityList = undefined;
  }

  /**
   * The fast engine's scheduler (issue #19 §1, `Scheduler.statusOnlyWanted`): a status-only change
   * of a pod this cache counts, which the scheduler leaves out. True when addOrUpdatePod would
   * change nothing but the pod's place in its node's list (its new version appended) and its
   * PodInfo's object: the node's sums are exact (so −requests +requests gives them back;
   * NodeInfo.exactSums), the spec is the counted version's (the same parsed parts, node and
   * terms) and the labels, namespace and deletion with it (a status-only change keeps the
   * metadata). The PodInfo is restamped with the place the update would have given it
   * (NodeInfo.restamp; preemption puts the list in that order before reading it) and takes the
   * new object (PodInfo.takeStatusOf: what the update's new PodInfo would hold; its parsed parts
   * come from the same spec). False (nothing done): the handler runs.
   */
  leaveOutStatusOnly(key: string, pod: KObject): boolean {
    const old = this.podNode.get(key);
    if (old === undefined) return false;
    // addOrUpdatePod returns at once for the counted object itself.
    if (old.pod === pod) return true;
    const ni = old.nodeInfo!;
    if (!this.reuseParsed || !ni.exactSums || old.pod.spec !== pod.spec || old.pod.metadata.labels !== pod.metadata.labels || this.nodes.get(ni.name) !== ni) return false;
    ni.restamp(old);
    old.takeStatusOf(pod);
    return true;
  }

  removePod(key: string): PodInfo | undefined {
    const counted = this.podNode.get(key);
    if (counted === undefined) return undefined;
    this.podNode.delete(key);
    const ni = this.nodes.get(counted.nodeInfo!.name);
    const removed = this.reuseParsed ? ni?.removePodInfo(counted) : ni?.removePod(key);
    if (removed) this.index(removed, false);
    if (removed?.hasAffinity) this.affinityList = undefined;
    if (removed?.hasRequiredAntiAffinity) this.antiAffinityList = undefined;
    return removed;
  }

  private readonly podListeners: Array<(p: PodInfo, delta: 1 | -1) => void> = [];

  /** Called whenever a pod starts or stops being counted on a node (incremental plugin counters). */
  onPodCounted(fn: (p: PodInfo, delta: 1 | -1) => void): void {
    this.podListeners.push(fn);
  }

  private index(p: PodInfo, add: boolean): void {
    for (const fn of this.podListeners) fn(p, add ? 1 : -1);
    // (add and delete called by name, not as set[op]: a keyed method lookup per set is slower.)
    if (add) this.pods.add(p);
    else this.pods.delete(p);
    if (p.hasAffinity) {
      if (add) this.withAffinity.add(p);
      else this.withAffinity.delete(p);
    }
    if (p.hasRequiredAntiAffinity) {
      if (add) this.withRequiredAntiAffinity.add(p);
      else this.withRequiredAntiAffinity.delete(p);
    }
    let keys = p.labelKeys;
    if (keys === undefined) {
      keys = [];
      for (const k in p.labels) keys.push(k + "\u0000" + p.labels[k]);
      p.labelKeys = keys;
    }
    for (const lk of keys) {
      let set = this.byLabel.get(lk);
      if (!set) {
        if (!add) continue;
        this.byLabel.set(lk, (set = new Set()));
      }
      if (add) set.add(p);
      else {
        set.delete(p);
        if (set.size === 0) this.byLabel.delete(lk);
      }
    }
  }

  allPods(): Iterable<PodInfo> {
    return this.pods;
  }

  podsWithAffinity(): Iterable<PodInfo> {
    return this.withAffinity;
  }

  podsWithRequiredAntiAffinity(): Iterable<PodInfo> {
    return this.withRequiredAntiAffinity;
  }

  /** From the label index: the pods carrying one of the selector's required label pairs (the smallest set), else all pods. */
  candidatePods(t: AffinityTerm): Iterable<PodInfo> {
    return this.candidatesFor(t.raw?.labelSelector);
  }

  /** The same for a metav1.LabelSelector (nil matches nothing). */
  candidatesFor(sel: LabelSelector | null | undefined): Iterable<PodInfo> {
    if (!sel) return EMPTY;
    let best: Set<PodInfo> | undefined;
    for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) {
      const set = this.byLabel.get(k + "\u0000" + v) ?? EMPTY_SET;
      if (!best || set.size < best.size) best = set;
    }
    if (best) return best;
    for (const e of sel.matchExpressions ?? []) {
      if (e.operator !== "In") continue;
      const union: PodInfo[] = [];
      for (const v of new Set<string>(e.values ?? [])) for (const p of this.byLabel.get(e.key + "\u0000" + v) ?? EMPTY_SET) union.push(p);
      return union;
    }
    return this.pods;
  }

  nodeOfPod(key: string): string | undefined {
    return this.podNode.get(key)?.nodeInfo!.name;
  }

  // ---- namespaces ----

  setNamespace(ns: KObject | undefined, name: string): void {
    if (ns) this.nsLabels.set(name, ns.metadata.labels ?? {});
    else this.nsLabels.delete(name);
  }

  // ---- Snapshot ----

  /** nodeTree.list(): one node from each zone in turn. */
  nodeInfoList(): NodeInfo[] {
    if (this.list) return this.list;
    const out: NodeInfo[] = [];
    const zones = [...this.zones.values()];
    if (zones.length === 1) {
      for (const n of zones[0]) out.push(this.nodes.get(n)!);
    } else {
      for (let i = 0; out.length < this.nodes.size; i++) {
        for (const z of zones) if (i < z.length) out.push(this.nodes.get(z[i])!);
      }
    }
    this.list = out;
    // Places move: every NodeInfo learns its new one, and what was kept by place is void.
    const st = this.stamps;
    st.version++;
    st.grow(out.length);
    for (let i = 0; i < out.length; i++) {
      out[i].stamps = st;
      out[i].pos = i;
    }
    return out;
  }

  /**
   * Change stamps by place in nodeInfoList() (NodeStamps): read them after nodeInfoList(), which
   * renews `version` when the places move.
   */
  readonly stamps = new NodeStamps();

  private readonly valueIdsByKey = new Map<string, NodeValueIds>();

  /**
   * Each listed node's value of a label key as a small number (its index in `values`; -1 where the
   * node lacks the key), by place in nodeInfoList(); kept until the list is rebuilt or a node's
   * labels change (nodesVersion).
   */
  valueIds(key: string): NodeValueIds {
    const list = this.nodeInfoList();
    let v = this.valueIdsByKey.get(key);
    if (v && v.listVersion === this.stamps.version && v.nodesVersion === this.nodesVersion) return v;
    const ids = new Int32Array(list.length);
    const values: string[] = [];
    const byValue = new Map<string, number>();
    let missing = 0;
    for (let i = 0; i < list.length; i++) {
      const value = list[i].labels[key];
      if (value === undefined) {
        ids[i] = -1;
        missing++;
        continue;
      }
      let id = byValue.get(value);
      if (id === undefined) {
        byValue.set(value, (id = values.length));
        values.push(value);
      }
      ids[i] = id;
    }
    v = { ids, values, missing, listVersion: this.stamps.version, nodesVersion: this.nodesVersion };
    if (this.valueIdsByKey.size >= 16) this.valueIdsByKey.clear();
    this.valueIdsByKey.set(key, v);
    return v;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodes.get(nodeName);
  }

  havePodsWithAffinityList(): NodeInfo[] {
    if (!this.affinityList) this.affinityList = this.nodeInfoList().filter((n) => n.podsWithAffinity > 0);
    return this.affinityList;
  }

  havePodsWithRequiredAntiAffinityList(): NodeInfo[] {
    if (!this.antiAffinityList) this.antiAffinityList = this.nodeInfoList().filter((n) => n.podsWithRequiredAntiAffinity > 0);
    return this.antiAffinityList;
  }

  namespaceLabels(ns: string): Labels {
    return this.nsLabels.get(ns) ?? {};
  }

  namespacesMatching(m: Matcher): string[] {
    return [...this.nsLabels].filter(([, l]) => m(l)).map(([n]) => n);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }
}
