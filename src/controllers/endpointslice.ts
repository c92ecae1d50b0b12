/**
 * The EndpointSlice controller (pkg/controller/endpointslice, staging/src/k8s.io/endpointslice
 * reconciler.go and utils.go podToEndpoint): for every Service with a selector, EndpointSlices
 * named `<service>-<5 random chars>` (generateName), labelled `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, owned by the Service,
 * with one endpoint per selected pod: conditions `serving` (pod Ready), `terminating` (being
 * deleted) and `ready` (publishNotReadyAddresses, or serving and not terminating), plus nodeName,
 * zone and targetRef. Unlike the Endpoints controller it keeps terminating pods. At most 100
 * endpoints per slice; a Service with no endpoints keeps one empty placeholder slice.
 */
import type { Component, ClusterContext } from "../context.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import type { DiscoveryV1EndpointPort } from "../api/types.gen.ts";
import { ApiError } from "../api/errors.ts";
import type { WriteOptions } from "../api/store.ts";
import { podIP, shouldPodBeInEndpoints } from "../network/podutil.ts";
import { findPort, isPodReady } from "../api/pod/util.ts";
import { LAST_CHANGE_TRIGGER_TIME, ServiceInformer, TriggerTimeTracker } from "./servicequeue.ts";
import { Controller } from "./controller.ts";
import { splitKey } from "./queue.ts";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: "Pod"; name: string; namespace: string; uid: string };
  zone?: string;
}

/** utils.go podToEndpoint. */
export function podToEndpoint(pod: KObject, node: KObject | undefined, svc: KObject): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: [podIP(pod)!],
    conditions: { ready, serving, terminating },
    targetRef: { kind: "Pod", name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.["topology.kubernetes.io/zone"];
  if (zone) ep.zone = zone;
  if (pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
  return ordered(ep);
}

function ordered(ep: SliceEndpoint): SliceEndpoint {
  return {
    addresses: ep.addresses,
    conditions: ep.conditions,
    ...(ep.hostname ? { hostname: ep.hostname } : {}),
    ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
    targetRef: ep.targetRef,
    ...(ep.zone ? { zone: ep.zone } : {}),
  };
}

/** The desired endpoints of a Service grouped by their resolved port set. */
export function desiredEndpoints(
  svc: KObject,
  pods: KObject[],
  nodeOf: (name: string) => KObject | undefined,
  memo?: WeakMap<KObject, PodEndpoint>,
): Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: SliceEndpoint[] }> {
  return groupEndpoints(pods, (pod) => podEndpointOf(svc, pod, nodeOf, memo));
}

/** The pods' endpoints grouped by their resolved port set, in the pods' order. */
function groupEndpoints(pods: Iterable<KObject>, endpointOf: (pod: KObject) => PodEndpoint): Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: SliceEndpoint[] }> {
  const groups = new Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    const e = endpointOf(pod);
    if (!e.endpoint) continue;
    let g = groups.get(e.key);
    if (!g) groups.set(e.key, (g = { ports: e.ports, endpoints: [] }));
    g.endpoints.push(e.endpoint);
  }
  return groups;
}

/**
 * A pod version's endpoint for a Service version and the zone of its node now, kept per stored pod
 * version when `memo` is given. With `kept` (the fast engine), a frozen pod version's endpoint is
 * built from parts kept across versions (`keptPodEndpoint`): `prev`, the pod's endpoint as of the
 * last sync, and the resolved ports per Service version and frozen pod spec.
 */
function podEndpointOf(
  svc: KObject,
  pod: KObject,
  nodeOf: (name: string) => KObject | undefined,
  memo?: WeakMap<KObject, PodEndpoint>,
  prev?: PodEndpoint,
  kept?: WeakMap<object, SpecPorts>,
): PodEndpoint {
  const node = pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
  const zone = zoneOf(node);
  let e = memo?.get(pod);
  if (!e || e.svc !== svc || e.zone !== zone) {
    const frozen = Object.isFrozen(pod) && Object.isFrozen(svc);
    e = kept !== undefined && frozen ? keptPodEndpoint(svc, pod, node, zone, prev, kept) : podEndpoint(svc, pod, node, zone);
    if (memo && frozen) memo.set(pod, e);
  }
  return e;
}

