/**
 * `ghcr.io/stefanprodan/podinfo` (and `docker.io/stefanprodan/podinfo`), modelled on the tag 6.14.1
 * (commit eec06d1): its Dockerfile builds `podinfo` and `podcli` into `alpine:3.24` with
 * `ca-certificates curl netcat-openbsd`, `WORKDIR /home/app`, `USER app`, `CMD ["./podinfo"]`.
 *
 * `./podinfo` (cmd/podinfo/main.go, pkg/api/http, pkg/signals), what it does:
 * - flags (pflag): `--port` (9898), `--port-metrics` (0: none), `--grpc-port` (0: none),
 *   `--grpc-service-name`, `--level`, `--ui-color`, `--ui-message`, `--ui-logo`, `--unhealthy`,
 *   `--unready`, `--random-delay`, `--random-error`, …; viper reads each also from the environment
 *   as `PODINFO_<FLAG>` (`PODINFO_UI_COLOR`), an explicit flag first. An unknown flag: pflag's
 *   `Error: unknown flag: --x` and exit 2.
 * - its zap logger writes JSON lines to stderr: `Starting podinfo` (version, revision, port) at
 *   main.go:170, then `Starting HTTP Server.` (server.go:273) from the server's goroutine.
 * - the HTTP API on `--port` (gorilla/mux routes of server.go): `GET /` and `/api/info` (the
 *   runtime JSON), `/version`, `/env` (os.Environ()), `/headers` (the request's headers, with the
 *   `X-Api-Version`/`X-Api-Revision` its middleware sets), `/healthz` and `/readyz` (`{"status":
 *   "OK"}`, else 503 with no body), `POST /readyz/enable|disable` (202), `GET /status/{code}`,
 *   `/delay/{seconds}`, `/panic` (logs `Panic command received` and exits 255),
 *   `/fault_injection/{enable,disable,status}` (when enabled every other route answers 500
 *   `{"status":"fault injection enabled"}`). JSON is Go's json.Marshal (struct fields in order, map
 *   keys sorted, `<>&` escaped) indented by two spaces, without a final newline. An unknown path:
 *   mux's `404 page not found`; a known path with another method: 405 with no body.
 * - `--port-metrics` serves `/healthz` ("OK"); `--grpc-port` answers the gRPC health check SERVING.
 * - SIGTERM (pkg/signals/shutdown.go): /healthz and /readyz fail from then on, `Shutting down
 *   HTTP/HTTPS server` (timeout 5), a 3 s wait (unless `--level=debug`) for the endpoints to drop
 *   the pod, `Shutting down GRPC server`, exit 0.
 *
 * `podcli check http|tcp <address>` (cmd/podcli/check.go), the Deployment's exec probes: it waits
 * `--delay` (1s) before the first attempt (the loop sleeps unless n == 1), then requests the
 * address (`http://` added), `--retry` (0) more times on failure; `check succeed` exits 0 on a
 * status in [200, 400), else `check failed` and exit 1, each a zap development line on stderr
 * (`<ts>\tINFO\tpodcli/check.go:148\tcheck succeed\t{"address": …, "status code": 200, "response
 * size": "20 B"}`). `podcli version` prints the version.
 *
 * Not modelled (answered 501 with a line saying so, docs/divergences.md): `/metrics` and the
 * Prometheus families, `/echo`, `/token`, `/cache`, `/store`, `/configs`, `/ws/echo`, `/chunked`,
 * the Swagger documents and the web UI (served to a `User-Agent: Mozilla…`), the gRPC services
 * other than health, HTTPS, the random delay and error. `/panic`'s client sees its request time out
 * (the real one gets an empty reply). `num_goroutine` is a constant (8) and `runtime` the go.mod's
 * Go version: the image's own values are not published.
 */
import type { ContainerLaunch, HttpOutcome, ProcessIO } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { dataFile } from "../catalogue.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { parseGoFlags, type GoFlags } from "./goflags.ts";
import { parseDuration } from "../../sim/duration.ts";

/** The release the model follows; a tag the revisions list does not name is taken as this one. */
export const PODINFO_VERSION = "6.14.1";
/** The go directive of go.mod at 6.14.1 (the image's exact toolchain is not published). */
const GO_RUNTIME = "go1.26.0";
const NUM_GOROUTINE = "8";

