/**
 * RabbitMQ as the official `rabbitmq` image runs it (docker-library/rabbitmq, its config in
 * ../data/official-configs.json: `docker-entrypoint.sh rabbitmq-server`, RABBITMQ_VERSION, the data
 * directory /var/lib/rabbitmq), and its AMQP 0-9-1 broker as far as "Coarse Parallel Processing
 * Using a Work Queue" (kubernetes.io, tasks/job) and amqp-tools (./amqptools.ts) need it:
 *
 * - boot: the node `rabbit@<hostname>` logs its start (an abridged log: the banner, the node, the
 *   listener, "Server startup complete"), and opens 5672 (AMQP), 4369 (epmd), 25672 (distribution)
 *   and 15692 (the Prometheus plugin the image enables, HTTP) after BOOT_MS. SIGTERM: it logs the
 *   stop, writes its durable state and exits 0.
 * - users: `guest`/`guest`, the default user created on a first boot (or RABBITMQ_DEFAULT_USER /
 *   RABBITMQ_DEFAULT_PASS); the image's /etc/rabbitmq/conf.d/10-defaults.conf says
 *   `loopback_users.guest = false`, so guest may connect from other pods (without that line, guest
 *   is refused from anywhere but localhost, RabbitMQ's default). A wrong login is refused with
 *   `ACCESS_REFUSED` (403); an unknown vhost with `NOT_ALLOWED` (530): the client advertises
 *   `authentication_failure_close`, so both arrive as a connection.close.
 * - queues of the default vhost `/`: queue.declare (durable, exclusive, auto-delete; a second
 *   declaration with other flags fails with 406 `PRECONDITION_FAILED - inequivalent arg …`, the
 *   channel closed), queue.delete, basic.publish through the default exchange (the routing key
 *   names the queue; a message routed nowhere is dropped, as an unmandatory publish is),
 *   basic.get, basic.consume with basic.qos' prefetch (deliveries round-robin between the queue's
 *   consumers, each up to its prefetch of unacknowledged messages), basic.ack; a connection that
 *   closes puts its unacknowledged messages back in the queue, at their place, `redelivered`.
 *   An auto-delete queue goes with its last consumer, an exclusive one with its connection.
 * - durability: a durable queue and its persistent messages (delivery mode 2, `amqp-publish -p`)
 *   are written under the node's data directory (/var/lib/rabbitmq/mnesia/rabbit@<hostname>, the
 *   StatefulSet's emptyDir volume) and read back when the broker starts again in the same pod;
 *   transient queues and messages are lost on a restart, and everything when the pod (and its
 *   emptyDir) goes.
 *
 * Not modelled (docs/divergences.md): exchanges other than the default one, bindings, the
 * management plugin, quorum queues and streams, TTLs, dead-lettering, publisher confirms,
 * connection logs, memory and disk alarms.
 */
import type { ProcessIO } from "../../runtime/types.ts";
import type { EntrypointWrapper, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, type HttpAnswer } from "./server.ts";
import type { ContainerLaunch, ContainerSpace } from "../../runtime/types.ts";
import { serversOf } from "./shellservers.ts";

/** How long the node takes from start to its AMQP listener (a cloud node's 4.x boot: about 6 s). */
export const BOOT_MS = 6_000;

const NO_HTTP: HttpAnswer = { status: 0, body: "" };

export interface Message {
  body: string;
  persistent: boolean;
  redelivered: boolean;
  /** Order of arrival in its queue: a requeued message goes back to its place. */
  seq: number;
}

export interface Delivery {
  tag: number;
  body: string;
  redelivered: boolean;
  queue: string;
}

interface Consumer {
  conn: Connection;
  queue: string;
  tag: string;
  prefetch: number;
  noAck: boolean;
  deliver: (d: Delivery) => void;
}

export interface Queue {
  name: string;
  durable: boolean;
  exclusive: Connection | undefined;
  autoDelete: boolean;
  messages: Message[];
  /** Consumers, in the order deliveries go round. */
  consumers: Consumer[];
  /** The next consumer to be given a message (round-robin). */
  next: number;
  hadConsumer: boolean;
}

/** An AMQP error as the server sends it: a channel error closes the channel, a connection error the connection. */
export interface AmqpError {
  level: "channel" | "connection";
  code: number;
  text: string;
}