/** A Service version's resolved ports for a pod spec and their group key (they read only the spec's container ports). */
interface SpecPorts {
  svc: KObject;
  key: string;
  ports: DiscoveryV1EndpointPort[];
}

/** `podEndpoint`'s ports and key for this pod, kept per frozen spec. */
function specPorts(svc: KObject, pod: KObject, kept: WeakMap<object, SpecPorts>): SpecPorts {
  const spec = pod.spec;
  const k = spec !== undefined ? kept.get(spec) : undefined;
  if (k !== undefined && k.svc === svc) return k;
  const ports: DiscoveryV1EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port instanceof Error) continue;
    ports.push({ name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  const r: SpecPorts = { svc, key: JSON.stringify(ports), ports };
  if (spec !== undefined && Object.isFrozen(spec)) kept.set(spec, r);
  return r;
}

/**
 * What `podEndpoint` gives, from kept parts: the ports of the spec, and `prev`'s endpoint object
 * when the new one would have the same fields (then `prev` itself when the ports are the same too).
 */
function keptPodEndpoint(svc: KObject, pod: KObject, node: KObject | undefined, zone: string | undefined, prev: PodEndpoint | undefined, kept: WeakMap<object, SpecPorts>): PodEndpoint {
  const usable = prev !== undefined && prev.svc === svc && prev.zone === zone ? prev : undefined;
  if (!shouldPodBeInEndpoints(pod, true)) return usable !== undefined && usable.endpoint === undefined ? usable : { svc, zone, key: "", ports: [], endpoint: undefined };
  const sp = specPorts(svc, pod, kept);
  if ((svc.spec?.ports ?? []).length > 0 && sp.ports.length === 0) return usable !== undefined && usable.endpoint === undefined ? usable : { svc, zone, key: "", ports: [], endpoint: undefined };
  const old = usable?.endpoint;
  const endpoint = old !== undefined && sameEndpointFields(old, svc, pod, zone) ? old : podToEndpoint(pod, node, svc);
  if (usable !== undefined && endpoint === old && usable.key === sp.key) return usable;
  return { svc, zone, key: sp.key, ports: sp.ports, endpoint };
}

/** Whether `podToEndpoint(pod, node, svc)`, for a node in `zone`, would have the fields (and so the JSON) of `e`. */
function sameEndpointFields(e: SliceEndpoint, svc: KObject, pod: KObject, zone: string | undefined): boolean {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
  const t = e.targetRef;
  return (
    e.addresses.length === 1 &&
    e.addresses[0] === podIP(pod) &&
    e.conditions.ready === ready &&
    e.conditions.serving === serving &&
    e.conditions.terminating === terminating &&
    e.hostname === hostname &&
    e.nodeName === (pod.spec?.nodeName || undefined) &&
    e.zone === (zone || undefined) &&
    t.name === pod.metadata.name &&
    t.namespace === pod.metadata.namespace &&
    t.uid === pod.metadata.uid
  );
}

function zoneOf(node: KObject | undefined): string | undefined {
  return node?.metadata.labels?.["topology.kubernetes.io/zone"];
}

/** Whether two pod endpoints put the same endpoint in the same port group. */
function sameEndpoint(a: PodEndpoint, b: PodEndpoint): boolean {
  return a === b || (a.key === b.key && jsonEqual(a.endpoint ?? null, b.endpoint ?? null));
}

/**
 * The fast engine's per-Service record (issue #19): the Service version it was built for, each
 * selected pod's endpoint as of the last sync, the zone then of every node those pods ran on, and
 * the Service's slices as the last sync found them equal to its answer (undefined after a write, a
 * failure or a rebuild).
 */
interface ServiceRecord {
  svc: KObject;
  contrib: Map<string, PodEndpoint>;
  zones: Map<string, string | undefined>;
  /** The store's `lastChangeOf("Node")` when `zones` was last found current: while it stays, every node is the object it was then. */
  nodesAt: number;
  seen: KObject[] | undefined;
  /**
   * When `seen` holds one slice whose endpoints are one port group's (at most 100): that group's key
   * (`PodEndpoint.key`); a sync may then patch that slice's endpoints (`patchEndpoints`).
   */
  seenKey: string | undefined;
  /** The slices' labels for `svc` (labels of the Service's version, sorted). */
  labels: Record<string, string> | undefined;
  /**
   * The Service's managed slices as the last sync left them, in `syncService`'s order (sorted by
   * creation time and name), valid while no one else wrote a slice (`foreign` is the controller's
   * count of others' slice writes then).
   */
  slices: KObject[] | undefined;
  foreign: number;
}

/** A named pod whose endpoint changed at a sync: the endpoint before (undefined: none) and now. */
interface EndpointChange {
  old: SliceEndpoint | undefined;
  oldKey: string;
  now: SliceEndpoint | undefined;
  nowKey: string;
}

/**
 * The endpoints of the answer when only `changes` differ from the last one (the fast engine): the
 * last answer's one slice holds every endpoint of one port group, sorted by address (the pods'
 * selection order breaking ties); the changed pods' endpoints leave it (found by their pod's uid,
 * which no two pods share) and their new ones go in at their address's place. Undefined — build
 * the answer in full — when a change is not in that group, an address ties with another (its place
 * then depends on the selection's order), or the answer would not be one slice of endpoints.
 */
function patchEndpoints(prev: SliceEndpoint[], key: string, changes: EndpointChange[]): SliceEndpoint[] | undefined {
  const out = prev.slice();
  for (const c of changes) {
    if (c.old !== undefined) {
      if (c.oldKey !== key) return undefined;
      const uid = c.old.targetRef.uid;
      let i = out.indexOf(c.old);
      if (i < 0) for (let j = 0; j < out.length && i < 0; j++) if (out[j]!.targetRef.uid === uid) i = j;
      if (i < 0) return undefined;
      out.splice(i, 1);
    }
  }
  for (const c of changes) {
    if (c.now === undefined) continue;
    if (c.nowKey !== key || c.now.addresses.length !== 1) return undefined;
    const a = c.now.addresses[0]!;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid]!.addresses[0]! < a) lo = mid + 1;
      else hi = mid;
    }
    if (lo < out.length && out[lo]!.addresses[0] === a) return undefined;
    out.splice(lo, 0, c.now);
  }
  if (out.length === 0 || out.length > MAX_ENDPOINTS_PER_SLICE) return undefined;
  return out;
}

