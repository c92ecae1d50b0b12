/**
 * The API server's endpoint reconciler for the `kubernetes` Service, as kube-apiserver v1.32 runs
 * it with its default `--endpoint-reconciler-type=lease` (ports pkg/controlplane/reconcilers/lease.go
 * leaseEndpointReconciler.doReconcile and checkEndpointSubsetFormatWithLease, and
 * endpointsadapter.go of v1.32: EndpointsAdapter.Create/Update/EnsureEndpointSliceFromEndpoints,
 * endpointSliceFromEndpoints):
 *
 * - the Endpoints `default/kubernetes` lists the API servers' addresses (here the one API server)
 *   in one subset with the port `https` 6443/TCP, labelled `endpointslice.kubernetes.io/skip-mirror:
 *   "true"` so that the EndpointSlice mirroring controller leaves it alone;
 * - the EndpointSlice `default/kubernetes` (labelled `kubernetes.io/service-name: kubernetes`, no
 *   owner, no managed-by label, so the EndpointSlice controller leaves it alone too) carries the
 *   same addresses as `ready: true` endpoints and the same port;
 * - a missing object is created, an Endpoints whose subsets are not one subset with exactly the
 *   API servers' addresses is rewritten, its ports only when `reconcilePorts` (the periodic loop
 *   passes false: a user's change of the ports stays); the EndpointSlice is made equal to what the
 *   Endpoints say (endpoints, ports and labels; other fields a user added are dropped).
 *
 * The master leases upstream keeps in etcd (`/masterleases/<ip>`, TTL 15 s) are not API objects: a
 * single API server's lease is always there, so the list of addresses is that one address.
 */
import { ApiError } from "../../api/errors.ts";
import type { ApiServer } from "../../api/store.ts";
import { deepFreeze, jsonEqual, type KObject } from "../../api/types.ts";

/** discovery.LabelSkipMirror. */
export const LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
/** discovery.LabelServiceName. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** endpointSliceFromEndpoints (v1.32 endpointsadapter.go): the slice the Endpoints imply. */
export function endpointSliceFromEndpoints(endpoints: KObject): KObject {
  const slice: KObject = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: endpoints.metadata.name, namespace: endpoints.metadata.namespace, labels: { [LABEL_SERVICE_NAME]: endpoints.metadata.name! } },
    addressType: "IPv4",
  };
  const subset = endpoints.subsets?.[0];
  if (subset) {
    const ports: EndpointPort[] = subset.ports ?? [];
    if (ports.length > 0) slice.ports = ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol }));
    const endpointsOf = (addresses: Array<{ ip: string; targetRef?: unknown; nodeName?: string }> | undefined, ready: boolean) =>
      (addresses ?? []).map((a) => {
        const ep: Record<string, unknown> = { addresses: [a.ip], conditions: { ready } };
        if (a.nodeName !== undefined) ep.nodeName = a.nodeName;
        if (a.targetRef !== undefined) ep.targetRef = a.targetRef;
        return ep;
      });
    const eps = [...endpointsOf(subset.addresses, true), ...endpointsOf(subset.notReadyAddresses, false)];
    if (eps.length > 0) slice.endpoints = eps;
  }
  return slice;
}

/**
 * The fast engine's requests of a reconciler that finds its Endpoints missing (every cluster's start):
 * what it creates then depends only on the service name, the API servers' addresses and the ports,
 * so the same inputs (the same arrays) give the same frozen request, and its EndpointSlice the same
 * frozen slice. A cluster's start replay (src/cluster.ts, `StartReplay`) recognises a recorded
 * request by identity instead of comparing it field by field; `create` copies what it is given, so
 * what is stored is the same either way.
 */
const createRequests = new Map<string, { masterIPs: readonly string[]; ports: readonly EndpointPort[]; endpoints: KObject; slice: KObject }>();

/** checkEndpointSubsetFormatWithLease. */
export function checkEndpointSubsetFormatWithLease(
  e: KObject,
  expectedIPs: readonly string[],
  ports: readonly EndpointPort[],
  reconcilePorts: boolean,
): { formatCorrect: boolean; ipsCorrect: boolean; portsCorrect: boolean } {
  if ((e.subsets ?? []).length !== 1) return { formatCorrect: false, ipsCorrect: false, portsCorrect: false };
  const sub = e.subsets[0];
  let portsCorrect = true;
  if (reconcilePorts) {
    const have: EndpointPort[] = sub.ports ?? [];
    portsCorrect = have.length === ports.length && ports.every((p, i) => have[i].name === p.name && have[i].port === p.port && have[i].protocol === p.protocol && have[i].appProtocol === undefined);
  }
  let ipsCorrect = true;
  const addrs: Array<{ ip: string }> = sub.addresses ?? [];
  if (addrs.length !== expectedIPs.length) ipsCorrect = false;
  else {
    const present = new Map(expectedIPs.map((ip) => [ip, false]));
    for (const a of addrs) {
      const seen = present.get(a.ip);
      if (seen !== false) {
        ipsCorrect = false;
        break;
      }
      present.set(a.ip, true);
    }
  }
  return { formatCorrect: true, ipsCorrect, portsCorrect };
}

