import { test } from "node:test";
import assert from "node:assert/strict";
import { Allocator, ipToNumber, numberToIP, parseCIDR, poolsFor, prefixString, type CR, type Pool, type Pools, type Prefix } from "./metallbconfig.ts";

const ip = (s: string) => ipToNumber(s)!;
const cr = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>): CR => ({ metadata: { name, namespace: "metallb-system", ...(labels ? { labels } : {}) }, spec });
const svc = { namespace: "default", labels: {} };

interface PoolSpec {
  name: string;
  cidrs: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
}

function pools(list: PoolSpec[]): Pools {
  const byName = new Map<string, Pool>();
  for (const p of list) {
    const cidrs = p.cidrs.flatMap((c) => parseCIDR(c) as Prefix[]);
    byName.set(p.name, { name: p.name, autoAssign: p.autoAssign ?? true, avoidBuggyIPs: p.avoidBuggyIPs ?? false, l2: [], cidrs });
  }
  return { byName, byNamespace: new Map(), byServiceSelector: [] };
}

test("ParseCIDR: a CIDR is its network, a range is summarized into the prefixes covering it (config.ParseCIDR, ipaddr.Summarize)", () => {
  const cases: Array<[string, string[] | string]> = [
    ["10.0.0.0/24", ["10.0.0.0/24"]],
    ["10.0.0.5/24", ["10.0.0.0/24"]],
    ["172.18.255.200-172.18.255.250", ["172.18.255.200/29", "172.18.255.208/28", "172.18.255.224/28", "172.18.255.240/29", "172.18.255.248/31", "172.18.255.250/32"]],
    ["192.168.9.1-192.168.9.5", ["192.168.9.1/32", "192.168.9.2/31", "192.168.9.4/31"]],
    ["1.2.3.4-1.2.3.4", ["1.2.3.4/32"]],
    ["0.0.0.0-255.255.255.255", ["0.0.0.0/0"]],
    ["1.2.3.4", 'invalid CIDR "1.2.3.4"'],
    ["1.2.3.4/33", 'invalid CIDR "1.2.3.4/33"'],
    ["a-1.2.3.4", 'invalid IP range "a-1.2.3.4": invalid start IP "a"'],
    ["1.2.3.4-b", 'invalid IP range "1.2.3.4-b": invalid end IP "b"'],
    ["1.2.3.10-1.2.3.1", 'invalid IP range "1.2.3.10-1.2.3.1": start IP "1.2.3.10" is after the end IP "1.2.3.1"'],
  ];
  for (const [input, want] of cases) {
    const got = parseCIDR(input);
    if (typeof want === "string") assert.equal(got instanceof Error ? got.message : "no error", want, input);
    else assert.deepEqual(got instanceof Error ? got.message : got.map(prefixString), want, input);
  }
});

test("poolsFor: overlapping CIDRs within and between pools, duplicates and empty pools are refused with config.go's texts", () => {
  const err = (list: CR[]) => {
    const r = poolsFor(list, [], [], []);
    return r instanceof Error ? r.message : "ok";
  };
  assert.equal(err([cr("a", { addresses: ["10.0.0.0/24"] }), cr("b", { addresses: ["10.0.1.0/24"] })]), "ok");
  assert.equal(err([cr("a", { addresses: ["10.0.0.0/24"] }), cr("b", { addresses: ["10.0.0.128/25"] })]), 'CIDR "10.0.0.128/25" in pool "b" overlaps with already defined CIDR "10.0.0.0/24"');
  assert.equal(err([cr("a", { addresses: ["10.0.0.0/24", "10.0.0.0/16"] })]), 'CIDR "10.0.0.0/16" in pool "a" overlaps with already defined CIDR "10.0.0.0/24"');
  assert.equal(err([cr("a", { addresses: ["10.0.0.1-10.0.0.5"] }), cr("a", { addresses: ["10.0.1.0/24"] })]), 'duplicate definition of pool "a"');
  assert.equal(err([cr("a", { addresses: [] })]), "parsing address pool a: pool has no prefixes defined");
  assert.equal(err([cr("a", { addresses: ["10.0.0.0/24", "fc00::/120", "fc00::/120"] })]), 'CIDR "fc00::/120" in pool "a" overlaps with already defined CIDR "fc00::/120"');
});