/**
 * A pod version's endpoint for a Service version, with its resolved ports and their group key
 * (undefined when the pod is not an endpoint). The endpoint depends on nothing else but the zone of
 * the pod's node, kept with it. The fast engine keeps these per stored pod version (issue #19).
 */
export interface PodEndpoint {
  svc: KObject;
  zone: string | undefined;
  key: string;
  ports: DiscoveryV1EndpointPort[];
  endpoint: SliceEndpoint | undefined;
}

function podEndpoint(svc: KObject, pod: KObject, node: KObject | undefined, zone: string | undefined): PodEndpoint {
  const none: PodEndpoint = { svc, zone, key: "", ports: [], endpoint: undefined };
  if (!shouldPodBeInEndpoints(pod, true)) return none;
  const ports: DiscoveryV1EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port instanceof Error) continue;
    ports.push({ name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) return none;
  return { svc, zone, key: JSON.stringify(ports), ports, endpoint: podToEndpoint(pod, node, svc) };
}

/** The label selector of a Service's slices managed by this controller (an unnamed function: tsx keeps named closures' names at a cost per sync). */
function managedSlicesOf(name: string): (l: Record<string, string>) => boolean {
  return (l) => l[SERVICE_NAME_LABEL] === name && l[MANAGED_BY_LABEL] === CONTROLLER_NAME;
}

export class EndpointSliceController extends Controller {
  readonly name = "endpointslice-controller";
  /** The Service and pod informers' caches; their changes queue the Service's key. */
  private readonly services: ServiceInformer;
  private readonly triggers: TriggerTimeTracker;
  /** The fast engine's per-pod endpoints (absent on the reference engine). */
  private readonly endpoints: WeakMap<KObject, PodEndpoint> | undefined;
  /** The fast engine's per-Service records, by namespace/name. */
  private readonly records = new Map<string, ServiceRecord>();
  /** The fast engine's resolved ports per frozen pod spec (see `specPorts`). */
  private readonly specPorts = new WeakMap<object, SpecPorts>();

