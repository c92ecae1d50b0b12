/**
 * The mysql image (docker-library/mysql): its entrypoint, `mysqld`, the `mysql` client and
 * `mysqladmin`, with the 5.7 server "Run a Replicated Stateful Application" runs
 * (mysql:5.7 is 5.7.44, docker-library/mysql 5.7/Dockerfile.oracle and docker-entrypoint.sh):
 *
 * - docker-entrypoint.sh notes its start (twice: it re-executes itself as the mysql user), and
 *   without MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD prints
 *   the script's error and exits 1. With an empty data directory it initialises it (about 15 s:
 *   `mysqld --initialize-insecure`, a temporary server, then the real one); with `mysql/` there
 *   (a restarted container, a cloned replica) `mysqld` starts at once (about 2 s).
 * - `mysqld` reads `[mysqld]` of /etc/mysql/conf.d/*.cnf (`server-id`, `log-bin`,
 *   `super-read-only`, `read-only`), keeps its data in /var/lib/mysql (./mysqlengine.ts), listens
 *   on 3306 (8.x also on 33060, the X plugin), answers the SQL of ./mysqlsql.ts and replicates:
 *   `CHANGE MASTER TO … MASTER_HOST='mysql-0.mysql'…; START SLAVE` connects to the primary through
 *   the cluster network, applies what its binary log holds after the given position and then each
 *   statement the primary logs, as it logs it; when the primary goes away the replica retries
 *   every MASTER_CONNECT_RETRY seconds, and a restarted replica resumes from master.info.
 * - `mysql [-h host] [-P port] [-u user] [-p…] [-e statements] [-t|-B|-N] [database]` connects
 *   (localhost: the container's socket; a host: TCP through the cluster network) and runs the
 *   statements of `-e` or its standard input; results are boxed tables when its input and output
 *   are a terminal (or with -t), else tab-separated with a header (client/mysql.cc). The first
 *   error stops it: `ERROR 1049 (42000) at line 1: Unknown database 'x'`, exit 1.
 * - `mysqladmin ping`: `mysqld is alive`, or the socket error.
 *
 * The client, mysqladmin and mysqld are files of the image (/usr/bin/mysql, …): renamed away
 * (`mv /usr/bin/mysql /usr/bin/mysql.off`, the page's way to break the readiness probe), the
 * command is not found, in a shell as in an exec (./pathcommands.ts).
 */
import type { ContainerLaunch, ContainerSpace, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { EntrypointWrapper, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, type HttpAnswer } from "./server.ts";
import { serversOf } from "./shellservers.ts";
import { onPath } from "./pathcommands.ts";
import { MysqlEngine, type BinlogEvent, type ServerVars, type Session } from "./mysqlengine.ts";
import { SqlError, formatTab, formatTable, parseStatement, splitStatements, type Outcome } from "./mysqlsql.ts";

const NO_HTTP: HttpAnswer = { status: 0, body: "" };
const SOCKET = "/var/run/mysqld/mysqld.sock";

function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00:00");
}

/** mysqld's own log time: `2024-01-08T00:00:05.000000Z`. */
function serverTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

const MYSQL_NO_PASSWORD = `Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD`;