export class Connection {
  open = true;
  readonly unacked = new Map<number, { queue: Queue; msg: Message; consumer?: Consumer }>();
  nextTag = 1;
  prefetch = 0;
  constructor(
    readonly user: string,
    readonly vhost: string,
  ) {}
}

function inequivalent(arg: string, name: string, received: boolean, current: boolean): AmqpError {
  return { level: "channel", code: 406, text: `PRECONDITION_FAILED - inequivalent arg '${arg}' for queue '${name}' in vhost '/': received '${received}' but current is '${current}'` };
}

/** The broker's state: the queues of vhost `/`, its users, and what it writes to disk. */
export class Broker {
  readonly queues = new Map<string, Queue>();
  /** Open connections (a snapshot keeps the persistent messages they have not acknowledged). */
  readonly connections = new Set<Connection>();
  private seq = 0;
  private consumerSeq = 0;
  constructor(
    private readonly users: Map<string, string>,
    private readonly guestLoopbackOnly: boolean,
    private readonly persist: () => void = () => {},
  ) {}

  /** connection.start-ok and connection.open: the login (PLAIN) and the vhost. */
  connect(user: string, password: string, vhost: string, fromLoopback: boolean): Connection | AmqpError {
    if (this.users.get(user) !== password) return { level: "connection", code: 403, text: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile." };
    if (user === "guest" && this.guestLoopbackOnly && !fromLoopback) return { level: "connection", code: 403, text: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile." };
    if (vhost !== "/") return { level: "connection", code: 530, text: `NOT_ALLOWED - vhost ${vhost} not found` };
    const conn = new Connection(user, vhost);
    this.connections.add(conn);
    return conn;
  }

  private queue(conn: Connection, name: string): Queue | AmqpError {
    const q = this.queues.get(name);
    if (!q) return { level: "channel", code: 404, text: `NOT_FOUND - no queue '${name}' in vhost '/'` };
    if (q.exclusive && q.exclusive !== conn) return { level: "channel", code: 405, text: `RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${name}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.` };
    return q;
  }

  /** queue.declare; the empty name asks the server for one (`amq.gen-…`). */
  declare(conn: Connection, name: string, opts: { durable: boolean; exclusive: boolean; autoDelete: boolean; passive?: boolean }): { name: string; messages: number; consumers: number } | AmqpError {
    if (name.startsWith("amq.") && !this.queues.has(name)) return { level: "channel", code: 403, text: `ACCESS_REFUSED - queue name '${name}' contains reserved prefix 'amq.*'` };
    if (name === "") name = `amq.gen-${String(++this.seq).padStart(22, "0")}`;
    const existing = this.queues.get(name);
    if (existing) {
      const q = this.queue(conn, name);
      if ("code" in q) return q;
      if (!opts.passive) {
        if (q.durable !== opts.durable) return inequivalent("durable", name, opts.durable, q.durable);
        if (q.autoDelete !== opts.autoDelete) return inequivalent("auto_delete", name, opts.autoDelete, q.autoDelete);
        if (!!q.exclusive !== opts.exclusive) return inequivalent("exclusive", name, opts.exclusive, !!q.exclusive);
      }
      return { name, messages: q.messages.length, consumers: q.consumers.length };
    }
    if (opts.passive) return { level: "channel", code: 404, text: `NOT_FOUND - no queue '${name}' in vhost '/'` };
    this.queues.set(name, { name, durable: opts.durable, exclusive: opts.exclusive ? conn : undefined, autoDelete: opts.autoDelete, messages: [], consumers: [], next: 0, hadConsumer: false });
    if (opts.durable) this.persist();
    return { name, messages: 0, consumers: 0 };
  }

  /** queue.delete: the number of messages it held. */
  deleteQueue(conn: Connection, name: string, opts: { ifUnused?: boolean; ifEmpty?: boolean } = {}): number | AmqpError {
    if (!this.queues.has(name)) return 0;
    const q = this.queue(conn, name);
    if ("code" in q) return q;
    if (opts.ifUnused && q.consumers.length) return { level: "channel", code: 406, text: `PRECONDITION_FAILED - queue '${name}' in vhost '/' in use` };
    if (opts.ifEmpty && q.messages.length) return { level: "channel", code: 406, text: `PRECONDITION_FAILED - queue '${name}' in vhost '/' is not empty` };
    const n = q.messages.length;
    this.queues.delete(name);
    if (q.durable) this.persist();
    return n;
  }

  /** basic.publish: the default exchange routes to the queue the key names; other exchanges are not modelled. */
  publish(conn: Connection, exchange: string, routingKey: string, body: string, persistent: boolean): AmqpError | undefined {
    if (exchange !== "") {
      if (exchange.startsWith("amq.")) return undefined;
      return { level: "channel", code: 404, text: `NOT_FOUND - no exchange '${exchange}' in vhost '/'` };
    }
    const q = this.queues.get(routingKey);
    if (!q) return undefined;
    if (q.exclusive && q.exclusive !== conn) return undefined;
    q.messages.push({ body, persistent, redelivered: false, seq: ++this.seq });
    if (q.durable && persistent) this.persist();
    this.dispatch(q);
    return undefined;
  }

  /** basic.get: the queue's first message, or undefined when it has none (basic.get-empty). */
  get(conn: Connection, name: string, noAck: boolean): Delivery | undefined | AmqpError {
    const q = this.queue(conn, name);
    if ("code" in q) return q;
    const msg = q.messages.shift();
    if (!msg) return undefined;
    return this.handOut(conn, q, msg, noAck);
  }

  private handOut(conn: Connection, q: Queue, msg: Message, noAck: boolean, consumer?: Consumer): Delivery {
    const tag = conn.nextTag++;
    if (!noAck) conn.unacked.set(tag, consumer ? { queue: q, msg, consumer } : { queue: q, msg });
    else if (q.durable && msg.persistent) this.persist();
    return { tag, body: msg.body, redelivered: msg.redelivered, queue: q.name };
  }

  /** basic.qos (per consumer, as RabbitMQ reads global=false): the prefetch of the channel's next consumers. */
  qos(conn: Connection, prefetch: number): void {
    conn.prefetch = prefetch;
  }

  /** basic.consume: deliveries come through `deliver`, now and whenever a message arrives. */
  consume(conn: Connection, name: string, noAck: boolean, deliver: (d: Delivery) => void): string | AmqpError {
    const q = this.queue(conn, name);
    if ("code" in q) return q;
    const tag = `amq.ctag-${String(++this.consumerSeq).padStart(22, "0")}`;
    q.consumers.push({ conn, queue: name, tag, prefetch: conn.prefetch, noAck, deliver });
    q.hadConsumer = true;
    this.dispatch(q);
    return tag;
  }

  /** basic.ack of one delivery (multiple=false). */
  ack(conn: Connection, tag: number): AmqpError | undefined {
    const u = conn.unacked.get(tag);
    if (!u) return { level: "channel", code: 406, text: `PRECONDITION_FAILED - unknown delivery tag ${tag}` };
    conn.unacked.delete(tag);
    if (u.queue.durable && u.msg.persistent) this.persist();
    const q = this.queues.get(u.queue.name);
    if (q === u.queue) this.dispatch(q);
    return undefined;
  }

  /** The connection closes (or its client dies): unacknowledged messages go back, its consumers and exclusive queues go. */
  close(conn: Connection): void {
    if (!conn.open) return;
    conn.open = false;
    this.connections.delete(conn);
    const back = new Map<Queue, Message[]>();
    for (const u of conn.unacked.values()) {
      const l = back.get(u.queue) ?? [];
      l.push({ ...u.msg, redelivered: true });
      back.set(u.queue, l);
    }
    conn.unacked.clear();
    for (const q of [...this.queues.values()]) {
      const before = q.consumers.length;
      q.consumers = q.consumers.filter((c) => c.conn !== conn);
      if (q.next >= q.consumers.length) q.next = 0;
      const returned = back.get(q);
      if (returned) {
        q.messages.push(...returned);
        q.messages.sort((a, b) => a.seq - b.seq);
      }
      if (q.exclusive === conn || (q.autoDelete && q.hadConsumer && before > 0 && q.consumers.length === 0)) {
        this.queues.delete(q.name);
        if (q.durable) this.persist();
        continue;
      }
      if (returned) this.dispatch(q);
    }
  }

  /** Gives waiting messages to consumers with room under their prefetch, in turn. */
  private dispatch(q: Queue): void {
    for (;;) {
      if (!q.messages.length || !q.consumers.length) return;
      let given = false;
      for (let i = 0; i < q.consumers.length && q.messages.length; i++) {
        const idx = (q.next + i) % q.consumers.length;
        const c = q.consumers[idx]!;
        if (!c.noAck && c.prefetch > 0 && [...c.conn.unacked.values()].filter((u) => u.consumer === c).length >= c.prefetch) continue;
        const msg = q.messages.shift()!;
        q.next = (idx + 1) % q.consumers.length;
        const d = this.handOut(c.conn, q, msg, c.noAck, c);
        c.deliver(d);
        given = true;
        break;
      }
      if (!given) return;
    }
  }

  /** What survives a restart: the durable queues and their persistent messages (unacknowledged ones included). */
  snapshot(): string {
    const out: Array<{ name: string; autoDelete: boolean; messages: Array<{ body: string; redelivered: boolean }> }> = [];
    for (const q of this.queues.values()) {
      if (!q.durable || q.exclusive) continue;
      const held: Message[] = [...q.messages];
      for (const conn of this.connections) for (const u of conn.unacked.values()) if (u.queue === q) held.push({ ...u.msg, redelivered: true });
      held.sort((a, b) => a.seq - b.seq);
      out.push({ name: q.name, autoDelete: q.autoDelete, messages: held.filter((m) => m.persistent).map((m) => ({ body: m.body, redelivered: m.redelivered })) });
    }
    return JSON.stringify({ queues: out }) + "\n";
  }


  /** Reads a snapshot back (a restart of the node on the same data directory). */
  restore(text: string): void {
    const data = JSON.parse(text) as { queues: Array<{ name: string; autoDelete: boolean; messages: Array<{ body: string; redelivered: boolean }> }> };
    for (const q of data.queues) {
      this.queues.set(q.name, {
        name: q.name,
        durable: true,
        exclusive: undefined,
        autoDelete: q.autoDelete,
        messages: q.messages.map((m) => ({ body: m.body, persistent: true, redelivered: m.redelivered, seq: ++this.seq })),
        consumers: [],
        next: 0,
        hadConsumer: false,
      });
    }
  }
}

/** RabbitMQ's log time: `2026-12-07 04:00:05.123456+00:00`. */
function logTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/(\.\d{3})Z$/, "$1000+00:00");
}