/**
 * leaseEndpointReconciler: ReconcileEndpoints for the one API server whose lease is `masterIPs`.
 * Writes through the API; returns what it wrote (for its tests and logs).
 */
export class LeaseEndpointReconciler {
  constructor(
    private readonly api: ApiServer,
    private readonly masterIPs: readonly string[],
  ) {}

  reconcileEndpoints(serviceName: string, endpointPorts: readonly EndpointPort[], reconcilePorts: boolean): string[] {
    const api = this.api;
    const wrote: string[] = [];
    const current = api.get("Endpoints", "default", serviceName);
    const shouldCreate = !current;
    if (shouldCreate && !api.reference) {
      const known = createRequests.get(serviceName);
      if (known && known.masterIPs === this.masterIPs && known.ports === endpointPorts) return this.createEndpoints(known.endpoints, known.slice, wrote);
    }
    const e: KObject = current
      ? { ...current, metadata: { ...current.metadata }, subsets: structuredClone(current.subsets) }
      : { apiVersion: "v1", kind: "Endpoints", metadata: { name: serviceName, namespace: "default" } };
    // setSkipMirrorTrue: don't use the EndpointSliceMirroring controller to mirror this.
    let skipMirrorChanged = false;
    if (e.metadata.labels?.[LABEL_SKIP_MIRROR] !== "true") {
      e.metadata.labels = { ...e.metadata.labels, [LABEL_SKIP_MIRROR]: "true" };
      skipMirrorChanged = true;
    }
    const { formatCorrect, ipsCorrect, portsCorrect } = checkEndpointSubsetFormatWithLease(e, this.masterIPs, endpointPorts, reconcilePorts);
    if (!skipMirrorChanged && formatCorrect && ipsCorrect && portsCorrect) {
      this.ensureEndpointSliceFromEndpoints(endpointSliceFromEndpoints(e), wrote);
      return wrote;
    }
    if (!formatCorrect) e.subsets = [{ addresses: [], ports: endpointPorts.map((p) => ({ ...p })) }];
    if (!formatCorrect || !ipsCorrect) {
      // Lexicographic order is retained (RepackSubsets sorts the addresses).
      e.subsets[0].addresses = [...this.masterIPs].sort().map((ip) => ({ ip }));
    }
    if (!portsCorrect) e.subsets[0].ports = endpointPorts.map((p) => ({ ...p }));
    if (shouldCreate) {
      if (api.reference) return this.createEndpoints(e, endpointSliceFromEndpoints(e), wrote);
      const known = { masterIPs: this.masterIPs, ports: endpointPorts, endpoints: deepFreeze(e), slice: deepFreeze(endpointSliceFromEndpoints(e)) };
      createRequests.set(serviceName, known);
      return this.createEndpoints(known.endpoints, known.slice, wrote);
    }
    // EndpointsAdapter.Update: the Endpoints, then the EndpointSlice made from them.
    api.update(e);
    wrote.push("update Endpoints");
    this.ensureEndpointSliceFromEndpoints(endpointSliceFromEndpoints(e), wrote);
    return wrote;
  }

  /** EndpointsAdapter.Create: the Endpoints, then the EndpointSlice made from them. */
  private createEndpoints(endpoints: KObject, slice: KObject, wrote: string[]): string[] {
    try {
      this.api.create(endpoints);
      wrote.push("create Endpoints");
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
      return wrote;
    }
    this.ensureEndpointSliceFromEndpoints(slice, wrote);
    return wrote;
  }

  /** EnsureEndpointSliceFromEndpoints, given the slice the Endpoints imply (`endpointSliceFromEndpoints`). */
  private ensureEndpointSliceFromEndpoints(slice: KObject, wrote: string[]): void {
    const api = this.api;
    const current = api.get("EndpointSlice", "default", slice.metadata.name!);
    if (!current) {
      try {
        api.create(slice);
        wrote.push("create EndpointSlice");
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
      }
      return;
    }
    // Required for the transition from the IP to the IPv4 address type.
    if (current.addressType !== slice.addressType) {
      api.delete("EndpointSlice", "default", slice.metadata.name!);
      api.create(slice);
      wrote.push("recreate EndpointSlice");
      return;
    }
    if (jsonEqual(current.endpoints ?? [], slice.endpoints ?? []) && jsonEqual(current.ports ?? [], slice.ports ?? []) && jsonEqual(current.metadata.labels ?? {}, slice.metadata.labels ?? {})) return;
    // An update without a resourceVersion: the slice as the Endpoints imply it replaces the stored one.
    api.update(slice);
    wrote.push("update EndpointSlice");
  }
}
