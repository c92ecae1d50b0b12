/**
 * The Prometheus Operator (`quay.io/prometheus-operator/prometheus-operator`, modelled on v0.80.1:
 * cmd/operator/main.go, pkg/kubelet/controller.go), as the release's bundle.yaml runs it
 * (exercises/apps/prometheus-operator). A Kubernetes client as its service account, through RBAC
 * (../../incluster.ts):
 *
 * - at start it logs "Starting Prometheus Operator" and, once it reached the API server,
 *   "connection established" with the server's version; without a client it logs main.go's
 *   "failed to create Kubernetes client configuration" and exits 1;
 * - it serves `/metrics` and `/healthz` (200, empty) on `--web.listen-address` (`:8080`);
 * - with `--kubelet-service=<ns>/<name>` (the bundle's `kube-system/kubelet`) the kubelet
 *   endpoints controller runs: at start and every 3 minutes (resyncPeriod) it lists the nodes
 *   (`--kubelet-selector`), sorted by name, and writes the headless Service and its Endpoints (the
 *   nodes' InternalIP, else ExternalIP, with `--kubelet-node-address-priority=external` the other
 *   way round; ports https-metrics 10250, http-metrics 10255, cadvisor 4194; labels `k8s-app`,
 *   `app.kubernetes.io/name: kubelet`, `app.kubernetes.io/managed-by: prometheus-operator`), as
 *   k8sutil.CreateOrUpdateService/Endpoints do (get, then create or update);
 * - SIGTERM: "received SIGTERM, exiting gracefully...", exit 0.
 *
 * The Prometheus controller is ./prometheus.ts. Not modelled (docs/divergences.md "Prometheus
 * Operator"): Alertmanager, ThanosRuler, PrometheusAgent, ScrapeConfig and Probe objects, the
 * admission webhook paths, EndpointSlices for the kubelet (`--kubelet-endpointslice`), most metrics.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { parseGoFlags, type GoFlags } from "../goflags.ts";
import { inClusterClient } from "../../incluster.ts";
import { GIT_VERSION } from "../../../api/version.ts";
import { parseSelector } from "../../../api/labels.ts";
import { slogLine } from "./logfmt.ts";

export const OPERATOR_VERSION = "0.80.1";
/** The tag v0.80.1's commit (prometheus/common's version.Info reports it as the revision). */
const REVISION = "4126d60d8a8ae99be866cdd0d15546a4d3e9fe8b";
const RESYNC_MS = 3 * 60_000;

const BOOL_FLAGS = ["kubelet-endpoints", "kubelet-endpointslice", "web.enable-tls", "disable-unmanaged-prometheus-configuration", "version"];
const VALUE_FLAGS = [
  "kubelet-service", "kubelet-selector", "kubelet-node-address-priority", "prometheus-config-reloader", "config-reloader-cpu-request", "config-reloader-cpu-limit",
  "config-reloader-memory-request", "config-reloader-memory-limit", "web.listen-address", "log-level", "log-format", "namespaces", "deny-namespaces",
  "prometheus-instance-namespaces", "alertmanager-instance-namespaces", "thanos-ruler-instance-namespaces", "prometheus-instance-selector",
  "alertmanager-instance-selector", "thanos-ruler-instance-selector", "secret-field-selector", "labels", "annotations", "localhost", "cluster-domain",
  "apiserver", "as", "key-file", "cert-file", "ca-file", "alertmanager-default-base-image", "prometheus-default-base-image", "thanos-default-base-image",
  "kubelet-endpointslice", "feature-gates", "memlimit-ratio", "alertmanager-config-namespaces",
];

export interface OperatorFlags {
  kubeletService: string;
  kubeletSelector: string;
  addressPriority: string;
  kubeletEndpoints: boolean;
  configReloader: string;
  listen: number;
}

