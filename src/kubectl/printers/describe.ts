/**
 * `kubectl describe` layouts (k8s.io/kubectl/pkg/describe/describe.go) for pods, nodes, services
 * and endpoints, and a short generic one for other kinds. Lines go through a tabwriter with
 * describe's settings (minwidth 0, padding 2), so `Label:\tvalue` lines align per block.
 */
import { extractFieldPathAsString } from "../../api/fieldpath.ts";
import { equalIgnoreHash } from "../../controllers/deploymentutil.ts";
import { extractContainerResourceValue } from "../../api/resource/helpers.ts";
import type { KObject } from "../../api/types.ts";
import type {
  Container, ContainerResourceMetricSource, ContainerState, ContainerStatus, EndpointSlice, Endpoints, ExternalMetricSource, HPAScalingRules, LabelSelector,
  LoadBalancerIngress, MetricSpec, MetricStatus, ObjectMetricSource, PersistentVolumeClaim, PodsMetricSource, VolumeNodeAffinity, Pod, PodSpec, PodStatus, PodTemplateSpec, Probe, ResourceFieldSelector, Taint,
  Toleration, Volume,
} from "../../api/types.gen.ts";
import { humanDuration, translateTimestampSince } from "../humanduration.ts";
import { describeNodeResourceLines, nodeResourceSummary } from "./noderesources.ts";
import { getPodQOS } from "../../api/helper/qos.ts";
import { canonicalQuantity } from "../../api/quantity.ts";
import { formatLabels, formatLabelSelector, nodeRoles } from "./tablegen.ts";
import { tabwrite } from "./tabwriter.ts";

const L = ["", "  ", "    ", "      "];
const MAX_ANNOTATION_LEN = 140;
const SKIP_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

/** describe's PrefixWriter: text accumulated with its level prefix, tab-aligned at the end. */
export class PrefixWriter {
  private buf = "";
  write(level: number, text: string): void {
    this.buf += L[level] + text;
  }
  line(text: string): void {
    this.buf += text + "\n";
  }
  toString(): string {
    return tabwrite(this.buf, { minWidth: 0, padding: 2 });
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Go's time.RFC1123Z in UTC: `Mon, 08 Jan 2024 00:00:00 +0000`; the zero time when unset. */
export function rfc1123z(ts: string | null | undefined): string {
  if (!ts) return "Mon, 01 Jan 0001 00:00:00 +0000";
  const d = new Date(Date.parse(ts));
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

export function labelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = "", innerIndent = "\t"): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, initialIndent + innerIndent);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

export function annotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, "\t");
    const value = annotations![k].replace(/\n$/, "");
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const s of value.split("\n")) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + "..." : s}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

export function taintString(t: Taint): string {
  let s = t.key ?? "";
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  return s;
}

function taintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(taints ?? [])];
  if (list.length === 0) return w.line("<none>");
  const key = (t: Taint) => `${t.effect ?? ""},${t.key ?? ""}`;
  list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    w.write(0, `${taintString(t)}\n`);
  });
}

function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(tolerations ?? [])];
  if (list.length === 0) return w.line("<none>");
  list.sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0));
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    let s = t.key ?? "";
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, s + "\n");
  });
}

