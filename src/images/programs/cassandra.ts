/**
 * The cassandra image of kubernetes.io's "Example: Deploying Cassandra with a StatefulSet"
 * (gcr.io/google-samples/cassandra:v13, kubernetes/examples cassandra/image): Apache Cassandra
 * 3.11.2 started by `/usr/bin/dumb-init /bin/bash /run.sh`, ported from the image's files.
 *
 * - `/run.sh` (runSh): fills /etc/cassandra/cassandra.yaml from the environment as the script's
 *   `sed -ri` lines do (cluster_name, num_tokens 32, listen/broadcast addresses from POD_IP, the
 *   seeds, the seed provider, GossipingPropertyFileSnitch when CASSANDRA_DC and CASSANDRA_RACK are
 *   set, with cassandra-rackdc.properties), appends `auto_bootstrap`, the JVM options and the RMI
 *   host, echoes its settings, `chmod 700` and `chown -c -R cassandra` the data and configuration
 *   (printing what changed), and runs `cassandra -f` as the user cassandra.
 * - `cassandra -f` (CassandraNode): cassandra-env.sh refuses MAX_HEAP_SIZE without HEAP_NEWSIZE
 *   (and the reverse); the node reads cassandra.yaml and the snitch's properties, resolves its
 *   seeds (its own name through the kubelet's /etc/hosts, the others through the cluster DNS,
 *   where a headless Service has records for Ready Pods only), and joins the ring:
 *   - a node that is one of its seeds and has no data starts a ring alone: random tokens,
 *     NORMAL at once (no bootstrap);
 *   - any other new node gossips with a seed (none reachable: the shadow round fails after
 *     RING_DELAY, "Unable to gossip with any seeds", exit 3), waits RING_DELAY for the ring's
 *     information, takes random tokens and is JOINING (UJ), waits RING_DELAY again for pending
 *     ranges, streams, and is NORMAL (UN). Only one node bootstraps at a time (another JOINING
 *     node: "Other bootstrapping/leaving/moving nodes detected", exit 3);
 *   - a node with data (its host ID and tokens on the data volume) rejoins its ring NORMAL,
 *     under a new address if its Pod got one.
 *   Gossip is the shared ring of one cluster (the simulated cluster's clock): every node sees the
 *   same states at once (real gossip converges within a second or two). A node that stops is
 *   DOWN: at once when it announced it (`nodetool drain`), after the failure detector's
 *   conviction otherwise (phi > 8 with 1 s gossip intervals: about 18 s).
 * - `nodetool status` (Status.java of 3.11): the ring by datacenter, `UN`/`UJ`/`DN`, the address,
 *   the load, the number of tokens, the effective ownership of system_traces (SimpleStrategy,
 *   replication factor 2, the keyspace nodetool uses when there is no user keyspace: the page's
 *   figures add up to 200 %), the host ID and the rack, the rows in Java's HashMap order of the
 *   addresses (as the page's output shows them). `nodetool drain` (the preStop hook) flushes and
 *   stops gossip and the client ports; `nodetool version`. Until the node gossips, JMX refuses.
 * - `/ready-probe.sh` (readyProbe): `nodetool status | grep $POD_IP` has `UN`.
 * - dumb-init (PID 1) forwards SIGTERM to its child's process group: bash dies of it, dumb-init
 *   exits 143 and the container's other processes (the JVM) die with the namespace.
 *
 * Timings (the JVM on the page's 500m CPU limit; the Pods of the page's output take a minute to
 * become Ready, "several minutes" for three): the JVM starts, replays its commit log and loads
 * the schema in 20 s before it gossips; gossip settles in 8 s before CQL listens
 * (Gossiper.waitToSettle: 5 s, then three 1 s polls); RING_DELAY is run.sh's 30000 ms
 * (-Dcassandra.ring_delay_ms); streaming the empty system keyspaces takes 1 s; a nodetool JVM
 * takes 1.5 s; `nodetool drain` 2 s.
 *
 * Host IDs and tokens are random in Cassandra (UUID.randomUUID, Murmur3Partitioner's random
 * longs): here they come from keyedRandom of the node's FQDN and the instant it first started, so
 * that the same scenario prints the same ring. Loads are those of a node with only the system
 * keyspaces (70–110 KiB, keyed the same way).
 */
import type { ContainerProcess, ContainerSpace, ProcessIO, Signal } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { SimClock } from "../../sim/clock.ts";
import { keyedRandom } from "../../sim/random.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess } from "./server.ts";
import { runServerInShell, spaceApp, stopShellServers } from "./shellservers.ts";
import { ownAddress } from "./zookeeper.ts";
import type { ContainerLaunch } from "../../runtime/types.ts";

export const CASSANDRA_VERSION = "3.11.2";
const CONF_DIR = "/etc/cassandra";
const CFG = `${CONF_DIR}/cassandra.yaml`;

/** The JVM's start until gossip (commit log replay, schema): ms. */
export const GOSSIP_START_MS = 20_000;
/** Gossiper.waitToSettle before CQL listens. */
export const SETTLE_MS = 8_000;
/** Streaming the system keyspaces while bootstrapping. */
export const STREAM_MS = 1_000;
/** A nodetool JVM's run. */
export const NODETOOL_MS = 1_500;
/** `nodetool drain`: flushing the memtables. */
export const DRAIN_MS = 2_000;
/** The failure detector's conviction of a node that stopped without saying so. */
export const CONVICT_MS = 18_000;

// ---- configuration ---------------------------------------------------------------------

export interface CassandraConfig {
  clusterName: string;
  numTokens: number;
  seeds: string[];
  listenAddress: string;
  broadcastAddress: string;
  endpointSnitch: string;
  dataDirs: string[];
  autoBootstrap: boolean;
  storagePort: number;
  nativePort: number;
}

