/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The commands of the kubernetes-zookeeper image (kow3ns/kubernetes-zookeeper docker/scripts and
 * ZooKeeper 3.4.10's bin/), ported from their scripts and from ZooKeeperMain:
 *
 * - `start-zookeeper [--servers=N --data_dir=… --conf_dir=… …]`: `whoami`, `hostname -s` and
 *   `hostname -d` give the user, the Pod's name (`zk-0`: name `zk`, ordinal 0, myid 1) and its
 *   domain (the headless Service's); writes `zoo.cfg` (printed on stderr), `java.env` and
 *   `log4j.properties` in the conf directory, makes the data directories (its `chown -R
 *   $USER:USER` of the data log directory fails as the script's typo makes it fail), writes `myid`
 *   when there is none and more than one server, then execs `zkServer.sh start-foreground`, which
 *   execs the JVM: the ZooKeeper server (./zookeeper.ts) runs as the shell's child, PID 7.
 * - `zkServer.sh start-foreground | status`, `zkCli.sh [-server host:port] cmd args` (create,
 *   get, set, delete, ls, ls2, stat; the client's log lines, WATCHER::, and its outputs on stdout
 *   and stderr as ZooKeeperMain prints them), `zookeeper-ready PORT` (`echo ruok | nc 127.0.0.1
 *   PORT` is `imok`), `zookeeper-metrics PORT` (`mntr`), `nc host port` for four-letter words.
 * - procps' `ps -ef`/`-elf` and `pkill`: the image's processes (PID 1 the container's command,
 *   PID 7 the JVM). `pkill java` sends SIGTERM to the JVM: it exits 143, and so does the
 *   container's `sh -c`.
 *
 * The image's scripts are files (`/usr/bin/zookeeper-ready`, …): a command whose file is gone
 * (`rm /usr/bin/zookeeper-ready`, the tutorial's liveness test) is not found, as in the image.
 */
import type { ContainerSpace, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { ModelBehaviour } from "../launch.ts";
import { runServerInShell } from "./shellservers.ts";
import {
  DataTree,
  ZooKeeperServer,
  ZK_VERSION,
  hex,
  iso8601,
  javaDate,
  javaHashOrder,
  ownAddress,
  parentOf,
  parseZooCfg,
  zkServerAt,
  type ZNode,
} from "./zookeeper.ts";

const SCRIPT = "/usr/bin/start-zookeeper";
const JAVA = "/usr/lib/jvm/java-8-openjdk-amd64/bin/java";
const CONF_VIA_BIN = "/usr/bin/../etc/zookeeper";
const CLASSPATH =
  "/usr/bin/../build/classes:/usr/bin/../build/lib/*.jar:/usr/bin/../share/zookeeper/zookeeper-3.4.10.jar:/usr/bin/../share/zookeeper/slf4j-log4j12-1.6.1.jar:" +
  "/usr/bin/../share/zookeeper/slf4j-api-1.6.1.jar:/usr/bin/../share/zookeeper/netty-3.10.5.Final.jar:/usr/bin/../share/zookeeper/log4j-1.2.16.jar:" +
  "/usr/bin/../share/zookeeper/jline-0.9.94.jar:/usr/bin/../src/java/lib/*.jar:/usr/bin/../etc/zookeeper:";
/** /usr/etc/zookeeper is a link to /opt/zookeeper/conf in the image: files written in one are in the other. */
const LINKED_CONF = "/opt/zookeeper/conf";
const LINK = "/usr/etc/zookeeper";

// ---- the container's processes --------------------------------------------------------------

interface JavaProc {
  pid: number;
  server: ZooKeeperServer;
  startedAt: number;
}

const javaProcs = new WeakMap<ContainerSpace, JavaProc>();

function userName(io: ProcessIO, uid: number): string | undefined {
  try {
    for (const line of io.fs.readFile("/etc/passwd").split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && Number(f[2]) === uid && /^\d+$/.test(f[2]!)) return f[0];
    }
  } catch {
    return uid === 0 ? "root" : undefined;
  }
  return undefined;
}

function homeOf(io: ProcessIO, uid: number): string {
  try {
    for (const line of io.fs.readFile("/etc/passwd").split("\n")) {
      const f = line.split(":");
      if (f.length >= 6 && Number(f[2]) === uid) return f[5]!;
    }
  } catch {
    // no passwd
  }
  return "?";
}

/** Writes a file the way `echo … >> file` does (through the /usr/etc/zookeeper link when the path is under the conf directory). */
function writeConf(io: ProcessIO, path: string, text: string, append: boolean): boolean {
  try {
    io.fs.writeFile(path, text, { append });
    if (path.startsWith(LINKED_CONF + "/")) {
      const other = LINK + path.slice(LINKED_CONF.length);
      if (io.fs.stat(parentOf(other))) io.fs.writeFile(other, io.fs.readFile(path), { owner: ownerOf(io) });
    }
    return true;
  } catch {
    return false;
  }
}

function ownerOf(io: ProcessIO): { uid: number; gid: number } | undefined {
  return io.user ? { uid: io.user.uid, gid: io.user.gid } : undefined;
}

function removeFile(io: ProcessIO, path: string): void {
  try {
    if (io.fs.stat(path)?.type === "file") io.fs.unlink(path);
  } catch {
    // rm -f is silent
  }
}

// ---- start-zookeeper -------------------------------------------------------------------------

const OPTIONS: Record<string, string> = {
  servers: "SERVERS",
  data_dir: "DATA_DIR",
  data_log_dir: "DATA_LOG_DIR",
  log_dir: "LOG_DIR",
  conf_dir: "CONF_DIR",
  client_port: "CLIENT_PORT",
  election_port: "ELECTION_PORT",
  server_port: "SERVER_PORT",
  tick_time: "TICK_TIME",
  init_limit: "INIT_LIMIT",
  sync_limit: "SYNC_LIMIT",
  heap: "HEAP",
  max_client_cnxns: "MAX_CLIENT_CNXNS",
  snap_retain_count: "SNAP_RETAIN_COUNT",
  purge_interval: "PURGE_INTERVAL",
  max_session_timeout: "MAX_SESSION_TIMEOUT",
  min_session_timeout: "MIN_SESSION_TIMEOUT",
  log_level: "LOG_LEVEL",
};

const USAGE = `Usage: start-zookeeper [OPTIONS]
Starts a ZooKeeper server based on the supplied options.
    --servers           The number of servers in the ensemble. The default 
                        value is 1.

    --data_dir          The directory where the ZooKeeper process will store its
                        snapshots. The default is /var/lib/zookeeper/data.

    --data_log_dir      The directory where the ZooKeeper process will store its 
                        write ahead log. The default is 
                        /var/lib/zookeeper/data/log.

    --conf_dir          The directoyr where the ZooKeeper process will store its
                        configuration. The default is /opt/zookeeper/conf.

    --client_port       The port on which the ZooKeeper process will listen for 
                        client requests. The default is 2181.

    --election_port     The port on which the ZooKeeper process will perform 
                        leader election. The default is 3888.

    --server_port       The port on which the ZooKeeper process will listen for 
                        requests from other servers in the ensemble. The 
                        default is 2888. 

    --tick_time         The length of a ZooKeeper tick in ms. The default is 
                        2000.

    --init_limit        The number of Ticks that an ensemble member is allowed 
                        to perform leader election. The default is 10.

    --sync_limit        The maximum session timeout that the ensemble will 
                        allows a client to request. The default is 5.

    --heap              The maximum amount of heap to use. The format is the 
                        same as that used for the Xmx and Xms parameters to the 
                        JVM. e.g. --heap=2G. The default is 2G.

    --max_client_cnxns  The maximum number of client connections that the 
                        ZooKeeper process will accept simultaneously. The 
                        default is 60.

    --snap_retain_count The maximum number of snapshots the ZooKeeper process 
                        will retain if purge_interval is greater than 0. The 
                        default is 3.

    --purge_interval    The number of hours the ZooKeeper process will wait 
                        between purging its old snapshots. If set to 0 old 
                        snapshots will never be purged. The default is 0.

    --max_session_timeout The maximum time in milliseconds for a client session 
                        timeout. The default value is 2 * tick time.

    --min_session_timeout The minimum time in milliseconds for a client session 
                        timeout. The default value is 20 * tick time.

    --log_level         The log level for the zookeeeper server. Either FATAL,
                        ERROR, WARN, INFO, DEBUG. The default is INFO.

`;

/** The Pod's domain, as `hostname -d` finds it (the FQDN the kubelet's /etc/hosts gives the hostname). */
function podDomain(io: ProcessIO): string | undefined {
  const a = ownAddress(io);
  if (!a) return undefined;
  const dot = a.fqdn.indexOf(".");
  return dot < 0 ? "" : a.fqdn.slice(dot + 1);
}

/** `$((expr))` of the script: an integer, or bash's error for what is not one. */
function arith(value: string): number | undefined {
  return /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
}

export const startZookeeper: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const io = sh.io;
  // The image's /bin/sh is Ubuntu 16.04's dash 0.5.8, which does not exec the last command of
  // `sh -c`: the shell stays PID 1 and the script runs as its child.
  const pid1 = io.container?.procs?.live.get(1);
  if (sh.pid === 1 && pid1 && pid1.argv[0] === argv[0]) io.container!.procs!.live.set(1, { ...pid1, argv: ["sh", "-c", pid1.argv.join(" ")] });
  const uid = io.user?.uid ?? 0;
  const user = userName(io, uid) ?? "";
  if (!user) sh.stderr.write(`whoami: cannot find name for user ID ${uid}\n`);
  const host = io.hostname.split(".")[0]!;
  const domain = podDomain(io);
  if (domain === undefined) sh.stderr.write("hostname: Name or service not known\n");
  const v: Record<string, string> = {
    LOG_LEVEL: "INFO",
    DATA_DIR: "/var/lib/zookeeper/data",
    DATA_LOG_DIR: "/var/lib/zookeeper/log",
    LOG_DIR: "/var/log/zookeeper",
    CONF_DIR: "/opt/zookeeper/conf",
    CLIENT_PORT: "2181",
    SERVER_PORT: "2888",
    ELECTION_PORT: "3888",
    TICK_TIME: "2000",
    INIT_LIMIT: "10",
    SYNC_LIMIT: "5",
    HEAP: "2G",
    MAX_CLIENT_CNXNS: "60",
    SNAP_RETAIN_COUNT: "3",
    PURGE_INTERVAL: "0",
    SERVERS: "1",
  };
  // getopts ":hv-:": `--name=value` options until the first word that is no option.
  for (const a of argv.slice(1)) {
    if (a === "--") break;
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("--")) {
      const opt = a.slice(2);
      const eq = opt.indexOf("=");
      const name = eq < 0 ? undefined : OPTIONS[opt.slice(0, eq)];
      if (!name) {
        sh.stderr.write(`Unknown option --${opt}\n`);
        return 1;
      }
      v[name] = opt.slice(opt.lastIndexOf("=") + 1);
      continue;
    }
    for (const ch of a.slice(1)) {
      if (ch === "h") {
        sh.stdout.write(USAGE);
        return 0;
      }
      if (ch === "v") sh.stderr.write(`Parsing option: '-v'\n`);
      else sh.stderr.write(`Non-option argument: '-${ch}'\n`);
    }
  }
  const tick = arith(v.TICK_TIME!) ?? 0;
  // ${MIN_SESSION_TIMEOUT:- $((TICK_TIME*2))}: the default keeps the space after ":-".
  const minSession = v.MIN_SESSION_TIMEOUT ?? ` ${tick * 2}`;
  const maxSession = v.MAX_SESSION_TIMEOUT ?? ` ${tick * 20}`;
  const idFile = `${v.DATA_DIR}/myid`;
  const configFile = `${v.CONF_DIR}/zoo.cfg`;
  const loggerFile = `${v.CONF_DIR}/log4j.properties`;
  const javaEnvFile = `${v.CONF_DIR}/java.env`;
  const m = /^(.*)-([0-9]+)$/.exec(host);
  if (!m) {
    sh.stdout.write("Fialed to parse name and ordinal of Pod\n");
    return 1;
  }
  const name = m[1]!;
  const myId = Number(m[2]) + 1;
  const servers = arith(v.SERVERS!) ?? 0;
  // create_config
  removeFile(io, configFile);
  const lines = [
    "#This file was autogenerated DO NOT EDIT",
    `clientPort=${v.CLIENT_PORT}`,
    `dataDir=${v.DATA_DIR}`,
    `dataLogDir=${v.DATA_LOG_DIR}`,
    `tickTime=${v.TICK_TIME}`,
    `initLimit=${v.INIT_LIMIT}`,
    `syncLimit=${v.SYNC_LIMIT}`,
    `maxClientCnxns=${v.MAX_CLIENT_CNXNS}`,
    `minSessionTimeout=${minSession}`,
    `maxSessionTimeout=${maxSession}`,
    `autopurge.snapRetainCount=${v.SNAP_RETAIN_COUNT}`,
    // The script's own spelling: ZooKeeper does not know the key, so purging stays off.
    `autopurge.purgeInteval=${v.PURGE_INTERVAL}`,
  ];
  if (servers > 1) for (let i = 1; i <= servers; i++) lines.push(`server.${i}=${name}-${i - 1}.${domain ?? ""}:${v.SERVER_PORT}:${v.ELECTION_PORT}`);
  if (!writeConf(io, configFile, lines.join("\n") + "\n", true)) {
    sh.stderr.write(`${SCRIPT}: line 189: ${configFile}: ${io.fs.stat(v.CONF_DIR!) ? "Permission denied" : "No such file or directory"}\n`);
    sh.stderr.write(`cat: ${configFile}: No such file or directory\n`);
    return 1;
  }
  sh.stderr.write(io.fs.readFile(configFile));
  // create_jvm_props
  removeFile(io, javaEnvFile);
  writeConf(io, javaEnvFile, `ZOO_LOG_DIR=${v.LOG_DIR}\nJVMFLAGS="-Xmx${v.HEAP} -Xms${v.HEAP}"\n`, true);
  // create_log_props
  removeFile(io, loggerFile);
  sh.stdout.write("Creating ZooKeeper log4j configuration\n");
  writeConf(
    io,
    loggerFile,
    [
      "zookeeper.root.logger=CONSOLE",
      `zookeeper.console.threshold=${v.LOG_LEVEL}`,
      "log4j.rootLogger=${zookeeper.root.logger}",
      "log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender",
      "log4j.appender.CONSOLE.Threshold=${zookeeper.console.threshold}",
      "log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n",
    ].join("\n") + "\n",
    true,
  );
  // create_data_dirs
  const mkdir = (dir: string, group: string) => {
    if (io.fs.stat(dir)?.type === "dir") return;
    try {
      io.fs.mkdir(dir, { recursive: true });
    } catch {
      sh.stderr.write(`mkdir: cannot create directory '${dir}': Permission denied\n`);
      sh.stderr.write(`chown: cannot access '${dir}': No such file or directory\n`);
      return;
    }
    // chown -R $USER:$USER (and the script's `$USER:USER` for the log directory, a group that does not exist).
    if (group === "USER") sh.stderr.write(`chown: invalid group: '${user}:USER'\n`);
  };
  mkdir(v.DATA_DIR!, user);
  mkdir(v.DATA_LOG_DIR!, "USER");
  mkdir(v.LOG_DIR!, user);
  if (servers > 1 && io.fs.stat(idFile)?.type !== "file") {
    try {
      io.fs.writeFile(idFile, `${myId}\n`, { append: true });
    } catch {
      sh.stderr.write(`${SCRIPT}: line 176: ${idFile}: ${io.fs.stat(v.DATA_DIR!) ? "Permission denied" : "No such file or directory"}\n`);
    }
  }
  // exec zkServer.sh start-foreground
  return yield* zkServerForeground(sh);
};

/** `zkServer.sh start-foreground`: zkEnv.sh finds the configuration through /usr/bin/../etc/zookeeper, then execs the JVM. */
function* zkServerForeground(sh: Shell): G<number> {
  const io = sh.io;
  sh.stderr.write("ZooKeeper JMX enabled by default\n");
  const cfgPath = `${CONF_VIA_BIN}/zoo.cfg`;
  sh.stderr.write(`Using config: ${cfgPath}\n`);
  const real = `${LINK}/zoo.cfg`;
  let text: string;
  try {
    text = io.fs.readFile(real);
  } catch {
    // QuorumPeerMain: the configuration file must exist.
    sh.stdout.write(`${iso8601(io.clock.now())} [myid:] - INFO  [main:QuorumPeerConfig@124] - Reading configuration from: ${cfgPath}\n`);
    sh.stdout.write(`${iso8601(io.clock.now())} [myid:] - ERROR [main:QuorumPeerMain@85] - Invalid config, exiting abnormally\n`);
    sh.stdout.write(`org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing ${cfgPath}\n`);
    sh.stdout.write(`Caused by: java.lang.IllegalArgumentException: ${cfgPath} file is missing\n`);
    return 2;
  }
  const env = readJavaEnv(io);
  const argv = [
    JAVA,
    `-Dzookeeper.log.dir=${env.logDir}`,
    "-Dzookeeper.root.logger=INFO,CONSOLE",
    "-cp",
    CLASSPATH,
    ...env.jvmFlags,
    "-Dcom.sun.management.jmxremote",
    "-Dcom.sun.management.jmxremote.local.only=false",
    "org.apache.zookeeper.server.quorum.QuorumPeerMain",
    cfgPath,
  ];
  const server = new ZooKeeperServer(io, parseZooCfg(text), cfgPath);
  const space = (io.container ??= {});
  const procs = space.procs;
  const pid = procs ? ++procs.lastPid : 7;
  procs?.live.set(pid, { argv, uid: io.user?.uid ?? 0 });
  javaProcs.set(space, { pid, server, startedAt: io.clock.now() });
  try {
    return yield* runServerInShell(sh, server, false);
  } finally {
    procs?.live.delete(pid);
    if (javaProcs.get(space)?.server === server) javaProcs.delete(space);
  }
}

function readJavaEnv(io: ProcessIO): { logDir: string; jvmFlags: string[] } {
  let logDir = "/var/log/zookeeper";
  let jvmFlags: string[] = [];
  try {
    for (const line of io.fs.readFile(`${LINK}/java.env`).split("\n")) {
      const m = /^(\w+)=("?)(.*)\2$/.exec(line.trim());
      if (!m) continue;
      if (m[1] === "ZOO_LOG_DIR") logDir = m[3]!;
      if (m[1] === "JVMFLAGS") jvmFlags = m[3]!.split(/\s+/).filter(Boolean);
    }
  } catch {
    // no java.env: zkEnv.sh's defaults
  }
  return { logDir, jvmFlags };
}

/** The ZooKeeper server of this container (the JVM `start-zookeeper` started). */
function ownServer(io: ProcessIO): ZooKeeperServer | undefined {
  const space = io.container;
  const j = space ? javaProcs.get(space) : undefined;
  return j?.server.running ? j.server : undefined;
}

/** The server at host:port as seen from this container: its own for localhost, else a Pod's address or name. */
function serverAt(io: ProcessIO, host: string, port: number): { server?: ZooKeeperServer; ip?: string } {
  if (host === "localhost" || host === "127.0.0.1" || host === io.hostname) {
    const own = ownServer(io);
    return { server: own?.listening(port) ? own : undefined, ip: "127.0.0.1" };
  }
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : io.resolve(host);
  if (!ip) return {};
  return { server: zkServerAt(io.clock, ip, port), ip };
}

export const zkServerSh: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const cmd = argv[1] ?? "";
  if (cmd === "start-foreground") {
    return yield* zkServerForeground(sh);
  }
  sh.stderr.write("ZooKeeper JMX enabled by default\n");
  sh.stderr.write(`Using config: ${CONF_VIA_BIN}/zoo.cfg\n`);
  if (cmd === "status") {
    let port = 2181;
    try {
      port = parseZooCfg(sh.io.fs.readFile(`${LINK}/zoo.cfg`)).clientPort;
    } catch {
      // zkServer.sh greps clientPort out of the file
    }
    const s = serverAt(sh.io, "localhost", port).server;
    const out = s ? s.fourLetterWord("stat", "127.0.0.1") : "";
    const mode = /^Mode: .*$/m.exec(out);
    if (!mode) {
      sh.stdout.write("Error contacting service. It is probably not running.\n");
      return 1;
    }
    sh.stdout.write(mode[0] + "\n");
    return 0;
  }
  if (cmd === "start" || cmd === "stop" || cmd === "restart" || cmd === "upgrade" || cmd === "print-cmd") {
    sh.stderr.write(`zkServer.sh: kube-scenario models only start-foreground and status (the image's server runs in the foreground as the container's process)\n`);
    return 1;
  }
  sh.stdout.write(`Usage: ${argv[0]} {start|start-foreground|stop|restart|status|upgrade|print-cmd}\n`);
  return 1;
};

// ---- four-letter words -------------------------------------------------------------------

/** netcat-openbsd's `nc host port`: stdin goes to the port; a ZooKeeper server answers a four-letter word. */
export const nc: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1).filter((a, i, all) => !a.startsWith("-") && !(i > 0 && /^-[qwWi]$/.test(all[i - 1]!)));
  const [host, port] = args;
  if (!host || !port || !/^\d+$/.test(port)) {
    sh.stderr.write("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s source] [-T keyword] [-V rtable] [-W recvlimit] [-w timeout]\n\t  [-X proxy_protocol] [-x proxy_address[:port]] \t  [destination] [port]\n");
    return 1;
  }
  const input = yield* sh.stdin.readAllG();
  const { server, ip } = serverAt(sh.io, host, Number(port));
  if (ip === undefined) {
    sh.stderr.write(`nc: getaddrinfo for host "${host}" port ${port}: Name or service not known\n`);
    return 1;
  }
  if (!server) return 1;
  // A stopped JVM accepts nothing more: nc waits (an exec probe's timeout ends it).
  if (server.frozen) yield { k: "forever" };
  const from = ip === "127.0.0.1" ? "127.0.0.1" : (ownAddress(sh.io)?.ip ?? "127.0.0.1");
  sh.stdout.write(server.fourLetterWord(input.trim().slice(0, 4), from));
  return 0;
};

