/**
 * metrics-server's storage (sigs.k8s.io/metrics-server pkg/storage/pod.go, node.go): the last two
 * scrapes of every container and node, from which usage is computed: CPU as the rate of the
 * cumulative CPU time between the two points, memory as the last working set. A point is
 * reported only with a previous one: a container that restarted starts afresh, and a container
 * younger than one resolution gets its start time as its previous point when it has run at least
 * 10 s (freshContainerMinMetricsResolution).
 */
import type { ContainerResourcePoint, KeptScrape, NodeResourcePoint } from "../kubelet/metrics/resource_metrics.ts";

/** freshContainerMinMetricsResolution */
export const FRESH_CONTAINER_MIN_RESOLUTION_MS = 10_000;

export interface MetricsPoint {
  startTime: number;
  timestamp: number;
  cpuMs: number;
  workingSetBytes: number;
}

/** Usage between two points: CPU in nanocores, memory in bytes, and the window they cover. */
export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
  timestamp: number;
  windowMs: number;
}

/** resourceUsage: the CPU rate between prev and last, last's working set. */
export function resourceUsage(last: MetricsPoint, prev: MetricsPoint): Usage | Error {
  const window = last.timestamp - prev.timestamp;
  if (last.cpuMs < prev.cpuMs) return new Error(`unexpected decrease in cumulative CPU usage value`);
  if (window <= 0) return new Error(`unexpected non-positive window`);
  return {
    cpuNanoCores: Math.floor(((last.cpuMs - prev.cpuMs) / window) * 1e9),
    memoryBytes: last.workingSetBytes,
    timestamp: last.timestamp,
    windowMs: window,
  };
}

/** The previous point of a fresh point, or of a point whose stored predecessor is still valid (podStorage.Store). */
function previousPoint(point: MetricsPoint, last: MetricsPoint | undefined, prev: MetricsPoint | undefined, resolutionMs: number): MetricsPoint | undefined {
  const age = point.timestamp - point.startTime;
  if (point.startTime < point.timestamp && age < resolutionMs && age >= FRESH_CONTAINER_MIN_RESOLUTION_MS) {
    return { ...point, timestamp: point.startTime, cpuMs: 0 };
  }
  // Keep the stored point when the container has not restarted since.
  if (last && point.startTime < last.timestamp) {
    if (point.timestamp > last.timestamp) return last;
    if (prev && prev.timestamp < point.timestamp) return prev;
  }
  return undefined;
}

type PodKey = string; // namespace/name

type Scrape = Array<{ point: ContainerResourcePoint; timestamp: number }>;

/** Whether a pending scrape is kept unbuilt (`PodStorage.storeKept`); an empty one is either. */
function isKept(points: Scrape | KeptScrape[]): points is KeptScrape[] {
  return points.length > 0 && !("point" in points[0]!);
}

/** The scrape's points, each with its kubelet's timestamp, in order. */
function pointsOf(kept: KeptScrape[]): Scrape {
  const out: Scrape = [];
  for (const k of kept) for (const point of k.points()) out.push({ point, timestamp: k.timestamp });
  return out;
}

/** The earliest and the latest timestamp of a scrape's points (+Infinity / -Infinity for none). */
function span(points: Scrape): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const t = points[i].timestamp;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { min, max };
}

export class PodStorage {
  private last = new Map<PodKey, Map<string, MetricsPoint>>();
  private prev = new Map<PodKey, Map<string, MetricsPoint>>();
  /**
   * Scrapes stored but not yet folded into `last`/`prev` (the lazy way, issue #19), oldest first,
   * with their spans. Only a read needs the maps, and most scrapes are never read. A scrape whose
   * points are all later than every point of the scrape before it depends on nothing older than
   * that one: `previousPoint` looks at the stored `prev` only for a point no later than the stored
   * `last` point, and `last` is built from the scrape before alone. So when such a scrape arrives,
   * every pending scrape but the one before it is dropped, and a read replays the rest in order
   * from whatever is stored (the replayed first scrape's own `prev` may then differ, but the next
   * store replaces `prev` without reading it): the maps are those `store` would have built.
   */
  private pending: Array<{ points: Scrape | KeptScrape[]; min: number; max: number }> = [];

  /** `lazy`: keep scrapes until a read (the fast engine); otherwise every store builds the maps. */
  constructor(
    private readonly resolutionMs: number,
    private readonly lazy = false,
  ) {}