test("L2Advertisements: none named means every pool; ipAddressPools, ipAddressPoolSelectors and nodeSelectors narrow it", () => {
  const nodes: CR[] = [{ metadata: { name: "n1", labels: { zone: "a" } } }, { metadata: { name: "n2", labels: { zone: "b" } } }];
  const p = [cr("blue", { addresses: ["10.0.0.0/24"] }, { color: "blue" }), cr("red", { addresses: ["10.0.1.0/24"] })];
  const cfg = poolsFor(p, [cr("all", {}), cr("only-red", { ipAddressPools: ["red"], nodeSelectors: [{ matchLabels: { zone: "b" } }] }), cr("sel", { ipAddressPoolSelectors: [{ matchLabels: { color: "blue" } }] })], [], nodes) as Pools;
  const view = (n: string) => cfg.byName.get(n)!.l2.map((a) => [...a.nodes].sort());
  assert.deepEqual(view("blue"), [["n1", "n2"], ["n1", "n2"]]);
  assert.deepEqual(view("red"), [["n1", "n2"], ["n2"]]);
});

test("Allocate: the first free address of each CIDR in order; a pool that runs out; an address freed is handed out again (TestPoolAllocation)", () => {
  const a = new Allocator();
  a.setPools(pools([{ name: "test", cidrs: ["1.2.3.4/31", "1.2.3.10/31"] }]));
  const got: string[] = [];
  for (const k of ["s1", "s2", "s3", "s4"]) {
    const r = a.allocate(k, svc, [], "", "");
    assert.ok(!(r instanceof Error), k);
    got.push(numberToIP(r[0]!));
  }
  assert.deepEqual(got, ["1.2.3.4", "1.2.3.5", "1.2.3.10", "1.2.3.11"]);
  assert.equal((a.allocate("s5", svc, [], "", "") as Error).message, "no available IPs");
  // An allocated service gets its own address again.
  assert.deepEqual(a.allocate("s2", svc, [], "", ""), [ip("1.2.3.5")]);
  a.unassign("s2");
  assert.deepEqual(a.allocate("s5", svc, [], "", ""), [ip("1.2.3.5")]);
  assert.equal(a.pool("s5"), "test");
  assert.deepEqual(a.stats(a.pools.byName.get("test")!), { inUse: 4, total: 4 });
});

test("AllocateFromPool: the named pool only, even when not auto-assigned; unknown and exhausted pools", () => {
  const a = new Allocator();
  a.setPools(pools([{ name: "auto", cidrs: ["10.0.0.0/31"] }, { name: "manual", cidrs: ["10.0.1.0/32"], autoAssign: false }]));
  assert.deepEqual(a.allocateFromPool("s1", svc, "manual", [], "", ""), [ip("10.0.1.0")]);
  assert.equal((a.allocateFromPool("s2", svc, "manual", [], "", "") as Error).message, "no available IPs in pool manual for IPv4 IPFamily");
  assert.equal((a.allocateFromPool("s3", svc, "nope", [], "", "") as Error).message, 'unknown pool "nope"');
  // Automatic allocation never takes from a pool with autoAssign false.
  assert.deepEqual(a.allocate("s4", svc, [], "", ""), [ip("10.0.0.0")]);
  assert.deepEqual(a.allocate("s5", svc, [], "", ""), [ip("10.0.0.1")]);
  assert.equal((a.allocate("s6", svc, [], "", "") as Error).message, "no available IPs");
});

test("avoidBuggyIPs skips .0 and .255 (TestBuggyIPs) and the pool's count leaves them out (TestPoolCount)", () => {
  const a = new Allocator();
  a.setPools(pools([{ name: "test", cidrs: ["1.2.3.0/31"] }, { name: "test3", cidrs: ["1.2.4.0/31"], avoidBuggyIPs: true }, { name: "test4", cidrs: ["1.2.4.254/31"], avoidBuggyIPs: true }]));
  const got = new Set<string>();
  for (let i = 1; i <= 4; i++) got.add(numberToIP((a.allocate(`s${i}`, svc, [], "", "") as number[])[0]!));
  assert.deepEqual([...got].sort(), ["1.2.3.0", "1.2.3.1", "1.2.4.1", "1.2.4.254"]);
  assert.ok(a.allocate("s5", svc, [], "", "") instanceof Error);
  const p = pools([{ name: "x", cidrs: ["1.2.3.0/24", "2.3.4.128/25"], avoidBuggyIPs: true }]).byName.get("x")!;
  assert.equal(new Allocator().stats(p).total, 381);
  const q = pools([{ name: "y", cidrs: ["1.2.3.0/24", "2.3.4.128/25"] }]).byName.get("y")!;
  assert.equal(new Allocator().stats(q).total, 384);
});

