/**
 * The simulated API server: an object store with admission (mutating, then validating), resource
 * versions, uids and timestamps from the simulated clock, graceful deletion, and watches.
 *
 * Stored objects are deep-frozen; readers get them as they are (no copy), writers change a copy
 * (`mutate` makes one for them). Watch events are delivered asynchronously, in write order, at the
 * same simulated instant (as informers deliver them a moment after the write), never re-entrantly
 * inside a write.
 */
import type { SimClock } from "../sim/clock.ts";
import { keyedRandom, type Random } from "../sim/random.ts";
import { ApiError, newAlreadyExists, newConflict, newForbidden, newNotFound } from "./errors.ts";
import { convertFromStorage, convertToStorage } from "./conversion/index.ts";
import { recordUpdate } from "./fieldmanager.ts";
import { apiVersionOf, ResourceRegistry, type ResourceType } from "./resources.ts";
import { clone, deepFreeze, jsonEqual, type KObject, type WatchEvent, type WatchHandler } from "./types.ts";
import { OrphanStatusLog } from "./orphanstatus.ts";
import { WatchCache, type CachedEvent } from "./watchcache.ts";
import type { PodCondition } from "./types.gen.ts";

export type Operation = "CREATE" | "UPDATE" | "DELETE";

/**
 * The subresources a write can go to: the main resource (""), `status` (only .status),
 * `ephemeralcontainers` (pods: only spec.ephemeralContainers, podEphemeralContainersStrategy) or
 * `approval` (CertificateSigningRequests: the status as sent, which csrApprovalStrategy limits to
 * the conditions, src/api/registry/certificates/csr.ts).
 */
export type Subresource = "" | "status" | "ephemeralcontainers" | "approval";

/** Admission as in kube-apiserver: mutating plugins run first, then validating ones. */
export interface AdmissionPlugin {
  name: string;
  /** Defaults and other changes. `old` is set for UPDATE. */
  mutate?(obj: KObject, op: Operation, old: KObject | undefined, api: ApiServer, attrs: AdmissionAttributes): void;
  /** Throws an ApiError to reject. */
  validate?(obj: KObject, op: Operation, old: KObject | undefined, api: ApiServer, attrs: AdmissionAttributes): void;
  /** Limits the plugin to these subresources; default: only the main resource. */
  subresources?: Array<Subresource>;
  /** Also runs for custom resources (objects of a CustomResourceDefinition); default: built-in kinds only. */
  customResources?: boolean;
  /**
   * Whether, right now, the plugin provably does nothing for a CREATE or an UPDATE of the main
   * resource of the built-in `kind` (no change, no refusal, no side effect, no read that matters):
   * issue #19's deferred Events (`ApiServer.createDeferredEvent`, and the recorder's repeats of them,
   * `repeatDeferredEvent`) skip admission only when every plugin that applies says so. A plugin
   * without it is never skipped.
   */
  inertFor?(kind: string, api: ApiServer): boolean;
}

/** What admission knows of a request beyond the object (admission.Attributes). */
export interface AdmissionAttributes {
  /** A dry run: plugins must not change other objects (a quota's usage). */
  dryRun: boolean;
  /** The served resource the request was made to. */
  resource: ResourceType;
  /**
   * The object's name as the request gave it: "" for a name generated from generateName (as
   * admission.Attributes.GetName(); errors then name the object by its generateName).
   */
  name: string;
  /** Receives the request's warnings (the caller's `WriteOptions.warnings`), as warning.AddWarning. */
  warnings?: string[];
  /** The subresource written ("" for the main resource). */
  subresource?: Subresource;
}

export interface WriteOptions {
  /** Run admission and checks but store nothing (kubectl --dry-run=server). */
  dryRun?: boolean;
  /**
   * Subresource being written: "status" writes only .status; "ephemeralcontainers" (pods) only
   * spec.ephemeralContainers (the rest of the stored pod is kept, as dropNonEphemeralContainerUpdates).
   */
  subresource?: Subresource;
  /** Server-side field validation (kubectl --validate): unknown fields fail (Strict), warn, or pass. */
  fieldValidation?: "Strict" | "Warn" | "Ignore";
  /** Receives the API server's warnings (e.g. unknown fields under Warn). */
  warnings?: string[];
  /** For dry runs of a batch: namespaces the same batch creates first. */
  assumeNamespaces?: Set<string>;
  /**
   * `updateOwned` only: the write is checked against the size limit as `update` checks a caller's
   * object (a controller that used `update` and hands its fresh object over instead).
   */
  checkSize?: boolean;
  /**
   * `createOwned` and `updateOwned` only (issue #19, the fast engine): the caller built the object
   * from values of the schema's types (the event recorder's Events: strings, integers, null, objects
   * of strings; the endpoint controllers' Endpoints and EndpointSlices: the stored metadata, strings,
   * integer ports and booleans), with no list or map holding a null: decoding finds nothing and
   * changes nothing, so it is skipped. (Without a `fieldValidation`, a component's own write is only
   * checked: the unknown fields found are not reported.)
   */
  wellTyped?: boolean;
  /**
   * The field manager of a client's write (the in-process kubectl's: `kubectl-create`,
   * `kubectl-label`, `kubectl` for `kubectl scale`…): the write records its `Update` entry in
   * managedFields as the API server's field manager does (src/api/fieldmanager.ts), before
   * admission. Unset (the components' own writes): managedFields are kept as they are.
   */
  fieldManager?: string;
  /**
   * The subresource the manager's entry names when it is not the one written: `scale` for a
   * write through the scale subresource, which the store makes to the main resource.
   */
  fieldManagerSubresource?: "scale";
}

/**
 * Decoding of a request body: checks the object against its type's schema (the served version
 * `r` it was sent in). Returns the unknown fields found (paths such as `spec.containers[0].imagee`),
 * and removes them from the object when `prune`; throws ApiError for malformed values. `memo` (the
 * fast engine): frozen parts found clean before may be skipped (see decoder.ts).
 */
export type Decoder = (obj: KObject, r: ResourceType, prune?: boolean, memo?: boolean) => string[];

/**
 * What a fresh server holds after its first creates (`ApiServer.captureStart`): its objects, their
 * bookkeeping and the ADDED events not yet dispatched. `restoreStart` puts the same in another
 * fresh server at the same instant. src/cluster.ts, `StartReplay`'s prefix.
 */
export interface StartState {
  readonly rv: number;
  readonly at: number;
  readonly generation: number;
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, KObject>>;
  readonly byNamespace: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, KObject>>>;
  readonly identityCounts: ReadonlyMap<string, number>;
  readonly lastChange: ReadonlyMap<string, number>;
  readonly events: ReadonlyArray<{ readonly object: KObject; readonly key: string }>;
}

/** See `ApiServer.startReplay`: `create` runs the server's own create. */
export interface StartCreateHook {
  create(input: KObject, opts: WriteOptions, create: () => KObject): KObject;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  /** Fail with Conflict unless the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Orphan | Background | Foreground (the garbage collector acts on it). */
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
}

/** `ApiServer.watch`'s options (each described there). */
export interface WatchOptions {
  nodeName?: string;
  ignoresOwnerlessEvents?: boolean;
  ignoresStatusOnly?: boolean;
  controllerKind?: string;
  ignoresOrphans?: boolean;
  lazyOrphansOf?: string;
  statusOnlyWanted?: (ev: WatchEvent) => boolean;
  namespace?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: (labels: Record<string, string>) => boolean;
  fieldSelector?: (obj: KObject) => boolean;
}

/** `ApiServer.restoredList`'s sorted lists, per captured start state and storage key. */
const restoredLists = new WeakMap<StartState, Map<string, KObject[]>>();

const key = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

/**
 * The largest object the store keeps, in bytes of its JSON encoding: etcd's default
 * --max-request-bytes (1.5 MiB), past which etcd refuses the write and kube-apiserver passes its
 * error on as a 500 (`Error from server: etcdserver: request is too large`). Upstream counts the
 * whole etcd request (key and protobuf value); the JSON text is the nearest measure here.
 */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export function requestTooLarge(): ApiError {
  return new ApiError("", "etcdserver: request is too large");
}

export class ApiServer {
  private readonly objects = new Map<string, Map<string, KObject>>();
  /**
   * Every resource's objects by storage key, namespace ("" for cluster-scoped ones) and name: a
   * namespace's list costs what it holds, and a read by name builds no "namespace/name" key.
   */
  private readonly byNamespace = new Map<string, Map<string, Map<string, KObject>>>();
  private readonly podsByNode = new Map<string, Map<string, KObject>>();
  /**
   * The fast engine's owner index (`ownedBy`), per storage key it was asked for: the objects by
   * their controller's uid (the first owner reference with `controller` set), and each object's
   * controller uid by its key. Built from the store at the first question, kept by every put and
   * remove since.
   */
  private ownerIndex: Map<string, { byOwner: Map<string, Map<string, KObject>>; ownerOf: Map<string, string> }> | undefined;
  private readonly handlers = new Map<string, Watcher[]>();
  /**
   * The status-only changes of orphan pods left out of the watchers that index orphans (the fast
   * engine; `watch`'s `lazyOrphansOf`): what their indexes read back (`OrphanStatusLog`).
   */
  readonly orphanStatus = new OrphanStatusLog();
  /** How many Pod watchers declare `lazyOrphansOf` (none: the dispatch notes nothing). */
  private lazyOrphanWatchers = 0;
  /** Pod watchers for one node (a kubelet's), by node name: a pod event reaches only its node's. */
  private readonly podWatchersByNode = new Map<string, Watcher[]>();
  /**
   * Node watchers for one node (a kubelet's own components), by node name (the fast engine): a Node
   * event reaches only its node's, instead of every kubelet's handler testing the name (issue #19).
   */
  private readonly nodeWatchersByName = new Map<string, Watcher[]>();
  private watchSeq = 0;
  /** How many watches stopped or took a reserved slot (with `watchSeq`, what tells a kept merged watcher list is current). */
  private unwatched = 0;
  /** While set (`watchInSlot`), new watches take places inside this reserved slot. */
  private slot: WatchSlot | undefined;
  /** Callbacks run before the first object of a kind is stored (`beforeFirstObject`), by storage key. */
  private firstObject: Map<string, Array<() => void>> | undefined;
  private readonly mergedCache = new Map<string, Map<string, { seq: number; unwatched: number; list: Watcher[] }>>();
  private readonly pending: WatchEvent[] = [];
  /** The storage key of each pending event's object. */
  private readonly pendingKeys: string[] = [];
  private readonly pendingGenerations: number[] = [];
  private dispatchScheduled = false;
  private rv = 1000;
  private readonly admission: AdmissionPlugin[] = [];
  /** The admission plugins that apply, by "b" (built-in) or "c" (custom) and subresource. */
  /** The admission plugins that apply, per subresource, for built-in kinds and for custom resources. */
  private readonly admissionPlans = { builtin: new Map<Subresource, AdmissionPlan>(), custom: new Map<Subresource, AdmissionPlan>() };
  private decoder: Decoder | undefined;
  /** Decoders of custom resources (the CRD's structural schema: pruning, defaulting), by storage key. */
  private readonly customDecoders = new Map<string, Decoder>();
  private readonly identityCounts = new Map<string, number>();
  /**
   * The identity counts of the start state `restoreStart` put in (shared by every server restored
   * from it, never changed): a key's count is this server's own when it has one, else this one's.
   */
  private identityBase: ReadonlyMap<string, number> | undefined;
  /** The resources this API server serves: the built-in ones and its CRDs' custom resources. */
  readonly registry = new ResourceRegistry();
  /** Per storage key, the bounded event history (the cacher's watch cache), once keepWatchHistory() started it. */
  private watchCaches: Map<string, WatchCache> | undefined;
  private historyStart = 0;
  /** Per kind, the resourceVersion of its latest change (what lastChangeOf reports). */
  private readonly lastChange = new Map<string, number>();
  /** The resourceVersion of the latest Pod change `lastPodLifecycleChange` reports. */
  private lastPodLifecycle = 0;
  /** The start state `restoreStart` put in (for `restoredList`). */
  private restored: StartState | undefined;
  /** The ADDED events `restoreStart` queued (`isRestoredStartEvent`). */
  private restoredEvents: Set<WatchEvent> | undefined;
  /**
   * The fast engine's storage keys whose maps in `objects` and `byNamespace` are still those of the
   * start state `restoreStart` put in, shared with every server restored from it: copied before this
   * server's first change under the key (`own`), so no server ever changes them.
   */
  private shared: Set<string> | undefined;
  /**
   * The reference engine (issue #19, `ClusterContext.reference`): the write path's speed-ups off
   * (the bind copies the whole pod; the size check serialises every object).
   */
  reference = false;

  /** A resource's object map is made when the resource is first written or read (`store`): `objects` is never iterated. */
  constructor(readonly clock: SimClock) {}

  /**
   * A random source for identities (uids, generated names) derived from a key and the number of
   * times the key was used: independent of the seed and of everything else that happened.
   */
  nextIdentity(key: string): Random {
    const n = this.identityCounts.get(key) ?? this.identityBase?.get(key) ?? 0;
    this.identityCounts.set(key, n + 1);
    return keyedRandom(`${key}#${n}`);
  }

  /** The same, without counting: one fixed source per key (dry runs use it too). */
  identityOf(key: string): Random {
    return keyedRandom(key);
  }

  registerAdmission(plugin: AdmissionPlugin): void {
    this.admission.push(plugin);
    this.admissionPlans.builtin.clear();
    this.admissionPlans.custom.clear();
  }

  setDecoder(decoder: Decoder): void {
    this.decoder = decoder;
  }

  /** Sets (or with undefined removes) the decoder of a custom resource's storage key. */
  setCustomDecoder(key: string, decoder: Decoder | undefined): void {
    if (decoder) this.customDecoders.set(key, decoder);
    else this.customDecoders.delete(key);
  }

  /** Removes every object stored under a key (a deleted CRD's custom resources), with DELETED events. */
  dropStorage(key: string): void {
    if (this.deferred !== 0 && key === "Event") this.materializeAll();
    this.own(key);
    const m = this.objects.get(key);
    if (!m) return;
    const r = this.registry.byStorageKey(key);
    this.byNamespace.delete(key);
    this.ownerIndex?.delete(key);
    for (const obj of [...m.values()]) {
      m.delete(objectKey(obj));
      const gone = deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
      this.emit({ type: "DELETED", object: gone, old: obj }, this.keyOf(gone));
    }
    if (!r) this.objects.delete(key);
  }

  // ---- reads ------------------------------------------------------------------------------

