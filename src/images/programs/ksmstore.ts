/**
 * kube-state-metrics' metric families, ported from its generators at v2.15.0
 * (kubernetes/kube-state-metrics internal/store/{pod,deployment,node,namespace}.go, utils.go;
 * pkg/metric/metric.go for the sample lines; pkg/metric_generator/generator.go for the headers;
 * pkg/metrics_store/metrics_writer.go for the order), as its `/metrics` writes them in the text
 * exposition format:
 *
 * - Resources in name order (the builder sorts the enabled resources), each resource's families in
 *   its generator list's order. A family's `# HELP` and `# TYPE` lines are written once, and only
 *   when the resource's store holds at least one object; a STABLE family's help starts with
 *   `[STABLE] `. Then every object's samples of that family.
 * - A sample: the name, the labels `{k="v",…}` in the generator's order (the object's identifying
 *   labels first, e.g. `namespace`, `pod`, `uid`), values escaped (`\\`, `\n`, `\"`), a space and
 *   the value as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes it (`1`, `0`, `0.25`,
 *   `1.7652672e+09`, `2.68435456e+08`).
 * - `kube_*_labels` and `kube_*_annotations` have no samples without `--metric-labels-allowlist` /
 *   `--metric-annotations-allowlist` (their headers are still written); opt-in families
 *   (`kube_pod_nodeselectors`) are not written.
 *
 * Where the real program's order is a Go map's or a sync.Map's (the objects of a resource; a
 * container's requests; a node's capacity; its role labels), it varies from scrape to scrape; here
 * objects are in namespace/name order and map entries in the object's key order (docs/divergences.md).
 * Resources modelled: deployments, namespaces, nodes and pods; the other default resources
 * (configmaps, services, replicasets, …) write no families here (docs/divergences.md).
 */
import type { Deployment, Namespace, Node, Pod } from "../../api/types.gen.ts";
import { parseQuantity } from "../../api/quantity.ts";
// The exposition format's number and label-value spelling, shared with the components' /metrics (expfmt writeFloat, escapeString).
import { escapeLabelValue, formatFloat } from "../../api/componentbase/textformat.ts";

export interface Sample {
  keys: string[];
  values: string[];
  value: number;
}

type MetricType = "gauge" | "counter" | "info" | "stateset";

export interface FamilyGenerator<T> {
  name: string;
  help: string;
  type: MetricType;
  stable: boolean;
  optIn?: boolean;
  generate(obj: T): Sample[];
}

export interface ResourceStore<T> {
  /** The resource's name in `--resources` (and the log's "Active resources"). */
  resource: string;
  /** The API kind listed and watched. */
  kind: string;
  /** Whether the resource is namespaced (listed across all namespaces). */
  namespaced: boolean;
  /** The identifying labels every sample of an object starts with. */
  identity(obj: T): [string[], string[]];
  families(allow: Allowlists): FamilyGenerator<T>[];
}

/** `--metric-labels-allowlist` / `--metric-annotations-allowlist`: per resource, the keys (or `*`). */
export interface Allowlists {
  labels: string[];
  annotations: string[];
}

// --- Formatting (pkg/metric/metric.go) ---------------------------------------------------------

/** One sample line (Metric.Write). */
export function sampleLine(name: string, s: Sample): string {
  let out = name;
  if (s.keys.length > 0) out += "{" + s.keys.map((k, i) => `${k}="${escapeLabelValue(s.values[i] ?? "")}"`).join(",") + "}";
  return `${out} ${formatFloat(s.value)}\n`;
}

/** A family's header (FamilyGenerator.generateHeader). */
export function familyHeader(g: FamilyGenerator<unknown>): string {
  return `# HELP ${g.name} ${g.stable ? `[STABLE] ${g.help}` : g.help}\n# TYPE ${g.name} ${g.type}\n`;
}

/** A resource's families written for its objects (MetricsWriter.WriteAll). */
export function writeResource<T>(store: ResourceStore<T>, objects: T[], allow: Allowlists): string {
  if (objects.length === 0) return "";
  let out = "";
  for (const g of store.families(allow)) {
    if (g.optIn) continue;
    out += familyHeader(g as FamilyGenerator<unknown>);
    for (const o of objects) {
      const [ik, iv] = store.identity(o);
      for (const s of g.generate(o)) out += sampleLine(g.name, { keys: [...ik, ...s.keys], values: [...iv, ...s.values], value: s.value });
    }
  }
  return out;
}