const fourLetter = (word: string): CommandFn =>
  function* (sh: Shell, argv: string[]): G<number> {
    const port = Number(argv[1]);
    const server = Number.isInteger(port) ? serverAt(sh.io, "127.0.0.1", port).server : undefined;
    if (server?.frozen) yield { k: "forever" };
    const out = server ? server.fourLetterWord(word, "127.0.0.1") : "";
    if (word === "ruok") return out === "imok" ? 0 : 1;
    sh.stdout.write(out);
    return 0;
  };

// ---- zkCli.sh ----------------------------------------------------------------------------

const COMMANDS: Record<string, string> = {
  connect: "host:port",
  close: "",
  create: "[-s] [-e] path data acl",
  delete: "path [version]",
  rmr: "path",
  set: "path data [version]",
  get: "path [watch]",
  ls: "path [watch]",
  ls2: "path [watch]",
  getAcl: "path",
  setAcl: "path acl",
  stat: "path [watch]",
  sync: "path",
  setquota: "-n|-b val path",
  listquota: "path",
  delquota: "[-n|-b] path",
  history: "",
  redo: "cmdno",
  printwatches: "on|off",
  quit: "",
  addauth: "scheme auth",
};

function printStat(sh: Shell, n: ZNode): void {
  sh.stderr.write(
    `cZxid = ${hex(n.czxid)}\nctime = ${javaDate(n.ctime)}\nmZxid = ${hex(n.mzxid)}\nmtime = ${javaDate(n.mtime)}\npZxid = ${hex(n.pzxid)}\n` +
      `cversion = ${n.cversion}\ndataVersion = ${n.version}\naclVersion = ${n.aversion}\nephemeralOwner = ${hex(n.ephemeralOwner)}\n` +
      `dataLength = ${Buffer.byteLength(n.data)}\nnumChildren = ${n.children.length}\n`,
  );
}

