/**
 * The database images as their entrypoints and servers behave:
 *
 * - redis (docker-library/redis): `docker-entrypoint.sh` prepends `redis-server` to options and
 *   config files; `redis-server` logs its start-up and listens on 6379 (`--port`); SIGTERM saves
 *   nothing (no persistence configured) and exits 0. `redis-cli [-h host] [-p port] CMD` talks to
 *   the server of the container (PING → PONG, SET/GET/DEL/INCR/EXISTS/DBSIZE/ECHO/FLUSHALL,
 *   CONFIG GET/SET), or says it could not connect. `redis-server /path/redis.conf` reads its
 *   configuration file (src/images/programs/redisconfig.ts).
 * - postgres (docker-library/postgres docker-entrypoint.sh): without POSTGRES_PASSWORD (and
 *   POSTGRES_HOST_AUTH_METHOD other than trust) it prints the script's error and exits 1;
 *   otherwise it initialises the database (about 3 s) and listens on 5432. STOPSIGNAL SIGINT:
 *   a fast shutdown, exit 0.
 * - mysql (docker-library/mysql docker-entrypoint.sh): notes the entrypoint start (twice: it
 *   re-executes itself as the mysql user), and without MYSQL_ROOT_PASSWORD,
 *   MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD prints the script's error and exits
 *   1; otherwise it initialises (about 15 s) and listens on 3306 and 33060.
 */