// --- Helpers (internal/store/utils.go) ---------------------------------------------------------

const bool = (b: boolean | undefined): number => (b ? 1 : 0);
const CONDITION_STATUSES = ["True", "False", "Unknown"];

/** addConditionMetrics: one sample for each of true, false, unknown. */
function conditionSamples(status: string | undefined, keys: string[], values: string[]): Sample[] {
  return CONDITION_STATUSES.map((c) => ({ keys, values: [...values, c.toLowerCase()], value: bool(status === c) }));
}

/** Seconds since the epoch of an RFC 3339 time (metav1.Time.Unix). */
function unix(t: string | null | undefined): number {
  if (!t) return 0;
  return Math.floor(Date.parse(t) / 1000);
}

export function sanitizeLabelName(s: string): string {
  return s.replace(/[^a-zA-Z0-9_]/g, "_");
}

function toSnakeCase(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** mapToPrometheusLabels: sorted keys, `<prefix>_<snake_case>`, `_conflictN` suffixes for collisions. */
export function mapToPrometheusLabels(labels: Record<string, string>, prefix: string): [string[], string[]] {
  const keys: string[] = [];
  const values: string[] = [];
  const conflicts = new Map<string, { count: number; initial: number }>();
  for (const k of Object.keys(labels).sort()) {
    let key = `${prefix}_${toSnakeCase(sanitizeLabelName(k))}`;
    const c = conflicts.get(key);
    if (c) {
      if (c.count === 1) keys[c.initial] = `${keys[c.initial]}_conflict1`;
      c.count++;
      key = `${key}_conflict${c.count}`;
    } else conflicts.set(key, { count: 1, initial: keys.length });
    keys.push(key);
    values.push(labels[k]!);
  }
  return [keys, values];
}

/** createPrometheusLabelKeysValues: the allowed keys (`*`: all). */
function allowedLabels(prefix: string, data: Record<string, string> | undefined, allow: string[]): [string[], string[]] {
  const all = data ?? {};
  if (allow[0] === "*") return mapToPrometheusLabels(all, prefix);
  const picked: Record<string, string> = {};
  for (const k of allow) if (Object.hasOwn(all, k)) picked[k] = all[k]!;
  return mapToPrometheusLabels(picked, prefix);
}

function labelsFamily<T extends { metadata: { labels?: Record<string, string> } }>(name: string, allow: string[]): FamilyGenerator<T> {
  return {
    name, help: "Kubernetes labels converted to Prometheus labels.", type: "gauge", stable: true,
    generate: (o) => {
      if (allow.length === 0) return [];
      const [keys, values] = allowedLabels("label", o.metadata.labels, allow);
      return [{ keys, values, value: 1 }];
    },
  };
}

function annotationsFamily<T extends { metadata: { annotations?: Record<string, string> } }>(name: string, allow: string[]): FamilyGenerator<T> {
  return {
    name, help: "Kubernetes annotations converted to Prometheus labels.", type: "gauge", stable: false,
    generate: (o) => {
      if (allow.length === 0) return [];
      const [keys, values] = allowedLabels("annotation", o.metadata.annotations, allow);
      return [{ keys, values, value: 1 }];
    },
  };
}

/** convertValueToFloat64: the milli-value over 1000 (the value when that would overflow). */
function quantityFloat(q: unknown): number {
  try {
    const v = parseQuantity(q);
    const value = v.value();
    return Math.abs(value) > Number.MAX_SAFE_INTEGER / 1000 ? value : v.milliValue() / 1000;
  } catch {
    return 0;
  }
}

function quantityValue(q: unknown): number {
  try {
    return parseQuantity(q).value();
  } catch {
    return 0;
  }
}

const isNativeResource = (name: string) => !name.includes("/") || name.includes("kubernetes.io/");
/** isExtendedResourceName: not native, not `requests.`, and `requests.<name>` a qualified name. */
function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith("requests.")) return false;
  return /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(`requests.${name}`);
}

