/**
 * Apache ZooKeeper 3.4.10 as the kubernetes-zookeeper image runs it (kow3ns/kubernetes-zookeeper:
 * `start-zookeeper` writes zoo.cfg and execs `zkServer.sh start-foreground`, which execs the JVM's
 * `org.apache.zookeeper.server.quorum.QuorumPeerMain`): a server per container, and the ensemble
 * the servers of one zoo.cfg form.
 *
 * - Start-up: the server reads zoo.cfg (`clientPort`, `dataDir`, `dataLogDir`, `tickTime`, the
 *   `server.N=host:port:port` lines) and, in quorum mode, `dataDir/myid` (missing: "Invalid
 *   arguments, exiting abnormally", exit 2). It recovers its data tree from its transaction log
 *   (`dataLogDir/version-2/log.<zxid>`) and its epochs (`dataDir/version-2/currentEpoch`,
 *   `acceptedEpoch`), so what was written survives the container and the Pod when the data
 *   directories are on a PersistentVolume. The client port opens once the JVM is up (1 s).
 * - Four-letter words on the client port: `ruok` answers `imok` whenever the server runs (also
 *   while it has no quorum: the readiness probe of the tutorial passes for zk-0 alone), `mntr`
 *   the server's figures, or "This ZooKeeper instance is not currently serving requests".
 * - The ensemble: a server finds its peers by the host names of its `server.N` lines, through the
 *   cluster DNS (a headless Service's records exist for Ready Pods only), and two servers are
 *   connected when either resolves the other to its Pod's address (QuorumCnxManager keeps one
 *   connection per pair, whichever side opened it). A server without a quorum is LOOKING and
 *   tries again every tick. A majority of the servers connected elects the one with the highest
 *   (epoch, last zxid, myid) — FastLeaderElection's order — as LEADING in a new epoch (one more
 *   than any member accepted); the others are FOLLOWING and take the leader's history. A server
 *   that starts while a leader with a quorum is reachable follows it. When the leader stops,
 *   or a leader keeps no majority, the rest go back to LOOKING.
 * - Writes go through the leader while a quorum exists: each transaction gets the next zxid
 *   (epoch << 32 | counter) and is applied to, and logged by, every server of the quorum. Client
 *   sessions are transactions too (createSession; closeSession when the session expires, on a
 *   tick boundary after its timeout), as the zxids of the tutorial's output show.
 *
 * Times are the simulated clock's; session ids follow SessionTrackerImpl.initializeNextSession
 * (the server's start time shifted, its myid in the top byte). The log4j lines are ZooKeeper's
 * texts; the transaction log's format is kube-scenario's own text (ZooKeeper's is binary).
 */
import type { ProcessIO } from "../../runtime/types.ts";
import type { SimClock } from "../../sim/clock.ts";
import { ServerProcess } from "./server.ts";

export const ZK_VERSION = "3.4.10-39d3a4f269333c922ed3db283be479f9deacaa0f, built on 03/23/2017 10:13 GMT";
const JVM_START_MS = 1_000;
/** FastLeaderElection's first notification round (finalizeWait). */
const ELECTION_MS = 200;

// ---- configuration -----------------------------------------------------------------------

export interface ZkConfig {
  clientPort: number;
  dataDir: string;
  dataLogDir: string;
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  snapRetainCount: number;
  purgeInterval: number;
  /** server.N → host, quorum port, election port. */
  servers: Map<number, { host: string; port: number; electionPort: number }>;
}

