/**
 * The server-side Table of each kind (pkg/printers/internalversion/printers.go AddHandlers): its
 * columns (priority 1 = shown with -o wide) and the cells of one object's row, computed from the
 * object and the simulated clock only.
 */
import type { KObject } from "../../api/types.ts";
import type { Endpoints, Node, PodTemplateSpec, Service, ServicePort } from "../../api/types.gen.ts";
import { apiVersionOf, type PrinterColumn, type ResourceType } from "../../api/resources.ts";
import { convertToStorage } from "../../api/conversion/index.ts";
import { humanDuration, translateTimestampSince } from "../humanduration.ts";
import { JSONPath, relaxedJSONPathExpression } from "../jsonpath.ts";
import { defaultTable, MORE_HANDLERS } from "./kinds.ts";
import { formatLabels, formatLabelSelector } from "./labels.ts";

export { formatLabels, formatLabelSelector };
import { printPod } from "./pod.ts";

export interface Column {
  /** As printers.go names it; kubectl prints it upper-cased. */
  name: string;
  priority: 0 | 1;
}

export interface TableHandler {
  columns: Column[];
  /** One cell per column, in column order. */
  row(obj: KObject, nowMs: number): string[];
}

const c = (name: string, priority: 0 | 1 = 0): Column => ({ name, priority });
const age = (o: KObject, now: number) => translateTimestampSince(o.metadata.creationTimestamp, now);
const int = (v: unknown) => String(typeof v === "number" ? v : 0);

const templateContainers = (tpl: PodTemplateSpec | undefined) => {
  const cs = tpl?.spec?.containers ?? [];
  return [cs.map((x) => x.name).join(","), cs.map((x) => x.image).join(",")];
};

const conditionTrue = (conds: Array<{ type: string; status: string }> | undefined, type: string) => (conds ?? []).some((x) => x.type === type && x.status === "True");

// ---- per kind -------------------------------------------------------------------------------

const pods: TableHandler = {
  columns: [c("Name"), c("Ready"), c("Status"), c("Restarts"), c("Age"), c("IP", 1), c("Node", 1), c("Nominated Node", 1), c("Readiness Gates", 1)],
  row(o, now) {
    const r = printPod(o, now);
    return [r.name, r.ready, r.status, r.restarts, r.age, r.ip, r.node, r.nominatedNode, r.readinessGates];
  },
};

/** findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted. */
export function nodeRoles(node: KObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    }
    if (k === "kubernetes.io/role" && v !== "") roles.add(v);
  }
  return [...roles].sort();
}