import type { ContainerLaunch, ContainerSpace, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import { lookupHost } from "../../runtime/shell/net.ts";
import type { HttpOutcome } from "../../runtime/types.ts";
import type { EntrypointWrapper, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, type HttpAnswer } from "./server.ts";
import { runServerInShell, serversOf } from "./shellservers.ts";
import { RedisConfig, RedisConfigError, bulk, err, formatRaw, formatTTY, ok, serverArgs, splitArgs, type RedisReply } from "./redisconfig.ts";

const NO_HTTP: HttpAnswer = { status: 0, body: "" };

// ---- redis ------------------------------------------------------------------------------------

/** redis' log time: `08 Jan 2024 00:00:02.000`. */
function redisTime(ms: number): string {
  const d = new Date(ms);
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p2(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
}

export class RedisServer extends ServerProcess {
  readonly data = new Map<string, string>();
  readonly config: RedisConfig;
  readonly port: number;
  private readonly configFile: string | undefined;
  /** Why the configuration could not be loaded: the server reports it and exits 1 when started. */
  private readonly configError: RedisConfigError | undefined;

  constructor(
    io: ProcessIO,
    args: string[],
    private readonly startMs = 0,
  ) {
    super(io);
    const version = io.env.REDIS_VERSION ?? "7.4.1";
    this.config = new RedisConfig(version);
    const { file, options } = serverArgs(args);
    this.configFile = file;
    try {
      if (file !== undefined) {
        const path = file.startsWith("/") ? file : `${io.cwd ?? "/"}/${file}`.replace(/\/+/g, "/");
        const st = io.fs.stat(path);
        if (!st || st.type !== "file") throw new RedisConfigError(`Fatal error, can't open config file '${file}': ${st ? "Is a directory" : "No such file or directory"}`, true);
        this.config.load(io.fs.readFile(path) + "\n" + options);
      } else this.config.load(options);
    } catch (e) {
      if (!(e instanceof RedisConfigError)) throw e;
      this.configError = e;
    }
    this.port = Number(this.config.get("port")) || 6379;
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const t = redisTime(this.io.clock.now());
    const v = this.io.env.REDIS_VERSION ?? "7.4.1";
    this.log(`1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`);
    this.log(`1:C ${t} * Redis version=${v}, bits=64, commit=00000000, modified=0, pid=1, just started`);
    if (this.configError) {
      if (this.configError.toLog) this.log(`1:C ${t} # ${this.configError.report}`);
      else this.io.stderr(this.configError.report);
      this.after(0, () => this.exit(1));
      return;
    }
    if (this.configFile === undefined) this.log(`1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`);
    else this.log(`1:C ${t} * Configuration loaded`);
    this.log(`1:M ${t} * monotonic clock: POSIX clock_gettime`);
    this.log(`1:M ${t} * Running mode=standalone, port=${this.port}.`);
    this.log(`1:M ${t} * Server initialized`);
    this.log(`1:M ${t} * Ready to accept connections tcp`);
    this.listen(this.port, () => NO_HTTP, this.startMs);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    const t = redisTime(this.io.clock.now());
    this.log(`1:signal-handler (${Math.floor(this.io.clock.now() / 1000)}) Received SIGTERM scheduling shutdown...`);
    this.log(`1:M ${t} * User requested shutdown...`);
    this.log(`1:M ${t} # Redis is now ready to exit, bye bye...`);
    super.stopSignal(b);
  }

  /** One command as redis answers it. */
  command(args: string[]): RedisReply {
    const [cmd = "", ...rest] = args;
    const arity = (n: number) => (rest.length < n ? err(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`) : undefined);
    switch (cmd.toUpperCase()) {
      case "PING":
        return rest.length ? bulk(rest[0]!) : { t: "status", s: "PONG" };
      case "ECHO":
        return arity(1) ?? bulk(rest[0]!);
      case "SET":
        if (rest.length < 2) return err("ERR wrong number of arguments for 'set' command");
        this.data.set(rest[0]!, rest[1]!);
        return ok;
      case "GET":
        return arity(1) ?? (this.data.has(rest[0]!) ? bulk(this.data.get(rest[0]!)!) : { t: "nil" });
      case "DEL": {
        let n = 0;
        for (const k of rest) if (this.data.delete(k)) n++;
        return { t: "int", n };
      }
      case "EXISTS":
        return { t: "int", n: rest.filter((k) => this.data.has(k)).length };
      case "INCR": {
        const cur = Number(this.data.get(rest[0] ?? "") ?? 0);
        if (!Number.isInteger(cur)) return err("ERR value is not an integer or out of range");
        this.data.set(rest[0]!, String(cur + 1));
        return { t: "int", n: cur + 1 };
      }
      case "DBSIZE":
        return { t: "int", n: this.data.size };
      case "FLUSHALL":
      case "FLUSHDB":
        this.data.clear();
        return ok;
      case "CONFIG": {
        const sub = (rest[0] ?? "").toUpperCase();
        if (sub === "GET") return rest.length < 2 ? err("ERR wrong number of arguments for 'config|get' command") : this.config.configGet(rest.slice(1));
        if (sub === "SET") return this.config.configSet(rest.slice(1));
        if (rest.length === 0) return err("ERR wrong number of arguments for 'config' command");
        return err(`ERR unknown subcommand '${rest[0]}'. Try CONFIG HELP.`);
      }
      default:
        return err(`ERR unknown command '${cmd}', with args beginning with: ${rest.map((r) => `'${r}' `).join("")}`);
    }
  }
}

function redisOf(space: ContainerSpace | undefined, port: number): RedisServer | undefined {
  return serversOf(space).find((p): p is RedisServer => p instanceof RedisServer && p.running && p.listening(port));
}

/**
 * `redis-cli [-h host] [-p port] [command …]` against the container's own server. With a command
 * it runs it; without one it reads commands from its standard input, a line each (`kubectl exec
 * -it redis -- redis-cli`, the interactive session; `quit`/`exit` end it). Replies are printed as
 * on a terminal (`1) "maxmemory"`) when its output is one (`kubectl exec -it`), else raw (`--raw`,
 * or a pipe: one element a line, no quotes), as redis-cli chooses with isatty(stdout).
 */
export const redisCli: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let host = "127.0.0.1";
  let port = 6379;
  let raw = !sh.io.tty;
  const cmd: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (cmd.length) cmd.push(a);
    else if (a === "-h") host = argv[++i] ?? host;
    else if (a === "-p") port = Number(argv[++i]) || port;
    else if (a === "--raw") raw = true;
    else if (a === "--no-raw") raw = false;
    else if (a === "--no-auth-warning") continue;
    else cmd.push(a);
  }
  const local = host === "127.0.0.1" || host === "localhost" || host === sh.io.hostname;
  const connect = () => (local ? redisOf(sh.io.container, port) : undefined);
  const refused = () =>
    local ? `Could not connect to Redis at ${host}:${port}: Connection refused\n` : `Could not connect to Redis at ${host}:${port}: kube-scenario's redis-cli reaches only the server in its own container\n`;
  const render = (r: RedisReply) => (raw ? formatRaw(r) : formatTTY(r));
  if (cmd.length) {
    const server = connect();
    if (!server) {
      sh.stderr.write(refused());
      return 1;
    }
    sh.stdout.write(render(server.command(cmd)));
    return 0;
  }
  // repl(): one command a line until end of input or quit/exit; a refused connection is retried
  // for every command ("not connected>" on a terminal).
  for (;;) {
    const line = yield* sh.stdin.readLineG();
    if (line === undefined) return 0;
    const words = splitArgs(line);
    if (words === undefined) {
      sh.stdout.write("Invalid argument(s)\n");
      continue;
    }
    if (!words.length) continue;
    const first = words[0]!.toLowerCase();
    if (first === "quit" || first === "exit") return 0;
    const server = connect();
    if (!server) {
      sh.stderr.write(refused());
      continue;
    }
    sh.stdout.write(render(server.command(words)));
  }
};

export const redisServerCommand: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const daemon = argv.includes("--daemonize") && argv[argv.indexOf("--daemonize") + 1] === "yes";
  return yield* runServerInShell(sh, new RedisServer(sh.io, argv.slice(1)), daemon);
};

const redisEntrypoint: EntrypointWrapper = (argv) => {
  const args = argv.slice(1);
  // docker-entrypoint.sh: a first argument that is an option or a .conf file means redis-server.
  if (args.length && (args[0]!.startsWith("-") || args[0]!.endsWith(".conf"))) return { exec: ["redis-server", ...args] };
  return { exec: args };
};

export const REDIS: ModelBehaviour = {
  entrypoints: { "docker-entrypoint.sh": redisEntrypoint, "/usr/local/bin/docker-entrypoint.sh": redisEntrypoint },
  programs: { "redis-server": (argv, l, ctx) => new RedisServer(l.io, argv.slice(1), ctx.startMs) },
  commands: { "redis-cli": redisCli, "redis-server": redisServerCommand },
  serversInShell: true,
};

// ---- postgres ---------------------------------------------------------------------------------

const POSTGRES_NO_PASSWORD = `Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html
`;

function pgTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
}

export class PostgresServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly initMs: number,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const v = this.io.env.PG_MAJOR ?? "17";
    this.after(this.initMs, () => {
      const t = pgTime(this.io.clock.now());
      this.log(`PostgreSQL init process complete; ready for start up.\n`);
      this.logErr(`${t} [1] LOG:  starting PostgreSQL ${v}.2 (Debian ${v}.2-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`);
      this.logErr(`${t} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`);
      this.logErr(`${t} [1] LOG:  database system is ready to accept connections`);
    });
    this.listen(5432, () => NO_HTTP, this.initMs);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    const t = pgTime(this.io.clock.now());
    this.logErr(`${t} [1] LOG:  received fast shutdown request`);
    this.logErr(`${t} [1] LOG:  database system is shut down`);
    super.stopSignal(b);
  }
}

