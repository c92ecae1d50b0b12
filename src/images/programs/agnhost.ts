/**
 * agnhost (kubernetes/kubernetes test/images/agnhost): one binary, a subcommand per test server.
 * Modelled: `liveness` (liveness/server.go: /healthz answers 200 "ok" for 10 s after start, then
 * 500 "error: <seconds>"; /started; /redirect), `netexec` (netexec/netexec.go: /, /echo,
 * /hostname, /healthz, /exit, /shutdown, /redirect, /serverport on --http-port 8080),
 * `serve-hostname` (--port 9376: the hostname on any path; on SIGTERM it logs and waits 60 s
 * for the pod to be deleted), `pause` (prints "Paused"; SIGTERM exits 2, SIGINT 1),
 * `test-webserver` (--port 80: a file server over the container's filesystem) and `porter`
 * (SERVE_PORT_<n> variables: each port answers its variable's value), `webhook` (the admission
 * webhook server of the e2e tests: ./agnhostwebhook.ts). The old
 * `registry.k8s.io/liveness` image runs the same liveness server as `/server`.
 *
 * Other subcommands exit 1 with cobra's `unknown command` error. Go servers without a SIGTERM
 * handler exit 2 on it as PID 1 (./server.ts).
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ExitAtOnce } from "../processes.ts";
import { GO_UNHANDLED_SIGTERM, ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { goLogPrefix, intFlag, parseGoFlags } from "./goflags.ts";
import { bindNslookup } from "../../runtime/shell/net.ts";
import { AgnhostWebhookServer } from "./agnhostwebhook.ts";

const NOT_FOUND: HttpAnswer = { status: 404, body: "404 page not found\n" };

/** Go's time.Duration.String() for whole milliseconds: `10s`, `1.5s`, `1m30s`, `250ms`. */
export function goDurationString(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/** liveness/server.go */
export class LivenessServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = GO_UNHANDLED_SIGTERM;
  }

  protected run(): void {
    this.listen(8080, (req) => this.serve(req), this.startMs);
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path, query } = parseRequestPath(req.path);
    const up = this.uptimeMs();
    switch (path) {
      case "/started":
        return { status: 200, body: goDurationString(up) };
      case "/healthz":
        return up / 1000 > 10 ? { status: 500, body: `error: ${up / 1000}` } : { status: 200, body: "ok" };
      case "/redirect":
        return { status: 302, body: `<a href="${query.get("loc") ?? ""}">Found</a>.\n\n` };
      default:
        return NOT_FOUND;
    }
  }
}

/** netexec/netexec.go (HTTP endpoints; the UDP server is not modelled). */
export class NetexecServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly port: number,
    private readonly delayShutdownS: number,
    private readonly startMs = 0,
  ) {
    super(io);
    // netexec handles SIGTERM: it waits --delay-shutdown seconds, then exits 0.
    this.onStop = { exitCode: 0, afterMs: delayShutdownS * 1000 };
  }

  protected run(): void {
    this.log(`${goLogPrefix(this.io.clock.now())}Started HTTP server on port ${this.port}`);
    this.listen(this.port, (req) => this.serve(req), this.startMs);
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path, query } = parseRequestPath(req.path);
    switch (path) {
      case "/":
        return { status: 200, body: `NOW: ${new Date(this.io.clock.now()).toISOString().replace("T", " ").replace("Z", " +0000 UTC")}` };
      case "/echo": {
        const code = Number(query.get("code") ?? 200);
        return { status: Number.isInteger(code) ? code : 200, body: query.get("msg") ?? "" };
      }
      case "/hostname":
      case "/hostName":
        return { status: 200, body: this.io.hostname };
      case "/healthz":
        return { status: 200, body: "" };
      case "/serverport":
        return { status: 200, body: String(this.port) };
      case "/redirect":
        return { status: Number(query.get("code") ?? 302) || 302, body: "" };
      case "/exit":
      case "/shutdown": {
        const code = path === "/shutdown" ? 0 : Number(query.get("code") ?? 0);
        this.after(0, () => this.exit(Number.isInteger(code) && code >= 0 && code <= 127 ? code : 0));
        return { status: 200, body: "" };
      }
      default:
        return NOT_FOUND;
    }
  }
}

/** serve-hostname/serve_hostname.go (HTTP mode). */
export class ServeHostnameServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly port: number,
    private readonly startMs = 0,
  ) {
    super(io);
    // It logs the signal and sleeps 60 s "awaiting pod deletion" before exiting.
    this.onStop = { exitCode: 0, afterMs: 60_000 };
  }

  protected run(): void {
    this.log(`${goLogPrefix(this.io.clock.now())}Serving on port ${this.port}.`);
    this.listen(this.port, () => ({ status: 200, body: this.io.hostname }), this.startMs);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    const t = goLogPrefix(this.io.clock.now());
    this.log(`${t}Shutting down after receiving signal: terminated.`);
    this.log(`${t}Awaiting pod deletion.`);
    super.stopSignal(b);
  }
}

/** pause/pause.go: prints "Paused" and waits; SIGTERM exits 2 (os.Exit(2)), SIGINT 1. */
export class AgnhostPause extends ServerProcess {
  constructor(io: ProcessIO) {
    super(io);
    this.onStop = { exitCode: 2 };
  }

  protected run(): void {
    this.log("Paused");
  }
}