/** The STATUS of a node: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((x) => x.type === "Ready");
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

const nodeAddress = (node: Node, type: string) => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";

const nodes: TableHandler = {
  columns: [c("Name"), c("Status"), c("Roles"), c("Age"), c("Version"), c("Internal-IP", 1), c("External-IP", 1), c("OS-Image", 1), c("Kernel-Version", 1), c("Container-Runtime", 1)],
  row(o, now) {
    const info = o.status?.nodeInfo ?? {};
    const roles = nodeRoles(o).join(",") || "<none>";
    return [
      o.metadata.name!,
      nodeStatus(o),
      roles,
      age(o, now),
      info.kubeletVersion ?? "",
      nodeAddress(o, "InternalIP"),
      nodeAddress(o, "ExternalIP"),
      info.osImage || "<unknown>",
      info.kernelVersion || "<unknown>",
      info.containerRuntimeVersion || "<unknown>",
    ];
  },
};

export function makePortString(ports: ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => ((p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`))
    .join(",");
}

function loadBalancerIngress(svc: Service): string {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean).join(",");
}

export function serviceExternalIP(svc: KObject, wide: boolean): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return ext.length > 0 ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      let lb = loadBalancerIngress(svc);
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + "...";
      if (ext.length > 0) return [...(lb ? lb.split(",") : []), ...ext].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return spec.externalName ?? "";
  }
  return "<unknown>";
}

const services: TableHandler = {
  columns: [c("Name"), c("Type"), c("Cluster-IP"), c("External-IP"), c("Port(s)"), c("Age"), c("Selector", 1)],
  row(o, now) {
    const spec = o.spec ?? {};
    const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP ?? "<none>";
    return [
      o.metadata.name!,
      spec.type ?? "ClusterIP",
      clusterIP || "<none>",
      serviceExternalIP(o, false),
      makePortString(spec.ports) || "<none>",
      age(o, now),
      formatLabels(spec.selector),
    ];
  },
};

/** formatEndpoints: `ip:port` for ready addresses, at most 3, then ` + N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip.includes(":") ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

const endpoints: TableHandler = {
  columns: [c("Name"), c("Endpoints"), c("Age")],
  row: (o, now) => [o.metadata.name!, formatEndpoints(o), age(o, now)],
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret || "<unset>";
}

const endpointSlices: TableHandler = {
  columns: [c("Name"), c("AddressType"), c("Ports"), c("Endpoints"), c("Age")],
  row(o, now) {
    const max = 3;
    const ports: string[] = [];
    let pMore = false;
    let pCount = 0;
    for (const p of o.ports ?? []) {
      if (ports.length < max) ports.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? "*");
      else pMore = true;
      pCount++;
    }
    const addrs: string[] = [];
    let aMore = false;
    let aCount = 0;
    for (const e of o.endpoints ?? []) {
      for (const a of e.addresses ?? []) {
        if (addrs.length < max) addrs.push(a);
        else aMore = true;
        aCount++;
      }
    }
    return [o.metadata.name!, o.addressType ?? "", listWithMore(ports, pMore, pCount, max), listWithMore(addrs, aMore, aCount, max), age(o, now)];
  },
};

const microSince = (ts: string | null | undefined, now: number) => {
  if (!ts) return "<unknown>";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now - t);
};

const events: TableHandler = {
  columns: [c("Last Seen"), c("Type"), c("Reason"), c("Object"), c("Subobject", 1), c("Source", 1), c("Message"), c("First Seen", 1), c("Count", 1), c("Name", 1)],
  row(o, now) {
    let first = translateTimestampSince(o.firstTimestamp, now);
    if (!o.firstTimestamp) first = microSince(o.eventTime, now);
    let last = translateTimestampSince(o.lastTimestamp, now);
    if (!o.lastTimestamp) last = first;
    let count = o.count ?? 0;
    if (o.series) {
      last = microSince(o.series.lastObservedTime, now);
      count = o.series.count;
    } else if (count === 0) count = 1;
    const inv = o.involvedObject ?? {};
    const kind = String(inv.kind ?? "").toLowerCase();
    const target = inv.name ? `${kind}/${inv.name}` : kind;
    const component = o.source?.component || o.reportingComponent || o.reportingController || "";
    const instance = o.source?.host || o.reportingInstance || "";
    const source = instance ? `${component}, ${instance}` : component;
    return [last, o.type ?? "", o.reason ?? "", target, inv.fieldPath ?? "", source, String(o.message ?? "").trim(), first, String(count), o.metadata.name!];
  },
};

const namespaces: TableHandler = {
  columns: [c("Name"), c("Status"), c("Age")],
  row: (o, now) => [o.metadata.name!, o.status?.phase ?? "", age(o, now)],
};

const replicaSets: TableHandler = {
  columns: [c("Name"), c("Desired"), c("Current"), c("Ready"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const [names, images] = templateContainers(o.spec?.template);
    return [o.metadata.name!, int(o.spec?.replicas), int(o.status?.replicas), int(o.status?.readyReplicas), age(o, now), names, images, formatLabelSelector(o.spec?.selector)];
  },
};

const deployments: TableHandler = {
  columns: [c("Name"), c("Ready"), c("Up-to-date"), c("Available"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const [names, images] = templateContainers(o.spec?.template);
    return [
      o.metadata.name!,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      int(o.status?.updatedReplicas),
      int(o.status?.availableReplicas),
      age(o, now),
      names,
      images,
      formatLabelSelector(o.spec?.selector),
    ];
  },
};

const daemonSets: TableHandler = {
  columns: [c("Name"), c("Desired"), c("Current"), c("Ready"), c("Up-to-date"), c("Available"), c("Node Selector"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const s = o.status ?? {};
    const [names, images] = templateContainers(o.spec?.template);
    return [
      o.metadata.name!,
      int(s.desiredNumberScheduled),
      int(s.currentNumberScheduled),
      int(s.numberReady),
      int(s.updatedNumberScheduled),
      int(s.numberAvailable),
      formatLabels(o.spec?.template?.spec?.nodeSelector),
      age(o, now),
      names,
      images,
      formatLabelSelector(o.spec?.selector),
    ];
  },
};

/** printJob's STATUS column (kubectl v1.32). */
export function jobStatus(o: KObject): string {
  const conds = o.status?.conditions;
  if (conditionTrue(conds, "Complete")) return "Complete";
  if (conditionTrue(conds, "Failed")) return "Failed";
  if (o.metadata.deletionTimestamp) return "Terminating";
  if (conditionTrue(conds, "Suspended")) return "Suspended";
  if (conditionTrue(conds, "FailureTarget")) return "FailureTarget";
  if (conditionTrue(conds, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

const jobs: TableHandler = {
  columns: [c("Name"), c("Status"), c("Completions"), c("Duration"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const spec = o.spec ?? {};
    const st = o.status ?? {};
    const succeeded = st.succeeded ?? 0;
    let completions: string;
    if (spec.completions !== undefined && spec.completions !== null) completions = `${succeeded}/${spec.completions}`;
    else completions = (spec.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${spec.parallelism}` : `${succeeded}/1`;
    let duration = "";
    if (st.startTime) {
      const start = Date.parse(st.startTime);
      duration = st.completionTime ? humanDuration(Date.parse(st.completionTime) - start) : humanDuration(now - start);
    }
    const [names, images] = templateContainers(spec.template);
    return [o.metadata.name!, jobStatus(o), completions, duration, age(o, now), names, images, formatLabelSelector(spec.selector)];
  },
};

const cronJobs: TableHandler = {
  columns: [c("Name"), c("Schedule"), c("Timezone"), c("Suspend"), c("Active"), c("Last Schedule"), c("Age"), c("Containers", 1), c("Images", 1), c("Selector", 1)],
  row(o, now) {
    const spec = o.spec ?? {};
    const [names, images] = templateContainers(spec.jobTemplate?.spec?.template);
    const suspend = spec.suspend === undefined || spec.suspend === null ? "<unset>" : spec.suspend ? "True" : "False";
    return [
      o.metadata.name!,
      spec.schedule ?? "",
      spec.timeZone ?? "<none>",
      suspend,
      String((o.status?.active ?? []).length),
      o.status?.lastScheduleTime ? translateTimestampSince(o.status.lastScheduleTime, now) : "<none>",
      age(o, now),
      names,
      images,
      formatLabelSelector(spec.jobTemplate?.spec?.selector),
    ];
  },
};

const configMaps: TableHandler = {
  columns: [c("Name"), c("Data"), c("Age")],
  row: (o, now) => [o.metadata.name!, String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length), age(o, now)],
};

const secrets: TableHandler = {
  columns: [c("Name"), c("Type"), c("Data"), c("Age")],
  row: (o, now) => [o.metadata.name!, o.type ?? "Opaque", String(Object.keys(o.data ?? {}).length), age(o, now)],
};

const serviceAccounts: TableHandler = {
  columns: [c("Name"), c("Secrets"), c("Age")],
  row: (o, now) => [o.metadata.name!, String((o.secrets ?? []).length), age(o, now)],
};

const priorityClasses: TableHandler = {
  columns: [c("Name"), c("Value"), c("Global-Default"), c("Age"), c("PreemptionPolicy")],
  row: (o, now) => [o.metadata.name!, String(o.value ?? 0), String(!!o.globalDefault), age(o, now), o.preemptionPolicy ?? "<unset>"],
};

const leases: TableHandler = {
  columns: [c("Name"), c("Holder"), c("Age")],
  row: (o, now) => [o.metadata.name!, o.spec?.holderIdentity ?? "", age(o, now)],
};

const pdbs: TableHandler = {
  columns: [c("Name"), c("Min Available"), c("Max Unavailable"), c("Allowed Disruptions"), c("Age")],
  row: (o, now) => [
    o.metadata.name!,
    o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : "N/A",
    o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : "N/A",
    int(o.status?.disruptionsAllowed),
    age(o, now),
  ],
};

const fallback: TableHandler = {
  columns: [c("Name"), c("Age")],
  row: (o, now) => [o.metadata.name!, age(o, now)],
};

const HANDLERS: Record<string, TableHandler> = {
  Pod: pods,
  Node: nodes,
  Service: services,
  Endpoints: endpoints,
  EndpointSlice: endpointSlices,
  Event: events,
  Namespace: namespaces,
  ReplicaSet: replicaSets,
  Deployment: deployments,
  DaemonSet: daemonSets,
  Job: jobs,
  CronJob: cronJobs,
  ConfigMap: configMaps,
  Secret: secrets,
  ServiceAccount: serviceAccounts,
  PriorityClass: priorityClasses,
  Lease: leases,
  PodDisruptionBudget: pdbs,
};

const REGISTERED = new Map<string, TableHandler>();

/**
 * Registers the Table handler of a built-in kind (by storage kind, as printers.go's AddHandlers
 * does for a type): the place to add or replace a kind's `kubectl get` columns.
 */
export function registerTableHandler(kind: string, handler: TableHandler): void {
  REGISTERED.set(kind, handler);
}

/** The handler of a built-in kind (storage kind); NAME/AGE for a kind nothing describes. */
export function tableHandler(kind: string): TableHandler {
  return REGISTERED.get(kind) ?? HANDLERS[kind] ?? MORE_HANDLERS[kind] ?? fallback;
}

/**
 * The Table handler of a served resource: the built-in kind's printer (objects of other served
 * versions are printed from their storage version, as upstream prints the internal object), the
 * default table convertor (NAME, CREATED AT) for built-in kinds without one, and for custom
 * resources their CRD's additionalPrinterColumns (NAME, AGE when it has none).
 */
export function tableHandlerFor(r: ResourceType): TableHandler {
  if (r.crd) return customResourceTable(r.printerColumns);
  const h = REGISTERED.get(r.kind) ?? HANDLERS[r.kind] ?? MORE_HANDLERS[r.kind] ?? defaultTable;
  if (apiVersionOf(r) === r.storageVersion) return h;
  return { columns: h.columns, row: (o, now) => h.row(convertToStorage(o, r), now) };
}

const customTables = new WeakMap<PrinterColumn[], TableHandler>();

/**
 * apiextensions-apiserver's table convertor (pkg/registry/customresource/tableconvertor): NAME,
 * then each printer column's JSONPath result, typed (integer, number, boolean, date as an age,
 * string as printed by JSONPath); a missing value, or one not of the column's type, is a nil cell,
 * which kubectl's printTable leaves blank (cli-runtime printers/tableprinter.go: `if cell != nil`).
 */
export function customResourceTable(columns: PrinterColumn[] | undefined): TableHandler {
  if (!columns || columns.length === 0) return fallback;
  const cached = customTables.get(columns);
  if (cached) return cached;
  const paths = columns.map((col) => {
    try {
      return new JSONPath(relaxedJSONPathExpression(col.jsonPath));
    } catch {
      return undefined;
    }
  });
  const h: TableHandler = {
    columns: [c("Name"), ...columns.map((col) => c(col.name, (col.priority ?? 0) > 0 ? 1 : 0))],
    row(o, now) {
      const cells = [o.metadata.name!];
      columns.forEach((col, i) => {
        const results = paths[i]?.findResults(o) ?? [];
        const v = results[0]?.[0];
        if (!results.length || !results[0].length || v === undefined) {
          cells.push("");
          return;
        }
        cells.push(customCell(col.type, v, now));
      });
      return cells;
    },
  };
  customTables.set(columns, h);
  return h;
}

/** cellForJSONValue, then kubectl's printing of the cell. */
function customCell(type: string, v: unknown, now: number): string {
  switch (type) {
    case "integer":
      if (typeof v === "number" && Number.isInteger(v)) return String(v);
      return "";
    case "number":
      return typeof v === "number" ? String(v) : "";
    case "boolean":
      return typeof v === "boolean" ? String(v) : "";
    case "date":
      if (typeof v !== "string") return "";
      return Number.isNaN(Date.parse(v)) ? "<invalid>" : translateTimestampSince(v, now);
    default:
      if (v === null) return "";
      return typeof v === "string" ? v : JSON.stringify(v);
  }
}