/** The flags main.go reads (parseFlags), with its defaults; an unknown flag is Go's flag-package error. */
export function operatorFlags(args: string[]): OperatorFlags | Error {
  const f: GoFlags = parseGoFlags(args, { bool: BOOL_FLAGS, value: VALUE_FLAGS });
  if (f.unknown.length) return new Error(`flag provided but not defined: -${f.unknown[0]!.replace(/^--?/, "").split("=")[0]}`);
  const listen = f.values.get("web.listen-address") ?? ":8080";
  const port = Number(listen.slice(listen.lastIndexOf(":") + 1));
  const priority = f.values.get("kubelet-node-address-priority") ?? "internal";
  if (priority !== "internal" && priority !== "external") return new Error(`invalid value "${priority}" for flag -kubelet-node-address-priority: invalid node address priority: ${priority}`);
  return {
    kubeletService: f.values.get("kubelet-service") ?? "",
    kubeletSelector: f.values.get("kubelet-selector") ?? "",
    addressPriority: priority,
    kubeletEndpoints: (f.values.get("kubelet-endpoints") ?? "true") !== "false",
    configReloader: f.values.get("prometheus-config-reloader") ?? `quay.io/prometheus-operator/prometheus-config-reloader:v${OPERATOR_VERSION}`,
    listen: Number.isInteger(port) && port > 0 ? port : 8080,
  };
}

interface NodeLike {
  metadata: { name?: string; uid?: string };
  apiVersion?: string;
  status?: { addresses?: Array<{ type: string; address: string }>; conditions?: Array<{ type: string; status: string }> };
}

export interface KubeletAddress {
  ip: string;
  name: string;
  uid: string;
  ready: boolean;
}

/**
 * getNodeAddresses: each node's address by the priority (InternalIP then ExternalIP, or the other
 * way), the nodes without one left out with the warning sync logs; a node whose Ready condition is
 * Unknown is dropped when another node with a known Ready condition has its address.
 */
export function kubeletAddresses(nodes: NodeLike[], priority: string): { addresses: KubeletAddress[]; warnings: string[] } {
  const sorted = [...nodes].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : (a.metadata.name ?? "") > (b.metadata.name ?? "") ? 1 : 0));
  const order = priority === "external" ? ["ExternalIP", "InternalIP"] : ["InternalIP", "ExternalIP"];
  const warnings: string[] = [];
  const all: KubeletAddress[] = [];
  const known = new Map<string, string>();
  const unknown = new Set<string>();
  for (const n of sorted) {
    const name = n.metadata.name ?? "";
    let ip = "";
    for (const t of order) {
      const a = (n.status?.addresses ?? []).find((x) => x.type === t);
      if (a) {
        ip = a.address;
        break;
      }
    }
    if (!ip) {
      warnings.push(`failed to determine hostname for node "${name}" (priority: ${priority}): host address unknown`);
      continue;
    }
    const ready = (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status !== "Unknown");
    all.push({ ip, name, uid: n.metadata.uid ?? "", ready });
    if (ready) known.set(ip, name);
    else unknown.add(ip);
  }
  return { addresses: all.filter((a) => !(known.has(a.ip) && unknown.has(a.ip) && known.get(a.ip) !== a.name)), warnings };
}

const KUBELET_LABELS = { "k8s-app": "kubelet", "app.kubernetes.io/name": "kubelet", "app.kubernetes.io/managed-by": "prometheus-operator" };
const KUBELET_PORTS = [
  { name: "https-metrics", port: 10250 },
  { name: "http-metrics", port: 10255 },
  { name: "cadvisor", port: 4194 },
];

/** The Service syncService writes. */
export function kubeletService(ns: string, name: string): KObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns, labels: { ...KUBELET_LABELS } }, spec: { type: "ClusterIP", clusterIP: "None", ports: KUBELET_PORTS.map((p) => ({ ...p })) } } as unknown as KObject;
}

