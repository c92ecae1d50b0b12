/**
 * The operator's Prometheus controller (pkg/prometheus/server/operator.go sync and UpdateStatus,
 * statefulset.go makeStatefulSet, pkg/prometheus/common.go, pkg/operator/config_reloader.go at
 * v0.80.1), as far as the Getting Started needs. For each `Prometheus` it writes, owned by it:
 *
 * - the rule files ConfigMap `prometheus-<name>-rulefiles-0` (empty: PrometheusRules are not modelled);
 * - the configuration Secret `prometheus-<name>` with `prometheus.yaml.gz`, the gzipped
 *   configuration (./promcfg.ts) of the ServiceMonitors and PodMonitors the Prometheus selects
 *   (`serviceMonitorSelector` / `podMonitorSelector`, in the namespaces of
 *   `serviceMonitorNamespaceSelector` / `podMonitorNamespaceSelector`: none given, its own
 *   namespace; `{}`, every namespace). With neither selector (nor probe or scrapeConfig selectors)
 *   the configuration is unmanaged: an empty Secret, created once;
 * - `prometheus-<name>-tls-assets-0` (empty), `prometheus-<name>-web-config` (an empty
 *   `web-config.yaml`) and `prometheus-<name>-thanos-prometheus-http-client-file`;
 * - the governing Service `prometheus-operated` (headless, `web` 9090, selecting
 *   `app.kubernetes.io/name: prometheus`, label `operated-prometheus: "true"`);
 * - the StatefulSet `prometheus-<name>`: the `prometheus` container (the image
 *   `quay.io/prometheus/prometheus:v3.1.0` unless `image`/`version` say otherwise, its args, the
 *   `/-/ready` startup and readiness probes and `/-/healthy` liveness probe on `web`), the
 *   `config-reloader` sidecar and the `init-config-reloader` init container
 *   (`--prometheus-config-reloader`'s image, 10m CPU and 50Mi memory), the volumes, 600 s grace;
 * - the status: `Available` (True, or False `NoPodReady` / Degraded `SomePodsNotReady` with the pods'
 *   messages) and `Reconciled` conditions, the replica counts, `shardStatuses`, `selector`, `shards`.
 *
 * A monitor using a field promcfg.ts does not generate is left out of the configuration with a
 * warning naming the field (docs/divergences.md "Prometheus Operator"). Spec fields of the
 * Prometheus the StatefulSet does not carry are listed there too.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { KObject } from "../../../api/types.ts";
import { labelSelectorMatches, type LabelSelector } from "../../../api/labels.ts";
import { PrometheusOperator } from "./operator.ts";
import { generateServerConfiguration, unsupportedFields, type MonitorObject, type PrometheusObject } from "./promcfg.ts";

export const PROMETHEUSES = "prometheuses.monitoring.coreos.com";
export const SERVICE_MONITORS = "servicemonitors.monitoring.coreos.com";
export const POD_MONITORS = "podmonitors.monitoring.coreos.com";
export const DEFAULT_PROMETHEUS_VERSION = "v3.1.0";
const MANAGED = { "app.kubernetes.io/managed-by": "prometheus-operator" };

type Spec = NonNullable<PrometheusObject["spec"]> & {
  serviceMonitorSelector?: LabelSelector | null;
  serviceMonitorNamespaceSelector?: LabelSelector | null;
  podMonitorSelector?: LabelSelector | null;
  podMonitorNamespaceSelector?: LabelSelector | null;
  probeSelector?: LabelSelector | null;
  scrapeConfigSelector?: LabelSelector | null;
  replicas?: number;
  shards?: number;
  serviceAccountName?: string;
  image?: string;
  version?: string;
  paused?: boolean;
  retention?: string;
  resources?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  securityContext?: Record<string, unknown>;
};
type Prom = KObject & PrometheusObject & { spec?: Spec };

/** GzipConfig: nothing for an empty configuration, else gzip with Go's header (no time, OS unknown). */
export function gzipConfig(text: string): Buffer {
  if (!text) return Buffer.alloc(0);
  const gz = gzipSync(Buffer.from(text, "utf8"));
  gz[9] = 255;
  return gz;
}

