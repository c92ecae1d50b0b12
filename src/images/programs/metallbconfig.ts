/**
 * MetalLB's configuration and address allocation, ported from metallb/metallb at v0.14.9 (the
 * release whose metallb-native.yaml exercises/apps/metallb carries):
 * - internal/config/config.go: `ParseCIDR` (a CIDR, or a range `start-end` summarized into the
 *   prefixes that cover it, as github.com/mikioh/ipaddr's Summarize), `addressPoolFromCR`, `poolsFor`
 *   (duplicate pools, overlapping CIDRs) and the L2Advertisements each pool gets
 *   (`setL2AdvertisementsToPools`: `ipAddressPools`, `ipAddressPoolSelectors`, none = every pool;
 *   `nodeSelectors`, none = every node);
 * - internal/allocator/allocator.go: the Allocator (assignments per service key, sharing keys and
 *   ports per address, first free address of each CIDR in order, pinned pools by namespace and
 *   service selectors and priority, then every auto-assign pool), with its error texts.
 *
 * IPv4 only: the simulated cluster is single-stack IPv4 (an IPv6 range in a pool is parsed and
 * checked for overlaps, never allocated; docs/divergences.md).
 */
import { labelSelectorMatches } from "../../api/labels.ts";
import type { LabelSelector } from "../../api/types.gen.ts";

/** An address prefix: IPv4 as a 32-bit number (`v6` holds the text of an IPv6 one). */
export interface Prefix {
  ip: number;
  bits: number;
  v6?: string;
}