/** The Endpoints syncEndpoints writes: one subset, every address (targetRef the Node), the three ports. */
export function kubeletEndpoints(ns: string, name: string, addresses: KubeletAddress[]): KObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name, namespace: ns, labels: { ...KUBELET_LABELS } },
    subsets: [{ addresses: addresses.map((a) => ({ ip: a.ip, nodeName: a.name, targetRef: { kind: "Node", name: a.name, uid: a.uid } })), ports: KUBELET_PORTS.map((p) => ({ ...p })) }],
  } as unknown as KObject;
}

/** k8sutil's mergeMetadata: the existing object's labels and annotations kept, ours win. */
function merged(have: KObject, want: KObject): KObject {
  return {
    ...want,
    metadata: {
      ...have.metadata,
      labels: { ...(have.metadata.labels ?? {}), ...(want.metadata.labels ?? {}) },
      annotations: { ...(have.metadata.annotations ?? {}), ...(want.metadata.annotations ?? {}) },
    },
  } as KObject;
}

export class PrometheusOperator extends ServerProcess {
  protected client: ApiServer | undefined;
  protected readonly unwatch: Array<() => void> = [];

  constructor(
    l: ContainerLaunch,
    protected readonly flags: OperatorFlags,
    protected readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
  }

  protected logAt(level: "debug" | "info" | "warn" | "error", caller: string, msg: string, attrs: Array<[string, string]> = []): void {
    this.log(slogLine(this.io.clock.now(), level, caller, msg, attrs));
  }