const selectorLabels = (name: string): Record<string, string> => ({
  "app.kubernetes.io/instance": name,
  "app.kubernetes.io/managed-by": "prometheus-operator",
  "app.kubernetes.io/name": "prometheus",
  "operator.prometheus.io/name": name,
  prometheus: name,
});

const owner = (p: Prom, controller: boolean) => ({ apiVersion: "monitoring.coreos.com/v1", ...(controller ? { blockOwnerDeletion: true, controller: true } : {}), kind: "Prometheus", name: p.metadata.name, uid: p.metadata.uid });

/** The image: `spec.image`, else quay.io/prometheus/prometheus at `spec.version` (the operator's default v3.1.0). */
export function prometheusImage(p: Prom): string {
  if (p.spec?.image) return p.spec.image;
  const v = p.spec?.version || DEFAULT_PROMETHEUS_VERSION;
  return `quay.io/prometheus/prometheus:${v.startsWith("v") ? v : `v${v}`}`;
}

/** makeStatefulSet for shard 0 (the default case: no storage, no TLS, no Thanos, HTTP reload). */
export function makeStatefulSet(p: Prom, reloaderImage: string, inputHash: string): KObject {
  const name = p.metadata.name ?? "";
  const version = (p.spec?.version || DEFAULT_PROMETHEUS_VERSION).replace(/^v/, "");
  const podSelector = { ...selectorLabels(name), "operator.prometheus.io/shard": "0" };
  const reloaderMounts = [
    { mountPath: "/etc/prometheus/config", name: "config" },
    { mountPath: "/etc/prometheus/config_out", name: "config-out" },
    { mountPath: `/etc/prometheus/rules/prometheus-${name}-rulefiles-0`, name: `prometheus-${name}-rulefiles-0` },
  ];
  const reloader = (init: boolean) => ({
    args: [
      ...(init ? ["--watch-interval=0"] : []),
      `--listen-address=:${init ? 8081 : 8080}`,
      ...(init ? [] : ["--reload-url=http://localhost:9090/-/reload"]),
      "--config-file=/etc/prometheus/config/prometheus.yaml.gz",
      "--config-envsubst-file=/etc/prometheus/config_out/prometheus.env.yaml",
      `--watched-dir=/etc/prometheus/rules/prometheus-${name}-rulefiles-0`,
    ],
    command: ["/bin/prometheus-config-reloader"],
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "SHARD", value: "0" },
    ],
    image: reloaderImage,
    name: init ? "init-config-reloader" : "config-reloader",
    ports: [{ containerPort: init ? 8081 : 8080, name: "reloader-web", protocol: "TCP" }],
    resources: { limits: { cpu: "10m", memory: "50Mi" }, requests: { cpu: "10m", memory: "50Mi" } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
    terminationMessagePolicy: "FallbackToLogsOnError",
    volumeMounts: reloaderMounts.map((m) => ({ ...m })),
  });
  const ready = { httpGet: { path: "/-/ready", port: "web" }, timeoutSeconds: 3 };
  const prometheus = {
    args: [
      "--web.console.templates=/etc/prometheus/consoles",
      "--web.console.libraries=/etc/prometheus/console_libraries",
      "--config.file=/etc/prometheus/config_out/prometheus.env.yaml",
      "--web.enable-lifecycle",
      "--web.route-prefix=/",
      `--storage.tsdb.retention.time=${p.spec?.retention || "24h"}`,
      "--storage.tsdb.path=/prometheus",
      "--web.config.file=/etc/prometheus/web_config/web-config.yaml",
    ],
    image: prometheusImage(p),
    livenessProbe: { failureThreshold: 6, httpGet: { path: "/-/healthy", port: "web" }, periodSeconds: 5, timeoutSeconds: 3 },
    name: "prometheus",
    ports: [{ containerPort: 9090, name: "web", protocol: "TCP" }],
    readinessProbe: { failureThreshold: 3, ...ready, periodSeconds: 5 },
    ...(p.spec?.resources ? { resources: p.spec.resources } : {}),
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
    startupProbe: { failureThreshold: 60, ...ready, periodSeconds: 15 },
    terminationMessagePolicy: "FallbackToLogsOnError",
    volumeMounts: [
      { mountPath: "/etc/prometheus/config_out", name: "config-out", readOnly: true },
      { mountPath: "/etc/prometheus/certs", name: "tls-assets", readOnly: true },
      { mountPath: "/prometheus", name: `prometheus-${name}-db` },
      { mountPath: `/etc/prometheus/rules/prometheus-${name}-rulefiles-0`, name: `prometheus-${name}-rulefiles-0` },
      { mountPath: "/etc/prometheus/web_config/web-config.yaml", name: "web-config", readOnly: true, subPath: "web-config.yaml" },
    ],
  };
  const labels: Record<string, string> = { ...(p.metadata.labels ?? {}), ...MANAGED, "operator.prometheus.io/mode": "server", "operator.prometheus.io/name": name, "operator.prometheus.io/shard": "0" };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata.annotations ?? {})) if (!k.startsWith("kubectl.kubernetes.io/")) annotations[k] = v;
  annotations["prometheus-operator-input-hash"] = inputHash;
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: `prometheus-${name}`, namespace: p.metadata.namespace, labels, annotations, ownerReferences: [owner(p, true)] },
    spec: {
      podManagementPolicy: "Parallel",
      replicas: p.spec?.replicas ?? 1,
      selector: { matchLabels: podSelector },
      serviceName: "prometheus-operated",
      template: {
        metadata: { annotations: { "kubectl.kubernetes.io/default-container": "prometheus" }, labels: { ...podSelector, "app.kubernetes.io/version": version } },
        spec: {
          automountServiceAccountToken: true,
          containers: [prometheus, reloader(false)],
          initContainers: [reloader(true)],
          ...(p.spec?.nodeSelector ? { nodeSelector: p.spec.nodeSelector } : {}),
          ...(p.spec?.securityContext ? { securityContext: p.spec.securityContext } : {}),
          ...(p.spec?.serviceAccountName ? { serviceAccountName: p.spec.serviceAccountName } : {}),
          shareProcessNamespace: false,
          terminationGracePeriodSeconds: 600,
          volumes: [
            { name: "config", secret: { secretName: `prometheus-${name}` } },
            { name: "tls-assets", projected: { sources: [{ secret: { name: `prometheus-${name}-tls-assets-0` } }] } },
            { emptyDir: { medium: "Memory" }, name: "config-out" },
            { configMap: { name: `prometheus-${name}-rulefiles-0` }, name: `prometheus-${name}-rulefiles-0` },
            { name: "web-config", secret: { secretName: `prometheus-${name}-web-config` } },
            { emptyDir: {}, name: `prometheus-${name}-db` },
          ],
        },
      },
      updateStrategy: { type: "RollingUpdate" },
    },
  } as unknown as KObject;
}

