/**
 * The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go, syncService): for
 * every Service with a selector, an Endpoints object of the same name whose subsets list the
 * selected pods' addresses — `addresses` for Ready pods (or all with publishNotReadyAddresses),
 * `notReadyAddresses` for the others — with targetRef and nodeName, and the Service's ports
 * resolved against each pod (named targetPorts through the pods' container ports). Terminating
 * pods are left out unless publishNotReadyAddresses. Written only when something changed.
 */
import type { Component, ClusterContext } from "../context.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import type { ServicePort } from "../api/types.gen.ts";
import { ApiError } from "../api/errors.ts";
import type { WriteOptions } from "../api/store.ts";
import { podIP, shouldPodBeInEndpoints } from "../network/podutil.ts";
import { findPort, isPodReady } from "../api/pod/util.ts";
import { LAST_CHANGE_TRIGGER_TIME, ServiceInformer, TriggerTimeTracker } from "./servicequeue.ts";
import { Controller } from "./controller.ts";
import { splitKey } from "./queue.ts";

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace: string; uid: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

function podToEndpointAddress(svc: KObject, pod: KObject): EndpointAddress {
  const a: EndpointAddress = { ip: podIP(pod)! };
  if (pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace) {
    a.hostname = pod.spec.hostname;
  }
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: "Pod", name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! };
  return a;
}

function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const p: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
  if (sp.name) p.name = sp.name;
  if (sp.appProtocol) p.appProtocol = sp.appProtocol;
  return { ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) };
}

/** Compares IPs as upstream's LessEndpointAddress does (bytes of the IP string, then uid). */
function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? "";
  const ub = b.targetRef?.uid ?? "";
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * endpoints.RepackSubsets: merges subsets with the same set of ports, an address ready in one and
 * not ready in another counts as ready; addresses sorted, subsets in a stable order.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const byPorts: PortGroups = new Map();
  for (const s of subsets) {
    const ports = sortedPorts(s.ports ?? []);
    const k = JSON.stringify(ports);
    for (const a of s.addresses ?? []) addToGroup(byPorts, k, ports, a, true);
    for (const a of s.notReadyAddresses ?? []) addToGroup(byPorts, k, ports, a, false);
  }
  return packGroups(byPorts);
}