function validPath(path: string): string | undefined {
  if (!path.startsWith("/")) return "Path must start with / character";
  if (path.length > 1 && path.endsWith("/")) return "Path must not end with / character";
  if (path.includes("//")) return `empty node name specified @${path.indexOf("//") + 1}`;
  return undefined;
}

/** `zkCli.sh [-server host:port] [-timeout ms] cmd args…` (ZooKeeperMain with its command line). */
export const zkCli: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const io = sh.io;
  let server = "localhost:2181";
  let timeout = 30000;
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (args.length) args.push(a);
    else if (a === "-server") server = argv[++i] ?? server;
    else if (a === "-timeout") timeout = Number(argv[++i]) || timeout;
    else if (a === "-r") continue;
    else if (!a.startsWith("-")) args.push(a);
  }
  if (args.length === 0) {
    sh.stderr.write("zkCli.sh: kube-scenario models zkCli.sh with a command on its command line (zkCli.sh get /hello), not its interactive session\n");
    return 1;
  }
  // The JVM starts.
  yield { k: "sleep", ms: 500 };
  const log = (thread: string, level: string, msg: string) => sh.stdout.write(`${iso8601(io.clock.now())} [myid:] - ${level.padEnd(5)} [${thread}] - ${msg}\n`);
  sh.stdout.write(`Connecting to ${server}\n`);
  const uid = io.user?.uid ?? 0;
  const envs: Array<[string, string]> = [
    ["zookeeper.version", ZK_VERSION],
    ["host.name", ownAddress(io)?.fqdn ?? io.hostname],
    ["java.version", "1.8.0_131"],
    ["java.vendor", "Oracle Corporation"],
    ["java.home", "/usr/lib/jvm/java-8-openjdk-amd64/jre"],
    ["java.class.path", CLASSPATH],
    ["java.library.path", "/usr/java/packages/lib/amd64:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/jni:/lib:/usr/lib"],
    ["java.io.tmpdir", "/tmp"],
    ["java.compiler", "<NA>"],
    ["os.name", "Linux"],
    ["os.arch", "amd64"],
    ["os.version", "5.15.0"],
    ["user.name", userName(io, uid) ?? "?"],
    ["user.home", homeOf(io, uid)],
    ["user.dir", io.cwd ?? "/"],
  ];
  for (const [k, v] of envs) log("main:Environment@100", "INFO", `Client environment:${k}=${v}`);
  const watcher = ((io.clock.now() * 2654435761) >>> 0).toString(16);
  log("main:ZooKeeper@438", "INFO", `Initiating client connection, connectString=${server} sessionTimeout=${timeout} watcher=org.apache.zookeeper.ZooKeeperMain$MyWatcher@${watcher}`);
  const [host = "localhost", portText = "2181"] = server.split(",")[0]!.split(":");
  const port = Number(portText) || 2181;
  const target = serverAt(io, host, port);
  const thread = `main-SendThread(${host}:${port})`;
  const addr = `${host}/${target.ip ?? host}:${port}`;
  const cmd = args[0]!;
  const connectionLoss = () => {
    const path = args[cmd === "create" ? args.findIndex((a, i) => i > 0 && a !== "-s" && a !== "-e") : 1] ?? "";
    sh.stderr.write(`Exception in thread "main" org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss for ${path}\n`);
    return 1;
  };
  const needsConnection = !["connect", "close", "history", "redo", "printwatches", "quit"].includes(cmd) && COMMANDS[cmd] !== undefined;
  if (target.ip === undefined) {
    log(`${thread}:ClientCnxn$SendThread@1162`, "WARN", `Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect`);
    sh.stdout.write(`java.net.UnknownHostException: ${host}: Name or service not known\n`);
    return needsConnection ? connectionLoss() : 0;
  }
  log(`${thread}:ClientCnxn$SendThread@1032`, "INFO", `Opening socket connection to server ${addr}. Will not attempt to authenticate using SASL (unknown error)`);
  const s = target.server;
  if (!s) {
    log(`${thread}:ClientCnxn$SendThread@1162`, "WARN", `Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect`);
    sh.stdout.write("java.net.ConnectException: Connection refused\n");
    return needsConnection ? connectionLoss() : 0;
  }
  log(`${thread}:ClientCnxn$SendThread@876`, "INFO", `Socket connection established to ${addr}, initiating session`);
  if (s.frozen) {
    // The JVM accepted the connection but answers nothing: the client gives up after 2/3 of its timeout.
    yield { k: "sleep", ms: Math.floor((timeout * 2) / 3) };
    log(`${thread}:ClientCnxn$SendThread@1108`, "INFO", `Client session timed out, have not heard from server in ${Math.floor((timeout * 2) / 3)}ms for sessionid 0x0, closing socket connection and attempting reconnect`);
    return needsConnection ? connectionLoss() : 0;
  }
  const from = target.ip === "127.0.0.1" ? "127.0.0.1" : (ownAddress(io)?.ip ?? "127.0.0.1");
  const c = s.nextClient();
  const factory = `NIOServerCxn.Factory:0.0.0.0/0.0.0.0:${port}`;
  s.logLine("INFO", `${factory}:NIOServerCnxnFactory@192`, `Accepted socket connection from /${from}:${c.port}`);
  if (!s.serving) {
    s.logLine("WARN", `${factory}:NIOServerCnxn@373`, "Exception causing close of session 0x0 due to java.io.IOException: ZooKeeperServer not running");
    s.logLine("INFO", `${factory}:NIOServerCnxn@1008`, `Closed socket connection for client /${from}:${c.port} (no session established for client)`);
    log(`${thread}:ClientCnxn$SendThread@1158`, "INFO", "Unable to read additional data from server sessionid 0x0, likely server has closed socket, closing socket connection and attempting reconnect");
    return needsConnection ? connectionLoss() : 0;
  }
  s.logLine("INFO", `${factory}:ZooKeeperServer@942`, `Client attempting to establish new session at /${from}:${c.port}`);
  const session = s.createSession(timeout);
  s.logLine("INFO", "CommitProcessor:" + s.myid + ":ZooKeeperServer@687", `Established session ${hex(session.id)} with negotiated timeout ${session.timeout} for client /${from}:${c.port}`);
  log(`${thread}:ClientCnxn$SendThread@1299`, "INFO", `Session establishment complete on server ${addr}, sessionid = ${hex(session.id)}, negotiated timeout = ${session.timeout}`);
  sh.stdout.write("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n");
  return runZkCommand(sh, s, session.id, args);
};

