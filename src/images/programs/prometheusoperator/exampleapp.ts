/**
 * `quay.io/brancz/prometheus-example-app` (github.com/brancz/prometheus-example-app main.go;
 * Dockerfile: `/bin/prometheus-example-app` on quay.io/prometheus/busybox), the Getting Started's
 * sample application: on `--bind` (`:8080`) it answers `/` with "Hello from example application.",
 * `/err` with 404, and `/metrics` with client_golang's text exposition of its registry:
 * `http_requests_total{code,method}` (the requests to `/` and `/err`),
 * `http_request_duration_seconds{code,handler,method}` (a histogram of `/`'s, with the default
 * buckets) and `version{version}` 1. Durations are simulated (0).
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { parseGoFlags } from "../goflags.ts";

const BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"];

export class ExampleApp extends ServerProcess {
  private readonly counts = new Map<string, number>();

  constructor(
    l: ContainerLaunch,
    private readonly port: number,
    private readonly appVersion: string,
  ) {
    super(l.io);
    this.onStop = { exitCode: 2 };
  }

  protected run(): void {
    this.listen(this.port, (req) => {
      const { path } = parseRequestPath(req.path);
      const method = (req.method || "GET").toLowerCase();
      if (path === "/metrics") return { status: 200, body: this.metrics() };
      if (path === "/err") {
        this.count(`code="404",method="${method}"`);
        return { status: 404, body: "" };
      }
      this.count(`code="200",method="${method}"`);
      this.count(`H|code="200",handler="found",method="${method}"`);
      return { status: 200, body: "Hello from example application." };
    });
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The registry as promhttp writes it: families sorted by name, series by label values. */
  metrics(): string {
    const out: string[] = [];
    const hist = [...this.counts.entries()].filter(([k]) => k.startsWith("H|")).sort();
    if (hist.length) {
      out.push("# HELP http_request_duration_seconds Duration of all HTTP requests", "# TYPE http_request_duration_seconds histogram");
      for (const [k, n] of hist) {
        const labels = k.slice(2);
        for (const b of BUCKETS) out.push(`http_request_duration_seconds_bucket{${labels},le="${b}"} ${n}`);
        out.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${n}`, `http_request_duration_seconds_sum{${labels}} 0`, `http_request_duration_seconds_count{${labels}} ${n}`);
      }
    }
    const total = [...this.counts.entries()].filter(([k]) => !k.startsWith("H|")).sort();
    if (total.length) {
      out.push("# HELP http_requests_total Count of all HTTP requests", "# TYPE http_requests_total counter");
      for (const [k, n] of total) out.push(`http_requests_total{${k}} ${n}`);
    }
    out.push("# HELP version Version information about this binary", "# TYPE version gauge", `version{version="${this.appVersion}"} 1`);
    return out.join("\n") + "\n";
  }
}

export function launchExampleApp(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  const f = parseGoFlags(argv.slice(1), { value: ["bind"], bool: ["h2c"] });
  const bind = f.values.get("bind") ?? ":8080";
  return new ExampleApp(l, Number(bind.slice(bind.lastIndexOf(":") + 1)) || 8080, ctx.tag);
}
