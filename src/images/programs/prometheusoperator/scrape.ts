/**
 * Prometheus's scraping as far as the Getting Started needs (github.com/prometheus/prometheus at
 * v3.1.0: discovery/kubernetes endpoints.go and pod.go, model/relabel, scrape/target.go
 * PopulateLabels, scrape/scrape.go, web/api/v1):
 *
 * - `kubernetes_sd_configs` with role `endpoints` or `pod` (in `namespaces.names`, else every
 *   namespace) and `static_configs`, listed through the API as the pod's service account (RBAC
 *   applies: without the ClusterRole the discovery fails and says so in the log);
 * - each target's discovered labels (the `__meta_kubernetes_…` labels those files set), `job`,
 *   `__address__`, `__scheme__`, `__metrics_path__`, `__scrape_interval__`, `__scrape_timeout__`,
 *   then `relabel_configs` (replace, keep, drop, hashmod, labelmap, labeldrop, labelkeep); a dropped
 *   target is listed under droppedTargets; `instance` defaults to `__address__`;
 * - every `scrape_interval` each target is scraped (an HTTP GET through the cluster's network):
 *   health `up` on a 2xx, `down` otherwise with Prometheus's lastError (`Get "<url>": dial tcp …:
 *   connect: connection refused`, `server returned HTTP status 404 Not Found`), and the sample `up`
 *   1 or 0;
 * - `/api/v1/targets` (activeTargets, droppedTargets, droppedTargetCounts; `?state=`) and
 *   `/api/v1/query` for `up` and `up{label="value",…}` (the last sample of each target).
 *
 * Not modelled (docs/divergences.md): other PromQL, the scraped samples themselves (the exposition is
 * not stored), the scrape offset Prometheus derives from a target's hash (targets are scraped at
 * discovery and every interval after), other service discoveries and relabel actions.
 */
import { createHash } from "node:crypto";
import { parse as parseYAML } from "yaml";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import { inClusterClient } from "../../incluster.ts";
import type { HttpAnswer, HttpRequest } from "../server.ts";
import { PrometheusServer } from "./prometheusserver.ts";
import { parseGoDuration } from "./duration.ts";

export type Labels = Record<string, string>;

export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Go's regexp Expand for `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d: string, braced?: string, bare?: string) => {
    if (d === "$") return "$";
    const name = braced ?? bare ?? "";
    if (/^\d+$/.test(name)) return m[Number(name)] ?? "";
    return m.groups?.[name] ?? "";
  });
}

/** relabel.Process: the labels after the configs, or undefined when the target is dropped. */
export function relabel(input: Labels, configs: RelabelConfig[]): Labels | undefined {
  const lb: Labels = { ...input };
  for (const c of configs) {
    const action = (c.action ?? "replace").toLowerCase();
    const re = new RegExp(`^(?:${c.regex ?? "(.*)"})$`);
    const val = (c.source_labels ?? []).map((s) => lb[s] ?? "").join(c.separator ?? ";");
    if (action === "drop") {
      if (re.test(val)) return undefined;
    } else if (action === "keep") {
      if (!re.test(val)) return undefined;
    } else if (action === "replace") {
      const m = re.exec(val);
      if (!m) continue;
      const target = expand(c.target_label ?? "", m);
      if (!LABEL_NAME.test(target)) continue;
      const res = expand(c.replacement ?? "$1", m);
      if (res === "") delete lb[target];
      else lb[target] = res;
    } else if (action === "hashmod") {
      const sum = createHash("md5").update(val).digest();
      const mod = BigInt(c.modulus ?? 1);
      lb[c.target_label ?? ""] = String(sum.readBigUInt64BE(8) % mod);
    } else if (action === "labelmap") {
      for (const [k, v] of Object.entries({ ...lb })) {
        const m = re.exec(k);
        if (m) lb[expand(c.replacement ?? "$1", m)] = v;
      }
    } else if (action === "labeldrop") {
      for (const k of Object.keys(lb)) if (re.test(k)) delete lb[k];
    } else if (action === "labelkeep") {
      for (const k of Object.keys(lb)) if (!re.test(k)) delete lb[k];
    } else throw new Error(`unknown relabel action "${c.action}"`);
  }
  return lb;
}