  /** An object by storage key (the kind for built-in resources, `<plural>.<group>` for custom ones). */
  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    const r = this.resource(kind);
    const o = this.byNamespace.get(r.key)?.get(r.namespaced ? namespace ?? "default" : "")?.get(name);
    if (this.deferred !== 0 && o instanceof DeferredEvent) return this.materialize(o);
    return o;
  }

  /**
   * The stored object's resourceVersion by key, without reading (or building) the object (issue #19:
   * the kubelet's status manager tells from it whether the pod it last wrote is still the stored one).
   */
  resourceVersionOf(kind: string, namespace: string | undefined, name: string): string | undefined {
    const r = this.resource(kind);
    const o = this.byNamespace.get(r.key)?.get(r.namespaced ? namespace ?? "default" : "")?.get(name);
    if (o instanceof DeferredEvent) return String(o.rv);
    return o?.metadata.resourceVersion;
  }

  /** Like get, but throws kube-apiserver's NotFound error. */
  getOrThrow(kind: string, namespace: string | undefined, name: string): KObject {
    const obj = this.get(kind, namespace, name);
    if (!obj) throw notFound(this.resource(kind), name);
    return obj;
  }

  list(kind: string, opts: ListOptions = {}): KObject[] {
    const r = this.resource(kind);
    if (this.deferred !== 0 && r.key === "Event") this.materializeAll();
    if (this.restored !== undefined && opts.namespace === undefined && opts.labelSelector === undefined && opts.fieldSelector === undefined) {
      const same = this.restoredList(this.restored, r);
      if (same) return same.slice();
    }
    const out: KObject[] = [];
    const scope = r.namespaced && opts.namespace !== undefined ? this.byNamespace.get(r.key)?.get(opts.namespace) : this.store(r);
    if (!scope) return out;
    for (const obj of scope.values()) {
      if (opts.labelSelector && !opts.labelSelector(obj.metadata.labels ?? {})) continue;
      if (opts.fieldSelector && !opts.fieldSelector(obj)) continue;
      out.push(obj);
    }
    return out.sort(byNamespaceAndName);
  }

  /**
   * `list(kind, { namespace })` filtered to the objects whose controller (the first owner reference
   * with `controller` set) has this uid, as a controller's lister and controllerRef filter find its
   * own (the Deployment controller's ReplicaSets): the same objects in the same order (sorted by
   * namespace and name), read from an index of the kind by controller uid instead of a sort of the
   * whole namespace per question (issue #19, apply16: 1,000 Deployments sorted 1,000 ReplicaSets per
   * sync). Built at the kind's first question, kept by every write since.
   */
  ownedBy(kind: string, namespace: string | undefined, uid: string): KObject[] {
    const r = this.resource(kind);
    let idx = (this.ownerIndex ??= new Map()).get(r.key);
    if (!idx) {
      idx = { byOwner: new Map(), ownerOf: new Map() };
      for (const [k, obj] of this.store(r)) indexOwner(idx, k, obj);
      this.ownerIndex.set(r.key, idx);
    }
    const m = idx.byOwner.get(uid);
    const out: KObject[] = [];
    if (!m) return out;
    const scoped = r.namespaced && namespace !== undefined;
    for (const obj of m.values()) if (!scoped || (obj.metadata.namespace ?? "") === namespace) out.push(obj);
    return out.sort(byNamespaceAndName);
  }

  /**
   * The fast engine's whole list of a kind this server holds as `restoreStart` put it (issue #19 §5:
   * every cluster's start lists the bootstrap policy's ClusterRoles and the system namespaces, the
   * same frozen objects in every cluster): sorted once per captured state and kind, shared by the
   * servers restored from it (callers get a copy). Only while the kind is as restored: every change
   * of an object of the kind sets its last change to the change's new resourceVersion, above the
   * restored one, so an equal last change means no object of the kind was added, changed or deleted
   * since, and the objects under its storage key are the restored ones (a custom resource of the
   * same kind name only makes this answer undefined more often).
   */
  private restoredList(state: StartState, r: ResourceType): KObject[] | undefined {
    const at = state.lastChange.get(r.kind);
    if (at === undefined || this.lastChange.get(r.kind) !== at || !state.objects.has(r.key)) return undefined;
    let lists = restoredLists.get(state);
    if (!lists) restoredLists.set(state, (lists = new Map()));
    let l = lists.get(r.key);
    if (!l) lists.set(r.key, (l = [...this.store(r).values()].sort(byNamespaceAndName)));
    return l;
  }

  /** Pods bound to a node (index on spec.nodeName). */
  podsOnNode(nodeName: string): KObject[] {
    return [...(this.podsByNode.get(nodeName)?.values() ?? [])];
  }

  count(kind: string): number {
    return this.objects.get(kind)?.size ?? 0;
  }

  /** The latest resource version given (etcd's current revision): what a list or a bookmark reports. */
  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * The resourceVersion of the latest change to an object of `kind` (0 before any): a component
   * that indexes a kind from its watch tells by comparison whether every change was delivered
   * (the watch is dispatched after the write), as an informer's HasSynced/LastSyncResourceVersion.
   */
  lastChangeOf(kind: string): number {
    return this.lastChange.get(kind) ?? 0;
  }

  /**
   * The resourceVersion of the latest Pod change that created or deleted a pod, or changed its
   * phase, its node or its deletion timestamp (0 before any; `podLifecycleChange`): what the pod
   * garbage collector's pass reads of the pods (issue #19 §1: `lastChangeOf("Pod")` moves at every
   * kubelet status write, and a quiet pass compared with it listed every pod again).
   */
  lastPodLifecycleChange(): number {
    return this.lastPodLifecycle;
  }

  /**
   * Calls `fn` at every change of an object of `kind`, as the change is made (before its watch
   * dispatch): work that sleeps while `lastChangeOf(kind)` stays (issue #19: a kubelet's dormant
   * back-off retries read the ConfigMaps' and Secrets') wakes in time. Returns the unsubscribe.
   */
  onChangeOf(kind: string, fn: () => void): () => void {
    const hooks = (this.changeHooks ??= new Map());
    let l = hooks.get(kind);
    if (!l) hooks.set(kind, (l = new Set()));
    l.add(fn);
    return () => void l.delete(fn);
  }
  private changeHooks: Map<string, Set<() => void>> | undefined;

  /**
   * Starts keeping each resource's recent events (the API server's watch cache), so watches can
   * start from a resourceVersion and lists can be read as of one. The served API turns it on; the
   * in-process components watch the store directly and need no history.
   */
  keepWatchHistory(): void {
    if (this.watchCaches) return;
    this.watchCaches = new Map();
    this.historyStart = this.rv;
  }

  private watchCacheOf(key: string): WatchCache | undefined {
    const caches = this.watchCaches;
    if (!caches) return undefined;
    let c = caches.get(key);
    // A resource's history is made at its first event or watch: nothing happened to it since the start.
    if (!c) caches.set(key, (c = new WatchCache(this.historyStart)));
    return c;
  }

  /** The events of a resource after `rv`, oldest first; 410 Expired when the history no longer reaches back to it. */
  eventsSince(kind: string, rv: number): CachedEvent[] {
    if (this.deferred !== 0 && this.resource(kind).key === "Event") this.materializeAll();
    const cache = this.watchCacheOf(this.resource(kind).key);
    if (!cache) throw new Error("the store keeps no watch history (keepWatchHistory was not called)");
    return cache.since(rv);
  }

  /**
   * A resource's objects as they were at resource version `rv` (the current ones with every later
   * event undone), in list order; 410 Expired when the history no longer reaches back to it.
   */
  listAt(kind: string, rv: number, opts: ListOptions = {}): KObject[] {
    if (rv >= this.rv) return this.list(kind, opts);
    if (this.deferred !== 0 && this.resource(kind).key === "Event") this.materializeAll();
    const events = this.eventsSince(kind, rv);
    const r = this.resource(kind);
    const state = new Map(this.store(r));
    for (let i = events.length - 1; i >= 0; i--) {
      const ev = events[i];
      const k = key(ev.object.metadata.namespace, ev.object.metadata.name!);
      if (ev.type === "ADDED") state.delete(k);
      else if (ev.old) state.set(k, ev.old);
    }
    const out: KObject[] = [];
    for (const obj of state.values()) {
      if (r.namespaced && opts.namespace !== undefined && obj.metadata.namespace !== opts.namespace) continue;
      if (opts.labelSelector && !opts.labelSelector(obj.metadata.labels ?? {})) continue;
      if (opts.fieldSelector && !opts.fieldSelector(obj)) continue;
      out.push(obj);
    }
    return out.sort(byNamespaceAndName);
  }

  // ---- writes -----------------------------------------------------------------------------

  create(input: KObject, opts: WriteOptions = {}): KObject {
    if (opts.fieldManager !== undefined) input = this.withManagedFields(input, undefined, opts);
    if (this.startReplay) return this.startReplay.create(input, opts, () => this.insert(clone(input), opts));
    return this.insert(clone(input), opts);
  }

  /**
   * While a cluster starts (src/cluster.ts, `StartReplay`): sees each `create` first and may answer
   * it with `adoptCreated` of what an earlier cluster's identical create stored, or call `create`
   * itself. Unset once the cluster has started, and always in the reference engine.
   */
  startReplay: StartCreateHook | undefined;

  /**
   * `create` of an object the caller built for this call and holds no other reference to (the
   * event recorder's new Events): it is stored as it is, without a copy (the reference engine
   * copies it all the same). The caller must not use `obj` afterwards.
   */
  createOwned(obj: KObject, opts: WriteOptions = {}): KObject {
    return this.insert(this.reference ? clone(obj) : obj, opts);
  }

  /**
   * The event recorder's new core/v1 Event (issue #19 §3/§4, `src/api/events.ts`): `createOwned`
   * with what `insert` would find already known. The caller built `obj` for this call (apiVersion
   * "v1", kind Event, metadata holding only `name` and `namespace`, every value of the schema's type:
   * `wellTyped`) and holds no other reference to it. So: the served resource is the storage one
   * (nothing to convert), no generated name, no server-set metadata to drop, nothing to decode; the
   * rest is `insert`'s own steps in its order (the namespace's termination, the uid, admission, the
   * name taken, the creation time, the size check), and the metadata is built in the API server's key
   * order at once instead of being reordered. The reference engine, and an Event this does not fit,
   * go through `createOwned`.
   */
  createRecordedEvent(obj: KObject): KObject {
    if (this.reference || obj.apiVersion !== "v1" || obj.kind !== "Event") return this.createOwned(obj, WELL_TYPED_WRITE);
    const r = this.resource("Event");
    const meta = obj.metadata;
    const name = meta.name;
    const namespace = meta.namespace;
    if (!name || !namespace || !metaKeysAre(meta, 2) || apiVersionOf(r) !== "v1" || !r.namespaced || this.registry.forGVK("v1", "Event") !== r) return this.createOwned(obj, WELL_TYPED_WRITE);
    const ns = this.get("Namespace", undefined, namespace);
    if (ns?.metadata.deletionTimestamp) {
      throw newForbidden(r, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
    const uid = this.nextIdentity(`uid:Event/${namespace}/${name}`).uuid();
    meta.uid = uid;
    this.runAdmission(obj, "CREATE", undefined, "", r, false, name, undefined, undefined);
    if (this.get(r.key, namespace, name)) throw newAlreadyExists(r, name);
    const creationTimestamp = this.clock.nowRFC3339();
    if (obj.metadata === meta && metaKeysAre(meta, 3) && meta.name === name && meta.namespace === namespace && meta.uid === uid) {
      // reorderMeta's order (META_ORDER) for these five keys. (The size check's bound counts the
      // key not set yet; it only decides whether to serialise, and serialising leaves it out.)
      obj.metadata = { creationTimestamp, name, namespace, resourceVersion: undefined as unknown as string, uid };
      checkSize(obj, false);
      obj.metadata.resourceVersion = String(++this.rv);
    } else {
      obj.metadata.creationTimestamp = creationTimestamp;
      checkSize(obj, false);
      obj.metadata.resourceVersion = String(++this.rv);
      reorderMeta(obj, false);
    }
    deepFreeze(obj);
    this.put(r, obj);
    this.emit({ type: "ADDED", object: obj }, r.key);
    return obj;
  }

  /**
   * The event recorder's new core/v1 Event, stored without being built (issue #19 §3/§4): what
   * `createRecordedEvent` does, with the steps whose outcome is known without the Event built left
   * for its first read (`DeferredEvent`). It applies when admission has nothing to do for an Event
   * right now (every plugin `inertFor` Event: none would change or refuse it, and none sees it), no
   * watch history is kept (the served API's watch cache would hold it at once), and the body's size
   * bound with the metadata's added is within the limit (the size check cannot refuse it). Then the
   * namespace's termination (Forbidden), the uid's identity count, the name taken (AlreadyExists),
   * the creation time and the resourceVersion are taken now, in `createRecordedEvent`'s order; the
   * record goes in the object maps and the watch queue in the Event's place. Its first read — a
   * get or list of Events, a watch of Events (or of every kind, unless the watcher ignores
   * ownerless Events) when its ADDED event is dispatched, a delete — builds the metadata in the API
   * server's key order with the uid that identity count gives, freezes it and puts it in the
   * record's place: the same object, key for key, that `createRecordedEvent` would have stored.
   * Otherwise (and on the reference engine) `createRecordedEvent`.
   */
  createDeferredEvent(obj: KObject): StoredEvent {
    if (this.reference || this.watchCaches !== undefined || obj.apiVersion !== "v1" || obj.kind !== "Event") return this.createRecordedEvent(obj);
    const r = this.resource("Event");
    const meta = obj.metadata;
    const name = meta.name;
    const namespace = meta.namespace;
    if (!name || !namespace || !metaKeysAre(meta, 2) || apiVersionOf(r) !== "v1" || !r.namespaced || r.key !== "Event" || this.registry.forGVK("v1", "Event") !== r) return this.createRecordedEvent(obj);
    if (!this.admissionInert(r) || boundWalk(obj, DEFERRED_META_BOUND, MAX_OBJECT_BYTES) > MAX_OBJECT_BYTES) return this.createRecordedEvent(obj);
    const ns = this.get("Namespace", undefined, namespace);
    if (ns?.metadata.deletionTimestamp) {
      throw newForbidden(r, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
    const idKey = `uid:Event/${namespace}/${name}`;
    const n = this.identityCounts.get(idKey) ?? this.identityBase?.get(idKey) ?? 0;
    this.identityCounts.set(idKey, n + 1);
    if (this.byNamespace.get(r.key)?.get(namespace)?.get(name)) throw newAlreadyExists(r, name);
    const rec = new DeferredEvent(obj, ++this.rv, this.clock.nowRFC3339(), n);
    this.deferred++;
    this.put(r, rec as unknown as KObject);
    this.announce("Event", rec.rv, { type: "ADDED", object: rec as unknown as KObject }, r.key);
    return rec;
  }

  /**
   * The event recorder's repeat (count, lastTimestamp, message: eventObserve's patch) of an Event
   * stored deferred and not built yet (issue #19 §1, the fast engine): the new version is a deferred
   * record too, so neither version is built unless someone reads it. What `updateOwnedRepeat` of a
   * shallow copy of the built Event would do, with what it would find already known: the stored
   * object is the record (no deletion, no finalizers), admission has nothing to do for an Event
   * (every plugin `inertFor` Event — each decides by kind, or by no object of a kind existing, for
   * an update as for a create; the registry's update validation of an Event is its create's, which
   * checks nothing), the same metadata (creation time, uid) and a new resourceVersion, and a
   * MODIFIED event whose object and old are built only for the watchers that would see them
   * (`dispatch`). The body is a shallow copy of the record's with the three fields set in their
   * places, as the built copy's would be. Undefined — nothing done — when the stored Event is not
   * such a record, or the create would not have been deferred now (a watch history, a plugin that
   * acts on Events, the reference engine): the caller takes the plain way.
   */
  repeatDeferredEvent(namespace: string, name: string, count: number, lastTimestamp: string, message: string): DeferredEvent | undefined {
    if (this.reference || this.watchCaches !== undefined || this.deferred === 0) return undefined;
    const r = this.resource("Event");
    const cur = this.byNamespace.get(r.key)?.get(namespace)?.get(name);
    if (!(cur instanceof DeferredEvent) || cur.obj !== undefined || r.key !== "Event" || !this.admissionInert(r)) return undefined;
    const body: KObject = { ...cur.body, count, lastTimestamp, message };
    const rec = new DeferredEvent(body, ++this.rv, cur.created, cur.identity);
    // The old record leaves the maps unbuilt: the count of records not built stays the same.
    cur.placed = false;
    this.put(r, rec as unknown as KObject, cur as unknown as KObject);
    this.announce("Event", rec.rv, { type: "MODIFIED", object: rec as unknown as KObject, old: cur as unknown as KObject }, r.key);
    return rec;
  }

  /** How many deferred Events in the object maps are not built yet (see `createDeferredEvent`). */
  private deferred = 0;

  /**
   * Whether every admission plugin that applies to a write of `subresource` ("" for the object itself:
   * a CREATE of an Event; "status" for a built-in status write) is `inertFor` the kind now.
   */
  private admissionInert(r: ResourceType, subresource: "" | "status" = ""): boolean {
    let plan = this.admissionPlans.builtin.get(subresource);
    if (!plan) {
      const applies = (p: AdmissionPlugin) => (p.subresources ?? [""]).includes(subresource);
      plan = { mutating: this.admission.filter((p) => p.mutate && applies(p)), validating: this.admission.filter((p) => p.validate && applies(p)) };
      this.admissionPlans.builtin.set(subresource, plan);
    }
    for (const p of plan.mutating) if (p.inertFor === undefined || !p.inertFor(r.kind, this)) return false;
    for (const p of plan.validating) if (p.inertFor === undefined || !p.inertFor(r.kind, this)) return false;
    return true;
  }

  /**
   * Builds a deferred Event (once): the metadata `createRecordedEvent` would have built, in its key
   * order, the uid its identity count gives; frozen, and put in the record's place in the maps.
   */
  private materialize(d: DeferredEvent): KObject {
    if (d.obj !== undefined) return d.obj;
    const obj = d.body;
    const name = obj.metadata.name!;
    const namespace = obj.metadata.namespace!;
    const uid = keyedRandom(`uid:Event/${namespace}/${name}#${d.identity}`).uuid();
    obj.metadata = { creationTimestamp: d.created, name, namespace, resourceVersion: String(d.rv), uid };
    deepFreeze(obj);
    d.obj = obj;
    // (A record a repeat replaced was no longer counted: `repeatDeferredEvent`.)
    if (d.placed) this.deferred--;
    d.placed = false;
    if (this.shared !== undefined) this.own("Event");
    const k = key(namespace, name);
    const m = this.objects.get("Event");
    if (m?.get(k) === (d as unknown as KObject)) m.set(k, obj);
    const byName = this.byNamespace.get("Event")?.get(namespace);
    if (byName?.get(name) === (d as unknown as KObject)) byName.set(name, obj);
    return obj;
  }

  /** Every deferred Event built (a list of Events, a history read). */
  private materializeAll(): void {
    const m = this.objects.get("Event");
    if (m) for (const o of m.values()) if (o instanceof DeferredEvent) this.materialize(o);
  }

  /**
   * Whether the store still holds `s` as the recorder stored it (the same object, or the deferred
   * record or what it was built into), without building anything: the recorder's expiry pass.
   */
  holdsEvent(namespace: string, name: string, s: StoredEvent): boolean {
    const o = this.byNamespace.get("Event")?.get(namespace)?.get(name);
    if (o === undefined) return false;
    return o === s || (s instanceof DeferredEvent && o === s.obj);
  }

  /** Whether an Event of that name is stored (nothing built). */
  hasEvent(namespace: string, name: string): boolean {
    return this.byNamespace.get("Event")?.get(namespace)?.has(name) ?? false;
  }

  private insert(input: KObject, opts: WriteOptions): KObject {
    const served = this.resourceOf(input);
    const r = this.storageResource(served);
    let obj = input;
    obj.apiVersion = apiVersionOf(served);
    obj.metadata = obj.metadata ?? {};
    const meta = obj.metadata;
    if (r.namespaced) meta.namespace = meta.namespace || "default";
    else delete meta.namespace;
    const requestedName = meta.name ?? "";
    if (!meta.name && meta.generateName) {
      // As upstream, a generated name that is taken is not retried by the server; here the
      // sequence of a prefix never repeats a suffix it gave, so collisions cannot happen twice.
      do meta.name = meta.generateName + this.nextIdentity(`name:${r.kind}/${meta.namespace ?? ""}/${meta.generateName}`).suffix(5);
      while (this.get(r.key, meta.namespace, meta.name));
    }
    if (!meta.name) {
      throw new ApiError("Invalid", `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
        kind: r.kind,
        name: "",
        causes: [{ field: "metadata.name", detail: "Required value: name or generateName is required" }],
      });
    }
    if (!opts.wellTyped || this.reference || opts.fieldValidation !== undefined) this.decode(served, obj, opts);
    if (served !== r) obj = convertToStorage(obj, r);
    const namespace = r.namespaced ? this.get("Namespace", undefined, meta.namespace!) : undefined;
    if (r.namespaced && r.kind !== "Event" && !namespace && !opts.assumeNamespaces?.has(meta.namespace!)) {
      throw newNotFound({ plural: "namespaces", group: "" }, meta.namespace!);
    }
    if (namespace?.metadata.deletionTimestamp) {
      throw newForbidden(r, meta.name, `unable to create new content in namespace ${meta.namespace} because it is being terminated`);
    }
    for (const f of SERVER_SET_META) if (f in meta) delete meta[f];
    // The uid is given before admission, as the generic registry's BeforeCreate does (the Job's generated selector uses it).
    obj.metadata.uid = this.nextIdentity(`uid:${r.kind}/${meta.namespace ?? ""}/${meta.name}`).uuid();
    this.runAdmission(obj, "CREATE", undefined, "", r, !!opts.dryRun, requestedName, undefined, opts.warnings);
    if (this.get(r.key, meta.namespace, meta.name)) {
      throw newAlreadyExists(r, meta.name);
    }
    obj.metadata.creationTimestamp = this.clock.nowRFC3339();
    if (r.generation) obj.metadata.generation = 1;
    checkSize(obj, this.reference);
    // A dry run answers the object as it would be stored, without a resourceVersion (as the registry's DryRunnableStorage).
    if (opts.dryRun) {
      reorderMeta(obj, this.reference);
      return deepFreeze(obj);
    }
    obj.metadata.resourceVersion = String(++this.rv);
    reorderMeta(obj, this.reference);
    deepFreeze(obj);
    this.put(r, obj);
    this.emit({ type: "ADDED", object: obj }, r.key);
    return obj;
  }

  /**
   * Stores an object exactly as another API server's `create` stored it, where this server's
   * `create` would store the same: the next resourceVersion, this instant, the identity's first
   * uid. For a fresh API server's first writes (the cluster's system namespaces, created through
   * admission once per process and shared since: stored objects are frozen, so sharing cannot be
   * seen). The same bookkeeping and ADDED event as `create`; anything else throws.
   */
  adoptCreated(obj: KObject): KObject {
    const adopted = this.tryAdoptCreated(obj);
    if (!adopted) throw new Error(`adoptCreated: ${obj.kind} "${obj.metadata?.name}" is not what create would store here`);
    return adopted;
  }

  /**
   * Whether nothing was stored, counted, queued or watched for history yet: a fresh server
   * (`captureStart` and `restoreStart` need one).
   */
  isPristine(): boolean {
    return (
      this.rv === 1000 &&
      this.objects.size === 0 &&
      this.byNamespace.size === 0 &&
      this.podsByNode.size === 0 &&
      this.identityCounts.size === 0 &&
      this.identityBase === undefined &&
      this.lastChange.size === 0 &&
      this.pending.length === 0 &&
      !this.dispatchScheduled &&
      this.firstObject === undefined &&
      this.watchCaches === undefined
    );
  }

  /**
   * This server's state after its first creates, for `restoreStart` (the caller knows it was
   * pristine before them and made nothing but ADDED events: only creates, no Pod). Undefined when
   * anything else happened (a dispatch already ran, a watch history is kept, a Pod was stored).
   */
  captureStart(): StartState | undefined {
    if (this.deferred !== 0 || this.pending.some((ev) => ev.object instanceof DeferredEvent)) return undefined;
    const n = this.rv - 1000;
    if (n <= 0 || this.pending.length !== n || this.podsByNode.size > 0 || this.firstObject !== undefined || this.watchCaches !== undefined || this.identityBase !== undefined) return undefined;
    if (this.pending.some((ev, i) => ev.type !== "ADDED" || ev.old !== undefined || this.pendingGenerations[i] !== this.registry.generation)) return undefined;
    return {
      rv: this.rv,
      at: this.clock.now(),
      generation: this.registry.generation,
      objects: new Map([...this.objects].map(([k, m]) => [k, new Map(m)])),
      byNamespace: new Map([...this.byNamespace].map(([k, byNs]) => [k, new Map([...byNs].map(([ns, m]) => [ns, new Map(m)]))])),
      identityCounts: new Map(this.identityCounts),
      lastChange: new Map(this.lastChange),
      events: this.pending.map((ev, i) => ({ object: ev.object, key: this.pendingKeys[i]! })),
    };
  }

  /**
   * Puts a captured start state into this pristine server at the same instant, as the same creates
   * would have (each one `tryAdoptCreated` of what they stored): the same objects in the same maps
   * and order, uids counted, each kind's last change, the ADDED events queued in order and their
   * dispatch scheduled as the first create's would have been. False (and nothing done) when this
   * server is not pristine, the instant differs or the served resources changed.
   */
  restoreStart(state: StartState): boolean {
    if (!this.isPristine() || this.clock.now() !== state.at || this.registry.generation !== state.generation) return false;
    // Its objects are put without `put`: an owner index is built again from them when asked.
    this.ownerIndex = undefined;
    // The state's maps themselves, until this server first changes a kind (`own`): reads see the same entries in the same order.
    for (const [k, m] of state.objects) this.objects.set(k, m as Map<string, KObject>);
    for (const [k, byNs] of state.byNamespace) this.byNamespace.set(k, byNs as Map<string, Map<string, KObject>>);
    this.shared = new Set([...state.objects.keys(), ...state.byNamespace.keys()]);
    this.identityBase = state.identityCounts;
    for (const [k, rv] of state.lastChange) this.lastChange.set(k, rv);
    this.lastPodLifecycle = this.lastChange.get("Pod") ?? 0;
    const restoredEvents = new Set<WatchEvent>();
    for (const { object, key } of state.events) {
      const ev: WatchEvent = { type: "ADDED", object };
      this.pending.push(ev);
      this.pendingKeys.push(key);
      this.pendingGenerations.push(state.generation);
      restoredEvents.add(ev);
    }
    this.rv = state.rv;
    this.restored = state;
    this.restoredEvents = restoredEvents;
    if (state.events.length > 0) {
      this.dispatchScheduled = true;
      this.clock.setTimeout(() => this.dispatch(), 0);
    }
    return true;
  }

  /**
   * The start state `restoreStart` put in this server (its `events` are the ADDED events it queued,
   * in order), or undefined. A component started on a restored server may account for those
   * events at its start, from what it computed for the same state before (issue #19 §5: the
   * garbage collector's graph), and then skip them (`isRestoredStartEvent`).
   */
  restoredStart(): StartState | undefined {
    return this.restored;
  }

  /** Whether `ev` is one of the ADDED events `restoreStart` queued (delivered at the first dispatch). */
  isRestoredStartEvent(ev: WatchEvent): boolean {
    return this.restoredEvents !== undefined && this.restoredEvents.has(ev);
  }

  /**
   * Whether no object of `kind` (a storage key) was written since `restoreStart`: what a component's
   * start lists of it is then exactly the restored objects.
   */
  unchangedSinceRestore(kind: string): boolean {
    return this.restored !== undefined && this.lastChange.get(kind) === this.restored.lastChange.get(kind);
  }

  /** `adoptCreated`, or undefined (and nothing done) where it would throw. */
  tryAdoptCreated(obj: KObject): KObject | undefined {
    const r = this.resourceOf(obj);
    const meta = obj.metadata;
    const idKey = `uid:${r.kind}/${meta.namespace ?? ""}/${meta.name}`;
    const same =
      Object.isFrozen(obj) &&
      apiVersionOf(r) === r.storageVersion &&
      meta.resourceVersion === String(this.rv + 1) &&
      meta.creationTimestamp === this.clock.nowRFC3339() &&
      !this.identityCounts.has(idKey) &&
      !this.identityBase?.has(idKey) &&
      !this.get(r.key, meta.namespace, meta.name!);
    if (!same) return undefined;
    this.identityCounts.set(idKey, 1);
    this.rv++;
    this.put(r, obj);
    this.emit({ type: "ADDED", object: obj }, r.key);
    return obj;
  }

  /**
   * Replaces an object (main resource: everything but status; `subresource: "status"`: only status).
   * Fails with Conflict when `metadata.resourceVersion` is set and stale.
   */
  update(input: KObject, opts: WriteOptions = {}): KObject {
    return this.write(input, opts, false);
  }

  /**
   * The update itself. `owned`: the input is a private copy nobody else holds (mutate's), so it
   * is used and frozen as it is instead of being copied again. Unchanged parts of the stored object
   * (all but the status on a status write) are shared with the new version: they
   * are frozen already, so sharing them cannot be seen.
   */
  private write(input: KObject, opts: WriteOptions, owned: boolean): KObject {
    // Writes from outside (clients, kubectl) are checked against etcd's size limit; the components' own (mutate) are not.
    const fromClient = !owned || !!opts.checkSize;
    const served = this.resourceOf(input);
    const r = this.storageResource(served);
    if (opts.fieldManager !== undefined && sub(opts) !== "status") {
      const stored = this.get(r.key, r.namespaced ? input.metadata?.namespace ?? "default" : undefined, input.metadata?.name ?? "");
      if (stored) input = this.withManagedFields(input, stored, opts, served);
    }
    if (served !== r) {
      // Decoded in the version it was sent in, then converted to the storage version.
      const copy = owned ? input : clone(input);
      if (sub(opts) === "") this.decode(served, copy, opts);
      input = convertToStorage(copy, r);
      owned = true;
    }
    const sub_ = sub(opts);
    const ns = r.namespaced ? input.metadata?.namespace ?? "default" : undefined;
    const old = this.get(r.key, ns, input.metadata?.name ?? "");
    if (!old) throw notFound(r, input.metadata?.name ?? "");
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw newConflict(r, old.metadata.name!, "the object has been modified; please apply your changes to the latest version and try again");
    }
    let obj: KObject;
    if (sub_ === "ephemeralcontainers") {
      // podEphemeralContainersStrategy.PrepareForUpdate (dropNonEphemeralContainerUpdates): the
      // stored pod with the request's spec.ephemeralContainers, everything else dropped.
      if (r.kind !== "Pod") throw new ApiError("NotFound", "the server could not find the requested resource");
      obj = clone(old);
      const ecs = input.spec?.ephemeralContainers;
      if (ecs === undefined || ecs === null) delete obj.spec.ephemeralContainers;
      else obj.spec.ephemeralContainers = clone(ecs);
      // The field manager's record of the write (managedFields) is kept, as it runs after the strategy.
      if (input.metadata.managedFields !== undefined) obj.metadata.managedFields = clone(input.metadata.managedFields);
    } else if (sub_ === "status" || sub_ === "approval") {
      if (sub_ === "approval" && r.kind !== "CertificateSigningRequest") throw new ApiError("NotFound", "the server could not find the requested resource");
      obj = { ...old, metadata: { ...old.metadata } };
      // serviceStatusStrategy.PrepareForUpdate resets only the spec (no ResetObjectMetaForStatus):
      // a Service's status write also writes its labels and annotations (MetalLB's
      // `metallb.io/ip-allocated-from-pool`, set with the address).
      if (r.kind === "Service" && !r.crd) {
        for (const f of ["labels", "annotations"]) {
          const v = input.metadata?.[f];
          if (v === undefined || v === null || (typeof v === "object" && Object.keys(v).length === 0)) delete obj.metadata[f];
          else obj.metadata[f] = clone(v);
        }
      }
      // Admission changes nothing of a built-in status write (the status plugins only act on create or
      // custom resources): the fast engine shares the frozen parts of the status it was given.
      // That copy is frozen as it is made and its size bound kept (`freezeCopy`): one pass over the
      // new status instead of three (the copy, the size check's walk, deepFreeze).
      if (input.status === undefined || input.status === null) {
        // A body without status: Go decodes a built-in kind's into the empty struct (`status: {}`);
        // a custom resource's statusStrategy.PrepareForUpdate drops the key (unstructured).
        if (r.crd) delete obj.status;
        else obj.status = {};
      } else obj.status = owned ? input.status : this.reference || r.crd ? clone(input.status) : freezeCopy(input.status);
      // podStatusStrategy.PrepareForUpdate backfills the QoS class, immutable since creation.
      if (r.kind === "Pod" && !r.crd && !obj.status.qosClass && old.status?.qosClass) obj.status = { ...obj.status, qosClass: old.status.qosClass };
      if (r.kind === "Service" && !r.crd) obj.status = defaultLoadBalancerIPMode(obj.status);
    } else {
      obj = owned ? input : clone(input);
      obj.apiVersion = apiVersionOf(r);
      // With a status subresource, an update of the main resource keeps the stored status (custom
      // resources without one take the status sent, as upstream's generic registry does).
      if (!r.crd || r.subresources.some((x) => x.name === "status")) {
        if (old.status === undefined) delete obj.status;
        else obj.status = clone(old.status); // admission (defaulting) may touch it
      }
      // System-owned metadata cannot be changed through an update.
      for (const f of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace"]) {
        if (old.metadata[f] === undefined) delete obj.metadata[f];
        else obj.metadata[f] = old.metadata[f];
      }
    }
    if ((sub_ === "" || sub_ === "ephemeralcontainers") && served === r && !(owned && opts.wellTyped && !this.reference && opts.fieldValidation === undefined)) this.decode(r, obj, opts);
    // The fast engine stores the parts of the spec that the write (defaulted) leaves as they were
    // as the stored version's own, frozen objects (issue #19 §3): the same JSON, frozen already, and
    // what is memoized per stored object (a template's validation, a Deployment's template key) is
    // found again. A Deployment scaling its ReplicaSet keeps the template.
    const share = this.reference || sub_ !== "" ? undefined : () => shareUnchangedSpec(obj, old);
    this.runAdmission(obj, "UPDATE", old, sub_, r, !!opts.dryRun, obj.metadata.name ?? "", share, opts.warnings);
    if (old.metadata.deletionTimestamp && sub_ === "" && (obj.metadata.finalizers?.length ?? 0) > (old.metadata.finalizers?.length ?? 0)) {
      throw newForbidden(r, old.metadata.name!, "no new finalizers can be added if the object is being deleted");
    }
    if (r.generation && sub_ === "" && generationChanged(obj, old, r)) {
      obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    reorderMeta(obj, this.reference);
    if (fromClient) checkSize(obj, this.reference);
    if (opts.dryRun) return deepFreeze(obj);
    if (jsonEqual(obj, old)) return old; // a no-op write changes nothing, as in kube-apiserver
    obj.metadata.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    this.put(r, obj, old);
    this.emit({ type: "MODIFIED", object: obj, old }, r.key);
    // An object being deleted goes once its last finalizer is removed.
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length) && !this.isGracefulPod(obj) && !(obj.kind === "Namespace" && obj.spec?.finalizers?.length)) this.remove(r, obj);
    return obj;
  }

  /**
   * `update` of an object the caller built for this call from the stored one (a shallow copy of the
   * parts it changes, the rest shared) and holds no other reference to: written without another
   * copy (the reference engine copies it all the same).
   */
  updateOwned(obj: KObject, opts: WriteOptions = {}): KObject {
    return this.reference ? this.write(clone(obj), opts, true) : this.write(obj, opts, true);
  }

  /**
   * The kubelet status manager's pods/status write of `status` over `current` (issue #19 §1, defer24,
   * status25): `update({ ...current, status }, { subresource: "status" })` without the copy of
   * `status`. On the fast engine, when `current` is the stored pod (no conflict: the same object),
   * not being deleted, the served and storage resource the built-in core/v1 Pod, every admission
   * plugin that applies to a status write inert for Pods (none would change, refuse or see it), no
   * watch history kept, and the status needs no QoS class backfilled, the write does what `write`
   * does in its order — the conflict check, the metadata copied in the stored key order with the new
   * resourceVersion, the size check and the no-op test on the same JSON — on a pod object made from
   * the stored one's fields in their order with `status` in the status's place. The caller hands
   * `status` over: neither it nor anything under it changes afterwards (the status manager keeps it
   * as its cache and never changes a status it keeps). `podStatusWrite` says what is stored:
   * - `"inplace"` (the default, status25): `status` itself, frozen in place before the size check
   *   (`freezeInPlace`: the unfrozen parts frozen, the frozen ones shared, its size bound kept as
   *   `freezeCopy` keeps a copy's), a plain field — the values `write`'s `freezeCopy` would store;
   * - `"lazy"` (defer24, `KUBE_SCENARIO_LAZY_STATUS=1`): a pod whose `status` is an accessor that, at
   *   its first read, freezes the body in place and puts it in its place (`builtStatus`);
   *   `podStatusOf` reads it without building it;
   * - `"plain"` (`KUBE_SCENARIO_LAZY_STATUS=0`): the update. The reference engine always takes it.
   * `differs`: the caller has compared `status` with `podStatusOf(current)` and found them not
   * JSON-equal (status25: the status manager's own no-op test, the store's first half of it).
   */
  updatePodStatus(current: KObject, status: KObject["status"], differs = false): KObject {
    const mode = this.podStatusWrite;
    if (this.reference || mode === "plain" || this.watchCaches !== undefined || status === null || typeof status !== "object" || Array.isArray(status)) return this.update({ ...current, status }, { subresource: "status" });
    const r = this.resource("Pod");
    const meta = current.metadata;
    const old = r.key === "Pod" && r.namespaced && !r.crd ? this.byNamespace.get("Pod")?.get(meta.namespace ?? "default")?.get(meta.name ?? "") : undefined;
    if (old === undefined || old !== current || old.kind !== "Pod" || old.apiVersion !== "v1" || this.registry.forGVK("v1", "Pod") !== r || old.metadata.deletionTimestamp || !this.admissionInert(r, "status")) {
      return this.update({ ...current, status }, { subresource: "status" });
    }
    const before = podStatusOf(old);
    if (!status.qosClass && before?.qosClass) return this.update({ ...current, status }, { subresource: "status" });
    // The body frozen where it is (its bound kept): `write` would store its frozen copy, the same values.
    if (mode === "inplace") freezeInPlace(status);
    // `write`'s object, without reading the stored status: the stored pod's fields in their order,
    // a copy of its metadata (its resourceVersion as stored until the write is accepted), `status`
    // in the status's place.
    const obj = {} as Record<string, unknown>;
    const o = old as unknown as Record<string, unknown>;
    for (const k in o) obj[k] = k === "status" ? status : k === "metadata" ? { ...old.metadata } : o[k];
    if (!("status" in obj)) obj.status = status;
    const pod = obj as unknown as KObject;
    pod.metadata.resourceVersion = old.metadata.resourceVersion;
    reorderMeta(pod, false);
    checkSize(pod, false);
    // A no-op write — `differs`: the caller found `status` not JSON-equal to `podStatusOf(current)`
    // (the same comparison, already made; `current` is `old`), so the write is not one.
    if (!differs && jsonEqual(status, before) && jsonEqual(pod.metadata, old.metadata)) return old;
    pod.metadata.resourceVersion = String(++this.rv);
    if (mode === "inplace") deepFreeze(pod);
    else {
      Object.freeze(pod.metadata);
      pendingStatus.set(pod, { body: status, built: undefined, json: checkLazyStatus ? JSON.stringify(status) : undefined });
      Object.defineProperty(pod, "status", LAZY_STATUS);
      this.lazyStatusWrites++;
    }
    this.put(r, pod, old);
    this.emit({ type: "MODIFIED", object: pod, old }, r.key);
    return pod;
  }

  /**
   * How `updatePodStatus` stores the status it is handed (see there): frozen in place (the default),
   * left unbuilt until its first read (`KUBE_SCENARIO_LAZY_STATUS=1`), or through the plain update
   * (`KUBE_SCENARIO_LAZY_STATUS=0`).
   */
  podStatusWrite: "inplace" | "lazy" | "plain" = podStatusWriteMode;

  /** Whether `updatePodStatus` leaves statuses unbuilt (tests: true the lazy write, false the plain one). */
  get lazyPodStatus(): boolean {
    return this.podStatusWrite === "lazy";
  }
  set lazyPodStatus(on: boolean) {
    this.podStatusWrite = on ? "lazy" : "plain";
  }

  /** How many status writes `updatePodStatus` stored with the status unbuilt (tests, benches). */
  lazyStatusWrites = 0;


  /**
   * The event recorder's repeat (issue #19, `src/api/events.ts`): `old` is the stored Event and `obj`
   * a shallow copy of it, metadata copied too, in which only `count` and `lastTimestamp` (or
   * `series`) changed. Written as `updateOwned` writes it, with what `write` would find already
   * known: the same storage resource (core/v1 Event), no conflict (`old` is the stored object), the
   * stored metadata in place (system fields, key order), no status, no generation, nothing to decode
   * again (the Event was decoded when created; the new values are an integer and timestamps) and
   * never equal to the stored object (the count moved). Admission runs as for any update. An Event
   * being deleted (finalizers) or no longer the stored one goes through `updateOwned`, and so does
   * every repeat on the reference engine.
   */
  updateOwnedRepeat(obj: KObject, old: KObject): KObject {
    const r = this.resource("Event");
    if (this.reference || obj.kind !== "Event" || obj.apiVersion !== "v1" || old.metadata.deletionTimestamp || old.metadata.finalizers?.length || this.get("Event", old.metadata.namespace, old.metadata.name!) !== old) {
      return this.updateOwned(obj);
    }
    this.runAdmission(obj, "UPDATE", old, "", r, false, obj.metadata.name ?? "");
    obj.metadata.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    this.put(r, obj, old);
    this.emit({ type: "MODIFIED", object: obj, old }, r.key);
    return obj;
  }

  /**
   * The kubelet's node Lease renewal (issue #19 §1, branch lease25): `mutate("Lease", namespace,
   * name, (l) => (l.spec.renewTime = renewTime))` over `old`, the stored Lease. On the fast engine,
   * when `old` is the stored object of the built-in coordination.k8s.io/v1 Lease (served in its
   * storage version, no generation), without status, deletion or finalizers, with a plain `spec`
   * whose `renewTime` differs, and every admission plugin inert for Leases now (`admissionInert`:
   * the registry validates no Lease, on create or update — `validateUpdate` answers `validateCreate`'s
   * [] for the kind — and the webhooks and policies exist only once configured), the write stores
   * what `write` would store without its walks: a copy of the stored metadata (already in order, so
   * `reorderMeta` keeps it) and `{ ...spec, renewTime }` (the key kept in its place, as the clone's
   * assignment keeps it; appended when missing, as there), the rest shared; nothing to decode again
   * (every value but `renewTime` is the stored one, decoded at its write, and `renewTime` is a
   * MicroTime in the clock's form, `MICRO_TIME`, which the decoder accepts), no
   * size check (a component's write), never equal to the stored object. The same resourceVersion,
   * the same watch event in the same place. Otherwise (the reference engine included), `mutate`.
   */
  renewLease(old: KObject, renewTime: string): KObject {
    const meta = old.metadata;
    const spec = old.spec;
    if (
      this.reference ||
      old.kind !== "Lease" ||
      old.apiVersion !== "coordination.k8s.io/v1" ||
      "status" in old ||
      meta.deletionTimestamp ||
      meta.finalizers?.length ||
      spec === null ||
      typeof spec !== "object" ||
      Array.isArray(spec) ||
      spec.renewTime === renewTime ||
      !MICRO_TIME.test(renewTime)
    ) {
      return this.mutate("Lease", meta.namespace, meta.name!, (l) => (l.spec.renewTime = renewTime));
    }
    const r = this.registry.forGVK("coordination.k8s.io/v1", "Lease");
    if (r === undefined || r.key !== "Lease" || r.crd || r.generation || !r.namespaced || !r.storable || apiVersionOf(r) !== r.storageVersion || this.byNamespace.get("Lease")?.get(meta.namespace ?? "default")?.get(meta.name ?? "") !== old || !this.admissionInert(r)) {
      return this.mutate("Lease", meta.namespace, meta.name!, (l) => (l.spec.renewTime = renewTime));
    }
    const obj: KObject = { ...old, metadata: { ...meta }, spec: { ...spec, renewTime } };
    reorderMeta(obj, false);
    obj.metadata.resourceVersion = String(++this.rv);
    Object.freeze(obj.metadata);
    Object.freeze(obj.spec);
    Object.freeze(obj);
    this.put(r, obj, old);
    this.emit({ type: "MODIFIED", object: obj, old }, r.key);
    return obj;
  }

  /**
   * `input` with the managedFields the field manager records for `opts.fieldManager`'s write over
   * `old` (the stored object; undefined for a create), as the API server's handlers record them
   * before admission (src/api/endpoints/handlers/rest.ts `trackUpdate` for the facade's requests):
   * compared in the version the request was made in (`served`), the entry in that apiVersion.
   * `input` itself is not changed (a shallow copy with new metadata).
   */
  private withManagedFields(input: KObject, old: KObject | undefined, opts: WriteOptions, served: ResourceType = this.resourceOf(input)): KObject {
    const subresource = opts.fieldManagerSubresource ?? (sub(opts) || undefined);
    const before = old && convertFromStorage(old, served);
    const metadata = { ...(input.metadata ?? {}) };
    // A client that leaves managedFields out keeps the stored ones (as a facade update does).
    if (before && metadata.managedFields === undefined) metadata.managedFields = before.metadata.managedFields;
    const entries = recordUpdate(before, { ...input, metadata } as KObject, opts.fieldManager!, this.clock.nowRFC3339(), subresource, apiVersionOf(served));
    if (entries.length) metadata.managedFields = entries;
    else delete metadata.managedFields;
    return { ...input, metadata };
  }

  /** Reads the current object, lets `fn` change a copy, and writes it back (status with `subresource`). */
  mutate(kind: string, namespace: string | undefined, name: string, fn: (obj: KObject) => void, opts: WriteOptions = {}): KObject {
    const current = this.getOrThrow(kind, namespace, name);
    // A status write keeps only the status of what `fn` leaves (write takes the rest from the stored
    // object): the fast engine copies the status alone and shares the rest, frozen, with `fn` (which
    // may read it; changing it would be a change the write drops, and throws instead).
    const copy = !this.reference && sub(opts) === "status" ? { ...current, metadata: { ...current.metadata }, status: clone(current.status) } : clone(current);
    fn(copy);
    return this.write(copy, opts, true);
  }

  /**
   * Deletes as kube-apiserver does: a pod bound to a node with a positive grace period, or any
   * object with finalizers, gets `deletionTimestamp` and stays until its kubelet (or the finalizer's
   * owner) finishes; everything else goes at once.
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObject {
    const r = this.resource(kind);
    if (!r.storable || !r.verbs.includes("delete")) throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
    const obj = this.getOrThrow(kind, namespace, name);
    if (r.kind === "Namespace" && ["default", "kube-system", "kube-public", "kube-node-lease"].includes(name)) {
      throw newForbidden({ plural: "namespaces", group: "" }, name, "this namespace may not be deleted");
    }
    // rest.BeforeDelete's early check (apiserver/pkg/registry/rest/delete.go): a Conflict on the
    // object's kind and group (GroupResource{Group, Resource: Kind}), an empty precondition included.
    const pre = opts.preconditions;
    const byKind = { plural: r.kind, group: r.group };
    if (pre?.uid !== undefined && pre.uid !== null && pre.uid !== obj.metadata.uid) {
      throw newConflict(byKind, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${obj.metadata.uid ?? ""}). The object might have been deleted and then recreated`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== null && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw newConflict(byKind, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion ?? ""}). The object might have been modified`);
    }
    // BeforeDelete: "Negative values will be treated as the value `1s` on the delete path."
    let grace = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
    if (r.kind === "Pod") {
      const podGrace = obj.spec?.terminationGracePeriodSeconds ?? 30;
      if (grace === undefined) grace = obj.metadata.deletionGracePeriodSeconds ?? podGrace;
      // An unscheduled pod, or one already terminal, has nothing to stop: it goes at once.
      if (!obj.spec?.nodeName || obj.status?.phase === "Succeeded" || obj.status?.phase === "Failed") grace = 0;
    }
    // The garbage collector's finalizers for the propagation policy (only when the object has or may have dependents).
    const gcFinalizer = opts.propagationPolicy === "Foreground" ? "foregroundDeletion" : opts.propagationPolicy === "Orphan" ? "orphan" : undefined;
    const finalizers = (obj.metadata.finalizers?.length ?? 0) + (gcFinalizer && !obj.metadata.finalizers?.includes(gcFinalizer) ? 1 : 0);
    const graceful = r.kind === "Pod" && (grace ?? 0) > 0;
    // pkg/registry/core/namespace/storage: a namespace without spec.finalizers goes at once; one with
    // them turns Terminating and waits for the namespace controller to empty and finalize it.
    const nsWaits = r.kind === "Namespace" && (obj.spec?.finalizers?.length ?? 0) > 0;
    if (!graceful && !finalizers && !nsWaits) {
      if (!opts.dryRun) this.remove(r, obj);
      return obj;
    }
    if (nsWaits && obj.metadata.deletionTimestamp) {
      // pkg/registry/core/namespace/storage: a namespace already terminating is not deleted again
      // while its spec.finalizers remain (kubectl prints this as `Error from server (Conflict)`).
      throw newConflict(r, name, "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
    }
    if (obj.metadata.deletionTimestamp) {
      // A second delete may only shorten the grace period.
      if (r.kind !== "Pod" || grace === undefined || grace >= (obj.metadata.deletionGracePeriodSeconds ?? Infinity)) return obj;
    }
    // The fast engine copies only the metadata (all that changes, but a namespace's status, replaced
    // whole) and shares the rest of the stored version, frozen.
    const copy: KObject = this.reference ? clone(obj) : { ...obj, metadata: { ...obj.metadata } };
    const g = r.kind === "Pod" ? grace ?? 0 : 0;
    // BeforeDelete (apiserver registry/rest/delete.go): a shortened grace period moves the deletion
    // timestamp back from the first delete's (old timestamp - old grace + new grace), not from now.
    const prior = obj.metadata.deletionTimestamp;
    const from = prior ? Date.parse(prior) - (obj.metadata.deletionGracePeriodSeconds ?? 0) * 1000 : this.clock.now();
    copy.metadata.deletionTimestamp = new Date(from + g * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    copy.metadata.deletionGracePeriodSeconds = g;
    if (r.kind === "Namespace") copy.status = { ...(copy.status ?? {}), phase: "Terminating" };
    if (gcFinalizer && !obj.metadata.deletionTimestamp && !copy.metadata.finalizers?.includes(gcFinalizer)) {
      copy.metadata.finalizers = [...(copy.metadata.finalizers ?? []), gcFinalizer];
    }
    reorderMeta(copy, this.reference);
    // A dry run answers the object as the deletion would leave it, and stores nothing.
    if (opts.dryRun) return deepFreeze(copy);
    copy.metadata.resourceVersion = String(++this.rv);
    deepFreeze(copy);
    this.put(r, copy, obj);
    this.emit({ type: "MODIFIED", object: copy, old: obj }, r.key);
    if (r.kind === "Pod" && g === 0 && !copy.metadata.finalizers?.length) this.remove(r, copy);
    return copy;
  }

  /** The pods/binding subresource: sets spec.nodeName once, as the scheduler's Bind does. */
  bind(namespace: string, name: string, nodeName: string): KObject {
    const pod = this.getOrThrow("Pod", namespace, name);
    if (pod.spec?.nodeName) {
      throw newConflict({ plural: "pods/binding", group: "" }, name, `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
    }
    if (pod.metadata.deletionTimestamp) {
      throw newConflict({ plural: "pods/binding", group: "" }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    // The reference engine copies the whole pod; the fast one copies only the objects on the path
    // to what changes (the pod, its metadata, spec, status and conditions list) and shares the rest
    // with the stored version, which is frozen: the result serialises the same, key order included.
    const copy: KObject = this.reference || !pod.status ? clone(pod) : { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec }, status: { ...pod.status } };
    copy.spec.nodeName = nodeName;
    const now = this.clock.nowRFC3339();
    const conditions: PodCondition[] = this.reference || !copy.status.conditions ? copy.status.conditions ?? [] : [...copy.status.conditions];
    const i = conditions.findIndex((c) => c.type === "PodScheduled");
    const scheduled = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now };
    if (i >= 0) {
      if (conditions[i].status !== "True") conditions[i] = scheduled;
    } else conditions.push(scheduled);
    copy.status.conditions = conditions;
    copy.metadata.resourceVersion = String(++this.rv);
    deepFreeze(copy);
    const r = this.resource("Pod");
    this.put(r, copy, pod);
    this.emit({ type: "MODIFIED", object: copy, old: pod }, r.key);
    return copy;
  }

  /**
   * The end of graceful deletion (the kubelet's final delete with grace 0): the object goes, unless
   * finalizers hold it — then, as kube-apiserver's graceful delete, its deletionGracePeriodSeconds
   * drops to 0 and it goes when the last finalizer is removed (a Job's pod stays, Failed, until the
   * Job controller has counted it).
   */
  finalizeDelete(kind: string, namespace: string | undefined, name: string): void {
    const obj = this.get(kind, namespace, name);
    if (!obj) return;
    const r = this.resource(kind);
    if (!obj.metadata.finalizers?.length) {
      this.remove(r, obj);
      return;
    }
    if (obj.metadata.deletionGracePeriodSeconds === 0) return;
    const copy: KObject = this.reference ? clone(obj) : { ...obj, metadata: { ...obj.metadata } };
    // BeforeDelete's shortened grace period: the timestamp goes back by the old grace period (to
    // when the pod was deleted), as the kubelet's final delete with grace 0 leaves it.
    const ts = obj.metadata.deletionTimestamp;
    if (ts) copy.metadata.deletionTimestamp = new Date(Date.parse(ts) - (obj.metadata.deletionGracePeriodSeconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    copy.metadata.deletionGracePeriodSeconds = 0;
    copy.metadata.resourceVersion = String(++this.rv);
    deepFreeze(copy);
    this.put(r, copy, obj);
    this.emit({ type: "MODIFIED", object: copy, old: obj }, r.key);
  }

  // ---- watches ----------------------------------------------------------------------------

  /**
   * Subscribes to changes of one kind ("*" for all). Returns the function that unsubscribes.
   * `nodeName` (pods and nodes only): only events of pods bound to that node, before or after the
   * change (as a kubelet's field-selected watch), or of the Node of that name (a field-selected
   * watch on metadata.name); such watchers are indexed by node, so an event costs nothing to the
   * other nodes' kubelets (the reference engine keeps Node watchers in the kind's list and tests
   * the name). Handlers are called in the order they subscribed either way.
   * `ignoresOwnerlessEvents` (watchers of every kind): the handler does nothing for an Event without
   * owner references (the garbage collector's graph, the quota controller), so a deferred Event's
   * ADDED is not built for it (`createDeferredEvent`; every Event is still delivered to it).
   * `ignoresStatusOnly`: the handler does nothing for a MODIFIED event that changed only the status
   * (`statusOnlyChange`: every other field the same object, the metadata the same but for its
   * resourceVersion): the fast engine does not call it for one (issue #19 §1: a kubelet's status
   * write reached every Pod handler; a handler that reads only the spec, the metadata or the event's
   * type declares it). The reference engine calls it for every event.
   * `controllerKind`: the handler acts for the controllers of that kind only, and does nothing a
   * reader could see for an ADDED or MODIFIED event of an object controlled, before and after the
   * change, by one owner of another kind (`steadyControllerKind`: the same controller reference's
   * uid and kind): the fast engine does not call it for one (issue #19 §3: a rolling update's pod
   * events reached the DaemonSet, StatefulSet and Job controllers, whose pod indexes leave other
   * kinds' pods out). A DELETED event, a pod without a controller and a change of controller reach
   * it as before. The reference engine calls it for every event.
   * `ignoresOrphans`: the handler does nothing a reader could see for an ADDED or MODIFIED event of
   * an object that has no controller reference, before (MODIFIED) nor after the change
   * (`steadyControllerKind` gives UNCONTROLLED): the fast engine does not call it for one (issue #19
   * §1/§3: every status write of a pod no controller owns reached the Job controller, which reads
   * only its Jobs' pods). A DELETED event, and any change that gives or takes a controller, reach it
   * as before. The reference engine calls it for every event.
   * `lazyOrphansOf` (Pod watchers; a controller kind): for a MODIFIED event that changed only the
   * status of a pod without a controller, the handler only records the pod in an index that reads
   * this server's `orphanStatus` (`PodIndex` built with it) and enqueues the objects of that kind in
   * the pod's namespace that select it: the fast engine notes every such change in `orphanStatus`
   * and does not call the handler for one while the namespace holds no object of that kind (the
   * index applies the change when it next reads the namespace's orphans; issue #19 §1/§3: every
   * status write of an ownerless pod reached the DaemonSet and StatefulSet controllers). The
   * reference engine calls it for every event.
   * `statusOnlyWanted` (Pod watchers, and watchers of every kind, "*"): for a MODIFIED event that
   * changed only the status (`statusOnlyChange`), the fast engine asks it, in the handler's place in
   * the dispatch, and calls the handler only when it answers true: the handler declares that, when
   * it answers false, its call would do nothing a reader could see (issue #19 §1: the endpoint
   * controllers' informers get every kubelet status write, and do nothing for a pod no Service of
   * theirs selects; the garbage collector's graph does nothing for a known object whose owners
   * exist). It reads the handler's own state and the event's metadata (the labels, the namespace,
   * the owner references: a status-only change keeps them), nothing of its status. An answer may
   * instead do, in the handler's place, the whole of what the handler would do when that is only to
   * keep the event's object, and answer false (the kubelet's echo of its own status write:
   * `Kubelet.echoWanted`). The reference engine calls the handler for every event. (A deferred
   * Event's events are never status-only.)
   */
  watch(kind: string, handler: WatchHandler, opts: WatchOptions = {}): () => void {
    // A namespaced watch (a client's `/namespaces/<ns>/<resource>?watch`, what a Role allows): the namespace's events.
    if (opts.namespace !== undefined) {
      const ns = opts.namespace;
      return this.watch(kind, (ev) => ev.object.metadata.namespace === ns && handler(ev), { ...opts, namespace: undefined });
    }
    if (kind === "Node" && opts.nodeName !== undefined && this.reference) {
      const name = opts.nodeName;
      return this.watch(kind, (ev) => {
        if (ev.object.metadata.name === name) handler(ev);
      });
    }
    const slot = this.slot;
    // `removed` is set at creation, so unwatching changes a field rather than the object's shape.
    const w: Watcher = {
      seq: slot ? slotSeq(slot, kind) : this.watchSeq++,
      handler,
      removed: false,
      skipsOwnerlessEvents: kind === "*" && opts.ignoresOwnerlessEvents === true,
      skipsStatusOnly: opts.ignoresStatusOnly === true,
      controllerKind: opts.controllerKind,
      skipsOrphans: opts.ignoresOrphans === true,
      lazyOrphansOf: kind === "Pod" && opts.lazyOrphansOf !== undefined ? this.resource(opts.lazyOrphansOf).key : undefined,
      statusOnlyWanted: opts.statusOnlyWanted,
      filtered: opts.ignoresStatusOnly === true || opts.controllerKind !== undefined || opts.ignoresOrphans === true || (kind === "Pod" && opts.lazyOrphansOf !== undefined) || opts.statusOnlyWanted !== undefined,
    };
    if (w.lazyOrphansOf !== undefined) this.lazyOrphanWatchers++;
    const byNode = (kind === "Pod" || kind === "Node") && opts.nodeName !== undefined;
    const map = byNode ? (kind === "Pod" ? this.podWatchersByNode : this.nodeWatchersByName) : this.handlers;
    const k = byNode ? opts.nodeName! : kind;
    let list = map.get(k) ?? [];
    if (slot) {
      // Its place among the watchers that subscribed since the slot was reserved (each list is in seq
      // order), in a new list: a dispatch going through the old one (this watch made by a handler)
      // goes on as it was, and an event being dispatched is not this watcher's to see.
      let i = list.length;
      while (i > 0 && list[i - 1].seq > w.seq) i--;
      list = [...list.slice(0, i), w, ...list.slice(i)];
      this.unwatched++; // kept merged lists are stale
    } else list.push(w);
    map.set(k, list);
    return () => {
      const l = map.get(k)!;
      const i = l.indexOf(w);
      if (i >= 0) l.splice(i, 1);
      if (!w.removed && w.lazyOrphansOf !== undefined) this.lazyOrphanWatchers--;
      w.removed = true;
      this.unwatched++;
    };
  }

  /**
   * Reserves a place in the order watchers are called in (issue #19 §5, components started late):
   * the watches made later inside `watchInSlot(slot, ...)` are called, for every event, exactly where
   * watches made now would be — after every watcher that subscribed before this call, before every
   * one that subscribes after it, among themselves in the order they subscribe.
   */
  reserveWatchSlot(): WatchSlot {
    return { seq: this.watchSeq++, taken: 0, kinds: [] };
  }

  /** Runs `fn`; the watches it makes take places in `slot` (see `reserveWatchSlot`). Returns fn's value. */
  watchInSlot<T>(slot: WatchSlot, fn: () => T): T {
    if (this.slot) throw new Error("watchInSlot: already inside a watch slot");
    this.slot = slot;
    try {
      return fn();
    } finally {
      this.slot = undefined;
    }
  }

  /**
   * Runs `fn` once, right before the first object of any of `kinds` (storage keys) is stored — or at
   * once if one is stored already: at that moment the store holds none of them, and no event of
   * them was ever sent. A component that follows only those kinds (and "*" where it ignores every
   * event until one of them exists) can start then instead of at the cluster's start: it sees
   * the store, and receives every event, as it would have. Custom resources are never waited for.
   */
  beforeFirstObject(kinds: readonly string[], fn: () => void): void {
    if (kinds.some((k) => (this.objects.get(k)?.size ?? 0) > 0 || this.lastChange.has(k))) return fn();
    const hooks = (this.firstObject ??= new Map());
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      fn();
    };
    for (const k of kinds) {
      const l = hooks.get(k);
      if (l) l.push(once);
      else hooks.set(k, [once]);
    }
  }

  // ---- internals --------------------------------------------------------------------------

  /** The resource (storage version) of a storage key; throws NotFound for keys not served. */
  resource(kind: string): ResourceType {
    const r = this.registry.byStorageKey(kind);
    if (!r) throw new ApiError("NotFound", `the server could not find the requested resource (kind ${kind})`);
    return r;
  }

  /** The served resource of an object (by apiVersion and kind; a bare kind means the built-in one). */
  resourceOf(obj: KObject): ResourceType {
    if (!obj || typeof obj !== "object") throw new ApiError("BadRequest", "the object is not a Kubernetes object");
    const r = obj.apiVersion ? this.registry.forGVK(obj.apiVersion, obj.kind) : this.registry.byStorageKey(obj.kind);
    if (!r) throw new ApiError("NotFound", `the server could not find the requested resource (${obj.apiVersion ? obj.apiVersion + ", " : ""}kind ${obj.kind})`);
    if (!r.storable) throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
    return r;
  }

  /** The storage version of a served resource. */
  private storageResource(r: ResourceType): ResourceType {
    return apiVersionOf(r) === r.storageVersion ? r : this.resource(r.key);
  }

  private store(r: ResourceType): Map<string, KObject> {
    let m = this.objects.get(r.key);
    if (!m) this.objects.set(r.key, (m = new Map()));
    return m;
  }

  /** The storage key of a stored object. */
  keyOf(obj: KObject): string {
    return this.registry.forGVK(obj.apiVersion, obj.kind)?.key ?? obj.kind;
  }

  private decode(r: ResourceType, obj: KObject, opts: WriteOptions): void {
    const decoder = r.crd ? this.customDecoders.get(r.key) : this.decoder;
    if (!decoder) return;
    // A custom resource's decoder also prunes and defaults: it runs whatever the field validation.
    // A client's write of a built-in kind (fieldValidation set) is decoded as the API server decodes
    // a body: unknown fields are dropped whatever the mode (Strict refuses them, Warn reports them);
    // the simulation's own writes are only checked.
    const unknown = decoder(obj, r, opts.fieldValidation !== undefined, !this.reference);
    if (opts.fieldValidation === "Ignore") return;
    if (unknown.length === 0) return;
    if (opts.fieldValidation === "Warn") {
      for (const f of unknown) opts.warnings?.push(`unknown field ${JSON.stringify(f)}`);
      return;
    }
    if (opts.fieldValidation === "Strict") {
      throw new ApiError(
        "BadRequest",
        `${r.kind} in version ${JSON.stringify(r.version)} cannot be handled as a ${r.kind}: strict decoding error: ${unknown.map((f) => `unknown field ${JSON.stringify(f)}`).join(", ")}`,
      );
    }
  }

  private isGracefulPod(obj: KObject): boolean {
    return obj.kind === "Pod" && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  /** `beforeValidation` runs after the mutating plugins, before the validating ones. */
  private runAdmission(obj: KObject, op: Operation, old: KObject | undefined, sub: Subresource, r: ResourceType, dryRun: boolean, name: string, beforeValidation?: () => void, warnings?: string[]): void {
    const custom = r.crd !== undefined;
    // (The same keys and values as `{ ..., ...(sub === "ephemeralcontainers" || sub === "approval" ? { subresource: sub } : {}) }`, without the spread.)
    const attrs: AdmissionAttributes = sub === "ephemeralcontainers" || sub === "approval" ? { dryRun, resource: r, name, warnings, subresource: sub } : { dryRun, resource: r, name, warnings };
    // The plugins that apply to (custom resource or not, subresource), in registration order, worked
    // out once; looked up by the subresource's constant string (no key string built per write).
    const plans = custom ? this.admissionPlans.custom : this.admissionPlans.builtin;
    let plan = plans.get(sub);
    if (!plan) {
      const applies = (p: AdmissionPlugin) => (!custom || !!p.customResources) && (p.subresources ?? [""]).includes(sub);
      plan = { mutating: this.admission.filter((p) => p.mutate && applies(p)), validating: this.admission.filter((p) => p.validate && applies(p)) };
      plans.set(sub, plan);
    }
    for (const p of plan.mutating) p.mutate!(obj, op, old, this, attrs);
    beforeValidation?.();
    for (const p of plan.validating) p.validate!(obj, op, old, this, attrs);
  }

  /**
   * Before a change under a storage key: this server's own copies of maps it still shares with a
   * restored start state (`shared`), the same entries in the same order, as `restoreStart` would
   * have copied them.
   */
  private own(key: string): void {
    if (this.shared === undefined || !this.shared.delete(key)) return;
    if (this.shared.size === 0) this.shared = undefined;
    const m = this.objects.get(key);
    if (m) this.objects.set(key, new Map(m));
    const byNs = this.byNamespace.get(key);
    if (byNs) this.byNamespace.set(key, new Map([...byNs].map(([ns, m]) => [ns, new Map(m)])));
  }

  private put(r: ResourceType, obj: KObject, old?: KObject): void {
    if (this.firstObject !== undefined && old === undefined) this.runFirstObject(r.key);
    if (this.shared !== undefined) this.own(r.key);
    const ns = obj.metadata.namespace ?? "";
    const name = obj.metadata.name!;
    const k = key(ns, name);
    this.store(r).set(k, obj);
    const idx = this.ownerIndex?.get(r.key);
    if (idx !== undefined) indexOwner(idx, k, obj);
    let byNs = this.byNamespace.get(r.key);
    if (!byNs) this.byNamespace.set(r.key, (byNs = new Map()));
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map()));
    m.set(name, obj);
    if (r.kind === "Pod") {
      const before = old?.spec?.nodeName;
      const after = obj.spec?.nodeName;
      if (before && before !== after) this.podsByNode.get(before)?.delete(k);
      if (after) {
        let m = this.podsByNode.get(after);
        if (!m) this.podsByNode.set(after, (m = new Map()));
        m.set(k, obj);
      }
    }
  }

  private remove(r: ResourceType, obj: KObject): void {
    if (this.shared !== undefined) this.own(r.key);
    const k = key(obj.metadata.namespace, obj.metadata.name!);
    let current = this.store(r).get(k);
    if (!current) return;
    if (current instanceof DeferredEvent) current = this.materialize(current);
    this.store(r).delete(k);
    const idx = this.ownerIndex?.get(r.key);
    if (idx !== undefined) unindexOwner(idx, k);
    const byNs = this.byNamespace.get(r.key);
    const ns = current.metadata.namespace ?? "";
    const m = byNs?.get(ns);
    m?.delete(current.metadata.name!);
    if (m?.size === 0) byNs!.delete(ns);
    if (r.kind === "Pod" && current.spec?.nodeName) this.podsByNode.get(current.spec.nodeName)?.delete(k);
    // The deletion is a change of its own: the DELETED object carries the deletion's resourceVersion, as etcd's delete revision.
    const gone = deepFreeze({ ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } });
    this.emit({ type: "DELETED", object: gone, old: current }, r.key);
  }

  /** The `beforeFirstObject` callbacks of a kind (a create's `put`, before the object is stored). */
  private runFirstObject(key: string): void {
    const hooks = this.firstObject!;
    const l = hooks.get(key);
    if (!l) return;
    hooks.delete(key);
    if (hooks.size === 0) this.firstObject = undefined;
    for (const fn of l) fn();
  }

  /** Queues a watch event; `key` is the object's storage key (what keyOf gives for it). */
  private emit(event: WatchEvent, key: string): void {
    this.announce(event.object.kind, Number(event.object.metadata.resourceVersion), event, key);
  }

  /**
   * `emit` with the kind and resourceVersion given, so that a deferred Event's record is not built
   * to read them: the kind's last change, its change hooks, the watch cache, the dispatch queue.
   */
  private announce(kind: string, rv: number, event: WatchEvent, key: string): void {
    this.lastChange.set(kind, rv);
    if (kind === "Pod" && podLifecycleChange(event)) this.lastPodLifecycle = rv;
    if (this.changeHooks !== undefined) {
      const l = this.changeHooks.get(kind);
      if (l !== undefined && l.size > 0) for (const fn of [...l]) fn();
    }
    if (this.watchCaches) {
      this.watchCacheOf(key)?.add({ type: event.type, object: event.object, old: event.old, rv, recordTime: this.clock.now() });
    }
    this.pending.push(event);
    this.pendingKeys.push(key);
    this.pendingGenerations.push(this.registry.generation);
    if (!this.dispatchScheduled) {
      this.dispatchScheduled = true;
      this.clock.setTimeout(() => this.dispatch(), 0);
    }
  }

  /** Whether the namespace holds an object of this storage key (as `list(kind, { namespace })` would find one). */
  private holdsIn(key: string, namespace: string | undefined): boolean {
    const m = this.byNamespace.get(key)?.get(namespace ?? "default");
    return m !== undefined && m.size > 0;
  }

  /**
   * The fast engine's `mergeBySeq(kindWatchers, nodeWatchers, [])` for a pod event of one node, kept
   * per storage key and node until a watch starts or stops (`watchSeq`, `unwatched`): the same
   * watchers in the same order, without a sorted copy per event. Each use is a snapshot taken
   * before the event's handlers run, as the merged copy is.
   */
  private mergedWithNode(key: string, kindWatchers: Watcher[], node: string, nodeWatchers: Watcher[]): Watcher[] {
    let byNode = this.mergedCache.get(key);
    if (!byNode) this.mergedCache.set(key, (byNode = new Map()));
    const m = byNode.get(node);
    if (m && m.seq === this.watchSeq && m.unwatched === this.unwatched) return m.list;
    const list = mergeBySeq(kindWatchers, nodeWatchers, NONE);
    byNode.set(node, { seq: this.watchSeq, unwatched: this.unwatched, list });
    return list;
  }

  private dispatch(): void {
    this.dispatchScheduled = false;
    // Handlers may write; their events join the queue and are delivered in this same pass.
    for (let i = 0; i < this.pending.length; i++) {
      const ev = this.pending[i];
      // The key as keyOf gives it now (the same as at the write unless the served resources changed since).
      const key = this.pendingGenerations[i] === this.registry.generation ? this.pendingKeys[i] : this.keyOf(ev.object);
      const kindWatchers = this.handlers.get(key) ?? NONE;
      if (ev.object instanceof DeferredEvent) {
        // A deferred Event's ADDED (issue #19 §3/§4): built for the watchers that would see it (the
        // Event's, and those of every kind that do not ignore ownerless Events); with none, no
        // handler is called and nothing is built, as a dispatch to handlers that return at once.
        const d = ev.object;
        const all = this.handlers.get("*") ?? NONE;
        let wanted = kindWatchers.length > 0;
        for (let j = 0; !wanted && j < all.length; j++) if (!all[j].skipsOwnerlessEvents) wanted = true;
        if (!wanted) continue;
        // A deferred repeat's MODIFIED (`repeatDeferredEvent`): the old version built too (a record
        // itself, or the Event it was built into).
        const o = ev.old;
        const added: WatchEvent = ev.type === "ADDED" ? { type: "ADDED", object: this.materialize(d) } : { type: ev.type, object: this.materialize(d), old: o instanceof DeferredEvent ? this.materialize(o) : o };
        this.pending[i] = added;
        for (const w of kindWatchers) w.handler(added);
        for (const w of all) if (!w.skipsOwnerlessEvents) w.handler(added);
        continue;
      }
      // A status-only change skips the watchers that declared they ignore one (issue #19 §1), and a
      // change of an object another kind's owner controls before and after skips the watchers that
      // act for one controller kind (§3): the others get it in the same order, in the same pass
      // (each test is made once, at the first watcher that needs it; never on the reference engine).
      let statusOnly: boolean | undefined;
      let steady: string | undefined;
      // A status-only change of a pod without a controller is noted for the indexes of the watchers
      // that leave it to them (`lazyOrphansOf`); any other event of a pod forgets the pod's last note
      // once every such watcher has recorded it (see OrphanStatusLog).
      let lazy = false;
      let forget = false;
      if (this.lazyOrphanWatchers > 0 && key === "Pod" && !this.reference) {
        if (ev.type === "MODIFIED" && (statusOnly ??= statusOnlyChange(ev)) && (steady ??= steadyControllerKind(ev)) === UNCONTROLLED) {
          lazy = true;
          this.orphanStatus.note(ev.object);
        } else forget = this.orphanStatus.size > 0;
      }
      if (ev.object.kind === "Pod" && this.podWatchersByNode.size > 0) {
        const after = ev.object.spec?.nodeName;
        const before = ev.old?.spec?.nodeName;
        const a = (after && this.podWatchersByNode.get(after)) || NONE;
        const b = (before && before !== after && this.podWatchersByNode.get(before)) || NONE;
        if (a.length + b.length === 0) {
          for (const w of kindWatchers) {
            if (w.filtered && !this.reference) {
              if (w.skipsStatusOnly && (statusOnly ??= statusOnlyChange(ev))) continue;
              if (w.statusOnlyWanted !== undefined && (statusOnly ??= statusOnlyChange(ev)) && !w.statusOnlyWanted(ev)) continue;
              if (w.controllerKind !== undefined && (steady ??= steadyControllerKind(ev)) !== "" && steady !== w.controllerKind && steady !== UNCONTROLLED) continue;
              if (w.skipsOrphans && (steady ??= steadyControllerKind(ev)) === UNCONTROLLED) continue;
              if (lazy && w.lazyOrphansOf !== undefined && !this.holdsIn(w.lazyOrphansOf, ev.object.metadata.namespace)) continue;
            }
            w.handler(ev);
          }
        } else {
          for (const w of b.length === 0 && !this.reference ? this.mergedWithNode(key, kindWatchers, after!, a) : mergeBySeq(kindWatchers, a, b)) {
            if (w.removed) continue;
            if (w.filtered && !this.reference) {
              if (w.skipsStatusOnly && (statusOnly ??= statusOnlyChange(ev))) continue;
              if (w.statusOnlyWanted !== undefined && (statusOnly ??= statusOnlyChange(ev)) && !w.statusOnlyWanted(ev)) continue;
              if (w.controllerKind !== undefined && (steady ??= steadyControllerKind(ev)) !== "" && steady !== w.controllerKind && steady !== UNCONTROLLED) continue;
              if (w.skipsOrphans && (steady ??= steadyControllerKind(ev)) === UNCONTROLLED) continue;
              if (lazy && w.lazyOrphansOf !== undefined && !this.holdsIn(w.lazyOrphansOf, ev.object.metadata.namespace)) continue;
            }
            w.handler(ev);
          }
        }
      } else if (key === "Node" && this.nodeWatchersByName.size > 0) {
        const name = ev.object.metadata.name!;
        const a = this.nodeWatchersByName.get(name);
        if (!a || a.length === 0) for (const w of kindWatchers) w.handler(ev);
        else for (const w of this.mergedWithNode(key, kindWatchers, name, a)) if (!w.removed) w.handler(ev);
      } else {
        for (const w of kindWatchers) {
          if (w.filtered && !this.reference) {
            if (w.skipsStatusOnly && (statusOnly ??= statusOnlyChange(ev))) continue;
            if (w.statusOnlyWanted !== undefined && (statusOnly ??= statusOnlyChange(ev)) && !w.statusOnlyWanted(ev)) continue;
            if (w.controllerKind !== undefined && (steady ??= steadyControllerKind(ev)) !== "" && steady !== w.controllerKind && steady !== UNCONTROLLED) continue;
            if (w.skipsOrphans && (steady ??= steadyControllerKind(ev)) === UNCONTROLLED) continue;
            if (lazy && w.lazyOrphansOf !== undefined && !this.holdsIn(w.lazyOrphansOf, ev.object.metadata.namespace)) continue;
          }
          w.handler(ev);
        }
      }
      // (After the handlers: an index applies the pod's noted change before it records this event.)
      if (forget) this.orphanStatus.drop(ev.object.metadata.namespace, ev.object.metadata.name!);
      // Watchers of every kind: a status-only change skips one whose `statusOnlyWanted` answers false.
      for (const w of this.handlers.get("*") ?? NONE) {
        if (w.statusOnlyWanted !== undefined && !this.reference && (statusOnly ??= statusOnlyChange(ev)) && !w.statusOnlyWanted(ev)) continue;
        w.handler(ev);
      }
      if (i > 1_000_000) throw new Error("watch dispatch did not settle: components keep writing in reaction to each other");
    }
    this.pending.length = 0;
    this.pendingKeys.length = 0;
    this.pendingGenerations.length = 0;
  }
}


/**
 * The status bodies of pods `ApiServer.updatePodStatus` stored unbuilt (issue #19 §1, defer24), by the
 * stored pod: the body the status manager handed over, and its frozen copy once read (`builtStatus`).
 * An entry stays only while its pod could not take the copy as its own `status` (a pod frozen before
 * its status was read: `deepFreeze` freezes first and reads after).
 */
const pendingStatus = new WeakMap<object, { body: KObject["status"]; built: KObject["status"] | undefined; json: string | undefined }>();

/** `KUBE_SCENARIO_CHECK_LAZY_STATUS=1`: each build checks that the body is as it was handed over. */
const checkLazyStatus = process.env.KUBE_SCENARIO_CHECK_LAZY_STATUS === "1";
/** `KUBE_SCENARIO_LAZY_STATUS`: `0` every kubelet status write through the plain update, `1` left unbuilt until read, else frozen in place. */
const podStatusWriteMode: "inplace" | "lazy" | "plain" = process.env.KUBE_SCENARIO_LAZY_STATUS === "0" ? "plain" : process.env.KUBE_SCENARIO_LAZY_STATUS === "1" ? "lazy" : "inplace";

/** How many unbuilt statuses were built (tests, benches). */
export const lazyStatusBuilds = { count: 0 };

/**
 * The first read of an unbuilt pod status: the copy `write` would have stored (`freezeCopy`), put in
 * the accessor's place as a plain field (the same key position), the pod then frozen as `write`'s
 * `deepFreeze` leaves it. A pod frozen already (by a reader's `deepFreeze`) keeps the accessor, which
 * answers the same copy from then on.
 */
function builtStatus(pod: KObject): KObject["status"] {
  const p = pendingStatus.get(pod);
  if (p === undefined) throw new Error("a lazily written pod status has no body");
  if (p.built === undefined) {
    if (p.json !== undefined && JSON.stringify(p.body) !== p.json) throw new Error(`the status body of pod ${pod.metadata.namespace}/${pod.metadata.name} changed after it was written`);
    p.built = deepFreeze(p.body);
    p.body = undefined;
    lazyStatusBuilds.count++;
  }
  if (!Object.isFrozen(pod)) {
    Object.defineProperty(pod, "status", { value: p.built, writable: true, enumerable: true, configurable: true });
    Object.freeze(pod);
    pendingStatus.delete(pod);
  }
  return p.built;
}

const LAZY_STATUS: PropertyDescriptor = Object.freeze({
  get(this: KObject) {
    return builtStatus(this);
  },
  enumerable: true,
  configurable: true,
});

/**
 * A pod's status as stored, without building one `updatePodStatus` left unbuilt: for such a pod the
 * body it keeps (the same values the built copy will have; callers only read it), else `status`.
 */
export function podStatusOf(pod: KObject): KObject["status"] {
  const p = pendingStatus.get(pod);
  return p === undefined ? pod.status : p.built ?? p.body;
}

/** Whether a pod's status is stored unbuilt (`updatePodStatus`; tests). */
export function statusUnbuilt(pod: KObject): boolean {
  return pendingStatus.get(pod)?.built === undefined && pendingStatus.has(pod);
}

/** The metadata a create ignores from the request (the server sets them). */
const WELL_TYPED_WRITE: WriteOptions = Object.freeze({ wellTyped: true });

/**
 * A recorded Event the store holds but has not built yet (issue #19 §3/§4, the fast engine,
 * `ApiServer.createDeferredEvent`): the recorder's body (metadata `name` and `namespace` only,
 * unfrozen, held by nobody else), its resourceVersion, creation time and the uid's identity count.
 * It sits in the object maps and the watch queue in the Event's place; every read of Events
 * builds it (`materialize`) into what `createRecordedEvent` would have stored, once: `obj`.
 */
export class DeferredEvent {
  obj: KObject | undefined = undefined;
  /** Whether it is in the object maps unbuilt (counted in `ApiServer.deferred`); a repeat's new record replaces it. */
  placed = true;
  /** The body's metadata as given (`name` and `namespace`): what the maps' bookkeeping reads (`put`). */
  readonly metadata: { readonly name: string; readonly namespace: string };
  constructor(
    readonly body: KObject,
    readonly rv: number,
    readonly created: string,
    readonly identity: number,
  ) {
    this.metadata = body.metadata as { name: string; namespace: string };
  }
}

/** What the store answers a recorded Event's create with: the stored Event, or its deferred record. */
export type StoredEvent = KObject | DeferredEvent;

/** The Event's fields as stored (count, timestamps, series, name): the body of a record not built yet. */
export function storedEventFields(s: StoredEvent): KObject {
  return s instanceof DeferredEvent ? (s.obj ?? s.body) : s;
}

/** The stored Event's resourceVersion. */
export function storedEventVersion(s: StoredEvent): string {
  return s instanceof DeferredEvent ? String(s.rv) : s.metadata.resourceVersion!;
}

/**
 * An upper bound of what the deferred Event's metadata adds to its body's size bound (`boundWalk`):
 * five keys (at most 17 characters each) and their values (a 20-character creation time, a
 * resourceVersion of at most 24 characters, a 36-character uid), counted as boundWalk counts them.
 */
const DEFERRED_META_BOUND = 5 * (4 + 6 * 17) + 3 * (2 + 6 * 36) + 24;

/** Whether the metadata's keys are the first `n` of name, namespace, uid, in that order (the recorder's Event before and after its uid). */
function metaKeysAre(m: Record<string, unknown>, n: number): boolean {
  let i = 0;
  for (const k in m) {
    if (i >= n || k !== (i === 0 ? "name" : i === 1 ? "namespace" : "uid")) return false;
    i++;
  }
  return i === n;
}

interface AdmissionPlan {
  mutating: AdmissionPlugin[];
  validating: AdmissionPlugin[];
}

const SERVER_SET_META = ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

/**
 * A reserved place in the watchers' order (`ApiServer.reserveWatchSlot`): its watches take seqs in
 * (seq, seq + 1), every other watcher has a whole seq. `kinds` lists what was watched in it.
 */
export interface WatchSlot {
  readonly seq: number;
  taken: number;
  readonly kinds: string[];
}

/** The next seq inside a slot: exact binary fractions, increasing, all below slot.seq + 1. */
function slotSeq(slot: WatchSlot, kind: string): number {
  if (slot.taken >= 1 << 20) throw new Error("a watch slot holds at most 2^20 watches");
  slot.kinds.push(kind);
  return slot.seq + ++slot.taken / (1 << 21);
}

interface Watcher {
  seq: number;
  handler: WatchHandler;
  removed: boolean;
  /** A watcher of every kind whose handler ignores Events without owner references (`watch`'s option). */
  skipsOwnerlessEvents: boolean;
  /** A watcher whose handler ignores status-only changes (`watch`'s `ignoresStatusOnly`; called all the same on the reference engine). */
  skipsStatusOnly: boolean;
  /** The controller kind the handler acts for (`watch`'s `controllerKind`; called all the same on the reference engine). */
  controllerKind: string | undefined;
  /** A watcher whose handler ignores objects without a controller (`watch`'s `ignoresOrphans`; called all the same on the reference engine). */
  skipsOrphans: boolean;
  /** The storage key of the controller kind whose presence in a pod's namespace the watcher needs a status-only change of an orphan for (`watch`'s `lazyOrphansOf`). */
  lazyOrphansOf: string | undefined;
  /** For a status-only change, whether the handler would do anything (`watch`'s `statusOnlyWanted`; called all the same on the reference engine). */
  statusOnlyWanted: ((ev: WatchEvent) => boolean) | undefined;
  /** Whether the fast engine may leave the watcher out of an event (skipsStatusOnly, controllerKind, skipsOrphans, lazyOrphansOf or statusOnlyWanted). */
  filtered: boolean;
}

/**
 * Whether a watch event is a MODIFIED that changed only the object's status: every other top-level
 * field the same value (the same object: a status write shares them with the stored version), the
 * metadata with the same keys and, but for resourceVersion, the same values. What a status write
 * (`subresource: "status"`) makes, unless admission or the field manager changed the metadata.
 */
export function statusOnlyChange(ev: WatchEvent): boolean {
  const old = ev.old;
  if (ev.type !== "MODIFIED" || old === undefined) return false;
  const o = ev.object as unknown as Record<string, unknown>;
  const p = old as unknown as Record<string, unknown>;
  let n = 0;
  for (const k in o) {
    n++;
    if (k !== "status" && k !== "metadata" && o[k] !== p[k]) return false;
  }
  for (const _ in p) n--;
  if (n !== 0) return false;
  const m = ev.object.metadata as Record<string, unknown>;
  const q = old.metadata as Record<string, unknown>;
  if (m === q) return true;
  n = 0;
  for (const k in m) {
    n++;
    if (k !== "resourceVersion" && m[k] !== q[k]) return false;
  }
  for (const _ in q) n--;
  return n === 0;
}
const NONE: Watcher[] = [];

/**
 * Whether a Pod event created or deleted a pod, or changed its phase, node, deletion timestamp or
 * creation timestamp (`ApiServer.lastPodLifecycleChange`): every field the pod garbage collector
 * reads of a pod to decide (upstream gc_controller.go: `gcTerminated` the phase and creation time,
 * `gcTerminating` the deletion timestamp and node, `gcOrphaned` the node,
 * `gcUnscheduledTerminating` the deletion timestamp and node).
 */
export function podLifecycleChange(ev: WatchEvent): boolean {
  const old = ev.old;
  if (ev.type !== "MODIFIED" || old === undefined) return true;
  const o = ev.object;
  return (
    podStatusOf(o)?.phase !== podStatusOf(old)?.phase ||
    o.spec?.nodeName !== old.spec?.nodeName ||
    o.metadata.deletionTimestamp !== old.metadata.deletionTimestamp ||
    o.metadata.creationTimestamp !== old.metadata.creationTimestamp ||
    o.metadata.uid !== old.metadata.uid
  );
}

/** `steadyControllerKind`'s answer for an object without a controller before and after the change (not a kind's name: it has a space). */
export const UNCONTROLLED = "(no controller)";

/**
 * The kind of the owner that controls the event's object before and after the change: an ADDED or
 * MODIFIED event whose object has a controller reference (`controller: true`, the first one, as
 * `metav1.GetControllerOf`) with the same uid and kind as its previous version's (MODIFIED).
 * UNCONTROLLED for an ADDED or MODIFIED event whose object has no controller reference, nor had one
 * before (MODIFIED). "" for a DELETED event, a MODIFIED without its previous version, or a change of
 * controller (released, adopted, another owner): what every watcher gets.
 */
export function steadyControllerKind(ev: WatchEvent): string {
  if (ev.type === "DELETED") return "";
  const ref = controllerOf(ev.object);
  if (ref === undefined) {
    if (ev.type === "ADDED") return UNCONTROLLED;
    if (ev.type === "MODIFIED" && ev.old !== undefined && controllerOf(ev.old) === undefined) return UNCONTROLLED;
    return "";
  }
  if (typeof ref.kind !== "string") return "";
  if (ev.type === "MODIFIED") {
    const was = ev.old === undefined ? undefined : controllerOf(ev.old);
    if (was === undefined || was.uid !== ref.uid || was.kind !== ref.kind) return "";
  } else if (ev.type !== "ADDED") return "";
  return ref.kind;
}

/** The object's controller reference, as the controllers' `controllerRef` finds it (the first with `controller` set). */
function controllerOf(obj: KObject): { kind?: unknown; uid?: unknown } | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i].controller) return refs[i];
  return undefined;
}

