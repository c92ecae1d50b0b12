/**
 * `kubectl top pod|node` (staging/src/k8s.io/kubectl/pkg/cmd/top/top_pod.go, top_node.go,
 * pkg/metricsutil/metrics_printer.go): reads the `metrics.k8s.io` API that metrics-server serves
 * (src/metrics/api.ts) — CPU from the containers' cgroups (requests their applications answer,
 * busy processes), memory working sets from the node's memory model — and prints it as kubectl
 * does: millicores rounded up, integer Mi, node percentages of allocatable, `--sum` totals.
 */
import { parseQuantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";
import { parseSelector } from "../../api/labels.ts";
import { getNodeMetrics, getPodMetrics, listNodeMetrics, listPodMetrics, MetricsUnavailableError } from "../../metrics/api.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { tabwrite } from "../printers/tabwriter.ts";

const MiB = 1024 * 1024;
/** metricsCreationDelay: a pod younger than this may simply not have metrics yet. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

interface Usage {
  cpuMilli: number;
  memoryBytes: number;
}

function usageOf(u: { cpu?: string; memory?: string } | undefined): Usage {
  return {
    cpuMilli: u?.cpu !== undefined ? parseQuantity(u.cpu).milliValue() : 0,
    memoryBytes: u?.memory !== undefined ? parseQuantity(u.memory).value() : 0,
  };
}

const cpuText = (u: Usage) => `${u.cpuMilli}m`;
const memText = (u: Usage) => `${Math.trunc(u.memoryBytes / MiB)}Mi`;

function print(inv: Invocation, lines: string[][]): void {
  inv.out(tabwrite(lines.map((r) => r.map((c) => `${c}\t`).join("")).join("\n")).replace(/\n$/, ""));
}

/** The metrics API is served by metrics-server; without it kubectl says so. */
function metricsCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MetricsUnavailableError) throw new KubectlError("Metrics API not available");
    throw e;
  }
}

