/**
 * Docker Hub's official images outside the catalogue (`python`, `node`, `mongo`, `mariadb`, …): they
 * run as their image config says (data/official-configs.json, read from the Dockerfiles
 * library/<name> builds, written by scripts/images/official-configs.mjs), not as the generic
 * process of a team's own image:
 *
 * - ENV, WORKDIR and USER apply (`kubectl exec … -- printenv` shows PYTHON_VERSION, GOSU_VERSION);
 * - the container's command/args combine with ENTRYPOINT/CMD (./config.ts); the image's wrapper
 *   scripts (`docker-entrypoint.sh`, `docker-php-entrypoint`, `tini --`) pass the rest on, and an
 *   option first means the image's own program (`args: ["--replSet", "rs0"]` runs `mongod …`);
 * - an interactive CMD (`python3`, `node`, `irb`, `jshell`, `php -a`, `julia`) reads stdin: with
 *   no stdin it ends at once with 0 (a Deployment of it goes Completed → CrashLoopBackOff), with
 *   `stdin: true` or `tty: true` it waits until stopped; `bash` (golang, rust) runs in the shell,
 *   which does the same with no input;
 * - the image's own program listens on the ports it really opens with its default configuration
 *   (EXPOSE, less the ports it only opens when configured: LISTENS below), besides the
 *   containerPorts the manifest declares;
 * - entrypoints that refuse (mariadb without a root password option, couchdb without an admin,
 *   haproxy without its configuration file) print the real script's message and exit 1;
 * - hello-world's `/hello` prints its message and exits 0.
 *
 * Any other command runs in the image's shell when the shell has it, else as the generic process.
 */
import type { ImagePrograms } from "./commandsets.ts";
import { readFileSync } from "node:fs";
import type { ContainerLaunch, ContainerProcess, ProcessIO, Signal } from "../runtime/types.ts";
import type { Container } from "../api/types.gen.ts";
import type { SimClock } from "../sim/clock.ts";
import { containerArgs, type ImageConfig } from "./config.ts";
import type { ImageModelData, ShellKind } from "./catalogue.ts";
import { startArgv, type ModelBehaviour, type ProgramContext } from "./launch.ts";
import { ExitAtOnce } from "./processes.ts";
import { GenericProcess, declaredTcpPorts } from "./generic.ts";
import { ServerProcess, type HttpAnswer, type StopBehaviour } from "./programs/server.ts";
import { DEFAULTS_CONF, RabbitMQServer } from "./programs/rabbitmq.ts";

/** Official images whose program kube-scenario models (its protocol included): no GenericImage notice. */
const MODELLED: Record<string, { server: (l: ContainerLaunch, ctx: ProgramContext) => ContainerProcess; files?: Record<string, string> }> = {
  // docker-library/rabbitmq: conf.d/10-defaults.conf (loopback_users.guest = false, log.console = true).
  rabbitmq: { server: (l, ctx) => new RabbitMQServer(l.io, ctx.startMs), files: { "/etc/rabbitmq/conf.d/10-defaults.conf": DEFAULTS_CONF } },
};

export interface OfficialVariant {
  /** A pattern of the tags this variant builds (none: the default, `latest` and any tag no other variant matches). */
  tags?: string;
  source: string;
  shell: ShellKind;
  config: ImageConfig;
}

export interface OfficialConfigEntry {
  tagVersion?: { env: string; pattern: string };
  variants: OfficialVariant[];
}

interface OfficialConfigsFile {
  _comment: string[];
  images: Record<string, OfficialConfigEntry>;
}

let file: OfficialConfigsFile | undefined;

/** data/official-configs.json (read once). */
export function officialConfigs(): OfficialConfigsFile {
  return (file ??= JSON.parse(readFileSync(new URL("./data/official-configs.json", import.meta.url), "utf8")) as OfficialConfigsFile);
}

/** The variant of an official image a tag names, or undefined when the data has no config for the image. */
export function officialVariant(name: string, tag: string): OfficialVariant | undefined {
  const entry = officialConfigs().images[name];
  if (!entry) return undefined;
  return entry.variants.find((v) => v.tags !== undefined && new RegExp(v.tags).test(tag)) ?? entry.variants.find((v) => v.tags === undefined);
}

/**
 * The users a Dockerfile's `useradd`/`adduser` creates for its USER (the image's /etc/passwd has
 * them besides root): name → `uid:gid:home`.
 */