/** The watchers of three lists (each in subscription order) in subscription order. */
function mergeBySeq(x: Watcher[], y: Watcher[], z: Watcher[]): Watcher[] {
  const out = [...x, ...y, ...z];
  return out.sort((p, q) => p.seq - q.seq);
}

/**
 * Refuses an object whose JSON encoding is over MAX_OBJECT_BYTES (bytes counted only when the text
 * could be over). The fast engine first bounds the encoding's size from above without serialising
 * (`jsonBytesBound`) and serialises only when the bound is over the limit.
 */
function checkSize(obj: KObject, reference: boolean): void {
  if (!reference && boundWalk(obj, 0, MAX_OBJECT_BYTES, true) <= MAX_OBJECT_BYTES) return;
  const text = JSON.stringify(obj);
  if (text.length > MAX_OBJECT_BYTES || (text.length * 3 > MAX_OBJECT_BYTES && Buffer.byteLength(text, "utf8") > MAX_OBJECT_BYTES)) throw requestTooLarge();
}

/**
 * SetDefaults_Service's LoadBalancerIPMode part (beta, on by default in v1.32), which the status
 * write's decoding applies: an ingress with an `ip` and no `ipMode` is a `VIP`. Returns the status
 * itself when nothing is missing, else a defaulted copy (the given one may be frozen).
 */
