/**
 * The small single-purpose images of the kubernetes.io examples:
 * - `registry.k8s.io/pause` (build/pause/linux/pause.c): waits; SIGTERM or SIGINT print
 *   "Shutting down, got signal: Terminated" and exit 0.
 * - `registry.k8s.io/goproxy` (an HTTP proxy built on elazarl/goproxy, port 8080): a plain request
 *   to it answers 500 "This is a proxy server. Does not respond to non-proxy requests.".
 * - `registry.k8s.io/etcd`: listens on the ports of --listen-client-urls (default
 *   http://localhost:2379, which nothing outside the pod reaches) and --listen-peer-urls
 *   (localhost:2380); answers the gRPC health check SERVING, `/health` and `/version`; exits 0 on
 *   SIGTERM.
 * - `gcr.io/google-samples/hello-app` (quickstarts/hello-app/main.go): PORT (8080) answers
 *   "Hello, world!\nVersion: 1.0.0\nHostname: <pod>\n" on any path, logging each request.
 * - `gcr.io/google-samples/node-hello`, `registry.k8s.io/hpa-example`,
 *   `gb-frontend`: their port and greeting; `echoserver`: the request echoed (see ECHOSERVER).
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { GO_UNHANDLED_SIGTERM, ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { goLogPrefix, parseGoFlags } from "./goflags.ts";

export class PauseProcess extends ServerProcess {
  constructor(io: ProcessIO) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {}

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    this.logErr("Shutting down, got signal: Terminated");
    super.stopSignal(b);
  }
}

/** A server with a fixed port and an answer for every path. */
export class FixedServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly ports: number[],
    private readonly answer: (path: string, io: ProcessIO) => HttpAnswer,
    stop: ServerProcess["onStop"],
    private readonly startLog: string[] = [],
    private readonly startMs = 0,
    /** Cores the server keeps busy while idle (its housekeeping), in the container's cgroup. */
    private readonly idleCores = 0,
  ) {
    super(io);
    this.onStop = stop;
  }

  protected run(): void {
    if (this.idleCores > 0) this.io.cpu?.burn(this.idleCores);
    for (const line of this.startLog) this.log(line);
    for (const p of this.ports) this.listen(p, (req) => this.answer(parseRequestPath(req.path).path, this.io), this.startMs);
  }
}

/** The ports of URL flags (`http://0.0.0.0:2379,http://10.0.0.1:2379`), and whether any is reachable from outside the pod. */
function urlPorts(urls: string): { ports: number[]; external: boolean } {
  const ports: number[] = [];
  let external = false;
  for (const u of urls.split(",")) {
    const m = /^\w+:\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?/.exec(u.trim());
    if (!m) continue;
    const port = Number(m[2] ?? 2379);
    if (!ports.includes(port)) ports.push(port);
    if (!/^(localhost|127\.|\[::1\])/.test(m[1]!)) external = true;
  }
  return { ports, external };
}

export class EtcdProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly argv: string[],
    private readonly version: string,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const f = parseGoFlags(this.argv.slice(1), { value: ["data-dir", "listen-client-urls", "advertise-client-urls", "listen-peer-urls", "initial-advertise-peer-urls", "initial-cluster", "initial-cluster-state", "name", "log-level", "logger", "initial-cluster-token"], bool: ["enable-v2"] });
    const client = urlPorts(f.values.get("listen-client-urls") ?? "http://localhost:2379");
    const peer = urlPorts(f.values.get("listen-peer-urls") ?? "http://localhost:2380");
    const ts = new Date(this.io.clock.now()).toISOString();
    this.logErr(`{"level":"info","ts":"${ts}","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":${JSON.stringify(this.argv)}}`);
    this.logErr(`{"level":"info","ts":"${ts}","caller":"embed/etcd.go:495","msg":"starting with peer TLS","tls-info":"cert = , key = , client-cert=, client-key=, trusted-ca = , client-cert-auth = false, crl-file = ","cipher-suites":[]}`);
    this.logErr(`{"level":"info","ts":"${ts}","caller":"embed/serve.go:100","msg":"ready to serve client requests"}`);
    // Only addresses other than localhost can be reached from outside the container.
    const serve = (p: number) => (req: { path: string }) => this.answer(parseRequestPath(req.path).path, p);
    if (client.external) for (const p of client.ports) this.listen(p, serve(p), this.startMs);
    if (peer.external) for (const p of peer.ports) this.listen(p, serve(p), this.startMs);
  }

  private answer(path: string, _port: number): HttpAnswer {
    switch (path) {
      case "/grpc.health.v1.Health/Check":
        return { status: 200, body: "" };
      case "/health":
        return { status: 200, body: '{"health":"true","reason":""}' };
      case "/version": {
        const [maj = "3", min = "5"] = this.version.split(".");
        return { status: 200, body: `{"etcdserver":"${this.version}","etcdcluster":"${maj}.${min}.0"}` };
      }
      default:
        return { status: 404, body: "404 page not found\n" };
    }
  }
}

function helloApp(l: ContainerLaunch, ctx: ProgramContext): ServerProcess {
  const port = Number(l.io.env.PORT || 8080);
  const version = /^(\d+)\.(\d+)$/.test(ctx.tag) ? `${ctx.tag}.0` : "1.0.0";
  const server = new FixedServer(
    l.io,
    [port],
    (path, io) => {
      io.stderr(`${goLogPrefix(io.clock.now())}Serving request: ${path}\n`);
      return { status: 200, body: `Hello, world!\nVersion: ${version}\nHostname: ${io.hostname}\n` };
    },
    GO_UNHANDLED_SIGTERM,
    [],
    ctx.startMs,
  );
  l.io.stderr(`${goLogPrefix(l.io.clock.now())}Server listening on port ${port}\n`);
  return server;
}