const USERS: Record<string, Record<string, string>> = {
  // docker-library/memcached: groupadd --system --gid 11211 memcache; useradd --system --gid memcache --uid 11211 memcache
  memcached: { memcache: "11211:11211:/home/memcache" },
  // docker-library/haproxy: groupadd --gid 99 --system haproxy; useradd --gid haproxy --home-dir /var/lib/haproxy --no-create-home --system --uid 99 haproxy
  haproxy: { haproxy: "99:99:/var/lib/haproxy" },
  // TimWolla/docker-adminer: addgroup -S adminer && adduser -S -G adminer adminer (Alpine's first system ids)
  adminer: { adminer: "100:101:/home/adminer" },
};

/** The image model data (./catalogue.ts) of an official image's variant. */
export function officialModelData(name: string, variant: OfficialVariant, tagVersion?: OfficialConfigEntry["tagVersion"]): ImageModelData {
  const files: Record<string, string> = { ...(MODELLED[name]?.files ?? {}) };
  const users = USERS[name];
  if (users) {
    const rootShell = variant.shell === "busybox" ? "/bin/sh" : "/bin/bash";
    let passwd = `root:x:0:0:root:/root:${rootShell}\n`;
    let group = "root:x:0:\n";
    for (const [user, ids] of Object.entries(users)) {
      const [uid, gid, home] = ids.split(":");
      passwd += `${user}:x:${uid}:${gid}::${home}:/sbin/nologin\n`;
      group += `${user}:x:${gid}:\n`;
    }
    files["/etc/passwd"] = passwd;
    files["/etc/group"] = group;
  }
  return {
    source: variant.source,
    config: variant.config,
    shell: variant.shell,
    // Debian's and Ubuntu's /bin/sh is dash.
    ...(variant.shell === "bash" ? { binSh: "dash" as const } : {}),
    // The generic image's size: the pull time of an official image is not part of its config.
    sizeBytes: 52428800,
    ...(tagVersion ? { tagVersion } : {}),
    ...(Object.keys(files).length ? { files } : {}),
    // WORKDIR creates its directory (root's, as the builder makes it).
    ...(variant.config.workingDir ? { owners: { [variant.config.workingDir]: "0:0" } } : {}),
  };
}

/** A port the image's program opens: TCP only (its own protocol), or HTTP with the status every path answers. */
type Listen = { port: number; http?: number };

/**
 * The ports an image's own program opens with its default configuration, where that differs from
 * EXPOSE, or where the protocol is HTTP (default: every EXPOSE'd port, TCP only).
 */
const LISTENS: Record<string, { ports: Listen[]; why: string }> = {
  rabbitmq: { ports: [{ port: 4369 }, { port: 5672 }, { port: 15692, http: 200 }, { port: 25672 }], why: "5671 and 15691 are the TLS listeners, opened only with certificates configured" },
  "rabbitmq:management": { ports: [{ port: 4369 }, { port: 5672 }, { port: 15672, http: 200 }, { port: 15692, http: 200 }, { port: 25672 }], why: "5671, 15671 and 15691 are the TLS listeners, opened only with certificates configured" },
  caddy: { ports: [{ port: 80, http: 200 }], why: "the image's Caddyfile serves :80 (the welcome page); 443 needs a site with a domain, the admin API 2019 binds localhost" },
  traefik: { ports: [{ port: 80, http: 404 }], why: "the default entry point :80 with no routers answers 404" },
  zookeeper: { ports: [{ port: 2181 }, { port: 8080, http: 404 }], why: "2888 and 3888 are the quorum ports of an ensemble (ZOO_SERVERS), closed when standalone" },
  cassandra: { ports: [{ port: 7000 }, { port: 9042 }], why: "7001 is the TLS storage port, 7199 (JMX) binds localhost, 9160 (Thrift) is gone since 4.0" },
  "eclipse-mosquitto": { ports: [], why: "mosquitto 2.0 without a listener in its configuration starts \"in local only mode\": 1883 on localhost only" },
  tomcat: { ports: [{ port: 8080, http: 404 }], why: "the image's webapps directory is empty (webapps.dist), so every path is 404" },
  registry: { ports: [{ port: 5000, http: 200 }], why: "the registry API" },
  nats: { ports: [{ port: 4222 }, { port: 8222, http: 200 }, { port: 6222 }], why: "nats-server.conf's client, monitoring and cluster ports" },
  ghost: { ports: [{ port: 2368, http: 200 }], why: "Ghost's site" },
  adminer: { ports: [{ port: 8080, http: 200 }], why: "php's built-in server" },
  redmine: { ports: [{ port: 3000, http: 200 }], why: "rails server" },
  // Apache with mod_php: it answers HTTP; what the application renders (WordPress' installer, Drupal's) is not simulated.
  wordpress: { ports: [{ port: 80, http: 200 }], why: "Apache (apache2-foreground)" },
  drupal: { ports: [{ port: 80, http: 200 }], why: "Apache (apache2-foreground)" },
  "php:apache": { ports: [{ port: 80, http: 200 }], why: "Apache (apache2-foreground)" },
  couchdb: { ports: [{ port: 5984, http: 200 }, { port: 4369 }, { port: 9100 }], why: "CouchDB's HTTP API, epmd and the Erlang distribution port" },
};