function defaultLoadBalancerIPMode(status: KObject["status"]): KObject["status"] {
  const ingress = status?.loadBalancer?.ingress;
  if (!Array.isArray(ingress) || !ingress.some((i) => i && typeof i === "object" && i.ip && (i.ipMode === undefined || i.ipMode === null))) return status;
  const copy = clone(status);
  for (const i of copy.loadBalancer.ingress) if (i && typeof i === "object" && i.ip && (i.ipMode === undefined || i.ipMode === null)) i.ipMode = "VIP";
  return copy;
}

/**
 * An upper bound of the UTF-8 bytes of `JSON.stringify(v)`, walking the value once without building
 * the text; stops (returning more than `limit`) as soon as the bound passes `limit`. Each UTF-16 unit
 * of a string or key is at most 6 bytes (a `\uXXXX` escape; unescaped it is at most 3 bytes of
 * UTF-8), a number at most 24 characters; `undefined` and functions count as `null`. Anything not
 * plain JSON data (a Date, a class instance with toJSON) gives Infinity: the caller serialises.
 */
export function jsonBytesBound(v: unknown, limit: number): number {
  return boundWalk(v, 0, limit);
}

/**
 * The bound of each frozen object met by the size check (issue #19 §3, the fast engine): a frozen
 * object's content cannot change, so neither can its bound. Only complete bounds (at most the limit)
 * are kept; each is the value the walk finds, so the check answers exactly as without them. A write
 * that shares the stored version's unchanged parts (a status write, the kubelet's) walks only what is new.
 */