  constructor(ctx: ClusterContext) {
    super(ctx);
    this.services = new ServiceInformer(ctx, (kind, handler, opts) => this.watch(kind, handler, opts), (key) => this.queue.add(key), "EndpointSlice");
    this.endpoints = ctx.reference ? undefined : new WeakMap();
    this.triggers = new TriggerTimeTracker(!ctx.reference);
  }

  start(): void {
    this.services.start();
    if (this.endpoints) {
      this.unhook = this.ctx.api.onChangeOf("EndpointSlice", () => {
        if (!this.writing) this.foreignWrites++;
      });
    }
  }

  override stop(): void {
    super.stop();
    this.unhook?.();
    this.unhook = undefined;
  }

  /** The fast engine: how many EndpointSlice writes others made (every write not made by `syncService`). */
  private foreignWrites = 0;
  /** Whether `syncService` is writing slices (its own writes are not others'). */
  private writing = false;
  private unhook: (() => void) | undefined;

  protected override syncHandler(key: string): void {
    const [namespace, name] = splitKey(key);
    this.syncService(namespace!, name);
  }

  private slicesOf(namespace: string, name: string): KObject[] {
    return this.ctx.api.list("EndpointSlice", { namespace, labelSelector: managedSlicesOf(name) });
  }

  /** A node by name (one function for every sync). */
  private readonly nodeOf = (n: string): KObject | undefined => this.ctx.api.get("Node", undefined, n);

  /**
   * Brings the Service's record up to date with the named pods (the fast engine) and says whether
   * any endpoint may have changed: a pod that left the selection or joined it as an endpoint, an
   * endpoint that differs, or a node whose zone is not the one last seen. A new Service version,
   * a rebuilt selection or a changed zone rebuilds the record, so that it holds every selected
   * pod's endpoint as of now.
   */
  private noteChanges(key: string, svc: KObject, dirty: Set<string> | true | undefined, nodeOf: (name: string) => KObject | undefined, changes?: EndpointChange[]): boolean {
    const memo = this.endpoints!;
    const record = this.records.get(key);
    if (!record || record.svc !== svc || dirty === true) {
      const contrib = new Map<string, PodEndpoint>();
      const zones = new Map<string, string | undefined>();
      for (const pod of this.services.podsFor(svc)) {
        const e = podEndpointOf(svc, pod, nodeOf, memo, record?.contrib.get(pod.metadata.name!), this.specPorts);
        contrib.set(pod.metadata.name!, e);
        if (pod.spec?.nodeName) zones.set(pod.spec.nodeName, e.zone);
      }
      const slices = record?.slices;
      const foreign = record?.foreign ?? -1;
      this.records.set(key, { svc, contrib, zones, nodesAt: this.ctx.api.lastChangeOf("Node"), seen: undefined, seenKey: undefined, labels: undefined, slices, foreign });
      if (changes) changes.length = 0;
      return true;
    }
    // A node's zone changed: every endpoint on it changes, so the record is rebuilt. No Node
    // written since the last look (the store's last Node change is the same) leaves every node
    // the object it was, and so every zone.
    const nodesAt = this.ctx.api.lastChangeOf("Node");
    if (nodesAt !== record.nodesAt) {
      for (const [n, z] of record.zones) if (zoneOf(nodeOf(n)) !== z) return this.noteChanges(key, svc, true, nodeOf);
      record.nodesAt = nodesAt;
    }
    let changed = false;
    for (const n of dirty ?? []) {
      const pod = this.services.selectedPod(key, n);
      const old = record.contrib.get(n);
      if (!pod) {
        if (old) {
          record.contrib.delete(n);
          if (old.endpoint) {
            changed = true;
            changes?.push({ old: old.endpoint, oldKey: old.key, now: undefined, nowKey: "" });
          }
        }
        continue;
      }
      const e = podEndpointOf(svc, pod, nodeOf, memo, old, this.specPorts);
      if (old ? !sameEndpoint(old, e) : !!e.endpoint) {
        changed = true;
        changes?.push({ old: old?.endpoint, oldKey: old?.key ?? "", now: e.endpoint, nowKey: e.key });
      }
      record.contrib.set(n, e);
      if (pod.spec?.nodeName) record.zones.set(pod.spec.nodeName, e.zone);
    }
    return changed;
  }