/** A container's requests or limits as the pod families write them (resource, unit, value). */
function resourceSamples(list: Record<string, unknown> | undefined, prefix: (resource: string, unit: string) => [string[], string[]]): Sample[] {
  const out: Sample[] = [];
  for (const [name, val] of Object.entries(list ?? {})) {
    const push = (unit: string, value: number) => {
      const [keys, values] = prefix(sanitizeLabelName(name), unit);
      out.push({ keys, values, value });
    };
    if (name === "cpu") push("core", quantityFloat(val));
    else if (name === "storage" || name === "ephemeral-storage" || name === "memory") push("byte", quantityValue(val));
    else {
      if (name.startsWith("hugepages-")) push("byte", quantityValue(val));
      if (name.startsWith("attachable-volumes-")) push("byte", quantityValue(val));
      if (isExtendedResourceName(name)) push("integer", quantityValue(val));
    }
  }
  return out;
}

/** A node's capacity or allocatable (the same cases, with pods as integers, every value as convertValueToFloat64). */
function nodeResourceSamples(list: Record<string, unknown> | undefined): Sample[] {
  const out: Sample[] = [];
  for (const [name, val] of Object.entries(list ?? {})) {
    const push = (unit: string) => out.push({ keys: ["resource", "unit"], values: [sanitizeLabelName(name), unit], value: quantityFloat(val) });
    if (name === "cpu") push("core");
    else if (name === "storage" || name === "ephemeral-storage" || name === "memory") push("byte");
    else if (name === "pods") push("integer");
    else {
      if (name.startsWith("hugepages-")) push("byte");
      if (name.startsWith("attachable-volumes-")) push("byte");
      if (isExtendedResourceName(name)) push("integer");
    }
  }
  return out;
}

/** intstr.GetScaledValueFromIntOrPercent. */
function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

const g = <T>(name: string, help: string, stable: boolean, generate: (o: T) => Sample[], type: MetricType = "gauge"): FamilyGenerator<T> => ({ name, help, type, stable, generate });
const one = (value: number, keys: string[] = [], values: string[] = []): Sample[] => [{ keys, values, value }];

// --- Pods (internal/store/pod.go) --------------------------------------------------------------

type ContainerStatus = NonNullable<NonNullable<Pod["status"]>["containerStatuses"]>[number];
type Container = NonNullable<Pod["spec"]>["containers"][number];

function perStatus(statuses: ContainerStatus[] | undefined, f: (cs: ContainerStatus) => Sample | undefined): Sample[] {
  const out: Sample[] = [];
  for (const cs of statuses ?? []) {
    const s = f(cs);
    if (s) out.push(s);
  }
  return out;
}

const c1 = (cs: ContainerStatus, value: number): Sample => ({ keys: ["container"], values: [cs.name], value });
const cr = (cs: ContainerStatus, reason: string | undefined): Sample => ({ keys: ["container", "reason"], values: [cs.name, reason ?? ""], value: 1 });

function containerResources(p: Pod, containers: Container[] | undefined, which: "limits" | "requests"): Sample[] {
  const out: Sample[] = [];
  for (const c of containers ?? []) {
    out.push(...resourceSamples(c.resources?.[which] as Record<string, unknown> | undefined, (resource, unit) => [["container", "node", "resource", "unit"], [c.name, p.spec?.nodeName ?? "", resource, unit]]));
  }
  return out;
}

function containerStatusFamilies(init: boolean): Array<FamilyGenerator<Pod>> {
  const st = (p: Pod) => (init ? p.status?.initContainerStatuses : p.status?.containerStatuses);
  const what = init ? "init container" : "container";
  const pre = init ? "kube_pod_init_container" : "kube_pod_container";
  return [
    g<Pod>(`${pre}_status_ready`, init ? "Describes whether the init containers readiness check succeeded." : "Describes whether the containers readiness check succeeded.", true, (p) => perStatus(st(p), (cs) => c1(cs, bool(cs.ready)))),
    g<Pod>(`${pre}_status_restarts_total`, init ? "The number of restarts for the init container." : "The number of container restarts per container.", true, (p) => perStatus(st(p), (cs) => c1(cs, cs.restartCount ?? 0)), "counter"),
    g<Pod>(`${pre}_status_running`, `Describes whether the ${what} is currently in running state.`, true, (p) => perStatus(st(p), (cs) => c1(cs, bool(!!cs.state?.running)))),
    g<Pod>(`${pre}_status_terminated`, `Describes whether the ${what} is currently in terminated state.`, true, (p) => perStatus(st(p), (cs) => c1(cs, bool(!!cs.state?.terminated)))),
    g<Pod>(`${pre}_status_terminated_reason`, `Describes the reason the ${what} is currently in terminated state.`, false, (p) => perStatus(st(p), (cs) => (cs.state?.terminated ? cr(cs, cs.state.terminated.reason) : undefined))),
    g<Pod>(`${pre}_status_waiting`, `Describes whether the ${what} is currently in waiting state.`, true, (p) => perStatus(st(p), (cs) => c1(cs, bool(!!cs.state?.waiting)))),
    g<Pod>(`${pre}_status_waiting_reason`, `Describes the reason the ${what} is currently in waiting state.`, !init, (p) => perStatus(st(p), (cs) => (cs.state?.waiting ? cr(cs, cs.state.waiting.reason) : undefined))),
  ];
}

