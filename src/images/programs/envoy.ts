/**
 * `docker.io/envoyproxy/envoy:distroless-v1.33.3` (envoyproxy/envoy ci/Dockerfile-envoy's
 * distroless target: ENTRYPOINT ["/usr/local/bin/envoy"], CMD ["-c", "/etc/envoy/envoy.yaml"]; no
 * shell) as Envoy Gateway runs it in a Gateway's data plane (src/images/programs/envoygateway.ts
 * renders its Deployment): `envoy --service-cluster <namespace/name> --service-node <pod>
 * --config-yaml <bootstrap>` with each flag and its value in one argument, as the Deployment passes
 * them.
 *
 * Its bootstrap names the xDS server (`xds_cluster`: envoy-gateway.<namespace>.svc.cluster.local:18000
 * over TLS, from the Deployment's `--config-yaml`); until the first configuration arrives the
 * readiness listener (0.0.0.0:19001, `/ready`: the health_check filter) answers 503 "no healthy
 * upstream"-less `503` and, from then on, 200 (envoy's init manager waits for the first LDS/CDS).
 * The configuration is fetched at start (retried every second while the server does not answer)
 * and again before each request, so a change the controller made is seen at once (the gRPC
 * stream's push; docs/divergences.md); a control plane that does not answer leaves the last one.
 *
 * Each listener of the snapshot listens on its container port (80 → 10080) and routes a request
 * with the Gateway API's precedence (src/network/gatewayapi.ts) to one ready endpoint of the chosen
 * backend (weighted, round-robin within a backend), adding what Envoy Gateway's HTTP connection
 * manager adds upstream: `X-Forwarded-For` (the client's address), `X-Forwarded-Proto`,
 * `X-Envoy-Internal: true` for a private client address, `X-Request-Id` (a UUID v4) and
 * `X-Envoy-Expected-Rq-Timeout-Ms: 15000` (the route's default timeout). No route: 404 with an empty
 * body; a backend without ready endpoints: 503 "no healthy upstream"; an invalid backend: 500
 * (Envoy Gateway's direct response); an upstream that refuses or resets: 503 "upstream connect
 * error or disconnect/reset before headers. reset reason: connection failure".
 */
import type { ContainerLaunch, ProcessIO, HttpOutcome } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import { keyedRandom } from "../../sim/random.ts";
import type { Exchange, ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { pickBackend, routeRequest, type RouteRule } from "../../network/gatewayapi.ts";
import type { ProxySnapshot } from "./envoygateway.ts";

const XDS_RETRY_MS = 1_000;

function isPrivate(ip: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.)/.test(ip);
}

export class EnvoyProxyProcess extends ServerProcess {
  private snapshot: ProxySnapshot | undefined;
  private readonly opened = new Set<number>();
  private readonly rr = new Map<string, number>();
  private requests = 0;

