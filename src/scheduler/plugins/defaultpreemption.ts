/**
 * DefaultPreemption (plugins/defaultpreemption + framework/preemption): for a pod that fits
 * nowhere, find nodes where evicting lower-priority pods would make room (victims chosen by
 * removing all lower-priority pods, then reprieving the most important ones that can stay),
 * pick one node by upstream's criteria, and report which; or explain why preemption cannot help.
 */
import type { Random } from "../../sim/random.ts";
import { fitErrorMessage, statusList } from "../framework.ts";
import { Code, nextPodSeq, Status, type CycleState, type NodeInfo, type PodInfo, type Snapshot } from "../types.ts";
import { NAME as FIT, nativeMask, nativeRejection } from "./noderesourcesfit.ts";

export const NAME = "DefaultPreemption";
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
export const NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_VICTIMS = "No preemption victims found for incoming pod";

export interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
}

export interface PreemptionResult {
  status: Status;
  candidate?: Candidate;
}

/** Runs the Filter plugins against a node as it would be (the framework's RunFilterPluginsWithNominatedPods). */
export type FitsOnNode = (state: CycleState, pod: PodInfo, node: NodeInfo) => boolean;

/**
 * The fast engine's shortcut for the dry run: whether a node's Filter outcome without its
 * lower-priority pods may be worked out from its resources alone (no pod nominated to it).
 */
export type Plain = (node: NodeInfo) => boolean;

const startTime = (p: PodInfo) => Date.parse(p.pod.status?.startTime ?? p.pod.metadata.creationTimestamp ?? "1970-01-01T00:00:00Z");

/** MoreImportantPod: higher priority, then earlier start. */
export function moreImportantPod(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a) < startTime(b);
}

/** NewDefaultNodeToStatus's status of nodes absent from it. */
const ABSENT: Status = Status.unresolvable();
const NO_VICTIMS_RESULT: { readonly status: Status } = { status: Status.unresolvable(NO_VICTIMS) };

export class DefaultPreemption {
  readonly name = NAME;
  constructor(
    private readonly snapshot: Snapshot,
    private readonly chance: Random,
  ) {}