const VALUE_FLAGS = ["host", "prefix", "port", "secure-port", "port-metrics", "grpc-port", "grpc-service-name", "level", "backend-url", "http-client-timeout", "http-server-timeout", "server-shutdown-timeout", "data-path", "config-path", "cert-path", "config", "ui-path", "ui-logo", "ui-color", "ui-message", "random-delay-unit", "random-delay-min", "random-delay-max", "stress-cpu", "stress-memory", "cache-server", "otel-service-name"];
const BOOL_FLAGS = ["h2c", "random-delay", "random-error", "unhealthy", "unready", "version", "v"];

const DEFAULTS: Record<string, string> = {
  port: "9898",
  "secure-port": "0",
  "port-metrics": "0",
  "grpc-port": "0",
  "grpc-service-name": "podinfo",
  level: "info",
  "server-shutdown-timeout": "5s",
  "ui-color": "#34577c",
  "ui-logo": "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif",
  unhealthy: "false",
  unready: "false",
};

let revisions: Map<string, string> | undefined;

/** The commit a release tag was built at (data/files/podinfo/revisions.txt), the image's REVISION. */
export function podinfoRevision(version: string): string | undefined {
  if (!revisions) {
    revisions = new Map();
    for (const line of dataFile("podinfo/revisions.txt").split("\n")) {
      if (!line || line.startsWith("#")) continue;
      const [tag, commit] = line.split(" ");
      revisions.set(tag!, commit!);
    }
  }
  return revisions.get(version);
}

/** The version a tag's image reports: the tag itself for a release tag, else the model's release (`latest`). */
export function podinfoVersion(tag: string): string {
  return podinfoRevision(tag) !== undefined ? tag : PODINFO_VERSION;
}

