/**
 * `registry.k8s.io/kube-state-metrics/kube-state-metrics` (kubernetes/kube-state-metrics, modelled on
 * v2.15.0: Dockerfile `FROM gcr.io/distroless/static-debian12`, `USER nobody`,
 * `ENTRYPOINT ["/kube-state-metrics", "--port=8080", "--telemetry-port=8081"]`, `EXPOSE 8080 8081`;
 * no shell), as its `examples/standard` manifests run it (exercises/apps/kube-state-metrics/).
 *
 * What it does, from its source at v2.15.0:
 * - pkg/util/utils.go CreateKubeClient: client-go's in-cluster config, so it reads the API as its
 *   ServiceAccount through RBAC (src/images/incluster.ts). Without a token it cannot start:
 *   `"Failed to run kube-state-metrics" err="failed to create client: …"`, exit 1.
 * - internal/store/builder.go: a reflector lists and watches every enabled resource (`--resources`,
 *   default options.DefaultResources) across all namespaces; a resource its ClusterRole does not
 *   grant is logged as client-go's reflector logs it (`Failed to watch *v1.Pod: failed to list
 *   *v1.Pod: pods is forbidden: …`) and has no metrics.
 * - pkg/app/server.go: the metrics server on `--port` (8080) serves `/metrics` (./ksmstore.ts,
 *   computed from the API as the service account reads it at each scrape), `/healthz` (`OK`) and
 *   `/livez` (the API server's own `/livez`, `OK` or 503 `Service Unavailable`); the telemetry
 *   server on `--telemetry-port` (8081) serves `/readyz` (`OK` once its self-metrics registry
 *   gathers anything, i.e. always). Other paths are the landing page's 404 (`404 page not found`).
 * - It stops on SIGTERM (run.Group's interrupt) and exits 0.
 *
 * Not modelled (docs/divergences.md): its self-metrics (`/metrics` on the telemetry port answers
 * 404 here), the HTML landing pages at `/`, the families of resources other than deployments,
 * namespaces, nodes and pods, custom-resource state, sharding, and the informer's lag (a scrape
 * reads the API's current state).
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";
import { glogPrefix, parseGoFlags, type GoFlags } from "./goflags.ts";
import { inClusterClient } from "../incluster.ts";
import { DEFAULT_RESOURCES, MODELLED_STORES, writeResource, type Allowlists } from "./ksmstore.ts";

const VALUE_FLAGS = ["port", "telemetry-port", "host", "telemetry-host", "resources", "namespaces", "namespaces-denylist", "metric-labels-allowlist", "metric-annotations-allowlist", "metric-allowlist", "metric-denylist", "kubeconfig", "apiserver", "v", "log-file", "node", "pod", "pod-namespace", "shard", "total-shards"];
const BOOL_FLAGS = ["version", "enable-gzip-encoding", "use-apiserver-cache", "track-unscheduled-pods", "custom-resource-state-only", "auto-gomemlimit", "help"];

/** The kinds behind the default resources (what each reflector lists), for RBAC's verdict. */
const RESOURCE_KINDS: Record<string, { kind: string; type: string; group: string }> = {
  certificatesigningrequests: { kind: "CertificateSigningRequest", type: "*v1.CertificateSigningRequest", group: "certificates.k8s.io" },
  configmaps: { kind: "ConfigMap", type: "*v1.ConfigMap", group: "" },
  cronjobs: { kind: "CronJob", type: "*v1.CronJob", group: "batch" },
  daemonsets: { kind: "DaemonSet", type: "*v1.DaemonSet", group: "apps" },
  deployments: { kind: "Deployment", type: "*v1.Deployment", group: "apps" },
  endpoints: { kind: "Endpoints", type: "*v1.Endpoints", group: "" },
  horizontalpodautoscalers: { kind: "HorizontalPodAutoscaler", type: "*v2.HorizontalPodAutoscaler", group: "autoscaling" },
  ingresses: { kind: "Ingress", type: "*v1.Ingress", group: "networking.k8s.io" },
  jobs: { kind: "Job", type: "*v1.Job", group: "batch" },
  leases: { kind: "Lease", type: "*v1.Lease", group: "coordination.k8s.io" },
  limitranges: { kind: "LimitRange", type: "*v1.LimitRange", group: "" },
  mutatingwebhookconfigurations: { kind: "MutatingWebhookConfiguration", type: "*v1.MutatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
  namespaces: { kind: "Namespace", type: "*v1.Namespace", group: "" },
  networkpolicies: { kind: "NetworkPolicy", type: "*v1.NetworkPolicy", group: "networking.k8s.io" },
  nodes: { kind: "Node", type: "*v1.Node", group: "" },
  persistentvolumeclaims: { kind: "PersistentVolumeClaim", type: "*v1.PersistentVolumeClaim", group: "" },
  persistentvolumes: { kind: "PersistentVolume", type: "*v1.PersistentVolume", group: "" },
  poddisruptionbudgets: { kind: "PodDisruptionBudget", type: "*v1.PodDisruptionBudget", group: "policy" },
  pods: { kind: "Pod", type: "*v1.Pod", group: "" },
  replicasets: { kind: "ReplicaSet", type: "*v1.ReplicaSet", group: "apps" },
  replicationcontrollers: { kind: "ReplicationController", type: "*v1.ReplicationController", group: "" },
  resourcequotas: { kind: "ResourceQuota", type: "*v1.ResourceQuota", group: "" },
  secrets: { kind: "Secret", type: "*v1.Secret", group: "" },
  services: { kind: "Service", type: "*v1.Service", group: "" },
  statefulsets: { kind: "StatefulSet", type: "*v1.StatefulSet", group: "apps" },
  storageclasses: { kind: "StorageClass", type: "*v1.StorageClass", group: "storage.k8s.io" },
  validatingwebhookconfigurations: { kind: "ValidatingWebhookConfiguration", type: "*v1.ValidatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
  volumeattachments: { kind: "VolumeAttachment", type: "*v1.VolumeAttachment", group: "storage.k8s.io" },
  // Not enabled by default (`--resources` names them).
  clusterroles: { kind: "ClusterRole", type: "*v1.ClusterRole", group: "rbac.authorization.k8s.io" },
  clusterrolebindings: { kind: "ClusterRoleBinding", type: "*v1.ClusterRoleBinding", group: "rbac.authorization.k8s.io" },
  endpointslices: { kind: "EndpointSlice", type: "*v1.EndpointSlice", group: "discovery.k8s.io" },
  ingressclasses: { kind: "IngressClass", type: "*v1.IngressClass", group: "networking.k8s.io" },
  roles: { kind: "Role", type: "*v1.Role", group: "rbac.authorization.k8s.io" },
  rolebindings: { kind: "RoleBinding", type: "*v1.RoleBinding", group: "rbac.authorization.k8s.io" },
  serviceaccounts: { kind: "ServiceAccount", type: "*v1.ServiceAccount", group: "" },
};

/** builder.go's availableStores in their declaration order (the real message lists them in a Go map's order). */
const AVAILABLE = ["certificatesigningrequests", "clusterroles", "configmaps", "clusterrolebindings", "cronjobs", "daemonsets", "deployments", "endpoints", "endpointslices", "horizontalpodautoscalers", "ingresses", "ingressclasses", "jobs", "leases", "limitranges", "mutatingwebhookconfigurations", "namespaces", "networkpolicies", "nodes", "persistentvolumeclaims", "persistentvolumes", "poddisruptionbudgets", "pods", "replicasets", "replicationcontrollers", "resourcequotas", "roles", "rolebindings", "secrets", "serviceaccounts", "services", "statefulsets", "storageclasses", "validatingwebhookconfigurations", "volumeattachments"];

/** klog's structured value: a Go-quoted string. */
const q = (s: string) => JSON.stringify(s);

/** `pods=[app,team],deployments=[*]` (options.LabelsAllowList's format): the keys per resource. */
export function parseAllowlist(text: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!text) return out;
  for (const m of text.matchAll(/([a-z0-9]+)=\[([^\]]*)\]/g)) {
    out.set(m[1]!, m[2]!.split(",").map((s) => s.trim()).filter((s) => s !== ""));
  }
  return out;
}