/** Go's time.Duration.String() of a pod's age (`2m30.5s`). */
function goAge(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number(s.toFixed(9))}s`;
  return h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
}

/** checkPodAge: an old pod without metrics is worth an error of its own. */
function checkPodAge(inv: Invocation, pod: KObject): void {
  const created = Date.parse(pod.metadata.creationTimestamp ?? "");
  const age = inv.ctx.clock.now() - created;
  if (age > METRICS_CREATION_DELAY_MS) {
    throw new KubectlError(`Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goAge(age)}`);
  }
}

/** verifyEmptyMetrics */
function verifyEmptyMetrics(inv: Invocation, pods: KObject[]): void {
  if (pods.length === 0) return;
  for (const pod of pods) checkPodAge(inv, pod);
  throw new KubectlError("metrics not available yet");
}

function topPods(inv: Invocation): number {
  const f = inv.flags;
  const all = Boolean(f["all-namespaces"]);
  const name: string | undefined = inv.args[1];
  if (name && all) throw new KubectlError("a resource cannot be retrieved by name across all namespaces");
  const sel = f.selector ? parseSelector(String(f.selector)) : undefined;
  const namespace = all ? undefined : inv.namespace;
  let metrics: KObject[];
  if (name) {
    metrics = [metricsCall(() => getPodMetrics(inv.ctx, inv.namespace, name))];
  } else {
    metrics = metricsCall(() => listPodMetrics(inv.ctx, { namespace, labelSelector: sel ? (l) => sel.matches(l) : undefined }));
  }
  if (metrics.length === 0) {
    const pods = inv.ctx.api.list("Pod", { namespace, labelSelector: sel ? (l) => sel.matches(l) : undefined });
    verifyEmptyMetrics(inv, pods);
    inv.err(all ? "No resources found" : `No resources found in ${inv.namespace} namespace.`);
    return 0;
  }
  const sortBy = f["sort-by"] as string | undefined;
  const rows = metrics.map((m) => {
    const containers = (m.containers ?? []).map((c: { name: string; usage: { cpu: string; memory: string } }) => ({ name: c.name, usage: usageOf(c.usage) }));
    const total = containers.reduce((s: Usage, c: { usage: Usage }) => ({ cpuMilli: s.cpuMilli + c.usage.cpuMilli, memoryBytes: s.memoryBytes + c.usage.memoryBytes }), { cpuMilli: 0, memoryBytes: 0 });
    return { m, containers, total };
  });
  // PodMetricsSorter: by CPU or memory, largest first; else by namespace and name.
  rows.sort((a, b) => {
    if (sortBy === "cpu") return b.total.cpuMilli - a.total.cpuMilli;
    if (sortBy === "memory") return b.total.memoryBytes - a.total.memoryBytes;
    if (all && a.m.metadata.namespace !== b.m.metadata.namespace) return a.m.metadata.namespace! < b.m.metadata.namespace! ? -1 : 1;
    return a.m.metadata.name! < b.m.metadata.name! ? -1 : a.m.metadata.name! > b.m.metadata.name! ? 1 : 0;
  });
  const lines: string[][] = [];
  const header = [...(all ? ["NAMESPACE"] : []), ...(f.containers ? ["POD"] : []), "NAME", "CPU(cores)", "MEMORY(bytes)"];
  if (!f["no-headers"]) lines.push(header);
  const ns = (m: KObject) => (all ? [m.metadata.namespace ?? "default"] : []);
  const sum: Usage = { cpuMilli: 0, memoryBytes: 0 };
  for (const r of rows) {
    sum.cpuMilli += r.total.cpuMilli;
    sum.memoryBytes += r.total.memoryBytes;
    if (f.containers) {
      const cs = [...r.containers].sort((a, b) =>
        sortBy === "cpu" ? b.usage.cpuMilli - a.usage.cpuMilli : sortBy === "memory" ? b.usage.memoryBytes - a.usage.memoryBytes : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const c of cs) lines.push([...ns(r.m), r.m.metadata.name!, c.name, cpuText(c.usage), memText(c.usage)]);
    } else {
      lines.push([...ns(r.m), r.m.metadata.name!, cpuText(r.total), memText(r.total)]);
    }
  }
  if (f.sum) {
    // printPodResourcesSum: underlines under the two value columns, then the totals.
    const width = header.length;
    lines.push([...Array(width - 2).fill(""), "________", "________"]);
    lines.push([...Array(width - 3).fill(""), "", cpuText(sum), memText(sum)]);
  }
  print(inv, lines);
  return 0;
}

function topNodes(inv: Invocation): number {
  const f = inv.flags;
  const name: string | undefined = inv.args[1];
  const sel = f.selector ? parseSelector(String(f.selector)) : undefined;
  let metrics: KObject[];
  if (name) metrics = [metricsCall(() => getNodeMetrics(inv.ctx, name))];
  else metrics = metricsCall(() => listNodeMetrics(inv.ctx, { labelSelector: sel ? (l) => sel.matches(l) : undefined }));
  if (metrics.length === 0) throw new KubectlError("metrics not available yet");
  let nodes = inv.ctx.api.list("Node");
  if (name) nodes = nodes.filter((n) => n.metadata.name === name);
  if (sel) nodes = nodes.filter((n) => sel.matches(n.metadata.labels ?? {}));
  const byName = new Map(metrics.map((m) => [m.metadata.name!, usageOf(m.usage)]));
  const rows = nodes.map((node) => ({ node, usage: byName.get(node.metadata.name!) }));
  const sortBy = f["sort-by"] as string | undefined;
  if (sortBy === "cpu") rows.sort((a, b) => (b.usage?.cpuMilli ?? -1) - (a.usage?.cpuMilli ?? -1));
  if (sortBy === "memory") rows.sort((a, b) => (b.usage?.memoryBytes ?? -1) - (a.usage?.memoryBytes ?? -1));
  const lines: string[][] = [];
  if (!f["no-headers"]) lines.push(["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]);
  for (const { node, usage } of rows) {
    if (!usage) {
      lines.push([node.metadata.name!, "<unknown>", "<unknown>", "<unknown>", "<unknown>"]);
      continue;
    }
    const source = f["show-capacity"] ? node.status?.capacity : (node.status?.allocatable ?? node.status?.capacity);
    const cpuAvail = source?.cpu !== undefined ? parseQuantity(source.cpu).milliValue() : 0;
    const memAvail = source?.memory !== undefined ? parseQuantity(source.memory).value() : 0;
    const pct = (v: number, of: number) => `${of > 0 ? Math.trunc((v / of) * 100) : 0}%`;
    lines.push([node.metadata.name!, cpuText(usage), pct(usage.cpuMilli, cpuAvail), memText(usage), pct(usage.memoryBytes, memAvail)]);
  }
  print(inv, lines);
  return 0;
}

export const topCommand: CommandDef = {
  path: ["top"],
  flags: [
    { long: "all-namespaces", short: "A", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "no-headers", type: "bool" },
    { long: "containers", type: "bool" },
    { long: "sort-by", type: "string" },
    { long: "show-capacity", type: "bool" },
    { long: "sum", type: "bool" },
    { long: "use-protocol-buffers", type: "bool", default: true },
  ],
  run(inv) {
    const kind = inv.args[0];
    const sortBy = inv.flags["sort-by"];
    if (sortBy !== undefined && sortBy !== "" && sortBy !== "cpu" && sortBy !== "memory") {
      throw new KubectlError(`--sort-by accepts only cpu or memory`);
    }
    if (kind === "pod" || kind === "pods" || kind === "po") return topPods(inv);
    if (kind === "node" || kind === "nodes" || kind === "no") return topNodes(inv);
    if (kind === undefined) throw new KubectlError("You must specify a resource type: pod or node");
    throw new KubectlError(`unknown command "${kind}" for "kubectl top"`);
  },
};
