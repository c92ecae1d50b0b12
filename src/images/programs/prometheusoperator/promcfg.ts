/**
 * The Prometheus configuration the operator generates for a Prometheus object (pkg/prometheus/
 * promcfg.go at v0.80.1, GenerateServerConfiguration): the global section, then one scrape job per
 * endpoint of each selected ServiceMonitor (sorted by `<namespace>/<name>`), then per endpoint of
 * each selected PodMonitor, written as go-yaml v2 writes the generator's MapSlices (keys in the
 * order they were appended). The fields ported are those of the plain case: the selector
 * (`matchLabels`, `matchExpressions`, turned into keep/drop relabelings), `namespaceSelector`
 * (`any`, `matchNames`), an endpoint's `port` / `targetPort` (PodMonitor: `port`, `portNumber`),
 * `interval`, `scrapeTimeout`, `path`, `scheme`, `honorLabels`, `filterRunning`, the monitor's
 * `jobLabel`, `targetLabels` and `podTargetLabels`, the Prometheus's `scrapeInterval`,
 * `scrapeTimeout`, `evaluationInterval`, `externalLabels` and `podTargetLabels`. A monitor using
 * anything else (TLS, authentication, relabelings, limits …) is refused with the field named
 * (unsupportedFields), never turned into a job that drops it. Checked against the tag's golden files
 * (./testdata).
 */
import { goYAML } from "../../../api/goyaml.ts";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
export interface MonitorObject {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown> & {
    selector?: Selector;
    namespaceSelector?: { any?: boolean; matchNames?: string[] };
    endpoints?: Array<Record<string, unknown>>;
    podMetricsEndpoints?: Array<Record<string, unknown>>;
    jobLabel?: string;
    targetLabels?: string[];
    podTargetLabels?: string[];
  };
}
export interface PrometheusObject {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; uid?: string; generation?: number };
  spec?: Record<string, unknown> & {
    scrapeInterval?: string;
    scrapeTimeout?: string;
    evaluationInterval?: string;
    externalLabels?: Record<string, string>;
    podTargetLabels?: string[];
    replicaExternalLabelName?: string;
    prometheusExternalLabelName?: string;
  };
}

type Item = Record<string, unknown>;

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");
const sortedKeys = (m: Record<string, unknown>) => Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const MONITOR_SPEC = new Set(["selector", "namespaceSelector", "endpoints", "podMetricsEndpoints", "jobLabel", "targetLabels", "podTargetLabels", "selectorMechanism"]);
const SERVICE_ENDPOINT = new Set(["port", "targetPort", "interval", "scrapeTimeout", "path", "scheme", "honorLabels", "filterRunning"]);
const POD_ENDPOINT = new Set(["port", "portNumber", "targetPort", "interval", "scrapeTimeout", "path", "scheme", "honorLabels", "filterRunning"]);

/** The fields of a monitor this model does not turn into configuration (empty: all are modelled). */
export function unsupportedFields(m: MonitorObject, kind: "ServiceMonitor" | "PodMonitor"): string[] {
  const out: string[] = [];
  const spec = m.spec ?? {};
  for (const k of Object.keys(spec)) if (!MONITOR_SPEC.has(k)) out.push(`spec.${k}`);
  if (spec.selectorMechanism !== undefined && spec.selectorMechanism !== "RelabelConfig") out.push("spec.selectorMechanism");
  const eps = kind === "ServiceMonitor" ? (spec.endpoints ?? []) : (spec.podMetricsEndpoints ?? []);
  const allowed = kind === "ServiceMonitor" ? SERVICE_ENDPOINT : POD_ENDPOINT;
  const field = kind === "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints";
  eps.forEach((ep, i) => {
    for (const k of Object.keys(ep)) if (!allowed.has(k)) out.push(`spec.${field}[${i}].${k}`);
  });
  return out;
}

function namespaces(m: MonitorObject): string[] {
  const sel = m.spec?.namespaceSelector ?? {};
  if (sel.any) return [];
  if (!sel.matchNames?.length) return [m.metadata.namespace ?? "default"];
  return sel.matchNames;
}

function sdConfig(m: MonitorObject, role: string): Item {
  const sd: Item = { role };
  const ns = namespaces(m);
  if (ns.length) sd.namespaces = { names: ns };
  return { kubernetes_sd_configs: [sd] };
}