const greeting = (ports: number[], body: (io: ProcessIO) => string, stop: ServerProcess["onStop"] = { exitCode: 143 }, status = 200) => (_argv: string[], l: ContainerLaunch, ctx: ProgramContext) =>
  new FixedServer(l.io, ports, (_p, io) => ({ status, body: body(io) }), stop, [], ctx.startMs);

export const PAUSE: ModelBehaviour = { programs: { "/pause": (_a, l) => new PauseProcess(l.io) } };

export const GOPROXY: ModelBehaviour = {
  programs: {
    "/goproxy": greeting([8080], () => "This is a proxy server. Does not respond to non-proxy requests.\n", GO_UNHANDLED_SIGTERM, 500),
  },
};

export const ETCD: ModelBehaviour = {
  programs: {
    etcd: (argv, l, ctx) => new EtcdProcess(l.io, argv, /^(\d+\.\d+\.\d+)/.exec(ctx.tag)?.[1] ?? "3.5.16", ctx.startMs),
    "/usr/local/bin/etcd": (argv, l, ctx) => new EtcdProcess(l.io, argv, /^(\d+\.\d+\.\d+)/.exec(ctx.tag)?.[1] ?? "3.5.16", ctx.startMs),
  },
};

export const HELLO_APP: ModelBehaviour = { programs: { "/hello-app": (_a, l, ctx) => helloApp(l, ctx), "./hello-app": (_a, l, ctx) => helloApp(l, ctx) } };

/** The image's CMD `/bin/sh -c "node server.js"` starts the Node.js server; any other shell command runs in the shell. */
const nodeServerCmd = { "/bin/sh": (argv: string[]) => (argv[1] === "-c" && argv[2] === "node server.js" && argv.length === 3 ? { exec: ["node", "server.js"] } : undefined) };

export const NODE_HELLO: ModelBehaviour = { programs: { node: greeting([8080], () => "Hello Kubernetes!") }, entrypoints: nodeServerCmd };
/**
 * hpa-example's index.php adds up a million square roots before it prints "OK!": about 20 ms of
 * one core per request on a node of today (the HPA walkthrough's load generator, one request
 * every 10 ms plus the answer's time, asks about 670m of it). Apache idles at about 1m.
 */
export const PHP_APACHE_REQUEST_CPU_MS = 20;
export const APACHE_IDLE_CORES = 0.001;

/** php-apache images: Apache serving PHP on port 80 (hpa-example's index.php prints "OK!"; the guestbook's page is not modelled: 200, empty). */
export const HPA_EXAMPLE: ModelBehaviour = {
  programs: {
    "docker-php-entrypoint": (_a, l, ctx) =>
      new FixedServer(l.io, [80], () => ({ status: 200, body: "OK!", cpuMs: PHP_APACHE_REQUEST_CPU_MS }), { exitCode: 0 }, [], ctx.startMs, APACHE_IDLE_CORES),
  },
};
export const GB_FRONTEND: ModelBehaviour = { programs: { "docker-php-entrypoint": greeting([80], () => "", { exitCode: 0 }) } };
/**
 * echoserver: nginx with a Lua page on 8080 that echoes the request. 1.4 (nginx 1.10.0, lua
 * 10001; kubernetes/contrib echoheaders) prints `CLIENT VALUES:` (client_address=$remote_addr,
 * command, real path, query (`nil` without one), request_version, request_uri=http://$host:8080$uri),
 * `SERVER VALUES:`, `HEADERS RECEIVED:` (sorted, lower-case) and `BODY:` with no newline after it;
 * later tags (1.10: nginx 1.13.3, lua 10008) print Hostname, Pod Information, Server values,
 * Request Information, Request Headers and Request Body, tab-indented. `client_address` is the
 * address the network says the request came from (empty for the traffic steps' external clients);
 * the simulation's curl sends `Host` and `User-Agent` (no Accept), its wget only `Host`: what they send is echoed.
 */
function echo(tag: string, req: HttpRequest, io: ProcessIO): HttpAnswer {
  const { path } = parseRequestPath(req.path);
  const q = req.path.indexOf("?");
  const query = q >= 0 ? req.path.slice(q + 1) : "";
  const headers = Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const host = (req.headers.Host ?? req.headers.host ?? "").replace(/:\d+$/, "");
  const proto = (req.proto ?? "HTTP/1.1").replace("HTTP/", "");
  const uri = `http://${host}:8080${req.path}`;
  if (tag === "1.4") {
    let body = `CLIENT VALUES:\nclient_address=${req.client ?? ""}\ncommand=${req.method}\nreal path=${path}\nquery=${query || "nil"}\nrequest_version=${proto}\nrequest_uri=${uri}\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\n`;
    for (const [k, v] of headers) body += `${k}=${v}\n`;
    return { status: 200, body: body + "BODY:\n-no body in request-" };
  }
  let body = `\n\nHostname: ${io.hostname}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address=${req.client ?? ""}\n\tmethod=${req.method}\n\treal path=${path}\n\tquery=${query}\n\trequest_version=${proto}\n\trequest_scheme=http\n\trequest_uri=${uri}\n\nRequest Headers:\n`;
  for (const [k, v] of headers) body += `\t${k}=${v}\t\n`;
  return { status: 200, body: body + "\nRequest Body:\n\t-no body in request-\n\n" };
}

export const ECHOSERVER: ModelBehaviour = {
  programs: {
    "/usr/local/bin/run.sh": (_a, l, ctx) => new EchoServer(l.io, ctx.tag, ctx.startMs),
  },
};

class EchoServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly tag: string,
    private readonly startMs: number,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    this.listen(8080, (req) => echo(this.tag, req, this.io), this.startMs);
  }
}