export class KubeStateMetricsProcess extends ServerProcess {
  private client: ApiServer | undefined;
  private readonly resources: string[];
  private readonly labels: Map<string, string[]>;
  private readonly annotations: Map<string, string[]>;

  constructor(
    io: ProcessIO,
    private readonly flags: GoFlags,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
    const listed = flags.values.get("resources");
    this.resources = [...new Set(listed ? listed.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_RESOURCES)].sort();
    this.labels = parseAllowlist(flags.values.get("metric-labels-allowlist"));
    this.annotations = parseAllowlist(flags.values.get("metric-annotations-allowlist"));
  }

  protected run(): void {
    const f = this.flags;
    const now = this.io.clock.now();
    if (f.unknown.length > 0) {
      this.logErr(`Error: unknown flag: ${f.unknown[0]!.replace(/=.*$/, "")}`);
      this.exit(1);
      return;
    }
    const unknown = this.resources.find((r) => !Object.hasOwn(RESOURCE_KINDS, r));
    if (unknown !== undefined) {
      this.logErr(`${glogPrefix(now, "E", "wrapper.go:40")}"Failed to run kube-state-metrics" err="failed to set up resources: resource ${unknown} does not exist. Available resources: ${AVAILABLE.join(",")}"`);
      this.exit(1);
      return;
    }
    this.logErr(`${glogPrefix(now, "I", "server.go:194")}${f.values.has("resources") ? `"Used resources" resources=[${this.resources.join(" ")}]` : `"Used default resources"`}`);
    this.logErr(`${glogPrefix(now, "I", "types.go:195")}"Using all namespaces"`);
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(`${glogPrefix(now, "E", "wrapper.go:40")}"Failed to run kube-state-metrics" err=${q(`failed to create client: ${client.message}`)}`);
      this.exit(1);
      return;
    }
    this.client = client;
    this.logErr(`${glogPrefix(now, "I", "utils.go:70")}"Tested communication with server"`);
    this.logErr(`${glogPrefix(now, "I", "metrics_handler.go:110")}"Autosharding disabled"`);
    this.logErr(`${glogPrefix(now, "I", "builder.go:309")}"Active resources" activeStoreNames=${q(this.resources.join(","))}`);
    // The reflectors' first lists: a resource RBAC does not grant is logged as client-go logs it.
    for (const r of this.resources) {
      const err = this.listError(r);
      if (err) this.logErr(`${glogPrefix(now, "E", "reflector.go:166")}"Unhandled Error" err=${q(`k8s.io/kube-state-metrics/v2/internal/store/builder.go:610: Failed to watch ${RESOURCE_KINDS[r]!.type}: failed to list ${RESOURCE_KINDS[r]!.type}: ${err}`)} logger="UnhandledError"`);
    }
    const port = Number(f.values.get("port") ?? "8080");
    const telemetryPort = Number(f.values.get("telemetry-port") ?? "8081");
    this.logErr(`${glogPrefix(now, "I", "server.go:350")}"Started kube-state-metrics self metrics server" telemetryAddress="[::]:${telemetryPort}"`);
    this.logErr(`${glogPrefix(now, "I", "server.go:361")}"Started metrics server" metricsServerAddress="[::]:${port}"`);
    this.listen(telemetryPort, (req) => this.serveTelemetry(req.path));
    this.listen(port, (req) => this.serveMetrics(req.path));
  }

  /** Why listing a resource as the service account fails, or undefined. */
  private listError(resource: string): string | undefined {
    try {
      this.client!.list(RESOURCE_KINDS[resource]!.kind);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  private serveMetrics(raw: string): HttpAnswer {
    const path = parseRequestPath(raw).path;
    if (path === "/metrics") return { status: 200, body: this.metricsText() };
    if (path === "/healthz") return { status: 200, body: "OK" };
    if (path === "/livez") {
      // The API server's /livez, as the service account (system:public-info-viewer allows it to all).
      return this.client ? { status: 200, body: "OK" } : { status: 503, body: "Service Unavailable" };
    }
    return { status: 404, body: "404 page not found\n" };
  }

  private serveTelemetry(raw: string): HttpAnswer {
    const path = parseRequestPath(raw).path;
    if (path === "/readyz") return { status: 200, body: "OK" };
    return { status: 404, body: "404 page not found\n" };
  }

  /** `/metrics`: every modelled enabled resource's families, in resource name order. */
  metricsText(): string {
    let out = "";
    for (const r of this.resources) {
      const store = MODELLED_STORES.get(r);
      if (!store || !this.client) continue;
      let objects: never[];
      try {
        objects = this.client.list(store.kind) as never[];
      } catch {
        continue;
      }
      const key = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
      objects = [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const allow: Allowlists = { labels: this.labels.get(r) ?? [], annotations: this.annotations.get(r) ?? [] };
      out += writeResource(store, objects, allow);
    }
    return out;
  }
}

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): KubeStateMetricsProcess {
  const flags = parseGoFlags(argv.slice(1), { bool: BOOL_FLAGS, value: VALUE_FLAGS });
  return new KubeStateMetricsProcess(l.io, flags, l.pod, ctx.api);
}

export const KUBE_STATE_METRICS: ModelBehaviour = { programs: { "/kube-state-metrics": launch, "kube-state-metrics": launch } };
