/**
 * The DaemonSet controller's state per node, kept from the informers (issue #19 §3): what
 * daemon_controller.go's getNodesToDaemonPods, podsShouldBeOnNode, updateDaemonSetStatus and
 * update.go's rollingUpdate derive from every node and every daemon pod at each sync, kept here per
 * node and recomputed only for the nodes whose Node object (labels, taints) or daemon pods changed
 * since the last sync. A sync then costs what changed plus the nodes that need action:
 *
 * - status: the counts (desired, current, misscheduled, ready, updated, available) are sums of each
 *   node's contribution;
 * - manage: only the nodes where podsShouldBeOnNode can do anything (a node without its pod, a
 *   failed or succeeded pod, more than one running pod, a pod on a node that should not run one)
 *   are visited, in the node list's order, with upstream's own function;
 * - rollingUpdate: the counts (unavailable, surging, available) are sums, and the nodes it may act
 *   on are kept in sets by class (old pod unavailable, old pod available, surged with the new pod
 *   available); its lists are these sets in node-name order.
 *
 * The same results as the full pass, given the conditions DaemonSetsController.fastPathAllows
 * checks (minReadySeconds 0, so availability does not depend on the time; no pod to adopt or
 * release; no pod aimed at a node that does not exist; the node index current with the store).
 */
import type { KObject } from "../../api/types.ts";
import { isPodAvailable, isPodReady, isPodTerminal } from "../../api/pod/util.ts";
import { selectorMatches } from "../util/selector.ts";
import { allowsSurge, compareByCreationTimestampAndPhase, getTargetNodeName, getTemplateGeneration, isPodUpdated, nodeShouldRunDaemonPod } from "./util.ts";

/** The cluster's nodes from the Node watch, by name, with the names in list order. */
export class NodeIndex {
  readonly byName = new Map<string, KObject>();
  private names: string[] | undefined = [];
  /** The resourceVersion of the latest Node event seen. */
  rv = 0;

  /** Records a Node event; returns whether the node appeared, went, or changed its labels or taints. */
  record(node: KObject, gone: boolean): boolean {
    const name = node.metadata.name!;
    this.rv = Math.max(this.rv, Number(node.metadata.resourceVersion));
    const before = this.byName.get(name);
    if (before && before.metadata.uid === node.metadata.uid && Number(before.metadata.resourceVersion) > Number(node.metadata.resourceVersion)) return false;
    if (gone) {
      if (!before) return false;
      this.byName.delete(name);
      this.names = undefined;
      return true;
    }
    this.byName.set(name, node);
    if (!before) {
      this.names = undefined;
      return true;
    }
    return !sameScheduling(before, node);
  }

  /** The node names in api.list("Node")'s order (by name). */
  sortedNames(): string[] {
    if (!this.names) this.names = [...this.byName.keys()].sort(byString);
    return this.names;
  }
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What NodeShouldRunDaemonPod reads of a node: its name (fixed), labels and taints. */
export function sameScheduling(a: KObject, b: KObject): boolean {
  return sameJSON(a.metadata.labels ?? {}, b.metadata.labels ?? {}) && sameJSON(a.spec?.taints ?? [], b.spec?.taints ?? []);
}

// A node's record, as bits.
const SHOULD_RUN = 1 << 0;
const SHOULD_CONTINUE = 1 << 1;
const NODE = 1 << 2; // the Node exists
const DESIRED = 1 << 3;
const CURRENT = 1 << 4;
const MISSCHEDULED = 1 << 5;
const READY = 1 << 6;
const UPDATED = 1 << 7;
const AVAILABLE = 1 << 8;
const ACTION = 1 << 9; // podsShouldBeOnNode may create, delete or record something
const ENTRY = 1 << 10; // an entry of rollingUpdate's node-to-pods map
const OK = 1 << 11; // findUpdatedPodsOnNode: at most one new and one old pod
const HAS_NEW = 1 << 12;
const HAS_OLD = 1 << 13;
const NEW_AVAILABLE = 1 << 14;
const OLD_AVAILABLE = 1 << 15;
const STRAY = 1 << 16; // daemon pods aimed at a node that does not exist

interface NodeRecord {
  bits: number;
  /** The pods getNodesToDaemonPods(ds, false) gives the node, in the informer's order. */
  pods: KObject[];
  oldPod?: string;
}

/** The counts kept as sums of the nodes' records. */
const COUNTED = [DESIRED, CURRENT, MISSCHEDULED, READY, UPDATED, AVAILABLE] as const;

/** One DaemonSet's state per node. */
export class DaemonSetNodeState {
  /** Every owned pod by target node (name), each node's pods in the informer's order. */
  private readonly byNode = new Map<string, Map<string, KObject>>();
  /** Every owned pod (by namespace/name) and its target node. */
  private readonly owned = new Map<string, { pod: KObject; node: string | undefined }>();
  private readonly records = new Map<string, NodeRecord>();
  private readonly dirty = new Set<string>();
  private readonly sums = new Map<number, number>();
  /** rollingUpdate's counts: unavailable (no surge), surging, available (surge). */
  unavailable = 0;
  surging = 0;
  availableOrOld = 0;
  /** Nodes where podsShouldBeOnNode may act. */
  readonly action = new Set<string>();
  /** Nodes with only an old pod, unavailable / available; nodes with both, the new one available. */
  readonly oldUnavailable = new Set<string>();
  readonly oldAvailable = new Set<string>();
  /** The nodes of oldAvailable that should no longer run a daemon pod. */
  readonly oldAvailableNoRun = new Set<string>();
  readonly surgedNewAvailable = new Set<string>();
  readonly stray = new Set<string>();
  /** Owned pods that do not match the selector (ClaimPods would release them). */
  mismatched = 0;
  private version = "";
  private ds: KObject | undefined;
  private hash = "";

