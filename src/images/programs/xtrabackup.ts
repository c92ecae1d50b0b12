/**
 * gcr.io/google-samples/xtrabackup:1.0, the image of "Run a Replicated Stateful Application"'s
 * `clone-mysql` init container and `xtrabackup` sidecar: Debian with bash, Percona XtraBackup 2.4
 * (`xtrabackup`, `xbstream`), Ncat and a MySQL 5 client, as far as the page's scripts use them:
 *
 * - `ncat --listen [--keep-open] [--send-only] [--max-conns=N] PORT -c CMD`: listens on PORT; each
 *   connection runs CMD with /bin/sh in the container and sends its standard output to the peer
 *   (stderr goes to ncat's, the container's log). Without --keep-open it ends after one connection;
 *   with --max-conns, a connection beyond the limit is closed at once (nothing sent).
 * - `ncat [--recv-only] HOST PORT`: connects through the cluster network and writes what the
 *   server sends, with Ncat's errors (`Ncat: Connection refused.`, exit 1; an unknown host, exit 2).
 * - `xtrabackup --backup [--slave-info] --stream=xbstream --host=H --user=U`: connects to the MySQL
 *   server (the Pod's, at 127.0.0.1), streams its data directory as the sidecar's container sees it
 *   (/var/lib/mysql, the shared volume): the schemas' `.frm`, `.ibd`, `db.opt` and `ibdata1`, not
 *   the binary logs, auto.cnf, master.info or the redo logs; with `xtrabackup_binlog_info` (the
 *   server's binary log position, when it has one), `xtrabackup_slave_info` with --slave-info on a
 *   replica (`CHANGE MASTER TO MASTER_LOG_FILE='…', MASTER_LOG_POS=…;`), `xtrabackup_checkpoints`,
 *   `xtrabackup_info` and `backup-my.cnf`. Takes about a second.
 * - `xbstream -x [-C DIR]`: writes the streamed files under DIR.
 * - `xtrabackup --prepare --target-dir=DIR`: needs DIR/xtrabackup_checkpoints (else XtraBackup's
 *   error, exit 1), makes the redo logs and marks the backup prepared. Takes about two seconds.
 *
 * The stream is a text form of xbstream's chunks (`XBSTCK01`, the path, the length, the data), not
 * its binary layout; the log lines are XtraBackup 2.4's first and last lines, not all of them
 * (docs/divergences.md).
 */
import type { ContainerSpace } from "../../runtime/types.ts";
import { createShellProcess, type CommandFn, type G, type Shell } from "../../runtime/shell/index.ts";
import type { JobHandle } from "../../runtime/shell/effects.ts";
import type { ModelBehaviour } from "../launch.ts";
import { ServerProcess } from "./server.ts";
import { runServerInShell, serversOf } from "./shellservers.ts";
import { onPath } from "./pathcommands.ts";
import { MysqlServer, mysqlClientFor } from "./mysql.ts";

// ---- ncat -------------------------------------------------------------------------------------

/** One connection's run of the `-c` command: its output once it has ended. */
interface Served extends JobHandle {
  readonly output: string;
}

export class NcatServer extends ServerProcess {
  private active = 0;
  private served = 0;

  constructor(
    private readonly sh: Shell,
    readonly port: number,
    private readonly command: string | undefined,
    private readonly keepOpen: boolean,
    private readonly maxConns: number,
  ) {
    super(sh.io);
    this.onStop = { exitCode: 143 };
  }

  protected run(): void {
    this.listen(this.port, () => ({ status: 0, body: "" }));
  }

  /** A peer connected: runs the command (or sends nothing), its output for the peer when it ends. */
  accept(): Served {
    let exitCode: number | undefined;
    let output = "";
    const waiters: Array<() => void> = [];
    const end = (code: number) => {
      if (exitCode !== undefined) return;
      exitCode = code;
      this.active--;
      for (const w of waiters.splice(0)) w();
      if (!this.keepOpen && ++this.served >= 1) this.exit(0);
    };
    const job: Served = {
      pid: 0,
      get exitCode() {
        return exitCode;
      },
      get output() {
        return output;
      },
      onEnd(fn) {
        if (exitCode !== undefined) fn();
        else waiters.push(fn);
      },
      kill: (code) => end(code),
    };
    this.active++;
    if (this.active > this.maxConns || this.command === undefined) {
      this.io.clock.setTimeout(() => end(0), 0);
      return job;
    }
    // (`env` named: a container process's io has it on its prototype, which a spread does not copy.)
    const io = { ...this.io, env: this.io.env, stdout: (t: string) => void (output += t) };
    const env = this.sh.env;
    const proc = createShellProcess(["/bin/sh", "-c", this.command], io, { ...(env.commands ? { commands: env.commands } : {}), ...(env.binSh ? { binSh: env.binSh } : {}) });
    proc.start((code) => end(code));
    return job;
  }
}