/** DescribeEvents: sorted by lastTimestamp (stable), `Age` as `10s` or `2m (x3 over 5m)`. */
function describeEvents(w: PrefixWriter, events: KObject[] | undefined, now: number): void {
  if (!events) return;
  if (events.length === 0) {
    w.write(0, "Events:\t<none>\n");
    return;
  }
  const ts = (e: KObject) => (e.lastTimestamp ? Date.parse(e.lastTimestamp) : -Infinity);
  const sorted = [...events].sort((a, b) => ts(a) - ts(b));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  const micro = (t: string | null | undefined) => (t ? humanDuration(now - Date.parse(t)) : "<unknown>");
  for (const e of sorted) {
    let first = micro(e.eventTime);
    if (!e.eventTime) first = translateTimestampSince(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${micro(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingController || e.reportingComponent || "";
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${source}\t${String(e.message ?? "").trim()}\n`);
  }
}

// ---- pods ---------------------------------------------------------------------------------

function describeStatus(w: PrefixWriter, stateName: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${stateName}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${stateName}:\tWaiting\n`);
}

/** DescribeProbe: `http-get http://:8080/health delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const scheme = String(p.httpGet.scheme ?? "HTTP").toLowerCase();
    const host = p.httpGet.host ?? "";
    const port = p.httpGet.port !== undefined ? String(p.httpGet.port) : "";
    const hostPort = port ? (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`) : host;
    let path = p.httpGet.path ?? "";
    if (path && !path.startsWith("/")) path = "/" + path;
    return `http-get ${scheme}://${hostPort}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

/** Quantity.String(): kubectl decodes quantities and prints them in canonical form (102400000Ki → 100000Mi). */
function quantityText(v: unknown): string {
  try {
    return canonicalQuantity(v);
  } catch {
    return String(v);
  }
}

function sortedResourceNames(list: Record<string, unknown>): string[] {
  // SortableResourceNames: plain alphabetical order.
  return Object.keys(list).sort();
}

function describeContainers(w: PrefixWriter, label: string, containers: Container[], statuses: ContainerStatus[] | undefined, pod: Pod, space = ""): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  if (containers.length === 0) {
    w.write(0, `${space}${label}:\t<none>\n`);
    return;
  }
  w.write(0, `${space}${label}:\n`);
  for (const c of containers) {
    const st = byName.get(c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image ?? ""}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ""}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
    if (ports.includes(",")) w.write(2, `Ports:\t${ports}\n`);
    else w.write(2, `Port:\t${ports || "<none>"}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`).join(", ");
    if (hostPorts.includes(",")) w.write(2, `Host Ports:\t${hostPorts}\n`);
    else w.write(2, `Host Port:\t${hostPorts || "<none>"}\n`);
    if (c.restartPolicy) w.write(2, `Restart Policy:\t${c.restartPolicy}\n`);
    if ((c.command ?? []).length > 0) {
      w.write(2, "Command:\n");
      for (const x of c.command!) for (const s of String(x).split("\n")) w.write(3, `${s}\n`);
    }
    if ((c.args ?? []).length > 0) {
      w.write(2, "Args:\n");
      for (const x of c.args!) for (const s of String(x).split("\n")) w.write(3, `${s}\n`);
    }
    if (st) {
      describeStatus(w, "State", st.state);
      if (st.lastState?.terminated) describeStatus(w, "Last State", st.lastState);
      w.write(2, `Ready:\t${st.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length > 0) w.write(2, "Limits:\n");
    for (const n of sortedResourceNames(limits)) w.write(3, `${n}:\t${quantityText(limits[n])}\n`);
    if (Object.keys(requests).length > 0) w.write(2, "Requests:\n");
    for (const n of sortedResourceNames(requests)) w.write(3, `${n}:\t${quantityText(requests[n])}\n`);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if ((c.envFrom ?? []).length > 0) {
      w.write(2, "Environment Variables from:\n");
      for (const e of c.envFrom!) {
        const [kind, ref] = e.configMapRef ? ["ConfigMap", e.configMapRef] : ["Secret", e.secretRef];
        const optional = ref?.optional ? "true" : "false";
        w.write(3, `${ref?.name}\t${kind}\tOptional: ${optional}\n`);
      }
    }
    const env = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? "\t<none>" : ""}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        String(e.value ?? "")
          .split("\n")
          .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
        continue;
      }
      const vf = e.valueFrom;
      if (vf.fieldRef) w.write(3, `${e.name}:\t${resolveFieldRef(pod, vf.fieldRef.fieldPath)} (${vf.fieldRef.apiVersion ?? "v1"}:${vf.fieldRef.fieldPath})\n`);
      else if (vf.resourceFieldRef) w.write(3, `${e.name}:\t${describeResourceFieldRef(c, vf.resourceFieldRef)}\n`);
      else if (vf.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>\tOptional: ${!!vf.secretKeyRef.optional}\n`);
      else if (vf.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>\tOptional: ${!!vf.configMapKeyRef.optional}\n`);
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    w.write(2, `Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw"];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
}

/**
 * EnvValueRetriever: kubectl converts the field path with its scheme, whose default conversion
 * knows only metadata.name and metadata.namespace; every other path prints empty.
 */
function resolveFieldRef(pod: Pod, path: string): string {
  if (path !== "metadata.name" && path !== "metadata.namespace") return "";
  const v = extractFieldPathAsString(pod, path);
  return v instanceof Error ? "" : v;
}

/** A resourceFieldRef as kubectl computes it from the container alone; an unset cpu or memory limit reads "node allocatable". */
function describeResourceFieldRef(container: Container, ref: ResourceFieldSelector): string {
  const v = extractContainerResourceValue(ref, container);
  let value = v instanceof Error ? "" : v;
  if (value === "0" && (ref.resource === "limits.cpu" || ref.resource === "limits.memory")) value = "node allocatable";
  return `${value} (${ref.resource})`;
}

function describeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space = ""): void {
  if (!volumes || volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? " " : ""}${v.name}:\n`);
    if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || "<none>"}\n`);
    } else if (v.emptyDir) {
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ""}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${!!v.configMap.optional}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${!!v.secret.optional}\n`);
    } else if (v.projected) {
      w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
      for (const s of v.projected.sources ?? []) {
        if (s.secret) w.write(2, `SecretName:\t${s.secret.name}\n    SecretOptionalName:\t${s.secret.optional ?? "<nil>"}\n`);
        else if (s.downwardAPI) w.write(2, "DownwardAPI:\ttrue\n");
        else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name}\n    ConfigMapOptional:\t${s.configMap.optional ?? "<nil>"}\n`);
        else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
      }
    } else if (v.persistentVolumeClaim) {
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`);
    } else if (v.downwardAPI) {
      w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
      for (const it of v.downwardAPI.items ?? []) {
        if (it.fieldRef) w.write(3, `${it.fieldRef.fieldPath} -> ${it.path}\n`);
        else if (it.resourceFieldRef) w.write(3, `${it.resourceFieldRef.resource} -> ${it.path}\n`);
      }
    } else w.write(2, "<unknown>\n");
  }
}

export function describePod(pod: Pod, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const st: PodStatus = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${st.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  labelsMultiline(w, "Labels", pod.metadata.labels);
  annotationsMultiline(w, "Annotations", pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && st.phase !== "Failed" && st.phase !== "Succeeded") {
    w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(pod.metadata.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${st.phase ?? ""}\n`);
  if (st.reason) w.write(0, `Reason:\t${st.reason}\n`);
  if (st.message) w.write(0, `Message:\t${st.message}\n`);
  w.write(0, `IP:\t${st.podIP ?? ""}\n`);
  const ips = st.podIPs ?? [];
  if (ips.length === 0) w.write(0, "IPs:\t<none>\n");
  else {
    w.write(0, "IPs:\n");
    for (const ip of ips) w.write(0, `  IP:\t${ip.ip}\n`);
  }
  const controller = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (st.nominatedNodeName) w.write(0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, "Init Containers", spec.initContainers!, st.initContainerStatuses, pod);
  describeContainers(w, "Containers", spec.containers ?? [], st.containerStatuses, pod);
  if ((spec.ephemeralContainers ?? []).length > 0) describeContainers(w, "Ephemeral Containers", spec.ephemeralContainers as Container[], st.ephemeralContainerStatuses, pod);
  if ((spec.readinessGates ?? []).length > 0) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of spec.readinessGates!) {
      const c = (st.conditions ?? []).find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : "<none>"} \n`);
    }
  }
  if ((st.conditions ?? []).length > 0) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of st.conditions!) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes);
  w.write(0, `QoS Class:\t${getPodQOS(pod)}\n`);
  labelsMultiline(w, "Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "Tolerations", spec.tolerations);
  const tscs = spec.topologySpreadConstraints ?? [];
  if (tscs.length > 0) {
    w.write(0, "Topology Spread Constraints:\t");
    tscs.forEach((t, i) => {
      if (i !== 0) w.write(0, "\t");
      w.write(0, `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded for selector ${formatSelector(t.labelSelector)}\n`);
    });
  }
  describeEvents(w, events, now);
  return w.toString();
}

function formatSelector(sel: LabelSelector | undefined): string {
  const labels = sel?.matchLabels ?? {};
  const parts = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  return parts.join(",") || "<none>";
}

// ---- nodes --------------------------------------------------------------------------------

export function describeNode(node: KObject, pods: KObject[], events: KObject[] | undefined, lease: KObject | undefined, now: number): string {
  const w = new PrefixWriter();
  const st = node.status ?? {};
  const spec = node.spec ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = nodeRoles(node);
  w.write(0, `Roles:\t${roles.length > 0 ? roles.join(",") : "<none>"}\n`);
  labelsMultiline(w, "Labels", node.metadata.labels);
  annotationsMultiline(w, "Annotations", node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  taintsMultiline(w, "Taints", spec.taints);
  w.write(0, `Unschedulable:\t${!!spec.unschedulable}\n`);
  if (lease) {
    w.write(0, "Lease:\n");
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? "<unset>"}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : "<unset>"}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : "<unset>"}\n`);
  }
  if ((st.conditions ?? []).length > 0) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  w.write(0, "Addresses:\n");
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const printList = (list: Record<string, string>) => {
    for (const k of sortedResourceNames(list)) w.write(0, `  ${k}:\t${quantityText(list[k])}\n`);
  };
  if (Object.keys(st.capacity ?? {}).length > 0) {
    w.write(0, "Capacity:\n");
    printList(st.capacity);
  }
  if (Object.keys(st.allocatable ?? {}).length > 0) {
    w.write(0, "Allocatable:\n");
    printList(st.allocatable);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, "System Info:\n");
  w.write(0, `  Machine ID:\t${info.machineID ?? ""}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ""}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ""}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ""}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ""}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ""}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ""}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ""}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ""}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ""}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if ((spec.podCIDRs ?? []).length > 0) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(",")}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);

  for (const line of describeNodeResourceLines(nodeResourceSummary(node, pods), (ts) => translateTimestampSince(ts, now))) w.write(0, line + "\n");
  describeEvents(w, events, now);
  return w.toString();
}

// ---- services and endpoints ---------------------------------------------------------------

/**
 * formatEndpointSlices (describe.go): `ip:port` of the slices' ready endpoints for one port name,
 * at most 3 (not-ready endpoints left out, as the real kubectl v1.32 shows them).
 */
export function formatEndpointSlices(slices: KObject[], portName: string | undefined): string {
  if (slices.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const slice of slices as EndpointSlice[]) {
    const endpoints = (slice.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!more) list.push(ep.addresses?.[0]);
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if (portName !== undefined && (port.name ?? "") !== portName) continue;
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!more) {
          const addr: string = ep.addresses?.[0] ?? "";
          list.push(addr.includes(":") ? `[${addr}]:${port.port}` : `${addr}:${port.port}`);
        }
        count++;
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function describeService(svc: KObject, slices: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", svc.metadata.labels);
  annotationsMultiline(w, "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ""}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${(spec.clusterIPs ?? []).length > 0 ? spec.clusterIPs.join(",") : "<none>"}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(0, `External IPs:\t${spec.externalIPs.join(",")}\n`);
  if (spec.loadBalancerIP) w.write(0, `IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress: LoadBalancerIngress[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname).join(", ")}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "TCP";
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? "")}\n`);
  }
  if ((spec.ports ?? []).length === 0) w.write(0, `Endpoints:\t${formatEndpointSlices(slices, undefined)}\n`);
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? "None"}\n`);
  if (spec.sessionAffinity === "ClientIP" && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== undefined) {
    w.write(0, `Session Affinity Timeout:\t${spec.sessionAffinityConfig.clientIP.timeoutSeconds}s\n`);
  }
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