/** The settings cassandra.yaml gives (YAML's simple `key: value` lines, the data directories' list and the seeds' string). */
export function parseCassandraYaml(text: string): CassandraConfig {
  const kv = new Map<string, string>();
  const dataDirs: string[] = [];
  let seeds = "";
  let inDataDirs = false;
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    const top = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (top) {
      inDataDirs = top[1] === "data_file_directories";
      kv.set(top[1]!, top[2]!);
      continue;
    }
    const item = /^\s+-\s+(.*?)\s*$/.exec(line);
    if (inDataDirs && item) dataDirs.push(item[1]!);
    const s = /^\s+-\s+seeds:\s*"?([^"]*)"?\s*$/.exec(line);
    if (s) seeds = s[1]!;
  }
  const unquote = (v: string | undefined) => (v ?? "").replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  const listen = unquote(kv.get("listen_address"));
  return {
    clusterName: unquote(kv.get("cluster_name")) || "Test Cluster",
    numTokens: Number(kv.get("num_tokens")) || 1,
    seeds: seeds.split(",").map((x) => x.trim()).filter(Boolean),
    listenAddress: listen,
    broadcastAddress: unquote(kv.get("broadcast_address")) || listen,
    endpointSnitch: unquote(kv.get("endpoint_snitch")) || "SimpleSnitch",
    dataDirs: dataDirs.length ? dataDirs : ["/var/lib/cassandra/data"],
    autoBootstrap: (kv.get("auto_bootstrap") ?? "true") !== "false",
    storagePort: Number(kv.get("storage_port")) || 7000,
    nativePort: Number(kv.get("native_transport_port")) || 9042,
  };
}

/** cassandra-rackdc.properties as GossipingPropertyFileSnitch reads it (values trimmed). */
export function parseRackDc(text: string): { dc?: string; rack?: string } {
  const out: { dc?: string; rack?: string } = {};
  for (const line of text.split("\n")) {
    const m = /^\s*(dc|rack)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1] as "dc" | "rack"] = m[2]!;
  }
  return out;
}

// ---- the ring --------------------------------------------------------------------------

export type EndpointState = "JOINING" | "NORMAL";

export interface Endpoint {
  hostId: string;
  ip: string;
  dc: string;
  rack: string;
  tokens: bigint[];
  state: EndpointState;
  up: boolean;
  loadBytes: number;
  node?: CassandraNode;
}

/** One Cassandra cluster's gossip: its endpoints by host ID. */
export class Ring {
  readonly endpoints = new Map<string, Endpoint>();
  constructor(
    readonly id: string,
    readonly clusterName: string,
  ) {}

  byIp(ip: string): Endpoint | undefined {
    for (const e of this.endpoints.values()) if (e.ip === ip) return e;
    return undefined;
  }
}

interface Registry {
  rings: Map<string, Ring>;
  /** Running nodes by address (gossip's storage port). */
  nodes: Map<string, CassandraNode>;
}

const registries = new WeakMap<SimClock, Registry>();

function registry(clock: SimClock): Registry {
  let r = registries.get(clock);
  if (!r) registries.set(clock, (r = { rings: new Map(), nodes: new Map() }));
  return r;
}

const TWO64 = 1n << 64n;

/** A random Murmur3 token (a signed 64-bit long; Long.MIN_VALUE is normalized to MAX). */
function randomToken(r: ReturnType<typeof keyedRandom>): bigint {
  const hi = BigInt(r.uint32());
  const lo = BigInt(r.uint32());
  let v = (hi << 32n) | lo;
  if (v >= 1n << 63n) v -= TWO64;
  if (v === -(1n << 63n)) v = (1n << 63n) - 1n;
  return v;
}

/** A version 4 UUID's text. */
function uuid4(r: ReturnType<typeof keyedRandom>): string {
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = r.uint32();
    bytes.push(w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A new node's identity: host ID, tokens and the load of its system keyspaces. */
export function newIdentity(key: string, numTokens: number): { hostId: string; tokens: bigint[]; loadBytes: number } {
  const r = keyedRandom(`cassandra/${key}`);
  const hostId = uuid4(r);
  const tokens: bigint[] = [];
  while (tokens.length < numTokens) {
    const t = randomToken(r);
    if (!tokens.includes(t)) tokens.push(t);
  }
  const loadBytes = Math.round(70 * 1024 + r.float() * 40 * 1024);
  return { hostId, tokens, loadBytes };
}

/**
 * StorageService.effectiveOwnership for a SimpleStrategy keyspace of replication factor `rf`:
 * Murmur3Partitioner.describeOwnership gives each token the share of the ring from the previous
 * token (rounded to 6 decimals, as a float); each range belongs to the endpoint of its token and
 * the next rf-1 distinct endpoints clockwise; an endpoint's ownership is the float sum of its
 * ranges. Only NORMAL endpoints own ranges.
 */
export function effectiveOwnership(endpoints: Endpoint[], rf: number): Map<string, number> {
  const normal = endpoints.filter((e) => e.state === "NORMAL");
  const ring: Array<{ t: bigint; e: Endpoint }> = [];
  for (const e of normal) for (const t of e.tokens) ring.push({ t, e });
  ring.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const out = new Map<string, number>();
  for (const e of normal) out.set(e.hostId, 0);
  if (ring.length === 0) return out;
  const share = new Map<number, number>();
  if (ring.length === 1) share.set(0, 1);
  else {
    const r = TWO64 - 2n;
    for (let i = 0; i < ring.length; i++) {
      const prev = ring[(i - 1 + ring.length) % ring.length]!.t;
      const d = (((ring[i]!.t - prev + r) % r) + r) % r;
      // BigDecimal.divide(r, 6, ROUND_HALF_EVEN): micro-units, half-even.
      const scaled = d * 1_000_000n;
      let q = scaled / r;
      const rem = scaled % r;
      if (rem * 2n > r || (rem * 2n === r && q % 2n === 1n)) q++;
      share.set(i, Math.fround(Number(q) / 1_000_000));
    }
  }
  const distinct = new Set(normal.map((e) => e.hostId)).size;
  const replicas = Math.min(rf, distinct);
  for (let i = 0; i < ring.length; i++) {
    const owners: string[] = [];
    for (let j = 0; owners.length < replicas && j < ring.length; j++) {
      const e = ring[(i + j) % ring.length]!.e;
      if (!owners.includes(e.hostId)) owners.push(e.hostId);
    }
    for (const h of owners) out.set(h, Math.fround(out.get(h)! + share.get(i)!));
  }
  return out;
}

/** FileUtils.stringifyFileSize: DecimalFormat("#.##") of bytes, KiB, MiB, GiB, TiB. */
export function stringifyFileSize(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 4, "TiB"],
    [1024 ** 3, "GiB"],
    [1024 ** 2, "MiB"],
    [1024, "KiB"],
  ];
  const fmt = (v: number) => String(Number(roundHalfEven(v, 2).toFixed(2)));
  for (const [size, unit] of units) if (bytes >= size) return `${fmt(bytes / size)} ${unit}`;
  return `${fmt(bytes)} bytes`;
}

