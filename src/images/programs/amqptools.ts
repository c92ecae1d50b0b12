/**
 * amqp-tools (alanxz/rabbitmq-c `tools/`, v0.10.0 as Ubuntu 22.04 packages it; 0.8.0 in 18.04 has
 * the same options and messages): `amqp-declare-queue`, `amqp-publish`, `amqp-consume`,
 * `amqp-get`, `amqp-delete-queue`, talking AMQP to a RabbitMQ broker (./rabbitmq.ts) through the
 * cluster network (DNS, the Service's endpoints, NetworkPolicy).
 *
 * - Connection options (common.c): `--url`/`-u amqp://user:pass@host:port/vhost` (amqp_parse_url:
 *   defaults guest/guest@localhost:5672, vhost `/`), `--server`/`-s host[:port]`, `--port`,
 *   `--vhost`, `--username`, `--password`, `--heartbeat`; `--url` with another of them dies
 *   ("--server and --url options cannot be used at the same time"). Options as popt reads them:
 *   `--opt=value`, `--opt value`, `-o value`, `-ovalue`; an unknown one prints
 *   `<option>: unknown option` and exits 1.
 * - Failures die with the tools' messages, exit 1: `Parsing URL '<url>': could not parse AMQP URL`,
 *   `opening socket to <host>:<port>` (no such host, refused, timeout), `logging in to AMQP
 *   server: server connection error 403, message: ACCESS_REFUSED - …`, `queue.declare: server
 *   channel error 406, message: PRECONDITION_FAILED - …`, `basic.consume: server channel error
 *   404, message: NOT_FOUND - no queue 'x' in vhost '/'`.
 * - `amqp-declare-queue -q name [-d]` prints the queue's name. `amqp-publish -r key [-e exchange]
 *   [-p] [-b body]` publishes the body (or all of stdin; `-l` a message per line). `amqp-get -q q`
 *   prints one message's body (exit 2 when the queue is empty). `amqp-delete-queue -q q` prints
 *   the messages it held.
 * - `amqp-consume -q q [-c n] [-d] [-x] [-A] [-p n] command args…` (consume.c): `-c n` sets
 *   basic.qos to n, consumes (acknowledging), and for each delivery spawns the command with the
 *   body on its stdin (posix_spawnp: a command not found dies `posix_spawnp: <cmd>: No such file
 *   or directory`), waits for it, and acknowledges the message only when it exited 0; after n
 *   messages it closes the connection and exits 0, whatever the command's status (a message not
 *   acknowledged goes back to the queue when the connection closes). Without `-c` it consumes
 *   until killed. `-d`/`-x` declare the queue (auto-delete, not durable: an existing durable
 *   queue refuses it), and no `-q` makes a server-named one (`Server provided queue name: …`).
 * - The command is what the image has: a program of the shell, or an executable script; a script
 *   whose `#!` names Python runs only when it is the page's worker.py (./pyworker.ts), with the
 *   interpreter the image has (`/usr/bin/env: 'python': No such file or directory`, 127, when not).
 */
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import { Input } from "../../runtime/shell/interp.ts";
import { RabbitMQServer, type AmqpError, type Broker, type Connection, type Delivery } from "./rabbitmq.ts";
import { runScript } from "./pyworker.ts";

/** Thrown to end a tool: the message on stderr, then the exit code (die in common.c). */
class Die {
  constructor(
    readonly message: string,
    readonly code = 1,
  ) {}
}

interface OptSpec {
  long: string;
  short?: string;
  /** Takes a value (POPT_ARG_STRING/INT). */
  arg: boolean;
}

const CONNECT: OptSpec[] = [
  { long: "url", short: "u", arg: true },
  { long: "server", short: "s", arg: true },
  { long: "port", arg: true },
  { long: "vhost", arg: true },
  { long: "username", arg: true },
  { long: "password", arg: true },
  { long: "heartbeat", arg: true },
];