export function describeEndpoints(ep: Endpoints, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", ep.metadata.labels);
  annotationsMultiline(w, "Annotations", ep.metadata.annotations);
  w.write(0, "Subsets:\n");
  for (const ss of ep.subsets ?? []) {
    const ready = (ss.addresses ?? []).map((a) => a.ip).join(",");
    w.write(1, `Addresses:\t${ready || "<none>"}\n`);
    const notReady = (ss.notReadyAddresses ?? []).map((a) => a.ip).join(",");
    w.write(1, `NotReadyAddresses:\t${notReady || "<none>"}\n`);
    if ((ss.ports ?? []).length > 0) {
      w.write(1, "Ports:\n");
      w.write(2, "Name\tPort\tProtocol\n");
      w.write(2, "----\t----\t--------\n");
      for (const p of ss.ports!) w.write(2, `${p.name || "<unset>"}\t${p.port}\t${p.protocol ?? "TCP"}\n`);
    }
    w.write(0, "\n");
  }
  describeEvents(w, events, now);
  return w.toString();
}

export function describeConfigMap(cm: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", cm.metadata.labels);
  annotationsMultiline(w, "Annotations", cm.metadata.annotations);
  // Go ranges over the maps in random order; the simulation prints the keys sorted.
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, "\n");
  }
  w.write(0, "\nBinaryData\n====\n");
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) {
    w.write(0, `${k}: ${Buffer.from(String(cm.binaryData[k]), "base64").length} bytes\n`);
  }
  w.write(0, "\n");
  describeEvents(w, events, now);
  return w.toString();
}

/**
 * describeSecret (SecretDescriber): the sizes of the values, never the values, except a
 * service-account token's `token`; a Secret shows no events.
 */
export function describeSecret(secret: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${secret.metadata.name}\n`);
  w.write(0, `Namespace:\t${secret.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", secret.metadata.labels);
  annotationsMultiline(w, "Annotations", secret.metadata.annotations);
  w.write(0, `\nType:\t${secret.type ?? ""}\n`);
  // Go ranges over the map in random order; the simulation prints the keys sorted.
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(secret.data ?? {}).sort()) {
    const value = Buffer.from(String(secret.data[k] ?? ""), "base64");
    if (k === "token" && secret.type === "kubernetes.io/service-account-token") w.write(0, `${k}:\t${value.toString("utf8")}\n`);
    else w.write(0, `${k}:\t${value.length} bytes\n`);
  }
  return w.toString();
}