/** The Ncat server listening on a port of a container. */
function ncatOn(space: ContainerSpace | undefined, port: number): NcatServer | undefined {
  return serversOf(space).find((p): p is NcatServer => p instanceof NcatServer && p.listening(port));
}

export const ncat: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let listen = false;
  let keepOpen = false;
  let maxConns = 100;
  let command: string | undefined;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-l" || a === "--listen") listen = true;
    else if (a === "-k" || a === "--keep-open") keepOpen = true;
    else if (a === "--send-only" || a === "--recv-only") continue;
    else if (a.startsWith("--max-conns=")) maxConns = Number(a.slice(12));
    else if (a === "-m" || a === "--max-conns") maxConns = Number(argv[++i]);
    else if (a === "-c" || a === "--sh-exec") command = argv[++i];
    else if (a.startsWith("--sh-exec=")) command = a.slice(10);
    else if (a.startsWith("-")) {
      sh.stderr.write(`Ncat: Unrecognized option '${a}'. QUITTING.\n`);
      return 2;
    } else rest.push(a);
  }
  if (!Number.isInteger(maxConns) || maxConns < 1) {
    sh.stderr.write(`Ncat: Invalid maximum number of connections. QUITTING.\n`);
    return 2;
  }
  if (listen) {
    const port = Number(rest[rest.length - 1] ?? 31337);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      sh.stderr.write(`Ncat: Invalid port number "${rest[rest.length - 1]}". QUITTING.\n`);
      return 2;
    }
    return yield* runServerInShell(sh, new NcatServer(sh, port, command, keepOpen, maxConns), false);
  }
  const [host, portText] = rest;
  const port = Number(portText);
  if (host === undefined || !Number.isInteger(port)) {
    sh.stderr.write("Ncat: You must specify a host to connect to. QUITTING.\n");
    return 2;
  }
  const local = host === "127.0.0.1" || host === "localhost";
  let server: NcatServer | undefined;
  if (local) server = ncatOn(sh.io.container, port);
  if (!server) {
    const c = sh.io.connect?.(host, port);
    if (!c || !c.ok) {
      if (c?.kind === "nxdomain") {
        sh.stderr.write(`Ncat: Could not resolve hostname "${host}": Name or service not known. QUITTING.\n`);
        return 2;
      }
      sh.stderr.write(c?.kind === "timeout" ? "Ncat: Connection timed out.\n" : "Ncat: Connection refused.\n");
      return 1;
    }
    const app = c.app.serverOn?.(port) ?? c.app;
    if (!(app instanceof NcatServer)) {
      sh.stderr.write(`Ncat: connected to ${host}:${port}, whose server speaks no protocol the simulation models for ncat; nothing is received\n`);
      return 1;
    }
    server = app;
  }
  const job = server.accept();
  yield { k: "wait", jobs: [job] };
  sh.stdout.write(job.output);
  return 0;
};

// ---- the stream -------------------------------------------------------------------------------

const MAGIC = "XBSTCK01";

/** The files as a stream: a chunk per file (`XBSTCK01 P <path> <length>\n<data>`), then the end chunk. */
export function xbstreamWrite(files: Array<{ path: string; data: string }>): string {
  let out = "";
  for (const f of files) out += `${MAGIC} P ${f.path} ${f.data.length}\n${f.data}`;
  return out + `${MAGIC} E\n`;
}