test("Assign and sharing: the same key and other ports share an address; the texts of checkSharing and sharingOK", () => {
  const a = new Allocator();
  a.setPools(pools([{ name: "test", cidrs: ["1.2.3.0/24"] }]));
  const tcp = (port: number) => [{ proto: "TCP", port }];
  assert.equal(a.assign("s1", svc, [ip("1.2.3.4")], tcp(80), "share", ""), undefined);
  assert.equal(a.assign("s2", svc, [ip("1.2.3.4")], tcp(443), "share", ""), undefined);
  assert.equal(a.assign("s3", svc, [ip("1.2.3.4")], tcp(80), "share", "")?.message, 'port TCP/80 is already in use on "1.2.3.4"');
  assert.equal(a.assign("s4", svc, [ip("1.2.3.4")], tcp(8080), "", "")?.message, 'can\'t change sharing key for "s4", address also in use by s1,s2');
  assert.equal(a.assign("s5", svc, [ip("1.2.3.4")], tcp(8080), "other", "")?.message, 'can\'t change sharing key for "s5", address also in use by s1,s2');
  assert.equal(a.assign("s6", svc, [ip("10.0.0.1")], tcp(80), "", "")?.message, '["10.0.0.1"] is not allowed in config');
  // Allocation skips a shared address whose ports clash, and takes it when they do not.
  const b = new Allocator();
  b.setPools(pools([{ name: "test", cidrs: ["1.2.3.4/31"] }]));
  assert.equal(b.assign("s1", svc, [ip("1.2.3.4")], tcp(80), "share", ""), undefined);
  assert.deepEqual(b.allocate("s2", svc, tcp(80), "share", ""), [ip("1.2.3.5")]);
  assert.deepEqual(b.allocate("s3", svc, tcp(443), "share", ""), [ip("1.2.3.4")]);
  assert.equal((b.allocate("s4", svc, tcp(80), "share", "") as Error).message, "no available IPs");
});

test("serviceAllocation: pinned pools by namespace and service selector come first, by priority", () => {
  const nsList: CR[] = [{ metadata: { name: "team-a", labels: { team: "a" } } }, { metadata: { name: "default" } }];
  const cfg = poolsFor(
    [
      cr("general", { addresses: ["10.0.0.0/24"] }),
      cr("team", { addresses: ["10.0.1.0/24"], serviceAllocation: { priority: 20, namespaceSelectors: [{ matchLabels: { team: "a" } }] } }),
      cr("vip", { addresses: ["10.0.2.0/24"], serviceAllocation: { priority: 10, namespaces: ["team-a"], serviceSelectors: [{ matchLabels: { tier: "vip" } }] } }),
    ],
    [],
    nsList,
    [],
  ) as Pools;
  const a = new Allocator();
  a.setPools(cfg);
  assert.deepEqual(a.allocate("team-a/plain", { namespace: "team-a", labels: {} }, [], "", ""), [ip("10.0.1.0")]);
  assert.deepEqual(a.allocate("team-a/vip", { namespace: "team-a", labels: { tier: "vip" } }, [], "", ""), [ip("10.0.2.0")]);
  assert.deepEqual(a.allocate("default/x", { namespace: "default", labels: {} }, [], "", ""), [ip("10.0.0.0")]);
  // A pinned pool refuses an address asked by a Service it is not for.
  assert.equal(a.assign("default/y", svc, [ip("10.0.1.9")], [], "", "")?.message, "pool team not compatible for ip assignment");
});

test("SetPools: an assignment whose address leaves every pool is dropped", () => {
  const a = new Allocator();
  a.setPools(pools([{ name: "one", cidrs: ["10.0.0.0/24"] }]));
  a.allocate("s1", svc, [], "", "");
  a.setPools(pools([{ name: "two", cidrs: ["10.0.1.0/24"] }]));
  assert.equal(a.pool("s1"), "");
  a.setPools(pools([{ name: "three", cidrs: ["10.0.1.0/24"] }]));
  a.allocate("s2", svc, [], "", "");
  a.setPools(pools([{ name: "renamed", cidrs: ["10.0.1.0/24"] }]));
  assert.equal(a.pool("s2"), "renamed");
});
