/**
 * What the kubelet serves at `/metrics/resource` (pkg/kubelet/metrics/collectors/resource_metrics.go),
 * the endpoint metrics-server scrapes: per node and per running container, the cumulative CPU time
 * (`node_cpu_usage_seconds_total`, `container_cpu_usage_seconds_total`), the memory working set
 * (`node_memory_working_set_bytes`, `container_memory_working_set_bytes`), the container's start
 * time (`container_start_time_seconds`), and the instant they were read.
 *
 * CPU comes from each container's cgroup (src/runtime/cgroup.ts): requests its application
 * answers, spinning processes; memory from the node's memory model (src/kubelet/oom.ts).
 */
import { usageOf, type UsageRead } from "../../runtime/cgroup.ts";
export interface ContainerResourcePoint {
  namespace: string;
  pod: string;
  /** The container's name. */
  container: string;
  /** When the container started (ms). */
  startTime: number;
  /** Cumulative CPU time (ms). */
  cpuMs: number;
  workingSetBytes: number;
}

export interface NodeResourcePoint {
  /** When the node (its kubelet) started (ms). */
  startTime: number;
  cpuMs: number;
  workingSetBytes: number;
}

export interface ResourceMetrics {
  /** When the points were read (ms). */
  timestamp: number;
  node: NodeResourcePoint;
  containers: ContainerResourcePoint[];
}

/**
 * A container's point whose CPU time is read when asked for (issue #19: metrics-server keeps
 * scrapes until read, so most are never asked): the cgroup's deferred read at the scrape's instant
 * (`CfsCgroup.readLater`), the same figure `usageMs()` gave then.
 */
export class LaterContainerPoint implements ContainerResourcePoint {
  constructor(
    readonly namespace: string,
    readonly pod: string,
    readonly container: string,
    readonly startTime: number,
    private readonly read: UsageRead,
    readonly workingSetBytes: number,
  ) {}

  get cpuMs(): number {
    return usageOf(this.read);
  }
}

/**
 * One kubelet's scrape on the fast engine, kept unbuilt (issue #19; `Kubelet.scrapeLater`): its
 * node point, and its container points made only when they are asked for (`points`). metrics-server
 * keeps the last scrapes until a read and most are never read, so a scrape takes each container's
 * deferred CPU read (`CfsCgroup.readLater`, which must be taken at the scrape's instant) and keeps
 * it with the plan's entries and the memory figures, objects no later scrape changes (a plan and
 * its figures are replaced, never edited; an entry's texts are fixed; a running instance's
 * `startedAt` is set once, when it starts). `points()` makes the very points the scrape would
 * have made then, in the same order.
 */
export class KeptScrape {
  constructor(
    /** When the points were read (ms). */
    readonly timestamp: number,
    readonly node: NodeResourcePoint,
    private readonly entries: ReadonlyArray<{ readonly namespace: string; readonly pod: string; readonly container: string; readonly of: { readonly inst: { readonly startedAt?: number; readonly createdAt: number } } }>,
    private readonly reads: readonly UsageRead[],
    private readonly memory: readonly number[],
  ) {}

  /** How many container points the scrape has. */
  get size(): number {
    return this.entries.length;
  }

  /** The scrape's container points (`LaterContainerPoint`), the same as if made at the scrape. */
  points(): ContainerResourcePoint[] {
    const out: ContainerResourcePoint[] = [];
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const c = e.of.inst;
      out.push(new LaterContainerPoint(e.namespace, e.pod, e.container, c.startedAt ?? c.createdAt, this.reads[i]!, this.memory[i]!));
    }
    return out;
  }
}

/** The node's point, its CPU time summed when asked for (`ContainerRuntime.cpuUsageLater`), once. */
export class LaterNodePoint implements NodeResourcePoint {
  private ms = NaN;

  constructor(
    readonly startTime: number,
    private readonly sum: () => number,
    readonly workingSetBytes: number,
  ) {}

  get cpuMs(): number {
    if (this.ms !== this.ms) this.ms = this.sum();
    return this.ms;
  }
}

/** What the kubelet offers the collector. */
export interface ResourceMetricsSource {
  now(): number;
  nodeStartTime(): number;
  /** Cumulative CPU ms of every container this node ran since it started. */
  nodeCpuMs(): number;
  nodeWorkingSetBytes(): number;
  runningContainers(): Array<{ namespace: string; pod: string; container: string; startTime: number; cpuMs: number; workingSetBytes: number }>;
}

/** The order of a scrape's containers: by `namespace/pod/container` (the comparator never says equal). */
export function sortContainers<T extends { namespace: string; pod: string; container: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.namespace + "/" + a.pod + "/" + a.container < b.namespace + "/" + b.pod + "/" + b.container ? -1 : 1));
}

/**
 * The running containers of a scrape in the order it reports them, worked out once per set of
 * running containers and pods (issue #19; the kubelet keeps it under a key of version counters).
 * Sorting the same list, in the same starting order, with the same comparator gives the same
 * permutation, duplicates included, so a scrape that reads each container's figures in this order
 * reports what `collectResourceMetrics` would.
 */
export interface ScrapePlan<C> {
  key: string;
  entries: Array<{ namespace: string; pod: string; container: string; of: C }>;
}

/** One scrape of `/metrics/resource`. */
export function collectResourceMetrics(src: ResourceMetricsSource): ResourceMetrics {
  const containers = sortContainers(src.runningContainers().map((c) => ({ ...c })));
  return {
    timestamp: src.now(),
    node: { startTime: src.nodeStartTime(), cpuMs: src.nodeCpuMs(), workingSetBytes: src.nodeWorkingSetBytes() },
    containers,
  };
}