function conditionTime(p: Pod, type: string): Sample[] {
  const out: Sample[] = [];
  for (const c of p.status?.conditions ?? []) if (c.type === type && c.status === "True") out.push(...one(unix(c.lastTransitionTime)));
  return out;
}

function conditionSet(p: Pod, type: string): Sample[] {
  const out: Sample[] = [];
  for (const c of p.status?.conditions ?? []) if (c.type === type) out.push(...conditionSamples(c.status, ["condition"], []));
  return out;
}

const POD_STATUS_REASONS = ["Evicted", "NodeAffinity", "NodeLost", "Shutdown", "UnexpectedAdmissionError"];

function podFamilies(allow: Allowlists): Array<FamilyGenerator<Pod>> {
  const [ready, restarts, running, terminated, terminatedReason, waiting, waitingReason] = containerStatusFamilies(false);
  const [iReady, iRestarts, iRunning, iTerminated, iTerminatedReason, iWaiting, iWaitingReason] = containerStatusFamilies(true);
  return [
    g<Pod>("kube_pod_completion_time", "Completion time in unix timestamp for a pod.", true, (p) => {
      let last = 0;
      for (const cs of p.status?.containerStatuses ?? []) {
        const t = cs.state?.terminated;
        if (t && (last === 0 || last < unix(t.finishedAt))) last = unix(t.finishedAt);
      }
      return last > 0 ? one(last) : [];
    }),
    g<Pod>("kube_pod_container_info", "Information about a container in a pod.", true, (p) => {
      const out: Sample[] = [];
      for (const c of p.spec?.containers ?? []) {
        for (const cs of p.status?.containerStatuses ?? []) {
          if (cs.name !== c.name) continue;
          out.push({ keys: ["container", "image_spec", "image", "image_id", "container_id"], values: [cs.name, c.image ?? "", cs.image, cs.imageID, cs.containerID ?? ""], value: 1 });
        }
      }
      return out;
    }),
    g<Pod>("kube_pod_container_resource_limits", "The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.", false, (p) => containerResources(p, p.spec?.containers, "limits")),
    g<Pod>("kube_pod_container_resource_requests", "The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.", false, (p) => containerResources(p, p.spec?.containers, "requests")),
    g<Pod>("kube_pod_container_state_started", "Start time in unix timestamp for a pod container.", true, (p) =>
      perStatus(p.status?.containerStatuses, (cs) => {
        if (cs.state?.running) return c1(cs, unix(cs.state.running.startedAt));
        if (cs.state?.terminated) return c1(cs, unix(cs.state.terminated.startedAt));
        return undefined;
      }),
    ),
    g<Pod>("kube_pod_container_status_last_terminated_reason", "Describes the last reason the container was in terminated state.", false, (p) => perStatus(p.status?.containerStatuses, (cs) => (cs.lastState?.terminated ? cr(cs, cs.lastState.terminated.reason) : undefined))),
    g<Pod>("kube_pod_container_status_last_terminated_exitcode", "Describes the exit code for the last container in terminated state.", false, (p) => perStatus(p.status?.containerStatuses, (cs) => (cs.lastState?.terminated ? c1(cs, cs.lastState.terminated.exitCode) : undefined))),
    g<Pod>("kube_pod_container_status_last_terminated_timestamp", "Last terminated time for a pod container in unix timestamp.", false, (p) => perStatus(p.status?.containerStatuses, (cs) => (cs.lastState?.terminated ? c1(cs, unix(cs.lastState.terminated.finishedAt)) : undefined))),
    ready!, restarts!, running!, terminated!, terminatedReason!, waiting!, waitingReason!,
    g<Pod>("kube_pod_created", "Unix creation timestamp", true, (p) => (p.metadata.creationTimestamp ? one(unix(p.metadata.creationTimestamp)) : [])),
    g<Pod>("kube_pod_deletion_timestamp", "Unix deletion timestamp", false, (p) => (p.metadata.deletionTimestamp ? one(unix(p.metadata.deletionTimestamp)) : [])),
    g<Pod>("kube_pod_info", "Information about pod.", true, (p) => {
      const owner = (p.metadata.ownerReferences ?? []).find((o) => o.controller === true);
      return one(1, ["host_ip", "pod_ip", "node", "created_by_kind", "created_by_name", "priority_class", "host_network"], [p.status?.hostIP ?? "", p.status?.podIP ?? "", p.spec?.nodeName ?? "", owner?.kind ?? "", owner?.name ?? "", p.spec?.priorityClassName ?? "", String(p.spec?.hostNetwork === true)]);
    }),
    g<Pod>("kube_pod_ips", "Pod IP addresses", false, (p) =>
      (p.status?.podIPs ?? []).flatMap((ip) => {
        const family = /^\d+\.\d+\.\d+\.\d+$/.test(ip.ip ?? "") ? "4" : (ip.ip ?? "").includes(":") ? "6" : "";
        return family ? one(1, ["ip", "ip_family"], [ip.ip ?? "", family]) : [];
      }),
    ),
    g<Pod>("kube_pod_init_container_info", "Information about an init container in a pod.", true, (p) => {
      const out: Sample[] = [];
      for (const c of p.spec?.initContainers ?? []) {
        for (const cs of p.status?.initContainerStatuses ?? []) {
          if (cs.name !== c.name) continue;
          out.push({ keys: ["container", "image_spec", "image", "image_id", "container_id", "restart_policy"], values: [cs.name, c.image ?? "", cs.image, cs.imageID, cs.containerID ?? "", c.restartPolicy ?? ""], value: 1 });
        }
      }
      return out;
    }),
    g<Pod>("kube_pod_init_container_resource_limits", "The number of requested limit resource by an init container.", false, (p) => containerResources(p, p.spec?.initContainers, "limits")),
    g<Pod>("kube_pod_init_container_resource_requests", "The number of requested request resource by an init container.", false, (p) => containerResources(p, p.spec?.initContainers, "requests")),
    g<Pod>("kube_pod_init_container_status_last_terminated_reason", "Describes the last reason the init container was in terminated state.", false, (p) => perStatus(p.status?.initContainerStatuses, (cs) => (cs.lastState?.terminated ? cr(cs, cs.lastState.terminated.reason) : undefined))),
    iReady!, iRestarts!, iRunning!, iTerminated!, iTerminatedReason!, iWaiting!, iWaitingReason!,
    annotationsFamily<Pod>("kube_pod_annotations", allow.annotations),
    labelsFamily<Pod>("kube_pod_labels", allow.labels),
    g<Pod>("kube_pod_overhead_cpu_cores", "The pod overhead in regards to cpu cores associated with running a pod.", false, (p) => Object.entries(p.spec?.overhead ?? {}).filter(([k]) => k === "cpu").flatMap(([, v]) => one(quantityFloat(v)))),
    g<Pod>("kube_pod_overhead_memory_bytes", "The pod overhead in regards to memory associated with running a pod.", false, (p) => Object.entries(p.spec?.overhead ?? {}).filter(([k]) => k === "memory").flatMap(([, v]) => one(quantityValue(v)))),
    g<Pod>("kube_pod_owner", "Information about the Pod's owner.", true, (p) => {
      const keys = ["owner_kind", "owner_name", "owner_is_controller"];
      const owners = p.metadata.ownerReferences ?? [];
      if (owners.length === 0) return one(1, keys, ["", "", ""]);
      return owners.map((o) => ({ keys, values: [o.kind, o.name, String(o.controller === true)], value: 1 }));
    }),
    g<Pod>("kube_pod_restart_policy", "Describes the restart policy in use by this pod.", true, (p) => one(1, ["type"], [p.spec?.restartPolicy ?? ""])),
    g<Pod>("kube_pod_runtimeclass_name_info", "The runtimeclass associated with the pod.", false, (p) => (p.spec?.runtimeClassName ? one(1, ["runtimeclass_name"], [p.spec.runtimeClassName]) : [])),
    g<Pod>("kube_pod_spec_volumes_persistentvolumeclaims_info", "Information about persistentvolumeclaim volumes in a pod.", true, (p) => (p.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => ({ keys: ["volume", "persistentvolumeclaim"], values: [v.name, v.persistentVolumeClaim!.claimName], value: 1 }))),
    g<Pod>("kube_pod_spec_volumes_persistentvolumeclaims_readonly", "Describes whether a persistentvolumeclaim is mounted read only.", true, (p) => (p.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => ({ keys: ["volume", "persistentvolumeclaim"], values: [v.name, v.persistentVolumeClaim!.claimName], value: bool(v.persistentVolumeClaim!.readOnly) }))),
    g<Pod>("kube_pod_start_time", "Start time in unix timestamp for a pod.", true, (p) => (p.status?.startTime ? one(unix(p.status.startTime)) : [])),
    g<Pod>("kube_pod_status_phase", "The pods current phase.", true, (p) => {
      const phase = p.status?.phase;
      if (!phase) return [];
      return ["Pending", "Succeeded", "Failed", "Unknown", "Running"].map((n) => ({ keys: ["phase"], values: [n], value: bool(phase === n) }));
    }),
    g<Pod>("kube_pod_status_qos_class", "The pods current qosClass.", false, (p) => {
      const cls = p.status?.qosClass;
      if (!cls) return [];
      return ["BestEffort", "Burstable", "Guaranteed"].map((n) => ({ keys: ["qos_class"], values: [n], value: bool(cls === n) }));
    }),
    g<Pod>("kube_pod_status_ready", "Describes whether the pod is ready to serve requests.", true, (p) => conditionSet(p, "Ready")),
    g<Pod>("kube_pod_status_ready_time", "Readiness achieved time in unix timestamp for a pod.", false, (p) => conditionTime(p, "Ready")),
    g<Pod>("kube_pod_status_initialized_time", "Initialized time in unix timestamp for a pod.", false, (p) => conditionTime(p, "Initialized")),
    g<Pod>("kube_pod_status_container_ready_time", "Readiness achieved time in unix timestamp for a pod containers.", false, (p) => conditionTime(p, "ContainersReady")),
    g<Pod>("kube_pod_status_reason", "The pod status reasons", false, (p) => POD_STATUS_REASONS.map((r) => ({ keys: ["reason"], values: [r], value: bool(p.status?.reason === r) }))),
    g<Pod>("kube_pod_status_scheduled", "Describes the status of the scheduling process for the pod.", true, (p) => conditionSet(p, "PodScheduled")),
    g<Pod>("kube_pod_status_scheduled_time", "Unix timestamp when pod moved into scheduled status", true, (p) => conditionTime(p, "PodScheduled")),
    g<Pod>("kube_pod_status_unschedulable", "Describes the unschedulable status for the pod.", true, (p) => (p.status?.conditions ?? []).filter((c) => c.type === "PodScheduled" && c.status === "False").flatMap(() => one(1))),
    g<Pod>("kube_pod_tolerations", "Information about the pod tolerations", false, (p) => {
      const seen = new Set<string>();
      const out: Sample[] = [];
      for (const t of p.spec?.tolerations ?? []) {
        const values = [t.key ?? "", t.operator ?? "", t.value ?? "", t.effect ?? "", t.tolerationSeconds === undefined ? "" : String(t.tolerationSeconds)];
        const id = JSON.stringify(values);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ keys: ["key", "operator", "value", "effect", "toleration_seconds"], values, value: 1 });
      }
      return out;
    }),
    { ...g<Pod>("kube_pod_nodeselectors", "Describes the Pod nodeSelectors.", false, (p) => { const [keys, values] = mapToPrometheusLabels(p.spec?.nodeSelector ?? {}, "nodeselector"); return one(1, keys, values); }), optIn: true },
    g<Pod>("kube_pod_service_account", "The service account for a pod.", false, (p) => one(1, ["service_account"], [p.spec?.serviceAccountName ?? ""])),
    g<Pod>("kube_pod_scheduler", "The scheduler for a pod.", false, (p) => one(1, ["name"], [p.spec?.schedulerName ?? ""])),
  ];
}