function roundHalfEven(v: number, digits: number): number {
  const f = 10 ** digits;
  const x = v * f;
  const fl = Math.floor(x);
  const diff = x - fl;
  if (Math.abs(diff - 0.5) < 1e-9) return (fl % 2 === 0 ? fl : fl + 1) / f;
  return Math.round(x) / f;
}

/** java.net.Inet4Address.hashCode (the address as an int) in a HashMap of 16 buckets: the order HashMap keySet() gives. */
export function inetHashOrder(ips: string[]): string[] {
  let cap = 16;
  while (ips.length > cap * 0.75) cap *= 2;
  const bucket = (ip: string) => {
    const p = ip.split(".").map(Number);
    const h = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) | 0;
    return (h ^ (h >>> 16)) & (cap - 1);
  };
  return ips.map((ip, i) => ({ ip, b: bucket(ip), i })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.ip);
}

/** `nodetool status` as Status.java (3.11) prints a ring of vnodes seen from one node. */
export function formatStatus(endpoints: Endpoint[]): string {
  if (endpoints.length === 0) return "";
  const owns = effectiveOwnership(endpoints, 2);
  const dcs = new Map<string, Endpoint[]>();
  // Token order first (getTokenToEndpointMap), then each DC's hosts in HashMap order.
  const byToken = [...endpoints].sort((a, b) => {
    const ta = a.tokens.reduce((m, t) => (t < m ? t : m), a.tokens[0] ?? 0n);
    const tb = b.tokens.reduce((m, t) => (t < m ? t : m), b.tokens[0] ?? 0n);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  for (const e of byToken) dcs.set(e.dc, [...(dcs.get(e.dc) ?? []), e]);
  const maxAddr = Math.max(...endpoints.map((e) => e.ip.length));
  const row = (a: string, b: string, addr: string, load: string, tokens: string, own: string, host: string, rack: string) =>
    `${a}${b}  ${addr.padEnd(maxAddr)}  ${load.padEnd(9)}  ${tokens.padEnd(11)}  ${own.padEnd(16)}  ${host.padEnd(36)}  ${rack}\n`;
  let out = "";
  for (const [dc, eps] of dcs) {
    const header = `Datacenter: ${dc}`;
    out += `${header}\n${"=".repeat(header.length)}\nStatus=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n`;
    out += row("-", "-", "Address", "Load", "Tokens", "Owns (effective)", "Host ID", "Rack");
    const byIp = new Map(eps.map((e) => [e.ip, e]));
    for (const ip of inetHashOrder(eps.map((e) => e.ip))) {
      const e = byIp.get(ip)!;
      const own = e.state === "NORMAL" ? owns.get(e.hostId) : undefined;
      const pct = own === undefined ? "?" : `${roundHalfEven(own * 100, 1).toFixed(1)}%`;
      out += row(e.up ? "U" : "D", e.state === "JOINING" ? "J" : "N", e.ip, stringifyFileSize(e.loadBytes), String(e.tokens.length), pct, e.hostId, e.rack);
    }
  }
  return out;
}

// ---- the node --------------------------------------------------------------------------

interface SavedState {
  ring: string;
  clusterName: string;
  hostId: string;
  tokens: string[];
  loadBytes: number;
}

/** Cassandra's logback console pattern of the image (`%-5level %date{HH:mm:ss,SSS} %msg%n`). */
function logTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(11, 19)},${d.slice(20, 23)}`;
}

export class CassandraNode extends ServerProcess {
  cfg!: CassandraConfig;
  ip = "";
  dc = "datacenter1";
  rack = "rack1";
  ring: Ring | undefined;
  endpoint: Endpoint | undefined;
  /** Gossip runs (JMX answers from then on). */
  gossiping = false;
  drained = false;
  private ringDelayMs = 30_000;

  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
  }

  logLine(level: "INFO" | "WARN" | "ERROR", msg: string): void {
    this.log(`${level.padEnd(5)} ${logTime(this.io.clock.now())} ${msg}`);
  }

  private read(path: string): string | undefined {
    try {
      return this.io.fs.stat(path)?.type === "file" ? this.io.fs.readFile(path) : undefined;
    } catch {
      return undefined;
    }
  }

  private get statePath(): string {
    return `${this.cfg.dataDirs[0]}/system/local/kube-scenario-local.json`;
  }

  private loadState(): SavedState | undefined {
    const text = this.read(this.statePath);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as SavedState;
    } catch {
      return undefined;
    }
  }

  private saveState(): void {
    const e = this.endpoint;
    if (!e || !this.ring) return;
    const s: SavedState = { ring: this.ring.id, clusterName: this.cfg.clusterName, hostId: e.hostId, tokens: e.tokens.map(String), loadBytes: e.loadBytes };
    try {
      const dir = this.statePath.slice(0, this.statePath.lastIndexOf("/"));
      if (!this.io.fs.stat(dir)) this.io.fs.mkdir(dir, { recursive: true });
      this.io.fs.writeFile(this.statePath, JSON.stringify(s) + "\n");
    } catch {
      this.logLine("ERROR", `Unable to write ${this.statePath}`);
    }
  }

  protected run(): void {
    const text = this.read(CFG);
    if (text === undefined) {
      this.logLine("ERROR", "Exception encountered during startup");
      this.log(`org.apache.cassandra.exceptions.ConfigurationException: Cannot locate ${CFG}`);
      this.after(0, () => this.exit(3));
      return;
    }
    this.cfg = parseCassandraYaml(text);
    const opts = this.read(`${CONF_DIR}/jvm.options`) ?? "";
    const rd = /^-Dcassandra\.ring_delay_ms=(\d+)\s*$/m.exec(opts);
    if (rd) this.ringDelayMs = Number(rd[1]);
    if (this.cfg.endpointSnitch.endsWith("GossipingPropertyFileSnitch")) {
      const p = parseRackDc(this.read(`${CONF_DIR}/cassandra-rackdc.properties`) ?? "");
      this.dc = p.dc ?? "UNKNOWN_DC";
      this.rack = p.rack ?? "UNKNOWN_RACK";
    }
    this.ip = this.cfg.broadcastAddress;
    this.logLine("INFO", `Configuration location: file:${CFG}`);
    this.logLine("INFO", `Node configuration:[cluster_name=${this.cfg.clusterName}; endpoint_snitch=${this.cfg.endpointSnitch}; listen_address=${this.cfg.listenAddress}; num_tokens=${this.cfg.numTokens}]`);
    this.logLine("INFO", `Hostname: ${ownAddress(this.io)?.fqdn ?? this.io.hostname}`);
    this.logLine("INFO", `JVM vendor/version: OpenJDK 64-Bit Server VM/1.8.0_162`);
    this.after(GOSSIP_START_MS + this.startMs, () => this.startGossip());
  }

  /** The addresses of the seeds: the node's own names through /etc/hosts, the others through DNS. */
  private seedAddresses(): string[] {
    const own = ownAddress(this.io);
    const out: string[] = [];
    for (const s of this.cfg.seeds) {
      let ip: string | undefined;
      if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) ip = s;
      else if (own && (s === own.fqdn || s === this.io.hostname)) ip = own.ip;
      else ip = this.io.resolve(s);
      if (ip) out.push(ip);
      else this.logLine("WARN", `Seed provider couldn't lookup host ${s}`);
    }
    return out;
  }

  private startGossip(): void {
    const reg = registry(this.io.clock);
    const saved = this.loadState();
    const seeds = this.seedAddresses();
    const isSeed = seeds.includes(this.ip);
    reg.nodes.set(this.ip, this);
    this.gossiping = true;
    this.listen(this.cfg.storagePort, () => ({ status: 0, body: "" }));
    this.listen(7199, () => ({ status: 0, body: "" }));
    this.logLine("INFO", "Starting up server gossip");
    if (saved && saved.clusterName === this.cfg.clusterName) {
      const ring = reg.rings.get(saved.ring) ?? new Ring(saved.ring, saved.clusterName);
      reg.rings.set(ring.id, ring);
      const old = ring.endpoints.get(saved.hostId);
      const e: Endpoint = old ?? { hostId: saved.hostId, ip: this.ip, dc: this.dc, rack: this.rack, tokens: saved.tokens.map((t) => BigInt(t)), state: "NORMAL", up: true, loadBytes: saved.loadBytes };
      if (old && old.ip !== this.ip) this.logLine("INFO", `Node /${this.ip} state jump to NORMAL (was /${old.ip})`);
      this.takeAddress(ring, e);
      Object.assign(e, { ip: this.ip, up: true, state: "NORMAL", node: this });
      ring.endpoints.set(e.hostId, e);
      this.ring = ring;
      this.endpoint = e;
      this.logLine("INFO", `Using saved tokens [${e.tokens.slice(0, 3).join(", ")}, ...]`);
      this.normal();
      return;
    }
    const identity = newIdentity(`${ownAddress(this.io)?.fqdn ?? this.io.hostname}@${this.io.clock.now()}`, this.cfg.numTokens);
    const seedNode = seeds.map((ip) => reg.nodes.get(ip)).find((n) => n && n !== this && n.gossiping && !n.drained && n.ring && n.cfg.clusterName === this.cfg.clusterName);
    if (isSeed && !seedNode) {
      const ring = new Ring(identity.hostId, this.cfg.clusterName);
      reg.rings.set(ring.id, ring);
      this.join(ring, identity, "NORMAL");
      this.logLine("INFO", `Generated random tokens. tokens are [${identity.tokens.slice(0, 3).join(", ")}, ...]`);
      this.saveState();
      this.normal();
      return;
    }
    if (!seedNode) {
      // Gossiper.doShadowRound: no seed answers within RING_DELAY.
      this.after(this.ringDelayMs, () => {
        this.logLine("ERROR", "Exception encountered during startup");
        this.log("java.lang.RuntimeException: Unable to gossip with any seeds");
        this.exit(3);
      });
      return;
    }
    const ring = seedNode.ring!;
    if (!this.cfg.autoBootstrap || isSeed) {
      this.join(ring, identity, "NORMAL");
      this.saveState();
      this.normal();
      return;
    }
    this.logLine("INFO", `JOINING: waiting for ring information`);
    this.after(this.ringDelayMs, () => {
      const busy = [...ring.endpoints.values()].find((e) => e.state === "JOINING" && e.up);
      if (busy) {
        this.logLine("ERROR", "Exception encountered during startup");
        this.log("java.lang.UnsupportedOperationException: Other bootstrapping/leaving/moving nodes detected, cannot bootstrap while cassandra.consistent.rangemovement is true");
        this.exit(3);
        return;
      }
      this.logLine("INFO", "JOINING: schema complete, ready to bootstrap");
      this.logLine("INFO", "JOINING: getting bootstrap token");
      this.join(ring, identity, "JOINING");
      this.logLine("INFO", `JOINING: sleeping ${this.ringDelayMs} ms for pending range setup`);
      this.after(this.ringDelayMs + STREAM_MS, () => {
        this.logLine("INFO", "JOINING: Starting to bootstrap...");
        this.logLine("INFO", "Bootstrap completed! for the tokens [" + identity.tokens.slice(0, 3).join(", ") + ", ...]");
        this.endpoint!.state = "NORMAL";
        this.saveState();
        this.normal();
      });
    });
  }

  /** Gossip keeps one state per address: another host's state at this address is replaced. */
  private takeAddress(ring: Ring, e: Endpoint): void {
    const prev = ring.byIp(this.ip);
    if (prev && prev !== e) ring.endpoints.delete(prev.hostId);
  }

  private join(ring: Ring, id: { hostId: string; tokens: bigint[]; loadBytes: number }, state: EndpointState): void {
    const e: Endpoint = { hostId: id.hostId, ip: this.ip, dc: this.dc, rack: this.rack, tokens: id.tokens, state, up: true, loadBytes: id.loadBytes, node: this };
    this.takeAddress(ring, e);
    ring.endpoints.set(e.hostId, e);
    this.ring = ring;
    this.endpoint = e;
  }

  private normal(): void {
    this.logLine("INFO", "Node /" + this.ip + " state jump to NORMAL");
    this.after(SETTLE_MS, () => {
      this.logLine("INFO", "Waiting for gossip to settle...");
      this.logLine("INFO", `No gossip backlog; proceeding`);
      this.listen(this.cfg.nativePort, () => ({ status: 0, body: "" }));
      this.logLine("INFO", `Starting listening for CQL clients on /0.0.0.0:${this.cfg.nativePort} (unencrypted)...`);
    });
  }

  /** The ring as this node's gossip sees it. */
  view(): Endpoint[] {
    return this.ring ? [...this.ring.endpoints.values()].filter((e) => e.tokens.length > 0) : [];
  }

  /** `nodetool drain`: flush, stop gossip (announced: the others mark it down at once) and the client ports. */
  drain(): void {
    if (this.drained) return;
    this.drained = true;
    this.logLine("INFO", "DRAINING: starting drain process");
    this.logLine("INFO", "Announcing shutdown");
    if (this.endpoint) this.endpoint.up = false;
    this.logLine("INFO", "DRAINED");
  }

  override exit(code: number): void {
    if (!this.running) return super.exit(code);
    const reg = registry(this.io.clock);
    if (reg.nodes.get(this.ip) === this) reg.nodes.delete(this.ip);
    const e = this.endpoint;
    super.exit(code);
    if (e && e.node === this && e.up) {
      // The failure detector convicts a node that did not announce its shutdown.
      const clock = this.io.clock;
      clock.setTimeout(() => {
        if (e.node === this) e.up = false;
      }, CONVICT_MS);
    }
  }
}