const frozenBounds = new WeakMap<object, number>();

/**
 * `total` plus the bound of `x`; stops once past `limit` (a plain function: no closure per call).
 * `memo`: frozen objects' bounds are looked up and kept (`frozenBounds`), the outermost only.
 */
function boundWalk(x: unknown, total: number, limit: number, memo = false): number {
  switch (typeof x) {
    case "string":
      // Serialising flattened every string it met (a string built by concatenation is a tree of
      // parts until something flattens it, ~40 % more heap for an Event's name and message);
      // reading a character flattens it the same way, so what is stored takes what it took.
      if (x.length >= 13) x.charCodeAt(0);
      return total + 2 + 6 * x.length;
    case "number":
      return total + 24;
    case "object": {
      if (x === null) return total + 4;
      if (memo && Object.isFrozen(x)) {
        let b = frozenBounds.get(x);
        if (b === undefined) {
          b = boundWalk(x, 0, limit);
          if (b > limit) return total + b;
          frozenBounds.set(x, b);
        }
        return total + b;
      }
      if (Array.isArray(x)) {
        total += 2 + x.length;
        for (let i = 0; i < x.length && total <= limit; i++) total = boundWalk(x[i], total, limit, memo);
        return total;
      }
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return Infinity;
      total += 2;
      const o = x as Record<string, unknown>;
      for (const k in o) {
        if (total > limit) break;
        total = boundWalk(o[k], total + 4 + 6 * k.length, limit, memo);
      }
      return total;
    }
    case "bigint":
      return Infinity; // JSON.stringify throws: let it
    default:
      // boolean (at most "false"); undefined, function, symbol ("null" in an array, nothing in an object)
      return total + 5;
  }
}

