/**
 * `registry.k8s.io/metrics-server/metrics-server` (kubernetes-sigs/metrics-server, modelled on
 * v0.7.2: Dockerfile `FROM gcr.io/distroless/static`, `USER 65534`, `ENTRYPOINT ["/metrics-server"]`;
 * no shell), as its release manifest runs it (exercises/apps/metrics-server/components.yaml).
 *
 * What it does, from its source at v0.7.2:
 * - It serves HTTPS on `--secure-port` (default 443; the manifest says 10250) with a self-signed
 *   certificate in `--cert-dir`: `/livez`, `/readyz`, `/healthz` and the `metrics.k8s.io/v1beta1`
 *   API (discovery answers as soon as it serves: what kube-aggregator's availability check asks).
 * - pkg/server/server.go `runScrape`: it scrapes every `--metric-resolution` (default 60s), the
 *   first time at once. pkg/scraper/scraper.go lists the nodes (as its service account: RBAC
 *   `system:metrics-server`, else `"Failed to list nodes"`) and GETs each kubelet's
 *   `https://<address>:<port>/metrics/resource` (pkg/scraper/client/resource/client.go: the first
 *   address of `--kubelet-preferred-address-types`, the port of `status.daemonEndpoints` with
 *   `--kubelet-use-node-status-port`, else `--kubelet-port`, 10250). A node it cannot scrape is
 *   logged `E... scraper.go:149] "Failed to scrape node" err="..." node="<name>"`.
 * - The kubelets' serving certificates here are what kind's (and kubeadm's) kubelets make for
 *   themselves (cmd/kubelet/app/server.go, a self-signed certificate for the node's hostname, no IP
 *   SAN): a scrape by IP address fails Go's hostname check before anything else
 *   (`x509: cannot validate certificate for <ip> because it doesn't contain any IP SANs`) unless
 *   `--kubelet-insecure-tls` skips verification, which is why kind's and the README's
 *   instructions add that flag. A node whose kubelet is not Ready does not answer.
 * - pkg/storage/storage.go `Ready`: metrics exist once a scrape stored points after an earlier
 *   one (the previous points are kept), i.e. from the second successful scrape. `/readyz`'s
 *   `metric-storage-ready` check fails before that (500, `I... server.go:191] "Failed probe"
 *   probe="metric-storage-ready" err="no metrics to serve"` at each probe); `/livez` checks that the
 *   scrape loop ticks, which it always does here.
 *
 * Not modelled: the apiserver library's start-up lines (certificate generation, serving,
 * request-header controllers), authentication and authorization of the requests it serves, and
 * the metrics it serves to kubectl top and the HPA, which the cluster's metrics pipeline computes
 * from the same kubelets (src/metrics: served once the APIService is Available).
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";
import { glogPrefix, parseGoFlags, type GoFlags } from "./goflags.ts";
import { inClusterClient } from "../incluster.ts";
import { parseDuration } from "../../sim/duration.ts";
import type { TimerHandle } from "../../sim/clock.ts";

const BOOL_FLAGS = ["kubelet-insecure-tls", "kubelet-use-node-status-port", "version"];
const VALUE_FLAGS = ["cert-dir", "secure-port", "kubelet-preferred-address-types", "metric-resolution", "kubelet-port", "kubelet-certificate-authority", "kubeconfig", "v", "requestheader-client-ca-file", "tls-cert-file", "tls-private-key-file", "bind-address"];

/** The discovery document of metrics.k8s.io/v1beta1 (pkg/api/install.go: nodes and pods, get and list). */
const DISCOVERY = JSON.stringify({
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "metrics.k8s.io/v1beta1",
  resources: [
    { name: "nodes", singularName: "", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"] },
    { name: "pods", singularName: "", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"] },
  ],
});

/** klog's structured value: a Go-quoted string. */
const q = (s: string) => JSON.stringify(s);

export class MetricsServerProcess extends ServerProcess {
  /** Points stored by the last scrape and the one before (nodes scraped), as storage.Store keeps them. */
  private last = 0;
  private prev = 0;
  private ticker: TimerHandle | undefined;

  constructor(
    io: ProcessIO,
    private readonly flags: GoFlags,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
    // The generic apiserver stops on SIGTERM and exits 0.
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const f = this.flags;
    if (f.unknown.length > 0) {
      this.logErr(`Error: unknown flag: ${f.unknown[0]!.replace(/=.*$/, "")}`);
      this.exit(1);
      return;
    }
    let resolutionMs: number;
    try {
      resolutionMs = parseDuration(f.values.get("metric-resolution") ?? "60s");
    } catch {
      resolutionMs = 60_000;
    }
    const port = Number(f.values.get("secure-port") ?? "443");
    this.listen(port, (req) => this.serve(req.path), 0, true);
    this.tick();
    this.ticker = this.io.clock.setInterval(() => this.tick(), resolutionMs);
  }

  override exit(code: number): void {
    if (this.ticker) this.io.clock.clear(this.ticker);
    this.ticker = undefined;
    super.exit(code);
  }

  /** The readiness of the storage: points after an earlier scrape's (storage.Ready). */
  ready(): boolean {
    return this.prev > 0;
  }

  private serve(raw: string): HttpAnswer {
    const path = parseRequestPath(raw).path;
    if (path === "/livez" || path === "/healthz") return { status: 200, body: "ok" };
    if (path === "/readyz") {
      if (this.ready()) return { status: 200, body: "ok" };
      this.logErr(`${glogPrefix(this.io.clock.now(), "I", "server.go:191")}"Failed probe" probe="metric-storage-ready" err="no metrics to serve"`);
      return { status: 500, body: "[-]metric-storage-ready failed: reason withheld\nreadyz check failed\n" };
    }
    if (path === "/apis/metrics.k8s.io/v1beta1") return { status: 200, body: DISCOVERY };
    return { status: 404, body: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}\n' };
  }

  /** One scrape of every node (scraper.Scrape), then storage.Store. */
  private tick(): void {
    const now = this.io.clock.now();
    const client = inClusterClient(this.api, this.pod);
    let nodes: Array<{ metadata: { name?: string }; status?: { addresses?: Array<{ type: string; address: string }>; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } }; conditions?: Array<{ type: string; status: string }> } }>;
    try {
      if (client instanceof Error) throw client;
      nodes = client.list("Node");
    } catch (e) {
      this.logErr(`${glogPrefix(now, "E", "scraper.go:119")}"Failed to list nodes" err=${q((e as Error).message)}`);
      this.store(0);
      return;
    }
    const types = (this.flags.values.get("kubelet-preferred-address-types") ?? "Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP").split(",");
    const insecure = this.flags.values.get("kubelet-insecure-tls") === "true";
    const useStatusPort = this.flags.values.get("kubelet-use-node-status-port") === "true";
    const defaultPort = Number(this.flags.values.get("kubelet-port") ?? "10250");
    let scraped = 0;
    for (const node of nodes) {
      const name = node.metadata.name ?? "";
      const addrs = node.status?.addresses ?? [];
      let addr: { type: string; address: string } | undefined;
      for (const t of types) {
        addr = addrs.find((a) => a.type === t);
        if (addr) break;
      }
      if (!addr) {
        this.logErr(`${glogPrefix(now, "E", "scraper.go:149")}"Failed to scrape node" err=${q(`no address matched types [${types.join(" ")}]`)} node=${q(name)}`);
        continue;
      }
      const statusPort = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
      const port = useStatusPort && statusPort !== 0 ? statusPort : defaultPort;
      const host = addr.address.includes(":") ? `[${addr.address}]` : addr.address;
      const url = `https://${host}:${port}/metrics/resource`;
      const isIP = /^[\d.]+$/.test(addr.address) || addr.address.includes(":");
      const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready")?.status === "True";
      let err: string | undefined;
      if (!ready) err = `Get ${q(url)}: dial tcp ${host}:${port}: connect: no route to host`;
      else if (!insecure && isIP) err = `Get ${q(url)}: tls: failed to verify certificate: x509: cannot validate certificate for ${addr.address} because it doesn't contain any IP SANs`;
      else if (!insecure) err = `Get ${q(url)}: tls: failed to verify certificate: x509: certificate signed by unknown authority`;
      if (err !== undefined) {
        this.logErr(`${glogPrefix(now, "E", "scraper.go:149")}"Failed to scrape node" err=${q(err)} node=${q(name)}`);
        continue;
      }
      scraped++;
    }
    this.store(scraped);
  }

  private store(points: number): void {
    // storage.Store: the new batch becomes the last, the points of the last one it has a newer
    // point for become the previous (a node scraped twice in a row).
    this.prev = Math.min(this.last, points);
    this.last = points;
  }
}

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): MetricsServerProcess {
  const flags = parseGoFlags(argv.slice(1), { bool: BOOL_FLAGS, value: VALUE_FLAGS });
  return new MetricsServerProcess(l.io, flags, l.pod, ctx.api);
}

export const METRICS_SERVER: ModelBehaviour = { programs: { "/metrics-server": launch, "metrics-server": launch } };