  protected run(): void {
    this.logAt("info", "cmd/operator/main.go:214", "Starting Prometheus Operator", [
      ["version", `(version=${OPERATOR_VERSION}, branch=, revision=${REVISION})`],
      ["build_context", "(go=go1.23.6, platform=linux/amd64, user=, date=, tags=unknown)"],
      ["feature_gates", "PrometheusAgentDaemonSet=false"],
    ]);
    this.logAt("info", "cmd/operator/main.go:227", "namespaces filtering configuration ", [["config", "{allow_list=\"\",deny_list=\"\",prometheus_allow_list=\"\",alertmanager_allow_list=\"\",alertmanagerconfig_allow_list=\"\",thanosruler_allow_list=\"\"}"]]);
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logAt("error", "cmd/operator/main.go:242", "failed to create Kubernetes client configuration", [["err", client.message]]);
      return this.exit(1);
    }
    this.client = client;
    this.logAt("info", "cmd/operator/main.go:268", "connection established", [["kubernetes_version", GIT_VERSION.replace(/^v/, "")]]);
    this.startControllers();
    this.listen(this.flags.listen, (req) => {
      const p = parseRequestPath(req.path).path;
      if (p === "/healthz") return { status: 200, body: "" };
      if (p === "/metrics") return { status: 200, body: this.metrics() };
      return { status: 404, body: "404 page not found\n" };
    });
    this.logAt("info", "pkg/server/server.go:293", "starting insecure server", [["address", `[::]:${this.flags.listen}`]]);
    if (this.flags.kubeletService) this.startKubeletController();
  }

  /** The custom resources' controllers (./prometheus.ts adds the Prometheus one). */
  protected startControllers(): void {}

  protected metrics(): string {
    return [
      "# HELP prometheus_operator_build_info A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus_operator was built, and the goos and goarch for the build.",
      "# TYPE prometheus_operator_build_info gauge",
      `prometheus_operator_build_info{branch="",goarch="amd64",goos="linux",goversion="go1.23.6",revision="${REVISION}",tags="unknown",version="${OPERATOR_VERSION}"} 1`,
      "",
    ].join("\n");
  }

  override stopSignal(): void {
    if (this.running) this.logAt("info", "cmd/operator/main.go:642", "received SIGTERM, exiting gracefully...");
    super.stopSignal();
  }

  override exit(code: number): void {
    for (const u of this.unwatch.splice(0)) u();
    super.exit(code);
  }

  private startKubeletController(): void {
    const parts = this.flags.kubeletService.split("/");
    if (parts.length !== 2) {
      this.logAt("error", "cmd/operator/main.go:535", `malformatted kubelet object string "${this.flags.kubeletService}", must be in format "namespace/name"`);
      return this.exit(1);
    }
    if (!this.flags.kubeletEndpoints) {
      this.logAt("error", "cmd/operator/main.go:581", "instantiating kubelet endpoints controller failed", [["err", "at least one of endpoints or endpointslice needs to be enabled"]]);
      return this.exit(1);
    }
    const [ns, name] = parts as [string, string];
    this.logAt("info", "pkg/kubelet/controller.go:204", "Starting controller", [["component", "kubelet_endpoints"], ["kubelet_object", `${ns}/${name}`]]);
    const tick = () => {
      if (!this.running) return;
      this.syncKubelet(ns, name);
      this.after(RESYNC_MS, tick);
    };
    tick();
  }

  private syncKubelet(ns: string, name: string): void {
    const client = this.client!;
    const attrs: Array<[string, string]> = [["component", "kubelet_endpoints"], ["kubelet_object", `${ns}/${name}`]];
    let nodes: NodeLike[];
    try {
      const sel = this.flags.kubeletSelector ? parseSelector(this.flags.kubeletSelector) : undefined;
      nodes = client.list("Node", sel ? { labelSelector: (l) => sel.matches(l) } : {}) as unknown as NodeLike[];
    } catch (e) {
      return this.logAt("error", "pkg/kubelet/controller.go:370", "Failed to list nodes", [...attrs, ["err", (e as Error).message]]);
    }
    const { addresses, warnings } = kubeletAddresses(nodes, this.flags.addressPriority);
    for (const w of warnings) this.logAt("warn", "pkg/kubelet/controller.go:382", w, attrs);
    for (const a of addresses) if (!a.ready) this.logAt("info", "pkg/kubelet/controller.go:337", "Node Ready condition is Unknown", [...attrs, ["node", a.name]]);
    try {
      this.createOrUpdate(kubeletService(ns, name), (have, want) => {
        const spec = (want as unknown as { spec: Record<string, unknown> }).spec;
        const old = (have as unknown as { spec?: Record<string, unknown> }).spec ?? {};
        for (const k of ["ipFamilies", "ipFamilyPolicy", "clusterIP", "clusterIPs"]) if (old[k] !== undefined) spec[k] = old[k];
        return merged(have, want);
      });
    } catch (e) {
      this.logAt("error", "pkg/kubelet/controller.go:389", "Failed to synchronize kubelet service", [...attrs, ["err", (e as Error).message]]);
    }
    try {
      this.createOrUpdate(kubeletEndpoints(ns, name, addresses), merged);
    } catch (e) {
      this.logAt("error", "pkg/kubelet/controller.go:396", "Failed to synchronize kubelet endpoints", [...attrs, ["err", (e as Error).message]]);
    }
  }

  /** k8sutil's CreateOrUpdate*: get; create when absent, else update the merged object. */
  protected createOrUpdate(want: KObject, merge: (have: KObject, want: KObject) => KObject): KObject {
    const client = this.client!;
    const have = client.get(want.kind, want.metadata.namespace, want.metadata.name ?? "");
    if (!have) return client.create(want);
    return client.update({ ...merge(have, want), metadata: { ...merge(have, want).metadata, resourceVersion: have.metadata.resourceVersion } } as KObject);
  }
}

export function launchOperator(argv: string[], l: ContainerLaunch, ctx: ProgramContext, make = (l2: ContainerLaunch, f: OperatorFlags, pod: Pod, api: ApiServer | undefined): PrometheusOperator => new PrometheusOperator(l2, f, pod, api)): ContainerProcess {
  const flags = operatorFlags(argv.slice(1));
  if (flags instanceof Error) return failing(l, `${flags.message}\n`);
  return make(l, flags, l.pod, ctx.api);
}

/** Go's flag package: the error and the usage on stderr, exit 2. */
function failing(l: ContainerLaunch, text: string): ContainerProcess {
  return new (class extends ServerProcess {
    protected run(): void {
      this.logErr(text);
      this.exit(2);
    }
  })(l.io);
}
