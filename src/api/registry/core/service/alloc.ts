/**
 * The Service REST storage's ClusterIP handling on create and update (ports
 * pkg/registry/core/service/storage/alloc.go: allocClusterIPs, and the immutability of
 * spec.clusterIP), run as an admission step before validation: `None` for a headless Service,
 * nothing for ExternalName, a requested address checked against the range and the allocated ones,
 * otherwise one from the allocator (./ipallocator.ts).
 *
 * NodePorts (pkg/registry/core/service/portallocator, ServiceNodePortStaticSubrange): NodePort and
 * LoadBalancer Services (unless `allocateLoadBalancerNodePorts: false`) get a free port of
 * 30000-32767 for each port without one, at random from the upper band first (the lowest 86 are
 * kept for static assignment); a requested port must be in the range and free. Updates keep the
 * allocated ports when the new spec leaves them out (as apply's patch does). A LoadBalancer with
 * `externalTrafficPolicy: Local` also gets a health check node port from the same range
 * (allocHealthCheckNodePort). The random source is
 * the cluster's own, fixed whatever the scenario's seed (like uids).
 */
import { ApiError, invalidError, renderValue, type FieldError } from "../../../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../../../store.ts";
import type { KObject } from "../../../types.ts";
import { Random } from "../../../../sim/random.ts";
import { allocateClusterIP, inServiceCIDR, isIPv4, SERVICE_CIDR, usedIPs } from "./ipallocator.ts";

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
const NODE_PORT_SIZE = NODE_PORT_MAX - NODE_PORT_MIN + 1;
/** Static band: min(max(16, size/32), 128) ports at the bottom of the range. */
const NODE_PORT_STATIC_BAND = Math.min(Math.max(16, Math.floor(NODE_PORT_SIZE / 32)), 128);
const portSources = new WeakMap<ApiServer, Random>();

function usedNodePorts(api: ApiServer, except?: KObject): Set<number> {
  const used = new Set<number>();
  for (const s of api.list("Service")) {
    if (except && s.metadata.uid === except.metadata.uid) continue;
    for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    if (s.spec?.healthCheckNodePort) used.add(s.spec.healthCheckNodePort);
  }
  return used;
}