/** The size bound `copyFrozen` adds up (a module variable: no object per call). */
let copyBound = 0;

/**
 * `cloneUnfrozen(v)` already deep-frozen (frozen parts shared, the rest copied, then frozen as
 * `deepFreeze` would), with the copy's size bound kept in `frozenBounds` when it is complete (at
 * most the limit). The bound is summed as the copy is made, exactly as `boundWalk` adds it up (a
 * walk that never passes the limit is a plain sum of its parts' bounds), so the size check that
 * follows finds it and answers as a walk would.
 */
function freezeCopy<T>(v: T): T {
  copyBound = 0;
  const out = copyFrozen(v);
  if (out !== null && typeof out === "object" && out !== (v as unknown) && copyBound <= MAX_OBJECT_BYTES) frozenBounds.set(out, copyBound);
  return out as T;
}

/**
 * `v` deep-frozen in place (`deepFreeze`: the unfrozen objects frozen, the frozen subtrees left as
 * they are) with its size bound kept in `frozenBounds` when it is complete (at most the limit),
 * summed as `freezeCopy` sums a copy's (issue #19, status25: the kubelet's status handed over to
 * `ApiServer.updatePodStatus`, stored itself instead of a copy). So the size check that follows finds
 * the bound and answers as a walk would.
 */