/**
 * describeServiceAccount (ServiceAccountDescriber): the image pull secrets, mountable secrets and
 * tokens (the namespace's service-account-token Secrets annotated with the account's name and uid),
 * each header in sorted order with `<none>` when empty; a listed secret that does not exist is
 * marked `(not found)`.
 */
export function describeServiceAccount(sa: KObject, secrets: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", sa.metadata.labels);
  annotationsMultiline(w, "Annotations", sa.metadata.annotations);
  const existing = new Set(secrets.map((s) => s.metadata.name!));
  const tokens = secrets
    .filter((s) => s.type === "kubernetes.io/service-account-token" && (s.metadata.annotations?.["kubernetes.io/service-account.name"] ?? "") === sa.metadata.name && (s.metadata.annotations?.["kubernetes.io/service-account.uid"] ?? "") === sa.metadata.uid)
    .map((s) => s.metadata.name!);
  const names = (refs: Array<{ name?: string }> | undefined) => (refs ?? []).map((r) => r.name ?? "");
  const pull = names(sa.imagePullSecrets);
  const mount = names(sa.secrets);
  const missing = new Set([...mount, ...pull].filter((n) => !existing.has(n)));
  const emptyHeader = "                   ";
  const types: Array<[string, string[]]> = [
    ["Image pull secrets:", pull],
    ["Mountable secrets: ", mount],
    ["Tokens:            ", tokens],
  ];
  for (const [header, list] of types) {
    if (list.length === 0) {
      w.write(0, `${header}\t<none>\n`);
      continue;
    }
    let prefix = header;
    for (const name of list) {
      w.write(0, `${prefix}\t${name}${missing.has(name) ? " (not found)" : ""}\n`);
      prefix = emptyHeader;
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** DescribePodTemplate: the template of a Deployment, ReplicaSet or Job. */
function describePodTemplate(w: PrefixWriter, template: PodTemplateSpec | undefined): void {
  w.write(0, "Pod Template:\n");
  if (!template) {
    w.write(1, "<unset>");
    return;
  }
  const spec: Partial<PodSpec> = template.spec ?? {};
  labelsMultiline(w, "  Labels", template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) annotationsMultiline(w, "  Annotations", template.metadata!.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  const podLike = { apiVersion: "v1", kind: "Pod", metadata: template.metadata ?? {}, spec } as Pod;
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, "Init Containers", spec.initContainers!, undefined, podLike, "  ");
  describeContainers(w, "Containers", spec.containers ?? [], undefined, podLike, "  ");
  describeVolumes(w, spec.volumes, "  ");
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labelsMultiline(w, "  Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "  Tolerations", spec.tolerations);
}

/** DescribePodTemplate on its own (what `rollout history --revision=N` prints). */
export function describePodTemplateText(template: PodTemplateSpec | undefined): string {
  const w = new PrefixWriter();
  describePodTemplate(w, template);
  return w.toString();
}

function describeConditionsWithReason(w: PrefixWriter, conditions: Array<{ type: string; status: string; reason?: string }> | undefined): void {
  if ((conditions ?? []).length === 0) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of conditions!) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

const rsSummary = (list: KObject[]) =>
  list.length === 0 ? "<none>" : list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(", ");

export function describeDeployment(d: KObject, replicaSets: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, "Labels", d.metadata.labels);
  annotationsMultiline(w, "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  const strategy = spec.strategy ?? {};
  w.write(0, `StrategyType:\t${strategy.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  if (strategy.rollingUpdate) {
    w.write(0, `RollingUpdateStrategy:\t${strategy.rollingUpdate.maxUnavailable ?? ""} max unavailable, ${strategy.rollingUpdate.maxSurge ?? ""} max surge\n`);
  }
  describePodTemplate(w, spec.template);
  describeConditionsWithReason(w, st.conditions);
  const owned = replicaSets.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === d.metadata.uid));
  // deploymentutil.FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's
  // (none while a paused Deployment's template was changed).
  const byAge = [...owned].sort((a, b) => String(a.metadata.creationTimestamp ?? "").localeCompare(String(b.metadata.creationTimestamp ?? "")) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  const newRS = byAge.find((rs) => equalIgnoreHash(rs.spec?.template, spec.template));
  const oldRSs = owned.filter((rs) => rs !== newRS && (rs.spec?.replicas ?? 0) !== 0);
  w.write(0, `OldReplicaSets:\t${rsSummary(oldRSs)}\n`);
  w.write(0, `NewReplicaSet:\t${newRS ? rsSummary([newRS]) : "<none>"}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

export function describeReplicaSet(rs: KObject, pods: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = rs.spec ?? {};
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  labelsMultiline(w, "Labels", rs.metadata.labels);
  annotationsMultiline(w, "Annotations", rs.metadata.annotations);
  const controller = (rs.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, spec.template);
  describeConditionsWithReason(w, rs.status?.conditions);
  describeEvents(w, events, now);
  return w.toString();
}

/** ReplicationControllerDescriber (describe.go describeReplicationController); `pods` are the RC's own pods. */
export function describeReplicationController(rc: KObject, pods: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = rc.spec ?? {};
  w.write(0, `Name:\t${rc.metadata.name}\n`);
  w.write(0, `Namespace:\t${rc.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  labelsMultiline(w, "Labels", rc.metadata.labels);
  annotationsMultiline(w, "Annotations", rc.metadata.annotations);
  w.write(0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  describePodTemplate(w, spec.template);
  describeConditionsWithReason(w, rc.status?.conditions);
  describeEvents(w, events, now);
  return w.toString();
}

/** getPodStatusForController: the controller's pods by phase (Running / Waiting = Pending / Succeeded / Failed). */
function podsStatusLine(pods: KObject[]): string {
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  return `${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed`;
}

/** DaemonSetDescriber; `pods` are the DaemonSet's own pods. */
export function describeDaemonSet(ds: KObject, pods: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = ds.spec ?? {};
  const st = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
  labelsMultiline(w, "Labels", ds.metadata.labels);
  annotationsMultiline(w, "Annotations", ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, events, now);
  return w.toString();
}

/** describeVolumeClaimTemplates (a StatefulSet's claim templates). */
function describeVolumeClaimTemplates(w: PrefixWriter, templates: PersistentVolumeClaim[] | undefined): void {
  if (!templates?.length) {
    w.write(0, "Volume Claims:\t<none>\n");
    return;
  }
  w.write(0, "Volume Claims:\n");
  for (const pvc of templates) {
    w.write(1, `Name:\t${pvc.metadata?.name ?? ""}\n`);
    const cls = pvc.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? pvc.spec?.storageClassName ?? "";
    w.write(1, `StorageClass:\t${cls}\n`);
    labelsMultiline(w, "Labels", pvc.metadata?.labels, "  ");
    labelsMultiline(w, "Annotations", pvc.metadata?.annotations, "  ");
    const storage = pvc.spec?.resources?.requests?.storage;
    w.write(1, `Capacity:\t${storage !== undefined ? quantityText(storage) : "<default>"}\n`);
    w.write(1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(" ")}]\n`);
  }
}

/** StatefulSetDescriber; `pods` are the set's own pods. */
export function describeStatefulSet(sts: KObject, pods: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = sts.spec ?? {};
  w.write(0, `Name:\t${sts.metadata.name}\n`);
  w.write(0, `Namespace:\t${sts.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(sts.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  labelsMultiline(w, "Labels", sts.metadata.labels);
  annotationsMultiline(w, "Annotations", sts.metadata.annotations);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ""}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  describePodTemplate(w, spec.template);
  describeVolumeClaimTemplates(w, spec.volumeClaimTemplates);
  describeEvents(w, events, now);
  return w.toString();
}

export function describeJob(job: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  labelsMultiline(w, "Labels", job.metadata.labels);
  annotationsMultiline(w, "Annotations", job.metadata.annotations);
  const controller = (job.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? "<unset>"}\n`);
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) {
    w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
    w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  }
  if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  w.write(0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready ?? 0} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === "Indexed") w.write(0, `Completed Indexes:\t${st.completedIndexes || "<none>"}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, events, now);
  return w.toString();
}

// ---- storage ------------------------------------------------------------------------------

const ACCESS_MODES: Array<[string, string]> = [["ReadWriteOnce", "RWO"], ["ReadOnlyMany", "ROX"], ["ReadWriteMany", "RWX"], ["ReadWriteOncePod", "RWOP"]];
/** storageutil.GetAccessModesAsString */
function accessModesText(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  return ACCESS_MODES.filter(([k]) => m.has(k)).map(([, v]) => v).join(",");
}

function storageClassOf(obj: KObject): string {
  return obj.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? obj.spec?.storageClassName ?? "";
}

/** Go's %v of a []string: `[a b]`. */
const goList = (xs: string[] | undefined) => `[${(xs ?? []).join(" ")}]`;

/** printPodsMultiline ("Used By"). */
function podsMultiline(w: PrefixWriter, title: string, pods: KObject[]): void {
  w.write(0, `${title}:\t`);
  if (pods.length === 0) return w.line("<none>");
  pods.forEach((p, i) => {
    if (i !== 0) w.write(0, "\t");
    w.write(0, `${p.metadata.name}\n`);
  });
}

/** PersistentVolumeClaimDescriber; `mountPods` are the pods that use the claim. */
export function describePersistentVolumeClaim(pvc: KObject, mountPods: KObject[], events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace}\n`);
  w.write(0, `StorageClass:\t${storageClassOf(pvc)}\n`);
  if (pvc.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(pvc.metadata.deletionTimestamp, now)})\n`);
  else w.write(0, `Status:\t${pvc.status?.phase ?? ""}\n`);
  w.write(0, `Volume:\t${pvc.spec?.volumeName ?? ""}\n`);
  labelsMultiline(w, "Labels", pvc.metadata.labels);
  annotationsMultiline(w, "Annotations", pvc.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pvc.metadata.finalizers)}\n`);
  let capacity = "";
  let modes = "";
  if (pvc.spec?.volumeName) {
    modes = accessModesText(pvc.status?.accessModes);
    const cap = pvc.status?.capacity?.storage;
    capacity = cap !== undefined ? quantityText(cap) : "0";
  }
  w.write(0, `Capacity:\t${capacity}\n`);
  w.write(0, `Access Modes:\t${modes}\n`);
  if (pvc.spec?.volumeMode) w.write(0, `VolumeMode:\t${pvc.spec.volumeMode}\n`);
  podsMultiline(w, "Used By", mountPods);
  describeEvents(w, events, now);
  return w.toString();
}

/** printVolumeNodeAffinity */
function volumeNodeAffinity(w: PrefixWriter, affinity: VolumeNodeAffinity | undefined): void {
  w.write(0, "Node Affinity:\t");
  if (!affinity?.required) return w.line("<none>");
  w.line("");
  w.write(1, "Required Terms:\t");
  const terms = affinity.required.nodeSelectorTerms ?? [];
  if (terms.length === 0) return w.line("<none>");
  w.line("");
  terms.forEach((term, i) => {
    w.write(2, `Term ${i}:\t`);
    const reqs = term.matchExpressions ?? [];
    if (reqs.length === 0) return w.line("<none>");
    reqs.forEach((r, j) => {
      if (j !== 0) w.write(2, "\t");
      let expr = `${r.key} ${String(r.operator).toLowerCase()}`;
      if ((r.values ?? []).length) expr += ` [${r.values!.join(", ")}]`;
      w.write(0, `${expr}\n`);
    });
  });
}

/** PersistentVolumeDescriber (hostPath, local and NFS sources; others by type name). */
export function describePersistentVolume(pv: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pv.spec ?? {};
  w.write(0, `Name:\t${pv.metadata.name}\n`);
  labelsMultiline(w, "Labels", pv.metadata.labels);
  annotationsMultiline(w, "Annotations", pv.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pv.metadata.finalizers)}\n`);
  w.write(0, `StorageClass:\t${storageClassOf(pv)}\n`);
  if (pv.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(pv.metadata.deletionTimestamp, now)})\n`);
  else w.write(0, `Status:\t${pv.status?.phase ?? ""}\n`);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : ""}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ""}\n`);
  w.write(0, `Access Modes:\t${accessModesText(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${spec.capacity?.storage !== undefined ? quantityText(spec.capacity.storage) : "0"}\n`);
  volumeNodeAffinity(w, spec.nodeAffinity);
  w.write(0, `Message:\t${pv.status?.message ?? ""}\n`);
  w.write(0, "Source:\n");
  if (spec.hostPath) {
    w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type || "<none>"}\n`);
  } else if (spec.local) {
    w.write(2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
  } else if (spec.nfs) {
    w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${!!spec.nfs.readOnly}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** StorageClassDescriber */
export function describeStorageClass(sc: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const ann = sc.metadata.annotations ?? {};
  const isDefault = ann["storageclass.kubernetes.io/is-default-class"] === "true" || ann["storageclass.beta.kubernetes.io/is-default-class"] === "true";
  w.write(0, `Name:\t${sc.metadata.name}\n`);
  w.write(0, `IsDefaultClass:\t${isDefault ? "Yes" : "No"}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner ?? ""}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined || sc.allowVolumeExpansion === null ? "<unset>" : sc.allowVolumeExpansion ? "True" : "False"}\n`);
  const opts: string[] = sc.mountOptions ?? [];
  w.write(0, `MountOptions:\t${opts.length === 0 ? "<none>" : ""}\n`);
  for (const o of opts) w.write(1, `${o}\n`);
  if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** printBoolPtr: True, False, or <unset>. */
function boolPtr(v: unknown): string {
  return v === undefined || v === null ? "<unset>" : v ? "True" : "False";
}

/** describeJobTemplate: a CronJob's Job template (its selector, parallelism, completions, Pod template). */
function describeJobTemplate(w: PrefixWriter, template: KObject["spec"]): void {
  const spec = template?.spec ?? {};
  w.write(0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : "<unset>"}\n`);
  w.write(0, `Parallelism:\t${spec.parallelism ?? "<unset>"}\n`);
  w.write(0, `Completions:\t${spec.completions ?? "<unset>"}\n`);
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, spec.template);
}

/** describeCronJob (kubectl/pkg/describe/describe.go). */
export function describeCronJob(cj: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? {};
  const st = cj.status ?? {};
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", cj.metadata.labels);
  annotationsMultiline(w, "Annotations", cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ""}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ""}\n`);
  w.write(0, `Suspend:\t${boolPtr(spec.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? "<unset>"}\n`);
  w.write(0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? "<unset>"}\n`);
  const deadline = spec.startingDeadlineSeconds;
  w.write(0, `Starting Deadline Seconds:\t${deadline === undefined || deadline === null ? "<unset>" : `${deadline}s`}\n`);
  describeJobTemplate(w, spec.jobTemplate);
  w.write(0, `Last Schedule Time:\t${st.lastScheduleTime ? rfc1123z(st.lastScheduleTime) : "<unset>"}\n`);
  // printActiveJobs: the names, comma-separated.
  const active: Array<{ name?: string }> = st.active ?? [];
  w.write(0, `Active Jobs:\t${active.length === 0 ? "<none>" : active.map((j) => j.name ?? "").join(", ")}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** describePodDisruptionBudgetV1 (kubectl/pkg/describe/describe.go). */
export function describePodDisruptionBudget(pdb: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pdb.spec ?? {};
  const st = pdb.status ?? {};
  w.write(0, `Name:\t${pdb.metadata.name}\n`);
  w.write(0, `Namespace:\t${pdb.metadata.namespace}\n`);
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) w.write(0, `Min available:\t${spec.minAvailable}\n`);
  else if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) w.write(0, `Max unavailable:\t${spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : "<unset>"}\n`);
  w.write(0, "Status:\n");
  w.write(2, `Allowed disruptions:\t${st.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${st.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${st.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${st.expectedPods ?? 0}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

// ---- autoscaling --------------------------------------------------------------------------

/** printDirectionBehavior: one direction's stabilization window and policies. */
function describeDirectionBehavior(w: PrefixWriter, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if ((rules.policies ?? []).length > 0) {
    w.write(2, `Select Policy: ${rules.selectPolicy ?? "Max"}\n`);
    w.write(2, "Policies:\n");
    for (const p of rules.policies!) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

/** A metric's `current / target` line (describeHorizontalPodAutoscalerV2's switch over metric types). */
function hpaMetricLine(w: PrefixWriter, metric: MetricSpec | undefined, current: MetricStatus | undefined): void {
  const q = (v: unknown) => (v === undefined || v === null ? "<unknown>" : String(v));
  switch (metric?.type) {
    case "External": {
      const m: Partial<ExternalMetricSource> = metric.external ?? {};
      if (m.target?.averageValue !== undefined) {
        w.write(1, `"${m.metric?.name}" (target average value):\t${q(current?.external?.current?.averageValue)} / ${m.target.averageValue}\n`);
      } else {
        w.write(1, `"${m.metric?.name}" (target value):\t${q(current?.external?.current?.value)} / ${q(m.target?.value)}\n`);
      }
      return;
    }
    case "Pods": {
      const m: Partial<PodsMetricSource> = metric.pods ?? {};
      w.write(1, `"${m.metric?.name}" on pods:\t${q(current?.pods?.current?.averageValue)} / ${q(m.target?.averageValue)}\n`);
      return;
    }
    case "Object": {
      const m: Partial<ObjectMetricSource> = metric.object ?? {};
      const what = `"${m.metric?.name}" on ${m.describedObject?.kind}/${m.describedObject?.name}`;
      if (m.target?.type === "AverageValue") {
        w.write(1, `${what} (target average value):\t${q(current?.object?.current?.averageValue)} / ${q(m.target?.averageValue)}\n`);
      } else {
        w.write(1, `${what} (target value):\t${q(current?.object?.current?.value)} / ${q(m.target?.value)}\n`);
      }
      return;
    }
    case "Resource":
    case "ContainerResource": {
      const container = metric.type === "ContainerResource";
      const m: Partial<ContainerResourceMetricSource> = (container ? metric.containerResource : metric.resource) ?? {};
      const cur = container ? current?.containerResource : current?.resource;
      const what = container ? `resource ${m.name} of container "${m.container}" on pods` : `resource ${m.name} on pods`;
      if (m.target?.averageValue !== undefined) {
        w.write(1, `${what}:\t${q(cur?.current?.averageValue)} / ${m.target.averageValue}\n`);
      } else {
        const c = cur ? `${cur.current?.averageUtilization ?? 0}% (${cur.current?.averageValue ?? "0"})` : "<unknown>";
        const t = m.target?.averageUtilization !== undefined ? `${m.target.averageUtilization}%` : "<auto>";
        w.write(1, `${what}  (as a percentage of request):\t${c} / ${t}\n`);
      }
      return;
    }
    default:
      w.write(1, `<unknown metric type ${JSON.stringify(String(metric?.type ?? ""))}>\n`);
  }
}

/** describeHorizontalPodAutoscalerV2: reference, metrics (current / target), replicas, behavior, conditions, events. */
export function describeHorizontalPodAutoscaler(hpa: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = hpa.spec ?? {};
  const st = hpa.status ?? {};
  w.write(0, `Name:\t${hpa.metadata.name}\n`);
  w.write(0, `Namespace:\t${hpa.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", hpa.metadata.labels);
  annotationsMultiline(w, "Annotations", hpa.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}\n`);
  w.write(0, "Metrics:\t( current / target )\n");
  (spec.metrics ?? []).forEach((m: MetricSpec, i: number) => hpaMetricLine(w, m, (st.currentMetrics ?? [])[i]));
  w.write(0, `Min replicas:\t${spec.minReplicas ?? "<unset>"}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
  if (spec.behavior) {
    w.write(0, "Behavior:\n");
    describeDirectionBehavior(w, "Scale Up", spec.behavior.scaleUp);
    describeDirectionBehavior(w, "Scale Down", spec.behavior.scaleDown);
  }
  w.write(0, `${spec.scaleTargetRef?.kind} pods:\t${st.currentReplicas ?? 0} current / ${st.desiredReplicas ?? 0} desired\n`);
  if ((st.conditions ?? []).length > 0) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tReason\tMessage\n");
    w.write(1, "----\t------\t------\t-------\n");
    for (const c of st.conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason}\t${c.message}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** Other kinds: the metadata block and events (kubectl has a describer per kind; see docs/divergences.md). */
export function describeGeneric(obj: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  if (obj.metadata.namespace) w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", obj.metadata.labels);
  annotationsMultiline(w, "Annotations", obj.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/**
 * fatih/camelcase's Split as kubectl's smartLabelFor uses it: runs of lower-case letters, upper-case
 * letters and digits, the last capital of a capital run starting the next lower-case run.
 */
export function camelcaseSplit(src: string): string[] {
  const kind = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 4);
  const runs: string[] = [];
  let last = 0;
  for (const c of src) {
    const k = kind(c);
    if (k === last && runs.length) runs[runs.length - 1] += c;
    else runs.push(c);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i]![0]!) === 2 && kind(runs[i + 1]![0]!) === 1) {
      runs[i + 1] = runs[i]!.slice(-1) + runs[i + 1];
      runs[i] = runs[i]!.slice(0, -1);
    }
  }
  return runs.filter((r) => r.length > 0);
}

/** smartLabelFor: `dnsNames` → `Dns Names`, `apiVersion` → `API Version`; a name with other characters than letters and '-' as it is. */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const acronyms = new Set(["API", "URL", "UID", "OSB", "GUID"]);
  return camelcaseSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (acronyms.has(p.toUpperCase()) ? p.toUpperCase() : p.replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase())))
    .join(" ");
}