interface PodLike {
  metadata: { name?: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; message?: string }> };
}

const podReady = (p: PodLike) => p.status?.phase === "Running" && (p.status.conditions ?? []).find((c) => c.type === "Ready")?.status === "True";
function podMessage(p: PodLike): string {
  for (const t of ["PodScheduled", "Initialized", "ContainersReady", "Ready"]) {
    const c = (p.status?.conditions ?? []).find((x) => x.type === t && x.status === "False");
    if (c) return c.message ?? "";
  }
  return "";
}

export class PrometheusOperatorWithPrometheus extends PrometheusOperator {
  private readonly reconciled = new Map<string, { ok: boolean; reason: string; message: string }>();
  private readonly queue = new Set<string>();
  private queued = false;

  protected override startControllers(): void {
    const client = this.client!;
    const all = () => {
      for (const p of client.list(PROMETHEUSES) as Prom[]) this.enqueue(`${p.metadata.namespace}/${p.metadata.name}`);
    };
    this.unwatch.push(client.watch(PROMETHEUSES, (ev) => this.enqueue(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`)));
    for (const key of [SERVICE_MONITORS, POD_MONITORS, "Namespace"]) this.unwatch.push(client.watch(key, () => all()));
    const byOwner = (o: KObject) => {
      const ref = (o.metadata.ownerReferences ?? []).find((r) => r.kind === "StatefulSet" || r.kind === "Prometheus");
      if (!ref) return;
      if (ref.kind === "Prometheus") this.enqueue(`${o.metadata.namespace}/${ref.name}`);
      else if (ref.name.startsWith("prometheus-")) this.enqueue(`${o.metadata.namespace}/${ref.name.slice("prometheus-".length)}`);
    };
    this.unwatch.push(client.watch("StatefulSet", (ev) => byOwner(ev.object as KObject)));
    this.logAt("info", "pkg/prometheus/server/operator.go:496", "successfully synced all caches", [["component", "prometheus-controller"]]);
    all();
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    if (this.queued || !this.running) return;
    this.queued = true;
    this.after(0, () => {
      this.queued = false;
      const keys = [...this.queue].sort();
      this.queue.clear();
      for (const k of keys) if (this.running) this.sync(k);
    });
  }

  private sync(key: string): void {
    const client = this.client!;
    const [ns, name] = key.split("/") as [string, string];
    const p = client.get(PROMETHEUSES, ns, name) as Prom | undefined;
    if (!p) return void this.reconciled.delete(key);
    if (p.metadata.deletionTimestamp) return;
    if (p.spec?.paused) return this.logAt("info", "pkg/prometheus/server/operator.go:763", "the resource is paused, not reconciling", [["component", "prometheus-controller"], ["key", key]]);
    try {
      this.reconcile(p, key);
      this.reconciled.set(key, { ok: true, reason: "", message: "" });
    } catch (e) {
      const message = (e as Error).message;
      this.logAt("error", "pkg/operator/resource_reconciler.go:420", "Unhandled Error", [["component", "prometheus-controller"], ["err", `sync "${key}" failed: ${message}`]]);
      this.reconciled.set(key, { ok: false, reason: "ReconciliationFailed", message });
    }
    this.updateStatus(key);
  }

  private written = new Map<string, string>();

  private reconcile(p: Prom, key: string): void {
    const name = p.metadata.name ?? "";
    const ns = p.metadata.namespace ?? "default";
    const attrs: Array<[string, string]> = [["component", "prometheus-controller"], ["key", key]];
    const lastSync = this.written.get(`sync/${key}`);
    const gen = String(p.metadata.generation ?? 1);
    if (lastSync !== gen) this.logAt("info", "pkg/prometheus/server/operator.go:767", "sync prometheus", attrs);
    this.written.set(`sync/${key}`, gen);
    const ctrl = [owner(p, true)];
    const rulesLabels = { ...MANAGED, "prometheus-name": name };
    this.ensure({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `prometheus-${name}-rulefiles-0`, namespace: ns, labels: rulesLabels, ownerReferences: ctrl }, data: {} } as unknown as KObject);

    const spec = p.spec ?? {};
    const unmanaged = spec.serviceMonitorSelector == null && spec.podMonitorSelector == null && spec.probeSelector == null && spec.scrapeConfigSelector == null;
    const configName = `prometheus-${name}`;
    if (unmanaged) {
      if (!this.client!.get("Secret", ns, configName)) this.client!.create({ apiVersion: "v1", kind: "Secret", metadata: { name: configName, namespace: ns, labels: { ...MANAGED }, ownerReferences: ctrl }, data: { "prometheus.yaml.gz": "" } } as unknown as KObject);
    } else {
      const text = generateServerConfiguration(p, this.select(p, SERVICE_MONITORS, spec.serviceMonitorSelector, spec.serviceMonitorNamespaceSelector, "ServiceMonitor"), this.select(p, POD_MONITORS, spec.podMonitorSelector, spec.podMonitorNamespaceSelector, "PodMonitor"));
      if (this.written.get(`config/${key}`) !== text || !this.client!.get("Secret", ns, configName)) {
        this.ensure({ apiVersion: "v1", kind: "Secret", metadata: { name: configName, namespace: ns, labels: { ...MANAGED }, ownerReferences: ctrl }, data: { "prometheus.yaml.gz": gzipConfig(text).toString("base64") } } as unknown as KObject);
        this.written.set(`config/${key}`, text);
      }
    }
    this.ensure({ apiVersion: "v1", kind: "Secret", metadata: { name: `prometheus-${name}-tls-assets-0`, namespace: ns, labels: { ...MANAGED }, ownerReferences: ctrl }, data: {} } as unknown as KObject);
    this.ensure({ apiVersion: "v1", kind: "Secret", metadata: { name: `prometheus-${name}-web-config`, namespace: ns, labels: { ...MANAGED }, ownerReferences: ctrl }, data: { "web-config.yaml": "" } } as unknown as KObject);
    this.ensure({ apiVersion: "v1", kind: "Secret", metadata: { name: `prometheus-${name}-thanos-prometheus-http-client-file`, namespace: ns, labels: { ...MANAGED }, ownerReferences: ctrl }, data: { "prometheus.http-client-file.yaml": Buffer.from("tls_config:\n  insecure_skip_verify: true\n").toString("base64") } } as unknown as KObject);
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "prometheus-operated", namespace: ns, labels: { ...MANAGED, "operated-prometheus": "true" }, ownerReferences: [owner(p, false)] }, spec: { clusterIP: "None", ports: [{ name: "web", port: 9090, targetPort: "web" }], selector: { "app.kubernetes.io/name": "prometheus" } } } as unknown as KObject;
    const haveSvc = this.client!.get("Service", ns, "prometheus-operated");
    if (!haveSvc) this.client!.create(svc);
    else {
      const refs = haveSvc.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === p.metadata.uid)) this.client!.update({ ...haveSvc, metadata: { ...haveSvc.metadata, ownerReferences: [...refs, owner(p, false)] } } as KObject);
    }
    const hashInput = JSON.stringify([p.metadata.generation, p.metadata.labels, p.metadata.annotations, this.flags.configReloader]);
    const hash = BigInt(`0x${createHash("sha256").update(hashInput).digest("hex").slice(0, 16)}`).toString();
    const want = makeStatefulSet(p, this.flags.configReloader, hash);
    const have = this.client!.get("StatefulSet", ns, `prometheus-${name}`);
    if (!have) this.client!.create(want);
    else if (have.metadata.annotations?.["prometheus-operator-input-hash"] !== hash) {
      this.client!.update({ ...(want as object), metadata: { ...have.metadata, labels: want.metadata.labels, annotations: { ...(have.metadata.annotations ?? {}), ...want.metadata.annotations }, ownerReferences: want.metadata.ownerReferences }, status: (have as { status?: unknown }).status } as unknown as KObject);
    }
  }

  /** k8sutil's CreateOrUpdateSecret / ConfigMap: create, or update the data when it changed. */
  private ensure(obj: KObject): void {
    const client = this.client!;
    const have = client.get(obj.kind, obj.metadata.namespace, obj.metadata.name ?? "") as (KObject & { data?: Record<string, string> }) | undefined;
    const data = (obj as { data?: Record<string, string> }).data ?? {};
    if (!have) return void client.create(obj);
    if (JSON.stringify(have.data ?? {}) === JSON.stringify(data)) return;
    client.update({ ...have, data } as KObject);
  }

  /** The monitors of this kind the Prometheus selects (ResourceSelector), keyed `<namespace>/<name>`. */
  private select(p: Prom, key: string, sel: LabelSelector | null | undefined, nsSel: LabelSelector | null | undefined, kind: "ServiceMonitor" | "PodMonitor"): Map<string, MonitorObject> {
    const out = new Map<string, MonitorObject>();
    if (sel == null) return out;
    const ns = p.metadata.namespace ?? "default";
    let namespaces: Set<string> | undefined = new Set([ns]);
    if (nsSel != null) {
      namespaces = new Set((this.client!.list("Namespace") as KObject[]).filter((n) => labelSelectorMatches(nsSel, n.metadata.labels ?? {})).map((n) => n.metadata.name ?? ""));
    }
    for (const m of this.client!.list(key) as unknown as MonitorObject[]) {
      if (!namespaces.has(m.metadata.namespace ?? "")) continue;
      if (!labelSelectorMatches(sel, m.metadata.labels ?? {})) continue;
      const bad = unsupportedFields(m, kind);
      const id = `${m.metadata.namespace}/${m.metadata.name}`;
      if (bad.length) {
        const mark = `skip/${id}/${bad.join(",")}`;
        if (!this.written.has(mark)) this.logAt("warn", "pkg/prometheus/resource_selector.go:0", `skipping ${kind.toLowerCase()}: not modelled by kube-scenario`, [["component", "prometheus-controller"], [kind.toLowerCase(), id], ["fields", bad.join(",")]]);
        this.written.set(mark, "");
        continue;
      }
      out.set(id, m);
    }
    return out;
  }

  /** UpdateStatus: the StatefulSet's pods as StatusReporter.Process counts them, written to the status subresource. */
  private updateStatus(key: string): void {
    const client = this.client!;
    const [ns, name] = key.split("/") as [string, string];
    const p = client.get(PROMETHEUSES, ns, name) as Prom | undefined;
    if (!p) return;
    const now = new Date(this.io.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const gen = p.metadata.generation ?? 1;
    const replicas = p.spec?.replicas ?? 1;
    const sset = client.get("StatefulSet", ns, `prometheus-${name}`) as (KObject & { spec?: { selector?: LabelSelector }; status?: { updateRevision?: string } }) | undefined;
    let status = "True";
    let reason = "";
    const messages: string[] = [];
    const counts = { replicas: 0, updatedReplicas: 0, availableReplicas: 0, unavailableReplicas: 0 };
    if (!sset) {
      status = "False";
      reason = "StatefulSetNotFound";
      messages.push(`shard 0: statefulset prometheus-${name} not found`);
    } else {
      const pods = (client.list("Pod", { namespace: ns }) as unknown as PodLike[]).filter((x) => labelSelectorMatches(sset.spec?.selector, x.metadata.labels ?? {}) && (x.metadata.ownerReferences ?? []).some((o) => o.kind === "StatefulSet" && o.name === sset.metadata.name));
      const ready = pods.filter(podReady).length;
      counts.replicas = pods.length;
      counts.updatedReplicas = pods.filter((x) => x.metadata.labels?.["controller-revision-hash"] === sset.status?.updateRevision).length;
      counts.availableReplicas = ready;
      counts.unavailableReplicas = pods.length - ready;
      if (ready < replicas) {
        if (ready === 0) {
          status = "False";
          reason = "NoPodReady";
        } else {
          status = "Degraded";
          reason = "SomePodsNotReady";
        }
        for (const x of pods) {
          const m = podMessage(x);
          if (m) messages.push(`shard 0: pod ${x.metadata.name}: ${m}`);
        }
      }
    }
    const rec = this.reconciled.get(key);
    const old = ((p as { status?: { conditions?: Array<{ type: string; status: string; lastTransitionTime: string }> } }).status?.conditions ?? []);
    const since = (type: string, st: string) => old.find((c) => c.type === type && c.status === st)?.lastTransitionTime ?? now;
    const available = { type: "Available", status, ...(reason ? { reason } : {}), ...(messages.length ? { message: messages.join("\n") } : {}), observedGeneration: gen };
    const reconciledStatus = !rec ? "Unknown" : rec.ok ? "True" : "False";
    const reconciled = { type: "Reconciled", status: reconciledStatus, ...(rec?.reason ? { reason: rec.reason } : !rec ? { reason: "NotFound" } : {}), ...(rec?.message ? { message: rec.message } : !rec ? { message: `object "${key}" not found` } : {}), observedGeneration: gen };
    const next = {
      availableReplicas: counts.availableReplicas,
      conditions: [
        { ...available, lastTransitionTime: since("Available", status) },
        { ...reconciled, lastTransitionTime: since("Reconciled", reconciledStatus) },
      ],
      paused: p.spec?.paused ?? false,
      replicas: counts.replicas,
      selector: Object.entries(selectorLabels(name)).map(([k, v]) => `${k}=${v}`).join(","),
      shardStatuses: [{ availableReplicas: counts.availableReplicas, replicas: counts.replicas, shardID: "0", unavailableReplicas: counts.unavailableReplicas, updatedReplicas: counts.updatedReplicas }],
      shards: p.spec?.shards ?? 1,
      unavailableReplicas: counts.unavailableReplicas,
      updatedReplicas: counts.updatedReplicas,
    };
    const cur = JSON.stringify((p as { status?: unknown }).status ?? {});
    if (cur === JSON.stringify(next)) return;
    try {
      client.update({ ...p, status: next } as unknown as KObject, { subresource: "status" });
    } catch (e) {
      this.logAt("error", "pkg/prometheus/server/operator.go:990", "failed to apply prometheus status subresource", [["component", "prometheus-controller"], ["err", (e as Error).message]]);
    }
  }
}
