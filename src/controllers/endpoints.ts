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
 * computeSubsets on the fast engine (issue #19): the same repacked subsets, with each stored pod
 * version's contribution — its address, its resolved ports and their repack key — worked out once
 * per Service version instead of on every sync. What is left per sync is a map entry per pod and
 * the sort of the addresses, which upstream's RepackSubsets does too.
 */
export function computeSubsetsMemo(svc: KObject, pods: KObject[], memo: WeakMap<KObject, PodContribution>): EndpointSubset[] {
  const byPorts: PortGroups = new Map();
  for (const pod of pods) {
    let c = memo.get(pod);
    if (!c || c.svc !== svc) {
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
    }
    for (const p of c.parts) addToGroup(byPorts, p.key, p.ports, p.addr, p.ready);
  }
  return packGroups(byPorts);
}

export class EndpointsController extends Controller {
  readonly name = "endpoints-controller";
  /** The Service and pod informers' caches; their changes queue the Service's key. */
  private readonly services: ServiceInformer;
  private readonly triggers: TriggerTimeTracker;
  /** The fast engine's per-pod contributions (absent on the reference engine). */
  private readonly contributions: WeakMap<KObject, PodContribution> | undefined;

  constructor(ctx: ClusterContext) {
    super(ctx);
    this.services = new ServiceInformer(ctx, (kind, handler) => this.watch(kind, handler), (key) => this.queue.add(key), "Endpoints");
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

  syncService(namespace: string, name: string): void {
    const api = this.ctx.api;
    const svc = api.get("Service", namespace, name);
    if (!svc) {
      // The Service is gone: its Endpoints go too.
      this.triggers.forget(namespace, name);
      const ep = api.get("Endpoints", namespace, name);
      if (ep && !ep.metadata.labels?.["endpoints.kubernetes.io/managed-by"]) api.delete("Endpoints", namespace, name);
      return;
    }
    // A Service without a selector has its Endpoints managed by someone else.
    if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
    const pods = this.services.podsFor(svc);
    const subsets = this.contributions ? computeSubsetsMemo(svc, pods, this.contributions) : computeSubsets(svc, pods);
    const trigger = this.triggers.compute(svc, pods);

    const current = api.get("Endpoints", namespace, name);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
    // The fast engine compares in place (jsonEqual: JSON.stringify's equality without the strings).
    const unchanged = this.contributions
      ? current && jsonEqual(current.subsets ?? [], subsets) && jsonEqual(current.metadata.labels ?? {}, labels)
      : current && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels);
    if (unchanged) return;
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
        const metadata = { ...current.metadata };
        delete metadata.labels;
        delete metadata.annotations;
        if (obj.metadata.labels) metadata.labels = obj.metadata.labels;
        if (obj.metadata.annotations) metadata.annotations = obj.metadata.annotations;
        // The fast engine hands its fresh object over (no copy; its parts shared with the
        // contributions memo are frozen by the store and only ever read again).
        if (this.contributions) api.updateOwned({ ...obj, metadata }, { checkSize: true });
        else api.update({ ...obj, metadata });
      }
      else api.create(obj);
    } catch (e) {
      // A conflicting write or a namespace being deleted: try again on the next change, as the queue would.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

export const endpointsController = (ctx: ClusterContext): Component => new EndpointsController(ctx);