/** QuorumPeerConfig.parseProperties over zoo.cfg's text (unknown keys become system properties: ignored here). */
export function parseZooCfg(text: string): ZkConfig {
  const props = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const num = (k: string, d: number) => (props.has(k) && /^-?\d+$/.test(props.get(k)!) ? Number(props.get(k)) : d);
  const tickTime = num("tickTime", 3000);
  const servers = new Map<number, { host: string; port: number; electionPort: number }>();
  for (const [k, v] of props) {
    const m = /^server\.(\d+)$/.exec(k);
    if (!m) continue;
    const [host = "", port = "", election = ""] = v.split(":");
    servers.set(Number(m[1]), { host, port: Number(port), electionPort: Number(election) });
  }
  const dataDir = props.get("dataDir") ?? "";
  return {
    clientPort: num("clientPort", 2181),
    dataDir,
    dataLogDir: props.get("dataLogDir") ?? dataDir,
    tickTime,
    initLimit: num("initLimit", 10),
    syncLimit: num("syncLimit", 5),
    maxClientCnxns: num("maxClientCnxns", 60),
    minSessionTimeout: num("minSessionTimeout", tickTime * 2),
    maxSessionTimeout: num("maxSessionTimeout", tickTime * 20),
    snapRetainCount: num("autopurge.snapRetainCount", 3),
    purgeInterval: num("autopurge.purgeInterval", 0),
    servers,
  };
}

// ---- the data tree -----------------------------------------------------------------------

export interface ZNode {
  data: string;
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  children: string[];
}

/** One transaction of the log. */
export type Txn =
  | { type: "createSession"; zxid: bigint; time: number; session: bigint; timeout: number }
  | { type: "closeSession"; zxid: bigint; time: number; session: bigint }
  | { type: "create"; zxid: bigint; time: number; path: string; data: string; ephemeralOwner: bigint }
  | { type: "delete"; zxid: bigint; time: number; path: string }
  | { type: "setData"; zxid: bigint; time: number; path: string; data: string; version: number };

function newNode(zxid: bigint, time: number, data = "", owner = 0n): ZNode {
  return { data, czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner, children: [] };
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** DataTree: `/`, `/zookeeper` and `/zookeeper/quota` from the start, then what the transactions make. */
export class DataTree {
  readonly nodes = new Map<string, ZNode>();
  readonly sessions = new Map<bigint, number>();

  constructor() {
    this.nodes.set("/", newNode(0n, 0));
    this.nodes.set("/zookeeper", newNode(0n, 0));
    this.nodes.set("/zookeeper/quota", newNode(0n, 0));
    this.nodes.get("/")!.children.push("zookeeper");
    this.nodes.get("/zookeeper")!.children.push("quota");
  }

  apply(t: Txn): void {
    switch (t.type) {
      case "createSession":
        this.sessions.set(t.session, t.timeout);
        return;
      case "closeSession":
        this.sessions.delete(t.session);
        for (const [path, n] of [...this.nodes]) if (n.ephemeralOwner === t.session) this.remove(path, t.zxid);
        return;
      case "create": {
        const parent = this.nodes.get(parentOf(t.path));
        if (!parent || this.nodes.has(t.path)) return;
        this.nodes.set(t.path, newNode(t.zxid, t.time, t.data, t.ephemeralOwner));
        parent.children.push(t.path.slice(t.path.lastIndexOf("/") + 1));
        parent.cversion++;
        parent.pzxid = t.zxid;
        return;
      }
      case "delete":
        this.remove(t.path, t.zxid);
        return;
      case "setData": {
        const n = this.nodes.get(t.path);
        if (!n) return;
        n.data = t.data;
        n.mzxid = t.zxid;
        n.mtime = t.time;
        n.version = t.version;
        return;
      }
    }
  }

  private remove(path: string, zxid: bigint): void {
    if (!this.nodes.delete(path)) return;
    const parent = this.nodes.get(parentOf(path));
    if (!parent) return;
    const name = path.slice(path.lastIndexOf("/") + 1);
    parent.children = parent.children.filter((c) => c !== name);
    parent.cversion++;
    parent.pzxid = zxid;
  }

  /** The number of znodes (mntr's zk_znode_count). */
  get size(): number {
    return this.nodes.size;
  }
}

/** The transaction log's text: one transaction a line (kube-scenario's format; ZooKeeper's is binary). */
export function formatTxn(t: Txn): string {
  return JSON.stringify(t, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
}

export function parseTxn(line: string): Txn | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    for (const k of ["zxid", "session", "ephemeralOwner"]) if (typeof o[k] === "string") o[k] = BigInt(o[k] as string);
    return o as unknown as Txn;
  } catch {
    return undefined;
  }
}

