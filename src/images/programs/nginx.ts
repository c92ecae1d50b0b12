/**
 * nginx as the official image runs it (nginx/docker-nginx): `/docker-entrypoint.sh` prints its
 * configuration steps (and adds `listen [::]:80;` to conf.d/default.conf when it can write it),
 * then `nginx -g 'daemon off;'` serves the files under the `root` of conf.d/default.conf
 * (`/usr/share/nginx/html`) on its `listen` port (80): a directory answers its index.html, a
 * missing file nginx's 404 page. What a postStart hook or `kubectl exec` writes there is served.
 *
 * Signals: the image's STOPSIGNAL is SIGQUIT (graceful shutdown, exit 0); `nginx -s quit|stop`
 * in the container signals the running master the same way. `nginx -v`, `-t` print what nginx
 * prints. Started from a shell (`sh -c "… && nginx -g 'daemon off;'"`), nginx serves on the
 * container's ports while the shell waits for it.
 */
import type { ContainerLaunch, ContainerSpace, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { EntrypointWrapper, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { runServerInShell, serversOf } from "./shellservers.ts";

const DEFAULT_VERSION = "1.27.3";

/** nginx's timestamps: `2024/01/08 00:00:03`. */
export function nginxTime(ms: number): string {
  return new Date(ms).toISOString().replace(/-/g, "/").replace("T", " ").slice(0, 19);
}

function versionOf(env: Record<string, string>): string {
  return env.NGINX_VERSION || DEFAULT_VERSION;
}

/** `1.14.2` < `1.19.0`: images before 1.19 had no /docker-entrypoint.d scripts. */
function olderThan(version: string, than: [number, number]): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a < than[0] || (a === than[0] && b < than[1]);
}

function errorPage(status: number, title: string, version: string): string {
  return `<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<center><h1>${status} ${title}</h1></center>\n<hr><center>nginx/${version}</center>\n</body>\n</html>\n`;
}

interface NginxConfig {
  ports: number[];
  root: string;
  index: string[];
}

/** The parts of the configuration the model honours: `listen` ports, `root` and `index` of conf.d/*.conf. */
export function readNginxConfig(io: ProcessIO): NginxConfig {
  const cfg: NginxConfig = { ports: [], root: "/usr/share/nginx/html", index: ["index.html", "index.htm"] };
  let text = "";
  try {
    for (const f of io.fs.readdir("/etc/nginx/conf.d").sort()) if (f.endsWith(".conf")) text += io.fs.readFile(`/etc/nginx/conf.d/${f}`) + "\n";
  } catch {
    // no conf.d: nginx.conf alone
  }
  const body = text.replace(/#.*$/gm, "");
  for (const m of body.matchAll(/\blisten\s+(?:[\d.]+:|\*:)?(\d+)[^;]*;/g)) {
    const port = Number(m[1]);
    if (!cfg.ports.includes(port)) cfg.ports.push(port);
  }
  const root = /location\s+\/\s*\{[^}]*?\broot\s+([^;\s]+)\s*;/.exec(body) ?? /\broot\s+([^;\s]+)\s*;/.exec(body);
  if (root) cfg.root = root[1]!;
  const index = /\bindex\s+([^;]+);/.exec(body);
  if (index) cfg.index = index[1]!.trim().split(/\s+/);
  if (cfg.ports.length === 0 && !text) cfg.ports.push(80);
  return cfg;
}

/** The nginx master process. */
export class NginxProcess extends ServerProcess {
  private readonly version: string;
  private config: NginxConfig = { ports: [], root: "", index: [] };

  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
    this.version = versionOf(io.env);
    // STOPSIGNAL SIGQUIT: graceful shutdown.
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const t = nginxTime(this.io.clock.now());
    this.logErr(`${t} [notice] 1#1: using the "epoll" event method`);
    this.logErr(`${t} [notice] 1#1: nginx/${this.version}`);
    this.logErr(`${t} [notice] 1#1: start worker processes`);
    this.logErr(`${t} [notice] 1#1: start worker process 29`);
    this.reload();
  }

  /** Reads the configuration and opens its ports (start, and `nginx -s reload`). */
  reload(): void {
    this.closeAll();
    this.config = readNginxConfig(this.io);
    for (const port of this.config.ports) this.listen(port, (req) => this.serve(req), this.startMs);
  }

  /** `nginx -s quit` (or the stop signal): the workers finish, the master exits 0. */
  quit(graceful: boolean): void {
    const t = nginxTime(this.io.clock.now());
    this.logErr(`${t} [notice] 1#1: signal ${graceful ? "3 (SIGQUIT)" : "15 (SIGTERM)"} received, ${graceful ? "shutting down" : "exiting"}`);
    this.logErr(`${t} [notice] 29#29: ${graceful ? "gracefully shutting down" : "exiting"}`);
    this.logErr(`${t} [notice] 1#1: exit`);
    this.stopSignal({ exitCode: 0 });
  }

  override kill(signal: "SIGTERM" | "SIGKILL"): void {
    if (signal === "SIGTERM" && this.running) return this.quit(true);
    super.kill(signal);
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return { status: 400, body: errorPage(400, "Bad Request", this.version) };
    }
    if (decoded.split("/").includes("..")) return { status: 400, body: errorPage(400, "Bad Request", this.version) };
    const file = `${this.config.root.replace(/\/$/, "")}${decoded}`;
    const fs = this.io.fs;
    const st = fs.stat(file);
    if (st?.type === "dir") {
      for (const idx of this.config.index) {
        const p = `${file.replace(/\/$/, "")}/${idx}`;
        if (fs.stat(p)?.type === "file") return { status: 200, body: fs.readFile(p) };
      }
      return { status: 403, body: errorPage(403, "Forbidden", this.version) };
    }
    if (st?.type === "file") {
      try {
        return { status: 200, body: fs.readFile(file) };
      } catch {
        return { status: 403, body: errorPage(403, "Forbidden", this.version) };
      }
    }
    return { status: 404, body: errorPage(404, "Not Found", this.version) };
  }
}