// --- Deployments (internal/store/deployment.go) ------------------------------------------------

function deploymentFamilies(allow: Allowlists): Array<FamilyGenerator<Deployment>> {
  const replicas = (d: Deployment) => d.spec?.replicas ?? 1;
  return [
    g<Deployment>("kube_deployment_created", "Unix creation timestamp", true, (d) => (d.metadata.creationTimestamp ? one(unix(d.metadata.creationTimestamp)) : [])),
    g<Deployment>("kube_deployment_status_replicas", "The number of replicas per deployment.", true, (d) => one(d.status?.replicas ?? 0)),
    g<Deployment>("kube_deployment_status_replicas_ready", "The number of ready replicas per deployment.", true, (d) => one(d.status?.readyReplicas ?? 0)),
    g<Deployment>("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", true, (d) => one(d.status?.availableReplicas ?? 0)),
    g<Deployment>("kube_deployment_status_replicas_unavailable", "The number of unavailable replicas per deployment.", true, (d) => one(d.status?.unavailableReplicas ?? 0)),
    g<Deployment>("kube_deployment_status_replicas_updated", "The number of updated replicas per deployment.", true, (d) => one(d.status?.updatedReplicas ?? 0)),
    g<Deployment>("kube_deployment_status_observed_generation", "The generation observed by the deployment controller.", true, (d) => one(d.status?.observedGeneration ?? 0)),
    g<Deployment>("kube_deployment_status_condition", "The current status conditions of a deployment.", true, (d) => (d.status?.conditions ?? []).flatMap((c) => conditionSamples(c.status, ["condition", "status"], [c.type]))),
    g<Deployment>("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", true, (d) => one(replicas(d))),
    g<Deployment>("kube_deployment_spec_paused", "Whether the deployment is paused and will not be processed by the deployment controller.", true, (d) => one(bool(d.spec?.paused))),
    g<Deployment>("kube_deployment_spec_strategy_rollingupdate_max_unavailable", "Maximum number of unavailable replicas during a rolling update of a deployment.", true, (d) => {
      const ru = d.spec?.strategy?.rollingUpdate;
      return ru ? one(scaledValue(ru.maxUnavailable, replicas(d), false)) : [];
    }),
    g<Deployment>("kube_deployment_spec_strategy_rollingupdate_max_surge", "Maximum number of replicas that can be scheduled above the desired number of replicas during a rolling update of a deployment.", true, (d) => {
      const ru = d.spec?.strategy?.rollingUpdate;
      return ru ? one(scaledValue(ru.maxSurge, replicas(d), true)) : [];
    }),
    g<Deployment>("kube_deployment_metadata_generation", "Sequence number representing a specific generation of the desired state.", true, (d) => one(d.metadata.generation ?? 0)),
    annotationsFamily<Deployment>("kube_deployment_annotations", allow.annotations),
    labelsFamily<Deployment>("kube_deployment_labels", allow.labels),
  ];
}