const sortLabels = (l: Labels): Labels => Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9_]/g, "_");

interface Job {
  name: string;
  intervalMs: number;
  interval: string;
  timeoutMs: number;
  timeout: string;
  scheme: string;
  path: string;
  sd: Array<{ role: string; namespaces?: string[] }>;
  statics: string[][];
  relabel: RelabelConfig[];
}

interface Target {
  pool: string;
  discovered: Labels;
  labels: Labels;
  url: string;
  health: "up" | "down" | "unknown";
  lastError: string;
  lastScrape: number;
  lastScrapeDuration: number;
  job: Job;
  up?: { value: number; at: number };
}

type K = KObject & Record<string, unknown>;

function objectLabels(prefix: string, labels: Record<string, string> | undefined): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    out[`${prefix}_label_${sanitize(k)}`] = v;
    out[`${prefix}_labelpresent_${sanitize(k)}`] = "true";
  }
  return out;
}

function podLabels(pod: K): Labels {
  const st = (pod.status ?? {}) as { podIP?: string; hostIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> };
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const ready = (st.conditions ?? []).find((c) => c.type === "Ready")?.status === "True";
  const ctrl = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  return {
    __meta_kubernetes_pod_name: pod.metadata.name ?? "",
    __meta_kubernetes_pod_ip: st.podIP ?? "",
    ...objectLabels("__meta_kubernetes_pod", pod.metadata.labels),
    ...Object.fromEntries(Object.entries(pod.metadata.annotations ?? {}).flatMap(([k, v]) => [[`__meta_kubernetes_pod_annotation_${sanitize(k)}`, v], [`__meta_kubernetes_pod_annotationpresent_${sanitize(k)}`, "true"]])),
    __meta_kubernetes_pod_node_name: spec.nodeName ?? "",
    __meta_kubernetes_pod_host_ip: st.hostIP ?? "",
    __meta_kubernetes_pod_uid: pod.metadata.uid ?? "",
    __meta_kubernetes_pod_ready: ready ? "true" : "false",
    __meta_kubernetes_pod_phase: st.phase ?? "",
    ...(ctrl ? { __meta_kubernetes_pod_controller_kind: ctrl.kind, __meta_kubernetes_pod_controller_name: ctrl.name } : {}),
  };
}

type Container = { name: string; image?: string; ports?: Array<{ name?: string; containerPort: number; protocol?: string }> };
const containerLabels = (c: Container, port: { name?: string; containerPort: number; protocol?: string }, init: boolean): Labels => ({
  __meta_kubernetes_pod_container_name: c.name,
  __meta_kubernetes_pod_container_image: c.image ?? "",
  __meta_kubernetes_pod_container_port_name: port.name ?? "",
  __meta_kubernetes_pod_container_port_number: String(port.containerPort),
  __meta_kubernetes_pod_container_port_protocol: port.protocol ?? "TCP",
  __meta_kubernetes_pod_container_init: init ? "true" : "false",
});