// ---- the container: dumb-init, run.sh, cassandra -f ---------------------------------------

const nodes = new WeakMap<ContainerSpace, CassandraNode>();
/** `Given the image "x" takes 20 seconds to start`: the container's JVM gossips that much later. */
const startDelays = new WeakMap<ContainerSpace, number>();

function ownNode(io: ProcessIO): CassandraNode | undefined {
  const n = io.container ? nodes.get(io.container) : undefined;
  return n?.running ? n : undefined;
}

/** The yaml keys run.sh sets from CASSANDRA_<KEY> (its loop; endpoint_snitch is listed twice). */
const YAML_KEYS = [
  "broadcast_address",
  "broadcast_rpc_address",
  "cluster_name",
  "disk_optimization_strategy",
  "endpoint_snitch",
  "listen_address",
  "num_tokens",
  "rpc_address",
  "start_rpc",
  "key_cache_size_in_mb",
  "concurrent_reads",
  "concurrent_writes",
  "memtable_cleanup_threshold",
  "memtable_allocation_type",
  "memtable_flush_writers",
  "concurrent_compactors",
  "compaction_throughput_mb_per_sec",
  "counter_cache_size_in_mb",
  "internode_compression",
  "endpoint_snitch",
  "gc_warn_threshold_in_ms",
  "listen_interface",
  "rpc_interface",
];