function freezeInPlace<T>(v: T): T {
  copyBound = 0;
  freezeWalk(v);
  if (v !== null && typeof v === "object" && copyBound <= MAX_OBJECT_BYTES) frozenBounds.set(v, copyBound);
  return v;
}

/** A frozen subtree's size bound added to `copyBound` (kept in `frozenBounds` when complete): shared by `freezeWalk` and `copyFrozen`. */
function addFrozenBound(x: object): void {
  let b = frozenBounds.get(x);
  if (b === undefined) {
    b = boundWalk(x, 0, MAX_OBJECT_BYTES);
    if (b <= MAX_OBJECT_BYTES) frozenBounds.set(x, b);
  }
  copyBound += b;
}

/** `copyFrozen` without the copy: freezes `x`'s unfrozen objects in place, adding up the bound. */
function freezeWalk(x: unknown): void {
  switch (typeof x) {
    case "string":
      if (x.length >= 13) x.charCodeAt(0); // flattened, as boundWalk flattens it
      copyBound += 2 + 6 * x.length;
      return;
    case "number":
      copyBound += 24;
      return;
    case "object": {
      if (x === null) {
        copyBound += 4;
        return;
      }
      if (Object.isFrozen(x)) {
        addFrozenBound(x);
        return;
      }
      Object.freeze(x);
      if (Array.isArray(x)) {
        copyBound += 2 + x.length;
        for (let i = 0; i < x.length; i++) freezeWalk(x[i]);
        return;
      }
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) {
        // Not plain JSON data: frozen as deepFreeze freezes it, no bound (the size check serialises).
        copyBound = Infinity;
        const r = x as Record<string, unknown>;
        for (const k in r) deepFreeze(r[k]);
        return;
      }
      copyBound += 2;
      const o = x as Record<string, unknown>;
      for (const k in o) {
        copyBound += 4 + 6 * k.length;
        freezeWalk(o[k]);
      }
      return;
    }
    case "bigint":
      copyBound = Infinity;
      return;
    default:
      copyBound += 5;
  }
}

