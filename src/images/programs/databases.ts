/**
 * The database images as their entrypoints and servers behave:
 *
 * - redis (docker-library/redis): `docker-entrypoint.sh` prepends `redis-server` to options and
 *   config files; `redis-server` logs its start-up and listens on 6379 (`--port`); SIGTERM saves
 *   nothing (no persistence configured) and exits 0. `redis-cli [-h host] [-p port] CMD` talks to
 *   the server of the container, or (`-h redis`) the one a TCP connection through the cluster
 *   network reaches (PING → PONG, SET/SETEX/GET/DEL/INCR/EXISTS/TTL/TYPE/DBSIZE/ECHO/FLUSHALL, the
 *   lists: RPUSH/LPUSH/LLEN/LRANGE/RPOPLPUSH/LREM, keys expiring after their TTL, CONFIG GET/SET),
 *   or says it could not connect. BRPOPLPUSH blocks a program's client (blockingPopPush). `redis-server /path/redis.conf` reads its
 *   configuration file (src/images/programs/redisconfig.ts).
 * - postgres (docker-library/postgres docker-entrypoint.sh): without POSTGRES_PASSWORD (and
 *   POSTGRES_HOST_AUTH_METHOD other than trust) it prints the script's error and exits 1;
 *   otherwise it initialises the database (about 3 s) and listens on 5432. STOPSIGNAL SIGINT:
 *   a fast shutdown, exit 0.
 * - mysql: ./mysql.ts.
 */
