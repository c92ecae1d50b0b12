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
 *
 * Reverse proxy: a `location` with `proxy_pass http://<name>[:port][/uri]` forwards its requests,
 * `<name>` being an `upstream <name> { server <host>[:port]; … }` block (its servers taken in turn)
 * or a host. As nginx does, every host is resolved once, when the configuration is read (start,
 * `nginx -s reload`): a name the pod's DNS does not know (a Service not created yet) stops nginx
 * with `[emerg] host not found in upstream "<host>" in <file>:<line>` (exit 1), and a Service
 * re-created with another ClusterIP is not seen until a reload. A connection the upstream refuses
 * is a 502 with nginx's `connect() failed (111: Connection refused) while connecting to upstream`
 * error line; one that is never answered a 504 after proxy_connect_timeout (60 s). The request
 * goes upstream as nginx sends it: the client's headers, `Host` the upstream's name, `Connection:
 * close`. Not modelled: `resolver` and variables in proxy_pass, max_fails (an upstream is never
 * marked down), error_page for proxied requests, the access log.
 */
import type { ContainerLaunch, ContainerSpace, HttpOutcome, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { EntrypointWrapper, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { runServerInShell, serversOf } from "./shellservers.ts";

const DEFAULT_VERSION = "1.27.3";

/** nginx's timestamps: `2024/01/08 00:00:03`. */
export function nginxTime(ms: number): string {
  return new Date(ms).toISOString().replace(/-/g, "/").replace("T", " ").slice(0, 19);
}

/** The image's nginx version: its NGINX_VERSION (older images carried the Debian package's, `1.9.14-1~jessie`). */
function versionOf(env: Record<string, string>): string {
  return env.NGINX_VERSION?.replace(/-.*$/, "") || DEFAULT_VERSION;
}

/** `1.14.2` < `1.19.0`: images before 1.19 had no /docker-entrypoint.d scripts. */
function olderThan(version: string, than: [number, number]): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a < than[0] || (a === than[0] && b < than[1]);
}

function errorPage(status: number, title: string, version: string): string {
  return `<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<center><h1>${status} ${title}</h1></center>\n<hr><center>nginx/${version}</center>\n</body>\n</html>\n`;
}

/** One directive of a configuration file: its arguments, where it is, and its block's directives (`server { … }`). */
export interface NginxDirective {
  name: string;
  args: string[];
  file: string;
  line: number;
  block?: NginxDirective[];
}

/**
 * Splits a configuration file into directives as nginx's parser does (ngx_conf_file.c): words
 * separated by blanks, `;` ending a directive, `{ … }` a block, `#` a comment to the end of the
 * line, quotes around words. Returns nginx's own message for the errors it reports.
 */
export function parseNginxFile(text: string, file: string): NginxDirective[] | { error: string } {
  const root: NginxDirective[] = [];
  const stack: NginxDirective[][] = [root];
  let words: string[] = [];
  let wordLine = 1;
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === ";" || c === "{") {
      if (words.length === 0) return { error: `unexpected "${c}" in ${file}:${line}` };
      const d: NginxDirective = { name: words[0]!, args: words.slice(1), file, line: wordLine };
      stack[stack.length - 1]!.push(d);
      if (c === "{") stack.push((d.block = []));
      words = [];
      i++;
    } else if (c === "}") {
      if (words.length > 0) return { error: `unexpected "}" in ${file}:${line}` };
      if (stack.length === 1) return { error: `unexpected "}" in ${file}:${line}` };
      stack.pop();
      i++;
    } else {
      if (words.length === 0) wordLine = line;
      let w = "";
      if (c === '"' || c === "'") {
        i++;
        while (i < n && text[i] !== c) {
          if (text[i] === "\\" && i + 1 < n) i++;
          if (text[i] === "\n") line++;
          w += text[i++];
        }
        i++;
      } else {
        while (i < n && !" \t\r\n;{}".includes(text[i]!)) w += text[i++];
      }
      words.push(w);
    }
  }
  if (words.length > 0) return { error: `unexpected end of file, expecting ";" or "}" in ${file}:${line}` };
  if (stack.length > 1) return { error: `unexpected end of file, expecting "}" in ${file}:${line}` };
  return root;
}