/** popt as the tools use it: options anywhere (permuted) until `--`, the rest operands. */
export function parseOptions(argv: string[], specs: OptSpec[]): { opts: Map<string, string>; rest: string[] } | Die {
  const all = [...CONNECT, ...specs, { long: "help", short: "?", arg: false }, { long: "usage", arg: false }];
  const opts = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = all.find((s) => s.long === name);
      if (!spec) return new Die(`${eq >= 0 ? a.slice(0, eq) : a}: unknown option`);
      if (spec.arg) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) return new Die(`${a}: missing argument`);
        opts.set(spec.long, v);
      } else opts.set(spec.long, "1");
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // A bundle of short options; one taking a value takes the rest of the word or the next one.
      for (let j = 1; j < a.length; j++) {
        const spec = all.find((s) => s.short === a[j]);
        if (!spec) return new Die(`-${a[j]}: unknown option`);
        if (spec.arg) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return new Die(`-${a[j]}: missing argument`);
          opts.set(spec.long, v);
          break;
        }
        opts.set(spec.long, "1");
      }
      continue;
    }
    rest.push(a);
    // amqp-consume's command: what follows belongs to it (popt stops at the first operand here).
    if (specs.some((s) => s.long === "count")) {
      rest.push(...argv.slice(i + 1));
      break;
    }
  }
  return { opts, rest };
}