const postgresEntrypoint: EntrypointWrapper = (argv, l) => {
  let args = argv.slice(1);
  if (args.length && args[0]!.startsWith("-")) args = ["postgres", ...args];
  if (args[0] !== "postgres") return { exec: args };
  const env = l.io.env;
  if (!env.POSTGRES_PASSWORD && env.POSTGRES_HOST_AUTH_METHOD !== "trust") {
    l.io.stderr(POSTGRES_NO_PASSWORD);
    return { exitCode: 1 };
  }
  l.io.stdout(`The files belonging to this database system will be owned by user "postgres".\nThis user must also own the server process.\n\n`);
  return { exec: args };
};

// ---- mysql ------------------------------------------------------------------------------------

function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00:00");
}

const MYSQL_NO_PASSWORD = `Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD`;

export class MysqlServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly initMs: number,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const note = (s: string) => this.log(`${mysqlTime(this.io.clock.now())} [Note] [Entrypoint]: ${s}`);
    note("Initializing database files");
    this.after(this.initMs, () => {
      note("Database files initialized");
      note("MySQL init process done. Ready for start up.");
      this.log(`${new Date(this.io.clock.now()).toISOString()} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${(this.io.env.MYSQL_VERSION ?? "8.4.3-1.el9").replace(/-.*$/, "")}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`);
    });
    this.listen(3306, () => NO_HTTP, this.initMs);
    this.listen(33060, () => NO_HTTP, this.initMs);
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
  if (!env.MYSQL_ROOT_PASSWORD && !env.MYSQL_ALLOW_EMPTY_PASSWORD && !env.MYSQL_RANDOM_ROOT_PASSWORD) {
    l.io.stderr(`${t} [ERROR] [Entrypoint]: ${MYSQL_NO_PASSWORD}\n`);
    return { exitCode: 1 };
  }
  return { exec: args };
};

