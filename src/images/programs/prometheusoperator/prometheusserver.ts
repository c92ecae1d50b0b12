/**
 * `quay.io/prometheus/prometheus` (github.com/prometheus/prometheus, modelled on v3.1.0, the
 * operator's default; Dockerfile: `/bin/prometheus` on quay.io/prometheus/busybox, USER nobody,
 * `ENTRYPOINT ["/bin/prometheus"]`, `CMD ["--config.file=/etc/prometheus/prometheus.yml",
 * "--storage.tsdb.path=/prometheus"]`), as the operator's StatefulSet runs it:
 *
 * - it reads `--config.file` at start (missing: "Error loading config", exit 1) and again on
 *   `POST /-/reload` (with `--web.enable-lifecycle`; without it 403 "Lifecycle API is not enabled.");
 * - it serves `/-/healthy` ("Prometheus Server is Healthy.") and `/-/ready` ("Prometheus Server is
 *   Ready.") on `--web.listen-address` (`:9090`);
 * - the HTTP API's `/api/v1/targets` and `/api/v1/query` are ./scrape.ts's.
 *
 * SIGTERM: exit 0.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "../server.ts";
import { parseGoFlags } from "../goflags.ts";

const VALUE = [
  "config.file", "storage.tsdb.path", "storage.tsdb.retention.time", "web.listen-address", "web.console.templates", "web.console.libraries",
  "web.route-prefix", "web.config.file", "web.external-url", "log.level", "log.format", "storage.tsdb.retention.size", "query.lookback-delta",
  "enable-feature", "storage.tsdb.min-block-duration", "storage.tsdb.max-block-duration",
];
const BOOL = ["web.enable-lifecycle", "web.enable-admin-api", "web.enable-remote-write-receiver", "web.enable-otlp-receiver", "storage.tsdb.wal-compression", "no-storage.tsdb.wal-compression"];

/** A time as Prometheus's logger writes it (log/slog with its own time format: RFC 3339, milliseconds). */
const ts = (ms: number) => new Date(ms).toISOString();

export class PrometheusServer extends ServerProcess {
  protected configText = "";

  constructor(
    l: ContainerLaunch,
    protected readonly flags: Map<string, string>,
    protected readonly ctx: ProgramContext,
    protected readonly launch: ContainerLaunch,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
  }

  protected logAt(level: "INFO" | "WARN" | "ERROR", source: string, msg: string, attrs: Array<[string, string]> = []): void {
    const q = (v: string) => (/^[^\s="]+$/.test(v) ? v : JSON.stringify(v));
    const line = [`time=${ts(this.io.clock.now())}`, `level=${level}`, `source=${source}`, `msg=${q(msg)}`, ...attrs.map(([k, v]) => `${k}=${q(v)}`)].join(" ");
    (level === "ERROR" ? this.logErr.bind(this) : this.log.bind(this))(line);
  }

  protected run(): void {
    const file = this.flags.get("config.file") ?? "prometheus.yml";
    this.logAt("INFO", "main.go:687", "Starting Prometheus Server", [["mode", "server"], ["version", "(version=3.1.0, branch=HEAD, revision=7086161a93b262aa0949dbf2aba15a5a7b13e0a3)"]]);
    const err = this.loadConfig(file);
    if (err) {
      this.logAt("ERROR", "main.go:1420", `Error loading config (--config.file=${file})`, [["file", file], ["err", err]]);
      return this.exit(1);
    }
    const listen = this.flags.get("web.listen-address") ?? "0.0.0.0:9090";
    this.listen(Number(listen.slice(listen.lastIndexOf(":") + 1)), (req) => this.handle9090(req));
    this.logAt("INFO", "main.go:1290", "Server is ready to receive web requests.");
    this.started();
  }

  /** Reads and keeps the configuration; an error's text, or "". */
  protected loadConfig(file: string): string {
    if (!this.io.fs.stat(file)) return `open ${file}: no such file or directory`;
    this.configText = this.io.fs.readFile(file);
    return this.applyConfig(this.configText);
  }

  /** What a subclass makes of the configuration (./scrape.ts: the scrape jobs); an error's text, or "". */
  protected applyConfig(_text: string): string {
    return "";
  }

  protected started(): void {}

  protected api(_path: string, _req: HttpRequest, _query: Map<string, string>): HttpAnswer | undefined {
    return undefined;
  }

  private handle9090(req: HttpRequest): HttpAnswer {
    const { path, query } = parseRequestPath(req.path);
    if (path === "/-/healthy") return { status: 200, body: "Prometheus Server is Healthy.\n" };
    if (path === "/-/ready") return { status: 200, body: "Prometheus Server is Ready.\n" };
    if (path === "/-/reload") {
      if (this.flags.get("web.enable-lifecycle") !== "true") return { status: 403, body: "Lifecycle API is not enabled." };
      if (req.method !== "POST" && req.method !== "PUT") return { status: 405, body: "Only POST or PUT requests allowed" };
      const file = this.flags.get("config.file") ?? "prometheus.yml";
      const err = this.loadConfig(file);
      if (err) {
        this.logAt("ERROR", "main.go:1420", `Error reloading config`, [["err", err]]);
        return { status: 500, body: `failed to reload config: ${err}\n` };
      }
      this.logAt("INFO", "main.go:1456", "Completed loading of configuration file", [["filename", file]]);
      return { status: 200, body: "" };
    }
    const answer = this.api(path, req, query);
    if (answer) return answer;
    if (path.startsWith("/api/")) return { status: 501, body: `{"status":"error","errorType":"unavailable","error":"${path} is not modelled by kube-scenario (docs/divergences.md)"}` };
    return { status: 404, body: "404 page not found\n" };
  }
}

export function prometheusFlags(argv: string[]): { flags: Map<string, string>; unknown: string[] } {
  const f = parseGoFlags(argv, { value: VALUE, bool: BOOL });
  return { flags: new Map(f.values), unknown: f.unknown };
}

export function launchPrometheusWith(make: (l: ContainerLaunch, flags: Map<string, string>, ctx: ProgramContext) => PrometheusServer) {
  return (argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess => {
    const { flags, unknown } = prometheusFlags(argv.slice(1));
    if (unknown.length) {
      return new (class extends ServerProcess {
        protected run(): void {
          this.logErr(`prometheus: error: unknown long flag '${unknown[0]!.split("=")[0]}', try --help\n`);
          this.exit(1);
        }
      })(l.io);
    }
    return make(l, flags, ctx);
  };
}