export function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

// ---- log4j -------------------------------------------------------------------------------

/** log4j's %d{ISO8601}: `2024-01-08 00:00:12,345`. */
export function iso8601(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)},${d.slice(20, 23)}`;
}

/** java.util.Date.toString() in UTC: `Thu Dec 08 15:13:30 UTC 2016`. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${day} ${mon} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** SessionTrackerImpl.initializeNextSession: `((now << 24) >>> 8) | (myid << 56)` in 64 bits. */
export function initialSessionId(now: number, myid: number): bigint {
  const mask = (1n << 64n) - 1n;
  return ((((BigInt(now) << 24n) & mask) >> 8n) | (BigInt(myid) << 56n)) & mask;
}

// ---- the ensemble ------------------------------------------------------------------------

type PeerState = "LOOKING" | "LEADING" | "FOLLOWING" | "STANDALONE";

/** The running servers of one simulated cluster (its clock), by their Pod's address. */
const registries = new WeakMap<SimClock, Map<string, ZooKeeperServer>>();

function registry(clock: SimClock): Map<string, ZooKeeperServer> {
  let r = registries.get(clock);
  if (!r) registries.set(clock, (r = new Map()));
  return r;
}

/** The ZooKeeper server listening at this address and port in this cluster, if any. */
export function zkServerAt(clock: SimClock, ip: string, port: number): ZooKeeperServer | undefined {
  const s = registry(clock).get(ip);
  return s && s.listening(port) ? s : undefined;
}

/** The Pod's own address and FQDN, as the kubelet's /etc/hosts gives them. */
export function ownAddress(io: ProcessIO): { ip: string; fqdn: string } | undefined {
  let text: string;
  try {
    text = io.fs.readFile("/etc/hosts");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length >= 2 && !f[0]!.startsWith("#") && f.slice(1).includes(io.hostname)) return { ip: f[0]!, fqdn: f[1]! };
  }
  return undefined;
}

export class ZooKeeperServer extends ServerProcess {
  state: PeerState = "LOOKING";
  /** Stopped by SIGSTOP: alive, answering nothing. */
  frozen = false;
  myid = 0;
  ip = "";
  tree = new DataTree();
  txns: Txn[] = [];
  currentEpoch = 0;
  acceptedEpoch = 0;
  leader: ZooKeeperServer | undefined;
  readonly followers = new Set<ZooKeeperServer>();
  /** The counter of the leader's next zxid in its epoch. */
  private counter = 0;
  private nextSession = 0n;
  private clientPort = 0;
  private pollTimer = false;
  private threads = 1000;
  private ephemeralPort = 40000;
  /** The log4j threshold (`zookeeper.console.threshold`). */
  private readonly threshold: string;
  private readonly expiries = new Map<bigint, () => void>();

  constructor(
    io: ProcessIO,
    readonly cfg: ZkConfig,
    readonly cfgPath: string,
    private readonly startMs = 0,
  ) {
    super(io);
    this.threshold = readThreshold(io, cfgPath);
  }

  get quorumMode(): boolean {
    return this.cfg.servers.size > 0;
  }

  get serving(): boolean {
    return this.running && !this.frozen && this.state !== "LOOKING";
  }

  get lastZxid(): bigint {
    return this.txns.length ? this.txns[this.txns.length - 1]!.zxid : 0n;
  }

  /** A log4j line of the server (CONSOLE appender, the tutorial's pattern). */
  logLine(level: "INFO" | "WARN" | "ERROR", where: string, msg: string): void {
    const order = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
    if (order.indexOf(level) < order.indexOf(this.threshold)) return;
    const id = this.myid && this.state !== "STANDALONE" ? String(this.myid) : "";
    this.log(`${iso8601(this.io.clock.now())} [myid:${id}] - ${level.padEnd(5)} [${where}] - ${msg}`);
  }

  private peerThread(): string {
    return `QuorumPeer[myid=${this.myid}]/0.0.0.0:${this.cfg.clientPort}`;
  }

  protected run(): void {
    const cfg = this.cfg;
    this.logLine("INFO", "main:QuorumPeerConfig@124", `Reading configuration from: ${this.cfgPath}`);
    if (this.quorumMode) {
      for (const s of cfg.servers.values()) {
        const ip = this.io.resolve(s.host);
        if (ip) this.logLine("INFO", "main:QuorumPeer$QuorumServer@149", `Resolved hostname: ${s.host} to address: ${s.host}/${ip}`);
        else this.logLine("WARN", "main:QuorumPeer$QuorumServer@155", `Failed to resolve address: ${s.host}`);
      }
      this.logLine("INFO", "main:QuorumPeerConfig@352", "Defaulting to majority quorums");
      const myidPath = `${cfg.dataDir}/myid`;
      const text = this.read(myidPath);
      if (text === undefined || !/^\s*\d+\s*$/.test(text)) {
        this.logLine("ERROR", "main:QuorumPeerMain@85", "Invalid config, exiting abnormally");
        this.log(`org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing ${this.cfgPath}`);
        this.log(`Caused by: java.lang.IllegalArgumentException: ${myidPath} file is missing`);
        this.after(0, () => this.exit(2));
        return;
      }
      this.myid = Number(text.trim());
    }
    this.logLine("INFO", "main:DatadirCleanupManager@78", `autopurge.snapRetainCount set to ${cfg.snapRetainCount}`);
    this.logLine("INFO", "main:DatadirCleanupManager@79", `autopurge.purgeInterval set to ${cfg.purgeInterval}`);
    if (cfg.purgeInterval <= 0) this.logLine("INFO", "main:DatadirCleanupManager@101", "Purge task is not scheduled.");
    if (!this.recover()) return;
    const address = ownAddress(this.io);
    this.ip = address?.ip ?? "";
    this.clientPort = cfg.clientPort;
    if (!this.quorumMode) {
      this.state = "STANDALONE";
      this.logLine("WARN", "main:QuorumPeerMain@113", "Either no config or no quorum defined in config, running  in standalone mode");
      this.logLine("INFO", "main:ZooKeeperServerMain@96", "Starting server");
      this.logLine("INFO", "main:Environment@100", `Server environment:zookeeper.version=${ZK_VERSION}`);
      this.logLine("INFO", "main:NIOServerCnxnFactory@89", `binding to port 0.0.0.0/0.0.0.0:${cfg.clientPort}`);
      this.nextSession = initialSessionId(this.io.clock.now(), 0);
      this.listenAll();
      return;
    }
    this.logLine("INFO", "main:QuorumPeerMain@127", "Starting quorum peer");
    this.logLine("INFO", "main:NIOServerCnxnFactory@89", `binding to port 0.0.0.0/0.0.0.0:${cfg.clientPort}`);
    this.logLine("INFO", `${this.peerThread()}:QuorumPeer@909`, "LOOKING");
    this.listenAll();
    this.after(JVM_START_MS + this.startMs + ELECTION_MS, () => this.poll());
  }

  private listenAll(): void {
    const noHttp = () => ({ status: 0, body: "" });
    const delay = JVM_START_MS + this.startMs;
    this.listen(this.cfg.clientPort, noHttp, delay);
    const me = this.cfg.servers.get(this.myid);
    if (me) this.listen(me.electionPort, noHttp, delay);
    if (this.ip) registry(this.io.clock).set(this.ip, this);
  }

  private read(path: string): string | undefined {
    try {
      return this.io.fs.stat(path)?.type === "file" ? this.io.fs.readFile(path) : undefined;
    } catch {
      return undefined;
    }
  }

  private write(path: string, text: string, append = false): void {
    try {
      const dir = parentOf(path);
      if (!this.io.fs.stat(dir)) this.io.fs.mkdir(dir, { recursive: true });
      this.io.fs.writeFile(path, text, { append });
    } catch {
      this.logLine("ERROR", "SyncThread:0:FileTxnLog@235", `Unable to write ${path}`);
    }
  }

  private get txnDir(): string {
    return `${this.cfg.dataLogDir}/version-2`;
  }

  private get epochDir(): string {
    return `${this.cfg.dataDir}/version-2`;
  }

  /** FileTxnSnapLog.restore: the epochs and every logged transaction, replayed. */
  private recover(): boolean {
    let names: string[] = [];
    try {
      if (this.io.fs.stat(this.txnDir)?.type === "dir") names = this.io.fs.readdir(this.txnDir).filter((n) => /^log\.[0-9a-f]+$/.test(n));
    } catch {
      names = [];
    }
    names.sort((a, b) => (BigInt(`0x${a.slice(4)}`) < BigInt(`0x${b.slice(4)}`) ? -1 : 1));
    for (const n of names) {
      for (const line of (this.read(`${this.txnDir}/${n}`) ?? "").split("\n")) {
        const t = line ? parseTxn(line) : undefined;
        if (!t) continue;
        this.txns.push(t);
        this.tree.apply(t);
      }
    }
    this.currentEpoch = Number(this.read(`${this.epochDir}/currentEpoch`)?.trim() ?? 0) || 0;
    this.acceptedEpoch = Number(this.read(`${this.epochDir}/acceptedEpoch`)?.trim() ?? 0) || 0;
    return true;
  }

  private persistEpochs(): void {
    // QuorumPeer.writeLongToFile: the number and a newline.
    this.write(`${this.epochDir}/acceptedEpoch`, `${this.acceptedEpoch}\n`);
    this.write(`${this.epochDir}/currentEpoch`, `${this.currentEpoch}\n`);
  }

  /** Logs a transaction in the server's log file (one file per epoch, named by its first zxid). */
  private logTxn(t: Txn): void {
    const epoch = t.zxid >> 32n;
    const first = this.txns.find((x) => x.zxid >> 32n === epoch)!;
    this.write(`${this.txnDir}/log.${first.zxid.toString(16)}`, formatTxn(t) + "\n", true);
  }

  /** A follower takes the leader's history (DIFF when it is behind, SNAP/TRUNC otherwise): its log is rewritten as the leader's. */
  private syncFrom(leader: ZooKeeperServer): void {
    const same = this.txns.length <= leader.txns.length && this.txns.every((t, i) => leader.txns[i]?.zxid === t.zxid);
    if (same) {
      for (const t of leader.txns.slice(this.txns.length)) {
        this.txns.push(t);
        this.tree.apply(t);
        this.logTxn(t);
      }
      return;
    }
    try {
      if (this.io.fs.stat(this.txnDir)?.type === "dir") for (const n of this.io.fs.readdir(this.txnDir)) this.io.fs.unlink(`${this.txnDir}/${n}`);
    } catch {
      // a log that cannot be removed is rewritten over below
    }
    this.txns = [];
    this.tree = new DataTree();
    for (const t of leader.txns) {
      this.txns.push(t);
      this.tree.apply(t);
      this.logTxn(t);
    }
  }

  // ---- the ensemble ----

  /** Whether this server resolves peer N's host to that peer's address. */
  private resolves(other: ZooKeeperServer): boolean {
    const s = this.cfg.servers.get(other.myid);
    return !!s && !!other.ip && this.io.resolve(s.host) === other.ip;
  }

  /** The servers of this ensemble that run in this cluster (same server list). */
  private members(): ZooKeeperServer[] {
    const key = ensembleKey(this.cfg);
    return [...registry(this.io.clock).values()].filter((s) => s.running && !s.frozen && s.quorumMode && ensembleKey(s.cfg) === key && s.myid > 0 && s.listening(s.cfg.clientPort));
  }

  /** The servers connected to this one, directly or through others. */
  component(): ZooKeeperServer[] {
    const all = this.members();
    const seen = new Set<ZooKeeperServer>([this]);
    const queue = [this as ZooKeeperServer];
    while (queue.length) {
      const a = queue.shift()!;
      for (const b of all) {
        if (seen.has(b) || b.myid === a.myid) continue;
        if (a.resolves(b) || b.resolves(a)) {
          seen.add(b);
          queue.push(b);
        }
      }
    }
    return [...seen].sort((x, y) => x.myid - y.myid);
  }

  private majority(n: number): boolean {
    return n > this.cfg.servers.size / 2;
  }

  /** A LOOKING server's round: follow an established leader it reaches, or elect one with a majority. */
  poll(): void {
    this.pollTimer = false;
    if (!this.running || this.state !== "LOOKING" || this.frozen) return;
    const comp = this.component();
    const leader = comp.find((s) => s.state === "LEADING");
    if (leader) {
      this.follow(leader);
      return;
    }
    const looking = comp.filter((s) => s.state === "LOOKING");
    if (!this.majority(looking.length)) {
      this.schedulePoll();
      return;
    }
    const best = looking.reduce((a, b) => (cmpVote(b, a) > 0 ? b : a));
    const epoch = Math.max(...looking.map((s) => s.acceptedEpoch)) + 1;
    best.lead(epoch);
    for (const s of looking) if (s !== best) s.follow(best);
  }

  private schedulePoll(): void {
    if (this.pollTimer) return;
    this.pollTimer = true;
    this.after(this.cfg.tickTime, () => this.poll());
  }

  private lead(epoch: number): void {
    this.state = "LEADING";
    this.leader = this;
    this.acceptedEpoch = this.currentEpoch = epoch;
    this.counter = 0;
    this.persistEpochs();
    this.nextSession = initialSessionId(this.io.clock.now(), this.myid);
    this.logLine("INFO", `${this.peerThread()}:QuorumPeer@991`, "LEADING");
    this.logLine("INFO", `${this.peerThread()}:Leader@372`, `LEADING - LEADER ELECTION TOOK - ${ELECTION_MS}`);
  }

  private follow(leader: ZooKeeperServer): void {
    this.state = "FOLLOWING";
    this.leader = leader;
    leader.followers.add(this);
    this.acceptedEpoch = this.currentEpoch = leader.currentEpoch;
    this.persistEpochs();
    this.syncFrom(leader);
    this.nextSession = initialSessionId(this.io.clock.now(), this.myid);
    this.logLine("INFO", `${this.peerThread()}:QuorumPeer@979`, "FOLLOWING");
    this.logLine("INFO", `${this.peerThread()}:Learner@332`, `Getting a diff from the leader ${hex(leader.lastZxid)}`);
  }

  /** Back to LOOKING (the leader is gone, or the quorum is). */
  private lookAgain(): void {
    if (!this.running) return;
    this.state = "LOOKING";
    this.leader = undefined;
    this.followers.clear();
    for (const cancel of this.expiries.values()) cancel();
    this.expiries.clear();
    this.logLine("INFO", `${this.peerThread()}:QuorumPeer@909`, "LOOKING");
    this.schedulePoll();
  }

  override exit(code: number): void {
    if (!this.running) return super.exit(code);
    const reg = registry(this.io.clock);
    if (reg.get(this.ip) === this) reg.delete(this.ip);
    super.exit(code);
    this.leaveQuorum();
  }

  /** This server drops out: a leader's followers look again; a follower's leader does when it keeps no majority. */
  private leaveQuorum(): void {
    if (this.state === "LEADING") {
      for (const f of this.followers) f.lookAgain();
      this.followers.clear();
    } else if (this.state === "FOLLOWING" && this.leader) {
      const l = this.leader;
      l.followers.delete(this);
      if (l.state === "LEADING" && !l.majority(l.followers.size + 1)) {
        for (const f of [...l.followers]) f.lookAgain();
        l.lookAgain();
      }
    }
  }

  /**
   * SIGSTOP: the JVM stops; nothing it serves answers (a four-letter word waits for ever, so an
   * exec probe times out). Its peers give up on it after syncLimit ticks (the leader on a
   * follower, followers on their leader). SIGCONT: it runs again and looks for a quorum.
   */
  freeze(): void {
    if (!this.running || this.frozen) return;
    this.frozen = true;
    this.after(this.cfg.syncLimit * this.cfg.tickTime, () => {
      if (!this.frozen || !this.running) return;
      this.leaveQuorum();
      if (this.state !== "STANDALONE") {
        this.state = "LOOKING";
        this.leader = undefined;
      }
    });
  }

  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    if (this.state === "LOOKING") this.schedulePoll();
  }

  // ---- requests ----

  /** Commits a transaction through the leader to every server of the quorum. */
  private commit(make: (zxid: bigint, time: number) => Txn): Txn {
    const leader = this.state === "STANDALONE" ? this : this.leader!;
    leader.counter++;
    const zxid = (BigInt(leader.currentEpoch) << 32n) | BigInt(leader.counter);
    const t = make(zxid, this.io.clock.now());
    for (const s of leader.state === "STANDALONE" ? [leader] : [leader, ...leader.followers]) {
      s.txns.push(t);
      s.tree.apply(t);
      s.logTxn(t);
    }
    return t;
  }

  /** A client session, as SessionTrackerImpl makes one: the next id, a createSession transaction, expiry after its timeout. */
  createSession(requested: number): { id: bigint; timeout: number } {
    const timeout = Math.min(Math.max(requested, this.cfg.minSessionTimeout), this.cfg.maxSessionTimeout);
    const id = this.nextSession++;
    this.commit((zxid, time) => ({ type: "createSession", zxid, time, session: id, timeout }));
    const leader = this.state === "STANDALONE" ? this : this.leader!;
    leader.expireLater(id, timeout);
    return { id, timeout };
  }

  /** ExpiryQueue: sessions expire on the tick after their timeout has passed. */
  private expireLater(id: bigint, timeout: number): void {
    const tick = this.cfg.tickTime;
    const now = this.io.clock.now();
    const at = (Math.floor((now + timeout) / tick) + 1) * tick;
    let cancelled = false;
    this.expiries.set(id, () => (cancelled = true));
    this.after(at - now, () => {
      if (cancelled || !this.serving) return;
      this.expiries.delete(id);
      this.logLine("INFO", "SessionTracker:ZooKeeperServer@354", `Expiring session ${hex(id)}, timeout of ${timeout}ms exceeded`);
      this.commit((zxid, time) => ({ type: "closeSession", zxid, time, session: id }));
      this.logLine("INFO", "ProcessThread(sid:" + this.myid + " cport:-1)::PrepRequestProcessor@487", `Processed session termination for sessionid: ${hex(id)}`);
    });
  }

  create(path: string, data: string, session: bigint, ephemeral: boolean): string {
    this.commit((zxid, time) => ({ type: "create", zxid, time, path, data, ephemeralOwner: ephemeral ? session : 0n }));
    return path;
  }

  setData(path: string, data: string): ZNode {
    const version = this.tree.nodes.get(path)!.version + 1;
    this.commit((zxid, time) => ({ type: "setData", zxid, time, path, data, version }));
    return this.tree.nodes.get(path)!;
  }

  delete(path: string): void {
    this.commit((zxid, time) => ({ type: "delete", zxid, time, path }));
  }

  /** A connection from a local client (its ephemeral port, and the thread that closes it). */
  nextClient(): { port: number; thread: number } {
    return { port: ++this.ephemeralPort, thread: ++this.threads };
  }

  /** A four-letter word on the client port, as NIOServerCnxn answers it (and logs it). */
  fourLetterWord(word: string, from: string): string {
    const c = this.nextClient();
    const factory = `NIOServerCxn.Factory:0.0.0.0/0.0.0.0:${this.clientPort}`;
    this.logLine("INFO", `${factory}:NIOServerCnxnFactory@192`, `Accepted socket connection from /${from}:${c.port}`);
    let out = "";
    const known = ["ruok", "mntr", "stat", "srvr", "conf", "cons", "crst", "dump", "envi", "gtmk", "isro", "reqs", "srst", "stmk", "wchc", "wchp", "wchs"];
    if (known.includes(word)) {
      this.logLine("INFO", `${factory}:NIOServerCnxn@827`, `Processing ${word} command from /${from}:${c.port}`);
      if (word === "ruok") out = "imok";
      else if (word === "isro") out = "rw";
      else if (!this.serving) out = "This ZooKeeper instance is not currently serving requests\n";
      else if (word === "mntr") out = this.mntr();
      else if (word === "stat" || word === "srvr") out = this.srvr(word === "stat");
      else out = "";
    }
    this.logLine("INFO", `Thread-${c.thread}:NIOServerCnxn@1008`, `Closed socket connection for client /${from}:${c.port} (no session established for client)`);
    return out;
  }

  private mode(): string {
    return this.state === "STANDALONE" ? "standalone" : this.state === "LEADING" ? "leader" : "follower";
  }

  private mntr(): string {
    const rows: Array<[string, string | number]> = [
      ["zk_version", ZK_VERSION],
      ["zk_avg_latency", 0],
      ["zk_max_latency", 0],
      ["zk_min_latency", 0],
      ["zk_packets_received", this.threads - 1000],
      ["zk_packets_sent", this.threads - 1000],
      ["zk_num_alive_connections", 1],
      ["zk_outstanding_requests", 0],
      ["zk_server_state", this.mode()],
      ["zk_znode_count", this.tree.size],
      ["zk_watch_count", 0],
      ["zk_ephemerals_count", [...this.tree.nodes.values()].filter((n) => n.ephemeralOwner !== 0n).length],
      ["zk_approximate_data_size", [...this.tree.nodes].reduce((n, [p, z]) => n + p.length + z.data.length, 0)],
      ["zk_open_file_descriptor_count", 33],
      ["zk_max_file_descriptor_count", 1048576],
    ];
    if (this.state === "LEADING") rows.push(["zk_followers", this.followers.size], ["zk_synced_followers", this.followers.size], ["zk_pending_syncs", 0]);
    return rows.map(([k, v]) => `${k}\t${v}\n`).join("");
  }

  private srvr(clients: boolean): string {
    return (
      `Zookeeper version: ${ZK_VERSION}\n` +
      (clients ? `Clients:\n /127.0.0.1:${this.ephemeralPort}[0](queued=0,recved=1,sent=0)\n\n` : "") +
      `Latency min/avg/max: 0/0/0\nReceived: ${this.threads - 1000}\nSent: ${this.threads - 1000}\nConnections: 1\nOutstanding: 0\n` +
      `Zxid: ${hex(this.lastZxid)}\nMode: ${this.mode()}\nNode count: ${this.tree.size}\n`
    );
  }
}

/** FastLeaderElection.totalOrderPredicate: epoch, then zxid, then myid. */
function cmpVote(a: ZooKeeperServer, b: ZooKeeperServer): number {
  if (a.currentEpoch !== b.currentEpoch) return a.currentEpoch - b.currentEpoch;
  if (a.lastZxid !== b.lastZxid) return a.lastZxid > b.lastZxid ? 1 : -1;
  return a.myid - b.myid;
}

function ensembleKey(cfg: ZkConfig): string {
  return [...cfg.servers].map(([id, s]) => `${id}=${s.host}:${s.port}:${s.electionPort}`).join(",");
}

/** `zookeeper.console.threshold` of the log4j.properties beside zoo.cfg (start-zookeeper's --log_level). */
function readThreshold(io: ProcessIO, cfgPath: string): string {
  try {
    const text = io.fs.readFile(`${parentOf(cfgPath)}/log4j.properties`);
    const m = /^zookeeper\.console\.threshold=(\w+)/m.exec(text);
    return m ? m[1]!.toUpperCase() : "INFO";
  } catch {
    return "INFO";
  }
}

/**
 * Java's HashMap iteration order for String keys (HashSet children, zkCli's command table): by
 * bucket of the spread hash in a table of the size that many entries make, then insertion order.
 */
export function javaHashOrder(keys: string[]): string[] {
  let cap = 16;
  while (keys.length > cap * 0.75) cap *= 2;
  const bucket = (k: string) => {
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (Math.imul(31, h) + k.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (cap - 1);
  };
  return keys.map((k, i) => ({ k, b: bucket(k), i })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.k);
}