/** amqp_parse_url: the connection the URL names, or undefined when it does not parse. */
export function parseAmqpUrl(url: string): { user: string; password: string; host: string; port: number; vhost: string } | undefined {
  const out = { user: "guest", password: "guest", host: "localhost", port: 5672, vhost: "/" };
  let rest: string;
  if (url.startsWith("amqp://")) rest = url.slice(7);
  else if (url.startsWith("amqps://")) return undefined;
  else return undefined;
  const dec = (s: string): string | undefined => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const slash = rest.search(/[/?#]/);
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const tail = slash >= 0 ? rest.slice(slash) : "";
  if (tail && tail[0] !== "/") return undefined;
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const info = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = info.indexOf(":");
    const user = dec(colon >= 0 ? info.slice(0, colon) : info);
    if (user === undefined) return undefined;
    out.user = user;
    if (colon >= 0) {
      const pw = dec(info.slice(colon + 1));
      if (pw === undefined) return undefined;
      out.password = pw;
    }
  }
  const colon = authority.lastIndexOf(":");
  const host = colon >= 0 ? authority.slice(0, colon) : authority;
  if (colon >= 0) {
    const p = authority.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 65535) return undefined;
    out.port = Number(p);
  }
  if (host) out.host = host;
  if (tail) {
    const v = dec(tail.slice(1));
    if (v === undefined || /[/?#]/.test(tail.slice(1))) return undefined;
    out.vhost = v;
  }
  return out;
}

/** make_connection: the URL or options, the socket, the login, channel 1. */
function* connect(sh: Shell, opts: Map<string, string>): G<{ broker: Broker; conn: Connection }> {
  const url = opts.get("url");
  let ci = { user: "guest", password: "guest", host: "localhost", port: 5672, vhost: "/" };
  if (url !== undefined) {
    const p = parseAmqpUrl(url);
    if (!p) throw new Die(`Parsing URL '${url}': could not parse AMQP URL`);
    ci = p;
  }
  const server = opts.get("server");
  if (server !== undefined) {
    if (url !== undefined) throw new Die("--server and --url options cannot be used at the same time");
    const colon = server.indexOf(":");
    if (colon >= 0) {
      sh.stderr.write("Specifying the port number with --server is deprecated\n");
      if (opts.has("port")) throw new Die("both --server and --port options specify server port");
      const p = server.slice(colon + 1);
      if (!/^\d+$/.test(p) || Number(p) > 65535) throw new Die(`bad server port number in '${server}'`);
      ci.port = Number(p);
      ci.host = server.slice(0, colon);
    } else ci.host = server;
  }
  for (const [o, k] of [
    ["port", "port"],
    ["username", "user"],
    ["password", "password"],
    ["vhost", "vhost"],
  ] as const) {
    const v = opts.get(o);
    if (v === undefined) continue;
    if (url !== undefined) throw new Die(`--${o} and --url options cannot be used at the same time`);
    if (k === "port") ci.port = Number(v);
    else ci[k] = v;
  }
  if (opts.has("heartbeat") && Number(opts.get("heartbeat")) < 0) throw new Die("--heartbeat must be a positive value");
  const loopback = ci.host === "localhost" || ci.host === "127.0.0.1" || ci.host === "::1";
  let server0: RabbitMQServer | undefined;
  if (loopback) {
    const main = sh.io.container?.main;
    if (main instanceof RabbitMQServer && main.listening(ci.port)) server0 = main;
  } else {
    const c = sh.io.connect?.(ci.host, ci.port);
    if (c && !c.ok && c.kind === "timeout") {
      // amqp_socket_open without a timeout: the kernel's SYN retries (about 127 s on Linux) before it fails.
      yield { k: "sleep", ms: 127_000 };
    }
    if (c?.ok) {
      if (!(c.app instanceof RabbitMQServer) || !c.app.running) throw new Die("logging in to AMQP server: connection closed unexpectedly");
      server0 = c.app;
    }
  }
  if (!server0) throw new Die(`opening socket to ${ci.host}:${ci.port}`);
  const conn = server0.broker.connect(ci.user, ci.password, ci.vhost, loopback);
  if ("code" in conn) throw new Die(`logging in to AMQP server: ${serverError(conn)}`);
  return { broker: server0.broker, conn };
}

function serverError(e: AmqpError): string {
  return `server ${e.level} error ${e.code}, message: ${e.text}`;
}

/** die_rpc on a reply that is an error. */
function check<T>(r: T | AmqpError, what: string): T {
  if (r && typeof r === "object" && "code" in r && "level" in r) throw new Die(`${what}: ${serverError(r as AmqpError)}`);
  return r as T;
}

/** Runs a tool's body: a Die prints its message and exits with its code; the connection closes either way. */
function* tool(sh: Shell, body: (held: { broker?: Broker; conn?: Connection }) => G<number>): G<number> {
  const held: { broker?: Broker; conn?: Connection } = {};
  try {
    return yield* body(held);
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    if (e.message) sh.stderr.write(e.message + "\n");
    return e.code;
  } finally {
    if (held.broker && held.conn) held.broker.close(held.conn);
  }
}

function options(sh: Shell, argv: string[], specs: OptSpec[]): { opts: Map<string, string>; rest: string[] } {
  const p = parseOptions(argv, specs);
  const usage = `Usage: ${argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1)} [OPTION...]`;
  if (p instanceof Die) throw new Die(`${p.message}\n${usage}`);
  // POPT_AUTOHELP: --help (-?) and --usage print and exit 0 (popt's option table is not reproduced).
  if (p.opts.has("help") || p.opts.has("usage")) {
    sh.stdout.write(usage + "\n");
    throw new Die("", 0);
  }
  return p;
}

export const amqpDeclareQueue: CommandFn = function* (sh, argv) {
  return yield* tool(sh, function* (held) {
    const { opts, rest } = options(sh, argv, [
      { long: "queue", short: "q", arg: true },
      { long: "durable", short: "d", arg: false },
    ]);
    if (rest.length) throw new Die(`unexpected operand: ${rest[0]}\nUsage: amqp-declare-queue [OPTION...]`);
    const queue = opts.get("queue");
    if (queue === undefined) throw new Die("queue name not specified");
    Object.assign(held, yield* connect(sh, opts));
    const r = check(held.broker!.declare(held.conn!, queue, { durable: opts.has("durable"), exclusive: false, autoDelete: false }), "queue.declare");
    sh.stdout.write(`${r.name}\n`);
    return 0;
  });
};

export const amqpDeleteQueue: CommandFn = function* (sh, argv) {
  return yield* tool(sh, function* (held) {
    const { opts, rest } = options(sh, argv, [
      { long: "queue", short: "q", arg: true },
      { long: "if-unused", short: "u", arg: false },
      { long: "if-empty", short: "e", arg: false },
    ]);
    if (rest.length) throw new Die(`unexpected operand: ${rest[0]}\nUsage: amqp-delete-queue [OPTION...]`);
    const queue = opts.get("queue");
    if (!queue) throw new Die("queue name not specified");
    Object.assign(held, yield* connect(sh, opts));
    const n = check(held.broker!.deleteQueue(held.conn!, queue, { ifUnused: opts.has("if-unused"), ifEmpty: opts.has("if-empty") }), "queue.delete");
    sh.stdout.write(`${n}\n`);
    return 0;
  });
};

export const amqpPublish: CommandFn = function* (sh, argv) {
  return yield* tool(sh, function* (held) {
    const { opts, rest } = options(sh, argv, [
      { long: "exchange", short: "e", arg: true },
      { long: "routing-key", short: "r", arg: true },
      { long: "persistent", short: "p", arg: false },
      { long: "content-type", short: "C", arg: true },
      { long: "reply-to", short: "t", arg: true },
      { long: "line-buffered", short: "l", arg: false },
      { long: "content-encoding", short: "E", arg: true },
      { long: "header", short: "H", arg: true },
      { long: "body", short: "b", arg: true },
    ]);
    if (rest.length) throw new Die(`unexpected operand: ${rest[0]}\nUsage: amqp-publish [OPTION...]`);
    const exchange = opts.get("exchange");
    const key = opts.get("routing-key");
    if (exchange === undefined && key === undefined) throw new Die("neither exchange nor routing key specified");
    Object.assign(held, yield* connect(sh, opts));
    const persistent = opts.has("persistent");
    const bodies: string[] = [];
    const body = opts.get("body");
    if (body !== undefined) bodies.push(body);
    else {
      const all = yield* sh.stdin.readAllG();
      if (opts.has("line-buffered")) bodies.push(...(all.match(/[^\n]*\n|[^\n]+$/g) ?? []));
      else bodies.push(all);
    }
    let failed: AmqpError | undefined;
    for (const b of bodies) failed ??= held.broker!.publish(held.conn!, exchange ?? "", key ?? "", b, persistent);
    // basic.publish has no reply: a channel error arrives as the channel.close the tool meets when it closes the channel.
    if (failed) throw new Die(`closing channel: ${serverError(failed)}`);
    return 0;
  });
};

export const amqpGet: CommandFn = function* (sh, argv) {
  return yield* tool(sh, function* (held) {
    const { opts, rest } = options(sh, argv, [{ long: "queue", short: "q", arg: true }]);
    if (rest.length) throw new Die(`unexpected operand: ${rest[0]}\nUsage: amqp-get [OPTION...]`);
    const queue = opts.get("queue");
    if (!queue) throw new Die("queue not specified");
    Object.assign(held, yield* connect(sh, opts));
    // amqp_basic_get(…, no_ack = 1): the message is gone once fetched.
    const d = check(held.broker!.get(held.conn!, queue, true), "basic.get");
    if (!d) return 2;
    sh.stdout.write(d.body);
    return 0;
  });
};

/** The one pending delivery a consumer waits for, as the shell's driver waits for a job. */
class DeliveryWait {
  readonly pid = 0;
  exitCode: number | undefined;
  private fns: Array<() => void> = [];
  onEnd(fn: () => void): void {
    if (this.exitCode !== undefined) fn();
    else this.fns.push(fn);
  }
  kill(code: number): void {
    this.end(code);
  }
  end(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    for (const f of this.fns.splice(0)) f();
  }
}

export const amqpConsume: CommandFn = function* (sh, argv) {
  return yield* tool(sh, function* (held) {
    const { opts, rest } = options(sh, argv, [
      { long: "queue", short: "q", arg: true },
      { long: "exchange", short: "e", arg: true },
      { long: "routing-key", short: "r", arg: true },
      { long: "declare", short: "d", arg: false },
      { long: "exclusive", short: "x", arg: false },
      { long: "no-ack", short: "A", arg: false },
      { long: "count", short: "c", arg: true },
      { long: "prefetch-count", short: "p", arg: true },
    ]);
    if (!rest.length) throw new Die("consuming command not specified\nUsage: amqp-consume [OPTION...] [OPTIONS]... <command> <args>");
    const num = (name: string, flag: string): number => {
      const v = opts.get(name);
      if (v === undefined) return -1;
      if (!/^-?\d+$/.test(v)) throw new Die(`${flag}: invalid numeric value`);
      return Number(v);
    };
    const count = num("count", "-c");
    const prefetch = num("prefetch-count", "-p");
    let queue = opts.get("queue");
    const exchange = opts.get("exchange");
    if (exchange === undefined && opts.has("routing-key")) throw new Die("--routing-key option requires an exchange name to be provided with --exchange");
    Object.assign(held, yield* connect(sh, opts));
    const broker = held.broker!;
    const conn = held.conn!;
    if (queue === undefined || exchange !== undefined || opts.has("declare") || opts.has("exclusive")) {
      const r = check(broker.declare(conn, queue ?? "", { durable: false, exclusive: opts.has("exclusive"), autoDelete: true }), "queue.declare");
      if (queue === undefined) sh.stderr.write(`Server provided queue name: ${r.name}\n`);
      queue = r.name;
      if (exchange !== undefined) throw new Die(`queue.bind: server channel error 404, message: NOT_FOUND - no exchange '${exchange}' in vhost '/' (kube-scenario's broker has only the default exchange)`);
    }
    if (count > 0 && count <= 65535) broker.qos(conn, count);
    if (prefetch > 0 && prefetch <= 65535 && !(count > 0 && count <= 65535 && prefetch >= count)) broker.qos(conn, prefetch);
    const noAck = opts.has("no-ack");
    const pending: Delivery[] = [];
    let wait: DeliveryWait | undefined;
    check(
      broker.consume(conn, queue, noAck, (d) => {
        pending.push(d);
        wait?.end(0);
      }),
      "basic.consume",
    );
    for (let i = 0; count < 0 || i < count; i++) {
      while (!pending.length) {
        wait = new DeliveryWait();
        yield { k: "wait", jobs: [wait] };
        wait = undefined;
      }
      const d = pending.shift()!;
      const status = yield* spawn(sh, rest, d.body);
      if (status === 0 && !noAck) check(broker.ack(conn, d.tag), "basic.ack");
    }
    return 0;
  });
};

/** pipeline() and finish_pipeline(): posix_spawnp the command with the body on its stdin, wait, its status. */
function* spawn(sh: Shell, cmd: string[], body: string): G<number> {
  const name = cmd[0]!;
  const sub = sh.clone();
  sub.stdin = new Input(body);
  let path: string | undefined;
  if (name.includes("/")) path = sh.resolve(name);
  else if (!sub.findApplet(name)) {
    for (const dir of (sh.getVar("PATH") ?? "").split(":")) {
      const p = `${dir || "."}/${name}`;
      if (sh.io.fs.stat(p)?.type === "file") {
        path = p;
        break;
      }
    }
  }
  if (path !== undefined) {
    const st = sh.io.fs.stat(path);
    if (!st || st.type !== "file") {
      if (!sub.findApplet(name)) throw new Die(`posix_spawnp: ${name}: No such file or directory`);
      path = undefined;
    } else {
      const script = runScript(sub, path, cmd.slice(1));
      if (script) return yield* script;
    }
  } else if (!sub.findApplet(name)) throw new Die(`posix_spawnp: ${name}: No such file or directory`);
  return yield* sub.runCommand(cmd);
}

export const AMQP_TOOLS: Record<string, CommandFn> = {
  "amqp-declare-queue": amqpDeclareQueue,
  "amqp-publish": amqpPublish,
  "amqp-consume": amqpConsume,
  "amqp-get": amqpGet,
  "amqp-delete-queue": amqpDeleteQueue,
};