/** Interactive programs: with nothing on stdin they end (0); what a stop signal does to them as PID 1. */
const INTERACTIVE: Record<string, { args: string[]; onStop: StopBehaviour }> = {
  // Neither installs a SIGTERM handler, and PID 1 ignores a signal without one: the kubelet kills them when the grace period ends.
  python: { args: [], onStop: "ignore" },
  python3: { args: [], onStop: "ignore" },
  node: { args: [], onStop: "ignore" },
  php: { args: ["-a"], onStop: "ignore" },
  irb: { args: [], onStop: "ignore" },
  julia: { args: [], onStop: "ignore" },
  // The JVM's SIGTERM handler runs the shutdown hooks and exits 143.
  jshell: { args: [], onStop: { exitCode: 143 } },
};

const SHELL_NAMES = new Set(["bash", "sh", "dash", "ash"]);

const WRAPPER = /^(?:docker-entrypoint\.sh|docker-php-entrypoint|entrypoint\.sh|__cacert_entrypoint\.sh|dockerd-entrypoint\.sh|tini|--)$/;

function base(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** argv without the image's wrapper scripts (which pass the rest on), an option first meaning the image's program. */
function mainArgv(argv: string[], program: string | undefined): string[] {
  let i = 0;
  while (i < argv.length && WRAPPER.test(base(argv[i]!))) i++;
  const rest = argv.slice(i);
  if (program && (rest.length === 0 || rest[0]!.startsWith("-"))) return [program, ...rest];
  return rest;
}

function interactive(argv: string[]): (typeof INTERACTIVE)[string] | undefined {
  const name = base(argv[0] ?? "");
  const spec = INTERACTIVE[name] ?? (/^python\d(\.\d+)?$/.test(name) ? INTERACTIVE.python : undefined);
  if (!spec) return undefined;
  return argv.length - 1 === spec.args.length && spec.args.every((a, i) => argv[i + 1] === a) ? spec : undefined;
}

/** An interactive program reading a terminal or an open stdin: it waits until stopped. */
export class WaitingForInput implements ContainerProcess {
  private onExit?: (code: number) => void;
  private done = false;
  constructor(
    private readonly clock: SimClock,
    private readonly onStop: StopBehaviour,
  ) {}
  start(onExit: (code: number) => void): void {
    this.onExit = onExit;
  }
  kill(signal: Signal): void {
    if (this.done || !this.onExit) return;
    if (signal !== "SIGKILL" && this.onStop === "ignore") return;
    const code = signal === "SIGKILL" ? 137 : this.onStop === "ignore" ? 137 : this.onStop.exitCode;
    this.done = true;
    const cb = this.onExit;
    this.clock.setTimeout(() => cb(code), 0);
  }
}

const NOT_HTTP: HttpAnswer = { status: 0, body: "" };

/** The image's own program: listens on its ports and the declared containerPorts until stopped. */
export class OfficialServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly ports: Listen[],
    private readonly declared: number[],
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }
  protected run(): void {
    for (const p of this.ports) this.listen(p.port, () => (p.http === undefined ? NOT_HTTP : { status: p.http, body: "" }), this.startMs);
    for (const port of this.declared) if (!this.ports.some((p) => p.port === port)) this.listen(port, () => ({ status: 200, body: "" }), this.startMs);
  }
}

/** What an official image's container runs, decided from its argv (see the module comment). */
export type OfficialRun =
  | { kind: "interactive"; argv: string[]; waits: boolean; onStop: StopBehaviour }
  | { kind: "refuses"; argv: string[]; stdout: string; stderr: string; exitCode: number }
  | { kind: "prints"; argv: string[]; stdout: string }
  | { kind: "server"; argv: string[]; ports: Listen[]; why?: string }
  | { kind: "other"; argv: string[] };

/** `date --rfc-3339=seconds` (UTC). */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00:00");
}

const MARIADB_NO_PASSWORD = "Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD";