/** The variables run.sh echoes, in its order. */
const ECHOED = [
  "CASSANDRA_CONF_DIR",
  "CASSANDRA_CFG",
  "CASSANDRA_AUTO_BOOTSTRAP",
  "CASSANDRA_BROADCAST_ADDRESS",
  "CASSANDRA_BROADCAST_RPC_ADDRESS",
  "CASSANDRA_CLUSTER_NAME",
  "CASSANDRA_COMPACTION_THROUGHPUT_MB_PER_SEC",
  "CASSANDRA_CONCURRENT_COMPACTORS",
  "CASSANDRA_CONCURRENT_READS",
  "CASSANDRA_CONCURRENT_WRITES",
  "CASSANDRA_COUNTER_CACHE_SIZE_IN_MB",
  "CASSANDRA_DC",
  "CASSANDRA_DISK_OPTIMIZATION_STRATEGY",
  "CASSANDRA_ENDPOINT_SNITCH",
  "CASSANDRA_GC_WARN_THRESHOLD_IN_MS",
  "CASSANDRA_INTERNODE_COMPRESSION",
  "CASSANDRA_KEY_CACHE_SIZE_IN_MB",
  "CASSANDRA_LISTEN_ADDRESS",
  "CASSANDRA_LISTEN_INTERFACE",
  "CASSANDRA_MEMTABLE_ALLOCATION_TYPE",
  "CASSANDRA_MEMTABLE_CLEANUP_THRESHOLD",
  "CASSANDRA_MEMTABLE_FLUSH_WRITERS",
  "CASSANDRA_MIGRATION_WAIT",
  "CASSANDRA_NUM_TOKENS",
  "CASSANDRA_RACK",
  "CASSANDRA_RING_DELAY",
  "CASSANDRA_RPC_ADDRESS",
  "CASSANDRA_RPC_INTERFACE",
  "CASSANDRA_SEEDS",
  "CASSANDRA_SEED_PROVIDER",
];