/** test-webserver: an HTTP file server over the container's filesystem. */
export class TestWebserver extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly port: number,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = GO_UNHANDLED_SIGTERM;
  }

  protected run(): void {
    this.listen(this.port, (req) => this.serve(req), this.startMs);
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    const st = this.io.fs.stat(path);
    if (st?.type === "file") return { status: 200, body: this.io.fs.readFile(path) };
    if (st?.type === "dir") {
      const entries = this.io.fs.readdir(path).sort();
      return { status: 200, body: `<pre>\n${entries.map((e) => `<a href="${e}">${e}</a>`).join("\n")}\n</pre>\n` };
    }
    return NOT_FOUND;
  }
}

/** porter: every SERVE_PORT_<n> variable opens port n answering the variable's value. */
export class PorterServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = GO_UNHANDLED_SIGTERM;
  }

  protected run(): void {
    for (const [k, v] of Object.entries(this.io.env)) {
      const m = /^SERVE_PORT_(\d+)$/.exec(k);
      if (m) this.listen(Number(m[1]), () => ({ status: 200, body: v }), this.startMs);
    }
  }
}

const SUBCOMMANDS = ["audit-proxy", "connect", "crd-conversion-webhook", "dns-server-list", "dns-suffix", "entrypoint-tester", "etc-hosts", "fake-gitserver", "grpc-health-checking", "guestbook", "inclusterclient", "liveness", "logs-generator", "mounttest", "net", "netexec", "nettest", "no-snat-test", "no-snat-test-proxy", "pause", "port-forward-tester", "porter", "resource-consumer-controller", "serve-hostname", "test-webserver", "webhook"];

function launchAgnhost(argv: string[], l: ContainerLaunch, ctx: ProgramContext) {
  const io = l.io;
  const sub = argv[1];
  const args = argv.slice(2);
  switch (sub) {
    case "liveness":
      return new LivenessServer(io, ctx.startMs);
    case "netexec": {
      const f = parseGoFlags(args, { value: ["http-port", "udp-port", "sctp-port", "delay-shutdown", "tls-cert-file", "tls-private-key-file", "http-override"] });
      return new NetexecServer(io, intFlag(f, "http-port", 8080), intFlag(f, "delay-shutdown", 0), ctx.startMs);
    }
    case "serve-hostname": {
      const f = parseGoFlags(args, { bool: ["tcp", "udp", "http", "close"], value: ["port"] });
      return new ServeHostnameServer(io, intFlag(f, "port", 9376), ctx.startMs);
    }
    case "pause":
    case undefined:
      return new AgnhostPause(io);
    case "test-webserver": {
      const f = parseGoFlags(args, { value: ["port"] });
      return new TestWebserver(io, intFlag(f, "port", 80), ctx.startMs);
    }
    case "porter":
      return new PorterServer(io, ctx.startMs);
    case "webhook": {
      // cobra's flags plus klog's (agnhost adds klog's flag set to every subcommand).
      const f = parseGoFlags(args, { bool: ["alsologtostderr", "logtostderr"], value: ["tls-cert-file", "tls-private-key-file", "port", "sidecar-image", "v"] });
      return new AgnhostWebhookServer(io, intFlag(f, "port", 443), f.values.get("tls-cert-file") ?? "", f.values.get("tls-private-key-file") ?? "", f.values.get("sidecar-image") ?? "", ctx.startMs);
    }
    case "entrypoint-tester":
      // test/images/agnhost/entrypoint-tester/ep.go: fmt.Printf("%v\n", os.Args), then exit 0.
      io.stdout(`[${argv.join(" ")}]\n`);
      return new ExitAtOnce(io.clock, 0);
    default:
      if (SUBCOMMANDS.includes(sub)) {
        io.stderr(`agnhost: the subcommand ${JSON.stringify(sub)} is not modelled by kube-scenario (docs/images.md)\n`);
        return new ExitAtOnce(io.clock, 1);
      }
      io.stderr(`Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
      return new ExitAtOnce(io.clock, 1);
  }
}

export const AGNHOST: ModelBehaviour = {
  // The Dockerfile's `RUN ln -s agnhost agnhost-2`: the e2e entrypoint tests run /agnhost-2.
  programs: { "/agnhost": launchAgnhost, agnhost: launchAgnhost, "/agnhost-2": launchAgnhost, "agnhost-2": launchAgnhost },
  // The Dockerfile's `apk add bind-tools`: BIND 9's nslookup, not busybox's applet.
  commands: { nslookup: bindNslookup, "/usr/bin/nslookup": bindNslookup },
};

export const LIVENESS: ModelBehaviour = {
  programs: { "/server": (_argv, l, ctx) => new LivenessServer(l.io, ctx.startMs) },
};

/** The serve_hostname image agnhost's serve-hostname came from: `/serve_hostname -port 9376` (Go flags). */
function launchServeHostname(argv: string[], l: ContainerLaunch, ctx: ProgramContext) {
  const f = parseGoFlags(argv.slice(1), { bool: ["tcp", "udp", "http", "close"], value: ["port"] });
  return new ServeHostnameServer(l.io, intFlag(f, "port", 9376), ctx.startMs);
}

export const SERVE_HOSTNAME: ModelBehaviour = {
  programs: { "/serve_hostname": launchServeHostname },
};