/** A `location <prefix> { … }` of a server block: what it serves from, or where it forwards to. */
export interface NginxLocation {
  prefix: string;
  /** `location = /x`: only that path. */
  exact: boolean;
  root?: string;
  index?: string[];
  /** proxy_pass's URL, its host resolved (`http://10.96.0.12:80`), with the URI it names, if any. */
  proxy?: { name: string; servers: string[]; uri?: string; hostHeader: string };
}

interface NginxConfig {
  ports: number[];
  root: string;
  index: string[];
  locations: NginxLocation[];
}

/** The directives of conf.d/*.conf, file by file, or nginx's error. */
function confDirectives(io: ProcessIO): { directives: NginxDirective[]; empty: boolean } | { error: string } {
  const directives: NginxDirective[] = [];
  let empty = true;
  let files: string[] = [];
  try {
    files = io.fs.readdir("/etc/nginx/conf.d").sort();
  } catch {
    // no conf.d: nginx.conf alone
  }
  for (const f of files) {
    if (!f.endsWith(".conf")) continue;
    const path = `/etc/nginx/conf.d/${f}`;
    const text = io.fs.readFile(path);
    if (text) empty = false;
    const parsed = parseNginxFile(text, path);
    if ("error" in parsed) return parsed;
    directives.push(...parsed);
  }
  return { directives, empty };
}

const firstArg = (ds: NginxDirective[] | undefined, name: string): NginxDirective | undefined => ds?.find((d) => d.name === name);

/**
 * The parts of the configuration the model honours: `listen` ports, `root` and `index`, each
 * `location`'s own and its `proxy_pass`, `upstream` blocks. Host names are resolved with
 * `resolve` (the pod's DNS); one that does not resolve is nginx's emerg error.
 */
export function readNginxConfig(io: ProcessIO, resolve: (host: string) => string | undefined = (h) => io.resolve(h)): NginxConfig | { error: string } {
  const cfg: NginxConfig = { ports: [], root: "/usr/share/nginx/html", index: ["index.html", "index.htm"], locations: [] };
  const read = confDirectives(io);
  if ("error" in read) return read;
  const all = read.directives;
  // Upstream groups: their servers resolved now.
  const upstreams = new Map<string, string[]>();
  for (const u of all.filter((d) => d.name === "upstream")) {
    const servers: string[] = [];
    for (const sv of (u.block ?? []).filter((d) => d.name === "server")) {
      const addr = sv.args[0] ?? "";
      const m = /^([^:]+)(?::(\d+))?$/.exec(addr);
      if (!m) continue;
      const ip = resolve(m[1]!);
      if (ip === undefined) return { error: `host not found in upstream "${addr}" in ${sv.file}:${sv.line}` };
      servers.push(`${ip}:${m[2] ?? "80"}`);
    }
    upstreams.set(u.args[0] ?? "", servers);
  }
  let globalRoot: string | undefined;
  let slashRoot: string | undefined;
  let globalIndex: string[] | undefined;
  for (const server of all.filter((d) => d.name === "server")) {
    const body = server.block ?? [];
    for (const l of body.filter((d) => d.name === "listen")) {
      const m = /^(?:[\d.]+:|\*:)?(\d+)$/.exec(l.args[0] ?? "");
      if (m && !cfg.ports.includes(Number(m[1]))) cfg.ports.push(Number(m[1]));
    }
    globalRoot ??= firstArg(body, "root")?.args[0];
    const idx = firstArg(body, "index");
    if (idx) globalIndex ??= idx.args;
    for (const loc of body.filter((d) => d.name === "location")) {
      const exact = loc.args[0] === "=";
      const prefix = exact ? (loc.args[1] ?? "") : (loc.args[0] ?? "");
      const lb = loc.block ?? [];
      const at: NginxLocation = { prefix, exact };
      const root = firstArg(lb, "root")?.args[0];
      if (root) {
        at.root = root;
        if (prefix === "/" && !exact) slashRoot ??= root;
        globalRoot ??= root;
      }
      const li = firstArg(lb, "index");
      if (li) {
        at.index = li.args;
        globalIndex ??= li.args;
      }
      const pp = firstArg(lb, "proxy_pass");
      if (pp) {
        const m = /^https?:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(pp.args[0] ?? "");
        if (!m) return { error: `invalid URL prefix in ${pp.file}:${pp.line}` };
        const [, name, port, uri] = m;
        const group = port === undefined ? upstreams.get(name!) : undefined;
        let servers: string[];
        if (group) servers = group;
        else {
          const ip = resolve(name!);
          if (ip === undefined) return { error: `host not found in upstream "${name}${port ? ":" + port : ""}" in ${pp.file}:${pp.line}` };
          servers = [`${ip}:${port ?? "80"}`];
        }
        at.proxy = { name: name!, servers, uri, hostHeader: port && port !== "80" ? `${name}:${port}` : name! };
      }
      cfg.locations.push(at);
    }
  }
  const root = slashRoot ?? globalRoot;
  if (root) cfg.root = root;
  if (globalIndex) cfg.index = globalIndex;
  if (cfg.ports.length === 0 && read.empty) cfg.ports.push(80);
  return cfg;
}