/** `sed -ri 's/^(# )?(key:).*\/\2 value/'` over a file's lines. */
export function sedYamlKey(text: string, key: string, value: string): string {
  return text
    .split("\n")
    .map((l) => (l.startsWith(`${key}:`) || l.startsWith(`# ${key}:`) ? `${key}: ${value}` : l))
    .join("\n");
}

function fileText(io: ProcessIO, path: string): string | undefined {
  try {
    return io.fs.readFile(path);
  } catch {
    return undefined;
  }
}

function userName(io: ProcessIO, uid: number): string | undefined {
  for (const line of (fileText(io, "/etc/passwd") ?? "").split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && Number(f[2]) === uid && /^\d+$/.test(f[2]!)) return f[0];
  }
  return uid === 0 ? "root" : undefined;
}

/** `chown -c -R cassandra paths…`: what changed, as coreutils reports it. */
function chownReport(io: ProcessIO, paths: string[], uid: number, name: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = io.fs.stat(p);
    if (!st) return;
    const owner = st.uid ?? 0;
    if (owner !== uid) out.push(`changed ownership of '${p}' from ${userName(io, owner) ?? owner} to ${name}`);
    if (st.type === "dir") for (const c of io.fs.readdir(p)) visit(`${p}/${c}`);
  };
  for (const p of paths) visit(p);
  return out;
}

