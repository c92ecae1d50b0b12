/**
 * `kubectl top pod|node` (staging/src/k8s.io/kubectl/pkg/cmd/top, metricsutil/metrics_printer.go):
 * memory as the simulated metrics pipeline reports it — each running container's working set
 * from the node's memory model (src/kubelet/oom.ts), the node's working set including its own
 * processes. CPU use is not modelled and shows as 0m. Printed as kubectl prints it: integer Mi,
 * millicores, node percentages of allocatable.
 */
import { ApiError } from "../../api/errors.ts";
import { parseQuantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";
import { parseSelector } from "../../api/labels.ts";
import { nodeMemories } from "../../kubelet/oom.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { tabwrite } from "../printers/tabwriter.ts";

const MiB = 1024 * 1024;

function mi(bytes: number): string {
  return `${Math.trunc(bytes / MiB)}Mi`;
}

function print(inv: Invocation, header: string[], rows: string[][], noHeaders: boolean): void {
  const lines = (noHeaders ? rows : [header, ...rows]).map((r) => r.map((c) => `${c}\t`).join(""));
  inv.out(tabwrite(lines.join("\n")).replace(/\n$/, ""));
}

function topPods(inv: Invocation): number {
  const f = inv.flags;
  const all = Boolean(f["all-namespaces"]);
  const name = inv.args[1];
  if (name && all) throw new KubectlError("a resource cannot be retrieved by name across all namespaces");
  const sel = f.selector ? parseSelector(String(f.selector)) : undefined;
  let pods: KObject[] = inv.ctx.api.list("Pod", all ? {} : { namespace: inv.namespace });
  if (name) pods = pods.filter((p) => p.metadata.name === name);
  if (sel) pods = pods.filter((p) => sel.matches(p.metadata.labels ?? {}));
  const memories = nodeMemories(inv.ctx);
  const measured: Array<{ pod: KObject; total: number; containers: Array<{ name: string; workingSetBytes: number }> }> = [];
  for (const pod of pods) {
    const stats = pod.spec?.nodeName ? memories.get(pod.spec.nodeName)?.podStats(pod) : undefined;
    if (stats) measured.push({ pod, total: stats.workingSetBytes, containers: stats.containers });
  }
  if (name && measured.length === 0) {
    throw new ApiError("NotFound", `podmetrics.metrics.k8s.io "${inv.namespace}/${name}" not found`);
  }
  if (measured.length === 0) {
    if (pods.length > 0) throw new KubectlError("metrics not available yet");
    inv.err(all ? "No resources found" : `No resources found in ${inv.namespace} namespace.`);
    return 0;
  }
  if (f["sort-by"] === "memory") measured.sort((a, b) => b.total - a.total);
  const rows: string[][] = [];
  const ns = (p: KObject) => (all ? [p.metadata.namespace ?? "default"] : []);
  if (f.containers) {
    for (const m of measured) for (const c of m.containers) rows.push([...ns(m.pod), m.pod.metadata.name!, c.name, "0m", mi(c.workingSetBytes)]);
    print(inv, [...(all ? ["NAMESPACE"] : []), "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"], rows, Boolean(f["no-headers"]));
  } else {
    for (const m of measured) rows.push([...ns(m.pod), m.pod.metadata.name!, "0m", mi(m.total)]);
    print(inv, [...(all ? ["NAMESPACE"] : []), "NAME", "CPU(cores)", "MEMORY(bytes)"], rows, Boolean(f["no-headers"]));
  }
  return 0;
}

function topNodes(inv: Invocation): number {
  const f = inv.flags;
  const name = inv.args[1];
  const sel = f.selector ? parseSelector(String(f.selector)) : undefined;
  let nodes = inv.ctx.api.list("Node");
  if (name) {
    nodes = nodes.filter((n) => n.metadata.name === name);
    if (nodes.length === 0) throw new ApiError("NotFound", `nodes "${name}" not found`);
  }
  if (sel) nodes = nodes.filter((n) => sel.matches(n.metadata.labels ?? {}));
  if (nodes.length === 0) {
    inv.err("No resources found");
    return 0;
  }
  const memories = nodeMemories(inv.ctx);
  const measured = nodes.map((n) => ({ node: n, bytes: memories.get(n.metadata.name!)?.workingSetBytes() }));
  if (f["sort-by"] === "memory") measured.sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1));
  const rows = measured.map(({ node, bytes }) => {
    if (bytes === undefined) return [node.metadata.name!, "<unknown>", "<unknown>", "<unknown>", "<unknown>"];
    const source = f["show-capacity"] ? node.status?.capacity : node.status?.allocatable ?? node.status?.capacity;
    const mem = source?.memory !== undefined ? parseQuantity(source.memory).value() : 0;
    const pct = mem > 0 ? `${Math.trunc((bytes / mem) * 100)}%` : "0%";
    return [node.metadata.name!, "0m", "0%", mi(bytes), pct];
  });
  print(inv, ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], rows, Boolean(f["no-headers"]));
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