/** discovery/kubernetes: the targets of one SD config, each a label set. */
export function discover(client: ApiServer, sd: { role: string; namespaces?: string[] }): Labels[] {
  const out: Labels[] = [];
  const nss = sd.namespaces?.length ? sd.namespaces : [undefined];
  for (const ns of nss) {
    const opt = ns ? { namespace: ns } : {};
    if (sd.role === "endpoints") {
      for (const ep of client.list("Endpoints", opt) as K[]) {
        const epNs = ep.metadata.namespace ?? "";
        const svc = client.get("Service", epNs, ep.metadata.name ?? "") as K | undefined;
        const base: Labels = { __meta_kubernetes_namespace: epNs, __meta_kubernetes_endpoints_name: ep.metadata.name ?? "", ...objectLabels("__meta_kubernetes_endpoints", ep.metadata.labels) };
        const svcL: Labels = svc ? { __meta_kubernetes_service_name: svc.metadata.name ?? "", ...objectLabels("__meta_kubernetes_service", svc.metadata.labels) } : {};
        for (const ss of (ep.subsets ?? []) as Array<{ addresses?: Array<Record<string, unknown>>; notReadyAddresses?: Array<Record<string, unknown>>; ports?: Array<{ name?: string; port: number; protocol?: string }> }>) {
          const addrs = [...(ss.addresses ?? []).map((a) => [a, "true"] as const), ...(ss.notReadyAddresses ?? []).map((a) => [a, "false"] as const)];
          for (const [a, ready] of addrs) {
            const ref = a.targetRef as { kind?: string; name?: string; namespace?: string } | undefined;
            const pod = ref?.kind === "Pod" ? (client.get("Pod", ref.namespace ?? epNs, ref.name ?? "") as K | undefined) : undefined;
            for (const p of ss.ports ?? []) {
              const l: Labels = { __address__: `${a.ip}:${p.port}`, ...base, ...svcL, __meta_kubernetes_endpoint_port_name: p.name ?? "", __meta_kubernetes_endpoint_port_protocol: p.protocol ?? "TCP", __meta_kubernetes_endpoint_ready: ready };
              if (a.hostname) l.__meta_kubernetes_endpoint_hostname = String(a.hostname);
              if (a.nodeName) l.__meta_kubernetes_endpoint_node_name = String(a.nodeName);
              if (ref?.kind) {
                l.__meta_kubernetes_endpoint_address_target_kind = ref.kind;
                l.__meta_kubernetes_endpoint_address_target_name = ref.name ?? "";
              }
              if (pod) {
                Object.assign(l, podLabels(pod));
                for (const c of ((pod.spec as { containers?: Container[] }).containers ?? [])) {
                  const cp = (c.ports ?? []).find((x) => x.containerPort === p.port && (x.protocol ?? "TCP") === (p.protocol ?? "TCP"));
                  if (cp) Object.assign(l, containerLabels(c, cp, false));
                }
              }
              out.push(l);
            }
          }
        }
      }
    } else if (sd.role === "pod") {
      for (const pod of client.list("Pod", opt) as K[]) {
        const st = pod.status as { podIP?: string } | undefined;
        if (!st?.podIP) continue;
        const base: Labels = { __meta_kubernetes_namespace: pod.metadata.namespace ?? "", ...podLabels(pod) };
        const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] };
        for (const [c, init] of [...(spec.containers ?? []).map((c) => [c, false] as const), ...(spec.initContainers ?? []).map((c) => [c, true] as const)]) {
          if (!c.ports?.length) {
            if (!init) out.push({ __address__: st.podIP, ...base, __meta_kubernetes_pod_container_name: c.name, __meta_kubernetes_pod_container_image: c.image ?? "", __meta_kubernetes_pod_container_init: "false" });
            continue;
          }
          for (const p of c.ports) out.push({ __address__: `${st.podIP}:${p.containerPort}`, ...base, ...containerLabels(c, p, init) });
        }
      }
    }
  }
  return out;
}