/** The file the image's conf.d brings (docker-library/rabbitmq 10-defaults.conf). */
export const DEFAULTS_CONF = `## DEFAULT SETTINGS ARE NOT MEANT TO BE TAKEN STRAIGHT INTO PRODUCTION
## see https://www.rabbitmq.com/configure.html for further information
## on configuring RabbitMQ

## allow access to the guest user from anywhere on the network
## https://www.rabbitmq.com/access-control.html#loopback-users
## https://www.rabbitmq.com/production-checklist.html#users
loopback_users.guest = false

## Send all logs to stdout/TTY. Necessary to see logs when running via
## a container
log.console = true
`;

export class RabbitMQServer extends ServerProcess {
  readonly broker: Broker;
  readonly node: string;
  private readonly dataDir: string;

  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
    this.node = `rabbit@${io.hostname}`;
    const base = io.env.RABBITMQ_DATA_DIR ?? "/var/lib/rabbitmq";
    this.dataDir = `${base}/mnesia/${this.node}`;
    const users = new Map<string, string>([[io.env.RABBITMQ_DEFAULT_USER ?? "guest", io.env.RABBITMQ_DEFAULT_PASS ?? "guest"]]);
    this.broker = new Broker(users, !/^\s*loopback_users\.guest\s*=\s*false\s*$/m.test(this.config()), () => this.save());
  }

  /** The configuration files' text (conf.d and rabbitmq.conf). */
  private config(): string {
    let text = "";
    const fs = this.io.fs;
    const dir = "/etc/rabbitmq/conf.d";
    try {
      if (fs.stat(dir)?.type === "dir") for (const f of fs.readdir(dir).sort()) if (f.endsWith(".conf")) text += fs.readFile(`${dir}/${f}`) + "\n";
      if (fs.stat("/etc/rabbitmq/rabbitmq.conf")?.type === "file") text += fs.readFile("/etc/rabbitmq/rabbitmq.conf");
    } catch {
      // an unreadable file reads as nothing
    }
    return text;
  }

  private get stateFile(): string {
    return `${this.dataDir}/kube-scenario-queues.json`;
  }

  private save(): void {
    try {
      if (!this.io.fs.stat(this.dataDir)) this.io.fs.mkdir(this.dataDir, { recursive: true });
      this.io.fs.writeFile(this.stateFile, this.broker.snapshot());
    } catch {
      // a read-only data directory: nothing survives (RabbitMQ itself would not boot; not modelled)
    }
  }

  protected run(): void {
    const v = this.io.env.RABBITMQ_VERSION ?? "4.1.8";
    const t = logTime(this.io.clock.now() + this.startMs);
    const fresh = !this.io.fs.stat(this.stateFile);
    if (!fresh) this.broker.restore(this.io.fs.readFile(this.stateFile));
    const info = (s: string) => this.log(`${t} [info] <0.254.0> ${s}`);
    this.log(`${t} [notice] <0.44.0> Application syslog exited with reason: stopped`);
    this.log(`${t} [notice] <0.248.0> Logging: switching to configured handler(s); following messages may not be visible in this log output`);
    info(`Starting RabbitMQ ${v} on Erlang 27.3.4 [jit]`);
    info("Copyright (c) 2007-2025 Broadcom Inc and/or its subsidiaries");
    info("Licensed under the MPL 2.0. Website: https://rabbitmq.com");
    this.log(
      `\n  ##  ##      RabbitMQ ${v}\n  ##  ##\n  ##########  Copyright (c) 2007-2025 Broadcom Inc and/or its subsidiaries\n  ######  ##\n  ##########  Licensed under the MPL 2.0. Website: https://rabbitmq.com\n\n  Logs: <stdout>\n\n  Config file(s): /etc/rabbitmq/conf.d/10-defaults.conf\n\n  Starting broker...`,
    );
    info(`node           : ${this.node}`);
    info(`home dir       : /var/lib/rabbitmq`);
    info(`data dir       : ${this.dataDir}`);
    if (fresh) info(`Adding vhost '/' (description: 'Default virtual host', tags: [])`);
    this.after(this.startMs + BOOT_MS, () => {
      const t2 = logTime(this.io.clock.now());
      if (fresh) this.log(`${t2} [info] <0.254.0> Created user '${this.io.env.RABBITMQ_DEFAULT_USER ?? "guest"}'`);
      this.log(`${t2} [info] <0.612.0> started TCP listener on [::]:5672`);
      this.log(`${t2} [info] <0.254.0> Server startup complete; 3 plugins started.`);
      this.log(`${t2} [info] <0.254.0>  * rabbitmq_prometheus\n${t2} [info] <0.254.0>  * rabbitmq_management_agent\n${t2} [info] <0.254.0>  * rabbitmq_web_dispatch`);
      this.log(" completed with 3 plugins.");
    });
    const at = this.startMs + BOOT_MS;
    this.listen(5672, () => NO_HTTP, at);
    this.listen(4369, () => NO_HTTP, at);
    this.listen(25672, () => NO_HTTP, at);
    this.listen(15692, () => ({ status: 200, body: "" }), at);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    const t = logTime(this.io.clock.now());
    this.log(`${t} [info] <0.254.0> RabbitMQ is asked to stop...`);
    this.save();
    this.log(`${t} [info] <0.254.0> Successfully stopped RabbitMQ and its dependencies`);
    super.stopSignal(b);
  }
}

/** The broker of the container's own node (rabbitmqctl, a client on localhost). */
export function rabbitOf(space: ContainerSpace | undefined): RabbitMQServer | undefined {
  return serversOf(space).find((p): p is RabbitMQServer => p instanceof RabbitMQServer && p.running);
}

/** docker-entrypoint.sh: a first argument that is an option means rabbitmq-server. */
const rabbitEntrypoint: EntrypointWrapper = (argv) => {
  const args = argv.slice(1);
  if (args.length && args[0]!.startsWith("-")) return { exec: ["rabbitmq-server", ...args] };
  return { exec: args };
};

export const RABBITMQ: ModelBehaviour = {
  entrypoints: { "docker-entrypoint.sh": rabbitEntrypoint, "/usr/local/bin/docker-entrypoint.sh": rabbitEntrypoint },
  programs: { "rabbitmq-server": (_argv: string[], l: ContainerLaunch, ctx: ProgramContext) => new RabbitMQServer(l.io, ctx.startMs) },
};