  syncService(namespace: string, name: string): void {
    const api = this.ctx.api;
    const svc = api.get("Service", namespace, name);
    const key = `${namespace}/${name}`;
    // The fast engine keeps the Service's slices as its last sync left them while no one else wrote
    // a slice (`foreignWrites`: counted as each write is made, so a write not yet dispatched counts).
    const kept = this.endpoints ? this.records.get(key) : undefined;
    const existing =
      kept !== undefined && kept.slices !== undefined && kept.foreign === this.foreignWrites
        ? kept.slices
        : this.slicesOf(namespace, name).sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name!.localeCompare(b.metadata.name!));
    if (!svc || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0 || svc.spec.type === "ExternalName") {
      // Slices of a deleted Service are garbage-collected through their owner reference; do it here.
      if (!svc) {
        this.triggers.forget(namespace, name);
        this.records.delete(key);
        for (const s of existing) api.delete("EndpointSlice", namespace, s.metadata.name!);
      } else if (kept !== undefined) kept.slices = undefined;
      return;
    }
    const nodeOf = this.nodeOf;
    let record: ServiceRecord | undefined;
    let trigger: string | undefined;
    const desired: Array<{ ports: DiscoveryV1EndpointPort[]; endpoints: SliceEndpoint[] }> = [];
    /** The answer's one port group's key when it is one slice of endpoints (see `ServiceRecord.seenKey`). */
    let answerKey: string | undefined;
    if (this.endpoints) {
      // The fast engine (issue #19): look only at the pods whose events touched the selection
      // since the last sync, and at the zones of the nodes the selected pods run on. If no endpoint
      // changed and the Service's slices are the objects the last sync found equal to its answer,
      // this sync's answer is that answer again: the plain sync would write nothing.
      const dirty = this.services.takeDirty(key);
      trigger = this.triggers.computeChanged(svc, dirty, () => this.services.podsFor(svc), (n) => this.services.selectedPod(key, n));
      const changes: EndpointChange[] = [];
      const changed = this.noteChanges(key, svc, dirty, nodeOf, changes);
      record = this.records.get(key)!;
      record.slices = existing;
      record.foreign = this.foreignWrites;
      const seen = record.seen;
      const seenKey = record.seenKey;
      if (!changed && seen && seen.length === existing.length && seen.every((s, i) => s === existing[i])) return;
      record.seen = undefined;
      record.seenKey = undefined;
      // The record holds every selected pod's endpoint as of now (zones included: a changed zone
      // rebuilt it). When the stored slice is the last answer, one port group in one slice, the
      // answer is that slice's endpoints with the changed pods' moved (`patchEndpoints`).
      const consistent = this.services.selectionSize(key) === record.contrib.size;
      const patched =
        consistent && seen !== undefined && seenKey !== undefined && seen.length === 1 && existing.length === 1 && seen[0] === existing[0]
          ? patchEndpoints(existing[0]!.endpoints ?? [], seenKey, changes)
          : undefined;
      if (patched !== undefined) {
        desired.push({ ports: existing[0]!.ports ?? [], endpoints: patched });
        answerKey = seenKey;
      } else {
        // Grouped from the record, in the selection's order as before (the order breaks ties
        // between equal addresses).
        const kept = record.contrib;
        const memo = this.endpoints;
        const groups = groupEndpoints(this.services.selection(key), (pod) => kept.get(pod.metadata.name!) ?? podEndpointOf(svc, pod, nodeOf, memo));
        this.chunk(groups, desired);
        if (consistent && groups.size === 1 && desired.length === 1 && desired[0]!.endpoints.length > 0) answerKey = groups.keys().next().value;
      }
    } else {
      const pods = this.services.podsFor(svc);
      this.chunk(desiredEndpoints(svc, pods, nodeOf), desired);
      trigger = this.triggers.compute(svc, pods);
    }
    // The placeholder slice: a Service selecting nothing still has one slice, with no endpoints.
    if (desired.length === 0) desired.push({ ports: [], endpoints: [] });