/** The jobs of a configuration text, or the error Prometheus's loader would give. */
export function parseJobs(text: string): Job[] | Error {
  let cfg: { global?: Record<string, unknown>; scrape_configs?: Array<Record<string, unknown>> } | null;
  try {
    cfg = parseYAML(text) as typeof cfg;
  } catch (e) {
    return new Error(`parsing YAML file: ${(e as Error).message}`);
  }
  const g = cfg?.global ?? {};
  const gInterval = String(g.scrape_interval ?? "1m");
  const gTimeout = String(g.scrape_timeout ?? "10s");
  const jobs: Job[] = [];
  for (const j of cfg?.scrape_configs ?? []) {
    const interval = String(j.scrape_interval ?? gInterval);
    const timeout = String(j.scrape_timeout ?? (parseGoDuration(gTimeout)! > parseGoDuration(interval)! ? interval : gTimeout));
    const sd = ((j.kubernetes_sd_configs ?? []) as Array<{ role: string; namespaces?: { names?: string[] } }>).map((s) => ({ role: s.role, namespaces: s.namespaces?.names }));
    for (const s of sd) if (s.role !== "endpoints" && s.role !== "pod") return new Error(`kubernetes_sd_configs role "${s.role}" is not modelled by kube-scenario`);
    const statics = ((j.static_configs ?? []) as Array<{ targets?: string[] }>).map((s) => s.targets ?? []);
    for (const k of Object.keys(j)) if (/_sd_configs$/.test(k) && k !== "kubernetes_sd_configs") return new Error(`${k} is not modelled by kube-scenario`);
    jobs.push({ name: String(j.job_name), interval, intervalMs: parseGoDuration(interval) ?? 60_000, timeout, timeoutMs: parseGoDuration(timeout) ?? 10_000, scheme: String(j.scheme ?? "http"), path: String(j.metrics_path ?? "/metrics"), sd, statics, relabel: (j.relabel_configs ?? []) as RelabelConfig[] });
  }
  return jobs;
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, f: string) => (f === "000" ? "Z" : `.${f.replace(/0+$/, "")}Z`));

export class ScrapingPrometheus extends PrometheusServer {
  private jobs: Job[] = [];
  private targets = new Map<string, Target>();
  private dropped: Array<{ pool: string; discovered: Labels }> = [];
  private client: ApiServer | undefined;
  private readonly loops = new Set<string>();
  private sdErrors = new Set<string>();

  protected override applyConfig(text: string): string {
    const jobs = parseJobs(text);
    if (jobs instanceof Error) return jobs.message;
    this.jobs = jobs;
    if (this.running) this.refresh();
    return "";
  }

  protected override started(): void {
    const c = inClusterClient(this.ctx.api, this.launch.pod);
    this.client = c instanceof Error ? undefined : c;
    if (c instanceof Error) this.logAt("ERROR", "kubernetes.go:0", "Cannot create service discovery", [["err", c.message]]);
    this.refresh();
  }

  /** Discovery and the scrape loops: targets found, kept until they go, each scraped at its job's interval. */
  private refresh(): void {
    const next = new Map<string, Target>();
    const dropped: Array<{ pool: string; discovered: Labels }> = [];
    for (const job of this.jobs) {
      const found: Labels[] = [];
      for (const sd of job.sd) {
        if (!this.client) continue;
        try {
          found.push(...discover(this.client, sd));
        } catch (e) {
          const msg = (e as Error).message;
          if (!this.sdErrors.has(msg)) this.logAt("ERROR", "reflector.go:158", "Unhandled Error", [["component", "k8s_client_runtime"], ["err", msg]]);
          this.sdErrors.add(msg);
        }
      }
      for (const group of job.statics) for (const t of group) found.push({ __address__: t });
      for (const d of found) {
        const discovered: Labels = { ...d, job: job.name, __scheme__: job.scheme, __metrics_path__: job.path, __scrape_interval__: job.interval, __scrape_timeout__: job.timeout };
        const out = relabel(discovered, job.relabel);
        if (!out || !out.__address__) {
          dropped.push({ pool: job.name, discovered: sortLabels(discovered) });
          continue;
        }
        const labels: Labels = {};
        for (const [k, v] of Object.entries(out)) if (!k.startsWith("__")) labels[k] = v;
        if (!labels.instance) labels.instance = out.__address__;
        const url = `${out.__scheme__ ?? "http"}://${out.__address__}${out.__metrics_path__ ?? "/metrics"}`;
        const key = `${job.name}|${JSON.stringify(sortLabels(labels))}|${url}`;
        const prev = this.targets.get(key);
        next.set(key, prev ? { ...prev, discovered: sortLabels(discovered), job } : { pool: job.name, discovered: sortLabels(discovered), labels: sortLabels(labels), url, health: "unknown", lastError: "", lastScrape: 0, lastScrapeDuration: 0, job });
      }
    }
    this.targets = next;
    this.dropped = dropped;
    for (const [key] of next) {
      if (this.loops.has(key)) continue;
      this.loops.add(key);
      this.scrape(key);
    }
  }