function runZkCommand(sh: Shell, s: ZooKeeperServer, session: bigint, args: string[]): number {
  const cmd = args[0]!;
  const tree: DataTree = s.tree;
  const usage = () => {
    sh.stderr.write("ZooKeeper -server host:port cmd args\n");
    for (const k of javaHashOrder(Object.keys(COMMANDS))) sh.stderr.write(`\t${k} ${COMMANDS[k]}\n`);
    return 0;
  };
  if (COMMANDS[cmd] === undefined) return usage();
  const noNode = (p: string) => (sh.stderr.write(`Node does not exist: ${p}\n`), 0);
  const bad = (msg: string) => (sh.stderr.write(`Command failed: java.lang.IllegalArgumentException: ${msg}\n`), 0);
  if (cmd === "create" && args.length >= 3) {
    let first = 0;
    let ephemeral = false;
    let sequential = false;
    if ((args[1] === "-e" && args[2] === "-s") || (args[1] === "-s" && args[2] === "-e")) {
      first = 2;
      ephemeral = sequential = true;
    } else if (args[1] === "-e") {
      first = 1;
      ephemeral = true;
    } else if (args[1] === "-s") {
      first = 1;
      sequential = true;
    }
    const path = args[first + 1];
    const data = args[first + 2];
    if (path === undefined || data === undefined) return 0;
    const invalid = validPath(path);
    if (invalid) return bad(invalid);
    const parent = tree.nodes.get(parentOf(path));
    if (!parent) return noNode(path);
    if (parent.ephemeralOwner !== 0n) return (sh.stderr.write(`Ephemerals cannot have children: ${path}\n`), 0);
    const real = sequential ? `${path}${String(parent.cversion).padStart(10, "0")}` : path;
    if (tree.nodes.has(real)) return (sh.stderr.write(`Node already exists: ${real}\n`), 0);
    s.create(real, data, session, ephemeral);
    sh.stderr.write(`Created ${real}\n`);
    return 0;
  }
  const path = args[1];
  if (path === undefined || (cmd === "set" && args.length < 3)) {
    if (!["history", "printwatches", "quit", "close", "connect", "redo"].includes(cmd)) return 0;
  }
  if (["get", "set", "delete", "ls", "ls2", "stat"].includes(cmd) && path !== undefined) {
    const invalid = validPath(path);
    if (invalid) return bad(invalid);
    const n = tree.nodes.get(path);
    if (!n) return noNode(path);
    switch (cmd) {
      case "get":
        sh.stdout.write(`${n.data}\n`);
        printStat(sh, n);
        return 0;
      case "set": {
        const version = args[3] !== undefined ? Number(args[3]) : -1;
        if (version !== -1 && version !== n.version) return (sh.stderr.write(`version No is not valid : ${path}\n`), 0);
        printStat(sh, s.setData(path, args[2]!));
        return 0;
      }
      case "delete": {
        const version = args[2] !== undefined ? Number(args[2]) : -1;
        if (version !== -1 && version !== n.version) return (sh.stderr.write(`version No is not valid : ${path}\n`), 0);
        if (n.children.length) return (sh.stderr.write(`Node not empty: ${path}\n`), 0);
        s.delete(path);
        return 0;
      }
      case "ls":
        sh.stdout.write(`[${javaHashOrder(n.children).join(", ")}]\n`);
        return 0;
      case "ls2":
        sh.stdout.write(`[${javaHashOrder(n.children).join(", ")}]\n`);
        printStat(sh, n);
        return 0;
      case "stat":
        printStat(sh, n);
        return 0;
    }
  }
  if (cmd === "printwatches" && args.length === 1) {
    sh.stdout.write("printwatches is on\n");
    return 0;
  }
  if (cmd === "quit") {
    sh.stdout.write("Quitting...\n");
    return 0;
  }
  if (cmd === "history" || cmd === "printwatches" || cmd === "connect" || cmd === "close") return 0;
  sh.stderr.write(`zkCli.sh: kube-scenario does not model the ${cmd} command (it models create, get, set, delete, ls, ls2 and stat)\n`);
  return 1;
}