// --- Namespaces (internal/store/namespace.go) --------------------------------------------------

function namespaceFamilies(allow: Allowlists): Array<FamilyGenerator<Namespace>> {
  return [
    g<Namespace>("kube_namespace_created", "Unix creation timestamp", true, (n) => (n.metadata.creationTimestamp ? one(unix(n.metadata.creationTimestamp)) : [])),
    annotationsFamily<Namespace>("kube_namespace_annotations", allow.annotations),
    labelsFamily<Namespace>("kube_namespace_labels", allow.labels),
    g<Namespace>("kube_namespace_status_phase", "kubernetes namespace status phase.", true, (n) => ["Active", "Terminating"].map((ph) => ({ keys: ["phase"], values: [ph], value: bool(n.status?.phase === ph) }))),
    g<Namespace>("kube_namespace_status_condition", "The condition of a namespace.", false, (n) => (n.status?.conditions ?? []).flatMap((c) => conditionSamples(c.status, ["condition", "status"], [c.type]))),
  ];
}

// --- Nodes (internal/store/node.go) ------------------------------------------------------------

function nodeFamilies(allow: Allowlists): Array<FamilyGenerator<Node>> {
  return [
    annotationsFamily<Node>("kube_node_annotations", allow.annotations),
    g<Node>("kube_node_created", "Unix creation timestamp", true, (n) => (n.metadata.creationTimestamp ? one(unix(n.metadata.creationTimestamp)) : [])),
    g<Node>("kube_node_deletion_timestamp", "Unix deletion timestamp", false, (n) => (n.metadata.deletionTimestamp ? one(unix(n.metadata.deletionTimestamp)) : [])),
    g<Node>("kube_node_info", "Information about a cluster node.", true, (n) => {
      const info = n.status?.nodeInfo;
      const internalIP = [...(n.status?.addresses ?? [])].reverse().find((a) => a.type === "InternalIP")?.address ?? "";
      return one(1, ["kernel_version", "os_image", "container_runtime_version", "kubelet_version", "kubeproxy_version", "provider_id", "pod_cidr", "system_uuid", "internal_ip"], [info?.kernelVersion ?? "", info?.osImage ?? "", info?.containerRuntimeVersion ?? "", info?.kubeletVersion ?? "", "deprecated", n.spec?.providerID ?? "", n.spec?.podCIDR ?? "", info?.systemUUID ?? "", internalIP]);
    }),
    labelsFamily<Node>("kube_node_labels", allow.labels),
    g<Node>("kube_node_role", "The role of a cluster node.", false, (n) =>
      Object.keys(n.metadata.labels ?? {})
        .filter((l) => l.startsWith("node-role.kubernetes.io/"))
        .map((l) => ({ keys: ["role"], values: [l.slice("node-role.kubernetes.io/".length)], value: 1 })),
    ),
    g<Node>("kube_node_spec_taint", "The taint of a cluster node.", true, (n) => (n.spec?.taints ?? []).map((t) => ({ keys: ["key", "value", "effect"], values: [t.key, t.value ?? "", t.effect], value: 1 }))),
    g<Node>("kube_node_spec_unschedulable", "Whether a node can schedule new pods.", true, (n) => one(bool(n.spec?.unschedulable))),
    g<Node>("kube_node_status_allocatable", "The allocatable for different resources of a node that are available for scheduling.", true, (n) => nodeResourceSamples(n.status?.allocatable as Record<string, unknown> | undefined)),
    g<Node>("kube_node_status_capacity", "The capacity for different resources of a node.", true, (n) => nodeResourceSamples(n.status?.capacity as Record<string, unknown> | undefined)),
    g<Node>("kube_node_status_condition", "The condition of a cluster node.", true, (n) => (n.status?.conditions ?? []).flatMap((c) => conditionSamples(c.status, ["condition", "status"], [c.type]))),
    g<Node>("kube_node_status_addresses", "Node address information.", false, (n) => (n.status?.addresses ?? []).map((a) => ({ keys: ["type", "address"], values: [a.type, a.address], value: 1 }))),
  ];
}