function selectorRelabelings(sel: Selector | undefined, meta: "service" | "pod"): Item[] {
  const out: Item[] = [];
  const label = (k: string) => `__meta_kubernetes_${meta}_label_${sanitize(k)}`;
  const present = (k: string) => `__meta_kubernetes_${meta}_labelpresent_${sanitize(k)}`;
  const ml = sel?.matchLabels ?? {};
  for (const k of sortedKeys(ml)) out.push({ action: "keep", source_labels: [label(k), present(k)], regex: `(${ml[k]});true` });
  for (const e of sel?.matchExpressions ?? []) {
    const values = (e.values ?? []).join("|");
    if (e.operator === "In") out.push({ action: "keep", source_labels: [label(e.key), present(e.key)], regex: `(${values});true` });
    else if (e.operator === "NotIn") out.push({ action: "drop", source_labels: [label(e.key), present(e.key)], regex: `(${values});true` });
    else if (e.operator === "Exists") out.push({ action: "keep", source_labels: [present(e.key)], regex: "true" });
    else if (e.operator === "DoesNotExist") out.push({ action: "drop", source_labels: [present(e.key)], regex: "true" });
  }
  return out;
}

const RUNNING_FILTER: Item = { action: "drop", source_labels: ["__meta_kubernetes_pod_phase"], regex: "(Failed|Succeeded)" };

function sharding(shards: number): Item[] {
  return [
    { source_labels: ["__address__", "__tmp_hash"], target_label: "__tmp_hash", regex: "(.+);", replacement: "$1", action: "replace" },
    { source_labels: ["__tmp_hash"], target_label: "__tmp_hash", modulus: shards, action: "hashmod" },
    { source_labels: ["__tmp_hash"], regex: "$(SHARD)", action: "keep" },
  ];
}

const labelCopy = (source: string, target: string): Item => ({ source_labels: [source], target_label: sanitize(target), regex: "(.+)", replacement: "${1}" });

/** The endpoint's scrape settings, in the order generate*MonitorConfig appends them. */
function endpointSettings(cfg: Item, ep: Record<string, unknown>): void {
  if (ep.interval) cfg.scrape_interval = ep.interval;
  if (ep.scrapeTimeout) cfg.scrape_timeout = ep.scrapeTimeout;
  if (ep.path) cfg.metrics_path = ep.path;
  if (ep.scheme) cfg.scheme = ep.scheme;
}

const targetPortString = (tp: unknown) => (tp === undefined || tp === null ? "" : String(tp));

/** generateServiceMonitorConfig for endpoint i. */
export function serviceMonitorJob(m: MonitorObject, ep: Record<string, unknown>, i: number, p: PrometheusObject, shards = 1): Item {
  const cfg: Item = { job_name: `serviceMonitor/${m.metadata.namespace}/${m.metadata.name}/${i}`, honor_labels: ep.honorLabels === true };
  Object.assign(cfg, sdConfig(m, "endpoints"));
  endpointSettings(cfg, ep);
  const r: Item[] = [{ source_labels: ["job"], target_label: "__tmp_prometheus_job_name" }];
  r.push(...selectorRelabelings(m.spec?.selector, "service"));
  const port = typeof ep.port === "string" ? ep.port : "";
  const tp = ep.targetPort;
  if (port) r.push({ action: "keep", source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: port });
  else if (typeof tp === "string" && tp) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: tp });
  else if (typeof tp === "number" && tp) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: tp });
  const kindName = ["__meta_kubernetes_endpoint_address_target_kind", "__meta_kubernetes_endpoint_address_target_name"];
  r.push(
    { source_labels: kindName, separator: ";", regex: "Node;(.*)", replacement: "${1}", target_label: "node" },
    { source_labels: kindName, separator: ";", regex: "Pod;(.*)", replacement: "${1}", target_label: "pod" },
    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
    { source_labels: ["__meta_kubernetes_service_name"], target_label: "service" },
    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
  );
  if (ep.filterRunning !== false) r.push(RUNNING_FILTER);
  for (const l of m.spec?.targetLabels ?? []) r.push(labelCopy(`__meta_kubernetes_service_label_${sanitize(l)}`, l));
  for (const l of [...(m.spec?.podTargetLabels ?? []), ...(p.spec?.podTargetLabels ?? [])]) r.push(labelCopy(`__meta_kubernetes_pod_label_${sanitize(l)}`, l));
  r.push({ source_labels: ["__meta_kubernetes_service_name"], target_label: "job", replacement: "${1}" });
  if (m.spec?.jobLabel) r.push(labelCopy(`__meta_kubernetes_service_label_${sanitize(m.spec.jobLabel)}`, "job"));
  if (port) r.push({ target_label: "endpoint", replacement: port });
  else if (targetPortString(tp)) r.push({ target_label: "endpoint", replacement: targetPortString(tp) });
  r.push(...sharding(shards));
  cfg.relabel_configs = r;
  return cfg;
}

