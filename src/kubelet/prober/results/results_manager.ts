/**
 * pkg/kubelet/prober/results/results_manager.go: the latest probe result of each container, by
 * container ID, for one probe type. A `set` that changes the stored result notifies subscribers
 * (the kubelet's sync loop: readiness → container ready; liveness/startup → sync the pod, which
 * kills a failed container). Notifications arrive a moment later at the same simulated instant,
 * as updates flow through a channel upstream.
 */
import type { SimClock } from "../../../sim/clock.ts";

export type Result = "Unknown" | "Success" | "Failure";

export interface Update {
  containerID: string;
  result: Result;
  podUID: string;
}

export class ResultsManager {
  private readonly cache = new Map<string, Result>();
  private readonly subscribers: Array<(u: Update) => void> = [];
  /**
   * Counts the changes of the stored results (a `set` that changed one, a `remove` of one there):
   * equal versions, equal results (issue #19: a pod resync compares it to know that nothing it
   * reads of the probes changed).
   */
  version = 0;
  /** Called at every change of `version`, at once, with the pod whose result changed (undefined: not known). */
  onChange: (podUID: string | undefined) => void = () => {};

  constructor(private readonly clock?: SimClock) {}

  get(containerID: string): Result | undefined {
    return this.cache.get(containerID);
  }

  set(containerID: string, result: Result, podUID: string): void {
    if (this.cache.get(containerID) === result) return;
    this.cache.set(containerID, result);
    this.version++;
    this.onChange(podUID);
    const update = { containerID, result, podUID };
    for (const s of this.subscribers) {
      if (this.clock) this.clock.setTimeout(() => s(update), 0);
      else s(update);
    }
  }

  remove(containerID: string, podUID?: string): void {
    if (!this.cache.delete(containerID)) return;
    this.version++;
    this.onChange(podUID);
  }

  /** Subscribes to changes (upstream's Updates() channel). Returns the unsubscribe function. */
  onUpdate(fn: (u: Update) => void): () => void {
    this.subscribers.push(fn);
    return () => {
      const i = this.subscribers.indexOf(fn);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  get size(): number {
    return this.cache.size;
  }
}
