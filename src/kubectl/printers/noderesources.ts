/**
 * The resource accounting `kubectl describe node` prints (staging/src/k8s.io/kubectl/pkg/describe
 * describeNodeResource and kubectl's util/resource PodRequestsAndLimits, v1.32): the
 * non-terminated pods with their requests and limits as a share of the node's allocatable, and
 * the totals. Pure: the kubectl describe printer lays the lines out with its tab writer.
 */
import { parseQuantity, Quantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";

type ResourceList = Map<string, Quantity>;

function addResourceList(list: ResourceList, add: Record<string, unknown> | ResourceList | undefined): void {
  if (!add) return;
  const entries = add instanceof Map ? [...add.entries()] : Object.entries(add).map(([k, v]) => [k, parseQuantity(v)] as const);
  for (const [name, q] of entries) {
    const prev = list.get(name);
    list.set(name, prev ? prev.add(q) : q);
  }
}

function maxResourceList(list: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const prev = list.get(name);
    if (!prev || q.cmp(prev) > 0) list.set(name, q);
  }
}

function podResourceList(pod: KObject, field: "requests" | "limits"): ResourceList {
  const out: ResourceList = new Map();
  for (const c of pod.spec?.containers ?? []) addResourceList(out, c.resources?.[field]);
  const restartable: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    let need: ResourceList;
    if (c.restartPolicy === "Always") {
      addResourceList(out, c.resources?.[field]);
      addResourceList(restartable, c.resources?.[field]);
      need = restartable;
    } else {
      need = new Map();
      addResourceList(need, c.resources?.[field]);
      addResourceList(need, restartable);
    }
    maxResourceList(initMax, need);
  }
  maxResourceList(out, initMax);
  const overhead = pod.spec?.overhead;
  if (overhead) {
    if (field === "requests") addResourceList(out, overhead);
    else {
      for (const [name, v] of Object.entries(overhead)) {
        const prev = out.get(name);
        if (prev && !prev.isZero()) out.set(name, prev.add(parseQuantity(v)));
      }
    }
  }
  return out;
}

/** PodRequestsAndLimits as kubectl computes them. */
export function podRequestsAndLimits(pod: KObject): { requests: ResourceList; limits: ResourceList } {
  return { requests: podResourceList(pod, "requests"), limits: podResourceList(pod, "limits") };
}

const ZERO = Quantity.of(0);

function fraction(q: Quantity, of: Quantity | undefined, milli: boolean): number {
  if (!of) return 0;
  const d = milli ? of.milliValue() : of.value();
  if (d === 0) return 0;
  const n = milli ? q.milliValue() : q.value();
  return Math.trunc((n / d) * 100);
}

function withPercent(q: Quantity | undefined, of: Quantity | undefined, milli: boolean): string {
  const v = q ?? ZERO;
  return `${v.toString()} (${fraction(v, of, milli)}%)`;
}

export interface NodePodRow {
  namespace: string;
  name: string;
  cpuRequests: string;
  cpuLimits: string;
  memoryRequests: string;
  memoryLimits: string;
  creationTimestamp?: string;
}

export interface NodeResourceSummary {
  pods: NodePodRow[];
  /** `Allocated resources` rows: cpu, memory, ephemeral-storage, hugepages-*, then extended resources (no percentages). */
  allocated: Array<{ resource: string; requests: string; limits: string }>;
}

/** Pods counted by describe: bound to the node and not Succeeded or Failed (the field selector kubectl uses). */
export function nonTerminatedPods(nodeName: string, pods: KObject[]): KObject[] {
  return pods
    .filter((p) => p.spec?.nodeName === nodeName && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed")
    .sort((a, b) => (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") || a.metadata.name!.localeCompare(b.metadata.name!));
}

const STANDARD = new Set(["cpu", "memory", "ephemeral-storage", "storage", "pods"]);

/** describeNodeResource's numbers for `node` and the pods it runs (pass all pods; non-terminated ones are picked). */
export function nodeResourceSummary(node: KObject, allPods: KObject[]): NodeResourceSummary {
  const capacity: Record<string, unknown> = node.status?.capacity ?? {};
  const allocRaw: Record<string, unknown> = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status.allocatable : capacity;
  const allocatable = new Map(Object.entries(allocRaw).map(([k, v]) => [k, parseQuantity(v)] as const));
  const pods = nonTerminatedPods(node.metadata.name!, allPods);
  const rows: NodePodRow[] = [];
  const totalReq: ResourceList = new Map();
  const totalLim: ResourceList = new Map();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    addResourceList(totalReq, requests);
    addResourceList(totalLim, limits);
    rows.push({
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name!,
      cpuRequests: withPercent(requests.get("cpu"), allocatable.get("cpu"), true),
      cpuLimits: withPercent(limits.get("cpu"), allocatable.get("cpu"), true),
      memoryRequests: withPercent(requests.get("memory"), allocatable.get("memory"), false),
      memoryLimits: withPercent(limits.get("memory"), allocatable.get("memory"), false),
      creationTimestamp: pod.metadata.creationTimestamp,
    });
  }
  const allocated: NodeResourceSummary["allocated"] = [];
  const row = (resource: string, milli: boolean) =>
    allocated.push({
      resource,
      requests: withPercent(totalReq.get(resource), allocatable.get(resource), milli),
      limits: withPercent(totalLim.get(resource), allocatable.get(resource), milli),
    });
  row("cpu", true);
  row("memory", false);
  row("ephemeral-storage", false);
  const names = [...allocatable.keys()];
  for (const hp of names.filter((n) => n.startsWith("hugepages-")).sort()) row(hp, false);
  for (const ext of names.filter((n) => !n.startsWith("hugepages-") && !STANDARD.has(n) && !n.startsWith("requests.")).sort()) {
    allocated.push({ resource: ext, requests: (totalReq.get(ext) ?? ZERO).toString(), limits: (totalLim.get(ext) ?? ZERO).toString() });
  }
  return { pods: rows, allocated };
}

/**
 * The lines describeNodeResource writes, before kubectl's tab writer aligns them: cells are
 * separated by `\t` and LEVEL_1 lines start with two spaces, as PrefixWriter writes them.
 * `age` turns a creationTimestamp into kubectl's AGE text.
 */
export function describeNodeResourceLines(summary: NodeResourceSummary, age: (creationTimestamp: string | undefined) => string): string[] {
  const lines = [
    `Non-terminated Pods:\t(${summary.pods.length} in total)`,
    "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
  ];
  for (const p of summary.pods) {
    lines.push(`  ${p.namespace}\t${p.name}\t\t${p.cpuRequests}\t${p.cpuLimits}\t${p.memoryRequests}\t${p.memoryLimits}\t${age(p.creationTimestamp)}`);
  }
  lines.push("Allocated resources:", "  (Total limits may be over 100 percent, i.e., overcommitted.)", "  Resource\tRequests\tLimits", "  --------\t--------\t------");
  for (const a of summary.allocated) lines.push(`  ${a.resource}\t${a.requests}\t${a.limits}`);
  return lines;
}