/** `[mysqld]` options of the option files (my.cnf syntax: `key=value`, `key`, `#` comments; `_` and `-` alike). */
export function readServerOptions(io: Pick<ProcessIO, "fs">, dir = "/etc/mysql/conf.d"): Map<string, string> {
  const opts = new Map<string, string>();
  const st = io.fs.stat(dir);
  if (st?.type !== "dir") return opts;
  for (const f of io.fs.readdir(dir).filter((n) => n.endsWith(".cnf")).sort()) {
    let section = "";
    for (const raw of io.fs.readFile(`${dir}/${f}`).split("\n")) {
      const line = raw.replace(/[#;].*$/, "").trim();
      if (!line) continue;
      const sec = /^\[(.+)\]$/.exec(line);
      if (sec) {
        section = sec[1]!.trim().toLowerCase();
        continue;
      }
      if (section !== "mysqld" && section !== "server") continue;
      const eq = line.indexOf("=");
      const key = (eq < 0 ? line : line.slice(0, eq)).trim().toLowerCase().replace(/_/g, "-");
      opts.set(key, eq < 0 ? "" : line.slice(eq + 1).trim());
    }
  }
  return opts;
}

const truthy = (v: string | undefined) => v !== undefined && !/^(0|off|false)$/i.test(v);

/** A UUID for auto.cnf, from the server's name and start (deterministic). */
function serverUuid(seed: string): string {
  let h = 0x811c9dc5;
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    for (const ch of `${seed}/${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-11ee-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export class MysqlServer extends ServerProcess {
  engine: MysqlEngine | undefined;
  /** Replicas reading this server's binary log. */
  private readonly replicas = new Set<MysqlServer>();
  /** The primary this replica reads from, while connected. */
  private primary: MysqlServer | undefined;
  private slaveRunning = false;
  private retryTimer: ReturnType<ProcessIO["clock"]["setTimeout"]> | undefined;
  private readonly version: string;
  private readonly v57: boolean;

  constructor(
    io: ProcessIO,
    private readonly initMs: number,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
    this.version = (io.env.MYSQL_VERSION ?? "8.4.3-1.el9").replace(/-.*$/, "");
    this.v57 = /^5\./.test(this.version);
  }

  protected run(): void {
    const note = (s: string) => this.log(`${mysqlTime(this.io.clock.now())} [Note] [Entrypoint]: ${s}`);
    const opts = readServerOptions(this.io);
    const logBin = opts.has("log-bin") ? opts.get("log-bin") || `${this.io.hostname}-bin` : undefined;
    const vars: ServerVars = {
      serverId: Number(opts.get("server-id") ?? 0) || 0,
      hostname: this.io.hostname,
      version: this.v57 && logBin ? `${this.version}-log` : this.version,
      port: Number(opts.get("port")) || 3306,
      readOnly: truthy(opts.get("read-only")),
      superReadOnly: truthy(opts.get("super-read-only")),
      ...(logBin ? { logBin } : {}),
    };
    const engine = new MysqlEngine(this.io.fs, vars, () => this.io.clock.now());
    this.engine = engine;
    const fresh = !engine.initialised();
    const readyIn = fresh ? this.initMs : this.startMs + 2_000;
    if (fresh) note("Initializing database files");
    this.after(readyIn, () => {
      if (fresh) {
        engine.initialise(serverUuid(`${this.io.hostname}/${this.io.clock.now()}`));
        // --initialize and the temporary server each opened a binary log.
        engine.openBinlog();
        engine.openBinlog();
      }
      engine.load();
      engine.openBinlog();
      if (fresh) {
        note("Database files initialized");
        note("MySQL init process done. Ready for start up.");
      }
      if (this.v57) {
        const t = serverTime(this.io.clock.now());
        this.logErr(`${t} 0 [Note] mysqld (mysqld ${vars.version}) starting as process 1 ...`);
        this.logErr(`${t} 0 [Note] Server hostname (bind-address): '*'; port: ${vars.port}`);
        this.logErr(`${t} 0 [Note] mysqld: ready for connections.\nVersion: '${vars.version}'  socket: '${SOCKET}'  port: ${vars.port}  MySQL Community Server (GPL)`);
      } else {
        this.log(`${new Date(this.io.clock.now()).toISOString()} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${this.version}'  socket: '${SOCKET}'  port: 3306  MySQL Community Server - GPL.`);
      }
      // A replica restarts its replication threads from master.info (skip-slave-start is off).
      if (engine.master?.host) this.startSlave();
    });
    this.listen(vars.port, () => NO_HTTP, readyIn);
    if (!this.v57) this.listen(33060, () => NO_HTTP, readyIn);
  }

  /** Accepting statements: started and listening. */
  get ready(): boolean {
    return this.running && this.engine !== undefined && this.listening(this.engine.vars.port);
  }

  /** One statement of a client's session: its outcome, or the server's error. */
  query(session: Session, sql: string): Outcome | SqlError {
    const engine = this.engine;
    if (!engine) return new SqlError(2013, "HY000", "Lost connection to MySQL server during query");
    try {
      const st = parseStatement(sql);
      if (st.k === "changeMaster") return this.changeMaster(st.options);
      if (st.k === "startSlave") {
        if (!engine.master?.host) return new SqlError(1200, "HY000", "The server is not configured as slave; fix in config file or with CHANGE MASTER TO");
        this.startSlave();
        return { affected: 0 };
      }
      if (st.k === "stopSlave") {
        this.stopSlave();
        return { affected: 0 };
      }
      const r = engine.execute(session, st, sql);
      if (r.logged) for (const rep of [...this.replicas]) rep.receive(this, r.logged);
      return r;
    } catch (e) {
      if (e instanceof SqlError) return e;
      throw e;
    }
  }

  private changeMaster(o: Record<string, string | number | null>): Outcome | SqlError {
    const engine = this.engine!;
    if (this.slaveRunning)
      return new SqlError(1198, "HY000", "This operation cannot be performed with a running slave; run STOP SLAVE first");
    const prev = engine.master;
    const str = (k: string, d: string) => (o[k] === undefined || o[k] === null ? d : String(o[k]));
    const num = (k: string, d: number) => (o[k] === undefined || o[k] === null ? d : Number(o[k]));
    engine.master = {
      host: str("MASTER_HOST", prev?.host ?? ""),
      port: num("MASTER_PORT", prev?.port ?? 3306),
      user: str("MASTER_USER", prev?.user ?? ""),
      password: str("MASTER_PASSWORD", prev?.password ?? ""),
      connectRetry: num("MASTER_CONNECT_RETRY", prev?.connectRetry ?? 60),
      logFile: str("MASTER_LOG_FILE", prev?.logFile ?? ""),
      logPos: num("MASTER_LOG_POS", prev?.logPos ?? 4),
    };
    engine.saveMasterInfo();
    return { affected: 0 };
  }

  private startSlave(): void {
    if (this.slaveRunning) return;
    this.slaveRunning = true;
    this.connectPrimary();
  }

  private stopSlave(): void {
    this.slaveRunning = false;
    this.primary?.replicas.delete(this);
    this.primary = undefined;
    if (this.retryTimer) this.io.clock.clear(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The I/O thread connects to the primary, catches up from its position, then follows. */
  private connectPrimary(): void {
    this.retryTimer = undefined;
    const engine = this.engine;
    const m = engine?.master;
    if (!engine || !m || !this.slaveRunning || !this.running) return;
    const c = this.io.connect?.(m.host, m.port);
    const primary = c?.ok && c.app instanceof MysqlServer && c.app.ready ? c.app : undefined;
    const events = primary?.engine?.eventsAfter(m.logFile, m.logPos);
    if (!primary || !events || events instanceof SqlError) {
      const t = serverTime(this.io.clock.now());
      if (events instanceof SqlError) {
        this.logErr(`${t} 0 [ERROR] Slave I/O for channel '': ${events.message}, Error_code: 1236`);
        this.slaveRunning = false;
        return;
      }
      this.logErr(`${t} 0 [ERROR] Slave I/O for channel '': error connecting to master '${m.user}@${m.host}:${m.port}' - retry-time: ${m.connectRetry}  retries: 1, Error_code: 2003`);
      this.retryTimer = this.io.clock.setTimeout(() => this.connectPrimary(), m.connectRetry * 1000);
      return;
    }
    this.primary = primary;
    primary.replicas.add(this);
    this.logErr(`${serverTime(this.io.clock.now())} 0 [Note] Slave I/O thread for channel '': connected to master '${m.user}@${m.host}:${m.port}',replication started in log '${m.logFile}' at position ${m.logPos}`);
    for (const e of events) this.apply(e);
  }

  /** The primary logged an event: apply it (the SQL thread). */
  private receive(from: MysqlServer, e: BinlogEvent): void {
    if (!this.running || this.primary !== from) {
      from.replicas.delete(this);
      return;
    }
    this.apply(e);
  }

  private apply(e: BinlogEvent): void {
    const engine = this.engine!;
    try {
      const r = engine.execute({ db: e.db, replication: true }, parseStatement(e.sql), e.sql);
      if (r.logged) for (const rep of [...this.replicas]) rep.receive(this, r.logged);
    } catch (err) {
      if (!(err instanceof SqlError)) throw err;
      this.logErr(`${serverTime(this.io.clock.now())} 0 [ERROR] Slave SQL for channel '': Error '${err.message}' on query. Default database: '${e.db ?? ""}'. Query: '${e.sql}', Error_code: ${err.code}`);
    }
    engine.master!.logFile = e.file;
    engine.master!.logPos = e.end;
    engine.saveMasterInfo();
  }

  /** The primary went away: its replicas retry after their connect-retry time. */
  private lostPrimary(): void {
    this.primary = undefined;
    const m = this.engine?.master;
    if (!this.slaveRunning || !m || !this.running) return;
    this.logErr(`${serverTime(this.io.clock.now())} 0 [ERROR] Error reading packet from server for channel '': Lost connection to MySQL server during query (server_errno=2013)`);
    this.retryTimer = this.io.clock.setTimeout(() => this.connectPrimary(), m.connectRetry * 1000);
  }

  override exit(code: number): void {
    if (!this.running) return super.exit(code);
    const replicas = [...this.replicas];
    this.replicas.clear();
    this.primary?.replicas.delete(this);
    this.primary = undefined;
    if (this.retryTimer) this.io.clock.clear(this.retryTimer);
    super.exit(code);
    for (const r of replicas) r.lostPrimary();
  }
}

const mysqlEntrypoint: EntrypointWrapper = (argv, l) => {
  let args = argv.slice(1);
  if (args.length && args[0]!.startsWith("-")) args = ["mysqld", ...args];
  if (args[0] !== "mysqld") return { exec: args };
  const env = l.io.env;
  const t = mysqlTime(l.io.clock.now());
  const started = `${t} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${env.MYSQL_VERSION ?? "8.4.3-1.el9"} started.\n`;
  // As root it re-executes itself as the mysql user (gosu), so the first note appears twice.
  l.io.stdout(started + `${t} [Note] [Entrypoint]: Switching to dedicated user 'mysql'\n` + started);
  const initialised = l.io.fs.stat("/var/lib/mysql/mysql")?.type === "dir";
  if (!initialised && !env.MYSQL_ROOT_PASSWORD && !env.MYSQL_ALLOW_EMPTY_PASSWORD && !env.MYSQL_RANDOM_ROOT_PASSWORD) {
    l.io.stderr(`${t} [ERROR] [Entrypoint]: ${MYSQL_NO_PASSWORD}\n`);
    return { exitCode: 1 };
  }
  return { exec: args };
};

// ---- clients ----------------------------------------------------------------------------------

type Connection = { server: MysqlServer } | { error: string };

/** The server a client reaches: localhost through the container's socket, a host through the network. */
function connectTo(sh: Shell, host: string, port: number, v5: boolean, tool: "mysql" | "mysqladmin"): Connection {
  if (host === "localhost") {
    const server = serversOf(sh.io.container).find((p): p is MysqlServer => p instanceof MysqlServer && p.ready);
    if (server) return { server };
    return { error: `Can't connect to local MySQL server through socket '${SOCKET}' (2)` };
  }
  const where = v5 || tool === "mysqladmin" ? host : `${host}:${port}`;
  const c = sh.io.connect?.(host, port);
  if (!c || !c.ok) {
    if (c?.kind === "nxdomain") return { error: `Unknown MySQL server host '${host}' (-2)` };
    return { error: `Can't connect to MySQL server on '${where}' (${c?.kind === "timeout" ? 110 : 111})` };
  }
  if (c.app instanceof MysqlServer && c.app.ready) return { server: c.app };
  return { error: `Lost connection to MySQL server at 'reading initial communication packet', system error: 0` };
}

const CLIENT_ERRNO: Array<[RegExp, string]> = [
  [/^Can't connect to local/, "ERROR 2002 (HY000)"],
  [/^Can't connect to MySQL server/, "ERROR 2003 (HY000)"],
  [/^Unknown MySQL server host/, "ERROR 2005 (HY000)"],
  [/^Lost connection/, "ERROR 2013 (HY000)"],
];

/** The `mysql` client of a MySQL version (its messages differ: 5.x names the host, 8.x host:port). */
export function mysqlClientFor(version: "5.5" | "image"): CommandFn {
  return function* (sh: Shell, argv: string[]): G<number> {
    return yield* mysqlClientRun(sh, argv, version === "5.5" || /^5\./.test(sh.io.env.MYSQL_MAJOR ?? sh.io.env.MYSQL_VERSION ?? ""));
  };
}

/** The `mysql` client (see the module comment). */
function* mysqlClientRun(sh: Shell, argv: string[], v5: boolean): G<number> {
  let host = "localhost";
  let port = 3306;
  let password = false;
  let execute: string | undefined;
  let table: boolean | undefined;
  let headers = true;
  let database: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--host") host = argv[++i] ?? host;
    else if (a.startsWith("--host=")) host = a.slice(7);
    else if (a.startsWith("-h")) host = a.slice(2);
    else if (a === "-P" || a === "--port") port = Number(argv[++i]) || port;
    else if (a.startsWith("--port=")) port = Number(a.slice(7)) || port;
    else if (a.startsWith("-P")) port = Number(a.slice(2)) || port;
    else if (a === "-u" || a === "--user") i++;
    else if (a.startsWith("-u") || a.startsWith("--user=")) continue;
    else if (a.startsWith("-p") && a.length > 2) password = true;
    else if (a.startsWith("--password=")) password = true;
    else if (a === "-p" || a === "--password") continue;
    else if (a === "-e" || a === "--execute") execute = argv[++i] ?? "";
    else if (a.startsWith("--execute=")) execute = a.slice(10);
    else if (a.startsWith("-e") && a.length > 2) execute = a.slice(2);
    else if (a === "-t" || a === "--table") table = true;
    else if (a === "-B" || a === "--batch") table = false;
    else if (a === "-N" || a === "--skip-column-names") headers = false;
    else if (a === "-s" || a === "--silent") continue;
    else if (a.startsWith("-")) {
      sh.stderr.write(`mysql: [ERROR] unknown option '${a}'\n`);
      return 7;
    } else database = a;
  }
  if (password) sh.stderr.write(v5 ? "Warning: Using a password on the command line interface can be insecure.\n" : "mysql: [Warning] Using a password on the command line interface can be insecure.\n");
  const conn = connectTo(sh, host === "127.0.0.1" ? "127.0.0.1" : host, port, v5, "mysql");
  if ("error" in conn) {
    const code = CLIENT_ERRNO.find(([re]) => re.test(conn.error))?.[1] ?? "ERROR 2003 (HY000)";
    sh.stderr.write(`${code}: ${conn.error}\n`);
    return 1;
  }
  const session: Session = {};
  if (database !== undefined) {
    const r = conn.server.query(session, `USE \`${database}\``);
    if (r instanceof SqlError) {
      sh.stderr.write(`ERROR ${r.code} (${r.state}): ${r.message}\n`);
      return 1;
    }
  }
  const input = execute ?? (yield* sh.stdin.readAllG());
  // A terminal on both sides (kubectl run -i -t) prints boxed tables; otherwise batch, tab-separated (mysql.cc main).
  const boxed = table ?? sh.io.tty === true;
  for (const { sql, line } of splitStatements(input)) {
    const r = conn.server.query(session, sql);
    if (r instanceof SqlError) {
      sh.stderr.write(`ERROR ${r.code} (${r.state}) at line ${line}: ${r.message}\n`);
      return 1;
    }
    if ("rows" in r && r.rows.columns.length) {
      if (boxed) {
        if (r.rows.rows.length) sh.stdout.write(formatTable(r.rows));
      } else sh.stdout.write(formatTab(r.rows, headers));
    }
  }
  return 0;
}

export const mysqlClient = mysqlClientFor("image");

/** `mysqladmin [-h host] [-P port] ping` (other commands are not modelled and say so). */
// eslint-disable-next-line require-yield -- a command is a generator; this one never waits
export const mysqladmin: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let host = "localhost";
  let port = 3306;
  const cmds: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--host") host = argv[++i] ?? host;
    else if (a.startsWith("-h")) host = a.slice(2);
    else if (a === "-P" || a === "--port") port = Number(argv[++i]) || port;
    else if (a === "-u" || a === "--user") i++;
    else if (a.startsWith("-")) continue;
    else cmds.push(a);
  }
  if (cmds.length === 0) {
    sh.stderr.write("mysqladmin: No command given\n");
    return 1;
  }
  if (cmds.some((c) => c !== "ping")) {
    sh.stderr.write(`mysqladmin: ${cmds.find((c) => c !== "ping")}: only 'ping' is modelled\n`);
    return 1;
  }
  const conn = connectTo(sh, host, port, true, "mysqladmin");
  if ("error" in conn) {
    const local = host === "localhost";
    sh.stderr.write(`mysqladmin: connect to server at '${host}' failed\nerror: '${conn.error}'\n`);
    if (local) sh.stderr.write(`Check that mysqld is running and that the socket: '${SOCKET}' exists!\n`);
    return 1;
  }
  sh.stdout.write("mysqld is alive\n");
  return 0;
};

export const MYSQL: ModelBehaviour = {
  entrypoints: { "docker-entrypoint.sh": mysqlEntrypoint, "/usr/local/bin/docker-entrypoint.sh": mysqlEntrypoint },
  programs: {
    mysqld: (_a: string[], l: ContainerLaunch, ctx: ProgramContext) => new MysqlServer(l.io, 15_000 + ctx.startMs, ctx.startMs),
  },
  commands: { mysql: onPath(mysqlClient), mysqladmin: onPath(mysqladmin) },
};

/** The server of a container, when its main process is mysqld (tests, and xtrabackup's backup). */
export function mysqlServerOf(space: ContainerSpace | undefined): MysqlServer | undefined {
  return serversOf(space).find((p): p is MysqlServer => p instanceof MysqlServer);
}
