/**
 * The Service ClusterIP allocator of kube-apiserver (ports pkg/registry/core/service/ipallocator/
 * bitmap.go): a free address of the service CIDR (10.96.0.0/12, kubeadm's default) chosen at random
 * from the upper band first (ServiceIPStaticSubrange: the lowest addresses are kept for static
 * assignment), scanning upwards from the random offset. 10.96.0.1 is the `kubernetes` Service's
 * (kube-apiserver creates it with that address, src/controllers/kubernetesservice) and is taken
 * while that Service exists; 10.96.0.10 (kube-dns) is reserved. The random source is the cluster's own, fixed whatever the scenario's seed
 * (like uids). The Service REST's use of it on create and update is ./alloc.ts.
 */
import { ApiError } from "../../../errors.ts";
import type { ApiServer } from "../../../store.ts";
import { Random } from "../../../../sim/random.ts";

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

export function usedIPs(api: ApiServer): Set<string> {
  const used = new Set([KUBE_DNS_IP]);
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
