/**
 * ClusterIP allocation, as kube-apiserver's Service REST storage does it on create: a free address
 * of the service CIDR (10.96.0.0/12, kubeadm's default) chosen at random from the upper band first
 * (ServiceIPStaticSubrange: the lowest addresses are kept for static assignment), `None` for a
 * headless Service, nothing for ExternalName. 10.96.0.1 (`kubernetes`) and 10.96.0.10 (kube-dns)
 * are reserved. The random source is the cluster's own, fixed whatever the scenario's seed (like uids).
 *
 * NodePorts (pkg/registry/core/service/portallocator, ServiceNodePortStaticSubrange): NodePort and
 * LoadBalancer Services (unless `allocateLoadBalancerNodePorts: false`) get a free port of
 * 30000-32767 for each port without one, at random from the upper band first (the lowest 86 are
 * kept for static assignment); a requested port must be in the range and free. Updates keep the
 * allocated ports when the new spec leaves them out (as apply's patch does).
 */
import { ApiError } from "../api/errors.ts";
import type { AdmissionPlugin, ApiServer } from "../api/store.ts";
import type { KObject } from "../api/types.ts";
import { Random } from "../sim/random.ts";

export const SERVICE_CIDR = "10.96.0.0/12";
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
export const KUBE_DNS_IP = "10.96.0.10";
const BASE = ipToInt("10.96.0.0");
const SIZE = 1 << 20;
/** Static band: min(max(16, size/16), 256) addresses at the bottom of the range. */
const STATIC_BAND = Math.min(Math.max(16, SIZE / 16), 256);

export function ipToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function intToIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function isIPv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split(".").every((x) => Number(x) <= 255);
}

export function inServiceCIDR(ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const n = ipToInt(ip);
  return n > BASE && n < BASE + SIZE - 1;
}

const sources = new WeakMap<ApiServer, Random>();

function usedIPs(api: ApiServer): Set<string> {
  const used = new Set([KUBERNETES_SERVICE_IP, KUBE_DNS_IP]);
  for (const s of api.list("Service")) for (const ip of s.spec?.clusterIPs ?? [s.spec?.clusterIP]) if (ip) used.add(ip);
  return used;
}

/** Picks a free address: a random offset in the dynamic band, scanning upwards from it. */
export function allocateClusterIP(api: ApiServer): string {
  let rnd = sources.get(api);
  if (!rnd) sources.set(api, (rnd = new Random(0x5e41c1)));
  const used = usedIPs(api);
  const dynamic = SIZE - 2 - STATIC_BAND;
  const start = rnd.int(dynamic);
  for (let i = 0; i < SIZE - 2; i++) {
    // dynamic band first, then the static band
    const off = i < dynamic ? STATIC_BAND + ((start + i) % dynamic) : 1 + (i - dynamic);
    const ip = intToIP(BASE + off);
    if (!used.has(ip)) return ip;
  }
  throw new ApiError("InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
}

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

function invalid(svc: KObject, field: string, value: string, detail: string): ApiError {
  const msg = `Service "${svc.metadata.name}" is invalid: ${field}: Invalid value: ${value}: ${detail}`;
  return new ApiError("Invalid", msg, { kind: "Service", name: svc.metadata.name ?? "", causes: [{ field, detail: `Invalid value: ${value}: ${detail}` }] });
}

/** The Service registry's IP handling as an admission step (runs on create and update). */
export const serviceClusterIPAllocation: AdmissionPlugin = {
  name: "ServiceClusterIPAllocation",
  mutate(obj, op, old, api) {
    if (obj.kind !== "Service") return;
    const spec = (obj.spec = obj.spec ?? {});
    if (op === "UPDATE" && old) {
      // clusterIP is immutable; an update that leaves it out keeps the allocated one (as apply's patch does).
      if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
      if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = [...old.spec.clusterIPs];
      if (!spec.ipFamilies && old.spec?.ipFamilies) spec.ipFamilies = [...old.spec.ipFamilies];
      if (!spec.ipFamilyPolicy && old.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      if (old.spec?.clusterIP && spec.clusterIP !== old.spec.clusterIP) {
        throw invalid(obj, "spec.clusterIPs[0]", JSON.stringify(spec.clusterIP), "may not change once set");
      }
      assignNodePorts(obj, old, api);
      return;
    }
    if (op !== "CREATE") return;
    if ((spec.type ?? "ClusterIP") === "ExternalName") return;
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
      if (usedIPs(api).has(ip)) throw invalid(obj, "spec.clusterIPs", value, `failed to allocate IP ${ip}: provided IP is already allocated`);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else {
      const ip = allocateClusterIP(api);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
    spec.ipFamilies = spec.ipFamilies ?? ["IPv4"];
    spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? "SingleStack";
    // SetDefaults_Service (kept here when the defaulting plugin has not set them already).
    spec.type = spec.type ?? "ClusterIP";
    spec.sessionAffinity = spec.sessionAffinity ?? "None";
    spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? "Cluster";
    for (const p of spec.ports ?? []) {
      p.protocol = p.protocol ?? "TCP";
      if (p.targetPort === undefined) p.targetPort = p.port;
    }
    assignNodePorts(obj, undefined, api);
  },
};