/** /run.sh of the image (see the module comment). */
export const runSh: CommandFn = function* (sh: Shell): G<number> {
  const io = sh.io;
  const env = (k: string) => sh.getVar(k) ?? io.env[k] ?? "";
  const v: Record<string, string> = {};
  for (const k of ECHOED) v[k] = env(k);
  v.CASSANDRA_CONF_DIR = CONF_DIR;
  v.CASSANDRA_CFG = CFG;
  const own = ownAddress(io);
  if (!env("CASSANDRA_SEEDS")) {
    // HOSTNAME=$(hostname -f); CASSANDRA_SEEDS=$(hostname -f)
    v.CASSANDRA_SEEDS = own?.fqdn ?? io.hostname;
  }
  const hostname = env("CASSANDRA_SEEDS") ? env("HOSTNAME") : (own?.fqdn ?? io.hostname);
  const podIp = env("POD_IP");
  v.CASSANDRA_RPC_ADDRESS = env("CASSANDRA_RPC_ADDRESS") || "0.0.0.0";
  v.CASSANDRA_NUM_TOKENS = env("CASSANDRA_NUM_TOKENS") || "32";
  // "${CASSANDRA_CLUSTER_NAME:='Test Cluster'}": inside double quotes the single quotes are kept.
  v.CASSANDRA_CLUSTER_NAME = env("CASSANDRA_CLUSTER_NAME") || "'Test Cluster'";
  v.CASSANDRA_LISTEN_ADDRESS = podIp || hostname;
  v.CASSANDRA_BROADCAST_ADDRESS = podIp || hostname;
  v.CASSANDRA_BROADCAST_RPC_ADDRESS = podIp || hostname;
  v.CASSANDRA_DISK_OPTIMIZATION_STRATEGY = env("CASSANDRA_DISK_OPTIMIZATION_STRATEGY") || "ssd";
  v.CASSANDRA_MIGRATION_WAIT = env("CASSANDRA_MIGRATION_WAIT") || "1";
  v.CASSANDRA_ENDPOINT_SNITCH = env("CASSANDRA_ENDPOINT_SNITCH") || "SimpleSnitch";
  v.CASSANDRA_RING_DELAY = env("CASSANDRA_RING_DELAY") || "30000";
  // ${CASSANDRA_AUTO_BOOTSTRAP:false} and ${CASSANDRA_SEEDS:false} are substrings from offset 0: unchanged.
  v.CASSANDRA_AUTO_BOOTSTRAP = env("CASSANDRA_AUTO_BOOTSTRAP") || "true";
  v.CASSANDRA_SEED_PROVIDER = env("CASSANDRA_SEED_PROVIDER") || "org.apache.cassandra.locator.SimpleSeedProvider";
  const openJmx = env("CASSANDRA_OPEN_JMX") || "false";
  sh.stdout.write(`Starting Cassandra on ${v.CASSANDRA_LISTEN_ADDRESS}\n`);
  // echo NAME ${NAME}: an empty value is no word.
  for (const k of ECHOED) sh.stdout.write(v[k] ? `${k} ${v[k]!.split(/\s+/).filter(Boolean).join(" ")}\n` : `${k}\n`);
  const write = (path: string, text: string, append = false): boolean => {
    try {
      io.fs.writeFile(path, text, { append });
      return true;
    } catch {
      sh.stderr.write(`/run.sh: line 90: ${path}: Permission denied\n`);
      return false;
    }
  };
  if (v.CASSANDRA_DC && v.CASSANDRA_RACK) {
    if (!write(`${CONF_DIR}/cassandra-rackdc.properties`, `dc=${v.CASSANDRA_DC}\nrack=${v.CASSANDRA_RACK}\n`)) return 1;
    v.CASSANDRA_ENDPOINT_SNITCH = "GossipingPropertyFileSnitch";
  }
  const maxHeap = env("CASSANDRA_MAX_HEAP");
  const jvm = `${CONF_DIR}/jvm.options`;
  if (maxHeap) {
    const t = fileText(io, jvm) ?? "";
    write(jvm, t.replace(/^(#)?-Xmx[0-9]+.*$/m, `-Xmx${maxHeap}`).replace(/^(#)?-Xms[0-9]+.*$/m, `-Xms${maxHeap}`));
  }
  const replace = env("CASSANDRA_REPLACE_NODE");
  if (replace) write(jvm, `-Dcassandra.replace_address=${replace}/\n`, true);
  // sed -ri 's/^(dc=).*/\1 VALUE/' cassandra-rackdc.properties: the script leaves a space after "=".
  for (const rackdc of ["dc", "rack"]) {
    const val = v[`CASSANDRA_${rackdc.toUpperCase()}`];
    if (!val) continue;
    const path = `${CONF_DIR}/cassandra-rackdc.properties`;
    const t = fileText(io, path);
    if (t === undefined) {
      sh.stderr.write(`sed: can't read ${path}: No such file or directory\n`);
      return 2;
    }
    write(path, t.split("\n").map((l) => (l.startsWith(`${rackdc}=`) ? `${rackdc}= ${val}` : l)).join("\n"));
  }
  let cfg = fileText(io, CFG);
  if (cfg === undefined) {
    sh.stderr.write(`sed: can't read ${CFG}: No such file or directory\n`);
    return 2;
  }
  for (const key of YAML_KEYS) {
    const val = v[`CASSANDRA_${key.toUpperCase()}`] ?? env(`CASSANDRA_${key.toUpperCase()}`);
    if (val) cfg = sedYamlKey(cfg, key, val);
  }
  cfg += `auto_bootstrap: ${v.CASSANDRA_AUTO_BOOTSTRAP}\n`;
  const seeds = v.CASSANDRA_SEEDS === "false" ? podIp : v.CASSANDRA_SEEDS;
  cfg = cfg.replace(/- seeds:.*/, `- seeds: "${seeds}"`);
  cfg = cfg.replace(/- class_name: SEED_PROVIDER/, `- class_name: ${v.CASSANDRA_SEED_PROVIDER}`);
  if (!write(CFG, cfg)) return 1;
  write(`${CONF_DIR}/cassandra-env.sh`, `JVM_OPTS="$JVM_OPTS -Djava.rmi.server.hostname=${podIp}"\n`, true);
  write(jvm, `-Dcassandra.migration_task_wait_in_seconds=${v.CASSANDRA_MIGRATION_WAIT}\n-Dcassandra.ring_delay_ms=${v.CASSANDRA_RING_DELAY}\n`, true);
  if (openJmx === "true") sh.setVar("LOCAL_JMX", "no", { exported: true });
  // chmod 700 "${CASSANDRA_DATA}"; chown -c -R cassandra "${CASSANDRA_DATA}" "${CASSANDRA_CONF_DIR}"
  const data = env("CASSANDRA_DATA");
  const uid = io.user?.uid ?? 0;
  if (uid !== 0) {
    sh.stderr.write(`chmod: changing permissions of '${data}': Operation not permitted\n`);
    return 1;
  }
  if (!io.fs.stat(data)) {
    sh.stderr.write(`chmod: cannot access '${data}': No such file or directory\n`);
    return 1;
  }
  try {
    io.fs.chmod?.(data, 0o700);
  } catch {
    // a read-only volume keeps its mode
  }
  for (const line of chownReport(io, [data, CONF_DIR], 1000, "cassandra")) sh.stdout.write(line + "\n");
  for (const p of [data, CONF_DIR]) chownTree(io, p, 1000, 1000);
  // su cassandra -c "$CASSANDRA_HOME/bin/cassandra -f"
  return yield* cassandraForeground(sh);
};

function chownTree(io: ProcessIO, path: string, uid: number, gid: number): void {
  const st = io.fs.stat(path);
  if (!st) return;
  try {
    io.fs.chown?.(path, uid, gid);
  } catch {
    return;
  }
  if (st.type === "dir") for (const c of io.fs.readdir(path)) chownTree(io, `${path}/${c}`, uid, gid);
}

/** `cassandra -f`: cassandra-env.sh's heap check, then the JVM in the foreground. */
function* cassandraForeground(sh: Shell): G<number> {
  const io = sh.io;
  const env = (k: string) => sh.getVar(k) ?? io.env[k] ?? "";
  const max = env("MAX_HEAP_SIZE");
  const newSize = env("HEAP_NEWSIZE");
  if ((max && !newSize) || (!max && newSize)) {
    sh.stdout.write("please set or unset MAX_HEAP_SIZE and HEAP_NEWSIZE in pairs (see cassandra-env.sh)\n");
    return 1;
  }
  const running = ownNode(io);
  if (running) {
    // A second JVM cannot bind the storage port.
    sh.stdout.write(`ERROR ${logTime(io.clock.now())} Exception encountered during startup\norg.apache.cassandra.exceptions.ConfigurationException: Address already in use\n`);
    return 3;
  }
  const space = (io.container ??= {});
  const node = new CassandraNode(io, startDelays.get(space) ?? 0);
  nodes.set(space, node);
  try {
    return yield* runServerInShell(sh, node, false);
  } finally {
    if (nodes.get(space) === node) nodes.delete(space);
  }
}

// ---- nodetool -------------------------------------------------------------------------------

const NODETOOL_COMMANDS = ["status", "drain", "version"];

/** What a nodetool run printed and its exit code. */
interface ToolResult {
  code: number;
  out: string;
  err: string;
}

/** `nodetool [-h host] [-p port] command`: JMX to the container's own node (a nodetool JVM takes NODETOOL_MS). */
function* runNodetool(io: ProcessIO, args: string[]): G<ToolResult> {
  let host = "127.0.0.1";
  let port = "7199";
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-h" || a === "--host") host = args[++i] ?? host;
    else if (a === "-p" || a === "--port") port = args[++i] ?? port;
    else rest.push(a);
  }
  yield { k: "sleep", ms: NODETOOL_MS };
  const cmd = rest[0];
  if (cmd === undefined || cmd === "help") {
    return {
      code: 0,
      out: "usage: nodetool [(-h <host> | --host <host>)] [(-p <port> | --port <port>)] <command> [<args>]\n\nThe most commonly used nodetool commands are:\n    drain                        Drain the node (stop accepting writes and flush all tables)\n    status                       Print cluster information (state, load, IDs, ...)\n    version                      Print cassandra version\n\nSee 'nodetool help <command>' for more information on a specific command.\n\n",
      err: "",
    };
  }
  if (!NODETOOL_COMMANDS.includes(cmd)) {
    return { code: 1, out: "", err: `nodetool: Found unexpected parameters: [${rest.join(", ")}]\nSee 'nodetool help' or 'nodetool help <command>'.\n` };
  }
  const node = ownNode(io);
  const local = host === "127.0.0.1" || host === "localhost" || (node !== undefined && host === node.ip);
  if (!node || !local || port !== "7199" || !node.listening(7199)) {
    return { code: 1, out: "", err: `nodetool: Failed to connect to '${host}:${port}' - ConnectException: 'Connection refused (Connection refused)'.\n` };
  }
  if (cmd === "version") return { code: 0, out: `ReleaseVersion: ${CASSANDRA_VERSION}\n`, err: "" };
  if (cmd === "drain") {
    yield { k: "sleep", ms: DRAIN_MS };
    node.drain();
    return { code: 0, out: "", err: "" };
  }
  return { code: 0, out: formatStatus(node.view()), err: "" };
}

export const nodetool: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const r = yield* runNodetool(sh.io, argv.slice(1));
  sh.stdout.write(r.out);
  sh.stderr.write(r.err);
  return r.code;
};

/** /ready-probe.sh: `nodetool status | grep $POD_IP` contains UN; with $DEBUG it says which. */
export const readyProbe: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  if (!sh.io.fs.stat(argv[0]!)) {
    sh.error(`${argv[0]}: No such file or directory`);
    return 127;
  }
  const podIp = sh.getVar("POD_IP") ?? sh.io.env.POD_IP ?? "";
  const debug = sh.getVar("DEBUG") ?? sh.io.env.DEBUG ?? "";
  const r = yield* runNodetool(sh.io, ["status"]);
  // nodetool's errors reach the probe's output; grep $POD_IP keeps the node's line.
  sh.stderr.write(r.err);
  const lines = podIp ? r.out.split("\n").filter((l) => l.includes(podIp)) : [];
  const up = lines.join("\n").includes("UN");
  if (debug) sh.stdout.write(up ? "UN\n" : "Not Up\n");
  return up ? 0 : 1;
};