const COUCHDB_ADMIN_PARTY = `*************************************************************
ERROR: CouchDB 3.0+ will no longer run in "Admin Party"
       mode. You *MUST* specify an admin user and
       password, either via your own .ini file mapped
       into the container at /opt/couchdb/etc/local.ini
       or inside /opt/couchdb/etc/local.d, or with
       "-e COUCHDB_USER=admin -e COUCHDB_PASSWORD=password"
       to set it via "docker run".
*************************************************************
`;

/** hello.c's message (docker-library/hello-world, DOCKER_ARCH amd64). */
const HELLO = `
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

`;

/** haproxy's `bind` lines: the ports its configuration listens on. */
function haproxyBinds(cfg: string): number[] {
  const out: number[] = [];
  for (const line of cfg.split("\n")) {
    const m = /^\s*bind\s+(\S+)/.exec(line);
    if (!m) continue;
    for (const addr of m[1]!.split(",")) {
      const port = Number(/:(\d+)$/.exec(addr)?.[1]);
      if (Number.isInteger(port) && port > 0 && !out.includes(port)) out.push(port);
    }
  }
  return out;
}

export interface RunInput {
  name: string;
  variantTags?: string;
  config: ImageConfig;
  container: Pick<Container, "command" | "args" | "stdin" | "tty">;
  env: Record<string, string>;
  /** Whether a path exists in the container's filesystem (haproxy's configuration file, mariadb's data directory). */
  exists: (path: string) => boolean;
  read: (path: string) => string | undefined;
  now: number;
}

/** What the container runs: the decision, without starting anything (the notice and the launch share it). */
export function officialRun(input: RunInput): OfficialRun {
  const { name, config, container, env } = input;
  const defaultMain = mainArgv(containerArgs(config, {}), undefined);
  const program = defaultMain[0] && !defaultMain[0].startsWith("-") ? defaultMain[0] : undefined;
  const argv = mainArgv(containerArgs(config, container), name === "registry" ? undefined : program);
  const i = interactive(argv);
  if (i) return { kind: "interactive", argv, waits: !!container.stdin || !!container.tty, onStop: i.onStop };
  // A shell CMD (golang's, rust's `bash`) is the shell's to run: with no input it ends at once.
  const own = argv.length > 0 && program !== undefined && base(argv[0]!) === base(program) && !SHELL_NAMES.has(base(program));
  if (name === "hello-world" && own) return { kind: "prints", argv, stdout: HELLO };
  if (!own && !(name === "registry" && !container.command?.length)) return { kind: "other", argv };
  if (name === "mariadb" && (argv[0] === "mariadbd" || argv[0] === "mysqld") && !input.exists("/var/lib/mysql/mysql")) {
    const set = (...vars: string[]) => vars.some((v) => !!env[v]);
    if (!set("MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD") && !set("MARIADB_ROOT_PASSWORD_HASH") && !set("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD") && !set("MARIADB_RANDOM_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")) {
      const t = rfc3339(input.now);
      const started = `${t} [Note] [Entrypoint]: Entrypoint script for MariaDB Server ${env.MARIADB_VERSION ?? ""} started.\n`;
      // As root it re-executes itself as the mysql user (gosu), so the first note appears twice.
      return { kind: "refuses", argv, stdout: started + `${t} [Note] [Entrypoint]: Switching to dedicated user 'mysql'\n` + started, stderr: `${t} [ERROR] [Entrypoint]: ${MARIADB_NO_PASSWORD}\n`, exitCode: 1 };
    }
  }
  if (name === "couchdb" && argv[0] === "/opt/couchdb/bin/couchdb" && !(env.COUCHDB_USER && env.COUCHDB_PASSWORD)) {
    return { kind: "refuses", argv, stdout: "", stderr: COUCHDB_ADMIN_PARTY, exitCode: 1 };
  }
  if (name === "haproxy") {
    const f = argv.indexOf("-f");
    const path = f >= 0 ? argv[f + 1] : undefined;
    const cfg = path ? input.read(path) : undefined;
    if (path && cfg === undefined) {
      const version = env.HAPROXY_VERSION ?? "";
      return {
        kind: "refuses",
        argv,
        stdout: "",
        stderr: `[NOTICE]   (1) : haproxy version is ${version}\n[NOTICE]   (1) : path to executable is /usr/local/sbin/haproxy\n[ALERT]    (1) : config : Cannot open configuration file/directory ${path} : No such file or directory\n`,
        exitCode: 1,
      };
    }
    return { kind: "server", argv, ports: haproxyBinds(cfg ?? "").map((port) => ({ port, http: 503 })), why: "the `bind` lines of its configuration (503 with no server up)" };
  }
  const key = input.variantTags && LISTENS[`${name}:${input.variantTags}`] ? `${name}:${input.variantTags}` : name;
  const listens = LISTENS[key];
  if (listens) return { kind: "server", argv, ports: listens.ports, why: listens.why };
  return { kind: "server", argv, ports: (config.exposedPorts ?? []).map((port) => ({ port })) };
}

