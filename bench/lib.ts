/**
 * What every benchmark script uses to report: each figure is printed as one `BENCH {json}` line
 * that `npm run bench` collects over several runs (median, min, max) into BENCHMARKS.md.
 * `BENCH_SMOKE=1` asks a script for a small, quick version (CI runs those so benchmarks keep working).
 */
import { performance } from "node:perf_hooks";

export interface Figure {
  /** Stable name, e.g. "scheduler: basic 5000 nodes / 10000 pods". */
  name: string;
  value: number;
  unit: string;
  /** Whether a larger value is better (throughput) or worse (time, memory). */
  better: "higher" | "lower";
  /** What the figure is held against, e.g. "upstream CI floor 680 pods/s; aim 3400". */
  against?: string;
  /** The aim as a number in the same unit, when there is one. */
  aim?: number;
}

export const SMOKE = process.env.BENCH_SMOKE === "1";

export function report(f: Figure): void {
  console.log(`BENCH ${JSON.stringify(f)}`);
}

/** Wall time of fn in milliseconds. */
export function timeIt<T>(fn: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

/** Samples resident memory while work runs; call sample() often, read peak at the end. */
export class PeakMemory {
  peak = process.memoryUsage().rss;
  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }
  get mib(): number {
    this.sample();
    return Math.round((this.peak / 1048576) * 10) / 10;
  }
}

/** CPU time (user + system) of this process since `start`, in milliseconds: steadier than wall time on a shared machine. */
export function cpuMs(start?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

/** Heap in use after a full collection (needs --expose-gc, which `npm run bench` passes), in bytes. */
export function settledHeapBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