  /** Stores one scrape of every node's containers. */
  store(points: Scrape): void {
    if (!this.lazy) return this.storeNow(points);
    const { min, max } = span(points);
    const p = this.pending;
    if (p.length > 0 && min > p[p.length - 1].max) p.splice(0, p.length - 1);
    p.push({ points, min, max });
  }

  /**
   * Stores one scrape kept unbuilt, one `KeptScrape` per kubelet in the scrape's order (the lazy way
   * only): the same as `store` of their points, each with its kubelet's timestamp, in that order
   * (a read builds them: `settle`).
   */
  storeKept(kept: KeptScrape[]): void {
    if (!this.lazy) return this.storeNow(pointsOf(kept));
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i]!;
      if (k.size === 0) continue;
      if (k.timestamp < min) min = k.timestamp;
      if (k.timestamp > max) max = k.timestamp;
    }
    const p = this.pending;
    if (p.length > 0 && min > p[p.length - 1].max) p.splice(0, p.length - 1);
    p.push({ points: kept, min, max });
  }

  /** Folds the pending scrapes into the maps (before a read). */
  private settle(): void {
    const p = this.pending;
    if (p.length === 0) return;
    this.pending = [];
    for (const s of p) this.storeNow(isKept(s.points) ? pointsOf(s.points) : s.points);
  }

  private storeNow(points: Scrape): void {
    const lastPods = new Map<PodKey, Map<string, MetricsPoint>>();
    const prevPods = new Map<PodKey, Map<string, MetricsPoint>>();
    for (const { point: c, timestamp } of points) {
      const key = `${c.namespace}/${c.pod}`;
      let lastContainers = lastPods.get(key);
      if (!lastContainers) lastPods.set(key, (lastContainers = new Map()));
      if (lastContainers.has(c.container)) continue; // a duplicate point
      const point: MetricsPoint = { startTime: c.startTime, timestamp, cpuMs: c.cpuMs, workingSetBytes: c.workingSetBytes };
      lastContainers.set(c.container, point);
      const p = previousPoint(point, this.last.get(key)?.get(c.container), this.prev.get(key)?.get(c.container), this.resolutionMs);
      if (p) {
        let prevContainers = prevPods.get(key);
        if (!prevContainers) prevPods.set(key, (prevContainers = new Map()));
        prevContainers.set(c.container, p);
      }
    }
    this.last = lastPods;
    this.prev = prevPods;
  }

  /** The pod's containers' usage, or undefined when some container has no two points yet. */
  get(namespace: string, name: string): { containers: Array<{ name: string; usage: Usage }>; timestamp: number; windowMs: number } | undefined {
    this.settle();
    const key = `${namespace}/${name}`;
    const last = this.last.get(key);
    const prev = this.prev.get(key);
    if (!last || !prev) return undefined;
    const containers: Array<{ name: string; usage: Usage }> = [];
    let earliest: Usage | undefined;
    for (const [container, l] of last) {
      const p = prev.get(container);
      if (!p) return undefined;
      const u = resourceUsage(l, p);
      if (u instanceof Error) continue;
      containers.push({ name: container, usage: u });
      if (!earliest || earliest.timestamp > u.timestamp) earliest = u;
    }
    return { containers, timestamp: earliest?.timestamp ?? 0, windowMs: earliest?.windowMs ?? 0 };
  }
}

export class NodeStorage {
  private last = new Map<string, MetricsPoint>();
  private prev = new Map<string, MetricsPoint>();

  constructor(private readonly resolutionMs: number) {}

  store(nodes: Array<{ name: string; point: NodeResourcePoint; timestamp: number }>): void {
    const last = new Map<string, MetricsPoint>();
    const prev = new Map<string, MetricsPoint>();
    for (const n of nodes) {
      // The CPU time as the scraped point has it, read when the usage is (a point read later: issue #19).
      const from = n.point;
      const point: MetricsPoint = { startTime: from.startTime, timestamp: n.timestamp, get cpuMs() { return from.cpuMs; }, workingSetBytes: from.workingSetBytes };
      last.set(n.name, point);
      const p = previousPoint(point, this.last.get(n.name), this.prev.get(n.name), this.resolutionMs);
      if (p) prev.set(n.name, p);
    }
    this.last = last;
    this.prev = prev;
  }

  get(name: string): Usage | undefined {
    const l = this.last.get(name);
    const p = this.prev.get(name);
    if (!l || !p) return undefined;
    const u = resourceUsage(l, p);
    return u instanceof Error ? undefined : u;
  }
}