/** The files of a stream, or the error xbstream reports. */
export function xbstreamRead(stream: string): Array<{ path: string; data: string }> | Error {
  const out: Array<{ path: string; data: string }> = [];
  let i = 0;
  while (i < stream.length) {
    const nl = stream.indexOf("\n", i);
    const header = stream.slice(i, nl < 0 ? stream.length : nl).split(" ");
    if (header[0] !== MAGIC) return new Error("xbstream: incorrect chunk magic");
    if (header[1] === "E") return out;
    if (header[1] !== "P" || header.length !== 4 || nl < 0) return new Error("xbstream: invalid chunk header");
    const len = Number(header[3]);
    const data = stream.slice(nl + 1, nl + 1 + len);
    if (data.length !== len) return new Error("xbstream: premature end of stream");
    out.push({ path: header[2]!, data });
    i = nl + 1 + len;
  }
  // A stream cut short (the sender failed): what arrived, as xbstream extracts it.
  return stream.length === 0 ? out : new Error("xbstream: premature end of stream");
}

export const xbstream: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  let extract = false;
  let dir = sh.cwd;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-x" || a === "--extract") extract = true;
    else if (a === "-C" || a === "--directory") dir = argv[++i] ?? dir;
    else if (a.startsWith("--directory=")) dir = a.slice(12);
    else {
      sh.stderr.write(`xbstream: unknown option '${a}'\n`);
      return 1;
    }
  }
  if (!extract) {
    sh.stderr.write("xbstream: only -x (extract) is modelled\n");
    return 1;
  }
  const files = xbstreamRead(yield* sh.stdin.readAllG());
  if (files instanceof Error) {
    sh.stderr.write(files.message + "\n");
    return 1;
  }
  const root = dir.startsWith("/") ? dir : `${sh.cwd}/${dir}`;
  if (sh.io.fs.stat(root)?.type !== "dir") {
    sh.stderr.write(`xbstream: Can't change dir to '${dir}' (OS errno 2 - No such file or directory)\n`);
    return 1;
  }
  for (const f of files) {
    const path = `${root}/${f.path}`.replace(/\/+/g, "/");
    sh.io.fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
    sh.io.fs.writeFile(path, f.data);
  }
  return 0;
};

// ---- xtrabackup -------------------------------------------------------------------------------

const XB_VERSION = "2.4.4";

/** XtraBackup's log time: `171214 10:18:06`. */
function xbTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Whether a data directory file goes into a backup (the InnoDB and table files, not logs or server state). */
function backedUp(rel: string): boolean {
  if (!rel.includes("/")) return rel === "ibdata1";
  return /\.(frm|ibd|opt|MYD|MYI|CSV|CSM|TRG|TRN|par)$/.test(rel);
}

function walk(sh: Shell, dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of sh.io.fs.readdir(dir)) {
    const st = sh.io.fs.stat(`${dir}/${name}`);
    if (st?.type === "dir") out.push(...walk(sh, `${dir}/${name}`, `${prefix}${name}/`));
    else if (st?.type === "file") out.push(`${prefix}${name}`);
  }
  return out;
}