    let sortedLabels = record?.labels;
    if (sortedLabels === undefined) {
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
      labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
      labels[SERVICE_NAME_LABEL] = name;
      if (svc.spec.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
      sortedLabels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
      // Kept for the Service's version (the record is rebuilt for another); frozen by the store
      // with the first slice written with it, and only ever read.
      if (record) record.labels = sortedLabels;
    }
    const labelsOf = sortedLabels;

    let wrote = false;
    let created = false;
    this.writing = true;
    // Written from here on: kept again below only if every write went as planned.
    if (record) record.slices = undefined;
    try {
      desired.forEach((d, i) => {
        const cur = existing[i];
        created ||= !cur;
        const body = {
          addressType: "IPv4",
          endpoints: d.endpoints.length ? d.endpoints : null,
          ports: d.ports.length ? d.ports : null,
        };
        if (cur) {
          // The fast engine compares in place (jsonEqual: JSON.stringify's equality without the strings).
          const same = this.endpoints
            ? jsonEqual([cur.endpoints ?? null, cur.ports ?? null, cur.metadata.labels], [body.endpoints, body.ports, labelsOf])
            : JSON.stringify([cur.endpoints ?? null, cur.ports ?? null, cur.metadata.labels]) === JSON.stringify([body.endpoints, body.ports, labelsOf]);
          if (same) return;
          wrote = true;
          const metadata = { ...cur.metadata, labels: labelsOf, annotations: { ...(cur.metadata.annotations ?? {}) } as Record<string, string> };
          if (trigger) metadata.annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
          else delete metadata.annotations[LAST_CHANGE_TRIGGER_TIME];
          if (Object.keys(metadata.annotations).length === 0) delete (metadata as { annotations?: Record<string, string> }).annotations;
          const slice = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata, ...body };
          // The fast engine hands its fresh object over (no copy; its parts shared with the
          // endpoints memo are frozen by the store and only ever read again).
          if (this.endpoints) api.updateOwned(slice, OWN_WRITE);
          else api.update(slice);
        } else {
          api.create({
            apiVersion: "discovery.k8s.io/v1",
            kind: "EndpointSlice",
            metadata: {
              ...(trigger ? { annotations: { [LAST_CHANGE_TRIGGER_TIME]: trigger } } : {}),
              generateName: `${name}-`,
              labels: labelsOf,
              namespace,
              ownerReferences: [{ apiVersion: "v1", blockOwnerDeletion: true, controller: true, kind: "Service", name, uid: svc.metadata.uid! }],
            },
            ...body,
          });
        }
      });
      for (const extra of existing.slice(desired.length)) api.delete("EndpointSlice", namespace, extra.metadata.name!);
      if (record && !created && existing.length === desired.length) {
        // What the next sync would list and compare against: the same slices (only updated, so in
        // the same order), if the stored versions hold this answer.
        const stored: KObject[] = [];
        for (let i = 0; i < desired.length; i++) {
          const d = desired[i]!;
          // Unwritten slices were just found equal to their part of the answer.
          const s = wrote ? api.get("EndpointSlice", namespace, existing[i]!.metadata.name!) : existing[i];
          if (!s || (wrote && !jsonEqual([s.endpoints ?? null, s.ports ?? null, s.metadata.labels], [d.endpoints.length ? d.endpoints : null, d.ports.length ? d.ports : null, labelsOf]))) break;
          stored.push(s);
        }
        if (stored.length === desired.length) {
          record.seen = stored;
          record.seenKey = answerKey;
          // Only updated: the Service's slices are these, in this order, unless someone else wrote one.
          record.slices = stored;
        }
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    } finally {
      this.writing = false;
    }
  }

  /** The answer's slices: each port group's endpoints sorted by address, in slices of at most 100. */
  private chunk(groups: ReturnType<typeof desiredEndpoints>, desired: Array<{ ports: DiscoveryV1EndpointPort[]; endpoints: SliceEndpoint[] }>): void {
    for (const g of groups.values()) {
      g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0));
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
}

/**
 * The fast engine's write of its own slices (`updateOwned`): checked against the size limit as
 * `update` checks it, and not decoded again (`wellTyped`): the stored metadata with labels and
 * annotations of strings, the address type, endpoints (addresses, names, booleans) and ports (the
 * Service's names and protocols, the pods' validated integer ports) or null — nothing the decoder
 * could find or change.
 */
const OWN_WRITE: WriteOptions = Object.freeze({ checkSize: true, wellTyped: true });

export const endpointSliceController = (ctx: ClusterContext): Component => new EndpointSliceController(ctx);