export function ipToNumber(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith("0")))) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function numberToIP(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const isV6 = (s: string) => s.includes(":");
const mask = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

/** net.IPNet's String(): `172.18.255.200/29`. */
export function prefixString(p: Prefix): string {
  return p.v6 ?? `${numberToIP(p.ip)}/${p.bits}`;
}

/** The prefixes covering start..end, largest first (ipaddr.Summarize). */
export function summarize(start: number, end: number): Prefix[] {
  const out: Prefix[] = [];
  let cur = start;
  while (cur <= end) {
    let bits = 32;
    while (bits > 0) {
      const size = 2 ** (32 - (bits - 1));
      const m = mask(bits - 1);
      if ((cur & m) >>> 0 !== cur || cur + size - 1 > end) break;
      bits--;
    }
    out.push({ ip: cur, bits });
    const next = cur + 2 ** (32 - bits);
    if (next > 0xffffffff) break;
    cur = next;
  }
  return out;
}

/** config.ParseCIDR: a CIDR (`192.168.10.0/24`) or a range (`192.168.9.1-192.168.9.5`). */
export function parseCIDR(cidr: string): Prefix[] | Error {
  if (!cidr.includes("-")) {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
    if (m && isV6(m[1]!) && Number(m[2]) <= 128) return [{ ip: 0, bits: Number(m[2]), v6: cidr.toLowerCase() }];
    const ip = m ? ipToNumber(m[1]!) : undefined;
    const bits = m ? Number(m[2]) : NaN;
    if (ip === undefined || !(bits >= 0 && bits <= 32) || (m && m[2]!.length > 1 && m[2]!.startsWith("0"))) return new Error(`invalid CIDR ${JSON.stringify(cidr)}`);
    return [{ ip: (ip & mask(bits)) >>> 0, bits }];
  }
  const i = cidr.indexOf("-");
  const fs = [cidr.slice(0, i), cidr.slice(i + 1)];
  if (isV6(fs[0]!) || isV6(fs[1]!)) return [{ ip: 0, bits: 128, v6: cidr.toLowerCase() }];
  const start = ipToNumber(fs[0]!);
  if (start === undefined) return new Error(`invalid IP range ${JSON.stringify(cidr)}: invalid start IP ${JSON.stringify(fs[0])}`);
  const end = ipToNumber(fs[1]!);
  if (end === undefined) return new Error(`invalid IP range ${JSON.stringify(cidr)}: invalid end IP ${JSON.stringify(fs[1])}`);
  if (start > end) return new Error(`invalid IP range ${JSON.stringify(cidr)}: start IP ${JSON.stringify(numberToIP(start))} is after the end IP ${JSON.stringify(numberToIP(end))}`);
  return summarize(start, end);
}

function contains(p: Prefix, ip: number): boolean {
  return !p.v6 && (ip & mask(p.bits)) >>> 0 === p.ip;
}

/** cidrsOverlap: one contains the other. */
export function cidrsOverlap(a: Prefix, b: Prefix): boolean {
  if (a.v6 || b.v6) return a.v6 !== undefined && a.v6 === b.v6;
  return (a.bits <= b.bits && contains(a, b.ip)) || (b.bits <= a.bits && contains(b, a.ip));
}

// ---- configuration ------------------------------------------------------------------------

/** The objects MetalLB reads (IPAddressPool, L2Advertisement, Namespace, Node), as the API holds them. */
export interface CR {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface Pool {
  name: string;
  cidrs: Prefix[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** spec.serviceAllocation, when set. */
  allocation?: { priority: number; namespaces: Set<string>; serviceSelectors: LabelSelector[] };
  /** The nodes each of the pool's L2Advertisements announces from. */
  l2: Array<{ nodes: Set<string> }>;
}

export interface Pools {
  byName: Map<string, Pool>;
  /** Namespace → pools pinned to it (serviceAllocation namespaces and namespaceSelectors). */
  byNamespace: Map<string, string[]>;
  /** Pools with service selectors. */
  byServiceSelector: string[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const byName = (a: CR, b: CR) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : (a.metadata.name ?? "") > (b.metadata.name ?? "") ? 1 : 0);

function poolFromCR(p: CR, namespaces: CR[]): Pool | Error {
  const spec = p.spec ?? {};
  const addresses = arr(spec.addresses).map(String);
  if (addresses.length === 0) return new Error("pool has no prefixes defined");
  const cidrs: Prefix[] = [];
  for (const a of addresses) {
    const nets = parseCIDR(a);
    if (nets instanceof Error) return new Error(`invalid CIDR ${JSON.stringify(a)} in pool ${JSON.stringify(p.metadata.name)}: ${nets.message}`);
    cidrs.push(...nets);
  }
  const pool: Pool = { name: p.metadata.name ?? "", cidrs, autoAssign: spec.autoAssign !== false, avoidBuggyIPs: spec.avoidBuggyIPs === true, l2: [] };
  const sa = spec.serviceAllocation as { priority?: number; namespaces?: string[]; namespaceSelectors?: LabelSelector[]; serviceSelectors?: LabelSelector[] } | undefined;
  if (sa && typeof sa === "object") {
    const ns = new Set<string>(arr(sa.namespaces).map(String));
    for (const sel of arr(sa.namespaceSelectors) as LabelSelector[]) {
      for (const n of namespaces) if (labelSelectorMatches(sel, n.metadata.labels ?? {})) ns.add(n.metadata.name ?? "");
    }
    pool.allocation = { priority: Number(sa.priority ?? 0) || 0, namespaces: ns, serviceSelectors: arr(sa.serviceSelectors) as LabelSelector[] };
  }
  return pool;
}

/** config.For's pools (poolsFor and the L2Advertisements), or the error the webhook and the controller report. */
export function poolsFor(poolCRs: CR[], l2Advs: CR[], namespaces: CR[], nodes: CR[]): Pools | Error {
  const pools = new Map<string, Pool>();
  const all: Prefix[] = [];
  for (const p of poolCRs) {
    const pool = poolFromCR(p, namespaces);
    if (pool instanceof Error) return new Error(`parsing address pool ${p.metadata.name}: ${pool.message}`);
    if (pools.has(pool.name)) return new Error(`duplicate definition of pool ${JSON.stringify(pool.name)}`);
    for (const c of pool.cidrs) {
      const m = all.find((x) => cidrsOverlap(c, x));
      if (m) return new Error(`CIDR ${JSON.stringify(prefixString(c))} in pool ${JSON.stringify(pool.name)} overlaps with already defined CIDR ${JSON.stringify(prefixString(m))}`);
      all.push(c);
    }
    pools.set(pool.name, pool);
  }
  for (const adv of l2Advs) {
    const spec = adv.spec ?? {};
    const names = arr(spec.ipAddressPools).map(String);
    const selectors = arr(spec.ipAddressPoolSelectors) as LabelSelector[];
    const nodeSelectors = arr(spec.nodeSelectors) as LabelSelector[];
    const advNodes = new Set<string>();
    for (const n of nodes) {
      if (nodeSelectors.length === 0 || nodeSelectors.some((s) => labelSelectorMatches(s, n.metadata.labels ?? {}))) advNodes.add(n.metadata.name ?? "");
    }
    for (const p of poolCRs) {
      const pool = pools.get(p.metadata.name ?? "");
      if (!pool) continue;
      const selected = (names.length === 0 && selectors.length === 0) || names.includes(pool.name) || selectors.some((s) => labelSelectorMatches(s, p.metadata.labels ?? {}));
      if (selected) pool.l2.push({ nodes: advNodes });
    }
  }
  const byNamespace = new Map<string, string[]>();
  const byServiceSelector: string[] = [];
  for (const pool of pools.values()) {
    for (const ns of pool.allocation?.namespaces ?? []) byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), pool.name]);
    if (pool.allocation && pool.allocation.serviceSelectors.length > 0) byServiceSelector.push(pool.name);
  }
  return { byName: pools, byNamespace, byServiceSelector };
}

/** The pools of the namespace, as the controller and the webhook read them (by name: the real cache's order is a map's). */
export function sortedByName<T extends CR>(list: T[]): T[] {
  return [...list].sort(byName);
}

// ---- allocation ------------------------------------------------------------------------------

export interface Port {
  proto: string;
  port: number;
}

interface Key {
  sharing: string;
  backend: string;
}

interface Alloc {
  pool: string;
  ips: number[];
  ports: Port[];
  key: Key;
}

/** What the allocator needs of a Service. */
export interface ServiceView {
  namespace: string;
  labels: Record<string, string>;
}

const portString = (p: Port) => `${p.proto}/${p.port}`;
/** Go's %q of a []net.IP: `["172.18.255.200"]`. */
export const quoteIPs = (ips: number[]) => `[${ips.map((i) => JSON.stringify(numberToIP(i))).join(" ")}]`;

function ipConfusesBuggyFirmwares(ip: number): boolean {
  const last = ip & 255;
  return last === 0 || last === 255;
}

export class Allocator {
  pools: Pools = { byName: new Map(), byNamespace: new Map(), byServiceSelector: [] };
  private readonly allocated = new Map<string, Alloc>();
  private readonly sharingKeyForIP = new Map<number, Key>();
  private readonly portsInUse = new Map<number, Map<string, string>>();
  private readonly servicesOnIP = new Map<number, Set<string>>();
  private readonly poolIPsInUse = new Map<string, Map<number, number>>();

  setPools(pools: Pools): void {
    this.pools = pools;
    for (const [svc, alloc] of [...this.allocated]) {
      const pool = this.poolFor(alloc.ips);
      if (!pool) {
        this.unassign(svc);
        continue;
      }
      if (pool.name !== alloc.pool) {
        this.unassign(svc);
        this.assignAlloc(svc, { ...alloc, pool: pool.name });
      }
    }
  }

  private assignAlloc(svc: string, alloc: Alloc): void {
    this.unassign(svc);
    this.allocated.set(svc, alloc);
    for (const ip of alloc.ips) {
      this.sharingKeyForIP.set(ip, alloc.key);
      let ports = this.portsInUse.get(ip);
      if (!ports) this.portsInUse.set(ip, (ports = new Map()));
      for (const p of alloc.ports) ports.set(portString(p), svc);
      let on = this.servicesOnIP.get(ip);
      if (!on) this.servicesOnIP.set(ip, (on = new Set()));
      on.add(svc);
      let inUse = this.poolIPsInUse.get(alloc.pool);
      if (!inUse) this.poolIPsInUse.set(alloc.pool, (inUse = new Map()));
      inUse.set(ip, (inUse.get(ip) ?? 0) + 1);
    }
  }

  /** Allocator.Assign: these addresses for the service, or why not. */
  assign(svcKey: string, svc: ServiceView, ips: number[], ports: Port[], sharingKey: string, backendKey: string): Error | undefined {
    const pool = this.poolFor(ips);
    if (!pool) return new Error(`${quoteIPs(ips)} is not allowed in config`);
    const key = { sharing: sharingKey, backend: backendKey };
    if (!this.compatible(pool, svc)) return new Error(`pool ${pool.name} not compatible for ip assignment`);
    if (ips.length > 2) return new Error(`more than two addresses ${quoteIPs(ips)}`);
    for (const ip of ips) {
      const err = this.checkSharing(svcKey, ip, ports, key);
      if (err) return err;
    }
    this.assignAlloc(svcKey, { pool: pool.name, ips, ports: [...ports], key });
    return undefined;
  }

  unassign(svc: string): void {
    const al = this.allocated.get(svc);
    if (!al) return;
    this.allocated.delete(svc);
    for (const ip of al.ips) {
      const ports = this.portsInUse.get(ip);
      for (const p of al.ports) ports?.delete(portString(p));
      this.servicesOnIP.get(ip)?.delete(svc);
      if (!ports || ports.size === 0) {
        this.portsInUse.delete(ip);
        this.sharingKeyForIP.delete(ip);
      }
      const inUse = this.poolIPsInUse.get(al.pool);
      if (inUse) {
        const n = (inUse.get(ip) ?? 0) - 1;
        if (n <= 0) inUse.delete(ip);
        else inUse.set(ip, n);
      }
    }
  }

  private freeIPFromPool(pool: Pool, svcKey: string, ports: Port[], key: Key): number | undefined {
    for (const cidr of pool.cidrs) {
      if (cidr.v6) continue;
      const size = 2 ** (32 - cidr.bits);
      for (let i = 0; i < size; i++) {
        const ip = cidr.ip + i;
        if (pool.avoidBuggyIPs && ipConfusesBuggyFirmwares(ip)) continue;
        if (this.checkSharing(svcKey, ip, ports, key)) continue;
        return ip;
      }
    }
    return undefined;
  }

  /** Allocator.Allocate: the first pool (pinned ones first, then every auto-assign pool) with a free address. */
  allocate(svcKey: string, svc: ServiceView, ports: Port[], sharingKey: string, backendKey: string): number[] | Error {
    const existing = this.allocated.get(svcKey);
    if (existing) {
      const err = this.assign(svcKey, svc, existing.ips, ports, sharingKey, backendKey);
      return err ?? existing.ips;
    }
    const key = { sharing: sharingKey, backend: backendKey };
    const tryPools = (pools: Pool[]): number[] | undefined => {
      for (const pool of pools) {
        const ip = this.freeIPFromPool(pool, svcKey, ports, key);
        if (ip === undefined) continue;
        return this.assign(svcKey, svc, [ip], ports, sharingKey, backendKey) ? undefined : [ip];
      }
      return undefined;
    };
    const pinned = tryPools(this.pinnedPools(svc));
    if (pinned) return pinned;
    const all = [...this.pools.byName.values()].filter((p) => p.autoAssign && !p.allocation).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return tryPools(all) ?? new Error("no available IPs");
  }

  /** Allocator.AllocateFromPool (the `metallb.io/address-pool` annotation). */
  allocateFromPool(svcKey: string, svc: ServiceView, poolName: string, ports: Port[], sharingKey: string, backendKey: string): number[] | Error {
    const existing = this.allocated.get(svcKey);
    if (existing) return this.assign(svcKey, svc, existing.ips, ports, sharingKey, backendKey) ?? existing.ips;
    const pool = this.pools.byName.get(poolName);
    if (!pool) return new Error(`unknown pool ${JSON.stringify(poolName)}`);
    const ip = this.freeIPFromPool(pool, svcKey, ports, { sharing: sharingKey, backend: backendKey });
    if (ip === undefined) return new Error(`no available IPs in pool ${pool.name} for IPv4 IPFamily`);
    return this.assign(svcKey, svc, [ip], ports, sharingKey, backendKey) ?? [ip];
  }

  private pinnedPools(svc: ServiceView): Pool[] {
    const out: Pool[] = [];
    for (const name of this.pools.byNamespace.get(svc.namespace) ?? []) {
      const p = this.pools.byName.get(name);
      if (p && p.autoAssign && this.compatible(p, svc)) out.push(p);
    }
    for (const name of this.pools.byServiceSelector) {
      const p = this.pools.byName.get(name);
      if (p && p.autoAssign && this.compatible(p, svc)) out.push(p);
    }
    // sortPools: by priority, pools without one last (a stable sort here).
    return out.sort((a, b) => {
      const pa = a.allocation?.priority ?? 0;
      const pb = b.allocation?.priority ?? 0;
      if (pa > 0 && pb > 0) return pa - pb;
      if (pa === 0 && pb > 0) return 1;
      if (pa > 0 && pb === 0) return -1;
      return 0;
    });
  }

  private compatible(p: Pool, svc: ServiceView): boolean {
    const a = p.allocation;
    if (a && a.namespaces.size > 0 && !a.namespaces.has(svc.namespace)) return false;
    if (a && a.serviceSelectors.length > 0) return a.serviceSelectors.some((s) => labelSelectorMatches(s, svc.labels));
    return true;
  }

  pool(svc: string): string {
    return this.allocated.get(svc)?.pool ?? "";
  }

  ips(svc: string): number[] | undefined {
    return this.allocated.get(svc)?.ips;
  }

  /** poolFor: the pool holding every address (in pool-name order; upstream walks a Go map). */
  poolFor(ips: number[]): Pool | undefined {
    for (const p of [...this.pools.byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      let cnt = 0;
      for (const ip of ips) {
        if (p.avoidBuggyIPs && ipConfusesBuggyFirmwares(ip)) continue;
        if (p.cidrs.some((c) => contains(c, ip))) cnt++;
      }
      if (cnt === ips.length) return p;
    }
    return undefined;
  }

  /** The addresses in use in a pool and its size (the allocator's stats). */
  stats(pool: Pool): { inUse: number; total: number } {
    let total = 0;
    for (const c of pool.cidrs) {
      if (c.v6) continue;
      let sz = 2 ** (32 - c.bits);
      if (pool.avoidBuggyIPs) {
        if (c.bits <= 24) sz -= 2 ** (24 - c.bits) * 2;
        else {
          if (ipConfusesBuggyFirmwares(c.ip)) sz--;
          if (ipConfusesBuggyFirmwares(c.ip + 2 ** (32 - c.bits) - 1)) sz--;
        }
      }
      total += sz;
    }
    return { inUse: this.poolIPsInUse.get(pool.name)?.size ?? 0, total };
  }

  private checkSharing(svc: string, ip: number, ports: Port[], key: Key): Error | undefined {
    const existing = this.sharingKeyForIP.get(ip);
    if (!existing) return undefined;
    const err = sharingOK(existing, key);
    if (err) {
      const others = [...(this.servicesOnIP.get(ip) ?? [])].filter((s) => s !== svc);
      if (others.length > 0) return new Error(`can't change sharing key for ${JSON.stringify(svc)}, address also in use by ${others.join(",")}`);
    }
    for (const p of ports) {
      const cur = this.portsInUse.get(ip)?.get(portString(p));
      if (cur !== undefined && cur !== svc) return new Error(`port ${portString(p)} is already in use on ${JSON.stringify(numberToIP(ip))}`);
    }
    return undefined;
  }
}

function sharingOK(existing: Key, next: Key): Error | undefined {
  if (existing.sharing === "") return new Error("existing service does not allow sharing");
  if (next.sharing === "") return new Error("new service does not allow sharing");
  if (existing.sharing !== next.sharing) return new Error(`sharing key ${JSON.stringify(next.sharing)} does not match existing sharing key ${JSON.stringify(existing.sharing)}`);
  if (existing.backend !== next.backend) return new Error(`backend key ${JSON.stringify(next.backend)} does not match existing sharing key ${JSON.stringify(existing.backend)}`);
  return undefined;
}