export const xtrabackup: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const opts = new Map<string, string>();
  for (const a of argv.slice(1)) {
    const m = /^--([a-z-_]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      sh.stderr.write(`xtrabackup: Error: unknown argument: '${a}'\n`);
      return 1;
    }
    opts.set(m[1]!.replace(/_/g, "-"), m[2] ?? "");
  }
  const now = () => xbTime(sh.io.clock.now());
  sh.stderr.write(`xtrabackup version ${XB_VERSION} based on MySQL server 5.7.13 Linux (x86_64) (revision id: df58cf2)\n`);
  if (opts.has("prepare")) {
    const dir = opts.get("target-dir") || ".";
    const checkpoints = `${dir}/xtrabackup_checkpoints`;
    if (sh.io.fs.stat(checkpoints)?.type !== "file") {
      sh.stderr.write(`xtrabackup: Error: cannot open ${checkpoints}\nxtrabackup: error: xtrabackup_read_metadata()\nxtrabackup: This target seems not to have correct metadata...\n`);
      return 1;
    }
    yield { k: "sleep", ms: 2_000 };
    sh.stderr.write(`xtrabackup: cd to ${dir}/\nxtrabackup: This target seems to be not prepared yet.\nxtrabackup: Starting InnoDB instance for recovery.\n`);
    for (const f of ["ib_logfile0", "ib_logfile1"]) sh.io.fs.writeFile(`${dir}/${f}`, "");
    sh.io.fs.writeFile(checkpoints, sh.io.fs.readFile(checkpoints).replace("backup_type = full-backuped", "backup_type = full-prepared"));
    sh.stderr.write(`InnoDB: Shutdown completed; log sequence number 2590789\n${now()} completed OK!\n`);
    return 0;
  }
  if (!opts.has("backup")) {
    sh.stderr.write("xtrabackup: Error: Please set parameter 'datadir'\n");
    return 1;
  }
  if (opts.get("stream") !== "xbstream") {
    sh.stderr.write("xtrabackup: only --backup --stream=xbstream is modelled\n");
    return 1;
  }
  const host = opts.get("host") || "localhost";
  const port = Number(opts.get("port") || 3306);
  sh.stderr.write(`${now()}  version_check Connecting to MySQL server with DSN 'dbi:mysql:;mysql_read_default_group=xtrabackup;host=${host}' as '${opts.get("user") ?? ""}'  (using password: NO).\n`);
  const c = host === "localhost" ? undefined : sh.io.connect?.(host, port);
  const server = c?.ok && c.app instanceof MysqlServer && c.app.ready ? c.app : undefined;
  const engine = server?.engine;
  if (!server || !engine) {
    sh.stderr.write(`Failed to connect to MySQL server: Can't connect to MySQL server on '${host}' (111).\n`);
    return 1;
  }
  const datadir = "/var/lib/mysql";
  if (sh.io.fs.stat(datadir)?.type !== "dir") {
    sh.stderr.write(`xtrabackup: Can't change dir to '${datadir}/' (Errcode: 2 - No such file or directory)\n`);
    return 1;
  }
  sh.stderr.write(`${now()} Connecting to MySQL server host: ${host}, user: ${opts.get("user") ?? "not set"}, password: not set, port: ${port}, socket: not set\nUsing server version ${engine.vars.version}\nxtrabackup: uses posix_fadvise().\nxtrabackup: cd to ${datadir}\n`);
  yield { k: "sleep", ms: 1_000 };
  const files = walk(sh, datadir)
    .filter(backedUp)
    .sort()
    .map((p) => ({ path: p, data: sh.io.fs.readFile(`${datadir}/${p}`) }));
  if (engine.binlogFile) files.push({ path: "xtrabackup_binlog_info", data: `${engine.binlogFile}\t${engine.binlogPos}\n` });
  if (opts.has("slave-info")) {
    const m = engine.master;
    if (m?.host) files.push({ path: "xtrabackup_slave_info", data: `CHANGE MASTER TO MASTER_LOG_FILE='${m.logFile}', MASTER_LOG_POS=${m.logPos};\n` });
    else sh.stderr.write(`${now()} Failed to get master binlog coordinates from SHOW SLAVE STATUS\n${now()} This means that the server is not a replication slave. Ignoring the --slave-info option\n`);
  }
  files.push(
    { path: "backup-my.cnf", data: `# This MySQL options file was generated by innobackupex.\n\n# The MySQL server\n[mysqld]\ninnodb_checksum_algorithm=crc32\ninnodb_log_checksum_algorithm=strict_crc32\ninnodb_data_file_path=ibdata1:12M:autoextend\ninnodb_log_files_in_group=2\ninnodb_log_file_size=50331648\nserver_id=${engine.vars.serverId}\n` },
    { path: "xtrabackup_checkpoints", data: "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 2590780\nlast_lsn = 2590789\ncompact = 0\nrecover_binlog_info = 0\n" },
    { path: "xtrabackup_info", data: `tool_name = xtrabackup\ntool_command = ${argv.slice(1).join(" ")}\ntool_version = ${XB_VERSION}\nserver_version = ${engine.vars.version}\nbinlog_pos = ${engine.binlogFile ? `filename '${engine.binlogFile}', position '${engine.binlogPos}'` : ""}\n` },
  );
  sh.stdout.write(xbstreamWrite(files));
  sh.stderr.write(`${now()} [00] Streaming xtrabackup_info\n${now()} [00]        ...done\nxtrabackup: Transaction log of lsn (2590780) to (2590789) was copied.\n${now()} completed OK!\n`);
  return 0;
};

export const XTRABACKUP: ModelBehaviour = {
  commands: {
    ncat: onPath(ncat),
    xtrabackup: onPath(xtrabackup),
    innobackupex: onPath(xtrabackup),
    xbstream: onPath(xbstream),
    mysql: onPath(mysqlClientFor("5.5")),
  },
  serversInShell: true,
};