  /**
   * PodEligibleToPreemptOthers (v1.32): not with preemptionPolicy Never; and, for a pod already
   * nominated to a node, not while a lower-priority pod on that node is terminating because the
   * scheduler preempted it (podTerminatingByPreemption: a DisruptionTarget condition, True, with
   * reason PreemptionByScheduler). A pod deleted by someone else does not block; nor does anything
   * when the Filter plugins found the nominated node UnschedulableAndUnresolvable
   * (`nominatedStatus`: the node's status in the cycle; undefined is upstream's nil, Success).
   */
  eligible(pod: PodInfo, nominatedStatus?: Status): { ok: boolean; msg?: string } {
    if (pod.pod.spec?.preemptionPolicy === "Never") return { ok: false, msg: "not eligible due to preemptionPolicy=Never." };
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      if (nominatedStatus?.code === Code.UnschedulableAndUnresolvable) return { ok: true };
      const ni = this.snapshot.get(nominated);
      if (ni?.pods.some((p) => p.priority < pod.priority && podTerminatingByPreemption(p))) {
        return { ok: false, msg: "not eligible due to a terminating pod on the nominated node." };
      }
    }
    return { ok: true };
  }

  /**
   * `statusOf(ni, i)`: the cycle's Filter status of `ni`, the i-th node of the snapshot's node list
   * (undefined for a node Filter did not reject or did not see).
   */
  postFilter(state: CycleState, pod: PodInfo, statusOf: (ni: NodeInfo, i: number) => Status | undefined, absent: Status | undefined, fits: FitsOnNode, plain?: Plain): PreemptionResult {
    const all = this.snapshot.nodeInfoList();
    const e = this.eligible(pod, this.nominatedStatus(pod, all, statusOf, absent));
    if (!e.ok) return { status: Status.unschedulable("preemption: " + e.msg) };
    // Each node gets at most one preemption status, and the FitError histogram only counts them:
    // the fast engine (`plain`) lists them instead of keeping a map by node name (issue #19 §4).
    const preemptionMap = plain ? undefined : new Map<string, Status>();
    const preemptionList: Status[] = [];
    const potential: NodeInfo[] = [];
    // Each potential node's Filter status, read once (the loop below needs it again).
    const filterStatus: Array<Status | undefined> = [];
    const notHelpful = Status.unresolvable(NOT_HELPFUL);
    for (let i = 0; i < all.length; i++) {
      const ni = all[i];
      const filtered = statusOf(ni, i);
      const s = filtered ?? absent;
      if (!s || s.code === Code.UnschedulableAndUnresolvable) {
        if (preemptionMap) preemptionMap.set(ni.name, notHelpful);
        else preemptionList.push(notHelpful);
        continue;
      }
      potential.push(ni);
      filterStatus.push(filtered);
    }
    const candidates: Candidate[] = [];
    if (potential.length > 0) {
      const numCandidates = Math.min(potential.length, Math.max(Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE));
      const offset = this.chance.int(potential.length);
      for (let i = 0; i < potential.length && candidates.length < numCandidates; i++) {
        const j = (offset + i) % potential.length;
        const ni = potential[j];
        const s = plain && filterStatus[j];
        const r = (s && s.plugin === FIT && plain!(ni) && this.stillShort(pod, ni)) || this.selectVictimsOnNode(state, pod, ni, fits);
        if (r.victims) candidates.push({ node: ni, victims: r.victims });
        else if (preemptionMap) preemptionMap.set(ni.name, r.status!);
        else preemptionList.push(r.status!);
      }
    }
    if (candidates.length === 0) {
      const msg = fitErrorMessage(all.length, preemptionMap ?? statusList(preemptionList), { absent: Status.unresolvable(NOT_HELPFUL) });
      return { status: Status.unschedulable("preemption: " + msg) };
    }
    return { status: new Status(Code.Success), candidate: pickOneNodeForPreemption(candidates) };
  }

  /**
   * The cycle's status of the pod's nominated node (NodeToStatus.Get: `absent` for a node not in
   * it, whose default is UnschedulableAndUnresolvable, as postFilter reads an undefined `absent`).
   */
  private nominatedStatus(pod: PodInfo, all: NodeInfo[], statusOf: (ni: NodeInfo, i: number) => Status | undefined, absent: Status | undefined): Status | undefined {
    const name = pod.pod.status?.nominatedNodeName;
    if (!name) return undefined;
    for (let i = 0; i < all.length; i++) if (all[i].name === name) return statusOf(all[i], i) ?? absent ?? ABSENT;
    return absent ?? ABSENT;
  }

  /**
   * The fast engine's dry run on a node that NodeResourcesFit rejected in this cycle (so every
   * Filter plugin before it passed, and still passes with fewer pods: none of them reads the pods
   * but NodePorts, which only gains free ports) and that no pod is nominated to: if the pod does
   * not fit the node's resources even without its lower-priority pods, selectVictimsOnNode would
   * remove them, see NodeResourcesFit reject with exactly these reasons, and put them back at the
   * end of the node's pod list; this gives the same status and the same order without the removal.
   * Undefined when the pod would fit (the full dry run decides) or has extended resources.
   */
  stillShort(pod: PodInfo, ni: NodeInfo): { victims?: PodInfo[]; status?: Status } | undefined {
    const req = pod.requests;
    if (req.scalarNames?.length !== 0) return undefined;
    // The order the cache would have (status-only changes left out of it restamp, not move, pods).
    ni.sortPods();
    const all = ni.pods.length;
    if (all > 0 && ni.sumsExact && ni.maxPodPriority() < pod.priority) {
      // Every pod on the node is of lower priority: without them the node requests nothing (its
      // requested resources are exactly their sum, in safe integers) and holds no pod; the plain
      // dry run removes and restores them all, which leaves their order as it was.
      const mask = nativeMask(req, ni.allocatable, 0, 0, 0, 0);
      if (mask === 0) return undefined;
      this.lastReasons = nativeRejection(mask).reasons;
      return this.rejectionFor(this.lastReasons);
    }
    let cpu = ni.requested.milliCPU;
    let memory = ni.requested.memory;
    let eph = ni.requested.ephemeralStorage;
    let n = ni.pods.length;
    let lower = 0;
    for (const p of ni.pods) {
      if (p.priority >= pod.priority) continue;
      cpu -= p.requests.milliCPU;
      memory -= p.requests.memory;
      eph -= p.requests.ephemeralStorage;
      n--;
      lower++;
    }
    if (lower === 0) return undefined;
    const mask = nativeMask(req, ni.allocatable, n, cpu, memory, eph);
    if (mask === 0) return undefined;
    this.lastReasons = nativeRejection(mask).reasons;
    if (lower < ni.pods.length) {
      // The plain dry run leaves the pods it removed at the end, in their order.
      const kept = ni.pods.filter((p) => p.priority >= pod.priority);
      const moved = ni.pods.filter((p) => p.priority < pod.priority);
      ni.pods.length = 0;
      ni.pods.push(...kept, ...moved);
      // Appended again in order: each takes the place of the last appended (NodeInfo.sortPods).
      for (const p of moved) p.seq = nextPodSeq();
    }
    return this.rejectionFor(this.lastReasons);
  }

  /** One result (and Status) per reason list (the plugins share their rejections, and so their reasons). */
  private rejectionFor(reasons: string[]): { readonly status: Status } {
    let r = this.byReasons.get(reasons);
    if (!r) this.byReasons.set(reasons, (r = { status: Status.unschedulable(...reasons) }));
    return r;
  }

  /** selectVictimsOnNode: remove every lower-priority pod, check the fit, then reprieve in importance order. */
  selectVictimsOnNode(state: CycleState, pod: PodInfo, ni: NodeInfo, fits: FitsOnNode): { victims?: PodInfo[]; status?: Status } {
    // No pod of lower priority (an empty node: every node of a cluster filling up): one shared
    // answer (its Status is only counted by the FitError histogram; a new one per node made the
    // histogram count thousands of distinct Statuses for a pod too large for every node).
    if (ni.pods.length === 0) return NO_VICTIMS_RESULT;
    // The order the cache would have (status-only changes left out of it restamp, not move, pods):
    // the reprieve's ties and the victims' order follow it.
    const potential = ni.sortPods().filter((p) => p.priority < pod.priority);
    if (potential.length === 0) return NO_VICTIMS_RESULT;
    for (const p of potential) ni.removePod(p.key);
    try {
      if (!fits(state, pod, ni)) return this.rejectionFor(this.lastReasons);
      potential.sort((a, b) => (moreImportantPod(a, b) ? -1 : moreImportantPod(b, a) ? 1 : 0));
      const victims: PodInfo[] = [];
      for (const p of potential) {
        ni.addPod(p);
        if (!fits(state, pod, ni)) {
          ni.removePod(p.key);
          victims.push(p);
        }
      }
      return { victims };
    } finally {
      // Restore the node as it was.
      for (const p of potential) if (!ni.pods.includes(p)) ni.addPod(p);
    }
  }

  /** Set by the framework's fits function: the reasons of the last failed fit (for the preemption message). */
  lastReasons: string[] = [];
  /** The dry run's rejections by the reason list they copy (weakly held: the lists belong to shared Statuses). */
  private readonly byReasons = new WeakMap<string[], { readonly status: Status }>();
}