  constructor(owned: KObject[]) {
    for (const p of owned) this.podChanged(undefined, p);
  }

  /** The informer saw `before` replaced by `after` (either may be absent) among the owned pods. */
  podChanged(before: KObject | undefined, after: KObject | undefined): void {
    if (before) {
      const key = `${before.metadata.namespace}/${before.metadata.name}`;
      const entry = this.owned.get(key);
      const node = entry?.node;
      if (entry && this.ds && !selectorMatches(this.ds.spec?.selector, entry.pod.metadata.labels)) this.mismatched--;
      this.owned.delete(key);
      if (node !== undefined) {
        const m = this.byNode.get(node)!;
        m.delete(key);
        if (m.size === 0) this.byNode.delete(node);
        this.dirty.add(node);
      }
    }
    if (after) {
      const key = `${after.metadata.namespace}/${after.metadata.name}`;
      const node = getTargetNodeName(after);
      if (this.ds && !selectorMatches(this.ds.spec?.selector, after.metadata.labels)) this.mismatched++;
      this.owned.set(key, { pod: after, node });
      if (node !== undefined) {
        let m = this.byNode.get(node);
        if (!m) this.byNode.set(node, (m = new Map()));
        m.set(key, after);
        this.dirty.add(node);
      }
    }
  }

  /** A node appeared, went, or changed its labels or taints. */
  nodeChanged(name: string): void {
    this.dirty.add(name);
  }

  /** Brings the records up to date with the DaemonSet version, the hash and the nodes. */
  refresh(ds: KObject, hash: string, nodes: NodeIndex): void {
    const version = `${ds.metadata.uid}/${ds.metadata.generation}/${getTemplateGeneration(ds)}/${hash}`;
    if (version !== this.version) {
      const selectorChanged = !this.ds || !sameJSON(this.ds.spec?.selector, ds.spec?.selector);
      this.version = version;
      this.ds = ds;
      this.hash = hash;
      if (selectorChanged) {
        this.mismatched = 0;
        for (const { pod } of this.owned.values()) if (!selectorMatches(ds.spec?.selector, pod.metadata.labels)) this.mismatched++;
      }
      for (const name of this.records.keys()) this.dirty.add(name);
      for (const name of nodes.byName.keys()) this.dirty.add(name);
      for (const name of this.byNode.keys()) this.dirty.add(name);
    }
    this.ds = ds;
    if (this.dirty.size === 0) return;
    for (const name of this.dirty) this.recompute(name, nodes.byName.get(name));
    this.dirty.clear();
  }

  count(bit: (typeof COUNTED)[number]): number {
    return this.sums.get(bit) ?? 0;
  }

  static readonly DESIRED = DESIRED;
  static readonly CURRENT = CURRENT;
  static readonly MISSCHEDULED = MISSCHEDULED;
  static readonly READY = READY;
  static readonly UPDATED = UPDATED;
  static readonly AVAILABLE = AVAILABLE;

  /** The node's pods as getNodesToDaemonPods(ds, false) gives them, or undefined when it gives none. */
  podsOn(name: string): KObject[] | undefined {
    const r = this.records.get(name);
    return r && r.pods.length > 0 ? r.pods : undefined;
  }

  shouldRun(name: string): boolean {
    return ((this.records.get(name)?.bits ?? 0) & SHOULD_RUN) !== 0;
  }

  oldPodOf(name: string): string {
    return this.records.get(name)!.oldPod!;
  }