// ---- procps ------------------------------------------------------------------------------

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function cpuTime(seconds: number): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(seconds / 3600))}:${p(Math.floor(seconds / 60) % 60)}:${p(Math.floor(seconds) % 60)}`;
}

/**
 * procps' `ps -e`, `ps -ef`, `ps -elf` over the container's processes: PID 1 (its command), the
 * JVM start-zookeeper started (PID 7, child of PID 1) and the processes execs started (parent 0,
 * as runc starts them). The JVM's CPU time: 2 s of start-up plus a thousandth of its run.
 */
export const procpsPs: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const opts = new Set(argv.slice(1).flatMap((a) => (a.startsWith("-") ? [...a.slice(1)] : [...a])));
  for (const o of opts) {
    if (!"eAflaux".includes(o)) {
      sh.stderr.write(`error: unsupported option (BSD syntax)\n`);
      return 1;
    }
  }
  const io = sh.io;
  const procs = io.container?.procs;
  const rows = new Map(procs?.live ?? []);
  let own = sh.pid;
  if (!rows.has(own) || rows.get(own)!.argv[0] !== argv[0]) {
    own = procs ? ++procs.lastPid : sh.pid + 1;
    rows.set(own, { argv, uid: io.user?.uid ?? 0 });
  }
  const java = io.container ? javaProcs.get(io.container) : undefined;
  const now = io.clock.now();
  const full = opts.has("f");
  const long = opts.has("l");
  const out: string[] = [];
  if (full) out.push((long ? "F S " : "") + "UID        PID  PPID  C " + (long ? "PRI  NI ADDR SZ WCHAN  " : "") + "STIME TTY          TIME CMD");
  else out.push((long ? "F S   UID   " : "") + "  PID TTY          TIME CMD");
  for (const [pid, p] of [...rows].sort((a, b) => a[0] - b[0])) {
    const isJava = java?.pid === pid;
    const name = userName(io, p.uid) ?? String(p.uid);
    const uidCol = (name.length > 8 ? name.slice(0, 7) + "+" : name).padEnd(8);
    const ppid = isJava ? 1 : 0;
    const started = pid === 1 || isJava ? (java?.startedAt ?? now) : now;
    const time = isJava ? cpuTime(2 + (now - java!.startedAt) / 1000 / 1000) : "00:00:00";
    const self = pid === own;
    const comm = p.argv[0]!.slice(p.argv[0]!.lastIndexOf("/") + 1).slice(0, 15);
    if (full) {
      const l = long ? `${pid === 1 ? 4 : 0} ${self ? "R" : "S"} ` : "";
      const mid = long ? ` 80   0 - ${String(isJava ? 1155556 : pid === 1 ? 1127 : 8598).padStart(5)} ${self ? "-     " : "-     "}` : "";
      out.push(`${l}${uidCol} ${String(pid).padStart(5)} ${String(ppid).padStart(5)}  0${mid} ${hhmm(started)} ?        ${time} ${p.argv.join(" ")}`);
    } else out.push(`${String(pid).padStart(5)} ?        ${time} ${comm}`);
  }
  sh.stdout.write(out.join("\n") + "\n");
  return 0;
};

/** procps' `pkill [-SIGNAL] pattern`: SIGTERM (or the signal) to the processes whose name matches; PID 1 ignores what it has no handler for. */
export const pkill: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let signal = "TERM";
  const rest: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-(\d+|[A-Z]+)$/.test(a) && !rest.length) signal = a.slice(1).replace(/^SIG/, "");
    else if (a.startsWith("--signal=")) signal = a.slice(9).replace(/^SIG/, "");
    else rest.push(a);
  }
  if (rest.length !== 1) {
    sh.stderr.write(rest.length ? "pkill: only one pattern can be provided\n" : "pkill: no matching criteria specified\nTry `pkill --help' for more information.\n");
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(rest[0]!);
  } catch {
    sh.stderr.write(`pkill: invalid pattern\n`);
    return 2;
  }
  const io = sh.io;
  const java = io.container ? javaProcs.get(io.container) : undefined;
  let matched = 0;
  for (const [pid, p] of io.container?.procs?.live ?? []) {
    if (pid === sh.pid) continue;
    const comm = p.argv[0]!.slice(p.argv[0]!.lastIndexOf("/") + 1).slice(0, 15);
    if (!re.test(comm)) continue;
    matched++;
    if (java?.pid !== pid) continue;
    // The JVM ends on SIGTERM or SIGINT (its shutdown hooks run): 128 + the signal; SIGKILL: 137.
    const code = { TERM: 143, "15": 143, INT: 130, "2": 130, KILL: 137, "9": 137, HUP: 129, "1": 129 }[signal];
    if (signal === "STOP" || signal === "19") java.server.freeze();
    else if (signal === "CONT" || signal === "18") java.server.thaw();
    else if (code !== undefined) java.server.exit(code);
  }
  return matched ? 0 : 1;
};

// ---- the image's scripts are files ----------------------------------------------------------

/** A command of the image that is a file on PATH: not found once the file is gone. */
function onPath(fn: CommandFn): CommandFn {
  return function* (sh: Shell, argv: string[]): G<number> {
    const name = argv[0] ?? "";
    const dirs = (sh.getVar("PATH") ?? sh.io.env.PATH ?? "").split(":").filter(Boolean);
    const found = name.includes("/") ? sh.io.fs.stat(name)?.type === "file" : dirs.some((d) => sh.io.fs.stat(`${d}/${name}`)?.type === "file");
    if (!found) {
      sh.error(`${name}: not found`);
      return 127;
    }
    return yield* fn(sh, argv);
  };
}

export const KUBERNETES_ZOOKEEPER: ModelBehaviour = {
  commands: {
    "start-zookeeper": onPath(startZookeeper),
    "zkServer.sh": onPath(zkServerSh),
    "zkCli.sh": onPath(zkCli),
    "zookeeper-ready": onPath(fourLetter("ruok")),
    "zookeeper-metrics": onPath(fourLetter("mntr")),
    nc,
    ps: procpsPs,
    pkill,
  },
  serversInShell: true,
};