/** RepackSubsets' working state: by port set (its JSON), the ready and not-ready addresses by ip and uid. */
type PortGroups = Map<string, { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>;

function sortedPorts(ports: EndpointPort[]): EndpointPort[] {
  return [...ports].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function addToGroup(byPorts: PortGroups, k: string, ports: EndpointPort[], a: EndpointAddress, ready: boolean): void {
  let e = byPorts.get(k);
  if (!e) byPorts.set(k, (e = { ports, ready: new Map(), notReady: new Map() }));
  (ready ? e.ready : e.notReady).set(`${a.ip}/${a.targetRef?.uid ?? ""}`, a);
}

function packGroups(byPorts: PortGroups): EndpointSubset[] {
  const out: EndpointSubset[] = [];
  for (const [k, e] of [...byPorts].sort(([a], [b]) => a.localeCompare(b))) {
    void k;
    for (const key of e.ready.keys()) e.notReady.delete(key);
    const s: EndpointSubset = {};
    if (e.ready.size) s.addresses = [...e.ready.values()].sort(lessAddress);
    if (e.notReady.size) s.notReadyAddresses = [...e.notReady.values()].sort(lessAddress);
    if (e.ports.length) s.ports = e.ports;
    out.push(s);
  }
  return out;
}

/** The subsets the controller computes for a Service from its pods (syncService's loop). */
export function computeSubsets(svc: KObject, pods: KObject[]): EndpointSubset[] {
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) podSubsets(svc, pod, subsets);
  return repackSubsets(subsets);
}

/** syncService's loop body: the one-address subsets a pod contributes (none when it is not an endpoint). */
function podSubsets(svc: KObject, pod: KObject, subsets: EndpointSubset[]): void {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
  if (!shouldPodBeInEndpoints(pod, tolerateUnready)) return;
  const addr = podToEndpointAddress(svc, pod);
  const ready = tolerateUnready || isPodReady(pod);
  const add = (ports: EndpointPort[]) => subsets.push(ready ? { addresses: [addr], ports } : { notReadyAddresses: [addr], ports });
  const sports: ServicePort[] = svc.spec?.ports ?? [];
  if (sports.length === 0) {
    if (svc.spec?.clusterIP === "None") add([]);
    return;
  }
  for (const sp of sports) {
    const port = findPort(pod, sp);
    if (port instanceof Error) continue;
    add([endpointPort(sp, port)]);
  }
}

/** What a pod version contributes to a Service version's subsets, ready to repack (the fast engine's memo). */
interface PodContribution {
  svc: KObject;
  parts: Array<{ key: string; ports: EndpointPort[]; addr: EndpointAddress; ready: boolean }>;
}

/**
 * The repacked subsets of these contributions (the fast engine's record). `repackSubsets` keys an
 * address by its IP and pod uid within a port group; here the address object itself is the key:
 * every part of one pod's contribution shares one address object (`podToEndpointAddress` is made
 * once per pod version, and `keptContribution` reuses it only for the same uid), and no two pods
 * share a uid, so two parts have equal keys exactly when they have the same address object — the
 * same groups, the same first-seen order, the same survivors of the ready/not-ready merge.
 */
function packContributions(contributions: Iterable<PodContribution>, keysOut?: string[]): EndpointSubset[] {
  const byPorts = new Map<string, { ports: EndpointPort[]; ready: Set<EndpointAddress>; notReady: Set<EndpointAddress> }>();
  for (const c of contributions) {
    for (const p of c.parts) {
      let e = byPorts.get(p.key);
      if (!e) byPorts.set(p.key, (e = { ports: p.ports, ready: new Set(), notReady: new Set() }));
      (p.ready ? e.ready : e.notReady).add(p.addr);
    }
  }
  const out: EndpointSubset[] = [];
  const keys = byPorts.size > 1 ? [...byPorts.keys()].sort((a, b) => a.localeCompare(b)) : byPorts.keys();
  for (const k of keys) {
    const e = byPorts.get(k)!;
    if (e.ready.size && e.notReady.size) for (const a of e.ready) e.notReady.delete(a);
    const s: EndpointSubset = {};
    if (e.ready.size) s.addresses = [...e.ready].sort(lessAddress);
    if (e.notReady.size) s.notReadyAddresses = [...e.notReady].sort(lessAddress);
    if (e.ports.length) s.ports = e.ports;
    out.push(s);
    keysOut?.push(k);
  }
  return out;
}

/**
 * A pod version's contribution to a Service version's subsets, kept per stored (frozen) pod version
 * (`memo`). `prev` (the fast engine's record of the pod's last contribution): what the pod version
 * contributes is built from parts kept across versions — the resolved port groups per Service
 * version and (frozen) pod spec (`specPorts`: they read nothing else), and the previous address
 * object when the new one would have the same fields — and when the readiness is the same too,
 * the previous contribution itself is the answer (the same parts, in the same order).
 */
function contribution(svc: KObject, pod: KObject, memo: WeakMap<KObject, PodContribution>, prev?: PodContribution, specMemo?: WeakMap<object, SpecPorts>): PodContribution {
  let c = memo.get(pod);
  if (c && c.svc === svc) return c;
  if (specMemo !== undefined && Object.isFrozen(pod) && Object.isFrozen(svc)) {
    c = keptContribution(svc, pod, prev, specMemo);
    memo.set(pod, c);
    return c;
  }
  const subsets: EndpointSubset[] = [];
  podSubsets(svc, pod, subsets);
  c = { svc, parts: [] };
  for (const s of subsets) {
    const ports = sortedPorts(s.ports ?? []);
    const key = JSON.stringify(ports);
    for (const addr of s.addresses ?? []) c.parts.push({ key, ports, addr, ready: true });
    for (const addr of s.notReadyAddresses ?? []) c.parts.push({ key, ports, addr, ready: false });
  }
  if (Object.isFrozen(pod) && Object.isFrozen(svc)) memo.set(pod, c);
  return c;
}

/** A Service version's port groups for a pod spec: each resolved port's one-port list and its repack key, in the Service's port order. */
interface SpecPorts {
  svc: KObject;
  groups: Array<{ key: string; ports: EndpointPort[] }>;
}

/** The port groups `podSubsets` gives a pod of this spec (they read only the spec's container ports), kept per frozen spec. */
function specPorts(svc: KObject, pod: KObject, specMemo: WeakMap<object, SpecPorts>): SpecPorts["groups"] {
  const spec = pod.spec;
  const kept = spec !== undefined ? specMemo.get(spec) : undefined;
  if (kept !== undefined && kept.svc === svc) return kept.groups;
  const groups: SpecPorts["groups"] = [];
  const sports: ServicePort[] = svc.spec?.ports ?? [];
  if (sports.length === 0) {
    if (svc.spec?.clusterIP === "None") groups.push({ key: "[]", ports: [] });
  } else {
    for (const sp of sports) {
      const port = findPort(pod, sp);
      if (port instanceof Error) continue;
      const ports = [endpointPort(sp, port)];
      groups.push({ key: JSON.stringify(ports), ports });
    }
  }
  if (spec !== undefined && Object.isFrozen(spec)) specMemo.set(spec, { svc, groups });
  return groups;
}

/** What `podSubsets` and `contribution` give, from kept parts (see `contribution`). */
function keptContribution(svc: KObject, pod: KObject, prev: PodContribution | undefined, specMemo: WeakMap<object, SpecPorts>): PodContribution {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
  if (!shouldPodBeInEndpoints(pod, tolerateUnready)) return prev !== undefined && prev.svc === svc && prev.parts.length === 0 ? prev : { svc, parts: [] };
  const groups = specPorts(svc, pod, specMemo);
  if (groups.length === 0) return prev !== undefined && prev.svc === svc && prev.parts.length === 0 ? prev : { svc, parts: [] };
  const ready = tolerateUnready || isPodReady(pod);
  const old = prev !== undefined && prev.svc === svc && prev.parts.length > 0 ? prev.parts[0]!.addr : undefined;
  const addr = old !== undefined && sameAddressFields(old, svc, pod) ? old : podToEndpointAddress(svc, pod);
  if (addr === old && prev!.parts.length === groups.length) {
    let same = true;
    for (let i = 0; i < groups.length && same; i++) {
      const x = prev!.parts[i]!;
      same = x.ready === ready && x.key === groups[i]!.key && x.addr === addr;
    }
    if (same) return prev!;
  }
  const parts: PodContribution["parts"] = [];
  for (const g of groups) parts.push({ key: g.key, ports: g.ports, addr, ready });
  return { svc, parts };
}

/** Whether `podToEndpointAddress(svc, pod)` would have the fields (and so the JSON) of `a`. */
function sameAddressFields(a: EndpointAddress, svc: KObject, pod: KObject): boolean {
  const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace ? pod.spec.hostname : undefined;
  const nodeName = pod.spec?.nodeName || undefined;
  const t = a.targetRef;
  return (
    a.ip === podIP(pod) &&
    a.hostname === hostname &&
    a.nodeName === nodeName &&
    t !== undefined &&
    t.name === pod.metadata.name &&
    t.namespace === pod.metadata.namespace &&
    t.uid === pod.metadata.uid
  );
}

/** Whether two contributions add the same parts (the ports are those their key spells). */
function sameContribution(a: PodContribution, b: PodContribution): boolean {
  if (a === b) return true;
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length; i++) {
    const x = a.parts[i]!;
    const y = b.parts[i]!;
    if (x.key !== y.key || x.ready !== y.ready || !jsonEqual(x.addr, y.addr)) return false;
  }
  return true;
}