/** generatePodMonitorConfig for endpoint i. */
export function podMonitorJob(m: MonitorObject, ep: Record<string, unknown>, i: number, p: PrometheusObject, shards = 1): Item {
  const cfg: Item = { job_name: `podMonitor/${m.metadata.namespace}/${m.metadata.name}/${i}`, honor_labels: ep.honorLabels === true };
  Object.assign(cfg, sdConfig(m, "pod"));
  endpointSettings(cfg, ep);
  const r: Item[] = [{ source_labels: ["job"], target_label: "__tmp_prometheus_job_name" }];
  if (ep.filterRunning !== false) r.push(RUNNING_FILTER);
  r.push(...selectorRelabelings(m.spec?.selector, "pod"));
  const port = typeof ep.port === "string" ? ep.port : "";
  const tp = ep.targetPort;
  if (port) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: port });
  else if (typeof ep.portNumber === "number" && ep.portNumber) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: ep.portNumber });
  else if (typeof tp === "string" && tp) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: tp });
  else if (typeof tp === "number" && tp) r.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: tp });
  r.push(
    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
    { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
  );
  for (const l of [...(m.spec?.podTargetLabels ?? []), ...(p.spec?.podTargetLabels ?? [])]) r.push(labelCopy(`__meta_kubernetes_pod_label_${sanitize(l)}`, l));
  r.push({ target_label: "job", replacement: `${m.metadata.namespace}/${m.metadata.name}` });
  if (m.spec?.jobLabel) r.push(labelCopy(`__meta_kubernetes_pod_label_${sanitize(m.spec.jobLabel)}`, "job"));
  if (port) r.push({ target_label: "endpoint", replacement: port });
  else if (targetPortString(tp)) r.push({ target_label: "endpoint", replacement: targetPortString(tp) });
  r.push(...sharding(shards));
  cfg.relabel_configs = r;
  return cfg;
}

/** buildExternalLabels: prometheus=<ns>/<name> and prometheus_replica=$(POD_NAME) unless renamed or emptied, then the user's; keys sorted. */
function externalLabels(p: PrometheusObject): Record<string, string> {
  const m: Record<string, string> = {};
  const promName = p.spec?.prometheusExternalLabelName ?? "prometheus";
  if (promName) m[promName] = `${p.metadata.namespace}/${p.metadata.name}`;
  const replica = p.spec?.replicaExternalLabelName ?? "prometheus_replica";
  if (replica) m[replica] = "$(POD_NAME)";
  for (const [k, v] of Object.entries(p.spec?.externalLabels ?? {})) if (!(k in m)) m[k] = v;
  const out: Record<string, string> = {};
  for (const k of sortedKeys(m)) out[k] = m[k]!;
  return out;
}

/** GenerateServerConfiguration: the YAML text (monitors keyed `<namespace>/<name>`). */
export function generateServerConfiguration(p: PrometheusObject, serviceMonitors: Map<string, MonitorObject>, podMonitors: Map<string, MonitorObject>): string {
  const global: Item = { scrape_interval: p.spec?.scrapeInterval ?? "30s" };
  if (p.spec?.scrapeTimeout) global.scrape_timeout = p.spec.scrapeTimeout;
  global.external_labels = externalLabels(p);
  global.evaluation_interval = p.spec?.evaluationInterval ?? "30s";
  const jobs: Item[] = [];
  for (const key of [...serviceMonitors.keys()].sort()) {
    const m = serviceMonitors.get(key)!;
    (m.spec?.endpoints ?? []).forEach((ep, i) => jobs.push(serviceMonitorJob(m, ep, i, p)));
  }
  for (const key of [...podMonitors.keys()].sort()) {
    const m = podMonitors.get(key)!;
    (m.spec?.podMetricsEndpoints ?? []).forEach((ep, i) => jobs.push(podMonitorJob(m, ep, i, p)));
  }
  return goYAML({ global, scrape_configs: jobs }, () => 0);
}