/** Go's %v of a value decoded from JSON: strings as they are, numbers as float64 or int64, null as <nil>. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v);
  return String(v);
}

/** printUnstructuredContent: the fields in sorted order, maps and lists nested a level deeper. */
function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: Set<string>): void {
  const pad = (n: number) => "  ".repeat(n);
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.has(skipExpr)) continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      w.write(0, `${pad(level)}${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Record<string, unknown>, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(0, `${pad(level)}${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === "object" && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Record<string, unknown>, skipExpr, skip);
        else w.write(0, `${pad(level + 1)}${Array.isArray(child) ? `[${child.map(goValue).join(" ")}]` : goValue(child)}\n`);
      }
    } else w.write(0, `${pad(level)}${smartLabelFor(field)}:\t${goValue(value)}\n`);
  }
}

/**
 * A custom resource (genericDescriber, staging/src/k8s.io/kubectl/pkg/describe/describe.go): the
 * name, namespace, labels and annotations, then every other field of the object as
 * printUnstructuredContent lists it, then the events.
 */
export function describeCustomResource(obj: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ""}\n`);
  labelsMultiline(w, "Labels", obj.metadata.labels);
  annotationsMultiline(w, "Annotations", obj.metadata.annotations);
  const skip = new Set([".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);
  printUnstructuredContent(w, 0, obj as unknown as Record<string, unknown>, "", skip);
  describeEvents(w, events, now);
  return w.toString();
}

// ---- ingresses ------------------------------------------------------------------------------

/** An Ingress backend's Service as describe looks it up: its EndpointSlices, then the Service (or the error). */
export interface IngressBackendLookup {
  slices(service: string): KObject[];
  service(name: string): KObject | { error: string };
}

interface IngressServiceBackend {
  name?: string;
  port?: { name?: string; number?: number };
}
interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

/** serviceBackendStringer: `name:port`, the number when set, else the port's name. */
function serviceBackendString(b: IngressServiceBackend): string {
  return `${b.name ?? ""}:${b.port?.number ? b.port.number : (b.port?.name ?? "")}`;
}

/** describeBackendV1: `svc:port (endpoints)` of the Service port the backend names, or the resource. */
function describeIngressBackend(b: IngressBackend, lookup: IngressBackendLookup): string {
  if (b.service) {
    const sb = serviceBackendString(b.service);
    const slices = lookup.slices(b.service.name ?? "");
    const svc = lookup.service(b.service.name ?? "");
    if ("error" in svc) return `${sb} (<error: ${svc.error}>)`;
    let spName = "";
    for (const sp of (svc.spec?.ports ?? []) as Array<{ name?: string; port?: number }>) {
      if (b.service.port?.number && b.service.port.number === sp.port) spName = sp.name ?? "";
      else if (b.service.port?.name && b.service.port.name === sp.name) spName = sp.name ?? "";
    }
    return `${sb} (${formatEndpointSlices(slices, spName)})`;
  }
  if (b.resource) return `APIGroup: ${b.resource.apiGroup ?? "<none>"}, Kind: ${b.resource.kind ?? ""}, Name: ${b.resource.name ?? ""}`;
  return "";
}

/** ingressLoadBalancerStatusStringerV1, wide: each ingress's IP (else hostname), sorted and unique. */
function ingressAddress(ing: KObject): string {
  const set = new Set<string>();
  for (const i of (ing.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(",");
}

/** IngressDescriber.describeIngressV1 (describe.go). */
export function describeIngress(ing: KObject, lookup: IngressBackendLookup, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = ing.spec ?? {};
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  labelsMultiline(w, "Labels", ing.metadata.labels);
  w.write(0, `Namespace:\t${ing.metadata.namespace}\n`);
  w.write(0, `Address:\t${ingressAddress(ing)}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? "<none>"}\n`);
  const defaultBackend = spec.defaultBackend ? describeIngressBackend(spec.defaultBackend, lookup) : "<default>";
  w.write(0, `Default backend:\t${defaultBackend}\n`);
  const tls = (spec.tls ?? []) as Array<{ hosts?: string[]; secretName?: string }>;
  if (tls.length > 0) {
    w.write(0, "TLS:\n");
    for (const t of tls) {
      if (!t.secretName) w.write(1, `SNI routes ${(t.hosts ?? []).join(",")}\n`);
      else w.write(1, `${t.secretName} terminates ${(t.hosts ?? []).join(",")}\n`);
    }
  }
  w.write(0, "Rules:\n  Host\tPath\tBackends\n");
  w.write(1, "----\t----\t--------\n");
  let count = 0;
  for (const rule of (spec.rules ?? []) as Array<{ host?: string; http?: { paths?: Array<{ path?: string; backend: IngressBackend }> } }>) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || "*"}\t\n`);
    for (const p of rule.http.paths ?? []) w.write(2, `\t${p.path ?? ""} \t${describeIngressBackend(p.backend ?? {}, lookup)}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${defaultBackend}\n`);
  annotationsMultiline(w, "Annotations", ing.metadata.annotations);
  describeEvents(w, events, now);
  return w.toString();
}