/**
 * The fast engine's per-Service record (issue #19): the Service version it was built for, each
 * selected pod's contribution as of the last sync, and the stored Endpoints object that sync found
 * equal to what it computed (undefined after a write, a failure or a rebuild).
 */
interface ServiceRecord {
  svc: KObject;
  contrib: Map<string, PodContribution>;
  seen: KObject | undefined;
  /** When `seen`'s subsets are one port group's (one subset): that group's key; a sync may then patch it (`patchSubset`). */
  seenKey: string | undefined;
  /** The Endpoints' labels for `svc` (its version's labels, and the headless one). */
  labels: Record<string, string> | undefined;
}

/** A named pod whose contribution changed at a sync: before (undefined: not selected) and now. */
interface ContributionChange {
  old: PodContribution | undefined;
  now: PodContribution | undefined;
}

/**
 * The subset of the answer when only `changes` differ from the last one (the fast engine): the last
 * answer is one subset, one port group's addresses sorted as `lessAddress` sorts them (by IP, then
 * the pod's uid, which no two pods share); a changed pod's address leaves its list (found by its
 * uid) and its new one goes in at its place. Undefined — build the answer in full — when a change
 * has a part in another group or more than one part, or the answer would be empty.
 */
function patchSubset(prev: EndpointSubset, key: string, changes: ContributionChange[]): EndpointSubset | undefined {
  let ready = prev.addresses;
  let notReady = prev.notReadyAddresses;
  let copiedReady = false;
  let copiedNotReady = false;
  for (const c of changes) {
    const p = c.old?.parts;
    if (p === undefined || p.length === 0) continue;
    if (p.length !== 1 || p[0]!.key !== key) return undefined;
    const { addr, ready: wasReady } = p[0]!;
    const list = wasReady ? ready : notReady;
    if (list === undefined) return undefined;
    let i = list.indexOf(addr);
    const uid = addr.targetRef?.uid;
    if (i < 0) for (let j = 0; j < list.length && i < 0; j++) if (list[j]!.targetRef?.uid === uid && list[j]!.ip === addr.ip) i = j;
    if (i < 0) return undefined;
    if (wasReady) {
      if (!copiedReady) ready = [...ready!];
      copiedReady = true;
      ready!.splice(i, 1);
    } else {
      if (!copiedNotReady) notReady = [...notReady!];
      copiedNotReady = true;
      notReady!.splice(i, 1);
    }
  }
  for (const c of changes) {
    const p = c.now?.parts;
    if (p === undefined || p.length === 0) continue;
    if (p.length !== 1 || p[0]!.key !== key) return undefined;
    const { addr, ready: isReady } = p[0]!;
    if (isReady) {
      if (!copiedReady) ready = [...(ready ?? [])];
      copiedReady = true;
    } else {
      if (!copiedNotReady) notReady = [...(notReady ?? [])];
      copiedNotReady = true;
    }
    const list = (isReady ? ready : notReady)!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lessAddress(list[mid]!, addr) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < list.length && lessAddress(list[lo]!, addr) === 0) return undefined;
    list.splice(lo, 0, addr);
  }
  const s: EndpointSubset = {};
  if (ready !== undefined && ready.length > 0) s.addresses = ready;
  if (notReady !== undefined && notReady.length > 0) s.notReadyAddresses = notReady;
  if (s.addresses === undefined && s.notReadyAddresses === undefined) return undefined;
  if (prev.ports !== undefined) s.ports = prev.ports;
  return s;
}