/** The launch behaviour of an official image with a config. */
export function officialBehaviour(name: string, variant: OfficialVariant, onPath?: ImagePrograms): ModelBehaviour {
  const shell = variant.shell;
  const binSh = shell === "bash" ? ("dash" as const) : undefined;
  const rest: ModelBehaviour = shell === "none" ? {} : { fallback: (_argv, l, ctx) => new GenericProcess(l.io, declaredTcpPorts(l.container), ctx.startMs), ...(onPath ? { onPath } : {}) };
  return {
    intercept: (_argv, l: ContainerLaunch, ctx: ProgramContext) => {
      const run = officialRun(runInput(name, variant, ctx.config, l));
      const clock = l.io.clock;
      switch (run.kind) {
        case "interactive":
          return run.waits ? new WaitingForInput(clock, run.onStop) : new ExitAtOnce(clock, 0);
        case "refuses":
          if (run.stdout) l.io.stdout(run.stdout);
          if (run.stderr) l.io.stderr(run.stderr);
          return new ExitAtOnce(clock, run.exitCode);
        case "prints":
          l.io.stdout(run.stdout);
          return new ExitAtOnce(clock, 0);
        case "server":
          if (MODELLED[name]) return MODELLED[name].server(l, ctx);
          return new OfficialServer(l.io, run.ports, declaredTcpPorts(l.container), ctx.startMs);
        case "other":
          return startArgv(run.argv, l, shell, rest, ctx, 0, binSh);
      }
    },
  };
}

function runInput(name: string, variant: OfficialVariant, config: ImageConfig, l: Pick<ContainerLaunch, "container" | "io">): RunInput {
  return {
    name,
    ...(variant.tags !== undefined ? { variantTags: variant.tags } : {}),
    config,
    container: l.container,
    env: l.io.env,
    exists: (p) => !!l.io.fs.stat(p),
    read: (p) => {
      try {
        return l.io.fs.stat(p) ? l.io.fs.readFile(p) : undefined;
      } catch {
        return undefined;
      }
    },
    now: l.io.clock.now(),
  };
}

/** The GenericImage event's text for an official image with a config: what its container does. */
export function officialNotice(image: string, name: string, variant: OfficialVariant, config: ImageConfig, container: Container): string | undefined {
  const declared = declaredTcpPorts(container);
  // The notice is written before the container's files and env are known: the decision for an image without mounts.
  const run = officialRun({ name, ...(variant.tags !== undefined ? { variantTags: variant.tags } : {}), config, container, env: { ...config.env }, exists: () => false, read: () => undefined, now: 0 });
  if (run.kind === "server" && MODELLED[name]) return undefined;
  const cmd = JSON.stringify(run.argv.join(" "));
  let what: string;
  switch (run.kind) {
    case "interactive":
      what = run.waits ? `${cmd} is interactive and waits on its ${container.tty ? "terminal" : "stdin"} until stopped` : `${cmd} is interactive: with no stdin (stdin and tty unset) it exits 0 at once, as on a cluster`;
      break;
    case "refuses":
    case "prints":
      what = `${cmd} runs its entrypoint, prints what the image prints and exits ${run.kind === "prints" ? 0 : "as its script does"} unless its conditions are met (docs/images.md)`;
      break;
    case "server": {
      const ports = [...run.ports.map((p) => p.port), ...declared.filter((d) => !run.ports.some((p) => p.port === d))];
      what = `${cmd} listens on ${ports.length ? ports.join(", ") : "no port reachable from outside the pod"}${run.why ? ` (${run.why})` : ""}, runs until stopped and exits 0 on its stop signal; its protocol is not simulated`;
      break;
    }
    case "other":
      what = `${cmd} runs in the image's shell when the shell knows it, else as a generic process listening on the declared containerPorts${declared.length ? ` ${declared.join(", ")}` : " (none)"}`;
      break;
  }
  return `Image ${JSON.stringify(image)} is an official image kube-scenario models by its image config only (${variant.source}): ${what}. To give it behaviour, declare it in the scenario: Given the image ${JSON.stringify(name)} behaves as: (docs/images.md)`;
}