/** IngressClassDescriber.describeIngressClassV1 (describe.go). */
export function describeIngressClass(ic: KObject, events: KObject[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ic.metadata.name}\n`);
  labelsMultiline(w, "Labels", ic.metadata.labels);
  annotationsMultiline(w, "Annotations", ic.metadata.annotations);
  w.write(0, `Controller:\t${ic.spec?.controller ?? ""}\n`);
  const p = ic.spec?.parameters;
  if (p) {
    w.write(0, "Parameters:\n");
    if (p.apiGroup !== undefined) w.write(1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(1, `Kind:\t${p.kind ?? ""}\n`);
    w.write(1, `Name:\t${p.name ?? ""}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

// ---- network policies -----------------------------------------------------------------------

interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface NetworkPolicyPeer {
  podSelector?: KObject["spec"];
  namespaceSelector?: KObject["spec"];
  ipBlock?: { cidr?: string; except?: string[] };
}

/** Go's time.Time.String() of a metav1.Time in UTC: `2024-01-08 00:00:00 +0000 UTC`. */
function goTimeString(ts: string | null | undefined): string {
  if (!ts) return "0001-01-01 00:00:00 +0000 UTC";
  return `${new Date(Date.parse(ts)).toISOString().replace("T", " ").replace(/\.\d+Z$/, "")} +0000 UTC`;
}

/** printNetworkPolicySpecIngressFrom / printNetworkPolicySpecEgressTo (describe.go). */
function networkPolicyRules(w: PrefixWriter, rules: Array<{ ports?: NetworkPolicyPort[]; from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[] }>, egress: boolean): void {
  const indent = "    ";
  if (rules.length === 0) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${egress ? "egress" : "ingress"} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    const ports = rule.ports ?? [];
    if (ports.length === 0) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    for (const p of ports) {
      // fmt's %s of a nil *intstr.IntOrString is <nil>.
      const port = p.port === undefined || p.port === null ? "<nil>" : String(p.port);
      const proto = p.protocol ?? "TCP";
      if (p.endPort === undefined || p.endPort === null) w.write(0, `${indent}To Port: ${port}/${proto}\n`);
      else w.write(0, `${indent}To Port Range: ${port}-${p.endPort}/${proto}\n`);
    }
    const peers = (egress ? rule.to : rule.from) ?? [];
    if (peers.length === 0) w.write(0, `${indent}${egress ? "To: <any> (traffic not restricted by destination)" : "From: <any> (traffic not restricted by source)"}\n`);
    for (const peer of peers) {
      w.write(0, `${indent}${egress ? "To:" : "From:"}\n`);
      if (peer.podSelector && peer.namespaceSelector) {
        w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
        w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      } else if (peer.podSelector) w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      else if (peer.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      else if (peer.ipBlock) {
        w.write(1, `${indent}IPBlock:\n`);
        w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr ?? ""}\n`);
        w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(", ")}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** NetworkPolicyDescriber (describe.go): no events, the spec in words. */
export function describeNetworkPolicy(np: KObject): string {
  const w = new PrefixWriter();
  const spec = np.spec ?? {};
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, "Labels", np.metadata.labels);
  annotationsMultiline(w, "Annotations", np.metadata.annotations);
  w.write(0, "Spec:\n");
  w.write(1, "PodSelector: ");
  const sel = spec.podSelector ?? {};
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n");
  } else w.write(2, `${formatLabelSelector(sel)}\n`);
  const types: string[] = spec.policyTypes ?? [];
  if (types.includes("Ingress")) {
    w.write(1, "Allowing ingress traffic:\n");
    networkPolicyRules(w, spec.ingress ?? [], false);
  } else w.write(1, "Not affecting ingress traffic\n");
  if (types.includes("Egress")) {
    w.write(1, "Allowing egress traffic:\n");
    networkPolicyRules(w, spec.egress ?? [], true);
  } else w.write(1, "Not affecting egress traffic\n");
  // policyTypesToString: the types joined by ", ".
  w.write(1, `Policy Types: ${types.join(", ")}\n`);
  return w.toString();
}