export class EndpointsController extends Controller {
  readonly name = "endpoints-controller";
  /** The Service and pod informers' caches; their changes queue the Service's key. */
  private readonly services: ServiceInformer;
  private readonly triggers: TriggerTimeTracker;
  /** The fast engine's per-pod contributions (absent on the reference engine). */
  private readonly contributions: WeakMap<KObject, PodContribution> | undefined;
  /** The fast engine's per-Service records, by namespace/name. */
  private readonly records = new Map<string, ServiceRecord>();
  /** The fast engine's resolved port groups per frozen pod spec (see `specPorts`). */
  private readonly specPorts = new WeakMap<object, SpecPorts>();

  constructor(ctx: ClusterContext) {
    super(ctx);
    this.services = new ServiceInformer(ctx, (kind, handler, opts) => this.watch(kind, handler, opts), (key) => this.queue.add(key), "Endpoints");
    this.contributions = ctx.reference ? undefined : new WeakMap();
    this.triggers = new TriggerTimeTracker(!ctx.reference);
  }

  start(): void {
    this.services.start();
  }

  protected override syncHandler(key: string): void {
    const [namespace, name] = splitKey(key);
    this.syncService(namespace!, name);
  }

  /**
   * Brings the Service's record up to date with the named pods (the fast engine) and says whether
   * any contribution changed: a pod that left the selection or joined it with addresses, or whose
   * addresses, readiness or ports differ. A new Service version or a rebuilt selection rebuilds it.
   */
  private noteChanges(key: string, svc: KObject, dirty: Set<string> | true | undefined, changes: ContributionChange[]): boolean {
    const memo = this.contributions!;
    const record = this.records.get(key);
    if (!record || record.svc !== svc || dirty === true) {
      const contrib = new Map<string, PodContribution>();
      for (const pod of this.services.podsFor(svc)) contrib.set(pod.metadata.name!, contribution(svc, pod, memo, record?.contrib.get(pod.metadata.name!), this.specPorts));
      this.records.set(key, { svc, contrib, seen: undefined, seenKey: undefined, labels: undefined });
      return true;
    }
    let changed = false;
    for (const n of dirty ?? []) {
      const pod = this.services.selectedPod(key, n);
      const old = record.contrib.get(n);
      if (!pod) {
        if (old) {
          record.contrib.delete(n);
          if (old.parts.length) {
            changed = true;
            changes.push({ old, now: undefined });
          }
        }
        continue;
      }
      const c = contribution(svc, pod, memo, old, this.specPorts);
      if (old ? !sameContribution(old, c) : c.parts.length > 0) {
        changed = true;
        changes.push({ old, now: c });
      }
      record.contrib.set(n, c);
    }
    return changed;
  }