/** The location a path falls in: the exact match, else the longest prefix. */
export function matchLocation(locations: NginxLocation[], path: string): NginxLocation | undefined {
  let best: NginxLocation | undefined;
  for (const l of locations) {
    if (l.exact) {
      if (l.prefix === path) return l;
    } else if (path.startsWith(l.prefix) && (!best || l.prefix.length > best.prefix.length)) best = l;
  }
  return best;
}

/** proxy_connect_timeout's default. */
const PROXY_CONNECT_TIMEOUT_MS = 60_000;

/** The nginx master process. */
export class NginxProcess extends ServerProcess {
  private readonly version: string;
  private config: NginxConfig = { ports: [], root: "", index: [], locations: [] };
  /** Connections served so far (the `*N` of error lines). */
  private connections = 0;
  /** The next server of each upstream group (round robin). */
  private readonly nextServer = new Map<NginxLocation, number>();

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
    const cfg = readNginxConfig(this.io);
    if ("error" in cfg) {
      // The configuration is read before anything starts: nginx says why and exits 1.
      this.logErr(`${t} [emerg] 1#1: ${cfg.error}`);
      this.logErr(`nginx: [emerg] ${cfg.error}`);
      this.after(0, () => this.exit(1));
      return;
    }
    this.logErr(`${t} [notice] 1#1: using the "epoll" event method`);
    this.logErr(`${t} [notice] 1#1: nginx/${this.version}`);
    this.logErr(`${t} [notice] 1#1: start worker processes`);
    this.logErr(`${t} [notice] 1#1: start worker process 29`);
    this.apply(cfg);
  }

  /** `nginx -s reload`: the configuration read again; a broken one is refused and the running one kept. */
  reload(): void {
    const cfg = readNginxConfig(this.io);
    if ("error" in cfg) {
      this.logErr(`${nginxTime(this.io.clock.now())} [emerg] 1#1: ${cfg.error}`);
      return;
    }
    this.apply(cfg);
  }

  /** Serves a configuration: its ports opened. */
  private apply(cfg: NginxConfig): void {
    this.closeAll();
    this.config = cfg;
    this.nextServer.clear();
    for (const port of cfg.ports) this.listen(port, (req) => this.serve(req), this.startMs);
  }

  /** `nginx -s quit` (or the stop signal): the workers finish, the master exits 0. */
  quit(graceful: boolean): void {
    const t = nginxTime(this.io.clock.now());
    this.logErr(`${t} [notice] 1#1: signal ${graceful ? "3 (SIGQUIT)" : "15 (SIGTERM)"} received, ${graceful ? "shutting down" : "exiting"}`);
    this.logErr(`${t} [notice] 29#29: ${graceful ? "gracefully shutting down" : "exiting"}`);
    this.logErr(`${t} [notice] 1#1: exit`);
    this.stopSignal({ exitCode: 0 });
  }

  /** A proxied location's request: to the next server of its upstream. */
  private proxy(req: HttpRequest, loc: NginxLocation, path: string): HttpAnswer {
    const servers = loc.proxy!.servers;
    const i = this.nextServer.get(loc) ?? 0;
    this.nextServer.set(loc, (i + 1) % servers.length);
    return proxyPass(this, loc, servers[i]!, req, path, this.connections);
  }

  /** A worker's `[error]` line in the error log, `afterMs` from now. */
  errorLine(text: string, afterMs = 0): void {
    const write = () => this.logErr(`${nginxTime(this.io.clock.now())} [error] 29#29: ${text}`);
    if (afterMs > 0) this.after(afterMs, write);
    else write();
  }

  /** nginx's own page for an error status. */
  page(status: number, title: string): string {
    return errorPage(status, title, this.version);
  }

  override kill(signal: "SIGTERM" | "SIGKILL"): void {
    if (signal === "SIGTERM" && this.running) return this.quit(true);
    super.kill(signal);
  }

  private serve(req: HttpRequest): HttpAnswer {
    this.connections++;
    const { path } = parseRequestPath(req.path);
    const loc = matchLocation(this.config.locations, path);
    if (loc?.proxy) return this.proxy(req, loc, path);
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return { status: 400, body: errorPage(400, "Bad Request", this.version) };
    }
    if (decoded.split("/").includes("..")) return { status: 400, body: errorPage(400, "Bad Request", this.version) };
    const root = loc?.root ?? this.config.root;
    const file = `${root.replace(/\/$/, "")}${decoded}`;
    const fs = this.io.fs;
    const st = fs.stat(file);
    if (st?.type === "dir") {
      for (const idx of loc?.index ?? this.config.index) {
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

/**
 * The upstream request of a proxied location and how its outcome becomes the answer (see the
 * module comment); error lines go to the error log (stderr) when nginx gives up on the upstream.
 */
function proxyPass(p: NginxProcess, loc: NginxLocation, server: string, req: HttpRequest, path: string, conn: number): HttpAnswer {
  const proxy = loc.proxy!;
  const rest = req.path.slice(Math.min(loc.prefix.length, req.path.length));
  const uri = proxy.uri !== undefined ? proxy.uri + rest : req.path;
  const url = `http://${server}${uri}`;
  const host = req.headers.Host ?? req.headers.host ?? "";
  const fail = (status: number, title: string, what: string, afterMs: number): { status: number; body: string } => {
    const line = `${what} while connecting to upstream, client: ${req.client ?? "-"}, server: , request: "${req.method} ${path} ${req.proto ?? "HTTP/1.1"}", upstream: "${url}"${host ? `, host: "${host}"` : ""}`;
    p.errorLine(`*${conn} ${line}`, afterMs);
    return { status, body: p.page(status, title) };
  };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() !== "host" && k.toLowerCase() !== "connection") headers[k] = v;
  headers.Host = proxy.hostHeader;
  headers.Connection = "close";
  return {
    status: 502,
    body: p.page(502, "Bad Gateway"),
    proxy: {
      method: req.method,
      proto: "HTTP/1.0",
      url,
      headers,
      timeoutMs: PROXY_CONNECT_TIMEOUT_MS,
      reply: (o: HttpOutcome, afterMs = 0) => {
        if (o.ok) return { status: o.status, body: o.body };
        if (o.kind === "refused") return fail(502, "Bad Gateway", "connect() failed (111: Connection refused)", afterMs);
        if (o.kind === "timeout") return fail(504, "Gateway Time-out", "upstream timed out (110: Connection timed out)", afterMs);
        return fail(502, "Bad Gateway", "connect() failed (113: No route to host)", afterMs);
      },
    },
  };
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
    const cfg = readNginxConfig(io);
    if ("error" in cfg) {
      sh.stderr.write(`nginx: [emerg] ${cfg.error}\nnginx: configuration file /etc/nginx/nginx.conf test failed\n`);
      return 1;
    }
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