  private recompute(name: string, node: KObject | undefined): void {
    const before = this.records.get(name);
    if (before) this.apply(name, before, -1);
    const m = this.byNode.get(name);
    const pods: KObject[] = [];
    if (m) for (const p of m.values()) if (!(isPodTerminal(p) && p.metadata.deletionTimestamp)) pods.push(p);
    if (!node && pods.length === 0) {
      this.records.delete(name);
      return;
    }
    const r: NodeRecord = { bits: 0, pods };
    const ds = this.ds!;
    if (!node) r.bits |= STRAY;
    else {
      r.bits |= NODE;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      if (shouldRun) r.bits |= SHOULD_RUN;
      if (shouldContinueRunning) r.bits |= SHOULD_CONTINUE;
      // updateDaemonSetStatus
      if (shouldRun) {
        r.bits |= DESIRED;
        if (pods.length > 0) {
          r.bits |= CURRENT;
          let first = pods[0];
          for (let i = 1; i < pods.length; i++) if (compareByCreationTimestampAndPhase(pods[i], first) < 0) first = pods[i];
          if (isPodReady(first)) {
            r.bits |= READY;
            if (isPodAvailable(first, 0, 0)) r.bits |= AVAILABLE;
          }
          if (isPodUpdated(first, this.hash, getTemplateGeneration(ds))) r.bits |= UPDATED;
        }
      } else if (pods.length > 0) r.bits |= MISSCHEDULED;
      if (this.needsAction(shouldRun, shouldContinueRunning, pods, ds)) r.bits |= ACTION;
    }
    // rollingUpdate's entry: nodes with pods, and nodes that should run one.
    if (pods.length > 0 || r.bits & SHOULD_RUN) {
      r.bits |= ENTRY;
      const generation = getTemplateGeneration(ds);
      let news = 0;
      let olds = 0;
      let newPod: KObject | undefined;
      let oldPod: KObject | undefined;
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        if (isPodUpdated(p, this.hash, generation)) {
          news++;
          newPod = p;
        } else {
          olds++;
          oldPod = p;
        }
      }
      if (news <= 1 && olds <= 1) {
        r.bits |= OK;
        if (newPod) {
          r.bits |= HAS_NEW;
          if (isPodAvailable(newPod, 0, 0)) r.bits |= NEW_AVAILABLE;
        }
        if (oldPod) {
          r.bits |= HAS_OLD;
          r.oldPod = oldPod.metadata.name!;
          if (isPodAvailable(oldPod, 0, 0)) r.bits |= OLD_AVAILABLE;
        }
      }
    }
    this.records.set(name, r);
    this.apply(name, r, 1);
  }

  /**
   * Whether podsShouldBeOnNode can do anything on the node (create, delete, record an event, touch
   * the failed-pod back-off): false only where it certainly does nothing.
   */
  private needsAction(shouldRun: boolean, shouldContinueRunning: boolean, pods: KObject[], ds: KObject): boolean {
    const exists = pods.length > 0;
    if (shouldRun && !exists) return true;
    if (shouldContinueRunning) {
      let running = 0;
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        const phase = p.status?.phase;
        if (phase === "Failed" || phase === "Succeeded") return true;
        running++;
      }
      if (running > 1) return true;
      return running === 0 && shouldRun && allowsSurge(ds);
    }
    for (const p of pods) if (!p.metadata.deletionTimestamp) return true;
    return false;
  }

  private apply(name: string, r: NodeRecord, sign: 1 | -1): void {
    const b = r.bits;
    for (const bit of COUNTED) if (b & bit) this.sums.set(bit, (this.sums.get(bit) ?? 0) + sign);
    const set = (s: Set<string>, on: boolean) => {
      if (!on) return;
      if (sign > 0) s.add(name);
      else s.delete(name);
    };
    set(this.action, (b & ACTION) !== 0);
    set(this.stray, (b & STRAY) !== 0);
    if (!(b & ENTRY)) return;
    if (!(b & OK)) {
      this.unavailable += sign;
      this.surging += sign;
      return;
    }
    const hasNew = (b & HAS_NEW) !== 0;
    const hasOld = (b & HAS_OLD) !== 0;
    const newAvail = (b & NEW_AVAILABLE) !== 0;
    const oldAvail = (b & OLD_AVAILABLE) !== 0;
    // maxSurge 0
    if (hasNew === hasOld) this.unavailable += sign;
    else if (hasNew ? !newAvail : !oldAvail) this.unavailable += sign;
    // maxSurge > 0
    if (hasOld ? oldAvail : hasNew && newAvail) this.availableOrOld += sign;
    if (hasOld && hasNew && !newAvail) this.surging += sign;
    set(this.oldUnavailable, hasOld && !hasNew && !oldAvail);
    set(this.oldAvailable, hasOld && !hasNew && oldAvail);
    set(this.oldAvailableNoRun, hasOld && !hasNew && oldAvail && !(b & SHOULD_RUN));
    set(this.surgedNewAvailable, hasOld && hasNew && newAvail);
  }

  /** The first `k` nodes of `set` in name order (`names` sorted). */
  static firstByName(set: Set<string>, k: number, names: string[], keep: (name: string) => boolean): string[] {
    const out: string[] = [];
    if (k <= 0 || set.size === 0) return out;
    for (const n of names) {
      if (!set.has(n) || !keep(n)) continue;
      out.push(n);
      if (out.length === k) break;
    }
    return out;
  }
}