function allocateNodePort(api: ApiServer, used: Set<number>): number {
  let rnd = portSources.get(api);
  if (!rnd) portSources.set(api, (rnd = new Random(0x90de)));
  const dynamic = NODE_PORT_SIZE - NODE_PORT_STATIC_BAND;
  const start = rnd.int(dynamic);
  for (let i = 0; i < NODE_PORT_SIZE; i++) {
    const off = i < dynamic ? NODE_PORT_STATIC_BAND + ((start + i) % dynamic) : i - dynamic;
    const port = NODE_PORT_MIN + off;
    if (!used.has(port)) return port;
  }
  throw new ApiError("InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
}

type PortSpec = { port: number; protocol?: string; nodePort?: number };
const needsClusterIP = (svc: KObject) => svc.spec?.type !== "ExternalName";
const needsNodePort = (svc: KObject) => svc.spec?.type === "NodePort" || svc.spec?.type === "LoadBalancer";
const needsHCNodePort = (svc: KObject) => svc.spec?.type === "LoadBalancer" && svc.spec?.externalTrafficPolicy === "Local";

/**
 * pkg/registry/core/service/strategy.go dropTypeDependentFields: an update that changes the type
 * wipes what only the old type uses, when the user did not also change it (a change is left for
 * validation to judge): the cluster IPs and IP family fields when it becomes an ExternalName, the
 * node ports (unless a net-new one was asked for), the health check node port,
 * allocateLoadBalancerNodePorts and loadBalancerClass when it stops being a LoadBalancer, and
 * externalTrafficPolicy when it stops being reachable from outside. So `kubectl patch svc x -p
 * '{"spec":{"type":"ClusterIP"}}'` turns a LoadBalancer or NodePort Service into a ClusterIP one.
 */
export function dropTypeDependentFields(obj: KObject, old: KObject): void {
  const spec = obj.spec;
  const was = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(obj)) {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if ((spec.clusterIP ?? "") === (was.clusterIP ?? "") && same(spec.clusterIPs ?? [], was.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, was.ipFamilies)) delete spec.ipFamilies;
    if ((spec.ipFamilyPolicy ?? "") === (was.ipFamilyPolicy ?? "")) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(obj)) {
    const olds = new Set(((was.ports ?? []) as PortSpec[]).map((p) => p.nodePort).filter((n) => n));
    const ports = (spec.ports ?? []) as PortSpec[];
    if (ports.every((p) => !p.nodePort || olds.has(p.nodePort))) for (const p of ports) delete p.nodePort;
  }
  if (needsHCNodePort(old) && !needsHCNodePort(obj) && spec.healthCheckNodePort === was.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (was.type === "LoadBalancer" && spec.type !== "LoadBalancer") {
    if (typeof spec.allocateLoadBalancerNodePorts === "boolean" && spec.allocateLoadBalancerNodePorts === was.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === was.loadBalancerClass) delete spec.loadBalancerClass;
  }
  // serviceutil.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with externalIPs.
  const external = (svc: KObject) => needsNodePort(svc) || ((svc.spec?.type ?? "ClusterIP") === "ClusterIP" && (svc.spec?.externalIPs?.length ?? 0) > 0);
  if (external(old) && !external(obj) && spec.externalTrafficPolicy === was.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

/** Node ports of a NodePort or LoadBalancer Service: kept from the old object, checked, allocated. */
function assignNodePorts(obj: KObject, old: KObject | undefined, api: ApiServer): void {
  const spec = obj.spec;
  const type = spec.type ?? "ClusterIP";
  const wants = type === "NodePort" || (type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
  if (!wants) return;
  const used = usedNodePorts(api, old ?? obj);
  const ports: Array<{ port: number; protocol?: string; nodePort?: number }> = spec.ports ?? [];
  // Requested ports first: they must be in range and free.
  ports.forEach((p, i) => {
    if (!p.nodePort) {
      const kept = old?.spec?.ports?.find((o: { port: number; protocol?: string; nodePort?: number }) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"))?.nodePort;
      if (kept) p.nodePort = kept;
      return;
    }
    const keptSame = old?.spec?.ports?.some((o: { nodePort?: number }) => o.nodePort === p.nodePort);
    if (keptSame) return;
    if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
      throw invalid(obj, `spec.ports[${i}].nodePort`, String(p.nodePort), `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`);
    }
    if (used.has(p.nodePort)) throw invalid(obj, `spec.ports[${i}].nodePort`, String(p.nodePort), "provided port is already allocated");
    used.add(p.nodePort);
  });
  for (const p of ports) {
    if (p.nodePort) {
      used.add(p.nodePort);
      continue;
    }
    p.nodePort = allocateNodePort(api, used);
    used.add(p.nodePort);
  }
}

/**
 * alloc.go allocHealthCheckNodePort, for a Service that needs one (apiservice.NeedsHealthCheck: a
 * LoadBalancer with `externalTrafficPolicy: Local`), after its node ports: a requested port is
 * reserved if it is in the range and free, else one is allocated as a node port is. Its errors are
 * internal errors, as upstream wraps them (errors.NewInternalError).
 */
function allocHealthCheckNodePort(obj: KObject, old: KObject | undefined, api: ApiServer): void {
  const spec = obj.spec;
  const used = usedNodePorts(api, old ?? obj);
  for (const p of spec.ports ?? []) if (p.nodePort) used.add(p.nodePort);
  const requested = spec.healthCheckNodePort;
  if (requested) {
    const why =
      requested < NODE_PORT_MIN || requested > NODE_PORT_MAX
        ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`
        : used.has(requested)
          ? "provided port is already allocated"
          : undefined;
    if (why) throw new ApiError("InternalError", `Internal error occurred: failed to allocate requested HealthCheck NodePort ${requested}: ${why}`);
    return;
  }
  spec.healthCheckNodePort = allocateNodePort(api, used);
}

/**
 * initIPFamilyFields' checks against the cluster's families (alloc.go): this cluster is single-stack
 * IPv4 (as kubeadm sets it up), so a Service that demands dual-stack, or names IPv6 among its
 * ipFamilies, is refused (both errors together, as upstream collects them). A headless Service
 * without a selector is the exception upstream makes before these checks. Family names that are
 * not IPv4 or IPv6 are left to validation (`Unsupported value`).
 */
function checkIPFamilies(svc: KObject): void {
  const spec = svc.spec;
  const headless = spec.clusterIP === "None" || spec.clusterIPs?.[0] === "None";
  if (headless && Object.keys(spec.selector ?? {}).length === 0) return;
  const errors: FieldError[] = [];
  if (spec.ipFamilyPolicy === "RequireDualStack") {
    errors.push({ field: "spec.ipFamilyPolicy", detail: `Invalid value: ${renderValue(spec.ipFamilyPolicy)}: this cluster is not configured for dual-stack services` });
  }
  (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).forEach((f: unknown, i: number) => {
    if (f === "IPv6") errors.push({ field: `spec.ipFamilies[${i}]`, detail: `Invalid value: ${renderValue(f)}: not configured on this cluster` });
  });
  if (errors.length > 0) throw invalidError("Service", svc.metadata.name ?? "", errors);
}

function invalid(svc: KObject, field: string, value: string, detail: string): ApiError {
  const msg = `Service "${svc.metadata.name}" is invalid: ${field}: Invalid value: ${value}: ${detail}`;
  return new ApiError("Invalid", msg, { kind: "Service", name: svc.metadata.name ?? "", causes: [{ field, detail: `Invalid value: ${value}: ${detail}` }] });
}

/** alloc.go allocClusterIPs with initIPFamilyFields: `None` for a headless Service, a requested address checked, or a free one. */
function allocClusterIPs(obj: KObject, api: ApiServer): void {
  const spec = obj.spec;
  checkIPFamilies(obj);
  if (spec.clusterIP === "None" || spec.clusterIPs?.[0] === "None") {
    spec.clusterIP = "None";
    spec.clusterIPs = ["None"];
  } else if (spec.clusterIP || spec.clusterIPs?.[0]) {
    const ip = spec.clusterIP || spec.clusterIPs[0];
    const value = `[]string{${JSON.stringify(ip)}}`;
    if (!isIPv4(ip)) throw invalid(obj, "spec.clusterIPs[0]", JSON.stringify(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    if (!inServiceCIDR(ip)) {
      throw invalid(obj, "spec.clusterIPs", value, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
    }
    const forKubeDNS = obj.metadata.namespace === "kube-system" && obj.metadata.name === "kube-dns";
    if (usedIPs(api, forKubeDNS).has(ip)) throw invalid(obj, "spec.clusterIPs", value, `failed to allocate IP ${ip}: provided IP is already allocated`);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  } else {
    const ip = allocateClusterIP(api);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  spec.ipFamilies = spec.ipFamilies ?? ["IPv4"];
  spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? "SingleStack";
}

/** The Service registry's IP handling as an admission step (runs on create and update). */
export const serviceClusterIPAllocation: AdmissionPlugin = {
  name: "ServiceClusterIPAllocation",
  inertFor: (kind) => kind !== "Service",
  mutate(obj, op, old, api) {
    if (obj.kind !== "Service") return;
    const spec = (obj.spec = obj.spec ?? {});
    if (op === "UPDATE" && old) {
      // storage.go patchAllocatedValues: when both the old and the new type use cluster IPs, an
      // update that leaves them out keeps the allocated ones (as apply's patch does); clusterIP is
      // immutable between such types (validateUpgradeDowngradeClusterIPs lets a change to or from
      // ExternalName through).
      if (needsClusterIP(old) && needsClusterIP(obj)) {
        if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
        if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = [...old.spec.clusterIPs];
        if (!spec.ipFamilies && old.spec?.ipFamilies) spec.ipFamilies = [...old.spec.ipFamilies];
        if (!spec.ipFamilyPolicy && old.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
        if (old.spec?.clusterIP && spec.clusterIP !== old.spec.clusterIP) {
          throw invalid(obj, "spec.clusterIPs[0]", JSON.stringify(spec.clusterIP), "may not change once set");
        }
      }
      dropTypeDependentFields(obj, old);
      // alloc.go allocateUpdate: a Service that starts to need a cluster IP (from ExternalName) is
      // given one as on create; the addresses of one that stops needing it are free again (the
      // allocator reads the stored Services, so nothing else is kept to release).
      if (!needsClusterIP(old) && needsClusterIP(obj)) allocClusterIPs(obj, api);
      assignNodePorts(obj, old, api);
      // patchAllocatedValues keeps the health check node port an update leaves out;
      // updateHealthCheckNodePort allocates one when the Service starts to need it (a Service
      // that stops needing it had it dropped by dropTypeDependentFields or validation refuses it).
      if (needsHCNodePort(old) && needsHCNodePort(obj) && !spec.healthCheckNodePort) spec.healthCheckNodePort = old.spec?.healthCheckNodePort;
      if (!needsHCNodePort(old) && needsHCNodePort(obj)) allocHealthCheckNodePort(obj, old, api);
      return;
    }
    if (op !== "CREATE") return;
    if (!needsClusterIP(obj)) {
      // normalizeClusterIPs: a singular clusterIP gets its plural, for validation to refuse on an
      // ExternalName Service (spec.clusterIPs: Forbidden).
      if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
      return;
    }
    allocClusterIPs(obj, api);
    // SetDefaults_Service (kept here when the defaulting plugin has not set them already).
    spec.type = spec.type ?? "ClusterIP";
    spec.sessionAffinity = spec.sessionAffinity ?? "None";
    spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster";
    for (const p of spec.ports ?? []) {
      p.protocol = p.protocol ?? "TCP";
      if (p.targetPort === undefined) p.targetPort = p.port;
    }
    assignNodePorts(obj, undefined, api);
    if (needsHCNodePort(obj)) allocHealthCheckNodePort(obj, undefined, api);
  },
};