/**
 * podTerminatingByPreemption (v1.32, PodDisruptionConditions GA): the pod is being deleted and its
 * first DisruptionTarget condition is True with reason PreemptionByScheduler.
 */
export function podTerminatingByPreemption(p: PodInfo): boolean {
  if (!p.pod.metadata.deletionTimestamp) return false;
  const conds = p.pod.status?.conditions;
  if (conds) {
    for (const c of conds) {
      if (c.type === "DisruptionTarget") return c.status === "True" && c.reason === "PreemptionByScheduler";
    }
  }
  return false;
}

/** pickOneNodeForPreemption: fewest PDB violations (none here), lowest top victim priority, lowest priority sum, fewest victims, latest start of top victims, first. */
export function pickOneNodeForPreemption(candidates: Candidate[]): Candidate {
  const byMin = (list: Candidate[], f: (c: Candidate) => number) => {
    const m = Math.min(...list.map(f));
    return list.filter((c) => f(c) === m);
  };
  let list = candidates.filter((c) => c.victims.length === 0);
  if (list.length) return list[0];
  list = byMin(candidates, (c) => Math.max(...c.victims.map((v) => v.priority)));
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0));
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => c.victims.length);
  if (list.length === 1) return list[0];
  const earliestOfTop = (c: Candidate) => {
    const top = Math.max(...c.victims.map((v) => v.priority));
    return Math.min(...c.victims.filter((v) => v.priority === top).map(startTime));
  };
  list = byMin(list, (c) => -earliestOfTop(c));
  return list[0];
}