/** Go's json.Marshal then json.Indent(…, "", "  "): `<`, `>` and `&` escaped, no final newline. */
export function goIndentedJSON(v: unknown): string {
  return JSON.stringify(v, null, 2).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** zap's production JSON line (ISO 8601 time in ms, short caller). */
function zapJSON(ms: number, level: string, caller: string, msg: string, fields: Record<string, string | number> = {}): string {
  return JSON.stringify({ level, ts: new Date(ms).toISOString(), caller, msg, ...fields }).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** http.CanonicalHeaderKey: `x-api-version` → `X-Api-Version`. */
function canonicalHeader(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

const json = (v: unknown, status = 200): HttpAnswer => ({ status, body: goIndentedJSON(v) });
const NOT_FOUND: HttpAnswer = { status: 404, body: "404 page not found\n" };
const NOT_ALLOWED: HttpAnswer = { status: 405, body: "" };

/** The routes the model does not serve: real podinfo answers them; the simulation says it does not. */
const UNMODELLED = /^\/(metrics|echo(\/.*)?|api\/echo(\/.*)?|token(\/validate)?|cache\/[^/]+|store(\/[^/]+)?|configs|ws\/echo|chunked(\/[0-9]+)?|swagger\.json|swagger\/.*|debug\/pprof\/.*)$/;

export class PodinfoProcess extends ServerProcess {
  private healthy = false;
  private ready = false;
  private fault = false;
  private stopping = false;
  private readonly version: string;
  private readonly revision: string;

  constructor(
    io: ProcessIO,
    private readonly flags: GoFlags,
    tag: string,
    /** runtime.NumCPU(): the CPUs of the node (its affinity mask, not the container's CPU limit). */
    private readonly numCPU: number,
  ) {
    super(io);
    this.version = podinfoVersion(tag);
    this.revision = podinfoRevision(this.version) ?? "unknown";
    this.onStop = { exitCode: 0 };
  }

  /** viper: an explicit flag, else `PODINFO_<NAME>` from the environment, else the flag's default. */
  private get(name: string): string {
    const flag = this.flags.values.get(name);
    if (flag !== undefined) return flag;
    const env = this.io.env[`PODINFO_${name.toUpperCase().replace(/-/g, "_")}`];
    if (env !== undefined) return env;
    if (name === "ui-message") return `greetings from podinfo v${this.version}`;
    return DEFAULTS[name] ?? "";
  }

  private zlog(level: string, caller: string, msg: string, fields?: Record<string, string | number>): void {
    this.logErr(zapJSON(this.io.clock.now(), level, caller, msg, fields));
  }

  protected run(): void {
    const f = this.flags;
    if (f.unknown.length > 0) {
      const a = f.unknown[0]!;
      const name = a.replace(/=.*$/, "");
      this.logErr(name.startsWith("--") ? `Error: unknown flag: ${name}\n` : `Error: unknown shorthand flag: '${name.slice(1, 2)}' in ${a}\n`);
      this.exit(2);
      return;
    }
    if (f.values.get("version") === "true" || f.values.get("v") === "true") {
      this.io.stdout(`${this.version}\n`);
      this.exit(0);
      return;
    }
    // main.go's "validate port": a value that is not a number (a Service named podinfo puts
    // PODINFO_PORT=tcp://<ip>:<port> in the environment, which viper reads as the port) gives way
    // to the flag's own value.
    const port = /^-?\d+$/.test(this.get("port")) ? Number(this.get("port")) : Number(this.flags.values.get("port") ?? DEFAULTS.port);
    const metrics = Number(this.get("port-metrics"));
    const grpc = Number(this.get("grpc-port"));
    if (grpc > 0) this.listen(grpc, (req) => (parseRequestPath(req.path).path === "/grpc.health.v1.Health/Check" ? { status: 200, body: "" } : { status: 404, body: "" }));
    this.zlog("info", "podinfo/main.go:170", "Starting podinfo", { version: this.version, revision: this.revision, port: String(port) });
    if (metrics > 0) this.listen(metrics, (req) => this.serveMetricsPort(req));
    if (port !== 0) {
      this.zlog("info", "http/server.go:273", "Starting HTTP Server.", { addr: `${this.get("host")}:${port}` });
      this.listen(port, (req) => this.serve(req));
    }
    this.healthy = this.get("unhealthy") !== "true";
    this.ready = this.get("unready") !== "true";
  }

  override stopSignal(behaviour = this.onStop): void {
    if (!this.running || behaviour === "ignore") return;
    if (this.stopping) {
      // A second signal: os.Exit(1) (signals.SetupSignalHandler).
      this.exit(1);
      return;
    }
    this.stopping = true;
    this.healthy = false;
    this.ready = false;
    let timeoutS = 5;
    try {
      timeoutS = parseDuration(this.get("server-shutdown-timeout")) / 1000;
    } catch {
      /* viper's default */
    }
    this.zlog("info", "signals/shutdown.go:55", "Shutting down HTTP/HTTPS server", { timeout: timeoutS });
    const done = () => {
      if (Number(this.get("grpc-port")) > 0) this.zlog("info", "signals/shutdown.go:80", "Shutting down GRPC server", { timeout: timeoutS });
      this.exit(0);
    };
    if (this.get("level") !== "debug") this.after(3_000, done);
    else done();
  }

  private serveMetricsPort(req: HttpRequest): HttpAnswer {
    const path = parseRequestPath(req.path).path;
    if (path === "/healthz") return { status: 200, body: "OK" };
    if (path === "/metrics") return { status: 501, body: "kube-scenario: podinfo's /metrics (Prometheus) is not simulated\n" };
    return NOT_FOUND;
  }

  /** The router of pkg/api/http/server.go, behind its fault-injection middleware. */
  serve(req: HttpRequest): HttpAnswer {
    const path = parseRequestPath(req.path).path;
    const m = req.method;
    const route = (methods: string[], answer: () => HttpAnswer): HttpAnswer => {
      if (!methods.includes(m)) return NOT_ALLOWED;
      const excluded = path.startsWith("/fault_injection") || path === "/healthz" || path === "/readyz" || path === "/metrics" || path.startsWith("/debug/");
      if (this.fault && !excluded) return { status: 500, body: '{"status":"fault injection enabled"}\n' };
      return answer();
    };
    if (UNMODELLED.test(path)) return { status: 501, body: `kube-scenario: podinfo's ${path} is not simulated\n` };
    switch (path) {
      case "/":
      case "/api/info":
        return route(["GET"], () => json(this.info()));
      case "/version":
        return route(["GET"], () => json({ commit: this.revision, version: this.version }));
      case "/env":
        return route(["GET", "POST"], () => json(Object.entries(this.io.env).map(([k, v]) => `${k}=${v}`)));
      case "/headers":
        return route(["GET", "POST"], () => json(this.headers(req)));
      case "/healthz":
        return route(["GET"], () => (this.healthy ? json({ status: "OK" }) : { status: 503, body: "" }));
      case "/readyz":
        return route(["GET"], () => (this.ready ? json({ status: "OK" }) : { status: 503, body: "" }));
      case "/readyz/enable":
        return route(["POST"], () => ((this.ready = true), { status: 202, body: "" }));
      case "/readyz/disable":
        return route(["POST"], () => ((this.ready = false), { status: 202, body: "" }));
      case "/fault_injection/enable":
        return route(["POST"], () => ((this.fault = true), json({ fault_injection: "enabled" }, 202)));
      case "/fault_injection/disable":
        return route(["POST"], () => ((this.fault = false), json({ fault_injection: "disabled" }, 202)));
      case "/fault_injection/status":
        return route(["GET"], () => json({ fault_injection: this.fault ? "enabled" : "disabled" }));
      case "/panic":
        return route(["GET"], () => {
          this.zlog("info", "http/panic.go:14", "Panic command received");
          // os.Exit(255) before anything is written: the client's connection is dropped.
          this.after(0, () => this.exit(255));
          return { status: 0, body: "", delayMs: 2 ** 31 };
        });
    }
    let mm = /^\/status\/([0-9]+)$/.exec(path);
    if (mm) {
      const code = Number(mm[1]);
      return route(["GET", "POST", "PUT"], () => json({ status: code }, code));
    }
    mm = /^\/delay\/([0-9]+)$/.exec(path);
    if (mm) {
      const s = Number(mm[1]);
      return route(["GET"], () => ({ ...json({ delay: s }), delayMs: s * 1000 }));
    }
    return NOT_FOUND;
  }

  /** RuntimeResponse (info.go), its fields in order. */
  private info(): Record<string, string> {
    return {
      hostname: this.io.hostname,
      version: this.version,
      revision: this.revision,
      color: this.get("ui-color"),
      logo: this.get("ui-logo"),
      message: this.get("ui-message"),
      goos: "linux",
      goarch: "amd64",
      runtime: GO_RUNTIME,
      num_goroutine: NUM_GOROUTINE,
      num_cpu: String(this.numCPU),
    };
  }

  /** r.Header (no Host: Go keeps it in r.Host) with the version middleware's two headers, keys sorted. */
  private headers(req: HttpRequest): Record<string, string[]> {
    const h: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k.toLowerCase() === "host") continue;
      (h[canonicalHeader(k)] ??= []).push(v);
    }
    h["X-Api-Revision"] = [this.revision];
    h["X-Api-Version"] = [this.version];
    return Object.fromEntries(Object.entries(h).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** zap's development console line (podcli's logger): time, level, caller, message, then the fields as spaced JSON. */
function zapConsole(ms: number, caller: string, msg: string, fields: Array<[string, string | number]>): string {
  const f = fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ");
  return `${new Date(ms).toISOString()}\tINFO\t${caller}\t${msg}\t{${f}}\n`;
}

/** fmtContentLength (check.go): `20 B`, `1.5 kB`. */
export function fmtContentLength(b: number): string {
  const unit = 1000;
  if (b < unit) return `${b} B`;
  let div = unit;
  let exp = 0;
  for (let n = Math.floor(b / unit); n >= unit; n = Math.floor(n / unit)) {
    div *= unit;
    exp++;
  }
  return `${(b / div).toFixed(1)} ${"kMGTPE"[exp]}B`;
}

/** `podcli`: `check http`, `check tcp` and `version` (cmd/podcli). */
export const podcli: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const [cmd, sub] = [argv[1], argv[2]];
  const fail = (e: string): number => {
    // cobra prints `Error: …` and the usage on stderr; main prints the error capitalised on stdout.
    sh.stderr.write(`Error: ${e}\n`);
    sh.stdout.write(`${e[0]!.toUpperCase()}${e.slice(1)}\n`);
    return 1;
  };
  if (cmd === "version") {
    sh.stdout.write(`${PODINFO_VERSION}\n`);
    return 0;
  }
  if (cmd !== "check") return fail(cmd === undefined ? "a command is required (check, version)" : `unknown command "${cmd}" for "podcli"`);
  if (sub !== "http" && sub !== "tcp") {
    if (sub === "cert" || sub === "grpc" || sub === "ws") {
      sh.stderr.write(`kube-scenario: podcli check ${sub} is not simulated\n`);
      return 1;
    }
    return fail(sub === undefined ? "a check is required (http, tcp)" : `unknown command "${sub}" for "podcli check"`);
  }
  const f = parseGoFlags(argv.slice(3), { value: ["method", "body", "retry", "delay", "timeout"] });
  if (f.unknown.length > 0) return fail(`unknown flag: ${f.unknown[0]!.replace(/=.*$/, "")}`);
  const retry = Number(f.values.get("retry") ?? "0");
  let delayMs = 1000;
  let timeoutMs = 5000;
  try {
    if (f.values.has("delay")) delayMs = parseDuration(f.values.get("delay")!);
    if (f.values.has("timeout")) timeoutMs = parseDuration(f.values.get("timeout")!);
  } catch (e) {
    return fail(`invalid argument: ${(e as Error).message}`);
  }
  if (retry < 0) return fail("--retry is required");
  const arg = f.positional[0];
  if (arg === undefined) return fail(sub === "http" ? "address is required! example: check http https://httpbin.org" : "address is required! example: check tcp httpbin.org:80");
  const method = f.values.get("method") ?? "GET";
  const address = sub === "http" && !/^https?:\/\//.test(arg) ? `http://${arg}` : arg;
  const now = () => sh.io.clock.now();
  for (let n = 0; n <= retry; n++) {
    if (n !== 1) yield { k: "sleep", ms: delayMs };
    const u = sub === "http" ? /^https?:\/\/([^/:?#]+)(?::(\d+))?([^#]*)$/.exec(address) : /^()([^:]+):(\d+)$/.exec(address);
    const host = sub === "http" ? u?.[1] : u?.[2];
    const port = sub === "http" ? Number(u?.[2] ?? (address.startsWith("https") ? 443 : 80)) : Number(u?.[3]);
    const path = sub === "http" ? u?.[3] || "/" : "/";
    if (!u || host === undefined) {
      sh.stderr.write(zapConsole(now(), "podcli/check.go:127", "check failed", [["address", address], ["error", `parse ${JSON.stringify(address)}: invalid URL`]]));
      return 1;
    }
    const ip = host === "localhost" ? "127.0.0.1" : /^[0-9.]+$/.test(host) ? host : sh.io.resolve(host);
    if (ip === undefined) {
      const err = `dial tcp: lookup ${host}: no such host`;
      sh.stderr.write(zapConsole(now(), sub === "http" ? "podcli/check.go:137" : "podcli/check.go:182", "check failed", [["address", address], ["error", sub === "http" ? `Get ${JSON.stringify(address)}: ${err}` : err]]));
      continue;
    }
    const r = (yield { k: "http", req: { method, url: `http://${ip}:${port}${path}`, headers: { Host: host }, timeoutMs } }) as HttpOutcome;
    if (sub === "tcp") {
      if (!r.ok && r.kind !== "timeout") {
        sh.stderr.write(zapConsole(now(), "podcli/check.go:182", "check failed", [["address", address], ["error", r.error]]));
        continue;
      }
      sh.stderr.write(zapConsole(now(), "podcli/check.go:189", "check succeed", [["address", address]]));
      return 0;
    }
    if (!r.ok) {
      const err = r.kind === "timeout" ? "context deadline exceeded" : r.error;
      sh.stderr.write(zapConsole(now(), "podcli/check.go:137", "check failed", [["address", address], ["error", `${method === "GET" ? "Get" : method[0] + method.slice(1).toLowerCase()} ${JSON.stringify(address)}: ${err}`]]));
      continue;
    }
    if (r.status >= 200 && r.status < 400) {
      sh.stderr.write(zapConsole(now(), "podcli/check.go:148", "check succeed", [["address", address], ["status code", r.status], ["response size", fmtContentLength(Buffer.byteLength(r.body))]]));
      return 0;
    }
    sh.stderr.write(zapConsole(now(), "podcli/check.go:154", "check failed", [["address", address], ["status code", r.status]]));
  }
  return 1;
};

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): PodinfoProcess {
  const flags = parseGoFlags(argv.slice(1), { bool: BOOL_FLAGS, value: VALUE_FLAGS });
  const node = l.pod.spec?.nodeName ? ctx.api?.get("Node", undefined, l.pod.spec.nodeName) : undefined;
  const cpus = Math.max(1, Math.floor(Number(node?.status?.capacity?.cpu ?? "1")) || 1);
  return new PodinfoProcess(l.io, flags, ctx.tag, cpus);
}

export const PODINFO: ModelBehaviour = {
  programs: { "./podinfo": launch, podinfo: launch, "/home/app/podinfo": launch },
  commands: { podcli },
};