/** `/docker-entrypoint.sh`: the configuration steps it prints, then exec of its arguments. */
export const nginxEntrypoint: EntrypointWrapper = (argv, l) => {
  const args = argv.slice(1);
  const io = l.io;
  const version = versionOf(io.env);
  if ((args[0] === "nginx" || args[0] === "nginx-debug") && !olderThan(version, [1, 19]) && !io.env.NGINX_ENTRYPOINT_QUIET_LOGS) {
    const me = argv[0]!;
    const out = (s: string) => io.stdout(s + "\n");
    out(`${me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
    out(`${me}: Looking for shell scripts in /docker-entrypoint.d/`);
    out(`${me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`);
    const conf = "/etc/nginx/conf.d/default.conf";
    const ipv6 = "10-listen-on-ipv6-by-default.sh";
    if (!io.fs.stat(conf)) out(`${ipv6}: info: /${conf.slice(1)} is not a file or does not exist`);
    else {
      let text = "";
      try {
        text = io.fs.readFile(conf);
        io.fs.writeFile(conf, text);
      } catch {
        out(`${ipv6}: info: can not modify ${conf} (read-only file system?)`);
        text = "";
      }
      if (text) {
        if (/listen\s+\[::\]:80;/.test(text)) out(`${ipv6}: info: IPv6 listen already enabled`);
        else if (!/listen\s+80;/.test(text)) {
          out(`${ipv6}: info: Getting the checksum of ${conf}`);
          out(`${ipv6}: info: ${conf} differs from the packaged version`);
        } else {
          out(`${ipv6}: info: Getting the checksum of ${conf}`);
          io.fs.writeFile(conf, text.replace(/listen\s+80;/, "listen       80;\n    listen  [::]:80;"));
          out(`${ipv6}: info: Enabled listen on IPv6 in ${conf}`);
        }
      }
    }
    out(`${me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`);
    out(`${me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`);
    out(`${me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`);
    out(`${me}: Configuration complete; ready for start up`);
  }
  return { exec: args };
};

interface NginxFlags {
  signal?: string;
  version?: boolean;
  test?: boolean;
  help?: boolean;
  daemonOff: boolean;
  bad?: string;
}

function parseFlags(argv: string[]): NginxFlags {
  const f: NginxFlags = { daemonOff: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-s") f.signal = argv[++i];
    else if (a === "-v" || a === "-V") f.version = true;
    else if (a === "-t" || a === "-T") f.test = true;
    else if (a === "-h" || a === "-?") f.help = true;
    else if (a === "-g") {
      const g = argv[++i] ?? "";
      if (/daemon\s+off\s*;/.test(g)) f.daemonOff = true;
    } else if (a === "-c" || a === "-p" || a === "-e") i++;
    else if (a === "-q") continue;
    else f.bad = a;
  }
  return f;
}

/** The running nginx masters of a container (its main process, or one a shell started). */
function runningNginx(space: ContainerSpace | undefined): NginxProcess[] {
  return serversOf(space).filter((p): p is NginxProcess => p instanceof NginxProcess && p.running);
}

/** `nginx` run as a command: `-s quit|stop|reload`, `-v`, `-t`, or a server started from a shell. */
export const nginxCommand: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const io = sh.io;
  const version = versionOf(io.env);
  const f = parseFlags(argv);
  const t = () => nginxTime(io.clock.now());
  if (f.bad) {
    sh.stderr.write(`nginx: invalid option: "${f.bad.replace(/^-/, "")}"\n`);
    return 1;
  }
  if (f.version) {
    sh.stderr.write(`nginx version: nginx/${version}\n`);
    return 0;
  }
  if (f.help) {
    sh.stderr.write(`nginx version: nginx/${version}\nUsage: nginx [-?hvVtTq] [-s signal] [-p prefix]\n             [-e filename] [-c filename] [-g directives]\n`);
    return 0;
  }
  if (f.test) {
    sh.stderr.write("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");
    return 0;
  }
  if (f.signal !== undefined) {
    if (!["stop", "quit", "reopen", "reload"].includes(f.signal)) {
      sh.stderr.write(`nginx: invalid option: "-s ${f.signal}"\n`);
      return 1;
    }
    const masters = runningNginx(io.container);
    if (masters.length === 0) {
      sh.stderr.write(`${t()} [notice] 1#1: signal process started\n${t()} [error] 1#1: open() "/run/nginx.pid" failed (2: No such file or directory)\n`);
      return 1;
    }
    sh.stderr.write(`${t()} [notice] 7#7: signal process started\n`);
    for (const m of masters) {
      if (f.signal === "quit") m.quit(true);
      else if (f.signal === "stop") m.quit(false);
      else if (f.signal === "reload") m.reload();
    }
    return 0;
  }
  if (runningNginx(io.container).length) {
    sh.stderr.write(`${t()} [emerg] 7#7: bind() to 0.0.0.0:80 failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n`);
    return 1;
  }
  return yield* runServerInShell(sh, new NginxProcess(io), !f.daemonOff);
};

export function launchNginx(argv: string[], l: ContainerLaunch, ctx: ProgramContext): NginxProcess | undefined {
  const f = parseFlags(argv);
  if (f.signal !== undefined || f.version || f.test || f.help || f.bad) return undefined;
  return new NginxProcess(l.io, ctx.startMs);
}

export const NGINX: ModelBehaviour = {
  entrypoints: { "/docker-entrypoint.sh": nginxEntrypoint },
  programs: { nginx: (argv, l, ctx) => launchNginx(argv, l, ctx) },
  commands: { nginx: nginxCommand, "/usr/sbin/nginx": nginxCommand },
  serversInShell: true,
};