export const DEPLOYMENTS: ResourceStore<Deployment> = { resource: "deployments", kind: "Deployment", namespaced: true, identity: (d) => [["namespace", "deployment"], [d.metadata.namespace ?? "", d.metadata.name ?? ""]], families: deploymentFamilies };
export const NAMESPACES: ResourceStore<Namespace> = { resource: "namespaces", kind: "Namespace", namespaced: false, identity: (n) => [["namespace"], [n.metadata.name ?? ""]], families: namespaceFamilies };
export const NODES: ResourceStore<Node> = { resource: "nodes", kind: "Node", namespaced: false, identity: (n) => [["node"], [n.metadata.name ?? ""]], families: nodeFamilies };
export const PODS: ResourceStore<Pod> = { resource: "pods", kind: "Pod", namespaced: true, identity: (p) => [["namespace", "pod", "uid"], [p.metadata.namespace ?? "", p.metadata.name ?? "", p.metadata.uid ?? ""]], families: podFamilies };

/** The modelled stores by resource name (the builder's enabled resources, in name order when written). */
export const MODELLED_STORES: ReadonlyMap<string, ResourceStore<never>> = new Map<string, ResourceStore<never>>([
  ["deployments", DEPLOYMENTS as ResourceStore<never>],
  ["namespaces", NAMESPACES as ResourceStore<never>],
  ["nodes", NODES as ResourceStore<never>],
  ["pods", PODS as ResourceStore<never>],
]);

/** options.DefaultResources (pkg/options/resource.go at v2.15.0), sorted as the builder sorts them. */
export const DEFAULT_RESOURCES = [
  "certificatesigningrequests", "configmaps", "cronjobs", "daemonsets", "deployments", "endpoints", "horizontalpodautoscalers", "ingresses", "jobs", "leases", "limitranges", "mutatingwebhookconfigurations", "namespaces", "networkpolicies", "nodes", "persistentvolumeclaims", "persistentvolumes", "poddisruptionbudgets", "pods", "replicasets", "replicationcontrollers", "resourcequotas", "secrets", "services", "statefulsets", "storageclasses", "validatingwebhookconfigurations", "volumeattachments",
];