  syncService(namespace: string, name: string): void {
    const api = this.ctx.api;
    const svc = api.get("Service", namespace, name);
    if (!svc) {
      // The Service is gone: its Endpoints go too.
      this.triggers.forget(namespace, name);
      this.records.delete(`${namespace}/${name}`);
      const ep = api.get("Endpoints", namespace, name);
      if (ep && !ep.metadata.labels?.["endpoints.kubernetes.io/managed-by"]) api.delete("Endpoints", namespace, name);
      return;
    }
    // A Service without a selector has its Endpoints managed by someone else.
    if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
    let record: ServiceRecord | undefined;
    let trigger: string | undefined;
    let current: KObject | undefined;
    let subsets: EndpointSubset[];
    /** The answer's one port group's key when it is one subset (see `ServiceRecord.seenKey`). */
    let answerKey: string | undefined;
    if (this.contributions) {
      // The fast engine (issue #19): look only at the pods whose events touched the selection
      // since the last sync. If none of them changed its contribution and the stored Endpoints is
      // the object the last sync found equal to its answer, this sync's answer is that answer again
      // (the subsets are a function of the selected pods' contributions and the Service version)
      // and equal to the stored object: the plain sync would write nothing.
      const key = `${namespace}/${name}`;
      const dirty = this.services.takeDirty(key);
      trigger = this.triggers.computeChanged(svc, dirty, () => this.services.podsFor(svc), (n) => this.services.selectedPod(key, n));
      const changes: ContributionChange[] = [];
      const changed = this.noteChanges(key, svc, dirty, changes);
      record = this.records.get(key)!;
      current = api.get("Endpoints", namespace, name);
      const seen = record.seen;
      const seenKey = record.seenKey;
      if (!changed && current !== undefined && current === seen) return;
      record.seen = undefined;
      record.seenKey = undefined;
      // When the stored Endpoints is the last answer and that was one port group (one subset), the
      // answer is that subset with the changed pods' addresses moved (`patchSubset`); otherwise it
      // is packed from the record, which holds every selected pod's contribution (the pods' order
      // does not matter: the repacked addresses are sorted by IP and uid, which no two pods share).
      const consistent = this.services.selectionSize(key) === record.contrib.size;
      const patched = consistent && seenKey !== undefined && current !== undefined && current === seen && current.subsets?.length === 1 ? patchSubset(current.subsets[0], seenKey, changes) : undefined;
      if (patched !== undefined) {
        subsets = [patched];
        answerKey = seenKey;
      } else {
        const keys: string[] = [];
        subsets = packContributions(record.contrib.values(), keys);
        if (consistent && keys.length === 1) answerKey = keys[0];
      }
    } else {
      const pods = this.services.podsFor(svc);
      subsets = computeSubsets(svc, pods);
      trigger = this.triggers.compute(svc, pods);
      current = api.get("Endpoints", namespace, name);
    }
    let labels = record?.labels;
    if (labels === undefined) {
      labels = { ...(svc.metadata.labels ?? {}) };
      if (svc.spec.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
      // Kept for the Service's version (the record is rebuilt for another); only ever read.
      if (record) record.labels = labels;
    }
    // The fast engine compares in place (jsonEqual: JSON.stringify's equality without the strings).
    const unchanged = this.contributions
      ? current && jsonEqual(current.subsets ?? [], subsets) && jsonEqual(current.metadata.labels ?? {}, labels)
      : current && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels);
    if (unchanged) {
      if (record) {
        record.seen = current;
        record.seenKey = answerKey;
      }
      return;
    }
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (trigger) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    const obj: KObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: {
        name,
        namespace,
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    try {
      if (current) {
        // The stored metadata without its labels and annotations, then the new ones: the keys a
        // spread copy with both deleted and set again would have, in the same order, built without
        // a `delete` (which leaves V8 a slow dictionary object for the store to freeze and for
        // every reader after).
        const metadata: KObject["metadata"] = {};
        const was = current.metadata as Record<string, unknown>;
        for (const k in was) if (k !== "labels" && k !== "annotations") (metadata as Record<string, unknown>)[k] = was[k];
        if (obj.metadata.labels) metadata.labels = obj.metadata.labels;
        if (obj.metadata.annotations) metadata.annotations = obj.metadata.annotations;
        // The fast engine hands its fresh object over (no copy; its parts shared with the
        // contributions memo are frozen by the store and only ever read again).
        if (this.contributions) api.updateOwned({ ...obj, metadata }, OWN_WRITE);
        else api.update({ ...obj, metadata });
      }
      else api.create(obj);
      if (record) {
        // What the next sync would compare against: the stored object, if it holds this answer
        // (in place, by identity where the store kept the parts handed over).
        const stored = api.get("Endpoints", namespace, name);
        if (stored && jsonEqual(stored.subsets ?? [], subsets) && jsonEqual(stored.metadata.labels ?? {}, labels)) {
          record.seen = stored;
          record.seenKey = answerKey;
        }
      }
    } catch (e) {
      // A conflicting write or a namespace being deleted: try again on the next change, as the queue would.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/**
 * The fast engine's write of its own Endpoints (`updateOwned`): checked against the size limit as
 * `update` checks it, and not decoded again (`wellTyped`): the object is the stored metadata with
 * labels and annotations of strings, and subsets of addresses (strings), ports (the Service's and
 * the pods' validated integer ports, strings) — nothing the decoder could find or change.
 */
const OWN_WRITE: WriteOptions = Object.freeze({ checkSize: true, wellTyped: true });

export const endpointsController = (ctx: ClusterContext): Component => new EndpointsController(ctx);