import type { ContainerLaunch, ContainerSpace, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
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

  /** Lists (RPUSH, LRANGE, RPOPLPUSH…), as redis keeps them beside the strings of `data`. */
  readonly lists = new Map<string, string[]>();
  /** Keys with a time to live (SETEX, SET … EX): when they expire, in simulated ms. */
  private readonly expires = new Map<string, number>();
  /** Clients blocked in BRPOPLPUSH, served in the order they blocked (blocked.c). */
  private readonly blocked: Array<{ src: string; dst: string; done: (item: string | undefined) => void; timer?: ReturnType<ProcessIO["clock"]["setTimeout"]> }> = [];

  /** A key whose time to live has passed is gone (redis' lazy expiry, expireIfNeeded). */
  private expire(key: string): void {
    const at = this.expires.get(key);
    if (at !== undefined && at <= this.io.clock.now()) {
      this.expires.delete(key);
      this.data.delete(key);
      this.lists.delete(key);
    }
  }

  private exists(key: string): boolean {
    this.expire(key);
    return this.data.has(key) || this.lists.has(key);
  }

  /** The list at `key` (undefined: none), or the WRONGTYPE error for a string. */
  private list(key: string): string[] | undefined | RedisReply {
    this.expire(key);
    if (this.data.has(key)) return WRONGTYPE;
    return this.lists.get(key);
  }

  private remove(key: string): boolean {
    this.expire(key);
    this.expires.delete(key);
    return this.data.delete(key) || this.lists.delete(key);
  }

  private setString(key: string, value: string, ttlMs?: number): void {
    this.lists.delete(key);
    this.data.set(key, value);
    if (ttlMs === undefined) this.expires.delete(key);
    else this.expires.set(key, this.io.clock.now() + ttlMs);
  }

  /** RPOPLPUSH: the source's last element moved to the head of the destination. */
  private popPush(src: string, dst: string): string | undefined | RedisReply {
    const from = this.list(src);
    if (from === undefined) return undefined;
    if (!Array.isArray(from)) return from;
    const to = this.list(dst);
    if (to !== undefined && !Array.isArray(to)) return to;
    const item = from.pop()!;
    if (from.length === 0) this.lists.delete(src);
    const target = this.lists.get(dst) ?? [];
    target.unshift(item);
    this.lists.set(dst, target);
    return item;
  }

  /** After a push: clients blocked on the key take its elements, first blocked first (serveClientsBlockedOnKeys). */
  private serveBlocked(key: string): void {
    for (let i = 0; i < this.blocked.length && this.lists.has(key); ) {
      const b = this.blocked[i]!;
      if (b.src !== key) {
        i++;
        continue;
      }
      const item = this.popPush(b.src, b.dst);
      if (typeof item !== "string") break;
      this.blocked.splice(i, 1);
      this.io.clock.clear(b.timer);
      b.done(item);
      if (this.lists.has(b.dst)) this.serveBlocked(b.dst);
    }
  }

  /**
   * BRPOPLPUSH src dst timeout from a client that waits (a program's redis client): the element at
   * once when there is one, else when a push brings one, else undefined after `timeoutS` (0: forever).
   */
  blockingPopPush(src: string, dst: string, timeoutS: number, done: (item: string | undefined | RedisReply) => void): void {
    const now = this.popPush(src, dst);
    if (now !== undefined) return done(now);
    const b: (typeof this.blocked)[number] = { src, dst, done };
    if (timeoutS > 0)
      b.timer = this.io.clock.setTimeout(() => {
        const i = this.blocked.indexOf(b);
        if (i >= 0) this.blocked.splice(i, 1);
        done(undefined);
      }, timeoutS * 1000);
    this.blocked.push(b);
  }

  /** One command as redis answers it. */
  command(args: string[]): RedisReply {
    const [cmd = "", ...rest] = args;
    const lower = cmd.toLowerCase();
    const arity = (n: number) => (rest.length < n ? err(`ERR wrong number of arguments for '${lower}' command`) : undefined);
    const exact = (n: number) => (rest.length !== n ? err(`ERR wrong number of arguments for '${lower}' command`) : undefined);
    switch (cmd.toUpperCase()) {
      case "PING":
        return rest.length ? bulk(rest[0]!) : { t: "status", s: "PONG" };
      case "ECHO":
        return arity(1) ?? bulk(rest[0]!);
      case "SET": {
        if (rest.length < 2) return err("ERR wrong number of arguments for 'set' command");
        let ttl: number | undefined;
        for (let i = 2; i < rest.length; i++) {
          const o = rest[i]!.toUpperCase();
          if ((o === "EX" || o === "PX") && i + 1 < rest.length) {
            const n = Number(rest[++i]);
            if (!Number.isInteger(n)) return err("ERR value is not an integer or out of range");
            if (n <= 0) return err("ERR invalid expire time in 'set' command");
            ttl = o === "EX" ? n * 1000 : n;
          } else return err("ERR syntax error");
        }
        this.setString(rest[0]!, rest[1]!, ttl);
        return ok;
      }
      case "SETEX": {
        if (exact(3)) return exact(3)!;
        const n = Number(rest[1]);
        if (!Number.isInteger(n)) return err("ERR value is not an integer or out of range");
        if (n <= 0) return err("ERR invalid expire time in 'setex' command");
        this.setString(rest[0]!, rest[2]!, n * 1000);
        return ok;
      }
      case "GET": {
        if (arity(1)) return arity(1)!;
        this.expire(rest[0]!);
        if (this.lists.has(rest[0]!)) return WRONGTYPE;
        return this.data.has(rest[0]!) ? bulk(this.data.get(rest[0]!)!) : { t: "nil" };
      }
      case "DEL": {
        if (arity(1)) return arity(1)!;
        let n = 0;
        for (const k of rest) if (this.remove(k)) n++;
        return { t: "int", n };
      }
      case "EXISTS":
        return arity(1) ?? { t: "int", n: rest.filter((k) => this.exists(k)).length };
      case "TTL": {
        if (exact(1)) return exact(1)!;
        if (!this.exists(rest[0]!)) return { t: "int", n: -2 };
        const at = this.expires.get(rest[0]!);
        return { t: "int", n: at === undefined ? -1 : Math.round((at - this.io.clock.now()) / 1000) };
      }
      case "TYPE":
        if (exact(1)) return exact(1)!;
        return { t: "status", s: !this.exists(rest[0]!) ? "none" : this.lists.has(rest[0]!) ? "list" : "string" };
      case "INCR": {
        if (this.lists.has(rest[0] ?? "")) return WRONGTYPE;
        const cur = Number(this.data.get(rest[0] ?? "") ?? 0);
        if (!Number.isInteger(cur)) return err("ERR value is not an integer or out of range");
        this.data.set(rest[0]!, String(cur + 1));
        return { t: "int", n: cur + 1 };
      }
      case "RPUSH":
      case "LPUSH": {
        if (arity(2)) return arity(2)!;
        const l = this.list(rest[0]!);
        if (l !== undefined && !Array.isArray(l)) return l;
        const list = l ?? [];
        if (cmd.toUpperCase() === "RPUSH") list.push(...rest.slice(1));
        else for (const v of rest.slice(1)) list.unshift(v);
        this.lists.set(rest[0]!, list);
        const n = list.length;
        this.serveBlocked(rest[0]!);
        return { t: "int", n };
      }
      case "LLEN": {
        if (exact(1)) return exact(1)!;
        const l = this.list(rest[0]!);
        if (l !== undefined && !Array.isArray(l)) return l;
        return { t: "int", n: l?.length ?? 0 };
      }
      case "LRANGE": {
        if (exact(3)) return exact(3)!;
        let start = Number(rest[1]);
        let stop = Number(rest[2]);
        if (!Number.isInteger(start) || !Number.isInteger(stop)) return err("ERR value is not an integer or out of range");
        const l = this.list(rest[0]!);
        if (l !== undefined && !Array.isArray(l)) return l;
        const list = l ?? [];
        if (start < 0) start = Math.max(0, list.length + start);
        if (stop < 0) stop = list.length + stop;
        return { t: "array", items: list.slice(start, Math.min(stop, list.length - 1) + 1).map(bulk) };
      }
      case "RPOPLPUSH": {
        if (exact(2)) return exact(2)!;
        const item = this.popPush(rest[0]!, rest[1]!);
        if (item === undefined) return { t: "nil" };
        if (typeof item !== "string") return item;
        this.serveBlocked(rest[1]!);
        return bulk(item);
      }
      case "LREM": {
        if (exact(3)) return exact(3)!;
        const count = Number(rest[1]);
        if (!Number.isInteger(count)) return err("ERR value is not an integer or out of range");
        const l = this.list(rest[0]!);
        if (l !== undefined && !Array.isArray(l)) return l;
        if (!l) return { t: "int", n: 0 };
        let removed = 0;
        const limit = count === 0 ? Infinity : Math.abs(count);
        const idx = l.map((v, i) => (v === rest[2] ? i : -1)).filter((i) => i >= 0);
        const chosen = new Set((count < 0 ? idx.reverse() : idx).slice(0, limit));
        const kept = l.filter((_, i) => !chosen.has(i) || (removed++, false));
        if (kept.length) this.lists.set(rest[0]!, kept);
        else this.lists.delete(rest[0]!);
        return { t: "int", n: removed };
      }
      case "BRPOPLPUSH":
        // A client that waits is a program's (blockingPopPush); redis-cli's session here answers at once.
        return err("ERR kube-scenario's redis-cli does not wait in blocking commands (BRPOPLPUSH); use RPOPLPUSH");
      case "DBSIZE":
        return { t: "int", n: [...this.data.keys(), ...this.lists.keys()].filter((k) => this.exists(k)).length };
      case "FLUSHALL":
      case "FLUSHDB":
        this.data.clear();
        this.lists.clear();
        this.expires.clear();
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

const WRONGTYPE = err("WRONGTYPE Operation against a key holding the wrong kind of value");

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
  // Another host: a TCP connection through the cluster network (DNS, the Service's endpoints,
  // NetworkPolicy), as redisConnect's anetTcpConnect makes it.
  let why = "Connection refused";
  const connect = (): RedisServer | undefined => {
    if (local) return redisOf(sh.io.container, port);
    const c = sh.io.connect?.(host, port);
    if (!c) return undefined;
    if (!c.ok) {
      why = c.kind === "nxdomain" ? "Name or service not known" : c.kind === "timeout" ? "Connection timed out" : "Connection refused";
      return undefined;
    }
    if (c.app instanceof RedisServer && c.app.running) return c.app;
    why = "Connection reset by peer";
    return undefined;
  };
  const refused = () => `Could not connect to Redis at ${host}:${port}: ${why}\n`;
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

const entry = (w: EntrypointWrapper) => ({ "docker-entrypoint.sh": w, "/usr/local/bin/docker-entrypoint.sh": w });

export const POSTGRES: ModelBehaviour = {
  entrypoints: entry(postgresEntrypoint),
  programs: { postgres: (_a: string[], l: ContainerLaunch, ctx: ProgramContext) => new PostgresServer(l.io, 3_000 + ctx.startMs) },
};
