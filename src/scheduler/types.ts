/**
 * The scheduler's data model (pkg/scheduler/framework/types.go, interface.go): resources, PodInfo
 * with its pre-parsed affinity terms, NodeInfo with pre-summed requests, Status codes and the
 * plugin interfaces of the extension points.
 */
import type { KObject } from "../api/types.ts";
import type { Container, LabelSelector, Node, Pod, PodAffinityTerm, Taint, WeightedPodAffinityTerm } from "../api/types.gen.ts";
import { labelSelectorMatcher, type Labels, type Matcher } from "./util/labels.ts";
import { milliValue, value } from "./util/quantity.ts";

// ---- Status ---------------------------------------------------------------------------------

export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

export class Status {
  plugin = "";
  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
  ) {}
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  /**
   * Skip (PreFilter, PreScore): one shared, frozen Status. The framework only reads a Skip's code;
   * none is given a plugin name or reasons (issue #19 §4: ~5 made per cycle otherwise).
   */
  static skip(): Status {
    return SKIP;
  }
  static error(message: string): Status {
    return new Status(Code.Error, [message]);
  }
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
  message(): string {
    return this.reasons.join(", ");
  }
  withPlugin(name: string): Status {
    this.plugin = name;
    return this;
  }
}

const SKIP: Status = Object.freeze(new Status(Code.Skip, Object.freeze([]) as unknown as string[])) as Status;

/** null means Success everywhere in the framework (the common case costs nothing). */
export type MaybeStatus = Status | null;

// ---- Resources ------------------------------------------------------------------------------

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Record<string, number>;
  /** Names of the scalar resources, when precomputed (pod requests). */
  scalarNames?: string[];
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A v1.ResourceList as a Resource (pods → allowedPodNumber; anything not native → scalar). */
export function resourceFromList(list: Record<string, string | number> | undefined, into: Resource = emptyResource()): Resource {
  if (list == null) return into;
  for (const name of Object.keys(list)) {
    const q = list[name];
    switch (name) {
      case "cpu":
        into.milliCPU += milliValue(q);
        break;
      case "memory":
        into.memory += value(q);
        break;
      case "ephemeral-storage":
        into.ephemeralStorage += value(q);
        break;
      case "pods":
        into.allowedPodNumber += value(q);
        break;
      default:
        into.scalar[name] = (into.scalar[name] ?? 0) + value(q);
    }
  }
  return into;
}

function add(a: Resource, b: Resource): void {
  a.milliCPU += b.milliCPU;
  a.memory += b.memory;
  a.ephemeralStorage += b.ephemeralStorage;
  a.allowedPodNumber += b.allowedPodNumber;
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) + v;
}

function maxInto(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v);
}

function copyResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const req = c.resources?.requests ?? {};
  const r = resourceFromList(req);
  if (nonZero) {
    if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * component-helpers resource.PodRequests (v1.32, SidecarContainers on):
 * max(Σ containers + Σ sidecars, max over init containers of (its request + sidecars started
 * before it)) + overhead. With `nonZero`, a container missing a cpu / memory request counts
 * 100m / 200Mi (NonMissingContainerRequests, as the scheduler's scoring uses).
 */
export function podRequests(pod: KObject, nonZero = false): Resource {
  const reqs = emptyResource();
  for (const c of pod.spec?.containers ?? []) add(reqs, containerRequests(c, nonZero));
  const restartable = emptyResource();
  const initMax = emptyResource();
  for (const ic of pod.spec?.initContainers ?? []) {
    let cr = containerRequests(ic, nonZero);
    if (ic.restartPolicy === "Always") {
      add(reqs, cr);
      add(restartable, cr);
      cr = copyResource(restartable);
    } else {
      add(cr, restartable);
    }
    maxInto(initMax, cr);
  }
  maxInto(reqs, initMax);
  if (pod.spec?.overhead) resourceFromList(pod.spec.overhead, reqs);
  return reqs;
}

// ---- Affinity terms ------------------------------------------------------------------------

export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Matcher;
  topologyKey: string;
  /** nil namespaceSelector → matches no namespace (labels.Nothing). */
  namespaceSelector: Matcher;
  /** The term as written (the label index reads its labelSelector). */
  raw: PodAffinityTerm;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

const NOTHING: Matcher = () => false;

export function newAffinityTerm(pod: KObject, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set<string>(term.namespaces ?? []);
  if (namespaces.size === 0 && (term.namespaceSelector === undefined || term.namespaceSelector === null)) {
    namespaces.add(pod.metadata.namespace ?? "default");
  }
  let selector = labelSelectorMatcher(term.labelSelector);
  // matchLabelKeys / mismatchLabelKeys (beta, on in v1.32) merge the pod's own label values.
  const own = pod.metadata.labels ?? {};
  const extra: Matcher[] = [];
  for (const k of term.matchLabelKeys ?? []) if (k in own) extra.push((l: Labels) => l[k] === own[k]);
  for (const k of term.mismatchLabelKeys ?? []) if (k in own) extra.push((l: Labels) => l[k] !== own[k]);
  if (extra.length && term.labelSelector) {
    const base = selector;
    selector = (l) => base(l) && extra.every((m) => m(l));
  }
  return {
    namespaces,
    selector,
    topologyKey: term.topologyKey,
    namespaceSelector: term.namespaceSelector ? labelSelectorMatcher(term.namespaceSelector) : NOTHING,
    raw: term,
  };
}

/** AffinityTerm.Matches: namespace (listed or selected) and label selector. */
export function termMatches(t: AffinityTerm, pod: PodInfo, nsLabels: Labels): boolean {
  return (t.namespaces.has(pod.namespace) || t.namespaceSelector(nsLabels)) && t.selector(pod.labels);
}

// ---- PodInfo -------------------------------------------------------------------------------

export interface ContainerPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

/** A pod's preferred (anti-)affinity terms with their weights (a module function: no closure made per PodInfo). */
function weightedTerms(pod: Pod, ts: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  if (!ts || ts.length === 0) return NO_WEIGHTED_TERMS;
  return ts.map((w) => ({ ...newAffinityTerm(pod, w.podAffinityTerm ?? { topologyKey: "" }), weight: w.weight ?? 0 }));
}

/**
 * The lists a PodInfo holds for a pod without affinity terms or host ports (issue #19 §4: no
 * arrays made per scheduling cycle for what the pod does not have). Nothing writes a PodInfo's
 * lists; frozen, so that a write would throw rather than reach every pod.
 */
const NO_TERMS: AffinityTerm[] = Object.freeze([]) as unknown as AffinityTerm[];
const NO_WEIGHTED_TERMS: WeightedAffinityTerm[] = Object.freeze([]) as unknown as WeightedAffinityTerm[];
const NO_PORTS: ContainerPort[] = Object.freeze([]) as unknown as ContainerPort[];

/** The pod's required terms of one kind as AffinityTerms (none: the shared empty list). */
function requiredTerms(pod: Pod, ts: PodAffinityTerm[] | undefined): AffinityTerm[] {
  if (!ts || ts.length === 0) return NO_TERMS;
  return ts.map((t) => newAffinityTerm(pod, t));
}

export class PodInfo {
  readonly name: string;
  readonly namespace: string;
  readonly key: string;
  readonly labels: Labels;
  readonly priority: number;
  readonly requests: Resource;
  readonly nonZeroCPU: number;
  readonly nonZeroMemory: number;
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  readonly hostPorts: ContainerPort[];
  /** The node the cache counts this pod on (set by the cache). */
  nodeInfo: NodeInfo | undefined;
  /** spec.nodeName as the pod asks for it ("" when unset). */
  readonly nodeName: string;
  /**
   * The cache's label index keys ("key\0value") of `labels`, built on first use and handed on
   * with `parsed` when the labels are the same object (the cache's index, issue #19 §3).
   */
  labelKeys: string[] | undefined;
  /**
   * The pod's place in its node's pod list as the cache would have it (NodeInfo.sortPods): the
   * number of its last append there (NodeInfo.addPod) or of the last status-only change the fast
   * engine's scheduler left out (NodeInfo.restamp), which the cache's update would have appended.
   */
  seq = 0;

  /**
   * `parsed`: a PodInfo of the same pod before its binding (the scheduler's, for the bound pod it
   * counts at once), whose requests, terms and ports are taken as they are: the binding changes
   * none of the spec they come from.
   */
  constructor(
    readonly pod: Pod,
    parsed?: PodInfo,
  ) {
    this.name = pod.metadata.name!;
    this.namespace = pod.metadata.namespace ?? "default";
    this.key = `${this.namespace}/${this.name}`;
    this.labels = pod.metadata.labels ?? {};
    this.priority = pod.spec?.priority ?? 0;
    this.nodeName = pod.spec?.nodeName ?? "";
    if (parsed) {
      if (parsed.labels === this.labels) this.labelKeys = parsed.labelKeys;
      this.requests = parsed.requests;
      this.nonZeroCPU = parsed.nonZeroCPU;
      this.nonZeroMemory = parsed.nonZeroMemory;
      this.requiredAffinityTerms = parsed.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = parsed.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = parsed.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = parsed.preferredAntiAffinityTerms;
      this.hostPorts = parsed.hostPorts;
      return;
    }
    this.requests = podRequests(pod);
    this.requests.scalarNames = Object.keys(this.requests.scalar);
    const nz = podRequests(pod, true);
    this.nonZeroCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
    const aff = pod.spec?.affinity;
    this.requiredAffinityTerms = requiredTerms(pod, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = requiredTerms(pod, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = weightedTerms(pod, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = weightedTerms(pod, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    // Restartable init containers (sidecars) first, then the containers, as upstream lists them.
    let ports: ContainerPort[] = NO_PORTS;
    const inits = pod.spec?.initContainers;
    if (inits) for (const ic of inits) if (ic.restartPolicy === "Always") ports = addHostPorts(ports, ic);
    const containers = pod.spec?.containers;
    if (containers) for (const c of containers) ports = addHostPorts(ports, c);
    this.hostPorts = ports;
  }

  /**
   * A status-only change of the pod left out of the cache (the fast engine,
   * SchedulerCache.leaveOutStatusOnly): the new version, whose spec and metadata objects are this
   * one's, becomes the PodInfo's object (the one the cache's update would have made holds it), so
   * the older version is not kept alive beside the store's.
   */
  takeStatusOf(pod: Pod): void {
    (this as { pod: Pod }).pod = pod;
  }

  get hasAffinity(): boolean {
    return this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }

  get hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }

  get terminating(): boolean {
    return !!this.pod.metadata.deletionTimestamp;
  }
}

/** `ports` with the container's host ports appended (a new list at the first one). */
function addHostPorts(ports: ContainerPort[], c: Container): ContainerPort[] {
  const cp = c.ports;
  if (!cp) return ports;
  for (const p of cp) {
    if (!(p.hostPort && p.hostPort > 0)) continue;
    if (ports === NO_PORTS) ports = [];
    ports.push({ hostIP: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", hostPort: p.hostPort });
  }
  return ports;
}

// ---- NodeInfo ------------------------------------------------------------------------------

/** The last number given to a pod appended to a node's list (or restamped): one counter for every node, only compared within one. */
let podSeq = 0;
/** A safe, non-negative integer (NodeInfo.exactSums). */
const natural = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;
const bySeq = (a: PodInfo, b: PodInfo): number => a.seq - b.seq;

/** A fresh number for a pod moved to the end of its node's list by hand (preemption's reorder). */
export function nextPodSeq(): number {
  return ++podSeq;
}

export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

/**
 * Change stamps by place in the cache's node list (the fast engine): a NodeInfo the cache placed
 * in its list at `pos` bumps `a[pos]` whenever anything Filter or Score reads on it changes (its
 * node, a pod added or removed: the same moments as its generation). A reader that kept what it
 * worked out for that place with the stamp it saw knows, without touching the NodeInfo, whether
 * the node changed since. The cache renews `version` whenever it rebuilds the list (places move).
 */
export class NodeStamps {
  a = new Int32Array(0);
  version = 0;
  /** Makes room for n places (stamps kept). */
  grow(n: number): void {
    if (n <= this.a.length) return;
    const b = new Int32Array(Math.max(n, this.a.length * 2, 64));
    b.set(this.a);
    this.a = b;
  }
}

export class NodeInfo {
  node: Node;
  name: string;
  labels: Labels = {};
  taints: Taint[] = [];
  unschedulable = false;
  allocatable: Resource = emptyResource();
  pods: PodInfo[] = [];
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Σ actual requests of the pods on the node. */
  requested: Resource = emptyResource();
  /** Σ non-zero (defaulted) cpu and memory requests. */
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  usedPorts: ContainerPort[] = [];
  /** image name (as listed in status.images) → size and spread; filled by the cache. */
  imageStates = new Map<string, ImageStateSummary>();
  generation = 0;
  /**
   * What Filter and Score read on every node they visit, kept flat on the NodeInfo: each object
   * behind it (allocatable, requested, the pods, taints and images, the labels) is one more
   * scattered fetch per node, and a cycle visits hundreds of nodes. Kept in step by setNode and
   * addPod/removePod (hasImages by the cache).
   */
  allocMilliCPU = 0;
  allocMemory = 0;
  allocEphemeral = 0;
  allowedPods = 0;
  reqMilliCPU = 0;
  reqMemory = 0;
  reqEphemeral = 0;
  numPods = 0;
  /** No taints and not cordoned: NodeUnschedulable and TaintToleration pass for every pod. */
  plain = true;
  hasImages = false;
  /**
   * The highest priority of the node's pods (−Infinity without pods), worked out again only after
   * the pod holding it left; and whether every request ever counted was a safe integer, so that
   * `requested` is exactly the sum of the pods' requests (preemption's dry run relies on both).
   */
  /** PodTopologySpread's last hostname count on this node (its scoreNodes; see hostnameCount there). */
  readonly spreadCount: { selector: Matcher | undefined; namespace: string; generation: number; count: number } = { selector: undefined, namespace: "", generation: -1, count: 0 };
  private maxPriority = -Infinity;
  private maxPriorityStale = false;
  sumsExact = true;
  /** The cache's change stamps and this node's place in its node list (-1: not placed). */
  stamps: NodeStamps | undefined;
  pos = -1;
  /**
   * The fast engine (issue #19 §1): a pod of `pods` was restamped (a status-only change left out of
   * the cache) since the list was last put in order; readers of the order call sortPods().
   */
  orderStale = false;
  /**
   * Every sum kept of the node's pods (requested, scalar, non-zero) is exact: each request counted
   * was a safe non-negative integer and no sum went past Number.MAX_SAFE_INTEGER (sticky). While it holds,
   * removing a pod and adding it again leaves every sum as it was, so a status-only change the
   * fast engine leaves out of the cache changes no figure (SchedulerCache.leaveOutStatusOnly).
   */
  exactSums = true;

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata.name!;
    this.setNode(node);
  }

  /**
   * One label value kept on the NodeInfo itself, by key: PodTopologySpread's Filter reads the same
   * key on every node it visits, and the NodeInfo is in hand (its labels object is one more
   * scattered object to fetch per node).
   */
  private labelKey = "";
  private labelValue: string | undefined;

  label(key: string): string | undefined {
    if (key !== this.labelKey) {
      this.labelKey = key;
      this.labelValue = this.labels[key];
    }
    return this.labelValue;
  }

  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata.labels ?? {};
    this.labelKey = "";
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    this.allocatable = resourceFromList(node.status?.allocatable);
    this.allocMilliCPU = this.allocatable.milliCPU;
    this.allocMemory = this.allocatable.memory;
    this.allocEphemeral = this.allocatable.ephemeralStorage;
    this.allowedPods = this.allocatable.allowedPodNumber;
    this.plain = this.taints.length === 0 && !this.unschedulable;
    this.generation++;
    if (this.pos >= 0) this.stamps!.a[this.pos]++;
  }

  addPod(p: PodInfo): void {
    p.seq = ++podSeq;
    this.pods.push(p);
    this.update(p, 1);
  }

  /**
   * A status-only change of a pod the node holds, left out of the cache (the fast engine): the
   * cache's update would have removed the pod and appended its new version, so it takes the place
   * of the last appended pod (its seq), while the list keeps it where it is until sortPods().
   */
  restamp(p: PodInfo): void {
    p.seq = ++podSeq;
    this.orderStale = true;
  }

  /**
   * Puts `pods` in the order the cache would have it had every status-only change reached it (by
   * seq: appends number pods in the order they are appended, a removal keeps the others' order).
   * Called by every reader of the order (preemption's dry run); the reference engine's lists are
   * never stale.
   */
  sortPods(): PodInfo[] {
    if (this.orderStale) {
      this.pods.sort(bySeq);
      this.orderStale = false;
    }
    return this.pods;
  }

  removePod(key: string): PodInfo | undefined {
    const i = this.pods.findIndex((x) => x.key === key);
    if (i < 0) return undefined;
    const [p] = this.pods.splice(i, 1);
    this.update(p, -1);
    return p;
  }

  /**
   * `removePod(p.key)` for a PodInfo the node holds (the cache's counted one): found by identity
   * (issue #19: every status write of a bound pod replaces its PodInfo, and reading each of a
   * node's ~100 PodInfos' keys to find it was one scattered fetch per pod). The node's pods have
   * distinct keys (the cache removes a pod's old PodInfo before adding its new one; preemption's dry
   * run removes and puts back the same objects), so the first pod with p's key is p.
   */
  removePodInfo(p: PodInfo): PodInfo | undefined {
    const i = this.pods.indexOf(p);
    if (i < 0) return this.removePod(p.key);
    this.pods.splice(i, 1);
    this.update(p, -1);
    return p;
  }

  /** The highest priority among the node's pods; −Infinity when it has none. */
  maxPodPriority(): number {
    if (this.maxPriorityStale) {
      let max = -Infinity;
      for (const p of this.pods) if (p.priority > max) max = p.priority;
      this.maxPriority = max;
      this.maxPriorityStale = false;
    }
    return this.maxPriority;
  }

  private update(p: PodInfo, sign: 1 | -1): void {
    const r = p.requests;
    this.requested.milliCPU += sign * r.milliCPU;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    this.reqMilliCPU = this.requested.milliCPU;
    this.reqMemory = this.requested.memory;
    this.reqEphemeral = this.requested.ephemeralStorage;
    this.numPods = this.pods.length;
    for (const k of r.scalarNames ?? Object.keys(r.scalar)) {
      const v = (this.requested.scalar[k] = (this.requested.scalar[k] ?? 0) + sign * r.scalar[k]);
      if (this.exactSums && !(natural(r.scalar[k]) && natural(v))) this.exactSums = false;
    }
    if (!Number.isSafeInteger(r.milliCPU) || !Number.isSafeInteger(r.memory) || !Number.isSafeInteger(r.ephemeralStorage)) this.sumsExact = false;
    if (sign > 0) {
      if (p.priority > this.maxPriority) this.maxPriority = p.priority;
    } else if (p.priority >= this.maxPriority) this.maxPriorityStale = true;
    this.nonZeroCPU += sign * p.nonZeroCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    // (Sums of safe non-negative integers: exact while every result stays a safe integer, and then
    // removing an addend and adding it back gives the sum it was.)
    if (this.exactSums && !(natural(r.milliCPU) && natural(r.memory) && natural(r.ephemeralStorage) && natural(p.nonZeroCPU) && natural(p.nonZeroMemory) && natural(this.reqMilliCPU) && natural(this.reqMemory) && natural(this.reqEphemeral) && natural(this.nonZeroCPU) && natural(this.nonZeroMemory))) this.exactSums = false;
    if (p.hasAffinity) this.podsWithAffinity += sign;
    if (p.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity += sign;
    if (p.hostPorts.length) {
      if (sign > 0) this.usedPorts.push(...p.hostPorts);
      else for (const hp of p.hostPorts) {
        const i = this.usedPorts.findIndex((u) => u.hostIP === hp.hostIP && u.protocol === hp.protocol && u.hostPort === hp.hostPort);
        if (i >= 0) this.usedPorts.splice(i, 1);
      }
    }
    this.generation++;
    if (this.pos >= 0) this.stamps!.a[this.pos]++;
  }
}

// ---- Snapshot and plugins ------------------------------------------------------------------

export interface Snapshot {
  /** Every node, in the node tree's zone-interleaved order. */
  nodeInfoList(): NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  havePodsWithAffinityList(): NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): NodeInfo[];
  /** Registers a callback for every pod that starts (+1) or stops (−1) being counted on a node. */
  onPodCounted(fn: (p: PodInfo, delta: 1 | -1) => void): void;
  /** Changes whenever a node is added, updated or removed. */
  readonly nodesVersion: number;
  /** Every node is untainted and not cordoned (NodeInfo.plain on all of them). */
  allNodesPlain?(): boolean;
  /** No node lists an image (NodeInfo.hasImages on none of them). */
  noNodeHasImages?(): boolean;
  /** Every pod counted on a node. */
  allPods(): Iterable<PodInfo>;
  /** Pods that have any (anti-)affinity term / a required anti-affinity term. */
  podsWithAffinity(): Iterable<PodInfo>;
  podsWithRequiredAntiAffinity(): Iterable<PodInfo>;
  /** A superset of the pods whose labels the term's selector may match (from the label index). */
  candidatePods(t: AffinityTerm): Iterable<PodInfo>;
  /** The same for a metav1.LabelSelector. */
  candidatesFor(selector: LabelSelector | null | undefined): Iterable<PodInfo>;
  /** Labels of a namespace (for namespaceSelector). */
  namespaceLabels(ns: string): Labels;
  /** Namespaces whose labels match. */
  namespacesMatching(m: Matcher): string[];
}

/** Per-cycle plugin state (framework.CycleState). */
export type CycleState = Map<string, unknown>;

export interface PreFilterResult {
  /** Nodes worth evaluating; undefined = all. */
  nodeNames?: Set<string>;
}

export interface Plugin {
  readonly name: string;
}
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus };
}
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
}
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: Map<string, Status>): { nominatedNodeName?: string; status: Status };
}
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): MaybeStatus;
}
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /**
   * The fast engine's form of Score: every node's score at once into `out` (aligned with
   * `nodes`), the same numbers as score() node by node, read from the cycle state once and in a
   * loop that sees one plugin only (the framework's per-node call sees seven).
   */
  scoreNodes?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], out: number[]): void;
  /** Rewrites scores (aligned with `nodes`) into 0..100. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], scores: number[]): void;
  /**
   * The fast engine: true only when every one of `nodes` would get the same score after
   * NormalizeScore (found without scoring them). The same number added to every node's total
   * changes neither which total is highest nor which tie, so the framework leaves the plugin out
   * of the totals selectHost reads.
   */
  uniform?(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): boolean;
}

export const MAX_NODE_SCORE = 100;