  constructor(
    io: ProcessIO,
    private readonly cluster: string,
    private readonly xdsHost: string,
    private readonly pod: Pod,
    private readonly exchange: Exchange | undefined,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  private xdsUrl(): string {
    return `https://${this.xdsHost}:18000/xds?cluster=${encodeURIComponent(this.cluster)}`;
  }

  protected run(): void {
    this.listen(19001, (req) => {
      const path = parseRequestPath(req.path).path;
      if (path === "/ready") return this.snapshot ? { status: 200, body: "" } : { status: 503, body: "" };
      if (path === "/stats/prometheus") return { status: 200, body: "" };
      return { status: 404, body: "" };
    });
    this.fetchFirst();
  }

  private fetchFirst(): void {
    this.io.http({ method: "GET", url: this.xdsUrl(), timeoutMs: 5_000 }, (o) => {
      if (!this.running) return;
      if (!this.take(o)) {
        this.after(XDS_RETRY_MS, () => this.fetchFirst());
      }
    });
  }

  /** A DiscoveryResponse: the listeners it names start listening. */
  private take(o: HttpOutcome): boolean {
    if (!o.ok || o.status !== 200) return false;
    let snap: ProxySnapshot;
    try {
      snap = JSON.parse(o.body) as ProxySnapshot;
    } catch {
      return false;
    }
    this.snapshot = snap;
    for (const l of snap.listeners) {
      if (this.opened.has(l.containerPort)) continue;
      this.opened.add(l.containerPort);
      this.listen(l.containerPort, (req) => this.route(l.containerPort, req));
    }
    return true;
  }

  /** The stream's latest push: the snapshot as the controller has it now (kept when it does not answer). */
  private refresh(): void {
    const r = this.exchange?.({ method: "GET", url: this.xdsUrl(), timeoutMs: 5_000 }, { namespace: this.pod.metadata?.namespace ?? "", name: this.pod.metadata?.name ?? "" });
    if (r) this.take(r.outcome);
  }

  private route(containerPort: number, req: HttpRequest): HttpAnswer {
    this.refresh();
    const listener = this.snapshot?.listeners.find((l) => l.containerPort === containerPort);
    if (!listener) return { status: 404, body: "" };
    const host = Object.entries(req.headers).find(([k]) => k.toLowerCase() === "host")?.[1] ?? "";
    const rule: RouteRule | undefined = routeRequest(listener.rules, { host, method: req.method, path: req.path, headers: req.headers });
    if (!rule) return { status: 404, body: "" };
    if (rule.directResponse) return { status: rule.directResponse, body: "" };
    const n = this.rr.get(rule.name) ?? 0;
    this.rr.set(rule.name, n + 1);
    const backend = pickBackend(rule.backends, n);
    if (!backend || backend.endpoints.length === 0) return { status: 503, body: "no healthy upstream" };
    const k = `${rule.name}/${backend.service}`;
    const i = this.rr.get(k) ?? 0;
    this.rr.set(k, i + 1);
    const ep = backend.endpoints[i % backend.endpoints.length]!;
    const client = req.client ?? "";
    const headers: Record<string, string> = {};
    for (const [key, v] of Object.entries(req.headers)) headers[key] = v;
    headers["X-Forwarded-For"] = client;
    headers["X-Forwarded-Proto"] = "http";
    if (isPrivate(client)) headers["X-Envoy-Internal"] = "true";
    headers["X-Request-Id"] = keyedRandom(`envoy/${this.pod.metadata?.uid ?? ""}/${this.requests++}`).uuid();
    headers["X-Envoy-Expected-Rq-Timeout-Ms"] = "15000";
    return {
      status: 503,
      body: "",
      proxy: {
        method: req.method,
        url: `http://${ep.ip}:${ep.port}${req.path}`,
        headers,
        timeoutMs: 15_000,
        reply: (o: HttpOutcome) => {
          if (o.ok) return { status: o.status, body: o.body };
          if (o.kind === "timeout") return { status: 504, body: "upstream request timeout" };
          return { status: 503, body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure" };
        },
      },
    };
  }

}

/** Envoy's options as Envoy Gateway passes them: `--flag value` in one argument, or two. */
export function option(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name} `)) return a.slice(name.length + 1);
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

function launchEnvoy(argv: string[], l: ContainerLaunch, ctx: ProgramContext): EnvoyProxyProcess | undefined {
  const config = option(argv, "--config-yaml");
  if (config === undefined) return undefined;
  // The bootstrap's xds_cluster address (static_resources.clusters[xds_cluster]).
  const m = /cluster_name: xds_cluster[\s\S]*?address: ([^\s]+)\s+port_value: 18000/.exec(config);
  return new EnvoyProxyProcess(l.io, option(argv, "--service-cluster") ?? "", m?.[1] ?? "envoy-gateway.envoy-gateway-system.svc.cluster.local", l.pod, ctx.exchange);
}

export const ENVOY_PROXY: ModelBehaviour = { programs: { envoy: launchEnvoy, "/usr/local/bin/envoy": launchEnvoy } };