// ---- dumb-init --------------------------------------------------------------------------------

const SIGNAL_NUMBERS: Record<Signal, number> = { SIGTERM: 15, SIGKILL: 9 };

/**
 * dumb-init as PID 1 (its default setsid mode): the child runs in its own session and a signal
 * goes to the child's whole process group. bash, not PID 1, dies of SIGTERM at once; dumb-init
 * exits 128 + the signal and the JVM dies with the container's PID namespace.
 */
class DumbInit implements ContainerProcess {
  readonly app;
  private done = false;
  private onExit: ((code: number) => void) | undefined;

  constructor(
    private readonly inner: ContainerProcess,
    private readonly space: ContainerSpace,
  ) {
    this.app = inner.app ?? spaceApp(space);
  }

  start(onExit: (code: number) => void): void {
    this.onExit = onExit;
    this.inner.start((code) => {
      if (this.done) return;
      this.done = true;
      onExit(code);
    });
  }

  kill(signal: Signal): void {
    if (this.done) return;
    this.done = true;
    stopShellServers(this.space);
    this.inner.kill("SIGKILL");
    this.onExit?.(128 + SIGNAL_NUMBERS[signal]);
  }
}

/** `dumb-init /bin/bash /run.sh` (the image's CMD): the run.sh port under dumb-init. */
export function dumbInit(argv: string[], l: ContainerLaunch, ctx: ProgramContext, start: (argv: string[]) => ContainerProcess): ContainerProcess | undefined {
  if (!argv[0] || !/(^|\/)dumb-init$/.test(argv[0])) return undefined;
  let child = argv.slice(1).filter((a, i) => !(i === 0 && a.startsWith("-")));
  if (child.length === 0) return undefined;
  // bash /run.sh: the script is the image's; kube-scenario runs its port.
  if (/(^|\/)(ba)?sh$/.test(child[0]!) && child[1] === "/run.sh") child = ["/run.sh", ...child.slice(2)];
  const space = (l.io.container ??= {});
  startDelays.set(space, ctx.startMs);
  return new DumbInit(start(child), space);
}

export const CASSANDRA_COMMANDS: Record<string, CommandFn> = {
  "/run.sh": runSh,
  "/ready-probe.sh": readyProbe,
  nodetool,
};

export function cassandraBehaviour(start: (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => ContainerProcess): ModelBehaviour {
  return {
    commands: CASSANDRA_COMMANDS,
    serversInShell: true,
    intercept: (argv, l, ctx) => dumbInit(argv, l, ctx, (child) => start(child, l, ctx)),
  };
}