const entry = (w: EntrypointWrapper) => ({ "docker-entrypoint.sh": w, "/usr/local/bin/docker-entrypoint.sh": w });

export const POSTGRES: ModelBehaviour = {
  entrypoints: entry(postgresEntrypoint),
  programs: { postgres: (_a: string[], l: ContainerLaunch, ctx: ProgramContext) => new PostgresServer(l.io, 3_000 + ctx.startMs) },
};

/**
 * The `mysql` client (its connection, not the MySQL protocol): `-h host` (default localhost), `-P
 * port` (3306), `-u`, `-p<password>`, `-e`. The host's name is resolved and a TCP connection made,
 * with the client's errors when either fails (ERROR 2005 unknown host, ERROR 2003 can't connect;
 * the 5.x client names the host, 8.x host:port). Once connected nothing runs: the MySQL protocol
 * is not simulated, and the client says so and exits 1 (docs/divergences.md), rather than pretend
 * a session or a query ran.
 */
export const mysqlClient: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let host = "localhost";
  let port = 3306;
  let password = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--host") host = argv[++i] ?? host;
    else if (a.startsWith("-h")) host = a.slice(2);
    else if (a.startsWith("--host=")) host = a.slice(7);
    else if (a === "-P" || a === "--port") port = Number(argv[++i]) || port;
    else if (a.startsWith("-P")) port = Number(a.slice(2)) || port;
    else if (a.startsWith("-p") && a.length > 2) password = true;
    else if (a.startsWith("--password=")) password = true;
    else if (a === "-u" || a === "-e") i++;
  }
  const v5 = /^5\./.test(sh.io.env.MYSQL_MAJOR ?? sh.io.env.MYSQL_VERSION ?? "");
  if (password) sh.stderr.write(v5 ? "Warning: Using a password on the command line interface can be insecure.\n" : "mysql: [Warning] Using a password on the command line interface can be insecure.\n");
  const local = host === "localhost" || host === "127.0.0.1";
  const ip = local ? "127.0.0.1" : lookupHost(sh, host);
  if (ip === undefined) {
    sh.stderr.write(`ERROR 2005 (HY000): Unknown MySQL server host '${host}' (-2)\n`);
    return 1;
  }
  const r = (yield { k: "http", req: { method: "GET", url: `http://${ip}:${port}/`, headers: { Host: host }, timeoutMs: 10_000 } }) as HttpOutcome;
  if (!r.ok) {
    sh.stderr.write(`ERROR 2003 (HY000): Can't connect to MySQL server on '${v5 ? host : `${host}:${port}`}' (${r.kind === "refused" ? 111 : 110})\n`);
    return 1;
  }
  sh.stderr.write(`mysql: connected to ${host}:${port}, but the MySQL protocol is not simulated: no session or statement runs\n`);
  return 1;
};

export const MYSQL: ModelBehaviour = {
  entrypoints: entry(mysqlEntrypoint),
  programs: { mysqld: (_a: string[], l: ContainerLaunch, ctx: ProgramContext) => new MysqlServer(l.io, 15_000 + ctx.startMs) },
  commands: { mysql: mysqlClient },
};
