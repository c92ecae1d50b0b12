/**
 * What read-only checks need of a cluster: its objects and the current instant. The simulated
 * cluster's context satisfies it directly (ApiServer, SimClock); the live backend
 * (`src/live/view.ts`) satisfies it with objects fetched from a real API server, so the same
 * checks (src/assert: `checkPodPhase`, `checkObjectMatches`...) serve both. A check returns a
 * `Problem` (undefined, or what the cluster shows instead); a problem that fails a step is thrown as
 * an `AssertionFailure` (by `expect` in src/assert/expect.ts, or by a backend's `within`).
 */
import type { ApiServer } from "./store.ts";
import type { KObject } from "./types.ts";

/** Objects by storage key, and the registry that resolves kubectl's resource names to those keys. */
export type ObjectReader = Pick<ApiServer, "get" | "list" | "registry">;

export interface ClusterView {
  api: ObjectReader;
  clock: { now(): number; nowRFC3339(): string };
  /**
   * The scheduler's last attempt for a pod, keyed as kube-scheduler-simulator's annotations
   * (a live view over the facade asks it; the simulation's context answers through its scheduler).
   */
  schedulingAttempt?(pod: KObject): Readonly<Record<string, string>> | undefined;
}

/** What a check returns: `undefined` when the cluster shows what is expected, else what it shows instead. */
export type Problem = string | undefined;

/** A check's problem, failing the step. */
export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionFailure";
  }
}