  private scrape(key: string): void {
    const t = this.targets.get(key);
    if (!t || !this.running) return void this.loops.delete(key);
    const started = this.io.clock.now();
    this.io.http({ method: "GET", url: t.url, timeoutMs: t.job.timeoutMs, headers: { Accept: "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2" } }, (o) => {
      const cur = this.targets.get(key);
      if (!cur) return;
      const now = this.io.clock.now();
      cur.lastScrape = started;
      cur.lastScrapeDuration = (now - started) / 1000;
      if (o.ok && o.status >= 200 && o.status < 300) {
        cur.health = "up";
        cur.lastError = "";
      } else {
        cur.health = "down";
        cur.lastError = o.ok ? `server returned HTTP status ${o.status} ${STATUS_TEXT[o.status] ?? ""}`.trimEnd() : o.kind === "timeout" ? `Get "${cur.url}": context deadline exceeded` : `Get "${cur.url}": ${o.error}`;
      }
      cur.up = { value: cur.health === "up" ? 1 : 0, at: started };
    });
    this.after(t.job.intervalMs, () => {
      this.refresh();
      this.scrape(key);
    });
  }

  protected override api(path: string, _req: HttpRequest, query: Map<string, string>): HttpAnswer | undefined {
    const json = (body: unknown, status = 200): HttpAnswer => ({ status, body: JSON.stringify(body) });
    if (path === "/api/v1/targets") {
      const state = query.get("state") ?? "any";
      const active = [...this.targets.values()].map((t) => ({
        discoveredLabels: t.discovered,
        labels: t.labels,
        scrapePool: t.pool,
        scrapeUrl: t.url,
        globalUrl: t.url,
        lastError: t.lastError,
        lastScrape: t.lastScrape ? iso(t.lastScrape) : "0001-01-01T00:00:00Z",
        lastScrapeDuration: t.lastScrapeDuration,
        health: t.health,
        scrapeInterval: t.job.interval,
        scrapeTimeout: t.job.timeout,
      }));
      const counts: Record<string, number> = {};
      for (const j of this.jobs) counts[j.name] = 0;
      for (const d of this.dropped) counts[d.pool] = (counts[d.pool] ?? 0) + 1;
      const data: Record<string, unknown> = {};
      if (state === "any" || state === "active") data.activeTargets = active;
      if (state === "any" || state === "dropped") data.droppedTargets = this.dropped.map((d) => ({ discoveredLabels: d.discovered }));
      data.droppedTargetCounts = counts;
      return json({ status: "success", data });
    }
    if (path === "/api/v1/query") {
      const q = (query.get("query") ?? "").trim();
      const m = /^up(?:\{(.*)\})?$/.exec(q);
      const matchers: Array<[string, string]> = [];
      if (m?.[1]) {
        for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
          const mm = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"$/.exec(part);
          if (!mm) return json({ status: "error", errorType: "bad_data", error: `kube-scenario models the query up and up{label="value",…} only (docs/divergences.md): ${q}` }, 400);
          matchers.push([mm[1]!, mm[2]!]);
        }
      }
      if (!m) return json({ status: "error", errorType: "bad_data", error: `kube-scenario models the query up and up{label="value",…} only (docs/divergences.md): ${q}` }, 400);
      const now = this.io.clock.now();
      const result = [...this.targets.values()]
        .filter((t) => t.up && now - t.up.at <= 5 * 60_000)
        .map((t) => ({ metric: sortLabels({ __name__: "up", ...t.labels }), value: [Number((now / 1000).toFixed(3)), String(t.up!.value)] as [number, string] }))
        .filter((r) => matchers.every(([k, v]) => (r.metric[k] ?? "") === v))
        .sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));
      return json({ status: "success", data: { resultType: "vector", result } });
    }
    return undefined;
  }
}