function copyFrozen(x: unknown): unknown {
  switch (typeof x) {
    case "string":
      if (x.length >= 13) x.charCodeAt(0); // flattened, as boundWalk flattens it
      copyBound += 2 + 6 * x.length;
      return x;
    case "number":
      copyBound += 24;
      return x;
    case "object": {
      if (x === null) {
        copyBound += 4;
        return x;
      }
      if (Object.isFrozen(x)) {
        addFrozenBound(x);
        return x;
      }
      if (Array.isArray(x)) {
        copyBound += 2 + x.length;
        const out: unknown[] = new Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = copyFrozen(x[i]);
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) {
        copyBound = Infinity;
        return deepFreeze(structuredClone(x));
      }
      copyBound += 2;
      const src = x as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k in src) {
        copyBound += 4 + 6 * k.length;
        out[k] = copyFrozen(src[k]);
      }
      return Object.freeze(out);
    }
    case "bigint":
      copyBound = Infinity;
      return x;
    default:
      copyBound += 5;
      return x;
  }
}

export function notFound(r: ResourceType, name: string): ApiError {
  return newNotFound(r, name);
}

const sub = (opts: WriteOptions): Subresource => opts.subresource ?? "";
const objectKey = (obj: KObject) => key(obj.metadata.namespace, obj.metadata.name!);

/** Whether an update changes what metadata.generation counts: all but metadata and status (the spec, a webhook list, ...). */
function generationChanged(obj: KObject, old: KObject, r: ResourceType): boolean {
  if (!r.crd && (obj.spec !== undefined || old.spec !== undefined)) return !jsonEqual(obj.spec, old.spec);
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const k of keys) {
    if (k === "metadata" || k === "status" || k === "apiVersion" || k === "kind") continue;
    if (!jsonEqual(obj[k], old[k])) return true;
  }
  return false;
}

/**
 * Puts the stored version's own (frozen) object in place of each part of the written spec that
 * serialises the same (`jsonEqual`: the same JSON text, key order included), so the stored object
 * reads and serialises exactly as it would have.
 */
function shareUnchangedSpec(obj: KObject, old: KObject): void {
  const spec = obj.spec;
  const was = old.spec;
  if (!spec || typeof spec !== "object" || Object.isFrozen(spec) || !was || typeof was !== "object") return;
  for (const k in spec) {
    const v = spec[k];
    const o = was[k];
    if (v !== o && v !== null && typeof v === "object" && o !== null && typeof o === "object" && Object.isFrozen(o) && jsonEqual(v, o)) spec[k] = o;
  }
}

function byNamespaceAndName(a: KObject, b: KObject): number {
  const na = a.metadata.namespace ?? "";
  const nb = b.metadata.namespace ?? "";
  if (na !== nb) return na < nb ? -1 : 1;
  const x = a.metadata.name ?? "";
  const y = b.metadata.name ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders metadata keys as the API server serialises ObjectMeta, so YAML output reads as kubectl's. */
const META_ORDER = [
  "annotations", "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers", "generateName",
  "generation", "labels", "name", "namespace", "ownerReferences", "resourceVersion", "uid",
];
const META_RANK = new Map(META_ORDER.map((k, i) => [k, i]));
/** The fast engine keeps metadata already in that order (`metaInOrder`); the reference engine rebuilds it every time. */
/** A metav1.MicroTime as the clock writes it (`SimClock.nowMicroRFC3339`): UTC, six fractional digits. */
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function reorderMeta(obj: KObject, reference: boolean): void {
  const m = obj.metadata;
  if (!reference && metaInOrder(m)) return;
  const out: Record<string, unknown> = {};
  for (const k of META_ORDER) if (m[k] !== undefined) out[k] = m[k];
  for (const k of Object.keys(m)) if (!(k in out) && m[k] !== undefined) out[k] = m[k];
  obj.metadata = out as KObject["metadata"];
}

/**
 * Whether `reorderMeta` would build the same keys in the same order with the same values: the
 * known keys in META_ORDER's order, then the others, none holding undefined. The metadata is then
 * kept as it is (an unfrozen object, as the rebuilt one would be).
 */
function metaInOrder(m: Record<string, unknown>): boolean {
  if (Object.isFrozen(m)) return false;
  let last = -1;
  for (const k in m) {
    if (m[k] === undefined) return false;
    const rank = META_RANK.get(k) ?? META_ORDER.length;
    if (rank < last) return false;
    last = rank;
  }
  return true;
}

/** `ApiServer.ownedBy`'s index: `obj` (stored under `k`) under its controller's uid, out of the one it had. */
function indexOwner(idx: { byOwner: Map<string, Map<string, KObject>>; ownerOf: Map<string, string> }, k: string, obj: KObject): void {
  const refs = obj.metadata.ownerReferences;
  let uid: string | undefined;
  if (refs) {
    for (let i = 0; i < refs.length; i++) {
      if (refs[i]!.controller) {
        uid = refs[i]!.uid;
        break;
      }
    }
  }
  const before = idx.ownerOf.get(k);
  if (before !== undefined && before !== uid) unindexOwner(idx, k);
  if (uid === undefined) return;
  let m = idx.byOwner.get(uid);
  if (!m) idx.byOwner.set(uid, (m = new Map()));
  m.set(k, obj);
  idx.ownerOf.set(k, uid);
}

function unindexOwner(idx: { byOwner: Map<string, Map<string, KObject>>; ownerOf: Map<string, string> }, k: string): void {
  const uid = idx.ownerOf.get(k);
  if (uid === undefined) return;
  idx.ownerOf.delete(k);
  const m = idx.byOwner.get(uid)!;
  m.delete(k);
  if (m.size === 0) idx.byOwner.delete(uid);
}
